"""Proving a migration plan on a scratch database.

``prove(plan, before, after)``:

1. builds FROM (``before``) on a fresh scratch database;
2. inserts generated sample rows (``seed``): a few rows per table, parents before children, with
   foreign key values taken from the referenced rows and values that fit the column types; a
   row that a check or key refuses is retried with only the required columns, then given up
   (the verdict says how many tables got rows);
3. applies the up plan exactly as rendered, block by block (``BEGIN … COMMIT`` around
   transactional blocks, ``CONCURRENTLY`` steps outside), reads the schema back and compares it
   with TO;
4. applies the down plan the same way and compares with FROM again;
5. checks that the rows survived: the row count of every table that exists on both sides, and
   a fingerprint of every column whose name and type are the same on both sides.

Column order differences are reported but do not fail the proof: a migration appends columns
and never rebuilds a table to reorder them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import psycopg

from pgshape.errors import PgshapeError
from pgshape.migrate import ops as o
from pgshape.migrate.plan import Plan, PlanOptions
from pgshape.migrate.render_sql import Block, Step, blocks
from pgshape.model import Column, Database, Table
from pgshape.model.compare import Difference, compare
from pgshape.pg.connect import connect
from pgshape.pg.scratch import scratch_database, scratch_server_url
from pgshape.render.identifiers import qualified, quote_ident, quote_literal
from pgshape.render.sql import SESSION_SETTINGS
from pgshape.render.sql_order import order_tables, toposort

Progress = Callable[[str], None]


class StepFailedError(PgshapeError):
    """A step of a plan failed on the scratch database."""


# Running a plan ---------------------------------------------------------------------------------


def run_blocks(url: str, block_list: Iterable[Block], *, direction: str = "up") -> None:
    """Execute rendered blocks as a client running the script would (the script's session
    settings first: function bodies are not validated at creation, as in the script)."""
    with connect(url, autocommit=True) as conn:
        for setting in SESSION_SETTINGS:
            conn.execute(setting)  # type: ignore[arg-type]
        for block in block_list:
            current: list[tuple[Step, str]] = []
            try:
                if block.transactional:
                    with conn.transaction():
                        _run_steps(conn, block, current)
                else:
                    _run_steps(conn, block, current)
            except psycopg.Error as error:
                step, statement = current[-1]
                reason = (error.diag.message_primary or str(error)).strip()
                raise StepFailedError(
                    f"{direction} step {step.number} ({step.operation.describe()}) failed: {reason}"
                    f" — in: {statement.splitlines()[0][:120]}"
                ) from None


def _run_steps(conn: psycopg.Connection[Any], block: Block, current: list[tuple[Step, str]]) -> None:
    for step in block.steps:
        for statement in step.settings + step.statements:
            current.append((step, statement))
            conn.execute(statement)  # type: ignore[arg-type]


def apply_plan(
    url: str, operations: tuple[o.Operation, ...], options: PlanOptions, *, direction: str = "up"
) -> None:
    run_blocks(url, blocks(operations, options), direction=direction)


# Sample rows ------------------------------------------------------------------------------------


def _text_value(column: Column, i: int, db: Database) -> str | None:
    """A literal (as text) for row ``i`` that fits ``column.type``, or None when unknown."""
    base = column.type
    domain = next((d for d in db.domains if qualified(*d.key) == base), None)
    if domain is not None:
        base = domain.base_type
    enum = next((e for e in db.enums if qualified(*e.key) == base), None)
    if enum is not None:
        return enum.labels[i % len(enum.labels)] if enum.labels else None
    if base.endswith("]"):
        return "{}"
    if base in ("smallint", "integer", "bigint") or base.startswith("numeric"):
        return str(i + 1)
    if base in ("real", "double precision"):
        return f"{i + 1}.5"
    if base == "boolean":
        return "true" if i % 2 == 0 else "false"
    if base in ("text", "name", "citext") or base.startswith(("character", "bit")):
        return f"{'1' * (i + 1)}" if base.startswith("bit") else f"s{i + 1}"
    if base == "date":
        return f"2024-01-{i + 1:02d}"
    if base.startswith("timestamp"):
        return f"2024-01-{i + 1:02d} 12:00:00"
    if base.startswith("time"):
        return f"12:{i:02d}:00"
    if base.startswith("interval"):
        return f"{i + 1} days"
    if base == "uuid":
        return f"00000000-0000-4000-8000-{i + 1:012d}"
    if base in ("json", "jsonb"):
        return "{}" if i == 0 else f'{{"n": {i}}}'
    if base == "bytea":
        return f"\\x{i:02x}"
    if base in ("inet", "cidr"):
        return f"10.0.0.{i + 1}"
    return None


def _dependencies(table: Table) -> list[tuple[str, str]]:
    return [fk.referenced for fk in table.foreign_keys if fk.referenced != table.key]


@dataclass
class Seeded:
    rows: dict[tuple[str, str], int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def seed(url: str, db: Database, *, rows: int = 3) -> Seeded:
    """Insert up to ``rows`` generated rows into every table of ``db`` (partitions through their
    parent). Never fails: a table whose rows are refused is listed in ``skipped``."""
    result = Seeded()
    tables = [t for t in order_tables(db.tables) if not t.is_partition]
    tables = toposort(tables, lambda t: t.key, _dependencies)
    with connect(url, autocommit=True) as conn:
        for table in tables:
            inserted = 0
            for i in range(rows):
                if _insert_row(conn, db, table, i):
                    inserted += 1
            if inserted:
                result.rows[table.key] = inserted
            else:
                result.skipped.append(f"{table.schema}.{table.name}")
    return result


def _insert_row(conn: psycopg.Connection[Any], db: Database, table: Table, i: int) -> bool:
    for full in (True, False):
        statement = _insert_statement(conn, db, table, i, full=full)
        if statement is None:
            continue
        try:
            with conn.transaction():
                conn.execute(statement)  # type: ignore[arg-type]
            return True
        except psycopg.Error:
            continue
    return False


def _insert_statement(
    conn: psycopg.Connection[Any], db: Database, table: Table, i: int, *, full: bool
) -> str | None:
    fk_columns: dict[str, str] = {}
    for fk in table.foreign_keys:
        if fk.referenced == table.key:
            continue  # self-references stay NULL
        parent = qualified(*fk.referenced)
        columns = ", ".join(quote_ident(c) for c in fk.referenced_columns)
        found = (
            conn.execute(
                f"SELECT {columns} FROM {parent} ORDER BY 1 LIMIT 1 OFFSET {i}"  # type: ignore[arg-type]
            ).fetchone()
            or conn.execute(f"SELECT {columns} FROM {parent} ORDER BY 1 LIMIT 1").fetchone()
        )  # type: ignore[arg-type]
        if found is None:
            continue
        for column, value in zip(fk.columns, found, strict=False):
            if value is not None:
                fk_columns[column] = quote_literal(str(value))
    names, values = [], []
    for column in table.columns:
        if column.generated is not None or column.identity is not None:
            continue
        required = not column.nullable and column.default is None
        if column.name in fk_columns:
            literal = fk_columns[column.name]
        elif required or (full and column.default is None):
            text = _text_value(column, i, db)
            if text is None:
                if required:
                    return None
                continue
            literal = quote_literal(text)
        else:
            continue
        names.append(quote_ident(column.name))
        values.append(f"{literal}::{column.type}")
    if not names:
        return f"INSERT INTO {qualified(*table.key)} DEFAULT VALUES"
    return f"INSERT INTO {qualified(*table.key)} ({', '.join(names)}) VALUES ({', '.join(values)})"


# Rows surviving -----------------------------------------------------------------------------------


def fingerprint_columns(a: Table, b: Table) -> list[str]:
    kept = {c.name: c.type for c in b.columns}
    return [c.name for c in a.columns if kept.get(c.name) == c.type and c.generated is None]


def snapshot(url: str, tables: dict[tuple[str, str], list[str]]) -> dict[tuple[str, str], tuple[int, str]]:
    """(row count, fingerprint of the named columns) per table."""
    found = {}
    with connect(url, read_only=True) as conn:
        for key, columns in tables.items():
            row = "ROW(" + ", ".join(quote_ident(c) for c in columns) + ")::text" if columns else "''"
            digest = f"coalesce(md5(string_agg({row}, ',' ORDER BY {row})), '')"
            query = f"SELECT count(*), {digest} FROM {qualified(*key)}"
            count, digest = conn.execute(query).fetchone()  # type: ignore[arg-type, misc]
            found[key] = (int(count), str(digest))
    return found


Watched = dict[tuple[str, str], tuple[tuple[str, str], list[str]]]


def watched_tables(plan: Plan, before: Database, after: Database) -> Watched:
    """The tables whose rows must survive: FROM key → (TO key, columns to fingerprint).

    A renamed table is followed to its new name (rows counted only); a partitioned table's rows
    are its partitions' and are counted there.
    """
    renamed = {op.table: (op.table[0], op.new_name) for op in plan.up if isinstance(op, o.RenameTable)}
    # Columns a destructive step changes (removed enum labels become NULL) lose values by consent.
    touched = {
        ref[1:] for op in (*plan.up, *plan.down) if op.destructive for ref in op.refs if ref[0] == "column"
    }
    watched: Watched = {}
    for table in before.tables:
        twin = after.tables_by_key.get(renamed.get(table.key, table.key))
        if twin is None or table.is_partitioned:
            continue
        # Columns are matched by name and type, so a renamed column is counted, not compared.
        columns = fingerprint_columns(table, twin) if table.key not in renamed else []
        watched[table.key] = (twin.key, [c for c in columns if (*table.key, c) not in touched])
    return watched


def row_losses(
    start: dict[tuple[str, str], tuple[int, str]],
    now: dict[tuple[str, str], tuple[int, str]],
    watched: Watched,
    when: str,
    *,
    twins: bool,
) -> list[str]:
    """What differs between two snapshots (``twins``: ``now`` is keyed by the TO names)."""
    problems = []
    for key, (twin, _) in watched.items():
        here = now[twin if twins else key]
        name = ".".join(twin if twins else key)
        if here[0] != start[key][0]:
            problems.append(f"{name}: {start[key][0]} rows before, {here[0]} {when}")
        elif here[1] != start[key][1]:
            problems.append(f"{name}: values of unchanged columns differ {when}")
    return problems


# The proof ----------------------------------------------------------------------------------------


@dataclass
class Verdict:
    up_differences: list[Difference] = field(default_factory=list)
    down_differences: list[Difference] = field(default_factory=list)
    order_notes: list[str] = field(default_factory=list)
    seeded: Seeded = field(default_factory=Seeded)
    lost_rows: list[str] = field(default_factory=list)
    failure: str | None = None
    checked_tables: int = 0

    @property
    def proven(self) -> bool:
        return (
            self.failure is None
            and not self.up_differences
            and not self.down_differences
            and not self.lost_rows
        )

    def summary(self) -> str:
        rows = sum(self.seeded.rows.values())
        if self.failure is not None:
            return f"NOT PROVEN: {self.failure}"
        lines = []
        if self.proven:
            lines.append(
                f"proven on a scratch database: up → TO identical, down → FROM identical; "
                f"{rows} sample rows in {len(self.seeded.rows)} tables survived"
                f" ({self.checked_tables} tables checked)"
            )
        else:
            lines.append("NOT PROVEN")
            lines += [f"after up: {d}" for d in self.up_differences]
            lines += [f"after down: {d}" for d in self.down_differences]
            lines += [f"rows: {item}" for item in self.lost_rows]
        if self.seeded.skipped:
            lines.append(f"no sample rows for: {', '.join(self.seeded.skipped)}")
        lines += self.order_notes
        return "\n".join(lines)


def _split(differences: list[Difference], verdict: Verdict, side: str) -> list[Difference]:
    real = [d for d in differences if not d.order_only]
    verdict.order_notes += [f"{side}: {d}" for d in differences if d.order_only]
    return real


def prove(
    plan: Plan,
    before: Database,
    after: Database,
    *,
    scratch_url: str | None = None,
    rows: int = 3,
    progress: Progress | None = None,
    seed_sql: str | None = None,
) -> Verdict:
    """Prove ``plan`` (canonical ``before`` → ``after``) on a fresh scratch database."""
    from pgshape.pg.introspect import introspect
    from pgshape.pg.verify import apply_statements
    from pgshape.render.sql import render_statements

    note = progress or (lambda message: None)
    verdict = Verdict()
    server = scratch_server_url(scratch_url)
    with scratch_database(server) as url:
        note("building FROM")
        apply_statements(url, render_statements(before))
        note("inserting sample rows")
        if seed_sql is not None:
            with connect(url, autocommit=True) as conn:
                conn.execute(seed_sql)  # type: ignore[arg-type]
            verdict.seeded = Seeded(rows={t.key: 1 for t in before.tables})
        else:
            verdict.seeded = seed(url, before, rows=rows)
        watched = watched_tables(plan, before, after)
        start = snapshot(url, {k: cols for k, (_, cols) in watched.items()})
        verdict.checked_tables = len(watched)
        try:
            note("applying the up plan")
            apply_plan(url, plan.up, plan.options, direction="up")
            note("reading back")
            verdict.up_differences = _split(compare(after, introspect(url)), verdict, "after up")
            middle = snapshot(url, {twin: cols for _, (twin, cols) in watched.items()})
            verdict.lost_rows += row_losses(start, middle, watched, "after up", twins=True)
            note("applying the down plan")
            apply_plan(url, plan.down, plan.options, direction="down")
            verdict.down_differences = _split(compare(before, introspect(url)), verdict, "after down")
            end = snapshot(url, {k: cols for k, (_, cols) in watched.items()})
            verdict.lost_rows += row_losses(start, end, watched, "after down", twins=False)
        except StepFailedError as error:
            verdict.failure = str(error)
    return verdict


def canonical_pair(
    before: Database, after: Database, server_url: str | None = None
) -> tuple[Database, Database]:
    """Both models with expressions as the server prints them (hand-written sources)."""
    from pgshape.pg.verify import canonical

    server = scratch_server_url(server_url)
    return canonical(before, server), canonical(after, server)


__all__ = [
    "StepFailedError",
    "Verdict",
    "apply_plan",
    "canonical_pair",
    "prove",
    "run_blocks",
    "seed",
    "snapshot",
]
