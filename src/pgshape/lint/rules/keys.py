"""KEY: primary keys and natural keys."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pgshape.lint.core import Finding, Fix, LintContext, Rule, RuleDoc, Severity, rule
from pgshape.lint.fix_targets import field_edit, index_name
from pgshape.lint.helpers import (
    base_type,
    column_path,
    is_link_table,
    object_path,
    sequence_default,
    table_path,
    user_tables,
)
from pgshape.model import Column, Index, Table
from pgshape.render.identifiers import qualified, quote_ident

SM = "from sqlmodel import Field, SQLModel\n\n\n"


@rule(
    code="KEY001",
    name="missing-primary-key",
    severity=Severity.ERROR,
    summary="table without a primary key",
    doc=RuleDoc(
        what="Finds tables that have no primary key.",
        why=(
            "Without a primary key a row cannot be addressed reliably: duplicates creep in, ORMs "
            "cannot map the table, logical replication cannot replicate UPDATE/DELETE, and other "
            "tables have nothing to reference."
        ),
        example_sqlmodel=SM
        + "from sqlalchemy import Column, Integer, Table\n\n\n"
        + "class Tag(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n\n\n"
        + "event_log = Table(\n    'event_log', SQLModel.metadata,\n    Column('payload', Integer),\n)\n",
        example_sql="CREATE TABLE event_log (payload jsonb NOT NULL);\n",
        use_instead_sqlmodel=SM
        + "class EventLog(SQLModel, table=True):\n"
        + "    __tablename__ = 'event_log'\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n",
        use_instead_sql=(
            "CREATE TABLE event_log (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
            "    payload jsonb NOT NULL\n);\n"
        ),
        fix=(
            "Unsafe SQL fix: add `id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY` (rewrites the "
            "table under an ACCESS EXCLUSIVE lock). Prefer promoting an existing unique, NOT NULL "
            "natural key when there is one."
        ),
    ),
)
def missing_primary_key(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        if table.primary_key is not None:
            continue
        fixes: tuple[Fix, ...] = ()
        if table.column("id") is None and not table.is_partitioned:
            fixes = (
                Fix(
                    "add an identity primary key column",
                    safe=False,
                    sql=f"ALTER TABLE {qualified(table.schema, table.name)} "
                    "ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;",
                ),
            )
        yield context.finding(
            self,
            table_path(table),
            f"table {table.name} has no primary key",
            origin=table.origin,
            fixes=fixes,
        )


def _single_pk_column(table: Table) -> Column | None:
    if table.primary_key is None or len(table.primary_key.columns) != 1:
        return None
    return table.column(table.primary_key.columns[0])


@rule(
    code="KEY002",
    name="int4-primary-key",
    severity=Severity.WARNING,
    summary="`integer`/`serial` surrogate key that can overflow; use bigint identity or uuid",
    doc=RuleDoc(
        what="Finds generated (identity or sequence) primary keys of type integer or smallint.",
        why=(
            "A 32-bit key runs out at 2,147,483,647. Busy tables reach that in production, and "
            "widening the key later rewrites the table and every referencing table under an "
            "exclusive lock. bigint costs four bytes more per row."
        ),
        example_sqlmodel=SM
        + "class Event(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n",
        example_sql="CREATE TABLE event (id serial PRIMARY KEY);\n",
        use_instead_sqlmodel=SM
        + "from sqlalchemy import BigInteger, Identity\nfrom sqlalchemy import Column as SAColumn\n\n\n"
        + "class Event(SQLModel, table=True):\n"
        + "    id: int | None = Field(\n"
        + "        default=None, sa_column=SAColumn(BigInteger, Identity(always=True), primary_key=True)\n"
        + "    )\n",
        use_instead_sql="CREATE TABLE event (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\n",
        fix=(
            "Unsafe SQL fix: `ALTER COLUMN id TYPE bigint` (rewrites the table; referencing columns "
            "must be widened too). No automatic code edit: declare the column as BigInteger."
        ),
    ),
)
def int4_primary_key(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        column = _single_pk_column(table)
        if column is None or column.type not in {"integer", "smallint"}:
            continue
        if column.identity is None and not sequence_default(column):
            continue
        yield context.finding(
            self,
            column_path(table, column.name),
            f"primary key {table.name}.{column.name} is {column.type}; it overflows at "
            f"{'2,147,483,647' if column.type == 'integer' else '32,767'} — use bigint",
            origin=column.origin or table.origin,
            fixes=(
                Fix(
                    "widen the key to bigint",
                    safe=False,
                    sql=f"ALTER TABLE {qualified(table.schema, table.name)} "
                    f"ALTER COLUMN {quote_ident(column.name)} TYPE bigint;",
                ),
            ),
        )


@rule(
    code="KEY003",
    name="serial-column",
    severity=Severity.WARNING,
    summary="`serial`/`bigserial` instead of `GENERATED … AS IDENTITY`",
    doc=RuleDoc(
        what="Finds columns whose default is `nextval(...)` of a sequence: serial columns.",
        why=(
            "serial is a legacy shorthand: the sequence is a separate object with its own "
            "permissions, it is not dropped or copied with the column the way you expect, and "
            "explicit inserts silently desynchronise it. Identity columns (SQL standard, "
            "PostgreSQL 10+) have none of these problems."
        ),
        example_sqlmodel=SM
        + "from sqlalchemy import BigInteger\nfrom sqlalchemy import Column as SAColumn\n\n\n"
        + "class Event(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, sa_column=SAColumn(BigInteger, primary_key=True))\n",
        example_sql="CREATE TABLE event (id bigserial PRIMARY KEY);\n",
        use_instead_sqlmodel=SM
        + "from sqlalchemy import BigInteger, Identity\nfrom sqlalchemy import Column as SAColumn\n\n\n"
        + "class Event(SQLModel, table=True):\n"
        + "    id: int | None = Field(\n"
        + "        default=None, sa_column=SAColumn(BigInteger, Identity(always=True), primary_key=True)\n"
        + "    )\n",
        use_instead_sql="CREATE TABLE event (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\n",
        fix=(
            "No automatic fix: converting needs the sequence's current value carried over "
            "(`ALTER COLUMN id DROP DEFAULT; DROP SEQUENCE ...; ALTER COLUMN id ADD GENERATED ALWAYS "
            "AS IDENTITY (START WITH <max+1>)`) in one transaction. In SQLAlchemy, add `Identity()`."
        ),
    ),
)
def serial_column(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        for column in table.columns:
            if column.inherited or not sequence_default(column):
                continue
            if base_type(column.type) not in {"smallint", "integer", "bigint"}:
                continue
            yield context.finding(
                self,
                column_path(table, column.name),
                f"{table.name}.{column.name} is a serial column (default {column.default}); "
                "use GENERATED ALWAYS AS IDENTITY",
                origin=column.origin or table.origin,
            )


_UUID_LENGTHS = {"32", "36", "38"}
_LENGTH = re.compile(r"^(character varying|character)\((\d+)\)$")


@rule(
    code="KEY004",
    name="text-uuid-primary-key",
    severity=Severity.WARNING,
    summary="uuid-shaped key stored as varchar(32/36/38)/text",
    doc=RuleDoc(
        what=(
            "Finds primary keys stored as varchar(32|36|38), char(32|36|38), or text with a uuid "
            "default or a uuid-like name."
        ),
        why=(
            "A uuid is 16 bytes; as text it takes 37 bytes or more, every index and every "
            "referencing column doubles in size, comparisons follow collation rules, and nothing "
            "stops malformed values."
        ),
        example_sqlmodel=SM
        + "class Device(SQLModel, table=True):\n"
        + "    id: str = Field(primary_key=True, max_length=36)\n",
        example_sql="CREATE TABLE device (id varchar(36) PRIMARY KEY);\n",
        use_instead_sqlmodel=SM
        + "import uuid\n\n\nclass Device(SQLModel, table=True):\n"
        + "    id: uuid.UUID = Field(primary_key=True)\n",
        use_instead_sql="CREATE TABLE device (id uuid PRIMARY KEY);\n",
        fix=(
            "Unsafe SQL fix: `ALTER COLUMN id TYPE uuid USING id::uuid` (rewrites the table and "
            "fails on malformed values; referencing columns must change too)."
        ),
    ),
)
def text_uuid_primary_key(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        column = _single_pk_column(table)
        if column is None:
            continue
        sized = _LENGTH.match(column.type)
        uuidish_name = "uuid" in column.name.lower() or "guid" in column.name.lower()
        uuid_default = column.default is not None and "uuid" in column.default.lower()
        if (sized and sized.group(2) in _UUID_LENGTHS) or (
            column.type in {"text", "character varying"} and (uuidish_name or uuid_default)
        ):
            pass
        else:
            continue
        yield context.finding(
            self,
            column_path(table, column.name),
            f"primary key {table.name}.{column.name} looks like a uuid stored as {column.type}; use uuid",
            origin=column.origin or table.origin,
            fixes=(
                Fix(
                    "store the key as uuid",
                    safe=False,
                    sql=f"ALTER TABLE {qualified(table.schema, table.name)} ALTER COLUMN "
                    f"{quote_ident(column.name)} TYPE uuid USING {quote_ident(column.name)}::uuid;",
                ),
            ),
        )


_RANDOM_UUID = ("gen_random_uuid()", "uuid_generate_v4()")


@rule(
    code="KEY005",
    name="random-uuid-primary-key",
    severity=Severity.INFO,
    summary="uuid v4 default on a large/append-heavy table; uuidv7 (PG18) or bigint keeps the index local",
    doc=RuleDoc(
        what="Finds uuid primary keys whose server default is a random (version 4) uuid.",
        why=(
            "Random keys land anywhere in the primary key index, so every insert touches a random "
            "leaf page: on a large or append-heavy table the index stops fitting in memory and "
            "write amplification grows. Time-ordered keys (uuidv7() on PostgreSQL 18, or bigint "
            'identity) keep inserts at the right edge of the index. Set `pk-strategy = "uuid"` '
            "when random keys are a deliberate choice."
        ),
        example_sqlmodel=SM
        + "import uuid\n\nfrom sqlalchemy import text\n\n\nclass Event(SQLModel, table=True):\n"
        + "    id: uuid.UUID = Field(\n"
        + "        primary_key=True, sa_column_kwargs={'server_default': text('gen_random_uuid()')}\n"
        + "    )\n",
        example_sql="CREATE TABLE event (id uuid PRIMARY KEY DEFAULT gen_random_uuid());\n",
        use_instead_sqlmodel=SM
        + "from sqlalchemy import BigInteger, Identity\nfrom sqlalchemy import Column as SAColumn\n\n\n"
        + "class Event(SQLModel, table=True):\n"
        + "    id: int | None = Field(\n"
        + "        default=None, sa_column=SAColumn(BigInteger, Identity(always=True), primary_key=True)\n"
        + "    )\n",
        use_instead_sql="CREATE TABLE event (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\n",
        fix="No automatic fix. On PostgreSQL 18 change the default to `uuidv7()` (safe for new rows).",
    ),
)
def random_uuid_primary_key(self: Rule, context: LintContext) -> Iterator[Finding]:
    if context.config.pk_strategy == "uuid":
        return
    for table in user_tables(context.database):
        column = _single_pk_column(table)
        if column is None or column.type != "uuid" or column.default is None:
            continue
        if not any(marker in column.default for marker in _RANDOM_UUID):
            continue
        yield context.finding(
            self,
            column_path(table, column.name),
            f"primary key {table.name}.{column.name} defaults to a random uuid ({column.default}); "
            "inserts scatter over the index — consider uuidv7() or bigint identity",
            origin=column.origin or table.origin,
        )


@rule(
    code="KEY006",
    name="unique-duplicates-primary-key",
    severity=Severity.WARNING,
    summary="a UNIQUE constraint/index on exactly the PK columns",
    doc=RuleDoc(
        what="Finds unique constraints and unique indexes on exactly the primary key's columns.",
        why=(
            "The primary key already enforces uniqueness with its own index. The copy doubles the "
            "write cost and the disk space and enforces nothing new."
        ),
        example_sqlmodel=SM
        + "class Tag(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True, unique=True)\n",
        example_sql=(
            "CREATE TABLE tag (id bigint PRIMARY KEY);\n"
            "-- (inside CREATE TABLE PostgreSQL skips such a copy; ALTER TABLE adds it)\n"
            "ALTER TABLE tag ADD CONSTRAINT tag_id_key UNIQUE (id);\n"
        ),
        use_instead_sqlmodel=SM
        + "class Tag(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n",
        use_instead_sql="CREATE TABLE tag (id bigint PRIMARY KEY);\n",
        fix=(
            "Unsafe SQL fix: drop the redundant constraint or index (foreign keys that chose it as "
            "their referenced index must be recreated first). Code edit (unsafe): remove `unique=True`."
        ),
    ),
)
def unique_duplicates_primary_key(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        if table.primary_key is None:
            continue
        key = set(table.primary_key.columns)
        target = qualified(table.schema, table.name)
        for unique in table.unique_constraints:
            if set(unique.columns) == key:
                yield context.finding(
                    self,
                    object_path(table, unique.name),
                    f"unique constraint {unique.name} repeats the primary key of {table.name}",
                    origin=unique.origin or table.origin,
                    fixes=(
                        _unique_edit(
                            context,
                            table,
                            unique.columns,
                            f"ALTER TABLE {target} DROP CONSTRAINT {quote_ident(unique.name)};",
                        ),
                    ),
                )
        for index in table.indexes:
            if index.unique and not index.is_partial and set(index.columns) == key and not index.include:
                yield context.finding(
                    self,
                    object_path(table, index.name),
                    f"unique index {index.name} repeats the primary key of {table.name}",
                    origin=index.origin or table.origin,
                    fixes=(
                        Fix(
                            "drop the redundant index",
                            safe=False,
                            sql=f"DROP INDEX CONCURRENTLY IF EXISTS {qualified(table.schema, index.name)};",
                        ),
                    ),
                )


def _unique_edit(context: LintContext, table: Table, columns: tuple[str, ...], sql: str) -> Fix:
    edit = (
        field_edit(context, table, columns[0], "remove-field-kwarg", {"unique": ""})
        if len(columns) == 1
        else None
    )
    return Fix("drop the redundant unique constraint", safe=False, sql=sql, edit=edit)


@rule(
    code="KEY007",
    name="wide-composite-primary-key",
    severity=Severity.INFO,
    summary="composite PK of more than 3 columns on a non-link table",
    doc=RuleDoc(
        what="Finds primary keys with more columns than the `wide-composite-primary-key` threshold (3).",
        why=(
            "Every referencing table must carry all key columns, every join compares all of them, "
            "and the key index is wide. A surrogate key plus a UNIQUE constraint on the natural "
            "columns keeps the rule and makes references cheap."
        ),
        example_sqlmodel=SM
        + "class Reading(SQLModel, table=True):\n"
        + "    site: str = Field(primary_key=True)\n    sensor: str = Field(primary_key=True)\n"
        + "    channel: int = Field(primary_key=True)\n    taken_on: str = Field(primary_key=True)\n"
        + "    value: float\n",
        example_sql=(
            "CREATE TABLE reading (\n    site text, sensor text, channel int, taken_on date, value float8,\n"
            "    PRIMARY KEY (site, sensor, channel, taken_on)\n);\n"
        ),
        use_instead_sqlmodel=SM
        + "from sqlalchemy import UniqueConstraint\n\n\nclass Reading(SQLModel, table=True):\n"
        + "    __table_args__ = (UniqueConstraint('site', 'sensor', 'channel', 'taken_on'),)\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    site: str\n    sensor: str\n    channel: int\n    taken_on: str\n    value: float\n",
        use_instead_sql=(
            "CREATE TABLE reading (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
            "    site text NOT NULL, sensor text NOT NULL, channel int NOT NULL, taken_on date NOT NULL,\n"
            "    value float8,\n    UNIQUE (site, sensor, channel, taken_on)\n);\n"
        ),
        fix="No automatic fix: introduce a surrogate key and keep the natural key as UNIQUE.",
    ),
)
def wide_composite_primary_key(self: Rule, context: LintContext) -> Iterator[Finding]:
    limit = context.config.threshold("wide-composite-primary-key")
    for table in user_tables(context.database):
        if table.primary_key is None or len(table.primary_key.columns) <= limit or is_link_table(table):
            continue
        yield context.finding(
            self,
            object_path(table, table.primary_key.name),
            f"primary key of {table.name} has {len(table.primary_key.columns)} columns "
            f"({', '.join(table.primary_key.columns)}); references must repeat them all",
            origin=table.primary_key.origin or table.origin,
        )


@rule(
    code="KEY008",
    name="missing-business-unique",
    severity=Severity.INFO,
    summary="natural-key candidate column without a unique constraint",
    doc=RuleDoc(
        what=(
            "Finds natural-key candidates (columns named like `business-keys`: email, slug, sku, "
            "code, username) that no unique constraint, unique index or primary key covers."
        ),
        why=(
            'Application-level "check then insert" races: two requests both see no row with that '
            "email and both insert. Only a unique constraint stops duplicates."
        ),
        example_sqlmodel=SM
        + "class Account(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n    email: str\n",
        example_sql="CREATE TABLE account (id bigint PRIMARY KEY, email text NOT NULL);\n",
        use_instead_sqlmodel=SM
        + "class Account(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n    email: str = Field(unique=True)\n",
        use_instead_sql="CREATE TABLE account (id bigint PRIMARY KEY, email text NOT NULL UNIQUE);\n",
        fix=(
            "Unsafe SQL fix: `CREATE UNIQUE INDEX CONCURRENTLY` (fails if duplicates exist; attach "
            "it as a constraint afterwards if you like). Code edit (unsafe): add `unique=True`."
        ),
    ),
)
def missing_business_unique(self: Rule, context: LintContext) -> Iterator[Finding]:
    keys = {k.lower() for k in context.config.business_keys}
    for table in user_tables(context.database):
        covered: set[str] = set(table.primary_key.columns) if table.primary_key else set()
        for unique in table.unique_constraints:
            covered.update(unique.columns)
        for index in table.indexes:
            if index.unique:
                covered.update(c for c in index.columns if c)
                covered.update(_expression_columns(index, table.column_names))
        for column in table.columns:
            if column.name.lower() not in keys or column.name in covered or column.inherited:
                continue
            name = index_name(table.name, [column.name], "key")
            yield context.finding(
                self,
                column_path(table, column.name),
                f"{table.name}.{column.name} looks like a natural key but nothing makes it unique",
                origin=column.origin or table.origin,
                fixes=(
                    Fix(
                        "add a unique index",
                        safe=False,
                        sql=f"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS {quote_ident(name)} "
                        f"ON {qualified(table.schema, table.name)} ({quote_ident(column.name)});",
                        edit=field_edit(context, table, column.name, "field-kwarg", {"unique": "True"}),
                    ),
                ),
            )


def _expression_columns(index: Index, names: tuple[str, ...]) -> set[str]:
    """Columns named inside expression keys, e.g. ``lower(email)`` covers email."""
    found: set[str] = set()
    for key in index.keys:
        if key.expression:
            words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", key.expression))
            found.update(n for n in names if n in words)
    return found
