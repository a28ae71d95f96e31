"""Rule documentation as Markdown: one page per rule (docs/rules/CODE-name.md) and an index.

Pure text generation; ``pgshape explain`` prints the same text and a test regenerates the
pages and fails when docs/rules/ has drifted from the rules.
"""

from __future__ import annotations

from collections.abc import Iterable

from pgshape.lint.core import Rule

GROUP_TITLES = {
    "KEY": "Keys",
    "FK": "Foreign keys",
    "IDX": "Indexes",
    "TYP": "Types",
    "NAM": "Naming",
    "CON": "Constraints and shape",
    "TS": "Timestamps",
    "SD": "Soft delete",
    "SEC": "Security",
    "NF": "Normalization",
    "DOC": "Documentation",
    "PART": "Partitioning",
    "SM": "SQLModel",
    "SUP": "Suppressions",
    "MIG": "Migration statements",
}


def page_name(rule: Rule) -> str:
    return f"{rule.code}-{rule.name}.md"


def _applies(rule: Rule) -> str:
    if rule.group == "MIG":
        return (
            "migration files (`pgshape lint-migration`: SQL scripts and Alembic revisions) "
            "and plans made by `pgshape diff`"
        )
    parts = []
    if rule.python_only:
        parts.append("Python (SQLModel) sources only")
    if rule.needs_data:
        parts.append("needs a live database with rows (data rule; skipped with --no-data)")
    if not rule.enabled_by_default:
        parts.append("off by default (enable with `select`/`extend-select`)")
    return "; ".join(parts) or "every source (models, SQL files, databases, design files)"


def _code_block(language: str, text: str) -> str:
    return f"```{language}\n{text.rstrip()}\n```"


def rule_markdown(rule: Rule) -> str:
    doc = rule.doc
    # MIG rules judge migrations: their "Python" examples are Alembic revisions, not models.
    python_label = "Alembic revision:" if rule.group == "MIG" else "SQLModel:"
    return "\n".join(
        [
            f"# {rule.name} ({rule.code})",
            "",
            f"Default severity: **{rule.severity}** · Group: {GROUP_TITLES.get(rule.group, rule.group)} · "
            f"Applies to: {_applies(rule)}",
            "",
            "## What it does",
            "",
            doc.what,
            "",
            "## Why is this bad?",
            "",
            doc.why,
            "",
            "## Example",
            "",
            python_label,
            "",
            _code_block("python", doc.example_sqlmodel),
            "",
            "SQL:",
            "",
            _code_block("sql", doc.example_sql),
            "",
            "## Use instead",
            "",
            python_label,
            "",
            _code_block("python", doc.use_instead_sqlmodel),
            "",
            "SQL:",
            "",
            _code_block("sql", doc.use_instead_sql),
            "",
            "## Fix",
            "",
            doc.fix,
            "",
        ]
    )


def index_markdown(rules: Iterable[Rule]) -> str:
    lines = [
        "# Rules",
        "",
        "Generated from the rules by `python -m pgshape.lint.docs` — do not edit by hand.",
        "",
        "| code | name | severity | summary |",
        "|---|---|---|---|",
    ]
    for each in rules:
        summary = each.summary.replace("|", "\\|")
        lines.append(f"| {each.code} | [{each.name}]({page_name(each)}) | {each.severity} | {summary} |")
    return "\n".join(lines) + "\n"


def pages(rules: Iterable[Rule]) -> dict[str, str]:
    """file name → content of every page of docs/rules/."""
    chosen = list(rules)
    found = {page_name(r): rule_markdown(r) for r in chosen}
    found["README.md"] = index_markdown(chosen)
    return found


if __name__ == "__main__":  # pragma: no cover - regenerates docs/rules/ (the only I/O here)
    import sys
    from pathlib import Path

    from pgshape.lint.core import all_rules

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/rules")
    target.mkdir(parents=True, exist_ok=True)
    wanted = pages(all_rules())
    for stale in target.glob("*.md"):
        if stale.name not in wanted:
            stale.unlink()
    for name, text in wanted.items():
        (target / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(wanted)} pages to {target}")
