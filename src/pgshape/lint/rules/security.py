"""Security (SEC): secrets at rest, personal data, row-level security and definer functions."""

from __future__ import annotations

from collections.abc import Iterator

from pgshape.lint.core import Finding, Fix, LintContext, Rule, RuleDoc, Severity, rule
from pgshape.lint.helpers import column_path, is_texty, table_path, user_tables
from pgshape.lint.rules._shapes import (
    derived_name,
    foreign_key_columns,
    is_pii,
    is_sensitive,
    source_facts,
    words,
)
from pgshape.render.identifiers import qualified, quote_ident, quote_literal

# A sensitive word followed by one of these names a fact *about* the secret, not the secret.
_ABOUT_SECRET = frozenset(
    {
        "type",
        "kind",
        "name",
        "hint",
        "expires",
        "expiry",
        "count",
        "length",
        "policy",
        "id",
        "ids",
        "scope",
        "scopes",
        "prefix",
        "label",
        "description",
        "version",
        "algorithm",
        "status",
        "format",
        "last4",
        "required",
        "set",
    }
)
_PROTECTED = frozenset(
    {
        "hash",
        "hashed",
        "digest",
        "encrypted",
        "enc",
        "cipher",
        "ciphertext",
        "crypt",
        "bcrypt",
        "argon2",
        "salt",
        "fingerprint",
    }
)
_PII_TYPES = ("date", "inet", "cidr", "macaddr")

_NOT_APPLICABLE_RLS = "# not applicable: SQLModel cannot declare row-level security or policies\n"


def _plaintext_sensitive(context: LintContext, name: str) -> bool:
    parts = words(name)
    if not parts or not is_sensitive(context, name):
        return False
    return (
        not (_PROTECTED & set(parts))
        and parts[-1] not in _ABOUT_SECRET
        and not name.startswith(("has_", "is_"))
    )


# --- SEC001 --------------------------------------------------------------------------------------


