"""The schema facts the HTML page embeds as JSON: per table its columns, indexes, constraints,
neighbours and lint findings, keyed by the element id of the table in the SVG."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from pgshape.model import Index, Table
from pgshape.render.svg import Diagram, qualified

if TYPE_CHECKING:  # render/ reads findings, it does not depend on the lint engine
    from pgshape.lint.core import Finding


def _index_text(index: Index) -> str:
    keys = []
    for key in index.keys:
        text = key.column if key.column is not None else f"({key.expression})"
        if key.opclass:
            text += f" {key.opclass}"
        if key.descending:
            text += " DESC"
        if key.nulls_first is not None:
            text += " NULLS FIRST" if key.nulls_first else " NULLS LAST"
        keys.append(text)
    text = ("UNIQUE " if index.unique else "") + f"{index.method} ({', '.join(keys)})"
    if index.include:
        text += f" INCLUDE ({', '.join(index.include)})"
    if index.nulls_not_distinct:
        text += " NULLS NOT DISTINCT"
    if index.predicate:
        text += f" WHERE {index.predicate}"
    return text


def _constraints(table: Table) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    if table.primary_key is not None:
        pk = table.primary_key
        found.append({"kind": "PRIMARY KEY", "name": pk.name, "text": f"({', '.join(pk.columns)})"})
    for fk in table.foreign_keys:
        text = (
            f"({', '.join(fk.columns)}) → {fk.referenced_schema}.{fk.referenced_table}"
            f" ({', '.join(fk.referenced_columns)})"
        )
        if fk.on_delete != "NO ACTION":
            text += f" ON DELETE {fk.on_delete}"
        if fk.on_update != "NO ACTION":
            text += f" ON UPDATE {fk.on_update}"
        found.append({"kind": "FOREIGN KEY", "name": fk.name, "text": text})
    for unique in table.unique_constraints:
        found.append({"kind": "UNIQUE", "name": unique.name, "text": f"({', '.join(unique.columns)})"})
    for check in table.check_constraints:
        found.append({"kind": "CHECK", "name": check.name, "text": check.expression})
    for exclusion in table.exclusion_constraints:
        found.append({"kind": "EXCLUDE", "name": exclusion.name, "text": exclusion.definition})
    return found


def findings_by_table(
    findings: Iterable[Finding], tables: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], list[Finding]]:
    """Findings grouped by the table their ``path`` (``schema.table[.rest]``) names."""
    known = {qualified(key): key for key in tables}
    grouped: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        path = finding.path
        # Names may contain dots: try every prefix ending at a dot, longest first.
        cuts = [len(path)] + [i for i in range(len(path) - 1, 0, -1) if path[i] == "."]
        for cut in cuts:
            key = known.get(path[:cut])
            if key is not None:
                grouped.setdefault(key, []).append(finding)
                break
    return grouped


def badges(grouped: Mapping[tuple[str, str], list[Finding]]) -> dict[tuple[str, str], tuple[int, str]]:
    return {key: (len(items), str(max(f.severity for f in items))) for key, items in grouped.items() if items}


def page_data(diagram: Diagram, grouped: Mapping[tuple[str, str], list[Finding]]) -> dict[str, Any]:
    neighbours: dict[tuple[str, str], set[tuple[str, str]]] = {key: set() for key in diagram.boxes}
    outgoing: dict[tuple[str, str], list[dict[str, Any]]] = {key: [] for key in diagram.boxes}
    incoming: dict[tuple[str, str], list[dict[str, Any]]] = {key: [] for key in diagram.boxes}
    for r in diagram.erd.relationships:
        if r.child not in diagram.boxes or r.parent not in diagram.boxes:
            continue
        neighbours[r.child].add(r.parent)
        neighbours[r.parent].add(r.child)
        fact = {
            "label": r.label,
            "columns": list(r.columns),
            "referenced_columns": list(r.referenced_columns),
            "child_end": r.child_end,
            "parent_end": r.parent_end,
            "via": qualified(r.via) if r.via else None,
        }
        outgoing[r.child].append({**fact, "table": diagram.ids[r.parent]})
        incoming[r.parent].append({**fact, "table": diagram.ids[r.child]})

    tables: dict[str, Any] = {}
    for key, box in sorted(diagram.boxes.items()):
        table = box.table.table
        markers = {c.column.name: list(c.markers) for c in box.table.columns}
        tables[diagram.ids[key]] = {
            "name": qualified(key),
            "schema": key[0],
            "table": key[1],
            "comment": table.comment,
            "link": box.table.is_link,
            "columns": [
                {
                    "name": c.name,
                    "type": c.type,
                    "nullable": c.nullable,
                    "default": c.default,
                    "comment": c.comment,
                    "markers": markers.get(c.name, []),
                    "shown": c.name in markers,
                }
                for c in table.columns
            ],
            "indexes": [{"name": i.name, "text": _index_text(i)} for i in table.indexes],
            "constraints": _constraints(table),
            "references": outgoing[key],
            "referenced_by": incoming[key],
            "neighbours": sorted(diagram.ids[n] for n in neighbours[key] if n != key),
            "findings": [
                {
                    "code": f.code,
                    "name": f.name,
                    "severity": str(f.severity),
                    "path": f.path,
                    "message": f.message,
                }
                for f in sorted(
                    grouped.get(key, []), key=lambda f: (-int(f.severity), f.code, f.path, f.message)
                )
            ],
        }
    return {"format": "pgshape-erd", "version": 1, "tables": tables}
