"""``rbac``: role-based access control — users, roles, permissions and the links between them.

Users get roles (``user_role``), roles get permissions (``role_permission``); both links have a
composite primary key (which also indexes the first column) plus an index on the second column,
so "who has this role" and "which roles grant this" are index lookups too. Tables the design
already declares (typically the user table) are kept and linked, not replaced.
"""

from __future__ import annotations

from pgshape.design.patterns.base import (
    Draft,
    TableKey,
    key_column,
    new_key_column,
    plain_index,
    timestamp_column,
)
from pgshape.design.patterns.spec import RbacOptions
from pgshape.model import Column, ForeignKey, PrimaryKey, Table, UniqueConstraint


def choice(value: bool | RbacOptions | None) -> RbacOptions | None:
    if value is None or value is False:
        return None
    return RbacOptions() if value is True else value


def _entity(draft: Draft, key: TableKey, columns: tuple[Column, ...], unique: str, comment: str) -> None:
    if key in draft.tables:
        return
    name = key[1]
    draft.put(
        Table(
            schema=key[0],
            name=name,
            columns=(new_key_column(draft.settings), *columns),
            primary_key=PrimaryKey(name=draft.name("pk", name, ("id",)), columns=("id",)),
            unique_constraints=(
                UniqueConstraint(name=draft.name("unique", name, (unique,)), columns=(unique,)),
            ),
            comment=comment,
        )
    )


def _link(draft: Draft, left: TableKey, right: TableKey, name: str) -> None:
    key = (draft.schema, name)
    if key in draft.tables:
        return
    columns: list[Column] = []
    foreign_keys: list[ForeignKey] = []
    for target in (left, right):
        referenced = key_column(draft.table(target), "rbac")
        column = f"{target[1]}_id"
        columns.append(Column(name=column, type=referenced.type, nullable=False))
        foreign_keys.append(
            ForeignKey(
                name=draft.name("fk", name, (column,)),
                columns=(column,),
                referenced_schema=target[0],
                referenced_table=target[1],
                referenced_columns=(referenced.name,),
                on_delete="CASCADE",
            )
        )
    pk_columns = (columns[0].name, columns[1].name)
    draft.put(
        Table(
            schema=key[0],
            name=name,
            columns=(*columns, timestamp_column("created_at")),
            primary_key=PrimaryKey(name=draft.name("pk", name, pk_columns), columns=pk_columns),
            foreign_keys=tuple(foreign_keys),
            # The key covers lookups by the first column; this one covers the second.
            indexes=(plain_index(draft.name("index", name, (columns[1].name,)), (columns[1].name,)),),
            comment=f"Which {right[1]} each {left[1]} has.",
        )
    )


def apply(draft: Draft, options: RbacOptions) -> None:
    user = draft.key_of(options.user_table)
    role = draft.key_of(options.role_table)
    permission = draft.key_of(options.permission_table)
    _entity(
        draft,
        user,
        (
            Column(name="email", type="text", nullable=False, comment="pii: sign-in address"),
            Column(name="display_name", type="text", nullable=False),
            Column(name="is_active", type="boolean", nullable=False, default="true"),
        ),
        "email",
        "People and service accounts that sign in.",
    )
    _entity(
        draft,
        role,
        (Column(name="name", type="text", nullable=False), Column(name="description", type="text")),
        "name",
        "A named set of permissions (admin, editor, viewer…).",
    )
    _entity(
        draft,
        permission,
        (
            Column(name="code", type="text", nullable=False, comment="e.g. post.publish"),
            Column(name="description", type="text"),
        ),
        "code",
        "One thing a role may do, checked by the application.",
    )
    _link(draft, user, role, f"{user[1]}_role" if user[1] != "app_user" else "user_role")
    _link(draft, role, permission, f"{role[1]}_{permission[1]}")
