"""``pgshape lint --fix``: apply the findings' code edits to SQLModel sources with libcst.

libcst keeps every comment, blank line and quote style; only the touched call changes. Edits:

* ``field-kwarg``: set keyword arguments on the field's ``Field(...)`` call (creating the call
  from a plain default when there is none: ``x: int = 5`` → ``x: int = Field(default=5, index=True)``).
  The special argument ``import`` adds an import line when the module lacks it.
* ``remove-field-kwarg``: drop keyword arguments from the ``Field(...)`` call.

Pure: text in, text out; the CLI reads and writes the files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from pgshape.lint.core import CodeEdit


@dataclass
class EditResult:
    text: str
    applied: list[CodeEdit]
    failed: list[tuple[CodeEdit, str]]


class _FieldEditor(cst.CSTTransformer):
    def __init__(self, edits: Sequence[CodeEdit]) -> None:
        self.edits = {edit.target: edit for edit in edits}
        self.classes: list[str] = []
        self.done: set[tuple[str, ...]] = set()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.classes.append(node.name.value)

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        self.classes.pop()
        return updated

    def leave_AnnAssign(self, original: cst.AnnAssign, updated: cst.AnnAssign) -> cst.AnnAssign:
        if not self.classes or not isinstance(updated.target, cst.Name):
            return updated
        key = (".".join(self.classes[-1:]), updated.target.value)
        edit = self.edits.get(key)
        if edit is None:
            return updated
        value = updated.value
        arguments = {k: v for k, v in edit.arguments.items() if k != "import"}
        if edit.kind == "field-kwarg":
            call = _as_field_call(value)
            call = _set_kwargs(call, arguments)
        elif edit.kind == "remove-field-kwarg":
            if not _is_field_call(value):
                return updated
            call = value.with_changes(  # type: ignore[union-attr]
                args=_tidy([a for a in value.args if a.keyword is None or a.keyword.value not in arguments])  # type: ignore[union-attr]
            )
        else:
            return updated
        self.done.add(key)
        if updated.equal is cst.MaybeSentinel.DEFAULT or value is None:
            return updated.with_changes(
                value=call,
                equal=cst.AssignEqual(
                    whitespace_before=cst.SimpleWhitespace(" "), whitespace_after=cst.SimpleWhitespace(" ")
                ),
            )
        return updated.with_changes(value=call)


def _is_field_call(value: cst.BaseExpression | None) -> bool:
    return isinstance(value, cst.Call) and (
        (isinstance(value.func, cst.Name) and value.func.value == "Field")
        or (isinstance(value.func, cst.Attribute) and value.func.attr.value == "Field")
    )


def _as_field_call(value: cst.BaseExpression | None) -> cst.Call:
    if value is not None and _is_field_call(value):
        return value  # type: ignore[return-value]
    args = [] if value is None else [cst.Arg(keyword=cst.Name("default"), value=value, equal=_EQUAL)]
    return cst.Call(func=cst.Name("Field"), args=args)


_EQUAL = cst.AssignEqual(
    whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
)


def _set_kwargs(call: cst.Call, arguments: dict[str, str]) -> cst.Call:
    args = list(call.args)
    for name, source in arguments.items():
        expression = cst.parse_expression(source)
        for i, arg in enumerate(args):
            if arg.keyword is not None and arg.keyword.value == name:
                args[i] = arg.with_changes(value=expression)
                break
        else:
            added = cst.Arg(keyword=cst.Name(name), value=expression, equal=_EQUAL)
            trailing = args[-1].comma if args else cst.MaybeSentinel.DEFAULT
            if isinstance(trailing, cst.Comma) and _multiline(trailing):
                # one argument per line: the new one goes last, on its own line, with the
                # trailing comma; the previous last one gets the usual line-break separator
                model = args[-2].comma.whitespace_after if len(args) >= 2 else call.whitespace_before_args  # type: ignore[union-attr]
                if isinstance(model, cst.ParenthesizedWhitespace):
                    # the same indentation, without any comment that line may carry
                    separator = cst.Comma(
                        whitespace_after=cst.ParenthesizedWhitespace(
                            first_line=cst.TrailingWhitespace(),
                            indent=model.indent,
                            last_line=model.last_line,
                        )
                    )
                else:
                    separator = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                args[-1] = args[-1].with_changes(comma=separator)
                added = added.with_changes(comma=trailing)
            args.append(added)
    return call.with_changes(args=_tidy(args))


def _tidy(args: list[cst.Arg]) -> list[cst.Arg]:
    """Commas between arguments, none after the last (unless the call was multi-line)."""
    tidy = []
    for i, arg in enumerate(args):
        last = i == len(args) - 1
        comma = arg.comma
        if not last and comma is cst.MaybeSentinel.DEFAULT:
            comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        if last and isinstance(comma, cst.Comma) and not _multiline(comma):
            comma = cst.MaybeSentinel.DEFAULT
        tidy.append(arg.with_changes(comma=comma))
    return tidy


def _multiline(comma: cst.Comma) -> bool:
    return isinstance(comma.whitespace_after, cst.ParenthesizedWhitespace)


def apply_edits(text: str, edits: Sequence[CodeEdit]) -> EditResult:
    """Apply ``edits`` (all for one file) to ``text``."""
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as error:
        return EditResult(text, [], [(edit, f"cannot parse: {error.message}") for edit in edits])
    editor = _FieldEditor(edits)
    updated = module.visit(editor)
    applied = [e for e in edits if e.target in editor.done]
    failed = [
        (e, "field not found as an annotated class attribute") for e in edits if e.target not in editor.done
    ]
    new_text = updated.code
    for edit in applied:
        line = edit.arguments.get("import")
        if line and line not in new_text:
            new_text = _add_import(new_text, line)
    return EditResult(new_text, applied, failed)


def _add_import(text: str, line: str) -> str:
    """Insert ``line`` after the last top-level import."""
    lines = text.splitlines(keepends=True)
    last = -1
    for i, current in enumerate(lines):
        if current.startswith(("import ", "from ")):
            last = i
    lines.insert(last + 1, line + "\n")
    return "".join(lines)
