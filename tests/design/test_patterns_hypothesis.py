"""Patterns on tables with awkward names (reserved words, upper case, quotes, unicode, 63 bytes):
the generated triggers, policies, functions and partial indexes quote exactly as PostgreSQL
prints them, so every expansion builds and reads back identically."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.design.pattern_models import entity
from tests.strategies import identifiers

from pgshape.design.patterns import PatternsSpec, apply_patterns
from pgshape.design.settings import ProjectSettings, truncate_identifier
from pgshape.model import Column, Database, SchemaInfo, UniqueConstraint
from pgshape.pg.introspect import introspect
from pgshape.pg.scratch import scratch_database
from pgshape.pg.verify import prove

_TAKEN = {
    "tenant",
    "audit_log",
    "id",
    "tenant_id",
    "deleted_at",
    "created_at",
    "updated_at",
    "parent_id",
    "path",
}
_names = identifiers.filter(lambda name: name not in _TAKEN)


@st.composite
def designs(draw: st.DrawFn) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """(table, unique column) pairs and a patterns section choosing among them."""
    tables = draw(st.lists(_names, min_size=1, max_size=3, unique=True))
    columns = [draw(_names) for _ in tables]
    chosen = st.lists(st.sampled_from(tables), unique=True)
    patterns: dict[str, Any] = {
        "soft_delete": draw(chosen),
        "audit": draw(st.one_of(st.booleans(), chosen)),
        "tenant": draw(st.sampled_from([False, True, {"same_tenant_references": True}])),
        "tree": {name: draw(st.sampled_from(["adjacency", "ltree"])) for name in draw(chosen)},
        "timestamps": draw(st.one_of(st.booleans(), chosen)),
    }
    return list(zip(tables, columns, strict=True)), patterns


@pytest.fixture(scope="module")
def empty_schemas(pg_server: str) -> tuple[SchemaInfo, ...]:
    with scratch_database(pg_server) as url:
        return introspect(url).schemas


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(design=designs())
def test_patterns_on_awkward_names_round_trip(
    pg_server: str,
    empty_schemas: tuple[SchemaInfo, ...],
    design: tuple[list[tuple[str, str]], dict[str, Any]],
) -> None:
    tables, patterns = design
    db = Database(
        schemas=empty_schemas,
        tables=tuple(
            entity(
                name,
                Column(column, "text", nullable=False),
                unique_constraints=(UniqueConstraint(truncate_identifier(f"uq {name} {column}"), (column,)),),
            )
            for name, column in tables
        ),
        expressions_canonical=False,
    )
    expanded = apply_patterns(db, ProjectSettings(target=16), PatternsSpec.model_validate(patterns))
    proof = prove(expanded, scratch_url=pg_server)
    assert proof.identical, [str(d) for d in proof.differences]
