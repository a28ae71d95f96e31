"""The proof of ``pgshape generate models``: for every loadable corpus schema and every design
example, the generated module — imported in a fresh interpreter, mapped with
``configure_mappers()`` and created with ``SQLModel.metadata.create_all()`` on a fresh
database — rebuilds the schema with zero catalog difference: tables, columns (types, defaults,
nullability), every constraint and index by name, enums, comments, and the views, functions,
triggers and policies attached as DDL. Run on PostgreSQL 15 too (PGSHAPE_PG_BIN).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings

from conftest import CORPUS
from pgshape.design.examples import EXAMPLES, example_path
from pgshape.model import Database
from pgshape.model.compare import compare
from pgshape.pg.verify import canonical
from pgshape.render.sqlmodel import render, render_package
from pgshape.sources.load import LoadOptions, load
from render.sqlmodel.codegen_support import rebuild, ruff_problems
from strategies import databases

# name → (minimum PostgreSQL major, extension it needs)
CORPUS_SCHEMAS = {
    "chinook": (13, None),
    "synapse": (13, None),
    "pagila": (18, None),
    "danbooru": (13, "pgcrypto"),
}


def _available(server: str, extension: str | None) -> bool:
    if extension is None:
        return True
    with psycopg.connect(server) as conn:
        row = conn.execute("select 1 from pg_available_extensions where name = %s", (extension,)).fetchone()
    return row is not None


def _load_corpus(name: str, pg_server: str, pg_major: int) -> Database:
    minimum, extension = CORPUS_SCHEMAS[name]
    if not (CORPUS / f"{name}.sql").exists():
        pytest.skip("corpus not available")
    if pg_major < minimum:
        pytest.skip(f"{name} needs PostgreSQL {minimum}")
    if not _available(pg_server, extension):
        pytest.skip(f"{name} needs the {extension} extension, which this server lacks")
    return load(str(CORPUS / f"{name}.sql"), LoadOptions(scratch_url=pg_server, warn=lambda _m: None))


def sqlmodel_findings(code_path: Path) -> str:
    """pgshape's own SQLModel rules (SM, every severity) on the generated module, as the user runs
    them: ``pgshape lint models.py`` in a fresh interpreter. Empty when it is clean.

    SM010 (str-without-max-length, info) is left out: it describes the schema, not the code —
    a database column that is unbounded ``character varying`` (danbooru has dozens) must stay
    unbounded in models that rebuild it exactly."""
    command = ["lint", str(code_path), "--select", "SM", "--ignore", "SM010", "--fail-on", "info"]
    result = subprocess.run(
        [sys.executable, "-m", "pgshape", *command],
        capture_output=True,
        text=True,
        cwd=code_path.parent,
        timeout=300,
    )
    assert result.returncode in (0, 1), result.stderr
    return "" if result.returncode == 0 else result.stdout


def _prove(
    code_path: Path, expected: Database, pg_server: str, *, order_matters: bool = True
) -> dict[str, object]:
    assert ruff_problems(code_path) == []
    # SM rules judge table models; a schema of keyless tables only has sa.Table objects.
    if code_path.is_file() and "table=True" in code_path.read_text():
        assert sqlmodel_findings(code_path) == ""
    rebuilt, report = rebuild(code_path, pg_server)
    differences = [d for d in compare(expected, rebuilt) if order_matters or not d.order_only]
    assert differences == [], "\n".join(map(str, differences[:40]))
    return report


@pytest.mark.corpus
@pytest.mark.parametrize("name", sorted(CORPUS_SCHEMAS))
def test_corpus_models_rebuild_the_schema(name: str, pg_server: str, pg_major: int, tmp_path: Path) -> None:
    database = _load_corpus(name, pg_server, pg_major)
    code = render(database, source=f"{name}.sql")
    assert render(database, source=f"{name}.sql") == code  # deterministic
    path = tmp_path / f"{name}_models.py"
    path.write_text(code)
    report = _prove(path, database, pg_server)
    keyed = [t for t in database.tables if t.primary_key is not None and t.partition_of is None]
    assert len(report["mappers"]) == len(keyed)  # type: ignore[arg-type]


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["chinook", "pagila"])
def test_corpus_split_package_rebuilds_the_schema(
    name: str, pg_server: str, pg_major: int, tmp_path: Path
) -> None:
    database = _load_corpus(name, pg_server, pg_major)
    package = tmp_path / f"{name}_models"
    package.mkdir()
    for file, text in render_package(database, source=f"{name}.sql").items():
        (package / file).write_text(text)
    _prove(package, database, pg_server)


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["chinook", "synapse"])
def test_corpus_variants_rebuild_the_schema(name: str, pg_server: str, pg_major: int, tmp_path: Path) -> None:
    """With --variants the columns of XBase come first, so only column order may differ."""
    database = _load_corpus(name, pg_server, pg_major)
    path = tmp_path / f"{name}_variants.py"
    path.write_text(render(database, source=f"{name}.sql", variants=True))
    _prove(path, database, pg_server, order_matters=False)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_design_examples_rebuild_the_schema(name: str, pg_server: str, tmp_path: Path) -> None:
    design = load(str(example_path(name)), LoadOptions(scratch_url=pg_server))
    path = tmp_path / f"{name}_models.py"
    path.write_text(render(design, source="--example"))
    _prove(path, canonical(design, pg_server), pg_server)
    variants = tmp_path / f"{name}_variants.py"
    variants.write_text(render(design, source="--example", variants=True))
    _prove(variants, canonical(design, pg_server), pg_server, order_matters=False)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(database=databases())
def test_awkward_identifiers_round_trip(
    database: Database, pg_server: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("awkward") / "awkward_models.py"
    path.write_text(render(database))
    _prove(path, database, pg_server)
