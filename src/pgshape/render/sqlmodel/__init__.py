"""Render a model as SQLModel code: idiomatic classes that rebuild the schema exactly.

``render(db)`` returns one module; ``render_package(db)`` returns the files of a package with
one module per table (``--split``). The generated code never imports pgshape, is formatted as
``ruff format`` would format it, and is deterministic. With ``variants=True`` every table also
gets the FastAPI family of models (``XBase``, ``XCreate``, ``XUpdate``, ``XPublic``,
``XsPublic``).
"""

from __future__ import annotations

from pgshape.model import Database
from pgshape.render.sqlmodel.classes import Code, plain_table, table_class
from pgshape.render.sqlmodel.code import Dict, lines, string
from pgshape.render.sqlmodel.ddl import after_create, before_create, table_dependencies
from pgshape.render.sqlmodel.module import after_imports, ddl_section, docstring, imports, join_blocks, joined
from pgshape.render.sqlmodel.plan import Plan
from pgshape.render.sqlmodel.relationships import relationships
from pgshape.render.sqlmodel.support import DEFAULT_PYTHON, enum_class, enum_type, helper
from pgshape.render.sqlmodel.variants import variant_classes


def _title(source: str) -> str:
    if source == "--example":
        return "SQLModel models for pgshape's seed design (the starter example)."
    return f"SQLModel models for {source}." if source else "SQLModel models."


def _options(variants: bool, split: bool = False, python: tuple[int, int] = DEFAULT_PYTHON) -> str:
    target = f" --python {python[0]}.{python[1]}" if python != DEFAULT_PYTHON else ""
    return (" --variants" if variants else "") + (" --split DIR" if split else "") + target


def support_blocks(plan: Plan, needs: set[str]) -> tuple[list[str], set[str]]:
    """Helpers and enums (in that order), and what they need themselves."""
    enum_blocks = []
    used_enums = plan.db.enums
    if used_enums:
        needs = needs | {"enum_values"}
    own: set[str] = set()
    blocks = []
    for name in ("utcnow", "enum_values", "PgType"):
        if name in needs:
            text, required = helper(name, plan.python)
            blocks.append(text)
            own |= required
    for enum in used_enums:
        enum_blocks.append(enum_class(plan, enum))
        enum_blocks.append(enum_type(plan, enum))
        own |= {"enum", "postgresql"}
    return blocks + enum_blocks, own


def class_blocks(plan: Plan, *, variants: bool) -> list[tuple[str, Code]]:
    """(table module name, code) for every table SQLAlchemy declares, link tables first."""
    rels = relationships(plan)
    ordered = sorted(plan.sqlalchemy_tables(), key=lambda p: (not p.is_link, p.key))
    result = []
    for tplan in ordered:
        if tplan.kind == "table":
            result.append((tplan.module, plain_table(plan, tplan)))
        elif variants and not tplan.is_link:
            result.append((tplan.module, variant_classes(plan, tplan, rels.get(tplan.name, []))))
        else:
            result.append((tplan.module, table_class(plan, tplan, rels.get(tplan.name, []))))
    return result


def naming_convention(plan: Plan) -> str:
    """``SQLModel.metadata.naming_convention = {...}`` when the design names its constraints
    that way, set before any class so that Field(foreign_key=..., unique=True) get those names."""
    if not plan.convention:
        return ""
    items = [(string(kind), string(template)) for kind, template in plan.convention.items()]
    return "\n".join(lines(Dict(items), 0, "SQLModel.metadata.naming_convention = ")) + "\n"


def render(
    db: Database, *, source: str = "", variants: bool = False, python: tuple[int, int] = DEFAULT_PYTHON
) -> str:
    """One module; ``python`` is the oldest Python version the code must run on."""
    plan = Plan(db, variants=variants, python=python)
    classes = class_blocks(plan, variants=variants)
    needs: set[str] = set().union(*(code.needs for _, code in classes)) if classes else set()
    ddl_text, ddl_needs = ddl_section(before_create(plan), after_create(plan))
    needs |= ddl_needs
    support, support_needs = support_blocks(plan, needs)
    needs |= support_needs
    head = docstring(_title(source), source, _options(variants, python=python))
    convention = naming_convention(plan)
    if convention:
        needs.add("SQLModel")
    depends, depends_needs = table_dependencies(plan)
    needs |= depends_needs
    body = join_blocks([convention, *support, *(code.text for _, code in classes), depends, ddl_text])
    return joined(head, after_imports(imports(needs), body))


def render_package(
    db: Database, *, source: str = "", variants: bool = False, python: tuple[int, int] = DEFAULT_PYTHON
) -> dict[str, str]:
    from pgshape.render.sqlmodel.split import split_package

    return split_package(
        Plan(db, variants=variants, python=python),
        source=source,
        variants=variants,
        options=_options(variants, split=True, python=python),
    )


__all__ = ["render", "render_package"]
