"""The Markdown block replacement behind ``pgshape erd --markdown``, on arbitrary surrounding text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pgshape.render.markdown_block import BEGIN, END, fence, replace_block

_text = st.text(st.characters(exclude_characters="\x00"), max_size=200).filter(
    lambda s: "pgshape:erd:" not in s
)


@given(head=_text, old=_text, tail=_text, diagram=_text)
def test_only_the_block_changes(head: str, old: str, tail: str, diagram: str) -> None:
    text = head + BEGIN + old + END + tail
    block = fence(diagram, "mermaid")
    result = replace_block(text, block, path="f.md")
    assert result.startswith(head + BEGIN)
    assert result.endswith(END + tail)
    middle = result[len(head + BEGIN) : len(result) - len(END + tail)]
    newline = "\r\n" if old.startswith("\r\n") else "\n"
    assert middle == newline + block.replace("\n", newline) + newline
    # Idempotent: replacing again with the same block is a fixed point.
    assert replace_block(result, block, path="f.md") == result


@given(diagram=_text)
def test_fence_is_longer_than_any_backtick_run(diagram: str) -> None:
    fenced = fence(diagram, "mermaid")
    opening = fenced.split("mermaid", 1)[0]
    assert set(opening) == {"`"} and len(opening) >= 3
    assert opening not in diagram
    assert fenced.endswith("\n" + opening)
