"""What SQLModel cannot express, as DDL statements attached to ``SQLModel.metadata``.

``before_create`` (in this order): schemas, extensions, sequences, functions that need no
type, enums, domains and composite types, functions that need a type. ``after_create``:
partitions and inheritance children (with their own indexes), functions that need a table,
sequence ownership, foreign keys and constraints SQLAlchemy cannot declare (NOT VALID, ON
DELETE SET NULL (cols), pointing at a partition, duplicates PostgreSQL would drop, exclusion
constraints), table options, views and their indexes, functions that need a view, triggers,
row-level security and policies, and every comment that is not on a table or a column of a
SQLAlchemy table. The statements come from pgshape's SQL renderer, so they are the same text
``pgshape generate sql`` writes.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

from pgshape.model import Database, Function, Table
from pgshape.render import sql_objects as object_sql
from pgshape.render import sql_tables as table_sql
from pgshape.render.identifiers import qualified, quote_ident
from pgshape.render.sql_comments import comment_statements
from pgshape.render.sql_order import (
    called_functions,
    function_sort_key,
    function_stage,
    functions_by_name,
    order_tables,
    order_types,
    order_views,
    row_type_tables,
    table_parents,
)
from pgshape.render.sqlmodel.code import Call, block_string, statement
from pgshape.render.sqlmodel.plan import Plan
from pgshape.render.sqlmodel.table_args import duplicate_uniques

FunctionKey = tuple[str, str, str]


def _stage_functions(db: Database, stage: int) -> list[Function]:
    tables, views = set(db.tables_by_key), set(db.views_by_key)
    types = {t.key: qualified(*t.key) for t in (*db.enums, *db.domains, *db.composite_types)}
    chosen = [f for f in db.functions if function_stage(f, tables, views, types) == stage]
    return sorted(chosen, key=function_sort_key)


def _functions(db: Database, stage: int, skip: Collection[FunctionKey] = ()) -> list[str]:
    return [object_sql.create_function(f) for f in _stage_functions(db, stage) if f.key not in skip]


@dataclass(frozen=True)
class Anchored:
    """A function that needs a table and that another table's default, check or generated
    column calls: created in the ``after_create`` event of ``anchor`` (the last of the tables it
    reads), and every table that calls it is created after ``anchor``."""

    function: Function
    anchor: tuple[str, str]
    after: tuple[tuple[str, str], ...]  # the other tables it reads: created before the anchor
    callers: tuple[tuple[str, str], ...]


def anchored_functions(plan: Plan) -> list[Anchored]:
    """Functions that create_all() must create between two tables (see :class:`Anchored`)."""
    declared = {key for key, p in plan.tables.items() if p.kind != "ddl"}
    candidates = _stage_functions(plan.db, 2)
    by_name = functions_by_name(candidates)
    callers: dict[FunctionKey, set[tuple[str, str]]] = {}
    for table in plan.db.tables:
        for key in called_functions(table, by_name):
            callers.setdefault(key, set()).add(table.key)
    result = []
    for function in candidates:
        reads = [key for key in function.depends_on if key in plan.db.tables_by_key]
        calling = callers.get(function.key, set())
        # Only between SQLAlchemy tables: the DDL tables are created after all of them.
        if not calling or not reads or not set(reads) <= declared or not calling <= declared:
            continue
        anchor = max(reads)
        others = tuple(sorted(set(reads) - {anchor}))
        result.append(Anchored(function, anchor, others, tuple(sorted(calling - {anchor}))))
    return result


def before_create(plan: Plan) -> list[str]:
    db = plan.db
    statements = ["SET LOCAL check_function_bodies = false"] if db.functions else []
    schemas = set(db.schema_names) | {f.schema for f in db.functions} | {e.schema for e in db.extensions}
    schemas |= {c.schema for c in db.composite_types}
    statements += [
        f"CREATE SCHEMA IF NOT EXISTS {quote_ident(n)}"
        for n in sorted(schemas)
        if n != "public" and not n.startswith("pg_")
    ]
    statements += [object_sql.create_extension(e) for e in db.extensions]
    statements += [object_sql.create_sequence(s) for s in db.sequences if s.key not in plan.serial_sequences]
    statements += _functions(db, 0)
    for obj in [*db.enums, *order_types([*db.domains, *db.composite_types])]:
        statements += object_sql.create_type(obj)
    statements += _functions(db, 1)
    return statements


def _parents(db: Database, table: Table) -> list[Table]:
    return [p for key in table_parents(table) if (p := db.table(*key)) is not None]


def after_create(plan: Plan) -> list[str]:
    db = plan.db
    statements: list[str] = []
    tables = order_tables(db.tables)
    ddl_tables = [t for t in tables if plan.tables[t.key].kind == "ddl"]
    for table in ddl_tables:
        statements += table_sql.create_table(table, _parents(db, table))
    statements += _functions(db, 2, skip={a.function.key for a in anchored_functions(plan)})
    statements += [
        s
        for seq in db.sequences
        if seq.key not in plan.serial_sequences
        if (s := object_sql.sequence_owned_by(seq))
    ]
    for table in ddl_tables:
        inherited = table_sql.inherited_from(table, _parents(db, table))
        statements += [
            table_sql.create_index(table.key, ix) for ix in table_sql.own_indexes(table, inherited)
        ]
    for table in tables:
        statements += _table_extras(plan, table)
    views = order_views(db.views)
    statements += [object_sql.create_view(v) for v in views]
    statements += [table_sql.create_index(v.key, ix) for v in views for ix in v.indexes]
    statements += _functions(db, 3)
    for table in tables:
        inherited = table_sql.inherited_from(table, _parents(db, table))
        own = set(table_sql.own_triggers(table, inherited))
        for trigger in table.triggers:
            if trigger in own:
                statements.append(table_sql.create_trigger(trigger))
            if state := table_sql.trigger_state(table.key, trigger):
                statements.append(state)
    statements += [table_sql.create_trigger(t) for v in views for t in v.triggers]
    for table in tables:
        statements += table_sql.row_security(table)
        statements += [table_sql.create_policy(table, p) for p in table.policies]
    statements += comment_statements(_without_sqlalchemy_comments(plan))
    return statements


def _table_extras(plan: Plan, table: Table) -> list[str]:
    """Constraints of a table that SQLAlchemy cannot declare, added once every table exists."""
    name = qualified(*table.key)
    kind = plan.tables[table.key].kind
    inherited = table_sql.inherited_from(table, _parents(plan.db, table))
    statements = []
    for fk in table_sql.own_foreign_keys(table, inherited):
        if plan.fk_route(table, fk) == "ddl":
            statements.append(table_sql.add_foreign_key(table, fk))
    if kind == "ddl":
        return statements
    duplicates = duplicate_uniques(table)
    statements += [
        f"ALTER TABLE {name} ADD {table_sql.unique_element(u)}"
        for u in table.unique_constraints
        if u.name in duplicates
    ]
    for check in table.check_constraints:
        if not check.validated:
            statements.append(f"ALTER TABLE {name} ADD {table_sql.check_element(check)} NOT VALID")
        elif check.no_inherit:
            statements.append(f"ALTER TABLE {name} ADD {table_sql.check_element(check)}")
    statements += [
        f"ALTER TABLE {name} ADD {table_sql.exclusion_element(x)}" for x in table.exclusion_constraints
    ]
    if table.options:
        statements.append(f"ALTER TABLE {name} SET ({', '.join(table.options)})")
    return statements


def _without_sqlalchemy_comments(plan: Plan) -> Database:
    """The model minus the comments SQLAlchemy emits itself (tables and their columns)."""
    tables = []
    for table in plan.db.tables:
        if plan.tables[table.key].kind != "ddl":
            columns = tuple(replace(c, comment=None) for c in table.columns)
            table = replace(table, comment=None, columns=columns)
        tables.append(table)
    return replace(plan.db, tables=tuple(tables))


def _table_ref(plan: Plan, key: tuple[str, str]) -> str:
    tplan = plan.tables[key]
    return f"{tplan.name}.__table__" if tplan.kind == "class" else tplan.name


def table_dependencies(plan: Plan) -> tuple[str, set[str]]:
    """What create_all() cannot know about the order of tables, and the names it needs.

    ``X.__table__.add_is_dependent_on(Y.__table__)`` for each table with a column of another
    table's row type (create_all() orders tables by foreign keys only, and CREATE TABLE needs
    the row type), and for the tables around an anchored function, whose CREATE FUNCTION is
    attached to its anchor table's ``after_create`` event.
    """
    declared = {key: p for key, p in plan.tables.items() if p.kind != "ddl"}
    names = {qualified(*key): key for key in declared}
    pairs: set[tuple[tuple[str, str], tuple[str, str]]] = set()
    for key in declared:
        needed = set(row_type_tables(declared[key].table, names))
        pairs |= {(key, other) for other in needed - {key}}
    anchored = anchored_functions(plan)
    for each in anchored:
        pairs |= {(each.anchor, other) for other in each.after}
        pairs |= {(caller, each.anchor) for caller in each.callers}
    lines = [f"{_table_ref(plan, a)}.add_is_dependent_on({_table_ref(plan, b)})\n" for a, b in sorted(pairs)]
    for each in anchored:
        text = block_string(object_sql.create_function(each.function).replace("%", "%%"))
        ref = _table_ref(plan, each.anchor)
        if "\n" in text:  # ruff explodes the call and hugs the sole multi-line string argument
            lines.append(f'event.listen(\n    {ref},\n    "after_create",\n    DDL({text}),\n)\n')
        else:
            lines.append(statement(Call("event.listen", (ref, '"after_create"', Call("DDL", (text,)))), 0))
    return "".join(lines), ({"DDL", "event"} if anchored else set())
