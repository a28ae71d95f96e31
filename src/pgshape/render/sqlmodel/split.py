"""``--split DIR``: a package with one module per table, free of circular imports.

Relationship targets are strings and foreign keys name tables, so a table module imports
only ``_support`` (helpers and enums) and the link models its many-to-many relationships
use; link modules import nothing of the package. ``__init__.py`` imports every module (so
every class is registered before mappers are configured) and attaches the DDL.
"""

from __future__ import annotations

from pgshape.render.sqlmodel.classes import Code
from pgshape.render.sqlmodel.ddl import after_create, before_create, table_dependencies
from pgshape.render.sqlmodel.module import (
    after_imports,
    ddl_section,
    docstring,
    imports,
    isort_key,
    join_blocks,
    joined,
)
from pgshape.render.sqlmodel.plan import Plan

_SUPPORT = "_support"


def _defined_names(plan: Plan, module: str, code: Code) -> list[str]:
    names = []
    for line in code.text.splitlines():
        if line.startswith("class "):
            names.append(line[6:].split("(")[0].split(":")[0])
        elif line and not line[0].isspace() and " = " in line:
            names.append(line.split(" = ")[0])
    return names


def split_package(plan: Plan, *, source: str, variants: bool, options: str) -> dict[str, str]:
    from pgshape.render.sqlmodel import _title, class_blocks, support_blocks

    classes = class_blocks(plan, variants=variants)
    all_needs: set[str] = set().union(*(code.needs for _, code in classes)) if classes else set()
    support, support_needs = support_blocks(plan, all_needs)
    support_names = {"utcnow", "enum_values", "PgType"} | {
        n for pair in plan.enum_names.values() for n in pair
    }
    link_modules = {p.name: p.module for p in plan.tables.values() if p.is_link}
    files: dict[str, str] = {}
    if support:
        head = docstring("Helpers and enums shared by the table modules.", source, options)
        files[f"{_SUPPORT}.py"] = joined(head, after_imports(imports(support_needs), join_blocks(support)))
    exported: dict[str, list[str]] = {}
    modules_of = {name: module for module, code in classes for name in _defined_names(plan, module, code)}
    for module, code in classes:
        local: dict[str, set[str]] = {}
        for name in code.needs:
            if name in support_names:
                local.setdefault(_SUPPORT, set()).add(name)
            elif name in link_modules and link_modules[name] != module:
                local.setdefault(link_modules[name], set()).add(name)
        defined = set(_defined_names(plan, module, code))
        checking: dict[str, set[str]] = {}
        for need in code.needs:
            target = need.removeprefix("ref:")
            if need.startswith("ref:") and target not in defined:
                checking.setdefault(modules_of[target], set()).add(target)
        needs = code.needs | ({"TYPE_CHECKING"} if checking else set())
        head = docstring(f"The {module} table.", source, options)
        files[f"{module}.py"] = joined(head, after_imports(imports(needs, local, checking), code.text))
        exported[module] = _defined_names(plan, module, code)
    ddl_text, ddl_needs = ddl_section(before_create(plan), after_create(plan))
    local = {module: set(names) for module, names in exported.items()}
    # RUF022's order for __all__: like isort's groups, but case-sensitive within a group.
    names = sorted((n for ns in exported.values() for n in ns), key=lambda n: (isort_key(n)[0], n))
    all_list = "__all__ = [\n" + "".join(f'    "{n}",\n' for n in names) + "]\n" if names else ""
    head = docstring(_title(source), source, options)
    depends, depends_needs = table_dependencies(plan)
    body = join_blocks([all_list, depends, ddl_text])
    needs = (ddl_needs if ddl_text else set()) | depends_needs
    files["__init__.py"] = joined(head, after_imports(imports(needs, local), body))
    return files
