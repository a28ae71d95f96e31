"""The JSON report: a stable, versioned schema for programs.

``{"format": "pgshape-lint", "version": 1, "source": ..., "summary": {...}, "findings": [...]}``;
each finding has code, name, severity, path, message, location (file/line/column or null),
fixes (description, safe, sql, edit) and evidence (data rules). New keys may be added; existing
keys keep their meaning within a version.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from pgshape.lint.core import Finding, Fix

FORMAT = "pgshape-lint"
VERSION = 1


def finding_document(finding: Finding) -> dict[str, Any]:
    origin = finding.origin
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": str(finding.severity),
        "path": finding.path,
        "message": finding.message,
        "location": None
        if origin is None
        else {"file": origin.file, "line": origin.line, "column": origin.column},
        "fixes": [_fix(fix) for fix in finding.fixes],
        "evidence": finding.evidence,
    }


def _fix(fix: Fix) -> dict[str, Any]:
    edit = None
    if fix.edit is not None:
        edit = {
            "file": fix.edit.file,
            "kind": fix.edit.kind,
            "target": list(fix.edit.target),
            "arguments": fix.edit.arguments,
        }
    return {"description": fix.description, "safe": fix.safe, "sql": fix.sql, "edit": edit}


def render_json(findings: Sequence[Finding], *, sources: Sequence[str], rules_run: int = 0) -> str:
    counts = Counter(str(f.severity) for f in findings)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "sources": list(sources),
        "summary": {
            "findings": len(findings),
            "error": counts.get("error", 0),
            "warning": counts.get("warning", 0),
            "info": counts.get("info", 0),
            "rules_run": rules_run,
        },
        "findings": [finding_document(f) for f in findings],
    }
    return json.dumps(document, indent=2, default=str) + "\n"
