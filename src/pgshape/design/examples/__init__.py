"""Example design files: starting points for ``pgshape init --example NAME``.

Each is a commented YAML design file; together they show every pattern of the pattern library.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from pgshape.errors import InputError

DEFAULT_EXAMPLE = "blog"

# name → one-line description (shown by ``pgshape init --list``), in the order listed.
EXAMPLES: dict[str, str] = {
    "blog": "users, posts, threaded comments (replies) and tags; soft delete on posts and comments",
    "shop": "customers, orders and items, products in a category tree (product_category links)",
    "saas": "multi-tenant app: tenant table, tenant_id everywhere, row-level security",
    "rbac": "users, roles and permissions with user_role / role_permission link tables",
    "audit": "invoices and payments whose every change is written to audit_log by a trigger",
    "starter": "User, Role (user_role link), Post, Category tree, timestamps and soft delete",
}


def example_path(name: str) -> Path:
    """The bundled design file of example ``name`` (an error listing the choices otherwise)."""
    if name not in EXAMPLES:
        raise InputError(f"unknown example {name!r}; available: {', '.join(EXAMPLES)}")
    return Path(str(files("pgshape.design.examples") / f"{name}.yaml"))


def example_text(name: str) -> str:
    return example_path(name).read_text(encoding="utf-8")
