"""The examples' triggers, policies and partial indexes work on a real database — the design files
exactly as ``pgshape init`` writes them, built from the DDL ``pgshape generate sql`` emits."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator

import psycopg
import pytest

from pgshape.design.examples import example_path
from pgshape.pg.normalize import normalize
from pgshape.pg.verify import apply_statements
from pgshape.render.sql import render_statements
from pgshape.sources.design_file import load as load_design


def _build(example: str, url: str, pg_server: str) -> psycopg.Connection:
    model = normalize(load_design(str(example_path(example))), pg_server)
    apply_statements(url, render_statements(model))
    return psycopg.connect(url, autocommit=True)


@pytest.fixture
def blog(scratch_url: str, pg_server: str) -> Iterator[psycopg.Connection]:
    with _build("blog", scratch_url, pg_server) as conn:
        yield conn


def _user(conn: psycopg.Connection, email: str, **extra: object) -> object:
    columns = ["email", "display_name", "password_hash", *extra]
    values = [email, email.split("@")[0], "x", *extra.values()]
    placeholders = ", ".join(["%s"] * len(values))
    row = conn.execute(
        f"INSERT INTO app_user ({', '.join(columns)}) VALUES ({placeholders}) RETURNING id", values
    ).fetchone()
    assert row is not None
    return row[0]


def test_blog_updated_at_changes_on_update(blog: psycopg.Connection) -> None:
    author = _user(blog, "ann@example.com")
    blog.execute("INSERT INTO post (author_id, title, slug, body) VALUES (%s, 'T', 't', 'b')", [author])
    (before,) = blog.execute("SELECT updated_at FROM post").fetchone()  # type: ignore[misc]
    blog.execute("SELECT pg_sleep(0.01)")
    blog.execute("UPDATE post SET title = 'T2'")
    (after,) = blog.execute("SELECT updated_at FROM post").fetchone()  # type: ignore[misc]
    assert after > before


def test_blog_soft_deleted_post_frees_its_slug(blog: psycopg.Connection) -> None:
    author = _user(blog, "ann@example.com")
    insert = "INSERT INTO post (author_id, title, slug, body) VALUES (%s, 'T', 'hello', 'b')"
    blog.execute(insert, [author])
    with pytest.raises(psycopg.errors.UniqueViolation):
        blog.execute(insert, [author])
    blog.execute("UPDATE post SET deleted_at = now() WHERE slug = 'hello'")
    blog.execute(insert, [author])
    assert blog.execute("SELECT count(*) FROM post WHERE slug = 'hello'").fetchone() == (2,)


def test_blog_replies_are_deleted_with_their_comment(blog: psycopg.Connection) -> None:
    author = _user(blog, "ann@example.com")
    post = blog.execute(
        "INSERT INTO post (author_id, title, slug, body) VALUES (%s, 'T', 't', 'b') RETURNING id", [author]
    ).fetchone()[0]  # type: ignore[index]
    top = blog.execute(
        "INSERT INTO comment (post_id, author_id, body) VALUES (%s, %s, 'first') RETURNING id", [post, author]
    ).fetchone()[0]  # type: ignore[index]
    blog.execute(
        "INSERT INTO comment (post_id, author_id, body, parent_id) VALUES (%s, %s, 'reply', %s)",
        [post, author, top],
    )
    blog.execute("DELETE FROM comment WHERE id = %s", [top])
    assert blog.execute("SELECT count(*) FROM comment").fetchone() == (0,)


def test_audit_example_writes_old_and_new_rows(scratch_url: str, pg_server: str) -> None:
    with _build("audit", scratch_url, pg_server) as conn:
        customer = conn.execute(
            "INSERT INTO customer (email, name) VALUES ('c@example.com', 'C') RETURNING id"
        ).fetchone()[0]  # type: ignore[index]
        conn.execute("SET app.current_actor = 'clerk'")
        invoice = conn.execute(
            "INSERT INTO invoice (customer_id, number, amount, due_on)"
            " VALUES (%s, 'INV-1', 100, current_date) RETURNING id",
            [customer],
        ).fetchone()[0]  # type: ignore[index]
        conn.execute("UPDATE invoice SET status = 'sent' WHERE id = %s", [invoice])
        rows = conn.execute(
            "SELECT table_name, record_id, action, old_data ->> 'status', new_data ->> 'status', actor"
            " FROM audit_log ORDER BY id"
        ).fetchall()
        assert rows == [
            ("public.invoice", str(invoice), "INSERT", None, "draft", "clerk"),
            ("public.invoice", str(invoice), "UPDATE", "draft", "sent", "clerk"),
        ]
        # enums: check — a value outside the list is refused by the CHECK constraint.
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute("UPDATE invoice SET status = 'lost'")
        # customer is not audited.
        assert conn.execute(
            "SELECT count(*) FROM audit_log WHERE table_name = 'public.customer'"
        ).fetchone() == (0,)


def test_saas_tenant_sees_only_its_rows(scratch_url: str, pg_server: str) -> None:
    with _build("saas", scratch_url, pg_server) as conn:
        tenants = {}
        for slug in ("acme", "globex"):
            tenants[slug] = conn.execute(
                "INSERT INTO tenant (name, slug) VALUES (%s, %s) RETURNING id", [slug, slug]
            ).fetchone()[0]  # type: ignore[index]
            for number in range(2 if slug == "acme" else 1):
                conn.execute(
                    "INSERT INTO project (tenant_id, name, slug) VALUES (%s, %s, %s)",
                    [tenants[slug], f"{slug} {number}", "same-slug" if number == 0 else f"p{number}"],
                )
        assert isinstance(tenants["acme"], uuid.UUID)
        role = f"pgshape_saas_{secrets.token_hex(4)}"
        conn.execute(f"CREATE ROLE {role} NOLOGIN")
        try:
            conn.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
            conn.execute(f"SET ROLE {role}")
            assert conn.execute("SELECT count(*) FROM project").fetchone() == (0,)
            conn.execute(f"SET app.current_tenant = '{tenants['acme']}'")
            assert sorted(r[0] for r in conn.execute("SELECT name FROM project")) == ["acme 0", "acme 1"]
            conn.execute(f"SET app.current_tenant = '{tenants['globex']}'")
            assert [r[0] for r in conn.execute("SELECT name FROM project")] == ["globex 0"]
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
                conn.execute(
                    "INSERT INTO project (tenant_id, name, slug) VALUES (%s, 'x', 'x')", [tenants["acme"]]
                )
        finally:
            conn.execute("RESET ROLE")
            conn.execute(f"DROP OWNED BY {role}")
            conn.execute(f"DROP ROLE {role}")
