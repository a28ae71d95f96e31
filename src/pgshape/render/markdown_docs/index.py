"""The index page of the data dictionary: the ERD and the list of tables by schema."""

from __future__ import annotations

from pgshape.model import Database
from pgshape.render import mermaid
from pgshape.render.erd_common import ErdOptions
from pgshape.render.markdown_block import fence
from pgshape.render.markdown_docs.text import cell, link, table


def render_index(database: Database, options: ErdOptions, title: str) -> str:
    lines = [f"# {title}", ""]
    tables = sorted(database.tables, key=lambda t: t.key)
    relationships = sum(len(t.foreign_keys) for t in tables)
    lines.append(
        f"{len(tables)} table{'s' if len(tables) != 1 else ''}, "
        f"{relationships} foreign key{'s' if relationships != 1 else ''}."
    )
    lines += ["", "## Diagram", "", fence(mermaid.render(database, options), "mermaid"), ""]
    for schema in sorted({t.schema for t in tables}):
        info = next((s for s in database.schemas if s.name == schema), None)
        lines += [f"## Schema {cell(schema)}", ""]
        if info is not None and info.comment:
            lines += [cell(info.comment), ""]
        rows = []
        for t in tables:
            if t.schema != schema:
                continue
            note = f"partition of {t.partition_of.schema}.{t.partition_of.table}" if t.partition_of else ""
            rows.append([link(t.key, ""), str(len(t.columns)), cell(t.comment or note)])
        lines += table(["Table", "Columns", "Comment"], rows)
        lines.append("")
    return "\n".join(lines)
