"""Reading a database's schema from the system catalogs into the IR.

Each object kind has one set-based query in ``queries/*.sql`` that runs once for the whole
database; rows are grouped by relation and assembled in ``introspect_relations`` (tables and
views) and ``introspect_objects`` (everything else), each result as soon as it arrives while
the server already runs the next query (``introspect_ahead``). The queries run in one read-only
transaction with an empty ``search_path``, so everything PostgreSQL prints (``format_type``,
``pg_get_expr``, ``pg_get_indexdef``, ``regproc`` casts, ...) is schema-qualified except what
lives in ``pg_catalog``: the canonical form of the IR.

The same SQL runs on PostgreSQL 13 to 18. Catalog columns that only newer versions have are
written ``{{alias.column}}`` in the queries and substituted per server version (see
``_NEWER_COLUMNS``); reading them through ``to_jsonb(row) ->> 'column'`` instead would work
everywhere but serialises every catalog row, which cost 0.1 s on 10,000 constraints.

Objects that belong to an extension are left out (the extension itself is listed), and so is
whatever a partition or inheritance child receives from its parent (cloned constraints,
indexes and triggers): those are the parent's.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Callable, Sequence
from functools import cache
from importlib.resources import files
from typing import Any

import psycopg
from psycopg import pq
from psycopg.rows import namedtuple_row

from pgshape.model import Database
from pgshape.pg import introspect_objects as objects
from pgshape.pg.connect import connect
from pgshape.pg.introspect_ahead import ReadAhead
from pgshape.pg.introspect_relations import RelationParts, Rows

Progress = Callable[[str], None]

__all__ = ["introspect", "introspect_connection"]


def introspect(
    url: str, *, schemas: Sequence[str] | None = None, progress: Progress | None = None
) -> Database:
    """The schema of the database at ``url`` (all non-system schemas, or only ``schemas``)."""
    with connect(url, read_only=True) as conn:
        return introspect_connection(conn, schemas=schemas, progress=progress)


def introspect_connection(
    conn: psycopg.Connection[Any],
    *,
    schemas: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> Database:
    """Like :func:`introspect`, on a connection the caller holds.

    When the connection is idle the reading happens in a transaction of its own, made read-only
    and REPEATABLE READ, so that every query sees the same snapshot (constraint and index keys
    from one query are named from the columns of another). Inside the caller's transaction it
    runs in a savepoint and the caller's ``search_path`` is restored afterwards.
    """
    own_transaction = conn.info.transaction_status == pq.TransactionStatus.IDLE
    with conn.transaction():
        if own_transaction:
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        (previous,) = conn.execute("SELECT pg_catalog.current_setting('search_path')").fetchone() or ("",)
        conn.execute("SELECT pg_catalog.set_config('search_path', '', true)")
        database = _without_gc(_Reader(conn, progress or _silent).read, schemas)
        if not own_transaction:
            conn.execute("SELECT pg_catalog.set_config('search_path', %s, true)", [previous])
    return database


def _silent(message: str) -> None:
    pass


def _without_gc(read: Callable[[Sequence[str] | None], Database], schemas: Sequence[str] | None) -> Database:
    """Run ``read`` with the cyclic garbage collector paused.

    Building the model allocates hundreds of thousands of small objects and no cycles; left on,
    the collector rescans them over and over (a third of the time on large schemas).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return read(schemas)
    finally:
        if enabled:
            gc.enable()


# Catalog columns newer than PostgreSQL 13: column -> (first server_version that has it, what
# stands for it on older servers). PostgreSQL 13 and 14 know neither ON DELETE SET NULL (cols)
# nor NULLS NOT DISTINCT, so "absent" has exactly the meaning of the missing column.
_NEWER_COLUMNS = {
    "confdelsetcols": (150000, "NULL::pg_catalog.int2[]"),
    "indnullsnotdistinct": (150000, "NULL::boolean"),
}
_MARKER = re.compile(r"\{\{(\w+)\.(\w+)\}\}")


@cache
def _query(name: str, server_version: int) -> str:
    text = (files("pgshape.pg") / "queries" / f"{name}.sql").read_text(encoding="utf-8")

    def substitute(marker: re.Match[str]) -> str:
        alias, column = marker.groups()
        since, absent = _NEWER_COLUMNS[column]
        return f"{alias}.{column}" if server_version >= since else absent

    return _MARKER.sub(substitute, text)


