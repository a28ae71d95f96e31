"""Documentation (DOC): what a table (or column) is for, kept in the catalog next to it."""

from __future__ import annotations

from collections.abc import Iterator

from pgshape.lint.core import Finding, LintContext, Rule, RuleDoc, Severity, rule
from pgshape.lint.helpers import column_path, table_path, user_tables
from pgshape.lint.rules._shapes import class_of, is_link_table


@rule(
    code="DOC001",
    name="missing-table-comment",
    severity=Severity.INFO,
    summary="table without a comment / model without a docstring",
    doc=RuleDoc(
        what=(
            "Finds tables without a comment (in SQLModel sources: table models with neither a docstring "
            "nor a table comment). Link tables and partitions are left alone."
        ),
        why=(
            "The name says what a table holds, rarely why it exists or what a row means (one row per "
            "order, or per order attempt?). A comment travels with the schema into every tool, ERD and "
            "data dictionary."
        ),
        example_sqlmodel="""\
from sqlmodel import Field, SQLModel


class Shipment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    carrier: str
""",
        example_sql="""\
CREATE TABLE shipment (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    carrier text NOT NULL
);
""",
        use_instead_sqlmodel='''\
from sqlmodel import Field, SQLModel


class Shipment(SQLModel, table=True):
    """One parcel handed to a carrier; an order may ship in several."""

    id: int | None = Field(default=None, primary_key=True)
    carrier: str
''',
        use_instead_sql="""\
CREATE TABLE shipment (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    carrier text NOT NULL
);
COMMENT ON TABLE shipment IS 'One parcel handed to a carrier; an order may ship in several.';
""",
        fix="None: only you know what the table is for.",
    ),
)
def missing_table_comment(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        if table.comment or is_link_table(table):
            continue
        cls = class_of(context, table)
        if cls is not None and cls.docstring:
            continue
        what = "model has no docstring" if cls is not None else "table has no comment"
        yield context.finding(self, table_path(table), f"{table.name}: {what}", origin=table.origin)


@rule(
    code="DOC002",
    name="missing-column-comment",
    severity=Severity.INFO,
    summary="off by default; configurable",
    enabled_by_default=False,
    doc=RuleDoc(
        what=(
            "Finds columns without a comment, except primary and foreign key columns, whose meaning is "
            "their reference. Off by default: select `missing-column-comment` (or `DOC002`) to use it."
        ),
        why=(
            "Units, time zones, allowed values and who writes a column are invisible in its type; a "
            "comment keeps them with the column for everyone reading the catalog."
        ),
        example_sqlmodel="""\
from sqlmodel import Field, SQLModel


class Shipment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    weight: int
""",
        example_sql="""\
CREATE TABLE shipment (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    weight integer NOT NULL
);
""",
        use_instead_sqlmodel="""\
from sqlmodel import Field, SQLModel


class Shipment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    weight: int = Field(sa_column_kwargs={"comment": "grams, as weighed by the carrier"})
""",
        use_instead_sql="""\
CREATE TABLE shipment (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    weight integer NOT NULL
);
COMMENT ON COLUMN shipment.weight IS 'grams, as weighed by the carrier';
""",
        fix="None: only you know what the column means.",
    ),
)
def missing_column_comment(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        skip = set(table.primary_key.columns) if table.primary_key else set()
        skip |= {c for fk in table.foreign_keys for c in fk.columns}
        for column in table.columns:
            if column.comment or column.inherited or column.name in skip:
                continue
            yield context.finding(
                self,
                column_path(table, column.name),
                f"{table.name}.{column.name} has no comment",
                origin=column.origin,
            )
