"""The pure analyses behind the data rules: functional dependencies, delimited lists, typed text."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from pgshape.lint.data import (
    TableSample,
    convincing,
    delimited_list,
    dependency,
    is_unique_in_sample,
    typed_text,
)


def table(columns: tuple[str, ...], rows: list[tuple[str | None, ...]]) -> TableSample:
    return TableSample("public", "t", columns, tuple(rows))


CITIES = ["Oslo", "Bergen", "Lyon", "Porto", "Turin", "Ghent", "Graz", "Cork", "Split", "Bonn"]
ZIP_CITY = [(f"{n + 1}000", city) for n, city in enumerate(CITIES)]


def addresses(repeats: int, *, broken: int = 0) -> TableSample:
    rows = [(str(n), zip_code, city) for n in range(repeats) for zip_code, city in ZIP_CITY]
    for n in range(broken):  # the same zip code in another city
        rows.append((f"x{n}", "1000", "Drammen"))
    return table(("id", "zip", "city"), rows)


def test_a_dependency_that_holds() -> None:
    found = dependency(addresses(4), ["zip"], "city")
    assert found.holds and found.confidence == 1.0
    assert (found.rows, found.groups, found.repeated_groups, found.support) == (40, 10, 10, 40)
    assert found.impure_groups == 0 and found.counterexample is None
    # Ten equally common cities: a group of four agrees by chance with probability 10 * (1/10)^4.
    assert abs(found.expected_impure_groups - 10 * (1 - 10 * 0.1**4)) < 1e-9
    assert convincing(found)


def test_a_dependency_that_almost_holds_has_a_counterexample() -> None:
    found = dependency(addresses(10, broken=1), ["zip"], "city")
    assert not found.holds
    assert found.confidence == 100 / 101  # one row of 101 disagrees with its group's majority
    assert found.impure_groups == 1
    assert found.counterexample == {
        "lhs": {"zip": "1000"},
        "rhs": ["Oslo", "Drammen"],
        "rows": {"Oslo": 10, "Drammen": 1},
    }
    assert convincing(found)
    evidence = found.evidence()
    assert evidence["support"] == 101 and evidence["counterexample"]["rhs"] == ["Oslo", "Drammen"]


def test_nulls_do_not_count() -> None:
    sample = table(("a", "b"), [("1", "x"), ("1", None), (None, "y"), ("1", "x")])
    found = dependency(sample, ["a"], "b")
    assert (found.rows, found.support, found.confidence) == (2, 2, 1.0)


def test_a_unique_determinant_proves_nothing() -> None:
    sample = table(("id", "city"), [(str(n), random.Random(n).choice("ABCDE")) for n in range(100)])
    found = dependency(sample, ["id"], "city")
    assert found.holds and found.repeated_groups == 0
    assert not convincing(found)
    assert is_unique_in_sample(sample, ["id"])


def test_a_dominated_dependent_agrees_by_chance() -> None:
    # 95% of rows have the same media type, so most name groups are "pure" by luck.
    rng = random.Random(7)
    rows = [(f"song {rng.randrange(60)}", "audio" if rng.random() < 0.95 else "video") for _ in range(400)]
    found = dependency(table(("name", "media"), rows), ["name"], "media")
    assert found.confidence > 0.9
    assert not convincing(found)


def test_an_independent_column_is_not_a_dependency() -> None:
    rng = random.Random(3)
    rows = [(str(rng.randrange(10)), str(rng.randrange(10))) for _ in range(500)]
    found = dependency(table(("a", "b"), rows), ["a"], "b")
    assert found.confidence < 0.5 and not convincing(found)


def test_composite_determinant() -> None:
    rows = [
        (str(s), str(c), f"{s}-{c}", str((s * 7 + c) % 3))
        for s in range(5)
        for c in range(3)
        for _ in range(2)
    ]
    sample = table(("s", "c", "label", "noise"), rows)
    assert dependency(sample, ["s", "c"], "label").holds
    assert not dependency(sample, ["s"], "label").holds


@given(
    st.lists(st.integers(0, 20), min_size=1, max_size=200),
    st.functions(like=lambda x: 0, returns=st.integers(0, 5), pure=True),
)
def test_a_function_of_the_determinant_always_holds(keys: list[int], function) -> None:  # type: ignore[no-untyped-def]
    sample = table(("a", "b"), [(str(k), str(function(k))) for k in keys])
    found = dependency(sample, ["a"], "b")
    assert found.holds and found.impure_groups == 0 and found.counterexample is None
    assert found.support == sum(n for n in (keys.count(k) for k in set(keys)) if n >= 2)


# --- delimited lists ------------------------------------------------------------------------------


def test_tag_lists_are_found() -> None:
    values = ["postgres, sql", "python, sqlmodel, postgres", "sql", "python, testing", None] * 5
    found = delimited_list(values)
    assert found is not None
    assert found.delimiters == (",",) and found.values == 20 and found.lists == 15
    assert found.recurring_items == 1.0
    assert found.examples[0] == "python, sqlmodel, postgres"  # the longest list first


def test_mixed_delimiters_are_counted_together() -> None:
    values = ["A, B", "B/C", "C, A", "A/C", "B", "C", "A, C", "B/A", "C/B", "A"]
    found = delimited_list(values)
    assert found is not None and set(found.delimiters) == {",", "/"} and found.lists == 7


def test_addresses_and_prose_are_not_lists() -> None:
    addresses = [
        f"Rua {name}, {number}" for name, number in zip("ABCDEFGHIJKL", range(100, 112), strict=True)
    ]
    assert delimited_list(addresses) is None  # words and a number: an address, not a list
    prose = [f"Order {n} arrived late, customer {n} asked for a refund, we agreed" for n in range(30)]
    assert delimited_list(prose) is None  # items do not recur across rows
    assert delimited_list(["a, b"] * 5) is None  # too few values to say anything


# --- typed text -------------------------------------------------------------------------------------


def test_typed_text_kinds() -> None:
    uuids = [f"{n:08x}-0000-4000-8000-{n:012x}" for n in range(20)]
    found = typed_text(uuids)
    assert found is not None and (found.kind, found.suggested_type, found.values, found.distinct) == (
        "uuid",
        "uuid",
        20,
        20,
    )
    assert typed_text([f"2025-01-{d:02d}" for d in range(1, 29)]).kind == "date"  # type: ignore[union-attr]
    assert typed_text([f"2025-01-{d:02d} 10:00:00+00" for d in range(1, 29)]).kind == "timestamp"  # type: ignore[union-attr]
    assert typed_text([str(n) for n in range(-5, 30)]).kind == "integer"  # type: ignore[union-attr]
    assert typed_text([f"{n}.5" for n in range(30)]).kind == "decimal"  # type: ignore[union-attr]


def test_typed_text_needs_every_value_and_variety() -> None:
    assert typed_text([str(n) for n in range(30)] + ["n/a"]) is None  # one exception is enough
    assert typed_text(["1", "2", "1", "2"] * 10) is None  # two codes are not evidence
    assert typed_text([f"{n:05d}" for n in range(30)]) is None  # zero-padded codes stay text
    assert typed_text([str(n) for n in range(5)]) is None  # too few values
