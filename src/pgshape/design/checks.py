"""Semantic checks of an expanded design: what PostgreSQL would reject later, or accept
silently in a way nobody wants.

- names over 63 bytes (PostgreSQL truncates them without an error);
- two relations (tables, views, indexes, sequences, and the indexes behind primary key, unique
  and exclusion constraints) or two types with one name in a schema; two constraints with one
  name on a table;
- with ``project.strict`` (the default): reserved words as table or column names (they work only
  when quoted everywhere, in every query anyone writes), and foreign-key cycles that no insert
  can satisfy (every key in the cycle NOT NULL and NOT DEFERRABLE).

Errors are located by the offending object's origin (file:line:column).
"""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from pgshape.design.errors import DesignError, closest
from pgshape.design.settings import MAX_IDENTIFIER_BYTES, ProjectSettings
from pgshape.model import Database, Origin, Table
from pgshape.render.identifiers import KEYWORD_CATEGORIES

RESERVED = KEYWORD_CATEGORIES["R"] | KEYWORD_CATEGORIES["T"]


def _fail(message: str, origin: Origin | None) -> DesignError:
    error = DesignError(message)
    if origin is not None:
        error.location = str(origin)
    return error


def check(database: Database, settings: ProjectSettings) -> None:
    for name, kind, origin in _named_objects(database):
        if len(name.encode("utf-8")) > MAX_IDENTIFIER_BYTES:
            raise _fail(
                f"{kind} name {name!r} is {len(name.encode('utf-8'))} bytes; PostgreSQL keeps only "
                f"{MAX_IDENTIFIER_BYTES} and would silently cut it",
                origin,
            )
    for table in database.tables:
        _columns_exist(table)
    _duplicates(database)
    if settings.strict:
        _reserved_words(database)
        _cycles(database)


def _named_objects(database: Database) -> Iterator[tuple[str, str, Origin | None]]:
    for table in database.tables:
        yield table.name, "table", table.origin
        for column in table.columns:
            yield column.name, "column", column.origin or table.origin
        for constraint in (
            *table.foreign_keys,
            *table.unique_constraints,
            *table.check_constraints,
            *table.exclusion_constraints,
            *([table.primary_key] if table.primary_key else []),
        ):
            yield constraint.name, "constraint", constraint.origin or table.origin
        for index in table.indexes:
            yield index.name, "index", index.origin or table.origin
        for policy in table.policies:
            yield policy.name, "policy", policy.origin or table.origin
        for trigger in table.triggers:
            yield trigger.name, "trigger", trigger.origin or table.origin
    for collection, kind in (
        (database.enums, "enum"),
        (database.domains, "domain"),
        (database.sequences, "sequence"),
        (database.views, "view"),
        (database.composite_types, "type"),
    ):
        for obj in collection:
            yield obj.name, kind, obj.origin
    for enum in database.enums:
        for label in enum.labels:
            if len(label.encode("utf-8")) > MAX_IDENTIFIER_BYTES:
                yield label, "enum value", enum.origin


def _columns_exist(table: Table) -> None:
    """Unique constraints and indexes name columns the table has (after the patterns ran)."""
    names = table.column_names
    uses: list[tuple[str, tuple[str | None, ...], Origin | None]] = []
    for unique in table.unique_constraints:
        uses.append((f"unique {unique.name}", unique.columns + unique.include, unique.origin))
    for index in table.indexes:
        uses.append((f"index {index.name}", index.columns + index.include, index.origin))
    for what, columns, origin in uses:
        for column in columns:
            if column is not None and column not in names:
                raise _fail(
                    f"{what}: {column!r} is not a column of {table.name}{closest(column, names)}",
                    origin or table.origin,
                )


