"""`pgshape lint`, `explain` and `checklist` end to end: formats, exit codes, config,
suppressions, fixes (SQL applied on a scratch database, code edits on a models file)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from doc_examples import fresh_sqlmodel_registry

from conftest import run_sql
from pgshape.cli.main import main
from pgshape.examples import example_path

BLOG = str(example_path("blog"))


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    # Python sources register SQLModel tables process-wide: give every run its own registry.
    with fresh_sqlmodel_registry():
        code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


UNINDEXED_SQL = """
CREATE TABLE author (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
CREATE TABLE book (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id bigint NOT NULL REFERENCES author (id) ON DELETE CASCADE
);
"""


def _json(out: str) -> dict:
    document = json.loads(out)
    assert document["format"] == "pgshape-lint" and document["version"] == 1
    return document


def test_blog_lints_clean_at_warning_level(capsys: pytest.CaptureFixture[str], pg_server: str) -> None:
    code, out, _ = _run(capsys, "lint", BLOG, "--format", "json", "--fail-on", "warning")
    document = _json(out)
    assert code == 0, [f for f in document["findings"] if f["severity"] != "info"]
    assert document["summary"]["error"] == document["summary"]["warning"] == 0


DESIGN_EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "src/pgshape/design/examples").glob("*.yaml"))


@pytest.mark.parametrize("design", DESIGN_EXAMPLES, ids=lambda p: p.name)
def test_design_examples_lint_clean_at_warning_level(
    capsys: pytest.CaptureFixture[str], design: Path
) -> None:
    """The carefully designed schemas shipped with pgshape raise nothing above info."""
    code, out, _ = _run(capsys, "lint", str(design), "--format", "json", "--fail-on", "warning")
    document = _json(out)
    assert code == 0, [f for f in document["findings"] if f["severity"] != "info"]


def test_json_report_names_rule_path_location_and_fix(
    capsys: pytest.CaptureFixture[str], pg_server: str, tmp_path: Path
) -> None:
    source = tmp_path / "books.sql"
    source.write_text(UNINDEXED_SQL)
    code, out, _ = _run(capsys, "lint", str(source), "--format", "json", "--select", "FK001")
    assert code == 1  # an error-level finding, default --fail-on error
    (finding,) = _json(out)["findings"]
    assert finding["code"] == "FK001" and finding["name"] == "unindexed-foreign-key"
    assert finding["severity"] == "error" and finding["path"] == "public.book.author_id"
    assert finding["location"]["file"] == str(source) and finding["location"]["line"] == 3
    assert finding["fixes"][0]["safe"] is True
    assert "CREATE INDEX CONCURRENTLY" in finding["fixes"][0]["sql"]


def test_selection_and_fail_on(capsys: pytest.CaptureFixture[str], pg_server: str, tmp_path: Path) -> None:
    source = tmp_path / "books.sql"
    source.write_text(UNINDEXED_SQL)
    code, out, _ = _run(capsys, "lint", str(source), "--format", "json", "--ignore", "unindexed-foreign-key")
    codes = {f["code"] for f in _json(out)["findings"]}
    assert "FK001" not in codes and code == 0
    code, out, _ = _run(capsys, "lint", BLOG, "--format", "json", "--select", "FK", "--ignore", "FK001")
    codes = {f["code"] for f in _json(out)["findings"]}
    assert codes and all(c.startswith("FK") for c in codes) and "FK001" not in codes
    # info findings only: exit 0 at the default threshold, 1 with --fail-on info
    assert _run(capsys, "lint", BLOG, "--select", "FK011")[0] == 0
    assert _run(capsys, "lint", BLOG, "--select", "FK011", "--fail-on", "info")[0] == 1


def test_fix_sql_applies_and_the_finding_disappears(
    capsys: pytest.CaptureFixture[str], pg_server: str, scratch_url: str, tmp_path: Path
) -> None:
    run_sql(scratch_url, UNINDEXED_SQL)
    fix = tmp_path / "fix.sql"
    code, _, _ = _run(
        capsys, "lint", scratch_url, "--select", "FK001", "--fix-sql", "-o", str(fix), "--no-data"
    )
    assert code == 1
    text = fix.read_text()
    assert "CREATE INDEX CONCURRENTLY" in text and "lock_timeout" in text
    # CONCURRENTLY cannot run in a transaction block: apply statement by statement, as psql would
    import psycopg

    with psycopg.connect(scratch_url, autocommit=True) as conn:
        for statement in [
            s for s in text.split(";") if (s.strip() and not s.strip().startswith("--")) or "CREATE" in s
        ]:
            conn.execute(statement)  # type: ignore[arg-type]
    code, out, _ = _run(capsys, "lint", scratch_url, "--select", "FK001", "--format", "json", "--no-data")
    assert code == 0 and _json(out)["findings"] == []


MODELS = """\
from sqlmodel import Field, SQLModel


class Author(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)


class Book(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    # the writer; kept when the book is re-published
    author_id: int = Field(foreign_key="author.id", ondelete="CASCADE")  # trailing comment
"""


def test_fix_adds_index_true_and_the_file_still_imports(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    models = tmp_path / "fixme_models.py"
    models.write_text(MODELS)
    code, _, err = _run(capsys, "lint", str(models), "--select", "FK001", "--fix")
    assert code == 0, err
    text = models.read_text()
    assert (
        'author_id: int = Field(foreign_key="author.id", ondelete="CASCADE", index=True)  # trailing comment'
        in text
    )
    assert "# the writer; kept when the book is re-published" in text
    assert text.replace(", index=True", "") == MODELS  # nothing else changed
    # a fresh interpreter imports the edited module and sees the index
    probe = f"import sys; sys.path.insert(0, {str(tmp_path)!r}); import fixme_models as m; "
    probe += "print([i.name for i in m.Book.__table__.indexes])"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "ix_book_author_id" in done.stdout


def test_python_suppression_comment_needs_a_reason_and_unused_ones_are_reported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    suppressed = MODELS.replace(
        "class Book(SQLModel, table=True):",
        "class Book(SQLModel, table=True):  # pgshape: ignore[FK001] tiny table, never deleted from",
    )

    def lint(name: str, text: str, select: str) -> tuple[int, set[str]]:
        models = tmp_path / f"{name}.py"  # a new module name each time: modules are cached
        models.write_text(text)
        code, out, _ = _run(capsys, "lint", str(models), "--select", select, "--format", "json")
        return code, {f["code"] for f in _json(out)["findings"]}

    assert lint("with_reason", suppressed, "FK001,SUP") == (0, set())
    no_reason = suppressed.replace(" tiny table, never deleted from", "")
    assert lint("without_reason", no_reason, "FK001,SUP") == (1, {"FK001", "SUP002"})
    _, codes = lint("stale", suppressed.replace("FK001]", "FK002]"), "FK,SUP")
    assert {"SUP001", "FK001"} <= codes


def test_comment_tag_and_config_suppressions(
    capsys: pytest.CaptureFixture[str], pg_server: str, tmp_path: Path
) -> None:
    source = tmp_path / "books.sql"
    source.write_text(
        UNINDEXED_SQL + "COMMENT ON COLUMN book.author_id IS 'pgshape:ignore[FK001] tiny table';\n"
    )
    code, out, _ = _run(capsys, "lint", str(source), "--select", "FK001,SUP", "--format", "json")
    assert code == 0 and _json(out)["findings"] == []
    source.write_text(UNINDEXED_SQL)
    config = tmp_path / "pyproject.toml"
    config.write_text(
        '[tool.pgshape]\nselect = ["FK001", "SUP"]\n\n[[tool.pgshape.suppress]]\n'
        'object = "public.book.*"\nrules = ["unindexed-foreign-key"]\nreason = "legacy, being replaced"\n'
    )
    code, out, _ = _run(capsys, "lint", str(source), "--config", str(config), "--format", "json")
    assert code == 0 and _json(out)["findings"] == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[tool.pgshape]\nselct = ["FK"]\n', "unknown key 'selct' (did you mean 'select'?)"),
        ('[tool.pgshape]\nselect = ["FK999"]\n', "unknown rule 'FK999'"),
        ("[tool.pgshape.thresholds]\ntoo-many-indexs = 3\n", "did you mean 'too-many-indexes'?"),
        ('[tool.pgshape]\nnaming-style = "plurall"\n', "expected one of singular, plural"),
        ('[[tool.pgshape.suppress]]\nobject = "public.t"\nrules = ["FK001"]\n', "a reason is required"),
    ],
)
def test_bad_config_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, message: str
) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text(text)
    code, out, err = _run(capsys, "lint", BLOG, "--config", str(config))
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1


# The parts of the SARIF 2.1.0 schema (docs.oasis-open.org/sarif/sarif/v2.1.0) that code
# scanning relies on, written out: no SARIF schema file ships in any package we depend on.
SARIF_SUBSET = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "runs": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["tool"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "rules": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["id"],
                                            "properties": {
                                                "shortDescription": {"$ref": "#/$defs/message"},
                                                "fullDescription": {"$ref": "#/$defs/message"},
                                                "help": {"$ref": "#/$defs/message"},
                                                "defaultConfiguration": {
                                                    "type": "object",
                                                    "properties": {"level": {"$ref": "#/$defs/level"}},
                                                },
                                            },
                                        },
                                    }
                                },
                            }
                        },
                    },
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["message"],
                            "properties": {
                                "ruleId": {"type": "string"},
                                "ruleIndex": {"type": "integer", "minimum": -1},
                                "level": {"$ref": "#/$defs/level"},
                                "message": {"$ref": "#/$defs/message"},
                                "locations": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "properties": {
                                            "physicalLocation": {
                                                "type": "object",
                                                "properties": {
                                                    "artifactLocation": {
                                                        "type": "object",
                                                        "properties": {"uri": {"type": "string"}},
                                                    },
                                                    "region": {
                                                        "type": "object",
                                                        "properties": {
                                                            "startLine": {"type": "integer", "minimum": 1}
                                                        },
                                                    },
                                                },
                                            }
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
    "$defs": {
        "level": {"enum": ["none", "note", "warning", "error"]},
        "message": {"type": "object", "anyOf": [{"required": ["text"]}, {"required": ["id"]}]},
    },
}


def test_sarif_is_valid_and_carries_rule_help(
    capsys: pytest.CaptureFixture[str], pg_server: str, tmp_path: Path
) -> None:
    source = tmp_path / "books.sql"
    source.write_text(UNINDEXED_SQL)
    code, out, _ = _run(capsys, "lint", str(source), "--format", "sarif")
    assert code == 1  # FK001 is an error
    document = json.loads(out)
    jsonschema.validate(document, SARIF_SUBSET)
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    fk = next(r for r in rules if r["id"] == "FK001")
    assert "Why is this bad?" in fk["help"]["markdown"] and fk["name"] == "unindexed-foreign-key"
    result = next(r for r in run["results"] if r["ruleId"] == "FK001")
    assert rules[result["ruleIndex"]]["id"] == "FK001" and result["level"] == "error"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 3


def test_github_annotations(capsys: pytest.CaptureFixture[str], pg_server: str, tmp_path: Path) -> None:
    source = tmp_path / "books.sql"
    source.write_text(UNINDEXED_SQL)
    code, out, _ = _run(capsys, "lint", str(source), "--format", "github", "--select", "FK001")
    assert code == 1
    assert out == (
        f"::error file={source},line=3,col=1,title=FK001 unindexed-foreign-key::"
        f"public.book.author_id: foreign key book_author_id_fkey (author_id) → author has no index on "
        f"book(author_id)\n"
    )


def test_explain_lists_and_explains(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "explain")
    assert code == 0 and "unindexed-foreign-key" in out and "KEY001" in out
    code, out, _ = _run(capsys, "explain", "FK001")
    assert code == 0
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix"):
        assert section in out
    assert _run(capsys, "explain", "unindexed-foreign-keys")[0] == 2


def test_checklist(capsys: pytest.CaptureFixture[str], pg_server: str, tmp_path: Path) -> None:
    code, out, _ = _run(capsys, "checklist", BLOG)
    assert code == 0 and "✓ Every foreign key has an index" in out and "confirm by hand" in out
    source = tmp_path / "books.sql"
    source.write_text(UNINDEXED_SQL)
    code, out, _ = _run(capsys, "checklist", str(source))
    assert code == 1 and "✗ Every foreign key has an index (1 finding(s))" in out
    assert "FK001 unindexed-foreign-key `public.book.author_id`" in out
    target = tmp_path / "CHECKLIST.md"
    assert _run(capsys, "checklist", str(source), "-o", str(target))[0] == 1
    assert target.read_text() == out
    assert _run(capsys, "checklist", str(source), "-o", str(target))[0] == 2  # exists: needs --force


def test_live_database_runs_data_rules_unless_no_data(
    capsys: pytest.CaptureFixture[str], scratch_url: str
) -> None:
    run_sql(
        scratch_url,
        "CREATE TABLE reading (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, taken text NOT NULL);"
        "INSERT INTO reading (taken) SELECT (date '2024-01-01' + g)::text FROM generate_series(1, 50) g;",
    )
    code, out, _ = _run(
        capsys, "lint", scratch_url, "--select", "text-holds-typed-values", "--format", "json"
    )
    (finding,) = _json(out)["findings"]
    assert finding["path"] == "public.reading.taken" and _json(out)["summary"]["rules_run"] == 1
    code, out, _ = _run(capsys, "lint", scratch_url, "--select", "TYP008", "--format", "json", "--no-data")
    assert code == 0 and _json(out)["findings"] == [] and _json(out)["summary"]["rules_run"] == 0
    _, out, _ = _run(capsys, "lint", scratch_url, "--select", "TYP008", "--no-data")
    assert "not run (needs a live database sample): TYP008" in out


def test_config_severity_and_thresholds(
    capsys: pytest.CaptureFixture[str], pg_server: str, tmp_path: Path
) -> None:
    source = tmp_path / "books.sql"
    source.write_text(
        UNINDEXED_SQL + "CREATE INDEX ON book (id, author_id);\nCREATE INDEX ON book (author_id, id);\n"
    )
    config = tmp_path / "pyproject.toml"
    config.write_text(
        '[tool.pgshape]\nselect = ["FK001", "too-many-indexes"]\n\n'
        '[tool.pgshape.severity]\nFK001 = "warning"\n\n[tool.pgshape.thresholds]\ntoo-many-indexes = 2\n'
    )
    code, out, _ = _run(capsys, "lint", str(source), "--config", str(config), "--format", "json")
    findings = {f["code"]: f for f in _json(out)["findings"]}
    assert set(findings) == {"IDX005"}  # the (author_id, id) index now covers the FK
    assert "3 indexes (more than 2)" in findings["IDX005"]["message"] and code == 0
    source.write_text(UNINDEXED_SQL)
    code, out, _ = _run(capsys, "lint", str(source), "--config", str(config), "--format", "json")
    (finding,) = _json(out)["findings"]
    assert finding["code"] == "FK001" and finding["severity"] == "warning" and code == 0
    assert _run(capsys, "lint", str(source), "--config", str(config), "--fail-on", "warning")[0] == 1


def test_unknown_rule_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "lint", BLOG, "--select", "FK001,unindexed-foreign-kye")
    assert code == 2 and out == ""
    assert "unknown rule 'unindexed-foreign-kye' (did you mean 'unindexed-foreign-key'?)" in err


def test_human_report_to_a_file(capsys: pytest.CaptureFixture[str], pg_server: str, tmp_path: Path) -> None:
    source = tmp_path / "books.sql"
    source.write_text(UNINDEXED_SQL)
    report = tmp_path / "report.txt"
    code, out, _ = _run(capsys, "lint", str(source), "--select", "FK001", "-o", str(report))
    text = report.read_text()
    assert code == 1 and out == ""
    assert "public.book" in text and "FK001 unindexed-foreign-key" in text
    assert "3 | CREATE TABLE book (" in text  # the statement that declares the key
    assert "\x1b[" not in text


UNSAFE_MODELS = """\
from datetime import datetime

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel


class Event(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True, unique=True)
    happened_at: datetime = Field(sa_type=DateTime(timezone=False))
"""


def test_unsafe_code_fixes_only_on_request(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    models = tmp_path / "unsafe_models.py"
    models.write_text(UNSAFE_MODELS)
    code, out, _ = _run(
        capsys,
        "lint",
        str(models),
        "--select",
        "TYP001,KEY006",
        "--fix",
        "--format",
        "json",
        "--fail-on",
        "warning",
    )
    assert models.read_text() == UNSAFE_MODELS  # both fixes are unsafe: nothing changes
    assert {f["code"] for f in _json(out)["findings"]} == {"TYP001", "KEY006"} and code == 1
    fixed = tmp_path / "unsafe_models_fixed.py"
    fixed.write_text(UNSAFE_MODELS)
    code, out, _ = _run(
        capsys, "lint", str(fixed), "--select", "TYP001,KEY006", "--fix", "--unsafe-fixes", "--format", "json"
    )
    assert code == 0 and _json(out)["findings"] == []
    assert fixed.read_text() == UNSAFE_MODELS.replace(", unique=True)", ")").replace(
        "DateTime(timezone=False)", "DateTime(timezone=True)"
    )
    # and linting the edited file again finds nothing
    again = tmp_path / "unsafe_models_again.py"
    again.write_text(fixed.read_text())
    code, out, _ = _run(capsys, "lint", str(again), "--select", "TYP001,KEY006", "--format", "json")
    assert code == 0 and _json(out)["findings"] == []
