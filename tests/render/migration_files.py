"""Running a migration file the way a person would: with psql, and its commented parts by hand."""

from __future__ import annotations

import subprocess
from pathlib import Path

import psycopg

from pgshape.pg.server import default_bin_dir
from pgshape.render.sql_migration import ROLLBACK_MARKER, VERIFY_MARKER


def psql(url: str, script: Path) -> subprocess.CompletedProcess[str]:
    """``psql -X -v ON_ERROR_STOP=1 -f script`` against ``url`` (the server's own psql)."""
    return subprocess.run(
        [str(default_bin_dir() / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", str(script)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def commented_section(text: str, marker: str) -> str:
    """The commented-out block that starts at ``marker``, uncommented."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(marker))
    block = []
    for line in lines[start + 1 :]:
        if not line.startswith("--"):
            break
        block.append(line[3:] if line.startswith("-- ") else line[2:])
    return "\n".join(block) + "\n"


def rollback_script(text: str) -> str:
    return commented_section(text, ROLLBACK_MARKER)


def verification_results(url: str, text: str) -> list[tuple[bool, str]]:
    """(ok, what) of every verification query, run one by one."""
    script = commented_section(text, VERIFY_MARKER)
    queries = [q.strip() for q in script.split(";\n") if q.strip()]
    results = []
    with psycopg.connect(url, autocommit=True) as conn:
        for query in queries:
            row = conn.execute(query.rstrip(";")).fetchone()  # type: ignore[arg-type]
            assert row is not None
            results.append((bool(row[0]), str(row[1])))
    return results
