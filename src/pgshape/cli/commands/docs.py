"""``pgshape docs``: a Markdown data dictionary of SOURCE in a directory."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

import typer

from pgshape.cli.app import app
from pgshape.cli.options import EXAMPLE, SCHEMA, SCRATCH_URL, load, resolve_source
from pgshape.cli.output import settings
from pgshape.errors import InputError


def write_directory(target: Path, pages: dict[str, str], *, force: bool) -> None:
    """Write ``pages`` as the whole content of ``target``, atomically where the OS allows.

    The pages go to a temporary sibling directory first; only a complete directory is renamed
    into place, so a failure never leaves half a dictionary. A non-empty ``target`` is replaced
    only with ``force`` (it is moved aside, the new directory renamed in, then the old removed).
    """
    if target.exists() and not target.is_dir():
        raise InputError("exists and is not a directory", location=str(target))
    if target.is_dir() and any(target.iterdir()) and not force:
        raise InputError("directory is not empty; pass --force to replace its content", location=str(target))
    parent = target.parent
    if not parent.is_dir():
        raise InputError("directory does not exist", location=str(parent))
    staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.", suffix=".tmp"))
    try:
        for relative, text in pages.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        staging.chmod(0o755)  # mkdtemp makes it private; the docs are ordinary files
        if target.is_dir():
            old = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.", suffix=".old"))
            os.rmdir(old)
            os.replace(target, old)
            try:
                os.replace(staging, target)
            except BaseException:
                os.replace(old, target)  # put the previous docs back
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staging, target)
    except BaseException:
        with contextlib.suppress(OSError):
            shutil.rmtree(staging)
        raise


@app.command()
def docs(
    source: str = typer.Argument(None, help="The schema (URL, .sql, .py, .yaml, .mmd, .dbml, .json)."),
    output: str = typer.Option(..., "--output", "-o", help="Directory to write the Markdown pages into."),
    force: bool = typer.Option(False, "--force", help="Replace the content of a non-empty directory."),
    title: str = typer.Option("Data dictionary", "--title", help="Title of the index page."),
    example: str = EXAMPLE,
    scratch_url: str = SCRATCH_URL,
    schema: list[str] = SCHEMA,
) -> int:
    """Write a Markdown data dictionary: index.md (the ERD, tables by schema) and one page per
    table in tables/ (columns, keys, indexes, constraints, triggers, policies, references, and a
    Mermaid diagram of its neighbourhood)."""
    from pgshape.render.markdown_docs import render_docs

    database = load(resolve_source(source, example), scratch_url=scratch_url, schemas=schema)
    if schema:
        database = database.with_changes(tables=tuple(t for t in database.tables if t.schema in schema))
    pages = render_docs(database, title=title)
    write_directory(Path(output), pages, force=force)
    settings.stdout.print(f"wrote {len(pages)} pages to {output}", markup=False)
    return 0
