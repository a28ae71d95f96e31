"""The HTML page as text: self-contained (no URL to fetch), the embedded JSON cannot break out of
its script element, findings become badges, deterministic output."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from svg_geometry import SVG

from pgshape.lint.core import Finding, Severity
from pgshape.model import Column, Database, ForeignKey, PrimaryKey, Table
from pgshape.render.html_erd import render_html

HOSTILE = '</script><script>window.hacked = 1</script><!-- & "quotes" \u2028'


def database() -> Database:
    columns = (Column("id", "bigint", False), Column("name", "text", comment=HOSTILE))
    author = Table("public", "author", columns, PrimaryKey("author_pkey", ("id",)), comment=HOSTILE)
    post = Table("public", "post", (Column("id", "bigint", False), Column("author_id", "bigint", False)),
                 PrimaryKey("post_pkey", ("id",)),
                 foreign_keys=(ForeignKey("post_author_id_fkey", ("author_id",), "public", "author",
                                          ("id",)),))  # fmt: skip
    tag = Table("public", "tag", (Column("id", "bigint", False),), PrimaryKey("tag_pkey", ("id",)))
    return Database(tables=(author, post, tag))


FINDINGS = [
    Finding("FK001", "unindexed-foreign-key", Severity.ERROR, "public.post.author_id", "no index"),
    Finding("TS001", "missing-created-at", Severity.WARNING, "public.post", "no created_at"),
    Finding("DOC001", "missing-table-comment", Severity.INFO, "public.tag", "no comment"),
    Finding("X", "elsewhere", Severity.ERROR, "public.nowhere", "not a drawn table"),
]


def _data(html: str) -> dict:  # type: ignore[type-arg]
    match = re.search(r'<script type="application/json" id="pgshape-data">(.*?)</script>', html, re.S)
    assert match is not None
    return json.loads(match.group(1))


def _svg(html: str) -> ET.Element:
    return ET.fromstring(html[html.index("<svg") : html.index("</svg>") + len("</svg>")])


def test_page_is_self_contained() -> None:
    html = render_html(database(), findings=FINDINGS)
    urls = set(re.findall(r"[a-z]+://[^\s\"'<>)]*", html))
    assert urls == {"http://www.w3.org/2000/svg"}  # the SVG namespace name, never fetched
    assert not re.search(
        r"<(link|img|iframe|object|embed|audio|video|source)\b[^>]*\b(src|href)=\"(?!data:)", html
    )
    assert "@import" not in html and "url(" not in html and "fetch(" not in html
    assert "XMLHttpRequest" not in html and "import(" not in html


def test_embedded_json_cannot_end_its_script() -> None:
    html = render_html(database())
    assert html.count("<script") == 2 and html.count("</script>") == 2
    data = _data(html)
    author = next(t for t in data["tables"].values() if t["name"] == "public.author")
    assert author["comment"] == HOSTILE
    assert author["columns"][1]["comment"] == HOSTILE
    assert [c["name"] for c in author["columns"]] == ["id", "name"]


def test_findings_become_badges_and_panel_entries() -> None:
    html = render_html(database(), findings=FINDINGS)
    svg = _svg(html)
    badges = {
        g.get("data-table"): next(b for b in g.iter(f"{SVG}g") if "erd-badge" in (b.get("class") or ""))
        for g in svg.iter(f"{SVG}g")
        if "erd-table" in (g.get("class") or "").split()
        and any("erd-badge" in (b.get("class") or "") for b in g.iter(f"{SVG}g"))
    }
    assert set(badges) == {"public.post", "public.tag"}
    assert (badges["public.post"].get("data-count"), badges["public.post"].get("data-severity")) == (
        "2",
        "error",
    )
    assert (badges["public.tag"].get("data-count"), badges["public.tag"].get("data-severity")) == (
        "1",
        "info",
    )
    data = _data(html)
    post = next(t for t in data["tables"].values() if t["name"] == "public.post")
    assert [f["code"] for f in post["findings"]] == ["FK001", "TS001"]  # most severe first
    assert "3 findings" in html  # the one on an undrawn table is not counted
    assert 'class="erd-badge' not in render_html(database())


def test_neighbours_and_deterministic_output() -> None:
    html = render_html(database(), findings=FINDINGS)
    assert render_html(database(), findings=list(reversed(FINDINGS))) == html
    data = _data(html)["tables"]
    by_name = {t["name"]: (key, t) for key, t in data.items()}
    post_id, post = by_name["public.post"]
    author_id, author = by_name["public.author"]
    assert post["neighbours"] == [author_id] and author["neighbours"] == [post_id]
    assert by_name["public.tag"][1]["neighbours"] == []
    assert post["references"][0]["table"] == author_id and post["references"][0]["columns"] == ["author_id"]
    kinds = [c["kind"] for c in post["constraints"]]
    assert kinds == ["PRIMARY KEY", "FOREIGN KEY"]
