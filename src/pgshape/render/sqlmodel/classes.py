"""One table → a ``SQLModel`` class (or a plain ``sa.Table`` when it has no primary key)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pgshape.render.sqlmodel.code import Call, Dict, Seq, lines, string
from pgshape.render.sqlmodel.fields import render_column, render_field
from pgshape.render.sqlmodel.plan import Plan, TablePlan
from pgshape.render.sqlmodel.relationships import Rel
from pgshape.render.sqlmodel.table_args import table_items


@dataclass
class Code:
    text: str
    needs: set[str] = field(default_factory=set)


def _needs_of(node: object) -> set[str]:
    text = repr(node)
    return {name for name in ("sa", "postgresql", "PgType") if f"'{name}." in text or f"{name}(" in text}


def table_args(plan: Plan, tplan: TablePlan, level: int = 1) -> Code:
    items, options = table_items(plan, tplan)
    if not items and not options:
        return Code("")
    value: object
    if items:
        value = Seq([*items, Dict([(string(k), v) for k, v in options])] if options else items, tuple_=True)
    else:
        value = Dict([(string(k), v) for k, v in options])
    needs = {"sa"} if items or any("sa." in repr(v) for _, v in options) else set()
    return Code("\n".join(lines(value, level, "__table_args__ = ")) + "\n", needs)


def tablename(tplan: TablePlan, class_name: str) -> str:
    if class_name.lower() == tplan.table.name:
        return ""
    return f"    __tablename__ = {string(tplan.table.name)}\n"


def table_class(plan: Plan, tplan: TablePlan, rels: list[Rel]) -> Code:
    needs = {"SQLModel"}
    args = table_args(plan, tplan)
    needs |= args.needs
    settings = tablename(tplan, tplan.name) + args.text
    members = []
    for column in tplan.table.columns:
        code = render_field(plan, tplan, column)
        members.append(code.text)
        needs |= code.needs
    for rel in rels:
        members.append(rel.render())
        needs |= rel.needs
    header = f"class {tplan.name}(SQLModel, table=True):\n"
    return Code(header + (settings + "\n" if settings else "") + "".join(members), needs)


def plain_table(plan: Plan, tplan: TablePlan) -> Code:
    needs = {"sa", "SQLModel"}
    args: list[object] = [string(tplan.table.name), "SQLModel.metadata"]
    for column in tplan.table.columns:
        call, column_needs = render_column(plan, tplan, column)
        args.append(call)
        needs |= column_needs
    items, options = table_items(plan, tplan)
    args += items
    call = Call("sa.Table", args, options)
    return Code("\n".join(lines(call, 0, f"{tplan.name} = ")) + "\n", needs | _needs_of(call))
