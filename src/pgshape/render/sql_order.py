"""Dependency order for DDL: a stable topological sort and the dependency facts it needs.

Everything falls back to name order: ties are broken by key, and a cycle (which a valid schema
cannot have for these object kinds, but a false positive in text matching can produce) is
broken by emitting the smallest remaining key, so the output is always deterministic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

from pgshape.model import CompositeType, Domain, Function, Table, View
from pgshape.render.identifiers import qualified

T = TypeVar("T")
Key = TypeVar("Key", bound=Hashable)


def toposort(
    items: Iterable[T], key: Callable[[T], Key], depends_on: Callable[[T], Iterable[Key]]
) -> list[T]:
    """``items`` with every item after the items it depends on (unknown keys are ignored)."""
    pending = {key(item): item for item in items}
    needs = {k: {d for d in depends_on(item) if d in pending and d != k} for k, item in pending.items()}
    ordered: list[T] = []
    while pending:
        ready = [k for k in pending if not needs[k] & pending.keys()]
        chosen = min(ready) if ready else min(pending)  # type: ignore[type-var]
        ordered.append(pending.pop(chosen))
    return ordered


# Types ----------------------------------------------------------------------------------------

UserType = Domain | CompositeType


def _type_text(obj: UserType) -> str:
    """The SQL text of a type definition in which other types' names can appear."""
    if isinstance(obj, Domain):
        parts = [obj.base_type, obj.default or ""] + [check.expression for check in obj.checks]
        return "\n".join(parts)
    return "\n".join(attribute.type for attribute in obj.attributes)


def _mentions(text: str, name: str) -> bool:
    # Canonical types are schema-qualified (``public.mood``, ``"My S"."T"[]``), so the qualified
    # name bounded by non-identifier characters is a reliable sign of a dependency.
    return re.search(r'(?<![\w$".])' + re.escape(name) + r'(?![\w$"])', text) is not None


def order_types(types: Iterable[UserType]) -> list[UserType]:
    """Domains and composite types, each after the types its definition names."""
    candidates = list(types)
    names = {obj.key: qualified(*obj.key) for obj in candidates}

    def depends(obj: UserType) -> list[tuple[str, str]]:
        text = _type_text(obj)
        return [key for key, name in names.items() if key != obj.key and _mentions(text, name)]

    return toposort(candidates, lambda obj: obj.key, depends)


# Tables, views, functions ---------------------------------------------------------------------


def table_parents(table: Table) -> list[tuple[str, str]]:
    parents = list(table.inherits)
    if table.partition_of is not None:
        parents.append((table.partition_of.schema, table.partition_of.table))
    return parents


def order_tables(tables: Iterable[Table]) -> list[Table]:
    """Parents before their partitions and inheritance children."""
    return toposort(tables, lambda table: table.key, table_parents)


def order_views(views: Iterable[View]) -> list[View]:
    return toposort(views, lambda view: view.key, lambda view: view.depends_on)


def function_stage(
    function: Function,
    tables: set[tuple[str, str]],
    views: set[tuple[str, str]],
    types: dict[tuple[str, str], str],
) -> int:
    """When a function can be created: 0 before the user types (so domain checks and defaults
    can call it), 1 after them, 2 after the tables, 3 after the views.

    Bodies other than SQL-standard ones are not checked at creation (check_function_bodies is
    off), so only the signature and ``depends_on`` matter; scanning the whole definition for
    type names can only move a function later, which is safe.
    """
    needs = set(function.depends_on)
    if needs & views:
        return 3
    if needs & tables:
        return 2
    if needs & types.keys() or any(_mentions(function.definition, name) for name in types.values()):
        return 1
    return 0


def function_sort_key(function: Function) -> tuple[bool, tuple[str, str, str]]:
    # Aggregates name their support functions, so they come after the plain functions.
    return (function.kind == "aggregate", function.key)
