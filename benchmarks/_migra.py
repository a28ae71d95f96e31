"""One ``migra`` diff of two databases, run in the peers' venv (never in pgshape's).

    benchmarks/.venv-peers/bin/python benchmarks/_migra.py URL_FROM URL_TO

URLs are SQLAlchemy psycopg2 URLs. Does what the ``migra URL_FROM URL_TO --unsafe`` command does
— inspect both databases (schemainspect), compute every change, render the SQL — and prints one
JSON object: ``seconds`` from before connecting to the rendered SQL (imports excluded, like
pgshape's worker), plus the number of statements so the runner can see that migra found the
changes.

This file must import nothing from pgshape: it runs with the peers' interpreter.
"""

from __future__ import annotations

import json
import sys
import time


def run(url_from: str, url_to: str) -> dict[str, object]:
    from migra import Migration
    from sqlbag import S

    t0 = time.perf_counter()
    with S(url_from) as s_from, S(url_to) as s_to:
        migration = Migration(s_from, s_to)
        migration.set_safety(False)  # drops are part of the benchmark's changes
        migration.add_all_changes()
        sql = migration.sql
    seconds = time.perf_counter() - t0
    statements = [line for line in sql.splitlines() if line.strip().endswith(";")]
    return {"seconds": seconds, "statements": len(statements), "sql_kib": len(sql) // 1024}


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    print(json.dumps(run(sys.argv[1], sys.argv[2])))
