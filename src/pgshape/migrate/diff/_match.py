"""Matching two collections by identity, and comparing objects while ignoring some fields."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import replace
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


def same_except(a: Any, b: Any, *names: str) -> bool:
    """``a == b`` when the fields ``names`` are ignored (e.g. comments, handled elsewhere)."""
    blank = dict.fromkeys(names)
    return replace(a, **blank) == replace(b, **blank)  # type: ignore[arg-type]


def renamed_pairs(removed: list[T], added: list[T], *ignore: str) -> list[tuple[T, T]]:
    """(old, new) where a removed and an added object are identical but for their name (and the
    ``ignore``d fields), each matching exactly one other."""
    pairs = []
    for old in removed:
        same = [new for new in added if same_except(old, replace(new, name=old.name), *ignore)]  # type: ignore[type-var]
        if len(same) == 1 and sum(same_except(o, replace(same[0], name=o.name), *ignore) for o in removed) == 1:  # type: ignore[type-var]
            pairs.append((old, same[0]))
    return pairs
