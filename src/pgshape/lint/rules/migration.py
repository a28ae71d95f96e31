"""MIG: migration statements (``pgshape lint-migration``, and the plans ``pgshape diff`` writes).

The rules read parsed statements (``migrate.statements``) through a
:class:`pgshape.migrate.lint_migration.MigrationContext`; the lint engine never runs them on a
schema. Known false alarms of other linters are avoided on purpose: UNIQUE / PRIMARY KEY are
never told to use NOT VALID (they cannot; the online form is a concurrently built index and
``USING INDEX``), and widening ``varchar`` or ``varchar`` → ``text`` is not a rewrite.
"""

from __future__ import annotations

from collections.abc import Iterator

from pgshape.lint.core import Finding, LintContext, Rule, RuleDoc, Severity, rule
from pgshape.migrate.lint_migration import (
    MigrationContext,
    Relation,
    consented,
    dropped_names,
    index_table,
)
from pgshape.migrate.statements import (
    Node,
    Statement,
    null_test_column,
    relation,
    setting,
    string_constants,
    type_name,
    volatile_calls,
    walk,
)
from pgshape.migrate.types import classify_type_change
from pgshape.model import Column


def _ctx(context: LintContext) -> MigrationContext:
    assert isinstance(context, MigrationContext), "MIG rules run through pgshape lint-migration"
    return context


def _commands(statement: Statement) -> Iterator[tuple[Relation | None, Node]]:
    """(table, AlterTableCmd) of an ALTER TABLE statement."""
    if statement.kind != "AlterTableStmt" or statement.node.get("objtype") not in (None, "OBJECT_TABLE"):
        return
    rel = relation(statement.node.get("relation"))
    for command in statement.node.get("cmds") or ():
        yield rel, command.get("AlterTableCmd", {})


def _constraint(command: Node) -> Node:
    return command.get("def", {}).get("Constraint", {})  # type: ignore[no-any-return]


def _column_def(command: Node) -> Node:
    return command.get("def", {}).get("ColumnDef", {})  # type: ignore[no-any-return]


def _doc(what: str, why: str, bad_py: str, bad_sql: str, good_py: str, good_sql: str, fix: str) -> RuleDoc:
    return RuleDoc(what, why, bad_py, bad_sql, good_py, good_sql, fix)


# MIG001 ---------------------------------------------------------------------------------------------


@rule(
    code="MIG001",
    name="index-not-concurrent",
    severity=Severity.ERROR,
    summary="CREATE/DROP INDEX without CONCURRENTLY on an existing table",
    doc=_doc(
        "Finds `CREATE INDEX` and `DROP INDEX` without `CONCURRENTLY` on a table that already exists.",
        "A plain CREATE INDEX holds a SHARE lock for the whole build: every INSERT, UPDATE and DELETE "
        "on the table waits, for minutes on a large table. DROP INDEX takes ACCESS EXCLUSIVE.",
        'op.create_index("ix_post_author_id", "post", ["author_id"])',
        "CREATE INDEX ix_post_author_id ON post (author_id);",
        "with op.get_context().autocommit_block():\n"
        '    op.create_index("ix_post_author_id", "post", ["author_id"], postgresql_concurrently=True)',
        "CREATE INDEX CONCURRENTLY ix_post_author_id ON post (author_id);",
        "Add CONCURRENTLY and run the statement outside a transaction block (pgshape diff does both).",
    ),
)
def index_not_concurrent(rule_: Rule, context: LintContext) -> Iterator[Finding]:
    ctx = _ctx(context)
    created: set[str] = set()
    for statement in ctx.statements:
        node = statement.node
        if statement.kind == "IndexStmt":
            rel = index_table(statement)
            if node.get("idxname"):
                created.add(node["idxname"])
            if not node.get("concurrent") and ctx.existing(rel, statement):
                table = ctx.table(rel)
                only = not node.get("relation", {}).get("inh", False)  # false is omitted
                if table is not None and table.is_partitioned and only:
                    continue  # ON ONLY the parent: an empty, invalid index, built by nobody
                message = (
                    f"CREATE INDEX on existing table {ctx.path(rel)} without CONCURRENTLY blocks writes "
                    "(SHARE lock) for the whole build"
                )
                if table is not None and table.is_partitioned:
                    # PostgreSQL has no CONCURRENTLY for a partitioned table: say what does work.
                    message += (
                        "; partitioned: create it ON ONLY the parent, CONCURRENTLY on each partition, "
                        "then ALTER INDEX ... ATTACH PARTITION"
                    )
                yield ctx.finding_at(rule_, statement, ctx.path(rel, node.get("idxname") or ""), message)
        elif statement.kind == "DropStmt" and node.get("removeType") == "OBJECT_INDEX":
            if node.get("concurrent"):
                continue
            for names in dropped_names(statement):
                if names and names[-1] not in created:
                    yield ctx.finding_at(
                        rule_,
                        statement,
                        ".".join(names),
                        f"DROP INDEX {'.'.join(names)} without CONCURRENTLY takes ACCESS EXCLUSIVE "
                        "on its table",
                    )


