"""The design file as a source: friendly syntax → the IR a careful designer would write, and
PostgreSQL agrees (`pgshape verify` says identical on the test server, 18 or 15)."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

from conftest import run_sql
from design.design_texts import blog
from pgshape.cli.main import main
from pgshape.model import Database, Table
from pgshape.pg.verify import apply_statements, prove
from pgshape.render.sql import render_statements
from pgshape.sources.design_file import load_text


def table(db: Database, name: str) -> Table:
    found = db.find_table(name)
    assert found is not None, name
    return found


def test_careful_defaults_bigint() -> None:
    db = load_text(blog("bigint"), "blog.yaml")
    user = table(db, "app_user")
    key = user.columns[0]
    assert (key.name, key.type, key.nullable) == ("id", "bigint", False)
    assert key.identity is not None and key.identity.always
    assert user.primary_key is not None and user.primary_key.name == "pk_app_user"
    post = table(db, "post")
    author = post.column("author_id")
    assert author is not None and author.type == "bigint" and not author.nullable
    assert post.column("published_at").nullable  # type: ignore[union-attr]
    assert post.column("display_name") is None
    assert user.column("display_name").type == "character varying(80)"  # type: ignore[union-attr]
    assert post.column("status").type == "public.post_status"  # type: ignore[union-attr]
    assert post.column("status").default == "'draft'"  # type: ignore[union-attr]
    fk = post.foreign_keys[0]
    assert (fk.name, fk.referenced_table, fk.referenced_columns) == ("fk_post_author_id", "app_user", ("id",))
    # author_id leads a composite index already: no second index for the FK.
    assert [i.columns for i in post.indexes if i.columns[:1] == ("author_id",) and not i.unique] == [
        ("author_id", "published_at")
    ]
    comment = table(db, "comment")
    assert {i.name for i in comment.indexes} == {"ix_comment_post_id", "ix_comment_parent_id"}
    # The link table's key leads with post_id, so that FK needs no extra index either.
    assert table(db, "post_tag").indexes == ()
    assert table(db, "post_tag").primary_key.columns == ("post_id", "tag")  # type: ignore[union-attr]
    assert db.expressions_canonical is False


@pytest.mark.parametrize(("target", "default"), [(18, "uuidv7()"), (15, "gen_random_uuid()")])
def test_uuid_keys_follow_the_target(target: int, default: str) -> None:
    db = load_text(blog("uuid", target), "blog.yaml")
    for name in ("app_user", "post", "comment"):
        key = table(db, name).columns[0]
        assert (key.type, key.default, key.identity) == ("uuid", default, None)
    assert table(db, "comment").column("post_id").type == "uuid"  # type: ignore[union-attr]


def test_origins_point_at_the_keys() -> None:
    text = blog()
    db = load_text(text, "blog.yaml")
    lines = text.splitlines()
    post = table(db, "post")
    assert post.origin is not None and lines[post.origin.line - 1].strip() == "post:"  # type: ignore[operator]
    title = post.column("title")
    assert title is not None and title.origin is not None
    assert lines[title.origin.line - 1].strip() == "title: text"  # type: ignore[operator]
    gin = next(i for i in post.indexes if i.method == "gin")
    assert gin.origin is not None and "gin" in lines[gin.origin.line - 1]  # type: ignore[operator]
    check = next(c for c in post.check_constraints if c.name == "ck_post_title_not_blank")
    assert check.origin is not None and "title_not_blank" in lines[check.origin.line - 1]  # type: ignore[operator]


@pytest.mark.parametrize("pk", ["bigint", "uuid"])
def test_blog_verifies_identical(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pg_server: str, pg_major: int, pk: str
) -> None:
    design = tmp_path / "blog.yaml"
    design.write_text(blog(pk, pg_major))
    code = main(["verify", str(design), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert report["differences"] == []
    assert code == 0 and report["identical"] is True


def test_the_schema_behaves_as_designed(scratch_url: str, pg_major: int) -> None:
    """The constraints the friendly syntax promises are enforced by PostgreSQL."""
    db = load_text(blog("bigint", pg_major), "blog.yaml")
    proof = prove(db, scratch_url=scratch_url)
    assert proof.identical
    with psycopg.connect(scratch_url, autocommit=True) as conn:
        for statement in render_statements(proof.expected):
            conn.execute(statement)  # type: ignore[arg-type]
        conn.execute("INSERT INTO app_user (email, display_name) VALUES ('a@x', 'A')")
        conn.execute("INSERT INTO post (author_id, title, slug, tags) VALUES (1, 'T', 't', '{}')")
        status = conn.execute("SELECT status::text FROM post").fetchone()
        assert status == ("draft",)
        with pytest.raises(psycopg.errors.UniqueViolation):
            conn.execute("INSERT INTO app_user (email, display_name) VALUES ('a@x', 'B')")
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute(
                "INSERT INTO post (author_id, title, slug, tags, price) VALUES (1, 'U', 'u', '{}', -1)"
            )
        with pytest.raises(psycopg.errors.NotNullViolation):
            conn.execute("INSERT INTO app_user (email) VALUES ('b@x')")
        with pytest.raises(psycopg.errors.GeneratedAlways):
            conn.execute("INSERT INTO app_user (id, email, display_name) VALUES (5, 'c@x', 'C')")
        # Partial unique: an archived post frees its title for the same author.
        conn.execute("UPDATE post SET status = 'archived'")
        conn.execute("INSERT INTO post (author_id, title, slug, tags) VALUES (1, 'T', 't2', '{}')")
        with pytest.raises(psycopg.errors.UniqueViolation):
            conn.execute("INSERT INTO post (author_id, title, slug, tags) VALUES (1, 'T', 't3', '{}')")
        conn.execute("INSERT INTO comment (post_id, body) VALUES (1, 'hi')")
        conn.execute("DELETE FROM post WHERE id = 1")
        assert conn.execute("SELECT count(*) FROM comment").fetchone() == (0,)  # ON DELETE CASCADE


def test_toml_and_yaml_give_the_same_model() -> None:
    yaml_text = """\
