"""The SQL an Alembic revision runs, read from its source with ``ast`` (never imported).

``upgrade()`` is read (or ``downgrade()``): every ``op.execute("…")`` (also with ``sa.text("…")``
or ``text("…")`` around the string) and ``op.get_bind().exec_driver_sql("…")`` whose argument is
a string literal becomes a :class:`~pgshape.migrate.statements.Chunk` at the string's line and
column. Calls inside ``with op.get_context().autocommit_block():`` run outside a transaction;
the others inside the transaction Alembic opens for the revision (a new one after each
autocommit block). Other ``op.*`` calls (``op.create_index`` ...) are listed as not checked:
their SQL exists only once Alembic renders them.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from pgshape.errors import InputError
from pgshape.migrate.statements import Chunk

# text() unescapes \:name to :name (see render_alembic).
_ESCAPED_BIND = re.compile(r"\\(:\w*)(?![:\w])")


@dataclass
class RevisionSql:
    chunks: list[Chunk] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)  # "op.create_index at line 12"


def _string(node: ast.expr) -> ast.Constant | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node
    if (
        isinstance(node, ast.Call)
        and node.args
        and ast.unparse(node.func) in ("sa.text", "text", "sqlalchemy.text")
    ):
        return _string(node.args[0])
    return None


def _is_autocommit(item: ast.withitem) -> bool:
    return ast.unparse(item.context_expr).endswith("autocommit_block()")


_OPENING = re.compile(r"[rRuU]*(\"\"\"|'''|\"|')")


class _Reader(ast.NodeVisitor):
    def __init__(self, source: str) -> None:
        self.source = source
        self.result = RevisionSql()
        self.autocommit = 0
        self.block = 0

    def visit_With(self, node: ast.With) -> None:
        if any(_is_autocommit(item) for item in node.items):
            self.autocommit += 1
            self.block += 1  # Alembic commits before the block and begins anew after it
            for statement in node.body:
                self.visit(statement)
            self.autocommit -= 1
            self.block += 1
        else:
            self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = ast.unparse(node.func)
        if name in ("op.execute", "op.get_bind().exec_driver_sql") and node.args:
            literal = _string(node.args[0])
            if literal is None:
                self.result.unchecked.append(f"{name} at line {node.lineno} (not a string literal)")
            else:
                text = literal.value
                text = _ESCAPED_BIND.sub(r"\1", text) if name == "op.execute" else text.replace("%%", "%")
                # Positions inside the SQL are file positions: the text starts just after the
                # string's opening quote (exact for raw and plain strings without escapes).
                segment = ast.get_source_segment(self.source, literal) or ""
                opening = _OPENING.match(segment)
                skip = len(opening.group(0)) if opening else 0
                self.result.chunks.append(
                    Chunk(
                        text,
                        line=literal.lineno,
                        column=literal.col_offset + 1 + skip,
                        transaction=self.autocommit == 0,
                        block=self.block,
                    )
                )
        elif name.startswith("op.") and name not in ("op.get_context", "op.get_bind"):
            self.result.unchecked.append(f"{name} at line {node.lineno}")
        self.generic_visit(node)


def revision_sql(source: str, file: str, *, function: str = "upgrade") -> RevisionSql:
    """The SQL of ``function`` in the revision ``source`` (read from ``file``)."""
    try:
        tree = ast.parse(source, filename=file)
    except SyntaxError as error:
        raise InputError(
            f"not valid Python: {error.msg}", location=f"{file}:{error.lineno}:{error.offset}"
        ) from None
    found = next(
        (n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == function),
        None,
    )
    if found is None:
        raise InputError(f"no {function}() function: not an Alembic revision", location=file)
    reader = _Reader(source)
    for statement in found.body:
        reader.visit(statement)
    return reader.result
