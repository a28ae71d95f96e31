"""Readings of tables shared by the CON/TS/SD/SEC/NF/DOC/PART/SM rules (pure, no I/O).

Kept apart from :mod:`pgshape.lint.helpers` (shared by every group) because these encode the
judgements of these groups: which tables are lookups or append-only logs, which column marks a
soft delete, how a table maps back to its SQLModel class.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pgshape.lint.config import LintConfig
from pgshape.lint.core import LintContext
from pgshape.lint.helpers import is_link_table as _is_link_table
from pgshape.lint.helpers import is_texty, is_timestamp
from pgshape.model import Column, Table
from pgshape.sources.python_facts_extra import ClassFact, SourceFacts

CREATED_NAMES = frozenset(
    {
        "created_at",
        "created",
        "created_on",
        "inserted_at",
        "creation_date",
        "creation_time",
        "date_created",
        "created_ts",
    }
)
UPDATED_NAMES = frozenset(
    {
        "updated_at",
        "updated",
        "updated_on",
        "modified_at",
        "modified",
        "modified_on",
        "last_modified",
        "last_modified_at",
        "last_update",
        "last_updated",
        "last_updated_at",
        "changed_at",
        "date_modified",
        "updated_ts",
    }
)
SOFT_DELETE_NAMES = ("deleted_at", "deleted_on", "removed_at", "archived_at")

# Tables that only ever receive inserts: logs, events, audits, history, outbox.
_APPEND_ONLY = re.compile(
    r"(^|_)(log|logs|event|events|audit|audits|history|histories|journal|outbox|ledger|receipt|receipts"
    r"|snapshot|snapshots|stat|stats|metric|metrics)($|_)"
)


def created_column(table: Table) -> Column | None:
    return next((c for c in table.columns if c.name in CREATED_NAMES), None)


def updated_column(table: Table) -> Column | None:
    return next((c for c in table.columns if c.name in UPDATED_NAMES), None)


def key_columns(table: Table) -> set[str]:
    return set(table.primary_key.columns) if table.primary_key else set()


def foreign_key_columns(table: Table) -> set[str]:
    return {c for fk in table.foreign_keys for c in fk.columns}


def unique_column_sets(table: Table) -> list[tuple[str, ...]]:
    sets = [u.columns for u in table.unique_constraints]
    sets += [tuple(c for c in i.columns if c) for i in table.indexes if i.unique and i.predicate is None]
    return sets


def data_columns(table: Table) -> list[Column]:
    """Columns that hold the row's own facts: not key, not FK, not bookkeeping timestamps."""
    skip = key_columns(table) | foreign_key_columns(table)
    return [
        c
        for c in table.columns
        if c.name not in skip and c.name not in CREATED_NAMES and c.name not in UPDATED_NAMES
    ]


def is_lookup_table(table: Table) -> bool:
    """A small code list (genre, media_type, country): a key and one or two descriptive columns,
    at least one of them (or the key itself) a natural key."""
    own = data_columns(table)
    if len(own) > 2 or table.foreign_keys:
        return False
    if not own:
        return True
    uniques = {cols[0] for cols in unique_column_sets(table) if len(cols) == 1}
    # A code as key (country 'NO', currency 'EUR') marks a code list.
    natural_pk = table.primary_key is not None and all(
        (c := table.column(name)) is not None and is_texty(c) for name in table.primary_key.columns
    )
    return natural_pk or any(c.name in uniques for c in own) or len(own) == 1


def is_link_table(table: Table) -> bool:
    """A many-to-many link, also when it carries bookkeeping timestamps under another name
    (pagila's ``film_actor(actor_id, film_id, last_update)``)."""
    if _is_link_table(table):
        return True
    if len(table.foreign_keys) < 2:
        return False
    bookkeeping = foreign_key_columns(table) | key_columns(table) | CREATED_NAMES | UPDATED_NAMES
    return all(name in bookkeeping for name in table.column_names)


def is_append_only(table: Table) -> bool:
    return bool(_APPEND_ONLY.search(table.name))


def needs_timestamps(table: Table) -> bool:
    """Tables a reviewer expects created_at on: not links, lookups or partitions."""
    return not (is_link_table(table) or is_lookup_table(table) or table.partition_of is not None)


def soft_delete_column(table: Table) -> Column | None:
    found = [c for c in table.columns if c.name in SOFT_DELETE_NAMES]
    found.sort(key=lambda c: SOFT_DELETE_NAMES.index(c.name))
    return next((c for c in found if is_timestamp(c) or c.type == "date"), None)


def mentions_live_rows(predicate: str | None, column: str) -> bool:
    """``WHERE deleted_at IS NULL`` (as PostgreSQL prints it, or as written by hand)."""
    if not predicate:
        return False
    return re.search(rf'"?\b{re.escape(column)}\b"?\s+IS\s+NULL', predicate, re.IGNORECASE) is not None


def mentions_column(expression: str, column: str) -> bool:
    return re.search(rf'(?<![\w$])"?{re.escape(column)}"?(?![\w$])', expression) is not None


def derived_name(base: str, suffix: str = "", prefix: str = "") -> str:
    """``prefix + base + suffix`` within PostgreSQL's 63 bytes, shortening ``base`` (never cutting
    a character in half), so a name made for a fix is never silently truncated onto another."""
    budget = 63 - len((prefix + suffix).encode())
    kept = ""
    for char in base:
        if len((kept + char).encode()) > budget:
            break
        kept += char
    return f"{prefix}{kept}{suffix}"


@lru_cache(maxsize=65536)
def _matches_patterns(patterns: tuple[str, ...], name: str) -> bool:
    # Column names repeat across tables (id, email, token): decide each name once per run.
    return LintConfig(sensitive_columns=patterns).is_sensitive(name)


def is_sensitive(context: LintContext, name: str) -> bool:
    return _matches_patterns(tuple(context.config.sensitive_columns), name)


def is_pii(context: LintContext, name: str) -> bool:
    return _matches_patterns(tuple(context.config.pii_columns), name)


def words(name: str) -> list[str]:
    return [w for w in name.lower().split("_") if w]


# --- Python sources ----------------------------------------------------------------------------


def source_facts(context: LintContext) -> SourceFacts | None:
    """The AST-level facts of a Python source (see ``pgshape.sources.python_facts_extra``)."""
    found = getattr(context.python, "source", None)
    return found if isinstance(found, SourceFacts) else None


def class_of(context: LintContext, table: Table) -> ClassFact | None:
    """The SQLModel class behind ``table`` in a Python source, if any."""
    facts = source_facts(context)
    if facts is None:
        return None
    if context.python is not None:
        for model in context.python.models:
            if model.table == table.key:
                found = facts.find(model.class_name.rpartition(".")[2])
                if found is not None:
                    return found
    return facts.class_for_table(table.name)
