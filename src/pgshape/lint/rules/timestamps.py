"""Timestamps (TS): when a row was created and last changed, recorded by the database."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pgshape.lint.core import Finding, Fix, LintContext, Rule, RuleDoc, Severity, rule
from pgshape.lint.helpers import column_path, is_timestamp, table_path, user_tables
from pgshape.lint.rules._shapes import (
    class_of,
    created_column,
    derived_name,
    is_append_only,
    mentions_column,
    needs_timestamps,
    source_facts,
    updated_column,
)
from pgshape.model import Column, Function, Table
from pgshape.render.identifiers import qualified, quote_ident

_SQLMODEL_HEADER = """\
from datetime import datetime

from sqlalchemy import DateTime, func
from sqlmodel import Field, SQLModel

"""
_CREATED_FIELD = (
    "    created_at: datetime = Field(\n"
    '        sa_type=DateTime(timezone=True), sa_column_kwargs={"server_default": func.now()}\n'
    "    )\n"
)
_UPDATED_FIELD = (
    "    updated_at: datetime = Field(\n"
    "        sa_type=DateTime(timezone=True),\n"
    '        sa_column_kwargs={"server_default": func.now(), "onupdate": func.now()},\n'
    "    )\n"
)
_TRIGGER_SQL = """\
CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;
CREATE TRIGGER invoice_set_updated_at BEFORE UPDATE ON invoice
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
"""


def _add_column_fix(table: Table, name: str) -> Fix:
    sql = (
        f"ALTER TABLE {qualified(*table.key)} ADD COLUMN {quote_ident(name)} "
        "timestamp with time zone NOT NULL DEFAULT now();"
    )
    # Existing rows get the migration's time, which is invented data: unsafe.
    return Fix(description=f"add {name} (existing rows get the migration time)", safe=False, sql=sql)


# --- TS001 --------------------------------------------------------------------------------------


@rule(
    code="TS001",
    name="missing-created-at",
    severity=Severity.WARNING,
    summary="table (not a link table) without `created_at`",
    doc=RuleDoc(
        what=(
            "Finds tables without a creation timestamp (`created_at`, or a common synonym such as "
            "`inserted_at`). Link tables, small lookup tables and partitions are left alone."
        ),
        why=(
            "When a row appeared is the first question of every support ticket, audit and data fix, "
            "and it cannot be recovered later. A server default (`now()`) records it for every writer."
        ),
        example_sqlmodel=_SQLMODEL_HEADER.replace("from datetime import datetime\n\n", "").replace(
            "from sqlalchemy import DateTime, func\n", ""
        )
        + """
