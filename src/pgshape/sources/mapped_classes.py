"""What the Python classes behind a ``MetaData`` tell: source lines and ORM-level facts.

Origins come from the ``ast`` of the defining modules (cheap, and robust against decorators
and metaclasses): a table points at its ``class`` statement (or its ``Table(...)`` call), a
column at its attribute assignment in the class body (or its ``Column(...)`` call).

:class:`PythonFacts` keeps what SQLModel-specific review rules need and the schema model does
not hold: which classes are table models, and their relationships.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Column as SAColumn
from sqlalchemy import ForeignKeyConstraint, Index, MetaData, Table
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Mapper, configure_mappers

from pgshape.errors import InputError
from pgshape.model import Origin

# --- origins -------------------------------------------------------------------------------


@dataclass
class Origins:
    tables: dict[int, Origin] = field(default_factory=dict)  # keyed by id(Table)
    columns: dict[tuple[int, str], Origin] = field(default_factory=dict)  # (id(Table), column name)

    def table(self, table: Table) -> Origin | None:
        return self.tables.get(id(table))

    def column(self, table: Table, column: SAColumn[Any]) -> Origin | None:
        return self.columns.get((id(table), column.name)) or self.table(table)

    def foreign_key(self, table: Table, constraint: ForeignKeyConstraint) -> Origin | None:
        """A single-column foreign key points at its column (``Field(foreign_key=...)``)."""
        if len(constraint.columns) == 1:
            return self.column(table, next(iter(constraint.columns)))
        return self.table(table)

    def index(self, table: Table, index: Index) -> Origin | None:
        """An index made by ``index=True`` points at its column."""
        columns = list(index.columns)
        if len(columns) == 1 and getattr(columns[0], "index", None):
            return self.column(table, columns[0])
        return self.table(table)


def find_origins(metadata: MetaData, module_file: str | None = None) -> Origins:
    origins = Origins()
    tables = {id(t): t for t in metadata.tables.values()}
    if module_file is not None:
        _table_calls(origins, tables, module_file)
    for mapper in mappers_of(metadata):
        _class_origins(origins, mapper)
    return origins


def mappers_of(metadata: MetaData) -> list[Mapper[Any]]:
    """Mappers (of any registry) whose table belongs to ``metadata``, in a stable order."""
    from sqlalchemy.orm.mapper import _all_registries

    tables = {id(t) for t in metadata.tables.values()}
    found = [
        mapper
        for registry in _all_registries()
        for mapper in registry.mappers
        if id(mapper.local_table) in tables
    ]
    return sorted(found, key=lambda m: (m.class_.__module__, m.class_.__qualname__))


def _class_origins(origins: Origins, mapper: Mapper[Any]) -> None:
    cls = mapper.class_
    table = mapper.local_table
    found = _class_node(cls)
    if found is None:
        return
    file, node = found
    if mapper.inherits is None or mapper.inherits.local_table is not table:
        origins.tables[id(table)] = Origin(file, node.lineno)
    for prop in mapper.column_attrs:
        for column in prop.columns:
            if getattr(column, "table", None) is not table or (id(table), column.name) in origins.columns:
                continue
            line = _attribute_line(cls, prop.key)
            if line is not None:
                origins.columns[(id(table), column.name)] = Origin(*line)


def _class_node(cls: type) -> tuple[str, ast.ClassDef] | None:
    try:
        file = inspect.getsourcefile(cls)
    except (TypeError, OSError):
        return None
    if file is None:
        return None
    tree = _parse(file)
    if tree is None:
        return None
    node: ast.AST = tree
    for part in cls.__qualname__.split("."):
        if part == "<locals>":
            return None
        child = next((n for n in _body(node) if isinstance(n, ast.ClassDef) and n.name == part), None)
        if child is None:
            return None
        node = child
    assert isinstance(node, ast.ClassDef)
    return file, node


def _body(node: ast.AST) -> list[ast.stmt]:
    return list(getattr(node, "body", []))


def _attribute_line(cls: type, attribute: str) -> tuple[str, int] | None:
    """Where ``attribute`` is assigned in the body of ``cls`` or the first base declaring it."""
    for klass in cls.__mro__:
        found = _class_node(klass) if klass.__module__ not in {"builtins"} else None
        if found is None:
            continue
        file, node = found
        for statement in node.body:
            if attribute in _assigned_names(statement):
                return file, statement.lineno
    return None


def _assigned_names(statement: ast.stmt) -> set[str]:
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return {statement.target.id}
    if isinstance(statement, ast.Assign):
        return {t.id for t in statement.targets if isinstance(t, ast.Name)}
    return set()


def _table_calls(origins: Origins, tables: dict[int, Table], module_file: str) -> None:
    """``Table("name", metadata, Column("col", ...))`` calls in a module."""
    tree = _parse(module_file)
    if tree is None:
        return
    by_name: dict[str, list[Table]] = {}
    for table in tables.values():
        by_name.setdefault(table.name, []).append(table)
    for call in _calls_named(tree, "Table"):
        name = _first_string(call)
        for table in by_name.get(name or "", []):
            origins.tables.setdefault(id(table), Origin(module_file, call.lineno))
            for argument in call.args:
                if isinstance(argument, ast.Call) and _call_name(argument) == "Column":
                    column = _first_string(argument)
                    if column is not None:
                        origins.columns.setdefault((id(table), column), Origin(module_file, argument.lineno))


def _calls_named(tree: ast.AST, name: str) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _call_name(node) == name:
            yield node


def _call_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _first_string(call: ast.Call) -> str | None:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


@lru_cache(maxsize=256)
def _parse_cached(file: str, mtime: float) -> ast.Module | None:
    try:
        return ast.parse(Path(file).read_text(encoding="utf-8"), filename=file)
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return None


def _parse(file: str) -> ast.Module | None:
    try:
        mtime = Path(file).stat().st_mtime
    except OSError:
        return None
    return _parse_cached(file, mtime)


# --- Python-level facts ----------------------------------------------------------------------


@dataclass(frozen=True)
class RelationshipFact:
    name: str  # the attribute
    target: str  # the related class, ``module.QualName``
    back_populates: str | None
    many: bool  # a collection (one-to-many / many-to-many)
    secondary: tuple[str, str] | None  # (schema, table) of the link table, if any
    origin: Origin | None = None


@dataclass(frozen=True)
class ModelFact:
    class_name: str  # ``module.QualName``
    table: tuple[str, str]  # (schema, name)
    is_sqlmodel: bool  # a SQLModel ``table=True`` model (else a plain declarative class)
    relationships: tuple[RelationshipFact, ...] = ()
    info: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    origin: Origin | None = None


@dataclass(frozen=True)
class PythonFacts:
    models: tuple[ModelFact, ...] = ()

    def model(self, class_name: str) -> ModelFact | None:
        """Look a model up by ``module.QualName`` or by its bare class name."""
        return next(
            (m for m in self.models if class_name in {m.class_name, m.class_name.rpartition(".")[2]}), None
        )


def python_facts(metadata: MetaData) -> PythonFacts:
    """Facts about the mapped classes whose tables belong to ``metadata``."""
    try:
        configure_mappers()
    except sa_exc.SQLAlchemyError as error:
        text = str(error).strip().splitlines()
        raise InputError(
            f"the SQLAlchemy mappers cannot be configured: {text[0] if text else error}"
        ) from None
    return PythonFacts(models=tuple(_model_fact(mapper) for mapper in mappers_of(metadata)))


def _model_fact(mapper: Mapper[Any]) -> ModelFact:
    cls = mapper.class_
    table = mapper.local_table
    found = _class_node(cls)
    relationships = []
    for prop in mapper.relationships:
        secondary = prop.secondary
        line = _attribute_line(cls, prop.key)
        relationships.append(
            RelationshipFact(
                name=prop.key,
                target=_class_name(prop.mapper.class_),
                back_populates=prop.back_populates or None,
                many=bool(prop.uselist),
                secondary=(secondary.schema or "public", secondary.name)
                if isinstance(secondary, Table)
                else None,
                origin=Origin(*line) if line else None,
            )
        )
    return ModelFact(
        class_name=_class_name(cls),
        table=(getattr(table, "schema", None) or "public", getattr(table, "name", "")),
        is_sqlmodel=_is_sqlmodel_table(cls),
        relationships=tuple(relationships),
        info=dict(getattr(table, "info", {}) or {}),
        origin=Origin(found[0], found[1].lineno) if found else None,
    )


def _class_name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _is_sqlmodel_table(cls: type) -> bool:
    try:
        from sqlmodel import SQLModel
    except ImportError:  # pragma: no cover - sqlmodel is a dependency, but stay importable
        return False
    return (
        isinstance(cls, type)
        and issubclass(cls, SQLModel)
        and bool(getattr(cls, "__table__", None) is not None)
    )
