"""DDL for everything that is not a table: schemas, extensions, types, sequences, functions, views.

Each function returns statements without a trailing semicolon. Types, expressions and
definitions in the IR are already SQL text and are emitted verbatim; only names are quoted here.
"""

from __future__ import annotations

from collections.abc import Callable

from pgshape.model import (
    CheckConstraint,
    CompositeType,
    Domain,
    EnumType,
    Extension,
    Function,
    Sequence,
    View,
)
from pgshape.render.identifiers import qualified, quote_ident, quote_literal


def verbatim(definition: str) -> str:
    """A stored definition as one statement: pg_get_viewdef ends with ``;``, hand-written
    definitions may too, pg_get_functiondef ends with a newline."""
    return definition.strip().rstrip(";").rstrip()


def create_schema(name: str) -> str:
    return f"CREATE SCHEMA {quote_ident(name)}"


def create_extension(extension: Extension) -> str:
    # The version is informative only (servers differ), so the server's default is installed.
    name, schema = quote_ident(extension.name), quote_ident(extension.schema)
    return f"CREATE EXTENSION IF NOT EXISTS {name} WITH SCHEMA {schema}"


# Types ----------------------------------------------------------------------------------------


def create_enum(enum: EnumType) -> list[str]:
    labels = ", ".join(quote_literal(label) for label in enum.labels)
    return [f"CREATE TYPE {qualified(*enum.key)} AS ENUM ({labels})"]


def _domain_check(check: CheckConstraint) -> str:
    return f"CONSTRAINT {quote_ident(check.name)} CHECK ({check.expression})"


def create_domain(domain: Domain) -> list[str]:
    name = qualified(*domain.key)
    parts = [f"CREATE DOMAIN {name} AS {domain.base_type}"]
    if domain.collation:
        parts.append(f"COLLATE {domain.collation}")
    if domain.default is not None:
        parts.append(f"DEFAULT {domain.default}")
    if not domain.nullable:
        parts.append("NOT NULL")
    parts += [_domain_check(check) for check in domain.checks if check.validated]
    # CREATE DOMAIN has no NOT VALID; an unvalidated check can only be added afterwards.
    later = [
        f"ALTER DOMAIN {name} ADD {_domain_check(check)} NOT VALID"
        for check in domain.checks
        if not check.validated
    ]
    return [" ".join(parts), *later]


def create_composite(composite: CompositeType) -> list[str]:
    attributes = ",\n".join(
        f"    {quote_ident(a.name)} {a.type}" + (f" COLLATE {a.collation}" if a.collation else "")
        for a in composite.attributes
    )
    body = f"(\n{attributes}\n)" if attributes else "()"
    return [f"CREATE TYPE {qualified(*composite.key)} AS {body}"]


TYPE_RENDERERS: dict[type, Callable[..., list[str]]] = {
    EnumType: create_enum,
    Domain: create_domain,
    CompositeType: create_composite,
}


def create_type(obj: EnumType | Domain | CompositeType) -> list[str]:
    return TYPE_RENDERERS[type(obj)](obj)


# Sequences ------------------------------------------------------------------------------------


def create_sequence(sequence: Sequence) -> str:
    min_value = "NO MINVALUE" if sequence.min_value is None else f"MINVALUE {sequence.min_value}"
    max_value = "NO MAXVALUE" if sequence.max_value is None else f"MAXVALUE {sequence.max_value}"
    return (
        f"CREATE SEQUENCE {qualified(*sequence.key)} AS {sequence.type}"
        f" INCREMENT BY {sequence.increment} {min_value} {max_value}"
        f" START WITH {sequence.start} CACHE {sequence.cache} {'CYCLE' if sequence.cycle else 'NO CYCLE'}"
    )


def sequence_owned_by(sequence: Sequence) -> str | None:
    if sequence.owned_by is None:
        return None
    schema, table, column = sequence.owned_by
    owner = f"{qualified(schema, table)}.{quote_ident(column)}"
    return f"ALTER SEQUENCE {qualified(*sequence.key)} OWNED BY {owner}"


# Functions and views --------------------------------------------------------------------------


def create_function(function: Function) -> str:
    return verbatim(function.definition)


def create_view(view: View) -> str:
    kind = "MATERIALIZED VIEW" if view.materialized else "VIEW"
    options = f" WITH ({', '.join(view.options)})" if view.options else ""
    # A materialized view is created empty: building the schema must not run its query.
    suffix = "\nWITH NO DATA" if view.materialized else ""
    return f"CREATE {kind} {qualified(*view.key)}{options} AS\n{verbatim(view.definition)}{suffix}"
