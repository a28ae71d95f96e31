"""Expressions in PostgreSQL's printed form, by letting a scratch server parse and print them.

A hand-written source holds expressions as its author wrote them (``now()``, ``'draft'``,
``price >= 0``); an introspected one holds what ``pg_get_expr`` prints (``now()``,
``'draft'::public.status``, ``(price >= 0)``). Before two models are compared, the first is
normalised: in one scratch database the types, sequences and a *probe* of every table (its
columns and types, nothing else) are created, every expression is attached to its probe —
column defaults, generated columns, CHECK constraints (NOT VALID), indexes — and the server's
printed form is read back with an empty ``search_path``, so names come out schema-qualified
exactly as introspection prints them.

Statements go to the server in batches (one per table and kind); only when a batch fails is it
replayed statement by statement, to name the expression PostgreSQL rejected.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import psycopg

from pgshape.errors import InputError
from pgshape.model import (
    Column,
    Database,
    Domain,
    EnumType,
    Generated,
    Index,
    IndexKey,
    Origin,
    Table,
)
from pgshape.pg.connect import connect
from pgshape.pg.scratch import scratch_database
from pgshape.render.identifiers import qualified
from pgshape.render.identifiers import quote_ident as quote
from pgshape.render.sql_tables import index_key


def normalize(db: Database, server_url: str | None = None) -> Database:
    """``db`` with every expression as PostgreSQL prints it; ``expressions_canonical=True``."""
    if db.expressions_canonical:
        return db
    with scratch_database(server_url) as url, connect(url) as conn:
        probe = _Probe(conn)
        probe.create(db)
        printed = probe.read()
        conn.rollback()  # nothing is kept; the database is dropped anyway
    return _apply(db, printed)


# --- building the probe ---------------------------------------------------------------------


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass
class _Step:
    sql: str
    what: str  # for the error message: "column public.post.status default"
    origin: Origin | None = None


@dataclass
class Printed:
    """What the server printed, keyed by the identity of the object it belongs to."""

    defaults: dict[tuple[str, str, str], str]
    generated: dict[tuple[str, str, str], str]
    checks: dict[tuple[str, str, str], str]
    indexes: dict[tuple[str, str], tuple[tuple[IndexKey, ...], str | None]]
    domain_defaults: dict[tuple[str, str], str]
    domain_checks: dict[tuple[str, str, str], str]


class _Probe:
    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn

    def run(self, steps: list[_Step]) -> None:
        """Run ``steps`` as one batch; on failure, one by one to find the culprit."""
        if not steps:
            return
        try:
            with self.conn.transaction():
                self.conn.execute(";\n".join(step.sql for step in steps))  # type: ignore[arg-type]
            return
        except psycopg.Error:
            pass
        for step in steps:
            try:
                with self.conn.transaction():
                    self.conn.execute(step.sql)  # type: ignore[arg-type]
            except psycopg.Error as error:
                message = (error.diag.message_primary or str(error)).strip().splitlines()[0]
                location = str(step.origin) if step.origin else None
                raise InputError(f"{step.what}: {message}", location=location) from None

    def run_tolerant(self, steps: Iterable[_Step]) -> None:
        """Objects the expressions may need but whose failure must not stop normalisation."""
        for step in steps:
            try:
                with self.conn.transaction():
                    self.conn.execute(step.sql)  # type: ignore[arg-type]
            except psycopg.Error:
                continue

    def create(self, db: Database) -> None:
        self.conn.execute("SET check_function_bodies = off")
        schemas = (
            set(db.schema_names) | {e.schema for e in db.extensions} | {t.schema for t in db.composite_types}
        )
        self.run([_Step(f"CREATE SCHEMA IF NOT EXISTS {quote(s)}", f"schema {s}") for s in sorted(schemas)])
        self.run_tolerant(
            _Step(f"CREATE EXTENSION IF NOT EXISTS {quote(e.name)} SCHEMA {quote(e.schema)}", "")
            for e in db.extensions
        )
        self.run([_enum_step(e) for e in db.enums])
        self.create_in_dependency_order(_type_steps(db))
        self.run(
            [
                _Step(
                    f"CREATE SEQUENCE {qualified(s.schema, s.name)}",
                    f"sequence {s.schema}.{s.name}",
                    s.origin,
                )
                for s in db.sequences
            ]
        )
        self.run_tolerant(_Step(f.definition, "") for f in db.functions)
        for table in db.tables:
            self.run([_probe_table(table)])
        for table in db.tables:
            self.run(_table_steps(table))
        for domain in db.domains:
            self.run(_domain_steps(domain))

    def create_in_dependency_order(self, steps: list[_Step]) -> None:
        """Domains and composite types may use each other: retry until nothing moves."""
        pending = steps
        while pending:
            failed = []
            for step in pending:
                try:
                    with self.conn.transaction():
                        self.conn.execute(step.sql)  # type: ignore[arg-type]
                except psycopg.Error:
                    failed.append(step)
            if len(failed) == len(pending):
                self.run(failed[:1])  # raises with the server's message
            pending = failed

    def read(self) -> Printed:
        self.conn.execute("SET search_path = ''")  # print every name schema-qualified
        return Printed(
            defaults=self.triples(_DEFAULTS_QUERY, "d"),
            generated=self.triples(_DEFAULTS_QUERY, "g"),
            checks=self.triples(_CHECKS_QUERY),
            indexes=self.indexes(),
            domain_defaults={(r[0], r[1]): r[2] for r in self.conn.execute(_DOMAIN_DEFAULTS_QUERY)},
            domain_checks={(r[0], r[1], r[2]): r[3] for r in self.conn.execute(_DOMAIN_CHECKS_QUERY)},
        )

    def triples(self, query: str, *args: str) -> dict[tuple[str, str, str], str]:
        return {(r[0], r[1], r[2]): r[3] for r in self.conn.execute(query, args or None)}  # type: ignore[arg-type]

    def indexes(self) -> dict[tuple[str, str], tuple[tuple[IndexKey, ...], str | None]]:
        keys: dict[tuple[str, str], list[IndexKey]] = {}
        predicates: dict[tuple[str, str], str | None] = {}
        for schema, name, column, expression, desc, nulls_first, opclass, predicate in self.conn.execute(
            _INDEX_KEYS_QUERY
        ):
            key = IndexKey(
                column=column,
                expression=None if column is not None else expression,
                descending=desc,
                # Stored only when it is not the default for the direction.
                nulls_first=None if nulls_first == desc else nulls_first,
                opclass=opclass,
            )
            keys.setdefault((schema, name), []).append(key)
            predicates[(schema, name)] = predicate
        return {k: (tuple(v), predicates[k]) for k, v in keys.items()}


def _enum_step(enum: EnumType) -> _Step:
    labels = ", ".join(map(_literal, enum.labels))
    return _Step(
        f"CREATE TYPE {qualified(enum.schema, enum.name)} AS ENUM ({labels})",
        f"enum {enum.schema}.{enum.name}",
        enum.origin,
    )


def _type_steps(db: Database) -> list[_Step]:
    steps = [
        _Step(
            f"CREATE DOMAIN {qualified(d.schema, d.name)} AS {d.base_type}"
            + (f" COLLATE {d.collation}" if d.collation else ""),
            f"domain {d.schema}.{d.name}",
            d.origin,
        )
        for d in db.domains
    ]
    for composite in db.composite_types:
        attributes = ", ".join(
            f"{quote(a.name)} {a.type}" + (f" COLLATE {a.collation}" if a.collation else "")
            for a in composite.attributes
        )
        steps.append(
            _Step(
                f"CREATE TYPE {qualified(composite.schema, composite.name)} AS ({attributes})",
                f"type {composite.schema}.{composite.name}",
                composite.origin,
            )
        )
    return steps


def _probe_table(table: Table) -> _Step:
    """The table with its columns, types and generated expressions; no other constraints."""
    columns = []
    for column in table.columns:
        text = f"{quote(column.name)} {column.type}"
        if column.collation:
            text += f" COLLATE {column.collation}"
        if column.generated is not None:
            text += f" GENERATED ALWAYS AS ({column.generated.expression}) {column.generated.kind.upper()}"
        columns.append(text)
    return _Step(
        f"CREATE TABLE {qualified(table.schema, table.name)} ({', '.join(columns)})",
        f"table {table.schema}.{table.name}",
        table.origin,
    )


def _table_steps(table: Table) -> list[_Step]:
    name = qualified(table.schema, table.name)
    where = f"{table.schema}.{table.name}"
    steps = [
        _Step(
            f"ALTER TABLE {name} ALTER COLUMN {quote(c.name)} SET DEFAULT {c.default}",
            f"column {where}.{c.name} default",
            c.origin,
        )
        for c in table.columns
        if c.default is not None
    ]
    steps += [
        _Step(
            f"ALTER TABLE {name} ADD CONSTRAINT {quote(check.name)} CHECK ({check.expression}) NOT VALID",
            f"check {check.name} on {where}",
            check.origin,
        )
        for check in table.check_constraints
    ]
    steps += [_index_step(table, index) for index in table.indexes]
    return steps


def _index_step(table: Table, index: Index) -> _Step:
    keys = ", ".join(index_key(key) for key in index.keys)
    target = qualified(table.schema, table.name)
    text = f"CREATE INDEX {quote(index.name)} ON {target} USING {index.method} ({keys})"
    if index.include:
        text += f" INCLUDE ({', '.join(map(quote, index.include))})"
    if index.predicate is not None:
        text += f" WHERE ({index.predicate})"
    return _Step(text, f"index {index.name} on {table.schema}.{table.name}", index.origin)


def _domain_steps(domain: Domain) -> list[_Step]:
    name = qualified(domain.schema, domain.name)
    steps = []
    if domain.default is not None:
        steps.append(
            _Step(
                f"ALTER DOMAIN {name} SET DEFAULT {domain.default}", f"domain {name} default", domain.origin
            )
        )
    steps += [
        _Step(
            f"ALTER DOMAIN {name} ADD CONSTRAINT {quote(c.name)} CHECK ({c.expression}) NOT VALID",
            f"check {c.name} on domain {name}",
            c.origin or domain.origin,
        )
        for c in domain.checks
    ]
    return steps


# --- reading back ------------------------------------------------------------------------------

_DEFAULTS_QUERY = """
SELECT n.nspname, c.relname, a.attname, pg_get_expr(d.adbin, d.adrelid)
FROM pg_attrdef d
JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
JOIN pg_class c ON c.oid = d.adrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE (a.attgenerated = '') = (%s::text = 'd')
"""

_CHECKS_QUERY = """
SELECT n.nspname, c.relname, k.conname, pg_get_expr(k.conbin, k.conrelid)
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE k.contype = 'c'
"""

_DOMAIN_DEFAULTS_QUERY = """
SELECT n.nspname, t.typname, pg_get_expr(t.typdefaultbin, 0)
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'd' AND t.typdefaultbin IS NOT NULL
"""

_DOMAIN_CHECKS_QUERY = """
SELECT n.nspname, t.typname, k.conname, pg_get_expr(k.conbin, 0)
FROM pg_constraint k
JOIN pg_type t ON t.oid = k.contypid
JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE k.contype = 'c'
"""

# One row per key column (INCLUDE columns excluded), in key order.
_INDEX_KEYS_QUERY = """
SELECT n.nspname, ic.relname,
       a.attname,
       pg_get_indexdef(i.indexrelid, k.n::int, false),
       (i.indoption[k.n - 1] & 1) <> 0,
       (i.indoption[k.n - 1] & 2) <> 0,
       CASE WHEN opc.opcdefault THEN NULL
            ELSE quote_ident(opn.nspname) || '.' || quote_ident(opc.opcname) END,
       pg_get_expr(i.indpred, i.indrelid)
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = ic.relnamespace
CROSS JOIN LATERAL generate_series(1, i.indnkeyatts) AS k(n)
LEFT JOIN pg_attribute a
       ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k.n - 1] AND i.indkey[k.n - 1] <> 0
