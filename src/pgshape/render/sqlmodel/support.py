"""The module-level helpers a generated module may need, each written only when used."""

from __future__ import annotations

from pgshape.model import EnumType
from pgshape.render.sqlmodel import naming
from pgshape.render.sqlmodel.code import Call, lines, string
from pgshape.render.sqlmodel.plan import Plan

UTCNOW = '''def utcnow() -> datetime.datetime:
    """The current time, timezone-aware (never the naive ``datetime.utcnow``)."""
    return datetime.datetime.now({zone})
'''

# The Python versions generated code can target; the oldest is the oldest pgshape runs on.
PYTHON_VERSIONS = ((3, 10), (3, 11), (3, 12), (3, 13), (3, 14))
DEFAULT_PYTHON = (3, 11)

ENUM_VALUES = '''def enum_values(cls: type[enum.Enum]) -> list[str]:
    """Store an enum's values (PostgreSQL's labels), not its Python member names."""
    return [member.value for member in cls]
'''

PG_TYPE = '''class PgType(sa.types.UserDefinedType):
    """A PostgreSQL type SQLAlchemy has no class for, emitted exactly as written."""

    cache_ok = True

    def __init__(self, spelling: str) -> None:
        self.spelling = spelling

    def get_col_spec(self, **kw: Any) -> str:
        return self.spelling
'''

HELPERS = {
    "utcnow": (UTCNOW, {"datetime"}),
    "enum_values": (ENUM_VALUES, {"enum"}),
    "PgType": (PG_TYPE, {"sa", "Any"}),
}


def helper(name: str, python: tuple[int, int]) -> tuple[str, set[str]]:
    """A helper's text for the target Python, and the imports it needs.

    ``datetime.UTC`` only exists from 3.11; on 3.11+ targets ruff's UP017 asks for it instead of
    ``datetime.timezone.utc``, so the spelling follows the target.
    """
    text, required = HELPERS[name]
    if name == "utcnow":
        text = text.format(zone="datetime.UTC" if python >= (3, 11) else "datetime.timezone.utc")
    return text, required


def enum_class(plan: Plan, enum: EnumType) -> str:
    cls, _ = plan.enum_names[enum.key]
    out = [f"class {cls}(str, enum.Enum):\n"]
    if enum.comment:
        out.append(f"    {string(enum.comment)}\n\n")
    members = naming.Namespace({"name", "value", "mro"})
    if not enum.labels:
        out.append("    pass\n")
    for label in enum.labels:
        out.append(f"    {members.claim(naming.member_name(label))} = {string(label)}\n")
    return "".join(out)


def enum_type(plan: Plan, enum: EnumType) -> str:
    cls, variable = plan.enum_names[enum.key]
    kwargs: list[tuple[str, object]] = [("name", string(enum.name))]
    if enum.schema != "public":
        kwargs.append(("schema", string(enum.schema)))
    kwargs += [("create_type", "False"), ("values_callable", "enum_values")]
    return "\n".join(lines(Call("postgresql.ENUM", (cls,), kwargs), 0, f"{variable} = ")) + "\n"