# MIG002 ---------------------------------------------------------------------------------------------


def _concurrent(statement: Statement) -> str | None:
    node = statement.node
    if statement.kind == "IndexStmt" and node.get("concurrent"):
        return "CREATE INDEX CONCURRENTLY"
    if statement.kind == "DropStmt" and node.get("concurrent"):
        return "DROP INDEX CONCURRENTLY"
    if statement.kind == "ReindexStmt" and any(
        option.get("defname") == "concurrently" for _, option in walk(node.get("params"))
    ):
        return "REINDEX CONCURRENTLY"
    for _, command in _commands(statement):
        if command.get("subtype") == "AT_DetachPartition" and command.get("def", {}).get(
            "PartitionCmd", {}
        ).get("concurrent"):
            return "DETACH PARTITION CONCURRENTLY"
    return None


@rule(
    code="MIG002",
    name="concurrent-in-transaction",
    severity=Severity.ERROR,
    summary="CONCURRENTLY inside a transaction block",
    doc=_doc(
        "Finds CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY and DETACH PARTITION CONCURRENTLY "
        "inside a transaction block: an explicit BEGIN, or the transaction Alembic opens for a revision.",
        "PostgreSQL refuses these statements in a transaction block (ERROR: ... cannot run inside a "
        "transaction block): the migration fails halfway in production.",
        'op.create_index("ix_post_title", "post", ["title"], postgresql_concurrently=True)',
        "BEGIN;\nCREATE INDEX CONCURRENTLY ix_post_title ON post (title);\nCOMMIT;",
        "with op.get_context().autocommit_block():\n"
        '    op.create_index("ix_post_title", "post", ["title"], postgresql_concurrently=True)',
        "CREATE INDEX CONCURRENTLY ix_post_title ON post (title);  -- outside BEGIN ... COMMIT",
        "Move the statement out of the transaction (Alembic: `autocommit_block()`).",
    ),
)
def concurrent_in_transaction(rule_: Rule, context: LintContext) -> Iterator[Finding]:
    ctx = _ctx(context)
    for statement in ctx.statements:
        what = _concurrent(statement)
        if what is not None and statement.transaction is not None:
            rel = index_table(statement) if statement.kind == "IndexStmt" else None
            yield ctx.finding_at(
                rule_,
                statement,
                ctx.path(rel) if rel else what,
                f"{what} runs inside a transaction block: PostgreSQL refuses it",
            )


# MIG003 / MIG004 ------------------------------------------------------------------------------------


@rule(
    code="MIG003",
    name="constraint-not-not-valid",
    severity=Severity.ERROR,
    summary="ADD FOREIGN KEY / CHECK on an existing table without NOT VALID",
    doc=_doc(
        "Finds ADD CONSTRAINT ... FOREIGN KEY or CHECK on an existing table without NOT VALID.",
        "Adding the constraint validates every row while holding a lock that blocks writes (ACCESS "
        "EXCLUSIVE for CHECK, SHARE ROW EXCLUSIVE on both tables for a foreign key).",
        'op.create_foreign_key("post_author_id_fkey", "post", "author", ["author_id"], ["id"])',
        "ALTER TABLE post ADD CONSTRAINT post_author_id_fkey FOREIGN KEY (author_id) REFERENCES author;",
        'op.execute("ALTER TABLE post ADD CONSTRAINT post_author_id_fkey FOREIGN KEY (author_id) '
        'REFERENCES author NOT VALID")\n'
        'op.execute("ALTER TABLE post VALIDATE CONSTRAINT post_author_id_fkey")',
        "ALTER TABLE post ADD CONSTRAINT post_author_id_fkey FOREIGN KEY (author_id) REFERENCES author "
        "NOT VALID;\nALTER TABLE post VALIDATE CONSTRAINT post_author_id_fkey;",
        "Add it NOT VALID, then VALIDATE CONSTRAINT in a later step (SHARE UPDATE EXCLUSIVE: reads and "
        "writes go on). pgshape diff plans it that way.",
    ),
)
def constraint_not_not_valid(rule_: Rule, context: LintContext) -> Iterator[Finding]:
    ctx = _ctx(context)
    for statement in ctx.statements:
        for rel, command in _commands(statement):
            constraint = _constraint(command)
            kind = constraint.get("contype")
            if command.get("subtype") != "AT_AddConstraint" or kind not in ("CONSTR_FOREIGN", "CONSTR_CHECK"):
                continue
            if constraint.get("skip_validation") or not ctx.existing(rel, statement):
                continue
            word = "FOREIGN KEY" if kind == "CONSTR_FOREIGN" else "CHECK"
            name = constraint.get("conname") or word.lower()
            yield ctx.finding_at(
                rule_,
                statement,
                ctx.path(rel, name),
                f"ADD {word} {name} on existing table {ctx.path(rel)} validates every row under a lock "
                "that blocks writes: add it NOT VALID and VALIDATE it in a later step",
            )


