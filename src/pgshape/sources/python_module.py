"""A Python module (``models.py``, ``pkg.module`` or ``pkg.module:attr``) as a source.

The module is imported, its SQLAlchemy ``MetaData`` found (``SQLModel.metadata`` when the
module holds SQLModel table models, else the one MetaData or declarative base it defines, or
the attribute named after ``:``) and converted without a database. Every failure — a missing
file, an exception raised while importing the user's code, no metadata — is one InputError
line naming the file and line where known.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any

from sqlalchemy import MetaData

from pgshape.errors import InputError
from pgshape.model import Database
from pgshape.sources.mapped_classes import PythonFacts, python_facts
from pgshape.sources.sqlalchemy_metadata import to_database


def load(target: str, *, attr: str | None = None) -> Database:
    module, attr = import_target(target, attr=attr)
    metadata = find_metadata(module, attr)
    return to_database(metadata, origin_file=getattr(module, "__file__", None))


def load_facts(target: str, *, attr: str | None = None) -> PythonFacts:
    """The Python-level facts (table models, relationships) of the same target."""
    module, attr = import_target(target, attr=attr)
    return python_facts(find_metadata(module, attr))


# --- importing ------------------------------------------------------------------------------


def import_target(target: str, *, attr: str | None = None) -> tuple[ModuleType, str | None]:
    """Import ``path/to/models.py`` or ``pkg.module[:attr]``; return the module and the attr."""
    if target.endswith(".py") or "/" in target or "\\" in target:
        return _import_file(Path(target)), attr
    module_name, _, named = target.partition(":")
    if not module_name:
        raise InputError("expected pkg.module[:attr]", location=target)
    return _import_dotted(module_name, target), attr or named or None


def _import_file(path: Path) -> ModuleType:
    if not path.is_file():
        raise InputError("no such file", location=str(path))
    path = path.resolve()
    root, dotted = _package_root(path)
    _put_first_on_path(root)
    existing = sys.modules.get(dotted)
    if existing is not None and _same_file(existing, path):
        return existing  # imported before: importing again would redefine tables
    if existing is not None:
        del sys.modules[dotted]  # a different file with the same module name
    if "." in dotted:
        return _run_import(lambda: importlib.import_module(dotted), root, str(path))
    spec = importlib.util.spec_from_file_location(dotted, path)
    if spec is None or spec.loader is None:
        raise InputError("cannot import this file", location=str(path))
    module = importlib.util.module_from_spec(spec)
    sys.modules[dotted] = module
    loader = spec.loader

    def execute() -> ModuleType:
        try:
            loader.exec_module(module)
        except BaseException:
            sys.modules.pop(dotted, None)
            raise
        return module

    return _run_import(execute, root, str(path))


def _import_dotted(module_name: str, target: str) -> ModuleType:
    cwd = Path.cwd()
    _put_first_on_path(cwd)
    try:
        return _run_import(lambda: importlib.import_module(module_name), cwd, target)
    except InputError as error:
        if error.message.startswith(f"ModuleNotFoundError: No module named '{module_name.split('.')[0]}'"):
            raise InputError(f"no module named {module_name!r} (looked on sys.path and in {cwd})") from None
        raise


def _package_root(path: Path) -> tuple[Path, str]:
    """The directory to put on sys.path and the dotted name, so relative imports work."""
    parts = [path.stem]
    directory = path.parent
    while (directory / "__init__.py").is_file() and directory.parent != directory:
        parts.insert(0, directory.name)
        directory = directory.parent
    if not all(part.isidentifier() for part in parts[:-1]):
        return path.parent, path.stem
    return directory, ".".join(parts)


def _put_first_on_path(directory: Path) -> None:
    text = str(directory)
    if text in sys.path:
        sys.path.remove(text)
    sys.path.insert(0, text)


def _same_file(module: ModuleType, path: Path) -> bool:
    file = getattr(module, "__file__", None)
    return file is not None and Path(file).resolve() == path


def _run_import(action: Any, root: Path, shown: str) -> ModuleType:
    try:
        module: ModuleType = action()
        return module
    except SyntaxError as error:
        location = f"{error.filename or shown}:{error.lineno}" if error.lineno else (error.filename or shown)
        raise InputError(f"syntax error: {error.msg}", location=location) from None
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # the user's code may raise anything while importing
        raise InputError(_describe(error), location=_user_frame(error, root) or shown) from None


def _describe(error: BaseException) -> str:
    text = str(error).strip()
    first = text.splitlines()[0] if text else ""
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


def _user_frame(error: BaseException, root: Path) -> str | None:
    """``file:line`` of the innermost frame in the user's code (under ``root``)."""
    frames = traceback.extract_tb(error.__traceback__)
    root_text = str(root.resolve())
    for frame in reversed(frames):
        file = str(Path(frame.filename).resolve()) if frame.filename else ""
        if file.startswith(root_text) and "site-packages" not in file and "<frozen" not in frame.filename:
            return f"{frame.filename}:{frame.lineno}"
    return None


