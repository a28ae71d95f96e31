"""A deterministic, seeded generator of realistic PostgreSQL schemas for benchmarks.

    python benchmarks/synthetic.py --tables 500 > schema.sql
    python benchmarks/synthetic.py --tables 500 --seed 7 --schemas 3 --stats

The output is plain DDL that runs as one script on PostgreSQL 13+ (``gen_random_uuid()`` is in
core since 13). Each table has a bigint identity or uuid primary key and 5-15 columns of varied
types (text, varchar(n), numeric(p,s), timestamptz, jsonb, boolean, enum, arrays, ...), NOT NULL
columns with defaults, foreign keys to earlier tables (some composite, some ON DELETE CASCADE,
some self-references), unique and check constraints, indexes (plain, multi-column, partial,
expression, GIN), comments, and views over some tables (and a few views on views).

The same (tables, seed, schemas) always gives the same text: only a private ``random.Random``
is used, never hashing or the clock.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

NOUNS = (
    "account", "address", "invoice", "order", "product", "customer", "payment", "shipment",
    "ticket", "project", "task", "comment", "event", "device", "session", "document", "report",
    "warehouse", "supplier", "contract", "employee", "team", "region", "campaign", "coupon",
    "review", "category", "tag", "asset", "license", "plan", "subscription", "refund", "note",
    "message", "channel", "vendor", "batch", "lot", "route",
)  # fmt: skip

ENUM_WORDS = (
    "draft", "active", "pending", "archived", "closed", "open", "failed", "done", "paused",
    "new", "review", "approved", "rejected", "cancelled", "shipped", "returned",
)  # fmt: skip

# (column base name, type, nullable-default) choices for ordinary columns, by kind.
TEXT_NAMES = ("name", "title", "description", "notes", "summary", "label", "slug", "email", "url")
NUM_NAMES = ("amount", "price", "balance", "weight", "rate", "total", "discount")
INT_NAMES = ("quantity", "position", "attempts", "priority", "score", "version")
TS_NAMES = ("updated_at", "starts_at", "ends_at", "published_at", "deleted_at", "seen_at")
BOOL_NAMES = ("is_active", "is_public", "is_deleted", "verified", "archived")
JSON_NAMES = ("metadata", "settings", "payload", "attributes")
ARRAY_NAMES = ("tags", "aliases", "scores", "flags")
DATE_NAMES = ("due_on", "born_on", "valid_from", "valid_until")


@dataclass
class Stats:
    """What the generated script creates (to check that an introspection saw it all)."""

    schemas: int = 0
    enums: int = 0
    tables: int = 0
    columns: int = 0
    primary_keys: int = 0
    foreign_keys: int = 0
    composite_foreign_keys: int = 0
    self_references: int = 0
    unique_constraints: int = 0
    check_constraints: int = 0
    indexes: int = 0  # CREATE INDEX statements (not counting PK/unique-constraint indexes)
    views: int = 0
    views_on_views: int = 0
    comments: int = 0


@dataclass
class SyntheticSchema:
    sql: str
    stats: Stats
    table_names: list[str] = field(default_factory=list)  # qualified, in creation order
    view_names: list[str] = field(default_factory=list)


@dataclass
class _Table:
    schema: str
    name: str
    pk_type: str  # "bigint" or "uuid"
    keyed: bool  # has UNIQUE (tenant_id, code): target of composite FKs
    columns: list[tuple[str, str]] = field(default_factory=list)  # (name, type) of plain columns

    @property
    def qname(self) -> str:
        return f"{self.schema}.{self.name}"


def _schema_names(count: int) -> list[str]:
    return ["public"] + [f"app{n}" for n in range(1, count)]


def build(tables: int, *, seed: int = 0, schemas: int = 1) -> SyntheticSchema:
    """The script and the counts of what it creates."""
    if tables < 1:
        raise ValueError("tables must be at least 1")
    if schemas < 1:
        raise ValueError("schemas must be at least 1")
    rng = random.Random(seed)
    stats = Stats(schemas=schemas)
    out: list[str] = [f"-- pgshape synthetic schema: tables={tables} seed={seed} schemas={schemas}"]
    schema_names = _schema_names(schemas)
    for name in schema_names[1:]:
        out.append(f"CREATE SCHEMA {name};")

    # Enum types, all in the first schema.
    enums: list[tuple[str, list[str]]] = []
    for n in range(max(3, tables // 25)):
        labels = rng.sample(ENUM_WORDS, rng.randint(3, 6))
        enums.append((f"status_{n}", labels))
        quoted = ", ".join(f"'{label}'" for label in labels)
        out.append(f"CREATE TYPE public.status_{n} AS ENUM ({quoted});")
    stats.enums = len(enums)

    made: list[_Table] = []
    keyed: list[_Table] = []
    views: list[tuple[str, str, list[str]]] = []  # (qualified name, source table, columns)
    stacked: set[str] = set()  # views that already have a view on top
    result = SyntheticSchema(sql="", stats=stats)

    for i in range(tables):
        schema = schema_names[i % schemas]
        table = _Table(
            schema=schema,
            name=f"{NOUNS[i % len(NOUNS)]}_{i:05d}",
            pk_type="uuid" if rng.random() < 0.3 else "bigint",
            keyed=rng.random() < 0.15,
        )
        lines: list[str] = []
        after: list[str] = []  # indexes and comments
        used: set[str] = {"id"}

        def fresh(base: str, used: set[str] = used) -> str:
            name, k = base, 2
            while name in used:
                name, k = f"{base}_{k}", k + 1
            used.add(name)
            return name

        if table.pk_type == "uuid":
            lines.append("id uuid PRIMARY KEY DEFAULT gen_random_uuid()")
        else:
            how = "ALWAYS" if rng.random() < 0.5 else "BY DEFAULT"
            lines.append(f"id bigint GENERATED {how} AS IDENTITY PRIMARY KEY")
        stats.primary_keys += 1
        ncols = 1
        target = rng.randint(5, 15)
        fk_columns: list[str] = []
        constraints: list[str] = []

        if table.keyed:
            used.update({"tenant_id", "code"})
            lines.append("tenant_id bigint NOT NULL")
            lines.append("code varchar(32) NOT NULL")
            constraints.append(f"CONSTRAINT {table.name}_tenant_code_key UNIQUE (tenant_id, code)")
            stats.unique_constraints += 1
            table.columns += [("tenant_id", "bigint"), ("code", "varchar(32)")]
            ncols += 2

        # Foreign keys to earlier tables (single-column on the primary key).
        if made:
            for _ in range(rng.choice((0, 1, 1, 1, 2, 2, 3))):
                ref = (
                    made[rng.randrange(len(made))]
                    if rng.random() < 0.5
                    else made[-rng.randint(1, min(20, len(made)))]
                )
                col = fresh(ref.name.rsplit("_", 1)[0] + "_id")
                nullable = rng.random() < 0.4
                action = rng.choice(
                    (
                        "",
                        "",
                        " ON DELETE CASCADE",
                        " ON DELETE SET NULL" if nullable else "",
                        " ON DELETE RESTRICT",
                    )
                )
                lines.append(f"{col} {ref.pk_type}{'' if nullable else ' NOT NULL'}")
                constraints.append(
                    f"CONSTRAINT {table.name}_{col}_fkey FOREIGN KEY ({col}) "
                    f"REFERENCES {ref.qname} (id){action}"
                )
                fk_columns.append(col)
                ncols += 1
                stats.foreign_keys += 1
        # A composite foreign key to a keyed table.
        if keyed and rng.random() < 0.25:
            ref = keyed[rng.randrange(len(keyed))]
            a, b = fresh("ref_tenant_id"), fresh("ref_code")
            lines += [f"{a} bigint", f"{b} varchar(32)"]
            action = " ON DELETE CASCADE" if rng.random() < 0.3 else ""
            constraints.append(
                f"CONSTRAINT {table.name}_{b}_fkey FOREIGN KEY ({a}, {b}) "
                f"REFERENCES {ref.qname} (tenant_id, code){action}"
            )
            ncols += 2
            stats.foreign_keys += 1
            stats.composite_foreign_keys += 1
            after.append(f"CREATE INDEX {table.name}_{b}_idx ON {table.qname} ({a}, {b});")
            stats.indexes += 1
        # A self-reference (a tree).
        if rng.random() < 0.1:
            col = fresh("parent_id")
            lines.append(f"{col} {table.pk_type}")
            constraints.append(
                f"CONSTRAINT {table.name}_{col}_fkey FOREIGN KEY ({col}) "
                f"REFERENCES {table.qname} (id) ON DELETE CASCADE"
            )
            fk_columns.append(col)
            ncols += 1
            stats.foreign_keys += 1
            stats.self_references += 1

        # Ordinary columns.
        kinds = ("text", "varchar", "numeric", "int", "ts", "bool", "json", "enum", "array", "date")
        weights = (4, 3, 2, 2, 2, 2, 1, 2, 1, 1)
        created = False
        while ncols < target:
            kind = rng.choices(kinds, weights)[0]
            if not created:
                kind, created = "created", True
            definition, name = _column(rng, kind, fresh, enums)
            lines.append(definition)
            col_type = definition.split(" ", 1)[1]
            table.columns.append((name, col_type))
            ncols += 1
            if kind in ("numeric", "int") and rng.random() < 0.5:
                constraints.append(f"CONSTRAINT {table.name}_{name}_check CHECK ({name} >= 0)")
                stats.check_constraints += 1
            elif kind == "text" and rng.random() < 0.2:
                constraints.append(f"CONSTRAINT {table.name}_{name}_check CHECK (char_length({name}) > 0)")
                stats.check_constraints += 1
            elif kind == "varchar" and rng.random() < 0.25:
                constraints.append(f"CONSTRAINT {table.name}_{name}_key UNIQUE ({name})")
                stats.unique_constraints += 1
        stats.columns += ncols

        starts = [c for c, _ in table.columns if c.startswith("starts_at")]
        ends = [c for c, _ in table.columns if c.startswith("ends_at")]
        if starts and ends:
            constraints.append(f"CONSTRAINT {table.name}_period_check CHECK ({ends[0]} > {starts[0]})")
            stats.check_constraints += 1

        out.append(f"CREATE TABLE {table.qname} (\n    " + ",\n    ".join(lines + constraints) + "\n);")

        # Indexes: every FK column, then a random mix of other kinds.
        for col in fk_columns:
            after.append(f"CREATE INDEX {table.name}_{col}_idx ON {table.qname} ({col});")
            stats.indexes += 1
        after += _indexes(rng, table, stats)

        # Comments.
        if rng.random() < 0.6:
            after.append(f"COMMENT ON TABLE {table.qname} IS 'The {table.name.replace('_', ' ')} records.';")
            stats.comments += 1
        for col, _ in table.columns:
            if rng.random() < 0.15:
                after.append(f"COMMENT ON COLUMN {table.qname}.{col} IS 'The {col.replace('_', ' ')}.';")
                stats.comments += 1
        out += after

        made.append(table)
        if table.keyed:
            keyed.append(table)
        result.table_names.append(table.qname)
        stats.tables += 1

        # A view over some tables; a few views on views.
        if table.columns and rng.random() < 0.12:
            cols = ["id"] + [
                c for c, _ in rng.sample(table.columns, min(len(table.columns), rng.randint(1, 4)))
            ]
            flag = next((c for c, t in table.columns if t.split(" ", 1)[0] == "boolean"), None)
            where = f"\n  WHERE {flag}" if flag else ""
            vname = f"{table.schema}.v_{table.name}"
            out.append(f"CREATE VIEW {vname} AS\n  SELECT {', '.join(cols)}\n  FROM {table.qname}{where};")
            views.append((vname, table.qname, cols))
            result.view_names.append(vname)
            stats.views += 1
            candidates = [v for v in views[:-1] if v[0] not in stacked]
            if candidates and rng.random() < 0.2:
                base_name, _, base_cols = candidates[rng.randrange(len(candidates))]
                vv = base_name.replace(".v_", ".vv_")
                out.append(
                    f"CREATE VIEW {vv} AS\n  SELECT b.id, b.{base_cols[-1]}\n  FROM {base_name} b\n"
                    "  WHERE b.id IS NOT NULL;"
                )
                stacked.add(base_name)
                result.view_names.append(vv)
                stats.views += 1
                stats.views_on_views += 1

    result.sql = "\n".join(out) + "\n"
    return result


def _column(
    rng: random.Random, kind: str, fresh: Callable[[str], str], enums: list[tuple[str, list[str]]]
) -> tuple[str, str]:
    """One column definition (``name type [NOT NULL] [DEFAULT ...]``) and its name."""
    nn = rng.random() < 0.4
    if kind == "created":
        name = fresh("created_at")
        return f"{name} timestamptz NOT NULL DEFAULT now()", name
    if kind == "text":
        name = fresh(rng.choice(TEXT_NAMES))
        return f"{name} text{' NOT NULL' if nn else ''}", name
    if kind == "varchar":
        name = fresh(rng.choice(TEXT_NAMES))
        n = rng.choice((16, 32, 64, 100, 255))
        return f"{name} varchar({n}){' NOT NULL' if nn else ''}", name
    if kind == "numeric":
        name = fresh(rng.choice(NUM_NAMES))
        p = rng.choice((10, 12, 14, 18))
        s = rng.choice((0, 2, 4))
        default = " NOT NULL DEFAULT 0" if nn else ""
        return f"{name} numeric({p},{s}){default}", name
    if kind == "int":
        name = fresh(rng.choice(INT_NAMES))
        typ = rng.choice(("integer", "bigint", "smallint"))
        default = f" NOT NULL DEFAULT {rng.randint(0, 5)}" if nn else ""
        return f"{name} {typ}{default}", name
    if kind == "ts":
        name = fresh(rng.choice(TS_NAMES))
        return f"{name} timestamptz{' NOT NULL DEFAULT now()' if nn else ''}", name
    if kind == "bool":
        name = fresh(rng.choice(BOOL_NAMES))
        return f"{name} boolean NOT NULL DEFAULT {rng.choice(('true', 'false'))}", name
    if kind == "json":
        name = fresh(rng.choice(JSON_NAMES))
        default = " NOT NULL DEFAULT '{}'::jsonb" if nn else ""
        return f"{name} jsonb{default}", name
    if kind == "enum":
        enum, labels = enums[rng.randrange(len(enums))]
        name = fresh("status")
        default = f" NOT NULL DEFAULT '{labels[0]}'" if nn else ""
        return f"{name} public.{enum}{default}", name
    if kind == "array":
        name = fresh(rng.choice(ARRAY_NAMES))
        typ = "text[]" if name.startswith(("tags", "aliases")) else rng.choice(("integer[]", "boolean[]"))
        default = " NOT NULL DEFAULT '{}'" if nn else ""
        return f"{name} {typ}{default}", name
    if kind == "date":
        name = fresh(rng.choice(DATE_NAMES))
        return f"{name} date{' NOT NULL DEFAULT CURRENT_DATE' if nn else ''}", name
    raise ValueError(kind)


def _indexes(rng: random.Random, table: _Table, stats: Stats) -> list[str]:
    out: list[str] = []
    by_type: dict[str, list[str]] = {}
    for name, typ in table.columns:
        key = typ.split(" ", 1)[0]
        for prefix in ("varchar", "numeric", "public.status"):
            if key.startswith(prefix):
                key = prefix
        by_type.setdefault(key, []).append(name)
    q = table.qname
    t = table.name
    texts = by_type.get("text", []) + by_type.get("varchar", [])
    if texts and rng.random() < 0.3:  # expression index
        col = rng.choice(texts)
        out.append(f"CREATE INDEX {t}_lower_{col}_idx ON {q} (lower({col}));")
    gin = by_type.get("jsonb", []) + [c for k, v in by_type.items() if k.endswith("[]") for c in v]
    if gin and rng.random() < 0.6:  # GIN
        col = rng.choice(gin)
        out.append(f"CREATE INDEX {t}_{col}_gin ON {q} USING gin ({col});")
    ts = by_type.get("timestamptz", [])
    bools = by_type.get("boolean", [])
    if ts and bools and rng.random() < 0.5:  # partial
        out.append(f"CREATE INDEX {t}_{ts[-1]}_partial_idx ON {q} ({ts[-1]}) WHERE {bools[0]};")
    elif ts and rng.random() < 0.4:  # plain, descending
        out.append(f"CREATE INDEX {t}_{ts[-1]}_idx ON {q} ({ts[-1]} DESC);")
    scalar = [
        c for c, typ in table.columns if not typ.startswith(("jsonb", "text[]", "integer[]", "boolean[]"))
    ]
    if len(scalar) >= 2 and rng.random() < 0.3:  # multi-column
        a, b = rng.sample(scalar, 2)
        out.append(f"CREATE INDEX {t}_{a}_{b}_idx ON {q} ({a}, {b});")
    if by_type.get("public.status") and rng.random() < 0.3:
        col = by_type["public.status"][0]
        out.append(f"CREATE INDEX {t}_{col}_idx ON {q} ({col}) WHERE {col} IS NOT NULL;")
    stats.indexes += len(out)
    return out


def batches(script: str, statements: int = 2000) -> list[str]:
    """The script cut into pieces of at most ``statements`` statements each.

    One multi-statement execute runs in one implicit transaction, and a few thousand tables
    (each taking several locks) exceed PostgreSQL's default lock table ("out of shared memory",
    ``max_locks_per_transaction``). Loading large schemas in pieces avoids that. Every statement
    of the generated script ends a line with ``;`` and no literal contains ``;\n``.
    """
    parts = [p for p in script.split(";\n") if p.strip()]
    return [";\n".join(parts[i : i + statements]) + ";\n" for i in range(0, len(parts), statements)]


def generate(tables: int, *, seed: int = 0, schemas: int = 1) -> str:
    """SQL DDL for ``tables`` tables (deterministic for a given seed)."""
    return build(tables, seed=seed, schemas=schemas).sql


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=100, help="number of tables (default 100)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--schemas", type=int, default=1, help="number of schemas (default 1: public)")
    parser.add_argument("--stats", action="store_true", help="print the counts as JSON instead of the SQL")
    args = parser.parse_args(argv)
    result = build(args.tables, seed=args.seed, schemas=args.schemas)
    if args.stats:
        print(json.dumps(result.stats.__dict__, indent=2))
    else:
        sys.stdout.write(result.sql)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
