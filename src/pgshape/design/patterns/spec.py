"""The ``patterns:`` section of a design file: one optional, one-line opt-in per pattern.

Each pattern accepts ``true`` (every table the pattern sensibly applies to), a list of table
names, or a small mapping of options. Table names are bare (``post``, in the project schema) or
schema-qualified (``billing.invoice``). The models forbid unknown keys so that a typo in a
design file is an error that names the key, not a silently ignored option.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

OnDelete = Literal["CASCADE", "RESTRICT", "SET NULL", "NO ACTION"]


class _Options(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TimestampsOptions(_Options):
    """created_at / updated_at on every chosen table, and a trigger keeping updated_at current."""

    tables: list[str] | None = Field(
        default=None, description="Tables to give timestamps; default: every table except link tables."
    )
    exclude: list[str] = Field(default_factory=list, description="Tables to leave out.")
    trigger: bool = Field(default=True, description="Add the BEFORE UPDATE trigger that sets updated_at.")


class SoftDeleteOptions(_Options):
    """A deleted_at column; uniques and indexes made partial ``WHERE deleted_at IS NULL``."""

    tables: list[str] = Field(description="Tables whose rows are soft-deleted.")
    column: str = Field(default="deleted_at", description="Name of the timestamptz column.")


class TenantOptions(_Options):
    """Multi-tenancy: a tenant table, tenant_id on scoped tables, row-level security."""

    tables: list[str] | None = Field(
        default=None,
        description="Tenant-scoped tables; default: every table except link tables and the tenant table.",
    )
    exclude: list[str] = Field(default_factory=list, description="Tables shared by all tenants.")
    table: str = Field(default="tenant", description="Name of the tenant table (created when missing).")
    column: str = Field(default="tenant_id", description="Name of the tenant key column.")
    setting: str = Field(
        default="app.current_tenant",
        description="Session setting holding the current tenant's key (SET app.current_tenant = ...).",
    )
    force_rls: bool = Field(default=True, description="FORCE ROW LEVEL SECURITY: the owner is filtered too.")
    on_delete: OnDelete = Field(default="CASCADE", description="What deleting a tenant does to its rows.")
    same_tenant_references: bool = Field(
        default=False,
        description="Make foreign keys between scoped tables composite, (tenant_id, x_id) → (tenant_id, id), "
        "so a row can only reference rows of its own tenant.",
    )


class AuditOptions(_Options):
    """An audit_log table written by an AFTER INSERT/UPDATE/DELETE trigger on the chosen tables."""

    tables: list[str] | None = Field(
        default=None, description="Audited tables; default: every table except link tables."
    )
    table: str = Field(default="audit_log", description="Name of the audit table.")
    actor_setting: str = Field(
        default="app.current_actor", description="Session setting naming who acts (recorded as actor)."
    )


class RbacOptions(_Options):
    """Users, roles and permissions with the user_role and role_permission link tables."""

    user_table: str = Field(default="app_user", description="The user table (`user` is a reserved word).")
    role_table: str = Field(default="role")
    permission_table: str = Field(default="permission")


class TreeOptions(_Options):
    """A hierarchy on one table: an adjacency list (parent_id) or an ltree path."""

    style: Literal["adjacency", "ltree"] = Field(default="adjacency")
    column: str | None = Field(default=None, description="Default: parent_id (adjacency) or path (ltree).")
    on_delete: OnDelete = Field(
        default="CASCADE", description="Adjacency only: what deleting a node does to its children."
    )


TreeStyle = Literal["adjacency", "ltree"]


class PatternsSpec(_Options):
    """The patterns a design opts into. Every field is optional; absent means off."""

    timestamps: bool | list[str] | TimestampsOptions | None = Field(
        default=None,
        description="created_at/updated_at + updated_at trigger: true (all tables), a list, or options. "
        "Defaults to the project setting `timestamps`.",
    )
    soft_delete: list[str] | SoftDeleteOptions | None = Field(
        default=None, description="Tables with deleted_at; their uniques and indexes become partial."
    )
    tenant: bool | list[str] | TenantOptions | None = Field(
        default=None, description="Multi-tenant tables with tenant_id and row-level security."
    )
    audit: bool | list[str] | AuditOptions | None = Field(
        default=None, description="Tables whose changes are written to audit_log by a trigger."
    )
    rbac: bool | RbacOptions | None = Field(
        default=None, description="app_user/role/permission with user_role and role_permission."
    )
    tree: list[str] | dict[str, TreeStyle | TreeOptions] | None = Field(
        default=None,
        description="Hierarchical tables: a list (adjacency lists) or {table: adjacency|ltree|options}.",
    )
