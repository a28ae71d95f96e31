"""The review engine's vocabulary: severities, findings, fixes, rules and the registry.

Rules read only the IR (and, for the SM rules, the Python-level facts kept by the SQLModel
source; for the "data" rules, a row sample taken by the CLI). They do no I/O and return
findings. Each rule module registers its rules with :func:`rule` at import time.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pgshape.model import Database, Origin

if TYPE_CHECKING:
    from pgshape.lint.config import LintConfig
    from pgshape.lint.data import DataSample
    from pgshape.sources.mapped_classes import PythonFacts


class Severity(enum.IntEnum):
    """Ordered so ``finding.severity >= fail_on`` reads naturally."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.strip().upper()]


@dataclass(frozen=True)
class CodeEdit:
    """A change to a Python source file, applied with libcst by ``pgshape lint --fix``.

    ``kind`` names the edit (e.g. ``"field-kwarg"``); ``target`` locates it (class, attribute);
    ``arguments`` carries what the editor needs (e.g. ``{"index": "True"}``).
    """

    file: str
    kind: str
    target: tuple[str, ...]
    arguments: dict[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Fix:
    """How to fix a finding: SQL (databases, SQL files) and/or a code edit (SQLModel sources).

    ``safe`` fixes never change behaviour for existing rows and clients; the rest need
    ``--unsafe-fixes``. ``sql`` is online-safe (e.g. ``CREATE INDEX CONCURRENTLY``).
    """

    description: str
    safe: bool = True
    sql: str | None = None
    edit: CodeEdit | None = None


@dataclass(frozen=True)
class Finding:
    """One problem found by one rule on one object.

    ``path`` names the object like ``public.post.author_id`` (schema.table[.column]) or
    ``public.post.ix_post_title`` for an index/constraint; it is what suppressions match.
    ``evidence`` holds data-rule facts (support, confidence, counterexample).
    """

    code: str
    name: str
    severity: Severity
    path: str
    message: str
    origin: Origin | None = None
    fixes: tuple[Fix, ...] = ()
    evidence: dict[str, Any] | None = field(default=None, compare=False, hash=False)


@dataclass(frozen=True)
class RuleDoc:
    """The ruff-style documentation every rule ships (rendered by ``pgshape explain``)."""

    what: str  # What it does
    why: str  # Why is this bad?
    example_sqlmodel: str
    example_sql: str
    use_instead_sqlmodel: str
    use_instead_sql: str
    fix: str  # how pgshape fixes it (or why it cannot)


@dataclass
class LintContext:
    """Everything a rule may read. No connections, no files."""

    database: Database
    config: LintConfig
    python: PythonFacts | None = None  # set for SQLModel/SQLAlchemy sources
    data: DataSample | None = None  # set when SOURCE is a live database and data checks run
    source_kind: str = ""  # url | sql | python | design | mermaid | dbml | json

    def finding(self, rule: Rule, path: str, message: str, **extra: Any) -> Finding:
        """A finding of ``rule`` at the configured severity."""
        return Finding(
            code=rule.code,
            name=rule.name,
            severity=self.config.severity_of(rule),
            path=path,
            message=message,
            **extra,
        )


Check = Callable[["Rule", LintContext], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str  # group prefix + three digits, e.g. FK001
    name: str  # stable kebab-case name from RULES.md
    group: str  # KEY, FK, IDX, TYP, NAM, CON, TS, SD, SEC, NF, DOC, PART, SM, MIG
    severity: Severity
    summary: str  # one line, as in RULES.md
    doc: RuleDoc
    check: Check = field(compare=False, hash=False, repr=False)
    needs_data: bool = False  # "data" rules: only with a live database sample
    python_only: bool = False  # SM rules: only for Python sources
    enabled_by_default: bool = True


_REGISTRY: dict[str, Rule] = {}


def rule(
    *,
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    doc: RuleDoc,
    needs_data: bool = False,
    python_only: bool = False,
    enabled_by_default: bool = True,
) -> Callable[[Check], Check]:
    """Register the decorated function as a rule's check."""

    def register(check: Check) -> Check:
        group = code.rstrip("0123456789")
        if code in _REGISTRY or any(r.name == name for r in _REGISTRY.values()):
            raise ValueError(f"rule {code} {name} registered twice")
        _REGISTRY[code] = Rule(
            code=code,
            name=name,
            group=group,
            severity=severity,
            summary=summary,
            doc=doc,
            check=check,
            needs_data=needs_data,
            python_only=python_only,
            enabled_by_default=enabled_by_default,
        )
        return check

    return register


def all_rules() -> Iterator[Rule]:
    """Every registered rule, by code (imports the rule modules on first use)."""
    from pgshape.lint import rules  # noqa: F401  (registers the rule modules)

    yield from sorted(_REGISTRY.values(), key=lambda r: r.code)


def find_rule(key: str) -> Rule | None:
    """A rule by code (``FK001``) or name (``unindexed-foreign-key``), case-insensitive."""
    key = key.strip()
    for candidate in all_rules():
        if candidate.code.lower() == key.lower() or candidate.name == key.lower():
            return candidate
    return None
