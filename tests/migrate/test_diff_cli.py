"""``pgshape diff`` end to end: exit codes, refusals, formats, renames (flag and SQLModel info),
and the written script run by psql itself."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from pgshape.cli.main import main
from pgshape.model.compare import compare
from pgshape.pg.introspect import introspect
from pgshape.pg.server import default_bin_dir
from pgshape.sources.load import load

FROM = """
CREATE TYPE status AS ENUM ('draft', 'done');
CREATE TABLE author (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name varchar(40) NOT NULL);
CREATE TABLE post (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, author_id bigint, title text,
                   st status DEFAULT 'draft');
CREATE VIEW titles AS SELECT id, title FROM post;
"""
TO = """
CREATE TYPE status AS ENUM ('draft', 'review', 'done');
CREATE TABLE author (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL,
                     email text, CONSTRAINT author_email_key UNIQUE (email));
CREATE TABLE post (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                   author_id bigint NOT NULL REFERENCES author, title text, st status DEFAULT 'review');
CREATE INDEX post_author_id_idx ON post (author_id);
CREATE VIEW titles AS SELECT id, title FROM post;
"""
SEED = "INSERT INTO author (name) VALUES ('a'); INSERT INTO post (author_id, title) VALUES (1, 'x');"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "from.sql", tmp_path / "to.sql"
    a.write_text(FROM)
    b.write_text(TO)
    return a, b


def test_no_differences_exits_0(
    capsys: pytest.CaptureFixture[str], pg_server: str, pair: tuple[Path, Path]
) -> None:
    code, out, _ = _run(capsys, "diff", str(pair[0]), str(pair[0]))
    assert code == 0
    assert "no differences" in out


def test_plan_written_proven_and_runs_in_psql(
    capsys: pytest.CaptureFixture[str],
    pg_server: str,
    scratch_url: str,
    pair: tuple[Path, Path],
    tmp_path: Path,
) -> None:
    target = tmp_path / "migration.sql"
    code, out, _ = _run(capsys, "diff", str(pair[0]), str(pair[1]), "-o", str(target))
    assert code == 1
    text = target.read_text()
    assert "-- proof: proven on a scratch database" in text
    assert "CREATE INDEX CONCURRENTLY post_author_id_idx" in text
    assert "ALTER TYPE public.status ADD VALUE 'review' BEFORE 'done'" in text
    assert "VALIDATE CONSTRAINT post_author_id_fkey" in text
    assert "proven" in out
    down = tmp_path / "migration.down.sql"
    assert down.exists()
    # The script itself, run by psql on FROM with rows, yields TO; the down script yields FROM.
    psql = str(default_bin_dir() / "psql")
    run = [psql, scratch_url, "-v", "ON_ERROR_STOP=1", "-q"]
    subprocess.run([*run, "-c", FROM + SEED], check=True, capture_output=True)
    subprocess.run([*run, "-f", str(target)], check=True, capture_output=True, text=True)
    expected_to = load(str(pair[1]))
    assert [d for d in compare(expected_to, introspect(scratch_url)) if not d.order_only] == []
    # The commented verification queries, uncommented and run after the up script, all say ok.
    verify = text.split("-- VERIFY", 1)[1].split("\n", 1)[1]
    queries = "\n".join(line[3:] if line.startswith("-- ") else "" for line in verify.splitlines())
    assert queries.count("AS ok") >= 3  # tables, indexes, foreign keys
    checked = subprocess.run([*run, "-At", "-c", queries], check=True, capture_output=True, text=True)
    rows = checked.stdout.splitlines()
    assert rows and all(row.startswith("t|") for row in rows), checked.stdout
    subprocess.run([*run, "-f", str(down)], check=True, capture_output=True, text=True)
    expected_from = load(str(pair[0]))
    assert [d for d in compare(expected_from, introspect(scratch_url)) if not d.order_only] == []
    # Writing again refuses to overwrite without --force.
    code, _, err = _run(capsys, "diff", str(pair[0]), str(pair[1]), "-o", str(target), "--no-verify")
    assert code == 2 and "--force" in err


def test_destructive_change_is_refused_with_names(
    capsys: pytest.CaptureFixture[str], pg_server: str, pair: tuple[Path, Path], tmp_path: Path
) -> None:
    target = tmp_path / "back.sql"
    code, _, err = _run(capsys, "diff", str(pair[1]), str(pair[0]), "-o", str(target))
    assert code == 2
    assert (
        "refusing" in err
        and "drop column public.author.email" in err
        and "recreate enum public.status" in err
    )
    assert not target.exists()
    code, _, _ = _run(
        capsys, "diff", str(pair[1]), str(pair[0]), "-o", str(target), "--allow-destructive", "--no-verify"
    )
    assert code == 1 and target.exists()


def test_json_lists_operations_with_flags(
    capsys: pytest.CaptureFixture[str], pg_server: str, pair: tuple[Path, Path]
) -> None:
    code, out, _ = _run(capsys, "diff", str(pair[0]), str(pair[1]), "--format", "json", "--no-verify")
    assert code == 1
    document = json.loads(out)
    ops = document["operations"]
    index = next(
        op for op in ops if op["kind"] == "create_index" and "post_author_id_idx" in op["description"]
    )
    assert index["lock"] == "SHARE UPDATE EXCLUSIVE" and index["transactional"] is False
    assert index["statements"][0].startswith("CREATE INDEX CONCURRENTLY")
    widen = next(op for op in ops if op["kind"] == "alter_column_type")
    assert widen["rewrites"] is False and widen["destructive"] is False  # varchar(40) → text
    assert document["verdict"] is None and document["down"]


def test_no_online_gives_plain_ddl(
    capsys: pytest.CaptureFixture[str], pg_server: str, pair: tuple[Path, Path]
) -> None:
    code, out, _ = _run(capsys, "diff", str(pair[0]), str(pair[1]), "--no-online", "-f", "json")
    assert code == 1
    document = json.loads(out)
    assert document["verdict"]["proven"] is True
    assert all(op["transactional"] for op in document["operations"])
    assert not any(
        "CONCURRENTLY" in s or "NOT VALID" in s for op in document["operations"] for s in op["statements"]
    )


def test_rename_flag_and_suggestion(
    capsys: pytest.CaptureFixture[str], pg_server: str, tmp_path: Path
) -> None:
    a, b = tmp_path / "a.sql", tmp_path / "b.sql"
    a.write_text("CREATE TABLE t (id int PRIMARY KEY, n int); INSERT INTO t VALUES (1, 5);")
    b.write_text("CREATE TABLE t (id int PRIMARY KEY, amount int);")
    code, _, err = _run(capsys, "diff", str(a), str(b))
    assert code == 2 and "--rename public.t.n=amount" in err
    code, out, _ = _run(capsys, "diff", str(a), str(b), "--rename", "t.n=amount", "-f", "human")
    assert code == 1
    assert "rename column public.t.n → amount" in out and "proven" in out


def test_sqlmodel_renamed_from_is_a_rename(
    capsys: pytest.CaptureFixture[str], pg_server: str, tmp_path: Path
) -> None:
    a = tmp_path / "a.sql"
    a.write_text("CREATE TABLE hero (id integer NOT NULL PRIMARY KEY, name varchar NOT NULL);")
    models = tmp_path / "heroes_renamed.py"
    models.write_text(
        "from sqlmodel import Field, SQLModel\n\n\n"
        "class Hero(SQLModel, table=True):\n"
        "    id: int = Field(primary_key=True)\n"
        '    full_name: str = Field(sa_column_kwargs={"info": {"renamed_from": "name"}})\n'
    )
    code, out, err = _run(capsys, "diff", str(a), str(models), "-f", "human")
    assert code == 1, err
    assert "rename column public.hero.name → full_name" in out
    assert "drop column" not in out


def test_bad_rename_is_an_input_error(
    capsys: pytest.CaptureFixture[str], pg_server: str, pair: tuple[Path, Path]
) -> None:
    code, _, err = _run(capsys, "diff", str(pair[0]), str(pair[1]), "--rename", "nothing")
    assert code == 2 and "old=new" in err


def test_design_file_renamed_from_is_a_rename(
    capsys: pytest.CaptureFixture[str], pg_server: str, tmp_path: Path
) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("version: 1\ntables:\n  hero:\n    columns:\n      name: text\n")
    b.write_text(
        "version: 1\ntables:\n  hero:\n    columns:\n      full_name: {type: text, renamed_from: name}\n"
    )
    code, out, err = _run(capsys, "diff", str(a), str(b), "-f", "human")
    assert code == 1, err
    assert "rename column public.hero.name → full_name" in out and "proven" in out
    # Once applied (FROM already has full_name) the leftover hint is ignored: no differences.
    code, out, _ = _run(capsys, "diff", str(b), str(b))
    assert code == 0


def test_plan_that_fails_on_rows_is_not_written(
    capsys: pytest.CaptureFixture[str], pg_server: str, tmp_path: Path
) -> None:
    """A NOT NULL column without a default cannot be added to a table with rows: the proof
    (which inserts sample rows) catches it, nothing is written, exit 2."""
    a, b, target = tmp_path / "a.sql", tmp_path / "b.sql", tmp_path / "m.sql"
    a.write_text("CREATE TABLE t (id int PRIMARY KEY);")
    b.write_text("CREATE TABLE t (id int PRIMARY KEY, required text NOT NULL);")
    code, _, err = _run(capsys, "diff", str(a), str(b), "-o", str(target))
    assert code == 2
    assert "NOT PROVEN" in err and "add column public.t.required" in err
    assert not target.exists()


def test_two_live_databases_and_passwords_are_masked(
    capsys: pytest.CaptureFixture[str], pg_server: str
) -> None:
    from pgshape.pg.connect import connect
    from pgshape.pg.scratch import scratch_database

    with scratch_database(pg_server) as a, scratch_database(pg_server) as b:
        with connect(a, autocommit=True) as conn:
            conn.execute(FROM)  # type: ignore[arg-type]
        with connect(b, autocommit=True) as conn:
            conn.execute(TO)  # type: ignore[arg-type]
        # The test server trusts local connections, so the password is accepted and ignored.
        a_secret, b_secret = (url.replace("postgres@", "postgres:s3cret@", 1) for url in (a, b))
        code, out, err = _run(capsys, "diff", a_secret, b_secret, "-f", "json", "--no-verify")
        assert code == 1, err
        assert "s3cret" not in out + err
        assert json.loads(out)["from"].startswith("postgresql://postgres:***@")
