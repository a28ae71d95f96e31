"""The schema model (IR): frozen, typed dataclasses; pure data, no I/O.

Every source loads into a :class:`Database`; every renderer, review rule and migration
planner reads only these objects.
"""

from pgshape.model.base import Origin
from pgshape.model.column import Column, Generated, Identity
from pgshape.model.constraints import (
    CheckConstraint,
    Deferral,
    ExclusionConstraint,
    ForeignKey,
    PrimaryKey,
    UniqueConstraint,
)
from pgshape.model.database import Database
from pgshape.model.index import Index, IndexKey
from pgshape.model.routines import Function, View
from pgshape.model.table import PartitionOf, Policy, Table, Trigger
from pgshape.model.types import (
    CompositeAttribute,
    CompositeType,
    Domain,
    EnumType,
    Extension,
    SchemaInfo,
    Sequence,
)

__all__ = [
    "CheckConstraint",
    "Column",
    "CompositeAttribute",
    "CompositeType",
    "Database",
    "Deferral",
    "Domain",
    "EnumType",
    "ExclusionConstraint",
    "Extension",
    "ForeignKey",
    "Function",
    "Generated",
    "Identity",
    "Index",
    "IndexKey",
    "Origin",
    "PartitionOf",
    "Policy",
    "PrimaryKey",
    "SchemaInfo",
    "Sequence",
    "Table",
    "Trigger",
    "UniqueConstraint",
    "View",
]
