"""The project's configuration file: the nearest ``pyproject.toml`` and its ``[tool.pgshape]``.

One reader for every command that is configured there (lint, erd), so they find the same file
and report a broken one the same way.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from pgshape.errors import InputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` in ``start`` or one of its parents."""
    for directory in [start, *start.parents]:
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def read_toml(path: Path) -> dict[str, Any]:
    """The whole TOML document; a syntax error is an input error naming the file."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"invalid TOML: {error}", location=str(path)) from None


def pgshape_table(document: dict[str, Any]) -> Any:
    """``[tool.pgshape]`` of a pyproject document as written (callers check its shape), or None."""
    return document.get("tool", {}).get("pgshape")


_LOWER_BOUND = re.compile(r"(>=|~=|==)\s*3\.(\d+)")


def python_lower_bound(document: dict[str, Any]) -> tuple[int, int] | None:
    """The oldest Python 3 the project supports, from ``[project] requires-python``.

    Read the way ruff infers its target version: the smallest ``3.N`` that a ``>=``, ``~=`` or
    ``==`` clause allows. Anything else (no field, an unusual specifier) gives None.
    """
    spec = document.get("project", {}).get("requires-python")
    if not isinstance(spec, str):
        return None
    minors = [int(minor) for _, minor in _LOWER_BOUND.findall(spec)]
    return (3, min(minors)) if minors else None
