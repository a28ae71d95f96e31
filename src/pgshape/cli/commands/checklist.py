"""``pgshape checklist SOURCE``: the pre-deploy checklist, filled in from the findings.

Each item is checked automatically (✓ when none of its rules found anything, ✗ with the
findings behind it) or marked "confirm by hand" with the question a reviewer should ask.
"""

from __future__ import annotations

from dataclasses import dataclass

import typer

from pgshape.cli.app import app
from pgshape.cli.commands._lint_support import load_config, run_source
from pgshape.cli.options import SCRATCH_URL
from pgshape.cli.output import write_output
from pgshape.lint.config import selector_specificity
from pgshape.lint.core import Finding, all_rules


@dataclass(frozen=True)
class Item:
    section: str
    text: str
    rules: tuple[str, ...] = ()  # selectors; empty: confirm by hand
    question: str = ""


ITEMS = (
    Item(
        "Naming", "Identifiers are snake_case, unreserved and under 63 bytes", ("NAM001", "NAM002", "NAM004")
    ),
    Item(
        "Naming",
        "Table names follow one style; booleans and timestamps are named for their type",
        ("NAM003", "NAM005", "NAM006"),
    ),
    Item("Primary keys", "Every table has a primary key", ("missing-primary-key",)),
    Item(
        "Primary keys",
        "Keys are bigint identity or uuid, not int4/serial/text",
        ("int4-primary-key", "serial-column", "text-uuid-primary-key"),
    ),
    Item("Primary keys", "Natural keys (email, slug, sku…) are unique", ("missing-business-unique",)),
    Item("Foreign keys", "Every foreign key has an index", ("unindexed-foreign-key",)),
    Item(
        "Foreign keys",
        "FK types match; no duplicate or implied-only references",
        ("foreign-key-type-mismatch", "duplicate-foreign-key", "implied-foreign-key"),
    ),
    Item(
        "Foreign keys",
        "ON DELETE is decided for each reference; cascades stay short",
        ("missing-on-delete-decision", "self-reference-without-on-delete", "cascade-chain-too-deep"),
    ),
    Item(
        "Data types",
        "timestamptz, numeric for money, jsonb, text",
        ("TYP001", "TYP002", "TYP003", "TYP004", "TYP005"),
    ),
    Item("Data types", "The same column has the same type everywhere", ("inconsistent-column-types",)),
    Item("Indexes", "No duplicate or redundant indexes", ("duplicate-index", "redundant-prefix-index")),
    Item(
        "Indexes",
        "Indexes match the queries",
        (),
        "Do the slowest queries (pg_stat_statements) use an index?",
    ),
    Item("Constraints", "Required columns are NOT NULL; enumerations are constrained", ("CON",)),
    Item(
        "Constraints",
        "Business rules live in CHECK constraints",
        (),
        "Which invariants does the application assume that no constraint enforces?",
    ),
    Item("Timestamps", "Tables record created_at / updated_at, maintained by the database", ("TS",)),
    Item("Soft delete", "Soft-deleted tables use partial unique indexes and partial hot indexes", ("SD",)),
    Item("Normalization", "No repeating groups, lists in text, or derived columns", ("NF", "NAM008")),
    Item("Security", "No plaintext secrets; PII documented; RLS where tenants share tables", ("SEC",)),
    Item(
        "Security",
        "Roles and grants",
        (),
        "Does the application role own nothing and have only the grants it needs?",
    ),
    Item(
        "Migrations",
        "The migration is online-safe",
        (),
        "Run `pgshape lint-migration` on the migration: concurrent indexes, NOT VALID constraints, "
        "lock_timeout?",
    ),
    Item(
        "Migrations",
        "The migration was rehearsed",
        (),
        "Was it applied to a copy of production (`pgshape verify`)?",
    ),
)


def _matches(finding: Finding, selectors: tuple[str, ...]) -> bool:
    rule = next((r for r in all_rules() if r.code == finding.code), None)
    return rule is not None and any(selector_specificity(rule, s) is not None for s in selectors)


def render_checklist(source: str, findings: list[Finding]) -> str:
    lines = [f"# Pre-deploy checklist: {source}", ""]
    section = None
    for item in ITEMS:
        if item.section != section:
            if section is not None:
                lines.append("")
            section = item.section
            lines += [f"## {section}", ""]
        if not item.rules:
            lines.append(f"- [ ] {item.text} — confirm by hand: {item.question}")
            continue
        behind = [f for f in findings if _matches(f, item.rules)]
        if not behind:
            lines.append(f"- [x] ✓ {item.text}")
            continue
        lines.append(f"- [ ] ✗ {item.text} ({len(behind)} finding(s))")
        for finding in behind[:10]:
            lines.append(f"  - {finding.code} {finding.name} `{finding.path}`: {finding.message}")
        if len(behind) > 10:
            lines.append(f"  - … and {len(behind) - 10} more (`pgshape lint` lists them)")
    lines.append("")
    return "\n".join(lines)


@app.command()
def checklist(
    source: str = typer.Argument(..., help="What to review (URL, .sql, .py, design file)."),
    output: str = typer.Option(None, "--output", "-o", help="Write the checklist here (Markdown)."),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file."),
    config: str = typer.Option(None, "--config", help="Config file (default: nearest pyproject.toml)."),
    no_data: bool = typer.Option(False, "--no-data", help="Skip the data rules."),
    scratch_url: str = SCRATCH_URL,
) -> int:
    """Fill in the pre-deploy checklist for SOURCE (exit 1 when an automatic item fails)."""
    cfg = load_config(config)
    run = run_source(
        source,
        cfg,
        scratch_url=scratch_url,
        schemas=None,
        data=not no_data,
        sample_rows=cfg.threshold("sample-rows"),
    )
    findings = run.result.findings
    write_output(output, render_checklist(source, findings), force=force)
    failed = any(item.rules and any(_matches(f, item.rules) for f in findings) for item in ITEMS)
    return 1 if failed else 0
