"""Running migration statements on a scratch copy of FROM and recording what PostgreSQL did.

FROM is built on a fresh scratch database and seeded with sample rows (the proof's generator,
``prove_migration.seed``): a table with rows is what makes a scan, a rewrite or a refused
``NOT NULL`` column visible. Then the statements run in the file's order, grouped as the file
groups them: the statements of one transaction block share one transaction; any other
transactional statement gets its own; ``CONCURRENTLY`` statements run in autocommit mode.

For each statement, on its own connection and before its transaction ends:

- locks: ``pg_locks`` rows of this backend on user tables that are new or stronger than before
  the statement (locks are held to the end of the transaction, so nothing is missed);
- rewrites: tables whose ``pg_class.relfilenode`` changed;
- scans: tables whose ``pg_stat_xact_user_tables.seq_scan`` grew (this transaction's counters).

A statement PostgreSQL refuses is recorded with the error; its transaction is rolled back and
the rest of that block is skipped, as a script with ON_ERROR_STOP would stop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import psycopg

from pgshape.migrate.observed import Observation, Observations
from pgshape.migrate.statements import Statement, relation, walk
from pgshape.model import Database
from pgshape.pg.connect import connect
from pgshape.pg.scratch import scratch_database, scratch_server_url

_USER = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'"
_LOCKS = f"""
SELECT format('%I.%I', n.nspname, c.relname), l.mode
FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted
  AND c.relkind IN ('r', 'p', 'm') AND {_USER}