# --- finding the metadata ---------------------------------------------------------------------


def find_metadata(module: ModuleType, attr: str | None = None) -> MetaData:
    where = getattr(module, "__file__", None) or module.__name__
    if attr is not None:
        if not hasattr(module, attr):
            raise InputError(f"{module.__name__} has no attribute {attr!r}", location=where)
        metadata = metadata_of(getattr(module, attr))
        if metadata is None:
            raise InputError(
                f"{attr!r} is not a MetaData, a declarative base or a SQLModel class", location=where
            )
        return metadata
    if _has_sqlmodel_tables(module):
        from sqlmodel import SQLModel

        return SQLModel.metadata
    candidates = _candidates(module)
    with_tables = {key: md for key, md in candidates.items() if md.tables}
    chosen = with_tables or candidates
    if not chosen:
        raise InputError(
            "no SQLAlchemy MetaData, declarative base or SQLModel table model found", location=where
        )
    distinct = {id(md): md for md in chosen.values()}
    if len(distinct) > 1:
        names = ", ".join(sorted(chosen))
        raise InputError(
            f"several metadata candidates ({names}); name one as {module.__name__}:NAME", location=where
        )
    return next(iter(distinct.values()))


def metadata_of(value: Any) -> MetaData | None:
    """The MetaData of a MetaData, a declarative base (any style) or a SQLModel class."""
    if isinstance(value, MetaData):
        return value
    if isinstance(value, type):
        metadata = getattr(value, "metadata", None)
        if isinstance(metadata, MetaData):
            return metadata
    return None


def _has_sqlmodel_tables(module: ModuleType) -> bool:
    sqlmodel = sys.modules.get("sqlmodel")
    if sqlmodel is None:
        return False
    base = sqlmodel.SQLModel
    return any(
        isinstance(value, type)
        and issubclass(value, base)
        and value is not base
        and getattr(value, "__table__", None) is not None
        for value in vars(module).values()
    )


def _candidates(module: ModuleType) -> dict[str, MetaData]:
    """Module-level MetaData objects and declarative bases (not the mapped classes)."""
    found: dict[str, MetaData] = {}
    for name, value in vars(module).items():
        if name.startswith("__"):
            continue
        if isinstance(value, MetaData):
            found[name] = value
        elif isinstance(value, type) and _is_declarative_base(value):
            metadata = metadata_of(value)
            if metadata is not None:
                found[name] = metadata
    return found


def _is_declarative_base(cls: type) -> bool:
    """A base (DeclarativeBase subclass, declarative_base() result), not a mapped class."""
    if getattr(cls, "__table__", None) is not None or "__tablename__" in vars(cls):
        return False
    return getattr(cls, "registry", None) is not None and isinstance(getattr(cls, "metadata", None), MetaData)
