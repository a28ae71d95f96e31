"""``pgshape diff`` reviews the plan it writes with the MIG rules of ``pgshape lint-migration``:
an online-safe additive plan has no finding; a drop allowed with --allow-destructive is reported
(rule, step) in every format, and the files still run; --fail-on sets the exit code; the corpus
plans and the schema-change suite have no error-level finding the planner does not expect."""

from __future__ import annotations

import ast
import json
import subprocess
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest

from conftest import CORPUS, run_sql
from pgshape.cli.main import main
from pgshape.lint.core import Severity
from pgshape.migrate.pipeline import migration
from pgshape.migrate.review_plan import review
from pgshape.model import Column, Database, Generated, PrimaryKey, Table
from pgshape.model.compare import compare
from pgshape.pg.introspect import introspect
from pgshape.pg.server import default_bin_dir
from pgshape.sources.load import LoadOptions, load

FROM = """
CREATE TABLE author (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL,
                     "Legacy Code" text);
CREATE TABLE post (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                   author_id bigint REFERENCES author, title text);
"""
SEED = (
    "INSERT INTO author (name, \"Legacy Code\") VALUES ('a', 'x'), ('b', NULL);"
    " INSERT INTO post (author_id, title) VALUES (1, 't1'), (2, 't2');"
)
# New nullable column, new table, new index on an existing table: online-safe, nothing to flag.
ADDITIVE = (
    FROM.replace("text NOT NULL,", "text NOT NULL, email text,", 1)
    + "CREATE INDEX post_title_idx ON post (title);\n"
    + "CREATE TABLE tag (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, label text NOT NULL UNIQUE);\n"
)
# The quoted column is dropped (and a column added, so the drop is not the first step).
DROPPED = FROM.replace(',\n                     "Legacy Code" text', ", email text", 1)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    found = {}
    for name, text in (("from", FROM), ("additive", ADDITIVE), ("dropped", DROPPED)):
        found[name] = tmp_path / f"{name}.sql"
        found[name].write_text(text)
    return found


def _step_of(document: dict, kind: str) -> int:  # type: ignore[type-arg]
    steps = [op["step"] for op in document["operations"] if op["kind"] == kind]
    assert len(steps) == 1, document["operations"]
    return steps[0]  # type: ignore[no-any-return]


def test_additive_plan_has_no_findings(
    capsys: pytest.CaptureFixture[str], pg_server: str, files: dict[str, Path], tmp_path: Path
) -> None:
    a, b = str(files["from"]), str(files["additive"])
    code, out, err = _run(capsys, "diff", a, b, "-f", "json")
    assert code == 1, err  # a plan was written: the documented code without --fail-on
    document = json.loads(out)
    kinds = {op["kind"] for op in document["operations"]}
    assert {"add_column", "create_table", "create_index"} <= kinds
    assert document["verdict"]["proven"] is True
    assert document["findings"] == [] and document["not_reviewed"] == []

    code, out, _ = _run(capsys, "diff", a, b, "-f", "human", "--no-verify")
    assert code == 1
    review_section = out.split("Review", 1)[1].split("\n", 1)[1]
    assert review_section.startswith("  no findings\n") and "MIG0" not in review_section

    target = tmp_path / "additive_plan.sql"
    code, _, _ = _run(capsys, "diff", a, b, "-o", str(target), "--no-verify", "--fail-on", "warning")
    assert code == 0  # reviewed: nothing at or above warning
    assert "-- review: no findings\n" in target.read_text()
    code, _, _ = _run(capsys, "diff", a, b, "-f", "json", "--no-verify", "--fail-on", "info")
    assert code == 0


