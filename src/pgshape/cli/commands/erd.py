"""``pgshape erd``: the ERD of SOURCE as Mermaid, DBML, DOT, PlantUML, SVG, HTML or PNG.

Also keeps committed diagrams fresh: ``--check FILE`` compares instead of writing, and
``--markdown FILE`` rewrites only the marked block of a Markdown file (render/markdown_block.py).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import typer

from pgshape.cli.app import app
from pgshape.cli.options import EXAMPLE, FORCE, OUTPUT, SCHEMA, SCRATCH_URL, load, resolve_source
from pgshape.cli.output import settings, warn, write_output, write_output_bytes
from pgshape.cli.project_config import find_pyproject, pgshape_table, read_toml
from pgshape.errors import InputError
from pgshape.lint.core import Finding
from pgshape.model import Database
from pgshape.render import erd_select
from pgshape.render.erd_common import ErdOptions, TableKey

DIFF_LINES = 20  # lines of the unified diff shown by --check


class ErdFormat(str, Enum):
    mermaid = "mermaid"
    dbml = "dbml"
    dot = "dot"
    plantuml = "plantuml"
    svg = "svg"
    html = "html"
    png = "png"


class ColumnsChoice(str, Enum):
    all = "all"
    keys = "keys"
    none = "none"


class GroupBy(str, Enum):
    none = "none"
    schema = "schema"
    config = "config"


# Formats that draw groups, and the fence language of formats that fit in a Markdown block.
GROUPED = {ErdFormat.dot, ErdFormat.plantuml}
FENCES = {
    ErdFormat.mermaid: "mermaid",
    ErdFormat.dbml: "dbml",
    ErdFormat.dot: "dot",
    ErdFormat.plantuml: "plantuml",
}


@dataclass(frozen=True)
class Rendered:
    content: str | bytes

    def as_bytes(self) -> bytes:
        return self.content if isinstance(self.content, bytes) else self.content.encode("utf-8")


def _split(values: list[str] | None) -> tuple[str, ...]:
    """Repeated options, each possibly a comma-separated list."""
    return tuple(part.strip() for value in values or () for part in value.split(",") if part.strip())


def config_groups(start: Path) -> list[tuple[str, list[str]]]:
    """``[tool.pgshape.erd.groups]`` of the nearest pyproject.toml (empty when there is none)."""
    candidate = find_pyproject(start)
    if candidate is None:
        return []
    settings = pgshape_table(read_toml(candidate))
    table = settings.get("erd", {}).get("groups", {}) if isinstance(settings, dict) else {}
    if not isinstance(table, dict):
        raise InputError("[tool.pgshape.erd.groups] must be a table", location=str(candidate))
    return erd_select.parse_group_config(table, str(candidate))


def compute_groups(
    keys: frozenset[TableKey], group_by: GroupBy, group_options: list[str]
) -> dict[str, tuple[TableKey, ...]] | None:
    if group_options and group_by is GroupBy.none:
        group_by = GroupBy.config  # --group NAME=GLOB implies grouping by those globs
    if group_by is GroupBy.none:
        return None
    if group_by is GroupBy.schema:
        return erd_select.group_by_schema(keys)
    globs = erd_select.parse_group_options(group_options) or config_groups(Path.cwd().resolve())
    if not globs:
        raise InputError(
            "--group-by config needs [tool.pgshape.erd.groups] in pyproject.toml or --group NAME=GLOB"
        )
    return erd_select.group_by_globs(keys, globs)


def render_format(
    database: Database,
    format: ErdFormat,
    options: ErdOptions,
    groups: dict[str, tuple[TableKey, ...]] | None,
    findings: list[Finding] | None = None,
) -> Rendered:
    if format is ErdFormat.mermaid:
        from pgshape.render import mermaid

        return Rendered(mermaid.render(database, options))
    if format is ErdFormat.dbml:
        from pgshape.render import dbml

        return Rendered(dbml.render(database, options))
    if format is ErdFormat.dot:
        from pgshape.render import dot

        return Rendered(dot.render(database, options, groups))
    if format is ErdFormat.plantuml:
        from pgshape.render import plantuml

        return Rendered(plantuml.render(database, options, groups))
    if format is ErdFormat.svg:
        from pgshape.render.svg import render_svg

        return Rendered(render_svg(database, options))
    if format is ErdFormat.html:
        from pgshape.render.html_erd import render_html

        return Rendered(render_html(database, options, findings))
    from pgshape.render.png import render_png

    return Rendered(render_png(database, options))


def _review(database: Database) -> list[Finding]:
    """The findings of the metadata rules (no data sample, no Python facts) for the badges."""
    from pgshape.cli.commands._lint_support import load_config
    from pgshape.lint.core import LintContext
    from pgshape.lint.engine import lint

    return lint(LintContext(database=database, config=load_config(None))).findings


def check_fresh(path: str, expected: bytes) -> int:
    """0 when ``path`` holds exactly ``expected``; else 1 and a short diff summary on stdout."""
    target = Path(path)
    out = settings.stdout
    if not target.is_file():
        out.print(f"{path}: missing (pgshape would write it)", markup=False)
        return 1
    actual = target.read_bytes()
    if actual == expected:
        out.print(f"{path}: up to date", markup=False)
        return 0
    try:
        old, new = actual.decode("utf-8"), expected.decode("utf-8")
    except UnicodeDecodeError:
        out.print(f"{path}: stale (binary content differs)", markup=False)
        return 1
    diff = list(
        difflib.unified_diff(
            old.splitlines(), new.splitlines(), f"{path} (committed)", f"{path} (now)", lineterm=""
        )
    )
    added = sum(1 for line in diff[2:] if line.startswith("+"))
    removed = sum(1 for line in diff[2:] if line.startswith("-"))
    if not diff:  # only line endings or a final newline differ
        out.print(f"{path}: stale (whitespace at line ends or the end of the file differs)", markup=False)
        return 1
    out.print(f"{path}: stale, {added} line(s) to add and {removed} to remove; regenerate it", markup=False)
    for line in diff[:DIFF_LINES]:
        out.print(line, markup=False)
    if len(diff) > DIFF_LINES:
        out.print(f"… {len(diff) - DIFF_LINES} more diff lines", markup=False)
    return 1


def markdown_mode(path: str, rendered: Rendered, format: ErdFormat, check: str | None) -> int:
    from pgshape.render.markdown_block import fence, replace_block

    if format not in FENCES:
        raise InputError(
            f"--markdown embeds text diagrams (mermaid, dbml, dot, plantuml), not {format.value}"
        )
    if check is not None and Path(check).resolve() != Path(path).resolve():
        raise InputError("with --markdown FILE, --check must name the same FILE")
    target = Path(path)
    if not target.is_file():
        raise InputError("no such Markdown file", location=path)
    try:
        with open(target, encoding="utf-8", newline="") as stream:  # keep \r\n as it is
            text = stream.read()
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text: {error.reason}", location=path) from None
    assert isinstance(rendered.content, str)
    updated = replace_block(text, fence(rendered.content, FENCES[format]), path=path)
    if check is not None:
        return check_fresh(path, updated.encode("utf-8"))
    if updated != text:
        write_output(path, updated, force=True)
    return 0


@app.command()
def erd(
    source: str = typer.Argument(None, help="The schema (URL, .sql, .py, .yaml, .mmd, .dbml, .json)."),
    format: ErdFormat = typer.Option(ErdFormat.mermaid, "--format", "-f", help="Diagram format."),
    output: str = OUTPUT,
    force: bool = FORCE,
    columns: ColumnsChoice = typer.Option(
        ColumnsChoice.all, "--columns", help="Columns shown: all, keys or none."
    ),
    collapse_links: bool = typer.Option(
        False, "--collapse-links", help="Draw link tables as one many-to-many edge."
    ),
    nullability: bool = typer.Option(False, "--nullability", help="Show NOT NULL."),
    defaults: bool = typer.Option(False, "--defaults", help="Show column defaults."),
    enums: bool = typer.Option(False, "--enum-values", help="Show the labels of enum-typed columns."),
    types: bool = typer.Option(True, "--types/--no-types", help="Show column types."),
    comments: bool = typer.Option(True, "--comments/--no-comments", help="Show comments."),
    tables: list[str] = typer.Option(
        None, "--tables", "-t", help="Only tables matching these globs (repeatable)."
    ),
    exclude: list[str] = typer.Option(None, "--exclude", "-x", help="Leave out tables matching these globs."),
    focus: str = typer.Option(None, "--focus", help="Only the neighbourhood of this table."),
    depth: int = typer.Option(1, "--depth", help="With --focus: how many foreign keys away."),
    group_by: GroupBy = typer.Option(GroupBy.none, "--group-by", help="Group tables (dot, plantuml)."),
    group: list[str] = typer.Option(None, "--group", help="A group NAME=GLOB[,GLOB] (repeatable)."),
    check: str = typer.Option(None, "--check", help="Exit 1 when FILE is not what would be written now."),
    markdown: str = typer.Option(None, "--markdown", help="Rewrite only the marked ERD block of FILE."),
    lint_badges: bool = typer.Option(
        True,
        "--lint/--no-lint",
        help="html: review the schema (metadata rules, [tool.pgshape] config); badge tables with findings.",
    ),
    example: str = EXAMPLE,
    scratch_url: str = SCRATCH_URL,
    schema: list[str] = SCHEMA,
) -> int:
    """Draw SOURCE's entity-relationship diagram.

    Crow's-foot cardinality comes from the schema (unique and nullable foreign keys); markers
    PK, FK, UK. For large schemas: [bold]--tables/--exclude[/] globs (schema.table or table),
    [bold]--schema[/], [bold]--focus TABLE --depth N[/]. [bold]--check FILE[/] exits 1 when the
    committed FILE is stale; [bold]--markdown FILE[/] rewrites the block between
    <!-- pgshape:erd:begin --> and <!-- pgshape:erd:end -->.
    """
    if output is not None and (check is not None or markdown is not None):
        raise InputError("-o writes a file; --check and --markdown name their own file")
    if depth != 1 and focus is None:
        raise InputError("--depth needs --focus TABLE")
    database = load(resolve_source(source, example), scratch_url=scratch_url, schemas=schema)
    selection = erd_select.Selection(
        tables=_split(tables), exclude=_split(exclude), schemas=tuple(schema or ()), focus=focus, depth=depth
    )
    chosen = None if selection.is_everything else erd_select.select_tables(database, selection)
    if chosen is not None and not chosen:
        warn("no table matches the selection: the diagram is empty")
    options = ErdOptions(
        columns=columns.value,
        show_types=types,
        show_nullability=nullability,
        show_defaults=defaults,
        show_comments=comments,
        show_enum_values=enums,
        collapse_links=collapse_links,
        tables=chosen,
    )
    keys = chosen if chosen is not None else frozenset(t.key for t in database.tables)
    groups = compute_groups(keys, group_by, group or [])
    if groups is not None and format not in GROUPED:
        warn(f"{format.value} does not draw groups (dot and plantuml do); grouping ignored")
    findings = _review(database) if format is ErdFormat.html and lint_badges else None
    rendered = render_format(database, format, options, groups, findings)
    if markdown is not None:
        return markdown_mode(markdown, rendered, format, check)
    if check is not None:
        return check_fresh(check, rendered.as_bytes())
    if isinstance(rendered.content, bytes):
        write_output_bytes(output, rendered.content, force=force, what="PNG")
    else:
        write_output(output, rendered.content, force=force)
    return 0
