"""Renames: never inferred, only taken from hints — and suggested when a drop and an add look
alike.

Hints come from ``--rename old=new`` (tables: ``[schema.]old=new``; columns:
``[schema.]table.old=new``), from SQLModel / SQLAlchemy ``info={"renamed_from": "old"}`` on a
column (``Field(sa_column_kwargs={"info": {"renamed_from": "old"}})``) or in a table's
``__table_args__ = {"info": {"renamed_from": "old"}}``, and from a design file's
``renamed_from`` once the IR carries it.

``apply(before, after, hints)`` returns ``before`` with the renames made (what PostgreSQL would
describe after ``ALTER … RENAME``) and the rename operations; the diff then compares that with
``after``. References follow a rename — foreign keys, keys, index columns, partition parents,
sequence ownership, view dependencies — and so do bare mentions of a renamed column in the
table's own expressions (checks, defaults, index expressions and predicates, policies); anything
the text rewrite misses shows up as a changed object, and the proof catches a wrong one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Literal

from pgshape.errors import InputError
from pgshape.migrate.ops import (
    AddColumn,
    CreateTable,
    DropColumn,
    DropTable,
    Operation,
    RenameColumn,
    RenameTable,
)
from pgshape.model import Column, Database, Index, IndexKey, PartitionOf, Policy, Table
from pgshape.render.identifiers import quote_ident


@dataclass(frozen=True)
class RenameHint:
    kind: Literal["table", "column"]
    schema: str | None  # None: look the table up by name
    table: str  # the table's old name (for a column: the table's name in ``before``)
    old: str  # for a table: same as ``table``
    new: str

    def __str__(self) -> str:
        where = f"{self.schema}." if self.schema else ""
        if self.kind == "table":
            return f"{where}{self.old}={self.new}"
        return f"{where}{self.table}.{self.old}={self.new}"

    def inverted(self, db_after: Database) -> RenameHint:
        """The hint for the opposite direction (``new`` → ``old``). A column hint names its
        table by the name the table has in ``db_after`` (the TO side)."""
        if self.kind == "table":
            return RenameHint("table", self.schema, self.new, self.new, self.old)
        return RenameHint("column", self.schema, self.table, self.new, self.old)


def parse(text: str) -> tuple[str | None, list[str], str]:
    """``a.b.c=d`` → (None, ["a", "b", "c"], "d"); the new side may be qualified, its last part
    counts."""
    old, sep, new = text.partition("=")
    if not sep or not old.strip() or not new.strip():
        raise InputError(f"--rename expects old=new (e.g. public.users.email=email_address), got {text!r}")
    return None, [part for part in old.strip().split(".")], new.strip().split(".")[-1]


def resolve(texts: Iterable[str], before: Database) -> list[RenameHint]:
    """Turn ``--rename`` values into hints, deciding table or column against ``before``."""
    hints = []
    for text in texts:
        _, parts, new = parse(text)
        if len(parts) == 1:
            hints.append(RenameHint("table", None, parts[0], parts[0], new))
        elif len(parts) == 2:
            schema_table = before.table(parts[0], parts[1])
            if schema_table is not None:
                hints.append(RenameHint("table", parts[0], parts[1], parts[1], new))
            else:
                hints.append(RenameHint("column", None, parts[0], parts[1], new))
        elif len(parts) == 3:
            hints.append(RenameHint("column", parts[0], parts[1], parts[2], new))
        else:
            raise InputError(f"--rename {text!r}: expected [schema.]table=new or [schema.]table.column=new")
    return hints


def hints_from_metadata(metadata: Any) -> list[RenameHint]:
    """``renamed_from`` in the ``info`` of SQLAlchemy tables and columns (SQLModel included)."""
    hints = []
    for table in metadata.tables.values():
        schema = table.schema or "public"
        table_old = table.info.get("renamed_from") if table.info else None
        if table_old:
            hints.append(RenameHint("table", schema, str(table_old), str(table_old), table.name))
        for column in table.columns:
            old = column.info.get("renamed_from") if column.info else None
            if old:
                owner = str(table_old) if table_old else table.name
                hints.append(RenameHint("column", schema, owner, str(old), column.name))
    return hints


# Applying hints ---------------------------------------------------------------------------------


def _find(db: Database, hint: RenameHint) -> Table:
    table = db.table(hint.schema, hint.table) if hint.schema is not None else db.find_table(hint.table)
    if table is None:
        raise InputError(f"rename {hint}: no table {hint.table!r} in FROM")
    return table


def _mention(name: str) -> re.Pattern[str]:
    # A bare or quoted identifier not preceded by a dot (a qualified name of something else).
    quoted = re.escape(quote_ident(name))
    return re.compile(rf'(?<![\w$."]){quoted}(?![\w$"])')


def _rewrite(text: str | None, old: str, new: str) -> str | None:
    if text is None:
        return None
    return _mention(old).sub(quote_ident(new).replace("\\", "\\\\"), text)


def _rename_column_in_table(table: Table, old: str, new: str) -> Table:
    def cols(names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(new if n == old else n for n in names)

    def column(c: Column) -> Column:
        c = replace(c, name=new) if c.name == old else c
        default = _rewrite(c.default, old, new)
        generated = (
            replace(c.generated, expression=_rewrite(c.generated.expression, old, new) or "")
            if c.generated
            else None
        )
        return replace(c, default=default, generated=generated)

    def key(k: IndexKey) -> IndexKey:
        if k.column == old:
            return replace(k, column=new)
        return replace(k, expression=_rewrite(k.expression, old, new)) if k.expression else k

    def index(i: Index) -> Index:
        return replace(
            i,
            keys=tuple(key(k) for k in i.keys),
            include=cols(i.include),
            predicate=_rewrite(i.predicate, old, new),
        )

    def policy(p: Policy) -> Policy:
        return replace(p, using=_rewrite(p.using, old, new), with_check=_rewrite(p.with_check, old, new))

    pk = table.primary_key
    return replace(
        table,
        columns=tuple(column(c) for c in table.columns),
        primary_key=replace(pk, columns=cols(pk.columns), include=cols(pk.include)) if pk else None,
        unique_constraints=tuple(
            replace(u, columns=cols(u.columns), include=cols(u.include)) for u in table.unique_constraints
        ),
        foreign_keys=tuple(
            replace(fk, columns=cols(fk.columns), on_delete_columns=cols(fk.on_delete_columns))
            for fk in table.foreign_keys
        ),
        check_constraints=tuple(
            replace(c, expression=_rewrite(c.expression, old, new) or "") for c in table.check_constraints
        ),
        indexes=tuple(index(i) for i in table.indexes),
        policies=tuple(policy(p) for p in table.policies),
    )


def _rename_column(db: Database, key: tuple[str, str], old: str, new: str) -> Database:
    tables = []
    for table in db.tables:
        if table.key == key:
            table = _rename_column_in_table(table, old, new)
        fks = tuple(
            replace(fk, referenced_columns=tuple(new if c == old else c for c in fk.referenced_columns))
            if fk.referenced == key
            else fk
            for fk in table.foreign_keys
        )
        tables.append(replace(table, foreign_keys=fks))
    sequences = tuple(
        replace(s, owned_by=(key[0], key[1], new)) if s.owned_by == (key[0], key[1], old) else s
        for s in db.sequences
    )
    return db.with_changes(tables=tuple(tables), sequences=sequences)


def _rename_table(db: Database, key: tuple[str, str], new: str) -> Database:
    new_key = (key[0], new)

    def ref(k: tuple[str, str]) -> tuple[str, str]:
        return new_key if k == key else k

    tables = []
    for table in db.tables:
        if table.key == key:
            table = replace(table, name=new)
        of = table.partition_of
        if of is not None and (of.schema, of.table) == key:
            table = replace(table, partition_of=PartitionOf(of.schema, new, of.bound))
        fks = tuple(
            replace(fk, referenced_table=new) if fk.referenced == key else fk for fk in table.foreign_keys
        )
        tables.append(replace(table, foreign_keys=fks, inherits=tuple(ref(k) for k in table.inherits)))
    sequences = tuple(
        replace(s, owned_by=(key[0], new, s.owned_by[2])) if s.owned_by and s.owned_by[:2] == key else s
        for s in db.sequences
    )
    views = tuple(replace(v, depends_on=tuple(ref(k) for k in v.depends_on)) for v in db.views)
    return db.with_changes(tables=tuple(tables), sequences=sequences, views=views)


def apply(before: Database, after: Database, hints: Iterable[RenameHint]) -> tuple[Database, list[Operation]]:
    """``before`` with the renames made, and the rename operations (tables first)."""
    hints = list(hints)
    ops: list[Operation] = []
    table_names: dict[tuple[str, str], str] = {}
    for hint in (h for h in hints if h.kind == "table"):
        table = _find(before, hint)
        if hint.new == table.name:
            continue
        if after.table(table.schema, hint.new) is None:
            raise InputError(f"rename {hint}: TO has no table {table.schema}.{hint.new}")
        if before.table(table.schema, hint.new) is not None:
            raise InputError(f"rename {hint}: FROM already has a table {table.schema}.{hint.new}")
        ops.append(RenameTable(table.key, hint.new))
        table_names[table.key] = hint.new
        before = _rename_table(before, table.key, hint.new)
    for hint in (h for h in hints if h.kind == "column"):
        found = _find_renamed(before, hint, table_names)
        if found.column(hint.old) is None:
            raise InputError(
                f"rename {hint}: table {found.schema}.{found.name} has no column {hint.old!r} in FROM"
            )
        target = after.table(*found.key)
        if target is None or target.column(hint.new) is None:
            raise InputError(f"rename {hint}: TO has no column {found.schema}.{found.name}.{hint.new}")
        if found.column(hint.new) is not None:
            raise InputError(f"rename {hint}: FROM already has a column {hint.new!r}")
        ops.append(RenameColumn(found.key, hint.old, hint.new))
        before = _rename_column(before, found.key, hint.old, hint.new)
    return before, ops


def _find_renamed(db: Database, hint: RenameHint, table_names: dict[tuple[str, str], str]) -> Table:
    """The table of a column hint, which may name it by its old name if it was renamed too."""
    for (schema, old), new in table_names.items():
        if hint.table == old and hint.schema in (None, schema):
            found = db.table(schema, new)
            if found is not None:
                return found
    return _find(db, hint)


# Suggestions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    hint: RenameHint
    reason: str

    def __str__(self) -> str:
        return f"--rename {self.hint}  ({self.reason})"


def _column_shape(column: Column) -> tuple[object, ...]:
    return (column.type, column.nullable, column.identity is not None, column.generated is not None)


def _table_shape(table: Table) -> tuple[tuple[object, ...], ...]:
    return tuple((c.name, c.type) for c in table.columns)


def suggest(operations: Iterable[Operation]) -> list[Suggestion]:
    """Likely renames: in one table, a dropped and an added column of the same type; a dropped
    and a created table with the same columns."""
    ops = list(operations)
    found: list[Suggestion] = []
    dropped_cols = [op for op in ops if isinstance(op, DropColumn)]
    added_cols = [op for op in ops if isinstance(op, AddColumn)]
    for drop in dropped_cols:
        candidates = [
            a
            for a in added_cols
            if a.table == drop.table and _column_shape(a.column) == _column_shape(drop.column)
        ]
        if len(candidates) == 1:
            add = candidates[0]
            hint = RenameHint("column", drop.table[0], drop.table[1], drop.column.name, add.column.name)
            found.append(
                Suggestion(
                    hint, f"{drop.column.name} dropped and {add.column.name} added, both {drop.column.type}"
                )
            )
    dropped_tables = [op for op in ops if isinstance(op, DropTable)]
    created_tables = [op for op in ops if isinstance(op, CreateTable)]
    for drop in dropped_tables:
        candidates = [
            c
            for c in created_tables
            if c.table.schema == drop.table.schema and _table_shape(c.table) == _table_shape(drop.table)
        ]
        if len(candidates) == 1:
            new = candidates[0].table.name
            hint = RenameHint("table", drop.table.schema, drop.table.name, drop.table.name, new)
            found.append(
                Suggestion(hint, f"{drop.table.name} dropped and {new} created with the same columns")
            )
    return found