def test_allowed_drop_is_reported_with_its_step_in_every_format(
    capsys: pytest.CaptureFixture[str],
    pg_server: str,
    scratch_url: str,
    files: dict[str, Path],
    tmp_path: Path,
) -> None:
    a, b = str(files["from"]), str(files["dropped"])
    code, _, err = _run(capsys, "diff", a, b, "-f", "json")
    assert code == 2 and "refusing" in err  # without --allow-destructive: refused, as before

    code, out, err = _run(capsys, "diff", a, b, "-f", "json", "--allow-destructive")
    assert code == 1, err
    document = json.loads(out)
    step = _step_of(document, "drop_column")
    assert step > 1  # the column is added first: the number is the drop's, not the plan's first
    drops = [f for f in document["findings"] if f["rule"] == "MIG009"]
    assert len(drops) == 1, document["findings"]
    drop = drops[0]
    assert drop["step"] == step and drop["direction"] == "up" and drop["consented"] is True
    assert drop["severity"] == "warning" and drop["name"] == "drop-column"
    assert "public.author.Legacy Code" in drop["message"]
    assert "--allow-destructive" in drop["message"] and "no DESTRUCTIVE note" not in drop["message"]
    # Nothing else: the rest of the plan is online-safe, and the down script adds the column back.
    assert [f["rule"] for f in document["findings"]] == ["MIG009"]

    code, out, _ = _run(capsys, "diff", a, b, "-f", "human", "--allow-destructive", "--no-verify")
    assert code == 1
    line = next(line for line in out.split("Review", 1)[1].splitlines() if "MIG009" in line)
    assert "warning" in line and "drop-column" in line and f"up step {step}:" in line

    # --fail-on: the consented drop is a warning, not an error.
    code, _, _ = _run(capsys, "diff", a, b, "-f", "json", "--allow-destructive", "--fail-on", "warning")
    assert code == 1
    code, _, _ = _run(capsys, "diff", a, b, "-f", "json", "--allow-destructive", "--fail-on", "error")
    assert code == 0

    # SQL: the finding is a header comment, and the file still runs in psql on FROM with rows.
    target = tmp_path / "drop.sql"
    code, _, _ = _run(capsys, "diff", a, b, "-o", str(target), "--allow-destructive")
    assert code == 1
    text = target.read_text()
    header = text.split("-- ==== up ====", 1)[0]
    assert f"-- review: MIG009 warning step {step}: DROP COLUMN public.author." in header
    run_sql(scratch_url, FROM + SEED)
    psql = [str(default_bin_dir() / "psql"), scratch_url, "-v", "ON_ERROR_STOP=1", "-q"]
    subprocess.run([*psql, "-f", str(target)], check=True, capture_output=True, text=True)
    assert [d for d in compare(load(b), introspect(scratch_url)) if not d.order_only] == []
    with psycopg.connect(scratch_url) as conn:
        assert conn.execute("SELECT count(*) FROM author").fetchone() == (2,)

    # Alembic: the same line in the revision's docstring; the file imports no pgshape and runs.
    from test_alembic import _alembic, _alembic_project

    project = tmp_path / "project"
    ini = _alembic_project(project, scratch_url)
    revision = ini.parent / "migrations" / "versions" / "0001_drop.py"
    code, _, _ = _run(
        capsys, "diff", a, b, "-f", "alembic", "-o", str(revision), "--allow-destructive", "--no-verify"
    )
    assert code == 1
    source = revision.read_text()
    tree = ast.parse(source)
    docstring = ast.get_docstring(tree) or ""
    assert f"review: MIG009 warning step {step}: DROP COLUMN public.author." in docstring
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not any(str(m).startswith("pgshape") for m in imported)
    run_sql(scratch_url, "DROP TABLE post, author;" + FROM + SEED)
    _alembic(ini, "upgrade", "head")
    found = compare(load(b), introspect(scratch_url))
    assert [d for d in found if not d.order_only and "alembic_version" not in d.path] == []


