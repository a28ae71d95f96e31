"""Reading a design file into plain data while remembering where every key and value is.

YAML is read with PyYAML's composer, whose nodes carry start marks, so any later error — a
pydantic validation error or a semantic check — can name ``file:line:column`` of the offending
key. TOML has no position-keeping reader in the standard library; its keys are found by a
textual search for the key (good for the line of almost every key people write).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from pgshape.errors import InputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

Path = tuple[str | int, ...]


@dataclass
class Positions:
    """``path → (line, column)`` (1-based) of each key (for mappings) or item (for lists)."""

    file: str
    marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    text: str = ""
    toml: bool = False

    def find(self, path: Sequence[str | int]) -> tuple[int, int] | None:
        """The position of ``path`` or of its closest known ancestor."""
        key = tuple(path)
        while True:
            if key in self.marks:
                return self.marks[key]
            # Short forms put a list where a mapping's `columns:` would be (`indexes: [[a, b]]`).
            if "columns" in key[:-1]:
                at = key.index("columns")
                short = key[:at] + key[at + 1 :]
                if isinstance(key[at + 1], int) and short in self.marks:
                    return self.marks[short]
            if self.toml and key:
                found = _toml_search(self.text, key)
                if found is not None:
                    self.marks[key] = found
                    return found
            if not key:
                return None
            key = key[:-1]

    def location(self, path: Sequence[str | int]) -> str:
        where = self.find(path)
        if where is None:
            return self.file
        return f"{self.file}:{where[0]}:{where[1]}"

    def line(self, path: Sequence[str | int]) -> int | None:
        where = self.find(path)
        return where[0] if where else None


def dotted(path: Sequence[str | int]) -> str:
    """``tables.post.columns.title`` / ``indexes[0]`` — how a key path is shown to people."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text or "(top level)"


# --- YAML --------------------------------------------------------------------------------------


def _yaml_error(file: str, error: yaml.YAMLError) -> InputError:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    location = f"{file}:{mark.line + 1}:{mark.column + 1}" if mark is not None else file
    if "got '?'" in problem:
        # PyYAML ends plain text at '?' inside {…}: the nullable short form needs quotes there.
        problem += ' (inside {…} write a nullable column as "text?" in quotes, or text null)'
    return InputError(f"not valid YAML: {problem}", location=location)


class _Builder:
    def __init__(self, file: str) -> None:
        self.positions = Positions(file)
        self.loader = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: Path) -> Any:
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise InputError("a key must be plain text", location=self._at(key_node))
                key = key_node.value
                if key == "<<":
                    raise InputError("YAML merge keys (<<) are not supported", location=self._at(key_node))
                if key in result:
                    raise InputError(
                        f"{dotted((*path, key))}: duplicate key {key!r}", location=self._at(key_node)
                    )
                child = (*path, key)
                self.positions.marks[child] = _mark(key_node)
                result[key] = self.build(value_node, child)
            return result
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.positions.marks[(*path, index)] = _mark(item)
                items.append(self.build(item, (*path, index)))
            return items
        assert isinstance(node, yaml.ScalarNode)
        if node.tag == "tag:yaml.org,2002:timestamp" or node.style is not None:
            return node.value
        return self.loader.construct_object(node, deep=True)

    def _at(self, node: yaml.Node) -> str:
        line, column = _mark(node)
        return f"{self.positions.file}:{line}:{column}"


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def read_yaml(text: str, file: str) -> tuple[Any, Positions]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise _yaml_error(file, error) from None
    builder = _Builder(file)
    builder.positions.text = text
    if node is None:
        return {}, builder.positions
    builder.positions.marks[()] = _mark(node)
    return builder.build(node, ()), builder.positions


# --- TOML --------------------------------------------------------------------------------------


def read_toml(text: str, file: str) -> tuple[Any, Positions]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        location = f"{file}:{match[1]}:{match[2]}" if match else file
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        raise InputError(f"not valid TOML: {message}", location=location) from None
    return data, Positions(file, text=text, toml=True)


def _toml_search(text: str, path: Path) -> tuple[int, int] | None:
    """Where the last text key of ``path`` is written: ``key =``, ``"key" =`` or a header."""
    names = [part for part in path if isinstance(part, str)]
    if not names:
        return None
    last = re.escape(names[-1])
    key = rf'(?:{last}|"{last}"|\'{last}\')'
    patterns = [rf"^\s*\[\[?[^\]]*\b{key}\s*\]\]?\s*$", rf"^\s*(?:[^=#\[]*\.)?{key}\s*="]
    # Prefer a match after the header of the nearest enclosing table that we can find.
    start = 0
    for depth in range(len(names) - 1, 0, -1):
        header = r"\.".join(rf'(?:{re.escape(n)}|"{re.escape(n)}")' for n in names[:depth])
        found = re.search(rf"^\s*\[\[?\s*{header}\s*\]\]?", text, re.MULTILINE)
        if found:
            start = found.start()
            break
    for pattern in patterns:
        found = re.compile(pattern, re.MULTILINE).search(text, start)
        if found:
            line = text.count("\n", 0, found.start()) + 1
            line_start = text.rfind("\n", 0, found.start()) + 1
            column = found.group(0).find(names[-1].strip()) + found.start() - line_start + 1
            return (line, max(column, 1))
    return None


def read_design(text: str, file: str) -> tuple[Any, Positions]:
    """Plain data and positions of a design file (TOML when the name ends in ``.toml``)."""
    if file.lower().endswith(".toml"):
        return read_toml(text, file)
    return read_yaml(text, file)