@rule(
    code="MIG004",
    name="unique-without-index",
    severity=Severity.ERROR,
    summary="ADD UNIQUE / PRIMARY KEY without USING INDEX built concurrently",
    doc=_doc(
        "Finds ADD CONSTRAINT ... UNIQUE or PRIMARY KEY on an existing table that builds its index "
        "in place instead of adopting one built CONCURRENTLY (`USING INDEX`).",
        "The index is built under ACCESS EXCLUSIVE: no reads, no writes until it is done. NOT VALID "
        "does not exist for these constraints — the online form is an index built concurrently first.",
        'op.create_unique_constraint("author_email_key", "author", ["email"])',
        "ALTER TABLE author ADD CONSTRAINT author_email_key UNIQUE (email);",
        "with op.get_context().autocommit_block():\n"
        '    op.execute("CREATE UNIQUE INDEX CONCURRENTLY author_email_key ON author (email)")\n'
        'op.execute("ALTER TABLE author ADD CONSTRAINT author_email_key UNIQUE "\n'
        '           "USING INDEX author_email_key")',
        "CREATE UNIQUE INDEX CONCURRENTLY author_email_key ON author (email);\n"
        "ALTER TABLE author ADD CONSTRAINT author_email_key UNIQUE USING INDEX author_email_key;",
        "Build the unique index CONCURRENTLY, then ADD CONSTRAINT ... USING INDEX (pgshape diff does).",
    ),
)
def unique_without_index(rule_: Rule, context: LintContext) -> Iterator[Finding]:
    ctx = _ctx(context)
    for statement in ctx.statements:
        for rel, command in _commands(statement):
            constraint = _constraint(command)
            kind = constraint.get("contype")
            if command.get("subtype") != "AT_AddConstraint" or kind not in (
                "CONSTR_UNIQUE",
                "CONSTR_PRIMARY",
            ):
                continue
            if constraint.get("indexname") or not ctx.existing(rel, statement):
                continue
            word = "PRIMARY KEY" if kind == "CONSTR_PRIMARY" else "UNIQUE"
            name = constraint.get("conname") or word.lower()
            yield ctx.finding_at(
                rule_,
                statement,
                ctx.path(rel, name),
                f"ADD {word} on existing table {ctx.path(rel)} builds its index under ACCESS EXCLUSIVE: "
                "build it CONCURRENTLY first and add the constraint USING INDEX",
            )


# MIG005 ---------------------------------------------------------------------------------------------


def _proofs(ctx: MigrationContext, rel: Relation | None, before: Statement) -> set[str]:
    """Columns of ``rel`` with a validated CHECK (c IS NOT NULL) before ``before``."""
    proven: set[str] = set()
    table = ctx.table(rel)
    if table is not None:
        for check in table.check_constraints:
            text = check.expression.strip("() ")
            if check.validated and text.endswith(" IS NOT NULL") and " " not in text[: -len(" IS NOT NULL")]:
                proven.add(text[: -len(" IS NOT NULL")].strip('"'))
    pending: dict[str, str] = {}  # NOT VALID check name → column
    for statement in ctx.statements[: before.index]:
        for other, command in _commands(statement):
            if rel is None or other is None or other[1] != rel[1]:
                continue
            constraint = _constraint(command)
            column = null_test_column(constraint.get("raw_expr"))
            if command.get("subtype") == "AT_AddConstraint" and column is not None:
                if constraint.get("skip_validation"):
                    pending[constraint.get("conname", "")] = column
                else:
                    proven.add(column)
            elif command.get("subtype") == "AT_ValidateConstraint" and command.get("name") in pending:
                proven.add(pending[command["name"]])
    return proven


@rule(
    code="MIG005",
    name="set-not-null-scan",
    severity=Severity.WARNING,
    summary="SET NOT NULL without a validated CHECK (c IS NOT NULL) first",
    doc=_doc(
        "Finds ALTER COLUMN ... SET NOT NULL on an existing table with no validated "
        "`CHECK (c IS NOT NULL)` on that column before it.",
        "SET NOT NULL scans the whole table under ACCESS EXCLUSIVE. Since PostgreSQL 12 a validated "
        "CHECK (c IS NOT NULL) is accepted as proof and the scan is skipped.",
        'op.alter_column("post", "author_id", nullable=False)',
        "ALTER TABLE post ALTER COLUMN author_id SET NOT NULL;",
        'op.execute("ALTER TABLE post ADD CONSTRAINT author_id_nn CHECK (author_id IS NOT NULL) NOT VALID")\n'
        'op.execute("ALTER TABLE post VALIDATE CONSTRAINT author_id_nn")\n'
        'op.alter_column("post", "author_id", nullable=False)\n'
        'op.drop_constraint("author_id_nn", "post")',
        "ALTER TABLE post ADD CONSTRAINT author_id_nn CHECK (author_id IS NOT NULL) NOT VALID;\n"
        "ALTER TABLE post VALIDATE CONSTRAINT author_id_nn;\n"
        "ALTER TABLE post ALTER COLUMN author_id SET NOT NULL;\n"
        "ALTER TABLE post DROP CONSTRAINT author_id_nn;",
        "Add the check NOT VALID, validate it, then SET NOT NULL and drop the check (pgshape diff does).",
    ),
)
def set_not_null_scan(rule_: Rule, context: LintContext) -> Iterator[Finding]:
    ctx = _ctx(context)
    for statement in ctx.statements:
        for rel, command in _commands(statement):
            if command.get("subtype") != "AT_SetNotNull" or not ctx.existing(rel, statement):
                continue
            column = command.get("name", "")
            if column in _proofs(ctx, rel, statement):
                continue
            yield ctx.finding_at(
                rule_,
                statement,
                ctx.path(rel, column),
                f"SET NOT NULL on {ctx.path(rel, column)} scans the table under ACCESS EXCLUSIVE: "
                f"validate CHECK ({column} IS NOT NULL) first",
            )


