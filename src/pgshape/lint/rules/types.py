"""TYP: column types — time zones, money, json, fixed-width text, consistency."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from pgshape.lint.core import Finding, Fix, LintContext, Rule, RuleDoc, Severity, rule
from pgshape.lint.helpers import base_type, column_path, user_tables
from pgshape.model import Column, Table
from pgshape.render.identifiers import qualified, quote_ident

SM = "from sqlmodel import Field, SQLModel\n\n\n"


def _alter_type(table: Table, column: str, new: str, using: str | None = None) -> str:
    tail = f" USING {using}" if using else ""
    target = qualified(table.schema, table.name)
    return f"ALTER TABLE {target} ALTER COLUMN {quote_ident(column)} TYPE {new}{tail};"


_NAIVE = re.compile(
    r"^(timestamp(\(\d\))? without time zone|time(\(\d\))? with time zone|timestamp\(0\) with time zone)"
)


@rule(
    code="TYP001",
    name="timestamp-without-time-zone",
    severity=Severity.WARNING,
    summary="`timestamp` instead of `timestamptz` (also timetz, timestamp(0))",
    doc=RuleDoc(
        what=(
            "Finds `timestamp without time zone` columns, `time with time zone` (timetz) and "
            "`timestamp(0)` (which rounds to the second)."
        ),
        why=(
            "A timestamp without time zone is a wall-clock reading with no zone: the same value "
            "means different instants for different servers and clients, and DST makes some "
            "values ambiguous. timestamptz stores an instant (UTC) and costs the same 8 bytes. "
            "timetz cannot handle DST at all; timestamp(0) rounds half a second into the future."
        ),
        example_sqlmodel=SM
        + "from datetime import datetime\n\nfrom sqlalchemy import DateTime\n\n\nclass Event(SQLModel, "
        "table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    happened_at: datetime = Field(sa_type=DateTime(timezone=False))\n",
        example_sql="CREATE TABLE event (id bigint PRIMARY KEY, happened_at timestamp NOT NULL);\n",
        use_instead_sqlmodel=SM
        + "from datetime import datetime\n\nfrom sqlalchemy import DateTime\n\n\nclass Event(SQLModel, "
        "table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    happened_at: datetime = Field(sa_type=DateTime(timezone=True))\n",
        use_instead_sql="CREATE TABLE event (id bigint PRIMARY KEY, happened_at timestamptz NOT NULL);\n",
        fix=(
            "Unsafe SQL fix: `ALTER COLUMN … TYPE timestamptz USING col AT TIME ZONE 'UTC'` (rewrites "
            "the table; assumes stored values are UTC). Unsafe code edit: `sa_type=DateTime(timezone=True)`."
        ),
    ),
)
def timestamp_without_time_zone(self: Rule, context: LintContext) -> Iterator[Finding]:
    from pgshape.lint.fix_targets import field_edit

    for table in user_tables(context.database):
        for column in table.columns:
            if column.inherited or not _NAIVE.match(column.type):
                continue
            array = "[]" if column.type.endswith("[]") else ""
            fixes: tuple[Fix, ...] = ()
            if column.type.startswith("timestamp") and not array:
                fixes = (
                    Fix(
                        "store an instant: timestamptz",
                        safe=False,
                        sql=_alter_type(
                            table,
                            column.name,
                            "timestamp with time zone",
                            f"{quote_ident(column.name)} AT TIME ZONE 'UTC'",
                        )
                        if "without" in column.type
                        else _alter_type(table, column.name, "timestamp with time zone"),
                        edit=field_edit(
                            context,
                            table,
                            column.name,
                            "field-kwarg",
                            {
                                "sa_type": "DateTime(timezone=True)",
                                "import": "from sqlalchemy import DateTime",
                            },
                        ),
                    ),
                )
            yield context.finding(
                self,
                column_path(table, column.name),
                f"{table.name}.{column.name} is {column.type}; use timestamp with time zone",
                origin=column.origin or table.origin,
                fixes=fixes,
            )


_MONEY_WORDS = {
    "price",
    "amount",
    "total",
    "cost",
    "balance",
    "fee",
    "fees",
    "subtotal",
    "tax",
    "salary",
    "payment",
}


def _money_like(name: str) -> bool:
    return any(word in _MONEY_WORDS for word in name.lower().split("_"))


@rule(
    code="TYP002",
    name="float-for-money",
    severity=Severity.ERROR,
    summary="real/double on a money-like column (price, amount, total, cost, balance, fee)",
    doc=RuleDoc(
        what="Finds real / double precision columns named like money (price, amount, total, cost, balance, "
        "fee…).",
        why=(
            "Binary floating point cannot represent 0.10 exactly: sums drift by cents, equality "
            "checks fail, and rounding differs between the database and the application."
        ),
        example_sqlmodel=SM
        + "class Item(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n"
        + "    price: float\n",
        example_sql="CREATE TABLE item (id bigint PRIMARY KEY, price double precision NOT NULL);\n",
        use_instead_sqlmodel=SM
        + "from decimal import Decimal\n\n\nclass Item(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    price: Decimal = Field(max_digits=12, decimal_places=2)\n",
        use_instead_sql="CREATE TABLE item (id bigint PRIMARY KEY, price numeric(12,2) NOT NULL);\n",
        fix="Unsafe SQL fix: `ALTER COLUMN … TYPE numeric(12,2)` (rewrites the table; rounds existing "
        "values).",
    ),
)
def float_for_money(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        for column in table.columns:
            if (
                column.type in {"real", "double precision"}
                and _money_like(column.name)
                and not column.inherited
            ):
                yield context.finding(
                    self,
                    column_path(table, column.name),
                    f"{table.name}.{column.name} holds money as {column.type}; use numeric",
                    origin=column.origin or table.origin,
                    fixes=(
                        Fix(
                            "use numeric(12,2)",
                            safe=False,
                            sql=_alter_type(table, column.name, "numeric(12,2)"),
                        ),
                    ),
                )


@rule(
    code="TYP003",
    name="money-type",
    severity=Severity.WARNING,
    summary="the `money` type",
    doc=RuleDoc(
        what="Finds columns of PostgreSQL's `money` type.",
        why=(
            "money's scale and currency symbol follow the server's lc_monetary setting: the same "
            "dump restored elsewhere reads differently, it holds one currency only, and division "
            "and conversions lose precision. numeric with an explicit scale (plus a currency "
            "column) is what the PostgreSQL wiki recommends."
        ),
        example_sqlmodel=SM
        + "from decimal import Decimal\n\nfrom sqlalchemy.dialects.postgresql import MONEY\n\n\n"
        + "class Invoice(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n"
        + "    total: Decimal = Field(sa_type=MONEY)\n",
        example_sql="CREATE TABLE invoice (id bigint PRIMARY KEY, total money NOT NULL);\n",
        use_instead_sqlmodel=SM
        + "from decimal import Decimal\n\n\nclass Invoice(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    total: Decimal = Field(max_digits=12, decimal_places=2)\n",
        use_instead_sql="CREATE TABLE invoice (id bigint PRIMARY KEY, total numeric(12,2) NOT NULL);\n",
        fix="Unsafe SQL fix: `ALTER COLUMN … TYPE numeric(12,2) USING col::numeric` (rewrites the table).",
    ),
)
def money_type(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        for column in table.columns:
            if base_type(column.type) in {"money", "money[]"} and not column.inherited:
                yield context.finding(
                    self,
                    column_path(table, column.name),
                    f"{table.name}.{column.name} uses the money type; use numeric",
                    origin=column.origin or table.origin,
                    fixes=(
                        Fix(
                            "use numeric(12,2)",
                            safe=False,
                            sql=_alter_type(
                                table, column.name, "numeric(12,2)", f"{quote_ident(column.name)}::numeric"
                            ),
                        ),
                    ),
                )


@rule(
    code="TYP004",
    name="json-not-jsonb",
    severity=Severity.WARNING,
    summary="`json` instead of `jsonb`",
    doc=RuleDoc(
        what="Finds columns of type json.",
        why=(
            "json stores the text verbatim and re-parses it on every access; it has no equality "
            "operator (so no DISTINCT, GROUP BY or unique index) and no GIN indexing. jsonb is "
            "what nearly every application wants."
        ),
        example_sqlmodel=SM
        + "from sqlalchemy import JSON\n\n\nclass Event(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n    payload: dict = "
        "Field(sa_type=JSON)\n",
        example_sql="CREATE TABLE event (id bigint PRIMARY KEY, payload json NOT NULL);\n",
        use_instead_sqlmodel=SM
        + "from sqlalchemy.dialects.postgresql import JSONB\n\n\nclass Event(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n    payload: dict = "
        "Field(sa_type=JSONB)\n",
        use_instead_sql="CREATE TABLE event (id bigint PRIMARY KEY, payload jsonb NOT NULL);\n",
        fix="Unsafe SQL fix: `ALTER COLUMN … TYPE jsonb USING col::jsonb` (rewrites the table; drops key "
        "order and duplicate keys).",
    ),
)
def json_not_jsonb(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        for column in table.columns:
            if column.type in {"json", "json[]"} and not column.inherited:
                new = column.type.replace("json", "jsonb")
                yield context.finding(
                    self,
                    column_path(table, column.name),
                    f"{table.name}.{column.name} is {column.type}; use {new}",
                    origin=column.origin or table.origin,
                    fixes=(
                        Fix(
                            f"use {new}",
                            safe=False,
                            sql=_alter_type(table, column.name, new, f"{quote_ident(column.name)}::{new}"),
                        ),
                    ),
                )


@rule(
    code="TYP005",
    name="char-n",
    severity=Severity.WARNING,
    summary="`char(n)`",
    doc=RuleDoc(
        what="Finds `character(n)` columns.",
        why=(
            "char(n) pads with spaces, which are then ignored in some comparisons and not in "
            "others (LIKE, regexes, concatenation); it is never faster than text or varchar in "
            "PostgreSQL, and the padding wastes space."
        ),
        example_sqlmodel=SM
        + "from sqlalchemy import CHAR\n\n\nclass Country(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n    iso: str = "
        "Field(sa_type=CHAR(2))\n",
        example_sql="CREATE TABLE country (id bigint PRIMARY KEY, iso char(2) NOT NULL);\n",
        use_instead_sqlmodel=SM
        + "from sqlalchemy import CheckConstraint\n\n\nclass Country(SQLModel, table=True):\n"
        + "    __table_args__ = (CheckConstraint('length(iso) = 2'),)\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n    iso: str\n",
        use_instead_sql="CREATE TABLE country (id bigint PRIMARY KEY, iso text NOT NULL CHECK (length(iso) "
        "= 2));\n",
        fix="Unsafe SQL fix: `ALTER COLUMN … TYPE text` (values keep their trailing spaces until trimmed).",
    ),
)
def char_n(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        for column in table.columns:
            if base_type(column.type) in {"character", "character[]"} and not column.inherited:
                yield context.finding(
                    self,
                    column_path(table, column.name),
                    f"{table.name}.{column.name} is {column.type}; use text (with a CHECK on the length if "
                    "needed)",
                    origin=column.origin or table.origin,
                    fixes=(Fix("use text", safe=False, sql=_alter_type(table, column.name, "text")),),
                )


_VARCHAR_N = re.compile(r"character varying\(\d+\)")
_IDENTIFIER = re.compile(r'"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*)')


def _identifiers(expression: str) -> set[str]:
    """Bare and quoted identifiers in an expression (string literals may add harmless extras)."""
    return {quoted.replace('""', '"') if quoted else bare for quoted, bare in _IDENTIFIER.findall(expression)}


@rule(
    code="TYP006",
    name="varchar-without-reason",
    severity=Severity.INFO,
    summary="`varchar(n)` limit with no CHECK/business reason; `text` is the same speed",
    doc=RuleDoc(
        what="Finds `varchar(n)` columns that no CHECK constraint mentions.",
        why=(
            "In PostgreSQL varchar(n) is text plus a length check: no faster, no smaller. An "
            "arbitrary limit (255 is a MySQL habit) rejects legitimate data later, and raising it "
            "is a migration. When the limit is a business rule, a CHECK states it and can carry a "
            "name and a message."
        ),
        example_sqlmodel=SM
        + "class Person(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n"
        + "    full_name: str = Field(max_length=255)\n",
        example_sql="CREATE TABLE person (id bigint PRIMARY KEY, full_name varchar(255) NOT NULL);\n",
        use_instead_sqlmodel=SM
        + "class Person(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n"
        + "    full_name: str\n",
        use_instead_sql="CREATE TABLE person (id bigint PRIMARY KEY, full_name text NOT NULL);\n",
        fix="Unsafe SQL fix: `ALTER COLUMN … TYPE text` (no rewrite, but it drops a limit someone may rely "
        "on).",
    ),
)
def varchar_without_reason(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        checked: set[str] | None = None  # identifiers the CHECK constraints mention, built on demand
        for column in table.columns:
            if column.inherited or not _VARCHAR_N.fullmatch(column.type):
                continue
            if checked is None:
                checked = _identifiers(" ".join(c.expression for c in table.check_constraints))
            if column.name in checked:
                continue
            yield context.finding(
                self,
                column_path(table, column.name),
                f"{table.name}.{column.name} is {column.type} with no CHECK explaining the limit; text is "
                "the same speed",
                origin=column.origin or table.origin,
                fixes=(Fix("use text", safe=False, sql=_alter_type(table, column.name, "text")),),
            )


# Names too generic to carry one meaning (and so one type) across a schema.
_GENERIC = {
    "value", "data", "type", "kind", "name", "key", "content", "body", "description", "status",
    "state", "position", "payload", "extra", "options", "settings", "config", "metadata", "info",
    "details", "label", "title", "text", "version", "count", "size", "level", "priority", "code",
}  # fmt: skip


@rule(
    code="TYP007",
    name="inconsistent-column-types",
    severity=Severity.WARNING,
    summary="same column name with different types across tables (e.g. user_id int4 vs int8)",
    doc=RuleDoc(
        what=(
            "Finds columns whose name appears in several tables with different base types "
            "(length and precision ignored), reporting those that differ from the most common "
            "type. Generic names (value, type, name, status…) are skipped."
        ),
        why=(
            "`user_id integer` here and `user_id bigint` there means joins need casts, one side "
            "overflows first, and whoever writes the next table has to guess."
        ),
        example_sqlmodel=SM
        + "from sqlalchemy import BigInteger\n\n\n"
        + "class Order(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n"
        + "    customer_ref: int = Field(sa_type=BigInteger)\n\n\n"
        + "class Invoice(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n"
        + "    customer_ref: int\n\n\n"
        + "class Payment(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n"
        + "    customer_ref: int = Field(sa_type=BigInteger)\n",
        example_sql=(
            "CREATE TABLE orders (id bigint PRIMARY KEY, customer_ref bigint);\n"
            "CREATE TABLE invoice (id bigint PRIMARY KEY, customer_ref integer);\n"
            "CREATE TABLE payment (id bigint PRIMARY KEY, customer_ref bigint);\n"
        ),
        use_instead_sqlmodel=SM
        + "from sqlalchemy import BigInteger\n\n\n"
        + "class Order(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n"
        + "    customer_ref: int = Field(sa_type=BigInteger)\n\n\n"
        + "class Invoice(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n"
        + "    customer_ref: int = Field(sa_type=BigInteger)\n",
        use_instead_sql=(
            "CREATE TABLE orders (id bigint PRIMARY KEY, customer_ref bigint);\n"
            "CREATE TABLE invoice (id bigint PRIMARY KEY, customer_ref bigint);\n"
        ),
        fix="No automatic fix: pick one type and migrate the odd ones out.",
    ),
)
def inconsistent_column_types(self: Rule, context: LintContext) -> Iterator[Finding]:
    seen: dict[str, list[tuple[Table, Column, str]]] = {}
    for table in user_tables(context.database):
        for column in table.columns:
            if column.inherited or column.name.lower() in _GENERIC:
                continue
            seen.setdefault(column.name, []).append((table, column, base_type(column.type)))
    for name in sorted(seen):
        places = seen[name]
        if len(places) < 2:
            continue
        types = Counter(kind for _, _, kind in places)
        if len(types) < 2:
            continue
        common, count = min(types.items(), key=lambda item: (-item[1], item[0]))
        for table, column, kind in places:
            if kind == common:
                continue
            yield context.finding(
                self,
                column_path(table, name),
                f"{table.name}.{name} is {column.type} but {count} other table(s) use {common}",
                origin=column.origin or table.origin,
            )


_NULL_STRING = re.compile(r"^'(null|NULL|Null|None|none)'(::|$)")


@rule(
    code="TYP009",
    name="mutable-default-literal",
    severity=Severity.INFO,
    summary="default `'{}'`/`'[]'` shared object in Python, or literal string 'NULL' default",
    doc=RuleDoc(
        what=(
            "Finds server defaults that are the string 'NULL' (or 'None') instead of NULL, and "
            "in SQLModel sources Python-side defaults that are one shared mutable object "
            "(`Field(default={})`, `tags: list = []`) instead of a `default_factory`."
        ),
        why=(
            "`DEFAULT 'NULL'` stores the four letters N-U-L-L: `IS NULL` never finds those rows. A "
            "shared `{}` default handed to SQLAlchemy is one object for every row: mutate it in "
            "one and the next insert sees the change."
        ),
        example_sqlmodel=SM
        + "class Person(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n"
        + "    nickname: str | None = Field(default=None, sa_column_kwargs={'server_default': 'NULL'})\n",
        example_sql="CREATE TABLE person (id bigint PRIMARY KEY, nickname text DEFAULT 'NULL');\n",
        use_instead_sqlmodel=SM
        + "class Person(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n"
        + "    nickname: str | None = None\n",
        use_instead_sql="CREATE TABLE person (id bigint PRIMARY KEY, nickname text);\n",
        fix="Unsafe SQL fix: `ALTER COLUMN … DROP DEFAULT` (rows already holding 'NULL' need an UPDATE).",
    ),
)
def mutable_default_literal(self: Rule, context: LintContext) -> Iterator[Finding]:
    yield from _shared_python_defaults(self, context)
    for table in user_tables(context.database):
        for column in table.columns:
            if column.default is None or column.inherited or not _NULL_STRING.match(column.default):
                continue
            yield context.finding(
                self,
                column_path(table, column.name),
                f"{table.name}.{column.name} defaults to the string {column.default.split('::')[0]}, not "
                "NULL",
                origin=column.origin or table.origin,
                fixes=(
                    Fix(
                        "drop the default",
                        safe=False,
                        sql=f"ALTER TABLE {qualified(table.schema, table.name)} ALTER COLUMN "
                        f"{quote_ident(column.name)} DROP DEFAULT;",
                    ),
                ),
            )


_MUTABLE_LITERALS = frozenset({"{}", "[]", "set()", "dict()", "list()"})


def _shared_python_defaults(self: Rule, context: LintContext) -> Iterator[Finding]:
    """``Field(default={})`` / ``x: dict = {}`` on table models (from the module's syntax)."""
    from pgshape.lint.rules._shapes import class_of

    for table in user_tables(context.database):
        cls = class_of(context, table)
        if cls is None:
            continue
        for field in cls.fields:
            default = field.keyword("default") if field.call == "Field" else field.value
            if default is None or default.replace(" ", "") not in _MUTABLE_LITERALS:
                continue
            yield context.finding(
                self,
                column_path(table, field.name),
                f"{cls.name}.{field.name} defaults to one shared {default}; use default_factory",
                origin=field.origin or table.origin,
            )
