"""``pgshape diff --format alembic``: the revision runs under ``alembic upgrade head`` and
``alembic downgrade -1`` on a real database, and the catalogs say B after up, A after down."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.dialects import postgresql

from conftest import run_sql
from pgshape.cli.main import main
from pgshape.migrate.alembic_sql import revision_sql
from pgshape.migrate.render_alembic import execute_call
from pgshape.model.compare import compare
from pgshape.pg.introspect import introspect
from pgshape.sources.load import load

# A → B exercises every kind of block: CONCURRENTLY (autocommit), ADD VALUE (autocommit, then
# used by a default), NOT VALID + VALIDATE, SET NOT NULL through a check, UNIQUE USING INDEX, a
# type change, and text with colons that SQLAlchemy's text() would otherwise take for binds.
A = """
CREATE TYPE status AS ENUM ('draft', 'done');
CREATE TABLE author (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name varchar(40) NOT NULL);
CREATE TABLE post (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, author_id bigint, title text,
                   st status DEFAULT 'draft', at_time text DEFAULT '12:30');
CREATE VIEW titles AS SELECT id, title FROM post;
"""
B = """
CREATE TYPE status AS ENUM ('draft', 'review', 'done');
CREATE TABLE author (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL,
                     email text, CONSTRAINT author_email_key UNIQUE (email));
CREATE TABLE post (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                   author_id bigint NOT NULL REFERENCES author, title text, st status DEFAULT 'review',
                   at_time text DEFAULT ':hour:minute', note text DEFAULT 'a :b %s %% \\:c');
CREATE INDEX post_author_id_idx ON post (author_id);
CREATE VIEW titles AS SELECT id, title FROM post;
COMMENT ON COLUMN post.note IS 'keys :name and %(x)s stay as written';
"""
C = (
    B
    + "CREATE TABLE tag (id integer PRIMARY KEY, label text);\nCREATE INDEX post_title_idx ON post (title);\n"
)
SEED = (
    "INSERT INTO author (name) VALUES ('a'), ('b');"
    " INSERT INTO post (author_id, title) VALUES (1, 'x'), (2, 'y');"
)

ENV_PY = """
from alembic import context
from sqlalchemy import create_engine

url = context.config.get_main_option("sqlalchemy.url")
engine = create_engine(url)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
"""


def _alembic_project(root: Path, url: str) -> Path:
    """A minimal Alembic project (alembic.ini, env.py, versions/) pointing at ``url``."""
    scripts = root / "migrations"
    (scripts / "versions").mkdir(parents=True)
    (scripts / "env.py").write_text(ENV_PY)
    sa_url = "postgresql+psycopg://" + url.split("://", 1)[1]
    ini = root / "alembic.ini"
    # %% : configparser interpolation.
    ini.write_text(f"[alembic]\nscript_location = {scripts}\nsqlalchemy.url = {sa_url.replace('%', '%%')}\n")
    return ini


def _alembic(ini: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """Alembic's own command line, in a fresh interpreter that imports nothing of pgshape."""
    command = [sys.executable, "-m", "alembic", "-c", str(ini), *argv]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ini.parent)
    assert done.returncode == 0, done.stderr
    return done


def _generate(
    capsys: pytest.CaptureFixture[str], source_from: Path, source_to: Path, target: Path, *extra: str
) -> str:
    code = main(["diff", str(source_from), str(source_to), "--format", "alembic", "-o", str(target), *extra])
    assert code == 1, capsys.readouterr().err
    return target.read_text()


def _same(expected: Path, url: str) -> list[object]:
    """Differences from ``expected`` other than column order and Alembic's own version table."""
    found = compare(load(str(expected)), introspect(url))
    return [d for d in found if not d.order_only and "alembic_version" not in d.path]


def _rows(url: str) -> list[tuple[object, ...]]:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT p.id, p.title, a.name FROM post p JOIN author a ON a.id = p.author_id ORDER BY 1"
        ).fetchall()


@pytest.fixture
def sources(tmp_path: Path) -> tuple[Path, Path, Path]:
    paths = tmp_path / "a.sql", tmp_path / "b.sql", tmp_path / "c.sql"
    for path, body in zip(paths, (A, B, C), strict=True):
        path.write_text(body)
    return paths


