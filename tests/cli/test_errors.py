"""Bad input: one clear line on stderr, exit code 2, never a traceback (unless --debug)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgshape.cli.main import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "nope.sql"
    code, _, err = _run(capsys, "verify", str(missing))
    assert code == 2
    line = _one_line(err)
    assert str(missing) in line


def test_unknown_module(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "inspect", "no_such_package_xyz.models")
    assert code == 2
    assert "no_such_package_xyz" in _one_line(err)


def test_unknown_source_kind(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = _run(capsys, "inspect", str(tmp_path / "schema.xlsx"))
    assert code == 2
    assert "unknown source" in _one_line(err)


def test_unreachable_url_masks_the_password(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "inspect", "postgresql://alice:s3cr3t-pw@127.0.0.1:1/app")
    assert code == 2
    line = _one_line(err)
    assert "s3cr3t-pw" not in err
    assert "alice:***@127.0.0.1:1" in line


def test_invalid_json_dump_names_line_and_column(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{\n  "format": "pgshape-ir",\n  oops\n}\n')
    code, _, err = _run(capsys, "verify", str(path))
    assert code == 2
    assert f"{path}:3:3" in _one_line(err)


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "verify", "--no-such-option")
    assert code == 2
    assert "No such option" in err and "Traceback" not in err


def test_unknown_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "verify", "--example", "nope")
    assert code == 2
    assert "available: blog" in _one_line(err)


def test_debug_shows_the_traceback(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("[]")
    code, _, err = _run(capsys, "--debug", "verify", str(path))
    assert code == 2
    assert "Traceback" in err
