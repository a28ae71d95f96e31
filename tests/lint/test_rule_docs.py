"""Every rule is documented completely, and docs/rules/ is exactly what the rules generate."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CORPUS
from pgshape.lint.core import Rule, Severity, all_rules
from pgshape.lint.docs import pages

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules"
# ../shared/RULES.md, found the way the corpus is (next to it: shared/corpus/schemas).
RULES_MD = CORPUS.parents[1] / "RULES.md"


@pytest.mark.parametrize("rule", list(all_rules()), ids=lambda r: r.code)
def test_every_doc_section_is_written(rule: Rule) -> None:
    doc = rule.doc
    for section in (
        "what",
        "why",
        "example_sqlmodel",
        "example_sql",
        "use_instead_sqlmodel",
        "use_instead_sql",
        "fix",
    ):
        assert getattr(doc, section).strip(), f"{rule.code}: empty {section}"
    assert rule.summary.strip()


def test_docs_rules_have_not_drifted() -> None:
    expected = pages(all_rules())
    present = {p.name: p.read_text(encoding="utf-8") for p in DOCS.glob("*.md")}
    stale = sorted(set(present) - set(expected))
    missing = sorted(set(expected) - set(present))
    changed = sorted(n for n in set(expected) & set(present) if expected[n] != present[n])
    assert not (stale or missing or changed), (
        f"docs/rules is out of date (run `python -m pgshape.lint.docs docs/rules`): "
        f"stale={stale} missing={missing} changed={changed}"
    )


@pytest.mark.skipif(not RULES_MD.exists(), reason="../shared/RULES.md is not present")
def test_codes_follow_rules_md_order_for_my_groups() -> None:
    """KEY/FK/IDX/TYP/NAM: every RULES.md row exists, numbered in table order from 001."""
    text = RULES_MD.read_text(encoding="utf-8")
    by_code = {r.code: r.name for r in all_rules()}
    for group in ("KEY", "FK", "IDX", "TYP", "NAM"):
        section = text.split(f"({group})", 1)[1].split("\n## ", 1)[0]
        names = [
            line.split("|")[1].strip()
            for line in section.splitlines()
            if line.startswith("| ") and "---" not in line
        ]
        names = [n for n in names if n != "name"]
        for number, name in enumerate(names, start=1):
            assert by_code.get(f"{group}{number:03d}") == name


def _catalog(text: str) -> list[tuple[str, str, str, bool]]:
    """(group, name, severity, needs data) of every row of RULES.md's rule tables."""
    rows = []
    for section in text.split("\n## ")[1:]:
        heading = section.splitlines()[0]
        if "(" not in heading:
            continue
        group = heading.rsplit("(", 1)[1].split(")")[0]
        for line in section.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) < 3 or cells[0] in ("name", "") or set(cells[0]) <= {"-"}:
                continue
            for name in cells[0].split(" / "):  # "drop-column / drop-table": two rules
                rows.append((group, name.strip(), cells[1].split()[0], "(data)" in cells[1]))
    return rows


@pytest.mark.skipif(not RULES_MD.exists(), reason="../shared/RULES.md is not present")
def test_every_rule_of_rules_md_exists_with_its_group_and_severity() -> None:
    """The review catalog is the contract: every row is a registered rule of that group, with
    the default severity RULES.md gives it, and the "data" rules are marked as needing rows."""
    catalog = _catalog(RULES_MD.read_text(encoding="utf-8"))
    assert len(catalog) >= 90  # a parsing slip would find far fewer
    by_name = {r.name: r for r in all_rules()}
    for group, name, severity, needs_data in catalog:
        rule = by_name.get(name)
        assert rule is not None, f"RULES.md rule {name} ({group}) is not implemented"
        assert rule.group == group, (name, rule.group, group)
        assert rule.severity is Severity.parse(severity), (name, rule.severity, severity)
        assert rule.needs_data == needs_data, (name, "data rule" if needs_data else "metadata rule")
