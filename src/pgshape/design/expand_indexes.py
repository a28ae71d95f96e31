"""Expansion of indexes and their keys (columns, expressions, order, operator classes)."""

from __future__ import annotations

from pgshape.design.errors import DesignError
from pgshape.design.expand_base import EXPRESSION_WORDS, KEY_WITH_ORDER, SIMPLE_NAME, Draft, Path
from pgshape.design.expand_types import TypesMixin
from pgshape.design.spec import (
    IndexKeySpec,
    IndexSpec,
)
from pgshape.model import (
    Index,
    IndexKey,
)


class IndexesMixin(TypesMixin):
    def read_index(self, draft: Draft, spec: IndexSpec, path: Path, *, view: bool = False) -> Index:
        keys = tuple(
            self.index_key(draft, key, (*path, "columns", n), view) for n, key in enumerate(spec.columns)
        )
        words = [k.column or "_".join(EXPRESSION_WORDS.findall(k.expression or "")) for k in keys]
        name = spec.name or self.naming.render("unique" if spec.unique else "index", draft.name, words)
        return Index(
            name,
            keys,
            spec.unique,
            spec.method.lower(),
            tuple(spec.include),
            spec.where,
            spec.nulls_not_distinct,
            tuple(spec.options),
            spec.comment,
            origin=self.origin(path),
        )

    def index_key(self, draft: Draft, spec: IndexKeySpec, path: Path, view: bool) -> IndexKey:
        column, expression, desc, nulls_first = spec.column, spec.expression, spec.desc, spec.nulls_first
        names = [c.name for c in draft.columns]
        if spec.text is not None:
            text = spec.text.strip()
            ordered = KEY_WITH_ORDER.match(text)
            # Bare names are columns even when the table does not have them yet: patterns add
            # columns (created_at, tenant_id…) later; the checks after the patterns catch typos.
            if text in names or SIMPLE_NAME.fullmatch(text):
                column = text
            elif ordered and (ordered["column"] in names or SIMPLE_NAME.fullmatch(ordered["column"])):
                column = ordered["column"]
                desc = ordered["order"].lower() == "desc"
                if ordered["nulls"]:
                    nulls_first = ordered["nulls"].lower() == "first"
            else:
                expression = text
        if (column is None) == (expression is None):
            raise DesignError("an index key names a column or an expression (exactly one)", path)
        if nulls_first is not None and nulls_first == desc:
            nulls_first = None  # NULLS FIRST is the default for DESC, NULLS LAST for ASC
        return IndexKey(column, expression, desc, nulls_first, spec.opclass, self.collation(spec.collation))
