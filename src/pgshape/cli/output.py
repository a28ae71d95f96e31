"""Consoles, progress and file output shared by the commands."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from pgshape.errors import InputError


@dataclass
class Settings:
    """Global options (set by the top-level callback)."""

    debug: bool = False
    color: str = "auto"
    stdout: Console = field(default_factory=lambda: Console(highlight=False))
    stderr: Console = field(default_factory=lambda: Console(stderr=True, highlight=False))

    def configure(self, *, debug: bool, color: str) -> None:
        self.debug = debug
        self.color = color
        force = {"always": True, "never": False}.get(color)
        no_color = color == "never" or (color == "auto" and bool(os.environ.get("NO_COLOR")))
        self.stdout = Console(highlight=False, force_terminal=force, no_color=no_color, soft_wrap=True)
        self.stderr = Console(
            stderr=True, highlight=False, force_terminal=force, no_color=no_color, soft_wrap=True
        )


settings = Settings()


def warn(message: str) -> None:
    settings.stderr.print(f"[yellow]warning:[/] {message}", markup=True, highlight=False)


@contextlib.contextmanager
def progress(message: str) -> Iterator[Callable[[str], None]]:
    """A spinner on stderr (only on a terminal) whose text follows the work's progress."""
    console = settings.stderr
    if not console.is_terminal:
        yield lambda _message: None
        return
    with console.status(message) as status:
        yield lambda text: status.update(f"{message}: {text}")


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_output(path: str | None, text: str, *, force: bool) -> None:
    """Print to stdout, or write ``path`` atomically (never overwriting without ``force``)."""
    if path is None or path == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    _write_atomically(Path(path), text.encode("utf-8"), force=force)


def write_output_bytes(path: str | None, data: bytes, *, force: bool, what: str = "output") -> None:
    """Binary counterpart of :func:`write_output` (e.g. PNG); refuses to print to a terminal."""
    if path is None or path == "-":
        if sys.stdout.isatty():
            raise InputError(f"{what} is binary: pass -o FILE (or redirect stdout)")
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    _write_atomically(Path(path), data, force=force)


def _write_atomically(target: Path, data: bytes, *, force: bool) -> None:
    if target.exists() and not force:
        raise InputError("file exists; pass --force to overwrite it", location=str(target))
    if not target.parent.exists():
        raise InputError("directory does not exist", location=str(target.parent))
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        # mkstemp makes the file private (0600); give it the mode a plain open() would have.
        os.fchmod(handle, 0o666 & ~_umask())
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
