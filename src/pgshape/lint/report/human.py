"""The human report: findings grouped by table, each with its source line when known."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import groupby

from rich.console import Console
from rich.markup import escape

from pgshape.lint.core import Finding, Severity

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _table_of(finding: Finding) -> str:
    return ".".join(finding.path.split(".")[:2])


def print_human(
    console: Console,
    findings: Sequence[Finding],
    *,
    source_lines: Mapping[str, Sequence[str]],
    skipped: Sequence[str] = (),
    suppressed: int = 0,
) -> None:
    for table, group in groupby(findings, key=_table_of):
        console.print(f"[bold]{escape(table)}[/]")
        for finding in group:
            where = ""
            if finding.origin is not None:
                where = f"  [dim]{escape(str(finding.origin))}[/]"
            style = _STYLE[finding.severity]
            console.print(
                f"  [{style}]{finding.severity}[/] [bold]{finding.code}[/] {escape(finding.name)}: "
                f"{escape(finding.message)}{where}"
            )
            line = _source_line(finding, source_lines)
            if line is not None:
                console.print(f"      [dim]{finding.origin.line} |[/] {escape(line)}")  # type: ignore[union-attr]
            for fix in finding.fixes:
                kind = "fix" if fix.safe else "unsafe fix"
                console.print(f"      [green]{kind}[/]: {escape(fix.description)}")
        console.print()
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    if findings:
        console.print(
            f"{len(findings)} finding(s): [bold red]{counts[Severity.ERROR]} error[/], "
            f"[yellow]{counts[Severity.WARNING]} warning[/], [cyan]{counts[Severity.INFO]} info[/]"
            + (f"; {suppressed} suppressed" if suppressed else "")
        )
    else:
        console.print("[green]no findings[/]" + (f" ({suppressed} suppressed)" if suppressed else ""))
    for note in skipped:
        console.print(f"[dim]{escape(note)}[/]")


def _source_line(finding: Finding, source_lines: Mapping[str, Sequence[str]]) -> str | None:
    origin = finding.origin
    if origin is None or not origin.line:
        return None
    lines = source_lines.get(origin.file)
    if not lines or origin.line > len(lines):
        return None
    return lines[origin.line - 1].rstrip()
