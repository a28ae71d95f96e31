"""Operations → SQL: statements per operation, transaction blocks, and the reviewed script.

``statements(op)`` dispatches on the operation's ``kind`` to a ``_<kind>`` function (one per
operation class) and returns statements without semicolons. ``blocks(ops, options)`` groups
steps into transaction blocks: consecutive transactional steps share one ``BEGIN … COMMIT``;
a ``CONCURRENTLY`` step runs on its own outside any transaction; an ``ADD VALUE`` step commits
on its own before the steps that may use the new value. Each step starts with its own
``lock_timeout`` and ``statement_timeout``: a blocking step gives up quickly instead of
queueing every other query behind its lock, a step that only holds a weak lock (validation,
concurrent index build) may run as long as it needs.

``render(plan, ...)`` writes the script: a header (what, notes, verdict), the up section, and
the down section commented out (it is a separate script: ``down_script``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from pgshape.migrate import ops as o
from pgshape.migrate.ops import Operation
from pgshape.migrate.plan import Plan, PlanOptions
from pgshape.model import (
    CheckConstraint,
    CompositeType,
    Database,
    Domain,
    EnumType,
    ExclusionConstraint,
    ForeignKey,
    Identity,
    PrimaryKey,
    Sequence,
    Table,
    UniqueConstraint,
)
from pgshape.render import sql_objects as objects
from pgshape.render import sql_tables as tables
from pgshape.render.identifiers import qualified, quote_ident, quote_literal
from pgshape.render.sql import SESSION_SETTINGS

# Comments ---------------------------------------------------------------------------------------


def _comment(target: str, text: str | None) -> list[str]:
    return [f"COMMENT ON {target} IS {quote_literal(text)}"] if text is not None else []


def _constraint_comment(table: tuple[str, str], constraint: o.Constraint) -> list[str]:
    return _comment(f"CONSTRAINT {quote_ident(constraint.name)} ON {qualified(*table)}", constraint.comment)


def _table_comments(table: Table) -> list[str]:
    name = qualified(*table.key)
    found = _comment(f"TABLE {name}", table.comment)
    for column in table.columns:
        found += _comment(f"COLUMN {name}.{quote_ident(column.name)}", column.comment)
    keys = [*([table.primary_key] if table.primary_key else []), *table.unique_constraints]
    for constraint in [*keys, *table.check_constraints, *table.exclusion_constraints]:
        found += _constraint_comment(table.key, constraint)
    return found


# One function per operation kind ------------------------------------------------------------------


def _create_schema(op: o.CreateSchema) -> list[str]:
    return [
        objects.create_schema(op.schema.name),
        *_comment(f"SCHEMA {quote_ident(op.schema.name)}", op.schema.comment),
    ]


def _drop_schema(op: o.DropSchema) -> list[str]:
    return [f"DROP SCHEMA {quote_ident(op.schema.name)}"]


def _create_extension(op: o.CreateExtension) -> list[str]:
    return [objects.create_extension(op.extension)]


def _drop_extension(op: o.DropExtension) -> list[str]:
    return [f"DROP EXTENSION {quote_ident(op.extension.name)}"]


def _type_word(obj: EnumType | Domain | CompositeType) -> str:
    return "DOMAIN" if isinstance(obj, Domain) else "TYPE"


def _create_type(op: o.CreateType) -> list[str]:
    obj = op.type
    found = objects.create_type(obj) + _comment(f"{_type_word(obj)} {qualified(*obj.key)}", obj.comment)
    if isinstance(obj, Domain):
        for check in obj.checks:
            found += _comment(
                f"CONSTRAINT {quote_ident(check.name)} ON DOMAIN {qualified(*obj.key)}", check.comment
            )
    return found


def _drop_type(op: o.DropType) -> list[str]:
    return [f"DROP {_type_word(op.type)} {qualified(*op.type.key)}"]


def _add_enum_value(op: o.AddEnumValue) -> list[str]:
    text = f"ALTER TYPE {qualified(*op.after.key)} ADD VALUE {quote_literal(op.label)}"
    position = op.position
    if position is not None:
        text += f" {position[0]} {quote_literal(position[1])}"
    return [text]


def _old_name(name: str) -> str:
    suffix = "_pgshape_old"
    return name.encode()[: 63 - len(suffix)].decode(errors="ignore") + suffix


def _recreate_enum(op: o.RecreateEnum) -> list[str]:
    name = qualified(*op.after.key)
    old = _old_name(op.after.name)
    found = [f"ALTER TYPE {name} RENAME TO {quote_ident(old)}"]
    found += _create_type(o.CreateType(op.after))
    defaults_after = {(u.table, u.column): u.default for u in op.usages_after}
    for usage in op.usages:
        table, column = qualified(*usage.table), quote_ident(usage.column)
        # The default is set again as it is once the plan has run (an old one may name a
        # label that no longer exists).
        default = defaults_after.get((usage.table, usage.column), usage.default)
        alter = f"ALTER TABLE {table} ALTER COLUMN {column}"
        if usage.default is not None:
            found.append(f"{alter} DROP DEFAULT")
        kind = f"{name}[]" if usage.array else name
        through = "text[]" if usage.array else "text"
        if usage.array or not op.destructive:
            using = f"{column}::{through}::{kind}"
        else:
            # A removed label cannot convert: such values become NULL (the data loss that
            # --allow-destructive accepted); a NOT NULL column refuses, which stops the plan.
            labels = ", ".join(quote_literal(label) for label in op.after.labels)
            using = f"CASE WHEN {column}::text = ANY (ARRAY[{labels}]) THEN {column}::text::{kind} END"
        found.append(f"{alter} TYPE {kind} USING {using}")
        if default is not None:
            found.append(f"{alter} SET DEFAULT {default}")
    found.append(f"DROP TYPE {qualified(op.after.schema, old)}")
    return found


def _domain_check(check: CheckConstraint) -> str:
    text = f"CONSTRAINT {quote_ident(check.name)} CHECK ({check.expression})"
    return text if check.validated else f"{text} NOT VALID"


def _alter_domain(op: o.AlterDomain) -> list[str]:
    a, b = op.before, op.after
    name = qualified(*b.key)
    found = []
    if a.default != b.default:
        found.append(
            f"ALTER DOMAIN {name} " + ("DROP DEFAULT" if b.default is None else f"SET DEFAULT {b.default}")
        )
    if a.nullable != b.nullable:
        found.append(f"ALTER DOMAIN {name} {'DROP' if b.nullable else 'SET'} NOT NULL")
    old = {c.name: c for c in a.checks}
    new = {c.name: c for c in b.checks}
    for check_name, check in old.items():
        if check_name not in new or replace(new[check_name], comment=None) != replace(check, comment=None):
            found.append(f"ALTER DOMAIN {name} DROP CONSTRAINT {quote_ident(check_name)}")
    for check_name, check in new.items():
        if check_name not in old or replace(old[check_name], comment=None) != replace(check, comment=None):
            found.append(f"ALTER DOMAIN {name} ADD {_domain_check(check)}")
            found += _comment(f"CONSTRAINT {quote_ident(check_name)} ON DOMAIN {name}", check.comment)
    return found


def _alter_composite_type(op: o.AlterCompositeType) -> list[str]:
    name = qualified(*op.after.key)
    old = {a.name: a for a in op.before.attributes}
    new = {a.name: a for a in op.after.attributes}
    actions = [f"DROP ATTRIBUTE {quote_ident(n)}" for n in old if n not in new]
    for attr_name, attribute in new.items():
        collate = f" COLLATE {attribute.collation}" if attribute.collation else ""
        if attr_name not in old:
            actions.append(f"ADD ATTRIBUTE {quote_ident(attr_name)} {attribute.type}{collate}")
        elif old[attr_name] != attribute:
            actions.append(f"ALTER ATTRIBUTE {quote_ident(attr_name)} TYPE {attribute.type}{collate}")
    return [f"ALTER TYPE {name} {', '.join(actions)}"] if actions else []


def _create_sequence(op: o.CreateSequence) -> list[str]:
    name = qualified(*op.sequence.key)
    return [objects.create_sequence(op.sequence), *_comment(f"SEQUENCE {name}", op.sequence.comment)]


def _drop_sequence(op: o.DropSequence) -> list[str]:
    # IF EXISTS: a sequence owned by a dropped column or table is already gone with it.
    return [f"DROP SEQUENCE IF EXISTS {qualified(*op.sequence.key)}"]


def _sequence_options(s: Sequence) -> tuple[object, ...]:
    return (s.type, s.start, s.increment, s.min_value, s.max_value, s.cache, s.cycle)


def _alter_sequence(op: o.AlterSequence) -> list[str]:
    a, b = op.before, op.after
    name = qualified(*b.key)
    found = []
    if b.increment > 0 and b.min_value is not None and b.min_value > (a.min_value or 1):
        # A raised MINVALUE is refused while the sequence is below it: move it up (never back).
        found.append(
            f"SELECT pg_catalog.setval({quote_literal(name)}, {b.min_value}, false)"
            f" FROM {name} WHERE last_value < {b.min_value}"
        )
    if _sequence_options(a) != _sequence_options(b):
        # CREATE SEQUENCE's option list is valid in ALTER SEQUENCE too.
        options = objects.create_sequence(b).split(f"{name} ", 1)[1]
        found.append(f"ALTER SEQUENCE {name} {options}")
    if a.owned_by != b.owned_by:
        owner = objects.sequence_owned_by(b)
        found.append(owner if owner is not None else f"ALTER SEQUENCE {name} OWNED BY NONE")
    return found


def _create_table(op: o.CreateTable) -> list[str]:
    return tables.create_table(op.table, list(op.parents)) + _table_comments(op.table)


def _drop_table(op: o.DropTable) -> list[str]:
    return [f"DROP TABLE {qualified(*op.table.key)}"]


def _rename_table(op: o.RenameTable) -> list[str]:
    return [f"ALTER TABLE {qualified(*op.table)} RENAME TO {quote_ident(op.new_name)}"]


def _alter_table(op: o.AlterTable) -> list[str]:
    a, b = op.before, op.after
    name = f"ALTER TABLE {qualified(*b.key)}"
    found = []
    old = dict(option.split("=", 1) for option in a.options)
    new = dict(option.split("=", 1) for option in b.options)
    reset = [key for key in old if key not in new]
    changed = [f"{key}={value}" for key, value in new.items() if old.get(key) != value]
    if reset:
        found.append(f"{name} RESET ({', '.join(reset)})")
    if changed:
        found.append(f"{name} SET ({', '.join(changed)})")
    if a.unlogged != b.unlogged:
        found.append(f"{name} SET {'UNLOGGED' if b.unlogged else 'LOGGED'}")
    if a.rls_enabled != b.rls_enabled:
        found.append(f"{name} {'ENABLE' if b.rls_enabled else 'DISABLE'} ROW LEVEL SECURITY")
    if a.rls_forced != b.rls_forced:
        found.append(f"{name} {'FORCE' if b.rls_forced else 'NO FORCE'} ROW LEVEL SECURITY")
    return found


def _attach_partition(op: o.AttachPartition) -> list[str]:
    parent = qualified(op.partition_of.schema, op.partition_of.table)
    return [f"ALTER TABLE {parent} ATTACH PARTITION {qualified(*op.table)} {op.partition_of.bound}"]


def _detach_partition(op: o.DetachPartition) -> list[str]:
    parent = qualified(op.partition_of.schema, op.partition_of.table)
    return [f"ALTER TABLE {parent} DETACH PARTITION {qualified(*op.table)}"]


def _column_alter(table: tuple[str, str], column: str) -> str:
    return f"ALTER TABLE {qualified(*table)} ALTER COLUMN {quote_ident(column)}"


def _add_column(op: o.AddColumn) -> list[str]:
    name = qualified(*op.table)
    column = op.column
    found = [f"ALTER TABLE {name} ADD COLUMN {tables.column_definition(column)}"]
    return found + _comment(f"COLUMN {name}.{quote_ident(column.name)}", column.comment)


def _drop_column(op: o.DropColumn) -> list[str]:
    return [f"ALTER TABLE {qualified(*op.table)} DROP COLUMN {quote_ident(op.column.name)}"]


def _rename_column(op: o.RenameColumn) -> list[str]:
    return [
        f"ALTER TABLE {qualified(*op.table)} RENAME COLUMN {quote_ident(op.old)} TO {quote_ident(op.new)}"
    ]


def _alter_column_type(op: o.AlterColumnType) -> list[str]:
    alter = _column_alter(op.table, op.after.name)
    found = [f"{alter} DROP DEFAULT"] if op.before.default is not None else []
    text = f"{alter} TYPE {op.after.type}"
    if op.after.collation:
        text += f" COLLATE {op.after.collation}"
    elif op.before.collation:
        text += ' COLLATE pg_catalog."default"'
    if op.using:
        text += f" USING {op.using}"
    found.append(text)
    if op.after.default is not None:
        found.append(f"{alter} SET DEFAULT {op.after.default}")
    return found


def _alter_column_default(op: o.AlterColumnDefault) -> list[str]:
    alter = _column_alter(op.table, op.column)
    return [f"{alter} DROP DEFAULT" if op.after is None else f"{alter} SET DEFAULT {op.after}"]


def _alter_column_nullable(op: o.AlterColumnNullable) -> list[str]:
    return [f"{_column_alter(op.table, op.column)} {'DROP' if op.nullable else 'SET'} NOT NULL"]


_IDENTITY_SET = (
    ("start", "SET START WITH", "SET START WITH 1"),
    ("increment", "SET INCREMENT BY", "SET INCREMENT BY 1"),
    ("min_value", "SET MINVALUE", "SET NO MINVALUE"),
    ("max_value", "SET MAXVALUE", "SET NO MAXVALUE"),
    ("cache", "SET CACHE", "SET CACHE 1"),
)


def _identity_changes(a: Identity, b: Identity) -> list[str]:
    changes = []
    if a.always != b.always:
        changes.append("SET GENERATED " + ("ALWAYS" if b.always else "BY DEFAULT"))
    for name, keyword, default in _IDENTITY_SET:
        value = getattr(b, name)
        if getattr(a, name) != value:
            changes.append(default if value is None else f"{keyword} {value}")
    if a.cycle != b.cycle:
        changes.append("SET CYCLE" if b.cycle else "SET NO CYCLE")
    return changes


def _alter_column_identity(op: o.AlterColumnIdentity) -> list[str]:
    alter = _column_alter(op.table, op.after.name)
    a, b = op.before.identity, op.after.identity
    if a is None and b is not None:
        found = [f"{alter} SET NOT NULL"] if op.before.nullable else []
        return [*found, f"{alter} ADD {tables.identity_clause(b)}"]
    if a is not None and b is None:
        found = [f"{alter} DROP IDENTITY"]
        return found + ([f"{alter} DROP NOT NULL"] if op.after.nullable else [])
    if a is not None and b is not None:
        changes = _identity_changes(a, b)
        return [f"{alter} {' '.join(changes)}"] if changes else []
    return []


def _constraint_definition(constraint: o.Constraint) -> str:
    if isinstance(constraint, PrimaryKey):
        return tables.primary_key_element(constraint)
    if isinstance(constraint, UniqueConstraint):
        return tables.unique_element(constraint)
    if isinstance(constraint, CheckConstraint):
        return tables.check_element(constraint)
    if isinstance(constraint, ForeignKey):
        return tables.foreign_key_clause(constraint)
    assert isinstance(constraint, ExclusionConstraint)
    return tables.exclusion_element(constraint)


def _add_constraint(op: o.AddConstraint) -> list[str]:
    constraint = op.constraint
    name = qualified(*op.table)
    if op.using_index is not None:
        kind = "PRIMARY KEY" if isinstance(constraint, PrimaryKey) else "UNIQUE"
        deferral = tables.deferral_clause(constraint.deferrable)  # type: ignore[union-attr]
        index = quote_ident(op.using_index)
        text = f"ALTER TABLE {name} ADD CONSTRAINT {quote_ident(constraint.name)} {kind}"
        text += f" USING INDEX {index}{deferral}"
    else:
        text = f"ALTER TABLE {name} ADD {_constraint_definition(constraint)}"
        not_valid = isinstance(constraint, (CheckConstraint, ForeignKey)) and not constraint.validated
        if (op.not_valid or not_valid) and not text.endswith(" NOT VALID"):
            text += " NOT VALID"
    return [text, *_constraint_comment(op.table, constraint)]


def _drop_constraint(op: o.DropConstraint) -> list[str]:
    return [f"ALTER TABLE {qualified(*op.table)} DROP CONSTRAINT {quote_ident(op.constraint.name)}"]


def _rename_constraint(op: o.RenameConstraint) -> list[str]:
    table = qualified(*op.table)
    return [f"ALTER TABLE {table} RENAME CONSTRAINT {quote_ident(op.old)} TO {quote_ident(op.new)}"]


def _rename_index(op: o.RenameIndex) -> list[str]:
    return [f"ALTER INDEX {qualified(op.relation[0], op.old)} RENAME TO {quote_ident(op.new)}"]


def _validate_constraint(op: o.ValidateConstraint) -> list[str]:
    return [f"ALTER TABLE {qualified(*op.table)} VALIDATE CONSTRAINT {quote_ident(op.constraint.name)}"]


def _invalidate_constraint(op: o.InvalidateConstraint) -> list[str]:
    added = _add_constraint(o.AddConstraint(op.table, op.constraint, not_valid=True))
    return _drop_constraint(o.DropConstraint(op.table, op.constraint)) + added


def _create_index(op: o.CreateIndex) -> list[str]:
    text = tables.create_index(op.relation, op.index)
    if op.concurrently:
        text = text.replace("INDEX ", "INDEX CONCURRENTLY ", 1)
    return [text, *_comment(f"INDEX {qualified(op.relation[0], op.index.name)}", op.index.comment)]


def _drop_index(op: o.DropIndex) -> list[str]:
    concurrently = "CONCURRENTLY " if op.concurrently else ""
    return [f"DROP INDEX {concurrently}{qualified(op.relation[0], op.index.name)}"]


def _create_view(op: o.CreateView) -> list[str]:
    view = op.view
    # A migration populates a materialized view: it must be usable once the plan has run.
    text = objects.create_view(view).removesuffix("\nWITH NO DATA")
    kind = "MATERIALIZED VIEW" if view.materialized else "VIEW"
    name = qualified(*view.key)
    found = [text, *_comment(f"{kind} {name}", view.comment)]
    for column in view.columns:
        found += _comment(f"COLUMN {name}.{quote_ident(column.name)}", column.comment)
    return found


def _drop_view(op: o.DropView) -> list[str]:
    kind = "MATERIALIZED VIEW" if op.view.materialized else "VIEW"
    return [f"DROP {kind} {qualified(*op.view.key)}"]


_FUNCTION_WORDS = {
    "function": "FUNCTION",
    "window": "FUNCTION",
    "procedure": "PROCEDURE",
    "aggregate": "AGGREGATE",
}


def _function_comment(function: o.Function) -> list[str]:
    word = _FUNCTION_WORDS[function.kind]
    return _comment(
        f"{word} {qualified(function.schema, function.name)}({function.arguments})", function.comment
    )


def _create_function(op: o.CreateFunction) -> list[str]:
    return [objects.create_function(op.function), *_function_comment(op.function)]


def _drop_function(op: o.DropFunction) -> list[str]:
    f = op.function
    return [f"DROP {_FUNCTION_WORDS[f.kind]} {qualified(f.schema, f.name)}({f.arguments})"]


_CREATE = re.compile(r"^\s*CREATE\s+(?!OR\s+REPLACE\b)", re.IGNORECASE)


def _replace_function(op: o.ReplaceFunction) -> list[str]:
    return [_CREATE.sub("CREATE OR REPLACE ", objects.create_function(op.after), count=1)]


def _create_trigger(op: o.CreateTrigger) -> list[str]:
    found = [tables.create_trigger(op.trigger)]
    state = tables.trigger_state(op.relation, op.trigger)
    found += [state] if state else []
    return found + _comment(
        f"TRIGGER {quote_ident(op.trigger.name)} ON {qualified(*op.relation)}", op.trigger.comment
    )


def _drop_trigger(op: o.DropTrigger) -> list[str]:
    return [f"DROP TRIGGER {quote_ident(op.trigger.name)} ON {qualified(*op.relation)}"]


def _alter_trigger_state(op: o.AlterTriggerState) -> list[str]:
    state = tables.trigger_state(op.relation, op.after)
    return [state or f"ALTER TABLE {qualified(*op.relation)} ENABLE TRIGGER {quote_ident(op.after.name)}"]


def _create_policy(op: o.CreatePolicy) -> list[str]:
    text = tables.create_policy(Table(*op.table), op.policy)
    return [
        text,
        *_comment(f"POLICY {quote_ident(op.policy.name)} ON {qualified(*op.table)}", op.policy.comment),
    ]


def _drop_policy(op: o.DropPolicy) -> list[str]:
    return [f"DROP POLICY {quote_ident(op.policy.name)} ON {qualified(*op.table)}"]


def _set_comment(op: o.SetComment) -> list[str]:
    value = "NULL" if op.after is None else quote_literal(op.after)
    return [f"COMMENT ON {op.target} IS {value}"]


def _operation_classes() -> list[type[Operation]]:
    found, pending = [], list(Operation.__subclasses__())
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending += cls.__subclasses__()
    return found


# One ``_<kind>`` function per operation class; a class without one fails here, at import.
_RENDERERS: dict[str, Callable[..., list[str]]] = {
    cls.kind: globals()[f"_{cls.kind}"] for cls in _operation_classes()
}


def statements(op: Operation) -> list[str]:
    """The SQL statements (without semicolons) that carry out ``op``."""
    return _RENDERERS[op.kind](op)


# Steps and transaction blocks ---------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    number: int
    operation: Operation
    statements: tuple[str, ...]
    settings: tuple[str, ...]  # SET [LOCAL] lock_timeout / statement_timeout before it

    def why(self) -> str:
        """What it locks and why that is acceptable, for the step's comment."""
        op = self.operation
        parts = [f"lock {op.lock}" if op.lock != "none" else "no table lock"]
        parts.append("rewrites the table" if op.rewrites else ("scans the table" if op.scans else "no scan"))
        if op.destructive:
            parts.append("DESTRUCTIVE")
        reason = _REASONS.get(type(op))
        if isinstance(op, o.AddConstraint) and op.not_valid:
            reason = "NOT VALID: no scan now; a later step validates the existing rows"
        if isinstance(op, o.AddConstraint) and op.using_index:
            reason = "USING INDEX: the index was built concurrently, nothing is scanned or built here"
        if isinstance(op, o.AlterColumnNullable) and op.proven_by:
            reason = f"validated check {op.proven_by} proves it: no scan"
        if isinstance(op, o.CreateIndex) and op.concurrently:
            reason = "CONCURRENTLY: reads and writes go on; outside a transaction"
        return "; ".join(parts) + (f" — {reason}" if reason else "")


