"""The corpus schemas the ERD tests draw, loaded once per test run.

Which of them load where is the corpus README's rule: pagila needs PostgreSQL 18, danbooru the
pgcrypto extension. Test modules use the ``corpus`` fixture (indirectly parametrized with a
name from ``SCHEMAS``) or :func:`corpus_database`.
"""

from __future__ import annotations

import psycopg
import pytest

from conftest import CORPUS
from pgshape.model import Database
from pgshape.sources.load import LoadOptions, load

SCHEMAS = ["chinook.sql", "synapse.sql", "pagila.sql", "danbooru.sql"]
_CACHE: dict[str, Database] = {}


def loadable(name: str, pg_server: str, pg_major: int) -> bool:
    if name == "pagila.sql":
        return pg_major >= 18
    if name == "danbooru.sql":
        with psycopg.connect(pg_server) as conn:
            row = conn.execute("select 1 from pg_available_extensions where name = 'pgcrypto'").fetchone()
        return row is not None
    return True


def corpus_database(name: str, pg_server: str, pg_major: int) -> Database:
    """The corpus schema ``name`` as a model (skips the test where it does not load)."""
    if not loadable(name, pg_server, pg_major):
        pytest.skip(f"{name} does not load on PostgreSQL {pg_major} (see the corpus README)")
    if name not in _CACHE:
        _CACHE[name] = load(str(CORPUS / name), LoadOptions(scratch_url=pg_server))
    return _CACHE[name]


@pytest.fixture
def corpus(request: pytest.FixtureRequest, pg_server: str, pg_major: int) -> Database:
    return corpus_database(request.param, pg_server, pg_major)
