"""Any schema model → a design file (YAML) that loads back to the same model.

The file is explicit where the friendly syntax would add defaults: the project section turns
the surrogate key, timestamps, foreign-key indexes and the strict checks off, every constraint
and index carries its real name, and what the friendly syntax cannot say is written as
PostgreSQL prints it (function, trigger and view bodies, exclusion constraints, partition
bounds). Short forms are used where they are exact, so the file stays readable.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from pgshape.model import (
    Column,
    Database,
    ForeignKey,
    Index,
    IndexKey,
    Table,
    Trigger,
    View,
)

HEADER = (
    "# pgshape design file, written by `pgshape dump --format yaml`.\n"
    "# It describes an existing schema exactly: project defaults are off and every name is explicit.\n"
    "# JSON Schema for editors: `pgshape schema-json -o pgshape.schema.json`\n"
    "# yaml-language-server: $schema=pgshape.schema.json\n"
)

# Words the short column form reads as flags; a type ending in one needs the mapping form.
_FLAG_WORDS = {"unique", "index", "pk", "null", "nullable", "references"}


def render(database: Database) -> str:
    return HEADER + yaml.dump(
        design_document(database), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
    )


def design_document(database: Database) -> dict[str, Any]:
    keys = _Keys(database)
    doc: dict[str, Any] = {
        "version": 1,
        "project": {
            "primary_key": "none",
            "timestamps": False,
            "index_foreign_keys": False,
            "strict": False,
            # the design keys of checks are their full names
            "naming": {"check": "%(name)s"},
        },
    }
    if database.schemas:
        doc["schemas"] = {s.name: s.comment for s in database.schemas}
    if database.extensions:
        doc["extensions"] = [_compact({"name": e.name, "schema": e.schema}) for e in database.extensions]
    if database.enums:
        doc["enums"] = {
            keys.key(e.schema, e.name): _named(
                keys, e.schema, e.name, {"values": list(e.labels), "comment": e.comment}
            )
            for e in database.enums
        }
    if database.domains:
        doc["domains"] = {
            keys.key(d.schema, d.name): _named(
                keys,
                d.schema,
                d.name,
                {
                    "type": d.base_type,
                    "nullable": None if d.nullable else False,
                    "default": d.default,
                    "collation": d.collation,
                    "checks": {c.name: _check(c) for c in d.checks} or None,
                    "comment": d.comment,
                },
            )
            for d in database.domains
        }
    if database.composite_types:
        doc["composite_types"] = {
            keys.key(c.schema, c.name): _named(
                keys,
                c.schema,
                c.name,
                {
                    "attributes": {a.name: a.type for a in c.attributes},
                    "collations": {a.name: a.collation for a in c.attributes if a.collation} or None,
                    "comment": c.comment,
                },
            )
            for c in database.composite_types
        }
    if database.sequences:
        doc["sequences"] = {
            keys.key(s.schema, s.name): _named(
                keys,
                s.schema,
                s.name,
                {
                    "type": None if s.type == "bigint" else s.type,
                    "start": None if s.start == 1 else s.start,
                    "increment": None if s.increment == 1 else s.increment,
                    "min_value": s.min_value,
                    "max_value": s.max_value,
                    "cache": None if s.cache == 1 else s.cache,
                    "cycle": s.cycle or None,
                    "owned_by": ".".join(s.owned_by) if s.owned_by else None,
                    "comment": s.comment,
                },
            )
            for s in database.sequences
        }
    if database.tables:
        doc["tables"] = {keys.key(t.schema, t.name): _table(keys, t) for t in database.tables}
    if database.views:
        doc["views"] = {keys.key(v.schema, v.name): _view(keys, v) for v in database.views}
    if database.functions:
        doc["functions"] = [
            _compact(
                {
                    "schema": f.schema,
                    "name": f.name,
                    "arguments": f.arguments,
                    "kind": f.kind,
                    "returns": f.returns,
                    "language": f.language,
                    "security_definer": f.security_definer,
                    "volatility": f.volatility,
                    "config": list(f.config),
                    "depends_on": [f"{s}.{n}" for s, n in f.depends_on] or None,
                    "comment": f.comment,
                    "sql": f.definition,
                },
                keep={"arguments", "config", "security_definer"},
            )
            for f in database.functions
        ]
    return doc


class _Keys:
    """Mapping keys for named objects: ``name`` in the default schema, ``schema.name`` elsewhere;
    objects whose name holds a dot get explicit ``name``/``schema`` keys."""

    def __init__(self, database: Database) -> None:
        self.default = "public"
        self.database = database

    def plain(self, schema: str, name: str) -> bool:
        return "." not in name and "." not in schema

    def key(self, schema: str, name: str) -> str:
        if not self.plain(schema, name):
            return f"{schema}.{name}"  # unique; the explicit name/schema keys say how to read it
        return name if schema == self.default else f"{schema}.{name}"

    def reference(self, schema: str, name: str) -> str:
        return self.key(schema, name)


def _named(keys: _Keys, schema: str, name: str, body: dict[str, Any]) -> dict[str, Any]:
    if not keys.plain(schema, name):
        body = {"name": name, "schema": schema, **body}
    return _compact(body, keep={"nullable"} if body.get("nullable") is False else None)


def _compact(body: dict[str, Any], keep: set[str] | None = None) -> dict[str, Any]:
    """Leave out keys whose value is the default (None, False, empty)."""
    keep = keep or set()
    return {k: v for k, v in body.items() if k in keep or not (v is None or v is False or v == [] or v == {})}


def _check(check: Any) -> Any:
    if check.validated and not getattr(check, "no_inherit", False) and check.comment is None:
        return check.expression
    return _compact(
        {
            "expression": check.expression,
            "not_valid": not check.validated,
            "no_inherit": getattr(check, "no_inherit", False),
            "comment": check.comment,
        }
    )


def _deferral(obj: Any) -> dict[str, Any]:
    if obj.deferrable is None:
        return {}
    return {"deferrable": True, "initially_deferred": obj.deferrable.initially_deferred}


def _column(column: Column) -> Any:
    type_words = column.type.split()
    short_ok = (
        column.default is None
        and column.identity is None
        and column.generated is None
        and column.collation is None
        and column.comment is None
        and not column.inherited
        and type_words
        and type_words[-1].lower() not in _FLAG_WORDS
        and not column.type.endswith("?")
    )
    if short_ok:
        return column.type + ("?" if column.nullable else "")
    identity = None
    if column.identity is not None:
        i = column.identity
        identity = _compact(
            {
                "always": i.always,
                "start": i.start,
                "increment": i.increment,
                "min_value": i.min_value,
                "max_value": i.max_value,
                "cache": i.cache,
                "cycle": i.cycle,
            },
            keep={"always"},
        )
    generated = None
    if column.generated is not None:
        generated = {"expression": column.generated.expression, "kind": column.generated.kind}
    return _compact(
        {
            "type": column.type,
            "nullable": column.nullable,
            "default": _default(column.default),
            "identity": identity,
            "generated": generated,
            "collation": column.collation,
            "comment": column.comment,
            "inherited": column.inherited,
        },
        keep=({"nullable"} if column.nullable else set())
        | ({"default"} if column.default is not None else set()),
    )


def _default(text: str | None) -> Any:
    """Integer and boolean defaults as YAML numbers and booleans (they load back to the same
    text); everything else stays text."""
    if text is None:
        return None
    if re.fullmatch(r"-?(0|[1-9][0-9]{0,17})", text):
        return int(text)
    return {"true": True, "false": False}.get(text, text)


def _foreign_key(keys: _Keys, fk: ForeignKey) -> dict[str, Any]:
    # Tables are looked up in the default schema (public) first, so it need not be spelled.
    reference = _compact(
        {
            "table": fk.referenced_table,
            "schema": None if fk.referenced_schema == keys.default else fk.referenced_schema,
            "columns": list(fk.referenced_columns),
        }
    )
    return _compact(
        {
            "name": fk.name,
            "columns": list(fk.columns),
            "references": reference,
            "on_delete": None if fk.on_delete == "NO ACTION" else fk.on_delete,
            "on_update": None if fk.on_update == "NO ACTION" else fk.on_update,
            "on_delete_columns": list(fk.on_delete_columns),
            "match": None if fk.match == "SIMPLE" else fk.match,
            **_deferral(fk),
            "not_valid": not fk.validated,
            "comment": fk.comment,
        }
    )


def _index_key(key: IndexKey, columns: set[str]) -> Any:
    plain = key.expression is None and not key.descending and key.nulls_first is None
    if plain and key.opclass is None and key.collation is None and key.column in columns:
        return key.column
    return _compact(
        {
            "column": key.column,
            "expression": key.expression,
            "desc": key.descending,
            "nulls_first": key.nulls_first,
            "opclass": key.opclass,
            "collation": key.collation,
        },
        keep={"nulls_first"} if key.nulls_first is not None else set(),
    )


def _index(index: Index, columns: set[str]) -> dict[str, Any]:
    return _compact(
        {
            "name": index.name,
            "columns": [_index_key(k, columns) for k in index.keys],
            "unique": index.unique,
            "method": None if index.method == "btree" else index.method,
            "where": index.predicate,
            "include": list(index.include),
            "nulls_not_distinct": index.nulls_not_distinct,
            "options": list(index.options),
            "comment": index.comment,
        }
    )


def _trigger(trigger: Trigger) -> dict[str, Any]:
    return _compact(
        {
            "name": trigger.name,
            "timing": trigger.timing,
            "events": list(trigger.events),
            "for_each_row": trigger.for_each_row,
            "function": trigger.function,
            "enabled": None if trigger.enabled == "ORIGIN" else trigger.enabled,
            "comment": trigger.comment,
            "sql": trigger.definition,
        },
        keep={"for_each_row"},
    )


def _table(keys: _Keys, table: Table) -> dict[str, Any]:
    names = set(table.column_names)
    pk = table.primary_key
    body: dict[str, Any] = {
        "comment": table.comment,
        "columns": {c.name: _column(c) for c in table.columns},
        "primary_key": None
        if pk is None
        else _compact(
            {
                "name": pk.name,
                "columns": list(pk.columns),
                "include": list(pk.include),
                **_deferral(pk),
                "comment": pk.comment,
            }
        ),
        "foreign_keys": [_foreign_key(keys, fk) for fk in table.foreign_keys],
        "unique": [
            _compact(
                {
                    "name": u.name,
                    "columns": list(u.columns),
                    "include": list(u.include),
                    "nulls_not_distinct": u.nulls_not_distinct,
                    **_deferral(u),
                    "comment": u.comment,
                }
            )
            for u in table.unique_constraints
        ],
        "checks": {c.name: _check(c) for c in table.check_constraints},
        "exclude": [
            _compact({"name": x.name, "definition": x.definition, **_deferral(x), "comment": x.comment})
            for x in table.exclusion_constraints
        ],
        "indexes": [_index(i, names) for i in table.indexes],
        "triggers": [_trigger(t) for t in table.triggers],
        "policies": {
            p.name: _compact(
                {
                    "command": None if p.command == "ALL" else p.command,
                    "permissive": None if p.permissive else False,
                    "roles": None if p.roles == ("public",) else list(p.roles),
                    "using": p.using,
                    "with_check": p.with_check,
                    "comment": p.comment,
                },
                keep={"permissive"} if not p.permissive else set(),
            )
            for p in table.policies
        },
        "rls": {"enabled": table.rls_enabled, "forced": table.rls_forced}
        if (table.rls_enabled or table.rls_forced or table.policies)
        else None,
        "unlogged": table.unlogged,
        "partition_by": table.partition_by,
        "partition_of": None
        if table.partition_of is None
        else {
            "table": table.partition_of.table,
            "schema": table.partition_of.schema,
            "bound": table.partition_of.bound,
        },
        "inherits": [keys.reference(s, n) for s, n in table.inherits],
        "options": list(table.options),
    }
    if table.columns == () and table.partition_of is None:
        body["columns"] = {}
    return _named(keys, table.schema, table.name, body)


def _view(keys: _Keys, view: View) -> dict[str, Any]:
    columns = {c.name: {"type": c.type, "comment": c.comment} if c.comment else c.type for c in view.columns}
    names = set(columns)
    return _named(
        keys,
        view.schema,
        view.name,
        {
            "materialized": view.materialized,
            "comment": view.comment,
            "columns": columns,
            "options": list(view.options),
            "depends_on": [f"{s}.{n}" for s, n in view.depends_on],
            "indexes": [_index(i, names) for i in view.indexes],
            "triggers": [_trigger(t) for t in view.triggers],
            "sql": view.definition,
        },
    )


class _Dumper(yaml.SafeDumper):
    """Multi-line text (function bodies, view definitions) as literal blocks; short lists and
    small mappings of plain values on one line (``columns: [a, b]``), as people write them."""


_FLOW_WIDTH = 80


def _short(value: Any) -> int | None:
    """The approximate one-line width of ``value``, or None when it should not be inlined."""
    if isinstance(value, str):
        return None if "\n" in value else len(value) + 2
    if isinstance(value, (bool, int, float)) or value is None:
        return 5
    if isinstance(value, list):
        widths = [_short(item) for item in value if not isinstance(item, (list, dict))]
        if len(widths) != len(value) or None in widths:
            return None
        return sum(w or 0 for w in widths) + 2 * len(value) + 2
    if isinstance(value, dict):
        widths = [_short(item) for item in value.values()]
        if None in widths:
            return None
        return sum(len(str(k)) + 2 + (w or 0) for k, w in zip(value, widths, strict=True)) + 2
    return None


# Characters YAML reads as line breaks (besides \n): in plain, single-quoted or block scalars
# they are folded or normalised on loading, so only a double-quoted (escaped) scalar keeps them.
_OTHER_BREAKS = frozenset("\r\x85\u2028\u2029")


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if _OTHER_BREAKS.intersection(value):
        style: str | None = '"'
    else:
        style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    width = _short(value)
    flow = width is not None and width <= _FLOW_WIDTH
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


def _mapping(dumper: yaml.SafeDumper, value: dict[str, Any]) -> yaml.MappingNode:
    width = _short(value)
    # Only small mappings of plain values (references, rls, identity) go on one line.
    flow = bool(value) and width is not None and width <= _FLOW_WIDTH and len(value) <= 4
    node = dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=flow)
    return node


_Dumper.add_representer(str, _text)
_Dumper.add_representer(list, _list)
_Dumper.add_representer(dict, _mapping)
