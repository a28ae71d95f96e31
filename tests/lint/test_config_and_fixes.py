"""Selection semantics, config parsing and the libcst code edits, without a database."""

from __future__ import annotations

import ast

import pytest

from pgshape.errors import InputError
from pgshape.lint.config import LintConfig, parse_config
from pgshape.lint.core import CodeEdit, Severity, find_rule
from pgshape.lint.fix_code import apply_edits


def _rule(key: str):  # type: ignore[no-untyped-def]
    found = find_rule(key)
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("select", "ignore", "key", "runs"),
    [
        ((), (), "FK001", True),
        ((), (), "missing-column-comment", False),  # off by default
        (("ALL",), (), "missing-column-comment", True),  # ALL turns it on, like ruff
        (("FK",), (), "KEY001", False),
        (("FK00",), (), "FK001", True),  # prefix
        (("FK00",), (), "FK011", False),
        (("FK001",), ("FK",), "FK001", True),  # the more specific selector wins
        (("FK",), ("FK001",), "FK001", False),
        ((), ("unindexed-foreign-key",), "FK001", False),
        (("ALL",), ("ALL",), "FK001", False),
    ],
)
def test_selection(select: tuple[str, ...], ignore: tuple[str, ...], key: str, runs: bool) -> None:
    assert LintConfig(select=select, ignore=ignore).selects(_rule(key)) is runs


def test_command_line_overrides() -> None:
    config = parse_config({"select": ["FK"], "ignore": ["FK011"], "fail-on": "warning"})
    cli = config.with_overrides(select=["KEY001,FK001"], ignore=["FK003"], fail_on="info")
    assert cli.select == ("KEY001", "FK001") and cli.ignore == ("FK011", "FK003") and cli.fail_on == "info"
    assert config.with_overrides().select == ("FK",)


def test_severity_override_by_name_or_code() -> None:
    config = parse_config({"severity": {"unindexed-foreign-key": "info", "KEY001": "warning"}})
    assert config.severity_of(_rule("FK001")) is Severity.INFO
    assert config.severity_of(_rule("missing-primary-key")) is Severity.WARNING
    assert config.severity_of(_rule("FK002")) is Severity.ERROR


def test_sensitive_patterns_match_whole_words_or_globs() -> None:
    config = parse_config({"sensitive-columns": ["token", "pin_*"]})
    assert config.is_sensitive("api_token") and config.is_sensitive("token_value")
    assert config.is_sensitive("pin_code") and not config.is_sensitive("tokenizer")
    assert not config.is_sensitive("spinner")


def test_other_commands_sections_are_left_alone_but_typos_are_not() -> None:
    assert parse_config({"erd": {"theme": "dark"}}).select == ()
    with pytest.raises(InputError, match="unknown key 'slect'"):
        parse_config({"slect": ["FK"]})


MULTILINE = '''\
from sqlmodel import Field, SQLModel


class Book(SQLModel, table=True):
    """A book."""

    id: int | None = Field(default=None, primary_key=True)
    author_id: int = Field(
        foreign_key="author.id",  # who wrote it
        ondelete="CASCADE",
    )
    title: str  # shown in lists
    isbn: str = Field(unique=True, max_length=13)
'''


def test_code_edits_keep_layout_and_comments() -> None:
    edits = [
        CodeEdit("m.py", "field-kwarg", ("Book", "author_id"), {"index": "True"}),
        CodeEdit("m.py", "field-kwarg", ("Book", "title"), {"index": "True"}),
        CodeEdit("m.py", "remove-field-kwarg", ("Book", "isbn"), {"unique": ""}),
        CodeEdit("m.py", "field-kwarg", ("Book", "missing"), {"index": "True"}),
    ]
    result = apply_edits(MULTILINE, edits)
    assert [e.target for e, _ in result.failed] == [("Book", "missing")]
    assert result.text == MULTILINE.replace(
        '        ondelete="CASCADE",\n', '        ondelete="CASCADE",\n        index=True,\n'
    ).replace("    title: str  # shown", "    title: str = Field(index=True)  # shown").replace(
        "Field(unique=True, max_length=13)", "Field(max_length=13)"
    ), result.text
    ast.parse(result.text)


def test_fix_sql_takes_safe_fixes_unless_unsafe_ones_are_asked_for() -> None:
    from pgshape.lint.core import Finding, Fix
    from pgshape.lint.fix_sql import render_fix_sql

    def finding(path: str, *fixes: Fix) -> Finding:
        return Finding("FK001", "unindexed-foreign-key", Severity.ERROR, path, "m", fixes=fixes)

    index = Fix("index", safe=True, sql="CREATE INDEX CONCURRENTLY a_idx ON a (x);")
    widen = Fix("widen", safe=False, sql="ALTER TABLE a ALTER COLUMN x TYPE bigint;")
    findings = [finding("public.a.x", index), finding("public.b.x", index), finding("public.a.y", widen)]
    safe = render_fix_sql(findings)
    assert safe.count("CREATE INDEX CONCURRENTLY a_idx") == 1  # one statement per distinct fix
    assert "ALTER TABLE" not in safe and "BEGIN" not in safe and "lock_timeout" in safe
    unsafe = render_fix_sql(findings, unsafe=True)
    assert "ALTER TABLE a ALTER COLUMN x TYPE bigint;" in unsafe and "(UNSAFE: review first)" in unsafe
    assert "-- nothing to fix" in render_fix_sql([finding("public.a.y", widen)])
