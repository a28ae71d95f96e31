"""Model generation from a live database: ``pgshape generate models`` vs sqlacodegen, one run.

    .venv/bin/python benchmarks/codegen.py                      # 500 tables, best of 3
    .venv/bin/python benchmarks/codegen.py --tables 500 --repeat 5 --json codegen.json
    .venv/bin/python benchmarks/codegen.py --scratch-url postgresql://postgres@localhost/postgres

A synthetic schema (benchmarks/synthetic.py, seed 0) is loaded into a fresh scratch database;
then, interleaved, each tool writes models for the whole database from its own command line in a
fresh process — exactly what a user waits for:

- pgshape: ``pgshape generate models URL -o FILE`` (pgshape's venv);
- sqlacodegen: ``sqlacodegen --generator sqlmodels URL --outfile FILE`` (benchmarks/.venv-peers,
  where it is installed with that venv's own pip on first use).

The best wall time of ``--repeat`` runs counts (interpreter start and imports included for both).
pgshape's run is also broken down in-process: reading the catalogs, and rendering the module.
Every output file is checked: it must compile, and its class count is shown.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from introspect import load as load_script  # noqa: E402
from introspect import peers_python, sqlalchemy_url  # noqa: E402
from synthetic import build  # noqa: E402

SQLACODEGEN = "sqlacodegen[sqlmodel]==4.0.4"
PGSHAPE = Path(sys.executable).with_name("pgshape")


def ensure_sqlacodegen(python: Path) -> None:
    found = subprocess.run([str(python), "-c", "import sqlacodegen, sqlmodel"], capture_output=True)
    if found.returncode != 0:
        print(f"installing {SQLACODEGEN} into {python.parent.parent} ...", file=sys.stderr)
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", SQLACODEGEN]
        subprocess.run(pip, check=True)


def _classes(path: Path) -> int:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return sum(1 for node in tree.body if isinstance(node, ast.ClassDef))


def run_tool(tool: str, url: str, out: Path, peers: Path) -> float:
    if tool == "pgshape":
        command = [str(PGSHAPE), "generate", "models", url, "-o", str(out), "--force"]
    else:
        command = [str(peers), "-m", "sqlacodegen", "--generator", "sqlmodels", sqlalchemy_url(url)]
        command += ["--outfile", str(out)]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    t0 = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=1800)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"{tool} failed: {done.stderr.strip()[-2000:]}")
    return seconds


def pgshape_phases(url: str) -> dict[str, float]:
    """In-process: how the pgshape time splits between the catalogs and the renderer."""
    from pgshape.pg.introspect import introspect
    from pgshape.render.sqlmodel import render

    t0 = time.perf_counter()
    database = introspect(url)
    t1 = time.perf_counter()
    render(database, source="URL")
    t2 = time.perf_counter()
    return {"introspect": t1 - t0, "render": t2 - t1}


# The corpus check: does each tool's output import, map and rebuild the schema? -------------

_REBUILD = r"""
import importlib.util, sys
spec = importlib.util.spec_from_file_location("generated_models", sys.argv[1])
module = importlib.util.module_from_spec(spec)
try:
    spec.loader.exec_module(module)
except Exception as error:
    print("import:", type(error).__name__, str(error).splitlines()[0][:160]); sys.exit(3)
import sqlalchemy as sa
from sqlalchemy.orm import configure_mappers
from sqlmodel import SQLModel
try:
    configure_mappers()
except Exception as error:
    print("mappers:", type(error).__name__, str(error).splitlines()[0][:160]); sys.exit(4)
metadata = getattr(module, "metadata", None) or SQLModel.metadata
engine = sa.create_engine(sys.argv[2])
try:
    metadata.create_all(engine)
except Exception as error:
    print("create_all:", type(error).__name__, str(error).splitlines()[0][:160]); sys.exit(5)
