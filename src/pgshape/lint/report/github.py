"""GitHub Actions workflow commands: one ``::error file=…,line=…,title=…::message`` per finding.

Severities map to error / warning / notice. Values are escaped as the runner requires
(%, CR, LF in messages; also , and : in properties).
"""

from __future__ import annotations

from collections.abc import Sequence

from pgshape.lint.core import Finding, Severity

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: Sequence[Finding]) -> str:
    lines = []
    for finding in findings:
        properties = []
        if finding.origin is not None:
            properties.append(f"file={_escape_property(finding.origin.file)}")
            if finding.origin.line:
                properties.append(f"line={finding.origin.line}")
            if finding.origin.column:
                properties.append(f"col={finding.origin.column}")
        properties.append(f"title={_escape_property(f'{finding.code} {finding.name}')}")
        message = _escape_data(f"{finding.path}: {finding.message}")
        lines.append(f"::{_COMMAND[finding.severity]} {','.join(properties)}::{message}")
    return "\n".join(lines) + ("\n" if lines else "")
