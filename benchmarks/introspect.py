"""Benchmark: catalog introspection by pgshape against schemainspect, SQLAlchemy and Alembic.

    python benchmarks/introspect.py                       # sizes 100, 600, 2400; best of 3
    python benchmarks/introspect.py --sizes 100 600 --repeat 5 --json results.json
    python benchmarks/introspect.py --scratch-url postgresql://postgres@localhost/postgres

For each size a synthetic schema (benchmarks/synthetic.py) is loaded into a fresh scratch
database, then every tool introspects it in a fresh subprocess, ``--repeat`` times (the best run
counts). Each subprocess measures itself: ``seconds`` around the introspection call only
(excluding interpreter start, imports and, for the peers, connecting), ``wall`` including the
connection. The peers run from their own venv (benchmarks/.venv-peers, created on first use
with pinned versions), never from pgshape's.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import Stats, batches, build  # noqa: E402

PEERS_VENV = HERE / ".venv-peers"
# A combination that works together (schemainspect 3.1 runs on SQLAlchemy 2.x through sqlbag).
PEER_REQUIREMENTS = (
    "schemainspect==3.1.1663587362",
    "sqlbag==0.1.1617247075",
    "psycopg2-binary==2.9.13",
    "SQLAlchemy==2.1.9",
    "alembic==1.20.1",
)
PEER_TOOLS = ("schemainspect", "sqlalchemy", "alembic")
TOOLS = ("pgshape", *PEER_TOOLS)
LABELS = {
    "pgshape": "pgshape",
    "schemainspect": "schemainspect",
    "sqlalchemy": "sqlalchemy reflect",
    "alembic": "alembic autogenerate",
}
RUN_TIMEOUT = 1800.0


@dataclass
class Run:
    seconds: float
    wall: float
    tables: int | None = None
    views: int | None = None
    foreign_keys: int | None = None
    indexes: int | None = None
    phases: dict[str, float] | None = None  # pgshape only: seconds per catalog query


@dataclass
class ToolResult:
    tool: str
    runs: list[Run] = field(default_factory=list)
    error: str | None = None

    @property
    def best(self) -> Run | None:
        return min(self.runs, key=lambda r: r.seconds) if self.runs else None


@dataclass
class SizeResult:
    tables: int
    seed: int
    schemas: int
    load_seconds: float
    expected: Stats
    results: dict[str, ToolResult] = field(default_factory=dict)


# The peers' venv --------------------------------------------------------------------------


def peers_python(venv: Path = PEERS_VENV) -> Path:
    """The peers' interpreter; the venv is (re)created when missing or its pins changed."""
    python = venv / "bin" / "python"
    stamp = venv / "requirements.txt"
    wanted = "\n".join(PEER_REQUIREMENTS) + "\n"
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    print(f"creating {venv} with {', '.join(PEER_REQUIREMENTS)} ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *PEER_REQUIREMENTS],
        check=True,
    )
    stamp.write_text(wanted)
    return python


