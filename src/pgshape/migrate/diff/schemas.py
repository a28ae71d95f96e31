"""Schemas (namespaces). ``public`` exists in every database and is never created or dropped."""

from __future__ import annotations

from collections.abc import Iterator

from pgshape.migrate.diff._match import match
from pgshape.migrate.diff.context import Context
from pgshape.migrate.ops import CreateSchema, DropSchema, Operation
from pgshape.model import Database, SchemaInfo


def _schemas(db: Database) -> list[SchemaInfo]:
    listed = {s.name: s for s in db.schemas}
    for name in db.schema_names:
        listed.setdefault(name, SchemaInfo(name))
    return [s for name, s in sorted(listed.items()) if name != "public" and not name.startswith("pg_")]


def diff(ctx: Context) -> Iterator[Operation]:
    for before, after in match(_schemas(ctx.before), _schemas(ctx.after), lambda s: s.name):
        if after is None and before is not None:
            yield DropSchema(before)
        elif before is None and after is not None:
            yield CreateSchema(after)