def test_revision_upgrades_to_b_and_downgrades_to_a(
    capsys: pytest.CaptureFixture[str], scratch_url: str, sources: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    a, b, _ = sources
    ini = _alembic_project(tmp_path / "project", scratch_url)
    versions = ini.parent / "migrations" / "versions"
    body = _generate(capsys, a, b, versions / "0001_b.py")
    # Standalone: the revision imports Alembic and nothing of pgshape.
    imports = [node for node in ast.walk(ast.parse(body)) if isinstance(node, (ast.Import, ast.ImportFrom))]
    assert [ast.unparse(node) for node in imports] == ["from alembic import op"]
    assert "autocommit_block()" in body and "CONCURRENTLY" in body and "ADD VALUE" in body
    # Exactly the statements that must not share Alembic's transaction are in autocommit blocks:
    # CONCURRENTLY, and the steps that commit on their own (ADD VALUE, VALIDATE CONSTRAINT).
    chunks = revision_sql(body, "0001_b.py").chunks
    own = ("CONCURRENTLY", "ADD VALUE", "VALIDATE CONSTRAINT")
    special = [c for c in chunks if any(word in c.text for word in own)]
    assert len(special) >= 4 and not any(c.transaction for c in special)
    outside = [c.text for c in chunks if not c.transaction]
    assert all(text.startswith("SET ") or any(word in text for word in own) for text in outside)
    assert any("ADD CONSTRAINT" in c.text and c.transaction for c in chunks)
    run_sql(scratch_url, A + SEED)
    rows = _rows(scratch_url)

    _alembic(ini, "upgrade", "head")
    assert _same(b, scratch_url) == []
    assert _rows(scratch_url) == rows
    _alembic(ini, "downgrade", "-1")
    assert _same(a, scratch_url) == []
    assert _rows(scratch_url) == rows
    # And up again: the down migration left a state the revision can be applied to once more.
    _alembic(ini, "upgrade", "head")
    assert _same(b, scratch_url) == []


def test_revisions_chain_with_down_revision(
    capsys: pytest.CaptureFixture[str], scratch_url: str, sources: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    a, b, c = sources
    ini = _alembic_project(tmp_path / "project", scratch_url)
    versions = ini.parent / "migrations" / "versions"
    first = _generate(capsys, a, b, versions / "0001_b.py", "--no-verify")
    first_id = ast.literal_eval(
        next(line.split("=", 1)[1] for line in first.splitlines() if line.startswith("revision ="))
    )
    second = _generate(capsys, b, c, versions / "0002_c.py", "--no-verify", "--down-revision", first_id)
    assert f"down_revision = {first_id!r}" in second
    run_sql(scratch_url, A + SEED)
    _alembic(ini, "upgrade", "head")
    assert _same(c, scratch_url) == []
    heads = _alembic(ini, "current").stdout
    assert first_id not in heads  # the head is the second revision
    _alembic(ini, "downgrade", "-1")
    assert _same(b, scratch_url) == []
    assert first_id in _alembic(ini, "current").stdout
    _alembic(ini, "downgrade", "base")
    assert _same(a, scratch_url) == []


def test_same_plan_same_revision_id(
    capsys: pytest.CaptureFixture[str], pg_server: str, sources: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    a, b, c = sources
    one = _generate(capsys, a, b, tmp_path / "one.py", "--no-verify")
    two = _generate(capsys, a, b, tmp_path / "two.py", "--no-verify")
    other = _generate(capsys, a, c, tmp_path / "other.py", "--no-verify")
    ids = [next(x for x in t.splitlines() if x.startswith("revision =")) for t in (one, two, other)]
    assert ids[0] == ids[1] and ids[0] != ids[2]


_PG = postgresql.dialect()  # type: ignore[no-untyped-call]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(":\\%'\"ab_1 \n$")), max_size=40))
def test_statement_reaches_the_driver_unchanged(statement: str) -> None:
    """Whatever the statement, the generated line hands the driver exactly that statement:
    through text() (binds escaped, %% undone by the pyformat driver) or, where text() cannot
    keep a backslash before a colon, through exec_driver_sql."""
    call = ast.parse(execute_call(statement)).body[0].value  # type: ignore[attr-defined]
    argument = ast.literal_eval(call.args[0])
    if ast.unparse(call.func) == "op.execute":
        compiled = text(argument).compile(dialect=_PG)
        assert not compiled.binds
        assert str(compiled).replace("%%", "%") == statement
    else:
        assert ast.unparse(call.func) == "op.get_bind().exec_driver_sql"
        assert argument.replace("%%", "%") == statement
