"""``pgshape lint-migration``: every MIG rule fires on a bad migration and stays silent on the
online-safe equivalent; the known false alarms of other linters are not repeated; errors are
one line with file:line:col; Alembic revisions are read; --observe quotes what PostgreSQL did."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings

from conftest import CORPUS
from pgshape.cli.main import main
from pgshape.lint.core import all_rules, find_rule
from pgshape.migrate.alembic_sql import revision_sql
from pgshape.migrate.lint_migration import lint_statements
from pgshape.migrate.statements import parse, parse_sql
from pgshape.model import Database
from pgshape.render.identifiers import quote_ident, quote_literal
from pgshape.sources.load import load
from strategies import identifiers

RULES_MD = CORPUS.parents[1] / "RULES.md"  # ../shared/RULES.md, found like the corpus

# The schema the doc examples and the pairs below start from.
FROM = """
CREATE TYPE status AS ENUM ('draft', 'done');
CREATE TABLE author (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name varchar(40) NOT NULL,
                     email text, legacy_code text);
CREATE TABLE post (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, author_id bigint, title text,
                   views integer, st status, code varchar(20), price numeric(8,2));
CREATE TABLE audit_log (id integer);
CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
CREATE DOMAIN note AS text;
"""


@pytest.fixture(scope="module")
def before(pg_server: str, tmp_path_factory: pytest.TempPathFactory) -> Database:
    path = tmp_path_factory.mktemp("from") / "from.sql"
    path.write_text(FROM)
    return load(str(path))


def _codes(sql: str, before: Database | None = None, code: str | None = None) -> list[str]:
    result = lint_statements(parse_sql(sql, "m.sql"), file="m.sql", before=before)
    return [f.code for f in result.findings if code is None or f.code == code]


MIG_RULES = [r for r in all_rules() if r.group == "MIG"]


def test_fifteen_rules_numbered_in_rules_md_order() -> None:
    assert len(MIG_RULES) == 15
    if not RULES_MD.exists():
        pytest.skip("../shared/RULES.md is not present")
    section = RULES_MD.read_text(encoding="utf-8").split("(MIG)", 1)[1].split("\n## ", 1)[0]
    names: list[str] = []
    for line in section.splitlines():
        if line.startswith("| ") and "---" not in line and not line.startswith("| name"):
            names += [n.strip() for n in line.split("|")[1].split("/")]
    assert [r.name for r in MIG_RULES] == names
    assert [r.code for r in MIG_RULES] == [f"MIG{n:03d}" for n in range(1, 16)]


@pytest.mark.parametrize("rule", MIG_RULES, ids=lambda r: r.code)
def test_rule_fires_on_its_doc_example_and_not_on_use_instead(rule, before: Database) -> None:  # type: ignore[no-untyped-def]
    assert rule.code in _codes(rule.doc.example_sql, before), rule.doc.example_sql
    assert rule.code not in _codes(rule.doc.use_instead_sql, before), rule.doc.use_instead_sql


# (rule, bad, online-safe equivalent) — beyond the doc examples: other spellings and traps.
PAIRS = [
    ("MIG001", "DROP INDEX post_title_idx;", "DROP INDEX CONCURRENTLY post_title_idx;"),
    (
        "MIG001",
        "CREATE UNIQUE INDEX post_code_key ON public.post (code);",
        "CREATE TABLE fresh (id int); CREATE INDEX fresh_id ON fresh (id);",  # a table made here
    ),
    (
        "MIG002",
        "BEGIN; DROP INDEX CONCURRENTLY post_title_idx; COMMIT;",
        "DROP INDEX CONCURRENTLY post_title_idx;",
    ),
    (
        "MIG002",
        "BEGIN; REINDEX INDEX CONCURRENTLY post_title_idx; COMMIT;",
        "REINDEX INDEX CONCURRENTLY post_title_idx;",
    ),
    (
        "MIG003",
        "ALTER TABLE post ADD CONSTRAINT views_positive CHECK (views >= 0);",
        "ALTER TABLE post ADD CONSTRAINT views_positive CHECK (views >= 0) NOT VALID;"
        " ALTER TABLE post VALIDATE CONSTRAINT views_positive;",
    ),
    # The false alarm other linters raise: UNIQUE / PRIMARY KEY cannot be NOT VALID.
    (
        "MIG004",
        "ALTER TABLE audit_log ADD PRIMARY KEY (id);",
        "ALTER TABLE audit_log ADD PRIMARY KEY USING INDEX audit_log_id_idx;",
    ),
    (
        "MIG005",
        "ALTER TABLE post ALTER COLUMN title SET NOT NULL;",
        "ALTER TABLE post ADD CONSTRAINT t_nn CHECK (title IS NOT NULL);"
        " ALTER TABLE post ALTER COLUMN title SET NOT NULL;",
    ),
    (
        "MIG006",
        "ALTER TABLE post ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp();",
        "ALTER TABLE post ADD COLUMN seen_at timestamptz DEFAULT now();",  # stable: no rewrite
    ),
    (
        "MIG006",
        "ALTER TABLE post ADD COLUMN twice integer GENERATED ALWAYS AS (views * 2) STORED;",
        "ALTER TABLE post ADD COLUMN twice integer;",
    ),
    ("MIG006", "ALTER TABLE post ADD COLUMN stock posint;", "ALTER TABLE post ADD COLUMN remark note;"),
    (
        "MIG007",
        "ALTER TABLE post ADD COLUMN slug text NOT NULL;",
        "ALTER TABLE post ADD COLUMN n bigint NOT NULL GENERATED ALWAYS AS IDENTITY;",
    ),
    # The other false alarm: widening varchar or varchar → text is not a rewrite.
    (
        "MIG008",
        "ALTER TABLE post ALTER COLUMN views TYPE text;",
        "ALTER TABLE post ALTER COLUMN code TYPE varchar(80);",
    ),
    (
        "MIG008",
        "ALTER TABLE post ALTER COLUMN price TYPE numeric(8,3);",
        "ALTER TABLE post ALTER COLUMN code TYPE text;",
    ),
    (
        "MIG009",
        "ALTER TABLE author DROP COLUMN legacy_code;",
        "-- step 9: drop column public.author.legacy_code\n--   lock ACCESS EXCLUSIVE; DESTRUCTIVE\n"
        "ALTER TABLE author DROP COLUMN legacy_code;",
    ),
    ("MIG010", "DROP TABLE public.audit_log;", "CREATE TABLE scratch (id int); DROP TABLE scratch;"),
    (
        "MIG011",
        "ALTER TABLE author RENAME TO writer;",
        "-- pgshape: ignore[rename-breaks-clients] deployed behind a maintenance window\n"
        "ALTER TABLE author RENAME TO writer;",
    ),
    (
        "MIG012",
        "SET lock_timeout = '5s'; SET lock_timeout = 0; ALTER TABLE post DROP COLUMN code;",
        "BEGIN; SET LOCAL lock_timeout = '2s'; ALTER TABLE post ADD COLUMN flag boolean; COMMIT;",
    ),
    ("MIG012", "ALTER TABLE post DETACH PARTITION p;", "ALTER TABLE post DETACH PARTITION p CONCURRENTLY;"),
    (
        "MIG012",
        "BEGIN; SET LOCAL lock_timeout = '2s'; COMMIT; ALTER TABLE post ADD COLUMN flag boolean;",
        "SET lock_timeout = '2s'; BEGIN; ALTER TABLE post ADD COLUMN flag boolean; COMMIT;",
    ),
    (
        "MIG013",
        "BEGIN; ALTER TYPE status ADD VALUE 'review'; INSERT INTO post (st) VALUES ('review'); COMMIT;",
        "BEGIN; ALTER TYPE status ADD VALUE 'review'; COMMIT;"
        " BEGIN; INSERT INTO post (st) VALUES ('review'); COMMIT;",
    ),
    (
        "MIG014",
        "ALTER TABLE post ALTER COLUMN views TYPE smallint;",
        "ALTER TABLE post ALTER COLUMN views TYPE bigint;",
    ),
    (
        "MIG014",
        "ALTER TABLE author ALTER COLUMN email TYPE integer USING email::integer;",
        "ALTER TABLE author ALTER COLUMN name TYPE text;",
    ),
    ("MIG015", "DELETE FROM audit_log;", "DELETE FROM audit_log WHERE id < 1000;"),
]


@pytest.mark.parametrize(
    ("code", "bad", "good"), PAIRS, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(PAIRS)]
)
def test_bad_fires_and_online_safe_equivalent_does_not(
    code: str, bad: str, good: str, before: Database
) -> None:
    assert code in _codes(bad, before)
    assert code not in _codes(good, before)


def test_without_against_type_changes_to_text_like_targets_are_not_guessed() -> None:
    # Without FROM the old type is unknown: varchar/text/numeric targets may be widenings.
    assert (
        _codes(
            "ALTER TABLE t ALTER COLUMN c TYPE text; ALTER TABLE t ALTER COLUMN c TYPE varchar(9);",
            code="MIG008",
        )
        == []
    )
    assert _codes("ALTER TABLE t ALTER COLUMN c TYPE bigint;", code="MIG008") == ["MIG008"]
    assert _codes("ALTER TABLE t ALTER COLUMN c TYPE text USING c::text;", code="MIG008") == ["MIG008"]


def test_unknown_old_type_hint_suggests_against_only_without_it(before: Database) -> None:
    def messages(sql: str, before: Database | None) -> list[str]:
        result = lint_statements(parse_sql(sql, "m.sql"), file="m.sql", before=before)
        return [f.message for f in result.findings if f.code == "MIG008"]

    renamed = "ALTER TABLE post RENAME COLUMN views TO hits; ALTER TABLE post ALTER COLUMN hits TYPE bigint;"
    [with_from] = messages(renamed, before)
    assert "--against" not in with_from and "renamed or added earlier" in with_from
    [without] = messages(renamed, None)
    assert "pass --against" in without


def test_against_knows_new_tables_from_from(before: Database) -> None:
    # A table absent from FROM (made by an earlier migration not shown) is not "existing".
    assert _codes("CREATE INDEX i ON brand_new (x);", before) == []
    assert _codes("CREATE INDEX i ON brand_new (x);") == ["MIG001"]


# pgshape diff's own plans lint cleanly ---------------------------------------------------------


# Findings that are right about a plan the planner does not flag (PostgreSQL, observed with
# --against, agrees): adding an identity to an existing nullable column renders a plain SET NOT
# NULL (a full scan under ACCESS EXCLUSIVE); adding a column of a domain with a CHECK rewrites
# the table.
KNOWN_PLAN_FINDINGS: dict[str, set[str]] = {}


def _plan_cases():  # type: ignore[no-untyped-def]
    from migration_cases import CASES

    # pgparse bundles PostgreSQL 17's grammar: cases written for 18 (VIRTUAL generated
    # columns, ...) are outside what it can read (docs/migrations.md says so).
    return [c for c in CASES if c.online and not c.renames and c.min_pg <= 17]


def test_plans_from_pgshape_diff_pass(pg_server: str, pg_major: int) -> None:
    """Every online case of the schema-change suite: the reviewed script pgshape diff writes has no
    finding, except where the planner itself says a step rewrites, renames or narrows."""
    from migration_harness import build_all, only

    from pgshape.migrate.pipeline import migration
    from pgshape.migrate.render_sql import blocks, render

    cases = [c for c in _plan_cases() if c.min_pg <= pg_major]
    before_all, after_all, schemas = build_all(pg_server, cases)
    linted = clean = 0
    problems = []
    for case in cases:
        s = schemas[case.name]
        before, after = only(before_all, s), only(after_all, s)
        plan = migration(before, after).plan
        text = render(plan, title=case.name)
        statements = parse_sql(text, f"{case.name}.sql")
        findings = lint_statements(statements, file=f"{case.name}.sql", before=before).findings
        linted += 1
        # A step may draw only the findings its own flags admit: rewrites → MIG006/MIG008,
        # destructive (narrowing, conversion) → MIG008/MIG014. Everything else must be silent.
        allowed: dict[int, set[str]] = {}
        partitioned = {t.key for t in before.tables if t.is_partitioned or t.is_partition}
        for block in blocks(plan.up, plan.options):
            for step in block.steps:
                codes: set[str] = set()
                if step.operation.rewrites:
                    codes |= {"MIG006", "MIG008"}
                if step.operation.destructive:
                    codes |= {"MIG008", "MIG014"}
                if step.operation.scans:
                    codes |= {"MIG005"}
                relation = getattr(step.operation, "relation", None) or getattr(step.operation, "table", None)
                if relation in partitioned:
                    # The planner leaves partitioned tables plain: PostgreSQL has no CONCURRENTLY
                    # or NOT VALID foreign keys there. The lint still says what it costs.
                    codes |= {"MIG001", "MIG003", "MIG004"}
                allowed[step.number] = codes | KNOWN_PLAN_FINDINGS.get(case.name, set())
        step_of = _step_numbers(text)
        for finding in findings:
            number = step_of.get(finding.origin.line if finding.origin else 0)
            if finding.code not in allowed.get(number or 0, set()):
                problems.append(f"{case.name}: {finding.code} {finding.message}")
        clean += not findings
    assert linted >= 150
    assert problems == [], "\n".join(problems)
    assert clean >= 140  # most plans have no finding at all


def _step_numbers(text: str) -> dict[int, int]:
    """Line number → the ``-- step N:`` it belongs to, in a rendered script."""
    found: dict[int, int] = {}
    current = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("-- step "):
            current = int(line.split()[2].rstrip(":"))
        found[number] = current
    return found


# Alembic revisions -------------------------------------------------------------------------------

REVISION = '''
"""bad revision"""
from alembic import op
import sqlalchemy as sa

revision = "abc"
down_revision = None


def upgrade() -> None:
    op.execute("CREATE INDEX CONCURRENTLY ix_post_title ON post (title)")
    with op.get_context().autocommit_block():
        op.execute("CREATE INDEX CONCURRENTLY ix_post_views ON post (views)")
    op.execute(sa.text("ALTER TYPE status ADD VALUE 'review'"))
    op.execute("UPDATE post SET st = 'review' WHERE id = 1")
    op.add_column("post", sa.Column("x", sa.Integer))


def downgrade() -> None:
    op.execute("DROP INDEX ix_post_views")
'''


def test_alembic_revision_transactions_and_positions() -> None:
    found = revision_sql(REVISION, "rev.py")
    assert [c.transaction for c in found.chunks] == [True, False, True, True]
    assert found.unchecked == ["op.add_column at line 16"]
    statements = parse(found.chunks, "rev.py")
    result = lint_statements(statements, file="rev.py")
    by_code = {(f.code, f.origin.line, f.origin.column) for f in result.findings if f.origin}
    # Inside Alembic's transaction: refused; inside autocommit_block(): fine. Column 17 is where
    # the SQL starts inside the string on line 11 (after `    op.execute("`).
    assert ("MIG002", 11, 17) in by_code
    assert not any(code == "MIG002" and line == 13 for code, line, _ in by_code)
    assert any(code == "MIG013" and line == 15 for code, line, _ in by_code)
    down = lint_statements(
        parse(revision_sql(REVISION, "rev.py", function="downgrade").chunks, "rev.py"), file="rev.py"
    )
    assert [f.code for f in down.findings] == ["MIG001"]


def test_alembic_revision_written_by_pgshape_lints_clean(tmp_path: Path) -> None:
    from pgshape.migrate.pipeline import migration
    from pgshape.migrate.render_alembic import render

    a = tmp_path / "a.sql"
    b = tmp_path / "b.sql"
    a.write_text(FROM)
    b.write_text(
        FROM.replace("('draft', 'done')", "('draft', 'review', 'done')").replace(
            "code varchar(20)", "code varchar(20) DEFAULT 'x:y' NOT NULL UNIQUE"
        )
        + "CREATE INDEX post_title_idx ON post (title);\n"
        "ALTER TABLE post ADD CONSTRAINT post_author_id_fkey FOREIGN KEY (author_id) REFERENCES author;\n"
    )
    before, after = load(str(a)), load(str(b))
    text = render(migration(before, after).plan, title="a → b")
    statements = parse(revision_sql(text, "rev.py").chunks, "rev.py")
    assert len(statements) > 10
    assert lint_statements(statements, file="rev.py", before=before).findings == []


# The command ---------------------------------------------------------------------------------------


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_syntax_error_is_one_line_with_position(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "broken.sql"
    path.write_text("-- ok\nSELECT 1;\nALTER TABLE t ADD COLUMN x integer NOT;\n")
    code, out, err = _run(capsys, "lint-migration", str(path))
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [f'error: {path}:3:39: syntax error at or near ";"']
    revision = tmp_path / "rev.py"
    revision.write_text('def upgrade():\n    op.execute("ALTER TABLE t ADD COLUMN x intege NOT")\n')
    code, _, err = _run(capsys, "lint-migration", str(revision))
    assert code == 2 and f"{revision}:2:" in err and len(err.strip().splitlines()) == 1
    code, _, err = _run(capsys, "lint-migration", str(tmp_path / "missing.sql"))
    assert code == 2 and "missing.sql" in err


def test_exit_codes_and_formats(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.sql"
    bad.write_text("SET lock_timeout = '1s';\nALTER TABLE post RENAME COLUMN title TO headline;\n")
    code, out, _ = _run(capsys, "lint-migration", str(bad))
    assert code == 0 and "MIG011" in out  # a warning: below the default --fail-on error
    code, _, _ = _run(capsys, "lint-migration", str(bad), "--fail-on", "warning")
    assert code == 1
    code, out, _ = _run(capsys, "lint-migration", str(bad), "--format", "json")
    document = json.loads(out)
    assert [f["code"] for f in document["findings"]] == ["MIG011"]
    assert document["findings"][0]["location"] == {"file": str(bad), "line": 2, "column": 1}
    code, out, _ = _run(capsys, "lint-migration", str(bad), "--format", "sarif")
    sarif = json.loads(out)
    assert sarif["runs"][0]["results"][0]["ruleId"] == "MIG011"
    code, out, _ = _run(capsys, "lint-migration", str(bad), "--format", "github")
    assert out.startswith(f"::warning file={bad},line=2,col=1,title=MIG011 rename-breaks-clients::")
    code, out, _ = _run(capsys, "lint-migration", str(bad), "--ignore", "MIG011", "--fail-on", "info")
    assert code == 0 and "no findings" in out


def test_observe_lets_postgresql_judge(
    capsys: pytest.CaptureFixture[str], pg_server: str, tmp_path: Path
) -> None:
    source = tmp_path / "from.sql"
    source.write_text(FROM + "INSERT INTO post (views, code) VALUES (1, 'a'), (2, 'b');\n")
    migration_file = tmp_path / "m.sql"
    migration_file.write_text(
        "SET lock_timeout = '1s';\n"
        "ALTER TABLE post ALTER COLUMN code TYPE varchar(80);\n"  # 2: no rewrite
        "ALTER TABLE post ALTER COLUMN views TYPE bigint;\n"  # 3: rewrite
        "ALTER TABLE post SET UNLOGGED;\n"  # 4: a rewrite no static rule knows of
        "ALTER TABLE post ADD COLUMN must text NOT NULL;\n"  # 5: refused: the table has rows
        "ALTER TABLE post ADD CONSTRAINT v CHECK (views > 0) NOT VALID;\n"
    )
    code, out, _ = _run(
        capsys,
        "lint-migration",
        str(migration_file),
        "--against",
        str(source),
        "--observe",
        "--format",
        "json",
    )
    assert code == 1
    findings = {(f["code"], f["location"]["line"]): f for f in json.loads(out)["findings"]}
    assert set(findings) == {("MIG008", 3), ("MIG008", 4), ("MIG007", 5)}
    rewrite = findings[("MIG008", 3)]
    assert (
        "ACCESS EXCLUSIVE on public.post" in rewrite["message"]
        and "rewrote public.post" in rewrite["message"]
    )
    assert rewrite["evidence"]["rewritten"] == ["public.post"]
    assert "rewrote public.post" in findings[("MIG008", 4)]["message"]
    assert "contains null values" in findings[("MIG007", 5)]["message"]
    code, _, err = _run(capsys, "lint-migration", str(migration_file), "--observe")
    assert code == 2 and "--against" in err
    # --against alone observes; --no-observe keeps to the static rules (which cannot know that
    # SET UNLOGGED rewrites the table).
    code, out, _ = _run(
        capsys, "lint-migration", str(migration_file), "--against", str(source), "--format", "json"
    )
    assert {(f["code"], f["location"]["line"]) for f in json.loads(out)["findings"]} == set(findings)
    code, out, _ = _run(
        capsys,
        "lint-migration",
        str(migration_file),
        "--against",
        str(source),
        "--no-observe",
        "--format",
        "json",
    )
    static = json.loads(out)["findings"]
    assert {(f["code"], f["location"]["line"]) for f in static} == {("MIG008", 3), ("MIG007", 5)}
    assert all("observed" not in f["message"] for f in static)


def test_rule_lookup_by_name() -> None:
    rule = find_rule("enum-value-in-transaction")
    assert rule is not None and rule.code == "MIG013"


def test_partitioned_index_advice(pg_server: str, tmp_path: Path) -> None:
    source = tmp_path / "parted.sql"
    source.write_text(
        "CREATE TABLE m (id integer, at date) PARTITION BY RANGE (at);"
        "CREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');"
    )
    before = load(str(source))
    plain = lint_statements(parse_sql("CREATE INDEX m_id ON m (id);", "m.sql"), file="m.sql", before=before)
    assert [f.code for f in plain.findings] == ["MIG001"]
    assert "ON ONLY the parent" in plain.findings[0].message
    staged = (
        "CREATE INDEX m_id ON ONLY m (id);"
        " CREATE INDEX CONCURRENTLY m_2024_id ON m_2024 (id);"
        " ALTER INDEX m_id ATTACH PARTITION m_2024_id;"
    )
    assert lint_statements(parse_sql(staged, "m.sql"), file="m.sql", before=before).findings == []


@settings(max_examples=150, deadline=None)
@given(table=identifiers, column=identifiers, label=identifiers)
def test_awkward_identifiers_are_read_from_the_parse_tree(table: str, column: str, label: str) -> None:
    """Names come from PostgreSQL's parser, not from the text: quoting, case, spaces and quotes
    inside identifiers all resolve to the object's real name."""
    t, c = quote_ident(table), quote_ident(column)
    bare = lint_statements(
        parse_sql(f"ALTER TABLE {t} ALTER COLUMN {c} SET NOT NULL;", "m.sql"), file="m.sql"
    )
    assert [(f.code, f.path) for f in bare.findings if f.code == "MIG005"] == [
        ("MIG005", f"public.{table}.{column}")
    ]
    proven = (
        f"ALTER TABLE {t} ADD CONSTRAINT {quote_ident(label)} CHECK ({c} IS NOT NULL) NOT VALID;"
        f" ALTER TABLE {t} VALIDATE CONSTRAINT {quote_ident(label)};"
        f" ALTER TABLE {t} ALTER COLUMN {c} SET NOT NULL;"
    )
    found = lint_statements(parse_sql(proven, "m.sql"), file="m.sql").findings
    assert "MIG005" not in {f.code for f in found}
    value = quote_literal(label)
    enum = f"BEGIN; ALTER TYPE {t} ADD VALUE {value}; UPDATE {t} SET {c} = {value} WHERE true; COMMIT;"
    assert "MIG013" in {f.code for f in lint_statements(parse_sql(enum, "m.sql"), file="m.sql").findings}