"""
_FILES = f"""
SELECT c.oid, format('%I.%I', n.nspname, c.relname), c.relfilenode
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm') AND {_USER}
"""
_SCANS = """
SELECT relid, format('%I.%I', schemaname, relname), seq_scan, seq_tup_read
FROM pg_stat_xact_user_tables
"""
_STRENGTH = {
    "AccessShareLock": 1,
    "RowShareLock": 2,
    "RowExclusiveLock": 3,
    "ShareUpdateExclusiveLock": 4,
    "ShareLock": 5,
    "ShareRowExclusiveLock": 6,
    "ExclusiveLock": 7,
    "AccessExclusiveLock": 8,
}
_SQL_NAME = {
    "AccessShareLock": "ACCESS SHARE",
    "RowShareLock": "ROW SHARE",
    "RowExclusiveLock": "ROW EXCLUSIVE",
    "ShareUpdateExclusiveLock": "SHARE UPDATE EXCLUSIVE",
    "ShareLock": "SHARE",
    "ShareRowExclusiveLock": "SHARE ROW EXCLUSIVE",
    "ExclusiveLock": "EXCLUSIVE",
    "AccessExclusiveLock": "ACCESS EXCLUSIVE",
}

Progress = Callable[[str], None]
Conn = psycopg.Connection[Any]


def _strongest(conn: Conn) -> dict[str, int]:
    found: dict[str, int] = {}
    for table, mode in conn.execute(_LOCKS).fetchall():  # type: ignore[arg-type]
        found[table] = max(found.get(table, 0), _STRENGTH.get(mode, 0))
    return found


def _files(conn: Conn) -> dict[int, tuple[str, int]]:
    return {oid: (name, node) for oid, name, node in conn.execute(_FILES).fetchall()}  # type: ignore[arg-type]


def _scans(conn: Conn) -> dict[int, tuple[str, int, int]]:
    return {oid: (name, scans, rows) for oid, name, scans, rows in conn.execute(_SCANS).fetchall()}  # type: ignore[arg-type]


def _transactional(statement: Statement) -> bool:
    node = statement.node
    if statement.kind in ("IndexStmt", "DropStmt") and node.get("concurrent"):
        return False
    if statement.kind == "ReindexStmt" and any(
        option.get("defname") == "concurrently" for _, option in walk(node.get("params"))
    ):
        return False
    # DETACH PARTITION ... CONCURRENTLY
    return not any(kind == "PartitionCmd" and cmd.get("concurrent") for kind, cmd in walk(node))


def _observe_one(conn: Conn, statement: Statement, existed: set[str]) -> Observation:
    """``existed``: the tables there before the statement's transaction began (a table created
    in the same transaction is invisible to everyone else: its locks block nobody)."""
    locks_before = _strongest(conn)
    files_before = _files(conn)
    scans_before = _scans(conn)
    conn.execute(statement.text)  # type: ignore[arg-type]
    locks_after = _strongest(conn)
    files_after = _files(conn)
    mode_of = {level: _SQL_NAME[mode] for mode, level in _STRENGTH.items()}

    def ordered(pairs: list[tuple[int, str]]) -> tuple[tuple[str, str], ...]:
        return tuple((table, mode_of[level]) for level, table in sorted(pairs, key=lambda x: (-x[0], x[1])))

    locks = ordered(
        [(level, t) for t, level in locks_after.items() if level > locks_before.get(t, 0) and t in existed]
    )
    rewritten = sorted(
        name
        for oid, (name, node) in files_before.items()
        if oid in files_after and files_after[oid][1] != node
    )
    scans_after = _scans(conn)
    scanned = sorted(
        (name, rows - scans_before.get(oid, (name, 0, 0))[2])
        for oid, (name, count, rows) in scans_after.items()
        if count > scans_before.get(oid, (name, 0, 0))[1] and oid in files_before
    )
    # Locks its transaction took earlier on the tables this statement works on still bind.
    touched = set(rewritten) | {name for name, _ in scanned} | _named(statement, locks_before)
    held = ordered([(level, t) for t, level in locks_before.items() if t in existed and t in touched])
    return Observation(statement.index, locks, tuple(rewritten), tuple(scanned), held=held)


def _named(statement: Statement, tables: dict[str, int]) -> set[str]:
    """The locked tables the statement names as its relation (schema-less: by table name)."""
    rel = relation(statement.node.get("relation"))
    if rel is None:
        return set()
    schema, name = rel
    return {
        t
        for t in tables
        if t.rsplit(".", 1)[-1].strip('"') == name and (schema is None or t.startswith(schema))
    }


def _groups(statements: Sequence[Statement]) -> list[list[Statement]]:
    """Statements to run together in one transaction (a one-element group without a
    transaction: autocommit). Transaction control statements are left out: we run the blocks."""
    groups: list[list[Statement]] = []
    current: int | None = None
    for statement in statements:
        if statement.kind == "TransactionStmt":
            continue
        if statement.transaction is not None and statement.transaction == current and groups:
            groups[-1].append(statement)
        else:
            groups.append([statement])
        current = statement.transaction
    return groups


def observe(
    before: Database,
    statements: Sequence[Statement],
    *,
    scratch_url: str | None = None,
    rows: int = 3,
    progress: Progress | None = None,
) -> Observations:
    """Run ``statements`` on a seeded scratch copy of ``before``; what each one did."""
    from pgshape.pg.prove_migration import seed
    from pgshape.pg.verify import apply_statements
    from pgshape.render.sql import render_statements

    note = progress or (lambda message: None)
    result = Observations()
    with scratch_database(scratch_server_url(scratch_url)) as url:
        note("building FROM")
        apply_statements(url, render_statements(before))
        note("inserting sample rows")
        result.seeded_rows = sum(seed(url, before, rows=rows).rows.values())
        note("running the statements")
        with connect(url, autocommit=True) as conn:
            for group in _groups(statements):
                _run_group(conn, group, result)
    for statement in statements:
        if statement.kind != "TransactionStmt" and statement.index not in result.by_statement:
            result.by_statement[statement.index] = Observation(statement.index, skipped=True)
    return result


def _run_group(conn: Conn, group: list[Statement], result: Observations) -> None:
    if len(group) == 1 and not _transactional(group[0]):
        statement = group[0]
        try:
            conn.execute(statement.text)  # type: ignore[arg-type]
            result.by_statement[statement.index] = Observation(statement.index, outside_transaction=True)
        except psycopg.Error as error:
            result.by_statement[statement.index] = Observation(statement.index, error=_message(error))
        return
    existed = {name for name, _ in _files(conn).values()}
    conn.execute("BEGIN")
    for statement in group:
        try:
            result.by_statement[statement.index] = _observe_one(conn, statement, existed)
        except psycopg.Error as error:
            result.by_statement[statement.index] = Observation(statement.index, error=_message(error))
            conn.execute("ROLLBACK")
            return
    conn.execute("COMMIT")


def _message(error: psycopg.Error) -> str:
    return (error.diag.message_primary or str(error)).strip()