# MIG006 / MIG007 ------------------------------------------------------------------------------------


def _column_constraints(column: Node) -> list[Node]:
    return [c.get("Constraint", {}) for c in column.get("constraints") or ()]


def _added_columns(ctx: MigrationContext, statement: Statement) -> Iterator[tuple[Relation | None, Node]]:
    for rel, command in _commands(statement):
        if command.get("subtype") == "AT_AddColumn" and ctx.existing(rel, statement):
            yield rel, _column_def(command)


def _checked_domain(ctx: MigrationContext, column: Node) -> str | None:
    """The FROM domain the column's type names, when it has constraints PostgreSQL must check
    on every existing row (which it does by rewriting the table)."""
    spelled = type_name(column.get("typeName", {}))
    for domain in ctx.database.domains:
        if spelled in (f"{domain.schema}.{domain.name}", domain.name) and (
            domain.checks or not domain.nullable
        ):
            return f"{domain.schema}.{domain.name}"
    return None


@rule(
    code="MIG006",
    name="add-column-volatile-default",
    severity=Severity.ERROR,
    summary="ADD COLUMN with a volatile default (rewrites the table)",
    doc=_doc(
        "Finds ADD COLUMN on an existing table whose default calls a volatile function "
        "(random(), gen_random_uuid(), clock_timestamp(), nextval(), ...), or that is GENERATED ... "
        "STORED, an identity column, or (with --against) of a domain type with constraints.",
        "A constant or stable default (now()) is stored once in the catalog; a volatile one must be "
        "computed per row, so PostgreSQL rewrites the whole table under ACCESS EXCLUSIVE.",
        'op.add_column("post", sa.Column("token", sa.Uuid, server_default=sa.text("gen_random_uuid()")))',
        "ALTER TABLE post ADD COLUMN token uuid DEFAULT gen_random_uuid();",
        'op.add_column("post", sa.Column("token", sa.Uuid))\n'
        'op.execute("ALTER TABLE post ALTER COLUMN token SET DEFAULT gen_random_uuid()")\n'
        "# then backfill existing rows in batches, outside the migration",
        "ALTER TABLE post ADD COLUMN token uuid;\n"
        "ALTER TABLE post ALTER COLUMN token SET DEFAULT gen_random_uuid();\n"
        "-- backfill in batches: UPDATE post SET token = gen_random_uuid() WHERE id BETWEEN ... AND ...;",
        "Add the column without the default, set the default in a second statement (new rows only), "
        "and backfill old rows in batches.",
    ),
)
def add_column_volatile_default(rule_: Rule, context: LintContext) -> Iterator[Finding]:
    ctx = _ctx(context)
    for statement in ctx.statements:
        for rel, column in _added_columns(ctx, statement):
            name = column.get("colname", "")
            domain = _checked_domain(ctx, column)
            if domain is not None:
                yield ctx.finding_at(
                    rule_,
                    statement,
                    ctx.path(rel, name),
                    f"ADD COLUMN {name} rewrites {ctx.path(rel)} under ACCESS EXCLUSIVE: its type is "
                    f"domain {domain}, whose constraints are checked on every existing row",
                )
                continue
            for constraint in _column_constraints(column):
                kind = constraint.get("contype")
                calls = volatile_calls(constraint.get("raw_expr")) if kind == "CONSTR_DEFAULT" else []
                if calls:
                    why = f"its default calls volatile {', '.join(sorted(set(calls)))}()"
                elif kind == "CONSTR_GENERATED":
                    why = "it is GENERATED ... STORED"
                elif kind == "CONSTR_IDENTITY":
                    why = "an identity column gives every existing row a new value"
                else:
                    continue
                yield ctx.finding_at(
                    rule_,
                    statement,
                    ctx.path(rel, name),
                    f"ADD COLUMN {name} rewrites {ctx.path(rel)} under ACCESS EXCLUSIVE: {why}",
                )


