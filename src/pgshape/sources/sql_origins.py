"""Where each object of a loaded SQL file was defined: origins for the IR read back from it.

The catalogs do not remember source lines, so after a script has run, its CREATE (and
``ALTER TABLE ... ADD``) statements are matched to the introspected objects by name. Names are
read from the statement's tokens (unquoted, folded to lower case unless quoted); an unqualified
name is taken to be in ``public``, which is right for the files pgshape sees (pg_dump output is
fully qualified). This is a best effort: an object whose statement is not recognised simply
keeps ``origin=None``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

from pgshape.model import Database, Function, Origin, Table, View
from pgshape.sources.sql_script import LineIndex, Statement, Token, tokens

T = TypeVar("T")
Key = tuple[str, str]

_CREATE_MODIFIERS = {
    "OR", "REPLACE", "GLOBAL", "LOCAL", "TEMP", "TEMPORARY", "UNLOGGED", "RECURSIVE", "UNIQUE",
    "CONSTRAINT", "TRUSTED", "PROCEDURAL",
}  # fmt: skip
_NAME_MODIFIERS = {"IF", "NOT", "EXISTS", "CONCURRENTLY", "ONLY"}
_TABLE_ELEMENT_KEYWORDS = {"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE", "LIKE"}


@dataclass
class _Found:
    """Origins by object kind, the first definition of each name winning."""

    relations: dict[Key, Origin] = field(default_factory=dict)  # tables, views, matviews
    types: dict[Key, Origin] = field(default_factory=dict)  # enums, composites, domains
    sequences: dict[Key, Origin] = field(default_factory=dict)
    functions: dict[Key, list[tuple[int, Origin]]] = field(default_factory=dict)  # (arg count, origin)
    schemas: dict[str, Origin] = field(default_factory=dict)
    extensions: dict[str, Origin] = field(default_factory=dict)
    # Keyed by (table schema, table, name):
    columns: dict[tuple[str, str, str], Origin] = field(default_factory=dict)
    constraints: dict[tuple[str, str, str], Origin] = field(default_factory=dict)
    primary_keys: dict[Key, Origin] = field(default_factory=dict)  # unnamed PRIMARY KEY clauses
    indexes: dict[tuple[str, str, str], Origin] = field(default_factory=dict)
    triggers: dict[tuple[str, str, str], Origin] = field(default_factory=dict)
    policies: dict[tuple[str, str, str], Origin] = field(default_factory=dict)


class _Reader:
    """Reads one statement's tokens and records the origins of what it defines."""

    def __init__(self, statement: Statement, file: str, lines: LineIndex, found: _Found) -> None:
        self.tokens = list(tokens(statement.text))
        self.base = statement.start
        self.file = file
        self.lines = lines
        self.found = found
        self.here = self.origin_at(0)

    def origin_at(self, index: int) -> Origin:
        offset = self.base + (self.tokens[index].start if index < len(self.tokens) else 0)
        line, column = self.lines.position(offset)
        return Origin(self.file, line, column)

    def word(self, index: int) -> str:
        return self.tokens[index].upper if index < len(self.tokens) else ""

    def is_name(self, index: int) -> bool:
        return index < len(self.tokens) and self.tokens[index].kind in ("word", "quoted")

    def skip(self, index: int, words: set[str]) -> int:
        while self.word(index) in words:
            index += 1
        return index

    def qualified_name(self, index: int) -> tuple[Key, int] | None:
        """``a``, ``s.a`` (or ``db.s.a``) at ``index``: ((schema, name), index after it)."""
        if not self.is_name(index):
            return None
        parts = [self.tokens[index].name]
        index += 1
        while index + 1 < len(self.tokens) and self.tokens[index].text == "." and self.is_name(index + 1):
            parts.append(self.tokens[index + 1].name)
            index += 2
        schema = parts[-2] if len(parts) > 1 else "public"
        return (schema, parts[-1]), index

    def find_word(self, index: int, word: str) -> int:
        while index < len(self.tokens) and self.word(index) != word:
            index += 1
        return index

    def matching_paren(self, index: int) -> int:
        """Index of the ``)`` closing the ``(`` at ``index`` (or the end)."""
        depth = 0
        for position in range(index, len(self.tokens)):
            text = self.tokens[position].text
            if text == "(":
                depth += 1
            elif text == ")":
                depth -= 1
                if depth == 0:
                    return position
        return len(self.tokens)

    # CREATE ...

    def create(self) -> None:
        index = self.skip(1, _CREATE_MODIFIERS)
        kind = self.word(index)
        if kind == "MATERIALIZED":
            index += 1
            kind = "VIEW"
        name_at = self.skip(index + 1, _NAME_MODIFIERS)
        handler = getattr(self, f"create_{kind.lower()}", None)
        if handler is not None:
            handler(name_at)

    def create_table(self, index: int) -> None:
        named = self.qualified_name(index)
        if named is None:
            return
        key, index = named
        self.found.relations.setdefault(key, self.here)
        if self.word(index) in ("PARTITION", "OF"):
            return  # columns come from the parent or the type
        if index < len(self.tokens) and self.tokens[index].text == "(":
            self.table_elements(key, index, self.matching_paren(index))

    def table_elements(self, table: Key, opening: int, closing: int) -> None:
        depth = 0
        element_start = True
        for index in range(opening, closing):
            token = self.tokens[index]
            if token.text == "(":
                depth += 1
                element_start = depth == 1
                continue
            if token.text == ")":
                depth -= 1
                continue
            if depth != 1:
                continue
            if token.text == ",":
                element_start = True
                continue
            word = token.upper
            if element_start and word not in _TABLE_ELEMENT_KEYWORDS and self.is_name(index):
                self.found.columns.setdefault((*table, token.name), self.origin_at(index))
            elif word == "CONSTRAINT" and self.is_name(index + 1):
                self.found.constraints.setdefault(
                    (*table, self.tokens[index + 1].name), self.origin_at(index)
                )
            elif word == "PRIMARY":
                self.found.primary_keys.setdefault(table, self.origin_at(index))
            element_start = False

    def create_view(self, index: int) -> None:
        named = self.qualified_name(index)
        if named is not None:
            self.found.relations.setdefault(named[0], self.here)

    def create_type(self, index: int) -> None:
        named = self.qualified_name(index)
        if named is not None:
            self.found.types.setdefault(named[0], self.here)

    create_domain = create_type

    def create_sequence(self, index: int) -> None:
        named = self.qualified_name(index)
        if named is not None:
            self.found.sequences.setdefault(named[0], self.here)

    def create_function(self, index: int) -> None:
        named = self.qualified_name(index)
        if named is None:
            return
        key, index = named
        count = 0
        if index < len(self.tokens) and self.tokens[index].text == "(":
            count = _count_arguments(self.tokens[index + 1 : self.matching_paren(index)])
        self.found.functions.setdefault(key, []).append((count, self.here))

    create_procedure = create_function
    create_aggregate = create_function

    def create_index(self, index: int) -> None:
        name = None
        if self.word(index) != "ON" and self.is_name(index):
            name = self.tokens[index].name
            index += 1
        on = self.find_word(index, "ON")
        named = self.qualified_name(self.skip(on + 1, {"ONLY"}))
        if name is not None and named is not None:
            self.found.indexes.setdefault((*named[0], name), self.here)

    def create_trigger(self, index: int) -> None:
        self.on_table_object(index, self.found.triggers)

    def create_policy(self, index: int) -> None:
        self.on_table_object(index, self.found.policies)

    def on_table_object(self, index: int, into: dict[tuple[str, str, str], Origin]) -> None:
        """``name ... ON table`` (triggers and policies)."""
        if not self.is_name(index):
            return
        name = self.tokens[index].name
        named = self.qualified_name(self.find_word(index + 1, "ON") + 1)
        if named is not None:
            into.setdefault((*named[0], name), self.here)

    def create_schema(self, index: int) -> None:
        if self.is_name(index) and self.word(index) != "AUTHORIZATION":
            self.found.schemas.setdefault(self.tokens[index].name, self.here)

    def create_extension(self, index: int) -> None:
        if self.is_name(index):
            self.found.extensions.setdefault(self.tokens[index].name, self.here)

    # ALTER TABLE ... ADD ...

    def alter(self) -> None:
        if self.word(1) != "TABLE":
            return
        named = self.qualified_name(self.skip(2, _NAME_MODIFIERS))
        if named is None:
            return
        table, index = named
        depth = 0
        for position in range(index, len(self.tokens)):
            text = self.tokens[position].text
            depth += (text == "(") - (text == ")")
            if depth == 0 and self.word(position) == "ADD":
                self.alter_add(table, position)

    def alter_add(self, table: Key, add: int) -> None:
        index = add + 1
        word = self.word(index)
        if word == "CONSTRAINT" and self.is_name(index + 1):
            self.found.constraints.setdefault((*table, self.tokens[index + 1].name), self.origin_at(add))
        elif word == "PRIMARY":
            self.found.primary_keys.setdefault(table, self.origin_at(add))
        elif word not in _TABLE_ELEMENT_KEYWORDS and word != "GENERATED":  # ALTER COLUMN .. ADD GENERATED
            index = self.skip(index, {"COLUMN", "IF", "NOT", "EXISTS"})
            if self.is_name(index):
                self.found.columns.setdefault((*table, self.tokens[index].name), self.origin_at(index))


