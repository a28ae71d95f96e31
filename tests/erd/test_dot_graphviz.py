"""DOT output drawn by Graphviz itself, where ``dot`` is installed (pgshape never needs it).

Graphviz is stricter than pydot: it parses the HTML-like labels, resolves the ports edges attach
to and knows the arrow shapes. Any warning on stderr fails the test. Without Graphviz
(``apt-get install --no-install-recommends graphviz``) these tests are skipped and the pydot
checks of test_dot.py stand alone.
"""

from __future__ import annotations

import html
import shutil
import subprocess

import pytest
from erd_corpus import SCHEMAS, corpus_database
from hypothesis import HealthCheck, given, settings

from conftest import CORPUS
from pgshape.model import Database
from pgshape.render import dot
from pgshape.render.erd_common import ErdOptions, build_erd
from pgshape.render.erd_select import group_by_schema
from strategies import databases

FULL = ErdOptions(show_nullability=True, show_defaults=True, show_enum_values=True, collapse_links=True)


def _graphviz() -> str:
    command = shutil.which("dot")
    if command is None:
        pytest.skip("Graphviz is not installed (apt-get install --no-install-recommends graphviz)")
    return command


def draw(text: str) -> str:
    """The SVG Graphviz draws; AssertionError on an error or any warning."""
    result = subprocess.run([_graphviz(), "-Tsvg"], input=text, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and not result.stderr.strip(), f"Graphviz: {result.stderr.strip()[:2000]}"
    return result.stdout


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not present")
@pytest.mark.parametrize("name", SCHEMAS)
def test_graphviz_draws_every_corpus_diagram(name: str, pg_server: str, pg_major: int) -> None:
    _graphviz()
    database = corpus_database(name, pg_server, pg_major)
    keys = [t.key for t in database.tables if not t.is_partition]
    svg = draw(dot.render(database, FULL, group_by_schema(keys)))
    # Graphviz titles each node group with its id: every drawn table (link tables collapsed) is there.
    drawn = [t.key for t in build_erd(database, FULL).tables]
    assert len(drawn) > 5
    for schema, table in drawn:
        title = html.escape(f"{schema}.{table}", quote=False).replace("-", "&#45;")
        assert f"<title>{title}</title>" in svg, (schema, table)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(databases())
def test_graphviz_draws_awkward_identifiers(database: Database) -> None:
    draw(dot.render(database, FULL))
