"""IDX: indexes — duplicates, redundancy, and indexes that cannot help."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pgshape.lint.core import Finding, Fix, LintContext, Rule, RuleDoc, Severity, rule
from pgshape.lint.fix_targets import index_name
from pgshape.lint.helpers import column_path, is_timestamp, object_path, user_tables
from pgshape.model import IndexKey, Origin, Table
from pgshape.render.identifiers import qualified, quote_ident

SM = "from sqlmodel import Field, SQLModel\n\n\n"


@dataclass(frozen=True)
class _IndexLike:
    """An index, or the index behind a primary key / unique constraint."""

    name: str
    keys: tuple[IndexKey, ...]
    method: str
    include: tuple[str, ...]
    predicate: str | None
    unique: bool
    constraint: bool  # dropped with ALTER TABLE … DROP CONSTRAINT, not DROP INDEX
    nulls_not_distinct: bool = False

    @property
    def definition(self) -> tuple[object, ...]:
        return (self.method, self.keys, self.include, self.predicate, self.nulls_not_distinct)


def _index_likes(table: Table) -> list[_IndexLike]:
    """Kept on the (immutable) table: three rules ask for every table."""
    cached = table.__dict__.get("_lint_index_likes")
    if cached is None:
        cached = _build_index_likes(table)
        table.__dict__["_lint_index_likes"] = cached
    return cached  # type: ignore[no-any-return]


def _build_index_likes(table: Table) -> list[_IndexLike]:
    found = []
    if table.primary_key is not None:
        pk = table.primary_key
        found.append(
            _IndexLike(
                pk.name, tuple(IndexKey(column=c) for c in pk.columns), "btree", pk.include, None, True, True
            )
        )
    for unique in table.unique_constraints:
        found.append(
            _IndexLike(
                unique.name,
                tuple(IndexKey(column=c) for c in unique.columns),
                "btree",
                unique.include,
                None,
                True,
                True,
                unique.nulls_not_distinct,
            )
        )
    for index in table.indexes:
        found.append(
            _IndexLike(
                index.name,
                index.keys,
                index.method,
                index.include,
                index.predicate,
                index.unique,
                False,
                index.nulls_not_distinct,
            )
        )
    return found


def _drop(table: Table, index: _IndexLike, *, safe: bool) -> Fix:
    if index.constraint:
        sql = f"ALTER TABLE {qualified(table.schema, table.name)} DROP CONSTRAINT {quote_ident(index.name)};"
        return Fix(f"drop constraint {index.name}", safe=False, sql=sql)
    return Fix(
        f"drop index {index.name}",
        safe=safe,
        sql=f"DROP INDEX CONCURRENTLY IF EXISTS {qualified(table.schema, index.name)};",
    )


@rule(
    code="IDX001",
    name="duplicate-index",
    severity=Severity.ERROR,
    summary="two indexes with identical definition (method, columns, predicate, include)",
    doc=RuleDoc(
        what=(
            "Finds indexes with the same method, keys (with order, operator class and collation), "
            "INCLUDE columns and predicate as another index or as a primary key / unique constraint."
        ),
        why="The copy is maintained on every write and takes the same space, and no query can use it "
        "instead of the first.",
        example_sqlmodel=SM
        + "from sqlalchemy import Index\n\n\nclass Post(SQLModel, table=True):\n"
        + "    __table_args__ = (Index('post_title_idx', 'title'),)\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    title: str = Field(index=True)\n",
        example_sql=(
            "CREATE TABLE post (id bigint PRIMARY KEY, title text NOT NULL);\n"
            "CREATE INDEX post_title_idx ON post (title);\nCREATE INDEX post_title_idx1 ON post (title);\n"
        ),
        use_instead_sqlmodel=SM
        + "class Post(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    title: str = Field(index=True)\n",
        use_instead_sql="CREATE TABLE post (id bigint PRIMARY KEY, title text NOT NULL);\n"
        "CREATE INDEX post_title_idx ON post (title);\n",
        fix=(
            "Safe SQL fix: `DROP INDEX CONCURRENTLY` of the copy (a duplicate of a constraint's index "
            "is dropped, never the constraint)."
        ),
    ),
)
def duplicate_index(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        seen: dict[tuple[object, ...], _IndexLike] = {}
        # constraints first, then unique before plain, so the one reported is the droppable copy
        primary_key = table.primary_key.name if table.primary_key else None
        ordered = sorted(
            _index_likes(table), key=lambda i: (i.name != primary_key, not i.constraint, not i.unique, i.name)
        )
        for index in ordered:
            first = seen.setdefault(index.definition, index)
            if first is index:
                continue
            if first.name == primary_key and index.unique:
                continue  # a unique copy of the primary key: unique-duplicates-primary-key says so
            yield context.finding(
                self,
                object_path(table, index.name),
                f"index {index.name} duplicates {first.name} on {table.name}",
                origin=_origin(table, index.name),
                fixes=(_drop(table, index, safe=True),),
            )


def _origin(table: Table, name: str) -> Origin | None:
    for index in table.indexes:
        if index.name == name:
            return index.origin or table.origin
    for unique in table.unique_constraints:
        if unique.name == name:
            return unique.origin or table.origin
    return table.origin


@rule(
    code="IDX002",
    name="redundant-prefix-index",
    severity=Severity.WARNING,
    summary="a btree index that is a leading prefix of another (same predicate)",
    doc=RuleDoc(
        what=(
            "Finds non-unique btree indexes whose keys are a leading prefix of another btree index "
            "with the same predicate (`(a)` next to `(a, b)`)."
        ),
        why="The longer index serves every query the shorter one serves; the shorter one only costs writes "
        "and space.",
        example_sqlmodel=SM
        + "from sqlalchemy import Index\n\n\nclass Post(SQLModel, table=True):\n"
        + "    __table_args__ = (Index('ix_post_author_created', 'author', 'created'),)\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    author: str = Field(index=True)\n    created: int\n",
        example_sql=(
            "CREATE TABLE post (id bigint PRIMARY KEY, author text, created int);\n"
            "CREATE INDEX post_author_idx ON post (author);\n"
            "CREATE INDEX post_author_created_idx ON post (author, created);\n"
        ),
        use_instead_sqlmodel=SM
        + "from sqlalchemy import Index\n\n\nclass Post(SQLModel, table=True):\n"
        + "    __table_args__ = (Index('ix_post_author_created', 'author', 'created'),)\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    author: str\n    created: int\n",
        use_instead_sql=(
            "CREATE TABLE post (id bigint PRIMARY KEY, author text, created int);\n"
            "CREATE INDEX post_author_created_idx ON post (author, created);\n"
        ),
        fix="Unsafe SQL fix: `DROP INDEX CONCURRENTLY` of the prefix (plans may change: the longer index "
        "is larger).",
    ),
)
def redundant_prefix_index(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        likes = [i for i in _index_likes(table) if i.method == "btree"]
        for short in likes:
            if short.unique or short.constraint or short.include:
                continue
            for long in likes:
                if long is short or long.predicate != short.predicate:
                    continue
                if len(long.keys) > len(short.keys) and long.keys[: len(short.keys)] == short.keys:
                    yield context.finding(
                        self,
                        object_path(table, short.name),
                        f"index {short.name} is a prefix of {long.name} on {table.name}",
                        origin=_origin(table, short.name),
                        fixes=(_drop(table, short, safe=False),),
                    )
                    break


@rule(
    code="IDX003",
    name="boolean-index",
    severity=Severity.INFO,
    summary="plain btree index on a boolean; use a partial index",
    doc=RuleDoc(
        what="Finds single-column, non-partial btree indexes on a boolean column.",
        why=(
            "A boolean has two values: the planner uses such an index only for the rare value, and "
            "then a partial index (`WHERE NOT is_done`) is a fraction of the size and cost."
        ),
        example_sqlmodel=SM
        + "class Job(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n    is_done: bool = "
        "Field(index=True)\n",
        example_sql="CREATE TABLE job (id bigint PRIMARY KEY, is_done boolean NOT NULL);\n"
        "CREATE INDEX job_is_done_idx ON job (is_done);\n",
        use_instead_sqlmodel=SM
        + "from sqlalchemy import Index, text\n\n\nclass Job(SQLModel, table=True):\n"
        + "    __table_args__ = (Index('ix_job_pending', 'id', postgresql_where=text('NOT is_done')),)\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n    is_done: bool\n",
        use_instead_sql="CREATE TABLE job (id bigint PRIMARY KEY, is_done boolean NOT NULL);\n"
        "CREATE INDEX job_pending_idx ON job (id) WHERE NOT is_done;\n",
        fix="No automatic fix: replace it with a partial index on the column you look up, for the rare "
        "value.",
    ),
)
def boolean_index(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        for index in table.indexes:
            if index.method != "btree" or index.is_partial or len(index.keys) != 1:
                continue
            column = table.column(index.keys[0].column or "")
            if column is not None and column.type == "boolean":
                yield context.finding(
                    self,
                    object_path(table, index.name),
                    f"index {index.name} is a plain btree index on boolean {column.name}; use a partial "
                    "index",
                    origin=index.origin or table.origin,
                )


# Column names that are, by convention, searched by containment (@>, ?, &&).
_CONTAINMENT_NAMES = re.compile(
    r"(^|_)(tags|labels|categories|roles|permissions|scopes|keywords|topics|skills|features|flags"
    r"|attributes|properties|search|search_vector|tsv|document)$"
)


def _containment_candidate(type_: str, name: str) -> bool:
    if type_ == "tsvector":
        return True
    if type_ == "jsonb" or type_.endswith("[]"):
        return bool(_CONTAINMENT_NAMES.search(name.lower()))
    return False


@rule(
    code="IDX004",
    name="missing-gin-index",
    severity=Severity.INFO,
    summary="jsonb/array/tsvector column queried by containment without a GIN index (heuristic)",
    doc=RuleDoc(
        what=(
            "Finds tsvector columns, and jsonb or array columns named like containment targets "
            "(tags, labels, roles, permissions, attributes…), that no GIN or GiST index covers."
        ),
        why=(
            "`tags @> '{x}'`, `doc @@ query` and `attrs ? 'k'` can only use GIN/GiST indexes; "
            "without one every such query reads the whole table."
        ),
        example_sqlmodel=SM
        + "from sqlalchemy import ARRAY, Text\n\n\nclass Post(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    tags: list[str] = Field(default_factory=list, sa_type=ARRAY(Text))\n",
        example_sql="CREATE TABLE post (id bigint PRIMARY KEY, tags text[] NOT NULL DEFAULT '{}');\n",
        use_instead_sqlmodel=SM
        + "from sqlalchemy import ARRAY, Index, Text\n\n\nclass Post(SQLModel, table=True):\n"
        + "    __table_args__ = (Index('ix_post_tags', 'tags', postgresql_using='gin'),)\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    tags: list[str] = Field(default_factory=list, sa_type=ARRAY(Text))\n",
        use_instead_sql="CREATE TABLE post (id bigint PRIMARY KEY, tags text[] NOT NULL DEFAULT '{}');\n"
        "CREATE INDEX post_tags_idx ON post USING gin (tags);\n",
        fix="Safe SQL fix: `CREATE INDEX CONCURRENTLY … USING gin (column)`.",
    ),
)
def missing_gin_index(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        covered: set[str] = set()
        for index in table.indexes:
            if index.method in {"gin", "gist"}:
                for key in index.keys:
                    if key.column:
                        covered.add(key.column)
                    elif key.expression:
                        covered.update(w for w in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", key.expression))
        for column in table.columns:
            if (
                column.name in covered
                or column.inherited
                or not _containment_candidate(column.type, column.name)
            ):
                continue
            name = index_name(table.name, [column.name])
            yield context.finding(
                self,
                column_path(table, column.name),
                f"{table.name}.{column.name} ({column.type}) has no GIN index for containment searches",
                origin=column.origin or table.origin,
                fixes=(
                    Fix(
                        f"create GIN index {name}",
                        safe=True,
                        sql=f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {quote_ident(name)} ON "
                        f"{qualified(table.schema, table.name)} USING gin ({quote_ident(column.name)});",
                    ),
                ),
            )


@rule(
    code="IDX005",
    name="too-many-indexes",
    severity=Severity.INFO,
    summary="more than 10 indexes on one table",
    doc=RuleDoc(
        what=(
            "Finds tables with more indexes (constraint indexes included) than the "
            "`too-many-indexes` threshold (10)."
        ),
        why=(
            "Every index is updated on every insert (and on updates that touch its columns, which "
            "also disables HOT updates); many indexes usually means some are unused or redundant."
        ),
        example_sqlmodel=SM
        + "class Wide(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n"
        + "".join(f"    c{i}: int = Field(index=True)\n" for i in range(11)),
        example_sql="CREATE TABLE wide (id bigint PRIMARY KEY, "
        + ", ".join(f"c{i} int" for i in range(11))
        + ");\n"
        + "".join(f"CREATE INDEX ON wide (c{i});\n" for i in range(11)),
        use_instead_sqlmodel=SM
        + "class Wide(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n"
        + "".join(f"    c{i}: int = Field(index={i < 3})\n" for i in range(11)),
        use_instead_sql="CREATE TABLE wide (id bigint PRIMARY KEY, "
        + ", ".join(f"c{i} int" for i in range(11))
        + ");\n"
        + "".join(f"CREATE INDEX ON wide (c{i});\n" for i in range(3)),
        fix="No automatic fix: check pg_stat_user_indexes for unused indexes and drop them.",
    ),
)
def too_many_indexes(self: Rule, context: LintContext) -> Iterator[Finding]:
    limit = context.config.threshold("too-many-indexes")
    for table in user_tables(context.database):
        count = len(_index_likes(table))
        if count > limit:
            yield context.finding(
                self,
                f"{table.schema}.{table.name}",
                f"{table.name} has {count} indexes (more than {limit})",
                origin=table.origin,
            )


_NOT_NULL_TERM = re.compile(r'\(?\s*("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)\s+IS\s+NOT\s+NULL\s*\)?', re.I)


def _not_null_columns_in(predicate: str) -> list[str]:
    names = []
    for match in _NOT_NULL_TERM.finditer(predicate):
        name = match.group(1)
        names.append(name[1:-1].replace('""', '"') if name.startswith('"') else name)
    return names


@rule(
    code="IDX006",
    name="redundant-not-null-predicate",
    severity=Severity.INFO,
    summary="`WHERE col IS NOT NULL` on a NOT NULL column",
    doc=RuleDoc(
        what="Finds partial indexes whose predicate says `col IS NOT NULL` for a column that is NOT NULL.",
        why=(
            "The condition is always true, so the index is a full index that only queries "
            "repeating the same condition can use: it looks selective and is not."
        ),
        example_sqlmodel=SM
        + "from sqlalchemy import Index, text\n\n\nclass Post(SQLModel, table=True):\n"
        + "    __table_args__ = (Index('ix_post_title', 'title', postgresql_where=text('title IS NOT "
        "NULL')),)\n" + "    id: int | None = Field(default=None, primary_key=True)\n    title: str\n",
        example_sql="CREATE TABLE post (id bigint PRIMARY KEY, title text NOT NULL);\n"
        "CREATE INDEX post_title_idx ON post (title) WHERE title IS NOT NULL;\n",
        use_instead_sqlmodel=SM
        + "class Post(SQLModel, table=True):\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n    title: str = Field(index=True)\n",
        use_instead_sql="CREATE TABLE post (id bigint PRIMARY KEY, title text NOT NULL);\n"
        "CREATE INDEX post_title_idx ON post (title);\n",
        fix="No automatic fix: re-create the index without the condition (queries need not repeat it).",
    ),
)
def redundant_not_null_predicate(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        for index in table.indexes:
            if index.predicate is None or " OR " in index.predicate.upper():
                continue
            for name in _not_null_columns_in(index.predicate):
                column = table.column(name)
                if column is not None and not column.nullable:
                    yield context.finding(
                        self,
                        object_path(table, index.name),
                        f"index {index.name}: {name} IS NOT NULL is always true ({name} is NOT NULL)",
                        origin=index.origin or table.origin,
                    )
                    break


@rule(
    code="IDX007",
    name="timestamp-not-last-in-index",
    severity=Severity.INFO,
    summary="composite btree index with a timestamp column before an equality column",
    doc=RuleDoc(
        what="Finds composite btree indexes where a timestamp column comes before a non-timestamp column.",
        why=(
            "Timestamps are searched by range. A btree can use the columns after a range condition "
            "only as a filter, so `(created_at, user_id)` serves `user_id = ? AND created_at > ?` "
            "far worse than `(user_id, created_at)`."
        ),
        example_sqlmodel=SM
        + "from datetime import datetime\n\nfrom sqlalchemy import Index\n\n\nclass Event(SQLModel, "
        "table=True):\n"
        + "    __table_args__ = (Index('ix_event_at_user', 'created_at', 'user_key'),)\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    user_key: int\n    created_at: datetime\n",
        example_sql="CREATE TABLE event (id bigint PRIMARY KEY, user_key int, created_at timestamptz);\n"
        "CREATE INDEX event_at_user_idx ON event (created_at, user_key);\n",
        use_instead_sqlmodel=SM
        + "from datetime import datetime\n\nfrom sqlalchemy import Index\n\n\nclass Event(SQLModel, "
        "table=True):\n"
        + "    __table_args__ = (Index('ix_event_user_at', 'user_key', 'created_at'),)\n"
        + "    id: int | None = Field(default=None, primary_key=True)\n"
        + "    user_key: int\n    created_at: datetime\n",
        use_instead_sql="CREATE TABLE event (id bigint PRIMARY KEY, user_key int, created_at timestamptz);\n"
        "CREATE INDEX event_user_at_idx ON event (user_key, created_at);\n",
        fix="No automatic fix: re-create the index with equality columns first (check the queries first).",
    ),
)
def timestamp_not_last_in_index(self: Rule, context: LintContext) -> Iterator[Finding]:
    for table in user_tables(context.database):
        for index in table.indexes:
            if index.method != "btree" or len(index.keys) < 2:
                continue
            kinds = [_is_timestamp_key(table, key) for key in index.keys]
            first_ts = next((i for i, is_ts in enumerate(kinds) if is_ts), None)
            if first_ts is None or all(kinds[first_ts:]):
                continue
            after = [
                k.column or k.expression
                for k, is_ts in zip(index.keys[first_ts:], kinds[first_ts:], strict=True)
                if not is_ts
            ]
            yield context.finding(
                self,
                object_path(table, index.name),
                f"index {index.name}: timestamp {index.keys[first_ts].column} comes before "
                f"{', '.join(map(str, after))}",
                origin=index.origin or table.origin,
            )


def _is_timestamp_key(table: Table, key: IndexKey) -> bool:
    column = table.column(key.column) if key.column else None
    return column is not None and is_timestamp(column)
