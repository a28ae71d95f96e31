"""A tiny code builder whose output is already in ``ruff format`` style.

Generated modules must pass ``ruff format --check`` without running ruff at generation time
(ruff is not a runtime dependency, and output must not depend on the installed version). The
rule used here is black's: a call, list, tuple or dict stays on one line when it fits in 88
columns; otherwise it is exploded one element per line with a trailing ("magic") comma, which
ruff keeps exploded. Strings use double quotes unless that needs more escapes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

LINE_LENGTH = 88
INDENT = "    "


def string(text: str) -> str:
    """A Python string literal the way ruff would write it (preferred quote: double)."""
    # ruff keeps double quotes unless single quotes need fewer escapes.
    quote = "'" if text.count('"') > text.count("'") else '"'
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char == quote:
            out.append("\\" + quote)
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\\t")
        elif ord(char) < 32 or ord(char) == 127 or char in "\u2028\u2029\ufeff":
            out.append(f"\\x{ord(char):02x}" if ord(char) < 256 else f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return quote + "".join(out) + quote


def block_string(text: str) -> str:
    """A triple-quoted literal for multi-line SQL (function bodies, view definitions)."""
    if "\n" not in text:
        return string(text)
    body = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').replace("\r", "\\r")
    if body.endswith('"'):
        body = body[:-1] + '\\"'
    return '"""' + body + '"""'


Node = "str | Call | Seq | Dict"


@dataclass(frozen=True)
class Call:
    func: str
    args: Sequence[object] = ()
    kwargs: Sequence[tuple[str, object]] = ()


@dataclass(frozen=True)
class Seq:
    """A list (``[...]``) or tuple (``(...)``)."""

    items: Sequence[object]
    tuple_: bool = False


@dataclass(frozen=True)
class Dict:
    items: Sequence[tuple[object, object]]


def flat(node: object) -> str:
    if isinstance(node, str):
        return node
    if isinstance(node, Call):
        parts = [flat(a) for a in node.args] + [f"{k}={flat(v)}" for k, v in node.kwargs]
        return f"{node.func}({', '.join(parts)})"
    if isinstance(node, Seq):
        inner = ", ".join(flat(i) for i in node.items)
        if node.tuple_:
            return f"({inner},)" if len(node.items) == 1 else f"({inner})"
        return f"[{inner}]"
    if isinstance(node, Dict):
        return "{" + ", ".join(f"{flat(k)}: {flat(v)}" for k, v in node.items) + "}"
    raise TypeError(node)


def _parts(node: object) -> tuple[str, list[tuple[str, object]], str] | None:
    """(opening, [(prefix, child)], closing) for a node that can be exploded."""
    if isinstance(node, Call) and (node.args or node.kwargs):
        children = [("", a) for a in node.args] + [(f"{k}=", v) for k, v in node.kwargs]
        return f"{node.func}(", children, ")"
    if isinstance(node, Seq) and node.items:
        return ("(" if node.tuple_ else "["), [("", i) for i in node.items], (")" if node.tuple_ else "]")
    if isinstance(node, Dict) and node.items:
        return "{", [(f"{flat(k)}: ", v) for k, v in node.items], "}"
    return None


def width(text: str) -> int:
    """Display width as ruff measures it: East Asian wide and full-width characters count 2."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def lines(node: object, level: int, prefix: str = "", suffix: str = "") -> list[str]:
    """``prefix + node + suffix`` at indentation ``level``, as black/ruff would lay it out."""
    pad = INDENT * level
    one = f"{pad}{prefix}{flat(node)}{suffix}"
    parts = _parts(node)
    if (width(one) <= LINE_LENGTH and "\n" not in one) or parts is None:
        return [one]
    opening, children, closing = parts
    out = [f"{pad}{prefix}{opening}"]
    for child_prefix, child in children:
        out += lines(child, level + 1, child_prefix, ",")
    out.append(f"{pad}{closing}{suffix}")
    return out


def statement(node: object, level: int, prefix: str = "") -> str:
    return "\n".join(lines(node, level, prefix)) + "\n"
