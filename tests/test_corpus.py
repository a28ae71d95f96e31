"""Every loadable corpus schema verifies as identical; the others fail with one clear line."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

from conftest import CORPUS
from pgshape.cli.main import main

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not present"),
]


def _available_extensions(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        return {row[0] for row in conn.execute("select name from pg_available_extensions")}


def _verify(capsys: pytest.CaptureFixture[str], name: str) -> tuple[int, str, str]:
    code = main(["verify", str(CORPUS / name), "--format", "json"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _assert_one_clear_line(err: str, *needles: str) -> None:
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith("warning:")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.mark.parametrize("name", ["chinook.sql", "synapse.sql"])
def test_loadable_everywhere(capsys: pytest.CaptureFixture[str], pg_server: str, name: str) -> None:
    code, out, _ = _verify(capsys, name)
    report = json.loads(out)
    assert report["differences"] == [], report["differences"][:20]
    assert code == 0 and report["identical"] is True


def test_chinook_database_statements_are_skipped_with_a_warning(
    capsys: pytest.CaptureFixture[str], pg_server: str
) -> None:
    code, _, err = _verify(capsys, "chinook.sql")
    assert code == 0
    assert "DATABASE" in err or "database" in err
    assert "\\c" in err or "meta-command" in err


def test_pagila_needs_postgresql_18(
    capsys: pytest.CaptureFixture[str], pg_server: str, pg_major: int
) -> None:
    code, out, err = _verify(capsys, "pagila.sql")
    if pg_major >= 18:
        report = json.loads(out)
        assert report["differences"] == [], report["differences"][:20]
        assert code == 0
    else:
        assert code == 2
        _assert_one_clear_line(err, "pagila.sql:", "PostgreSQL 18")


def test_danbooru_needs_pgcrypto(capsys: pytest.CaptureFixture[str], pg_server: str) -> None:
    code, out, err = _verify(capsys, "danbooru.sql")
    if "pgcrypto" in _available_extensions(pg_server):
        report = json.loads(out)
        assert report["differences"] == [], report["differences"][:20]
        assert code == 0
    else:
        assert code == 2
        _assert_one_clear_line(err, "danbooru.sql:", "pgcrypto", "--scratch-url")


@pytest.mark.parametrize(
    ("name", "extension"), [("lago.sql", "pg_partman"), ("openstreetmap.sql", "postgis")]
)
def test_missing_extension_is_named(
    capsys: pytest.CaptureFixture[str], pg_server: str, name: str, extension: str
) -> None:
    if extension in _available_extensions(pg_server):
        pytest.skip(f"this server has {extension}")
    code, _, err = _verify(capsys, name)
    assert code == 2
    _assert_one_clear_line(err, f"{name}:", extension)


def test_corpus_files_are_not_in_the_project() -> None:
    project = Path(__file__).resolve().parents[1]
    corpus_names = {path.name for path in CORPUS.glob("*.sql")}
    inside = [p for p in project.rglob("*.sql") if p.name in corpus_names and ".venv" not in p.parts]
    assert inside == []
