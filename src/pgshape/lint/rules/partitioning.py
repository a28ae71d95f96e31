"""Partitioning (PART): keys that a partitioned table can enforce, and rows with nowhere to go."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pgshape.lint.core import Finding, Fix, LintContext, Rule, RuleDoc, Severity, rule
from pgshape.lint.helpers import object_path, table_path
from pgshape.lint.rules._shapes import derived_name
from pgshape.model import Table
from pgshape.render.identifiers import qualified, quote_ident

_NOT_APPLICABLE = (
    "# not applicable: SQLModel cannot declare partitioning "
    "(pgshape's SQLAlchemy source does not read postgresql_partition_by)\n"
)
_KEY_LIST = re.compile(r"^\s*(RANGE|LIST|HASH)\s*\((.*)\)\s*$", re.IGNORECASE | re.DOTALL)
_IDENTIFIER = re.compile(
    r'^\s*(?:"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*))\s*(?:COLLATE\s+\S+\s*)?(?:[A-Za-z_.]+_ops\s*)?$'
)


def partition_strategy(table: Table) -> str | None:
    match = _KEY_LIST.match(table.partition_by or "")
    return match.group(1).upper() if match else None


def partition_key_columns(table: Table) -> tuple[str, ...] | None:
    """The plain columns of the partition key, or None when it holds an expression."""
    match = _KEY_LIST.match(table.partition_by or "")
    if match is None:
        return None
    columns = []
    for part in _split_top_level(match.group(2)):
        found = _IDENTIFIER.match(part)
        if found is None:
            return None
        columns.append(found.group(1).replace('""', '"') if found.group(1) else found.group(2))
    return tuple(columns)


def _split_top_level(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in text:
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += char == "("
        depth -= char == ")"
        current += char
    parts.append(current)
    return parts


@rule(
    code="PART001",
    name="partition-key-not-in-unique",
    severity=Severity.ERROR,
    summary="PK/UNIQUE on a partitioned table that does not include the partition key",
    doc=RuleDoc(
        what=(
            "Finds primary keys, UNIQUE constraints and unique indexes on a partitioned table that do "
            "not include every partition key column. PostgreSQL refuses to create them, so this catches "
            "designs (models, design files) before they meet the server."
        ),
        why=(
            "Each partition can only check uniqueness within itself; PostgreSQL therefore requires the "
            "partition key in every unique key of a partitioned table, and the migration fails."
        ),
        example_sqlmodel=_NOT_APPLICABLE,
        example_sql="""\
-- postgresql refuses: the rule reports this design before it reaches the server.
CREATE TABLE event (
    id bigint GENERATED ALWAYS AS IDENTITY,
    occurred_at timestamp with time zone NOT NULL,
    PRIMARY KEY (id)
) PARTITION BY RANGE (occurred_at);
""",
        use_instead_sqlmodel=_NOT_APPLICABLE,
        use_instead_sql="""\
CREATE TABLE event (
    id bigint GENERATED ALWAYS AS IDENTITY,
    occurred_at timestamp with time zone NOT NULL,
    PRIMARY KEY (id, occurred_at)
) PARTITION BY RANGE (occurred_at);
""",
        fix="None: the key must change (add the partition key columns), and with it every foreign key to it.",
    ),
)
def partition_key_not_in_unique(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in context.database.tables:
        if not table.is_partitioned:
            continue
        key = partition_key_columns(table)
        uniques: list[tuple[str, tuple[str | None, ...]]] = []
        if table.primary_key is not None:
            uniques.append((table.primary_key.name, table.primary_key.columns))
        uniques += [(u.name, u.columns) for u in table.unique_constraints]
        uniques += [(i.name, i.columns) for i in table.indexes if i.unique]
        for name, columns in uniques:
            if key is None:
                message = f"{name} on {table.name}: a partition key with expressions allows no unique key"
            else:
                missing = [c for c in key if c not in columns]
                if not missing:
                    continue
                message = (
                    f"{name} on partitioned table {table.name} lacks "
                    f"partition key column(s) {', '.join(missing)}"
                )
            yield context.finding(self, object_path(table, name), message, origin=table.origin)


@rule(
    code="PART002",
    name="missing-default-partition",
    severity=Severity.INFO,
    summary="partitioned table with no default partition",
    doc=RuleDoc(
        what="Finds RANGE and LIST partitioned tables without a DEFAULT partition.",
        why=(
            "A row whose key falls outside every partition (next month's data before its partition is "
            "created, a new list value) is rejected with an error. A default partition catches it; "
            "monitor it and move rows out when the real partition is created."
        ),
        example_sqlmodel=_NOT_APPLICABLE,
        example_sql="""\
CREATE TABLE reading (
    sensor_id bigint NOT NULL,
    taken_on date NOT NULL
) PARTITION BY RANGE (taken_on);
CREATE TABLE reading_2025 PARTITION OF reading FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
""",
        use_instead_sqlmodel=_NOT_APPLICABLE,
        use_instead_sql="""\
CREATE TABLE reading (
    sensor_id bigint NOT NULL,
    taken_on date NOT NULL
) PARTITION BY RANGE (taken_on);
CREATE TABLE reading_2025 PARTITION OF reading FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE reading_default PARTITION OF reading DEFAULT;
""",
        fix=(
            "SQL (unsafe): `CREATE TABLE …_default PARTITION OF … DEFAULT` — out-of-range rows are then "
            "accepted instead of failing, and creating a later partition scans the default one."
        ),
    ),
)
def missing_default_partition(self: Rule, context: LintContext) -> Iterator[Finding]:
    with_default = {
        (t.partition_of.schema, t.partition_of.table)
        for t in context.database.tables
        if t.partition_of is not None and t.partition_of.bound.strip().upper() == "DEFAULT"
    }
    for table in context.database.tables:
        if partition_strategy(table) not in {"RANGE", "LIST"} or table.key in with_default:
            continue
        name = derived_name(table.name, "_default")
        sql = f"CREATE TABLE {qualified(table.schema, name)} PARTITION OF {qualified(*table.key)} DEFAULT;"
        yield context.finding(
            self,
            table_path(table),
            f"partitioned table {table.name} has no default partition: rows outside every range fail",
            origin=table.origin,
            fixes=(Fix(description=f"add default partition {quote_ident(name)}", safe=False, sql=sql),),
        )
