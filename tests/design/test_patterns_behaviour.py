"""The patterns' triggers, policies and partial indexes do what they promise on a real database."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import psycopg
import pytest
from tests.design.pattern_models import blog

from pgshape.design.patterns import PatternsSpec, apply_patterns
from pgshape.design.settings import ProjectSettings
from pgshape.model import Database
from pgshape.pg.introspect import introspect
from pgshape.pg.normalize import normalize
from pgshape.pg.verify import apply_statements
from pgshape.render.sql import render_statements

PATTERNS = {
    "soft_delete": ["post"],
    "tenant": ["author", "post"],
    "audit": ["post"],
    "tree": ["category"],
}


def _built(scratch_url: str, pg_server: str, key_type: str = "bigint") -> Database:
    schemas = introspect(scratch_url).schemas
    settings = ProjectSettings(primary_key=key_type, target=16)  # type: ignore[arg-type]
    model = apply_patterns(blog(schemas, key_type), settings, PatternsSpec.model_validate(PATTERNS))
    apply_statements(scratch_url, render_statements(normalize(model, pg_server)))
    return model


@pytest.fixture
def database(scratch_url: str, pg_server: str) -> Iterator[psycopg.Connection]:
    _built(scratch_url, pg_server)
    with psycopg.connect(scratch_url, autocommit=True) as conn:
        yield conn


def _tenant(conn: psycopg.Connection, slug: str) -> int:
    row = conn.execute(
        "INSERT INTO tenant (name, slug) VALUES (%s, %s) RETURNING id", [slug, slug]
    ).fetchone()
    assert row is not None
    return int(row[0])


def _author(conn: psycopg.Connection, tenant: int, email: str) -> int:
    row = conn.execute(
        "INSERT INTO author (tenant_id, email) VALUES (%s, %s) RETURNING id", [tenant, email]
    ).fetchone()
    assert row is not None
    return int(row[0])


def test_updated_at_moves_on_update_but_not_on_a_no_op(database: psycopg.Connection) -> None:
    conn = database
    conn.execute("INSERT INTO category (name) VALUES ('books')")
    created, updated = conn.execute("SELECT created_at, updated_at FROM category").fetchone()  # type: ignore[misc]
    # Each autocommitted statement is its own transaction, so now() moves on.
    conn.execute("SELECT pg_sleep(0.01)")
    conn.execute("UPDATE category SET name = 'books'")  # nothing changes
    assert conn.execute("SELECT updated_at FROM category").fetchone() == (updated,)
    conn.execute("UPDATE category SET name = 'novels'")
    created_after, updated_after = conn.execute("SELECT created_at, updated_at FROM category").fetchone()  # type: ignore[misc]
    assert created_after == created
    assert updated_after > updated


def test_audit_log_records_old_and_new_rows_and_the_actor(database: psycopg.Connection) -> None:
    conn = database
    tenant = _tenant(conn, "acme")
    author = _author(conn, tenant, "a@example.com")
    conn.execute("SET app.current_actor = 'alice'")
    post = conn.execute(
        "INSERT INTO post (tenant_id, author_id, title, slug) VALUES (%s, %s, 'Hello', 'hello') RETURNING id",
        [tenant, author],
    ).fetchone()[0]  # type: ignore[index]
    conn.execute("UPDATE post SET title = 'Hello again' WHERE id = %s", [post])
    conn.execute("RESET app.current_actor")
    conn.execute("DELETE FROM post WHERE id = %s", [post])
    rows = conn.execute(
        "SELECT table_name, record_id, action, old_data ->> 'title', new_data ->> 'title', actor"
        " FROM audit_log ORDER BY id"
    ).fetchall()
    (session_user,) = conn.execute("SELECT session_user").fetchone()  # type: ignore[misc]
    assert rows == [
        ("public.post", str(post), "INSERT", None, "Hello", "alice"),
        ("public.post", str(post), "UPDATE", "Hello", "Hello again", "alice"),
        ("public.post", str(post), "DELETE", "Hello again", None, session_user),
    ]
    # author is not audited.
    assert conn.execute("SELECT count(*) FROM audit_log WHERE table_name = 'public.author'").fetchone() == (
        0,
    )


def test_a_soft_deleted_row_no_longer_blocks_its_unique_value(database: psycopg.Connection) -> None:
    conn = database
    tenant = _tenant(conn, "acme")
    author = _author(conn, tenant, "a@example.com")
    insert = "INSERT INTO post (tenant_id, author_id, title, slug) VALUES (%s, %s, 'T', 'same-slug')"
    conn.execute(insert, [tenant, author])
    with pytest.raises(psycopg.errors.UniqueViolation):
        conn.execute(insert, [tenant, author])
    conn.execute("UPDATE post SET deleted_at = now() WHERE slug = 'same-slug'")
    conn.execute(insert, [tenant, author])
    assert conn.execute("SELECT count(*) FROM post WHERE slug = 'same-slug'").fetchone() == (2,)
    # Another tenant may use the slug as well: uniques are scoped by tenant.
    other = _tenant(conn, "globex")
    conn.execute(insert, [other, _author(conn, other, "b@example.com")])


def test_a_tenant_sees_and_writes_only_its_own_rows(database: psycopg.Connection) -> None:
    conn = database
    acme, globex = _tenant(conn, "acme"), _tenant(conn, "globex")
    for tenant, emails in ((acme, ["a1@x", "a2@x"]), (globex, ["g1@x"])):
        for email in emails:
            _author(conn, tenant, email)
    # Superusers bypass row-level security: act as an ordinary role.
    role = f"pgshape_tenant_{secrets.token_hex(4)}"
    conn.execute(f"CREATE ROLE {role} NOLOGIN")
    try:
        conn.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON author, post TO {role}")
        conn.execute(f"SET ROLE {role}")
        # No tenant chosen: nothing is visible (fails closed, no error).
        assert conn.execute("SELECT count(*) FROM author").fetchone() == (0,)
        conn.execute(f"SET app.current_tenant = {acme}")
        assert sorted(r[0] for r in conn.execute("SELECT email FROM author")) == ["a1@x", "a2@x"]
        conn.execute(f"SET app.current_tenant = {globex}")
        assert [r[0] for r in conn.execute("SELECT email FROM author")] == ["g1@x"]
        assert conn.execute("UPDATE author SET email = 'hijack' WHERE tenant_id = %s", [acme]).rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute("INSERT INTO author (tenant_id, email) VALUES (%s, 'sneaky@x')", [acme])
        conn.execute("RESET app.current_tenant")
        conn.execute("RESET ROLE")
        assert conn.execute("SELECT count(*) FROM author WHERE email = 'hijack'").fetchone() == (0,)
    finally:
        conn.execute("RESET ROLE")
        conn.execute(f"DROP OWNED BY {role}")
        conn.execute(f"DROP ROLE {role}")


def test_adjacency_tree_deletes_subtrees_and_refuses_self_parent(database: psycopg.Connection) -> None:
    conn = database
    root = conn.execute("INSERT INTO category (name) VALUES ('root') RETURNING id").fetchone()[0]  # type: ignore[index]
    child = conn.execute(
        "INSERT INTO category (name, parent_id) VALUES ('child', %s) RETURNING id", [root]
    ).fetchone()[0]  # type: ignore[index]
    conn.execute("INSERT INTO category (name, parent_id) VALUES ('grandchild', %s)", [child])
    with pytest.raises(psycopg.errors.CheckViolation):
        conn.execute("UPDATE category SET parent_id = id WHERE id = %s", [root])
    conn.execute("DELETE FROM category WHERE id = %s", [root])
    assert conn.execute("SELECT count(*) FROM category").fetchone() == (0,)


def test_ltree_paths_answer_descendant_queries(scratch_url: str, pg_server: str) -> None:
    schemas = introspect(scratch_url).schemas
    model = apply_patterns(
        blog(schemas),
        ProjectSettings(timestamps=False),
        PatternsSpec.model_validate({"tree": {"place": "ltree"}}),
    )
    apply_statements(scratch_url, render_statements(normalize(model, pg_server)))
    with psycopg.connect(scratch_url, autocommit=True) as conn:
        for name, path in (("Europe", "europe"), ("France", "europe.france"), ("Asia", "asia")):
            conn.execute("INSERT INTO place (name, path) VALUES (%s, %s)", [name, path])
        rows = conn.execute("SELECT name FROM place WHERE path <@ 'europe' ORDER BY path").fetchall()
        assert rows == [("Europe",), ("France",)]


def test_same_tenant_references_refuse_another_tenants_row(scratch_url: str, pg_server: str) -> None:
    schemas = introspect(scratch_url).schemas
    patterns = {"tenant": {"tables": ["author", "post"], "same_tenant_references": True}}
    model = apply_patterns(
        blog(schemas), ProjectSettings(timestamps=False, target=16), PatternsSpec.model_validate(patterns)
    )
    apply_statements(scratch_url, render_statements(normalize(model, pg_server)))
    with psycopg.connect(scratch_url, autocommit=True) as conn:
        acme, globex = _tenant(conn, "acme"), _tenant(conn, "globex")
        globex_author = _author(conn, globex, "g@x")
        insert = "INSERT INTO post (tenant_id, author_id, title, slug) VALUES (%s, %s, 'T', 't')"
        with pytest.raises(psycopg.errors.ForeignKeyViolation):
            conn.execute(insert, [acme, globex_author])
        conn.execute(insert, [globex, globex_author])
