"""DBML (``*.dbml``) as a source, parsed with pydbml.

- ``Table schema.name`` → table (no schema: ``public``); columns in order with their types
  (mapped like Mermaid's: ``int`` → ``integer``, ``varchar(255)`` → ``character varying(255)``;
  an enum column gets the enum's qualified name), settings ``pk``, ``not null`` (``null`` and
  nothing: nullable), ``unique`` (a UNIQUE constraint), ``increment`` (an identity column),
  ``default`` (backtick expressions as written; strings, numbers, booleans as SQL literals) and
  ``note`` (the column comment); ``Note`` in a table is its comment.
- ``indexes``: ``[pk]`` → the primary key; other entries → indexes (``unique`` ones included)
  with their ``name`` (PostgreSQL's default name when none), ``type`` as the method, expressions
  in backticks.
- refs, inline (``ref: > t.c``) and standalone (``Ref name: a.(x, y) > b.(x, y)``), with
  ``delete``/``update`` actions → foreign keys on the "many" side (for ``-``, the left side);
  the ref name is the constraint name when given, else PostgreSQL's default. ``<>`` creates a
  link table ``{left}_{right}`` with a foreign key to each side.
- ``Enum`` → enum types; ``TableGroup``, ``Project`` and sticky notes are read and ignored.
- names PostgreSQL would choose are given to keys and constraints left unnamed.
"""

from __future__ import annotations

import contextlib
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pgshape.errors import InputError
from pgshape.model import (
    Column,
    Database,
    EnumType,
    ForeignKey,
    Identity,
    Index,
    IndexKey,
    Origin,
    PrimaryKey,
    SchemaInfo,
    Table,
    UniqueConstraint,
)
from pgshape.sources.mermaid_types import canonical_type
from pgshape.sources.pg_names import NameChooser

_ACTIONS = {
    "cascade": "CASCADE",
    "restrict": "RESTRICT",
    "set null": "SET NULL",
    "set default": "SET DEFAULT",
    "no action": "NO ACTION",
}


def load(path: str | Path) -> Database:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file", location=str(path)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read: {error}", location=str(path)) from None
    return loads(text, str(path))


@contextlib.contextmanager
def _pyparsing_kept() -> Iterator[None]:
    """Run pydbml without letting it change pyparsing for everyone else.

    pydbml sets pyparsing's *global* default whitespace (no newlines) when its modules are
    imported, and builds some elements while parsing, so it needs that setting while it works;
    but every pyparsing grammar built afterwards in the same process (pydot's, a user's) would
    then fail on the first line break. So pgshape restores the previous setting afterwards.
    """
    import pyparsing

    saved = pyparsing.ParserElement.DEFAULT_WHITE_CHARS
    try:
        yield
    finally:
        pyparsing.ParserElement.set_default_whitespace_chars(saved)


def loads(text: str, path: str = "<dbml>") -> Database:
    # pydbml uses pyparsing names that pyparsing 3.2+ deprecates: noise for pgshape's users.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with _pyparsing_kept():
            # pydbml's own setting, for the elements it builds while parsing.
            import pyparsing
            from pydbml import PyDBML

            pyparsing.ParserElement.set_default_whitespace_chars(" \t\r")
            try:
                parsed = PyDBML(text)
            except Exception as error:  # pyparsing and pydbml raise several kinds; all mean bad input
                raise InputError(_message(error), location=_location(error, text, path)) from None
    return _Builder(parsed, text, path).build()


def _message(error: Exception) -> str:
    message = getattr(error, "msg", None) or str(error)
    return f"invalid DBML: {message.splitlines()[0] if message else type(error).__name__}"


def _location(error: Exception, text: str, path: str) -> str:
    line = getattr(error, "lineno", None)
    column = getattr(error, "col", None)
    if isinstance(line, int) and isinstance(column, int):
        return f"{path}:{line}:{column}"
    position = re.search(r"at position (\d+)", str(error))
    if position:
        offset = int(position[1])
        line = text.count("\n", 0, offset) + 1
        return f"{path}:{line}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"
    return path


@dataclass
class _Draft:
    table: Any  # pydbml Table
    schema: str
    name: str
    columns: list[Column] = field(default_factory=list)
    primary_key: tuple[str, ...] = ()
    unique: list[tuple[str, ...]] = field(default_factory=list)
    indexes: list[tuple[str | None, tuple[IndexKey, ...], bool, str]] = field(default_factory=list)
    foreign_keys: list[tuple[str | None, tuple[str, ...], tuple[str, str], tuple[str, ...], str, str]] = (
        field(default_factory=list)
    )