def _count_arguments(argument_tokens: Sequence[Token]) -> int:
    """Input arguments in a CREATE FUNCTION argument list (OUT arguments are not identity)."""
    groups: list[list[Token]] = [[]]
    depth = 0
    for token in argument_tokens:
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth -= 1
        elif token.text == "," and depth == 0:
            groups.append([])
            continue
        groups[-1].append(token)
    return sum(1 for group in groups if group and group[0].upper not in ("OUT", "TABLE"))


def _count_identity_arguments(arguments: str) -> int:
    if not arguments.strip():
        return 0
    return _count_arguments(list(tokens(arguments)))


# --- applying -----------------------------------------------------------------------------


def collect(statements: Iterable[Statement], *, file: str, lines: LineIndex) -> _Found:
    found = _Found()
    for statement in statements:
        head = statement.text[:6].upper()
        if head == "CREATE":
            _Reader(statement, file, lines, found).create()
        elif head.startswith("ALTER"):
            _Reader(statement, file, lines, found).alter()
    return found


def apply_origins(
    database: Database, statements: Iterable[Statement], *, file: str, lines: LineIndex
) -> Database:
    """``database`` with the origins of the objects the statements define filled in."""
    found = collect(statements, file=file, lines=lines)
    return replace(
        database,
        schemas=tuple(_with(s, found.schemas.get(s.name)) for s in database.schemas),
        extensions=tuple(_with(e, found.extensions.get(e.name)) for e in database.extensions),
        enums=tuple(_with(e, found.types.get(e.key)) for e in database.enums),
        domains=tuple(_with(d, found.types.get(d.key)) for d in database.domains),
        composite_types=tuple(_with(c, found.types.get(c.key)) for c in database.composite_types),
        sequences=tuple(_with(s, found.sequences.get(s.key)) for s in database.sequences),
        tables=tuple(_table(t, found) for t in database.tables),
        views=tuple(_view(v, found) for v in database.views),
        functions=_functions(database.functions, found),
    )


