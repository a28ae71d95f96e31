"""``pgshape erd`` end to end: every format, every kind of SOURCE, --check, --markdown, --focus."""

from __future__ import annotations

import contextlib
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pydot
import pytest

from conftest import run_sql
from model_isolation import isolated_models
from pgshape.cli.main import main
from pgshape.render.markdown_block import BEGIN, END
from pgshape.sources.load import load

pytestmark = pytest.mark.filterwarnings("ignore:.*deprecated.*:DeprecationWarning")  # pydot's pyparsing use

BLOG_TABLES = {"app_user", "post", "comment", "tag", "post_tag"}


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def blog_json(pg_server: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled blog example as an IR dump (loading it once keeps the tests fast)."""
    target = tmp_path_factory.mktemp("blog") / "blog.json"
    assert main(["dump", "--example", "blog", "-o", str(target)]) == 0
    return target


@pytest.mark.parametrize("format", ["mermaid", "dbml", "dot", "plantuml", "svg", "html", "png"])
def test_every_format_writes_a_file(
    format: str, blog_json: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / f"erd.{format}"
    code, out, err = _run(capsys, "erd", str(blog_json), "--format", format, "-o", str(target))
    assert code == 0, err
    assert out == ""
    data = target.read_bytes()
    if format == "png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        return
    text = data.decode()
    for table in BLOG_TABLES:
        assert table in text, (format, table)
    if format == "mermaid":
        assert text.startswith("erDiagram\n")
    elif format == "dot":
        assert pydot.graph_from_dot_data(text)
    elif format == "plantuml":
        assert text.startswith("@startuml\n") and text.endswith("@enduml\n")
    elif format == "svg":
        assert ElementTree.fromstring(text).tag.endswith("svg")
    elif format == "html":
        assert text.lstrip().lower().startswith("<!doctype html")
    # Never overwritten without --force.
    code, _, err = _run(capsys, "erd", str(blog_json), "--format", format, "-o", str(target))
    assert code == 2 and "--force" in err
    assert target.read_bytes() == data


def test_default_format_is_mermaid_on_stdout(blog_json: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "erd", str(blog_json))
    assert code == 0 and out.startswith("erDiagram\n")


def test_every_kind_of_source(
    blog_json: Path, tmp_path: Path, scratch_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """SQL file, URL, JSON, design YAML, Mermaid, DBML and SQLModel all give the blog's tables and edges."""
    sql = tmp_path / "blog.sql"
    yaml = tmp_path / "blog.yaml"
    assert main(["dump", str(blog_json), "--format", "sql", "-o", str(sql)]) == 0
    assert main(["dump", str(blog_json), "--format", "yaml", "-o", str(yaml)]) == 0
    mmd, dbml = tmp_path / "blog.mmd", tmp_path / "blog.dbml"
    assert main(["erd", str(blog_json), "-o", str(mmd)]) == 0
    assert main(["erd", str(blog_json), "-f", "dbml", "-o", str(dbml)]) == 0
    models = tmp_path / "blog_models.py"
    assert main(["generate", "models", str(blog_json), "-o", str(models)]) == 0
    run_sql(scratch_url, sql.read_text())
    capsys.readouterr()
    expected = None
    for source in (blog_json, sql, yaml, mmd, dbml, models, scratch_url):
        # The models module is imported in this process: keep its classes out of other tests.
        with isolated_models(tmp_path) if source == models else contextlib.nullcontext():
            code, out, err = _run(capsys, "erd", str(source), "-f", "dot", "--columns", "keys")
        assert code == 0, (source, err)
        graph = pydot.graph_from_dot_data(out)[0]
        nodes = {
            n.get_name().strip('"')
            for n in graph.get_nodes()
            if n.get_name() not in ("node", "edge", "graph")
        }
        edges = sorted(
            (e.get_source().split(":")[0].strip('"'), e.get_destination().split(":")[0].strip('"'))
            for e in graph.get_edges()
        )
        assert nodes == {f"public.{t}" for t in BLOG_TABLES}, source
        if expected is None:
            expected = edges
            assert len(edges) == sum(len(t.foreign_keys) for t in load(str(blog_json)).tables)
        assert edges == expected, source


def test_check_exit_codes(blog_json: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "erd.mmd"
    code, out, _ = _run(capsys, "erd", str(blog_json), "--check", str(target))
    assert code == 1 and "missing" in out
    assert not target.exists()  # --check never writes
    assert main(["erd", str(blog_json), "-o", str(target)]) == 0
    capsys.readouterr()
    code, out, _ = _run(capsys, "erd", str(blog_json), "--check", str(target))
    assert (code, out.strip()) == (0, f"{target}: up to date")
    # Other options → other output → stale, with a short diff summary.
    code, out, _ = _run(capsys, "erd", str(blog_json), "--columns", "keys", "--check", str(target))
    assert code == 1
    assert "stale" in out and "to remove" in out and "\n-" in out
    original = target.read_text()
    target.write_text(original.replace("post_tag", "post_tags"))
    code, out, _ = _run(capsys, "erd", str(blog_json), "--check", str(target))
    assert code == 1 and "+" in out
    # Binary formats compare bytes.
    png = tmp_path / "erd.png"
    assert main(["erd", str(blog_json), "-f", "png", "-o", str(png)]) == 0
    assert main(["erd", str(blog_json), "-f", "png", "--check", str(png)]) == 0
    assert main(["erd", str(blog_json), "-f", "png", "--columns", "none", "--check", str(png)]) == 1


def test_markdown_block_is_replaced_and_the_rest_kept_byte_for_byte(
    blog_json: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    head = "# Schema\r\n\r\nIntro with ünïcode and trailing spaces   \r\n\r\n"
    tail = "\r\n\r\n## After\r\n```mermaid\r\nnot ours\r\n```\r\nno final newline"
    doc = tmp_path / "README.md"
    doc.write_bytes((head + BEGIN + "\r\nold diagram\r\n" + END + tail).encode())
    code, _, err = _run(capsys, "erd", str(blog_json), "--columns", "keys", "--markdown", str(doc))
    assert code == 0, err
    data = doc.read_bytes().decode()
    assert data.startswith(head + BEGIN + "\r\n```mermaid\r\nerDiagram\r\n")
    assert data.endswith("\r\n```\r\n" + END + tail)
    assert "old diagram" not in data
    middle = data[len(head + BEGIN) : -len(END + tail)]
    assert "\n" not in middle.replace("\r\n", "")  # the file's line breaks throughout
    code, out, _ = _run(
        capsys, "erd", str(blog_json), "--columns", "keys", "--markdown", str(doc), "--check", str(doc)
    )
    assert code == 0 and "up to date" in out
    code, out, _ = _run(capsys, "erd", str(blog_json), "--markdown", str(doc), "--check", str(doc))
    assert code == 1 and "stale" in out
    assert doc.read_bytes().decode() == data  # --check did not write
    # Running again changes nothing.
    assert main(["erd", str(blog_json), "--columns", "keys", "--markdown", str(doc)]) == 0
    assert doc.read_bytes().decode() == data


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a\nb\n", None, "no ERD block"),
        (f"a\n{BEGIN}\nb\n", 2, "without a matching"),
        (f"a\nb\n{END}\n", 3, "without a"),
        (f"{END}\n{BEGIN}\n", 1, "before"),
        (f"{BEGIN}\n{END}\n\n{BEGIN}\n{END}\n", 4, "second"),
    ],
)
def test_markdown_marker_errors(
    text: str,
    line: int | None,
    message: str,
    blog_json: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(text)
    code, _, err = _run(capsys, "erd", str(blog_json), "--markdown", str(doc))
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    location = f"{doc}:{line}:" if line else f"{doc}:"
    assert location in err and message in err
    assert doc.read_text() == text


def test_focus_and_unknown_focus(blog_json: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "erd", str(blog_json), "-f", "dot", "--focus", "tag", "--depth", "1")
    assert code == 0
    nodes = {n.get_name().strip('"') for n in pydot.graph_from_dot_data(out)[0].get_nodes()}
    assert nodes - {"node", "edge", "graph"} == {"public.tag", "public.post_tag"}
    code, out, err = _run(capsys, "erd", str(blog_json), "--focus", "posts")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "no table 'posts'" in err and "public.post" in err


def test_table_globs_and_groups(
    blog_json: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(
        capsys, "erd", str(blog_json), "-f", "plantuml", "--tables", "post*", "--exclude", "post_tag"
    )
    assert code == 0
    assert 'entity "post"' in out and "post_tag" not in out and "app_user" not in out
    code, out, _ = _run(capsys, "erd", str(blog_json), "-f", "plantuml", "--group", "content=post,comment")
    assert code == 0 and 'package "content" {' in out
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text(
        '[tool.pgshape.erd.groups]\npeople = "app_user"\ntags = ["tag", "post_tag"]\n'
    )
    monkeypatch.chdir(project)
    code, out, _ = _run(capsys, "erd", str(blog_json), "-f", "dot", "--group-by", "config")
    assert code == 0
    clusters = pydot.graph_from_dot_data(out)[0].get_subgraphs()
    members = [{n.get_name().strip('"') for n in c.get_nodes()} - {"graph", "node"} for c in clusters]
    assert members == [{"public.app_user"}, {"public.tag", "public.post_tag"}]
    code, _, err = _run(capsys, "erd", str(blog_json), "-f", "mermaid", "--group-by", "schema")
    assert code == 0 and "does not draw groups" in err


def test_html_badges_come_from_the_review(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`erd --format html` reviews the schema: a table without a primary key gets a badge that
    names the rule; --no-lint leaves the page without badges."""
    sql = tmp_path / "s.sql"
    sql.write_text(
        "CREATE TABLE author (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);\n"
        "CREATE TABLE note (body text);\n"
    )
    with_badges, without = tmp_path / "a.html", tmp_path / "b.html"
    assert main(["erd", str(sql), "-f", "html", "-o", str(with_badges)]) == 0
    assert main(["erd", str(sql), "-f", "html", "--no-lint", "-o", str(without)]) == 0
    page = with_badges.read_text()
    assert 'data-table="public.note"' in page and "missing-primary-key" in page
    assert page.count('class="erd-badge') >= 1  # the badge element itself, not the stylesheet
    assert 'class="erd-badge' not in without.read_text()
