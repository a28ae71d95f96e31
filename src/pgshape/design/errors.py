"""Errors of a design file: one line naming the file, line, column and the key path."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from pgshape.errors import InputError


class DesignError(InputError):
    """A design-file error at a key path; the loader turns the path into file:line:column."""

    def __init__(self, message: str, path: Sequence[str | int] = ()) -> None:
        super().__init__(message)
        self.path = tuple(path)


def closest(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` or nothing."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""