@rule(
    code="SEC001",
    name="plaintext-sensitive-column",
    severity=Severity.ERROR,
    summary=(
        "password/secret/token/api_key/ssn/card-number columns not named "
        "as hashed/encrypted (`*_hash`, `*_encrypted`) or typed bytea"
    ),
    doc=RuleDoc(
        what=(
            "Finds text columns named like secrets (the `sensitive-columns` patterns: password, secret, "
            "token, api_key, ssn, card_number, …) that are neither named as hashed or encrypted "
            "(`password_hash`, `api_key_encrypted`) nor stored as `bytea`."
        ),
        why=(
            "A plaintext secret leaks with every backup, replica, log line and SQL console. Passwords "
            "must be stored as a slow hash; tokens and keys as a hash (look up by hash) or encrypted."
        ),
        example_sqlmodel="""\
from sqlmodel import Field, SQLModel


class Account(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str
    password: str
""",
        example_sql="""\
CREATE TABLE account (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL,
    password text NOT NULL
);
""",
        use_instead_sqlmodel="""\
from sqlmodel import Field, SQLModel


class Account(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str
    password_hash: str
""",
        use_instead_sql="""\
CREATE TABLE account (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL,
    password_hash text NOT NULL
);
""",
        fix="None: hashing or encrypting existing values needs the application's algorithm and keys.",
    ),
)
def plaintext_sensitive_column(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        fk_columns = foreign_key_columns(table)
        for column in table.columns:
            if column.inherited or column.name in fk_columns or not is_texty(column):
                continue
            if _plaintext_sensitive(context, column.name):
                yield context.finding(
                    self,
                    column_path(table, column.name),
                    f"{table.name}.{column.name} looks like a secret stored as {column.type}: "
                    "store a hash (or encrypt it) and name it so",
                    origin=column.origin,
                )


# --- SEC002 --------------------------------------------------------------------------------------


@rule(
    code="SEC002",
    name="pii-column-undocumented",
    severity=Severity.INFO,
    summary="PII-looking column (email, phone, birth_date, address, ip) without a comment tag",
    doc=RuleDoc(
        what=(
            "Finds columns that look like personal data (the `pii-columns` patterns: email, phone, "
            "birth_date, address, ip, …) whose comment does not tag them with `pii`."
        ),
        why=(
            "Data-protection requests (export, erase), retention rules and masking in non-production "
            "copies all start from knowing where personal data lives. A `pii` tag in the column comment "
            "makes that list queryable from the catalog."
        ),
        example_sqlmodel="""\
from sqlmodel import Field, SQLModel


class Customer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str
""",
        example_sql="""\
CREATE TABLE customer (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL
);
""",
        use_instead_sqlmodel="""\
from sqlmodel import Field, SQLModel


class Customer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(sa_column_kwargs={"comment": "pii: contact address"})
""",
        use_instead_sql="""\
CREATE TABLE customer (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL
);
COMMENT ON COLUMN customer.email IS 'pii: contact address';
""",
        fix="SQL (safe): `COMMENT ON COLUMN … IS 'pii: …'`, keeping any existing comment after the tag.",
    ),
)
def pii_column_undocumented(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        fk_columns = foreign_key_columns(table)
        for column in table.columns:
            if column.inherited or column.name in fk_columns or not is_pii(context, column.name):
                continue
            if not (is_texty(column) or column.type in _PII_TYPES):
                continue  # email_verified (boolean), address_id (integer) are not the data itself
            if column.comment and "pii" in column.comment.lower():
                continue
            text = f"pii: {column.comment}" if column.comment else "pii"
            sql = (
                f"COMMENT ON COLUMN {qualified(*table.key)}.{quote_ident(column.name)} "
                f"IS {quote_literal(text)};"
            )
            yield context.finding(
                self,
                column_path(table, column.name),
                f"{table.name}.{column.name} looks like personal data but its comment has no pii tag",
                origin=column.origin,
                fixes=(Fix(description="tag the column as pii", safe=True, sql=sql),),
            )


# --- SEC003 --------------------------------------------------------------------------------------

TENANT_COLUMNS = ("tenant_id",)


@rule(
    code="SEC003",
    name="tenant-table-without-rls",
    severity=Severity.WARNING,
    summary="table with `tenant_id` and RLS disabled",
    doc=RuleDoc(
        what="Finds tables with a `tenant_id` column where row-level security is not enabled.",
        why=(
            "Tenant isolation then rests on every query remembering `WHERE tenant_id = …`; one forgotten "
            "filter shows one customer's rows to another. RLS makes the database enforce it."
        ),
        example_sqlmodel=_NOT_APPLICABLE_RLS,
        example_sql="""\
CREATE TABLE project (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id bigint NOT NULL,
    name text NOT NULL
);
""",
        use_instead_sqlmodel=_NOT_APPLICABLE_RLS,
        use_instead_sql="""\
CREATE TABLE project (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id bigint NOT NULL,
    name text NOT NULL
);
ALTER TABLE project ENABLE ROW LEVEL SECURITY;
CREATE POLICY project_tenant_isolation ON project
    USING (tenant_id = current_setting('app.tenant_id')::bigint);
""",
        fix=(
            "SQL (unsafe): enable RLS and add a policy comparing `tenant_id` with a session setting "
            "(`app.tenant_id`); every connection must then set it, and the table owner bypasses RLS "
            "unless it is FORCEd."
        ),
    ),
)
def tenant_table_without_rls(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        column = next((table.column(n) for n in TENANT_COLUMNS if table.column(n) is not None), None)
        if column is None or table.rls_enabled:
            continue
        relation = qualified(*table.key)
        base = column.type.split("(")[0]
        sql = (
            f"ALTER TABLE {relation} ENABLE ROW LEVEL SECURITY;\n"
            f"CREATE POLICY {quote_ident(derived_name(table.name, '_tenant_isolation'))} ON {relation}\n"
            f"    USING ({quote_ident(column.name)} = current_setting('app.tenant_id')::{base});"
        )
        yield context.finding(
            self,
            table_path(table),
            f"{table.name} has {column.name} but row-level security is disabled",
            origin=table.origin,
            fixes=(Fix(description="enable RLS with a tenant policy", safe=False, sql=sql),),
        )


# --- SEC004 / SEC005 -----------------------------------------------------------------------------


@rule(
    code="SEC004",
    name="rls-without-policy",
    severity=Severity.ERROR,
    summary="RLS enabled and no policy: nobody but owners sees rows",
    doc=RuleDoc(
        what="Finds tables with row-level security enabled and no policy.",
        why=(
            "With RLS on and no policy, the default is deny: every role except the owner and superusers "
            "sees no rows and cannot write any. It works in development (as the owner) and breaks in "
            "production."
        ),
        example_sqlmodel=_NOT_APPLICABLE_RLS,
        example_sql="""\
CREATE TABLE document (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_name text NOT NULL
);
ALTER TABLE document ENABLE ROW LEVEL SECURITY;
""",
        use_instead_sqlmodel=_NOT_APPLICABLE_RLS,
        use_instead_sql="""\
CREATE TABLE document (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_name text NOT NULL
);
ALTER TABLE document ENABLE ROW LEVEL SECURITY;
CREATE POLICY document_owner ON document USING (owner_name = current_user);
""",
        fix="None: who may see which rows is the policy you have to write.",
    ),
)
def rls_without_policy(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        if table.rls_enabled and not table.policies:
            yield context.finding(
                self,
                table_path(table),
                f"{table.name} has row-level security enabled but no policy: only its owner sees rows",
                origin=table.origin,
            )


@rule(
    code="SEC005",
    name="policy-without-rls",
    severity=Severity.ERROR,
    summary="policies defined while RLS is disabled: they do nothing",
    doc=RuleDoc(
        what="Finds tables with row-level security policies while row-level security is disabled.",
        why="Policies are ignored until `ENABLE ROW LEVEL SECURITY`: the table looks protected and is not.",
        example_sqlmodel=_NOT_APPLICABLE_RLS,
        example_sql="""\
CREATE TABLE document (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_name text NOT NULL
);
CREATE POLICY document_owner ON document USING (owner_name = current_user);
""",
        use_instead_sqlmodel=_NOT_APPLICABLE_RLS,
        use_instead_sql="""\
CREATE TABLE document (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_name text NOT NULL
);
ALTER TABLE document ENABLE ROW LEVEL SECURITY;
CREATE POLICY document_owner ON document USING (owner_name = current_user);
""",
        fix=(
            "SQL (unsafe): `ALTER TABLE … ENABLE ROW LEVEL SECURITY` — from then on the policies filter "
            "every non-owner query, which is the point, but check them first."
        ),
    ),
)
def policy_without_rls(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        if table.policies and not table.rls_enabled:
            sql = f"ALTER TABLE {qualified(*table.key)} ENABLE ROW LEVEL SECURITY;"
            names = ", ".join(p.name for p in table.policies)
            yield context.finding(
                self,
                table_path(table),
                f"{table.name} has policies ({names}) but row-level security is disabled: they do nothing",
                origin=table.origin,
                fixes=(Fix(description="enable row-level security", safe=False, sql=sql),),
            )


# --- SEC006 --------------------------------------------------------------------------------------


@rule(
    code="SEC006",
    name="security-definer-mutable-search-path",
    severity=Severity.WARNING,
    summary="SECURITY DEFINER function without a fixed search_path",
    doc=RuleDoc(
        what="Finds `SECURITY DEFINER` functions and procedures without a `SET search_path` clause.",
        why=(
            "The function runs with its owner's rights but resolves names through the caller's "
            "search_path: a caller who can create objects in any schema on that path can substitute a "
            "table or operator and run code as the owner."
        ),
        example_sqlmodel="# not applicable: SQLModel cannot declare functions\n",
        example_sql="""\
CREATE FUNCTION current_tenant() RETURNS text
    LANGUAGE sql SECURITY DEFINER
    AS $$ SELECT current_setting('app.tenant', true) $$;
""",
        use_instead_sqlmodel="# not applicable: SQLModel cannot declare functions\n",
        use_instead_sql="""\
CREATE FUNCTION current_tenant() RETURNS text
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT current_setting('app.tenant', true) $$;
""",
        fix=(
            "SQL (unsafe): `ALTER FUNCTION … SET search_path = pg_catalog, pg_temp`; the body must then "
            "schema-qualify the objects it uses."
        ),
    ),
)
def security_definer_mutable_search_path(self: Rule, context: LintContext) -> Iterator[Finding]:
    for function in context.database.functions:
        if not function.security_definer:
            continue
        if any(setting.lower().startswith("search_path=") for setting in function.config):
            continue
        kind = "PROCEDURE" if function.kind == "procedure" else "FUNCTION"
        sql = (
            f"ALTER {kind} {qualified(function.schema, function.name)}({function.arguments}) "
            "SET search_path = pg_catalog, pg_temp;"
        )
        yield context.finding(
            self,
            f"{function.schema}.{function.name}",
            f"SECURITY DEFINER {function.kind} {function.signature} has no fixed search_path",
            origin=function.origin,
            fixes=(Fix(description="pin the search_path", safe=False, sql=sql),),
        )


# --- SEC007 --------------------------------------------------------------------------------------

_READ_MODEL_SUFFIXES = ("Public", "Read", "Out", "Response", "Output", "View", "Detail", "Details")


@rule(
    code="SEC007",
    name="sensitive-field-serialized",
    severity=Severity.WARNING,
    summary="SQLModel: sensitive field present in a Public/Read variant model",
    python_only=True,
    doc=RuleDoc(
        what=(
            "In SQLModel sources, finds read/response models (`UserPublic`, `UserRead`, `UserOut`, …) "
            "that carry a sensitive field (password, its hash, tokens, keys), declared or inherited."
        ),
        why=(
            "These models are what the API returns: a FastAPI `response_model=UserPublic` serializes "
            "every field, so the hash or token goes out to every client."
        ),
        example_sqlmodel="""\
from sqlmodel import Field, SQLModel


class UserBase(SQLModel):
    email: str
    password_hash: str


class User(UserBase, table=True):
    id: int | None = Field(default=None, primary_key=True)


class UserPublic(UserBase):
    id: int
""",
        example_sql="-- not applicable: a rule about SQLModel response models\n",
        use_instead_sqlmodel="""\
from sqlmodel import Field, SQLModel


class UserBase(SQLModel):
    email: str


class User(UserBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    password_hash: str


class UserPublic(UserBase):
    id: int
""",
        use_instead_sql="-- not applicable: a rule about SQLModel response models\n",
        fix="None: move the field out of the shared base into the table model (and the create model).",
    ),
)
def sensitive_field_serialized(self: Rule, context: LintContext) -> Iterator[Finding]:
    facts = source_facts(context)
    if facts is None:
        return
    for cls in facts.classes:
        if cls.table or not cls.name.endswith(_READ_MODEL_SUFFIXES):
            continue
        for field_fact in facts.all_fields(cls):
            if is_sensitive(context, field_fact.name) and words(field_fact.name)[-1] not in _ABOUT_SECRET:
                declared = "declares" if cls.field(field_fact.name) is not None else "inherits"
                yield context.finding(
                    self,
                    f"{cls.name}.{field_fact.name}",
                    f"response model {cls.name} {declared} sensitive field {field_fact.name}",
                    origin=cls.origin,
                )
