"""The schema-change suite: for every case, up turns A into B exactly, down turns it back into
A, and the seed rows survive — on whatever server the run uses (18 embedded, or 15 through
PGSHAPE_PG_BIN). Cases run in batches (``migration_harness``); each case is its own test."""

from __future__ import annotations

import pytest
from migration_cases import CASES, Case
from migration_harness import Outcome, run_batch

BATCH = 20
_NUMBERED = list(enumerate(CASES, start=1))
_results: dict[int, dict[str, Outcome]] = {}


def _outcome(case: Case, server: str, major: int) -> Outcome:
    number = next(n for n, c in _NUMBERED if c is case)
    batch = (number - 1) // BATCH
    if batch not in _results:
        members = [(n, c) for n, c in _NUMBERED if (n - 1) // BATCH == batch and c.min_pg <= major]
        _results[batch] = run_batch(server, members)
    return _results[batch][case.name]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case(case: Case, pg_server: str, pg_major: int) -> None:
    if case.min_pg > pg_major:
        pytest.skip(f"needs PostgreSQL {case.min_pg}")
    outcome = _outcome(case, pg_server, pg_major)
    assert outcome.setup_error is None, f"the case's own SQL failed: {outcome.setup_error}"
    assert outcome.migration is not None
    plan = outcome.migration.plan
    assert plan.up, "A and B differ, so the plan must not be empty"
    assert outcome.up_error is None, f"{outcome.up_error}\n{outcome.scripts()}"
    assert outcome.up_differences == [], f"after up:\n{outcome.scripts()}"
    assert outcome.down_error is None, f"{outcome.down_error}\n{outcome.scripts()}"
    assert outcome.down_differences == [], f"after down:\n{outcome.scripts()}"
    assert outcome.lost_rows == []
    if case.seed:
        assert outcome.seeded_rows > 0
    if case.destructive is not None:
        assert any(op.destructive for op in plan.up) == case.destructive, [op.describe() for op in plan.up]
    kinds = {op.kind for op in plan.up}
    for kind in case.kinds:
        assert kind in kinds, sorted(kinds)
    if case.notes is not None:
        assert any(case.notes in note for note in plan.notes), plan.notes
    if case.notes is None and not case.order_differs:
        assert outcome.order_only == [], "unexpected column order difference"
    if not case.online:
        assert all(op.transactional for op in plan.up), "--no-online must not use CONCURRENTLY"
        assert not any(op.kind == "validate_constraint" for op in plan.up)
