"""A live database as a source: introspected in a read-only transaction, nothing written."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pgshape.model import Database
from pgshape.pg.introspect import introspect


def load(
    url: str,
    *,
    schemas: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> Database:
    return introspect(url, schemas=schemas, progress=progress)
