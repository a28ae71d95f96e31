"""``pgshape init`` and ``pgshape generate sql`` as commands: files, refusals, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgshape.cli.main import main
from pgshape.design.examples import DEFAULT_EXAMPLE, example_path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_init_writes_the_default_example(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = _run(capsys, "init")
    assert code == 0
    assert (tmp_path / "schema.yaml").read_text() == example_path(DEFAULT_EXAMPLE).read_text()
    assert "pgshape verify schema.yaml" in err


def test_init_refuses_to_overwrite_without_force(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "schema.yaml"
    target.write_text("mine")
    code, _, err = _run(capsys, "init", "--example", "shop", "-o", str(target))
    assert code == 2 and "--force" in err and "Traceback" not in err
    assert target.read_text() == "mine"
    assert _run(capsys, "init", "--example", "shop", "-o", str(target), "--force")[0] == 0
    assert target.read_text() == example_path("shop").read_text()


def test_init_unknown_example_is_one_line_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "schema.yaml"
    code, _, err = _run(capsys, "init", "--example", "sho", "-o", str(target))
    assert code == 2
    assert [line for line in err.splitlines() if line] == [
        "error: unknown example 'sho'; available: blog, shop, saas, rbac, audit, starter"
    ]
    assert not target.exists()


def test_init_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "init", "--example", "saas", "-o", "-")
    assert code == 0 and out == example_path("saas").read_text()


def test_init_json_schema_refusal_writes_neither_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "pgshape-design.schema.json").write_text("{}")
    code, _, err = _run(capsys, "init", "-o", str(tmp_path / "schema.yaml"), "--with-json-schema")
    assert code == 2 and "pgshape-design.schema.json" in err
    assert not (tmp_path / "schema.yaml").exists()
    assert (tmp_path / "pgshape-design.schema.json").read_text() == "{}"


def test_generate_sql_header_names_and_refusals(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pg_server: str
) -> None:
    target = tmp_path / "0002_blog.sql"
    code, _, err = _run(
        capsys,
        "generate",
        "sql",
        str(example_path("blog")),
        "-o",
        str(target),
        "--description",
        "Blog tables.",
    )
    assert code == 0, err
    text = target.read_text()
    assert text.startswith("-- Migration:   0002_blog\n-- Description: Blog tables.\n")
    assert f"-- Source:      {example_path('blog')}\n" in text
    # Default description: what the file creates.
    code, out, _ = _run(capsys, "generate", "sql", str(example_path("blog")), "--name", "n")
    assert code == 0
    assert out.startswith("-- Migration:   n\n-- Description: Creates 5 tables,")
    code, _, err = _run(capsys, "generate", "sql", str(example_path("blog")), "-o", str(target))
    assert code == 2 and "--force" in err
    assert target.read_text() == text


def test_generate_sql_bad_design_file_is_one_located_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    design = tmp_path / "schema.yaml"
    design.write_text(example_path("blog").read_text().replace("tree: [comment]", "tree: [coment]"))
    out_file = tmp_path / "out.sql"
    code, _, err = _run(capsys, "generate", "sql", str(design), "-o", str(out_file))
    assert code == 2
    lines = [line for line in err.splitlines() if line]
    assert len(lines) == 1
    assert (
        f"{design}:" in lines[0]
        and "patterns.tree: unknown table 'coment'; did you mean 'comment'?" in lines[0]
    )
    assert not out_file.exists()


def test_generate_sql_from_a_live_database_masks_the_password(
    capsys: pytest.CaptureFixture[str], scratch_url: str
) -> None:
    from conftest import run_sql

    run_sql(scratch_url, "CREATE TABLE note (id bigint PRIMARY KEY, body text NOT NULL)")
    with_password = scratch_url.replace("postgresql://postgres@", "postgresql://postgres:s3cret@")
    assert with_password != scratch_url
    code, out, err = _run(capsys, "generate", "sql", with_password)
    assert code == 0, err
    assert "s3cret" not in out and "postgres:***@" in out
    assert "CREATE TABLE public.note (" in out


def test_init_refuses_a_non_yaml_file_name(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "schema.toml"
    code, _, err = _run(capsys, "init", "-o", str(target))
    assert code == 2 and "*.yaml" in err
    assert not target.exists()
