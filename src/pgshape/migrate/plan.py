"""From the comparators' operations to an executable plan: complete, ordered, online-safe.

The stages run in the order of ``STAGES``, each a plain function from operations to operations
(like an optimizer's rule list):

1. ``add_dependent_views`` — a view that reads a column being retyped or dropped (or a view
   being replaced) blocks the change, so it is dropped before and created again after;
2. ``drop_subsumed`` — what DROP TABLE / DROP VIEW removes by itself is not dropped first;
3. ``order`` — by phase (below), parents before partitions, views after the views they read;
4. ``online`` (unless ``online=False``) — rewrites for a live database:
   ``CREATE/DROP INDEX CONCURRENTLY`` (outside the transaction); foreign keys and checks added
   ``NOT VALID`` then validated (SHARE UPDATE EXCLUSIVE: reads and writes go on); ``SET NOT
   NULL`` after a validated ``CHECK (c IS NOT NULL)``, which PostgreSQL 12+ accepts as proof
   without scanning, then the helper check is dropped; UNIQUE / PRIMARY KEY through a
   concurrently built unique index and ``ADD CONSTRAINT ... USING INDEX``. Objects on tables
   created in the same plan are left plain: an empty new table needs no care. Partitioned
   tables are left plain too (PostgreSQL refuses CONCURRENTLY and NOT VALID foreign keys there).

Enum values are added with ``ALTER TYPE ... ADD VALUE`` in a transaction of their own before
anything uses them (``ops.AddEnumValue.own_transaction``); the renderer splits transactions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from pgshape.migrate import ops as o
from pgshape.migrate.diff import Diff, diff
from pgshape.migrate.diff.views import build as build_view
from pgshape.migrate.diff.views import unbuild as unbuild_view
from pgshape.migrate.ops import Operation
from pgshape.model import CheckConstraint, Database, ForeignKey, Index, IndexKey, PrimaryKey, UniqueConstraint
from pgshape.render.identifiers import qualified, quote_ident
from pgshape.render.sql_order import (
    called_functions,
    function_stage,
    functions_by_name,
    order_tables_and_functions,
    order_types,
    toposort,
)


@dataclass(frozen=True)
class PlanOptions:
    online: bool = True
    lock_timeout: str = "5s"
    statement_timeout: str = "60s"


@dataclass(frozen=True)
class Plan:
    """The up and down operations in execution order, and what the planner noticed."""

    up: tuple[Operation, ...]
    down: tuple[Operation, ...]
    notes: tuple[str, ...] = ()
    options: PlanOptions = field(default_factory=PlanOptions)

    @property
    def empty(self) -> bool:
        return not self.up


@dataclass
class _Ctx:
    before: Database
    after: Database
    options: PlanOptions


Stage = Callable[[list[Operation], _Ctx], list[Operation]]
FunctionKey = tuple[str, str, str]


@dataclass(frozen=True)
class _Between:
    """Functions whose order depends on the relations created or dropped around them."""

    created_with_tables: set[FunctionKey]  # a new table's default, generated column or check calls it
    dropped_with_tables: set[FunctionKey]  # the same, for a dropped table
    dropped_views: set[tuple[str, str]]  # a dropped function that names one goes before the view


# 1. Dependent views -------------------------------------------------------------------------------


def _blocked_relations(ops: list[Operation]) -> set[tuple[str, str]]:
    """Relations whose change PostgreSQL refuses while a view reads them."""
    blocked: set[tuple[str, str]] = set()
    for op in ops:
        if isinstance(op, (o.AlterColumnType, o.DropColumn)):
            blocked.add(op.table)
        elif isinstance(op, o.RecreateEnum):
            blocked |= {usage.table for usage in op.usages}
        elif isinstance(op, o.DropView):
            blocked.add(op.view.key)
    return blocked


def add_dependent_views(ops: list[Operation], ctx: _Ctx) -> list[Operation]:
    blocked = _blocked_relations(ops)
    dropped = {op.view.key for op in ops if isinstance(op, o.DropView)}
    created = {op.view.key for op in ops if isinstance(op, o.CreateView)}
    extra: list[Operation] = []
    changed = True
    while changed:  # views on views: repeat until no new view is reached
        changed = False
        for view in ctx.before.views:
            if view.key in dropped or not set(view.depends_on) & blocked:
                continue
            dropped.add(view.key)
            blocked.add(view.key)
            changed = True
            extra += unbuild_view(view)
            again = ctx.after.views_by_key.get(view.key)
            if again is not None and view.key not in created:
                created.add(view.key)
                extra += build_view(again)
    return ops + extra


# 2. What DROP TABLE / DROP VIEW already removes --------------------------------------------------


def _relation_of(op: Operation) -> tuple[str, str] | None:
    for name in ("table", "relation"):
        value = getattr(op, name, None)
        if isinstance(value, tuple):
            return value
    return None


def drop_subsumed(ops: list[Operation], ctx: _Ctx) -> list[Operation]:
    gone = {op.table.key for op in ops if isinstance(op, o.DropTable)}
    gone |= {op.view.key for op in ops if isinstance(op, o.DropView)}
    children = (
        o.DropIndex,
        o.DropConstraint,
        o.DropTrigger,
        o.DropPolicy,
        o.DropColumn,
        o.AlterTable,
        o.DetachPartition,
    )

    def subsumed(op: Operation) -> bool:
        if not isinstance(op, children) or _relation_of(op) not in gone:
            return False
        # A foreign key to another dropped table must go first: DROP TABLE of the referenced
        # table is refused while it exists (and two tables can reference each other).
        return not (
            isinstance(op, o.DropConstraint)
            and isinstance(op.constraint, ForeignKey)
            and op.constraint.referenced != op.table
            and op.constraint.referenced in gone
        )

    return [op for op in ops if not subsumed(op)]


# 3. Order -----------------------------------------------------------------------------------------


def _replaced(ops: list[Operation]) -> set[o.Ref]:
    """Objects both dropped and created in the plan: their drop must come before the create."""
    drops = {ref for op in ops if type(op).__name__.startswith("Drop") for ref in op.refs}
    creates = {ref for op in ops if type(op).__name__.startswith(("Create", "Add")) for ref in op.refs}
    return drops & creates


def _function_phase(function: o.Function, db: Database) -> float:
    types = {t.key: qualified(*t.key) for t in (*db.enums, *db.domains, *db.composite_types)}
    stage = function_stage(function, set(db.tables_by_key), set(db.views_by_key), types)
    return {0: 2.1, 1: 2.3, 2: 8.0, 3: 10.0}[stage]


def _between(ops: list[Operation], ctx: _Ctx) -> _Between:
    """Functions created or dropped together with a table whose default, generated column or
    check calls them are ordered with the tables, not in a phase of their own (a SQL-standard
    body may also read another of those tables)."""
    created = [op.table for op in ops if isinstance(op, o.CreateTable)]
    dropped = [op.table for op in ops if isinstance(op, o.DropTable)]
    after, before = functions_by_name(ctx.after.functions), functions_by_name(ctx.before.functions)
    return _Between(
        {k for table in created for k in called_functions(table, after)},
        {k for table in dropped for k in called_functions(table, before)},
        {op.view.key for op in ops if isinstance(op, o.DropView)},
    )


def _phase(op: Operation, ctx: _Ctx, replaced: set[o.Ref], between: _Between) -> float:
    if isinstance(op, o.CreateFunction) and op.function.key in between.created_with_tables:
        return min(6.1, _function_phase(op.function, ctx.after))
    if isinstance(op, o.DropFunction) and not set(op.refs) & replaced:
        if set(op.function.depends_on) & between.dropped_views:
            return 4.15  # returns or reads a view's rows: before DROP VIEW
        if op.function.key in between.dropped_with_tables:
            return 12.1
    if isinstance(op, o.CreateSchema):
        return 0
    if isinstance(op, o.CreateExtension):
        return 1
    if isinstance(op, o.CreateSequence):
        return 2
    if isinstance(op, o.AlterSequence):
        return 2 if op.after.owned_by is None else 7.5
    if isinstance(op, (o.CreateFunction, o.ReplaceFunction)):
        return _function_phase(op.function if isinstance(op, o.CreateFunction) else op.after, ctx.after)
    if isinstance(op, o.DropFunction) and set(op.refs) & replaced:
        return 2.05
    if isinstance(op, o.DropType) and set(op.refs) & replaced:
        return 2.15
    if isinstance(op, (o.CreateType, o.AddEnumValue)):
        return 2.2
    if isinstance(op, (o.RenameTable, o.RenameColumn)):
        return 3
    if isinstance(op, (o.RenameConstraint, o.RenameIndex)):
        return 3.5
    if isinstance(op, o.DropTrigger):
        return 4.0
    if isinstance(op, o.DropPolicy):
        return 4.1
    if isinstance(op, o.DropView):
        return 4.2
    if isinstance(op, o.DropConstraint):
        return 4.3 if isinstance(op.constraint, ForeignKey) else 4.4
    if isinstance(op, o.InvalidateConstraint):
        return 4.5
    if isinstance(op, o.DropIndex):
        return 4.6
    if isinstance(op, o.DetachPartition):
        return 4.7
    if isinstance(op, o.DropColumn) and set(op.refs) & replaced:
        return 5
    if isinstance(op, o.RecreateEnum):
        return 6.0
    if isinstance(op, (o.AlterDomain, o.AlterCompositeType)):
        return 6.05
    if isinstance(op, o.CreateTable):
        return 6.1
    if isinstance(op, o.AttachPartition):
        return 6.15
    if isinstance(op, o.AddColumn):
        return 6.2
    if isinstance(op, o.AlterColumnIdentity) and op.after.identity is None:
        return 6.25
    if isinstance(op, (o.AlterColumnType, o.AlterColumnDefault, o.AlterColumnNullable)):
        return 6.3
    if isinstance(op, (o.AlterColumnIdentity, o.AlterTable)):
        return 6.4
    if isinstance(op, (o.AddConstraint, o.ValidateConstraint)):
        fk = isinstance(op.constraint, ForeignKey)
        return 7.2 if fk else 7.0
    if isinstance(op, o.CreateIndex):
        return 9.1 if op.relation in ctx.after.views_by_key else 7.1
    if isinstance(op, o.CreateView):
        return 9.0
    if isinstance(op, o.CreateTrigger):
        return 9.2 if op.relation in ctx.after.views_by_key else 11.0
    if isinstance(op, (o.AlterTriggerState, o.CreatePolicy)):
        return 11.1
    if isinstance(op, o.DropFunction) and op.function.depends_on:
        return 11.9  # its signature or body names a relation: before that relation goes
    if isinstance(op, o.DropColumn):
        return 12.0
    if isinstance(op, o.DropTable):
        return 12.1
    if isinstance(op, o.DropSequence):
        return 12.2
    if isinstance(op, o.DropFunction):
        return 12.3
    if isinstance(op, o.DropType):
        return 12.4
    if isinstance(op, o.DropExtension):
        return 12.5
    if isinstance(op, o.DropSchema):
        return 12.6
    if isinstance(op, o.SetComment):
        return 13
    raise TypeError(f"no phase for {type(op).__name__}")


def _order_within(phase: float, group: list[Operation], ctx: _Ctx) -> list[Operation]:
    """Dependency order inside one phase (the stable diff order otherwise)."""
    if phase in (6.1, 12.1):  # CreateTable: parents first; DropTable: children first
        tables = [op.table for op in group if isinstance(op, (o.CreateTable, o.DropTable))]
        functions = [op.function for op in group if isinstance(op, (o.CreateFunction, o.DropFunction))]
        by_key: dict[tuple[str, ...], Operation] = {}
        for op in group:
            routine = isinstance(op, (o.CreateFunction, o.DropFunction))
            by_key[op.function.key if routine else op.table.key] = op  # type: ignore[attr-defined]
        ordered = order_tables_and_functions(tables, functions)
        return [by_key[item.key] for item in (ordered if phase == 6.1 else reversed(ordered))]
    if phase in (9.0, 4.2):  # views after (or, dropping, before) the views they read
        by_key = {op.view.key: op for op in group}  # type: ignore[attr-defined]
        ordered = toposort(group, lambda op: op.view.key, lambda op: op.view.depends_on)  # type: ignore[attr-defined]
        result = ordered if phase == 9.0 else list(reversed(ordered))
        return [by_key[op.view.key] for op in result]  # type: ignore[attr-defined]
    if phase in (2.2, 12.4):  # enums, then domains and composites after the types they name
        enums = [op for op in group if isinstance(op, o.AddEnumValue) or isinstance(op.type, o.EnumType)]  # type: ignore[attr-defined]
        others = [op for op in group if op not in enums]
        by_key = {op.type.key: op for op in others}  # type: ignore[attr-defined]
        typed = [by_key[t.key] for t in order_types([op.type for op in others])]  # type: ignore[attr-defined]
        return enums + typed if phase == 2.2 else list(reversed(typed)) + enums
    return group


def order(ops: list[Operation], ctx: _Ctx) -> list[Operation]:
    replaced = _replaced(ops)
    between = _between(ops, ctx)
    phases: dict[float, list[Operation]] = {}
    for op in ops:
        phases.setdefault(_phase(op, ctx, replaced, between), []).append(op)
    return [op for phase in sorted(phases) for op in _order_within(phase, phases[phase], ctx)]


# 4. Online-safe rewrites --------------------------------------------------------------------------


def _not_null_check_name(table: tuple[str, str], column: str) -> str:
    name = f"{column}_not_null_pgshape"
    return name if len(name.encode()) <= 63 else f"{column.encode()[:40].decode(errors='ignore')}_nn_pgshape"


def _unique_index(constraint: PrimaryKey | UniqueConstraint) -> Index:
    nulls = isinstance(constraint, UniqueConstraint) and constraint.nulls_not_distinct
    return Index(
        constraint.name,
        tuple(IndexKey(column=c) for c in constraint.columns),
        unique=True,
        include=constraint.include,
        nulls_not_distinct=nulls,
    )


def online(ops: list[Operation], ctx: _Ctx) -> list[Operation]:
    if not ctx.options.online:
        return ops
    new = {op.table.key for op in ops if isinstance(op, o.CreateTable)}
    new |= {op.view.key for op in ops if isinstance(op, o.CreateView)}
    partitioned = {t.key for db in (ctx.before, ctx.after) for t in db.tables if t.is_partitioned}

    def live(key: tuple[str, str]) -> bool:
        return key not in new and key not in partitioned

    result: list[Operation] = []
    for op in ops:
        if isinstance(op, (o.CreateIndex, o.DropIndex)) and live(op.relation):
            result.append(replace(op, concurrently=True))
        elif isinstance(op, o.AddConstraint) and live(op.table) and op.using_index is None:
            constraint = op.constraint
            if isinstance(constraint, (CheckConstraint, ForeignKey)) and constraint.validated:
                result.append(replace(op, not_valid=True))
                result.append(o.ValidateConstraint(op.table, constraint))
            elif isinstance(constraint, (PrimaryKey, UniqueConstraint)):
                index = _unique_index(constraint)
                result.append(o.CreateIndex(op.table, index, concurrently=True))
                result.append(replace(op, using_index=index.name))
            else:
                result.append(op)
        elif isinstance(op, o.AlterColumnNullable) and not op.nullable and live(op.table):
            name = _not_null_check_name(op.table, op.column)
            check = CheckConstraint(name, f"{quote_ident(op.column)} IS NOT NULL")
            result.append(o.AddConstraint(op.table, check, not_valid=True))
            result.append(o.ValidateConstraint(op.table, check))
            result.append(replace(op, proven_by=name))
            result.append(o.DropConstraint(op.table, check))
        else:
            result.append(op)
    return result


STAGES: tuple[Stage, ...] = (add_dependent_views, drop_subsumed, order, online)


def plan_operations(
    operations: tuple[Operation, ...] | list[Operation],
    before: Database,
    after: Database,
    options: PlanOptions | None = None,
) -> list[Operation]:
    """Run every stage on ``operations`` that turn ``before`` into ``after``."""
    ctx = _Ctx(before, after, options or PlanOptions())
    ops = list(operations)
    for stage in STAGES:
        ops = stage(ops, ctx)
    return ops


def plan(
    up: Diff,
    before: Database,
    after: Database,
    *,
    down: Diff | None = None,
    down_before: Database | None = None,
    options: PlanOptions | None = None,
) -> Plan:
    """Plan ``up`` (the diff ``before`` → ``after``) and its down migration.

    The down migration is planned from the reversed operations of ``up`` — unless renames are
    involved: then the operations of both directions name objects differently, and the caller
    passes ``down`` (the diff of ``after`` → ``before`` with inverted hints, taken from
    ``down_before``, i.e. ``after`` with the renames undone).
    """
    options = options or PlanOptions()
    up_ops = plan_operations(up.operations, before, after, options)
    if down is None:
        reversed_ops = [op.reverse() for op in reversed(up.operations)]
        down_ops = plan_operations(reversed_ops, after, before, options)
    else:
        down_ops = plan_operations(down.operations, down_before or after, before, options)
    return Plan(tuple(up_ops), tuple(down_ops), up.notes, options)


def diff_and_plan(before: Database, after: Database, options: PlanOptions | None = None) -> Plan:
    """``diff`` then ``plan`` — for callers without rename hints."""
    return plan(diff(before, after), before, after, options=options)
