"""The pattern library on hand-built models: what each pattern adds, checked by building the
result on a real PostgreSQL and reading it back (round trip), plus the error cases."""

from __future__ import annotations

import pytest
from tests.design.pattern_models import blog, entity

from pgshape.design.patterns import PatternsSpec, apply_patterns
from pgshape.design.settings import NamingConvention, ProjectSettings
from pgshape.errors import InputError
from pgshape.model import Database, SchemaInfo
from pgshape.pg.introspect import introspect
from pgshape.pg.verify import prove

EVERYTHING = {
    "soft_delete": ["post"],
    "tenant": {"exclude": ["category"]},
    "audit": ["post", "author"],
    "rbac": True,
    "tree": {"category": "adjacency", "place": "ltree"},
}


@pytest.fixture(scope="module")
def empty_schemas(pg_server: str) -> tuple[SchemaInfo, ...]:
    from pgshape.pg.scratch import scratch_database

    with scratch_database(pg_server) as url:
        return introspect(url).schemas


def _expand(db: Database, patterns: dict[str, object], **settings: object) -> Database:
    return apply_patterns(db, ProjectSettings(**settings), PatternsSpec.model_validate(patterns))


@pytest.mark.parametrize("key_type", ["bigint", "uuid"])
def test_every_pattern_builds_and_reads_back_identically(
    pg_server: str, empty_schemas: tuple[SchemaInfo, ...], key_type: str
) -> None:
    # target 16: gen_random_uuid(), so the same model also builds on PostgreSQL 15.
    expanded = _expand(blog(empty_schemas, key_type), EVERYTHING, primary_key=key_type, target=16)
    proof = prove(expanded, scratch_url=pg_server)
    assert proof.identical, [str(d) for d in proof.differences]
    names = {t.name for t in expanded.tables}
    assert {"tenant", "audit_log", "app_user", "role", "permission", "user_role", "role_permission"} <= names


def test_patterns_are_idempotent(empty_schemas: tuple[SchemaInfo, ...]) -> None:
    once = _expand(blog(empty_schemas), EVERYTHING, target=16)
    twice = _expand(once, EVERYTHING, target=16)
    assert twice == once


def test_timestamps_all_tables_but_links_and_audit_log(empty_schemas: tuple[SchemaInfo, ...]) -> None:
    expanded = _expand(blog(empty_schemas), {"rbac": True, "audit": True}, target=16)
    for table in expanded.tables:
        has_updated_at = table.column("updated_at") is not None
        has_trigger = any(t.name == "set_updated_at" for t in table.triggers)
        if table.name in {"user_role", "role_permission", "audit_log"}:
            assert not has_updated_at and not has_trigger, table.name
        else:
            assert has_updated_at and has_trigger, table.name
            assert table.column("created_at").type == "timestamp with time zone"  # type: ignore[union-attr]
    # Project setting off and no pattern entry: nothing added to the design's own tables.
    plain = _expand(blog(empty_schemas), {}, timestamps=False)
    assert all(t.column("updated_at") is None and not t.triggers for t in plain.tables)
    assert not plain.functions


def test_soft_delete_makes_uniques_and_hot_indexes_partial_but_keeps_fk_index_full(
    empty_schemas: tuple[SchemaInfo, ...],
) -> None:
    post = _expand(blog(empty_schemas), {"soft_delete": ["post"]}, timestamps=False).table("public", "post")
    assert post is not None
    assert post.unique_constraints == ()
    by_name = {index.name: index for index in post.indexes}
    assert by_name["uq_post_slug"].unique and by_name["uq_post_slug"].predicate == "deleted_at IS NULL"
    assert by_name["ix_post_title"].predicate == "deleted_at IS NULL"
    assert by_name["ix_post_author_id"].predicate is None  # ON DELETE CASCADE needs every row
    assert post.column("deleted_at").nullable  # type: ignore[union-attr]


def test_soft_delete_refuses_a_unique_that_backs_a_foreign_key(empty_schemas: tuple[SchemaInfo, ...]) -> None:
    from dataclasses import replace

    from pgshape.model import Column, ForeignKey

    db = blog(empty_schemas)
    post = db.table("public", "post")
    assert post is not None
    by_slug = entity(
        "mention",
        Column("post_slug", "text", nullable=False),
        foreign_keys=(ForeignKey("fk_mention_post_slug", ("post_slug",), "public", "post", ("slug",)),),
    )
    db = replace(db, tables=(*db.tables, by_slug))
    with pytest.raises(InputError, match="referenced by a foreign key"):
        _expand(db, {"soft_delete": ["post"]})


def test_tenant_scopes_uniques_and_indexes_the_key(empty_schemas: tuple[SchemaInfo, ...]) -> None:
    expanded = _expand(blog(empty_schemas), {"tenant": ["author", "post", "category"]}, timestamps=False)
    author = expanded.table("public", "author")
    post = expanded.table("public", "post")
    assert author is not None and post is not None
    assert [u.columns for u in author.unique_constraints] == [("tenant_id", "email")]
    assert author.rls_enabled and author.rls_forced
    assert [p.name for p in author.policies] == ["tenant_isolation"]
    # A scoped unique starts with tenant_id and serves the FK; category has none: an index.
    assert not any(i.columns == ("tenant_id",) for t in (author, post) for i in t.indexes)
    category = expanded.table("public", "category")
    assert category is not None and [i.columns for i in category.indexes] == [("tenant_id",)]
    assert post.column_names[:2] == ("id", "tenant_id")
    untouched = expanded.table("public", "place")
    assert untouched is not None and not untouched.rls_enabled


