"""An IR dump (``pgshape dump --format json``) as a source."""

from __future__ import annotations

import json
from pathlib import Path

from pgshape.errors import InputError
from pgshape.model import Database
from pgshape.model.serialize import IRFormatError, from_document


def load(path: str | Path) -> Database:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file", location=str(path)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read: {error}", location=str(path)) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"invalid JSON: {error.msg}", location=f"{path}:{error.lineno}:{error.colno}"
        ) from None
    try:
        return from_document(document)
    except IRFormatError as error:
        raise InputError(str(error), location=str(path)) from None
