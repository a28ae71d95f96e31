"""NAM: identifiers — quoting, reserved words, plurals, lengths and conventions."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pgshape.lint.core import Finding, LintContext, Rule, RuleDoc, Severity, rule
from pgshape.lint.helpers import base_type, column_path, object_path, table_path, user_tables
from pgshape.model import Table
from pgshape.model.base import Origin
from pgshape.render.identifiers import QUOTED_KEYWORDS

SM = "from sqlmodel import Field, SQLModel\n\n\n"
_BARE = re.compile(r"[a-z_][a-z0-9_]*")


def _named_objects(table: Table) -> tuple[tuple[str, str, Origin | None], ...]:
    """(kind, name, origin) of the table, its columns, indexes and constraints.

    Three rules walk these for every table, so the tuple is kept on the immutable table; the
    finding path is built only when a rule fires (``_path``).
    """
    cached = table.__dict__.get("_lint_named_objects")
    if cached is None:
        found: list[tuple[str, str, Origin | None]] = [("table", table.name, table.origin)]
        found += [("column", c.name, c.origin or table.origin) for c in table.columns if not c.inherited]
        found += [("index", i.name, i.origin or table.origin) for i in table.indexes]
        found += [("constraint", name, table.origin) for name in table.constraint_names]
        cached = tuple(found)
        table.__dict__["_lint_named_objects"] = cached
    return cached  # type: ignore[no-any-return]


def _path(table: Table, kind: str, name: str) -> str:
    return table_path(table) if kind == "table" else object_path(table, name)


@rule(
    code="NAM001",
    name="not-snake-case",
    severity=Severity.WARNING,
    summary="identifiers needing quotes (upper case, spaces, punctuation)",
    doc=RuleDoc(
        what="Finds table, column, index and constraint names that are not lower-case snake_case.",
        why=(
            "PostgreSQL folds unquoted names to lower case, so `CustomerId` must be written "
            '"CustomerId" in every query forever; forgetting the quotes gives \'column does not '
            "exist'. Spaces and punctuation are worse."
        ),
        example_sqlmodel=SM
        + "class Customer(SQLModel, table=True):\n    id: int | None = Field(default=None, "
        "primary_key=True)\n" + "    FirstName: str\n",
        example_sql='CREATE TABLE customer (id bigint PRIMARY KEY, "FirstName" text);\n',
        use_instead_sqlmodel=SM
        + "class Customer(SQLModel, table=True):\n    id: int | None = Field(default=None, "
        "primary_key=True)\n" + "    first_name: str\n",
        use_instead_sql="CREATE TABLE customer (id bigint PRIMARY KEY, first_name text);\n",
        fix="No automatic fix: renaming breaks clients (see rename-breaks-clients).",
    ),
)
def not_snake_case(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        for kind, name, origin in _named_objects(table):
            if not _BARE.fullmatch(name):
                yield context.finding(
                    self,
                    _path(table, kind, name),
                    f"{kind} name {name!r} is not snake_case and must be quoted everywhere",
                    origin=origin,
                )


# Names that are legal when unreserved but confuse readers and tools all the same.
_TROUBLESOME = frozenset({"user", "order", "group", "limit", "offset", "table", "column", "check", "default"})


@rule(
    code="NAM002",
    name="reserved-word-identifier",
    severity=Severity.WARNING,
    summary="table/column named with a reserved word (`user`, `order`, `group`…)",
    doc=RuleDoc(
        what="Finds tables and columns named with an SQL keyword that PostgreSQL requires to be quoted.",
        why=(
            "`SELECT * FROM user` returns the current role's name, not your table; `order` and "
            "`group` break every hand-written query that forgets the quotes."
        ),
        example_sqlmodel=SM
        + "class User(SQLModel, table=True):\n    __tablename__ = 'user'\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n",
        example_sql='CREATE TABLE "user" (id bigint PRIMARY KEY);\n',
        use_instead_sqlmodel=SM
        + "class User(SQLModel, table=True):\n    __tablename__ = 'app_user'\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n",
        use_instead_sql="CREATE TABLE app_user (id bigint PRIMARY KEY);\n",
        fix="No automatic fix: rename (app_user, sort_order, user_group…).",
    ),
)
def reserved_word_identifier(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        for kind, name, origin in _named_objects(table):
            if kind in {"table", "column"} and (name in QUOTED_KEYWORDS or name in _TROUBLESOME):
                yield context.finding(
                    self, _path(table, kind, name), f"{kind} {name!r} is an SQL reserved word", origin=origin
                )


_NOT_PLURAL = ("ss", "us", "is", "news", "series", "species", "status", "data", "media", "ics", "sms", "gas")
_IRREGULAR_PLURALS = frozenset({"people", "children", "men", "women", "mice", "geese", "feet", "teeth"})


def is_plural(word: str) -> bool:
    word = word.lower()
    if word in _IRREGULAR_PLURALS:
        return True
    return len(word) > 3 and word.endswith("s") and not word.endswith(_NOT_PLURAL)


@rule(
    code="NAM003",
    name="plural-table-name",
    severity=Severity.INFO,
    summary="plural table name where the project style is singular (configurable)",
    doc=RuleDoc(
        what=(
            'Finds table names whose last word is plural when `naming-style = "singular"` (the '
            'default), or singular when it is "plural".'
        ),
        why=(
            "Mixed styles make every name a guess (`user` or `users`? `order_item` or "
            "`order_items`?). Singular matches the model class (`Post` ↔ `post`) and reads well in "
            "`post.author_id`."
        ),
        example_sqlmodel=SM
        + "class Post(SQLModel, table=True):\n    __tablename__ = 'posts'\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n",
        example_sql="CREATE TABLE posts (id bigint PRIMARY KEY);\n",
        use_instead_sqlmodel=SM
        + "class Post(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n",
        use_instead_sql="CREATE TABLE post (id bigint PRIMARY KEY);\n",
        fix="No automatic fix: renaming a table breaks clients.",
    ),
)
def plural_table_name(self: Rule, context: LintContext) -> Iterator[Finding]:
    want_plural = context.config.naming_style == "plural"
    for table in user_tables(context.database):
        last = table.name.split("_")[-1]
        if not last.isalpha() or is_plural(last) == want_plural:
            continue
        style = "plural" if want_plural else "singular"
        yield context.finding(
            self,
            table_path(table),
            f"table name {table.name!r} is not {style} (naming-style = {style})",
            origin=table.origin,
        )


@rule(
    code="NAM004",
    name="identifier-too-long",
    severity=Severity.ERROR,
    summary="name over 63 bytes (PostgreSQL truncates it silently)",
    doc=RuleDoc(
        what=(
            "Finds names longer than 63 bytes, and names of exactly 63 bytes (what PostgreSQL — and "
            "SQLAlchemy, for PostgreSQL — truncate longer names to)."
        ),
        why=(
            "PostgreSQL cuts identifiers at 63 bytes with only a NOTICE: two long index names can "
            "collide after truncation, and the model and the database disagree on the name, so "
            "migrations keep trying to rename it."
        ),
        example_sqlmodel=SM
        + "class Long(SQLModel, table=True):\n    __tablename__ = 'customer_' + 'x' * 60\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n",
        example_sql="CREATE TABLE customer_" + "x" * 60 + " (id bigint PRIMARY KEY);\n",
        use_instead_sqlmodel=SM
        + "class Long(SQLModel, table=True):\n    __tablename__ = 'customer_x'\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n",
        use_instead_sql="CREATE TABLE customer_x (id bigint PRIMARY KEY);\n",
        fix="No automatic fix: choose a shorter name.",
    ),
)
def identifier_too_long(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        for kind, name, origin in _named_objects(table):
            size = len(name.encode("utf-8"))
            if size > 63:
                message = f"{kind} name {name[:20]}… is {size} bytes; PostgreSQL keeps only 63"
            elif size == 63:
                message = f"{kind} name {name[:20]}… is exactly 63 bytes: it was probably truncated"
            else:
                continue
            yield context.finding(self, _path(table, kind, name), message, origin=origin)


_BOOLEAN_PREFIXES = (
    "is_",
    "has_",
    "can_",
    "should_",
    "was_",
    "did_",
    "does_",
    "allow_",
    "allows_",
    "needs_",
    "must_",
)


@rule(
    code="NAM005",
    name="boolean-name-prefix",
    severity=Severity.INFO,
    summary="boolean column without `is_`/`has_`/`can_` prefix",
    doc=RuleDoc(
        what="Finds boolean columns not named as a yes/no question (is_, has_, can_, should_, was_, "
        "allow_…).",
        why="`active` could be a date, a count or a flag; `is_active` can only be a flag, in SQL and in "
        "Python.",
        example_sqlmodel=SM
        + "class Account(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n"
        + "    active: bool = True\n",
        example_sql="CREATE TABLE account (id bigint PRIMARY KEY, active boolean NOT NULL DEFAULT true);\n",
        use_instead_sqlmodel=SM
        + "class Account(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n"
        + "    is_active: bool = True\n",
        use_instead_sql="CREATE TABLE account (id bigint PRIMARY KEY, is_active boolean NOT NULL DEFAULT "
        "true);\n",
        fix="No automatic fix: renaming breaks clients.",
    ),
)
def boolean_name_prefix(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        for column in table.columns:
            if (
                column.type == "boolean"
                and not column.inherited
                and not column.name.lower().startswith(_BOOLEAN_PREFIXES)
            ):
                yield context.finding(
                    self,
                    column_path(table, column.name),
                    f"boolean {table.name}.{column.name} does not read as a question (is_/has_/can_…)",
                    origin=column.origin or table.origin,
                )


@rule(
    code="NAM006",
    name="timestamp-name-suffix",
    severity=Severity.INFO,
    summary="timestamp column without `_at` (date: `_on`/`_date`)",
    doc=RuleDoc(
        what="Finds timestamp columns not ending in `_at`, and date columns not ending in `_on` or `_date`.",
        why="`created` could be a flag; `created_at` is a moment and `due_on` a day — the suffix tells "
        "which type to expect.",
        example_sqlmodel=SM
        + "from datetime import datetime\n\n\nclass Account(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n    last_login: datetime | None = "
        "None\n",
        example_sql="CREATE TABLE account (id bigint PRIMARY KEY, last_login timestamptz);\n",
        use_instead_sqlmodel=SM
        + "from datetime import datetime\n\n\nclass Account(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n    last_login_at: datetime | None "
        "= None\n",
        use_instead_sql="CREATE TABLE account (id bigint PRIMARY KEY, last_login_at timestamptz);\n",
        fix="No automatic fix: renaming breaks clients.",
    ),
)
def timestamp_name_suffix(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        for column in table.columns:
            if column.inherited:
                continue
            kind = base_type(column.type)
            name = column.name.lower()
            if kind.startswith("timestamp") and not kind.endswith("[]") and not name.endswith("_at"):
                wanted = "_at"
            elif kind == "date" and not (name.endswith(("_on", "_date")) or name == "date"):
                wanted = "_on or _date"
            else:
                continue
            yield context.finding(
                self,
                column_path(table, column.name),
                f"{kind} column {table.name}.{column.name} should end in {wanted}",
                origin=column.origin or table.origin,
            )


_SUFFIXES = {
    "pkey": "_pkey",
    "fkey": "_fkey",
    "key": "_key",
    "check": "_check",
    "excl": "_excl",
    "idx": "_idx",
}
_SQLALCHEMY_PREFIXES = {
    "pkey": "pk_",
    "fkey": "fk_",
    "key": "uq_",
    "check": "ck_",
    "excl": "ex_",
    "idx": "ix_",
}


def _follows_convention(
    table: Table, kind: str, name: str, unique: bool = False, convention: str = "any"
) -> bool:
    """PostgreSQL's own names ({table}_…_{suffix}), SQLAlchemy's (ix_/uq_/fk_/ck_/pk_{table}…) or
    Rails' (index_{table}_on_…, fk_rails_…): each is a convention a reader can rely on."""
    if len(name.encode()) >= 63:
        return True  # truncated names cannot be judged
    t = table.name
    if convention in {"any", "postgres"}:
        if kind == "pkey":
            if name == f"{t}_pkey":
                return True
        elif name.startswith(f"{t}_") and (
            name.endswith(_SUFFIXES[kind]) or (kind == "idx" and unique and name.endswith("_key"))
        ):
            return True
    if convention in {"any", "sqlalchemy"}:
        prefix = _SQLALCHEMY_PREFIXES[kind]
        if kind == "pkey":
            if name.startswith(prefix):
                return True
        elif name.startswith(f"{prefix}{t}_") or (
            kind == "idx" and (name == f"ix_{t}" or (unique and name.startswith(f"uq_{t}_")))
        ):
            return True
    rails = (kind == "fkey" and name.startswith("fk_rails_")) or (
        kind == "idx" and name.startswith(f"index_{t}_on_")
    )
    return convention in {"any", "rails"} and rails


