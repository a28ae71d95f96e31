"""Example schemas bundled with pgshape (``--example NAME``)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from pgshape.errors import InputError

EXAMPLES = {"blog": "blog.sql"}


def example_path(name: str) -> Path:
    if name not in EXAMPLES:
        raise InputError(f"unknown example {name!r}; available: {', '.join(sorted(EXAMPLES))}")
    return Path(str(files("pgshape.examples") / EXAMPLES[name]))
