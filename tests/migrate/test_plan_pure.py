"""Diff, plan, render and safety on hand-built models — no database involved.

The suite in test_migration_cases.py proves plans on PostgreSQL; these tests pin down the
decisions that a proof cannot see: which rewrite was chosen, what is refused, what is flagged.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from pgshape.errors import InputError
from pgshape.migrate import ops as o
from pgshape.migrate import rename, safety
from pgshape.migrate.diff import diff
from pgshape.migrate.pipeline import migration
from pgshape.migrate.plan import PlanOptions
from pgshape.migrate.render_sql import blocks, script, statements
from pgshape.migrate.types import classify_type_change
from pgshape.model import (
    CheckConstraint,
    Column,
    Database,
    EnumType,
    ForeignKey,
    Index,
    IndexKey,
    PrimaryKey,
    Table,
    UniqueConstraint,
    View,
)

ID = Column("id", "bigint", nullable=False)
PARENT = Table("public", "parent", (ID,), primary_key=PrimaryKey("parent_pkey", ("id",)))
CHILD = Table(
    "public",
    "child",
    (ID, Column("parent_id", "bigint"), Column("name", "text")),
    primary_key=PrimaryKey("child_pkey", ("id",)),
)


def db(*tables: Table, **more: object) -> Database:
    return Database(tables=tables, **more)  # type: ignore[arg-type]


def kinds(ops: tuple[o.Operation, ...] | list[o.Operation]) -> list[str]:
    return [op.kind for op in ops]


# Types -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "change", "using"),
    [
        ("character varying(10)", "character varying(20)", "none", False),
        ("character varying(10)", "text", "none", False),
        ("character varying(10)", "character varying", "none", False),
        ("character varying(20)", "character varying(10)", "narrow", False),
        ("text", "character varying(10)", "narrow", False),
        ("numeric(10,2)", "numeric(12,2)", "none", False),
        ("numeric(12,2)", "numeric(10,2)", "narrow", False),
        ("integer", "bigint", "widen", False),
        ("bigint", "integer", "narrow", False),
        ("text", "integer", "rewrite", True),
        ("integer", "text", "widen", False),
        ("timestamp without time zone", "timestamp with time zone", "widen", False),
        ("text", "uuid", "rewrite", True),
        ("public.mood", "text", "widen", False),
    ],
)
def test_type_change_classification(before: str, after: str, change: str, using: bool) -> None:
    found, expression = classify_type_change(Column("c", before), Column("c", after))
    assert found == change
    assert (expression is not None) == using
    if using:
        assert expression == f"c::text::{after}"


# Diff --------------------------------------------------------------------------------------------


def test_identical_models_have_no_operations() -> None:
    assert diff(db(PARENT, CHILD), db(PARENT, CHILD)).operations == ()


def test_changed_column_is_altered_not_dropped_and_added() -> None:
    wider = replace(
        CHILD, columns=(ID, Column("parent_id", "bigint"), Column("name", "character varying(5)"))
    )
    ops = diff(db(wider), db(CHILD)).operations
    assert kinds(ops) == ["alter_column_type"]
    assert ops[0].destructive is False  # varchar(5) → text keeps every value


def test_column_order_difference_is_a_note_not_an_operation() -> None:
    reordered = replace(CHILD, columns=(ID, Column("name", "text"), Column("parent_id", "bigint")))
    result = diff(db(CHILD), db(reordered))
    assert result.operations == ()
    assert any("column order" in note for note in result.notes)


def test_enum_labels_added_become_add_value_in_order() -> None:
    before = EnumType("public", "mood", ("sad", "happy"))
    after = EnumType("public", "mood", ("sad", "meh", "ok", "happy"))
    ops = diff(Database(enums=(before,)), Database(enums=(after,))).operations
    assert [(op.kind, op.label, op.position) for op in ops] == [  # type: ignore[attr-defined]
        ("add_enum_value", "meh", ("BEFORE", "happy")),
        ("add_enum_value", "ok", ("BEFORE", "happy")),
    ]
    assert statements(ops[0]) == ["ALTER TYPE public.mood ADD VALUE 'meh' BEFORE 'happy'"]
    assert ops[0].own_transaction
    # The reverse cannot drop a value: it recreates the type.
    assert ops[0].reverse().kind == "recreate_enum"


def test_enum_label_removed_recreates_type_and_is_destructive() -> None:
    before = EnumType("public", "mood", ("sad", "happy"))
    after = EnumType("public", "mood", ("sad",))
    (op,) = diff(Database(enums=(before,)), Database(enums=(after,))).operations
    assert op.kind == "recreate_enum" and op.destructive


def test_every_operation_reverses_to_itself() -> None:
    fk = ForeignKey("child_parent_id_fkey", ("parent_id",), "public", "parent", ("id",))
    after = replace(
        CHILD,
        columns=(ID, Column("parent_id", "integer", default="0"), Column("email", "text", nullable=False)),
        foreign_keys=(fk,),
        unique_constraints=(UniqueConstraint("child_email_key", ("email",)),),
        check_constraints=(CheckConstraint("child_email_check", "(email <> ''::text)"),),
        indexes=(Index("child_email_idx", (IndexKey(column="email"),)),),
        comment="children",
    )
    ops = diff(db(PARENT, CHILD), db(PARENT, after)).operations
    assert len(ops) >= 7
    for op in ops:
        assert op.reverse().reverse() == op


# Planning: online-safe rewrites ------------------------------------------------------------------


def _plan(before: Database, after: Database, **options: object) -> tuple[o.Operation, ...]:
    return migration(before, after, options=PlanOptions(**options)).plan.up  # type: ignore[arg-type]


def test_foreign_key_on_existing_table_is_added_not_valid_then_validated() -> None:
    fk = ForeignKey("child_parent_id_fkey", ("parent_id",), "public", "parent", ("id",))
    up = _plan(db(PARENT, CHILD), db(PARENT, replace(CHILD, foreign_keys=(fk,))))
    assert kinds(up) == ["add_constraint", "validate_constraint"]
    assert up[0].not_valid and statements(up[0])[0].endswith("NOT VALID")  # type: ignore[attr-defined]
    assert up[1].lock == "SHARE UPDATE EXCLUSIVE"
    plain = _plan(db(PARENT, CHILD), db(PARENT, replace(CHILD, foreign_keys=(fk,))), online=False)
    assert kinds(plain) == ["add_constraint"] and not plain[0].not_valid  # type: ignore[attr-defined]


def test_objects_on_a_new_table_are_not_rewritten() -> None:
    fk = ForeignKey("child_parent_id_fkey", ("parent_id",), "public", "parent", ("id",))
    new = replace(CHILD, foreign_keys=(fk,), indexes=(Index("child_name_idx", (IndexKey(column="name"),)),))
    up = _plan(db(PARENT), db(PARENT, new))
    assert kinds(up) == ["create_table", "create_index", "add_constraint"]
    assert all(op.transactional for op in up)


def test_unique_is_built_concurrently_then_attached_using_index() -> None:
    after = replace(CHILD, unique_constraints=(UniqueConstraint("child_name_key", ("name",)),))
    up = _plan(db(CHILD), db(after))
    assert kinds(up) == ["create_index", "add_constraint"]
    assert statements(up[0]) == [
        "CREATE UNIQUE INDEX CONCURRENTLY child_name_key ON public.child USING btree (name)"
    ]
    assert statements(up[1]) == [
        "ALTER TABLE public.child ADD CONSTRAINT child_name_key UNIQUE USING INDEX child_name_key"
    ]
    assert not up[0].transactional


def test_set_not_null_goes_through_a_validated_check() -> None:
    after = replace(
        CHILD, columns=(ID, Column("parent_id", "bigint"), Column("name", "text", nullable=False))
    )
    up = _plan(db(CHILD), db(after))
    assert kinds(up) == ["add_constraint", "validate_constraint", "alter_column_nullable", "drop_constraint"]
    assert up[2].scans is False and up[2].proven_by == up[0].constraint.name  # type: ignore[attr-defined]
    assert kinds(_plan(db(CHILD), db(after), online=False)) == ["alter_column_nullable"]


def test_transaction_blocks_split_around_concurrently_and_add_value() -> None:
    index = Index("child_name_idx", (IndexKey(column="name"),))
    before = Database(enums=(EnumType("public", "mood", ("a",)),), tables=(CHILD,))
    after = Database(
        enums=(EnumType("public", "mood", ("a", "b")),),
        tables=(replace(CHILD, indexes=(index,), comment="x"),),
    )
    up = _plan(before, after)
    layout = [
        (block.transactional, [s.operation.kind for s in block.steps]) for block in blocks(up, PlanOptions())
    ]
    assert layout == [(True, ["add_enum_value"]), (False, ["create_index"]), (True, ["set_comment"])]
    text = script(up, PlanOptions(lock_timeout="2s"))
    assert "SET lock_timeout = '2s';\nSET statement_timeout = '0';\nCREATE INDEX CONCURRENTLY" in text
    assert text.count("BEGIN;") == 2 and text.count("COMMIT;") == 2


def test_dependent_view_is_dropped_and_recreated_around_a_type_change() -> None:
    view = View("public", "names", "SELECT child.name FROM public.child;", depends_on=(("public", "child"),))
    after = replace(CHILD, columns=(ID, Column("parent_id", "integer"), Column("name", "text")))
    up = _plan(db(CHILD, views=(view,)), db(after, views=(view,)))
    assert kinds(up) == ["drop_view", "alter_column_type", "create_view"]


def test_partitioned_tables_are_not_given_concurrent_indexes() -> None:
    parent = Table("public", "m", (Column("at", "date"),), partition_by="RANGE (at)")
    after = replace(parent, indexes=(Index("m_at", (IndexKey(column="at"),)),))
    (op,) = _plan(db(parent), db(after))
    assert op.kind == "create_index" and not op.concurrently  # type: ignore[attr-defined]


# Safety and renames --------------------------------------------------------------------------------


def test_destructive_changes_are_refused_by_name() -> None:
    after = replace(CHILD, columns=(ID, Column("parent_id", "bigint")))
    result = migration(db(CHILD), db(after))
    with pytest.raises(safety.DestructiveChangeError) as refused:
        safety.check(result.plan.up, allow=False, suggestions=list(result.suggestions))
    assert "drop column public.child.name" in str(refused.value)
    safety.check(result.plan.up, allow=True, suggestions=[])


def test_drop_and_add_alike_are_suggested_as_a_rename() -> None:
    after = replace(CHILD, columns=(ID, Column("parent_id", "bigint"), Column("title", "text")))
    result = migration(db(CHILD), db(after))
    assert [str(s.hint) for s in result.suggestions] == ["public.child.name=title"]
    with pytest.raises(safety.DestructiveChangeError, match=r"--rename public\.child\.name=title"):
        safety.check(result.plan.up, allow=False, suggestions=list(result.suggestions))


def test_rename_hint_becomes_a_rename_never_drop_and_add() -> None:
    after = replace(CHILD, columns=(ID, Column("parent_id", "bigint"), Column("title", "text")))
    hints = rename.resolve(["child.name=title"], db(CHILD))
    up = migration(db(CHILD), db(after), hints).plan
    assert kinds(up.up) == ["rename_column"]
    assert kinds(up.down) == ["rename_column"]
    assert statements(up.down[0]) == ["ALTER TABLE public.child RENAME COLUMN title TO name"]


def test_rename_hint_for_a_missing_column_is_an_input_error() -> None:
    hints = rename.resolve(["child.nope=title"], db(CHILD))
    with pytest.raises(InputError, match="no column 'nope'"):
        migration(db(CHILD), db(CHILD), hints)


def test_renamed_from_in_sqlalchemy_info_becomes_a_hint() -> None:
    import sqlalchemy as sa

    metadata = sa.MetaData()
    sa.Table(
        "things",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.Text, info={"renamed_from": "name"}),
        info={"renamed_from": "thing"},
    )
    found = rename.hints_from_metadata(metadata)
    assert [(h.kind, str(h)) for h in found] == [
        ("table", "public.thing=things"),
        ("column", "public.thing.name=title"),
    ]


# Rendering operations built by hand -----------------------------------------------------------------


def test_render_type_change_with_using_and_default() -> None:
    before = Column("code", "text", default="'0'::text")
    after = Column("code", "integer", default="0")
    change, using = classify_type_change(before, after)
    op = o.AlterColumnType(("public", "t"), before, after, change, using)
    assert statements(op) == [
        "ALTER TABLE public.t ALTER COLUMN code DROP DEFAULT",
        "ALTER TABLE public.t ALTER COLUMN code TYPE integer USING code::text::integer",
        "ALTER TABLE public.t ALTER COLUMN code SET DEFAULT 0",
    ]
    assert op.destructive and op.rewrites


def test_render_recreate_enum_nulls_removed_labels() -> None:
    usage = o.EnumUsage(("public", "t"), "m", default="'a'::public.mood")
    op = o.RecreateEnum(
        EnumType("public", "mood", ("a", "b")), EnumType("public", "mood", ("a",)), (usage,), (usage,)
    )
    assert statements(op) == [
        "ALTER TYPE public.mood RENAME TO mood_pgshape_old",
        "CREATE TYPE public.mood AS ENUM ('a')",
        "ALTER TABLE public.t ALTER COLUMN m DROP DEFAULT",
        "ALTER TABLE public.t ALTER COLUMN m TYPE public.mood"
        " USING CASE WHEN m::text = ANY (ARRAY['a']) THEN m::text::public.mood END",
        "ALTER TABLE public.t ALTER COLUMN m SET DEFAULT 'a'::public.mood",
        "DROP TYPE public.mood_pgshape_old",
    ]


def test_render_identity_added_to_a_nullable_column() -> None:
    from pgshape.model import Identity

    before = Column("id", "bigint")
    after = Column("id", "bigint", nullable=False, identity=Identity(always=True, start=10))
    assert statements(o.AlterColumnIdentity(("public", "t"), before, after)) == [
        "ALTER TABLE public.t ALTER COLUMN id SET NOT NULL",
        "ALTER TABLE public.t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (START WITH 10)",
    ]


def test_every_operation_class_has_a_renderer_and_a_reverse() -> None:
    from pgshape.migrate.render_sql import _operation_classes

    classes = _operation_classes()
    assert len(classes) >= 40
    for cls in classes:
        assert "reverse" in cls.__dict__, f"{cls.__name__} has no reverse()"
