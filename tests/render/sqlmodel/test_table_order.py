"""What create_all() cannot know about the order of tables — it sorts them by foreign keys
only — declared by the generated code, so the schema rebuilds exactly (in one module and in a
split package): columns of another table's row type, and a function with a SQL-standard body
(checked at creation) that reads one table and is called by other tables' defaults and checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from codegen_support import rebuild, ruff_problems

from pgshape.model.compare import compare
from pgshape.render.sqlmodel import render, render_package
from pgshape.sources.load import LoadOptions, load

# By name (and with no foreign keys) SQLAlchemy would create a and s before t.
ROW_TYPES = """
CREATE TABLE t (id int PRIMARY KEY, label text);
CREATE TABLE s (id int PRIMARY KEY, t_row t);
CREATE TABLE a (id int PRIMARY KEY, t_rows t[], s_row s);
"""


# By name, t and w would come before u, and the function after all tables. u's foreign key to
# t makes a cycle with the declared order, which SQLAlchemy breaks with a separate ALTER TABLE.
ATOMIC = """
CREATE TABLE u (id int PRIMARY KEY, n int, t_id int);
CREATE FUNCTION total() RETURNS bigint LANGUAGE sql STABLE BEGIN ATOMIC SELECT count(*) FROM public.u; END;
CREATE TABLE t (id int PRIMARY KEY, x bigint DEFAULT public.total());
CREATE TABLE w (id int PRIMARY KEY, c bigint CHECK (c <= public.total()));
ALTER TABLE u ADD CONSTRAINT u_t_fkey FOREIGN KEY (t_id) REFERENCES t (id);
"""

CASES = {
    "row_types": (
        ROW_TYPES,
        [
            "S.__table__.add_is_dependent_on(T.__table__)",
            "A.__table__.add_is_dependent_on(S.__table__)",
            "A.__table__.add_is_dependent_on(T.__table__)",
        ],
    ),
    "atomic": (
        ATOMIC,
        [
            "T.__table__.add_is_dependent_on(U.__table__)",
            "W.__table__.add_is_dependent_on(U.__table__)",
            'event.listen(\n    U.__table__,\n    "after_create",\n'
            '    DDL("""CREATE OR REPLACE FUNCTION public.total()',
        ],
    ),
}


@pytest.mark.parametrize("split", [False, True])
@pytest.mark.parametrize("case", sorted(CASES))
def test_declared_order_rebuilds_the_schema(tmp_path: Path, pg_server: str, case: str, split: bool) -> None:
    sql, expected = CASES[case]
    source = tmp_path / f"{case}.sql"
    source.write_text(sql)
    database = load(str(source), LoadOptions(scratch_url=pg_server))
    if split:
        target = tmp_path / "models"
        target.mkdir()
        for name, text in render_package(database, source=source.name).items():
            (target / name).write_text(text)
        code = (target / "__init__.py").read_text()
    else:
        target = tmp_path / "models.py"
        code = render(database, source=source.name)
        target.write_text(code)
    for line in expected:
        assert line in code
    assert ruff_problems(target) == []
    rebuilt, _ = rebuild(target, pg_server)
    assert compare(database, rebuilt) == []
