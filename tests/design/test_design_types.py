"""The canonical type table, with PostgreSQL as the oracle: each spelling a design accepts is
created on the server and read back; the design file must hold what the server prints."""

from __future__ import annotations

import pytest

from conftest import run_sql
from pgshape.design.types import UnknownType, canonical_builtin
from pgshape.pg.introspect import introspect

SPELLINGS = [
    "int", "int4", "integer", "int2", "smallint", "int8", "bigint", "float4", "real", "float8",
    "float", "double precision", "decimal", "numeric", "numeric(12, 2)", "decimal(5)", "bool",
    "boolean", "varchar", "varchar(20)", "character varying(255)", "char", "char(3)", "bpchar(2)",
    "character(4)", "bit", "bit(8)", "varbit(5)", "bit varying", "timestamptz", "timestamp",
    "timestamp(3)", "timestamp(0) with time zone", "timestamp without time zone", "timetz",
    "time", "time(6)", "time with time zone", "date", "interval", "interval year to month",
    "interval(3)", "text", "bytea", "uuid", "json", "jsonb", "inet", "cidr", "macaddr", "money",
    "xml", "tsvector", "tsquery", "point", "int4range", "tstzrange", "daterange", "text[]",
    "integer[][]", "varchar(10)[]", "timestamptz[]", '"char"', "oid", "name", "INT", "Text",
]  # fmt: skip


def test_every_spelling_matches_the_server(scratch_url: str) -> None:
    columns = ", ".join(f"c{n} {spelling}" for n, spelling in enumerate(SPELLINGS))
    run_sql(scratch_url, f"CREATE TABLE probe ({columns})")
    table = introspect(scratch_url).tables[0]
    printed = {column.name: column.type for column in table.columns}
    mismatches = {
        spelling: (canonical_builtin(spelling), printed[f"c{n}"])
        for n, spelling in enumerate(SPELLINGS)
        if canonical_builtin(spelling) != printed[f"c{n}"]
    }
    assert mismatches == {}


@pytest.mark.parametrize(
    "spelling", ["txt", "serial", "bigserial", "timestamptz without time zone", "varchar(("]
)
def test_unknown_spellings(spelling: str) -> None:
    with pytest.raises(UnknownType):
        canonical_builtin(spelling)


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_canonical_spellings_are_fixed_points(spelling: str) -> None:
    canonical = canonical_builtin(spelling)
    assert canonical_builtin(canonical) == canonical
