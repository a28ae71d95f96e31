"""PostgreSQL types → a Python annotation and a SQLAlchemy type expression.

``PyType.sa`` is the SQLAlchemy type that compiles to exactly the PostgreSQL type (``None``
when SQLModel derives it from the annotation by itself, with ``field`` holding the Field
arguments it needs, such as ``max_length``). ``explicit`` is always a full SQLAlchemy type,
for ``sa.Column`` and array elements. Types SQLAlchemy has no class for (domains, composite
types, ranges, extension types, collated columns) use the module's small ``PgType`` helper,
which emits the canonical spelling verbatim; domains still get their base type's annotation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from pgshape.model import Database
from pgshape.render.identifiers import qualified
from pgshape.render.sqlmodel.code import string

# name → (annotation, sa type inferred by SQLModel? (None) or explicit expression)
_SIMPLE: dict[str, tuple[str, str | None, str]] = {
    "integer": ("int", None, "sa.Integer()"),
    "bigint": ("int", "sa.BigInteger()", "sa.BigInteger()"),
    "smallint": ("int", "sa.SmallInteger()", "sa.SmallInteger()"),
    "boolean": ("bool", None, "sa.Boolean()"),
    "text": ("str", "sa.Text()", "sa.Text()"),
    "character varying": ("str", None, "sa.String()"),
    "numeric": ("decimal.Decimal", None, "sa.Numeric()"),
    "real": ("float", "sa.REAL()", "sa.REAL()"),
    "double precision": ("float", None, "sa.Double()"),
    "date": ("datetime.date", None, "sa.Date()"),
    "timestamp without time zone": ("datetime.datetime", "sa.DateTime()", "sa.DateTime()"),
    "timestamp with time zone": (
        "datetime.datetime",
        "sa.DateTime(timezone=True)",
        "sa.DateTime(timezone=True)",
    ),
    "time without time zone": ("datetime.time", None, "sa.Time()"),
    "time with time zone": ("datetime.time", "sa.Time(timezone=True)", "sa.Time(timezone=True)"),
    "interval": ("datetime.timedelta", None, "sa.Interval()"),
    "uuid": ("uuid.UUID", None, "sa.Uuid()"),
    "json": ("dict[str, Any]", "sa.JSON()", "sa.JSON()"),
    "jsonb": ("dict[str, Any]", "postgresql.JSONB()", "postgresql.JSONB()"),
    "bytea": ("bytes", None, "sa.LargeBinary()"),
    "inet": ("str", "postgresql.INET()", "postgresql.INET()"),
    "cidr": ("str", "postgresql.CIDR()", "postgresql.CIDR()"),
    "macaddr": ("str", "postgresql.MACADDR()", "postgresql.MACADDR()"),
    "macaddr8": ("str", "postgresql.MACADDR8()", "postgresql.MACADDR8()"),
    "tsvector": ("str", "postgresql.TSVECTOR()", "postgresql.TSVECTOR()"),
    "oid": ("int", "postgresql.OID()", "postgresql.OID()"),
}
# Types without an SQLAlchemy class whose values still have a natural Python type.
_VERBATIM_ANNOTATIONS = {
    "money": "str",
    "xml": "str",
    "citext": "str",
    "bpchar": "str",
    '"char"': "str",
    "name": "str",
    "bit varying": "str",
    "tsquery": "str",
    "int4range": "Any",
}

_VARCHAR = re.compile(r"character varying\((\d+)\)")
_CHAR = re.compile(r"character\((\d+)\)")
_NUMERIC = re.compile(r"numeric\((\d+),(-?\d+)\)")
_TIMESTAMP = re.compile(r"(timestamp|time)\((\d)\) (with|without) time zone")
_BIT = re.compile(r"bit\((\d+)\)")


@dataclass(frozen=True)
class PyType:
    annotation: str
    sa: str | None  # None: SQLModel infers it from the annotation and ``field``
    explicit: str
    field_args: tuple[tuple[str, str], ...] = ()
    needs: frozenset[str] = field(default_factory=frozenset)
    enum: tuple[str, str] | None = None  # (schema, name) of a PostgreSQL enum

    def needs_for(self, *, annotation: bool = True, sa: bool = False, explicit: bool = False) -> set[str]:
        """Module-level names used by what is written: the annotation, ``sa``, ``explicit``."""
        texts = ([self.annotation] if annotation else []) + ([self.sa or ""] if sa else [])
        found = set(_needs(*texts, *([self.explicit] if explicit else [])))
        if self.enum is not None:
            enum_class = {n for n in self.needs if n[:1].isupper()}
            variable = {n for n in self.needs if not n[:1].isupper()}
            found |= (enum_class if annotation else set()) | (
                variable if (sa and self.sa) or explicit else set()
            )
        return found

    @property
    def is_verbatim(self) -> bool:
        return self.explicit.startswith("PgType(")


@cache
def _needs(*texts: str) -> frozenset[str]:
    found = set()
    for text in texts:
        for module in ("datetime", "decimal", "uuid", "sa", "postgresql", "PgType"):
            if re.search(rf"(?<![\w.]){module}\b", text):
                found.add(module)
        if re.search(r"\bAny\b", text):
            found.add("Any")
    return frozenset(found)


def _make(annotation: str, sa: str | None, explicit: str, **kw: object) -> PyType:
    return PyType(annotation, sa, explicit, needs=_needs(annotation, explicit, sa or ""), **kw)  # type: ignore[arg-type]


class TypeMapper:
    """Maps the canonical type strings of one database (its enums and domains known)."""

    def __init__(self, db: Database, enum_names: dict[tuple[str, str], tuple[str, str]]) -> None:
        # enum (schema, name) → (Python class, SQLAlchemy type variable)
        self.enums = enum_names
        self.enum_by_spelling = {_spelling(*key): key for key in enum_names}
        self.domains = {_spelling(d.schema, d.name): d.base_type for d in db.domains}

    def map(self, pg_type: str, collation: str | None = None) -> PyType:
        if collation is not None:
            base = self.map(pg_type)
            verbatim = f"PgType({string(f'{pg_type} COLLATE {collation}')})"
            return _make(base.annotation, verbatim, verbatim)
        if pg_type.endswith("[]"):
            element = self.map(pg_type[:-2])
            explicit = f"postgresql.ARRAY({element.explicit})"
            if element.is_verbatim:
                explicit = f"PgType({string(pg_type)})"
            return PyType(
                f"list[{element.annotation}]",
                explicit,
                explicit,
                needs=element.needs | _needs(explicit),
                enum=element.enum,
            )
        return self._scalar(pg_type)

    def _scalar(self, pg_type: str) -> PyType:
        if pg_type in _SIMPLE:
            return _make(*_SIMPLE[pg_type])
        if pg_type in self.enum_by_spelling:
            key = self.enum_by_spelling[pg_type]
            cls, variable = self.enums[key]
            return PyType(cls, variable, variable, needs=frozenset({cls, variable}), enum=key)
        if m := _VARCHAR.fullmatch(pg_type):
            return _make("str", None, f"sa.String({m[1]})", field_args=(("max_length", m[1]),))
        if m := _CHAR.fullmatch(pg_type):
            return _make("str", f"sa.CHAR({m[1]})", f"sa.CHAR({m[1]})")
        if (m := _NUMERIC.fullmatch(pg_type)) and int(m[2]) >= 0:
            explicit = f"sa.Numeric({m[1]}, {m[2]})"
            fields = (("max_digits", m[1]), ("decimal_places", m[2]))
            return _make("decimal.Decimal", None, explicit, field_args=fields)
        if m := _TIMESTAMP.fullmatch(pg_type):
            tz = m[3] == "with"
            cls = "TIMESTAMP" if m[1] == "timestamp" else "TIME"
            explicit = f"postgresql.{cls}(timezone={tz}, precision={m[2]})"
            annotation = "datetime.datetime" if cls == "TIMESTAMP" else "datetime.time"
            return _make(annotation, explicit, explicit)
        if m := _BIT.fullmatch(pg_type):
            explicit = f"postgresql.BIT({m[1]})"
            return _make("str", explicit, explicit)
        verbatim = f"PgType({string(pg_type)})"
        base = self.domains.get(pg_type)
        if base is not None:
            annotation = self.map(base).annotation
        else:
            annotation = _VERBATIM_ANNOTATIONS.get(pg_type.split("(")[0].split(".")[-1], "Any")
        return _make(annotation, verbatim, verbatim)


def _spelling(schema: str, name: str) -> str:
    return qualified(schema, name)
