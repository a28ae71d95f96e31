"""Every bundled example, end to end as a user runs it: ``pgshape init --example X``, then
``pgshape generate sql``, applied with psql on a fresh database, reads back as the design file
describes it, and ``pgshape verify`` says identical."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.render.migration_files import psql, verification_results

from pgshape.cli.main import main
from pgshape.design.examples import EXAMPLES, example_path
from pgshape.model.compare import compare
from pgshape.pg.introspect import introspect
from pgshape.pg.normalize import normalize
from pgshape.sources.design_file import load as load_design

# What each example must contain beyond its own tables: the patterns it shows off.
EXPECTED_TABLES = {
    "blog": {"app_user", "post", "comment", "tag", "post_tag"},
    "shop": {"customer", "customer_order", "order_item", "product", "category", "product_category"},
    "saas": {"tenant", "app_user", "project", "task"},
    "rbac": {"app_user", "role", "permission", "user_role", "role_permission", "document"},
    "audit": {"customer", "invoice", "payment", "audit_log"},
    "starter": {"app_user", "role", "user_role", "post", "category"},
}


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_every_example_is_listed_with_a_description(capsys: pytest.CaptureFixture[str]) -> None:
    assert set(EXPECTED_TABLES) == set(EXAMPLES)
    code, out, _ = _run(capsys, "init", "--list")
    assert code == 0
    listed = {line.split()[0]: line for line in out.splitlines()}
    assert set(listed) == set(EXAMPLES)
    assert all(len(line.split()) > 3 for line in listed.values())


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_example_init_generate_apply_verify(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, scratch_url: str, pg_server: str, name: str
) -> None:
    design = tmp_path / "schema.yaml"
    assert _run(capsys, "init", "--example", name, "-o", str(design))[0] == 0
    text = design.read_text()
    assert text == example_path(name).read_text()
    assert text.startswith("# yaml-language-server: $schema=")
    migration = tmp_path / f"0001_{name}.sql"
    code, _, err = _run(capsys, "generate", "sql", str(design), "-o", str(migration))
    assert code == 0, err
    applied = psql(scratch_url, migration)
    assert applied.returncode == 0, applied.stderr
    assert all(ok for ok, _ in verification_results(scratch_url, migration.read_text()))
    # What psql built is what the design file says (expressions as the server prints them).
    expected = normalize(load_design(str(design)), pg_server)
    built = introspect(scratch_url)
    assert [str(d) for d in compare(expected, built)] == []
    assert EXPECTED_TABLES[name] <= {t.name for t in built.tables}
    code, out, err = _run(capsys, "verify", str(design), "--format", "json")
    assert code == 0, out + err
    assert json.loads(out)["identical"] is True


def test_the_json_schema_the_examples_point_to_is_written_on_request(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    design = tmp_path / "schema.yaml"
    code, _, _ = _run(capsys, "init", "-o", str(design), "--with-json-schema")
    assert code == 0
    reference = design.read_text().splitlines()[0].split("$schema=")[1]
    schema = json.loads((tmp_path / reference).read_text())
    assert "patterns" in schema["properties"]


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_example_passes_review_without_errors_or_warnings(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    code, out, err = _run(capsys, "lint", str(example_path(name)), "--fail-on", "warning", "--format", "json")
    assert code == 0, out + err
    report = json.loads(out)
    assert report["summary"]["rules_run"] > 0  # the review really ran
    assert report["summary"]["error"] == report["summary"]["warning"] == 0, report["findings"]
