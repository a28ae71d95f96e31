"""Expansion of the raw SQL escape hatches: triggers, views and functions."""

from __future__ import annotations

from pgshape.design.errors import DesignError
from pgshape.design.expand_base import Draft, Path
from pgshape.design.expand_indexes import IndexesMixin
from pgshape.design.spec import (
    TableSpec,
    TriggerSpec,
    ViewSpec,
)
from pgshape.design.sqltext import function_head, trigger_head
from pgshape.model import (
    Column,
    Function,
    Trigger,
    View,
)


class RoutinesMixin(IndexesMixin):
    def add_trigger(self, draft: Draft, spec: TriggerSpec, path: Path) -> None:
        draft.triggers.append(self.read_trigger(spec, path, draft.schema)[0])

    def read_trigger(
        self, spec: TriggerSpec, path: Path, schema: str
    ) -> tuple[Trigger, tuple[str | None, str]]:
        head = trigger_head(spec.sql)
        if head is None and (
            spec.name is None or spec.function is None or spec.timing is None or not spec.events
        ):
            raise DesignError("not a CREATE TRIGGER … EXECUTE FUNCTION f() statement", path)
        name = spec.name or (head.name if head else "")
        function = spec.function or ""
        if not function and head is not None:
            # pg_get_triggerdef qualifies the function unless it lives in pg_catalog
            function = head.function if "." in head.function else f"{schema}.{head.function}"
        order = ["INSERT", "UPDATE", "DELETE", "TRUNCATE"]
        events = tuple(sorted(spec.events or (head.events if head else ()), key=order.index))
        trigger = Trigger(
            name,
            spec.sql.strip().rstrip(";").rstrip(),
            spec.timing or (head.timing if head else "BEFORE"),  # type: ignore[arg-type]
            events,
            spec.for_each_row if spec.for_each_row is not None else bool(head and head.for_each_row),
            function,
            spec.enabled,
            spec.comment,
            origin=self.origin(path),
        )
        table = (head.table_schema, head.table) if head else (None, "")
        return trigger, table

    def attach_trigger(self, sql: str, path: Path) -> None:
        trigger, (schema, table) = self.read_trigger(TriggerSpec(sql=sql), path, self.default_schema)
        draft = self.find_draft(table, path, schema)
        draft.triggers.append(trigger)

    def read_view(self, key: str, spec: ViewSpec) -> View:
        schema, name = self.name_of(key, spec.name, spec.schema_)
        path: Path = ("views", key)
        columns = tuple(
            Column(
                column_name,
                self.resolve_type(c.type, (*path, "columns", column_name)) if c.type else "",
                comment=c.comment,
            )
            for column_name, c in spec.columns.items()
        )
        holder = Draft(schema, name, path, TableSpec(), columns=list(columns))
        indexes = tuple(
            self.read_index(holder, index, (*path, "indexes", n), view=True)
            for n, index in enumerate(spec.indexes)
        )
        triggers = tuple(
            self.read_trigger(t, (*path, "triggers", n), schema)[0] for n, t in enumerate(spec.triggers)
        )
        depends_on = tuple(self.name_of(d, None, None) for d in spec.depends_on)
        return View(
            schema,
            name,
            spec.sql,
            spec.materialized,
            columns,
            tuple(spec.options),
            indexes,
            triggers,
            depends_on,
            spec.comment,
            origin=self.origin(path),
        )

    def read_function(self, index: int) -> Function:
        spec = self.spec.functions[index]
        path: Path = ("functions", index)
        head = function_head(spec.sql)
        if head is None and (spec.name is None or spec.arguments is None):
            raise DesignError(
                "not a CREATE FUNCTION/PROCEDURE/AGGREGATE statement; give name and arguments explicitly",
                path,
            )

        def pick(value: object, fallback: object) -> object:
            return fallback if value is None else value

        return Function(
            schema=spec.schema_ or (head.schema if head and head.schema else self.default_schema),
            name=spec.name or (head.name if head else ""),
            arguments=pick(spec.arguments, head.arguments if head else ""),  # type: ignore[arg-type]
            definition=spec.sql,
            kind=pick(spec.kind, head.kind if head else "function"),  # type: ignore[arg-type]
            returns=pick(spec.returns, head.returns if head else None),  # type: ignore[arg-type]
            language=pick(spec.language, head.language if head else "sql"),  # type: ignore[arg-type]
            security_definer=pick(spec.security_definer, head.security_definer if head else False),  # type: ignore[arg-type]
            volatility=pick(spec.volatility, head.volatility if head else "volatile"),  # type: ignore[arg-type]
            config=tuple(spec.config or ()),
            depends_on=tuple(self.name_of(d, None, None) for d in spec.depends_on),
            comment=spec.comment,
            origin=self.origin(path),
        )
