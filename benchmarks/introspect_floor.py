"""Benchmark: the least time any faithful introspection needs, next to schemainspect and pgshape.

    python benchmarks/introspect_floor.py                  # 2,400 tables, best of 3
    python benchmarks/introspect_floor.py --tables 600 --repeat 5

Issue 2 asks pgshape to introspect 2,400 tables at least ten times faster than schemainspect.
This script measures what that asks for. On the same database, each in a fresh process and a
fresh connection (a cold backend, as in benchmarks/introspect.py), it times:

- **floor**: only the catalog reads that any tool must make to reproduce the schema — the
  relations, every column's type as PostgreSQL prints it (``format_type``), the text of every
  column default and check constraint (``pg_get_expr``), the key arrays of keys and foreign keys,
  index keys with their expressions and predicates, view definitions — fetched as plain tuples,
  with no Python objects built from them. Nothing here can be skipped: a default or a check is
  only known as PostgreSQL's deparser prints it;
- **pgshape**: ``introspect_connection`` (everything above plus comments, identity options,
  operator classes, collations, triggers, policies, functions, ... and the model);
- **schemainspect**: ``get_inspector`` (from benchmarks/.venv-peers, as in introspect.py).

It prints the three times, schemainspect's time divided by ten (the issue's target for pgshape)
and whether even the floor fits under it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from introspect import load, measure, peers_python  # noqa: E402
from synthetic import build  # noqa: E402

# Set-based reads with the fewest joins that still give every fact a DDL needs; the deparser is
# called exactly where only it can give the text (types, defaults, checks, index expressions,
# predicates, view bodies).
FLOOR_QUERIES = {
    "relations": """
        SELECT c.oid, n.nspname, c.relname, c.relkind
        FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY (%(schemas)s) AND c.relkind IN ('r', 'p', 'v', 'm')""",
    "columns": """
        SELECT a.attrelid, a.attnum, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
               a.attnotnull, a.attidentity, a.attgenerated
        FROM pg_catalog.pg_attribute a
        JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY (%(schemas)s) AND c.relkind IN ('r', 'p', 'v', 'm')
          AND a.attnum > 0 AND NOT a.attisdropped""",
    "defaults": """
        SELECT d.adrelid, d.adnum, pg_catalog.pg_get_expr(d.adbin, d.adrelid)
        FROM pg_catalog.pg_attrdef d
        JOIN pg_catalog.pg_class c ON c.oid = d.adrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY (%(schemas)s)""",
    "constraints": """
        SELECT k.conrelid, k.conname, k.contype, k.conkey, k.confrelid, k.confkey,
               k.confdeltype, k.confupdtype,
               CASE WHEN k.contype = 'c' THEN pg_catalog.pg_get_expr(k.conbin, k.conrelid) END
        FROM pg_catalog.pg_constraint k
        JOIN pg_catalog.pg_namespace n ON n.oid = k.connamespace
        WHERE n.nspname = ANY (%(schemas)s) AND k.contype IN ('p', 'u', 'f', 'c', 'x')""",
    "indexes": """
        SELECT i.indexrelid, i.indrelid, ic.relname, i.indisunique, i.indkey, i.indoption,
               pg_catalog.pg_get_expr(i.indexprs, i.indrelid),
               pg_catalog.pg_get_expr(i.indpred, i.indrelid)
        FROM pg_catalog.pg_index i
        JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace
        WHERE n.nspname = ANY (%(schemas)s)""",
    "views": """
        SELECT c.oid, pg_catalog.pg_get_viewdef(c.oid)
        FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY (%(schemas)s) AND c.relkind IN ('v', 'm')""",
}


def _worker(url: str) -> dict[str, Any]:
    """In a fresh process: connect, then run the floor queries on one cold connection."""
    import psycopg

    wall0 = time.perf_counter()
    with psycopg.connect(url) as conn:
        conn.execute("SET TRANSACTION READ ONLY")
        conn.execute("SELECT pg_catalog.set_config('search_path', '', true)")
        schemas = [
            row[0]
            for row in conn.execute(
                "SELECT nspname FROM pg_catalog.pg_namespace"
                " WHERE nspname !~ '^pg_' AND nspname <> 'information_schema'"
            )
        ]
        t0 = time.perf_counter()
        rows: dict[str, int] = {}
        for name, sql in FLOOR_QUERIES.items():
            rows[name] = len(conn.execute(sql, {"schemas": schemas}).fetchall())
        end = time.perf_counter()
    return {"seconds": end - t0, "wall": time.perf_counter() - wall0, "rows": rows}


def _floor(url: str) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", url]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=2400)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scratch-url", help="server for the scratch database (default: pgshape's)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(_worker(args.worker)))
        return 0

    from pgshape.pg.scratch import scratch_database, scratch_server_url

    peers = peers_python()
    server = scratch_server_url(args.scratch_url)
    times: dict[str, list[float]] = {"floor": [], "pgshape": [], "schemainspect": []}
    rows: dict[str, int] = {}
    with scratch_database(server) as url:
        print(f"loading {args.tables} synthetic tables (seed {args.seed}) ...", file=sys.stderr)
        load(url, build(args.tables, seed=args.seed).sql)
        for attempt in range(1, args.repeat + 1):
            print(f"run {attempt}/{args.repeat}", file=sys.stderr)
            floor = _floor(url)
            rows = floor["rows"]
            times["floor"].append(floor["seconds"])
            times["pgshape"].append(measure("pgshape", url, None).seconds)
            times["schemainspect"].append(measure("schemainspect", url, peers).seconds)
    best = {tool: min(values) for tool, values in times.items()}
    target = best["schemainspect"] / 10
    print(f"\n{args.tables} tables, best of {args.repeat} (median in brackets), seconds around the reads:")
    for tool, values in times.items():
        print(f"  {tool:14s} {best[tool]:6.3f} s  ({statistics.median(values):.3f} s)")
    print(f"  floor rows: {', '.join(f'{k} {v}' for k, v in rows.items())}")
    print(f"\nschemainspect / 10 = {target:.3f} s (issue 2's target for pgshape)")
    print(f"pgshape:  ×{best['schemainspect'] / best['pgshape']:.1f} faster than schemainspect")
    verdict = "fits under" if best["floor"] <= target else "does NOT fit under"
    print(f"floor:    ×{best['schemainspect'] / best['floor']:.1f} — the floor alone {verdict} the target")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