_REASONS: dict[type, str] = {
    o.ValidateConstraint: "SHARE UPDATE EXCLUSIVE: reads and writes go on while it scans",
    o.AddEnumValue: "commits on its own: the value is usable only after COMMIT",
    o.DropIndex: "",
}


@dataclass(frozen=True)
class Block:
    transactional: bool
    steps: tuple[Step, ...]


def _long_running(op: Operation) -> bool:
    """Steps that scan under a weak lock: no statement timeout, or they could never finish."""
    return isinstance(op, o.ValidateConstraint) or (isinstance(op, o.CreateIndex) and op.concurrently)


def _settings(op: Operation, options: PlanOptions, local: bool) -> tuple[str, ...]:
    word = "SET LOCAL" if local else "SET"
    statement_timeout = "0" if _long_running(op) else options.statement_timeout
    return (
        f"{word} lock_timeout = {quote_literal(options.lock_timeout)}",
        f"{word} statement_timeout = {quote_literal(statement_timeout)}",
    )


def blocks(operations: tuple[Operation, ...] | list[Operation], options: PlanOptions) -> list[Block]:
    result: list[Block] = []
    current: list[Step] = []

    def close() -> None:
        if current:
            result.append(Block(True, tuple(current)))
            current.clear()

    for number, op in enumerate(operations, start=1):
        step = Step(number, op, tuple(statements(op)), _settings(op, options, op.transactional))
        if not step.statements:
            continue
        if not op.transactional:
            close()
            result.append(Block(False, (step,)))
        elif op.own_transaction:
            close()
            result.append(Block(True, (step,)))
        else:
            current.append(step)
    close()
    return result


