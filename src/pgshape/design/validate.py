"""pydantic validation of a design file, with each error turned into one located line.

pydantic reports every problem; a person (or an agent) fixes the first one best, so the most
specific error is chosen — the one deepest in the file, preferring an unknown key or a missing
one over "should be a string" noise from the alternatives of a short form — and located at its
key with ``file:line:column``. Unknown keys come with the closest valid key.
"""

from __future__ import annotations

import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from pgshape.design.errors import DesignError, closest
from pgshape.design.positions import Positions, dotted
from pgshape.design.spec import DesignSpec

_NOISE = {
    "dict_type",
    "model_type",
    "model_attributes_type",
    "string_type",
    "bool_type",
    "list_type",
    "literal_error",
    "is_instance_of",
    "union_tag_invalid",
    "bool_parsing",
    "int_type",
}


def validate(data: Any, positions: Positions) -> DesignSpec:
    if not isinstance(data, dict):
        raise DesignError("a design file is a mapping with `version: 1` and `tables:`", ())
    if "version" not in data:
        raise DesignError("missing `version: 1` at the top of the design file", ())
    try:
        return DesignSpec.model_validate(data)
    except ValidationError as error:
        raise _first(error, data) from None


def _data_path(loc: Sequence[int | str], data: Any) -> tuple[tuple[str | int, ...], bool]:
    """The part of pydantic's ``loc`` that is a path in the data (union member tags such as
    ``ColumnSpec`` or ``str`` are dropped), and whether the whole path exists."""
    path: list[str | int] = []
    node = data
    exists = True
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and part < len(node)
        ):
            path.append(part)
            node = node[part]
        elif isinstance(node, (dict, list)) and exists and not _is_tag(part):
            path.append(part)  # a missing key: still part of the path
            exists = False
        else:
            continue
    return tuple(path), exists


def _is_tag(part: int | str) -> bool:
    return isinstance(part, str) and (
        part[:1].isupper()
        or part in {"str", "bool", "int", "float", "list[str]", "function-after", "literal"}
    )


def _score(err: Any, data: Any) -> tuple[int, int, int]:
    path, _ = _data_path(err["loc"], data)
    return (len(path), 0 if err["type"] in _NOISE else 1, -len(err["loc"]))


def _first(error: ValidationError, data: Any) -> DesignError:
    errors = error.errors(include_url=False)
    best = max(errors, key=lambda e: _score(e, data))
    path, exists = _data_path(best["loc"], data)
    kind = best["type"]
    where = dotted(path)
    if kind == "extra_forbidden":
        key = str(path[-1])
        allowed = allowed_keys(best["loc"][:-1])
        return DesignError(f"{where}: unknown key {key!r}{closest(key, allowed)}", path)
    if kind == "missing":
        parent = path[:-1] if not exists else path
        return DesignError(f"{dotted(parent)}: missing required key {str(path[-1])!r}", parent)
    message = best["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    value = best.get("input")
    shown = f" (got {value!r})" if isinstance(value, (str, int, float, bool)) else ""
    return DesignError(f"{where}: {message}{shown}", path)


def _models_of(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models an annotation may hold (through unions, lists and dicts)."""
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found = []
    for arg in typing.get_args(annotation) if origin is not None else ():
        found += _models_of(arg)
    return found


def allowed_keys(loc: Sequence[int | str]) -> list[str]:
    """The keys valid at pydantic location ``loc`` (for suggesting the closest one)."""
    models: list[type[BaseModel]] = [DesignSpec]
    for part in loc:
        if isinstance(part, int) or _is_tag(part):
            continue
        next_models: list[type[BaseModel]] = []
        for model in models:
            for name, info in model.model_fields.items():
                if part in (name, info.alias):
                    next_models += _models_of(info.annotation)
        if not next_models:  # a mapping key (table name, column name…): stay on the values' model
            continue
        models = next_models
    keys: list[str] = []
    for model in models:
        keys += [info.alias or name for name, info in model.model_fields.items() if name != "text"]
    return keys
