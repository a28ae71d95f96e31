"""``pgshape generate models --python X.Y``: code for the oldest Python the user's project runs on.

The 3.10 spelling is proven on a real Python 3.10 (pyenv's, when the machine has one) with the
newest SQLModel that still installs there: the seed design's models import, create the schema
on a fresh database, and rebuild it with zero catalog difference. The default (3.11+) code is
shown to fail on 3.10, so the test would notice if the option stopped mattering.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from codegen_support import rebuild, ruff_problems

from pgshape.cli.main import main
from pgshape.cli.project_config import python_lower_bound
from pgshape.design.examples import example_path
from pgshape.model.compare import compare
from pgshape.pg.verify import canonical
from pgshape.sources.load import LoadOptions, load

CACHE_ROOT = Path(os.environ.get("PGSHAPE_TEST_CACHE", Path.home() / ".cache" / "pgshape-tests"))


def _python310() -> Path | None:
    found = shutil.which("python3.10")
    candidates = [Path(found)] if found else []
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates += sorted(pyenv.glob("3.10.*/bin/python3.10"))
    for candidate in candidates:
        version = "import sys; print(sys.version_info[:2])"
        done = subprocess.run([str(candidate), "-c", version], capture_output=True)
        if done.returncode == 0 and done.stdout.strip() == b"(3, 10)":
            return candidate
    return None


@pytest.fixture(scope="session")
def venv310() -> Path:
    """A Python 3.10 venv with SQLModel and psycopg (made once per machine, then reused)."""
    python = _python310()
    if python is None:
        pytest.skip("no Python 3.10 interpreter on this machine")
    venv = CACHE_ROOT / "py310-sqlmodel"
    interpreter = venv / "bin" / "python"
    if not (venv / "ready").exists():
        subprocess.run([str(python), "-m", "venv", "--clear", str(venv)], check=True)
        pip = [str(interpreter), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        subprocess.run([*pip, "sqlmodel", "psycopg[binary]"], check=True)
        (venv / "ready").write_text("sqlmodel psycopg[binary]\n")
    return interpreter


def _generate(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["generate", "models", "--example", *argv])
    return code, capsys.readouterr().err


def test_python_310_models_rebuild_the_schema_on_python_310(
    capsys: pytest.CaptureFixture[str], pg_server: str, venv310: Path, tmp_path: Path
) -> None:
    target = tmp_path / "models.py"
    assert _generate(capsys, "--python", "3.10", "-o", str(target))[0] == 0
    text = target.read_text()
    assert "datetime.timezone.utc" in text and "datetime.UTC" not in text
    assert "pgshape generate models --example --python 3.10" in text  # the header says how to regenerate
    # ruff, told the project targets 3.10, has nothing to say (UP017 only applies from 3.11).
    ruff = [str(Path(sys.executable).parent / "ruff"), "check", "--isolated", "--no-cache", "-q"]
    done = subprocess.run(
        [*ruff, "--target-version", "py310", "--select", "E4,E7,E9,F,UP", str(target)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout
    design = load(str(example_path("starter")), LoadOptions(scratch_url=pg_server))
    rebuilt, _ = rebuild(target, pg_server, python=venv310)
    assert compare(canonical(design, pg_server), rebuilt) == []
    done = _call_utcnow(venv310, tmp_path)
    assert done.returncode == 0 and done.stdout.strip().endswith("+00:00"), done.stderr


def _call_utcnow(python: Path, directory: Path) -> subprocess.CompletedProcess[str]:
    """``models.utcnow()`` in ``python``: creating tables calls no default factory, an insert does."""
    code = f"import sys; sys.path.insert(0, {str(directory)!r}); import models; print(models.utcnow())"
    return subprocess.run([str(python), "-c", code], capture_output=True, text=True, timeout=120)


def test_default_models_need_python_311(
    capsys: pytest.CaptureFixture[str], venv310: Path, tmp_path: Path
) -> None:
    target = tmp_path / "models.py"
    assert _generate(capsys, "-o", str(target))[0] == 0
    assert "datetime.datetime.now(datetime.UTC)" in target.read_text()
    assert ruff_problems(target) == []  # ruff's defaults (UP017 included) accept the 3.11 spelling
    done = _call_utcnow(venv310, tmp_path)
    assert done.returncode != 0 and "has no attribute 'UTC'" in done.stderr
    assert _call_utcnow(Path(sys.executable), tmp_path).returncode == 0


@pytest.mark.parametrize(
    ("requires", "expected", "header"),
    [
        (">=3.10", "datetime.timezone.utc", "--python 3.10"),
        (">=3.12,<4", "datetime.UTC", "--python 3.12"),
        ("~=3.9", "datetime.timezone.utc", "--python 3.10"),  # older than any target: the oldest
        (">=3.11", "datetime.UTC", None),  # the default target: nothing to say
    ],
)
def test_default_follows_the_nearest_pyproject(
    capsys: pytest.CaptureFixture[str],
    pg_server: str,
    tmp_path: Path,
    requires: str,
    expected: str,
    header: str | None,
) -> None:
    (tmp_path / "pyproject.toml").write_text(f'[project]\nname = "app"\nrequires-python = "{requires}"\n')
    (tmp_path / "app").mkdir()
    target = tmp_path / "app" / "models.py"
    assert _generate(capsys, "-o", str(target))[0] == 0
    text = target.read_text()
    assert f"datetime.datetime.now({expected})" in text
    # The header names a target other than the default, so regenerating gives the same file.
    generated_by = next(line for line in text.splitlines() if line.startswith("Generated by"))
    assert (header in generated_by) if header else ("--python" not in generated_by)


def test_explicit_option_wins_over_pyproject(
    capsys: pytest.CaptureFixture[str], pg_server: str, tmp_path: Path
) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nrequires-python = ">=3.10"\n')
    target = tmp_path / "models.py"
    assert _generate(capsys, "--python", "3.13", "-o", str(target))[0] == 0
    assert "datetime.UTC" in target.read_text()


@pytest.mark.parametrize("value", ["2.7", "3", "three", "3.9", "4.0"])
def test_unknown_python_version_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, value: str
) -> None:
    target = tmp_path / "models.py"
    code, err = _generate(capsys, "--python", value, "-o", str(target))
    assert code == 2
    assert err.count("\n") == 1 and f"--python {value}" in err and "3.10" in err
    assert not target.exists()


@pytest.mark.parametrize(
    ("spec", "expected"),
    [(">=3.10", (3, 10)), (">=3.11, <4", (3, 11)), ("~=3.12", (3, 12)), ("==3.13.*", (3, 13)), ("<4", None)],
)
def test_python_lower_bound(spec: str, expected: tuple[int, int] | None) -> None:
    assert python_lower_bound({"project": {"requires-python": spec}}) == expected
    assert python_lower_bound({"project": {}}) is None
