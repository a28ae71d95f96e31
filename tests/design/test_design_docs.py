"""The examples in docs/design-file.md load (and the first one verifies on the server)."""

from __future__ import annotations

import re
from pathlib import Path

from pgshape.pg.verify import prove
from pgshape.sources.design_file import load_text

DOC = Path(__file__).resolve().parents[2] / "docs" / "design-file.md"
BLOCKS = re.findall(r"```(yaml|toml)\n(.*?)```", DOC.read_text(), re.S)

# Tables the fragment under "Other objects" refers to.
_AROUND_FRAGMENTS = """\
version: 1
project: {timestamps: true}
tables:
  app_user: {columns: {email: text, deleted_at: timestamptz null}}
  post: {columns: {title: text, slug: "text?"}}
  billing.invoice: {columns: {number: bigint}}
"""


def test_the_doc_has_examples() -> None:
    assert len(BLOCKS) >= 3


def test_whole_examples_load_and_the_first_verifies(scratch_url: str, pg_major: int) -> None:
    whole = [(kind, text) for kind, text in BLOCKS if text.startswith("version")]
    assert len(whole) >= 2
    for kind, text in whole:
        assert load_text(text, f"doc.{kind}").tables
    # uuidv7() exists from PostgreSQL 18 on: build the example for the server at hand.
    first = load_text(whole[0][1].replace("target: 18", f"target: {pg_major}"), "doc.yaml")
    proof = prove(first, scratch_url=scratch_url)
    assert proof.identical, [str(d) for d in proof.differences]


def test_fragments_load_in_context() -> None:
    fragments = [text for kind, text in BLOCKS if kind == "yaml" and not text.startswith("version")]
    assert fragments
    for text in fragments:
        db = load_text(_AROUND_FRAGMENTS + text, "doc.yaml")
        assert db.views and db.functions and db.domains
