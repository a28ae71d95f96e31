"""Constraints and table shape (CON): what the table lets in, and how wide it has grown."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from pgshape.lint.core import Finding, Fix, LintContext, Rule, RuleDoc, Severity, rule
from pgshape.lint.helpers import column_path, is_boolean, is_texty, object_path, table_path, user_tables
from pgshape.lint.rules._shapes import foreign_key_columns, key_columns, mentions_column, unique_column_sets
from pgshape.render.identifiers import qualified, quote_ident

# --- CON001 -------------------------------------------------------------------------------------


@rule(
    code="CON001",
    name="all-columns-nullable",
    severity=Severity.WARNING,
    summary="every column but the PK nullable",
    doc=RuleDoc(
        what="Finds tables where every column except the primary key accepts NULL.",
        why=(
            "A row made only of NULLs is accepted, so nothing guarantees that a row means anything. "
            "It usually shows that nullability was never decided: in SQLModel every `Optional[...]` "
            "field becomes a nullable column. Code then has to handle NULL everywhere."
        ),
        example_sqlmodel="""\
from sqlmodel import Field, SQLModel


class Note(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str | None = None
    body: str | None = None
""",
        example_sql="""\
CREATE TABLE note (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title text,
    body text
);
""",
        use_instead_sqlmodel="""\
from sqlmodel import Field, SQLModel


class Note(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str
    body: str = ""
""",
        use_instead_sql="""\
CREATE TABLE note (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title text NOT NULL,
    body text NOT NULL DEFAULT ''
);
""",
        fix="None: which columns are required is a decision about the data, not a mechanical change.",
    ),
)
def all_columns_nullable(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        keys = key_columns(table)
        others = [c for c in table.columns if c.name not in keys and c.generated is None]
        if len(others) >= 2 and all(c.nullable for c in others):
            yield context.finding(
                self,
                table_path(table),
                f"all {len(others)} non-key columns of {table.name} are nullable",
                origin=table.origin,
            )


# --- CON002 -------------------------------------------------------------------------------------

_ENUM_LIKE = re.compile(
    r"^(status|state|type|kind|category|role|level|priority|mode|stage|phase|tier|gender)$"
    r"|_(status|type|kind|category|role|level|priority|mode|stage|tier)$"
)
# Open sets by nature (MIME types), or a state/province in an address.
_OPEN_SETS = frozenset({"media_type", "mime_type", "content_type"})
_ADDRESS_PARTS = frozenset({"city", "country", "zip", "zip_code", "postal_code", "postcode", "address"})


@lru_cache(maxsize=65536)
def _enum_like_name(name: str) -> bool:
    return name not in _OPEN_SETS and _ENUM_LIKE.search(name) is not None


def _enum_like(table_columns: set[str], name: str) -> bool:
    if not _enum_like_name(name):
        return False
    in_address = any(c.rpartition("_")[2] in _ADDRESS_PARTS or c in _ADDRESS_PARTS for c in table_columns)
    return not (name.endswith("state") and in_address)


@rule(
    code="CON002",
    name="enum-like-text-without-check",
    severity=Severity.INFO,
    summary="status/type/kind text column with no CHECK or enum",
    doc=RuleDoc(
        what=(
            "Finds text columns named like a closed set of values (`status`, `type`, `kind`, `state`, "
            "`role`, `priority`, …) that have no CHECK constraint, no enum type and no foreign key "
            "to a lookup table."
        ),
        why=(
            "Any string is accepted, so `'Active'`, `'active '` and `'actve'` end up side by side and "
            "every query that filters on the column silently misses rows."
        ),
        example_sqlmodel="""\
from sqlmodel import Field, SQLModel


class Ticket(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    status: str
""",
        example_sql="""\
CREATE TABLE ticket (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status text NOT NULL
);
""",
        use_instead_sqlmodel="""\
from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel


class Ticket(SQLModel, table=True):
    __table_args__ = (CheckConstraint("status IN ('open', 'closed')", name="ticket_status_check"),)

    id: int | None = Field(default=None, primary_key=True)
    status: str
""",
        use_instead_sql="""\
CREATE TABLE ticket (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status text NOT NULL,
    CONSTRAINT ticket_status_check CHECK (status IN ('open', 'closed'))
);
""",
        fix=(
            "None: the allowed values are yours to name. Add them as a CHECK (added `NOT VALID`, then "
            "`VALIDATE CONSTRAINT`, on a large table), an enum type, or a foreign key to a lookup table."
        ),
    ),
)
def enum_like_text_without_check(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        # A "type" that identifies rows together with other columns (part of a key) is a
        # namespace such as an event type, not a status; foreign keys point at a lookup table.
        skip = (
            foreign_key_columns(table)
            | key_columns(table)
            | {c for u in unique_column_sets(table) for c in u}
        )
        names = set(table.column_names)
        for column in table.columns:
            if (
                not is_texty(column)
                or column.is_array
                or column.name in skip
                or not _enum_like(names, column.name)
            ):
                continue
            if any(mentions_column(check.expression, column.name) for check in table.check_constraints):
                continue
            yield context.finding(
                self,
                column_path(table, column.name),
                f"{table.name}.{column.name} looks like a closed set of values but accepts any text",
                origin=column.origin,
            )


# --- CON003 -------------------------------------------------------------------------------------


@rule(
    code="CON003",
    name="not-valid-constraint",
    severity=Severity.WARNING,
    summary="constraint left NOT VALID",
    needs_data=True,
    doc=RuleDoc(
        what="Finds CHECK and FOREIGN KEY constraints in a live database that were added `NOT VALID` "
        "and never validated.",
        why=(
            "`NOT VALID` is the right first step on a large table (it skips the scan), but until "
            "`VALIDATE CONSTRAINT` runs, existing rows may break the rule, and the planner cannot use "
            "the constraint (e.g. to skip partitions or prove `IS NOT NULL`)."
        ),
        example_sqlmodel=(
            "# not applicable: a data rule (needs a live database); SQLModel cannot declare NOT VALID\n"
        ),
        example_sql="""\
CREATE TABLE invoice (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    total integer NOT NULL
);
ALTER TABLE invoice ADD CONSTRAINT invoice_total_check CHECK (total >= 0) NOT VALID;
""",
        use_instead_sqlmodel=(
            "# not applicable: a data rule (needs a live database); SQLModel cannot declare NOT VALID\n"
        ),
        use_instead_sql="""\
CREATE TABLE invoice (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    total integer NOT NULL
);
ALTER TABLE invoice ADD CONSTRAINT invoice_total_check CHECK (total >= 0) NOT VALID;
ALTER TABLE invoice VALIDATE CONSTRAINT invoice_total_check;
""",
        fix=(
            "SQL (safe): `ALTER TABLE … VALIDATE CONSTRAINT …`. It scans the table under a SHARE UPDATE "
            "EXCLUSIVE lock, so reads and writes go on; it fails if an existing row breaks the rule."
        ),
    ),
)
def not_valid_constraint(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in context.database.tables:
        constraints = [(c.name, "CHECK") for c in table.check_constraints if not c.validated]
        constraints += [(c.name, "FOREIGN KEY") for c in table.foreign_keys if not c.validated]
        for name, kind in constraints:
            sql = f"ALTER TABLE {qualified(*table.key)} VALIDATE CONSTRAINT {quote_ident(name)};"
            yield context.finding(
                self,
                object_path(table, name),
                f"{kind} constraint {name} on {table.name} is NOT VALID: existing rows were never checked",
                origin=table.origin,
                fixes=(Fix(description=f"validate {name}", safe=True, sql=sql),),
            )


# --- CON004 -------------------------------------------------------------------------------------


@rule(
    code="CON004",
    name="god-table",
    severity=Severity.INFO,
    summary="more than 30 columns",
    doc=RuleDoc(
        what="Finds tables with more columns than the `god-table` threshold (30 by default).",
        why=(
            "A very wide table usually mixes several things (a user and their settings, billing address "
            "and preferences): most columns are NULL for most rows, every update rewrites the whole wide "
            "row, and each concern changes for a different reason."
        ),
        example_sqlmodel="""\
from sqlmodel import Field, SQLModel


class Account(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
"""
        + "".join(f"    attribute_{n:02d}: str\n" for n in range(1, 32)),
        example_sql="CREATE TABLE account (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
        + ",\n".join(f"    attribute_{n:02d} text NOT NULL" for n in range(1, 32))
        + "\n);\n",
        use_instead_sqlmodel="""\
from sqlmodel import Field, SQLModel


class Account(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str


class AccountSettings(SQLModel, table=True):
    __tablename__ = "account_settings"

    account_id: int = Field(primary_key=True, foreign_key="account.id")
    theme: str
    language: str
""",
        use_instead_sql="""\
CREATE TABLE account (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE account_settings (
    account_id bigint PRIMARY KEY REFERENCES account (id),
    theme text NOT NULL,
    language text NOT NULL
);
""",
        fix=(
            "None: splitting a table is a design decision "
            "(one-to-one side tables, jsonb for sparse settings)."
        ),
    ),
)
def god_table(self: Rule, context: LintContext) -> Iterator[Finding]:
    limit = context.config.threshold("god-table")
    for table in user_tables(context.database):
        count = sum(1 for c in table.columns if not c.inherited)
        if count > limit:
            yield context.finding(
                self,
                table_path(table),
                f"{table.name} has {count} columns (more than {limit})",
                origin=table.origin,
            )


# --- CON005 -------------------------------------------------------------------------------------


@rule(
    code="CON005",
    name="too-many-boolean-flags",
    severity=Severity.INFO,
    summary="three or more boolean flags: a state enum hides there",
    doc=RuleDoc(
        what="Finds tables with three or more boolean columns (threshold `too-many-boolean-flags`).",
        why=(
            "Flags like `is_draft`, `is_published`, `is_archived` describe one state with 2^n "
            "combinations, most of them meaningless (`is_draft AND is_archived`). A single status "
            "column (enum or CHECK) says which combinations exist."
        ),
        example_sqlmodel="""\
from sqlmodel import Field, SQLModel


class Article(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    is_draft: bool = True
    is_published: bool = False
    is_archived: bool = False
""",
        example_sql="""\
CREATE TABLE article (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    is_draft boolean NOT NULL DEFAULT true,
    is_published boolean NOT NULL DEFAULT false,
    is_archived boolean NOT NULL DEFAULT false
);
""",
        use_instead_sqlmodel="""\
import enum

from sqlmodel import Field, SQLModel


class ArticleState(str, enum.Enum):
    draft = "draft"
    published = "published"
    archived = "archived"


class Article(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    state: ArticleState = ArticleState.draft
""",
        use_instead_sql="""\
CREATE TYPE article_state AS ENUM ('draft', 'published', 'archived');
CREATE TABLE article (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    state article_state NOT NULL DEFAULT 'draft'
);
""",
        fix="None: which flags form one state (and which are independent) needs a person.",
    ),
)
def too_many_boolean_flags(self: Rule, context: LintContext) -> Iterator[Finding]:
    limit = context.config.threshold("too-many-boolean-flags")
    for table in user_tables(context.database):
        flags = [c.name for c in table.columns if is_boolean(c) and not c.inherited]
        if len(flags) >= limit:
            yield context.finding(
                self,
                table_path(table),
                f"{table.name} has {len(flags)} boolean flags "
                f"({', '.join(flags)}): consider one state column",
                origin=table.origin,
            )
