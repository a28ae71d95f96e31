"""Running the patterns a design opts into, in an order where each sees the others' tables.

1. tables the patterns create (rbac's users/roles/permissions, the tenant table, the audit log);
2. tree columns; soft delete (uniques become partial indexes);
3. tenant scoping (after soft delete, so partial uniques are scoped too);
4. audit triggers, then timestamps (last, so tables created above get them as well);
5. an index for every foreign key a pattern left without one (soft delete can make the only
   index on a foreign key partial, which does not serve its ON DELETE checks).
"""

from __future__ import annotations

from dataclasses import replace

from pgshape.design.patterns import audit, rbac, soft_delete, tenant, timestamps, tree
from pgshape.design.patterns.base import Draft, TableKey, leading_columns_covered, plain_index
from pgshape.design.patterns.spec import PatternsSpec
from pgshape.design.settings import ProjectSettings
from pgshape.model import Database


def apply_patterns(db: Database, settings: ProjectSettings, patterns: PatternsSpec) -> Database:
    """``db`` with every chosen pattern expanded. Pure: no I/O, ``db`` is not modified."""
    draft = Draft(db, settings)
    audit_options = audit.choice(patterns.audit)
    tenant_options = tenant.choice(patterns.tenant)
    rbac_options = rbac.choice(patterns.rbac)

    if rbac_options is not None:
        rbac.apply(draft, rbac_options)
    audit_table: TableKey | None = None
    if audit_options is not None:
        audit_table = audit.create_audit_table(draft, audit_options)
    if tenant_options is not None:
        tenant.create_tenant_table(draft, tenant_options)

    tree.apply(draft, tree.choice(patterns.tree))
    chosen_soft_delete = soft_delete.choice(patterns.soft_delete)
    if chosen_soft_delete is not None:
        soft_delete.apply(draft, *chosen_soft_delete)
    # The audit log is shared history, neither tenant-scoped nor touched by timestamps.
    append_only = {audit_table} if audit_table is not None else set()
    if tenant_options is not None:
        tenant.apply(draft, tenant_options, skip=append_only)
    if audit_options is not None and audit_table is not None:
        audit.apply(draft, audit_options, audit_table)
    chosen_timestamps = timestamps.choice(patterns.timestamps, settings.timestamps)
    if chosen_timestamps is not None:
        timestamps.apply(draft, chosen_timestamps, skip=append_only)
    if settings.index_foreign_keys:
        index_foreign_keys(draft)
    return draft.build()


def index_foreign_keys(draft: Draft) -> None:
    """A full btree index led by each foreign key's columns, on the tables patterns touched."""
    for key in sorted(draft.touched):
        table = draft.table(key)
        added = []
        for fk in table.foreign_keys:
            if leading_columns_covered(table, fk.columns) or any(
                tuple(index.columns) == fk.columns for index in added
            ):
                continue
            added.append(plain_index(draft.name("index", table.name, fk.columns), fk.columns))
        if added:
            draft.put(replace(table, indexes=(*table.indexes, *added)))
