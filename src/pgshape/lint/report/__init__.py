"""Reporters: findings → text for people (human), programs (json), code scanning (sarif) and
GitHub Actions (github). Each is a pure function of the findings; the CLI prints the result."""

from __future__ import annotations

from pgshape.lint.report.github import render_github
from pgshape.lint.report.json_format import render_json
from pgshape.lint.report.sarif import render_sarif

__all__ = ["render_github", "render_json", "render_sarif"]