@rule(
    code="MIG007",
    name="add-required-column",
    severity=Severity.ERROR,
    summary="ADD COLUMN NOT NULL without default on a table with rows",
    doc=_doc(
        "Finds ADD COLUMN ... NOT NULL (or PRIMARY KEY) without a DEFAULT on an existing table.",
        "Existing rows would get NULL, so PostgreSQL refuses the statement as soon as the table has "
        "a row: the migration that passed on an empty development database fails in production.",
        'op.add_column("post", sa.Column("slug", sa.Text, nullable=False))',
        "ALTER TABLE post ADD COLUMN slug text NOT NULL;",
        'op.add_column("post", sa.Column("slug", sa.Text, nullable=False, server_default=""))',
        "ALTER TABLE post ADD COLUMN slug text NOT NULL DEFAULT '';",
        "Give it a (constant) default, or add it nullable, backfill, then SET NOT NULL the online way.",
    ),
)
def add_required_column(rule_: Rule, context: LintContext) -> Iterator[Finding]:
    ctx = _ctx(context)
    for statement in ctx.statements:
        for rel, column in _added_columns(ctx, statement):
            kinds = {c.get("contype") for c in _column_constraints(column)}
            required = kinds & {"CONSTR_NOTNULL", "CONSTR_PRIMARY"}
            filled = kinds & {"CONSTR_DEFAULT", "CONSTR_IDENTITY", "CONSTR_GENERATED"}
            if required and not filled:
                name = column.get("colname", "")
                yield ctx.finding_at(
                    rule_,
                    statement,
                    ctx.path(rel, name),
                    f"ADD COLUMN {name} NOT NULL without a default fails on {ctx.path(rel)} once it has rows",
                )


# MIG008 / MIG014 -------------------------------------------------------------------------------------


def _type_changes(
    ctx: MigrationContext,
) -> Iterator[tuple[Statement, Relation | None, str, str, str | None, bool]]:
    """(statement, table, column, new type, old type if known, has USING) of ALTER ... TYPE."""
    for statement in ctx.statements:
        for rel, command in _commands(statement):
            if command.get("subtype") != "AT_AlterColumnType" or not ctx.existing(rel, statement):
                continue
            column = command.get("name", "")
            definition = _column_def(command)
            new = type_name(definition.get("typeName", {}))
            table = ctx.table(rel)
            old = table.column(column) if table is not None else None
            yield (
                statement,
                rel,
                column,
                new,
                old.type if old is not None else None,
                "raw_default" in definition,
            )


def _unknown_old_type(ctx: MigrationContext) -> str:
    # With FROM known, a column missing from it was renamed or added earlier in the script:
    # --against would not help, so do not suggest it.
    if ctx.against:
        return " (its old type is not known: the column is renamed or added earlier in the script)"
    return " (pass --against to know the old type)"


def _change(old: str, new: str) -> str:
    change, _ = classify_type_change(Column("c", old), Column("c", new))
    return change


@rule(
    code="MIG008",
    name="column-type-rewrite",
    severity=Severity.ERROR,
    summary="ALTER TYPE that rewrites (and not the ones that don't: varchar widen, varchar→text)",
    doc=_doc(
        "Finds ALTER COLUMN ... TYPE that makes PostgreSQL rewrite the table (and its indexes). "
        "Binary-coercible changes — widening varchar(n), varchar → text, raising numeric precision at "
        "the same scale — are not reported: they change only the catalog.",
        "The rewrite holds ACCESS EXCLUSIVE for as long as copying the table and rebuilding every "
        "index takes: no reads, no writes.",
        'op.alter_column("post", "views", type_=sa.BigInteger)',
        "ALTER TABLE post ALTER COLUMN views TYPE bigint;",
        'op.add_column("post", sa.Column("views_big", sa.BigInteger))\n'
        "# backfill in batches, then swap the columns in a short transaction",
        "ALTER TABLE post ADD COLUMN views_big bigint;\n"
        "-- backfill in batches, keep both in sync with a trigger, then swap names",
        "No automatic fix: use a new column, backfill it, and switch over (expand/contract). With "
        "--against the rule knows the old type and reports only real rewrites.",
    ),
)
def column_type_rewrite(rule_: Rule, context: LintContext) -> Iterator[Finding]:
    ctx = _ctx(context)
    for statement, rel, column, new, old, using in _type_changes(ctx):
        path = ctx.path(rel, column)
        if old is not None:
            if using or _change(old, new) != "none":
                yield ctx.finding_at(
                    rule_,
                    statement,
                    path,
                    f"{path} {old} → {new} rewrites the table and its indexes under ACCESS EXCLUSIVE",
                )
        elif using or not (new == "text" or new.startswith(("character varying", "numeric"))):
            # Without FROM the old type is unknown; text, varchar and numeric targets may well be
            # binary-coercible widenings, so only the others (and USING) are reported.
            yield ctx.finding_at(
                rule_,
                statement,
                path,
                f"changing {path} to {new} rewrites the table under ACCESS EXCLUSIVE"
                + (" (USING converts every row)" if using else _unknown_old_type(ctx)),
            )


