"""``pgshape docs``: the Markdown data dictionary, on every loadable corpus schema.

Every table gets a page, every relative link resolves to a file that exists, every column and
foreign key of the model is on the pages (both directions, linked), and every Mermaid block
parses with the real Mermaid (headless Chromium; the index diagram is also rendered).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from erd_corpus import SCHEMAS, corpus  # noqa: F401
from hypothesis import HealthCheck, given, settings

from browser import _browser, browser_page, mermaid  # noqa: F401
from conftest import CORPUS
from pgshape.cli.main import main
from pgshape.model import Column, Database, ForeignKey, PrimaryKey, Table
from pgshape.render.markdown_docs import render_docs, table_file
from strategies import databases

LINK = re.compile(r"\]\(([^)\s]+)\)")
MERMAID_BLOCK = re.compile(r"^(`{3,})mermaid\n(.*?)^\1$", re.MULTILINE | re.DOTALL)


def _write(pages: dict[str, str], root: Path) -> None:
    for relative, text in pages.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")


def _check_links(root: Path) -> int:
    count = 0
    for page in root.rglob("*.md"):
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            assert "://" not in target, f"{page}: absolute link {target}"
            resolved = (page.parent / unquote(target)).resolve()
            assert resolved.is_file(), f"{page.relative_to(root)}: broken link {target}"
            assert root.resolve() in resolved.parents
            count += 1
    return count


def _column_names(page: str) -> list[str]:
    section = page.split("## Columns\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| #")]
    # second cell; the page escapes Markdown characters with a backslash and bolds PK columns
    names = [row.split(" | ")[1] for row in rows]
    return [re.sub(r"\\(.)", r"\1", n.removeprefix("**").removesuffix("**")) for n in names]


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not present")
@pytest.mark.parametrize("corpus", SCHEMAS, indirect=True)
def test_corpus_docs(corpus: Database, tmp_path: Path, mermaid: Any) -> None:  # noqa: F811
    pages = render_docs(corpus)
    _write(pages, tmp_path)
    assert set(pages) == {"index.md"} | {table_file(t.key) for t in corpus.tables}
    assert _check_links(tmp_path) >= len(corpus.tables)
    index = pages["index.md"]
    for table in corpus.tables:
        page = pages[table_file(table.key)]
        assert f"]({table_file(table.key)})" in index
        assert _column_names(page) == list(table.column_names), table.key
        for fk in table.foreign_keys:
            parent = corpus.table(*fk.referenced)
            assert parent is not None
            link_to_parent = f"]({table_file(fk.referenced).removeprefix('tables/')})"
            assert f"`{fk.name}`" in page and link_to_parent in page
            referenced_by = pages[table_file(fk.referenced)].split("## Referenced by\n", 1)[1]
            assert f"]({table_file(table.key).removeprefix('tables/')})" in referenced_by.split("\n## ")[0]
        for index_ in table.indexes:
            assert index_.name in page
        for trigger in table.triggers:
            assert trigger.name in page
        for policy in table.policies:
            assert policy.name in page
    blocks = {path: MERMAID_BLOCK.findall(text) for path, text in pages.items()}
    assert all(len(found) == 1 for found in blocks.values()), "one Mermaid diagram per page"
    mermaid.check(blocks["index.md"][0][1])  # parsed and rendered
    for path, ((_, diagram),) in blocks.items():
        try:
            mermaid.parse(diagram)
        except AssertionError as error:
            raise AssertionError(f"{path}: {error}") from None


def test_awkward_names_get_distinct_files_and_working_links(tmp_path: Path) -> None:
    parent = Table("a.b", "c", (Column("id", "bigint", nullable=False),), PrimaryKey("p1", ("id",)))
    other = Table("a", "b.c", (Column("id", "bigint", nullable=False),), PrimaryKey("p2", ("id",)))
    child = Table(
        "public",
        "ü/%|x",
        (Column("id", "bigint", nullable=False), Column("p", "bigint")),
        PrimaryKey("p3", ("id",)),
        (ForeignKey("f|k", ("p",), "a.b", "c", ("id",)),),
        comment="line one\nline | two",
    )
    pages = render_docs(Database(tables=(parent, other, child)))
    assert len(pages) == 4  # "a.b"."c" and "a"."b.c" do not share a page
    _write(pages, tmp_path)
    assert _check_links(tmp_path) >= 5
    page = pages[table_file(child.key)]
    assert "line one<br>line \\| two" in page
    assert "`f\\|k`" in page


def test_docs_cli_refuses_non_empty_directory_and_replaces_with_force(
    pg_server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "blog.json"
    assert main(["dump", "--example", "blog", "-o", str(source)]) == 0
    out = tmp_path / "docs"
    assert main(["docs", str(source), "-o", str(out)]) == 0
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md"))
    assert "index.md" in written and "tables/public.post.md" in written and len(written) == 6
    stray = out / "stray.txt"
    stray.write_text("keep me unless forced")
    capsys.readouterr()
    assert main(["docs", str(source), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "--force" in err and len(err.strip().splitlines()) == 1
    assert stray.exists()
    assert main(["docs", str(source), "-o", str(out), "--force"]) == 0
    assert not stray.exists()  # the directory is replaced, not merged
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md")) == written
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp dirs left
    # A file where the directory should be is refused.
    clash = tmp_path / "file"
    clash.write_text("x")
    assert main(["docs", str(source), "-o", str(clash)]) == 2


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(database=databases())
def test_generated_schemas_get_a_page_per_table_and_no_broken_link(
    database: Database, tmp_path: Path
) -> None:
    pages = render_docs(database)
    assert len(pages) == len(database.tables) + 1
    root = tmp_path / f"d{len(list(tmp_path.iterdir()))}"
    _write(pages, root)
    assert len(list((root / "tables").glob("*.md")) if database.tables else []) == len(database.tables)
    _check_links(root)
    for table in database.tables:
        assert _column_names(pages[table_file(table.key)]) == list(table.column_names)
