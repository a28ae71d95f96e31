"""Render a model as the SQL DDL that builds it on an empty database.

``render_statements(db)`` returns one statement per item, *without* a trailing semicolon, ready
for ``cursor.execute`` one at a time on one connection (the leading ``SET`` statements apply to
that session). ``render(db)`` joins them into a script that also runs as a whole.

Output is deterministic (the same model gives byte-identical text) and dependency-ordered; the
sections run in the order of ``SECTIONS``:

1. session settings (function bodies are not validated at creation, as pg_dump does);
2. schemas, extensions, sequences, functions that need no user type, types (domains and
   composites after the types they name), functions that need a type but no relation;
3. tables (parents first), each with its checks, keys and exclusion constraints, and the
   functions that need a table, in one dependency order (a default may call a function whose
   SQL-standard body reads another table); sequence ownership;
4. indexes, then foreign keys (after every table and unique index, so cycles are no problem);
5. views (after the views they read) and their indexes, functions that need a view;
6. triggers, row-level security, policies; last, comments.

Names are quoted exactly when needed; types, expressions and definitions are emitted verbatim,
since the model already holds them as PostgreSQL prints them. The script does not set
search_path: canonical models are schema-qualified, and hand-written ones resolve names the way
their author's session would.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from pgshape.model import Database, Function, Table, View
from pgshape.render import sql_objects as object_sql
from pgshape.render import sql_tables as table_sql
from pgshape.render.identifiers import qualified
from pgshape.render.sql_comments import comment_statements
from pgshape.render.sql_order import (
    function_sort_key,
    function_stage,
    order_tables,
    order_tables_and_functions,
    order_types,
    order_views,
    table_parents,
)

SESSION_SETTINGS = (
    "SET check_function_bodies = false",
    # quote_literal doubles quotes only; that is exactly right with standard strings.
    "SET standard_conforming_strings = on",
)


class RenderPlan:
    """The model with the orderings and lookups every section shares."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @cached_property
    def tables(self) -> list[Table]:
        return order_tables(self.db.tables)

    @cached_property
    def tables_and_functions(self) -> list[Table | Function]:
        """The tables and the functions that need a table (stage 2), in one dependency order."""
        return order_tables_and_functions(self.tables, self.functions(2))

    @cached_property
    def views(self) -> list[View]:
        return order_views(self.db.views)

    def parents(self, table: Table) -> list[Table]:
        return [parent for key in table_parents(table) if (parent := self.db.table(*key)) is not None]

    def inherited(self, table: Table) -> table_sql.Inherited:
        return table_sql.inherited_from(table, self.parents(table))

    @cached_property
    def function_stages(self) -> dict[tuple[str, str, str], int]:
        db = self.db
        table_keys, view_keys = set(db.tables_by_key), set(db.views_by_key)
        types = {t.key: qualified(*t.key) for t in (*db.enums, *db.domains, *db.composite_types)}
        return {f.key: function_stage(f, table_keys, view_keys, types) for f in db.functions}

    def functions(self, stage: int) -> list[Function]:
        chosen = [f for f in self.db.functions if self.function_stages[f.key] == stage]
        return sorted(chosen, key=function_sort_key)


# Sections, in script order ---------------------------------------------------------------------


def _settings(plan: RenderPlan) -> list[str]:
    return list(SESSION_SETTINGS)


def _schemas(plan: RenderPlan) -> list[str]:
    db = plan.db
    names = set(db.schema_names) | {f.schema for f in db.functions} | {e.schema for e in db.extensions}
    names |= {c.schema for c in db.composite_types}
    # ``public`` exists in every new database; the pg_ schemas are the system's.
    return [object_sql.create_schema(n) for n in sorted(names) if n != "public" and not n.startswith("pg_")]


def _extensions(plan: RenderPlan) -> list[str]:
    return [object_sql.create_extension(extension) for extension in plan.db.extensions]


def _types(plan: RenderPlan) -> list[str]:
    db = plan.db
    ordered = [*db.enums, *order_types([*db.domains, *db.composite_types])]
    return [statement for obj in ordered for statement in object_sql.create_type(obj)]


def _sequences(plan: RenderPlan) -> list[str]:
    return [object_sql.create_sequence(sequence) for sequence in plan.db.sequences]


def _functions_stage(stage: int) -> Callable[[RenderPlan], list[str]]:
    def section(plan: RenderPlan) -> list[str]:
        return [object_sql.create_function(function) for function in plan.functions(stage)]

    section.__name__ = f"_functions_{stage}"
    return section


def _tables(plan: RenderPlan) -> list[str]:
    statements: list[str] = []
    for item in plan.tables_and_functions:
        if isinstance(item, Function):
            statements.append(object_sql.create_function(item))
        else:
            statements += table_sql.create_table(item, plan.parents(item))
    return statements


def _sequence_ownership(plan: RenderPlan) -> list[str]:
    owned = (object_sql.sequence_owned_by(sequence) for sequence in plan.db.sequences)
    return [statement for statement in owned if statement is not None]


def _indexes(plan: RenderPlan) -> list[str]:
    return [
        table_sql.create_index(table.key, index)
        for table in plan.tables
        for index in table_sql.own_indexes(table, plan.inherited(table))
    ]


def _foreign_keys(plan: RenderPlan) -> list[str]:
    return [
        table_sql.add_foreign_key(table, fk)
        for table in plan.tables
        for fk in table_sql.own_foreign_keys(table, plan.inherited(table))
    ]


def _views(plan: RenderPlan) -> list[str]:
    created = [object_sql.create_view(view) for view in plan.views]
    indexed = [table_sql.create_index(view.key, index) for view in plan.views for index in view.indexes]
    return created + indexed


def _triggers(plan: RenderPlan) -> list[str]:
    statements: list[str] = []
    for table in plan.tables:
        own = set(table_sql.own_triggers(table, plan.inherited(table)))
        for trigger in table.triggers:
            if trigger in own:
                statements.append(table_sql.create_trigger(trigger))
            # A clone made by PostgreSQL still gets its own enable state set.
            state = table_sql.trigger_state(table.key, trigger)
            statements += [state] if state else []
    statements += [table_sql.create_trigger(trigger) for view in plan.views for trigger in view.triggers]
    return statements


def _row_security(plan: RenderPlan) -> list[str]:
    statements: list[str] = []
    for table in plan.tables:
        statements += table_sql.row_security(table)
        statements += [table_sql.create_policy(table, policy) for policy in table.policies]
    return statements


def _comments(plan: RenderPlan) -> list[str]:
    return comment_statements(plan.db)


SECTIONS: tuple[Callable[[RenderPlan], list[str]], ...] = (
    _settings,
    _schemas,
    _extensions,
    _sequences,
    _functions_stage(0),
    _types,
    _functions_stage(1),
    _tables,  # with the functions that need a table (stage 2), in dependency order
    _sequence_ownership,
    _indexes,
    _foreign_keys,
    _views,
    _functions_stage(3),
    _triggers,
    _row_security,
    _comments,
)


def render_statements(db: Database) -> list[str]:
    """The DDL statements that build ``db`` on an empty database, in order, without semicolons."""
    plan = RenderPlan(db)
    return [statement for section in SECTIONS for statement in section(plan)]


def render(db: Database) -> str:
    """The DDL as one script: statements separated by a blank line, each ending in ``;``."""
    return "".join(f"{statement};\n\n" for statement in render_statements(db)).rstrip("\n") + "\n"


__all__ = ["SECTIONS", "SESSION_SETTINGS", "RenderPlan", "render", "render_statements"]