def test_unique_and_primary_key_are_never_told_to_use_not_valid(before: Database) -> None:
    sql = (
        "ALTER TABLE author ADD CONSTRAINT author_email_key UNIQUE (email);"
        " ALTER TABLE audit_log ADD PRIMARY KEY (id);"
    )
    findings = lint_statements(parse_sql(sql, "m.sql"), file="m.sql", before=before).findings
    assert {f.code for f in findings if f.severity.name == "ERROR"} == {"MIG004"}
    assert all("NOT VALID" not in f.message for f in findings)


def test_cli_reads_alembic_revisions(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    revision = tmp_path / "0001_bad.py"
    revision.write_text(REVISION)
    code, out, err = _run(capsys, "lint-migration", str(revision), "--format", "json")
    assert code == 1
    assert {f["code"] for f in json.loads(out)["findings"]} == {"MIG002", "MIG013"}
    assert "op.add_column at line 16" in err  # said, not silently skipped
    code, out, _ = _run(capsys, "lint-migration", str(revision), "--downgrade", "--format", "json")
    assert code == 1 and [f["code"] for f in json.loads(out)["findings"]] == ["MIG001"]
    not_a_revision = tmp_path / "models.py"
    not_a_revision.write_text("x = 1\n")
    code, _, err = _run(capsys, "lint-migration", str(not_a_revision))
    assert code == 2 and "no upgrade() function" in err
