"""Loading a Python SOURCE for review: the schema model plus all the Python-level facts.

:class:`ExtendedPythonFacts` is :class:`~pgshape.sources.mapped_classes.PythonFacts` (from the
imported classes) plus :class:`~pgshape.sources.python_facts_extra.SourceFacts` (from the syntax
tree). :func:`load_python` never fails on an import error: the model is then empty and the facts
say why, so the SQLModel rules can still explain the mistake.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pgshape.errors import InputError
from pgshape.model import Database
from pgshape.sources.mapped_classes import PythonFacts
from pgshape.sources.python_facts_extra import SourceFacts, source_facts, target_files


@dataclass(frozen=True)
class ExtendedPythonFacts(PythonFacts):
    """The mapped-class facts plus the source-level facts of the same modules."""

    source: SourceFacts = field(default_factory=SourceFacts)


def load_facts(target: str) -> ExtendedPythonFacts:
    """Facts for a Python SOURCE. An import failure leaves the mapped-class facts empty and
    records the error, so the source-level rules can still say what is wrong."""
    from pgshape.sources import python_module

    files = target_files(target)
    try:
        mapped = python_module.load_facts(target)
    except InputError as error:
        return ExtendedPythonFacts(source=source_facts(files, import_error=str(error)))
    files += [m.origin.file for m in mapped.models if m.origin is not None]
    return extend(mapped, files)


def extend(facts: PythonFacts | None, files: Iterable[str]) -> ExtendedPythonFacts:
    return ExtendedPythonFacts(models=facts.models if facts else (), source=source_facts(files))


def load_python(target: str) -> tuple[Database, ExtendedPythonFacts]:
    """The IR and the facts of a Python SOURCE, for linting.

    When the module cannot be imported or its mappers cannot be configured, the IR is empty and
    the facts are source-level only (``facts.source.import_error`` says why), so the SQLModel
    rules can still explain the mistake; the caller decides whether to also report the error.
    """
    from sqlalchemy import exc as sa_exc

    from pgshape.sources import python_module

    try:
        database = python_module.load(target)
    except (InputError, sa_exc.SQLAlchemyError) as error:
        return Database(), ExtendedPythonFacts(
            source=source_facts(target_files(target), import_error=str(error))
        )
    return database, load_facts(target)
