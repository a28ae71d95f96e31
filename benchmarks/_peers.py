"""One introspection by a peer tool, run in the peers' own venv (never in pgshape's).

    benchmarks/.venv-peers/bin/python benchmarks/_peers.py TOOL URL

TOOL is ``schemainspect``, ``sqlalchemy`` or ``alembic``; URL a SQLAlchemy URL
(``postgresql+psycopg2://...``). Prints one JSON object: ``seconds`` is measured around the
introspection only (after imports and connecting), ``wall`` from before connecting to the end
(still excluding interpreter start and imports), plus the counts of what was found so that the
runner can check that every tool saw the same schema.

This file must import nothing from pgshape: it runs with the peers' interpreter.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

SYSTEM_SCHEMAS = ("information_schema", "pg_catalog", "pg_toast")


def _user_schemas(inspector: Any) -> list[str]:
    return [s for s in inspector.get_schema_names() if s not in SYSTEM_SCHEMAS and not s.startswith("pg_")]


def run_schemainspect(url: str) -> dict[str, Any]:
    import sqlalchemy as sa
    from schemainspect import get_inspector
    from sqlbag import S

    wall0 = time.perf_counter()
    with S(url) as session:
        session.execute(sa.text("select 1"))  # connect now, not inside the timing
        t0 = time.perf_counter()
        found = get_inspector(session)
        seconds = time.perf_counter() - t0
    wall = time.perf_counter() - wall0
    fks = sum(1 for c in found.constraints.values() if c.constraint_type == "FOREIGN KEY")
    return {
        "seconds": seconds,
        "wall": wall,
        "tables": len(found.tables),
        "views": len(found.views),
        "foreign_keys": fks,
        "indexes": len(found.indexes),
    }


def run_sqlalchemy(url: str) -> dict[str, Any]:
    """``MetaData.reflect`` per schema: columns, PK, FKs, indexes, uniques, checks, comments."""
    import sqlalchemy as sa

    wall0 = time.perf_counter()
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        conn.execute(sa.text("select 1"))
        t0 = time.perf_counter()
        inspector = sa.inspect(conn)
        metadata = sa.MetaData()
        views = 0
        for schema in _user_schemas(inspector):
            metadata.reflect(bind=conn, schema=schema, views=False, resolve_fks=False)
            views += len(inspector.get_view_names(schema=schema))
        seconds = time.perf_counter() - t0
    engine.dispose()
    wall = time.perf_counter() - wall0
    return {
        "seconds": seconds,
        "wall": wall,
        "tables": len(metadata.tables),
        "views": views,
        "foreign_keys": sum(len(t.foreign_key_constraints) for t in metadata.tables.values()),
        "indexes": sum(len(t.indexes) for t in metadata.tables.values()),
    }


def run_alembic(url: str) -> dict[str, Any]:
    """What ``alembic revision --autogenerate`` does against a database whose models are empty.

    Alembic reflects every table that is not in the target metadata one by one
    (``Inspector.reflect_table``) to describe its drop, so comparing against an empty MetaData
    reads the whole schema the way autogenerate does.
    """
    import sqlalchemy as sa
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    wall0 = time.perf_counter()
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        conn.execute(sa.text("select 1"))
        t0 = time.perf_counter()
        context = MigrationContext.configure(conn, opts={"include_schemas": True})
        diffs = compare_metadata(context, sa.MetaData())
        seconds = time.perf_counter() - t0
    engine.dispose()
    wall = time.perf_counter() - wall0
    tables = [d[1] for d in diffs if isinstance(d, tuple) and d[0] == "remove_table"]
    return {
        "seconds": seconds,
        "wall": wall,
        "tables": len(tables),
        "views": None,
        "foreign_keys": sum(len(t.foreign_key_constraints) for t in tables),
        "indexes": None,  # not comparable: Table.indexes stays empty on tables reflected for removal
    }


TOOLS = {"schemainspect": run_schemainspect, "sqlalchemy": run_sqlalchemy, "alembic": run_alembic}


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in TOOLS:
        print(f"usage: _peers.py {{{','.join(TOOLS)}}} URL", file=sys.stderr)
        return 2
    result = TOOLS[argv[0]](argv[1])
    print(json.dumps({"tool": argv[0], **result}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
