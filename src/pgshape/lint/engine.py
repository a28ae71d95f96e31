"""Running the selected rules over one loaded source and collecting their findings.

The engine picks the rules (selection from the config; Python-only rules only when the
source is Python, data rules only with a sample), runs each once, applies suppressions and
sorts the findings. Rules never see each other; a rule that crashes is a bug and is reported
as such with its code, not swallowed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from pgshape.lint.core import Finding, LintContext, Rule, all_rules
from pgshape.lint.suppress import apply_suppressions


@dataclass
class LintResult:
    findings: list[Finding]
    rules: list[Rule]  # the rules that ran
    skipped: list[tuple[Rule, str]] = field(default_factory=list)  # (rule, why it did not run)
    suppressed: list[Finding] = field(default_factory=list)


def applicable_rules(context: LintContext) -> tuple[list[Rule], list[tuple[Rule, str]]]:
    """The selected rules that can run on this source, and the selected ones that cannot."""
    runnable: list[Rule] = []
    skipped: list[tuple[Rule, str]] = []
    for candidate in all_rules():
        if not context.config.selects(candidate):
            continue
        if candidate.group == "MIG":
            continue  # migration statements are linted by `pgshape lint-migration`
        if candidate.python_only and context.python is None:
            skipped.append((candidate, "needs a Python (SQLModel) source"))
        elif candidate.needs_data and context.data is None:
            skipped.append((candidate, "needs a live database sample"))
        else:
            runnable.append(candidate)
    return runnable, skipped


def lint(
    context: LintContext,
    *,
    source_lines: Mapping[str, Sequence[str]] | None = None,
    rules: Iterable[Rule] | None = None,
) -> LintResult:
    """Run the rules on ``context``. ``source_lines`` (file → lines, read by the caller) lets
    inline ``# pgshape: ignore[...]`` comments in Python sources suppress findings."""
    if rules is None:
        chosen, skipped = applicable_rules(context)
    else:
        chosen, skipped = list(rules), []
    raw: list[Finding] = []
    for each in chosen:
        try:
            raw.extend(each.check(each, context))
        except Exception as error:  # a rule bug: say which rule, keep the traceback
            raise RuntimeError(f"rule {each.code} {each.name} failed: {error}") from error
    kept, suppressed = apply_suppressions(raw, context, chosen, source_lines or {})
    kept.sort(key=sort_key)
    return LintResult(findings=kept, rules=chosen, skipped=skipped, suppressed=suppressed)


def sort_key(finding: Finding) -> tuple[str, str, int, str, str]:
    """Grouped by table (the first two parts of the path), then by source line and code."""
    parts = finding.path.split(".")
    table = ".".join(parts[:2])
    file = finding.origin.file if finding.origin else ""
    line = (finding.origin.line or 0) if finding.origin else 0
    return (table, file, line, finding.code, finding.path)