version: 1
project: {timestamps: false}
tables:
  author:
    columns: {name: text unique}
  book:
    columns:
      author_id: {references: author, on_delete: restrict}
      title: text
      isbn: {type: varchar(13), unique: true}
    indexes:
      - [title]
"""
    toml_text = """\
version = 1

[project]
timestamps = false

[tables.author.columns]
name = "text unique"

[tables.book.columns]
author_id = { references = "author", on_delete = "restrict" }
title = "text"
isbn = { type = "varchar(13)", unique = true }

[tables.book]
indexes = [["title"]]
"""
    assert load_text(yaml_text, "d.yaml") == load_text(toml_text, "d.toml")


def test_enums_as_check_constraints(scratch_url: str) -> None:
    text = """\
version: 1
project: {enums: check, timestamps: false}
enums:
  mood: [happy, sad]
tables:
  person:
    columns:
      mood: {enum: mood, default: happy}
      size: {enum: [s, m, l]}
"""
    db = load_text(text, "e.yaml")
    assert db.enums == ()
    person = table(db, "person")
    assert person.column("mood").type == "text"  # type: ignore[union-attr]
    assert {c.name for c in person.check_constraints} == {"ck_person_mood", "ck_person_size"}
    proof = prove(db, scratch_url=scratch_url)
    assert proof.identical, proof.differences
    run_sql(scratch_url, ";".join(render_statements(proof.expected)))
    run_sql(scratch_url, "INSERT INTO person (size) VALUES ('m')")
    with pytest.raises(psycopg.errors.CheckViolation):
        run_sql(scratch_url, "INSERT INTO person (size) VALUES ('xl')")


def test_naming_convention_and_safe_truncation(scratch_url: str) -> None:
    long = "a_rather_long_table_name_for_a_rather_specific_thing"
    text = f"""\
version: 1
project:
  timestamps: false
  naming: {{index: "idx_%(table)s__%(columns)s", pk: "%(table)s_pk"}}
tables:
  {long}:
    columns:
      first_long_column_name: text
      second_long_column_name: text
    indexes:
      - [first_long_column_name, second_long_column_name]
      - [second_long_column_name, first_long_column_name]
"""
    db = load_text(text, "n.yaml")
    t = table(db, long)
    assert t.primary_key is not None and t.primary_key.name == f"{long}_pk"
    names = sorted(i.name for i in t.indexes)
    assert all(len(n.encode()) <= 63 and n.startswith("idx_a_rather") for n in names)
    assert names[0] != names[1]  # the hash suffix keeps truncated names apart
    proof = prove(db, scratch_url=scratch_url)
    assert proof.identical, proof.differences
    assert sorted(i.name for i in table(proof.actual, long).indexes) == names


def test_partitions_schemas_and_raw_sql(scratch_url: str) -> None:
    text = """\
version: 1
project: {timestamps: false, schema: app}
schemas:
  app: Application tables.
extensions: [pg_trgm]
domains:
  positive_int: {type: int, checks: {positive_int_check: "VALUE > 0"}}
sequences:
  invoice_number: {start: 1000}
tables:
  device:
    columns:
      name: {type: text, collation: C}
      kind: {type: text, default: "'sensor'"}
      serial_no: {type: bigint, identity: {always: false, start: 10}}
    indexes:
      - {columns: [{column: name, opclass: text_pattern_ops}]}
  reading:
    columns:
      device_id: references device
      taken_on: date
      value: positive_int
      doubled: {type: bigint, generated: "value * 2"}
    primary_key: [device_id, taken_on]
    partition_by: RANGE (taken_on)
    partitions:
      reading_2024: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"
      reading_other: DEFAULT
functions:
  - |
    CREATE FUNCTION app.reading_count() RETURNS bigint LANGUAGE sql STABLE
    AS $$ SELECT count(*) FROM app.reading $$
views:
  recent_reading: "SELECT device_id, taken_on FROM app.reading WHERE taken_on > now() - interval '7 days'"
