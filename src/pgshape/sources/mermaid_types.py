"""Type names written in sketches (Mermaid, DBML) → PostgreSQL's canonical spelling.

Sketches use short or foreign spellings (``int``, ``string``, ``varchar(255)``, ``datetime``,
``timestamptz``); the IR stores types as ``format_type`` prints them. Known names are mapped;
anything else (a user type such as ``public.mood``, an extension type) is kept as written and
left for PostgreSQL to judge when the model is built.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SIMPLE = {
    "int": "integer",
    "integer": "integer",
    "int4": "integer",
    "smallint": "smallint",
    "int2": "smallint",
    "bigint": "bigint",
    "int8": "bigint",
    "long": "bigint",
    "text": "text",
    "string": "text",
    "str": "text",
    "bool": "boolean",
    "boolean": "boolean",
    "float": "double precision",
    "double": "double precision",
    "float8": "double precision",
    "double precision": "double precision",
    "float4": "real",
    "real": "real",
    "uuid": "uuid",
    "guid": "uuid",
    "json": "json",
    "jsonb": "jsonb",
    "bytea": "bytea",
    "blob": "bytea",
    "binary": "bytea",
    "date": "date",
    "datetime": "timestamp without time zone",
    "interval": "interval",
    "money": "money",
    "inet": "inet",
    "cidr": "cidr",
    "macaddr": "macaddr",
    "tsvector": "tsvector",
    "xml": "xml",
    "oid": "oid",
}
# name → (canonical base, whether the modifier goes before " with[out] time zone")
_TIMES = {
    "timestamptz": ("timestamp", " with time zone"),
    "timestamp": ("timestamp", " without time zone"),
    "timetz": ("time", " with time zone"),
    "time": ("time", " without time zone"),
}
_MODIFIED = {
    "varchar": "character varying",
    "character varying": "character varying",
    "nvarchar": "character varying",
    "char": "character",
    "character": "character",
    "bpchar": "character",
    "varbit": "bit varying",
    "bit varying": "bit varying",
    "bit": "bit",
    "numeric": "numeric",
    "decimal": "numeric",
}
_SERIAL = {"serial": "integer", "serial4": "integer", "bigserial": "bigint", "serial8": "bigint"}
_SERIAL["smallserial"] = "smallint"
_SERIAL["serial2"] = "smallint"

_SHAPE = re.compile(
    r"(?P<base>[a-z][a-z0-9 ]*?)\s*(?:\((?P<mod>\s*\d+\s*(?:,\s*-?\d+\s*)?)\))?"
    r"(?P<tz>\s+with(?:out)?\s+time\s+zone)?(?P<array>(?:\s*\[\s*\d*\s*\])*)"
)


@dataclass(frozen=True)
class SketchType:
    type: str  # canonical PostgreSQL spelling
    serial: bool = False  # serial/bigserial: the column becomes an identity column


def canonical_type(written: str) -> SketchType:
    """The canonical spelling of ``written`` (case-insensitive for known names)."""
    text = written.strip()
    match = _SHAPE.fullmatch(text.lower())
    if match is None:
        return SketchType(text)
    base = re.sub(r"\s+", " ", match["base"])
    mod = re.sub(r"\s+", "", match["mod"]) if match["mod"] else None
    array = "[]" if "[" in match["array"] else ""  # PostgreSQL keeps no array dimensions
    tz = re.sub(r"\s+", " ", match["tz"].strip()) if match["tz"] else None
    if base in _SERIAL and mod is None and tz is None:
        return SketchType(_SERIAL[base] + array, serial=not array)
    if base in _TIMES:
        canonical, suffix = _TIMES[base]
        if tz is not None:
            if base.endswith("tz"):
                return SketchType(text)
            suffix = " " + tz
        precision = f"({mod})" if mod is not None else ""
        return SketchType(f"{canonical}{precision}{suffix}{array}")
    if tz is not None:
        return SketchType(text)
    if base in _MODIFIED:
        canonical = _MODIFIED[base]
        if mod is None and canonical in {"character", "bit"}:
            mod = "1"  # char and bit without a length are character(1) and bit(1)
        if mod is not None and canonical == "numeric" and "," not in mod:
            mod += ",0"  # numeric(p) is numeric(p,0)
        return SketchType(f"{canonical}({mod}){array}" if mod else canonical + array)
    if base in _SIMPLE and mod is None:
        return SketchType(_SIMPLE[base] + array)
    return SketchType(text)
