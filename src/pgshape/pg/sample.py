"""Bounded, read-only row sampling of a live database for the "data" review rules.

Everything happens in one ``READ ONLY`` transaction with a ``statement_timeout``, so sampling
can neither write nor hold up a production database for long. Each table gives at most
``rows`` rows: all of a small table, ``TABLESAMPLE SYSTEM`` on a large one (topped up with a
plain ``LIMIT`` when the block sample comes back short). Values come back as text, exactly as
PostgreSQL prints them, truncated to a bounded length so one huge document cannot blow memory.
Partitions are sampled through their parent; views are not sampled.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import psycopg
from psycopg import sql

from pgshape.errors import ServerError
from pgshape.lint.data import DataSample, TableSample
from pgshape.model import Database, Table
from pgshape.pg.connect import connect
from pgshape.pg.urls import mask

DEFAULT_ROWS = 10_000
DEFAULT_TIMEOUT_MS = 30_000
MAX_VALUE_CHARS = 500
# Types whose values say nothing the data rules could use, and can be large.
_SKIPPED_TYPES = ("bytea", "tsvector", "tsquery", "public.vector", "vector")

_INVALID_INDEXES = """
SELECT n.nspname, t.relname, i.relname
FROM pg_catalog.pg_index x
JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
JOIN pg_catalog.pg_class t ON t.oid = x.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
WHERE NOT x.indisvalid AND n.nspname = ANY(%s)
"""
_NOT_VALID_CONSTRAINTS = """
SELECT n.nspname, t.relname, c.conname
FROM pg_catalog.pg_constraint c
JOIN pg_catalog.pg_class t ON t.oid = c.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
WHERE NOT c.convalidated AND n.nspname = ANY(%s)
"""
_ESTIMATE = "SELECT reltuples::bigint FROM pg_catalog.pg_class WHERE oid = %s::regclass"

Progress = Callable[[str], None]


@contextlib.contextmanager
def read_only_transaction(
    url: str, *, timeout_ms: int = DEFAULT_TIMEOUT_MS
) -> Iterator[psycopg.Connection[Any]]:
    """A connection inside a READ ONLY transaction with a statement timeout; rolled back after."""
    with connect(url, read_only=True) as conn, conn.transaction(force_rollback=True):
        conn.execute(sql.SQL("SET LOCAL statement_timeout = {}").format(sql.Literal(int(timeout_ms))))
        conn.execute("SELECT pg_catalog.set_config('search_path', '', true)")
        yield conn


def sample(
    url: str,
    database: Database,
    *,
    rows: int = DEFAULT_ROWS,
    timeout_ms: int = DEFAULT_TIMEOUT_MS,
    progress: Progress | None = None,
) -> DataSample:
    """Sample every table of ``database`` (as introspected from ``url``)."""
    if rows < 1:
        raise ValueError("rows must be positive")
    schemas = sorted({t.schema for t in database.tables} | {s.name for s in database.schemas})
    tables: dict[tuple[str, str], TableSample] = {}
    try:
        with read_only_transaction(url, timeout_ms=timeout_ms) as conn:
            sampled = [t for t in database.tables if t.partition_of is None]
            for number, table in enumerate(sampled, start=1):
                if progress is not None:
                    progress(f"sampling {table.schema}.{table.name} ({number}/{len(sampled)})")
                tables[table.key] = sample_table(conn, table, rows)
            invalid = frozenset(_triples(conn, _INVALID_INDEXES, schemas))
            not_valid = frozenset(_triples(conn, _NOT_VALID_CONSTRAINTS, schemas))
    except psycopg.errors.QueryCanceled:
        raise ServerError(
            f"sampling {mask(url)} took longer than {timeout_ms} ms per statement; "
            "use a smaller --sample or --no-data"
        ) from None
    except psycopg.Error as error:
        raise ServerError(f"sampling {mask(url)} failed: {str(error).strip().splitlines()[0]}") from None
    return DataSample(
        tables=tables, rows_per_table=rows, invalid_indexes=invalid, not_valid_constraints=not_valid
    )


def _triples(conn: psycopg.Connection[Any], query: str, schemas: Sequence[str]) -> list[tuple[str, str, str]]:
    return [(a, b, c) for a, b, c in conn.execute(query, [list(schemas)]).fetchall()]


def sampled_columns(table: Table) -> list[str]:
    return [c.name for c in table.columns if c.type not in _SKIPPED_TYPES and not c.type.startswith("bytea")]


def sample_table(conn: psycopg.Connection[Any], table: Table, rows: int) -> TableSample:
    columns = sampled_columns(table)
    relation = sql.Identifier(table.schema, table.name)
    (estimate,) = conn.execute(_ESTIMATE, [f"{_quoted(table.schema)}.{_quoted(table.name)}"]).fetchone() or (
        None,
    )
    estimated = int(estimate) if estimate is not None and estimate >= 0 else None
    if not columns:
        return TableSample(table.schema, table.name, (), (), estimated, "all")
    select = sql.SQL(", ").join(
        sql.SQL("left({}::text, {})").format(sql.Identifier(c), sql.Literal(MAX_VALUE_CHARS)) for c in columns
    )
    method = "limit"
    found: list[tuple[Any, ...]] = []
    if estimated is not None and estimated > 2 * rows:
        # SYSTEM samples whole pages: cheap on a huge table. Ask for ~3x the share we need,
        # because pages vary in how many live rows they hold.
        percent = min(100.0, 300.0 * rows / estimated)
        query = sql.SQL("SELECT {} FROM {} TABLESAMPLE SYSTEM ({}) LIMIT {}").format(
            select, relation, sql.Literal(percent), sql.Literal(rows)
        )
        found = conn.execute(query).fetchall()
        method = "tablesample"
    if len(found) < rows // 2:
        query = sql.SQL("SELECT {} FROM {} LIMIT {}").format(select, relation, sql.Literal(rows))
        found = conn.execute(query).fetchall()
        method = "limit"
    if len(found) < rows and method == "limit":
        method = "all"
    return TableSample(
        schema=table.schema,
        name=table.name,
        columns=tuple(columns),
        rows=tuple(tuple(row) for row in found),
        estimated_rows=estimated,
        method=method,
    )


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
