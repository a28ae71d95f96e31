"""Where a fix lands: code-edit targets in SQLModel sources and the names new indexes get.

Rules call these to attach fixes; the editing itself is :mod:`pgshape.lint.fix_code`.
"""

from __future__ import annotations

from pgshape.lint.core import CodeEdit, LintContext
from pgshape.model import Table

MAX_IDENTIFIER_BYTES = 63


def model_class(context: LintContext, table: Table) -> str | None:
    """The qualified class name (``Post`` or ``Outer.Post``) of the model mapping ``table``."""
    if context.python is None:
        return None
    for model in context.python.models:
        if model.table == table.key and model.is_sqlmodel:
            return model.class_name.rpartition(".")[2] if "." in model.class_name else model.class_name
    return None


def field_edit(
    context: LintContext, table: Table, column: str, kind: str, arguments: dict[str, str]
) -> CodeEdit | None:
    """An edit of the field declaring ``column`` in the model of ``table`` (Python sources only)."""
    found = table.column(column)
    class_name = model_class(context, table)
    if found is None or class_name is None:
        return None
    origin = found.origin or table.origin
    if origin is None:
        return None
    return CodeEdit(file=origin.file, kind=kind, target=(class_name, column), arguments=dict(arguments))


def index_name(table: str, columns: list[str] | tuple[str, ...], suffix: str = "idx") -> str:
    """The name PostgreSQL would choose (``{table}_{col1}_{col2}_{suffix}``), cut to 63 bytes."""
    name = "_".join([table, *columns, suffix])
    while len(name.encode()) > MAX_IDENTIFIER_BYTES:
        name = name[:-1]
    return name
