"""The round trip of generated models: import them in a fresh interpreter, map them, create
the schema on a fresh database with ``SQLModel.metadata.create_all()``, and read it back.

The child process is the dev venv's own Python (``sys.executable``) started with ``-I``-like
hygiene: it imports only the generated files, never pgshape, so a generated module that
secretly needs pgshape fails here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pgshape.model import Database
from pgshape.pg.introspect import introspect
from pgshape.pg.scratch import scratch_database

RUFF = Path(sys.executable).parent / "ruff"

# Runs in the child: import the module or package, map, create, report mapped classes.
_CHILD = r"""
import importlib, importlib.util, json, sys, warnings
from pathlib import Path
warnings.simplefilter("always")
path, url = Path(sys.argv[1]), sys.argv[2]
sys.path.insert(0, str(path.parent))
if path.is_dir():
    module = importlib.import_module(path.name)
else:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
import sqlalchemy as sa
from sqlalchemy.orm import configure_mappers
from sqlmodel import SQLModel
assert "pgshape" not in sys.modules, "the generated code imported pgshape"
configure_mappers()
engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
SQLModel.metadata.create_all(engine)
engine.dispose()
mappers = sorted(m.class_.__name__ for r in [SQLModel._sa_registry] for m in r.mappers)
print(json.dumps({"mappers": mappers}))
"""


class RebuildError(AssertionError):
    pass


def ruff_problems(path: Path) -> list[str]:
    """``ruff check`` (default rules) and ``ruff format --check`` on generated code."""
    problems = []
    for args in (
        ["check", "--isolated", "--no-cache", "-q"],
        ["format", "--isolated", "--no-cache", "--check", "--diff"],
    ):
        done = subprocess.run([str(RUFF), *args, str(path)], capture_output=True, text=True)
        if done.returncode != 0:
            problems.append(f"ruff {args[0]}:\n{done.stdout}{done.stderr}")
    return problems


def import_and_create(
    path: Path, url: str, timeout: float = 300, python: str | Path = sys.executable
) -> dict[str, object]:
    done = subprocess.run(
        [str(python), "-c", _CHILD, str(path), url],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"},
        cwd=str(path.parent),
    )
    if done.returncode != 0:
        raise RebuildError(f"generated models failed:\n{done.stderr[-6000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["stderr"] = done.stderr
    return result


def rebuild(
    path: Path, server_url: str, python: str | Path = sys.executable
) -> tuple[Database, dict[str, object]]:
    """Create the generated schema on a fresh scratch database (with ``python``, the dev venv's
    interpreter unless given) and introspect it."""
    with scratch_database(server_url) as url:
        report = import_and_create(path, url, python=python)
        return introspect(url), report