def test_findings_of_the_down_script_are_labelled_down(
    capsys: pytest.CaptureFixture[str], pg_server: str, tmp_path: Path
) -> None:
    """A rename: the up script renames (MIG011), and so does the down script, back."""
    a, b = tmp_path / "a.sql", tmp_path / "b.sql"
    a.write_text("CREATE TABLE t (id int PRIMARY KEY, n int);")
    b.write_text("CREATE TABLE t (id int PRIMARY KEY, amount int);")
    args = ("diff", str(a), str(b), "--rename", "t.n=amount", "--no-verify")
    code, out, _ = _run(capsys, *args, "-f", "json")
    assert code == 1
    found = {(f["rule"], f["direction"], f["step"]) for f in json.loads(out)["findings"]}
    assert found == {("MIG011", "up", 1), ("MIG011", "down", 1)}
    target = tmp_path / "rename.sql"
    code, _, _ = _run(capsys, *args, "-o", str(target), "--fail-on", "warning")
    assert code == 1
    header = target.read_text().split("-- ==== up ====", 1)[0]
    assert "-- review: MIG011 warning step 1: RENAME of public.t.n to amount" in header
    assert "-- review: MIG011 warning down step 1: RENAME of public.t.amount to n" in header
    code, out, _ = _run(capsys, *args, "-f", "human")
    assert "down step 1: RENAME of public.t.amount to n" in out


def test_plain_ddl_is_an_error_and_config_selection_applies(
    capsys: pytest.CaptureFixture[str], pg_server: str, files: dict[str, Path], tmp_path: Path
) -> None:
    a, b = str(files["from"]), str(files["additive"])
    code, out, _ = _run(
        capsys, "diff", a, b, "-f", "json", "--no-online", "--no-verify", "--fail-on", "error"
    )
    assert code == 1
    document = json.loads(out)
    index = next(f for f in document["findings"] if f["rule"] == "MIG001")
    assert index["severity"] == "error" and index["consented"] is False
    assert index["step"] == _step_of(document, "create_index")
    down = [f for f in document["findings"] if f["direction"] == "down"]
    assert [f["rule"] for f in down] == ["MIG001"]  # DROP INDEX without CONCURRENTLY
    assert down[0]["step"] == next(op["step"] for op in document["down"] if op["kind"] == "drop_index")
    # The project's rule selection (as lint-migration reads it) applies to the review.
    config = tmp_path / "review.toml"
    config.write_text('ignore = ["index-not-concurrent"]\n')
    code, out, _ = _run(
        capsys,
        "diff",
        a,
        b,
        "-f",
        "json",
        "--no-online",
        "--no-verify",
        "--fail-on",
        "error",
        "--config",
        str(config),
    )
    assert code == 0 and json.loads(out)["findings"] == []
    code, out, err = _run(capsys, "diff", a, b, "--config", str(tmp_path / "missing.toml"))
    assert code == 2 and out == "" and "missing.toml" in err and "no such config file" in err


def test_statement_newer_than_the_parser_is_named_not_fatal(
    capsys: pytest.CaptureFixture[str], pg_server: str, pg_major: int, tmp_path: Path
) -> None:
    if pg_major < 18:
        pytest.skip("VIRTUAL generated columns need PostgreSQL 18")
    a, b = tmp_path / "a.sql", tmp_path / "b.sql"
    a.write_text("CREATE TABLE t (id int PRIMARY KEY, n int); CREATE TABLE u (id int, x int);")
    b.write_text(
        "CREATE TABLE t (id int PRIMARY KEY, n int, twice int GENERATED ALWAYS AS (n * 2) VIRTUAL);"
        " CREATE TABLE u (id int);"
    )
    code, out, err = _run(capsys, "diff", str(a), str(b), "-f", "json", "--allow-destructive", "--no-verify")
    assert code == 1, err
    document = json.loads(out)
    virtual = next(op["step"] for op in document["operations"] if op["kind"] == "add_column")
    assert len(document["not_reviewed"]) == 1
    assert (
        document["not_reviewed"][0].startswith(f"up step {virtual}: ")
        and "VIRTUAL" in document["not_reviewed"][0]
    )
    # The rest of the script is still reviewed.
    assert [(f["rule"], f["step"]) for f in document["findings"]] == [
        ("MIG009", _step_of(document, "drop_column"))
    ]


# The plans the existing tests make ---------------------------------------------------------------