def _with(obj: T, origin: Origin | None) -> T:
    if origin is None or getattr(obj, "origin", None) is not None:
        return obj
    return replace(obj, origin=origin)  # type: ignore[type-var]


def _table(table: Table, found: _Found) -> Table:
    def member(name: str, into: dict[tuple[str, str, str], Origin]) -> Origin | None:
        return into.get((table.schema, table.name, name))

    constraints = found.constraints
    primary_key = table.primary_key
    if primary_key is not None:
        origin = member(primary_key.name, constraints) or found.primary_keys.get(table.key)
        primary_key = _with(primary_key, origin)
    return replace(
        table,
        origin=table.origin or found.relations.get(table.key),
        columns=tuple(_with(c, member(c.name, found.columns)) for c in table.columns),
        primary_key=primary_key,
        foreign_keys=tuple(_with(c, member(c.name, constraints)) for c in table.foreign_keys),
        unique_constraints=tuple(_with(c, member(c.name, constraints)) for c in table.unique_constraints),
        check_constraints=tuple(_with(c, member(c.name, constraints)) for c in table.check_constraints),
        exclusion_constraints=tuple(
            _with(c, member(c.name, constraints)) for c in table.exclusion_constraints
        ),
        indexes=tuple(_with(i, member(i.name, found.indexes)) for i in table.indexes),
        triggers=tuple(_with(t, member(t.name, found.triggers)) for t in table.triggers),
        policies=tuple(_with(p, member(p.name, found.policies)) for p in table.policies),
    )


def _view(view: View, found: _Found) -> View:
    key = view.key
    return replace(
        view,
        origin=view.origin or found.relations.get(key),
        indexes=tuple(_with(i, found.indexes.get((*key, i.name))) for i in view.indexes),
        triggers=tuple(_with(t, found.triggers.get((*key, t.name))) for t in view.triggers),
    )


def _functions(functions: tuple[Function, ...], found: _Found) -> tuple[Function, ...]:
    """Overloads are told apart by their number of arguments, then by order of definition."""
    remaining = {key: list(candidates) for key, candidates in found.functions.items()}
    result = []
    for function in functions:
        candidates = remaining.get((function.schema, function.name), [])
        origin = None
        if len(candidates) == 1 and len(found.functions[(function.schema, function.name)]) == 1:
            origin = candidates[0][1]
        else:
            count = _count_identity_arguments(function.arguments)
            for position, (arguments, candidate) in enumerate(candidates):
                if arguments == count:
                    origin = candidate
                    del candidates[position]
                    break
        result.append(_with(function, origin))
    return tuple(result)
