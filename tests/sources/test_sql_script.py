"""The psql-compatible statement splitter, on tricky scripts and on the real corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import CORPUS

from pgshape.sources.sql_script import Kind, LineIndex, classify, leading_words, skip_blank, split

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sql"


def texts(script: str) -> list[str]:
    return [statement.text for statement in split(script)]


def assert_covers(text: str) -> None:
    """Re-joined, the items reproduce the file: only blanks and comments lie between them."""
    statements = split(text)
    previous = 0
    for statement in statements:
        assert skip_blank(text, previous) == statement.start
        assert text[statement.start : statement.start + len(statement.text)] == statement.text
        assert statement.end >= statement.start + len(statement.text)
        previous = statement.end
    assert skip_blank(text, previous) == len(text)


def test_tricky_script_boundaries() -> None:
    text = (FIXTURES / "tricky.sql").read_text()
    statements = split(text)
    assert [s.kind for s in statements] == [
        Kind.META,
        Kind.ORDINARY,
        Kind.ORDINARY,
        Kind.ORDINARY,
        Kind.COPY_IN,
        Kind.ORDINARY,
        Kind.ORDINARY,
    ]
    meta, table, function, atomic, copy, dollars, last = statements
    assert meta.text == "\\set ON_ERROR_STOP on"
    assert (meta.line, meta.column) == (3, 1)
    assert table.text.startswith('CREATE TABLE "semi;colon"') and table.text.endswith(");")
    assert (table.line, table.column) == (4, 1)
    assert function.text.endswith("$fn$;")
    assert atomic.text.startswith("CREATE FUNCTION public.atomic_body") and atomic.text.endswith("END;")
    assert copy.copy_data == "1\tfirst; row\ta\tb\n2\tsecond\t\\N\tc\n"
    assert dollars.text == "SELECT $$;$$ AS dollars, 'x' AS \"y;z\";"
    assert last.text == "SELECT 1"  # unterminated at the end of the file, as psql sends it
    assert_covers(text)


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("SELECT 'a;b'; SELECT 2;", ["SELECT 'a;b';", "SELECT 2;"]),
        ("SELECT E'\\';'; SELECT 2;", ["SELECT E'\\';';", "SELECT 2;"]),
        ("SELECT 'it''s;'; SELECT 2;", ["SELECT 'it''s;';", "SELECT 2;"]),
        # a backslash in a standard string is no escape: the string ends at the second quote
        ("SELECT 'a\\'; SELECT 2;", ["SELECT 'a\\';", "SELECT 2;"]),
        ('SELECT 1 AS "a;""b"; SELECT 2;', ['SELECT 1 AS "a;""b";', "SELECT 2;"]),
        ("SELECT $a$ $$;$$ ; $a$; SELECT 2;", ["SELECT $a$ $$;$$ ; $a$;", "SELECT 2;"]),
        ("SELECT a$b$c; SELECT $1;", ["SELECT a$b$c;", "SELECT $1;"]),  # identifier, parameter
        ("SELECT 1 /* x /* ; */ ; */; SELECT 2;", ["SELECT 1 /* x /* ; */ ; */;", "SELECT 2;"]),
        ("SELECT 1 -- ;\n; SELECT 2;", ["SELECT 1 -- ;\n;", "SELECT 2;"]),
        ("CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2);", None),
        ("SELECT CASE WHEN true THEN 1 END; SELECT 2;", ["SELECT CASE WHEN true THEN 1 END;", "SELECT 2;"]),
        ("BEGIN; COMMIT;", ["BEGIN;", "COMMIT;"]),
    ],
)
def test_boundaries(script: str, expected: list[str] | None) -> None:
    assert texts(script) == (expected or [script])


def test_meta_commands_are_separate_items() -> None:
    script = (
        "DROP DATABASE IF EXISTS chinook;\nCREATE DATABASE chinook;\n\n"
        "\\c chinook;\nCREATE TABLE t (a int);\n"
    )
    statements = split(script)
    assert [(s.kind, s.line) for s in statements] == [
        (Kind.CLUSTER, 1),
        (Kind.CLUSTER, 2),
        (Kind.META, 4),
        (Kind.ORDINARY, 5),
    ]
    assert statements[2].text == "\\c chinook;"


def test_copy_data_block_is_kept_with_its_statement() -> None:
    script = "COPY t (a, b) FROM stdin;\n1\t'x;\n2\t\\N\n\\.\nSELECT 1;\n"
    copy, select = split(script)
    assert copy.kind is Kind.COPY_IN
    assert copy.text == "COPY t (a, b) FROM stdin;"
    assert copy.copy_data == "1\t'x;\n2\t\\N\n"
    assert script[copy.end :].strip() == "SELECT 1;"
    assert (select.line, select.text) == (5, "SELECT 1;")


def test_unterminated_string_runs_to_the_end() -> None:
    # PostgreSQL reports the unterminated string; the splitter just keeps the text together.
    assert texts("SELECT 'abc;\nSELECT 2;") == ["SELECT 'abc;\nSELECT 2;"]


@pytest.mark.parametrize(
    ("statement", "kind"),
    [
        ("CREATE DATABASE chinook;", Kind.CLUSTER),
        ("/* hi */ drop database if exists x;", Kind.CLUSTER),
        ("ALTER DATABASE x SET timezone = 'UTC';", Kind.CLUSTER),
        ("CREATE ROLE app;", Kind.CLUSTER),
        ("CREATE USER MAPPING FOR app SERVER s;", Kind.ORDINARY),
        ("ALTER SYSTEM SET work_mem = '1GB';", Kind.CLUSTER),
        ("ALTER TABLE public.t OWNER TO postgres;", Kind.PRIVILEGE),
        ('ALTER FUNCTION f(integer) OWNER TO "Some Role";', Kind.PRIVILEGE),
        ("GRANT SELECT ON t TO app;", Kind.PRIVILEGE),
        ("-- c\nREVOKE ALL ON SCHEMA public FROM PUBLIC;", Kind.PRIVILEGE),
        ("ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO app;", Kind.PRIVILEGE),
        ("SET ROLE app;", Kind.PRIVILEGE),
        ("SET SESSION AUTHORIZATION app;", Kind.PRIVILEGE),
        ("BEGIN;", Kind.TRANSACTION),
        ("start transaction;", Kind.TRANSACTION),
        ("COMMIT;", Kind.TRANSACTION),
        ("ROLLBACK;", Kind.TRANSACTION),
        ("CREATE INDEX CONCURRENTLY i ON t (a);", Kind.NO_TRANSACTION),
        ("CREATE UNIQUE INDEX CONCURRENTLY i ON t (a);", Kind.NO_TRANSACTION),
        ("DROP INDEX CONCURRENTLY i;", Kind.NO_TRANSACTION),
        ("REINDEX (VERBOSE) TABLE CONCURRENTLY t;", Kind.NO_TRANSACTION),
        ("VACUUM ANALYZE t;", Kind.NO_TRANSACTION),
        ("ALTER TYPE mood ADD VALUE 'meh';", Kind.ADD_VALUE),
        ("ALTER TYPE mood RENAME VALUE 'a' TO 'b';", Kind.ORDINARY),
        ("COPY t FROM stdin;", Kind.COPY_IN),
        ("COPY t (a) FROM STDIN WITH (FORMAT csv);", Kind.COPY_IN),
        ("COPY t TO stdout;", Kind.COPY_OUT),
        ("CREATE TABLE t (owner text);", Kind.ORDINARY),
        ("ALTER TABLE t ADD COLUMN owner text;", Kind.ORDINARY),
        ("SET search_path = public;", Kind.ORDINARY),
        ("SELECT pg_catalog.set_config('search_path', '', false);", Kind.ORDINARY),
    ],
)
def test_classify(statement: str, kind: Kind) -> None:
    assert classify(statement) is kind


def test_leading_words_skip_comments_and_fold_keywords() -> None:
    assert leading_words('-- x\n/* y */ create Table "Mixed" (a int)', 3) == ["CREATE", "TABLE", '"Mixed"']


def test_line_index() -> None:
    index = LineIndex("ab\ncd\n\nx")
    assert [index.position(offset) for offset in (0, 1, 2, 3, 6, 7)] == [
        (1, 1),
        (1, 2),
        (1, 3),
        (2, 1),
        (3, 1),
        (4, 1),
    ]


corpus_files = sorted(CORPUS.glob("*.sql")) if CORPUS.exists() else []

# Top-level statements (and meta-commands) per file; cross-checked against the statements that
# start a line with CREATE/ALTER/INSERT/COMMENT/SELECT/SET (only those inside bodies differ).
EXPECTED_COUNTS = {
    "chinook.sql": 60,
    "danbooru.sql": 821,
    "lago.sql": 2684,
    "openstreetmap.sql": 416,
    "pagila.sql": 388,
    "synapse.sql": 430,
}


@pytest.mark.corpus
@pytest.mark.skipif(not corpus_files, reason="corpus folder absent")
@pytest.mark.parametrize("path", corpus_files, ids=lambda path: path.name)
def test_corpus_files_split_and_rejoin(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    statements = split(text)
    assert_covers(text)
    if path.name in EXPECTED_COUNTS:
        assert len(statements) == EXPECTED_COUNTS[path.name]
    # Every statement ends with its semicolon: nothing ran past a boundary or stopped early.
    assert all(s.text.endswith(";") for s in statements if s.kind is not Kind.META)
