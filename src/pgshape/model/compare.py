"""Structural comparison of two models: a readable list of differences.

Objects in collections are matched by identity (name, or (schema, name), or signature), never
by equality, so a changed object is reported as changed rather than as one removed and one
added. A difference only in column order is reported on its own, flagged ``order_only``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields, is_dataclass
from typing import Any

from pgshape.model.database import Database


@dataclass(frozen=True)
class Difference:
    path: str  # e.g. "table public.film / column title / type"
    left: str | None  # description on the left side (None: absent)
    right: str | None
    order_only: bool = False

    def __str__(self) -> str:
        if self.order_only:
            return f"{self.path}: column order {self.left} vs {self.right}"
        if self.left is None:
            return f"{self.path}: only on the right"
        if self.right is None:
            return f"{self.path}: only on the left"
        return f"{self.path}: {self.left} != {self.right}"


_KINDS = {
    "schemas": "schema",
    "extensions": "extension",
    "enums": "enum",
    "domains": "domain",
    "composite_types": "type",
    "sequences": "sequence",
    "tables": "table",
    "views": "view",
    "functions": "function",
    "columns": "column",
    "foreign_keys": "foreign key",
    "unique_constraints": "unique",
    "check_constraints": "check",
    "exclusion_constraints": "exclusion",
    "indexes": "index",
    "triggers": "trigger",
    "policies": "policy",
    "checks": "check",
    "attributes": "attribute",
}


def _identity(obj: Any) -> str | None:
    key = getattr(obj, "key", None)
    if isinstance(key, tuple):
        if len(key) == 3:  # function signature
            return f"{key[0]}.{key[1]}({key[2]})"
        return ".".join(key)
    name = getattr(obj, "name", None)
    return name if isinstance(name, str) else None


def _compared_fields(obj: Any) -> Iterator[str]:
    for f in fields(obj):
        if f.compare:
            yield f.name


def _show(value: Any) -> str:
    return repr(value)


def compare(left: Database, right: Database) -> list[Difference]:
    """All differences between two models (empty when they are equal)."""
    return list(_diff_objects(left, right, ""))


def _diff_objects(left: Any, right: Any, path: str) -> Iterator[Difference]:
    for name in _compared_fields(left):
        a = getattr(left, name)
        b = getattr(right, name)
        if a == b:
            continue
        here = f"{path} / {name}" if path else name
        if isinstance(a, tuple) and isinstance(b, tuple) and _is_named_collection(a, b):
            yield from _diff_collection(a, b, path, name)
        elif is_dataclass(a) and is_dataclass(b) and type(a) is type(b):
            yield from _diff_objects(a, b, here)
        else:
            yield Difference(here, None if a is None else _show(a), None if b is None else _show(b))


def _is_named_collection(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    items = a + b
    return bool(items) and all(is_dataclass(i) and _identity(i) is not None for i in items)


def _diff_collection(a: tuple[Any, ...], b: tuple[Any, ...], path: str, name: str) -> Iterator[Difference]:
    kind = _KINDS.get(name, name)
    left = {_identity(item): item for item in a}
    right = {_identity(item): item for item in b}
    prefix = f"{path} / " if path else ""
    for key in sorted(left.keys() | right.keys(), key=str):
        here = f"{prefix}{kind} {key}"
        if key not in right:
            yield Difference(here, "present", None)
        elif key not in left:
            yield Difference(here, None, "present")
        elif left[key] != right[key]:
            yield from _diff_objects(left[key], right[key], here)
    if name == "columns" and left.keys() == right.keys():
        order_a = [_identity(i) for i in a]
        order_b = [_identity(i) for i in b]
        if order_a != order_b:
            yield Difference(
                f"{prefix}columns",
                ", ".join(map(str, order_a)),
                ", ".join(map(str, order_b)),
                order_only=True,
            )
