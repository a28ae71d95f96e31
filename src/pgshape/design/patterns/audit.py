"""``audit``: every INSERT, UPDATE and DELETE on the chosen tables is written to ``audit_log``.

One trigger function serves every audited table; each table's trigger passes its primary key
columns as arguments, so ``record_id`` holds the key (comma-separated when composite). The
function is SECURITY DEFINER so that application roles need no privilege on audit_log (they
cannot forge or erase its rows), and therefore runs with a fixed ``search_path`` and names
everything schema-qualified. ``actor`` is the ``app.current_actor`` setting, or the session
user when the application set none.
"""

from __future__ import annotations

from dataclasses import replace

from pgshape.design.patterns.base import (
    Draft,
    PatternError,
    TableKey,
    is_link_table,
    plain_index,
    timestamp_column,
)
from pgshape.design.patterns.routines import row_trigger, trigger_function
from pgshape.design.patterns.spec import AuditOptions
from pgshape.model import CheckConstraint, Column, Function, Identity, PrimaryKey, Table
from pgshape.render.identifiers import qualified, quote_literal

FUNCTION_NAME = "audit_row_change"
TRIGGER_NAME = "audit_row_change"
_AUDIT_COLUMNS = frozenset({"table_name", "record_id", "action", "old_data", "new_data", "actor"})


def choice(value: bool | list[str] | AuditOptions | None) -> AuditOptions | None:
    if value is None or value is False:
        return None
    if value is True:
        return AuditOptions()
    if isinstance(value, list):
        return AuditOptions(tables=value)
    return value


def create_audit_table(draft: Draft, options: AuditOptions) -> TableKey:
    key = draft.key_of(options.table)
    if key in draft.tables:
        # Applying the pattern again (to an already expanded model) reuses the audit table.
        if set(draft.table(key).column_names) >= _AUDIT_COLUMNS:
            return key
        raise PatternError(
            "audit", f"table {options.table!r} already exists; name the audit table with table:"
        )
    name = key[1]
    draft.put(
        Table(
            schema=key[0],
            name=name,
            columns=(
                Column(name="id", type="bigint", nullable=False, identity=Identity(always=True)),
                Column(
                    name="table_name", type="text", nullable=False, comment="schema.table of the changed row"
                ),
                Column(
                    name="record_id", type="text", nullable=False, comment="Primary key of the changed row"
                ),
                Column(name="action", type="text", nullable=False),
                Column(name="old_data", type="jsonb", comment="The row before UPDATE / DELETE"),
                Column(name="new_data", type="jsonb", comment="The row after INSERT / UPDATE"),
                Column(
                    name="actor",
                    type="text",
                    nullable=False,
                    comment="app.current_actor, else the session user",
                ),
                timestamp_column("created_at"),
            ),
            primary_key=PrimaryKey(name=draft.name("pk", name, ("id",)), columns=("id",)),
            check_constraints=(
                CheckConstraint(
                    name=draft.name("check", name, ("action",)),
                    expression="action IN ('INSERT', 'UPDATE', 'DELETE')",
                ),
            ),
            indexes=(
                plain_index(
                    draft.name("index", name, ("table_name", "record_id")), ("table_name", "record_id")
                ),
                # Append-only and written in time order: a BRIN index is tiny and enough.
                plain_index(draft.name("index", name, ("created_at",)), ("created_at",), method="brin"),
            ),
            comment="Append-only history of row changes, written by the audit_row_change trigger.",
        )
    )
    return key


def audit_function(schema: str, audit_table: TableKey, actor_setting: str) -> Function:
    body = f"""\
DECLARE
    old_row jsonb;
    new_row jsonb;
    record_key text;
    i integer;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        old_row := to_jsonb(OLD);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        new_row := to_jsonb(NEW);
    END IF;
    -- The trigger's arguments name the primary key columns of the audited table.
    FOR i IN 0 .. TG_NARGS - 1 LOOP
        record_key := concat_ws(',', record_key, COALESCE(new_row, old_row) ->> TG_ARGV[i]);
    END LOOP;
    INSERT INTO {qualified(*audit_table)} (table_name, record_id, action, old_data, new_data, actor)
    VALUES (TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, record_key, TG_OP, old_row, new_row,
            COALESCE(NULLIF(current_setting({quote_literal(actor_setting)}, true), ''), session_user));
    RETURN NULL;
END;"""
    return trigger_function(
        schema,
        FUNCTION_NAME,
        body,
        security_definer=True,
        search_path=("pg_catalog", "pg_temp"),
        comment=f"Writes one {audit_table[1]} row per changed row of the audited tables.",
    )


def apply(draft: Draft, options: AuditOptions, audit_table: TableKey) -> None:
    if options.tables is not None:
        keys = draft.resolve("audit", options.tables)
    else:
        keys = [
            key for key, table in draft.tables.items() if not is_link_table(table) and not table.is_partition
        ]
    function = audit_function(draft.schema, audit_table, options.actor_setting)
    draft.add_function(function)
    for key in keys:
        if key == audit_table:
            continue
        table = draft.table(key)
        if table.primary_key is None:
            raise PatternError("audit", f"{key[0]}.{key[1]} has no primary key to record")
        if any(t.name == TRIGGER_NAME for t in table.triggers):
            continue
        trigger = row_trigger(
            TRIGGER_NAME,
            key,
            function,
            timing="AFTER",
            events=("INSERT", "UPDATE", "DELETE"),
            arguments=table.primary_key.columns,
        )
        draft.put(replace(table, triggers=(*table.triggers, trigger)))
