"""Sampled rows and what can be proven from them (for the "data" review rules).

:class:`DataSample` is pure data, filled by :mod:`pgshape.pg.sample` from a live database in a
read-only transaction: per table, up to N sampled rows with every value as PostgreSQL prints it
(text, or None for NULL), plus catalog facts the data rules need (invalid indexes, NOT VALID
constraints). The analyses below are pure functions over those rows:

* :func:`dependency` — does ``lhs → rhs`` hold (a functional dependency)? With the evidence a
  reviewer needs: support (rows in groups that could have disagreed), confidence (share of those
  rows that agree with their group's majority) and a counterexample when it almost holds.
* :func:`delimited_list` — do the values look like delimited lists (``"rock, pop"``)?
* :func:`typed_text` — are all values of a text column uuids, dates, integers, …?
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

Value = str | None


@dataclass(frozen=True)
class TableSample:
    schema: str
    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]
    estimated_rows: int | None = None  # pg_class.reltuples (None: never analysed)
    method: str = "all"  # "all" | "limit" | "tablesample"

    def values(self, column: str) -> list[Value]:
        return self._by_column[column]

    def distinct(self, column: str) -> int:
        """Distinct non-NULL values of ``column`` (counted once)."""
        if column not in self._distinct:
            self._distinct[column] = len({v for v in self.values(column) if v is not None})
        return self._distinct[column]

    @cached_property
    def _distinct(self) -> dict[str, int]:
        return {}

    @cached_property
    def _by_column(self) -> dict[str, list[Value]]:
        # Rules read columns many times over (every determinant × dependent pair): transpose once.
        return {name: [row[i] for row in self.rows] for i, name in enumerate(self.columns)}

    def has(self, column: str) -> bool:
        return column in self.columns


@dataclass(frozen=True)
class DataSample:
    tables: Mapping[tuple[str, str], TableSample] = field(default_factory=dict)
    rows_per_table: int = 10_000
    invalid_indexes: frozenset[tuple[str, str, str]] = frozenset()  # (schema, table, index)
    not_valid_constraints: frozenset[tuple[str, str, str]] = frozenset()  # (schema, table, constraint)

    def table(self, key: tuple[str, str]) -> TableSample | None:
        return self.tables.get(key)


# --- functional dependencies -----------------------------------------------------------------


@dataclass(frozen=True)
class Dependency:
    lhs: tuple[str, ...]
    rhs: str
    rows: int  # sampled rows with no NULL on either side
    groups: int  # distinct lhs values
    repeated_groups: int  # lhs values seen on two or more rows (the only ones that test anything)
    support: int  # rows in repeated groups
    confidence: float  # share of supporting rows that agree with their group's majority rhs
    impure_groups: int = 0  # repeated groups holding more than one rhs value
    # Impure groups expected if rhs were independent of lhs (same group sizes, same rhs
    # frequencies): what the observed count must beat for the dependency to mean anything.
    expected_impure_groups: float = 0.0
    counterexample: dict[str, Any] | None = None  # {"lhs": {...}, "rhs": [a, b]} when violated

    @property
    def holds(self) -> bool:
        return self.confidence == 1.0

    def evidence(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "determinant": list(self.lhs),
            "dependent": self.rhs,
            "sampled_rows": self.rows,
            "support": self.support,
            "repeated_groups": self.repeated_groups,
            "confidence": round(self.confidence, 4),
            "impure_groups": self.impure_groups,
            "expected_impure_groups_if_independent": round(self.expected_impure_groups, 2),
        }
        if self.counterexample is not None:
            found["counterexample"] = self.counterexample
        return found


def dependency(sample: TableSample, lhs: Sequence[str], rhs: str) -> Dependency:
    """How well ``lhs → rhs`` holds in the sample (rows with a NULL on either side are ignored)."""
    (found,) = dependencies(sample, lhs, [rhs])
    assert found is not None  # without min_confidence nothing is given up
    return found


def dependencies(
    sample: TableSample,
    lhs: Sequence[str],
    rhs_columns: Sequence[str],
    *,
    min_confidence: float | None = None,
) -> list[Dependency | None]:
    """:func:`dependency` for several dependents of one determinant, grouping the rows once.

    Only groups of two or more rows can refute a dependency, so the per-dependent work is over
    those rows alone. With ``min_confidence`` a dependent is given up (None) as soon as its
    disagreeing rows exceed what that confidence allows — for unrelated columns that happens
    within the first groups, which keeps wide tables of 10,000 sampled rows affordable.
    """
    key_values = [sample.values(c) for c in lhs]
    keys: list[Any] = key_values[0] if len(lhs) == 1 else list(zip(*key_values, strict=True))
    index: dict[Any, list[int]] = defaultdict(list)
    for number, key in enumerate(keys):
        if key is not None and (len(lhs) == 1 or None not in key):
            index[key].append(number)
    # Largest groups first: an unrelated dependent shows its disagreement there soonest.
    repeated = sorted(
        ((key, members) for key, members in index.items() if len(members) >= 2), key=lambda kv: -len(kv[1])
    )
    single = [members[0] for members in index.values() if len(members) == 1]
    bound = sum(len(members) for _, members in repeated)
    allowed = (1.0 - min_confidence) * bound if min_confidence is not None else float("inf")
    found: list[Dependency | None] = []
    for rhs in rhs_columns:
        # If lhs decides rhs, rhs has at most one value per lhs value, plus one per disagreeing row.
        if sample.distinct(rhs) > len(index) + allowed:
            found.append(None)
        else:
            found.append(_dependency(sample, tuple(lhs), rhs, repeated, single, allowed))
    return found


def _dependency(
    sample: TableSample,
    lhs: tuple[str, ...],
    rhs: str,
    repeated: list[tuple[Any, list[int]]],
    single: list[int],
    allowed_disagreement: float,
) -> Dependency | None:
    values = sample.values(rhs)
    support = agreeing = impure = 0
    sizes: list[int] = []
    counterexample: dict[str, Any] | None = None
    frequencies: Counter[Value] = Counter()
    for key, members in repeated:
        counts = Counter(values[n] for n in members if values[n] is not None)
        frequencies.update(counts)
        size = sum(counts.values())
        sizes.append(size)
        if size < 2:
            continue
        support += size
        ((majority, majority_count),) = counts.most_common(1)
        agreeing += majority_count
        if support - agreeing > allowed_disagreement:
            return None
        if len(counts) > 1:
            impure += 1
            if counterexample is None:
                other = next(v for v in counts if v != majority)
                parts = (key,) if len(lhs) == 1 else key
                counterexample = {
                    "lhs": dict(zip(lhs, parts, strict=True)),
                    "rhs": [majority, other],
                    "rows": {majority: majority_count, other: counts[other]},
                }
    frequencies.update(values[n] for n in single if values[n] is not None)
    rows = sum(frequencies.values())
    shares = [count / rows for count in frequencies.values()] if rows else []
    purity: dict[int, float] = {}  # chance that a group of this size agrees by luck
    expected = 0.0
    for size in sizes:
        if size >= 2:
            if size not in purity:
                purity[size] = sum(share**size for share in shares)
            expected += 1.0 - purity[size]
    return Dependency(
        lhs=lhs,
        rhs=rhs,
        rows=rows,
        groups=sum(1 for size in sizes if size) + sum(1 for n in single if values[n] is not None),
        repeated_groups=sum(1 for size in sizes if size >= 2),
        support=support,
        confidence=agreeing / support if support else 1.0,
        impure_groups=impure,
        expected_impure_groups=expected,
        counterexample=counterexample,
    )


def distinct_count(sample: TableSample, column: str) -> int:
    return sample.distinct(column)


def non_null_count(sample: TableSample, column: str) -> int:
    return sum(1 for v in sample.values(column) if v is not None)


def is_unique_in_sample(sample: TableSample, columns: Sequence[str]) -> bool:
    indexes = [sample.columns.index(c) for c in columns]
    seen: set[tuple[Value, ...]] = set()
    for row in sample.rows:
        key = tuple(row[i] for i in indexes)
        if any(v is None for v in key):
            continue
        if key in seen:
            return False
        seen.add(key)
    return True


def convincing(
    found: Dependency,
    *,
    min_confidence: float = 0.95,
    min_groups: int = 3,
    min_expected_impure: float = 2.0,
    max_impure_ratio: float = 0.15,
) -> bool:
    """A dependency worth reporting: it (almost) holds, and chance could not explain it.

    A column unique in the sample "determines" everything without saying anything, and a
    dependent dominated by one value (most tracks are MPEG audio) agrees within most groups by
    luck. So besides confidence we require several repeated groups, that independence would
    have produced impure groups (at least ``min_expected_impure``), and that we observe at most
    ``max_impure_ratio`` of that many.
    """
    if found.rows == 0 or found.repeated_groups < min_groups or found.confidence < min_confidence:
        return False
    if found.expected_impure_groups < min_expected_impure:
        return False
    return found.impure_groups <= max_impure_ratio * found.expected_impure_groups


# --- delimited lists -----------------------------------------------------------------------------

_DELIMITERS = (",", ";", "|", "/")
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class ListEvidence:
    delimiters: tuple[str, ...]  # the separators seen, most used first
    values: int  # non-null sampled values
    lists: int  # values that look like a delimited list
    recurring_items: float  # share of list items that also occur in another row
    examples: tuple[str, ...]

    @property
    def delimiter(self) -> str:
        return self.delimiters[0]

    def evidence(self) -> dict[str, Any]:
        return {
            "delimiters": list(self.delimiters),
            "sampled_values": self.values,
            "list_values": self.lists,
            "share": round(self.lists / self.values, 4) if self.values else 0.0,
            "recurring_items": round(self.recurring_items, 4),
            "examples": list(self.examples),
        }


def _shape(item: str) -> str:
    if _NUMBER.match(item):
        return "number"
    if _EMAIL.match(item):
        return "email"
    if any(ch.isdigit() for ch in item):
        return "mixed"
    return "words"


def _as_list(value: str, delimiter: str) -> list[str] | None:
    """The items of ``value`` if it reads as a list of like things split by ``delimiter``."""
    if delimiter not in value or "\n" in value:
        return None
    items = [item.strip() for item in value.split(delimiter)]
    if len(items) < 2 or any(not item or len(item) > 60 or len(item.split()) > 5 for item in items):
        return None
    shapes = {_shape(item) for item in items}
    # "Av. Paulista, 2170" is an address (words and a number), not a list.
    if len(shapes) != 1 or shapes == {"mixed"}:
        return None
    return items


def delimited_list(
    values: Iterable[Value], *, min_values: int = 10, min_share: float = 0.2, min_recurring: float = 0.2
) -> ListEvidence | None:
    """Evidence that a text column holds delimited lists, or None.

    A value is a list under the first delimiter (in ``_DELIMITERS`` order) that splits it into
    two or more short items of one kind; columns mix delimiters ("A, B & C", "A/B"). A list's
    items recur across rows ("Angus Young" appears on many tracks); prose and addresses fail
    one test or the other.
    """
    present = [v for v in values if v is not None and v.strip()]
    if len(present) < min_values:
        return None
    lists: list[tuple[str, str, list[str]]] = []
    for value in present:
        for delimiter in _DELIMITERS:
            items = _as_list(value, delimiter)
            if items is not None:
                lists.append((value, delimiter, items))
                break
    if len(lists) < max(3, min_share * len(present)):
        return None
    occurrences: Counter[str] = Counter()
    for value in present:
        parts = {value.strip().lower()}
        for delimiter in _DELIMITERS:
            parts |= {p.strip().lower() for p in value.split(delimiter)}
        occurrences.update(parts)
    items = [item.lower() for _, _, found in lists for item in found]
    recurring = sum(1 for item in items if occurrences[item] >= 2) / len(items)
    if recurring < min_recurring:
        return None
    used = Counter(delimiter for _, delimiter, _ in lists)
    longest = sorted({(-len(found), value) for value, _, found in lists})
    return ListEvidence(
        delimiters=tuple(d for d, _ in used.most_common()),
        values=len(present),
        lists=len(lists),
        recurring_items=recurring,
        examples=tuple(value for _, value in longest[:3]),
    )


# --- typed values in text ------------------------------------------------------------------------

TYPED_PATTERNS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    (
        "uuid",
        "uuid",
        re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$"),
    ),
    (
        "timestamp",
        "timestamptz",
        re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$"),
    ),
    ("date", "date", re.compile(r"^\d{4}-\d{2}-\d{2}$")),
    # No leading zeros: zero-padded codes (zip codes, "007") are text on purpose.
    ("integer", "bigint", re.compile(r"^[+-]?(0|[1-9]\d{0,17})$")),
    ("decimal", "numeric", re.compile(r"^[+-]?(0|[1-9]\d*)\.\d+$")),
    ("boolean", "boolean", re.compile(r"^(true|false|t|f|yes|no)$", re.IGNORECASE)),
)


@dataclass(frozen=True)
class TypedText:
    kind: str  # uuid, timestamp, date, integer, decimal, boolean
    suggested_type: str
    values: int
    distinct: int
    examples: tuple[str, ...]

    def evidence(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "suggested_type": self.suggested_type,
            "sampled_values": self.values,
            "distinct_values": self.distinct,
            "examples": list(self.examples),
        }


def typed_text(values: Iterable[Value], *, min_values: int = 10, min_distinct: int = 3) -> TypedText | None:
    """The one type every sampled value parses as, or None (any exception, too few values, or
    too few distinct values — a column of three codes is not evidence of anything)."""
    present = [v for v in values if v is not None]
    distinct = sorted(set(present))
    if len(present) < min_values or len(distinct) < min_distinct:
        return None
    for kind, suggested, pattern in TYPED_PATTERNS:
        if all(pattern.match(v) for v in distinct):
            return TypedText(
                kind=kind,
                suggested_type=suggested,
                values=len(present),
                distinct=len(distinct),
                examples=tuple(distinct[:3]),
            )
    return None
