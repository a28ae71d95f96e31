"""Take the screenshot of the interactive HTML ERD shown in the README (headless Chromium).

    .venv/bin/python scripts/screenshot.py ../shared/corpus/schemas/pagila.sql --select public.film --lint
    .venv/bin/python scripts/screenshot.py                      # the bundled blog example

The page is rendered by pgshape, opened from a file in the system Chromium (``/usr/bin/chromium``
or ``PGSHAPE_CHROMIUM``) through the Python ``playwright`` package with every network request
blocked, one table is selected (neighbours highlighted, side panel open) and the window is
saved as PNG.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from pgshape.render.erd_common import ErdOptions
from pgshape.render.html_erd import render_html
from pgshape.sources.load import LoadOptions, load

ROOT = Path(__file__).resolve().parents[1]
BLOG = ROOT / "src" / "pgshape" / "examples" / "blog.sql"


def _findings(source: str, database: object) -> list[object]:
    from pgshape.lint.config import LintConfig
    from pgshape.lint.core import LintContext
    from pgshape.lint.engine import lint

    context = LintContext(database=database, config=LintConfig(), source_kind="sql")  # type: ignore[arg-type]
    return list(lint(context).findings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "source", nargs="?", default=str(BLOG), help="any pgshape SOURCE (default: blog example)"
    )
    parser.add_argument("-o", "--output", default=str(ROOT / "docs" / "images" / "erd-html.png"))
    parser.add_argument("--select", help="table to select (schema.name); default: the best connected")
    parser.add_argument("--theme", choices=("light", "dark"), default="light")
    parser.add_argument("--lint", action="store_true", help="run pgshape's review rules for the badges")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=860)
    args = parser.parse_args(argv)

    database = load(
        args.source, LoadOptions(warn=lambda message: print(f"warning: {message}", file=sys.stderr))
    )
    findings = _findings(args.source, database) if args.lint else None
    html = render_html(database, ErdOptions(), findings, title=Path(args.source).stem)  # type: ignore[arg-type]

    from playwright.sync_api import sync_playwright

    chromium = (
        os.environ.get("PGSHAPE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    if not chromium:
        print(
            "error: Chromium not found (apt-get install chromium, or set PGSHAPE_CHROMIUM)", file=sys.stderr
        )
        return 2
    with tempfile.TemporaryDirectory() as directory, sync_playwright() as playwright:
        page_file = Path(directory) / "erd.html"
        page_file.write_text(html, encoding="utf-8")
        url = page_file.as_uri()
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": args.width, "height": args.height}, device_scale_factor=1)
        blocked: list[str] = []
        page.route("**/*", lambda route: route.continue_() if route.request.url == url else (
            blocked.append(route.request.url), route.abort()))  # fmt: skip
        page.goto(url)
        page.wait_for_function("() => window.pgshapeErd !== undefined")
        if args.theme == "dark":
            page.click("#theme")
        name = args.select or page.evaluate(
            """() => { const counts = {};
                document.querySelectorAll('g.erd-edge').forEach(e => {
                  counts[e.dataset.from] = (counts[e.dataset.from] || 0) + 1;
                  counts[e.dataset.to] = (counts[e.dataset.to] || 0) + 1; });
                return Object.keys(counts).sort((a, b) => counts[b] - counts[a] || (a < b ? -1 : 1))[0]; }"""
        )
        if name and page.evaluate("name => window.pgshapeErd.select(name, false)", name) is None:
            print(f"error: no table {name} in the diagram", file=sys.stderr)
            return 2
        page.evaluate("() => window.pgshapeErd.fit()")
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=args.output)
        browser.close()
        if blocked:
            print(f"error: the page tried to load {blocked}", file=sys.stderr)
            return 1
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
