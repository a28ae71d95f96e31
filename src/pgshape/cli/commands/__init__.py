"""One module per command; importing a module registers its command on the app."""

from __future__ import annotations

import importlib

_COMMANDS = ("verify", "inspect", "dump", "server")


def register_all() -> None:
    for name in _COMMANDS:
        importlib.import_module(f"pgshape.cli.commands.{name}")
