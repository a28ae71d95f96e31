"""What every per-kind comparator shares: both models, and each table's *own* objects.

A partition or inheritance child lists what PostgreSQL cloned from its parent (columns,
indexes, keys, foreign keys, checks, row triggers). Those follow the parent by themselves, so
comparators look only at what a table declares itself — the same rule the SQL renderer uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

from pgshape.model import Database, Table
from pgshape.render.sql_order import table_parents
from pgshape.render.sql_tables import (
    Inherited,
    _unique_shape,
    inherited_from,
    own_foreign_keys,
    own_indexes,
    own_triggers,
)


def _parents(db: Database, table: Table) -> tuple[Table, ...]:
    return tuple(parent for key in table_parents(table) if (parent := db.table(*key)) is not None)


def own_table(db: Database, table: Table) -> Table:
    """``table`` without the objects it receives from its parents."""
    inherited: Inherited = inherited_from(table, list(_parents(db, table)))
    pk = table.primary_key
    if pk is not None and pk.columns == inherited.primary_key:
        pk = None
    return replace(
        table,
        columns=tuple(c for c in table.columns if not c.inherited),
        primary_key=pk,
        foreign_keys=tuple(own_foreign_keys(table, inherited)),
        indexes=tuple(own_indexes(table, inherited)),
        triggers=tuple(own_triggers(table, inherited)),
        check_constraints=tuple(c for c in table.check_constraints if c.name not in inherited.checks),
        unique_constraints=tuple(
            u for u in table.unique_constraints if _unique_shape(u) not in inherited.uniques
        ),
        exclusion_constraints=tuple(
            x for x in table.exclusion_constraints if x.definition not in inherited.exclusions
        ),
    )


@dataclass
class Context:
    before: Database
    after: Database
    notes: list[str] = field(default_factory=list)

    def parents(self, db: Database, table: Table) -> tuple[Table, ...]:
        return _parents(db, table)

    @cached_property
    def own_before(self) -> dict[tuple[str, str], Table]:
        return {t.key: own_table(self.before, t) for t in self.before.tables}

    @cached_property
    def own_after(self) -> dict[tuple[str, str], Table]:
        return {t.key: own_table(self.after, t) for t in self.after.tables}

    @cached_property
    def common_tables(self) -> list[tuple[Table, Table]]:
        """(before, after) own tables present on both sides, in name order."""
        keys = sorted(self.own_before.keys() & self.own_after.keys())
        return [(self.own_before[k], self.own_after[k]) for k in keys]

    def note(self, message: str) -> None:
        self.notes.append(message)