def sqlalchemy_url(url: str) -> str:
    """A libpq URL (``postgresql://u@/db?host=/tmp/x&port=5432``) as a psycopg2 SQLAlchemy URL."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url[len(prefix) :]
    return url


# One measurement ---------------------------------------------------------------------------


def _worker_pgshape(url: str) -> dict[str, Any]:
    """Runs inside a fresh pgshape-venv subprocess (``--worker``).

    Does what ``introspect(url)`` does (connect, then ``introspect_connection``), timing the two
    apart like the peers, and records when the reading of each catalog query's rows started
    (the ``progress`` callback) for the per-step breakdown. The queries run one step ahead of
    the reading (pgshape.pg.introspect_ahead), so a step's time is what the reader waited for
    the rows plus what it spent turning them into the model.
    """
    from pgshape.pg.connect import connect
    from pgshape.pg.introspect import introspect_connection

    marks: list[tuple[str, float]] = []
    wall0 = time.perf_counter()
    with connect(url, read_only=True) as conn:
        t0 = time.perf_counter()
        database = introspect_connection(
            conn, progress=lambda step: marks.append((step, time.perf_counter()))
        )
        end = time.perf_counter()
    wall = time.perf_counter() - wall0
    phases: dict[str, float] = {}
    for (step, start), (_, stop) in zip(marks, [*marks[1:], ("end", end)], strict=True):
        phases[step] = phases.get(step, 0.0) + stop - start
    return {
        "seconds": end - t0,
        "wall": wall,
        "tables": len(database.tables),
        "views": len(database.views),
        "foreign_keys": sum(len(t.foreign_keys) for t in database.tables),
        "indexes": sum(len(t.indexes) for t in database.tables),
        "phases": phases,
    }


def measure(tool: str, url: str, peers: Path | None) -> Run:
    if tool == "pgshape":
        command = [sys.executable, str(Path(__file__).resolve()), "--worker", url]
    else:
        assert peers is not None
        command = [str(peers), str(HERE / "_peers.py"), tool, sqlalchemy_url(url)]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT, env=env)
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        raise RuntimeError(lines[-1] if lines else f"exit code {done.returncode}")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    data.pop("tool", None)
    return Run(**data)


def load(url: str, script: str) -> float:
    import psycopg

    t0 = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        for piece in batches(script):
            conn.execute(piece)  # type: ignore[arg-type]
    return time.perf_counter() - t0


def bench_size(
    tables: int, *, seed: int, schemas: int, repeat: int, tools: list[str], server: str, peers: Path | None
) -> SizeResult:
    from rich.console import Console

    from pgshape.pg.scratch import scratch_database

    console = Console(stderr=True)
    generated = build(tables, seed=seed, schemas=schemas)
    with scratch_database(server) as url:
        with console.status(f"loading {tables} tables ({len(generated.sql) // 1024} KiB of DDL)"):
            load_seconds = load(url, generated.sql)
        result = SizeResult(tables, seed, schemas, load_seconds, generated.stats)
        result.results = {tool: ToolResult(tool) for tool in tools}
        for attempt in range(1, repeat + 1):
            for tool in tools:  # interleaved, so drift on the machine hits every tool alike
                entry = result.results[tool]
                if entry.error:
                    continue
                with console.status(f"{tables} tables: {LABELS[tool]}, run {attempt}/{repeat}"):
                    try:
                        entry.runs.append(measure(tool, url, peers))
                    except (RuntimeError, subprocess.TimeoutExpired, ValueError) as error:
                        entry.error = str(error)
    return result


# Reporting ---------------------------------------------------------------------------------


def show(result: SizeResult) -> None:
    from rich.console import Console
    from rich.table import Table

    expected = result.expected
    runs = max(len(r.runs) for r in result.results.values())
    title = (
        f"{result.tables} tables, {expected.views} views, {expected.foreign_keys} foreign keys "
        f"(seed {result.seed}, {result.schemas} schema{'s' if result.schemas > 1 else ''}; "
        f"loaded in {result.load_seconds:.1f} s) — best of {runs}"
    )
    console = Console(width=None if sys.stdout.isatty() else 110)
    table = Table(title=title, title_justify="left")
    table.add_column("tool")
    table.add_column("seconds", justify="right")
    table.add_column("wall", justify="right")
    table.add_column("tables", justify="right")
    table.add_column("views", justify="right")
    table.add_column("FKs", justify="right")
    table.add_column("vs pgshape", justify="right")
    base = result.results.get("pgshape")
    base_best = base.best if base else None

    def count(found: int | None, wanted: int) -> str:
        if found is None:
            return "–"
        return str(found) if found == wanted else f"[red]{found}≠{wanted}[/red]"

    for tool, entry in result.results.items():
        best = entry.best
        if best is None:
            table.add_row(LABELS[tool], "[red]failed[/red]", "", "", "", "", "")
            continue
        ratio = "1.0" if tool == "pgshape" else "–"
        if base_best and tool != "pgshape" and base_best.seconds > 0:
            ratio = f"×{best.seconds / base_best.seconds:.1f}"
        table.add_row(
            LABELS[tool],
            f"{best.seconds:.2f} s",
            f"{best.wall:.2f} s",
            count(best.tables, expected.tables),
            count(best.views, expected.views),
            count(best.foreign_keys, expected.foreign_keys),
            ratio,
        )
    console.print(table)
    if base_best and base_best.phases:
        total = sum(base_best.phases.values()) or 1.0
        big = sorted(base_best.phases.items(), key=lambda kv: -kv[1])
        shown = [f"{name} {secs:.2f} s" for name, secs in big if secs / total >= 0.05]
        rest = sum(secs for _, secs in big if secs / total < 0.05)
        console.print(
            f"pgshape's best run by step (each query's rows: waiting for them, then converting "
            f"and assembling them while the next query runs; assembling = the final model): "
            f"{', '.join(shown)}, rest {rest:.2f} s"
        )
    for tool, entry in result.results.items():
        if entry.error:
            console.print(f"[red]{LABELS[tool]}: {entry.error}[/red]")


def machine(server: str) -> dict[str, Any]:
    import psycopg

    with psycopg.connect(server) as conn:
        version = conn.execute("show server_version").fetchone()
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "postgresql": version[0] if version else None,
        "peers": list(PEER_REQUIREMENTS),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 600, 2400], help="table counts")
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool and size; the best counts")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--schemas", type=int, default=1, help="spread the tables over this many schemas")
    parser.add_argument("--tools", nargs="+", choices=TOOLS, default=list(TOOLS))
    parser.add_argument("--scratch-url", help="server for scratch databases (default: pgshape's)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON")
    parser.add_argument("--worker", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        print(json.dumps({"tool": "pgshape", **_worker_pgshape(args.worker)}))
        return 0

    from pgshape.pg.scratch import scratch_server_url

    server = scratch_server_url(args.scratch_url)
    peers = peers_python() if any(t in PEER_TOOLS for t in args.tools) else None
    results: list[SizeResult] = []
    for size in args.sizes:
        result = bench_size(
            size,
            seed=args.seed,
            schemas=args.schemas,
            repeat=args.repeat,
            tools=args.tools,
            server=server,
            peers=peers,
        )
        show(result)
        results.append(result)

    if args.json:
        payload = {
            "machine": machine(server),
            "repeat": args.repeat,
            "sizes": [
                {
                    "tables": r.tables,
                    "seed": r.seed,
                    "schemas": r.schemas,
                    "load_seconds": r.load_seconds,
                    "expected": asdict(r.expected),
                    "tools": {
                        tool: {
                            "best_seconds": e.best.seconds if e.best else None,
                            "best_wall": e.best.wall if e.best else None,
                            "error": e.error,
                            "runs": [asdict(run) for run in e.runs],
                        }
                        for tool, e in r.results.items()
                    },
                }
                for r in results
            ],
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n")
    failed = any(e.error for r in results for e in r.results.values())
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
