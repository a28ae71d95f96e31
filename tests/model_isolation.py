"""Importing model modules inside the test process without leaking into other tests.

SQLModel keeps one process-wide registry and MetaData, and Python caches imported modules: a
test that runs ``pgshape … models.py`` in-process would leave its classes (``Post``,
``PostTagLink`` …) registered, and a later test in the same worker importing another module
with the same class names fails ("Table … is already defined", "Class … is not mapped").
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def isolated_models(directory: Path) -> Iterator[None]:
    """A fresh SQLModel registry for the block; modules imported from ``directory`` are
    forgotten and the global registry and MetaData restored afterwards."""
    from sqlalchemy.orm import registry
    from sqlmodel import SQLModel

    old_registry, old_metadata = SQLModel._sa_registry, SQLModel.metadata  # type: ignore[attr-defined]
    naming = dict(old_metadata.naming_convention)
    fresh = registry()
    SQLModel._sa_registry = fresh  # type: ignore[attr-defined]
    SQLModel.metadata = fresh.metadata
    try:
        yield
    finally:
        SQLModel._sa_registry = old_registry  # type: ignore[attr-defined]
        SQLModel.metadata = old_metadata
        old_metadata.naming_convention = naming
        fresh.dispose()
        root = directory.resolve()
        for name, module in list(sys.modules.items()):
            file = getattr(module, "__file__", None)
            if file and Path(file).resolve().is_relative_to(root):
                del sys.modules[name]