JOIN pg_opclass opc ON opc.oid = i.indclass[k.n - 1]
JOIN pg_namespace opn ON opn.oid = opc.opcnamespace
ORDER BY n.nspname, ic.relname, k.n
"""


# --- mapping back ------------------------------------------------------------------------------


def _apply(db: Database, printed: Printed) -> Database:
    return replace(
        db,
        tables=tuple(_table(t, printed) for t in db.tables),
        domains=tuple(_domain(d, printed) for d in db.domains),
        expressions_canonical=True,
    )


def _table(table: Table, printed: Printed) -> Table:
    key = (table.schema, table.name)
    return replace(
        table,
        columns=tuple(_column(key, c, printed) for c in table.columns),
        check_constraints=tuple(
            replace(c, expression=printed.checks.get((*key, c.name), c.expression))
            for c in table.check_constraints
        ),
        indexes=tuple(_index(table.schema, i, printed) for i in table.indexes),
    )


def _column(table: tuple[str, str], column: Column, printed: Printed) -> Column:
    key = (*table, column.name)
    changes: dict[str, object] = {}
    if column.default is not None:
        changes["default"] = printed.defaults.get(key, column.default)
    if column.generated is not None:
        expression = printed.generated.get(key, column.generated.expression)
        changes["generated"] = Generated(expression=expression, kind=column.generated.kind)
    return replace(column, **changes) if changes else column  # type: ignore[arg-type]


def _index(schema: str, index: Index, printed: Printed) -> Index:
    found = printed.indexes.get((schema, index.name))
    if found is None:
        return index
    keys, predicate = found
    # The server also decides what a key is: ``text("placed_at DESC")`` is a column key.
    keys = tuple(replace(new, collation=old.collation) for new, old in zip(keys, index.keys, strict=False))
    return replace(index, keys=keys, predicate=predicate)


def _domain(domain: Domain, printed: Printed) -> Domain:
    key = domain.key
    default = printed.domain_defaults.get(key, domain.default) if domain.default is not None else None
    checks = tuple(
        replace(c, expression=printed.domain_checks.get((*key, c.name), c.expression)) for c in domain.checks
    )
    return replace(domain, default=default, checks=checks)
