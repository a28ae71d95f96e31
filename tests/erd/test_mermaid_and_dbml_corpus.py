"""Every loadable corpus schema as Mermaid and DBML, checked with the real parsers.

Mermaid: accepted by ``mermaid.parse`` and rendered to an SVG by ``mermaid.render`` in headless
Chromium (pinned npm package); read back by pgshape's Mermaid source with the same tables,
columns, types, key markers and references. DBML: read by ``@dbml/core`` (pinned, in node) with
the same tables and references, and DBML → IR → DBML gives the same text.

Loadable: chinook and synapse everywhere, pagila on PostgreSQL 18 (VIRTUAL columns), danbooru
where pgcrypto exists (Debian's PostgreSQL 15); see ../shared/corpus/README.md.
"""

from __future__ import annotations

import html
from typing import Any

import pytest
from erd_corpus import SCHEMAS, corpus  # noqa: F401

from browser import _browser, browser_page, dbml_parse, mermaid  # noqa: F401
from conftest import CORPUS
from pgshape.model import Database, Table
from pgshape.render import dbml as dbml_render
from pgshape.render import mermaid as mermaid_render
from pgshape.render.erd_common import ErdOptions, build_erd, column_markers
from pgshape.sources import dbml as dbml_source
from pgshape.sources import mermaid as mermaid_source

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not present"),
]


def _mermaid_markers(table: Table) -> dict[str, tuple[str, ...]]:
    """The markers Mermaid can carry: UK only for single-column unique keys."""
    singles = mermaid_render.single_unique_columns(table)
    return {
        name: tuple(m for m in marks if m != "UK" or name in singles)
        for name, marks in column_markers(table).items()
    }


def _references(db: Database, keys: set[tuple[str, str]]) -> set[tuple[Any, ...]]:
    return {
        (t.key, fk.columns, fk.referenced)
        for t in db.tables
        if t.key in keys
        for fk in t.foreign_keys
        if fk.referenced in keys
    }


@pytest.mark.parametrize("corpus", SCHEMAS, indirect=True)
def test_mermaid_parses_renders_and_reads_back(corpus: Database, mermaid: Any) -> None:  # noqa: F811
    erd = build_erd(corpus)
    assert len(erd.tables) > 5
    text = mermaid_render.render(corpus)
    svg = mermaid.check(text)
    for table in erd.tables:
        shown = mermaid_render.display_name(*table.key)
        assert html.escape(shown, quote=False) in svg or shown in svg, shown

    back = mermaid_source.loads(text)
    keys = {t.key for t in erd.tables}
    assert {t.key for t in back.tables} == keys
    for table in erd.tables:
        again = back.table(*table.key)
        assert again is not None
        original = table.table
        assert again.column_names == original.column_names
        assert [c.type for c in again.columns] == [c.type for c in original.columns]
        assert _mermaid_markers(again) == _mermaid_markers(original), table.key
    assert _references(back, keys) == _references(corpus, keys)
    # Stable: Mermaid → IR → Mermaid gives the text back.
    assert mermaid_render.render(back) == text


@pytest.mark.parametrize("corpus", SCHEMAS, indirect=True)
def test_mermaid_with_every_option_parses(corpus: Database, mermaid: Any) -> None:  # noqa: F811
    full = ErdOptions(show_nullability=True, show_defaults=True, show_enum_values=True, collapse_links=True)
    for options in (full, ErdOptions(columns="keys", show_types=False), ErdOptions(columns="none")):
        mermaid.check(mermaid_render.render(corpus, options))
    text = mermaid_render.render(corpus, full)
    assert mermaid_render.render(mermaid_source.loads(text), full) == text


@pytest.mark.parametrize("corpus", SCHEMAS, indirect=True)
def test_dbml_parses_back_with_dbml_core(corpus: Database) -> None:  # noqa: F811
    erd = build_erd(corpus)
    text = dbml_render.render(corpus)
    parsed = dbml_parse(text)
    tables = {(t["schema"], t["name"]) for t in parsed["tables"]}
    assert tables == {t.key for t in erd.tables}
    for table in parsed["tables"]:
        original = corpus.table(table["schema"], table["name"])
        assert original is not None
        assert [f["name"] for f in table["fields"]] == list(original.column_names)
    refs = set()
    for endpoints in parsed["refs"]:
        child, parent = endpoints
        refs.add(
            ((child["schema"], child["table"]), tuple(child["fields"]), (parent["schema"], parent["table"]))
        )
    assert len(parsed["refs"]) == len(erd.relationships)
    assert refs == {(r.child, r.columns, r.parent) for r in erd.relationships}
    assert {(e["schema"], e["name"]) for e in parsed["enums"]} == {e.key for e in corpus.enums}


@pytest.mark.parametrize("corpus", SCHEMAS, indirect=True)
def test_dbml_round_trip_is_stable(corpus: Database) -> None:  # noqa: F811
    text = dbml_render.render(corpus)
    back = dbml_source.loads(text)
    assert {t.key for t in back.tables} == {t.key for t in build_erd(corpus).tables}
    assert dbml_render.render(back) == text
