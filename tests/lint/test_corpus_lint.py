"""The rules on the real schemas of ../shared/corpus.

* FK001 agrees exactly with an independent catalog query (foreign keys with no index whose
  leading key columns are the FK columns, in order) on every loadable corpus schema.
* Findings of the KEY/FK/IDX/TYP/NAM rules are kept as a reviewed snapshot
  (corpus_snapshot.json: counts per rule, per schema) plus spot-checked findings below.

Updating the snapshot after a deliberate rule change:
    PGSHAPE_UPDATE_SNAPSHOT=1 .venv/bin/pytest tests/lint/test_corpus_lint.py -n 0
then review `git diff tests/lint/corpus_snapshot.json` finding by finding (`pgshape lint
../shared/corpus/schemas/X.sql --select CODE`) before committing it.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from conftest import CORPUS
from pgshape.errors import PgshapeError
from pgshape.lint.config import LintConfig
from pgshape.lint.core import LintContext
from pgshape.lint.engine import lint
from pgshape.model import Database

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not present"),
]

SNAPSHOT = Path(__file__).with_name("corpus_snapshot.json")
MY_GROUPS = ("KEY", "FK", "IDX", "TYP", "NAM")
SCHEMAS = ["chinook.sql", "synapse.sql", "pagila.sql", "danbooru.sql", "lago.sql", "openstreetmap.sql"]

# FKs without an index whose first len(conkey) keys are conkey, in order (any index of the
# table: primary key, unique, partial). Partitions are judged through their parent.
UNINDEXED_FKS = """
SELECT n.nspname, c.relname, con.conname
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE con.contype = 'f' AND NOT c.relispartition
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
  AND NOT EXISTS (
    SELECT 1 FROM pg_index i
    WHERE i.indrelid = con.conrelid
      AND (string_to_array(i.indkey::text, ' '))[1:cardinality(con.conkey)]
          = string_to_array(array_to_string(con.conkey, ' '), ' ')
  )
"""


def _load(name: str, server: str) -> Iterator[tuple[Database, set[tuple[str, str, str]]]]:
    from pgshape.pg.introspect import introspect
    from pgshape.pg.scratch import scratch_database
    from pgshape.sources.sql_file import execute_script
    from pgshape.sources.sql_origins import apply_origins

    with scratch_database(server) as url:
        try:
            script = execute_script(url, CORPUS / name, warn=lambda _: None)
        except PgshapeError as error:
            pytest.skip(f"{name} does not load on this server: {error}")
        database = introspect(url)
        database = apply_origins(database, script.statements, file=script.name, lines=script.lines)
        with psycopg.connect(url) as conn:
            expected = {tuple(row) for row in conn.execute(UNINDEXED_FKS).fetchall()}
        yield database, expected  # type: ignore[misc]


@pytest.fixture(scope="module", params=SCHEMAS)
def corpus(request: pytest.FixtureRequest, pg_server: str) -> Iterator[tuple[str, Database, set]]:
    for database, expected in _load(request.param, pg_server):
        yield request.param, database, expected


def _findings(database: Database) -> list:
    context = LintContext(database=database, config=LintConfig(select=MY_GROUPS), source_kind="sql")
    return lint(context).findings


def test_unindexed_foreign_keys_agree_with_the_catalog(corpus: tuple[str, Database, set]) -> None:
    name, database, expected = corpus
    found = set()
    for finding in _findings(database):
        if finding.code == "FK001":
            table = database.find_table(".".join(finding.path.split(".")[:2]))
            assert table is not None
            fk_name = finding.message.split()[2]
            found.add((table.schema, table.name, fk_name))
    assert found == expected, name


def test_findings_match_the_reviewed_snapshot(corpus: tuple[str, Database, set]) -> None:
    name, database, _ = corpus
    counts = dict(sorted(Counter(f.code for f in _findings(database)).items()))
    snapshot = json.loads(SNAPSHOT.read_text()) if SNAPSHOT.exists() else {}
    if os.environ.get("PGSHAPE_UPDATE_SNAPSHOT"):
        snapshot[name] = counts
        SNAPSHOT.write_text(json.dumps(dict(sorted(snapshot.items())), indent=2) + "\n")
    assert name in snapshot, f"no snapshot for {name}: run with PGSHAPE_UPDATE_SNAPSHOT=1 and review"
    assert counts == snapshot[name]


# Findings read one by one against the schema files and agreed with (path, code).
SPOT_CHECKED = {
    "chinook.sql": [
        ("public.customer.email", "KEY008"),  # no unique on customer email
        ("public.employee.reports_to", "FK006"),  # self reference, NO ACTION
        ("public.playlist_track.playlist_track_playlist_id_idx", "IDX002"),  # prefix of the PK
        ("public.invoice.invoice_date", "TYP001"),  # timestamp without time zone
    ],
    "pagila.sql": [
        ("public.rental.customer_id", "FK001"),  # no index starts with customer_id
        ("public.actor.actor_id", "KEY002"),  # integer identity key
        ("public.customer.active", "TYP007"),  # integer here, boolean elsewhere
    ],
    "danbooru.sql": [  # loads where pgcrypto exists (PostgreSQL 15 here)
        ("public.email_addresses.user_id", "FK002"),  # bigint referencing users.id integer
        ("public.schema_migrations.unique_schema_migrations", "KEY006"),  # unique copy of the PK
        (
            "public.posts.index_posts_on_uploader_id",
            "IDX006",
        ),  # WHERE uploader_id IS NOT NULL, column NOT NULL
        ("public.bulk_update_requests.approver_id", "FK001"),
    ],
    "synapse.sql": [
        ("public.event_txn_id.token_id", "FK001"),
        ("public.user_threepids.user_threepids_medium_address", "IDX001"),
        ("public.monthly_active_users.timestamp", "NAM002"),
    ],
}


def test_spot_checked_findings_are_reported(corpus: tuple[str, Database, set]) -> None:
    name, database, _ = corpus
    found = {(f.path, f.code) for f in _findings(database)}
    for expected in SPOT_CHECKED.get(name, []):
        assert expected in found, expected