@rule(
    code="MIG014",
    name="narrowing-type-change",
    severity=Severity.ERROR,
    summary="type change that can truncate or fail on existing rows",
    doc=_doc(
        "Finds ALTER COLUMN ... TYPE to a narrower type (varchar(40) → varchar(20), bigint → integer, "
        "numeric(12,2) → numeric(8,2)) or a conversion that can fail (text → integer). Needs "
        "--against to know the old type.",
        "Rows that do not fit make the statement fail in production after a long lock — or, with a "
        "USING expression, silently lose data.",
        'op.alter_column("author", "name", type_=sa.String(20))',
        "ALTER TABLE author ALTER COLUMN name TYPE varchar(20);",
        "# check first: SELECT count(*) FROM author WHERE length(name) > 20;\n"
        'op.execute("ALTER TABLE author ADD CONSTRAINT name_len CHECK (length(name) <= 20) NOT VALID")',
        "ALTER TABLE author ADD CONSTRAINT name_len CHECK (length(name) <= 20) NOT VALID;\n"
        "ALTER TABLE author VALIDATE CONSTRAINT name_len;",
        "No automatic fix: enforce the limit with a validated CHECK, or convert through a new column.",
    ),
)
def narrowing_type_change(rule_: Rule, context: LintContext) -> Iterator[Finding]:
    ctx = _ctx(context)
    for statement, rel, column, new, old, _ in _type_changes(ctx):
        if old is None:
            continue
        change = _change(old, new)
        if change in ("narrow", "rewrite"):
            path = ctx.path(rel, column)
            how = "can truncate" if change == "narrow" else "can fail on"
            yield ctx.finding_at(rule_, statement, path, f"{path} {old} → {new} {how} existing values")


# MIG009 / MIG010 ------------------------------------------------------------------------------------


@rule(
    code="MIG009",
    name="drop-column",
    severity=Severity.ERROR,
    summary="data loss; allowed only when the plan says so explicitly",
    doc=_doc(
        "Finds ALTER TABLE ... DROP COLUMN, unless the comment lines right before the statement say "
        "DESTRUCTIVE (as pgshape diff writes for steps allowed with --allow-destructive).",
        "The column's data is gone, and running code that still selects it fails at once. A rename "
        "written as drop + add loses every value.",
        'op.drop_column("author", "legacy_code")',
        "ALTER TABLE author DROP COLUMN legacy_code;",
        "# DESTRUCTIVE: legacy_code unused since release 42, backed up to archive.author_codes\n"
        'op.drop_column("author", "legacy_code")',
        "-- DESTRUCTIVE: legacy_code unused since release 42\nALTER TABLE author DROP COLUMN legacy_code;",
        "Stop reading the column in code first, deploy, then drop it with an explicit DESTRUCTIVE note.",
    ),
)
def drop_column(rule_: Rule, context: LintContext) -> Iterator[Finding]:
    ctx = _ctx(context)
    for statement in ctx.statements:
        for rel, command in _commands(statement):
            dropped = command.get("subtype") == "AT_DropColumn" and not consented(statement)
            if dropped and ctx.existing(rel, statement):
                column = command.get("name", "")
                known = ctx.table(rel)
                found = known.column(column) if known is not None else None
                if found is not None and found.generated is not None:
                    continue  # a generated column holds no data of its own
                yield ctx.finding_at(
                    rule_,
                    statement,
                    ctx.path(rel, column),
                    f"DROP COLUMN {ctx.path(rel, column)} loses its data (no DESTRUCTIVE note before it)",
                )


@rule(
    code="MIG010",
    name="drop-table",
    severity=Severity.ERROR,
    summary="data loss; allowed only when the plan says so explicitly",
    doc=_doc(
        "Finds DROP TABLE of a table the migration did not create, unless the comment lines right "
        "before the statement say DESTRUCTIVE.",
        "Every row is gone; a backup restore is the only way back.",
        'op.drop_table("audit_log")',
        "DROP TABLE audit_log;",
        '# DESTRUCTIVE: audit_log archived to cold storage on 2024-05-01\nop.drop_table("audit_log")',
        "-- DESTRUCTIVE: audit_log archived on 2024-05-01\nDROP TABLE audit_log;",
        "Archive the data, then drop the table with an explicit DESTRUCTIVE note.",
    ),
)
def drop_table(rule_: Rule, context: LintContext) -> Iterator[Finding]:
    ctx = _ctx(context)
    for statement in ctx.statements:
        if statement.kind != "DropStmt" or statement.node.get("removeType") != "OBJECT_TABLE":
            continue
        if consented(statement):
            continue
        for names in dropped_names(statement):
            rel: Relation = (names[-2] if len(names) > 1 else None, names[-1])
            if ctx.existing(rel, statement):
                yield ctx.finding_at(
                    rule_,
                    statement,
                    ctx.path(rel),
                    f"DROP TABLE {ctx.path(rel)} loses every row (no DESTRUCTIVE note before it)",
                )


