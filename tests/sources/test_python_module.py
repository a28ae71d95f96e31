"""Loading a Python module as a source: by path, by dotted name, with ``:attr``; clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgshape.errors import InputError
from pgshape.sources.python_module import load

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "models"


def test_load_sqlmodel_file_uses_sqlmodel_metadata() -> None:
    db = load(str(FIXTURES / "blog_sqlmodel.py"))
    assert {("public", "author"), ("public", "post"), ("audit", "audit_entry")} <= set(db.tables_by_key)


def test_loading_twice_reuses_the_module() -> None:
    first = load(str(FIXTURES / "conventions.py"))
    assert load(str(FIXTURES / "conventions.py")) == first


def test_load_declarative_base_found_in_namespace() -> None:
    db = load(str(FIXTURES / "shop_declarative.py"))
    assert db.table("public", "Customer") is not None


def test_load_file_in_package_with_relative_import() -> None:
    db = load(str(FIXTURES / "pkg" / "models.py"))
    assert [t.name for t in db.tables] == ["widget"]


def test_load_dotted_name_with_attr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    db = load("conventions:metadata")
    assert {t.name for t in db.tables} == {"team", "member"}
    assert load("conventions", attr="metadata") == db


def test_attr_naming_one_of_several_metadatas() -> None:
    db = load(str(FIXTURES / "broken" / "two_metadatas.py"), attr="second")
    assert [t.name for t in db.tables] == ["b"]


@pytest.mark.parametrize(
    ("target", "attr", "expected"),
    [
        ("missing/models.py", None, "missing/models.py: no such file"),
        ("no_such_module_xyz", None, "no module named 'no_such_module_xyz'"),
        ("broken/two_metadatas.py", None, "several metadata candidates (first, second)"),
        ("broken/nothing.py", None, "no SQLAlchemy MetaData, declarative base or SQLModel table model found"),
        ("broken/two_metadatas.py", "third", "has no attribute 'third'"),
        ("broken/nothing.py", "VALUE", "'VALUE' is not a MetaData"),
    ],
)
def test_errors_are_one_line(
    target: str, attr: str | None, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(FIXTURES)
    with pytest.raises(InputError) as caught:
        load(target, attr=attr)
    assert expected in str(caught.value)
    assert "\n" not in str(caught.value)


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    # Written at test time: a broken file in the tree would trip linters.
    broken = tmp_path / "syntax_error.py"
    broken.write_text("from sqlmodel import SQLModel\n\nclass Broken(SQLModel, table=True)\n    id: int\n")
    with pytest.raises(InputError) as caught:
        load(str(broken))
    assert caught.value.location == f"{broken}:3"
    assert "syntax error" in caught.value.message


def test_exception_while_importing_names_the_user_line() -> None:
    with pytest.raises(InputError) as caught:
        load(str(FIXTURES / "broken" / "raises.py"))
    assert caught.value.location == f"{FIXTURES / 'broken' / 'raises.py'}:6"
    assert caught.value.message == "RuntimeError: database settings missing"
