"""``timestamps``: created_at / updated_at on every chosen table, and the trigger that keeps
updated_at current.

The trigger fires only when the row really changed (``WHEN (OLD.* IS DISTINCT FROM NEW.*)``),
so a no-op UPDATE does not move updated_at. Columns that already exist are kept as declared;
the pattern only adds what is missing, so applying it twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pgshape.design.patterns.base import (
    Draft,
    PatternError,
    TableKey,
    is_link_table,
    timestamp_column,
    with_column,
)
from pgshape.design.patterns.routines import row_trigger, trigger_function
from pgshape.design.patterns.spec import TimestampsOptions
from pgshape.model import Function, Table

FUNCTION_NAME = "set_updated_at"
TRIGGER_NAME = "set_updated_at"
_BODY = """\
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;"""
_TIMESTAMPTZ = "timestamp with time zone"


@dataclass(frozen=True)
class Choice:
    tables: list[str] | None  # None: every table but link tables and excluded ones
    exclude: tuple[str, ...] = ()
    trigger: bool = True


def choice(value: bool | list[str] | TimestampsOptions | None, project_default: bool) -> Choice | None:
    """The design's ``timestamps`` value; absent falls back to the project setting."""
    if value is None:
        value = project_default
    if value is False:
        return None
    if value is True:
        return Choice(tables=None)
    if isinstance(value, list):
        return Choice(tables=value)
    return Choice(tables=value.tables, exclude=tuple(value.exclude), trigger=value.trigger)


def updated_at_function(schema: str) -> Function:
    return trigger_function(
        schema, FUNCTION_NAME, _BODY, comment="Keeps updated_at current: set by the BEFORE UPDATE triggers."
    )


def add_timestamps(draft: Draft, key: TableKey, *, trigger: bool = True) -> None:
    """created_at and updated_at (before a soft-delete column, if any) and the trigger."""
    table = draft.table(key)
    for name in ("created_at", "updated_at"):
        existing = table.column(name)
        if existing is None:
            table = with_column(table, timestamp_column(name), before="deleted_at")
        elif existing.type != _TIMESTAMPTZ:
            raise PatternError("timestamps", f"{key[0]}.{key[1]}.{name} is {existing.type}, not timestamptz")
    if trigger and all(t.name != TRIGGER_NAME for t in table.triggers):
        function = updated_at_function(draft.schema)
        draft.add_function(function)
        table = _with_trigger(table, function)
    draft.put(table)


def _with_trigger(table: Table, function: Function) -> Table:
    trigger = row_trigger(
        TRIGGER_NAME,
        table.key,
        function,
        timing="BEFORE",
        events=("UPDATE",),
        when="(old.* IS DISTINCT FROM new.*)",
    )
    return replace(table, triggers=(*table.triggers, trigger))


def apply(draft: Draft, chosen: Choice, *, skip: set[TableKey]) -> None:
    """``skip``: tables no default choice should touch (the audit log is append-only)."""
    excluded = set(draft.resolve("timestamps", chosen.exclude))
    if chosen.tables is not None:
        keys = draft.resolve("timestamps", chosen.tables)
    else:
        keys = [key for key, table in draft.tables.items() if not is_link_table(table) and key not in skip]
    for key in keys:
        if key not in excluded and not draft.table(key).is_partition:
            add_timestamps(draft, key, trigger=chosen.trigger)
