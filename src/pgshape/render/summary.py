"""A summary of a model: counts, and one row of facts per table (``pgshape inspect``)."""

from __future__ import annotations

from typing import Any

from pgshape.model import Database, Table


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def counts(database: Database) -> dict[str, int]:
    tables = database.tables
    return {
        "schemas": len(database.schema_names),
        "tables": len(tables),
        "columns": sum(len(t.columns) for t in tables),
        "foreign_keys": sum(len(t.foreign_keys) for t in tables),
        "indexes": sum(len(t.indexes) for t in tables) + sum(len(v.indexes) for v in database.views),
        "views": len(database.views),
        "enums": len(database.enums),
        "domains": len(database.domains),
        "composite_types": len(database.composite_types),
        "sequences": len(database.sequences),
        "functions": len(database.functions),
        "triggers": sum(len(t.triggers) for t in tables),
        "policies": sum(len(t.policies) for t in tables),
        "extensions": len(database.extensions),
    }


def counts_line(database: Database) -> str:
    numbers = counts(database)
    words = [
        ("tables", "table"),
        ("columns", "column"),
        ("foreign_keys", "foreign key"),
        ("indexes", "index"),
        ("views", "view"),
        ("enums", "enum"),
        ("functions", "function"),
    ]
    parts = [_plural(numbers[key], word) for key, word in words if numbers[key] or key == "tables"]
    return ", ".join(parts).replace("indexs", "indexes")


def qualified_name(schema: str, name: str) -> str:
    return name if schema == "public" else f"{schema}.{name}"


def table_facts(table: Table) -> dict[str, Any]:
    return {
        "name": f"{table.schema}.{table.name}",
        "kind": "partitioned" if table.is_partitioned else "partition" if table.is_partition else "table",
        "columns": [
            {"name": c.name, "type": c.type, "nullable": c.nullable, "default": c.default}
            for c in table.columns
        ],
        "primary_key": list(table.primary_key.columns) if table.primary_key else None,
        "foreign_keys": [
            {
                "name": fk.name,
                "columns": list(fk.columns),
                "references": f"{fk.referenced_schema}.{fk.referenced_table}",
                "referenced_columns": list(fk.referenced_columns),
                "on_delete": fk.on_delete,
            }
            for fk in table.foreign_keys
        ],
        "unique_constraints": [u.name for u in table.unique_constraints],
        "check_constraints": [c.name for c in table.check_constraints],
        "indexes": [i.name for i in table.indexes],
        "triggers": [t.name for t in table.triggers],
        "rls_enabled": table.rls_enabled,
        "comment": table.comment,
    }


def summary_document(database: Database) -> dict[str, Any]:
    return {
        "totals": counts(database),
        "tables": [table_facts(t) for t in database.tables],
        "views": [
            {"name": f"{v.schema}.{v.name}", "materialized": v.materialized, "columns": len(v.columns)}
            for v in database.views
        ],
    }
