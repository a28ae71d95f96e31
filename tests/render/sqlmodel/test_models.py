"""The SQLModel renderer on a schema that uses every feature (features.sql): the code says
what a careful engineer would write, passes ruff, and rebuilds the schema exactly."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from codegen_support import rebuild, ruff_problems

from pgshape.model import Database
from pgshape.model.compare import compare
from pgshape.render.sqlmodel import render
from pgshape.sources.load import LoadOptions, load

FEATURES = Path(__file__).with_name("features.sql")


@pytest.fixture(scope="module")
def features(pg_server: str) -> Database:
    return load(str(FEATURES), LoadOptions(scratch_url=pg_server))


@pytest.fixture(scope="module")
def code(features: Database) -> str:
    return render(features, source="features.sql")


def _class(code: str, name: str) -> str:
    match = re.search(rf"^class {name}\(.*?(?=^\S)", code + "\nEND", re.S | re.M)
    assert match, f"class {name} not generated"
    return match.group(0)


def test_is_deterministic(features: Database, code: str) -> None:
    assert render(features, source="features.sql") == code


def test_module_hygiene(code: str) -> None:
    assert code.startswith('"""SQLModel models for features.sql.')
    assert "from __future__" not in code
    assert not re.search(r"^\s*(import|from) pgshape", code, re.M)
    # No field called metadata: the attribute is renamed, the column keeps its name.
    assert not re.search(r"^    metadata\s*:", code, re.M)
    assert "metadata_: dict[str, Any] | None = Field(" in code and '"name": "metadata"' in code
    # A column named uuid must not shadow the uuid module used by annotations.
    assert re.search(r"^    uuid_: uuid\.UUID \| None", code, re.M)
    assert re.search(r"^    bytes_: bytes \| None", code, re.M)


def test_awkward_column_names_become_valid_attributes(code: str) -> None:
    users = _class(code, "User")
    for attribute, column in (("class_", "class"), ("c1st", "1st"), ("my_col", "my col")):
        assert re.search(rf"^    {attribute}: .*", users, re.M), attribute
        assert f'"name": "{column}"' in users
    assert re.search(r"^    é: str \| None = Field\(default=None, sa_type=sa.Text\(\)\)", users, re.M)


def test_types_are_exact_and_idiomatic(code: str) -> None:
    users = _class(code, "User")
    assert "email: str = Field(" in users and "max_length=255" in users
    assert "name: str = Field(sa_type=sa.Text())" in users
    assert "max_digits=12" in users and "decimal_places=2" in users
    assert "price: decimal.Decimal | None = None" in users
    assert "note: str | None = None" in users  # varchar without a length
    assert "sa_type=sa.CHAR(3)" in users
    assert "ratio: float | None = None" in users
    assert "tags: list[str] | None" in users and "postgresql.ARRAY(sa.Text())" in users
    assert "moods: list[Mood] | None" in users
    assert "sa.Computed(" in users
    assert "postgresql.TIMESTAMP(timezone=True, precision=3)" in _class(code, "Message")
    assert 'value: int | None = Field(default=None, sa_type=PgType("public.positive"))' in code


def test_keys_and_defaults(code: str) -> None:
    users = _class(code, "User")
    assert re.search(
        r"id: int \| None = Field\(\s+default=None,\s+primary_key=True,\s+sa_type=sa.BigInteger\(\),"
        r"\s+sa_column_args=\[sa.Identity\(always=True\)\]",
        users,
    )
    assert "default_factory=utcnow" in users and "datetime.datetime.now(datetime.UTC)" in code
    assert "utcnow()" not in code.replace("def utcnow()", "") and "datetime.utcnow" not in code.replace(
        "``datetime.utcnow``", ""
    )
    roles = _class(code, "Role")
    assert "id: uuid.UUID = Field(" in roles and "default_factory=uuid.uuid4" in roles
    assert '"server_default": sa.text("gen_random_uuid()")' in roles
    # serial: SQLAlchemy's own SERIAL, no explicit sequence
    assert "id: int | None = Field(default=None, primary_key=True)" in _class(code, "Category")
    assert "email: str = Field(" in users and "unique=True" in users


def test_enums(code: str) -> None:
    assert "class Mood(str, enum.Enum):" in code
    for member in ('SAD = "sad"', 'IT_S = "it\'s"', 'IN_PROGRESS = "in progress"'):
        assert member in code
    assert "create_type=False" in code and "values_callable=enum_values" in code


