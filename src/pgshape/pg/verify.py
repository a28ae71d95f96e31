"""Proving a model: render it, build it on a fresh scratch database, read it back, compare.

This is the round trip every feature is tested by: source → IR → SQL → PostgreSQL → IR′,
and IR == IR′.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import psycopg

from pgshape.errors import PgshapeError
from pgshape.model import Database
from pgshape.model.compare import Difference, compare
from pgshape.pg.connect import connect
from pgshape.pg.scratch import scratch_database, scratch_server_url

Progress = Callable[[str], None]


class RenderFailedError(PgshapeError):
    """The rendered DDL did not execute: the model is inconsistent (or pgshape has a bug)."""


@dataclass(frozen=True)
class Proof:
    expected: Database  # the model, expressions normalised by the server
    actual: Database  # what the scratch database holds after running the DDL
    differences: tuple[Difference, ...]
    statements: int

    @property
    def identical(self) -> bool:
        return not self.differences


def canonical(database: Database, server_url: str) -> Database:
    """The model with its expressions as the server prints them (no-op for server-read models)."""
    if database.expressions_canonical:
        return database
    from pgshape.pg.normalize import normalize

    return normalize(database, server_url)


def apply_statements(url: str, statements: list[str]) -> None:
    """Run DDL statements one by one in autocommit mode, naming the one that fails."""
    with connect(url, autocommit=True) as conn:
        for number, statement in enumerate(statements, start=1):
            try:
                conn.execute(statement)  # type: ignore[arg-type]
            except psycopg.Error as error:
                first_line = statement.strip().splitlines()[0][:120]
                reason = (error.diag.message_primary or str(error)).strip()
                raise RenderFailedError(f"statement {number} ({first_line}) failed: {reason}") from None


def prove(database: Database, *, scratch_url: str | None = None, progress: Progress | None = None) -> Proof:
    from pgshape.pg.introspect import introspect
    from pgshape.render.sql import render_statements

    note = progress or (lambda message: None)
    server = scratch_server_url(scratch_url)
    note("normalising expressions")
    expected = canonical(database, server)
    statements = render_statements(expected)
    with scratch_database(server) as url:
        note(f"applying {len(statements)} statements")
        apply_statements(url, statements)
        note("reading the schema back")
        actual = introspect(url)
    return Proof(expected, actual, tuple(compare(expected, actual)), len(statements))
