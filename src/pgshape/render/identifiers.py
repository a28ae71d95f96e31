"""Quoting identifiers and literals exactly as PostgreSQL's own ``quote_ident`` would.

An identifier is left bare only when PostgreSQL would read it back unchanged: lower-case ASCII
letters, digits, ``_`` and ``$`` (not first), and not a keyword of a category that the grammar
refuses as a bare column name. Everything else is double-quoted, with embedded double quotes
doubled — so ``user``, ``Order`` and ``my table`` all survive a round trip.
"""

from __future__ import annotations

import re

# ``select word, catcode from pg_get_keywords() where catcode <> 'U'`` on PostgreSQL 18.
# Unreserved keywords (catcode U) are safe as bare identifiers; every other category is quoted,
# which is exactly the rule of PostgreSQL's quote_identifier() in ruleutils.c.
_COLUMN_NAME_KEYWORDS = """
    between bigint bit boolean char character coalesce dec decimal exists extract float greatest
    grouping inout int integer interval json json_array json_arrayagg json_exists json_object
    json_objectagg json_query json_scalar json_serialize json_table json_value least merge_action
    national nchar none normalize nullif numeric out overlay position precision real row setof
    smallint substring time timestamp treat trim values varchar xmlattributes xmlconcat xmlelement
    xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable
"""
_RESERVED_KEYWORDS = """
    all analyse analyze and any array as asc asymmetric both case cast check collate column
    constraint create current_catalog current_date current_role current_time current_timestamp
    current_user default deferrable desc distinct do else end except false fetch for foreign from
    grant group having in initially intersect into lateral leading limit localtime localtimestamp
    not null offset on only or order placing primary references returning select session_user some
    symmetric system_user table then to trailing true union unique user using variadic when where
    window with
"""
_TYPE_FUNC_NAME_KEYWORDS = """
    authorization binary collation concurrently cross current_schema freeze full ilike inner is
    isnull join left like natural notnull outer overlaps right similar tablesample verbose
"""

KEYWORD_CATEGORIES: dict[str, frozenset[str]] = {
    "C": frozenset(_COLUMN_NAME_KEYWORDS.split()),
    "R": frozenset(_RESERVED_KEYWORDS.split()),
    "T": frozenset(_TYPE_FUNC_NAME_KEYWORDS.split()),
}
QUOTED_KEYWORDS: frozenset[str] = frozenset().union(*KEYWORD_CATEGORIES.values())

_SAFE = re.compile(r"[a-z_][a-z0-9_$]*")


def quote_ident(name: str) -> str:
    """``name`` as it must appear in SQL: bare when safe, otherwise double-quoted."""
    if _SAFE.fullmatch(name) and name not in QUOTED_KEYWORDS:
        return name
    return '"' + name.replace('"', '""') + '"'


def qualified(schema: str, name: str) -> str:
    """``schema.name`` with each part quoted as needed."""
    return f"{quote_ident(schema)}.{quote_ident(name)}"


def quote_literal(text: str) -> str:
    """A string literal. Scripts run with standard_conforming_strings on (the default since
    PostgreSQL 9.1, and set by :mod:`pgshape.render.sql`), so backslashes need no escaping."""
    return "'" + text.replace("'", "''") + "'"


def quote_idents(names: tuple[str, ...] | list[str]) -> str:
    """A comma-separated list of quoted identifiers, as in column lists."""
    return ", ".join(quote_ident(name) for name in names)
