"""The pattern library: one-line opt-ins in a design file that expand into tables, columns,
indexes, triggers and policies.

Patterns are pure transforms of the schema model (``Database`` → ``Database``), independent of
the design file format; :func:`apply_patterns` runs them in dependency order.
"""

from __future__ import annotations

from pgshape.design.patterns.apply import apply_patterns
from pgshape.design.patterns.spec import (
    AuditOptions,
    PatternsSpec,
    RbacOptions,
    SoftDeleteOptions,
    TenantOptions,
    TimestampsOptions,
    TreeOptions,
)

__all__ = [
    "AuditOptions",
    "PatternsSpec",
    "RbacOptions",
    "SoftDeleteOptions",
    "TenantOptions",
    "TimestampsOptions",
    "TreeOptions",
    "apply_patterns",
]
