"""An ERD as one self-contained HTML page: the SVG, its schema facts as JSON, and the page's own
CSS and JavaScript inlined (``page.html``, ``page.css``, ``page.js`` next to this module).

No network: no CDN, no web fonts, not even a favicon request. The page offers pan and zoom
(wheel, drag, fit), search by table or column, a side panel with a clicked table's columns,
indexes, constraints and neighbours (highlighted in the diagram), light and dark themes, and
lint badges when findings are given. The page never calls pgshape: it is plain files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

from pgshape.model import Database
from pgshape.render.erd_common import ErdOptions, build_erd
from pgshape.render.html_erd.data import badges, findings_by_table, page_data
from pgshape.render.svg import build_diagram, escape, render_diagram

if TYPE_CHECKING:
    from pgshape.lint.core import Finding

_MARKER = re.compile(r"<!--PGSHAPE:([A-Z]+)-->")


@cache
def _asset(name: str) -> str:
    return files(__package__).joinpath(name).read_text(encoding="utf-8")


def _json_for_script(value: object) -> str:
    """JSON that cannot end the ``<script>`` element it sits in (``</script>``, ``<!--``)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_html(
    database: Database,
    options: ErdOptions | None = None,
    findings: Iterable[Finding] | None = None,
    *,
    title: str | None = None,
) -> str:
    """The page as text. ``findings`` (from ``pgshape lint``) add badges and a findings list."""
    erd = build_erd(database, options or ErdOptions())
    grouped = findings_by_table(findings or (), (t.key for t in erd.tables))
    diagram = build_diagram(erd, frozenset(grouped))
    svg = render_diagram(diagram, badges=badges(grouped))
    tables, edges = len(diagram.boxes), len(diagram.layout.routes)
    summary = f"{tables} table{'s' if tables != 1 else ''}, {edges} relationship{'s' if edges != 1 else ''}"
    count = sum(len(items) for items in grouped.values())
    if findings is not None:
        summary += f", {count} finding{'s' if count != 1 else ''}"
    parts = {
        "TITLE": escape(title or "ERD"),
        "SUMMARY": escape(summary),
        "CSS": _asset("page.css"),
        "SVG": svg,
        "DATA": _json_for_script(page_data(diagram, grouped)),
        "JS": _asset("page.js"),
    }
    # One pass, so that text inserted for one marker is never scanned for another.
    return _MARKER.sub(lambda match: parts[match.group(1)], _asset("page.html"))


render = render_html
