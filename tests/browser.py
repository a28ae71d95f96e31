"""Test helper: headless Chromium and the JavaScript parsers pgshape's diagrams are checked with.

- Chromium is the system's (``/usr/bin/chromium``, or ``PGSHAPE_CHROMIUM``), driven with the
  Python ``playwright`` package (no browser download).
- ``mermaid`` and ``@dbml/core`` are installed from the npm registry, at the versions pinned in
  ``tests/js/package.json``, once per machine into ``~/.cache/pgshape-tests/js-<hash>`` (the
  hash of package.json, so a version bump installs afresh). Two test workers share one install
  through a file lock.

When Chromium, node or npm are missing the tests that need them FAIL with a message saying what
to install — unless ``PGSHAPE_NO_BROWSER=1`` is set, which turns that into a skip (for machines
that cannot have a browser; CI must not set it).

Fixtures (import them into a test module: ``from browser import mermaid, browser_page``):

- ``browser_page``: a fresh Playwright page (session browser) that records console errors in
  ``page.console_errors`` (a list of strings);
- ``mermaid``: a :class:`MermaidChecker` whose ``check(text)`` runs ``mermaid.parse`` and
  ``mermaid.render`` in the page and returns the SVG (or raises ``AssertionError`` with
  Mermaid's message);
- ``dbml_parse(text)`` (a plain function): the tables and refs ``@dbml/core`` reads.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PACKAGE_JSON = Path(__file__).resolve().parent / "js" / "package.json"
CACHE_ROOT = Path(os.environ.get("PGSHAPE_TEST_CACHE", Path.home() / ".cache" / "pgshape-tests"))


def _unavailable(message: str) -> None:
    if os.environ.get("PGSHAPE_NO_BROWSER") == "1":
        pytest.skip(f"{message} (skipped: PGSHAPE_NO_BROWSER=1)")
    pytest.fail(f"{message}. Install it, or set PGSHAPE_NO_BROWSER=1 to skip browser tests.", pytrace=False)


def chromium_path() -> str:
    """The Chromium executable (fails or skips the test when there is none)."""
    configured = os.environ.get("PGSHAPE_CHROMIUM")
    candidates = [configured] if configured else ["chromium", "chromium-browser", "google-chrome"]
    for candidate in candidates:
        found = shutil.which(candidate) if candidate else None
        if found:
            return found
    _unavailable("Chromium is not installed (apt-get install chromium, or set PGSHAPE_CHROMIUM)")
    raise AssertionError("unreachable")


def js_modules() -> Path:
    """``node_modules`` holding the pinned packages, installed on first use."""
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            _unavailable(f"{tool} is not installed (apt-get install nodejs npm)")
    spec = PACKAGE_JSON.read_bytes()
    target = CACHE_ROOT / f"js-{hashlib.sha256(spec).hexdigest()[:12]}"
    done = target / ".installed"
    if done.exists():
        return target / "node_modules"
    target.mkdir(parents=True, exist_ok=True)
    with open(target / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other test worker waits for the same install
        if not done.exists():
            (target / "package.json").write_bytes(spec)
            result = subprocess.run(
                ["npm", "install", "--prefix", str(target), "--no-audit", "--no-fund", "--ignore-scripts"],
                capture_output=True,
                text=True,
                timeout=600,
            )
            if result.returncode != 0:
                _unavailable(f"npm install of tests/js/package.json failed: {result.stderr.strip()[-2000:]}")
            done.write_text("ok\n")
    return target / "node_modules"


# Chromium ---------------------------------------------------------------------------------


_SHARED: dict[str, Any] = {}


def shared_browser() -> Any:
    """One Chromium per test process, started on first use and closed at exit.

    A process-wide singleton rather than a session fixture: every test module imports the
    fixture, which makes one fixture definition per module, and two Playwright sync instances
    cannot live in one process (the second finds the first one's event loop running).
    """
    if "browser" not in _SHARED:
        executable = chromium_path()
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            _unavailable("the playwright Python package is missing (pip install -e '.[test]')")
        playwright = sync_playwright().start()
        _SHARED["playwright"] = playwright
        _SHARED["browser"] = playwright.chromium.launch(
            executable_path=executable, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        atexit.register(_close_shared)
    return _SHARED["browser"]


def _close_shared() -> None:
    browser = _SHARED.pop("browser", None)
    playwright = _SHARED.pop("playwright", None)
    with contextlib.suppress(Exception):
        if browser is not None:
            browser.close()
        if playwright is not None:
            playwright.stop()


@pytest.fixture(scope="session")
def _browser() -> Any:
    return shared_browser()


@pytest.fixture
def browser_page(_browser: Any) -> Iterator[Any]:
    """A blank page; ``page.console_errors`` collects console errors and uncaught exceptions."""
    context = _browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.console_errors = errors
    try:
        yield page
    finally:
        context.close()


class MermaidChecker:
    """Runs the real Mermaid (pinned npm package) in a headless Chromium page."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.count = 0

    def parse(self, text: str) -> None:
        """``mermaid.parse`` only; AssertionError with Mermaid's message when it refuses."""
        result = self.page.evaluate(
            """async (text) => {
                try { await mermaid.parse(text); return null; }
                catch (e) { return String(e && e.message || e); }
            }""",
            text,
        )
        if result is not None:
            raise AssertionError(f"mermaid.parse failed: {result}")

    def check(self, text: str) -> str:
        """``mermaid.parse`` then ``mermaid.render``: the SVG text (AssertionError on failure)."""
        self.parse(text)
        self.count += 1
        result = self.page.evaluate(
            """async ([id, text]) => {
                try { const out = await mermaid.render(id, text); return {svg: out.svg}; }
                catch (e) { return {error: String(e && e.message || e)}; }
            }""",
            [f"pgshape{self.count}", text],
        )
        if "error" in result:
            raise AssertionError(f"mermaid.render failed: {result['error']}")
        svg = result["svg"]
        if "<svg" not in svg or "Syntax error" in svg:
            raise AssertionError(f"mermaid.render produced no diagram: {svg[:300]}")
        return svg


@pytest.fixture
def mermaid(browser_page: Any) -> MermaidChecker:
    script = js_modules() / "mermaid" / "dist" / "mermaid.min.js"
    browser_page.set_content("<!doctype html><html><body></body></html>")
    browser_page.add_script_tag(path=str(script))
    browser_page.evaluate(
        "() => mermaid.initialize({startOnLoad: false, securityLevel: 'strict', "
        "er: {useMaxWidth: false}, maxTextSize: 10000000, maxEdges: 100000})"
    )
    return MermaidChecker(browser_page)


# DBML -------------------------------------------------------------------------------------

_DBML_SCRIPT = r"""
const { Parser } = require('@dbml/core');
let text = '';
process.stdin.on('data', (chunk) => { text += chunk; });
process.stdin.on('end', () => {
  try {
    const database = new Parser().parse(text, 'dbmlv2');
    const tables = [];
    const refs = [];
    const enums = [];
    for (const schema of database.schemas) {
      for (const table of schema.tables) {
        tables.push({
          schema: schema.name, name: table.name,
          fields: table.fields.map((f) => ({name: f.name, type: f.type.type_name, pk: !!f.pk,
                                            not_null: !!f.not_null, unique: !!f.unique})),
          indexes: table.indexes.length,
        });
      }
      for (const e of schema.enums) {
        enums.push({schema: schema.name, name: e.name, values: e.values.map((v) => v.name)});
      }
      for (const ref of schema.refs) {
        refs.push(ref.endpoints.map((ep) => ({
          schema: ep.schemaName || 'public', table: ep.tableName, fields: ep.fieldNames,
          relation: ep.relation,
        })));
      }
    }
    process.stdout.write(JSON.stringify({tables, refs, enums}));
  } catch (e) {
    const where = (d) => d.location && d.location.start
      ? `${d.location.start.line}:${d.location.start.column}` : '?';
    const diags = (e && e.diags)
      ? e.diags.map((d) => `${where(d)} ${d.message}`) : [String(e && e.message || e)];
    process.stdout.write(JSON.stringify({error: diags.join('; ')}));
  }
});
"""


def dbml_parse(text: str) -> dict[str, Any]:
    """What ``@dbml/core`` (pinned) reads from ``text``: ``{"tables", "refs", "enums"}``;
    AssertionError with the parser's diagnostics when it refuses the text."""
    modules = js_modules()
    result = subprocess.run(
        ["node", "-e", _DBML_SCRIPT],
        input=text,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NODE_PATH": str(modules)},
        cwd=modules.parent,
    )
    if result.returncode != 0:
        raise AssertionError(f"node failed: {result.stderr[-2000:]}")
    parsed = json.loads(result.stdout)
    if "error" in parsed:
        raise AssertionError(f"@dbml/core refused the DBML: {parsed['error']}")
    return parsed
