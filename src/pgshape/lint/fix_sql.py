"""``pgshape lint --fix-sql``: the findings' SQL fixes as one online-safe migration script.

Only safe fixes unless unsafe ones are asked for. The script sets a lock_timeout (so a DDL
statement queued behind a long transaction gives up instead of blocking every query behind it)
and uses no transaction block, because CREATE/DROP INDEX CONCURRENTLY cannot run inside one.
"""

from __future__ import annotations

from collections.abc import Sequence

from pgshape.lint.core import Finding


def fix_statements(findings: Sequence[Finding], *, unsafe: bool = False) -> list[tuple[Finding, str, bool]]:
    """(finding, sql, safe) for every applicable fix, each SQL text once, in finding order."""
    seen: set[str] = set()
    chosen = []
    for finding in findings:
        for fix in finding.fixes:
            if fix.sql is None or (not fix.safe and not unsafe) or fix.sql in seen:
                continue
            seen.add(fix.sql)
            chosen.append((finding, fix.sql, fix.safe))
            break  # one fix per finding
    return chosen


def render_fix_sql(findings: Sequence[Finding], *, unsafe: bool = False, source: str = "") -> str:
    statements = fix_statements(findings, unsafe=unsafe)
    lines = [
        f"-- pgshape lint --fix-sql{' --unsafe-fixes' if unsafe else ''}"
        + (f" for {source}" if source else ""),
        "-- Run with psql outside a transaction (CONCURRENTLY cannot run inside one).",
        "SET lock_timeout = '5s';",
        "",
    ]
    if not statements:
        lines.append("-- nothing to fix")
    for finding, sql, safe in statements:
        lines.append(
            f"-- {finding.code} {finding.name}: {finding.path}" + ("" if safe else " (UNSAFE: review first)")
        )
        lines.append(sql)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
