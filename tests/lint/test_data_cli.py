"""`pgshape lint URL` runs the data rules on a live database: read-only, bounded, with evidence."""

from __future__ import annotations

import json

import psycopg
import pytest

from conftest import CORPUS
from pgshape.cli.main import main

pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not present")


@pytest.fixture
def chinook(scratch_url: str) -> str:
    from pgshape.sources.sql_file import execute_script

    execute_script(scratch_url, CORPUS / "chinook.sql", warn=lambda _: None)
    return scratch_url


def _count(url: str) -> int:
    with psycopg.connect(url) as conn:
        (n,) = conn.execute("SELECT count(*) FROM public.invoice_line").fetchone()  # type: ignore[misc]
    return int(n)


def test_lint_url_reports_dependencies_with_evidence(
    chinook: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _count(chinook)
    code = main(["lint", chinook, "--select", "NF004,NF002", "--format", "json", "--fail-on", "warning"])
    out = capsys.readouterr().out
    assert code == 1
    findings = json.loads(out)["findings"]
    found = {(f["code"], f["path"]): f for f in findings}
    city = found[("NF004", "public.customer.city")]
    assert "country" in city["message"] and "confidence 100.0%" in city["message"]
    assert city["evidence"]["confidence"] == 1.0 and city["evidence"]["support"] >= 6
    assert ("NF002", "public.track.composer") in found
    assert _count(chinook) == before  # nothing written


def test_no_data_skips_the_data_rules(chinook: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["lint", chinook, "--select", "NF004", "--no-data", "--format", "json"])
    out = capsys.readouterr().out
    assert code == 0
    assert json.loads(out)["findings"] == []
