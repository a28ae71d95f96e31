"""``pgshape diff`` reviews its own plan: the MIG rules on the up and the down script.

The scripts are the ones ``render_sql.script`` writes (the statements every format runs), read
by PostgreSQL's parser and linted with ``lint_migration.lint_statements`` — the engine of
``pgshape lint-migration``, with FROM (for the down script: TO) as the schema it starts from.
Each finding is tied to the plan step its statement belongs to.

Consent. ``lint-migration`` accepts a drop whose step says DESTRUCTIVE, and ``pgshape diff``
writes that note on every destructive step. In the **up** script those steps exist only because
the user passed ``--allow-destructive``, and the review still tells them what they accepted:
the finding is reported as *consented*, lowered to a warning (it is no longer an error the
user must act on, but a reviewer would ask about it). In the **down** script the notes are
honoured as ``lint-migration`` honours them: undoing a plan drops what the up script created,
and saying so on every additive plan would bury the findings that matter. ``-- pgshape:
ignore[...]`` suppressions and the project's rule selection apply in both directions.

A statement PostgreSQL's parser cannot read (pgparse has the grammar of PostgreSQL 17: e.g.
``VIRTUAL`` generated columns are new in 18) is left out of the review and named in
``Review.not_reviewed`` instead of stopping the plan.

Pure: no files, no database.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pgshape.errors import InputError
from pgshape.lint.config import LintConfig
from pgshape.lint.core import Finding, Severity
from pgshape.migrate.lint_migration import lint_statements, without_consent
from pgshape.migrate.ops import Operation
from pgshape.migrate.plan import Plan, PlanOptions
from pgshape.migrate.render_sql import script
from pgshape.migrate.statements import Statement, parse_sql
from pgshape.model import Database
from pgshape.sources.sql_script import split

UP, DOWN = "up", "down"
_STEP = re.compile(r"^-- step (\d+): ")
_NO_NOTE = re.compile(r"\s*\(no DESTRUCTIVE note before it\)")
_ACCEPTED = " — accepted with --allow-destructive (the step says DESTRUCTIVE)"


@dataclass(frozen=True)
class ReviewFinding:
    direction: str  # "up" or "down"
    step: int | None  # the plan step (1-based, as in the script and the JSON operations)
    statement: int  # the statement's number in that direction's script (1-based)
    code: str
    name: str
    severity: Severity
    message: str
    consented: bool = False  # a drop allowed with --allow-destructive (up script only)

    def line(self) -> str:
        """One line for a comment or the terminal: ``MIG009 warning step 3: …`` (down: ``down step``)."""
        where = f"step {self.step}" if self.step is not None else f"statement {self.statement}"
        if self.direction == DOWN:
            where = f"down {where}"
        return one_line(f"{self.code} {self.severity} {where}: {self.message}")

    def as_json(self) -> dict[str, object]:
        return {
            "rule": self.code,
            "name": self.name,
            "severity": str(self.severity),
            "message": self.message,
            "direction": self.direction,
            "step": self.step,
            "statement": self.statement,
            "consented": self.consented,
        }


@dataclass(frozen=True)
class Review:
    findings: tuple[ReviewFinding, ...]
    not_reviewed: tuple[str, ...] = ()  # statements the parser could not read, and why

    def direction(self, direction: str) -> list[ReviewFinding]:
        return [f for f in self.findings if f.direction == direction]

    def at_or_above(self, threshold: Severity) -> list[ReviewFinding]:
        return [f for f in self.findings if f.severity >= threshold]

    def comment_lines(self) -> list[str]:
        """The header lines (without the comment marker) the SQL script and the revision carry."""
        lines = [f.line() for f in self.findings] or ["no findings"]
        return lines + [one_line(f"not reviewed: {item}") for item in self.not_reviewed]


def one_line(text: str) -> str:
    """``text`` on one line: a newline inside an identifier must not end a SQL or Python comment."""
    return " ".join(text.split())


def review(plan: Plan, before: Database, after: Database, config: LintConfig | None = None) -> Review:
    """The MIG rules on ``plan``'s up script (starting from ``before``) and down script (from
    ``after``)."""
    up, up_skipped = _review(plan.up, plan.options, before, config, UP)
    down, down_skipped = _review(plan.down, plan.options, after, config, DOWN)
    return Review(tuple(up + down), tuple(up_skipped + down_skipped))


def _review(
    operations: Sequence[Operation],
    options: PlanOptions,
    start: Database,
    config: LintConfig | None,
    direction: str,
) -> tuple[list[ReviewFinding], list[str]]:
    if not operations:
        return [], []
    text = script(tuple(operations), options)
    file = f"{direction}.sql"
    statements, skipped = _parse(text, file, direction)
    if statements is None:
        return [], skipped
    kept = lint_statements(statements, file=file, config=config, before=start).findings
    consented: list[Finding] = []
    if direction == UP and any("DESTRUCTIVE" in s.comments for s in statements):
        # What the DESTRUCTIVE notes silenced: the data loss --allow-destructive accepted.
        seen = {_key(f) for f in kept}
        everything = lint_statements(without_consent(statements), file=file, config=config, before=start)
        consented = [f for f in everything.findings if _key(f) not in seen]
    steps = _steps(text)
    by_line = {s.line: s for s in statements}
    found = [_finding(f, direction, steps, by_line, consented=False) for f in kept]
    found += [_finding(f, direction, steps, by_line, consented=True) for f in consented]
    found.sort(key=lambda f: (f.statement, f.code))
    return found, skipped


def _key(finding: Finding) -> tuple[object, ...]:
    origin = finding.origin
    return (finding.code, finding.path, origin.line if origin else None, origin.column if origin else None)


def _finding(
    finding: Finding,
    direction: str,
    steps: dict[int, int],
    by_line: dict[int, Statement],
    *,
    consented: bool,
) -> ReviewFinding:
    line = finding.origin.line if finding.origin and finding.origin.line else 0
    statement = by_line.get(line)
    severity, message = finding.severity, finding.message
    if consented:
        severity = min(severity, Severity.WARNING)
        # The rule's own words say the note is missing; here it is there, put by the planner.
        message = _NO_NOTE.sub("", message) + _ACCEPTED
    return ReviewFinding(
        direction=direction,
        step=steps.get(line) or None,
        statement=statement.index + 1 if statement is not None else 0,
        code=finding.code,
        name=finding.name,
        severity=severity,
        message=message,
        consented=consented,
    )


def _steps(text: str) -> dict[int, int]:
    """Line number → the plan step it belongs to (``render_sql`` opens each step with a
    ``-- step N:`` comment; the session settings before the first step belong to none)."""
    found: dict[int, int] = {}
    current = 0
    for number, line in enumerate(text.splitlines(), start=1):
        match = _STEP.match(line)
        if match:
            current = int(match.group(1))
        found[number] = current
    return found


def _parse(text: str, file: str, direction: str) -> tuple[list[Statement] | None, list[str]]:
    """The script's statements; one the parser refuses is blanked out (same length, so every
    other position stays right) and reported, and the script is read again."""
    skipped: list[str] = []
    steps = _steps(text)
    items = split(text)
    starts = [0] + [match.end() for match in re.finditer("\n", text)]
    for _ in range(len(items) + 1):
        try:
            return parse_sql(text, file), skipped
        except InputError as error:
            offset = _offset(error.location, file, starts)
            item = None if offset is None else next((i for i in items if i.start <= offset < i.end), None)
            if item is None:  # not a syntax error in one statement (e.g. pgparse is missing)
                return None, [*skipped, f"{direction} script: {error.message}"]
            step = steps.get(item.line) or None
            label = f"{direction} step {step}" if step else f"{direction} line {item.line}"
            skipped.append(f"{label}: {error.message} (pgparse reads PostgreSQL 17 syntax)")
            blank = re.sub(r"[^\n]", " ", text[item.start : item.end])
            text = text[: item.start] + blank + text[item.end :]
    return None, skipped


def _offset(location: str | None, file: str, starts: list[int]) -> int | None:
    """``file:line:col`` → the character offset in the script."""
    if not location or not location.startswith(f"{file}:"):
        return None
    parts = location[len(file) + 1 :].split(":")
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or not 0 < int(parts[0]) <= len(starts):
        return None
    return starts[int(parts[0]) - 1] + int(parts[1]) - 1