# The queries after "schemas" (which decides the schema list the others take), in the order
# read() assembles them; they run one step ahead on a thread (see introspect_ahead.py). Columns
# come first: constraint and index keys are named from them.
_AHEAD = (
    "collations",
    "opclasses",
    "columns",
    "constraints",
    "indexes",
    "triggers",
    "policies",
    "relations",
    "views",
    "functions",
    "sequences",
    "composites",
    "domains",
    "enums",
    "extensions",
)


class _Reader:
    """Runs each query once and assembles the IR."""

    def __init__(self, conn: psycopg.Connection[Any], progress: Progress) -> None:
        self.conn = conn
        self.progress = progress
        self.params: dict[str, Any] = {}
        self.ahead: ReadAhead[psycopg.Cursor[Any]] | None = None

    def execute(self, name: str) -> psycopg.Cursor[Any]:
        """Run one query; its rows are in the cursor, not yet converted to Python values."""
        # Named tuples: a dict per row cost 0.04 s on 25,000 columns; a tuple with named fields
        # is half the price and keeps row.name readable.
        cursor = self.conn.cursor(row_factory=namedtuple_row)
        cursor.execute(_query(name, self.conn.info.server_version), self.params)  # type: ignore[arg-type]
        return cursor

    def cancel(self) -> None:
        # If the cancel request cannot be sent, the query just runs to its end.
        with contextlib.suppress(psycopg.Error):
            self.conn.cancel_safe(timeout=5.0)

    def rows(self, name: str) -> Rows:
        self.progress(name)
        # The rows are converted here rather than on the read-ahead thread, which has already
        # sent the next query: the server works on it while Python converts these.
        with self.ahead.next(name) if self.ahead is not None else self.execute(name) as cursor:
            return cursor.fetchall()

    def read(self, schemas: Sequence[str] | None) -> Database:
        if isinstance(schemas, str):  # one name, not a sequence of characters
            schemas = [schemas]
        self.params = {"schemas": list(schemas) if schemas is not None else None}
        schema_rows = self.rows("schemas")
        # Every later query is limited to the schemas found here.
        self.params = {"schemas": [row.name for row in schema_rows]}
        self.ahead = ReadAhead(self.execute, _AHEAD, cancel=self.cancel)
        try:
            return self.assemble(schema_rows)
        finally:
            self.ahead.close()
            self.ahead = None

    def assemble(self, schema_rows: Rows) -> Database:
        # Each result is turned into model objects as soon as it is read, in _AHEAD's order.
        parts = RelationParts(
            collations={row.oid: row.name for row in self.rows("collations")},
            opclasses={row.oid: row.name for row in self.rows("opclasses")},
        )
        parts.add_columns(self.rows("columns"))
        parts.add_constraints(self.rows("constraints"))
        parts.add_indexes(self.rows("indexes"))
        parts.add_triggers(self.rows("triggers"))
        parts.add_policies(self.rows("policies"))
        relations = self.rows("relations")
        tables = [parts.table(row) for row in relations if row.kind in ("r", "p")]
        views_by_oid = {row.oid: row for row in self.rows("views")}
        views = [parts.view(row, views_by_oid[row.oid]) for row in relations if row.kind in ("v", "m")]
        functions = [objects.function(row) for row in self.rows("functions")]
        sequences = [objects.sequence(row) for row in self.rows("sequences")]
        composites = [
            objects.composite(row, parts.column_rows.get(row.relation_oid, []), parts.collations)
            for row in self.rows("composites")
        ]
        domains = [objects.domain(row) for row in self.rows("domains")]
        enums = [objects.enum(row) for row in self.rows("enums")]
        extensions = [objects.extension(row) for row in self.rows("extensions")]
        self.progress("assembling")
        return Database(
            schemas=tuple(objects.schema(row) for row in schema_rows),
            extensions=tuple(extensions),
            enums=tuple(enums),
            domains=tuple(domains),
            composite_types=tuple(composites),
            sequences=tuple(sequences),
            tables=tuple(tables),
            views=tuple(views),
            functions=tuple(functions),
            expressions_canonical=True,
        )
