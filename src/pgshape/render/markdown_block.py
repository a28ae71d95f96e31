"""Replace the ERD block of an existing Markdown file, leaving every other byte as it was.

The block is delimited by two HTML comments (invisible when the Markdown is rendered):

    <!-- pgshape:erd:begin -->
    ```mermaid
    erDiagram
      …
    ```
    <!-- pgshape:erd:end -->

Everything up to the end of the begin marker and from the start of the end marker is kept
byte-for-byte; what lies between is replaced by a line break, the fenced diagram and a line
break (using the file's line-break style, ``\\r\\n`` when the marker line ends that way). A file
has exactly one block; a missing, repeated or out-of-order marker is an error naming its line.
"""

from __future__ import annotations

from pgshape.errors import InputError

BEGIN = "<!-- pgshape:erd:begin -->"
END = "<!-- pgshape:erd:end -->"


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _positions(text: str, marker: str) -> list[int]:
    found, start = [], 0
    while (at := text.find(marker, start)) != -1:
        found.append(at)
        start = at + len(marker)
    return found


def fence(body: str, language: str) -> str:
    """``body`` in a fenced code block whose fence is longer than any backtick run inside it."""
    longest, run = 0, 0
    for char in body:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{language}\n{body if body.endswith(chr(10)) else body + chr(10)}{ticks}"


def replace_block(text: str, block: str, *, path: str) -> str:
    """``text`` with the content between the markers replaced by ``block`` (a fenced diagram).

    ``path`` is only used in error messages (``path:line``)."""
    begins, ends = _positions(text, BEGIN), _positions(text, END)
    if not begins and not ends:
        raise InputError(
            f"no ERD block: add the lines {BEGIN} and {END} where the diagram goes", location=path
        )
    if not begins:
        raise InputError(f"{END} without a {BEGIN} before it", location=f"{path}:{_line(text, ends[0])}")
    if not ends:
        raise InputError(f"{BEGIN} without a matching {END}", location=f"{path}:{_line(text, begins[0])}")
    if len(begins) > 1:
        raise InputError(
            f"a second {BEGIN} (one ERD block per file)", location=f"{path}:{_line(text, begins[1])}"
        )
    if len(ends) > 1:
        raise InputError(
            f"a second {END} (one ERD block per file)", location=f"{path}:{_line(text, ends[1])}"
        )
    begin, end = begins[0], ends[0]
    if end < begin:
        raise InputError(f"{END} before {BEGIN}", location=f"{path}:{_line(text, end)}")
    head = text[: begin + len(BEGIN)]
    newline = "\r\n" if text.startswith("\r\n", len(head)) else "\n"
    middle = newline + block.replace("\n", newline) + newline
    return head + middle + text[end:]
