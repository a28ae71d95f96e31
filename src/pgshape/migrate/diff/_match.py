"""Matching two collections by identity, and comparing objects while ignoring some fields."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import fields
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


def match(
    before: Iterable[T], after: Iterable[T], key: Callable[[T], Hashable]
) -> Iterator[tuple[T | None, T | None]]:
    """Pairs (a, b) by identity: (a, None) removed, (None, b) added, (a, b) on both sides.

    Removed come first, then pairs and additions in the order of ``after``.
    """
    left = {key(item): item for item in before}
    right = {key(item): item for item in after}
    for k, item in left.items():
        if k not in right:
            yield item, None
    for k, item in right.items():
        yield left.get(k), item


@cache
def _compared(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls) if f.compare)


def same_except(a: Any, b: Any, *names: str) -> bool:
    """``a == b`` when the fields ``names`` are ignored (e.g. comments, handled elsewhere)."""
    if type(a) is not type(b):
        return False
    return all(getattr(a, name) == getattr(b, name) for name in _compared(type(a)) if name not in names)


def renamed_pairs(removed: list[T], added: list[T], *ignore: str) -> list[tuple[T, T]]:
    """(old, new) where a removed and an added object are identical but for their name (and the
    ``ignore``d fields), each matching exactly one other."""
    pairs = []
    for old in removed:
        same = [new for new in added if same_except(old, new, "name", *ignore)]
        if len(same) == 1 and sum(same_except(o, same[0], "name", *ignore) for o in removed) == 1:
            pairs.append((old, same[0]))
    return pairs
