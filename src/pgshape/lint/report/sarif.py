"""SARIF 2.1.0 for code scanning (GitHub shows each result with its rule's help text).

One run; ``tool.driver.rules`` lists every rule that ran (id = code, name, short/full
description, help text and markdown, default level); results point at the source file and line
when the origin is known, else at the object path as a logical location.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pgshape.lint.core import Finding, Rule, Severity

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _rule_document(rule: Rule) -> dict[str, Any]:
    from pgshape.lint.docs import rule_markdown

    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.doc.what},
        "help": {
            "text": f"{rule.doc.what}\n\n{rule.doc.why}\n\nFix: {rule.doc.fix}",
            "markdown": rule_markdown(rule),
        },
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {"tags": [rule.group]},
    }


def _uri(file: str, base: Path | None) -> str:
    path = Path(file)
    if base is not None and path.is_absolute():
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def render_sarif(
    findings: Sequence[Finding], rules: Sequence[Rule], *, version: str, base: Path | None = None
) -> str:
    listed = {r.code: r for r in rules}
    for finding in findings:  # suppression findings may come from rules that did not "run"
        if finding.code not in listed:
            from pgshape.lint.core import find_rule

            extra = find_rule(finding.code)
            if extra is not None:
                listed[extra.code] = extra
    ordered = sorted(listed.values(), key=lambda r: r.code)
    index = {r.code: i for i, r in enumerate(ordered)}
    results = []
    for finding in findings:
        result: dict[str, Any] = {
            "ruleId": finding.code,
            "ruleIndex": index[finding.code],
            "level": _LEVEL[finding.severity],
            "message": {"text": f"{finding.path}: {finding.message}"},
            "partialFingerprints": {"pgshapeObject/v1": f"{finding.code}:{finding.path}"},
        }
        location: dict[str, Any] = {
            "logicalLocations": [{"fullyQualifiedName": finding.path, "kind": "object"}]
        }
        if finding.origin is not None:
            region = {"startLine": finding.origin.line or 1}
            if finding.origin.column:
                region["startColumn"] = finding.origin.column
            location["physicalLocation"] = {
                "artifactLocation": {"uri": _uri(finding.origin.file, base)},
                "region": region,
            }
        result["locations"] = [location]
        results.append(result)
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "pgshape",
                        "version": version,
                        "rules": [_rule_document(r) for r in ordered],
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2) + "\n"
