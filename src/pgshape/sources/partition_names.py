"""Partitions whose copies of their parent's indexes have names of their own.

When a partition is created (``PARTITION OF``) or attached, PostgreSQL gives it a copy of each
index and key of the parent, named by ``ChooseIndexName``: ``<partition>_pkey``,
``<partition>_<columns>_key`` / ``_excl`` / ``_idx``. A partition built on its own and attached
later keeps the names it had. The model describes indexes on the parent only, so those names are
not carried over: a rebuild gives PostgreSQL's default names. This module finds the copies
whose names are not a default one, so that loading such a database can say so instead of
letting ``identical`` hide it. The default names come from ``pg_names`` (PostgreSQL's
``ChooseIndexName``, ported).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pgshape.pg.connect import connect
from pgshape.sources.pg_names import index_column_names, make_object_name, name_addition

_QUERY = """
SELECT pn.nspname AS schema, p.relname AS partition, ic.relname AS name,
       pin.nspname AS parent_schema, pic.relname AS parent_index,
       x.indisprimary AS is_primary,
       (SELECT c.contype FROM pg_catalog.pg_constraint c
        WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid
          AND c.contype IN ('p', 'u', 'x')) AS contype,
       ARRAY(SELECT COALESCE(a.attname, '')
             FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
             LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
             ORDER BY k.ord) AS columns
FROM pg_catalog.pg_inherits i
JOIN pg_catalog.pg_index x ON x.indexrelid = i.inhrelid
JOIN pg_catalog.pg_class ic ON ic.oid = x.indexrelid
JOIN pg_catalog.pg_class pic ON pic.oid = i.inhparent
JOIN pg_catalog.pg_namespace pin ON pin.oid = pic.relnamespace
JOIN pg_catalog.pg_class p ON p.oid = x.indrelid
JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
WHERE pn.nspname = ANY (%(schemas)s::text[]) OR %(schemas)s::text[] IS NULL
ORDER BY 1, 2, 3
"""


def default_names(partition: str, columns: Sequence[str], is_primary: bool, contype: str | None) -> set[str]:
    """The names PostgreSQL may choose for a partition's copy (with ``1``..``9`` appended to the
    label when a name is taken)."""
    if is_primary:
        name2, label = None, "pkey"
    else:
        # The index's column names, INCLUDE columns too; '' is an expression (``expr``).
        name2 = name_addition(index_column_names([column or None for column in columns]))
        label = {"u": "key", "x": "excl"}.get(contype or "", "idx")
    return {make_object_name(partition, name2, label + suffix) for suffix in ("", *map(str, range(1, 10)))}


def own_names(rows: Sequence[Any]) -> list[tuple[str, str, str, str]]:
    """(partition, its index, parent schema, parent index) of copies with a name of their own."""
    found = []
    for row in rows:
        if row.name not in default_names(row.partition, row.columns, row.is_primary, row.contype):
            found.append((f"{row.schema}.{row.partition}", row.name, row.parent_schema, row.parent_index))
    return found


def own_names_warning(url: str, schemas: Sequence[str] | None = None) -> str | None:
    """One line saying which partitions keep names of their own for their index copies, or None."""
    from psycopg.rows import namedtuple_row

    with connect(url, read_only=True) as conn, conn.cursor(row_factory=namedtuple_row) as cursor:
        cursor.execute(_QUERY, {"schemas": list(schemas) if schemas is not None else None})
        found = own_names(cursor.fetchall())
    if not found:
        return None
    partition, name, parent_schema, parent_index = found[0]
    count = len(found)
    what = "1 partition index copy has a name" if count == 1 else f"{count} partition index copies have names"
    more = f", and {count - 1} more" if count > 1 else ""
    return (
        f"{what} of their own ({name} on {partition}, the copy of {parent_schema}.{parent_index}{more}); "
        "the model keeps indexes on the parent only, so a rebuild gives them PostgreSQL's default names"
    )