"""
    db = load_text(text, "p.yaml")
    assert {t.name for t in db.tables} == {"device", "reading", "reading_2024", "reading_other"}
    part = table(db, "app.reading_2024")
    assert part.partition_of is not None and all(c.inherited for c in part.columns)
    assert db.functions[0].name == "reading_count" and db.functions[0].volatility == "stable"
    # Build it: PostgreSQL accepts everything, and the tables come back identical.
    proof = prove(db, scratch_url=scratch_url)
    actual = proof.actual
    for name in ("device", "reading", "reading_2024", "reading_other"):
        expected, built = table(proof.expected, f"app.{name}"), table(actual, f"app.{name}")
        assert expected == built, name
    assert {d.name for d in actual.domains} == {"positive_int"}
    assert {s.name for s in actual.sequences} == {"invoice_number"}
    assert actual.views[0].name == "recent_reading"


@pytest.mark.parametrize(
    "b_to_a",
    [
        "{type: bigint, references: a, nullable: true}",  # a nullable key breaks the cycle
        "{type: bigint, references: a, deferrable: true, initially_deferred: true}",
    ],
)
def test_satisfiable_cycles_are_accepted(scratch_url: str, b_to_a: str) -> None:
    text = f"""\
version: 1
project: {{timestamps: false}}
tables:
  a:
    columns:
      b_id: {{type: bigint, references: b}}
  b:
    columns:
      a_id: {b_to_a}
"""
    db = load_text(text, "cycle.yaml")
    proof = prove(db, scratch_url=scratch_url)
    assert proof.identical, proof.differences


def test_strict_off_allows_reserved_words_and_quotes_them(scratch_url: str) -> None:
    text = """\
version: 1
project: {timestamps: false, strict: false}
tables:
  user:
    columns: {order: integer, group: text null}
"""
    db = load_text(text, "reserved.yaml")
    assert table(db, "user").column_names == ("id", "order", "group")
    assert prove(db, scratch_url=scratch_url).identical


def test_triggers_from_raw_sql_match_the_catalog(scratch_url: str) -> None:
    text = """\
version: 1
project: {timestamps: false}
tables:
  post:
    columns: {title: text, slug: text null}
    triggers:
      - CREATE TRIGGER post_fill_slug BEFORE INSERT OR UPDATE OF title ON public.post
        FOR EACH ROW EXECUTE FUNCTION public.fill_slug()
functions:
  - |
    CREATE FUNCTION public.fill_slug() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN NEW.slug := lower(NEW.title); RETURN NEW; END $$
triggers:
  - CREATE TRIGGER post_audit AFTER DELETE ON public.post FOR EACH STATEMENT
    EXECUTE FUNCTION public.fill_slug();
"""
    db = load_text(text, "trigger.yaml")
    post = table(db, "post")
    fill, audit = sorted(post.triggers, key=lambda t: t.name)[::-1]
    assert (fill.timing, fill.events, fill.for_each_row) == ("BEFORE", ("INSERT", "UPDATE"), True)
    assert (audit.timing, audit.events, audit.for_each_row) == ("AFTER", ("DELETE",), False)
    function = db.functions[0]
    assert (function.name, function.arguments, function.returns, function.language) == (
        "fill_slug", "", "trigger", "plpgsql"
    )  # fmt: skip
    proof = prove(db, scratch_url=scratch_url)
    built = table(proof.actual, "post")
    # Every fact read from the statements agrees with the catalogs (definitions are compared
    # as printed by the server, so only they may differ in spelling).
    for mine, theirs in zip(sorted(post.triggers, key=lambda t: t.name), built.triggers, strict=True):
        assert (mine.name, mine.timing, mine.events, mine.for_each_row, mine.function) == (
            theirs.name, theirs.timing, theirs.events, theirs.for_each_row, theirs.function
        )  # fmt: skip
    theirs_function = proof.actual.functions[0]
    assert (function.schema, function.name, function.arguments, function.returns, function.language) == (
        theirs_function.schema, theirs_function.name, theirs_function.arguments,
        theirs_function.returns, theirs_function.language,
    )  # fmt: skip
    apply_statements(scratch_url, render_statements(proof.expected))
    run_sql(scratch_url, "INSERT INTO post (title) VALUES ('Hello')")
    with psycopg.connect(scratch_url) as conn:
        assert conn.execute("SELECT slug FROM post").fetchone() == ("hello",)


@pytest.mark.parametrize("pk", ["bigint", "uuid"])
def test_the_defaults_pass_review(capsys: pytest.CaptureFixture[str], tmp_path: Path, pk: str) -> None:
    """With the project defaults on, pgshape's own review finds nothing at warning or above."""
    design = tmp_path / "blog.yaml"
    design.write_text(blog(pk).replace("timestamps: false", "timestamps: true"))
    code = main(["lint", str(design), "--fail-on", "warning", "--format", "json"])
    report = capsys.readouterr().out
    assert code == 0, report
