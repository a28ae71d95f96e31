"""``pgshape verify``: build the schema on a fresh scratch database and read it back."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING

import typer

from pgshape.cli.app import app
from pgshape.cli.options import EXAMPLE, SCHEMA, SCRATCH_URL, ReportFormat, load, resolve_source
from pgshape.cli.output import progress, settings
from pgshape.render.summary import counts_line

if TYPE_CHECKING:
    from pgshape.pg.verify import Proof


@app.command()
def verify(
    source: str = typer.Argument(None, help="What to verify (URL, .sql, .py, pkg.module[:attr], .json)."),
    example: str = EXAMPLE,
    scratch_url: str = SCRATCH_URL,
    schema: list[str] = SCHEMA,
    format: ReportFormat = typer.Option(ReportFormat.human, "--format", "-f", help="human or json."),
) -> int:
    """Prove SOURCE: SOURCE → model → SQL → fresh scratch database → model′, and compare.

    Prints [bold]identical[/] (exit 0) or the list of differences (exit 1). The scratch
    database is dropped afterwards; the embedded PostgreSQL is used unless --scratch-url is given.
    """
    target = resolve_source(source, example)
    started = time.perf_counter()
    database = load(target, scratch_url=scratch_url, schemas=schema)
    from pgshape.pg.verify import prove

    with progress("verifying") as report:
        proof = prove(database, scratch_url=scratch_url, progress=report)
    elapsed = time.perf_counter() - started
    if format is ReportFormat.json:
        typer.echo(json.dumps(_as_json(target, proof, elapsed), indent=2))
    else:
        _print_human(target, proof, elapsed)
    return 0 if proof.identical else 1


def _as_json(target: str, proof: Proof, elapsed: float) -> dict[str, object]:
    return {
        "source": target,
        "identical": proof.identical,
        "statements": proof.statements,
        "seconds": round(elapsed, 3),
        "differences": [
            {"path": d.path, "expected": d.left, "actual": d.right, "order_only": d.order_only}
            for d in proof.differences
        ],
    }


def _print_human(target: str, proof: Proof, elapsed: float) -> None:
    out = settings.stdout
    summary = counts_line(proof.expected)
    if proof.identical:
        out.print(
            f"[green]identical[/]: {target} — {summary}; {proof.statements} statements, {elapsed:.1f} s"
        )
        return
    out.print(f"[red]{len(proof.differences)} difference(s)[/] between {target} and what PostgreSQL built:")
    for difference in proof.differences:
        out.print(f"  - {difference}", markup=False)
