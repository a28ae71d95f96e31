"""Quoting: identifiers as PostgreSQL's own quote_ident() quotes them, literals by doubling."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pgshape.render.identifiers import (
    KEYWORD_CATEGORIES,
    QUOTED_KEYWORDS,
    qualified,
    quote_ident,
    quote_literal,
)
from strategies import identifiers


@pytest.fixture(scope="module")
def server(pg_server: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(pg_server, autocommit=True) as conn:
        yield conn


def server_quote(conn: psycopg.Connection, names: list[str]) -> list[str]:
    cursor = conn.execute(
        "select quote_ident(name) from unnest(%s::text[]) with ordinality as n(name, i) order by i", (names,)
    )
    return [row[0] for row in cursor.fetchall()]


@pytest.mark.parametrize(
    ("name", "quoted"),
    [
        ("users", "users"),
        ("a$1", "a$1"),
        ("_x", "_x"),
        ("name", "name"),  # an unreserved keyword
        ("user", '"user"'),  # reserved
        ("order", '"order"'),
        ("select", '"select"'),
        ("between", '"between"'),  # column-name keyword
        ("left", '"left"'),  # type/function-name keyword
        ("Order", '"Order"'),
        ("my table", '"my table"'),
        ('say "hi"', '"say ""hi"""'),
        ("1st", '"1st"'),
        ("$x", '"$x"'),
        ("é", '"é"'),
        ("日本語", '"日本語"'),
        ("", '""'),
    ],
)
def test_quote_ident(name: str, quoted: str) -> None:
    assert quote_ident(name) == quoted


def test_qualified_and_literal() -> None:
    assert qualified("public", "user") == 'public."user"'
    assert qualified("Sales Dept", "t") == '"Sales Dept".t'
    assert quote_literal("it's") == "'it''s'"
    assert quote_literal("back\\slash") == "'back\\slash'"


def test_keyword_categories_are_disjoint() -> None:
    sizes = sum(len(words) for words in KEYWORD_CATEGORIES.values())
    assert sizes == len(QUOTED_KEYWORDS) == 164


def test_keywords_agree_with_server(server: psycopg.Connection) -> None:
    words = [row[0] for row in server.execute("select word from pg_get_keywords() order by word")]
    ours = [quote_ident(word) for word in words]
    theirs = server_quote(server, words)
    if server.info.server_version >= 180000:
        assert ours == theirs
    else:
        # Older servers know fewer keywords; quoting a word they would not is harmless.
        for word, o, t in zip(words, ours, theirs, strict=True):
            assert t in (o, word)
            assert t == word or o == t


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    names=st.lists(
        identifiers | st.text(min_size=1, max_size=12).filter(lambda s: "\x00" not in s),
        min_size=1,
        max_size=40,
    )
)
def test_quote_ident_matches_server(server: psycopg.Connection, names: list[str]) -> None:
    assert [quote_ident(name) for name in names] == server_quote(server, names)
