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
    inherited_from,
    own_foreign_keys,
    own_indexes,
    own_triggers,
    unique_shape,
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
            u for u in table.unique_constraints if unique_shape(u) not in inherited.uniques
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

    def own(self, db: Database, table: Table) -> Table:
        """``table`` as it declares itself (the same object when it has no parents)."""
        if not table.inherits and table.partition_of is None:
            return table
        return own_table(db, table)

    @cached_property
    def common_tables(self) -> list[tuple[Table, Table]]:
        """(before, after) own tables present on both sides *and different*, in name order.

        Equal tables are skipped before anything else is computed: in a large schema most
        tables do not change, and this keeps a diff of thousands of tables fast.
        """
        after = self.after.tables_by_key
        pairs = []
        for table in self.before.tables:
            twin = after.get(table.key)
            if twin is not None and twin != table:
                pairs.append((self.own(self.before, table), self.own(self.after, twin)))
        return pairs

    def note(self, message: str) -> None:
        self.notes.append(message)
