from __future__ import annotations

import psycopg

from pgshape.pg.scratch import SCRATCH_PREFIX, scratch_database


def test_scratch_database_is_created_and_dropped(pg_server: str) -> None:
    with scratch_database(pg_server) as url, psycopg.connect(url) as conn:
        name = conn.execute("select current_database()").fetchone()[0]  # type: ignore[index]
        assert name.startswith(SCRATCH_PREFIX)
    with psycopg.connect(pg_server) as conn:
        rows = conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchall()
    assert rows == []


def test_scratch_database_dropped_after_error(pg_server: str) -> None:
    name = None
    try:
        with scratch_database(pg_server) as url, psycopg.connect(url) as conn:
            name = conn.execute("select current_database()").fetchone()[0]  # type: ignore[index]
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    with psycopg.connect(pg_server) as conn:
        assert conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchall() == []
