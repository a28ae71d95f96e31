"""Source-level facts about SQLModel modules, read from their syntax tree (no import needed).

Several SQLModel mistakes stop a module from importing at all (``from __future__ import
annotations`` with ``Relationship()``, a field named like an imported module, one ``Column``
shared through a mixin); the review rules must still explain them. So these facts come from the
``ast`` of the files, not from the mapped classes: classes, their bases and ``table=True``,
``__tablename__``, docstrings, and each field's annotation and call keywords as source text.

:class:`~pgshape.sources.python_facts_load.ExtendedPythonFacts` is the mapped-class facts plus
these (``.source``); ``load_python`` / ``load_facts`` (in ``python_facts_load``, also reachable
from here) build it and never fail on an import error (kept in ``.source.import_error``).
This module imports no SQLAlchemy, so the review rules can read the facts without paying for it.
The facts are pure data.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pgshape.model import Origin

CALLS = frozenset({"Field", "Relationship", "Column", "mapped_column", "relationship"})


@dataclass(frozen=True)
class FieldFact:
    """``name: annotation = Call(positional..., key=value...)`` in a class body (texts as written)."""

    name: str
    annotation: str | None
    call: str | None  # Field, Relationship, Column, … (None: a plain value or no value)
    keywords: tuple[tuple[str, str], ...] = ()
    positional: tuple[str, ...] = ()
    value: str | None = None  # the whole right-hand side
    origin: Origin | None = None

    def keyword(self, name: str) -> str | None:
        return next((text for key, text in self.keywords if key == name), None)

    @property
    def is_relationship(self) -> bool:
        return self.call in {"Relationship", "relationship"}


@dataclass(frozen=True)
class ClassFact:
    name: str
    bases: tuple[str, ...]  # as written, last dotted part (``SQLModel``, ``TimestampMixin``)
    table: bool  # ``table=True`` in the class keywords
    tablename: str | None  # a literal ``__tablename__``
    docstring: str | None
    fields: tuple[FieldFact, ...]
    origin: Origin

    def field(self, name: str) -> FieldFact | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True)
class ModuleFact:
    file: str
    future_annotations: Origin | None  # where ``from __future__ import annotations`` is
    imported_modules: tuple[str, ...]  # names bound by ``import x`` / ``import x.y`` / ``import x as y``
    classes: tuple[ClassFact, ...]


@dataclass(frozen=True)
class SourceFacts:
    modules: tuple[ModuleFact, ...] = ()
    import_error: str | None = None  # the module could not be imported: AST facts only

    @property
    def classes(self) -> tuple[ClassFact, ...]:
        return tuple(c for m in self.modules for c in m.classes)

    def find(self, name: str) -> ClassFact | None:
        return next((c for c in self.classes if c.name == name), None)

    def module_of(self, cls: ClassFact) -> ModuleFact | None:
        return next((m for m in self.modules if cls in m.classes), None)

    def table_classes(self) -> Iterator[ClassFact]:
        return (c for c in self.classes if c.table)

    def ancestors(self, cls: ClassFact) -> list[ClassFact]:
        """Known base classes, nearest first (a simple depth-first walk is enough here)."""
        found: list[ClassFact] = []
        pending = list(cls.bases)
        while pending:
            base = self.find(pending.pop(0))
            if base is not None and base not in found and base is not cls:
                found.append(base)
                pending.extend(base.bases)
        return found

    def all_fields(self, cls: ClassFact) -> list[FieldFact]:
        """Own fields and inherited ones (own first; a redefinition hides the base's)."""
        seen: dict[str, FieldFact] = {}
        for klass in [cls, *self.ancestors(cls)]:
            for fact in klass.fields:
                seen.setdefault(fact.name, fact)
        return list(seen.values())

    def table_name(self, cls: ClassFact) -> str:
        """What SQLModel names the table: ``__tablename__`` or the lower-cased class name."""
        if cls.tablename:
            return cls.tablename
        for base in self.ancestors(cls):
            if base.tablename and not base.table:
                return base.tablename
        return cls.name.lower()

    def class_for_table(self, table: str) -> ClassFact | None:
        return next((c for c in self.table_classes() if self.table_name(c) == table), None)


# --- building ----------------------------------------------------------------------------------

_LOADERS = frozenset({"ExtendedPythonFacts", "load_facts", "load_python", "extend"})


def __getattr__(name: str) -> Any:
    """The loaders live in ``python_facts_load`` (they import SQLAlchemy); reachable from here."""
    if name in _LOADERS:
        from pgshape.sources import python_facts_load

        return getattr(python_facts_load, name)
    raise AttributeError(name)


def source_facts(files: Iterable[str], *, import_error: str | None = None) -> SourceFacts:
    modules = []
    for file in dict.fromkeys(str(Path(f).resolve()) for f in files):
        fact = module_facts(file)
        if fact is not None:
            modules.append(fact)
    return SourceFacts(modules=tuple(modules), import_error=import_error)


def module_facts(file: str) -> ModuleFact | None:
    try:
        text = Path(file).read_text(encoding="utf-8")
        tree = ast.parse(text, filename=file)
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return None
    return facts_of_tree(tree, text, file)


_LINE = re.compile(r".*?(?:\r\n|\r|\n)|.+", re.DOTALL)


@functools.lru_cache(maxsize=8)
def _lines(text: str) -> tuple[str, ...]:
    """The source split once (like the ast module: only CR/LF end a line), so taking hundreds of
    segments does not re-split the whole file each time as ``ast.get_source_segment`` does."""
    return tuple(_LINE.findall(text))


def _segment(text: str, node: ast.AST) -> str | None:
    """``ast.get_source_segment`` over the cached lines (offsets are UTF-8 byte columns)."""
    end_lineno = getattr(node, "end_lineno", None)
    end_col = getattr(node, "end_col_offset", None)
    if end_lineno is None or end_col is None:
        return None
    lines = _lines(text)
    first, last = node.lineno - 1, end_lineno - 1  # type: ignore[attr-defined]
    start_col = node.col_offset  # type: ignore[attr-defined]
    if first == last:
        return lines[first].encode()[start_col:end_col].decode()
    head = lines[first].encode()[start_col:].decode()
    tail = lines[last].encode()[:end_col].decode()
    return head + "".join(lines[first + 1 : last]) + tail


def facts_of_tree(tree: ast.Module, text: str, file: str) -> ModuleFact:
    future: Origin | None = None
    imported: list[str] = []
    classes: list[ClassFact] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            if any(alias.name == "annotations" for alias in node.names):
                future = Origin(file, node.lineno, node.col_offset + 1)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                imported.append(alias.asname or alias.name.split(".")[0])
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            classes.append(_class_fact(node, text, file))
    return ModuleFact(
        file=file,
        future_annotations=future,
        imported_modules=tuple(dict.fromkeys(imported)),
        classes=tuple(classes),
    )


def _class_fact(node: ast.ClassDef, text: str, file: str) -> ClassFact:
    table = any(
        k.arg == "table" and isinstance(k.value, ast.Constant) and k.value.value is True
        for k in node.keywords
    )
    tablename: str | None = None
    fields: list[FieldFact] = []
    for statement in node.body:
        if isinstance(statement, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__tablename__" for t in statement.targets
        ):
            if isinstance(statement.value, ast.Constant) and isinstance(statement.value.value, str):
                tablename = statement.value.value
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            fields.append(_field_fact(statement.target.id, statement, text, file))
    return ClassFact(
        name=node.name,
        bases=tuple(_last_part(_segment(text, b) or "") for b in node.bases),
        table=table,
        tablename=tablename,
        docstring=ast.get_docstring(node),
        fields=tuple(fields),
        origin=Origin(file, node.lineno, node.col_offset + 1),
    )


def _field_fact(name: str, statement: ast.AnnAssign, text: str, file: str) -> FieldFact:
    value = statement.value
    call = keywords = positional = None
    if isinstance(value, ast.Call):
        call_name = _last_part(_segment(text, value.func) or "")
        call = call_name if call_name in CALLS else None
        keywords = tuple((k.arg, _segment(text, k.value) or "") for k in value.keywords if k.arg is not None)
        positional = tuple(_segment(text, a) or "" for a in value.args)
    return FieldFact(
        name=name,
        annotation=_segment(text, statement.annotation),
        call=call,
        keywords=keywords or (),
        positional=positional or (),
        value=_segment(text, value) if value is not None else None,
        origin=Origin(file, statement.lineno, statement.col_offset + 1),
    )


def _last_part(dotted: str) -> str:
    return dotted.rsplit(".", 1)[-1].strip()


def target_files(target: str) -> list[str]:
    if target.endswith(".py") or "/" in target:
        return [target] if Path(target).is_file() else []
    import importlib.util

    module_name = target.partition(":")[0]
    try:
        spec = importlib.util.find_spec(module_name)
    except (ImportError, ValueError):
        return []
    return [spec.origin] if spec is not None and spec.origin and spec.origin.endswith(".py") else []


# --- reading annotations -------------------------------------------------------------------------

_WRAPPERS = re.compile(r"\b(?:Optional|List|list|Set|set|Sequence|Mapped|typing\.\w+)\[")


def annotated_class(annotation: str | None) -> str | None:
    """The class an annotation names: ``list["Hero"]`` → ``Hero``, ``Team | None`` → ``Team``."""
    if not annotation:
        return None
    text = _WRAPPERS.sub("", annotation).replace("]", "").replace('"', "").replace("'", "")
    parts = [p.strip() for p in text.split("|") if p.strip() and p.strip() != "None"]
    if len(parts) != 1:
        return None
    return _last_part(parts[0]) or None


def is_collection(annotation: str | None) -> bool:
    return bool(annotation) and bool(re.match(r"\s*['\"]?(?:list|List|set|Set|Sequence)\[", annotation or ""))
