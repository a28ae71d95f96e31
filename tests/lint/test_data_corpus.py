"""The CON/TS/SD/SEC/NF/DOC/PART rules and the data rules on the real schemas of ../shared/corpus.

Each schema is loaded on a scratch database and sampled like a live database (chinook carries
~15,000 rows, so the data rules have evidence to work with). The findings are kept as a reviewed
snapshot (test_data_corpus_snapshot.json: every finding as "CODE path", DOC001 as a count), and
the ones a reviewer would single out are spot-checked below with the reason.

Updating the snapshot after a deliberate rule change:
    PGSHAPE_UPDATE_SNAPSHOT=1 .venv/bin/pytest tests/lint/test_data_corpus.py -n 0
then review `git diff tests/lint/test_data_corpus_snapshot.json` finding by finding
(`pgshape lint ../shared/corpus/schemas/X.sql --select CODE`) before committing it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import CORPUS
from pgshape.errors import PgshapeError
from pgshape.lint.config import LintConfig
from pgshape.lint.core import Finding, LintContext, all_rules
from pgshape.lint.engine import lint

pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not present")

SNAPSHOT = Path(__file__).with_name("test_data_corpus_snapshot.json")
GROUPS = ("CON", "TS", "SD", "SEC", "NF", "DOC", "PART")
DATA_RULES = ("IDX008", "TYP008")
SCHEMAS = ["chinook.sql", "pagila.sql", "synapse.sql"]


def _mine(code: str) -> bool:
    return code.startswith(GROUPS) or code in DATA_RULES


@pytest.fixture(scope="module", params=SCHEMAS)
def findings(request: pytest.FixtureRequest, pg_server: str) -> Iterator[tuple[str, list[Finding]]]:
    from pgshape.pg.introspect import introspect
    from pgshape.pg.sample import sample
    from pgshape.pg.scratch import scratch_database
    from pgshape.sources.sql_file import execute_script

    with scratch_database(pg_server) as url:
        try:
            execute_script(url, CORPUS / request.param, warn=lambda _: None)
        except PgshapeError as error:
            pytest.skip(f"{request.param} does not load on this server: {error}")
        database = introspect(url)
        data = sample(url, database)
    context = LintContext(database=database, config=LintConfig(), data=data, source_kind="url")
    rules = [r for r in all_rules() if _mine(r.code) and context.config.selects(r) and not r.python_only]
    yield request.param, lint(context, rules=rules).findings


def _snapshot_entry(found: list[Finding]) -> dict[str, object]:
    return {
        "findings": sorted(f"{f.code} {f.path}" for f in found if f.code != "DOC001"),
        "DOC001": sum(1 for f in found if f.code == "DOC001"),
    }


def test_snapshot(findings: tuple[str, list[Finding]]) -> None:
    name, found = findings
    stored = json.loads(SNAPSHOT.read_text()) if SNAPSHOT.exists() else {}
    entry = _snapshot_entry(found)
    if os.environ.get("PGSHAPE_UPDATE_SNAPSHOT"):
        stored[name] = entry
        SNAPSHOT.write_text(json.dumps(stored, indent=2, sort_keys=True) + "\n")
    assert name in stored, f"no snapshot for {name}: run with PGSHAPE_UPDATE_SNAPSHOT=1 and review it"
    assert entry == stored[name]


def _by(found: list[Finding], code: str) -> dict[str, Finding]:
    return {f.path: f for f in found if f.code == code}


def test_reviewed_findings(findings: tuple[str, list[Finding]]) -> None:
    name, found = findings
    if name == "chinook.sql":
        transitive = _by(found, "NF004")
        # A customer's city decides the country (the textbook zip → city case).
        city = transitive["public.customer.city"]
        assert "country" in city.message and city.evidence is not None
        assert city.evidence["confidence"] == 1.0 and city.evidence["repeated_groups"] >= 3
        # Each invoice copies its customer's address: billing_* depend on customer_id.
        assert "billing_city" in transitive["public.invoice.customer_id"].message
        # invoice_line.unit_price is the track's price, copied.
        assert "unit_price" in transitive["public.invoice_line.track_id"].message
        # An album almost decides the genre: the finding carries a counterexample.
        album = transitive["public.track.album_id"]
        assert album.evidence is not None and "counterexample" in album.evidence
        assert album.evidence["confidence"] < 1.0
        # Measures (milliseconds, bytes) and free names are never determinants.
        assert "public.track.milliseconds" not in transitive and "public.track.bytes" not in transitive
        # track.composer holds lists of people: "Angus Young, Malcolm Young, Brian Johnson".
        composer = _by(found, "NF002")["public.track.composer"]
        assert composer.evidence is not None and composer.evidence["list_values"] > 500
        # No composite-key table has a non-key column (playlist_track is a pure link).
        assert not _by(found, "NF003")
        # state next to city/country is a province, not a status.
        assert "public.customer.state" not in _by(found, "CON002")
        # Lookup tables (genre, media_type, artist, playlist) need no timestamps.
        assert {"public.genre", "public.media_type", "public.artist"}.isdisjoint(_by(found, "TS001"))
    elif name == "pagila.sql":
        # staff.password holds a SHA-1 of the password, under a name that says plaintext.
        assert "public.staff.password" in _by(found, "SEC001")
        assert "public.rewards_report" in _by(found, "SEC006")
        assert "public.payment" in _by(found, "PART002")
        # film_actor(actor_id, film_id, last_update) is a link table.
        assert "public.film_actor" not in _by(found, "TS001")
        # last_update is kept by the last_updated trigger on every table.
        assert not _by(found, "TS003")
    elif name == "synapse.sql":
        secrets = _by(found, "SEC001")
        assert {"public.access_tokens.token", "public.refresh_tokens.token"} <= set(secrets)
        enum_like = _by(found, "CON002")
        # An event type that is part of a key is a namespace, not a status; MIME types are open.
        assert "public.current_state_events.type" not in enum_like
        assert "public.local_media_repository.media_type" not in enum_like
        assert "public.state_events.prev_state" not in enum_like
        assert "public.application_services_txns.event_ids" in _by(found, "NF001")


def test_every_finding_names_an_existing_object(findings: tuple[str, list[Finding]]) -> None:
    _, found = findings
    for finding in found:
        assert finding.path.count(".") >= 1 and finding.message
        for fix in finding.fixes:
            assert fix.sql is None or fix.sql.rstrip().endswith(";")