class Invoice(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    number: str
    total_cents: int
""",
        example_sql="""\
CREATE TABLE invoice (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number text NOT NULL,
    total_cents bigint NOT NULL
);
""",
        use_instead_sqlmodel=_SQLMODEL_HEADER
        + """
class Invoice(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    number: str
    total_cents: int
"""
        + _CREATED_FIELD,
        use_instead_sql="""\
CREATE TABLE invoice (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number text NOT NULL,
    total_cents bigint NOT NULL,
    created_at timestamp with time zone NOT NULL DEFAULT now()
);
""",
        fix=(
            "SQL (unsafe): `ALTER TABLE … ADD COLUMN created_at timestamptz NOT NULL DEFAULT now()` — "
            "no table rewrite, but existing rows get the migration's time, not their real creation time."
        ),
    ),
)
def missing_created_at(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        if needs_timestamps(table) and created_column(table) is None:
            yield context.finding(
                self,
                table_path(table),
                f"{table.name} has no created_at column",
                origin=table.origin,
                fixes=(_add_column_fix(table, "created_at"),),
            )


# --- TS002 --------------------------------------------------------------------------------------


@rule(
    code="TS002",
    name="missing-updated-at",
    severity=Severity.WARNING,
    summary="mutable table without `updated_at`",
    doc=RuleDoc(
        what=(
            "Finds tables whose rows are edited but that have no `updated_at` (or a synonym such as "
            "`modified_at`, `last_update`). Link tables, lookup tables and append-only tables (logs, "
            "events, audit, history) are left alone."
        ),
        why=(
            "Without it nobody can tell which rows changed since yesterday: incremental exports, cache "
            "invalidation and debugging all need it."
        ),
        example_sqlmodel=_SQLMODEL_HEADER
        + """
class Invoice(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    number: str
    total_cents: int
"""
        + _CREATED_FIELD,
        example_sql="""\
CREATE TABLE invoice (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number text NOT NULL,
    total_cents bigint NOT NULL,
    created_at timestamp with time zone NOT NULL DEFAULT now()
);
""",
        use_instead_sqlmodel=_SQLMODEL_HEADER
        + """
class Invoice(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    number: str
    total_cents: int
"""
        + _CREATED_FIELD
        + _UPDATED_FIELD,
        use_instead_sql="""\
CREATE TABLE invoice (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number text NOT NULL,
    total_cents bigint NOT NULL,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now()
);
"""
        + _TRIGGER_SQL,
        fix=(
            "SQL (unsafe): add `updated_at timestamptz NOT NULL DEFAULT now()`; existing rows get the "
            "migration's time. Keep it current with a BEFORE UPDATE trigger or an ORM `onupdate`."
        ),
    ),
)
def missing_updated_at(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        if not needs_timestamps(table) or is_append_only(table) or updated_column(table) is not None:
            continue
        yield context.finding(
            self,
            table_path(table),
            f"{table.name} has no updated_at column",
            origin=table.origin,
            fixes=(_add_column_fix(table, "updated_at"),),
        )


# --- TS003 --------------------------------------------------------------------------------------


def _maintained_by_trigger(functions: dict[str, Function], table: Table, column: Column) -> bool:
    """A BEFORE UPDATE row trigger whose function sets the column (or whose body we cannot see)."""
    for trigger in table.triggers:
        if trigger.timing != "BEFORE" or "UPDATE" not in trigger.events or not trigger.for_each_row:
            continue
        function = functions.get(trigger.function) or functions.get(f"public.{trigger.function}")
        if function is None or mentions_column(function.definition, column.name):
            return True
    return False


def _maintained_by_orm(context: LintContext, table: Table, column: Column) -> bool:
    cls = class_of(context, table)
    facts = source_facts(context)
    if cls is None or facts is None:
        return False
    for fact in facts.all_fields(cls):
        if fact.name == column.name and "onupdate" in (fact.value or ""):
            return True
    return False


@rule(
    code="TS003",
    name="updated-at-never-updated",
    severity=Severity.WARNING,
    summary="`updated_at` with no trigger and no ORM onupdate",
    doc=RuleDoc(
        what=(
            "Finds `updated_at` columns (and synonyms) that nothing keeps current: no BEFORE UPDATE row "
            "trigger sets them, and (in SQLModel sources) the field has no `onupdate`."
        ),
        why=(
            "A server default fills `updated_at` once, at insert. Without a trigger or `onupdate` it "
            "keeps the creation time forever and every consumer that trusts it is wrong."
        ),
        example_sqlmodel=_SQLMODEL_HEADER
        + """
class Invoice(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    number: str
    total_cents: int
"""
        + _CREATED_FIELD
        + _UPDATED_FIELD.replace(', "onupdate": func.now()', ""),
        example_sql="""\
CREATE TABLE invoice (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number text NOT NULL,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now()
);
""",
        use_instead_sqlmodel=_SQLMODEL_HEADER
        + """
class Invoice(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    number: str
    total_cents: int
"""
        + _CREATED_FIELD
        + _UPDATED_FIELD,
        use_instead_sql="""\
CREATE TABLE invoice (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number text NOT NULL,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now()
);
"""
        + _TRIGGER_SQL,
        fix=(
            "SQL (unsafe: it changes what every UPDATE writes): a trigger function setting the column "
            "to `now()` and a BEFORE UPDATE trigger. In SQLModel, add "
            '`sa_column_kwargs={"onupdate": func.now()}` (this only covers writes made through the ORM).'
        ),
    ),
)
def updated_at_never_updated(self: Rule, context: LintContext) -> Iterator[Finding]:
    functions = {f"{f.schema}.{f.name}": f for f in context.database.functions}
    for table in user_tables(context.database):
        column = updated_column(table)
        if column is None or not (is_timestamp(column) or column.type == "date") or column.generated:
            continue
        if _maintained_by_trigger(functions, table, column) or _maintained_by_orm(context, table, column):
            continue
        function = qualified(table.schema, derived_name(f"{table.name}_{column.name}", prefix="set_"))
        sql = (
            f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n    NEW.{quote_ident(column.name)} := now();\n    RETURN NEW;\nEND;\n$$;\n"
            f"CREATE TRIGGER {quote_ident(derived_name(f'{table.name}_set_{column.name}'))} BEFORE UPDATE ON "
            f"{qualified(*table.key)}\n    FOR EACH ROW EXECUTE FUNCTION {function}();"
        )
        yield context.finding(
            self,
            column_path(table, column.name),
            f"{table.name}.{column.name} is never updated: no BEFORE UPDATE trigger and no ORM onupdate",
            origin=column.origin,
            fixes=(Fix(description=f"keep {column.name} current with a trigger", safe=False, sql=sql),),
        )


# --- TS004 --------------------------------------------------------------------------------------

# datetime.utcnow / datetime.now / datetime.today, referenced or called without a tz argument.
_NAIVE_FACTORY = re.compile(r"(?:^|\.)(?:utcnow|now|today)\s*(?:\(\s*\))?$")


def _naive_python_default(text: str | None) -> bool:
    if not text or "datetime" not in text:
        return False
    body = text.strip()
    if body.startswith("lambda"):
        body = body.partition(":")[2].strip()
    return bool(_NAIVE_FACTORY.search(body))


@rule(
    code="TS004",
    name="naive-datetime-default",
    severity=Severity.WARNING,
    summary="Python default `datetime.utcnow`/`datetime.now()` without tz, or no server default",
    doc=RuleDoc(
        what=(
            "Finds creation/update timestamps filled by a naive Python default (`datetime.utcnow`, "
            "`datetime.now()` without a time zone) and creation/update timestamps with no server "
            "default at all."
        ),
        why=(
            "A naive datetime is written as local wall-clock time and read back in the session's time "
            "zone: rows written from two servers disagree by hours. `datetime.utcnow` is deprecated for "
            "that reason. Without a server default, rows inserted by SQL scripts, other services or "
            "bulk loads get NULL or fail."
        ),
        example_sqlmodel="""\
from datetime import datetime

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel


class Invoice(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    number: str
    created_at: datetime = Field(default_factory=datetime.utcnow, sa_type=DateTime(timezone=True))
""",
        example_sql="""\
CREATE TABLE invoice (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number text NOT NULL,
    created_at timestamp with time zone NOT NULL
);
""",
        use_instead_sqlmodel="""\
from datetime import datetime, timezone

from sqlalchemy import DateTime, func
from sqlmodel import Field, SQLModel


class Invoice(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    number: str
    created_at: datetime = Field(
        default_factory=lambda: datetime.now(timezone.utc),
        sa_type=DateTime(timezone=True),
        sa_column_kwargs={"server_default": func.now()},
    )
""",
        use_instead_sql="""\
CREATE TABLE invoice (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number text NOT NULL,
    created_at timestamp with time zone NOT NULL DEFAULT now()
);
""",
        fix=(
            "SQL (safe): `ALTER TABLE … ALTER COLUMN … SET DEFAULT now()` (affects only later inserts). "
            "In Python, use `datetime.now(timezone.utc)` and a `server_default`."
        ),
    ),
)
def naive_datetime_default(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        cls = class_of(context, table)
        facts = source_facts(context)
        python_fields = {f.name: f for f in facts.all_fields(cls)} if cls is not None and facts else {}
        for column in (created_column(table), updated_column(table)):
            if column is None or column.generated is not None:
                continue
            path = column_path(table, column.name)
            fact = python_fields.get(column.name)
            if fact is not None and (
                _naive_python_default(fact.keyword("default_factory"))
                or _naive_python_default(fact.keyword("default"))
            ):
                yield context.finding(
                    self,
                    path,
                    f"{table.name}.{column.name} defaults to a naive Python datetime; "
                    "use datetime.now(timezone.utc) and a server default",
                    origin=fact.origin or column.origin,
                )
            elif column.default is None and (is_timestamp(column) or column.type == "date"):
                sql = (
                    f"ALTER TABLE {qualified(*table.key)} ALTER COLUMN "
                    f"{quote_ident(column.name)} SET DEFAULT now();"
                )
                yield context.finding(
                    self,
                    path,
                    f"{table.name}.{column.name} has no server default: "
                    "rows written outside the app get no time",
                    origin=column.origin,
                    fixes=(Fix(description=f"default {column.name} to now()", safe=True, sql=sql),),
                )