# The script -------------------------------------------------------------------------------------


def _script_lines(block_list: list[Block]) -> Iterator[str]:
    for setting in SESSION_SETTINGS:
        yield f"{setting};"
    for block in block_list:
        yield ""
        if block.transactional:
            yield "BEGIN;"
        for step in block.steps:
            yield f"-- step {step.number}: {step.operation.describe()}"
            yield f"--   {step.why()}"
            for setting in step.settings:
                yield f"{setting};"
            for statement in step.statements:
                yield f"{statement};"
        if block.transactional:
            yield "COMMIT;"


def script(operations: tuple[Operation, ...], options: PlanOptions) -> str:
    """One direction as a psql-runnable script (BEGIN/COMMIT around transactional blocks)."""
    if not operations:
        return "-- nothing to do\n"
    return "\n".join(_script_lines(blocks(operations, options))) + "\n"


def render(
    plan: Plan,
    *,
    title: str,
    verdict: str | None = None,
    after: Database | None = None,
    review: Iterable[str] = (),
) -> str:
    """The reviewed migration: header, up script, the down script commented out and, given the
    target schema ``after``, commented verification queries (the ones ``generate sql`` writes).
    ``review`` lines (one line each: what the MIG rules say about this plan) go in the header."""
    header = [f"-- pgshape migration: {title}"]
    online = "online-safe rewrites" if plan.options.online else "plain (--no-online)"
    header.append(f"-- {len(plan.up)} up steps ({online}), {len(plan.down)} down steps")
    destructive = [op.describe() for op in plan.up if op.destructive]
    for item in destructive:
        header.append(f"-- DESTRUCTIVE: {item}")
    for note in plan.notes:
        header.append(f"-- note: {note}")
    for line in review:
        header.append(f"-- review: {line}")
    if verdict is not None:
        for line in verdict.splitlines():
            header.append(f"-- proof: {line}")
    up = script(plan.up, plan.options)
    down = script(plan.down, plan.options)
    commented = "\n".join(f"-- {line}" if line else "--" for line in down.rstrip("\n").splitlines())
    return (
        "\n".join(header)
        + "\n\n-- ==== up ====\n"
        + up
        + "\n-- ==== down (a separate script; run it to undo the up script) ====\n"
        + commented
        + "\n"
        + ("" if after is None else "\n" + "\n".join(_verification(after)))
    )


def _verification(after: Database) -> list[str]:
    from pgshape.render.sql_migration import VERIFY_MARKER, commented, verification_queries

    title = VERIFY_MARKER + " (after the up script: every query returns ok = true)"
    return commented(title, verification_queries(after))