"""


def corpus_check(names: list[str], server: str, peers: Path) -> list[dict[str, Any]]:
    """Generate with both tools from each loaded corpus schema and try to rebuild it."""
    from pgshape.errors import PgshapeError
    from pgshape.model.compare import compare
    from pgshape.pg.introspect import introspect
    from pgshape.pg.scratch import scratch_database
    from pgshape.pg.verify import apply_statements
    from pgshape.render.sql import render_statements
    from pgshape.sources.load import LoadOptions
    from pgshape.sources.load import load as load_source

    corpus = ROOT.parent / "shared" / "corpus" / "schemas"
    rows = []
    for name in names:
        with scratch_database(server) as source_url, tempfile.TemporaryDirectory() as work:
            try:  # pgshape's loader copes with psql meta-commands and CREATE DATABASE
                expected = load_source(str(corpus / f"{name}.sql"), LoadOptions(scratch_url=server))
            except PgshapeError as error:  # a schema this server cannot load
                rows.append({"schema": name, "error": f"does not load here: {str(error).splitlines()[0]}"})
                continue
            apply_statements(source_url, render_statements(expected))
            for tool in ("pgshape", "sqlacodegen"):
                out = Path(work) / f"{tool}_{name}.py"
                row: dict[str, Any] = {"schema": name, "tool": tool}
                try:
                    run_tool(tool, source_url, out, peers)
                except RuntimeError as error:
                    row["result"] = f"generation failed: {str(error).splitlines()[-1][:160]}"
                    rows.append(row)
                    continue
                python = Path(sys.executable) if tool == "pgshape" else peers
                with scratch_database(server) as target:
                    driver = target.replace("postgresql://", "postgresql+psycopg://", 1)
                    if tool == "sqlacodegen":
                        driver = sqlalchemy_url(target)
                    done = subprocess.run(
                        [str(python), "-c", _REBUILD, str(out), driver], capture_output=True, text=True
                    )
                    if done.returncode != 0:
                        row["result"] = (done.stdout.strip() or done.stderr.strip()).splitlines()[-1][:200]
                    else:
                        rebuilt = introspect(target)
                        differences = compare(expected, rebuilt)
                        row["result"] = f"{len(differences)} differences"
                        row["indexes"] = _index_counts(expected, rebuilt)
                rows.append(row)
    return rows


def _index_counts(expected: Any, rebuilt: Any) -> str:
    def indexes(db: Any) -> tuple[set[tuple[str, str, str]], set[tuple[str, str, str]]]:
        every = {(t.schema, t.name, i.name) for t in db.tables for i in t.indexes}
        expressions = {
            (t.schema, t.name, i.name)
            for t in db.tables
            for i in t.indexes
            if any(k.expression for k in i.keys)
        }
        return every, expressions

    want_all, want_expr = indexes(expected)
    got_all, got_expr = indexes(rebuilt)
    return (
        f"indexes kept {len(want_all & got_all)}/{len(want_all)}, "
        f"expression indexes kept {len(want_expr & got_expr)}/{len(want_expr)}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tables", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scratch-url", default=os.environ.get("PGSHAPE_SCRATCH_URL"))
    parser.add_argument("--json", type=Path, help="write every run and the machine to this file")
    parser.add_argument(
        "--corpus",
        nargs="*",
        metavar="NAME",
        help="instead: check both tools' output on corpus schemas (default: chinook synapse pagila danbooru)",
    )
    args = parser.parse_args(argv)

    from pgshape.pg.scratch import scratch_database, scratch_server_url

    peers = peers_python()
    ensure_sqlacodegen(peers)
    server = scratch_server_url(args.scratch_url)
    if args.corpus is not None:
        for row in corpus_check(args.corpus or ["chinook", "synapse", "pagila", "danbooru"], server, peers):
            print(" | ".join(str(v) for v in row.values()))
        return 0
    schema = build(args.tables, seed=args.seed)
    runs: dict[str, list[float]] = {"pgshape": [], "sqlacodegen": []}
    with scratch_database(server) as url, tempfile.TemporaryDirectory() as work:
        load_seconds = load_script(url, schema.sql)
        print(f"loaded {args.tables} tables in {load_seconds:.1f} s", file=sys.stderr)
        outputs = {tool: Path(work) / f"{tool}_models.py" for tool in runs}
        for attempt in range(args.repeat):
            for tool in runs:  # interleaved, so drift on the machine hits both alike
                runs[tool].append(run_tool(tool, url, outputs[tool], peers))
                print(f"  run {attempt + 1}: {tool} {runs[tool][-1]:.2f} s", file=sys.stderr)
        phases = min((pgshape_phases(url) for _ in range(args.repeat)), key=lambda p: sum(p.values()))
        classes = {tool: _classes(path) for tool, path in outputs.items()}
        sizes = {tool: len(path.read_text(encoding="utf-8").splitlines()) for tool, path in outputs.items()}
    best = {tool: min(times) for tool, times in runs.items()}
    ratio = best["sqlacodegen"] / best["pgshape"]
    print(
        f"\n{args.tables} tables (synthetic, seed {args.seed}); best of {args.repeat}, wall seconds per run"
    )
    print(f"{'tool':<12} {'seconds':>8} {'classes':>8} {'lines':>7}")
    for tool in runs:
        print(f"{tool:<12} {best[tool]:>8.2f} {classes[tool]:>8} {sizes[tool]:>7}")
    print(f"pgshape in-process: introspect {phases['introspect']:.2f} s, render {phases['render']:.2f} s")
    print(f"ratio sqlacodegen / pgshape: {ratio:.1f}x")
    if args.json:
        result: dict[str, Any] = {
            "tables": args.tables,
            "seed": args.seed,
            "runs": runs,
            "best": best,
            "ratio": ratio,
            "pgshape_phases": phases,
            "classes": classes,
            "lines": sizes,
            "peers": SQLACODEGEN,
            "python": sys.version.split()[0],
            "cpus": os.cpu_count(),
        }
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
