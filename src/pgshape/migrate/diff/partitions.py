"""Partitions of an existing partitioned table: attached, detached, or moved to a new bound.

New and dropped partitions are tables (``tables``): CREATE TABLE ... PARTITION OF and DROP
TABLE. Here a table that stays but gains, loses or changes its ``PARTITION OF`` is detached
and attached again (ATTACH checks the rows against the new bound).
"""

from __future__ import annotations

from collections.abc import Iterator

from pgshape.migrate.diff.context import Context
from pgshape.migrate.ops import AttachPartition, DetachPartition, Operation


def diff(ctx: Context) -> Iterator[Operation]:
    for before, after in ctx.common_tables:
        if before.partition_of == after.partition_of:
            continue
        if before.partition_of is not None:
            yield DetachPartition(before.key, before.partition_of)
        if after.partition_of is not None:
            yield AttachPartition(after.key, after.partition_of)
