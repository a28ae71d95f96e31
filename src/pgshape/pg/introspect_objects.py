"""Schema-level objects (schemas, extensions, types, sequences, functions) from catalog rows."""

from __future__ import annotations

from pgshape.model import (
    CheckConstraint,
    CompositeAttribute,
    CompositeType,
    Domain,
    EnumType,
    Extension,
    Function,
    SchemaInfo,
)
from pgshape.model import Sequence as SequenceObject
from pgshape.pg.introspect_relations import Row, Rows, column_collation, default_bounds, unless

# PostgreSQL's own comment on the public schema is not part of anyone's design.
_DEFAULT_PUBLIC_COMMENT = "standard public schema"


def schema(row: Row) -> SchemaInfo:
    comment = row.comment
    if row.name == "public" and comment == _DEFAULT_PUBLIC_COMMENT:
        comment = None
    return SchemaInfo(name=row.name, comment=comment)


def extension(row: Row) -> Extension:
    return Extension(name=row.name, schema=row.schema, version=row.version)


def enum(row: Row) -> EnumType:
    return EnumType(schema=row.schema, name=row.name, labels=tuple(row.labels), comment=row.comment)


def domain(row: Row) -> Domain:
    return Domain(
        schema=row.schema,
        name=row.name,
        base_type=row.base_type,
        nullable=row.nullable,
        default=row.default_value,
        collation=row.collation,
        checks=tuple(
            CheckConstraint(
                name=check["name"],
                expression=check["expression"],
                validated=check["validated"],
                comment=check["comment"],
            )
            for check in row.checks
        ),
        comment=row.comment,
    )


def composite(row: Row, columns: Rows, collations: dict[int, str]) -> CompositeType:
    return CompositeType(
        schema=row.schema,
        name=row.name,
        attributes=tuple(
            CompositeAttribute(
                name=column.name, type=column.type, collation=column_collation(column, collations)
            )
            for column in columns
        ),
        comment=row.comment,
    )


def sequence(row: Row) -> SequenceObject:
    low, high = default_bounds(row.type, row.increment)
    owner = (row.owner_schema, row.owner_table, row.owner_column)
    return SequenceObject(
        schema=row.schema,
        name=row.name,
        type=row.type,
        start=row.start,
        increment=row.increment,
        min_value=unless(row.min_value, low),
        max_value=unless(row.max_value, high),
        cache=row.cache,
        cycle=row.cycle,
        owned_by=owner if row.owner_table is not None else None,
        comment=row.comment,
    )


_FUNCTION_KINDS = {"f": "function", "p": "procedure", "a": "aggregate", "w": "window"}
_VOLATILITIES = {"i": "immutable", "s": "stable", "v": "volatile"}


def function(row: Row) -> Function:
    return Function(
        schema=row.schema,
        name=row.name,
        arguments=row.arguments,
        definition=row.definition,
        kind=_FUNCTION_KINDS[row.kind],  # type: ignore[arg-type]
        returns=row.returns,
        language=row.language,
        security_definer=row.security_definer,
        volatility=_VOLATILITIES[row.volatility],  # type: ignore[arg-type]
        config=tuple(sorted(row.config)),
        depends_on=tuple((schema, name) for schema, name in row.depends_on),
        comment=row.comment,
    )
