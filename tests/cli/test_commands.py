"""The commands end to end, on the bundled example and on files they write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pgshape.cli.main import main
from pgshape.sources.ir_json import load as load_json


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_verify_bundled_example(capsys: pytest.CaptureFixture[str], pg_server: str) -> None:
    code, out, _ = _run(capsys, "verify", "--example", "blog")
    assert code == 0
    assert out.startswith("identical")
    assert "5 tables" in out


def test_dump_json_loads_back_and_verifies(
    capsys: pytest.CaptureFixture[str], pg_server: str, tmp_path: Path
) -> None:
    target = tmp_path / "blog.json"
    code, _, _ = _run(capsys, "dump", "--example", "blog", "--format", "json", "-o", str(target))
    assert code == 0
    model = load_json(target)
    assert {t.name for t in model.tables} == {"app_user", "post", "comment", "tag", "post_tag"}
    code, out, _ = _run(capsys, "verify", str(target), "--format", "json")
    assert code == 0 and json.loads(out)["identical"] is True
    # Dumping the dump gives the same document: the JSON form is a fixed point.
    again = tmp_path / "again.json"
    assert _run(capsys, "dump", str(target), "-o", str(again))[0] == 0
    assert again.read_text() == target.read_text()


def test_dump_refuses_to_overwrite_without_force(
    capsys: pytest.CaptureFixture[str], pg_server: str, tmp_path: Path
) -> None:
    target = tmp_path / "schema.sql"
    target.write_text("keep me")
    code, _, err = _run(capsys, "dump", "--example", "blog", "--format", "sql", "-o", str(target))
    assert code == 2 and "--force" in err
    assert target.read_text() == "keep me"
    code, _, _ = _run(capsys, "dump", "--example", "blog", "--format", "sql", "-o", str(target), "--force")
    assert code == 0
    assert "CREATE TABLE public.post" in target.read_text()


def test_verify_reports_differences_with_exit_1(
    capsys: pytest.CaptureFixture[str], pg_server: str, tmp_path: Path
) -> None:
    target = tmp_path / "blog.json"
    assert _run(capsys, "dump", "--example", "blog", "-o", str(target))[0] == 0
    document = json.loads(target.read_text())
    # 'int8' is not PostgreSQL's canonical spelling: it builds fine but reads back as 'bigint'.
    tag = next(t for t in document["database"]["tables"] if t["name"] == "tag")
    tag["columns"][0]["type"] = "int8"
    target.write_text(json.dumps(document))
    code, out, _ = _run(capsys, "verify", str(target))
    assert code == 1
    assert "table public.tag / column id / type: 'int8' != 'bigint'" in out


def test_inspect_json_lists_tables_keys_and_foreign_keys(
    capsys: pytest.CaptureFixture[str], pg_server: str
) -> None:
    code, out, _ = _run(capsys, "inspect", "--example", "blog", "--format", "json")
    assert code == 0
    document = json.loads(out)
    post = next(t for t in document["tables"] if t["name"] == "public.post")
    assert post["primary_key"] == ["id"]
    assert [fk["references"] for fk in post["foreign_keys"]] == ["public.app_user"]
    assert "post_slug_key" in post["indexes"]
    assert document["totals"]["views"] == 1


def test_inspect_human_shows_each_table(capsys: pytest.CaptureFixture[str], pg_server: str) -> None:
    code, out, _ = _run(capsys, "--color", "never", "inspect", "--example", "blog")
    assert code == 0
    for name in ("app_user", "post", "comment", "tag", "post_tag"):
        assert name in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--version")
    assert code == 0 and out.startswith("pgshape ")