@rule(
    code="NAM007",
    name="index-constraint-naming",
    severity=Severity.INFO,
    summary="index/constraint names not following the configured convention",
    doc=RuleDoc(
        what=(
            "Finds index and constraint names that follow none of the common conventions: "
            "PostgreSQL's own (`{table}_{columns}_idx|_key|_fkey|_check|_pkey`), SQLAlchemy's "
            "naming convention (`ix_/uq_/fk_/ck_/pk_{table}_…`) or Rails' (`index_{table}_on_…`, "
            '`fk_rails_…`). Set `naming-convention` to "postgres", "sqlalchemy" or "rails" '
            "to require one of them."
        ),
        why=(
            "Predictable names let a failing constraint's error message say which table and "
            "columns are involved, and let migrations refer to objects without looking them up."
        ),
        example_sqlmodel=SM
        + "from sqlalchemy import Index\n\n\nclass Post(SQLModel, table=True):\n"
        + "    __table_args__ = (Index('by_title', 'title'),)\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n    title: str\n",
        example_sql="CREATE TABLE post (id bigint PRIMARY KEY, title text);\nCREATE INDEX by_title ON post "
        "(title);\n",
        use_instead_sqlmodel=SM
        + "class Post(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n"
        + "    title: str = Field(index=True)\n",
        use_instead_sql="CREATE TABLE post (id bigint PRIMARY KEY, title text);\nCREATE INDEX "
        "post_title_idx ON post (title);\n",
        fix="Safe to do by hand: `ALTER INDEX … RENAME TO …` / `ALTER TABLE … RENAME CONSTRAINT` (no "
        "rewrite, brief lock).",
    ),
)
def index_constraint_naming(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        named: list[tuple[str, str, bool, Origin | None]] = []
        if table.primary_key is not None:
            named.append(("pkey", table.primary_key.name, True, table.primary_key.origin))
        named += [("fkey", fk.name, False, fk.origin) for fk in table.foreign_keys]
        named += [("key", u.name, True, u.origin) for u in table.unique_constraints]
        named += [("check", c.name, False, c.origin) for c in table.check_constraints]
        named += [("excl", x.name, False, x.origin) for x in table.exclusion_constraints]
        named += [("idx", i.name, i.unique, i.origin) for i in table.indexes]
        for kind, name, unique, origin in named:
            if _follows_convention(table, kind, name, unique, context.config.naming_convention):
                continue
            yield context.finding(
                self,
                object_path(table, name),
                f"{'index' if kind == 'idx' else 'constraint'} {name} on {table.name} does not follow "
                f"{table.name}_…_{kind} or the SQLAlchemy convention",
                origin=origin or table.origin,
            )


_NUMBERED = re.compile(r"^(.*?)_?(\d+)$")


@rule(
    code="NAM008",
    name="incrementing-column-names",
    severity=Severity.WARNING,
    summary="`phone1, phone2, phone3`: a repeating group (also a 1NF finding)",
    doc=RuleDoc(
        what="Finds two or more columns that differ only by a trailing number counting from 1 (phone1, "
        "phone2).",
        why=(
            "Numbered columns are a list squeezed into a row: the third phone number needs a "
            "migration, queries must OR over every column, and nothing keeps them in order. A "
            "child table (one row per phone) has none of these limits."
        ),
        example_sqlmodel=SM
        + "class Contact(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n"
        + "    phone1: str | None = None\n    phone2: str | None = None\n",
        example_sql="CREATE TABLE contact (id bigint PRIMARY KEY, phone1 text, phone2 text);\n",
        use_instead_sqlmodel=SM
        + "class Contact(SQLModel, table=True):\n    id: int | None = Field(default=None, "
        "primary_key=True)\n\n\n"
        + "class ContactPhone(SQLModel, table=True):\n    __tablename__ = 'contact_phone'\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    contact_id: int = Field(foreign_key='contact.id', index=True, ondelete='CASCADE')\n    "
        "phone: str\n",
        use_instead_sql="CREATE TABLE contact (id bigint PRIMARY KEY);\n"
        "CREATE TABLE contact_phone (id bigint PRIMARY KEY, contact_id bigint REFERENCES contact ON DELETE "
        "CASCADE, phone text);\n",
        fix="No automatic fix: move the values to a child table.",
    ),
)
def incrementing_column_names(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        groups: dict[str, list[tuple[int, str]]] = {}
        for column in table.columns:
            match = _NUMBERED.match(column.name)
            if match and match.group(1) and not column.inherited:
                groups.setdefault(match.group(1), []).append((int(match.group(2)), column.name))
        for _stem, members in sorted(groups.items()):
            numbers = sorted(n for n, _ in members)
            if len(numbers) < 2 or numbers[0] not in (0, 1, 2) or numbers[1] != numbers[0] + 1:
                continue
            names = [name for _, name in sorted(members)]
            column = table.column(names[0])
            yield context.finding(
                self,
                column_path(table, names[0]),
                f"{table.name} has numbered columns {', '.join(names)}: a repeating group — use a child "
                "table",
                origin=(column.origin if column else None) or table.origin,
            )
