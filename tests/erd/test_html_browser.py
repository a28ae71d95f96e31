"""The HTML ERD page in headless Chromium, for every loadable corpus schema: it loads with no
console errors and no network request, search finds tables and columns, clicking a table shows
its columns and highlights its neighbours, the theme toggle switches colours, pan/zoom work."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import psycopg
import pytest
from svg_geometry import CORPUS_SCHEMAS, corpus_database, unavailable

from browser import _browser, browser_page  # noqa: F401  (pytest fixtures)
from conftest import CORPUS
from pgshape.model import Database
from pgshape.render.erd_common import build_erd
from pgshape.render.html_erd import render_html

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not present"),
]


@pytest.fixture(scope="session")
def extensions(pg_server: str) -> frozenset[str]:
    with psycopg.connect(pg_server) as conn:
        return frozenset(row[0] for row in conn.execute("select name from pg_available_extensions"))


def open_page(page: Any, html: str, tmp_path: Path) -> list[str]:
    """Open ``html`` as a file; every other request is blocked and recorded."""
    path = tmp_path / "erd.html"
    path.write_text(html, encoding="utf-8")
    url = path.as_uri()
    requests: list[str] = []

    def handle(route: Any) -> None:
        if route.request.url == url:
            route.continue_()
        else:
            requests.append(route.request.url)
            route.abort()

    page.route("**/*", handle)
    page.on("request", lambda request: requests.append(request.url) if request.url != url else None)
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(url)
    page.wait_for_function("() => window.pgshapeErd !== undefined")
    return requests


def _qualified(key: tuple[str, str]) -> str:
    return f"{key[0]}.{key[1]}"


def search_and_choose(page: Any, text: str) -> list[dict[str, str]]:
    page.fill("#search", "")
    page.type("#search", text)
    options = page.eval_on_selector_all(
        "#results li[role=option]",
        "els => els.map(e => ({table: e.dataset.table, column: e.dataset.column}))",
    )
    page.press("#search", "Enter")
    return options


def check_page(page: Any, database: Database, tmp_path: Path) -> None:
    erd = build_erd(database)
    requests = open_page(page, render_html(database, title="test"), tmp_path)

    names = {_qualified(t.key) for t in erd.tables}
    neighbours: dict[str, set[str]] = {name: set() for name in names}
    for r in erd.relationships:
        if r.child != r.parent:
            neighbours[_qualified(r.child)].add(_qualified(r.parent))
            neighbours[_qualified(r.parent)].add(_qualified(r.child))
    assert page.eval_on_selector_all("g.erd-table", "els => els.length") == len(names)

    # Search a table by name: the best-connected one (ties by name), to see neighbours light up.
    target = min(names, key=lambda n: (-len(neighbours[n]), n))
    bare = target.split(".", 1)[1]
    options = search_and_choose(page, bare)
    assert options and options[0]["column"] == ""
    assert page.evaluate("window.pgshapeErd.selected()") == target
    assert (
        page.get_attribute(f'g.erd-table[data-table="{target}"]', "class").split().count("erd-selected") == 1
    )
    assert page.text_content("#panel-title") == target
    assert page.is_visible("#panel")
    highlighted = set(page.eval_on_selector_all("g.erd-neighbour", "els => els.map(e => e.dataset.table)"))
    assert highlighted == neighbours[target]
    table = database.table(*target.split(".", 1))
    assert table is not None
    panel_columns = page.eval_on_selector_all("#panel-columns tr", "els => els.map(e => e.dataset.column)")
    assert panel_columns == list(table.column_names)
    # The focused table is in view and large enough to read.
    assert page.evaluate("window.pgshapeErd.view().scale") >= 0.5

    # Search a column that exists in one table only: its table is found and selected.
    owners = Counter(c.name for t in erd.tables for c in t.table.columns)
    column, owner = min(
        (c.name, _qualified(t.key)) for t in erd.tables for c in t.table.columns if owners[c.name] == 1
    )
    options = search_and_choose(page, column)
    assert {
        "table": page.evaluate(f"document.querySelector('g[data-table=\"{owner}\"]').id"),
        "column": column,
    } in [{"table": o["table"], "column": o["column"]} for o in options]
    assert page.evaluate("window.pgshapeErd.selected()") in {owner} | {
        # Another table's column may rank first when its name starts with the same text.
        _qualified(t.key)
        for t in erd.tables
        if any(c.name.startswith(column) for c in t.table.columns)
    }
    first = options[0]
    if first["column"] == column:
        assert page.evaluate("window.pgshapeErd.selected()") == owner
        assert page.get_attribute(f'#panel-columns tr[data-column="{column}"]', "class") == "hit"

    # Clicking on the background clears; clicking a table selects it and shows its columns.
    page.click("#fit")
    page.keyboard.press("Escape")
    assert page.evaluate("window.pgshapeErd.selected()") is None
    other = min(names, key=lambda n: (-len(neighbours[n]), n != target, n))
    page.evaluate(f"window.pgshapeErd.select({other!r})")
    page.keyboard.press("Escape")
    page.locator(f'g.erd-table[data-table="{other}"] .erd-header').click()
    assert page.evaluate("window.pgshapeErd.selected()") == other
    assert page.text_content("#panel-title") == other
    highlighted = set(page.eval_on_selector_all("g.erd-neighbour", "els => els.map(e => e.dataset.table)"))
    assert highlighted == neighbours[other]
    hot_edges = page.eval_on_selector_all(
        "g.erd-edge.erd-hot", "els => els.map(e => [e.dataset.from, e.dataset.to])"
    )
    assert hot_edges and all(other in pair for pair in hot_edges)

    # Theme toggle: the page and the diagram change colours.
    def colours() -> tuple[str, str]:
        return page.evaluate(
            "() => [getComputedStyle(document.body).backgroundColor,"
            " getComputedStyle(document.querySelector('.erd-box')).fill]"
        )

    before_theme, before = page.evaluate("window.pgshapeErd.theme()"), colours()
    page.click("#theme")
    after_theme, after = page.evaluate("window.pgshapeErd.theme()"), colours()
    assert {before_theme, after_theme} == {"light", "dark"}
    assert before[0] != after[0] and before[1] != after[1]
    page.click("#theme")
    assert colours() == before

    # Pan and zoom.
    page.click("#fit")
    fitted = page.evaluate("window.pgshapeErd.view()")
    box = page.locator("#viewport").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -400)
    zoomed = page.evaluate("window.pgshapeErd.view()")
    assert zoomed["scale"] > fitted["scale"]
    page.mouse.move(box["x"] + 50, box["y"] + 50)
    page.mouse.down()
    page.mouse.move(box["x"] + 250, box["y"] + 150, steps=5)
    page.mouse.up()
    panned = page.evaluate("window.pgshapeErd.view()")
    assert panned["x"] < zoomed["x"] and panned["y"] < zoomed["y"]
    page.click("#fit")
    assert page.evaluate("window.pgshapeErd.view()") == fitted

    assert page.console_errors == []
    assert requests == []


@pytest.mark.parametrize("name", CORPUS_SCHEMAS)
def test_corpus_html_page(
    name: str,
    browser_page: Any,  # noqa: F811
    pg_server: str,
    pg_major: int,
    extensions: frozenset[str],
    tmp_path: Path,
) -> None:
    database = corpus_database(name, pg_server, pg_major, extensions)
    if database is None:
        pytest.skip(unavailable(name, pg_major, extensions) or "")
    check_page(browser_page, database, tmp_path)


def _rgb(colour: str) -> str:
    return "rgb({}, {}, {})".format(*(int(colour[i : i + 2], 16) for i in (1, 3, 5)))


def test_findings_hostile_comments_and_colour_scheme(browser_page: Any, tmp_path: Path) -> None:  # noqa: F811
    from test_html import FINDINGS, HOSTILE, database

    from pgshape.render.svg_style import PALETTES

    page = browser_page
    page.emulate_media(color_scheme="dark")
    requests = open_page(page, render_html(database(), findings=FINDINGS), tmp_path)
    assert page.evaluate("window.hacked") is None  # the comment did not end the JSON script
    box_fill = "() => getComputedStyle(document.querySelector('.erd-box')).fill"
    # The system preference decides until the user toggles.
    assert page.evaluate("window.pgshapeErd.theme()") == "dark"
    assert page.evaluate(box_fill) == _rgb(PALETTES["dark"]["box"])
    assert page.eval_on_selector_all("g.erd-badge", "els => els.map(e => e.dataset.count)") == ["2", "1"]

    page.evaluate("window.pgshapeErd.select('public.post')")
    findings = page.eval_on_selector_all("#panel-findings li", "els => els.map(e => e.textContent)")
    assert len(findings) == 2 and "FK001" in findings[0] and "TS001" in findings[1]
    page.evaluate("window.pgshapeErd.select('public.author')")
    assert page.text_content("#panel .comment") == HOSTILE
    assert page.eval_on_selector_all("#panel-findings li", "els => els.length") == 0

    page.click("#theme")
    assert page.evaluate("window.pgshapeErd.theme()") == "light"
    assert page.evaluate(box_fill) == _rgb(PALETTES["light"]["box"])
    assert page.console_errors == []
    assert requests == []


def test_empty_and_tiny_models_load_cleanly(browser_page: Any, tmp_path: Path) -> None:  # noqa: F811
    from pgshape.model import Table

    page = browser_page
    requests = open_page(page, render_html(Database()), tmp_path)
    assert page.eval_on_selector_all("g.erd-table", "els => els.length") == 0
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "search"
    page.type("#search", "nothing")
    assert page.text_content("#results") == "No table or column matches"
    page.press("#search", "Enter")
    assert page.evaluate("window.pgshapeErd.selected()") is None

    lonely = Database(tables=(Table("public", "lonely"),))  # no columns at all
    requests += open_page(page, render_html(lonely), tmp_path)
    page.locator('g.erd-table[data-table="public.lonely"] .erd-header').click()
    assert page.evaluate("window.pgshapeErd.selected()") == "public.lonely"
    assert page.eval_on_selector_all("#panel-columns tr", "els => els.length") == 0
    assert page.console_errors == []
    assert requests == []
