"""Generated friendly design files build on PostgreSQL exactly as the expansion says.

Each example is a small design written the way people write them (short column forms, type
aliases, references without types, composite and partial indexes, checks, project defaults);
`prove` builds it on a fresh database and reads it back: zero differences.
"""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pgshape.pg.verify import prove
from pgshape.sources.design_file import load_text

# alias → a default that suits it (None: no default)
TYPES: dict[str, str | None] = {
    "int": "0",
    "bigint": None,
    "text": "'none'",
    "varchar(20)": None,
    "timestamptz": "now()",
    "numeric(10,2)": "0",
    "boolean": "false",
    "uuid": None,
    "jsonb": "'{}'::jsonb",
    "date": "CURRENT_DATE",
    "text[]": None,
    "double precision": None,
}
_NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)


@st.composite
def designs(draw: st.DrawFn, target: int) -> dict[str, Any]:
    table_names = draw(st.lists(_NAMES.map(lambda n: f"t_{n}"), min_size=1, max_size=4, unique=True))
    tables: dict[str, Any] = {}
    for position, table in enumerate(table_names):
        names = draw(st.lists(_NAMES.map(lambda n: f"c_{n}"), min_size=1, max_size=5, unique=True))
        columns: dict[str, Any] = {}
        for name in names:
            alias = draw(st.sampled_from(sorted(TYPES)))
            column: dict[str, Any] = {"type": alias}
            if draw(st.booleans()):
                column["nullable"] = True
            if TYPES[alias] is not None and draw(st.booleans()):
                column["default"] = TYPES[alias]
            if alias in ("int", "text", "bigint") and draw(st.booleans()):
                column["unique"] = True
            columns[name] = column if len(column) > 1 else alias + ("?" if column.get("nullable") else "")
        spec: dict[str, Any] = {"columns": columns}
        earlier = table_names[:position]
        if earlier and draw(st.booleans()):
            columns[f"{earlier[0]}_id"] = {
                "references": earlier[0],
                "on_delete": draw(st.sampled_from(["cascade", "restrict", "no action"])),
            }
        indexes: list[Any] = []
        if len(names) >= 2 and draw(st.booleans()):
            indexes.append([names[0], f"{names[1]} desc"])
        if draw(st.booleans()):
            indexes.append({"columns": [names[0]], "where": f"{names[0]} IS NOT NULL"})
        if indexes:
            spec["indexes"] = indexes
        if draw(st.booleans()):
            spec["comment"] = draw(st.text(min_size=1, max_size=20).filter(lambda c: "\x00" not in c))
        tables[table] = spec
    project = {
        "target": target,
        "primary_key": draw(st.sampled_from(["bigint", "uuid"])),
        "timestamps": draw(st.booleans()),
    }
    return {"version": 1, "project": project, "tables": tables}


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_generated_designs_build_identically(pg_server: str, pg_major: int, data: st.DataObject) -> None:
    design = data.draw(designs(pg_major))
    text = yaml.safe_dump(design, sort_keys=False, allow_unicode=True)
    database = load_text(text, "generated.yaml")
    assert len(database.tables) == len(design["tables"])
    proof = prove(database, scratch_url=pg_server)
    assert [str(d) for d in proof.differences] == []
