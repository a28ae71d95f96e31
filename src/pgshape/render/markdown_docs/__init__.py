"""The Markdown data dictionary written by ``pgshape docs``: ``index.md`` (the ERD in Mermaid and
the tables by schema) and ``tables/<schema>.<table>.md`` per table (columns, keys, indexes,
constraints, triggers, policies, the tables it references and is referenced by, with links, and
a Mermaid ERD of its neighbourhood: the tables one foreign key away).

:func:`render_docs` returns ``{relative path: text}``; the CLI writes the files. Pages link to
each other with relative links only, so the directory works on GitHub, GitLab or any static host.
"""

from __future__ import annotations

from pgshape.model import Database
from pgshape.render.erd_common import ErdOptions
from pgshape.render.markdown_docs.index import render_index
from pgshape.render.markdown_docs.table_page import render_table_page
from pgshape.render.markdown_docs.text import table_file

INDEX = "index.md"


def render_docs(
    database: Database, options: ErdOptions | None = None, *, title: str = "Data dictionary"
) -> dict[str, str]:
    """Every page, by path relative to the docs directory. ``options`` shape the diagrams
    (default: key columns only, which keeps large diagrams readable)."""
    options = options or ErdOptions(columns="keys")
    pages = {INDEX: render_index(database, options, title)}
    for table in database.tables:
        path = table_file(table.key)
        if path in pages:  # cannot happen: file names encode every character but [A-Za-z0-9_-]
            raise AssertionError(f"two tables share the page {path}")
        pages[path] = render_table_page(database, table, options)
    return pages


__all__ = ["INDEX", "render_docs", "table_file"]
