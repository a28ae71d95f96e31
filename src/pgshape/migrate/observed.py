"""What PostgreSQL did when a migration's statements ran on a scratch copy, and how that judges
the static findings (``lint-migration --against SOURCE --observe``).

``pgshape.pg.observe_migration`` runs the statements and fills one :class:`Observation` per
statement: the table locks the statement took (``pg_locks`` of its own backend, before its
transaction ends), the tables it rewrote (their ``relfilenode`` changed) and scanned
(``pg_stat_xact_user_tables.seq_scan`` grew), or the error PostgreSQL raised.

:func:`with_observations` then lets PostgreSQL be the judge: every finding on a statement quotes
what was observed; a finding that says "rewrites" or "scans" is dropped when PostgreSQL did
neither (so a binary-coercible type change or a proven SET NOT NULL is never reported); a
statement that rewrote a table without any finding about it gets a column-type-rewrite (or
add-column-volatile-default) finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from pgshape.lint.config import LintConfig
from pgshape.lint.core import Finding, find_rule
from pgshape.migrate.statements import Statement
from pgshape.model import Origin

_REWRITE_RULES = {"MIG006", "MIG008"}
_SCAN_RULES = {"MIG005"}


@dataclass(frozen=True)
class Observation:
    index: int  # the statement's index
    locks: tuple[tuple[str, str], ...] = ()  # (table, lock mode), strongest first
    rewritten: tuple[str, ...] = ()
    scanned: tuple[tuple[str, int], ...] = ()  # (table, rows read)
    error: str | None = None
    outside_transaction: bool = False  # CONCURRENTLY: its locks are not observable afterwards
    skipped: bool = False  # not run (transaction control, or a statement before it failed)
    held: tuple[tuple[str, str], ...] = ()  # locks its transaction already held (still binding)

    def describe(self) -> str:
        if self.skipped:
            return "not run on the scratch copy"
        if self.error is not None:
            return f"PostgreSQL refused it on the scratch copy with sample rows: {self.error}"
        parts = []
        if self.locks:
            parts.append("took " + ", ".join(f"{mode} on {table}" for table, mode in self.locks))
        elif self.outside_transaction:
            parts.append("ran outside a transaction (its locks end with it)")
        elif not self.held:
            parts.append("took no table lock")
        if self.held:
            held = ", ".join(f"{mode} on {table}" for table, mode in self.held)
            parts.append(f"its transaction already held {held}")
        if self.rewritten:
            parts.append("rewrote " + ", ".join(self.rewritten))
        if self.scanned:
            parts.append("scanned " + ", ".join(f"{t} ({n} rows)" for t, n in self.scanned))
        if not self.rewritten and not self.scanned:
            parts.append("rewrote and scanned nothing")
        return "observed: " + "; ".join(parts)


@dataclass
class Observations:
    by_statement: dict[int, Observation] = field(default_factory=dict)
    seeded_rows: int = 0


def with_observations(
    findings: Sequence[Finding],
    statements: Sequence[Statement],
    observations: Observations,
    *,
    file: str,
    config: LintConfig | None = None,
) -> list[Finding]:
    """The findings judged by what PostgreSQL did (see the module docstring)."""
    by_position = {(s.line, s.column): s for s in statements}
    result: list[Finding] = []
    reported: set[tuple[int, str]] = set()
    for finding in findings:
        statement = by_position.get((finding.origin.line, finding.origin.column)) if finding.origin else None
        seen = observations.by_statement.get(statement.index) if statement is not None else None
        if seen is None or seen.skipped:
            result.append(finding)
            continue
        if seen.error is None:
            if finding.code in _REWRITE_RULES and not seen.rewritten:
                continue
            if finding.code in _SCAN_RULES and not (seen.scanned or seen.rewritten):
                continue
        reported.add((seen.index, finding.code))
        evidence = dict(finding.evidence or {}) | _evidence(seen)
        result.append(replace(finding, message=f"{finding.message} — {seen.describe()}", evidence=evidence))
    for statement in statements:
        seen = observations.by_statement.get(statement.index)
        if seen is None or not seen.rewritten:
            continue
        if any((statement.index, code) in reported for code in _REWRITE_RULES):
            continue
        code = "MIG006" if "AT_AddColumn" in str(statement.tree) else "MIG008"
        rule = find_rule(code)
        if rule is None or (config is not None and not config.selects(rule)):
            continue
        result.append(
            Finding(
                code=rule.code,
                name=rule.name,
                severity=config.severity_of(rule) if config is not None else rule.severity,
                path=seen.rewritten[0],
                message=f"the statement rewrote {', '.join(seen.rewritten)} — {seen.describe()}",
                origin=Origin(file, statement.line, statement.column),
                evidence=_evidence(seen),
            )
        )
    result.sort(key=lambda f: ((f.origin.line or 0) if f.origin else 0, f.code))
    return result


def _evidence(seen: Observation) -> dict[str, object]:
    return {
        "locks": [list(lock) for lock in seen.locks],
        "held": [list(lock) for lock in seen.held],
        "rewritten": list(seen.rewritten),
        "scanned": [list(scan) for scan in seen.scanned],
        "error": seen.error,
    }
