"""The design file source: a YAML (or TOML) design → the schema model, with no server.

Reading keeps positions, pydantic validates the structure, the expansion applies the project's
defaults, the pattern library adds its tables and triggers, and the semantic checks catch what a
server would reject later (or accept silently, such as a 64-byte name). Every error is one line
with ``file:line:column`` of the offending key.
"""

from __future__ import annotations

from pathlib import Path

from pgshape.design.checks import check
from pgshape.design.errors import DesignError
from pgshape.design.expand import expand, inherit_columns
from pgshape.design.patterns import PatternsSpec, apply_patterns
from pgshape.design.positions import Positions, dotted, read_design
from pgshape.design.spec import DesignSpec
from pgshape.design.validate import validate
from pgshape.errors import InputError
from pgshape.model import Database


def load(path: str) -> Database:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such design file", location=path) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read the design file: {error}", location=path) from None
    return load_text(text, path)


def load_text(text: str, file: str) -> Database:
    """The model a design file's text describes; ``file`` names it in errors and origins."""
    data, positions = read_design(text, file)
    try:
        spec = validate(data, positions)
        database = expand(spec, positions)
        database = _apply_patterns(database, spec)
        database = database.with_changes(tables=tuple(inherit_columns(database.tables)))
        check(database, spec.project)
    except DesignError as error:
        raise _located(error, positions) from None
    return database


def _apply_patterns(database: Database, spec: DesignSpec) -> Database:
    try:
        return apply_patterns(database, spec.project, spec.patterns or PatternsSpec())
    except DesignError:
        raise
    except ValueError as error:  # a pattern refusing the design (e.g. an unknown table)
        raise DesignError(f"patterns: {error}", ("patterns",)) from None


def _located(error: DesignError, positions: Positions) -> InputError:
    if error.location is not None:  # already located (e.g. by an object's origin)
        return InputError(error.message, location=error.location)
    message = error.message
    where = dotted(error.path)
    if error.path and not message.startswith(where):
        message = f"{where}: {message}"  # name the offending key, not only its line
    return InputError(message, location=positions.location(error.path))