# MIG011 ---------------------------------------------------------------------------------------------


@rule(
    code="MIG011",
    name="rename-breaks-clients",
    severity=Severity.WARNING,
    summary="RENAME of a column/table used by running code",
    doc=_doc(
        "Finds ALTER TABLE ... RENAME (of the table or a column) on an existing table.",
        "The application version that is running while the migration runs still uses the old name: "
        "its queries fail from the moment the rename commits until the new version is deployed.",
        'op.alter_column("author", "name", new_column_name="full_name")',
        "ALTER TABLE author RENAME COLUMN name TO full_name;",
        'op.add_column("author", sa.Column("full_name", sa.Text))\n'
        "# write both, backfill, switch reads, then drop the old column in a later release",
        "ALTER TABLE author ADD COLUMN full_name text;\n"
        "-- dual-write from the application (or a trigger), backfill, switch reads, drop later",
        "No automatic fix: rename in steps (add, dual-write, backfill, switch, drop), or accept a short "
        "outage deliberately with `-- pgshape: ignore[rename-breaks-clients] reason`.",
    ),
)
def rename_breaks_clients(rule_: Rule, context: LintContext) -> Iterator[Finding]:
    ctx = _ctx(context)
    for statement in ctx.statements:
        node = statement.node
        if statement.kind != "RenameStmt":
            continue
        what = node.get("renameType")
        rel = relation(node.get("relation"))
        if what not in ("OBJECT_TABLE", "OBJECT_COLUMN") or not ctx.existing(rel, statement):
            continue
        subject = ctx.path(rel, node.get("subname", "")) if what == "OBJECT_COLUMN" else ctx.path(rel)
        yield ctx.finding_at(
            rule_,
            statement,
            subject,
            f"RENAME of {subject} to {node.get('newname')}: running code that uses the old name fails",
        )


# MIG012 ---------------------------------------------------------------------------------------------

# ALTER TABLE subcommands that take less than ACCESS EXCLUSIVE.
_WEAKER = frozenset(
    {
        "AT_ValidateConstraint",
        "AT_SetStatistics",
        "AT_SetOptions",
        "AT_ResetOptions",
        "AT_ClusterOn",
        "AT_DropCluster",
        "AT_EnableTrig",
        "AT_DisableTrig",
        "AT_EnableAlwaysTrig",
        "AT_EnableReplicaTrig",
        "AT_AttachPartition",
    }
)


def _access_exclusive(statement: Statement) -> Relation | None:
    """The existing-or-not table an ACCESS EXCLUSIVE statement locks, if it takes that lock."""
    node = statement.node
    if statement.kind == "AlterTableStmt" and node.get("objtype") in (None, "OBJECT_TABLE"):
        for _, command in _commands(statement):
            subtype = command.get("subtype")
            fk = subtype == "AT_AddConstraint" and _constraint(command).get("contype") == "CONSTR_FOREIGN"
            detach = subtype == "AT_DetachPartition" and command.get("def", {}).get("PartitionCmd", {}).get(
                "concurrent"
            )  # SHARE UPDATE EXCLUSIVE
            if subtype not in _WEAKER and not fk and not detach:
                return relation(node.get("relation"))
        return None
    if statement.kind == "RenameStmt" and node.get("renameType") in ("OBJECT_TABLE", "OBJECT_COLUMN"):
        return relation(node.get("relation"))
    if statement.kind == "DropStmt" and node.get("removeType") == "OBJECT_TABLE":
        names = (dropped_names(statement) or [[""]])[0]
        return (names[-2] if len(names) > 1 else None, names[-1])
    if statement.kind == "TruncateStmt":
        return relation((node.get("relations") or [{}])[0].get("RangeVar"))
    return None