def _no_error_on_up(before: Database, after: Database, what: str) -> int:
    plan = migration(before, after).plan
    result = review(plan, before, after)
    errors = [f.line() for f in result.direction("up") if f.severity >= Severity.ERROR]
    assert errors == [], f"{what}: " + "; ".join(errors)
    return len(plan.up)


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not present")
@pytest.mark.parametrize("name", ["chinook.sql", "synapse.sql", "pagila.sql"])
def test_corpus_pairs_have_no_error_on_the_up_script(name: str, pg_server: str, pg_major: int) -> None:
    """The pairs of test_corpus_migrations: the whole schema from nothing, and the changed one."""
    from test_corpus_migrations import _changed

    if name == "pagila.sql" and pg_major < 18:
        pytest.skip("pagila needs PostgreSQL 18 (VIRTUAL generated columns)")
    db = load(str(CORPUS / name), LoadOptions(warn=lambda message: None))
    empty = Database(schemas=tuple(s for s in db.schemas if s.name == "public"), extensions=db.extensions)
    assert _no_error_on_up(empty, db, f"{name} from nothing") > 20
    result = review(migration(empty, db).plan, empty, db)
    # Nothing exists yet: no table can be locked, rewritten or lost.
    assert result.findings == (), [f.line() for f in result.findings]
    if name == "pagila.sql":  # its VIRTUAL column is newer than the parser, and said so
        assert len(result.not_reviewed) == 1 and "VIRTUAL" in result.not_reviewed[0]
    else:
        assert result.not_reviewed == ()
    assert _no_error_on_up(db, _changed(db), f"{name} changed") > 12


@pytest.mark.corpus
@pytest.mark.skipif(not (CORPUS / "chinook.sql").exists(), reason="../shared/corpus is not present")
def test_chinook_everyday_changes_reviewed_clean_through_the_cli(
    capsys: pytest.CaptureFixture[str], pg_server: str, tmp_path: Path
) -> None:
    """The pair of test_alembic_corpus, through the command: no finding on the up script."""
    from test_alembic_corpus import CHANGES, CHINOOK

    changed = tmp_path / "chinook_changed.sql"
    changed.write_text(CHINOOK.read_text(encoding="utf-8") + CHANGES)
    code, out, err = _run(
        capsys, "diff", str(CHINOOK), str(changed), "-f", "json", "--no-verify", "--fail-on", "info"
    )
    assert code == 0, err
    document = json.loads(out)
    assert len(document["operations"]) >= 9
    assert [f for f in document["findings"] if f["direction"] == "up"] == []
    # The down script narrows the two widened columns back: it rewrites and can truncate. It is
    # reported (labelled down) and does not set the exit code.
    retyped = {op["step"] for op in document["down"] if op["kind"] == "alter_column_type"}
    assert len(retyped) == 2
    down = {(f["rule"], f["step"]) for f in document["findings"] if f["direction"] == "down"}
    assert down == {(rule, step) for rule in ("MIG008", "MIG014") for step in retyped}


def test_schema_change_suite_findings_sit_on_the_steps_that_cause_them(pg_server: str, pg_major: int) -> None:
    """Every case of the schema-change suite (online and plain, destructive, renames): each finding
    names a step whose operation is what its rule is about; every allowed drop of an existing
    table's column or of a table is reported (consented) on its step, and nothing else is."""
    from migration_cases import CASES
    from migration_harness import _sql, build_all, only

    from pgshape.migrate import rename
    from pgshape.migrate.plan import PlanOptions

    cases = [c for c in CASES if c.min_pg <= pg_major]
    before_all, after_all, schemas = build_all(pg_server, cases)
    # The operation kinds each rule is about.
    about = {
        "MIG001": {"create_index", "drop_index"},
        "MIG003": {"add_constraint", "invalidate_constraint"},
        "MIG004": {"add_constraint"},
        "MIG005": {"alter_column_nullable", "alter_column_identity"},
        "MIG006": {"add_column"},
        "MIG008": {"alter_column_type", "recreate_enum"},
        "MIG009": {"drop_column"},
        "MIG010": {"drop_table"},
        "MIG011": {"rename_table", "rename_column"},
        "MIG014": {"alter_column_type", "recreate_enum"},
    }
    problems: list[str] = []
    consented = 0
    for case in cases:
        s = schemas[case.name]
        before, after = only(before_all, s), only(after_all, s)
        hints = rename.resolve([_sql(r, s) for r in case.renames], before)
        plan = migration(before, after, hints, PlanOptions(online=case.online)).plan
        result = review(plan, before, after)
        for finding in result.findings:
            ops = plan.up if finding.direction == "up" else plan.down
            op = ops[finding.step - 1] if finding.step else None
            if op is None or op.kind not in about.get(finding.code, set()):
                problems.append(f"{case.name}: {finding.line()} on {op.kind if op else None}")
            if finding.consented and (finding.direction != "up" or not op or not op.destructive):
                problems.append(f"{case.name}: consented {finding.line()}")
        expected = {
            n
            for n, op in enumerate(plan.up, start=1)
            if op.kind in ("drop_column", "drop_table")
            and op.destructive
            and (op.table.key if op.kind == "drop_table" else op.table) in {t.key for t in before.tables}
        }
        reported = {f.step for f in result.findings if f.consented and f.code in ("MIG009", "MIG010")}
        if reported != expected:
            problems.append(f"{case.name}: drops at steps {sorted(expected)}, reported {sorted(reported)}")
        consented += len(reported)
    assert problems == [], "\n".join(problems)
    assert consented >= 5


