"""FK: foreign keys — their indexes, types, delete rules and the graph they form."""

from __future__ import annotations

from collections.abc import Iterator

from pgshape.lint.core import Finding, Fix, LintContext, Rule, RuleDoc, Severity, rule
from pgshape.lint.fix_targets import field_edit, index_name
from pgshape.lint.helpers import (
    column_path,
    index_column_lists,
    object_path,
    table_path,
    user_tables,
)
from pgshape.model import Database, ForeignKey, Table
from pgshape.render.identifiers import qualified, quote_ident

SM = "from sqlmodel import Field, SQLModel\n\n\n"
AUTHOR = (
    "class Author(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n\n\n"
)
AUTHOR_SQL = "CREATE TABLE author (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\n"


def _fk_path(table: Table, fk: ForeignKey) -> str:
    if len(fk.columns) == 1:
        return column_path(table, fk.columns[0])
    return object_path(table, fk.name)


def foreign_keys_without_index(table: Table) -> list[ForeignKey]:
    """FKs of ``table`` with no index (of any kind, partial ones included) whose leading key
    columns are the FK's columns in order — what PostgreSQL needs to check a parent's delete
    or key update without scanning the child table."""
    keys = [cols for _, cols, _ in index_column_lists(table)]
    missing = []
    for fk in table.foreign_keys:
        width = len(fk.columns)
        if not any(tuple(cols[:width]) == fk.columns for cols in keys):
            missing.append(fk)
    return missing


