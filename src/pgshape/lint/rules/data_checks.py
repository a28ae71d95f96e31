"""Data checks of the IDX and TYP groups that need a live database sample.

They live here (not in indexes.py / types.py) because they read :class:`DataSample` rather than
only the schema; the codes follow the RULES.md order of their groups.
"""

from __future__ import annotations

from collections.abc import Iterator

from pgshape.lint.core import Finding, Fix, LintContext, Rule, RuleDoc, Severity, rule
from pgshape.lint.data import typed_text
from pgshape.lint.helpers import column_path, is_texty, object_path, user_tables
from pgshape.lint.rules._shapes import key_columns
from pgshape.render.identifiers import qualified, quote_ident

_NOT_APPLICABLE_SQLMODEL = (
    "# not applicable: a data rule (needs a live database); SQLModel cannot declare {what}\n"
)


@rule(
    code="IDX008",
    name="invalid-index",
    severity=Severity.ERROR,
    summary="index left INVALID by a failed concurrent build",
    needs_data=True,
    doc=RuleDoc(
        what=(
            "Finds indexes PostgreSQL marks INVALID: a `CREATE INDEX CONCURRENTLY` that failed or was "
            "cancelled, or an index created `ON ONLY` a partitioned table whose partitions' indexes "
            "were never attached."
        ),
        why=(
            "An invalid index is never used to read, yet every write still maintains it: all the cost, "
            "none of the benefit. An invalid unique index enforces nothing. Queries that were planned "
            "around it silently fall back to scans."
        ),
        example_sqlmodel=_NOT_APPLICABLE_SQLMODEL.format(what="an index's validity"),
        example_sql="""\
CREATE TABLE measurement (
    id bigint NOT NULL,
    taken_on date NOT NULL,
    PRIMARY KEY (id, taken_on)
) PARTITION BY RANGE (taken_on);
CREATE TABLE measurement_2025 PARTITION OF measurement
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX measurement_taken_on_idx ON ONLY measurement (taken_on);
""",
        use_instead_sqlmodel=_NOT_APPLICABLE_SQLMODEL.format(what="an index's validity"),
        use_instead_sql="""\
CREATE TABLE measurement (
    id bigint NOT NULL,
    taken_on date NOT NULL,
    PRIMARY KEY (id, taken_on)
) PARTITION BY RANGE (taken_on);
CREATE TABLE measurement_2025 PARTITION OF measurement
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX measurement_taken_on_idx ON ONLY measurement (taken_on);
CREATE INDEX CONCURRENTLY measurement_2025_taken_on_idx ON measurement_2025 (taken_on);
ALTER INDEX measurement_taken_on_idx ATTACH PARTITION measurement_2025_taken_on_idx;
""",
        fix=(
            "SQL (safe): `REINDEX INDEX CONCURRENTLY …` rebuilds "
            "it without blocking writes (PostgreSQL 12+). "
            "For an index on a partitioned table: create each partition's index concurrently and "
            "`ALTER INDEX … ATTACH PARTITION` it; the parent becomes valid when all are attached."
        ),
    ),
)
def invalid_index(self: Rule, context: LintContext) -> Iterator[Finding]:
    if context.data is None:
        return
    tables = {t.key: t for t in context.database.tables}
    for schema, table_name, index_name in sorted(context.data.invalid_indexes):
        table = tables.get((schema, table_name))
        if table is None:
            continue
        index = next((i for i in table.indexes if i.name == index_name), None)
        origin = index.origin if index is not None else table.origin
        fixes: tuple[Fix, ...] = ()
        if table.is_partitioned:
            message = (
                f"index {index_name} on partitioned table {table_name} is INVALID: "
                "attach an index of every partition"
            )
        else:
            message = f"index {index_name} on {table_name} is INVALID (a failed concurrent build?)"
            sql = f"REINDEX INDEX CONCURRENTLY {qualified(schema, index_name)};"
            fixes = (Fix(description=f"rebuild {index_name}", safe=True, sql=sql),)
        yield context.finding(
            self,
            object_path(table, index_name),
            message,
            origin=origin,
            fixes=fixes,
            evidence={"catalog": "pg_index.indisvalid = false"},
        )


@rule(
    code="TYP008",
    name="text-holds-typed-values",
    severity=Severity.INFO,
    summary="text column whose sampled values are all uuids/dates/integers",
    needs_data=True,
    doc=RuleDoc(
        what=(
            "Samples text columns of a live database and finds those where every value parses as one "
            "type: uuids, timestamps, dates, integers, decimals or booleans."
        ),
        why=(
            "Stored as text, `'2024-02-30'` and `'12a'` are accepted, `'10' < '9'` sorts wrong, uuids take "
            "more than twice the space, and every query has to cast. The real type validates on write."
        ),
        example_sqlmodel=_NOT_APPLICABLE_SQLMODEL.format(what="rows"),
        example_sql="""\
CREATE TABLE shipment (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shipped_on text NOT NULL
);
INSERT INTO shipment (shipped_on)
SELECT (date '2025-01-01' + n)::text FROM generate_series(1, 50) AS n;
""",
        use_instead_sqlmodel=_NOT_APPLICABLE_SQLMODEL.format(what="rows"),
        use_instead_sql="""\
CREATE TABLE shipment (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shipped_on date NOT NULL
);
INSERT INTO shipment (shipped_on)
SELECT date '2025-01-01' + n FROM generate_series(1, 50) AS n;
""",
        fix=(
            "SQL (unsafe): `ALTER TABLE … ALTER COLUMN … TYPE date USING col::date` rewrites the table "
            "under an ACCESS EXCLUSIVE lock and fails on any value outside the sample that does not parse."
        ),
    ),
)
def text_holds_typed_values(self: Rule, context: LintContext) -> Iterator[Finding]:
    if context.data is None:
        return
    for table in user_tables(context.database):
        sample = context.data.table(table.key)
        if sample is None:
            continue
        keys = key_columns(table)
        for column in table.columns:
            if not is_texty(column) or column.is_array or column.name in keys or not sample.has(column.name):
                continue
            found = typed_text(sample.values(column.name))
            if found is None:
                continue
            name = quote_ident(column.name)
            sql = (
                f"ALTER TABLE {qualified(*table.key)} ALTER COLUMN {name} "
                f"TYPE {found.suggested_type} USING {name}::{found.suggested_type};"
            )
            yield context.finding(
                self,
                column_path(table, column.name),
                f"{table.name}.{column.name} is {column.type} but all {found.values} sampled values are "
                f"{found.kind}s; consider {found.suggested_type}",
                origin=column.origin,
                fixes=(Fix(description=f"change the type to {found.suggested_type}", safe=False, sql=sql),),
                evidence=found.evidence(),
            )