def test_review_is_pure_and_matches_lint_migration_on_the_written_script(
    pg_server: str, tmp_path: Path
) -> None:
    """The review is lint-migration's verdict on the same statements: the findings of the up
    script, linted as a file with the DESTRUCTIVE notes taken out, are the review's up findings."""
    from pgshape.migrate.lint_migration import lint_statements, without_consent
    from pgshape.migrate.render_sql import script
    from pgshape.migrate.statements import parse_sql

    path = tmp_path / "from.sql"
    path.write_text(FROM)
    before = load(str(path))
    author = before.table("public", "author")
    assert author is not None
    changed = replace(
        author, columns=(*[c for c in author.columns if c.name != "Legacy Code"], Column("n", "integer"))
    )
    after = before.with_changes(tables=tuple(changed if t.key == author.key else t for t in before.tables))
    plan = migration(before, after).plan
    drop_step = next(n for n, op in enumerate(plan.up, start=1) if op.kind == "drop_column")
    result = review(plan, before, after)
    statements = parse_sql(script(plan.up, plan.options), "up.sql")
    # As written, lint-migration accepts the drop: the step says DESTRUCTIVE.
    assert lint_statements(statements, file="up.sql", before=before).findings == []
    plain = lint_statements(without_consent(statements), file="up.sql", before=before).findings
    assert [f.code for f in plain] == ["MIG009"]
    dropped = next(s for s in statements if plain[0].origin is not None and s.line == plain[0].origin.line)
    assert "DROP COLUMN" in dropped.text
    assert [(f.code, f.consented, f.statement, f.step) for f in result.findings] == [
        ("MIG009", True, dropped.index + 1, drop_step)
    ]


def test_unreadable_statement_is_named_and_the_rest_reviewed_without_a_server() -> None:
    """Pure (no PostgreSQL, so on every version): the VIRTUAL column's step is newer than the
    parser and is named as not reviewed; the drop after it is still found, on its own step, and
    positions after the blanked statement stay right."""
    t = Table(
        "public",
        "t",
        (Column("id", "integer", nullable=False), Column("n", "integer"), Column("old", "text")),
        primary_key=PrimaryKey("t_pkey", ("id",)),
    )
    virtual = Column("twice", "integer", generated=Generated("(n * 2)", "virtual"))
    before = Database(tables=(t,))
    after = Database(tables=(replace(t, columns=(*t.columns[:2], virtual)),))
    plan = migration(before, after).plan
    kinds = [op.kind for op in plan.up]
    assert sorted(kinds) == ["add_column", "drop_column"]
    result = review(plan, before, after)
    add, drop = kinds.index("add_column") + 1, kinds.index("drop_column") + 1
    assert len(result.not_reviewed) == 1
    assert result.not_reviewed[0].startswith(f"up step {add}: ") and "VIRTUAL" in result.not_reviewed[0]
    assert [(f.code, f.direction, f.step, f.consented) for f in result.findings] == [
        ("MIG009", "up", drop, True)
    ]
    assert result.comment_lines()[-1].startswith(f"not reviewed: up step {add}: ")