@rule(
    code="FK001",
    name="unindexed-foreign-key",
    severity=Severity.ERROR,
    summary="no index whose leading columns are the FK columns, in order (multi-column aware)",
    doc=RuleDoc(
        what=(
            "Finds foreign keys with no index whose leading columns are the foreign key's columns, "
            "in order (the primary key, unique constraints and partial indexes count)."
        ),
        why=(
            "PostgreSQL indexes the referenced side of a foreign key, never the referencing side. "
            "Every DELETE (or key UPDATE) on the parent then scans the whole child table under a "
            "lock, and joins from parent to children cannot use an index."
        ),
        example_sqlmodel=SM
        + AUTHOR
        + "class Book(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    author_id: int = Field(foreign_key='author.id')\n",
        example_sql=AUTHOR_SQL + "CREATE TABLE book (id bigint PRIMARY KEY, author_id bigint NOT NULL "
        "REFERENCES author (id) ON DELETE CASCADE);\n",
        use_instead_sqlmodel=SM
        + AUTHOR
        + "class Book(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    author_id: int = Field(foreign_key='author.id', index=True)\n",
        use_instead_sql=AUTHOR_SQL + "CREATE TABLE book (id bigint PRIMARY KEY, author_id bigint NOT NULL "
        "REFERENCES author (id) ON DELETE CASCADE);\nCREATE INDEX book_author_id_idx ON book (author_id);\n",
        fix=(
            "Safe SQL fix: `CREATE INDEX CONCURRENTLY IF NOT EXISTS` on the FK columns (no write "
            "lock). Safe code edit: add `index=True` to the foreign key field (single-column keys)."
        ),
    ),
)
def unindexed_foreign_key(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        for fk in foreign_keys_without_index(table):
            name = index_name(table.name, fk.columns)
            columns = ", ".join(quote_ident(c) for c in fk.columns)
            edit = (
                field_edit(context, table, fk.columns[0], "field-kwarg", {"index": "True"})
                if len(fk.columns) == 1
                else None
            )
            yield context.finding(
                self,
                _fk_path(table, fk),
                f"foreign key {fk.name} ({', '.join(fk.columns)}) → {fk.referenced_table} has no index "
                f"on {table.name}({', '.join(fk.columns)})",
                origin=fk.origin or table.origin,
                fixes=(
                    Fix(
                        f"create index {name}",
                        safe=True,
                        sql=f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {quote_ident(name)} "
                        f"ON {qualified(table.schema, table.name)} ({columns});",
                        edit=edit,
                    ),
                ),
            )


@rule(
    code="FK002",
    name="foreign-key-type-mismatch",
    severity=Severity.ERROR,
    summary="FK column type (incl. length/precision) differs from the referenced column",
    doc=RuleDoc(
        what="Finds foreign key columns whose type (including length or precision) differs from the "
        "referenced column's.",
        why=(
            "An integer column referencing a bigint key breaks once the key passes 2^31; a "
            "varchar(20) referencing a varchar(50) rejects valid keys; comparisons across types "
            "need casts that can defeat indexes."
        ),
        example_sqlmodel=SM
        + "from sqlalchemy import BigInteger, Integer\nfrom sqlalchemy import Column as SAColumn\n\n\n"
        + "class Author(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, sa_column=SAColumn(BigInteger, primary_key=True))\n\n\n"
        + "class Book(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, sa_column=SAColumn(BigInteger, primary_key=True))\n"
        + "    author_id: int = Field(foreign_key='author.id', index=True, sa_type=Integer)\n",
        example_sql=AUTHOR_SQL
        + "CREATE TABLE book (id bigint PRIMARY KEY, author_id integer REFERENCES author (id));\n",
        use_instead_sqlmodel=SM
        + "from sqlalchemy import BigInteger\nfrom sqlalchemy import Column as SAColumn\n\n\n"
        + "class Author(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, sa_column=SAColumn(BigInteger, primary_key=True))\n\n\n"
        + "class Book(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, sa_column=SAColumn(BigInteger, primary_key=True))\n"
        + "    author_id: int = Field(foreign_key='author.id', index=True, sa_type=BigInteger)\n",
        use_instead_sql=AUTHOR_SQL
        + "CREATE TABLE book (id bigint PRIMARY KEY, author_id bigint REFERENCES author (id));\n",
        fix="Unsafe SQL fix: `ALTER COLUMN … TYPE <referenced type>` (may rewrite the table).",
    ),
)
def foreign_key_type_mismatch(self: Rule, context: LintContext) -> Iterator[Finding]:
    database = context.database
    for table in user_tables(database):
        for fk in table.foreign_keys:
            target = database.table(*fk.referenced)
            if target is None:
                continue
            for local, remote in zip(fk.columns, fk.referenced_columns, strict=False):
                mine, theirs = table.column(local), target.column(remote)
                if mine is None or theirs is None or mine.type == theirs.type:
                    continue
                yield context.finding(
                    self,
                    column_path(table, local),
                    f"{table.name}.{local} is {mine.type} but references {target.name}.{remote} "
                    f"({theirs.type})",
                    origin=mine.origin or fk.origin or table.origin,
                    fixes=(
                        Fix(
                            f"change {local} to {theirs.type}",
                            safe=False,
                            sql=f"ALTER TABLE {qualified(table.schema, table.name)} ALTER COLUMN "
                            f"{quote_ident(local)} TYPE {theirs.type};",
                        ),
                    ),
                )


@rule(
    code="FK003",
    name="missing-on-delete-decision",
    severity=Severity.INFO,
    summary="FK with the implicit NO ACTION where the model never chose one",
    doc=RuleDoc(
        what="Finds foreign keys left with the default `ON DELETE NO ACTION`.",
        why=(
            "What happens to children when a parent is deleted is a product decision: cascade, "
            "set null, or refuse (RESTRICT). The default refuses at the end of the statement, "
            "which is usually not a decision anybody made. Stating it documents the intent."
        ),
        example_sqlmodel=SM
        + AUTHOR
        + "class Book(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    author_id: int = Field(foreign_key='author.id', index=True)\n",
        example_sql=AUTHOR_SQL
        + "CREATE TABLE book (id bigint PRIMARY KEY, author_id bigint REFERENCES author (id));\n",
        use_instead_sqlmodel=SM
        + AUTHOR
        + "class Book(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    author_id: int = Field(foreign_key='author.id', index=True, ondelete='RESTRICT')\n",
        use_instead_sql=AUTHOR_SQL
        + "CREATE TABLE book (id bigint PRIMARY KEY, author_id bigint REFERENCES author (id) ON DELETE "
        "RESTRICT);\n",
        fix="No automatic fix: choose CASCADE, SET NULL or RESTRICT.",
    ),
)
def missing_on_delete_decision(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        for fk in table.foreign_keys:
            if fk.on_delete != "NO ACTION" or fk.referenced == table.key:
                continue  # self references: self-reference-without-on-delete says it louder
            yield context.finding(
                self,
                _fk_path(table, fk),
                f"foreign key {fk.name} → {fk.referenced_table} has no ON DELETE decision (NO ACTION)",
                origin=fk.origin or table.origin,
            )


@rule(
    code="FK004",
    name="duplicate-foreign-key",
    severity=Severity.WARNING,
    summary="two FKs with the same columns and target",
    doc=RuleDoc(
        what="Finds foreign keys with the same columns referencing the same columns of the same table as "
        "another.",
        why="The copy is checked on every write for nothing, and the two can drift apart in their delete "
        "rules.",
        example_sqlmodel=SM
        + "from sqlalchemy import ForeignKeyConstraint\n\n\n"
        + AUTHOR
        + "class Book(SQLModel, table=True):\n"
        + "    __table_args__ = (ForeignKeyConstraint(['author_id'], ['author.id'], "
        "name='book_author_fk2'),)\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    author_id: int = Field(foreign_key='author.id', index=True)\n",
        example_sql=AUTHOR_SQL
        + "CREATE TABLE book (\n    id bigint PRIMARY KEY,\n    author_id bigint REFERENCES author (id),\n"
        "    CONSTRAINT book_author_fk2 FOREIGN KEY (author_id) REFERENCES author (id)\n);\n",
        use_instead_sqlmodel=SM
        + AUTHOR
        + "class Book(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    author_id: int = Field(foreign_key='author.id', index=True)\n",
        use_instead_sql=AUTHOR_SQL
        + "CREATE TABLE book (id bigint PRIMARY KEY, author_id bigint REFERENCES author (id));\n",
        fix="Safe SQL fix: drop the second constraint (the first one enforces the same rule).",
    ),
)
def duplicate_foreign_key(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        seen: dict[tuple[object, ...], ForeignKey] = {}
        for fk in table.foreign_keys:
            key = (fk.columns, fk.referenced, fk.referenced_columns)
            first = seen.setdefault(key, fk)
            if first is fk:
                continue
            yield context.finding(
                self,
                object_path(table, fk.name),
                f"foreign key {fk.name} duplicates {first.name} ({', '.join(fk.columns)} → "
                f"{fk.referenced_table})",
                origin=fk.origin or table.origin,
                fixes=(
                    Fix(
                        f"drop {fk.name}",
                        safe=True,
                        sql=f"ALTER TABLE {qualified(table.schema, table.name)} DROP CONSTRAINT "
                        f"{quote_ident(fk.name)};",
                    ),
                ),
            )


PAIR_SQL = "CREATE TABLE region (country text, code text, PRIMARY KEY (country, code));\n"
PAIR_SM = (
    "class Region(SQLModel, table=True):\n"
    "    country: str = Field(primary_key=True)\n    code: str = Field(primary_key=True)\n\n\n"
)


@rule(
    code="FK005",
    name="nullable-multicolumn-foreign-key",
    severity=Severity.WARNING,
    summary="multi-column FK with nullable columns and MATCH SIMPLE",
    doc=RuleDoc(
        what="Finds multi-column foreign keys with a nullable column and the default MATCH SIMPLE.",
        why=(
            "With MATCH SIMPLE a row is not checked at all as soon as one of the columns is NULL: "
            "(country='FR', code=NULL) passes even when no French region exists, and ('XX', NULL) "
            "too. Either make the columns NOT NULL or use MATCH FULL (all or none)."
        ),
        example_sqlmodel=SM
        + "from sqlalchemy import ForeignKeyConstraint, Index\n\n\n"
        + PAIR_SM
        + "class Shop(SQLModel, table=True):\n"
        + "    __table_args__ = (\n"
        + "        ForeignKeyConstraint(['country', 'region'], ['region.country', 'region.code'],"
        + " ondelete='RESTRICT'),\n"
        + "        Index('ix_shop_country_region', 'country', 'region'),\n    )\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    country: str | None = None\n    region: str | None = None\n",
        example_sql=PAIR_SQL + "CREATE TABLE shop (\n    id bigint PRIMARY KEY, country text, region text,\n"
        "    FOREIGN KEY (country, region) REFERENCES region ON DELETE RESTRICT\n);\n",
        use_instead_sqlmodel=SM
        + "from sqlalchemy import ForeignKeyConstraint, Index\n\n\n"
        + PAIR_SM
        + "class Shop(SQLModel, table=True):\n"
        + "    __table_args__ = (\n"
        + "        ForeignKeyConstraint(['country', 'region'], ['region.country', 'region.code'],"
        + " ondelete='RESTRICT'),\n"
        + "        Index('ix_shop_country_region', 'country', 'region'),\n    )\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    country: str\n    region: str\n",
        use_instead_sql=PAIR_SQL
        + "CREATE TABLE shop (\n    id bigint PRIMARY KEY, country text, region text,\n"
        "    FOREIGN KEY (country, region) REFERENCES region MATCH FULL ON DELETE RESTRICT\n);\n",
        fix="No automatic fix: make the columns NOT NULL, or re-create the key WITH MATCH FULL.",
    ),
)
def nullable_multicolumn_foreign_key(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        for fk in table.foreign_keys:
            if len(fk.columns) < 2 or fk.match != "SIMPLE":
                continue
            nullable = [c for c in fk.columns if (col := table.column(c)) is not None and col.nullable]
            if not nullable:
                continue
            yield context.finding(
                self,
                object_path(table, fk.name),
                f"foreign key {fk.name} ({', '.join(fk.columns)}) is MATCH SIMPLE with nullable "
                f"{', '.join(nullable)}: rows with one NULL are not checked",
                origin=fk.origin or table.origin,
            )


@rule(
    code="FK006",
    name="self-reference-without-on-delete",
    severity=Severity.WARNING,
    summary="self-referencing FK with no delete rule",
    doc=RuleDoc(
        what="Finds foreign keys from a table to itself with the default ON DELETE NO ACTION.",
        why=(
            "Trees (parent_id, manager_id, reply_to_id) need a decision when a node goes: delete "
            "the subtree (CASCADE), detach it (SET NULL) or forbid it (RESTRICT). With NO ACTION, "
            "deleting any node with children fails, usually in production."
        ),
        example_sqlmodel=SM
        + "class Category(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    parent_id: int | None = Field(default=None, foreign_key='category.id', index=True)\n",
        example_sql="CREATE TABLE category (id bigint PRIMARY KEY, parent_id bigint REFERENCES category "
        "(id));\n",
        use_instead_sqlmodel=SM
        + "class Category(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    parent_id: int | None = Field(\n"
        + "        default=None, foreign_key='category.id', index=True, ondelete='CASCADE'\n    )\n",
        use_instead_sql=(
            "CREATE TABLE category (id bigint PRIMARY KEY,\n"
            "    parent_id bigint REFERENCES category (id) ON DELETE CASCADE);\n"
        ),
        fix="No automatic fix: choose CASCADE, SET NULL or RESTRICT.",
    ),
)
def self_reference_without_on_delete(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        for fk in table.foreign_keys:
            if fk.referenced == table.key and fk.on_delete == "NO ACTION":
                yield context.finding(
                    self,
                    _fk_path(table, fk),
                    f"self-referencing foreign key {fk.name} on {table.name} has no ON DELETE rule",
                    origin=fk.origin or table.origin,
                )


def _graph(database: Database) -> dict[tuple[str, str], list[tuple[tuple[str, str], ForeignKey]]]:
    """child → [(parent, fk)] over user tables, without self references."""
    edges: dict[tuple[str, str], list[tuple[tuple[str, str], ForeignKey]]] = {}
    for table in user_tables(database):
        edges.setdefault(table.key, [])
        for fk in table.foreign_keys:
            if fk.referenced != table.key and database.table(*fk.referenced) is not None:
                edges[table.key].append((fk.referenced, fk))
    return edges


def _strongly_connected(nodes: dict[tuple[str, str], list[tuple[str, str]]]) -> list[list[tuple[str, str]]]:
    """Tarjan's algorithm, iterative (schemas can have thousands of tables)."""
    index: dict[tuple[str, str], int] = {}
    low: dict[tuple[str, str], int] = {}
    on_stack: set[tuple[str, str]] = set()
    stack: list[tuple[str, str]] = []
    result: list[list[tuple[str, str]]] = []
    counter = 0
    for start in sorted(nodes):
        if start in index:
            continue
        work = [(start, iter(nodes[start]))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(nodes.get(child, []))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    item = stack.pop()
                    on_stack.discard(item)
                    component.append(item)
                    if item == node:
                        break
                result.append(sorted(component))
    return result


CYCLE_SQL = (
    "CREATE TABLE team (id bigint PRIMARY KEY, captain_id bigint);\n"
    "CREATE TABLE player (id bigint PRIMARY KEY, team_id bigint REFERENCES team (id));\n"
    "ALTER TABLE team ADD FOREIGN KEY (captain_id) REFERENCES player (id)"
)
CYCLE_SM = (
    "class Team(SQLModel, table=True):\n"
    "    id: int | None = Field(default=None, primary_key=True)\n"
    "    captain_id: int | None = Field(default=None, foreign_key='player.id'{extra})\n\n\n"
    "class Player(SQLModel, table=True):\n"
    "    id: int | None = Field(default=None, primary_key=True)\n"
    "    team_id: int | None = Field(default=None, foreign_key='team.id')\n"
)


@rule(
    code="FK007",
    name="circular-foreign-keys",
    severity=Severity.INFO,
    summary="FK cycle between tables (inserts need deferral)",
    doc=RuleDoc(
        what=(
            "Finds groups of tables whose foreign keys form a cycle (team → captain player → team) "
            "where no key in the cycle is DEFERRABLE."
        ),
        why=(
            "Rows in a cycle can only be inserted in two steps (insert with NULL, then update) or "
            "with a deferred constraint; bulk loads and restores need the constraints dropped or "
            "deferred. Often one of the references belongs in a link table instead."
        ),
        example_sqlmodel=SM + CYCLE_SM.format(extra=""),
        example_sql=CYCLE_SQL + ";\n",
        use_instead_sqlmodel=SM
        + "from sqlalchemy import ForeignKey\nfrom sqlalchemy import Column as SAColumn, BigInteger\n\n\n"
        + "class Team(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    captain_id: int | None = Field(\n"
        + "        default=None,\n"
        + "        sa_column=SAColumn(BigInteger, ForeignKey('player.id', deferrable=True, "
        "initially='DEFERRED')),\n"
        + "    )\n\n\n"
        + "class Player(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    team_id: int | None = Field(default=None, foreign_key='team.id')\n",
        use_instead_sql=CYCLE_SQL + " DEFERRABLE INITIALLY DEFERRED;\n",
        fix="No automatic fix: make one key DEFERRABLE, or move the back-reference to a link table.",
    ),
)
def circular_foreign_keys(self: Rule, context: LintContext) -> Iterator[Finding]:
    graph = _graph(context.database)
    simple = {node: [parent for parent, _ in edges] for node, edges in graph.items()}
    for component in _strongly_connected(simple):
        if len(component) < 2:
            continue
        members = set(component)
        cycle_fks = [fk for node in component for parent, fk in graph[node] if parent in members]
        if any(fk.deferrable is not None for fk in cycle_fks):
            continue
        first = context.database.table(*component[0])
        assert first is not None
        names = ", ".join(f"{s}.{n}" if s != "public" else n for s, n in component)
        yield context.finding(
            self,
            table_path(first),
            f"foreign keys form a cycle between {names}; inserts need a deferred constraint",
            origin=first.origin,
        )


@rule(
    code="FK008",
    name="cascade-chain-too-deep",
    severity=Severity.WARNING,
    summary="ON DELETE CASCADE chains deeper than 3 tables",
    doc=RuleDoc(
        what=(
            "Finds tables where one DELETE cascades through more tables than the "
            "`cascade-chain-depth` threshold (3), counting the table itself."
        ),
        why=(
            "A long cascade turns one innocent DELETE into a large, lock-heavy transaction that "
            "touches tables far away from the one named in the statement; nobody reviewing the "
            "application code sees it coming."
        ),
        example_sqlmodel=SM
        + "".join(
            f"class {c}(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n"
            + (
                f"    {p.lower()}_id: int = Field(foreign_key='{p.lower()}.id', index=True, "
                "ondelete='CASCADE')\n"
                if p
                else ""
            )
            + "\n\n"
            for c, p in [("Org", ""), ("Project", "Org"), ("Task", "Project"), ("Note", "Task")]
        ).rstrip()
        + "\n",
        example_sql=(
            "CREATE TABLE org (id bigint PRIMARY KEY);\n"
            "CREATE TABLE project (id bigint PRIMARY KEY, org_id bigint REFERENCES org ON DELETE CASCADE);\n"
            "CREATE TABLE task (id bigint PRIMARY KEY, project_id bigint REFERENCES project ON DELETE "
            "CASCADE);\n"
            "CREATE TABLE note (id bigint PRIMARY KEY, task_id bigint REFERENCES task ON DELETE CASCADE);\n"
        ),
        use_instead_sqlmodel=SM
        + "".join(
            f"class {c}(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n"
            + (
                f"    {p.lower()}_id: int = Field(foreign_key='{p.lower()}.id', index=True, ondelete='{d}')\n"
                if p
                else ""
            )
            + "\n\n"
            for c, p, d in [
                ("Org", "", ""),
                ("Project", "Org", "RESTRICT"),
                ("Task", "Project", "CASCADE"),
                ("Note", "Task", "CASCADE"),
            ]
        ).rstrip()
        + "\n",
        use_instead_sql=(
            "CREATE TABLE org (id bigint PRIMARY KEY);\n"
            "CREATE TABLE project (id bigint PRIMARY KEY, org_id bigint REFERENCES org ON DELETE RESTRICT);\n"
            "CREATE TABLE task (id bigint PRIMARY KEY, project_id bigint REFERENCES project ON DELETE "
            "CASCADE);\n"
            "CREATE TABLE note (id bigint PRIMARY KEY, task_id bigint REFERENCES task ON DELETE CASCADE);\n"
        ),
        fix="No automatic fix: break the chain with RESTRICT (delete in application code, in batches) or "
        "soft delete.",
    ),
)
def cascade_chain_too_deep(self: Rule, context: LintContext) -> Iterator[Finding]:
    limit = context.config.threshold("cascade-chain-depth")
    children: dict[tuple[str, str], list[tuple[str, str]]] = {}
    cascaded: set[tuple[str, str]] = set()
    for child, edges in _graph(context.database).items():
        for parent, fk in edges:
            if fk.on_delete == "CASCADE":
                children.setdefault(parent, []).append(child)
                cascaded.add(child)
    longest: dict[tuple[str, str], list[tuple[str, str]]] = {}
    on_path: set[tuple[str, str]] = set()

    def chain(node: tuple[str, str]) -> list[tuple[str, str]]:
        # Memoised longest path; an edge back into the current path (a cycle) ends the chain.
        if node in longest:
            return longest[node]
        on_path.add(node)
        best: list[tuple[str, str]] = []
        for child in sorted(children.get(node, [])):
            if child in on_path:
                continue
            candidate = chain(child)
            if len(candidate) > len(best):
                best = candidate
        on_path.discard(node)
        longest[node] = [node, *best]
        return longest[node]

    for root in sorted(children):
        if root in cascaded:
            continue  # reported from the table the chain starts at
        path = chain(root)
        if len(path) <= limit:
            continue
        table = context.database.table(*root)
        assert table is not None
        shown = " → ".join(name for _, name in path)
        yield context.finding(
            self,
            table_path(table),
            f"deleting from {table.name} cascades through {len(path)} tables: {shown}",
            origin=table.origin,
        )


def _singular(name: str) -> str:
    if name.endswith("ies") and len(name) > 4:
        return name[:-3] + "y"
    if name.endswith(("ses", "xes", "zes", "ches", "shes")):
        return name[:-2]
    if name.endswith("s") and not name.endswith("ss"):
        return name[:-1]
    return name


@rule(
    code="FK009",
    name="implied-foreign-key",
    severity=Severity.INFO,
    summary="`x_id` column matching a table `x` but with no FK",
    doc=RuleDoc(
        what="Finds columns named `{table}_id` (or `{role}_{table}_id`) when such a table exists, but no "
        "foreign key is declared.",
        why=(
            "Without the constraint nothing stops orphans: rows pointing at deleted or never "
            "existing parents, found only when a join silently drops them."
        ),
        example_sqlmodel=SM
        + AUTHOR
        + "class Book(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    author_id: int = Field(index=True)\n",
        example_sql=AUTHOR_SQL + "CREATE TABLE book (id bigint PRIMARY KEY, author_id bigint NOT NULL);\n",
        use_instead_sqlmodel=SM
        + AUTHOR
        + "class Book(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    author_id: int = Field(foreign_key='author.id', index=True)\n",
        use_instead_sql=AUTHOR_SQL
        + "CREATE TABLE book (id bigint PRIMARY KEY, author_id bigint NOT NULL REFERENCES author (id));\n",
        fix=(
            "Unsafe SQL fix: `ADD CONSTRAINT … FOREIGN KEY … NOT VALID`, then `VALIDATE CONSTRAINT` "
            "(no long lock; validation fails if orphans exist)."
        ),
    ),
)
def implied_foreign_key(self: Rule, context: LintContext) -> Iterator[Finding]:
    by_name: dict[str, list[Table]] = {}
    for table in user_tables(context.database):
        by_name.setdefault(table.name, []).append(table)
        by_name.setdefault(_singular(table.name), []).append(table)
    for table in user_tables(context.database):
        in_fk = {c for fk in table.foreign_keys for c in fk.columns}
        own_pk = table.primary_key.columns if table.primary_key else ()
        for column in table.columns:
            if not column.name.endswith("_id") or column.name in in_fk or column.inherited:
                continue
            if own_pk == (column.name,):
                continue
            stem = column.name[:-3]
            candidates = _implied_targets(stem, table, by_name)
            if len(candidates) != 1:
                continue
            target = candidates[0]
            pk = target.primary_key.columns if target.primary_key else ()
            if len(pk) != 1:
                continue
            target_column = target.column(pk[0])
            if target_column is None or _family(target_column.type) != _family(column.type):
                continue
            name = f"{table.name}_{column.name}_fkey"[:63]
            yield context.finding(
                self,
                column_path(table, column.name),
                f"{table.name}.{column.name} looks like a reference to {target.name}.{pk[0]} but has no "
                "foreign key",
                origin=column.origin or table.origin,
                fixes=(
                    Fix(
                        f"add foreign key {name}",
                        safe=False,
                        sql=f"ALTER TABLE {qualified(table.schema, table.name)} ADD CONSTRAINT "
                        f"{quote_ident(name)} "
                        f"FOREIGN KEY ({quote_ident(column.name)}) REFERENCES "
                        f"{qualified(target.schema, target.name)} "
                        f"({quote_ident(pk[0])}) NOT VALID;\n"
                        f"ALTER TABLE {qualified(table.schema, table.name)} VALIDATE CONSTRAINT "
                        f"{quote_ident(name)};",
                    ),
                ),
            )


def _implied_targets(stem: str, table: Table, by_name: dict[str, list[Table]]) -> list[Table]:
    """Tables named by ``stem`` or by its last words (``reviewer_user`` → ``user``)."""
    words = stem.split("_")
    for start in range(len(words)):
        name = "_".join(words[start:])
        found = [t for t in by_name.get(name, []) if t.key != table.key]
        unique = {t.key: t for t in found}
        same_schema = [t for t in unique.values() if t.schema == table.schema]
        if same_schema:
            return same_schema
        if unique:
            return list(unique.values())
    return []


def _family(type_: str) -> str:
    return "int" if type_ in {"smallint", "integer", "bigint"} else type_


@rule(
    code="FK010",
    name="orphan-table",
    severity=Severity.INFO,
    summary="table with no FK in or out (outside link/lookup patterns)",
    doc=RuleDoc(
        what="Finds tables that neither reference another table nor are referenced, in a schema that uses "
        "foreign keys.",
        why=(
            "A table unconnected to the rest of a relational schema usually means a missing "
            "foreign key (the relationship lives only in application code) or a leftover table."
        ),
        example_sqlmodel=SM
        + AUTHOR
        + "class Book(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    author_id: int = Field(foreign_key='author.id', index=True)\n\n\n"
        + "class Setting(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n    owner: int\n",
        example_sql=AUTHOR_SQL
        + "CREATE TABLE book (id bigint PRIMARY KEY, author_id bigint REFERENCES author (id));\n"
        "CREATE TABLE setting (id bigint PRIMARY KEY, owner bigint);\n",
        use_instead_sqlmodel=SM
        + AUTHOR
        + "class Book(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    author_id: int = Field(foreign_key='author.id', index=True)\n\n\n"
        + "class Setting(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    owner: int = Field(foreign_key='author.id', index=True)\n",
        use_instead_sql=AUTHOR_SQL
        + "CREATE TABLE book (id bigint PRIMARY KEY, author_id bigint REFERENCES author (id));\n"
        "CREATE TABLE setting (id bigint PRIMARY KEY, owner bigint REFERENCES author (id));\n",
        fix="No automatic fix: add the missing foreign key, or document why the table stands alone.",
    ),
)
def orphan_table(self: Rule, context: LintContext) -> Iterator[Finding]:
    tables = list(user_tables(context.database))
    connected: set[tuple[str, str]] = set()
    for table in tables:
        for fk in table.foreign_keys:
            if fk.referenced != table.key:
                connected.add(table.key)
                connected.add(fk.referenced)
    if not connected:
        return  # a schema without any foreign keys: one orphan per table would only be noise
    for table in tables:
        if table.key in connected or table.partition_of is not None:
            continue
        yield context.finding(
            self, table_path(table), f"table {table.name} has no foreign key in or out", origin=table.origin
        )


@rule(
    code="FK011",
    name="foreign-key-naming",
    severity=Severity.INFO,
    summary="FK column not named `{referenced_table}_id` (or `{role}_{table}_id`)",
    doc=RuleDoc(
        what=(
            "Finds single-column foreign keys whose column is not named `{table}_id`, "
            "`{role}_{table}_id`, `{table}_{column}` or like the referenced column. Self references "
            "(parent_id, manager_id) are left alone."
        ),
        why="Predictable names let readers (and tools) see relationships without looking up constraints.",
        example_sqlmodel=SM
        + AUTHOR
        + "class Book(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    writer: int = Field(foreign_key='author.id', index=True)\n",
        example_sql=AUTHOR_SQL
        + "CREATE TABLE book (id bigint PRIMARY KEY, writer bigint REFERENCES author (id));\n",
        use_instead_sqlmodel=SM
        + AUTHOR
        + "class Book(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    author_id: int = Field(foreign_key='author.id', index=True)\n",
        use_instead_sql=AUTHOR_SQL
        + "CREATE TABLE book (id bigint PRIMARY KEY, author_id bigint REFERENCES author (id));\n",
        fix="No automatic fix: renaming a column breaks clients (see rename-breaks-clients).",
    ),
)
def foreign_key_naming(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        for fk in table.foreign_keys:
            if len(fk.columns) != 1 or fk.referenced == table.key:
                continue
            column, remote = fk.columns[0], fk.referenced_columns[0]
            if _acceptable_reference_name(column, fk.referenced_table, remote):
                continue
            yield context.finding(
                self,
                column_path(table, column),
                f"{table.name}.{column} references {fk.referenced_table}; name it "
                f"{_suggested(fk.referenced_table, remote)} "
                f"or <role>_{_suggested(fk.referenced_table, remote)}",
                origin=fk.origin or table.origin,
            )


def _suggested(target: str, remote: str) -> str:
    """``employee`` + ``employee_id`` → ``employee_id``; ``app_user`` + ``id`` → ``app_user_id``."""
    singular = _singular(target)
    return remote if remote.startswith(singular) else f"{singular}_{remote}"


def _acceptable_reference_name(column: str, target: str, remote: str) -> bool:
    column = column.lower()
    if column == remote.lower():
        return True
    for name in {target.lower(), _singular(target.lower())}:
        for suffix in (f"{name}_id", f"{name}_{remote.lower()}"):
            if column == suffix or column.endswith("_" + suffix):
                return True
    return False
