"""The SVG ERD of every loadable corpus schema: valid XML, no overlapping boxes, edges that start
and end on their tables and never cross a box, deterministic bytes, legible at 100+ tables."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import psycopg
import pytest
from benchmarks.synthetic import generate
from svg_geometry import (
    CORPUS_SCHEMAS,
    corpus_database,
    edges_through_boxes,
    misplaced_edge_ends,
    overlapping_pairs,
    parse,
    unavailable,
)

from conftest import CORPUS
from pgshape.model.serialize import to_document
from pgshape.render.erd_common import ErdOptions, build_erd
from pgshape.render.html_erd import render_html
from pgshape.render.svg import render_svg
from pgshape.sources.load import LoadOptions, load

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not present"),
]


@pytest.fixture(scope="session")
def extensions(pg_server: str) -> frozenset[str]:
    with psycopg.connect(pg_server) as conn:
        return frozenset(row[0] for row in conn.execute("select name from pg_available_extensions"))


def _database(name: str, pg_server: str, pg_major: int, extensions: frozenset[str]):  # type: ignore[no-untyped-def]
    database = corpus_database(name, pg_server, pg_major, extensions)
    if database is None:
        pytest.skip(unavailable(name, pg_major, extensions) or "")
    return database


@pytest.mark.parametrize("name", CORPUS_SCHEMAS)
@pytest.mark.parametrize("columns", ["all", "keys"])
def test_corpus_svg_geometry(
    name: str, columns: str, pg_server: str, pg_major: int, extensions: frozenset[str]
) -> None:
    database = _database(name, pg_server, pg_major, extensions)
    options = ErdOptions(columns=columns)  # type: ignore[arg-type]
    svg = render_svg(database, options)
    drawing = parse(svg)

    erd = build_erd(database, options)
    expected = {f"{t.key[0]}.{t.key[1]}" for t in erd.tables}
    assert set(drawing.boxes) == expected
    assert len(drawing.edges) == len(erd.relationships)
    assert overlapping_pairs(drawing.boxes) == []
    assert misplaced_edge_ends(drawing) == []
    assert edges_through_boxes(drawing) == []
    # Every box lies inside the canvas.
    for rect in drawing.boxes.values():
        assert rect.x >= 0 and rect.right <= drawing.width and rect.y >= 0 and rect.bottom <= drawing.height

    # Crow's-foot ends as the shared ERD facts say, edge by edge.
    ends = sorted(
        (f"{r.child[0]}.{r.child[1]}", f"{r.parent[0]}.{r.parent[1]}", r.child_end, r.parent_end)
        for r in erd.relationships
    )
    assert sorted((e.child, e.parent, e.child_end, e.parent_end) for e in drawing.edges) == ends


@pytest.mark.parametrize("name", CORPUS_SCHEMAS)
def test_corpus_svg_is_deterministic_across_processes(
    name: str, pg_server: str, pg_major: int, extensions: frozenset[str], tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """Same model → the same bytes (SVG and HTML), in this process and in others with other
    hash seeds (set and dict order must never leak into the output)."""
    database = _database(name, pg_server, pg_major, extensions)
    first = render_svg(database) + render_html(database)
    assert render_svg(database) + render_html(database) == first
    dump = tmp_path / "model.json"
    dump.write_text(json.dumps(to_document(database)))
    script = (
        "import sys; from pgshape.sources.ir_json import load; from pgshape.render.svg import render_svg;"
        "from pgshape.render.html_erd import render_html; db = load(sys.argv[1]);"
        "sys.stdout.write(render_svg(db) + render_html(db))"
    )
    for seed in ("1", "2"):
        out = subprocess.run(
            [sys.executable, "-c", script, str(dump)],
            capture_output=True,
            encoding="utf-8",
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        assert out == first


def test_synapse_is_legible(pg_server: str, pg_major: int, extensions: frozenset[str]) -> None:
    """138 tables: text stays at a readable size and the canvas is not absurdly shaped or empty."""
    database = _database("synapse", pg_server, pg_major, extensions)
    drawing = parse(render_svg(database))
    assert len(drawing.boxes) >= 100
    svg_ns = "{http://www.w3.org/2000/svg}"
    sizes = [float(drawing.root.get("font-size") or 0)]
    sizes += [float(t.get("font-size")) for t in drawing.root.iter(f"{svg_ns}text") if t.get("font-size")]
    assert min(sizes) >= 10, "text smaller than 10px is not readable at 100 % zoom"
    # The SVG is drawn 1:1 (width/height = viewBox): 100 % zoom shows text at those sizes.
    assert drawing.root.get("viewBox") == f"0 0 {drawing.root.get('width')} {drawing.root.get('height')}"
    aspect = drawing.width / drawing.height
    assert 1 / 3 <= aspect <= 3, f"canvas {drawing.width} × {drawing.height}"
    boxes_area = sum(r.width * r.height for r in drawing.boxes.values())
    assert drawing.width * drawing.height <= 4 * boxes_area, "canvas mostly empty"
    # Every row text fits inside its box (estimated with the monospace advance of 0.62 em).
    for group in drawing.root.iter(f"{svg_ns}g"):
        if "erd-table" not in (group.get("class") or "").split():
            continue
        box = drawing.boxes[group.get("data-table") or ""]
        for text in group.iter(f"{svg_ns}text"):
            size = float(text.get("font-size") or drawing.root.get("font-size") or 12)
            anchor_x = float(text.get("x") or 0)
            if text.get("text-anchor") == "middle":
                continue
            width = len(text.text or "") * 0.6 * size
            assert box.x <= anchor_x and anchor_x + width <= box.right + 0.5, (
                group.get("data-table"),
                text.text,
            )


@pytest.mark.parametrize("schemas", [1, 3])
def test_synthetic_schema_geometry(schemas: int, pg_server: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """150 generated tables (composite FKs, self-references; with 3 schemas most relationships
    cross schemas, so the diagram is laid out as one graph rather than in frames)."""
    script = tmp_path / "synthetic.sql"
    script.write_text(generate(150, seed=11, schemas=schemas))
    database = load(str(script), LoadOptions(scratch_url=pg_server))
    drawing = parse(render_svg(database))
    assert len(drawing.boxes) == 150
    assert len(drawing.edges) == sum(len(t.foreign_keys) for t in database.tables)
    assert overlapping_pairs(drawing.boxes) == []
    assert misplaced_edge_ends(drawing) == []
    assert edges_through_boxes(drawing) == []
