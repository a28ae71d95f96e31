"""Relationships on both sides of every foreign key between two classes, with matching
``back_populates``.

- many-to-one / one-to-many: ``author: Optional["User"]`` ↔ ``posts: list["Post"]``;
- one-to-one when the foreign key columns are unique: ``Optional`` on both sides;
- many-to-many through a link table: ``list[...]`` with ``link_model`` on both ends;
- self-referential: ``remote_side`` on the many-to-one side (``parent`` ↔ ``children``);
- several foreign keys to the same table: ``foreign_keys`` on both sides.

Targets are always strings, so class order and module boundaries never matter.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from pgshape.model import ForeignKey, Table
from pgshape.render.sqlmodel import naming
from pgshape.render.sqlmodel.code import INDENT, LINE_LENGTH, Call, Dict, lines, string, width
from pgshape.render.sqlmodel.plan import MODULE_NAMES, Plan, TablePlan


@dataclass
class Rel:
    name: str
    target: str  # class name
    many: bool
    back_populates: str = ""
    link_model: str | None = None
    kwargs: list[tuple[str, object]] = field(default_factory=list)

    def render(self, level: int = 1) -> str:
        annotation = f'list["{self.target}"]' if self.many else f'Optional["{self.target}"]'
        kwargs: list[tuple[str, object]] = [("back_populates", string(self.back_populates))]
        if self.link_model:
            kwargs.append(("link_model", self.link_model))
        if self.kwargs:
            kwargs.append(("sa_relationship_kwargs", Dict(self.kwargs)))
        call = Call("Relationship", (), kwargs)
        pad = INDENT * level
        head = f"{pad}{self.name}: {annotation} = Relationship("
        if width(head) <= LINE_LENGTH:
            return "\n".join(lines(call, level, f"{self.name}: {annotation} = ")) + "\n"
        # ruff's layout when even the head is too long: split the annotation's brackets.
        outer = "list" if self.many else "Optional"
        body = [f"{pad}{self.name}: {outer}[", f'{pad}{INDENT}"{self.target}"', f"{pad}] = Relationship("]
        for key, value in kwargs:
            body += lines(value, level + 1, f"{key}=", ",")
        return "\n".join([*body, f"{pad})"]) + "\n"

    @property
    def needs(self) -> set[str]:
        # "ref:X": a class named only in a string annotation (imported under TYPE_CHECKING
        # when it lives in another module of a split package).
        found = {"Relationship", f"ref:{self.target}"} | (set() if self.many else {"Optional"})
        return found | ({self.link_model} if self.link_model else set())


def _unique_columns(table: Table) -> set[tuple[str, ...]]:
    keys = {tuple(sorted(u.columns)) for u in table.unique_constraints}
    keys |= {
        tuple(sorted(i.columns))
        for i in table.indexes
        if i.unique and i.predicate is None and None not in i.columns
    }  # type: ignore[misc]
    if table.primary_key is not None:
        keys.add(tuple(sorted(table.primary_key.columns)))
    return keys


def _child_name(fk: ForeignKey, target: TablePlan, self_ref: bool) -> str:
    target_name = naming.snake(naming.class_name(target.table.name))
    if len(fk.columns) == 1:
        base = naming.snake(fk.columns[0])
        for suffix in ("_id", "_uuid", "_key", "_fk"):
            if base.endswith(suffix) and len(base) > len(suffix):
                return base[: -len(suffix)]
        if self_ref:  # employee.reports_to → reports_to_employee (↔ reports_to_employees)
            return f"{base}_{target_name}"
    return target_name


def _attr_list(owner: TablePlan, columns: tuple[str, ...]) -> str:
    return "[" + ", ".join(f"{owner.name}.{owner.attributes[c]}" for c in columns) + "]"


class _Names:
    def __init__(self, plan: Plan) -> None:
        self.spaces: dict[str, naming.Namespace] = {}
        for tplan in plan.tables.values():
            taken = set(tplan.attributes.values()) | MODULE_NAMES | naming.SQLMODEL_ATTRIBUTES
            self.spaces[tplan.name] = naming.Namespace(taken)

    def claim(self, owner: str, wanted: str) -> str:
        wanted = naming.shorten(wanted)
        if wanted in self.spaces[owner].taken:
            wanted = f"{wanted}_rel" if f"{wanted}_rel" not in self.spaces[owner].taken else wanted
        return self.spaces[owner].claim(wanted)


def relationships(plan: Plan) -> dict[str, list[Rel]]:
    """Relationships per class name."""
    result: dict[str, list[Rel]] = defaultdict(list)
    names = _Names(plan)
    for tplan in plan.tables.values():
        if tplan.kind != "class":
            continue
        if tplan.is_link:
            _many_to_many(plan, tplan, names, result)
        else:
            _foreign_keys(plan, tplan, names, result)
    return result


def _many_to_many(plan: Plan, link: TablePlan, names: _Names, result: dict[str, list[Rel]]) -> None:
    first, second = link.table.foreign_keys
    a = plan.class_plan(first.referenced)
    b = plan.class_plan(second.referenced)
    assert a is not None and b is not None
    a_name = names.claim(a.name, naming.plural(naming.snake(b.name)))
    b_name = names.claim(b.name, naming.plural(naming.snake(a.name)))
    result[a.name].append(Rel(a_name, b.name, True, b_name, link.name))
    result[b.name].append(Rel(b_name, a.name, True, a_name, link.name))


def _foreign_keys(plan: Plan, child: TablePlan, names: _Names, result: dict[str, list[Rel]]) -> None:
    table = child.table
    usable = [
        fk
        for fk in table.foreign_keys
        if plan.fk_route(table, fk) != "ddl" and plan.class_plan(fk.referenced)
    ]
    per_target: dict[tuple[str, str], int] = defaultdict(int)
    for fk in usable:
        per_target[fk.referenced] += 1
    uniques = _unique_columns(table)
    for fk in usable:
        parent = plan.class_plan(fk.referenced)
        assert parent is not None
        self_ref = parent.key == child.key
        ambiguous = per_target[fk.referenced] > 1
        one_to_one = tuple(sorted(fk.columns)) in uniques and not self_ref
        child_rel = names.claim(child.name, _child_name(fk, parent, self_ref))
        children = naming.plural(naming.snake(child.name))
        if self_ref and child_rel == "parent":
            wanted = "children"
        elif one_to_one:
            wanted = naming.snake(child.name) if not ambiguous else f"{child_rel}_{naming.snake(child.name)}"
        elif self_ref and child_rel.endswith(f"_{naming.snake(child.name)}"):
            wanted = child_rel[: -len(naming.snake(child.name))] + children
        elif ambiguous or self_ref:
            wanted = f"{child_rel}_{children}"
        else:
            wanted = children
        parent_rel = names.claim(parent.name, wanted)
        child_kwargs: list[tuple[str, object]] = []
        parent_kwargs: list[tuple[str, object]] = []
        if ambiguous:
            keys = string(_attr_list(child, fk.columns))
            child_kwargs.append((string("foreign_keys"), keys))
            parent_kwargs.append((string("foreign_keys"), keys))
        if self_ref:
            remote = _attr_list(parent, fk.referenced_columns)
            child_kwargs.append((string("remote_side"), string(remote)))
        if one_to_one:
            parent_kwargs.append((string("uselist"), "False"))
        result[child.name].append(Rel(child_rel, parent.name, False, parent_rel, None, child_kwargs))
        result[parent.name].append(
            Rel(parent_rel, child.name, not one_to_one, child_rel, None, parent_kwargs)
        )
