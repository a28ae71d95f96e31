"""One module per command; importing a module registers its command on the app.

Modules are discovered rather than listed, so a new command is one new file. A module whose
name starts with ``_`` is a helper, not a command.
"""

from __future__ import annotations

import importlib
import pkgutil


def register_all() -> None:
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")
