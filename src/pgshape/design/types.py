"""Type names as people write them → PostgreSQL's canonical spelling (``format_type``).

The design file accepts the usual aliases (``int``, ``varchar(20)``, ``timestamptz``); the IR
holds what PostgreSQL prints, so a design file and the database built from it compare equal.
Canonical spellings are accepted unchanged, which keeps dumped files loading back identically.
"""

from __future__ import annotations

import re

# alias → canonical base name (modifiers such as (20) or (12,2) are carried over).
_ALIASES: dict[str, str] = {
    "int": "integer",
    "int4": "integer",
    "integer": "integer",
    "int2": "smallint",
    "smallint": "smallint",
    "int8": "bigint",
    "bigint": "bigint",
    "float4": "real",
    "real": "real",
    "float8": "double precision",
    "float": "double precision",
    "double precision": "double precision",
    "double": "double precision",
    "decimal": "numeric",
    "numeric": "numeric",
    "bool": "boolean",
    "boolean": "boolean",
    "varchar": "character varying",
    "character varying": "character varying",
    "char varying": "character varying",
    "char": "character",
    "character": "character",
    "bpchar": "character",
    "varbit": "bit varying",
    "bit varying": "bit varying",
    "bit": "bit",
    "timestamptz": "timestamp with time zone",
    "timestamp with time zone": "timestamp with time zone",
    "timestamp": "timestamp without time zone",
    "timestamp without time zone": "timestamp without time zone",
    "timetz": "time with time zone",
    "time with time zone": "time with time zone",
    "time": "time without time zone",
    "time without time zone": "time without time zone",
}

# Types whose name is already canonical (and that take no aliasing).
_PLAIN = frozenset(
    [
        "text",
        "bytea",
        "uuid",
        "json",
        "jsonb",
        "date",
        "interval",
        "inet",
        "cidr",
        "macaddr",
        "macaddr8",
        "money",
        "xml",
        "tsvector",
        "tsquery",
        "point",
        "line",
        "lseg",
        "box",
        "path",
        "polygon",
        "circle",
        "oid",
        "regclass",
        "regtype",
        "regproc",
        "regprocedure",
        "name",
        "int4range",
        "int8range",
        "numrange",
        "tsrange",
        "tstzrange",
        "daterange",
        "int4multirange",
        "int8multirange",
        "nummultirange",
        "tsmultirange",
        "tstzmultirange",
        "datemultirange",
        "pg_lsn",
        "txid_snapshot",
        "pg_snapshot",
        "record",
        "void",
        "trigger",
        "anyelement",
        "anyarray",
        "cstring",
    ]
)
PLAIN_TYPES = _PLAIN | {'"char"'}

# Types with a time-zone suffix accept a precision after the base word: timestamp(3) with time zone.
_TIMED = re.compile(
    r"^(?P<base>timestamptz|timetz|timestamp|time)\s*(?:\((?P<precision>\d+)\))?"
    r"(?:\s+(?P<zone>with|without)\s+time\s+zone)?$"
)
_MODIFIED = re.compile(r"^(?P<base>[a-z][a-z0-9_ ]*?)\s*(?:\((?P<modifiers>[^()]*)\))?$")
# Other serial-style types are rejected with a pointer to identity columns.
SERIAL_TYPES = frozenset({"serial", "serial4", "bigserial", "serial8", "smallserial", "serial2"})


class UnknownType(ValueError):
    """The base name is not a built-in type (the caller then looks at user types)."""


def _timed(match: re.Match[str]) -> str:
    base = match["base"]
    zone = match["zone"]
    if base in ("timestamptz", "timetz"):
        if zone == "without":
            raise UnknownType(match.string)
        zone = "with"
    word = "timestamp" if base.startswith("timestamp") else "time"
    precision = f"({match['precision']})" if match["precision"] is not None else ""
    return f"{word}{precision} {zone or 'without'} time zone"


def canonical_builtin(text: str) -> str:
    """The canonical spelling of a built-in type; :class:`UnknownType` when it is none.

    Arrays keep one ``[]`` (PostgreSQL does not record dimensions); interval field
    restrictions (``interval year to month``) are kept as written in lower case.
    """
    spelled = " ".join(text.strip().split())
    array = ""
    while spelled.endswith("]"):
        spelled = spelled[: spelled.rindex("[")].rstrip()
        array = "[]"
    if spelled == '"char"':
        return spelled + array
    lowered = spelled.lower()
    if lowered in SERIAL_TYPES:
        raise UnknownType(spelled)
    timed = _TIMED.match(lowered)
    if timed:
        return _timed(timed) + array
    if lowered.startswith("interval"):
        return re.sub(r"\s*\(", "(", lowered) + array
    match = _MODIFIED.match(lowered)
    if match is None:
        raise UnknownType(spelled)
    base = " ".join(match["base"].split())
    modifiers = match["modifiers"]
    canonical = _ALIASES.get(base) or (base if base in _PLAIN else None)
    if canonical is None:
        raise UnknownType(spelled)
    if modifiers is not None:
        modifiers = ",".join(part.strip() for part in modifiers.split(","))
        if canonical == "numeric" and "," not in modifiers:
            modifiers += ",0"  # numeric(5) is numeric(5,0)
        return f"{canonical}({modifiers}){array}"
    if canonical == "character":
        return "character(1)" + array  # char without a length is char(1)
    if canonical == "bit":
        return "bit(1)" + array
    return canonical + array


def split_array(text: str) -> tuple[str, str]:
    """(base, "[]" or "") of a type spelling."""
    spelled = text.strip()
    array = ""
    while spelled.endswith("]") and "[" in spelled:
        spelled = spelled[: spelled.rindex("[")].rstrip()
        array = "[]"
    return spelled, array
