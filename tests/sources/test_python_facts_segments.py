"""The cached source segments used by the SQLModel facts agree with ``ast.get_source_segment``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pgshape.sources.python_facts_extra import _segment

ODD = "\nx = 'héllo' + 'wörld'\r\ny = (1,\r\n  2)\rz = {'a':\n  [1, 2]}  # ünïcode\n"


@pytest.mark.parametrize(
    "file", ["src/pgshape/lint/rules/sqlmodel.py", "tests/render/sample_models.py", "tests/strategies.py"]
)
def test_segments_match_the_ast_module(file: str) -> None:
    root = Path(__file__).resolve().parents[2]
    text = (root / file).read_text(encoding="utf-8") + ODD
    checked = 0
    for node in ast.walk(ast.parse(text)):
        if getattr(node, "end_lineno", None) is not None:
            assert _segment(text, node) == ast.get_source_segment(text, node)
            checked += 1
    assert checked > 100