class _Builder:
    def __init__(self, parsed: Any, text: str, path: str) -> None:
        self.parsed = parsed
        self.text = text
        self.path = path
        self.drafts: dict[tuple[str, str], _Draft] = {}

    def origin(self, keyword: str, name: str) -> Origin:
        """The line of ``keyword name`` in the text (pydbml does not keep positions)."""
        pattern = rf'(?im)^[ \t]*{keyword}\s+(?:"?[^"\s.]+"?\.)?"?{re.escape(name)}"?[\s\[{{]'
        match = re.search(pattern, self.text)
        return Origin(self.path, self.text.count("\n", 0, match.start()) + 1 if match else None)

    def build(self) -> Database:
        enums = [
            EnumType(
                e.schema or "public",
                e.name,
                tuple(item.name for item in e.items),
                origin=self.origin("enum", e.name),
            )
            for e in self.parsed.enums
        ]
        for table in self.parsed.tables:
            draft = self._table(table)
            self.drafts[(draft.schema, draft.name)] = draft
        for ref in self.parsed.refs:
            self._ref(ref)
        tables = self._tables()
        schemas = {t.schema for t in tables} | {e.schema for e in enums} | {"public"}
        return Database(
            schemas=tuple(SchemaInfo(name) for name in schemas),
            tables=tables,
            enums=tuple(enums),
            expressions_canonical=False,
        )

    def _table(self, table: Any) -> _Draft:
        draft = _Draft(table, table.schema or "public", table.name)
        pk = [c.name for c in table.columns if c.pk]
        for column in table.columns:
            draft.columns.append(self._column(column, draft, column.name in pk))
            if column.unique:
                draft.unique.append((column.name,))
        for index in table.indexes:
            keys = tuple(
                IndexKey(column=s.name) if hasattr(s, "table") else IndexKey(expression=str(s.text))
                for s in index.subjects
            )
            if index.pk:
                if pk:
                    where = str(self.origin("table", draft.name))
                    raise InputError(f"table {draft.name}: two primary keys", location=where)
                pk = [k.column for k in keys if k.column is not None]
                continue
            draft.indexes.append((index.name, keys, bool(index.unique), (index.type or "btree").lower()))
        draft.primary_key = tuple(pk)
        draft.columns = [
            Column(c.name, c.type, False, c.default, c.identity, comment=c.comment, origin=c.origin)
            if c.name in pk
            else c
            for c in draft.columns
        ]
        return draft

    def _column(self, column: Any, draft: _Draft, in_pk: bool) -> Column:
        raw_type = column.type
        if hasattr(raw_type, "items"):  # an Enum object
            type_name = f"{raw_type.schema or 'public'}.{raw_type.name}"
            serial = False
        else:
            sketch = canonical_type(str(raw_type))
            type_name, serial = sketch.type, sketch.serial
        identity = Identity() if (column.autoinc or serial) else None
        note = column.note.text if column.note is not None and column.note.text else None
        nullable = not (column.not_null or in_pk or identity is not None)
        return Column(
            column.name,
            type_name,
            nullable,
            _default(column.default),
            identity,
            comment=note,
        )

    def _ref(self, ref: Any) -> None:
        left, right = list(ref.col1), list(ref.col2)
        kind = ref.type
        if kind == "<>":
            self._link(ref, left, right)
            return
        if kind == "<":
            child_cols, parent_cols = right, left
        else:  # ">" and "-": the left side holds the key
            child_cols, parent_cols = left, right
        child = self._draft_of(child_cols[0].table)
        parent = self._draft_of(parent_cols[0].table)
        child.foreign_keys.append(
            (
                ref.name or None,
                tuple(c.name for c in child_cols),
                (parent.schema, parent.name),
                tuple(c.name for c in parent_cols),
                _ACTIONS.get((ref.on_delete or "no action").lower(), "NO ACTION"),
                _ACTIONS.get((ref.on_update or "no action").lower(), "NO ACTION"),
            )
        )

    def _link(self, ref: Any, left: list[Any], right: list[Any]) -> None:
        a, b = self._draft_of(left[0].table), self._draft_of(right[0].table)
        name = ref.name or f"{a.name}_{b.name}"
        link = _Draft(None, a.schema, name)
        names_a = [f"{a.name}_{c.name}" for c in left]
        names_b = [f"{b.name}_{c.name}" for c in right]
        if a is b:
            names_b = [f"{n}_2" for n in names_b]
        for names, cols, side in ((names_a, left, a), (names_b, right, b)):
            for column_name, column in zip(names, cols, strict=True):
                target = next(c for c in side.columns if c.name == column.name)
                link.columns.append(Column(column_name, target.type, nullable=False))
            link.foreign_keys.append(
                (
                    None,
                    tuple(names),
                    (side.schema, side.name),
                    tuple(c.name for c in cols),
                    "NO ACTION",
                    "NO ACTION",
                )
            )
        link.primary_key = tuple(names_a + names_b)
        if (link.schema, link.name) in self.drafts:
            raise InputError(
                f"many-to-many ref: link table {link.name} clashes with a table", location=self.path
            )
        self.drafts[(link.schema, link.name)] = link

    def _draft_of(self, table: Any) -> _Draft:
        return self.drafts[(table.schema or "public", table.name)]

    def _tables(self) -> tuple[Table, ...]:
        choosers: dict[str, NameChooser] = {}
        for key in self.drafts:
            choosers.setdefault(key[0], NameChooser()).add_relation(key[1])
        named: dict[tuple[str, str], dict[str, Any]] = {}
        for key, draft in self.drafts.items():
            chooser = choosers[draft.schema]
            pk = PrimaryKey(chooser.primary_key(draft.name), draft.primary_key) if draft.primary_key else None
            uniques = [
                UniqueConstraint(chooser.unique(draft.name, cols), cols)
                for cols in dict.fromkeys(draft.unique)
            ]
            indexes = []
            for name, keys, unique, method in draft.indexes:
                if name:
                    chooser.add_relation(name)
                else:
                    name = chooser.index(
                        draft.name, [k.column or _expression_name(k.expression) for k in keys]
                    )
                indexes.append(Index(name, keys, unique=unique, method=method))
            named[key] = {"pk": pk, "uniques": uniques, "indexes": indexes}
        tables = []
        for key, draft in self.drafts.items():
            chooser = choosers[draft.schema]
            fks = []
            for name, columns, parent, referenced, on_delete, on_update in draft.foreign_keys:
                if name:
                    chooser.add_constraint(name)
                else:
                    name = chooser.foreign_key(draft.name, columns)
                fks.append(ForeignKey(name, columns, parent[0], parent[1], referenced, on_delete, on_update))  # type: ignore[arg-type]
            note = draft.table.note.text if draft.table is not None and draft.table.note is not None else None
            tables.append(
                Table(
                    draft.schema,
                    draft.name,
                    columns=tuple(draft.columns),
                    primary_key=named[key]["pk"],
                    foreign_keys=tuple(fks),
                    unique_constraints=tuple(named[key]["uniques"]),
                    indexes=tuple(named[key]["indexes"]),
                    comment=note or None,
                    origin=self.origin("table", draft.name) if draft.table is not None else None,
                )
            )
        return tuple(tables)


def _expression_name(expression: str | None) -> str | None:
    """The name PostgreSQL derives for an index expression (``FigureIndexColname``, the common
    cases): a function call is named after the function, ``x::type`` after ``x`` (else the
    type), a plain column after itself; anything else is ``None`` (PostgreSQL's ``expr``)."""
    text = (expression or "").strip()
    while text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    call = re.fullmatch(r'(?:[A-Za-z_][\w$]*\.)?"?([A-Za-z_][\w$]*)"?\s*\(.*\)', text, re.DOTALL)
    if call:
        return call[1].lower()
    cast = re.fullmatch(r"(.+?)::\s*([A-Za-z_][\w ]*)", text, re.DOTALL)
    if cast:
        return _expression_name(cast[1]) or cast[2].split()[-1].lower()
    if re.fullmatch(r"[A-Za-z_][\w$]*", text):
        return text.lower()
    return None


def _default(value: Any) -> str | None:
    if value is None:
        return None
    if hasattr(value, "text") and not isinstance(value, str):  # pydbml Expression
        return str(value.text)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if text.lower() == "null":
        return None
    return "'" + text.replace("'", "''") + "'"
