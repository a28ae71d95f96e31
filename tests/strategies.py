"""Hypothesis strategies: schema models with awkward identifiers.

Identifiers mix reserved words, upper case, quotes, spaces, unicode and names of exactly 63
bytes (PostgreSQL's limit: longer names are silently truncated, so the model never holds one).
"""

from __future__ import annotations

from hypothesis import strategies as st

from pgshape.model import (
    Column,
    Database,
    ForeignKey,
    Index,
    IndexKey,
    PrimaryKey,
    SchemaInfo,
    Table,
    UniqueConstraint,
)

RESERVED = ["user", "order", "group", "select", "table", "from", "limit", "check", "default", "end"]
TYPES = [
    "integer",
    "bigint",
    "smallint",
    "text",
    "boolean",
    "uuid",
    "jsonb",
    "date",
    "numeric(12,2)",
    "character varying(40)",
    "timestamp with time zone",
    "timestamp without time zone",
    "double precision",
    "bytea",
    "text[]",
    "integer[]",
]


def _exactly_63_bytes(seed: str) -> str:
    # Multibyte characters first, then ASCII padding, so the byte length lands on 63 exactly.
    name = (seed * 63)[:20]
    while len(name.encode()) > 63:
        name = name[:-1]
    return name + "x" * (63 - len(name.encode()))


_plain = st.from_regex(r"[a-z_][a-z0-9_]{0,20}", fullmatch=True)
_awkward_text = st.text(
    alphabet=st.characters(
        categories=("Lu", "Ll", "Nd", "Zs"),
        include_characters="\"'-.$äöüßéıİ日本語",
        exclude_characters="\x00",
    ),
    min_size=1,
    max_size=24,
).filter(lambda s: s.strip() == s and len(s.encode()) <= 63)

identifiers = st.one_of(
    _plain,
    st.sampled_from(RESERVED),
    _awkward_text,
    st.sampled_from(["é", "日本語", "ı", "Ж"]).map(_exactly_63_bytes),
    _plain.map(lambda s: s.upper() if s.upper() != s else s + "X"),
).filter(lambda s: 0 < len(s.encode()) <= 63 and not s.startswith("pg_"))


def _unique(values: list[str]) -> bool:
    return len(set(values)) == len(values)


@st.composite
def tables(draw: st.DrawFn, schema: str, name: str, earlier: list[Table]) -> Table:
    column_names = draw(st.lists(identifiers, min_size=1, max_size=6, unique=True))
    columns = [
        Column(name=column, type=draw(st.sampled_from(TYPES)), nullable=draw(st.booleans()))
        for column in column_names
    ]
    primary_key = None
    if draw(st.booleans()):
        pk_column = columns[0]
        columns[0] = Column(name=pk_column.name, type="bigint", nullable=False)
        primary_key = PrimaryKey(name=draw(identifiers), columns=(pk_column.name,))
    names_used = {primary_key.name} if primary_key else set()

    def fresh_name() -> str:
        candidate = draw(identifiers.filter(lambda n: n not in names_used))
        names_used.add(candidate)
        return candidate

    foreign_keys = []
    targets = [t for t in earlier if t.primary_key is not None]
    if targets and len(columns) > 1 and draw(st.booleans()):
        target = draw(st.sampled_from(targets))
        column = columns[-1]
        columns[-1] = Column(name=column.name, type="bigint", nullable=column.nullable)
        foreign_keys.append(
            ForeignKey(
                name=fresh_name(),
                columns=(column.name,),
                referenced_schema=target.schema,
                referenced_table=target.name,
                referenced_columns=target.primary_key.columns,  # type: ignore[union-attr]
                on_delete=draw(st.sampled_from(["NO ACTION", "CASCADE", "SET NULL", "RESTRICT"])),
            )
        )
    uniques = []
    indexes = []
    plain_columns = [c for c in columns if not c.type.endswith("]") and c.type not in ("jsonb",)]
    if plain_columns and draw(st.booleans()):
        uniques.append(
            UniqueConstraint(name=fresh_name(), columns=(draw(st.sampled_from(plain_columns)).name,))
        )
    if plain_columns and draw(st.booleans()):
        key = draw(st.sampled_from(plain_columns)).name
        indexes.append(Index(name=fresh_name(), keys=(IndexKey(column=key, descending=draw(st.booleans())),)))
    return Table(
        schema=schema,
        name=name,
        columns=tuple(columns),
        primary_key=primary_key,
        foreign_keys=tuple(foreign_keys),
        unique_constraints=tuple(uniques),
        indexes=tuple(indexes),
        comment=draw(
            st.one_of(st.none(), st.text(min_size=1, max_size=30).filter(lambda s: "\x00" not in s))
        ),
    )


@st.composite
def databases(draw: st.DrawFn, max_tables: int = 4) -> Database:
    """Models whose constraint and index names are unique per schema, as PostgreSQL requires."""
    names = draw(st.lists(identifiers, min_size=1, max_size=max_tables, unique=True))
    built: list[Table] = []
    relation_names = set(names)
    for name in names:
        table = draw(tables("public", name, built))
        owned = [i.name for i in table.indexes] + [u.name for u in table.unique_constraints]
        if table.primary_key:
            owned.append(table.primary_key.name)
        # Indexes (and the indexes behind PK/UNIQUE) share the namespace with tables.
        if not _unique(owned) or relation_names & set(owned):
            continue
        relation_names.update(owned)
        built.append(table)
    return Database(schemas=(SchemaInfo("public"),), tables=tuple(built))