def test_unknown_table_names_the_pattern_and_suggests(empty_schemas: tuple[SchemaInfo, ...]) -> None:
    with pytest.raises(InputError, match=r"patterns.soft_delete: unknown table 'psot'; did you mean 'post'"):
        _expand(blog(empty_schemas), {"soft_delete": ["psot"]})


def test_unknown_pattern_option_is_rejected() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="soft_delet"):
        PatternsSpec.model_validate({"soft_delet": ["post"]})
    with pytest.raises(ValidationError, match="colum"):
        PatternsSpec.model_validate({"soft_delete": {"tables": ["post"], "colum": "x"}})


def test_generated_names_fit_in_63_bytes(pg_server: str, empty_schemas: tuple[SchemaInfo, ...]) -> None:
    from dataclasses import replace

    long = "a_rather_long_table_name_that_goes_on_and_on_for_a_while_xx"  # 59 bytes
    naming = NamingConvention(index="%(table)s_%(columns)s_index", fk="%(table)s_%(columns)s_fkey")
    db = replace(blog(empty_schemas), tables=(entity(long),))
    expanded = _expand(
        db, {"tenant": True, "tree": [long], "soft_delete": [long], "audit": True}, naming=naming, target=16
    )
    table = expanded.table("public", long)
    assert table is not None
    names = [*table.constraint_names, *(i.name for i in table.indexes), *(t.name for t in table.triggers)]
    assert all(len(name.encode()) <= 63 for name in names), names
    assert len(set(names)) == len(names)
    proof = prove(expanded, scratch_url=pg_server)
    assert proof.identical, [str(d) for d in proof.differences]


@pytest.mark.parametrize("key_type", ["bigint", "uuid"])
def test_everything_the_patterns_generate_passes_review(
    empty_schemas: tuple[SchemaInfo, ...], key_type: str
) -> None:
    from pgshape.lint.config import LintConfig
    from pgshape.lint.core import LintContext, Severity
    from pgshape.lint.engine import lint

    expanded = _expand(blog(empty_schemas, key_type), EVERYTHING, primary_key=key_type, target=16)
    result = lint(LintContext(database=expanded, config=LintConfig(), source_kind="design"))
    errors = [f"{f.name} {f.path}: {f.message}" for f in result.findings if f.severity >= Severity.ERROR]
    assert errors == []
    # The rules the patterns exist to satisfy do not fire at any severity.
    satisfied = {
        "unindexed-foreign-key",
        "missing-created-at",
        "updated-at-never-updated",
        "soft-delete-unique-not-partial",
        "soft-delete-without-partial-index",
        "tenant-table-without-rls",
        "rls-without-policy",
        "security-definer-mutable-search-path",
        "identifier-too-long",
        "self-reference-without-on-delete",
    }
    assert [f"{f.name} {f.path}" for f in result.findings if f.name in satisfied] == []


def _with_reviewer(db: Database) -> Database:
    """post.reviewer_id: a nullable reference with ON DELETE SET NULL."""
    from dataclasses import replace

    from pgshape.model import Column, ForeignKey

    post = db.table("public", "post")
    assert post is not None
    reviewer = ForeignKey(
        "fk_post_reviewer_id", ("reviewer_id",), "public", "author", ("id",), on_delete="SET NULL"
    )
    post = replace(
        post,
        columns=(*post.columns, Column("reviewer_id", "bigint")),
        foreign_keys=(*post.foreign_keys, reviewer),
    )
    return replace(db, tables=tuple(post if t.name == "post" else t for t in db.tables))


def test_same_tenant_references_make_composite_foreign_keys(
    pg_server: str, empty_schemas: tuple[SchemaInfo, ...]
) -> None:
    patterns = {"tenant": {"same_tenant_references": True}, "tree": ["category"], "soft_delete": ["post"]}
    expanded = _expand(_with_reviewer(blog(empty_schemas)), patterns, target=16)
    post, author, category = (expanded.table("public", n) for n in ("post", "author", "category"))
    assert post is not None and author is not None and category is not None
    by_columns = {fk.columns: fk for fk in post.foreign_keys}
    assert by_columns[("tenant_id", "author_id")].referenced_columns == ("tenant_id", "id")
    reviewer = by_columns[("tenant_id", "reviewer_id")]
    assert (reviewer.on_delete, reviewer.on_delete_columns) == ("SET NULL", ("reviewer_id",))
    assert ("tenant_id", "id") in [u.columns for u in author.unique_constraints]
    # The tree's self-reference stays within the tenant too.
    assert [fk.columns for fk in category.foreign_keys if fk.referenced == category.key] == [
        ("tenant_id", "parent_id")
    ]
    # Each composite reference is indexed; no plain tenant_id index is left as a redundant prefix.
    index_columns = [i.columns for i in post.indexes if i.predicate is None]
    assert ("tenant_id", "author_id") in index_columns and ("tenant_id",) not in index_columns
    proof = prove(expanded, scratch_url=pg_server)
    assert proof.identical, [str(d) for d in proof.differences]
    with pytest.raises(InputError, match="needs PostgreSQL 15"):
        _expand(_with_reviewer(blog(empty_schemas)), patterns, target=14)
