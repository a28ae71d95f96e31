"""What a column type change costs: no rewrite, a rewrite that keeps every value, or one that can
fail or lose data — and the ``USING`` expression when PostgreSQL has no implicit cast.

Decided from the canonical type spellings alone (``format_type`` output), so it needs no server.
The "no rewrite" cases are PostgreSQL's binary-coercible ones that ``ALTER TABLE`` recognises:
widening ``character varying(n)`` (or dropping its limit), ``character varying`` → ``text``,
raising a ``numeric`` precision at the same scale, widening ``bit varying``.
"""

from __future__ import annotations

import re

from pgshape.migrate.ops import TypeChange
from pgshape.model import Column
from pgshape.render.identifiers import quote_ident

_VARCHAR = re.compile(r"character varying(?:\((\d+)\))?$")
_CHAR = re.compile(r"character(?:\((\d+)\))?$")
_BITVAR = re.compile(r"bit varying(?:\((\d+)\))?$")
_NUMERIC = re.compile(r"numeric(?:\((\d+)(?:,(\d+))?\))?$")

# Conversions that keep every value (but rewrite the table): from → set of to.
_WIDENING: dict[str, frozenset[str]] = {
    "smallint": frozenset({"integer", "bigint", "numeric", "real", "double precision", "text"}),
    "integer": frozenset({"bigint", "numeric", "double precision", "text"}),
    "bigint": frozenset({"numeric", "text"}),
    "real": frozenset({"double precision", "text"}),
    "date": frozenset({"timestamp without time zone", "timestamp with time zone", "text"}),
    "timestamp without time zone": frozenset({"timestamp with time zone", "text"}),
    "timestamp with time zone": frozenset({"text"}),
    "json": frozenset({"jsonb", "text"}),
    "boolean": frozenset({"text"}),
    "uuid": frozenset({"text"}),
    "character": frozenset({"text"}),
}

# Pairs with an implicit or assignment cast: no USING needed.
_ASSIGNABLE: frozenset[tuple[str, str]] = frozenset(
    {
        ("smallint", "integer"),
        ("smallint", "bigint"),
        ("integer", "bigint"),
        ("integer", "smallint"),
        ("bigint", "integer"),
        ("bigint", "smallint"),
        ("real", "double precision"),
        ("double precision", "real"),
        ("date", "timestamp without time zone"),
        ("date", "timestamp with time zone"),
        ("timestamp without time zone", "timestamp with time zone"),
        ("timestamp with time zone", "timestamp without time zone"),
        ("timestamp without time zone", "date"),
        ("timestamp with time zone", "date"),
    }
)
_NUMBERS = {"smallint", "integer", "bigint", "real", "double precision"}


def _family(type_name: str) -> str:
    """``character varying(20)`` → ``character varying``; ``numeric(12,2)`` → ``numeric``."""
    return re.sub(r"\(.*\)$", "", type_name)


def _is_text_like(type_name: str) -> bool:
    return type_name == "text" or bool(_VARCHAR.match(type_name)) or bool(_CHAR.match(type_name))


def _change(before: str, after: str) -> TypeChange:
    if before == after:
        return "none"
    varchar_a, varchar_b = _VARCHAR.match(before), _VARCHAR.match(after)
    if varchar_a and (after == "text" or varchar_b):
        length_a, length_b = varchar_a.group(1), varchar_b.group(1) if varchar_b else None
        if length_b is None or (length_a is not None and int(length_b) >= int(length_a)):
            return "none"
        return "narrow"
    bit_a, bit_b = _BITVAR.match(before), _BITVAR.match(after)
    if bit_a and bit_b:
        if bit_b.group(1) is None or (bit_a.group(1) and int(bit_b.group(1)) >= int(bit_a.group(1))):
            return "none"
        return "narrow"
    numeric_a, numeric_b = _NUMERIC.match(before), _NUMERIC.match(after)
    if numeric_a and numeric_b:
        if numeric_b.group(1) is None:
            return "none"
        if numeric_a.group(1) is None:
            return "narrow"
        pa, sa = int(numeric_a.group(1)), int(numeric_a.group(2) or 0)
        pb, sb = int(numeric_b.group(1)), int(numeric_b.group(2) or 0)
        if sa == sb and pb >= pa:
            return "none"
        return "widen" if sb >= sa and pb - sb >= pa - sa else "narrow"
    if after == "text":
        return "widen"  # every value has a text form (an assignment cast exists for all types)
    if after in _WIDENING.get(_family(before), frozenset()):
        return "widen"
    if (_is_text_like(before) and _is_text_like(after)) or (before in _NUMBERS and after in _NUMBERS):
        return "narrow"
    if before.endswith("[]") and after.endswith("[]"):
        inner = _change(before[:-2], after[:-2])
        return "rewrite" if inner == "none" and before != after else inner
    return "rewrite"


def _needs_using(before: str, after: str, change: TypeChange) -> bool:
    if change == "none" or (before, after) in _ASSIGNABLE:
        return False
    if after == "text" or (_is_text_like(before) and _is_text_like(after)):
        return False
    if _family(before) == _family(after) and not before.endswith("]"):
        return False  # same type, other length/precision: an assignment cast exists
    return not (before in _NUMBERS and _NUMERIC.match(after)) and not (
        _NUMERIC.match(before) and after in _NUMBERS
    )


def classify_type_change(before: Column, after: Column) -> tuple[TypeChange, str | None]:
    """How costly ``before`` → ``after`` is, and the USING expression when one is needed.

    A changed collation alone needs no rewrite of the heap but rebuilds indexes; it is reported
    as ``widen`` (values are unchanged).
    """
    change = _change(before.type, after.type)
    if change == "none" and before.collation != after.collation:
        change = "widen"
    using = None
    if _needs_using(before.type, after.type, change):
        source = quote_ident(before.name if before.name == after.name else after.name)
        # An enum or other type without a direct cast converts through text.
        using = f"{source}::text::{after.type}"
    return change, using