def _reserved_words(database: Database) -> None:
    for table in database.tables:
        if table.name.lower() in RESERVED:
            raise _fail(
                f"table name {table.name!r} is a reserved word in PostgreSQL (every query would "
                f"have to quote it); choose another name, e.g. {table.name}s or app_{table.name}",
                table.origin,
            )
        for column in table.columns:
            if column.name.lower() in RESERVED:
                raise _fail(
                    f"column name {column.name!r} of {table.name} is a reserved word in PostgreSQL; "
                    "choose another name",
                    column.origin or table.origin,
                )


def _duplicates(database: Database) -> None:
    relations: dict[tuple[str, str], str] = {}
    types: dict[tuple[str, str], str] = {}

    def claim(
        registry: dict[tuple[str, str], str], schema: str, name: str, what: str, origin: Origin | None
    ) -> None:
        key = (schema, name)
        if key in registry:
            raise _fail(f"{what} {name!r} has the same name as {registry[key]} in schema {schema}", origin)
        registry[key] = f"{what} {name!r}"

    for table in database.tables:
        claim(relations, table.schema, table.name, "table", table.origin)
        claim(types, table.schema, table.name, "table", table.origin)  # a table is also a row type
    for view in database.views:
        claim(relations, view.schema, view.name, "view", view.origin)
        claim(types, view.schema, view.name, "view", view.origin)
    for sequence in database.sequences:
        claim(relations, sequence.schema, sequence.name, "sequence", sequence.origin)
    for collection, what in (
        (database.enums, "enum"),
        (database.domains, "domain"),
        (database.composite_types, "type"),
    ):
        for obj in collection:
            claim(types, obj.schema, obj.name, what, obj.origin)
    for table in database.tables:
        _table_duplicates(
            table, lambda name, what, origin, s=table.schema: claim(relations, s, name, what, origin)
        )
    for view in database.views:
        for index in view.indexes:
            claim(relations, view.schema, index.name, "index", index.origin or view.origin)


def _table_duplicates(table: Table, claim_relation: object) -> None:
    constraints: dict[str, str] = {}
    owners = []
    if table.primary_key is not None:
        owners.append((table.primary_key.name, "primary key", table.primary_key.origin))
    owners += [(u.name, "unique constraint", u.origin) for u in table.unique_constraints]
    owners += [(x.name, "exclusion constraint", x.origin) for x in table.exclusion_constraints]
    others = [(f.name, "foreign key", f.origin) for f in table.foreign_keys]
    others += [(c.name, "check constraint", c.origin) for c in table.check_constraints]
    for name, what, origin in owners + others:
        if name in constraints:
            raise _fail(
                f"{what} {name!r} has the same name as {constraints[name]} on table {table.name}",
                origin or table.origin,
            )
        constraints[name] = f"{what} {name!r}"
    # Primary key, unique and exclusion constraints are implemented by an index of the same name.
    for name, what, origin in owners:
        claim_relation(name, what, origin or table.origin)  # type: ignore[operator]
    for index in table.indexes:
        claim_relation(index.name, "index", index.origin or table.origin)  # type: ignore[operator]
    for kind, items in (("trigger", table.triggers), ("policy", table.policies)):
        seen: set[str] = set()
        for item in items:
            if item.name in seen:
                raise _fail(f"{kind} {item.name!r} is declared twice on table {table.name}", item.origin)
            seen.add(item.name)


def _cycles(database: Database) -> None:
    graph = nx.DiGraph()
    for table in database.tables:
        for fk in table.foreign_keys:
            if fk.referenced == table.key or fk.deferrable is not None:
                continue
            columns = [table.column(name) for name in fk.columns]
            if all(column is not None and not column.nullable for column in columns):
                graph.add_edge(table.key, fk.referenced, fk=fk)
    try:
        cycle = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        return
    names = " → ".join(f"{a[1]}" for a, _ in cycle) + f" → {cycle[0][0][1]}"
    first = graph.edges[cycle[0][0], cycle[0][1]]["fk"]
    raise _fail(
        f"foreign keys form a cycle ({names}) of NOT NULL, NOT DEFERRABLE keys: no row can ever be "
        f"inserted; make one of them nullable or `deferrable: true` (e.g. {first.name})",
        first.origin,
    )
