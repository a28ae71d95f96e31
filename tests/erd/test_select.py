"""Table selection for large ERDs: globs, schemas, --focus/--depth, groups.

The focus neighbourhood is checked against PostgreSQL itself: the corpus schema is built on a
scratch database and a recursive query over ``pg_constraint`` walks the foreign keys.
"""

from __future__ import annotations

import psycopg
import pytest
from erd_corpus import SCHEMAS, corpus_database

from conftest import CORPUS
from pgshape.errors import InputError
from pgshape.model import Column, Database, ForeignKey, PrimaryKey, SchemaInfo, Table
from pgshape.pg.verify import apply_statements
from pgshape.render.erd_select import (
    Selection,
    group_by_globs,
    group_by_schema,
    matches,
    neighbourhood,
    parse_group_options,
    resolve_table,
    select_tables,
)
from pgshape.render.sql import render_statements


def _table(schema: str, name: str, *refs: tuple[str, str]) -> Table:
    columns = [Column("id", "bigint", nullable=False)]
    fks = []
    for i, (s, n) in enumerate(refs):
        columns.append(Column(f"r{i}", "bigint"))
        fks.append(ForeignKey(f"{name}_r{i}_fkey", (f"r{i}",), s, n, ("id",)))
    return Table(schema, name, tuple(columns), PrimaryKey(f"{name}_pkey", ("id",)), tuple(fks))


# a chain a ← b ← c ← d in public, with x.e → c and a lone public.f
SMALL = Database(
    schemas=(SchemaInfo("public"), SchemaInfo("x")),
    tables=(
        _table("public", "a"),
        _table("public", "b", ("public", "a")),
        _table("public", "c", ("public", "b")),
        _table("public", "d", ("public", "c")),
        _table("x", "e", ("public", "c")),
        _table("public", "f"),
        _table("x", "a"),
    ),
)


def test_globs_qualified_and_bare() -> None:
    assert matches("a", ("x", "a")) and matches("a", ("public", "a"))
    assert matches("x.*", ("x", "e")) and not matches("x.*", ("public", "e"))
    assert not matches("A", ("public", "a"))  # case-sensitive, like quoted identifiers
    assert select_tables(SMALL, Selection(tables=("x.*",))) == {("x", "e"), ("x", "a")}
    assert select_tables(SMALL, Selection(tables=("[ab]",), exclude=("x.*",))) == {
        ("public", "a"),
        ("public", "b"),
    }
    assert select_tables(SMALL, Selection(schemas=("x",), exclude=("e",))) == {("x", "a")}


def test_focus_walks_both_directions_up_to_depth() -> None:
    assert select_tables(SMALL, Selection(focus="c", depth=0)) == {("public", "c")}
    assert select_tables(SMALL, Selection(focus="c", depth=1)) == {
        ("public", "b"),
        ("public", "c"),
        ("public", "d"),
        ("x", "e"),
    }
    assert select_tables(SMALL, Selection(focus="public.d", depth=2)) == {
        ("public", "b"),
        ("public", "c"),
        ("public", "d"),
        ("x", "e"),
    }
    # Filters apply after the walk: the neighbourhood is not cut at excluded tables.
    assert select_tables(SMALL, Selection(focus="d", depth=3, exclude=("c",))) == {
        ("public", "a"),
        ("public", "b"),
        ("public", "d"),
        ("x", "e"),
    }


def test_unknown_and_ambiguous_focus() -> None:
    with pytest.raises(InputError, match=r"no table 'dd'.*closest: public\.d"):
        resolve_table(SMALL, "dd")
    with pytest.raises(InputError, match=r"ambiguous.*public\.a, x\.a"):
        resolve_table(SMALL, "a")
    assert resolve_table(SMALL, "x.a") == ("x", "a")
    with pytest.raises(InputError, match="depth"):
        neighbourhood(SMALL, ("public", "a"), -1)


def test_groups() -> None:
    keys = frozenset(t.key for t in SMALL.tables)
    assert group_by_schema(keys) == {
        "public": (("public", "a"), ("public", "b"), ("public", "c"), ("public", "d"), ("public", "f")),
        "x": (("x", "a"), ("x", "e")),
    }
    globs = parse_group_options(["core=a,b", "rest=public.*", "core=x.e", "none=zzz"])
    assert globs == [("core", ["a", "b", "x.e"]), ("rest", ["public.*"]), ("none", ["zzz"])]
    # First matching group wins; empty groups are left out; unmatched tables stay ungrouped.
    assert group_by_globs(keys, globs) == {
        "core": (("public", "a"), ("public", "b"), ("x", "a"), ("x", "e")),
        "rest": (("public", "c"), ("public", "d"), ("public", "f")),
    }
    with pytest.raises(InputError, match="NAME=GLOB"):
        parse_group_options(["nogroup"])


# The corpus, against PostgreSQL's catalog ------------------------------------------------

NEIGHBOURS_SQL = """
WITH RECURSIVE fk AS (
    -- conparentid = 0: the constraint as declared, not its clones on partitions
    SELECT conrelid AS a, confrelid AS b FROM pg_constraint
     WHERE contype = 'f' AND conparentid = 0 AND conrelid <> confrelid
    UNION
    SELECT confrelid, conrelid FROM pg_constraint
     WHERE contype = 'f' AND conparentid = 0 AND conrelid <> confrelid
), walk(rel, depth) AS (
    SELECT c.oid, 0 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = %(schema)s AND c.relname = %(name)s
    UNION
    SELECT fk.b, walk.depth + 1 FROM walk JOIN fk ON fk.a = walk.rel WHERE walk.depth < %(depth)s
)
SELECT DISTINCT n.nspname, c.relname
  FROM walk JOIN pg_class c ON c.oid = walk.rel JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE NOT c.relispartition
"""


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not present")
@pytest.mark.parametrize("name", SCHEMAS)
def test_focus_matches_a_recursive_query_on_the_catalog(
    name: str, pg_server: str, pg_major: int, scratch_url: str
) -> None:
    database = corpus_database(name, pg_server, pg_major)
    apply_statements(scratch_url, render_statements(database))
    partitions = {t.key for t in database.tables if t.is_partition}
    candidates = sorted(t.key for t in database.tables if not t.is_partition)
    # Every table for small schemas; an even spread of 25 (incl. the most connected) for large ones.
    degree = {key: 0 for key in candidates}
    for table in database.tables:
        for fk in table.foreign_keys:
            for key in (table.key, fk.referenced):
                if key in degree:
                    degree[key] += 1
    step = max(1, len(candidates) // 25)
    starts = set(candidates[::step]) | {max(candidates, key=lambda k: (degree[k], k))}
    checked = 0
    with psycopg.connect(scratch_url) as conn:
        for start in sorted(starts):
            for depth in (0, 1, 2, 3):
                rows = conn.execute(NEIGHBOURS_SQL, {"schema": start[0], "name": start[1], "depth": depth})
                expected = {(s, n) for s, n in rows.fetchall()}
                got = select_tables(database, Selection(focus=f"{start[0]}.{start[1]}", depth=depth))
                assert got - partitions == expected, (start, depth)
                checked += 1
    assert checked >= 4 * min(len(candidates), 25)
