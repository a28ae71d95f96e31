"""Dependency order in the DDL renderer, on schemas whose name order is the wrong order.

Each schema is loaded from SQL, rendered, built again (``pgshape verify``'s round trip and the
reviewed-migration file with its rollback), and must come back identical — PostgreSQL refuses a
statement whose dependency does not exist yet, so a wrong order fails loudly.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.render.test_sql_migration import _prove_file

from pgshape.pg.verify import prove
from pgshape.render.sql import render_statements
from pgshape.render.sql_order import toposort
from pgshape.sources.load import LoadOptions, load

SCHEMAS = {
    # A SQL-standard body is checked at creation: total() needs u; t's default and w's check
    # need total(); a view calls it and a function returns the view's rows. By name, t and the
    # functions would come first. u's foreign key to t crosses the function, so the rollback
    # must drop it before t.
    "atomic_function_between_tables": """
        CREATE TABLE u (id int PRIMARY KEY, n int, t_id int);
        CREATE FUNCTION total() RETURNS bigint LANGUAGE sql STABLE
          BEGIN ATOMIC SELECT count(*) FROM public.u; END;
        CREATE TABLE t (id int PRIMARY KEY, x bigint DEFAULT public.total());
        CREATE TABLE w (id int PRIMARY KEY, c bigint CHECK (c <= public.total()));
        ALTER TABLE u ADD CONSTRAINT u_t_fkey FOREIGN KEY (t_id) REFERENCES t (id);
        CREATE VIEW v AS SELECT public.total() AS c;
        CREATE FUNCTION from_v() RETURNS SETOF public.v LANGUAGE sql STABLE
          BEGIN ATOMIC SELECT * FROM public.v; END;
    """,
    # Columns whose type is another table's row type (and an array of it): s and a before t.
    "row_type_columns": """
        CREATE TYPE pair AS (a int, b int);
        CREATE FUNCTION mk(int) RETURNS pair LANGUAGE sql IMMUTABLE AS $$ SELECT ($1, $1)::public.pair $$;
        CREATE TABLE t (id int PRIMARY KEY, p pair DEFAULT public.mk(1));
        CREATE TABLE s (id int PRIMARY KEY, t_row t);
        CREATE TABLE a (id int PRIMARY KEY, t_rows t[], s_row s);
        CREATE VIEW vs AS SELECT (s.t_row).id FROM s;
        CREATE MATERIALIZED VIEW mv AS SELECT * FROM vs;
        CREATE INDEX mv_idx ON mv (id);
    """,
    # A generated column calling a function that reads another table through a standard body.
    "generated_column_calls_function": """
        CREATE TABLE rates (code text PRIMARY KEY, factor numeric NOT NULL);
        CREATE FUNCTION scale(x numeric) RETURNS numeric LANGUAGE sql IMMUTABLE
          BEGIN ATOMIC SELECT x * 2; END;
        CREATE TABLE amounts (id int PRIMARY KEY, v numeric,
                              doubled numeric GENERATED ALWAYS AS (public.scale(v)) STORED);
    """,
}


def _load(tmp_path: Path, name: str, pg_server: str):  # type: ignore[no-untyped-def]
    path = tmp_path / f"{name}.sql"
    path.write_text(SCHEMAS[name])
    return load(str(path), LoadOptions(scratch_url=pg_server, warn=lambda _m: None))


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_round_trip_in_dependency_order(name: str, tmp_path: Path, pg_server: str) -> None:
    database = _load(tmp_path, name, pg_server)
    proof = prove(database, scratch_url=pg_server)
    assert proof.differences == ()


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_migration_file_and_its_rollback(name: str, tmp_path: Path, scratch_url: str, pg_server: str) -> None:
    _prove_file(tmp_path, scratch_url, pg_server, _load(tmp_path, name, pg_server))


def test_functions_sit_between_the_tables_that_need_them(tmp_path: Path, pg_server: str) -> None:
    statements = render_statements(_load(tmp_path, "atomic_function_between_tables", pg_server))

    def position(prefix: str) -> int:
        return next(i for i, s in enumerate(statements) if s.startswith(prefix))

    total = position("CREATE OR REPLACE FUNCTION public.total()")
    assert position("CREATE TABLE public.u") < total < position("CREATE TABLE public.t ")
    assert total < position("CREATE TABLE public.w") and total < position("CREATE VIEW public.v")


@st.composite
def _graphs(draw: st.DrawFn) -> tuple[list[int], dict[int, set[int]]]:
    nodes = draw(st.lists(st.integers(0, 60), unique=True, max_size=40))
    edges = {n: set(draw(st.lists(st.sampled_from(nodes), max_size=4))) if nodes else set() for n in nodes}
    return nodes, edges


def _has_path(edges: dict[int, set[int]], start: int, goal: int) -> bool:
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            todo += edges.get(node, set())
    return False


@given(_graphs())
def test_toposort_orders_every_acyclic_dependency_and_keeps_every_item(
    graph: tuple[list[int], dict[int, set[int]]],
) -> None:
    nodes, edges = graph
    ordered = toposort(nodes, lambda n: n, lambda n: edges[n])
    assert sorted(ordered) == sorted(nodes)
    assert toposort(reversed(nodes), lambda n: n, lambda n: edges[n]) == ordered  # input order is irrelevant
    where = {n: i for i, n in enumerate(ordered)}
    for node, deps in edges.items():
        for dep in deps:
            # Only a dependency on a cycle through the node itself may be broken.
            if dep != node and not _has_path(edges, dep, node):
                assert where[dep] < where[node], (node, dep, ordered)


def test_toposort_prefers_the_smallest_ready_key() -> None:
    assert toposort([3, 1, 2], lambda n: n, lambda n: {3: [], 1: [3], 2: []}[n]) == [2, 3, 1]
    # A cycle (1 <-> 2) is broken at its smallest key; 0 depends on both.
    assert toposort([0, 1, 2], lambda n: n, lambda n: {0: [1, 2], 1: [2], 2: [1]}[n]) == [1, 2, 0]