def test_relationships_on_both_sides(code: str) -> None:
    users, roles = _class(code, "User"), _class(code, "Role")
    # many-to-many through the link model
    assert 'roles: list["Role"] = Relationship(back_populates="users", link_model=UserRole)' in users
    assert 'users: list["User"] = Relationship(back_populates="roles", link_model=UserRole)' in roles
    # one-to-one (the foreign key is the primary key of profiles)
    assert (
        '"uselist": False' in users
        and 'user: Optional["User"] = Relationship(back_populates="profile")' in code
    )
    # self-referential tree
    categories = _class(code, "Category")
    assert 'sa_relationship_kwargs={"remote_side": "[Category.id]"}' in categories
    assert 'children: list["Category"] = Relationship(back_populates="parent")' in categories
    # two foreign keys to the same table
    messages = _class(code, "Message")
    assert messages.count('"foreign_keys": "[Message.sender_id]"') == 1
    assert users.count('"foreign_keys": "[Message.sender_id]"') == 1
    assert users.count('"foreign_keys": "[Message.recipient_id]"') == 1
    # composite foreign key in __table_args__, relationship inferred from it
    lines = _class(code, "OrderLine")
    assert "sa.ForeignKeyConstraint(" in lines and '["tenant", "order_number"]' in lines
    assert 'initially="DEFERRED"' in lines and 'onupdate="CASCADE"' in lines
    assert 'order_lines: list["OrderLine"]' in _class(code, "Order")


def test_table_args(code: str) -> None:
    users = _class(code, "User")
    assert 'sa.Index("users_lower_email", sa.text("lower((email)::text)"))' in users
    assert 'postgresql_using="gin"' in users
    assert 'postgresql_ops={"name": "text_pattern_ops"}' in users
    assert 'sa.text("created_at DESC NULLS LAST")' in users and 'postgresql_include=["name"]' in users
    assert 'postgresql_where=sa.text("(api_token IS NOT NULL)")' in users
    assert '"comment": "People who sign in"' in users
    assert '{"schema": "app"}' in _class(code, "Order") or '"schema": "app"' in _class(code, "Order")
    assert 'sa.CheckConstraint("(total >= (0)::numeric)", name="orders_total_check")' in code
    assert '"postgresql_partition_by": "RANGE (logdate)"' in code
    assert "events_table = sa.Table(" in code  # no primary key: a plain Table


def test_what_sqlmodel_cannot_say_is_attached_as_ddl(code: str) -> None:
    assert "for statement in BEFORE_CREATE:" in code and "for statement in AFTER_CREATE:" in code
    assert "CREATE TYPE public.mood AS ENUM" in code and "CREATE DOMAIN public.positive" in code
    for fragment in (
        "CREATE VIEW public.active_users",
        "CREATE MATERIALIZED VIEW public.user_counts",
        "CREATE TRIGGER users_touch",
        "CREATE POLICY own_messages",
        "ENABLE ROW LEVEL SECURITY",
        "PARTITION OF public.measurements",
        "COMMENT ON INDEX public.users_lower_email",
        "touched 100%%",  # DDL() formats with %, so a literal percent is doubled
    ):
        assert fragment in code, fragment


def test_ruff_clean(tmp_path: Path, code: str) -> None:
    path = tmp_path / "models.py"
    path.write_text(code)
    assert ruff_problems(path) == []


def test_round_trip_is_exact(tmp_path: Path, pg_server: str, features: Database, code: str) -> None:
    path = tmp_path / "features_models.py"
    path.write_text(code)
    rebuilt, report = rebuild(path, pg_server)
    assert compare(features, rebuilt) == []
    assert "User" in report["mappers"] and "UserRole" in report["mappers"]


_USE = r"""
import sys, importlib.util, datetime
spec = importlib.util.spec_from_file_location("features_models", sys.argv[1])
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
import sqlalchemy as sa
from sqlmodel import Session, SQLModel, select
engine = sa.create_engine(sys.argv[2].replace("postgresql://", "postgresql+psycopg://", 1))
SQLModel.metadata.create_all(engine)
with Session(engine) as s:
    admin = m.Role(name="admin")
    ann = m.User(email="ann@example.com", name="Ann", password_hash="x", metadata_={"k": 1}, roles=[admin])
    bob = m.User(email="bob@example.com", name="Bob", password_hash="y", mood=m.Mood.IT_S)
    ann.profile = m.Profile(bio="hi")
    root = m.Category(name="root"); leaf = m.Category(name="leaf", parent=root)
    s.add_all([ann, bob, leaf, m.Message(sender=ann, recipient=bob, body="hello")])
    order = m.Order(tenant=1, number=7, total=3)
    s.add(order); s.flush()
    s.add(m.OrderLine(tenant=1, order_number=7, line=1))
    s.commit()
    ann = s.exec(select(m.User).where(m.User.email == "ann@example.com")).one()
    assert [r.name for r in ann.roles] == ["admin"] and admin.users == [ann]
    assert ann.profile.bio == "hi" and ann.created_at.tzinfo is not None
    assert [c.name for c in root.children] == ["leaf"]
    assert [x.body for x in bob.recipient_messages] == ["hello"] and ann.sender_messages[0].recipient is bob
    assert s.get(m.User, bob.id).mood is m.Mood.IT_S and ann.twice is None
    assert [l.line for l in s.get(m.Order, (1, 7)).order_lines] == [1]
print("ok")
"""


def test_models_work_through_a_session(tmp_path: Path, scratch_url: str, code: str) -> None:
    path = tmp_path / "features_models.py"
    path.write_text(code)
    done = subprocess.run(
        [sys.executable, "-c", _USE, str(path), scratch_url], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert done.stdout.strip() == "ok"