@rule(
    code="MIG012",
    name="missing-lock-timeout",
    severity=Severity.WARNING,
    summary="DDL taking ACCESS EXCLUSIVE with no lock_timeout set",
    doc=_doc(
        "Finds statements that take ACCESS EXCLUSIVE on an existing table (most ALTER TABLE forms, "
        "RENAME, DROP TABLE, TRUNCATE) with no `SET lock_timeout` before them in the session or, for "
        "SET LOCAL, in the same transaction.",
        "The statement queues behind any long-running query on the table, and every later query "
        "queues behind it: one slow report can take the application down. A lock_timeout makes the "
        "migration give up (and be retried) instead.",
        'op.add_column("post", sa.Column("flag", sa.Boolean))',
        "ALTER TABLE post ADD COLUMN flag boolean;",
        'op.execute("SET LOCAL lock_timeout = \'5s\'")\nop.add_column("post", sa.Column("flag", sa.Boolean))',
        "SET lock_timeout = '5s';\nALTER TABLE post ADD COLUMN flag boolean;",
        "Set lock_timeout before the statement (pgshape diff sets it before every step).",
    ),
)
def missing_lock_timeout(rule_: Rule, context: LintContext) -> Iterator[Finding]:
    ctx = _ctx(context)
    session = False
    local: dict[int | None, bool] = {}
    for statement in ctx.statements:
        found = setting(statement)
        if found is not None and found[0] == "lock_timeout":
            active = found[1] not in (None, "0")
            if found[2]:
                local[statement.transaction] = active
            else:
                session = active
            continue
        rel = _access_exclusive(statement)
        if rel is None or not ctx.existing(rel, statement):
            continue
        if local.get(statement.transaction, session) if statement.transaction is not None else session:
            continue
        yield ctx.finding_at(
            rule_,
            statement,
            ctx.path(rel),
            f"takes ACCESS EXCLUSIVE on {ctx.path(rel)} with no lock_timeout: it can queue every "
            "query on the table behind it",
        )


# MIG013 ---------------------------------------------------------------------------------------------


@rule(
    code="MIG013",
    name="enum-value-in-transaction",
    severity=Severity.WARNING,
    summary="ALTER TYPE … ADD VALUE then use of the value in the same transaction",
    doc=_doc(
        "Finds ALTER TYPE ... ADD VALUE followed, in the same transaction block, by a statement that "
        "uses the new label.",
        "A new enum value cannot be used until the transaction that added it commits: PostgreSQL "
        "fails with `unsafe use of new value`.",
        "op.execute(\"ALTER TYPE status ADD VALUE 'review'\")\n"
        "op.execute(\"ALTER TABLE post ALTER COLUMN st SET DEFAULT 'review'\")",
        "BEGIN;\nALTER TYPE status ADD VALUE 'review';\n"
        "ALTER TABLE post ALTER COLUMN st SET DEFAULT 'review';\nCOMMIT;",
        "with op.get_context().autocommit_block():\n"
        "    op.execute(\"ALTER TYPE status ADD VALUE 'review'\")\n"
        "op.execute(\"ALTER TABLE post ALTER COLUMN st SET DEFAULT 'review'\")",
        "ALTER TYPE status ADD VALUE 'review';  -- commits on its own\n"
        "ALTER TABLE post ALTER COLUMN st SET DEFAULT 'review';",
        "Add the value in a transaction of its own (Alembic: autocommit_block()); pgshape diff does.",
    ),
)
def enum_value_in_transaction(rule_: Rule, context: LintContext) -> Iterator[Finding]:
    ctx = _ctx(context)
    added: dict[int, list[tuple[str, str]]] = {}  # transaction → (type, label)
    for statement in ctx.statements:
        if statement.transaction is None:
            continue
        if statement.kind == "AlterEnumStmt" and statement.node.get("newVal"):
            type_ = ".".join(s["String"]["sval"] for s in statement.node.get("typeName") or ())
            added.setdefault(statement.transaction, []).append((type_, statement.node["newVal"]))
            continue
        used = string_constants(statement.tree)
        for type_, label in added.get(statement.transaction, []):
            if label in used:
                yield ctx.finding_at(
                    rule_,
                    statement,
                    type_,
                    f"uses {type_} value {label!r} in the transaction that added it: PostgreSQL refuses "
                    "it until that transaction commits",
                )


# MIG015 ---------------------------------------------------------------------------------------------


@rule(
    code="MIG015",
    name="backfill-in-migration",
    severity=Severity.WARNING,
    summary="UPDATE/DELETE of a whole table inside a schema migration",
    doc=_doc(
        "Finds UPDATE or DELETE without a WHERE clause on an existing table in a migration.",
        "It locks every row it touches until the migration commits, bloats the table, and makes the "
        "migration's duration depend on the data: a schema change should not wait for it.",
        'op.execute("UPDATE post SET views = 0")',
        "UPDATE post SET views = 0;",
        "# a separate, batched job:\n"
        "# UPDATE post SET views = 0 WHERE id BETWEEN :lo AND :hi AND views IS NULL",
        "UPDATE post SET views = 0 WHERE id BETWEEN 1 AND 10000 AND views IS NULL;  -- repeated, batched",
        "Move the backfill out of the migration, into batches that each commit.",
    ),
)
def backfill_in_migration(rule_: Rule, context: LintContext) -> Iterator[Finding]:
    ctx = _ctx(context)
    for statement in ctx.statements:
        if statement.kind not in ("UpdateStmt", "DeleteStmt") or statement.node.get("whereClause"):
            continue
        rel = relation(statement.node.get("relation"))
        if ctx.existing(rel, statement):
            word = "UPDATE" if statement.kind == "UpdateStmt" else "DELETE"
            yield ctx.finding_at(
                rule_,
                statement,
                ctx.path(rel),
                f"{word} of every row of {ctx.path(rel)} inside the migration",
            )
