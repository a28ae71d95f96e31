"""``tree``: a hierarchy on one table.

- ``adjacency``: ``parent_id`` referencing the table's own key (NULL for roots), indexed (for
  "children of" and for the ON DELETE check), a CHECK that a row is not its own parent, and an
  explicit ON DELETE decision (CASCADE by default: deleting a node deletes its subtree).
- ``ltree``: a materialised ``path`` (``electronics.phones.android``) of the ``ltree``
  extension with a GiST index, for ancestor/descendant queries (``path <@ 'electronics'``)
  without recursion.
"""

from __future__ import annotations

from dataclasses import replace

from pgshape.design.patterns.base import Draft, TableKey, key_column, plain_index, with_column
from pgshape.design.patterns.spec import TreeOptions, TreeStyle
from pgshape.model import CheckConstraint, Column, ForeignKey, Table
from pgshape.render.identifiers import quote_ident


def choice(value: list[str] | dict[str, TreeStyle | TreeOptions] | None) -> dict[str, TreeOptions]:
    if value is None:
        return {}
    if isinstance(value, list):
        return {name: TreeOptions() for name in value}
    return {
        name: options if isinstance(options, TreeOptions) else TreeOptions(style=options)
        for name, options in value.items()
    }


def apply(draft: Draft, chosen: dict[str, TreeOptions]) -> None:
    for name, options in chosen.items():
        (key,) = draft.resolve("tree", [name])
        if options.style == "ltree":
            draft.put(_ltree(draft, key, options.column or "path"))
        else:
            draft.put(_adjacency(draft, key, options))


def _adjacency(draft: Draft, key: TableKey, options: TreeOptions) -> Table:
    table = draft.table(key)
    referenced = key_column(table, "tree")
    column = options.column or f"parent_{referenced.name}"
    if table.column(column) is None:
        table = with_column(table, Column(name=column, type=referenced.type), after=referenced.name)
    if not any(fk.columns == (column,) and fk.referenced == key for fk in table.foreign_keys):
        fk = ForeignKey(
            name=draft.name("fk", table.name, (column,)),
            columns=(column,),
            referenced_schema=key[0],
            referenced_table=key[1],
            referenced_columns=(referenced.name,),
            on_delete=options.on_delete,  # type: ignore[arg-type]
        )
        not_own_parent = CheckConstraint(
            name=draft.name("check", table.name, (column,), name=f"not_own_{column}"),
            expression=f"{quote_ident(column)} <> {quote_ident(referenced.name)}",
        )
        index = plain_index(draft.name("index", table.name, (column,)), (column,))
        table = replace(
            table,
            foreign_keys=(*table.foreign_keys, fk),
            check_constraints=(*table.check_constraints, not_own_parent),
            indexes=(*table.indexes, index),
        )
    return table


def _ltree(draft: Draft, key: TableKey, column: str) -> Table:
    extension = draft.add_extension("ltree")
    table = draft.table(key)
    if table.column(column) is None:
        ltree = f"{quote_ident(extension.schema)}.ltree"
        table = with_column(
            table,
            Column(name=column, type=ltree, nullable=False, comment="Labels from the root, dot-separated."),
            after=table.primary_key.columns[-1] if table.primary_key else None,
        )
    index = plain_index(draft.name("index", table.name, (column,)), (column,), method="gist")
    if all(existing.name != index.name for existing in table.indexes):
        table = replace(table, indexes=(*table.indexes, index))
    return table
