"""SM rules (and the Python-source halves of TS003/TS004/DOC001/SEC007) on real SQLModel modules.

Modules are loaded the way `pgshape lint models.py` should: IR from the import, and the
source-level facts of ``pgshape.sources.python_facts_extra``, which survive modules that do not
import (several SM rules describe exactly such modules).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from doc_examples import LoadedExample, config, findings_of, fresh_sqlmodel_registry

from pgshape.lint.core import LintContext, all_rules, find_rule
from pgshape.sources.python_facts_extra import annotated_class
from pgshape.sources.python_facts_load import ExtendedPythonFacts, load_python

_counter = iter(range(1_000_000))


def load_module(text: str, tmp_path: Path) -> tuple[LoadedExample, str | None]:
    """(loaded example, import error or None)."""
    module = f"pgshape_sm_example_{next(_counter)}"
    path = tmp_path / f"{module}.py"
    path.write_text(text, encoding="utf-8")
    with fresh_sqlmodel_registry():
        try:
            database, facts = load_python(str(path))
        finally:
            sys.modules.pop(module, None)
    error = facts.source.import_error
    context = LintContext(database=database, config=config(), python=facts, source_kind="python")
    return LoadedExample(context=context, source_lines={str(path): text.splitlines()}), error


PYTHON_RULES = [
    r.code for r in all_rules() if r.group != "MIG" and not r.doc.example_sqlmodel.startswith("#")
]
MINE = ("SM", "TS", "DOC", "SEC", "CON", "NF", "SD")


@pytest.mark.parametrize("code", [c for c in PYTHON_RULES if c.startswith(MINE)])
def test_doc_examples_with_source_facts(code: str, tmp_path: Path) -> None:
    rule = find_rule(code)
    assert rule is not None
    (tmp_path / "bad").mkdir()
    (tmp_path / "good").mkdir()
    bad, _ = load_module(rule.doc.example_sqlmodel, tmp_path / "bad")
    assert findings_of(rule, bad), f"{code} did not fire on its SQLModel example"
    good, error = load_module(rule.doc.use_instead_sqlmodel, tmp_path / "good")
    assert error is None, f"{code}: the use-instead module must import: {error}"
    assert not findings_of(rule, good), f"{code} fired on its use-instead"


@pytest.mark.parametrize(
    ("code", "expected_error"),
    [("SM001", "generic class"), ("SM004", "members"), ("SM005", "UUID"), ("SM006", "already assigned")],
)
def test_rules_explain_modules_that_do_not_import(code: str, expected_error: str, tmp_path: Path) -> None:
    rule = find_rule(code)
    assert rule is not None
    loaded, error = load_module(rule.doc.example_sqlmodel, tmp_path)
    assert error is not None and expected_error in error
    facts = loaded.context.python
    assert isinstance(facts, ExtendedPythonFacts) and facts.source.import_error is not None
    assert findings_of(rule, loaded)


def test_findings_point_at_source_lines(tmp_path: Path) -> None:
    text = """\
from sqlmodel import Field, SQLModel


