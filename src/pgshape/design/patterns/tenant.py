"""``tenant``: one database shared by many tenants, isolated by row-level security.

Each tenant-scoped table gets ``tenant_id`` (a foreign key to the tenant table, indexed),
its unique constraints are scoped by tenant (``tenant_id`` first: two tenants may both have a
customer ``alice@example.com``), and row-level security is enabled and forced with one policy::

    tenant_id = NULLIF(current_setting('app.current_tenant', true), '')::<key type>

The application sets ``app.current_tenant`` per transaction (``SET LOCAL``). When it is unset
or empty the expression is NULL, so a session that forgot it sees no rows and can write none:
isolation fails closed. Roles with BYPASSRLS (and superusers) are not filtered.
"""

from __future__ import annotations

from dataclasses import replace

from pgshape.design.patterns.base import (
    Draft,
    PatternError,
    TableKey,
    is_link_table,
    key_column,
    leading_columns_covered,
    new_key_column,
    plain_index,
    with_column,
)
from pgshape.design.patterns.spec import TenantOptions
from pgshape.model import (
    Column,
    ForeignKey,
    Index,
    IndexKey,
    Policy,
    PrimaryKey,
    Table,
    UniqueConstraint,
)
from pgshape.render.identifiers import quote_ident, quote_literal

POLICY_NAME = "tenant_isolation"


def choice(value: bool | list[str] | TenantOptions | None) -> TenantOptions | None:
    if value is None or value is False:
        return None
    if value is True:
        return TenantOptions()
    if isinstance(value, list):
        return TenantOptions(tables=value)
    return value


def create_tenant_table(draft: Draft, options: TenantOptions) -> TableKey:
    """The tenant table (kept as declared when the design already has it)."""
    key = draft.key_of(options.table)
    if key in draft.tables:
        return key
    name = key[1]
    draft.put(
        Table(
            schema=key[0],
            name=name,
            columns=(
                new_key_column(draft.settings),
                Column(name="name", type="text", nullable=False),
                Column(name="slug", type="text", nullable=False, comment="Stable identifier used in URLs."),
            ),
            primary_key=PrimaryKey(name=draft.name("pk", name, ("id",)), columns=("id",)),
            unique_constraints=(
                UniqueConstraint(name=draft.name("unique", name, ("slug",)), columns=("slug",)),
            ),
            comment="A customer organisation; every tenant-scoped row belongs to exactly one.",
        )
    )
    return key


def apply(draft: Draft, options: TenantOptions, *, skip: set[TableKey]) -> None:
    tenant_key = create_tenant_table(draft, options)
    tenant_id = key_column(draft.table(tenant_key), "tenant")
    excluded = set(draft.resolve("tenant", options.exclude)) | {tenant_key}
    if options.tables is not None:
        keys = draft.resolve("tenant", options.tables)
        if tenant_key in keys:
            raise PatternError("tenant", f"the tenant table {options.table!r} cannot be tenant-scoped")
    else:
        keys = [
            key
            for key, table in draft.tables.items()
            if not is_link_table(table) and key not in skip and not table.is_partition
        ]
    scoped = [key for key in keys if key not in excluded]
    for key in scoped:
        draft.put(_scope(draft, draft.table(key), options, tenant_key, tenant_id))
    if options.same_tenant_references:
        for key in scoped:
            _reference_within_tenant(draft, key, set(scoped), options.column)


def _reference_within_tenant(draft: Draft, key: TableKey, scoped: set[TableKey], column: str) -> None:
    """Foreign keys to other scoped tables become ``(tenant_id, x_id) → (tenant_id, id)``.

    Foreign key checks bypass row-level security, so a single-column key lets a row point at
    another tenant's row; with the tenant in the key, PostgreSQL refuses that. The referenced
    table gets the unique ``(tenant_id, id)`` such a key needs. ON DELETE SET NULL must then
    name the column it resets (PostgreSQL 15+): tenant_id is NOT NULL.
    """
    table = draft.table(key)
    foreign_keys = []
    for fk in table.foreign_keys:
        target = fk.referenced
        if target not in scoped or len(fk.columns) != 1 or column in fk.columns:
            foreign_keys.append(fk)
            continue
        referenced = draft.table(target)
        if referenced.primary_key is None or referenced.primary_key.columns != fk.referenced_columns:
            foreign_keys.append(fk)
            continue
        _ensure_tenant_key(draft, target, column, fk.referenced_columns[0])
        resets = fk.on_delete in ("SET NULL", "SET DEFAULT")
        if resets and draft.settings.target < 15:
            raise PatternError(
                "tenant",
                f"same_tenant_references: {fk.name} is ON DELETE {fk.on_delete}, which needs "
                "PostgreSQL 15 (project.target) to leave tenant_id alone",
            )
        columns = (column, fk.columns[0])
        foreign_keys.append(
            replace(
                fk,
                name=draft.name("fk", table.name, columns),
                columns=columns,
                referenced_columns=(column, fk.referenced_columns[0]),
                on_delete_columns=fk.columns if resets else (),
            )
        )
    table = replace(draft.table(key), foreign_keys=tuple(foreign_keys))
    draft.put(_index_tenant_references(draft, table, column))


