"""A live database as a source: introspected in a read-only transaction, nothing written."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pgshape.model import Database
from pgshape.pg.introspect import introspect
from pgshape.sources.partition_names import own_names_warning


def load(
    url: str,
    *,
    schemas: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
    warn: Callable[[str], None] | None = None,
) -> Database:
    database = introspect(url, schemas=schemas, progress=progress)
    if warn is not None and (message := own_names_warning(url, schemas)):
        warn(message)
    return database
