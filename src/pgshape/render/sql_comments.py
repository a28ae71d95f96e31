"""COMMENT ON statements for every object of a model that carries a comment.

One small function per object kind yields (target, comment) pairs; the target is the part of
``COMMENT ON <target> IS '...'`` that names the object.
"""

from __future__ import annotations

from collections.abc import Iterator

from pgshape.model import Database, Function, Table, View
from pgshape.render.identifiers import qualified, quote_ident, quote_literal

Comment = tuple[str, str | None]

_FUNCTION_KINDS = {
    "function": "FUNCTION",
    "window": "FUNCTION",
    "procedure": "PROCEDURE",
    "aggregate": "AGGREGATE",
}


def _schemas(db: Database) -> Iterator[Comment]:
    for schema in db.schemas:
        yield f"SCHEMA {quote_ident(schema.name)}", schema.comment


def _types(db: Database) -> Iterator[Comment]:
    for enum in db.enums:
        yield f"TYPE {qualified(*enum.key)}", enum.comment
    for composite in db.composite_types:
        yield f"TYPE {qualified(*composite.key)}", composite.comment
    for domain in db.domains:
        name = qualified(*domain.key)
        yield f"DOMAIN {name}", domain.comment
        for check in domain.checks:
            yield f"CONSTRAINT {quote_ident(check.name)} ON DOMAIN {name}", check.comment


def _sequences(db: Database) -> Iterator[Comment]:
    for sequence in db.sequences:
        yield f"SEQUENCE {qualified(*sequence.key)}", sequence.comment


def _table(table: Table) -> Iterator[Comment]:
    name = qualified(*table.key)
    yield f"TABLE {name}", table.comment
    for column in table.columns:
        yield f"COLUMN {name}.{quote_ident(column.name)}", column.comment
    constraints = [
        *([table.primary_key] if table.primary_key else []),
        *table.unique_constraints,
        *table.check_constraints,
        *table.exclusion_constraints,
        *table.foreign_keys,
    ]
    for constraint in sorted(constraints, key=lambda c: c.name):
        yield f"CONSTRAINT {quote_ident(constraint.name)} ON {name}", constraint.comment
    for index in table.indexes:
        yield f"INDEX {qualified(table.schema, index.name)}", index.comment
    for trigger in table.triggers:
        yield f"TRIGGER {quote_ident(trigger.name)} ON {name}", trigger.comment
    for policy in table.policies:
        yield f"POLICY {quote_ident(policy.name)} ON {name}", policy.comment


def _view(view: View) -> Iterator[Comment]:
    name = qualified(*view.key)
    yield f"{'MATERIALIZED VIEW' if view.materialized else 'VIEW'} {name}", view.comment
    for column in view.columns:
        yield f"COLUMN {name}.{quote_ident(column.name)}", column.comment
    for index in view.indexes:
        yield f"INDEX {qualified(view.schema, index.name)}", index.comment
    for trigger in view.triggers:
        yield f"TRIGGER {quote_ident(trigger.name)} ON {name}", trigger.comment


def _function(function: Function) -> Iterator[Comment]:
    # The identity arguments (pg_get_function_identity_arguments) are valid in COMMENT ON,
    # including argument names and an aggregate's ORDER BY.
    kind = _FUNCTION_KINDS[function.kind]
    yield f"{kind} {qualified(function.schema, function.name)}({function.arguments})", function.comment


def comment_targets(db: Database) -> Iterator[Comment]:
    yield from _schemas(db)
    yield from _types(db)
    yield from _sequences(db)
    for table in db.tables:
        yield from _table(table)
    for view in db.views:
        yield from _view(view)
    for function in db.functions:
        yield from _function(function)


def comment_statements(db: Database) -> list[str]:
    return [
        f"COMMENT ON {target} IS {quote_literal(text)}"
        for target, text in comment_targets(db)
        if text is not None
    ]
