"""Lint speed: the rules over 2,400 loaded tables, and `pgshape lint models.py` end to end.

    .venv/bin/python benchmarks/lint.py                  # best of 3
    .venv/bin/python benchmarks/lint.py --tables 600 --repeat 5
    .venv/bin/python benchmarks/lint.py --scratch-url postgresql://postgres@localhost/postgres

1. A synthetic schema (benchmarks/synthetic.py, seed 0) is loaded into a scratch database and
   introspected once; then every default rule runs on the model (`pgshape.lint.engine.lint`),
   timed alone — loading is not part of the target (< 1 s for 2,400 tables).
2. A 20-model SQLModel module is written to a temporary directory and `pgshape lint models.py`
   runs in a fresh interpreter (start-up, imports, loading, rules, report); target < 1 s.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import batches, build


def time_rules(tables: int, repeat: int, scratch_url: str | None) -> tuple[float, float, int, int]:
    import psycopg

    from pgshape.lint.config import LintConfig
    from pgshape.lint.core import LintContext
    from pgshape.lint.engine import lint
    from pgshape.pg.introspect import introspect
    from pgshape.pg.scratch import scratch_database, scratch_server_url

    script = build(tables).sql
    with scratch_database(scratch_server_url(scratch_url)) as url:
        with psycopg.connect(url, autocommit=True) as conn:
            for piece in batches(script):
                conn.execute(piece)  # type: ignore[arg-type]
        database = introspect(url)
    context = LintContext(database=database, config=LintConfig(), source_kind="sql")
    best = best_cpu = float("inf")
    findings = 0
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        result = lint(context)
        best = min(best, time.perf_counter() - started)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        findings = len(result.findings)
    return best, best_cpu, len(database.tables), findings


def models_module(count: int) -> str:
    lines = [
        "from datetime import datetime",
        "",
        "from sqlalchemy import DateTime",
        "from sqlmodel import Field, SQLModel",
        "",
    ]
    for i in range(count):
        parent = (
            f"    parent_id: int | None = Field(default=None, foreign_key='model{i - 1}.id')\n" if i else ""
        )
        lines.append(
            f"\nclass Model{i}(SQLModel, table=True):\n"
            f"    __tablename__ = 'model{i}'\n"
            "    id: int | None = Field(default=None, primary_key=True)\n"
            f"    name: str = Field(index=True)\n    price: float = 0\n    is_active: bool = True\n"
            "    created_at: datetime = Field(sa_type=DateTime(timezone=True))\n" + parent
        )
    return "\n".join(lines) + "\n"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_cli(repeat: int) -> tuple[float, float, int]:
    best = best_cpu = float("inf")
    code = 0
    with tempfile.TemporaryDirectory() as directory:
        models = Path(directory) / "models.py"
        models.write_text(models_module(20))
        for _ in range(repeat):
            started, cpu = time.perf_counter(), _children_cpu()
            done = subprocess.run(
                [sys.executable, "-m", "pgshape", "lint", str(models), "--format", "json"],
                capture_output=True,
                text=True,
                cwd=directory,
            )
            best = min(best, time.perf_counter() - started)
            best_cpu = min(best_cpu, _children_cpu() - cpu)
            code = done.returncode
            if code not in (0, 1):
                raise SystemExit(f"pgshape lint failed: {done.stderr.strip()}")
    return best, best_cpu, code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=2400)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scratch-url", default=None)
    args = parser.parse_args(argv)
    # CPU time is printed next to wall time: on a shared, loaded machine wall time mostly
    # measures waiting for a core.
    seconds, cpu, tables, findings = time_rules(args.tables, args.repeat, args.scratch_url)
    print(
        f"rules on {tables} tables: {seconds:.3f} s wall, {cpu:.3f} s CPU ({findings} findings)  target < 1 s"
    )
    seconds, cpu, code = time_cli(args.repeat)
    print(
        f"`pgshape lint models.py` (20 models, end to end): {seconds:.3f} s wall, {cpu:.3f} s CPU "
        f"(exit {code})  target < 1 s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
