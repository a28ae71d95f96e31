"""The versioned JSON form of the model (``pgshape dump --format json``).

Conversion is done by pydantic's TypeAdapter, which understands the frozen dataclasses and
their tuples; this module only adds the envelope with a format version.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from pgshape.model.database import Database

FORMAT = "pgshape-ir"
VERSION = 1


class IRFormatError(ValueError):
    """The document is not a pgshape IR dump this version can read."""


@cache
def _adapter() -> TypeAdapter[Database]:
    return TypeAdapter(Database)


def to_document(database: Database) -> dict[str, Any]:
    body = _adapter().dump_python(database, mode="json")
    body["expressions_canonical"] = database.expressions_canonical
    return {"format": FORMAT, "version": VERSION, "database": body}


def from_document(document: Any) -> Database:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise IRFormatError(f'not a pgshape IR document (expected "format": "{FORMAT}")')
    version = document.get("version")
    if version != VERSION:
        raise IRFormatError(f"IR format version {version!r} is not supported (this pgshape reads {VERSION})")
    try:
        return _adapter().validate_python(document.get("database", {}))
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise IRFormatError(f"invalid IR at {where}: {first['msg']}") from None
