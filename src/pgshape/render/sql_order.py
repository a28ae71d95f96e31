"""Dependency order for DDL: a stable topological sort and the dependency facts it needs.

Everything falls back to name order: ties are broken by key, and a cycle (which a valid schema
cannot have for these object kinds, but a false positive in text matching can produce) is
broken by emitting the smallest remaining key, so the output is always deterministic.
"""

from __future__ import annotations

import heapq
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
    """``items`` with every item after the items it depends on (unknown keys are ignored).

    Kahn's algorithm with a heap, so thousands of tables sort in linear-logarithmic time: the
    smallest ready key goes first. When nothing is ready there is a cycle: it is broken at the
    smallest key that waits only for members of its own cycle, never at an item that merely
    waits for a cycle to finish.
    """
    pending = {key(item): item for item in items}
    needs = {k: {d for d in depends_on(item) if d in pending and d != k} for k, item in pending.items()}
    users: dict[Key, list[Key]] = {k: [] for k in pending}
    for k, deps in needs.items():
        for d in deps:
            users[d].append(k)
    waiting = {k: len(deps) for k, deps in needs.items()}
    ready = [k for k, count in waiting.items() if count == 0]
    heapq.heapify(ready)  # type: ignore[arg-type]
    ordered: list[T] = []
    while pending:
        chosen = heapq.heappop(ready) if ready else _cycle_breaker(pending.keys(), needs)  # type: ignore[type-var]
        ordered.append(pending.pop(chosen))
        for user in users[chosen]:
            waiting[user] -= 1
            if waiting[user] == 0 and user in pending:
                heapq.heappush(ready, user)  # type: ignore[type-var]
    return ordered


def _cycle_breaker(pending: Iterable[Key], needs: dict[Key, set[Key]]) -> Key:
    """The smallest pending key all of whose pending dependencies lead back to it."""
    remaining = set(pending)

    def reaches(start: Key, goal: Key) -> bool:
        seen: set[Key] = set()
        todo = [start]
        while todo:
            node = todo.pop()
            if node == goal:
                return True
            if node not in seen:
                seen.add(node)
                todo += [d for d in needs[node] if d in remaining]
        return False

    candidates = sorted(remaining)  # type: ignore[type-var]
    for candidate in candidates:
        if all(reaches(d, candidate) for d in needs[candidate] if d in remaining):
            return candidate
    return candidates[0]  # unreachable for a finite graph; keeps the function total


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


def row_type_tables(table: Table, names: dict[str, tuple[str, str]]) -> list[tuple[str, str]]:
    """Tables whose row type a column of ``table`` has (``col public.other``, or an array of it)."""
    return [names[bare] for column in table.columns if (bare := column.type.rstrip("[]")) in names]


def order_tables(tables: Iterable[Table]) -> list[Table]:
    """Parents before their partitions and inheritance children, and a table before the tables
    that have a column of its row type."""
    candidates = list(tables)
    names = {qualified(*t.key): t.key for t in candidates}
    return toposort(
        candidates, lambda table: table.key, lambda t: [*table_parents(t), *row_type_tables(t, names)]
    )


# A schema-qualified call as PostgreSQL prints it: ``public.f(`` or ``"My S"."f"(``.
_CALL = re.compile(r'((?:"(?:[^"]|"")+"|[^\W\d][\w$]*)\.(?:"(?:[^"]|"")+"|[^\W\d][\w$]*))\(')


def _table_expressions(table: Table) -> str:
    """The text of everything CREATE TABLE evaluates: defaults, generated columns, checks."""
    parts = [c.default or "" for c in table.columns]
    parts += [c.generated.expression for c in table.columns if c.generated is not None]
    parts += [check.expression for check in table.check_constraints]
    return "\n".join(parts)


def called_functions(
    table: Table, by_name: dict[str, list[tuple[str, str, str]]]
) -> list[tuple[str, str, str]]:
    """Keys of the functions (among ``by_name``: qualified name → keys) that the defaults,
    generated columns and checks of ``table`` call."""
    if not by_name:
        return []
    return [k for called in _CALL.findall(_table_expressions(table)) for k in by_name.get(called, [])]


def functions_by_name(functions: Iterable[Function]) -> dict[str, list[tuple[str, str, str]]]:
    by_name: dict[str, list[tuple[str, str, str]]] = {}
    for function in functions:
        by_name.setdefault(qualified(function.schema, function.name), []).append(function.key)
    return by_name


def order_tables_and_functions(
    tables: Iterable[Table], functions: Iterable[Function]
) -> list[Table | Function]:
    """Tables (as :func:`order_tables` orders them) and the functions that need a table, each
    function after the relations it depends on and each table after the functions its
    defaults, generated columns and checks call — a SQL-standard body (``BEGIN ATOMIC``) is
    checked at creation, so a default may need a function that needs another table first."""
    table_list = list(tables)
    function_list = list(functions)
    names = {qualified(*t.key): t.key for t in table_list}
    by_name = functions_by_name(function_list)

    def depends(item: Table | Function) -> list[tuple[str, ...]]:
        if isinstance(item, Function):
            return list(item.depends_on)
        return [*table_parents(item), *row_type_tables(item, names), *called_functions(item, by_name)]

    # Keys of both kinds in one order: a table ("0", schema, name), a function ("1", schema,
    # name, arguments), so ties keep tables before functions, as the sections always did.
    def key(item: Table | Function) -> tuple[str, ...]:
        return ("1", *item.key) if isinstance(item, Function) else ("0", *item.key)

    def depends_keyed(item: Table | Function) -> list[tuple[str, ...]]:
        return [("1", *k) if len(k) == 3 else ("0", *k) for k in depends(item)]

    return toposort([*table_list, *function_list], key, depends_keyed)


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
