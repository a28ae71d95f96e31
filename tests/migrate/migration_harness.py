"""Runs schema-change cases in batches: many cases per database, one schema per case.

For a batch: database A gets every case's A (and seed rows), database B every case's B; both
are introspected once. Each case is planned from its own schema's slice of the two models,
its up plan applied to A (block by block, as the rendered script runs); A is read back once and
every slice compared with B; then every down plan is applied and A compared with the original.
Row counts and fingerprints of unchanged columns are taken before, between and after.

The cost per case is a few statements instead of three databases and four introspections, which
keeps some 230 cases within the time budget on two workers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import psycopg
from migration_cases import Case

from pgshape.migrate import rename
from pgshape.migrate.pipeline import Migration, migration
from pgshape.migrate.plan import PlanOptions
from pgshape.migrate.render_sql import blocks, script
from pgshape.model import Database
from pgshape.model.compare import Difference, compare
from pgshape.pg.introspect import introspect
from pgshape.pg.prove_migration import StepFailedError, row_losses, run_blocks, snapshot, watched_tables
from pgshape.pg.scratch import scratch_database


@dataclass
class Outcome:
    case: Case
    schema: str
    setup_error: str | None = None
    migration: Migration | None = None
    up_error: str | None = None
    down_error: str | None = None
    up_differences: list[Difference] = field(default_factory=list)
    down_differences: list[Difference] = field(default_factory=list)
    order_only: list[Difference] = field(default_factory=list)
    lost_rows: list[str] = field(default_factory=list)
    seeded_rows: int = 0

    def scripts(self) -> str:
        if self.migration is None:
            return ""
        plan = self.migration.plan
        return "UP:\n" + script(plan.up, plan.options) + "\nDOWN:\n" + script(plan.down, plan.options)


def only(db: Database, schema: str) -> Database:
    """The part of ``db`` in ``schema`` and the schemas named ``schema_*``."""

    def mine(name: str) -> bool:
        return name == schema or name.startswith(schema + "_")

    return Database(
        schemas=tuple(s for s in db.schemas if mine(s.name)),
        extensions=tuple(e for e in db.extensions if mine(e.schema)),
        enums=tuple(e for e in db.enums if mine(e.schema)),
        domains=tuple(d for d in db.domains if mine(d.schema)),
        composite_types=tuple(c for c in db.composite_types if mine(c.schema)),
        sequences=tuple(s for s in db.sequences if mine(s.schema)),
        tables=tuple(t for t in db.tables if mine(t.schema)),
        views=tuple(v for v in db.views if mine(v.schema)),
        functions=tuple(f for f in db.functions if mine(f.schema)),
    )


def _sql(text: str, schema: str) -> str:
    return text.replace("{s}", schema)


def _run(conn: psycopg.Connection, schema: str, text: str) -> str | None:
    try:
        conn.execute(f"SET search_path = {schema}, public")
        if text.strip():
            conn.execute(_sql(text, schema))  # type: ignore[arg-type]
        return None
    except psycopg.Error as error:
        return (error.diag.message_primary or str(error)).strip()
    finally:
        conn.execute("RESET search_path")


def build_all(server: str, cases: list[Case]) -> tuple[Database, Database, dict[str, str]]:
    """Every case's A in one scratch database and its B in another, each case in a schema of its
    own (``c001``, ...); both read back. Returns (A side, B side, case name → schema)."""
    from pgshape.pg.introspect import introspect

    schemas = {c.name: f"c{n:03d}" for n, c in enumerate(cases, start=1)}
    with scratch_database(server) as a_url, scratch_database(server) as b_url:
        with psycopg.connect(a_url, autocommit=True) as a, psycopg.connect(b_url, autocommit=True) as b:
            for case in cases:
                s = schemas[case.name]
                a.execute(f"CREATE SCHEMA {s}")  # type: ignore[arg-type]
                b.execute(f"CREATE SCHEMA {s}")  # type: ignore[arg-type]
                assert _run(a, s, case.a) is None and _run(b, s, case.b) is None, case.name
        return introspect(a_url), introspect(b_url), schemas


def run_batch(server: str, numbered: list[tuple[int, Case]]) -> dict[str, Outcome]:
    outcomes = {case.name: Outcome(case, f"c{number:03d}") for number, case in numbered}
    with scratch_database(server) as a_url, scratch_database(server) as b_url:
        with psycopg.connect(a_url, autocommit=True) as a, psycopg.connect(b_url, autocommit=True) as b:
            for outcome in outcomes.values():
                s = outcome.schema
                a.execute(f"CREATE SCHEMA {s}")  # type: ignore[arg-type]
                b.execute(f"CREATE SCHEMA {s}")  # type: ignore[arg-type]
                error = (
                    _run(a, s, outcome.case.a) or _run(b, s, outcome.case.b) or _run(a, s, outcome.case.seed)
                )
                if error:
                    outcome.setup_error = error
        ready = [o for o in outcomes.values() if o.setup_error is None]
        before_all, after_all = introspect(a_url), introspect(b_url)
        slices: dict[str, tuple[Database, Database]] = {}
        starts = {}
        for outcome in ready:
            before, after = only(before_all, outcome.schema), only(after_all, outcome.schema)
            slices[outcome.schema] = (before, after)
            hints = rename.resolve([_sql(r, outcome.schema) for r in outcome.case.renames], before)
            options = PlanOptions(online=outcome.case.online)
            outcome.migration = migration(before, after, hints, options)
            watched = watched_tables(outcome.migration.plan, before, after)
            starts[outcome.schema] = (watched, snapshot(a_url, {k: c for k, (_, c) in watched.items()}))
            every = {t.key: [] for t in before.tables if not t.is_partitioned}
            outcome.seeded_rows = sum(count for count, _ in snapshot(a_url, every).values())
            try:
                run_blocks(a_url, blocks(outcome.migration.plan.up, options), direction="up")
            except StepFailedError as error:
                outcome.up_error = str(error)
        upped = introspect(a_url)
        for outcome in ready:
            if outcome.up_error is not None or outcome.migration is None:
                continue
            before, after = slices[outcome.schema]
            found = compare(after, only(upped, outcome.schema))
            outcome.up_differences = [d for d in found if not d.order_only]
            outcome.order_only += [d for d in found if d.order_only]
            watched, start = starts[outcome.schema]
            middle = snapshot(a_url, {twin: c for _, (twin, c) in watched.items()})
            outcome.lost_rows += row_losses(start, middle, watched, "after up", twins=True)
            try:
                plan = outcome.migration.plan
                run_blocks(a_url, blocks(plan.down, plan.options), direction="down")
            except StepFailedError as error:
                outcome.down_error = str(error)
        downed = introspect(a_url)
        for outcome in ready:
            if outcome.up_error is not None or outcome.down_error is not None:
                continue
            before, _ = slices[outcome.schema]
            found = compare(before, only(downed, outcome.schema))
            outcome.down_differences = [d for d in found if not d.order_only]
            outcome.order_only += [d for d in found if d.order_only]
            watched, start = starts[outcome.schema]
            end = snapshot(a_url, {k: c for k, (_, c) in watched.items()})
            outcome.lost_rows += row_losses(start, end, watched, "after down", twins=False)
    return outcomes