def _index_tenant_references(draft: Draft, table: Table, column: str) -> Table:
    """An index per composite reference; the plain tenant_id index is then a redundant prefix."""
    indexes = list(table.indexes)
    for fk in table.foreign_keys:
        if (
            fk.columns[0] == column
            and len(fk.columns) > 1
            and not leading_columns_covered(replace(table, indexes=tuple(indexes)), fk.columns)
        ):
            indexes.append(plain_index(draft.name("index", table.name, fk.columns), fk.columns))
    return without_redundant_tenant_index(replace(table, indexes=tuple(indexes)), column)


def without_redundant_tenant_index(table: Table, column: str) -> Table:
    """Drop a plain ``(tenant_id)`` index once a longer full index or unique starts with it."""
    plain = [
        i
        for i in table.indexes
        if i.keys == (IndexKey(column=column),) and i.predicate is None and not i.unique
    ]
    longer = [
        i.columns for i in table.indexes if len(i.keys) > 1 and i.predicate is None and i.method == "btree"
    ]
    longer += [u.columns for u in table.unique_constraints if len(u.columns) > 1]
    if not plain or not any(columns[0] == column for columns in longer):
        return table
    return replace(table, indexes=tuple(i for i in table.indexes if i not in plain))


def _ensure_tenant_key(draft: Draft, key: TableKey, column: str, id_column: str) -> None:
    table = draft.table(key)
    columns = (column, id_column)
    if any(u.columns == columns for u in table.unique_constraints):
        return
    unique = UniqueConstraint(name=draft.name("unique", table.name, columns), columns=columns)
    table = replace(table, unique_constraints=(*table.unique_constraints, unique))
    draft.put(without_redundant_tenant_index(table, column))


def _scope(draft: Draft, table: Table, options: TenantOptions, tenant: TableKey, tenant_id: Column) -> Table:
    column = options.column
    existing = table.column(column)
    if existing is None:
        after = table.primary_key.columns[-1] if table.primary_key else None
        table = with_column(table, Column(name=column, type=tenant_id.type, nullable=False), after=after)
    elif existing.type != tenant_id.type:
        raise PatternError(
            "tenant",
            f"{table.schema}.{table.name}.{column} is {existing.type}, "
            f"but the tenant key is {tenant_id.type}",
        )
    foreign_keys = list(table.foreign_keys)
    if not any(fk.columns == (column,) and fk.referenced == tenant for fk in foreign_keys):
        foreign_keys.append(
            ForeignKey(
                name=draft.name("fk", table.name, (column,)),
                columns=(column,),
                referenced_schema=tenant[0],
                referenced_table=tenant[1],
                referenced_columns=(tenant_id.name,),
                on_delete=options.on_delete,  # type: ignore[arg-type]
            )
        )
    table = replace(
        table,
        foreign_keys=tuple(foreign_keys),
        unique_constraints=tuple(_scoped_unique(draft, table, u, column) for u in table.unique_constraints),
        indexes=tuple(_scoped_index(draft, table, i, column) for i in table.indexes),
    )
    if not any(_leads_with(index, column) for index in table.indexes if index.predicate is None) and not any(
        u.columns[0] == column for u in table.unique_constraints
    ):
        table = replace(
            table,
            indexes=(*table.indexes, plain_index(draft.name("index", table.name, (column,)), (column,))),
        )
    return replace(
        table,
        rls_enabled=True,
        rls_forced=table.rls_forced or options.force_rls,
        policies=_with_policy(table, column, tenant_id.type, options.setting),
    )


def _leads_with(index: Index, column: str) -> bool:
    return bool(index.keys) and index.keys[0].column == column


def _scoped_unique(draft: Draft, table: Table, unique: UniqueConstraint, column: str) -> UniqueConstraint:
    if column in unique.columns:
        return unique
    columns = (column, *unique.columns)
    return replace(unique, name=draft.name("unique", table.name, columns), columns=columns)


def _scoped_index(draft: Draft, table: Table, index: Index, column: str) -> Index:
    if not index.unique or column in index.columns:
        return index
    keys = (IndexKey(column=column), *index.keys)
    names = [key.column or "expr" for key in keys]
    return replace(index, name=draft.name("unique", table.name, names), keys=keys)


def _with_policy(table: Table, column: str, key_type: str, setting: str) -> tuple[Policy, ...]:
    if any(policy.name == POLICY_NAME for policy in table.policies):
        return table.policies
    # Exactly as pg_get_expr prints it: policies are compared verbatim after a round trip.
    current = f"(NULLIF(current_setting({quote_literal(setting)}::text, true), ''::text))::{key_type}"
    policy = Policy(
        name=POLICY_NAME,
        using=f"({quote_ident(column)} = {current})",
        comment=f"Rows of the tenant named by the {setting} setting only.",
    )
    return (*table.policies, policy)