class UserAccount(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    metadata: str | None = None
"""
    loaded, _ = load_module(text, tmp_path)
    implicit = findings_of(find_rule("implicit-tablename"), loaded)
    reserved = findings_of(find_rule("reserved-attribute-name"), loaded)
    assert [(f.path, f.origin.line) for f in implicit] == [("public.useraccount", 4)]
    assert [(f.path, f.origin.line) for f in reserved] == [("public.useraccount.metadata", 6)]
    assert "'user_account'" in implicit[0].message


def test_str_max_length_edit_applies_and_silences_the_rule(tmp_path: Path) -> None:
    from pgshape.lint.fix_code import apply_edits

    text = """\
from sqlmodel import Field, SQLModel


class Product(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str  # shown in the shop
    sku: str = Field(index=True)
"""
    rule = find_rule("str-without-max-length")
    (tmp_path / "before").mkdir()
    (tmp_path / "after").mkdir()
    loaded, _ = load_module(text, tmp_path / "before")
    found = findings_of(rule, loaded)
    assert sorted(f.path for f in found) == ["public.product.name", "public.product.sku"]
    edits = [fix.edit for f in found for fix in f.fixes if fix.edit is not None]
    assert all(not fix.safe for f in found for fix in f.fixes)
    result = apply_edits(text, edits)
    assert not result.failed
    assert "name: str = Field(max_length=255)  # shown in the shop" in result.text
    assert "sku: str = Field(index=True, max_length=255)" in result.text
    fixed, error = load_module(result.text, tmp_path / "after")
    assert error is None and not findings_of(rule, fixed)


def test_back_populates_pointing_at_the_wrong_class(tmp_path: Path) -> None:
    text = """\
from sqlmodel import Field, Relationship, SQLModel


class Team(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    heroes: list["Hero"] = Relationship(back_populates="team")
    sidekicks: list["Sidekick"] = Relationship(back_populates="team")


class Hero(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    team_id: int | None = Field(default=None, foreign_key="team.id")
    team: Team | None = Relationship(back_populates="sidekicks")


class Sidekick(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    team_id: int | None = Field(default=None, foreign_key="team.id")
    team: Team | None = Relationship(back_populates="sidekicks")
"""
    loaded, _ = load_module(text, tmp_path)
    paths = sorted(f.path for f in findings_of(find_rule("back-populates-mismatch"), loaded))
    # Hero.team names Team.sidekicks, which points at Sidekick; Team.heroes names Hero.team,
    # which pairs with sidekicks. Sidekick <-> Team.sidekicks is consistent.
    assert paths == ["public.hero.team", "public.team.heroes"]


def test_str_limit_threshold(tmp_path: Path) -> None:
    from dataclasses import replace

    text = """\
from sqlmodel import Field, SQLModel


class Product(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=1000)
    code: str = Field(max_length=20)
"""
    loaded, _ = load_module(text, tmp_path)
    rule = find_rule("str-without-max-length")
    assert not findings_of(rule, loaded)  # any limit is fine by default
    loaded.context.config = replace(loaded.context.config, thresholds={"str-max-length": 255})
    assert [f.path for f in findings_of(rule, loaded)] == ["public.product.name"]


def test_naive_datetime_factories(tmp_path: Path) -> None:
    text = """\
import datetime as dt
from datetime import datetime, timezone

from sqlalchemy import DateTime, func
from sqlmodel import Field, SQLModel


class A(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=datetime.now, sa_type=DateTime(timezone=True),
                                 sa_column_kwargs={"server_default": func.now()})
    updated_at: datetime = Field(
        default_factory=lambda: datetime.now(timezone.utc),
        sa_type=DateTime(timezone=True),
        sa_column_kwargs={"server_default": func.now()},
    )


class B(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_at: dt.datetime = Field(default_factory=lambda: dt.datetime.utcnow(),
                                    sa_column_kwargs={"server_default": func.now()})
"""
    loaded, _ = load_module(text, tmp_path)
    paths = sorted(f.path for f in findings_of(find_rule("naive-datetime-default"), loaded))
    assert paths == ["public.a.created_at", "public.b.created_at"]


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        ('list["Hero"]', "Hero"),
        ("Team | None", "Team"),
        ("Optional['Team']", "Team"),
        ("int | str", None),
        (None, None),
    ],
)
def test_annotated_class(annotation: str | None, expected: str | None) -> None:
    assert annotated_class(annotation) == expected


LINK_MODEL_MODULE = """\
from sqlmodel import Field, Relationship, SQLModel


class UserRole(SQLModel, table=True):
    __tablename__ = "user_role"
    user_id: int = Field(foreign_key="app_user.id", primary_key=True)
    role_id: int = Field(foreign_key="role.id", primary_key=True)


class AppUser(SQLModel, table=True):
    __tablename__ = "app_user"
    id: int | None = Field(default=None, primary_key=True)
    roles: list["Role"] = Relationship(back_populates="users", link_model=UserRole)


class Role(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    users: list[AppUser] = Relationship(back_populates="roles", link_model=UserRole)
"""


def test_link_model_counts_as_a_relationship(tmp_path: Path) -> None:
    """The FKs of a link table are navigated through the many-to-many Relationship(link_model=…)."""
    rule = find_rule("foreign-key-without-relationship")
    assert rule is not None
    loaded, error = load_module(LINK_MODEL_MODULE, tmp_path)
    assert error is None
    assert findings_of(rule, loaded) == []
    # Without the many-to-many relationships the same link table's FKs are reported.
    bare = (
        LINK_MODEL_MODULE.replace(", link_model=UserRole)", ")")
        .replace('    roles: list["Role"] = Relationship(back_populates="users")\n', "")
        .replace('    users: list[AppUser] = Relationship(back_populates="roles")\n', "")
    )
    (tmp_path / "bare").mkdir()
    loaded, error = load_module(bare, tmp_path / "bare")
    assert error is None
    assert {f.path.rsplit(".", 1)[-1] for f in findings_of(rule, loaded)} == {"user_id", "role_id"}
