"""`pgshape dump --format yaml`: any model → a design file that loads back to the same model.

Checked on every corpus schema that loads on the test server (SQL → IR → design file → IR′,
IR′ normalised by the server, zero differences), on the renderer's sample models and on
hypothesis-generated models with awkward identifiers (no server needed: the dumped file holds
PostgreSQL's own spellings, so the reloaded model must be equal as it is).
"""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from conftest import CORPUS
from pgshape.cli.main import main
from pgshape.model import Database
from pgshape.model.compare import compare
from pgshape.pg.normalize import normalize
from pgshape.render.design_yaml import render
from pgshape.sources.design_file import load_text
from pgshape.sources.load import LoadOptions, load
from render.sample_models import full_database
from strategies import databases


def _round_trip(database: Database) -> Database:
    return load_text(render(database), "dumped.yaml")


def _extensions(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        return {row[0] for row in conn.execute("select name from pg_available_extensions")}


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not present")
@pytest.mark.parametrize("name", ["chinook.sql", "synapse.sql", "pagila.sql", "danbooru.sql"])
def test_corpus_survives_a_design_file(pg_server: str, pg_major: int, name: str) -> None:
    if name == "pagila.sql" and pg_major < 18:
        pytest.skip("pagila needs PostgreSQL 18 (VIRTUAL generated columns)")
    if name == "danbooru.sql" and "pgcrypto" not in _extensions(pg_server):
        pytest.skip("danbooru needs pgcrypto, which this server lacks")
    original = load(str(CORPUS / name), LoadOptions(scratch_url=pg_server))
    assert original.tables  # the corpus file really loaded
    text = render(original)
    reloaded = load_text(text, name + ".yaml")
    assert reloaded.expressions_canonical is False
    differences = compare(original, normalize(reloaded, pg_server))
    assert differences == [], [str(d) for d in differences[:20]]
    # Nothing was added by project defaults: same tables, same column counts.
    assert [len(t.columns) for t in reloaded.tables] == [len(t.columns) for t in original.tables]


@pytest.mark.parametrize("clones_listed", [False, True])
def test_sample_models_round_trip(clones_listed: bool) -> None:
    database = full_database(clones_listed)
    assert compare(database, _round_trip(database)) == []


@pytest.mark.parametrize("text", ["\x85", "a\r\nb", "x\u2028y\u2029z", "line\nnext\x85", "\rcr", " lead "])
def test_comments_with_yaml_line_breaks_survive(text: str) -> None:
    """YAML folds NEL, CR, LS and PS outside double quotes (hypothesis found "\\x85" turning
    into a space): such text is written double-quoted with escapes."""
    from pgshape.model import Column, SchemaInfo, Table

    table = Table(
        "public", "t", columns=(Column("c", "integer", nullable=False, comment=text),), comment=text
    )
    database = Database(schemas=(SchemaInfo("public"),), tables=(table,))
    assert compare(database, _round_trip(database)) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(database=databases())
def test_generated_models_round_trip(database: Database) -> None:
    assert compare(database, _round_trip(database)) == []


def test_dumped_file_is_readable_and_explicit() -> None:
    database = full_database(False)
    text = render(database)
    document = yaml.safe_load(text)
    assert text.startswith("# pgshape design file")
    assert document["version"] == 1
    project = document["project"]
    assert project["primary_key"] == "none" and project["timestamps"] is False
    assert project["index_foreign_keys"] is False
    # Every table carries its real key name; no surrogate key was invented.
    for key, table in document["tables"].items():
        if "primary_key" in table:
            assert table["primary_key"]["name"], key


def test_cli_dump_yaml_then_verify(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pg_server: str
) -> None:
    source = tmp_path / "shop.sql"
    source.write_text(
        """
        CREATE TYPE status AS ENUM ('new', 'paid');
        CREATE TABLE customer (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text UNIQUE NOT NULL
        );
        CREATE TABLE "order" (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            customer_id bigint NOT NULL REFERENCES customer ON DELETE CASCADE,
            state status NOT NULL DEFAULT 'new',
            total numeric(12,2) CHECK (total >= 0),
            placed_at timestamptz DEFAULT now()
        );
        CREATE INDEX order_customer ON "order" (customer_id, placed_at DESC) WHERE state <> 'paid';
        COMMENT ON TABLE "order" IS 'Orders (a reserved word, kept as it is)';
        """
    )
    design = tmp_path / "shop.yaml"
    assert main(["dump", str(source), "--format", "yaml", "-o", str(design)]) == 0
    capsys.readouterr()
    assert "order" in yaml.safe_load(design.read_text())["tables"]
    assert main(["verify", str(design), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["identical"] is True
    # Refuses to overwrite without --force.
    assert main(["dump", str(source), "--format", "yaml", "-o", str(design)]) == 2
