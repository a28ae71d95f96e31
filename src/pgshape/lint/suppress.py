"""Suppressions: deliberate exceptions, each with a reason, and the unused ones reported.

Three places can hold one:

* Python sources: a comment ``# pgshape: ignore[CODE,...] reason`` on the model's ``class``
  line (covers the whole table) or on a field's line (covers findings located there).
* Databases and SQL files, which have no place for a comment of ours: a
  ``[[tool.pgshape.suppress]]`` entry (object glob, rules, reason) in pyproject.toml, or the tag
  ``pgshape:ignore[CODE,...] reason`` inside the object's COMMENT (table, column, index or
  constraint; a table's tag covers the table and everything in it).

A suppression without a reason is refused (reported as ``suppression-without-reason`` and not
honoured). A suppression whose rules ran but matched nothing is reported as
``unused-suppression``, so stale exceptions do not pile up. This module reads the source lines
it is given; it never opens files.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from pgshape.lint.config import selector_specificity
from pgshape.lint.core import Finding, LintContext, Rule, find_rule
from pgshape.model import Origin

UNUSED = "unused-suppression"
NO_REASON = "suppression-without-reason"

# In a Python comment; the ``#`` must come first so a string containing the text is ignored.
_PYTHON = re.compile(r"#\s*pgshape:\s*ignore\[([^\]]*)\](.*)$")
# In a COMMENT ON ... text.
_TAG = re.compile(r"pgshape:\s*ignore\[([^\]]*)\]([^\n]*)")


@dataclass
class Directive:
    rules: tuple[str, ...]
    reason: str
    where: str  # human description: "models.py:12", "COMMENT ON public.post", "pyproject.toml"
    origin: Origin | None = None
    paths: tuple[str, ...] = ()  # object globs/paths this covers (path or anything under it)
    lines: tuple[tuple[str, int], ...] = ()  # (file, line) whose findings this covers
    glob: bool = False
    used: bool = field(default=False)

    def covers(self, finding: Finding, rule: Rule | None) -> bool:
        if rule is None or not any(selector_specificity(rule, s) is not None for s in self.rules):
            return False
        if finding.origin is not None and (finding.origin.file, finding.origin.line or 0) in self.lines:
            return True
        for path in self.paths:
            if finding.path == path or finding.path.startswith(path + "."):
                return True
            if self.glob and fnmatch.fnmatchcase(finding.path, path):
                return True
        return False


def apply_suppressions(
    findings: list[Finding],
    context: LintContext,
    ran: Sequence[Rule],
    source_lines: Mapping[str, Sequence[str]],
) -> tuple[list[Finding], list[Finding]]:
    """(kept findings incl. suppression findings, suppressed findings)."""
    by_code = {r.code: r for r in ran}
    directives = list(_config_directives(context)) + list(_comment_directives(context))
    directives += list(_python_directives(context, source_lines))
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    meta: list[Finding] = []
    valid = [d for d in directives if d.reason]
    for finding in findings:
        rule = by_code.get(finding.code)
        hit = [d for d in valid if d.covers(finding, rule)]
        for directive in hit:
            directive.used = True
        (suppressed if hit else kept).append(finding)
    for directive in directives:
        problem = _problem(directive, by_code)
        if problem is not None:
            name, message = problem
            rule = by_code.get(_code_of(name))
            if rule is not None:
                path = directive.paths[0] if directive.paths else directive.where
                meta.append(context.finding(rule, path, message, origin=directive.origin))
    return kept + meta, suppressed


def _code_of(name: str) -> str:
    found = find_rule(name)
    return found.code if found else ""


def _problem(directive: Directive, ran: Mapping[str, Rule]) -> tuple[str, str] | None:
    shown = ", ".join(directive.rules) or "(no rule)"
    if not directive.reason:
        return (
            NO_REASON,
            f"suppression ignore[{shown}] at {directive.where} has no reason; it is not honoured",
        )
    if directive.used:
        return None
    unknown = [s for s in directive.rules if find_rule(s) is None and not _is_group_or_prefix(s)]
    if unknown:
        return UNUSED, f"suppression at {directive.where} names unknown rule(s): {', '.join(unknown)}"
    covered = [
        r for r in ran.values() if any(selector_specificity(r, s) is not None for s in directive.rules)
    ]
    if not covered:
        return None  # its rules did not run: cannot tell whether it is still needed
    return UNUSED, f"suppression ignore[{shown}] at {directive.where} matched no finding; remove it"


def _is_group_or_prefix(selector: str) -> bool:
    from pgshape.lint.core import all_rules

    return any(selector_specificity(r, selector) is not None for r in all_rules())


def _rules(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _reason(text: str) -> str:
    return text.strip().lstrip("-—:").strip()


def _config_directives(context: LintContext) -> Iterable[Directive]:
    where = context.config.source or "[tool.pgshape]"
    for entry in context.config.suppress:
        yield Directive(
            rules=entry.rules,
            reason=entry.reason,
            where=f"{where} suppress {entry.object}",
            paths=(entry.object,),
            glob=any(ch in entry.object for ch in "*?["),
        )


def _comment_directives(context: LintContext) -> Iterable[Directive]:
    for table in context.database.tables:
        base = f"{table.schema}.{table.name}"
        commented: list[tuple[str, str | None, Origin | None]] = [(base, table.comment, table.origin)]
        commented += [(f"{base}.{c.name}", c.comment, c.origin or table.origin) for c in table.columns]
        commented += [(f"{base}.{i.name}", i.comment, i.origin or table.origin) for i in table.indexes]
        constraints = [*table.foreign_keys, *table.unique_constraints, *table.check_constraints]
        if table.primary_key is not None:
            constraints.append(table.primary_key)  # type: ignore[arg-type]
        commented += [(f"{base}.{c.name}", c.comment, c.origin or table.origin) for c in constraints]
        for path, comment, origin in commented:
            if not comment:
                continue
            for match in _TAG.finditer(comment):
                yield Directive(
                    rules=_rules(match.group(1)),
                    reason=_reason(match.group(2)),
                    where=f"COMMENT ON {path}",
                    origin=origin,
                    paths=(path,),
                )


def _python_directives(
    context: LintContext, source_lines: Mapping[str, Sequence[str]]
) -> Iterable[Directive]:
    if not source_lines:
        return
    # The class line of a model covers its whole table.
    class_lines: dict[tuple[str, int], str] = {}
    for table in context.database.tables:
        if table.origin is not None and table.origin.line is not None:
            class_lines[(table.origin.file, table.origin.line)] = f"{table.schema}.{table.name}"
    for file, lines in source_lines.items():
        for number, text in enumerate(lines, start=1):
            if "pgshape" not in text:
                continue
            match = _PYTHON.search(text)
            if match is None:
                continue
            table = class_lines.get((file, number))
            yield Directive(
                rules=_rules(match.group(1)),
                reason=_reason(match.group(2)),
                where=f"{file}:{number}",
                origin=Origin(file, number),
                paths=(table,) if table else (),
                lines=((file, number),),
            )
