"""unindexed-foreign-key agrees with PostgreSQL's catalogs on generated multi-column cases.

A parent with a two-column key, a child with a two-column foreign key and a random set of
indexes (prefixes, permutations, wider ones, partial, unique, expression): the rule, run on the
model read back from the server, must flag the FK exactly when the independent catalog query of
test_corpus_lint.py does.
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_corpus_lint import UNINDEXED_FKS

from pgshape.lint.config import LintConfig
from pgshape.lint.core import LintContext
from pgshape.lint.engine import lint
from pgshape.pg.introspect import introspect
from pgshape.pg.scratch import scratch_database

INDEX_SHAPES = [
    "(x)",
    "(y)",
    "(x, y)",
    "(y, x)",
    "(x, y, z)",
    "(x, z, y)",
    "(z, x, y)",
    "(x DESC, y)",
    "(x, y) WHERE z > 0",
    "USING hash (x)",
    "((x + 0), y)",
]
UNIQUE_SHAPES = ["UNIQUE (x, y)", "UNIQUE (x, y, z)", "PRIMARY KEY (x, y)", "PRIMARY KEY (z)"]


@pytest.fixture(scope="module")
def reusable_db(pg_server: str) -> Iterator[str]:
    with scratch_database(pg_server) as url:
        yield url


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    indexes=st.lists(st.sampled_from(INDEX_SHAPES), max_size=3, unique=True),
    constraint=st.one_of(st.none(), st.sampled_from(UNIQUE_SHAPES)),
    fk_columns=st.sampled_from(["(x, y)", "(y, x)"]),
)
def test_rule_matches_catalog(
    reusable_db: str, indexes: list[str], constraint: str | None, fk_columns: str
) -> None:
    statements = [
        "DROP SCHEMA public CASCADE",
        "CREATE SCHEMA public",
        "CREATE TABLE parent (a int, b int, PRIMARY KEY (a, b))",
        f"CREATE TABLE child (x int NOT NULL, y int NOT NULL, z int NOT NULL"
        f"{', ' + constraint if constraint else ''}, FOREIGN KEY {fk_columns} REFERENCES parent (a, b))",
        *(f"CREATE INDEX ON child {shape}" for shape in indexes),
    ]
    with psycopg.connect(reusable_db, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)  # type: ignore[arg-type]
        expected = {tuple(row) for row in conn.execute(UNINDEXED_FKS).fetchall()}
    database = introspect(reusable_db)
    context = LintContext(database=database, config=LintConfig(select=("FK001",)), source_kind="url")
    found = {("public", "child", f.message.split()[2]) for f in lint(context).findings}
    assert found == expected
