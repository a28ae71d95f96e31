"""The model as its versioned JSON document (read back by ``sources.ir_json``)."""

from __future__ import annotations

import json

from pgshape.model import Database
from pgshape.model.serialize import to_document


def render(database: Database) -> str:
    return json.dumps(to_document(database), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
