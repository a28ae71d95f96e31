"""Tables with columns of another table's row type: SQLAlchemy's create_all() orders tables by
foreign keys only, so the generated code declares the extra dependency and the schema rebuilds
exactly — in one module and in a split package."""

from __future__ import annotations

from pathlib import Path

import pytest
from codegen_support import rebuild

from pgshape.model.compare import compare
from pgshape.render.sqlmodel import render, render_package
from pgshape.sources.load import LoadOptions, load

# By name (and with no foreign keys) SQLAlchemy would create a and s before t.
ROW_TYPES = """
CREATE TABLE t (id int PRIMARY KEY, label text);
CREATE TABLE s (id int PRIMARY KEY, t_row t);
CREATE TABLE a (id int PRIMARY KEY, t_rows t[], s_row s);
"""


@pytest.mark.parametrize("split", [False, True])
def test_row_type_columns_rebuild(tmp_path: Path, pg_server: str, split: bool) -> None:
    source = tmp_path / "row_types.sql"
    source.write_text(ROW_TYPES)
    database = load(str(source), LoadOptions(scratch_url=pg_server))
    if split:
        target = tmp_path / "models"
        target.mkdir()
        for name, text in render_package(database, source="row_types.sql").items():
            (target / name).write_text(text)
        code = (target / "__init__.py").read_text()
    else:
        target = tmp_path / "models.py"
        code = render(database, source="row_types.sql")
        target.write_text(code)
    assert "S.__table__.add_is_dependent_on(T.__table__)" in code
    assert "A.__table__.add_is_dependent_on(S.__table__)" in code
    assert "A.__table__.add_is_dependent_on(T.__table__)" in code
    rebuilt, _ = rebuild(target, pg_server)
    assert compare(database, rebuilt) == []
