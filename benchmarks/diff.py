"""Benchmark: ``pgshape diff`` of two large schemas, both sides introspected from live databases.

    python benchmarks/diff.py                      # 2,400 tables, best of 3
    python benchmarks/diff.py --tables 600 --repeat 5 --json results.json

FROM is the synthetic schema (benchmarks/synthetic.py, seed 0); TO is the same schema with a
realistic batch of changes (``CHANGES``): new columns and checks, new and dropped indexes,
widened and retyped columns, comments, dropped views. Both are loaded into scratch databases on
pgshape's embedded server (or ``--scratch-url``), which is not timed. Then each run, in a fresh
subprocess, times what ``pgshape diff URL_FROM URL_TO --no-verify`` does: introspect both
databases, compare, plan (online rewrites included) and render the up and down scripts. The
target is under 4 s in total at 2,400 tables.

Peer tools: ``PEERS`` maps a tool name to a function ``(url_from, url_to) -> dict`` that runs the
peer on the same pair and returns at least ``{"seconds": float}``; every registered peer is run
in the same session and its ratio to pgshape printed. The peer is migra (``migra==MIGRA_VERSION``,
which does the same job: inspect two databases, print the SQL between them), run from the peers'
venv of benchmarks/introspect.py with benchmarks/_migra.py; migra is added to that venv when
missing. It is slow (about a minute at 2,400 tables), so it runs ``--peer-repeat`` times (1).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import batches, build  # noqa: E402

TARGET_SECONDS = 4.0

MIGRA_VERSION = "3.0.1663481299"  # the last release (2022); works with the peers' schemainspect pin


def run_migra(url_from: str, url_to: str) -> dict[str, Any]:
    """migra on the same pair, in the peers' venv (its own process; imports not timed)."""
    from introspect import peers_python, sqlalchemy_url

    python = peers_python()
    check = subprocess.run([str(python), "-c", "import migra"], capture_output=True)
    if check.returncode != 0:
        print(f"installing migra=={MIGRA_VERSION} into the peers' venv ...", file=sys.stderr)
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                f"migra=={MIGRA_VERSION}",
            ],
            check=True,
        )
    command = [str(python), str(HERE / "_migra.py"), sqlalchemy_url(url_from), sqlalchemy_url(url_to)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


# name → runner(url_from, url_to) -> {"seconds": ..., ...}; see the module docstring.
PEERS: dict[str, Callable[[str, str], dict[str, Any]]] = {"migra": run_migra}


def changes(table_names: list[str], view_names: list[str]) -> list[str]:
    """The edits that turn FROM into TO: about 10 % of the tables touched."""
    statements = []
    for number, table in enumerate(table_names):
        if number % 10 == 0:
            statements.append(f"ALTER TABLE {table} ADD COLUMN bench_note varchar(40)")
        if number % 20 == 0:
            statements.append(
                f"ALTER TABLE {table} ADD CONSTRAINT bench_{number}_check CHECK (bench_note <> '')"
            )
        if number % 15 == 0:
            statements.append(f"CREATE INDEX bench_{number}_idx ON {table} (id)")
        if number % 25 == 0:
            statements.append(f"COMMENT ON TABLE {table} IS 'changed by the benchmark'")
        if number % 40 == 5:
            statements.append(
                f"ALTER TABLE {table} ALTER COLUMN bench_note TYPE text"
                if number % 10 == 0
                else f"ALTER TABLE {table} ADD COLUMN bench_flag boolean DEFAULT false"
            )
    for view in view_names[::12]:
        statements.append(f"DROP VIEW IF EXISTS {view} CASCADE")
    return statements


def load(url: str, script: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for piece in batches(script):
            conn.execute(piece)  # type: ignore[arg-type]


def worker(url_from: str, url_to: str, concurrent: bool = True) -> dict[str, Any]:
    """One timed run of what ``pgshape diff URL URL --no-verify`` does."""
    from pgshape.migrate.pipeline import migration
    from pgshape.migrate.render_sql import render, script
    from pgshape.sources.load import LoadOptions
    from pgshape.sources.load import load as load_source

    def introspect(url: str) -> Any:
        return load_source(url, LoadOptions())

    from concurrent.futures import ThreadPoolExecutor

    t0 = time.perf_counter()
    if concurrent:
        # As `pgshape diff` does for two live databases: one side's catalog queries run on the
        # server while the other side's rows are turned into the model.
        with ThreadPoolExecutor(2) as pool:
            pending = pool.submit(introspect, url_to)
            before = introspect(url_from)
            t1 = time.perf_counter()
            after = pending.result()
    else:
        before = introspect(url_from)
        t1 = time.perf_counter()
        after = introspect(url_to)
    t2 = time.perf_counter()
    result = migration(before, after)
    t3 = time.perf_counter()
    text = render(result.plan, title="bench", verdict=None) + script(result.plan.down, result.plan.options)
    t4 = time.perf_counter()
    return {
        "seconds": t4 - t0,
        "introspect_from": t1 - t0,
        "introspect_to": t2 - t1,
        "diff_and_plan": t3 - t2,
        "render": t4 - t3,
        "up_steps": len(result.plan.up),
        "down_steps": len(result.plan.down),
        "script_kib": len(text) // 1024,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tables", type=int, default=2400)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scratch-url", default=None)
    parser.add_argument("--json", default=None, help="write every run to this file")
    parser.add_argument("--peer-repeat", type=int, default=1, help="runs of each peer (default 1)")
    parser.add_argument("--no-peers", action="store_true", help="time pgshape only")
    parser.add_argument("--worker", nargs=2, metavar=("FROM", "TO"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return 0

    from pgshape.pg.scratch import scratch_database, scratch_server_url

    server = scratch_server_url(args.scratch_url)
    generated = build(args.tables, seed=args.seed)
    edits = ";\n".join(changes(generated.table_names, generated.view_names)) + ";\n"
    print(f"loading {args.tables} tables twice (+{edits.count(';')} changes on TO) …", file=sys.stderr)
    with scratch_database(server) as url_from, scratch_database(server) as url_to:
        load(url_from, generated.sql)
        load(url_to, generated.sql + edits)
        runs = []
        chosen = {} if args.no_peers else PEERS
        peers: dict[str, list[dict[str, Any]]] = {name: [] for name in chosen}
        for attempt in range(args.repeat):
            command = [sys.executable, str(Path(__file__).resolve()), "--worker", url_from, url_to]
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
            for name, runner in chosen.items():
                if attempt < args.peer_repeat:
                    peers[name].append(runner(url_from, url_to))
                    print(f"  {name}: {peers[name][-1]['seconds']:.2f} s", file=sys.stderr)
            print(f"run {attempt + 1}: {runs[-1]['seconds']:.2f} s", file=sys.stderr)
    best = min(runs, key=lambda run: run["seconds"])
    print(f"pgshape diff, {args.tables} tables each side (both introspected), best of {args.repeat}:")
    print(
        f"  {best['seconds']:.2f} s total — introspect FROM {best['introspect_from']:.2f} s, "
        f"TO {best['introspect_to']:.2f} s, diff+plan {best['diff_and_plan']:.2f} s, "
        f"render {best['render']:.2f} s"
    )
    print(f"  {best['up_steps']} up steps, {best['down_steps']} down steps, {best['script_kib']} KiB of SQL")
    verdict = "within" if best["seconds"] < TARGET_SECONDS else "OVER"
    print(f"  target < {TARGET_SECONDS:.0f} s: {verdict}")
    for name, results in peers.items():
        peer_best = min(results, key=lambda run: run["seconds"])
        print(
            f"  {name}: {peer_best['seconds']:.2f} s — pgshape is "
            f"×{peer_best['seconds'] / best['seconds']:.1f} faster"
            f" ({peer_best.get('statements', '?')} statements from {name})"
        )
    if args.json:
        Path(args.json).write_text(
            json.dumps({"tables": args.tables, "pgshape": runs, "peers": peers}, indent=2)
        )
    return 0 if best["seconds"] < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
