"""Markdown text helpers: cells, code spans, file names and links for the data dictionary."""

from __future__ import annotations

import re
from urllib.parse import quote

from pgshape.render.erd_common import TableKey

_UNSAFE_FILE_CHAR = re.compile(r"[^A-Za-z0-9_\-]")
_LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")


def file_part(name: str) -> str:
    """``name`` as a file-name part: anything but ``[A-Za-z0-9_-]`` (``.`` included, so that the
    schema/table separator stays unambiguous) is written ``%XX`` (UTF-8 bytes)."""
    return _UNSAFE_FILE_CHAR.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), name)


def table_file(key: TableKey) -> str:
    """The page of a table, relative to the docs directory: ``tables/<schema>.<table>.md``."""
    return f"tables/{file_part(key[0])}.{file_part(key[1])}.md"


def href(path: str) -> str:
    """A link target for a relative file path (``%`` and other characters URL-encoded)."""
    return quote(path, safe="/._-")


def qualified(key: TableKey) -> str:
    return f"{key[0]}.{key[1]}"


def one_line(text: str) -> str:
    """``text`` without line breaks (each run becomes one space); other whitespace is kept, since
    it can be part of a name (a no-break space in an identifier is a different identifier)."""
    return _LINE_BREAKS.sub(" ", text)


def escape(text: str) -> str:
    """Plain Markdown text on one line: characters that would start markup are escaped."""
    one_line_text = one_line(text)
    return re.sub(r"([\\`*_{}\[\]<>()#+!|~])", r"\\\1", one_line_text)


def cell(text: str | None) -> str:
    """Text for a table cell (pipes escaped, line breaks as ``<br>``)."""
    if not text:
        return ""
    lines = [escape(line) for line in text.splitlines() if line.strip()]
    return "<br>".join(lines)


def code(text: str | None) -> str:
    """A code span (on one line) that holds any text and survives inside a table cell."""
    if text is None or text == "":
        return ""
    flat = one_line(text)
    # A pipe ends a GFM table cell even inside a code span; the backslash escape is honoured there.
    flat = flat.replace("|", "\\|")
    longest = max((len(m) for m in re.findall(r"`+", flat)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{ticks}{pad}{flat}{pad}{ticks}"


def link(key: TableKey, from_dir: str) -> str:
    """A link to a table's page from a page in ``from_dir`` (``""`` or ``"tables"``)."""
    target = table_file(key)
    if from_dir == "tables":
        target = target.removeprefix("tables/")
    return f"[{escape(qualified(key))}]({href(target)})"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A GFM table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines
