"""Expected errors: each becomes one clear line and exit code 2 at the CLI boundary."""

from __future__ import annotations


class PgshapeError(Exception):
    """An expected failure the user can act on (bad input, unreachable server, ...).

    ``location`` is ``file[:line[:column]]`` when known; the CLI prints ``location: message``.
    """

    def __init__(self, message: str, *, location: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class InputError(PgshapeError):
    """The input (file, module, URL, option) cannot be used."""


class ServerError(PgshapeError):
    """PostgreSQL could not be started or reached."""
