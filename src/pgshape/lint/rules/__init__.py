"""Rule modules, one per group; importing this package registers every rule.

Modules are discovered rather than listed, so a new group is one new file.
"""

from __future__ import annotations

import importlib
import pkgutil

for _module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if not _module.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_module.name}")
