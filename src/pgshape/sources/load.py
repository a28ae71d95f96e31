"""Pick the source for a SOURCE argument and load it into the model.

SOURCE is a PostgreSQL URL, a ``*.sql`` file, a Python module (``models.py`` or
``pkg.module[:attr]``), a design file (``*.yaml``/``*.yml``/``*.toml``), a Mermaid ERD (``*.mmd``
or a Markdown file with a mermaid erDiagram block), DBML (``*.dbml``) or an IR dump (``*.json``);
see DESIGN.md "Sources".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pgshape.errors import InputError
from pgshape.model import Database
from pgshape.pg.urls import is_url

Progress = Callable[[str], None]
Warn = Callable[[str], None]

_MODULE_TARGET_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:")


@dataclass(frozen=True)
class LoadOptions:
    scratch_url: str | None = None
    schemas: Sequence[str] | None = None
    progress: Progress | None = None
    warn: Warn | None = None


def source_kind(target: str) -> str:
    """``url``, ``sql``, ``python``, ``json``, ``design``, ``mermaid``, ``dbml`` — or an
    InputError saying what is accepted."""
    if is_url(target):
        return "url"
    suffix = Path(target).suffix.lower()
    if suffix == ".sql":
        return "sql"
    if suffix == ".py":
        return "python"
    if suffix == ".json":
        return "json"
    if suffix in {".yaml", ".yml", ".toml"}:
        return "design"
    if suffix in {".mmd", ".md", ".markdown"}:
        return "mermaid"
    if suffix == ".dbml":
        return "dbml"
    if target and set(target) <= _MODULE_TARGET_CHARS and not target.startswith((".", ":")):
        return "python"
    raise InputError(
        "unknown source: expected a postgresql:// URL, a .sql file, a .py file or pkg.module[:attr], "
        "a .yaml/.toml design file, a .mmd/.md Mermaid ERD, a .dbml file or a .json IR dump",
        location=target,
    )


def load(target: str, options: LoadOptions | None = None) -> Database:
    options = options or LoadOptions()
    kind = source_kind(target)
    if kind == "url":
        from pgshape.sources import database_url

        return database_url.load(
            target, schemas=options.schemas, progress=options.progress, warn=options.warn
        )
    if kind == "sql":
        from pgshape.sources import sql_file

        report = options.progress

        def statements_done(done: int, total: int) -> None:
            if report is not None:
                report(f"{done}/{total} statements")

        return sql_file.load(
            target,
            scratch_url=options.scratch_url,
            schemas=options.schemas,
            progress=statements_done,
            warn=options.warn,
        )
    if kind == "json":
        from pgshape.sources import ir_json

        return ir_json.load(target)
    if kind == "design":
        from pgshape.sources import design_file

        return design_file.load(target)
    if kind == "mermaid":
        from pgshape.sources import mermaid

        return mermaid.load(target)
    if kind == "dbml":
        from pgshape.sources import dbml

        return dbml.load(target)
    from pgshape.sources import python_module

    return python_module.load(target)
