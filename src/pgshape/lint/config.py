"""Lint configuration: the ``[tool.pgshape]`` table of pyproject.toml, validated.

This module only turns a mapping (already read by the CLI) into a :class:`LintConfig`; it
does no I/O. Unknown keys are an error with a "did you mean" suggestion, because a misspelt
``ignore`` that silently does nothing is worse than a failed run.

Example::

    [tool.pgshape]
    select = ["ALL"]                  # codes, prefixes, names, groups or ALL
    ignore = ["DOC", "plural-table-name"]
    fail-on = "warning"
    naming-style = "singular"         # or "plural"
    pk-strategy = "bigint-identity"   # or "uuid", "uuidv7", "any"
    naming-convention = "any"         # index/constraint names: "postgres", "sqlalchemy", "rails"
    sensitive-columns = ["password", "secret", "token", "api_key", "ssn", "card_number"]

    [tool.pgshape.severity]
    unindexed-foreign-key = "warning"

    [tool.pgshape.thresholds]
    too-many-indexes = 12

    [[tool.pgshape.suppress]]         # for databases and SQL files (no place for a comment)
    object = "public.legacy_user"     # schema.table[.column|.index|.constraint]; '*' globs
    rules = ["missing-primary-key"]
    reason = "imported nightly from the CRM, replaced in Q3"
"""

from __future__ import annotations

import difflib
import fnmatch
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pgshape.errors import InputError

if TYPE_CHECKING:
    from pgshape.lint.core import Rule, Severity

NAMING_STYLES = ("singular", "plural")
PK_STRATEGIES = ("bigint-identity", "uuid", "uuidv7", "any")
NAMING_CONVENTIONS = ("any", "postgres", "sqlalchemy", "rails")  # index-constraint-naming
SEVERITY_NAMES = ("error", "warning", "info")

# Defaults of every threshold a rule may read with ``config.threshold(name)``.
DEFAULT_THRESHOLDS: dict[str, int] = {
    "too-many-indexes": 10,  # IDX: more than this many indexes on one table
    "god-table": 30,  # CON: more than this many columns
    "too-many-boolean-flags": 3,  # CON: this many boolean flags or more
    "cascade-chain-depth": 3,  # FK: ON DELETE CASCADE chains deeper than this many tables
    "wide-composite-primary-key": 3,  # KEY: composite PK of more than this many columns
    "large-table-rows": 1_000_000,  # KEY: random-uuid-primary-key on a table this large (data)
    "sample-rows": 10_000,  # data rules: rows sampled per table
    "str-max-length": 0,  # SM: 0 = any limit is fine (str-without-max-length fires when unbounded)
}

DEFAULT_SENSITIVE = (
    "password",
    "passwd",
    "secret",
    "token",
    "api_key",
    "apikey",
    "private_key",
    "ssn",
    "social_security",
    "card_number",
    "credit_card",
    "cvv",
)
DEFAULT_PII = ("email", "phone", "birth_date", "date_of_birth", "dob", "address", "ip", "ip_address")
DEFAULT_BUSINESS_KEYS = ("email", "slug", "sku", "code", "username")

# Top-level tables of [tool.pgshape] owned by other commands; lint leaves them alone.
OTHER_SECTIONS = frozenset({"design", "erd", "docs", "diff", "migrate", "migration", "generate", "verify"})


@dataclass(frozen=True)
class Suppression:
    """An entry of ``[[tool.pgshape.suppress]]``: rules ignored on objects matching a glob."""

    object: str  # glob over finding paths, e.g. "public.legacy_*"
    rules: tuple[str, ...]  # codes, names, prefixes or groups
    reason: str

    def matches_path(self, path: str) -> bool:
        return fnmatch.fnmatchcase(path, self.object) or path.startswith(self.object + ".")


@dataclass(frozen=True)
class LintConfig:
    """What to check and how strictly. Every field has a sensible default."""

    select: tuple[str, ...] = ()  # empty: every rule enabled by default
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str = "error"
    severity: Mapping[str, str] = field(default_factory=dict)  # rule key -> severity name
    naming_style: str = "singular"
    pk_strategy: str = "bigint-identity"
    naming_convention: str = "any"
    sensitive_columns: tuple[str, ...] = DEFAULT_SENSITIVE
    pii_columns: tuple[str, ...] = DEFAULT_PII
    business_keys: tuple[str, ...] = DEFAULT_BUSINESS_KEYS
    thresholds: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    suppress: tuple[Suppression, ...] = ()
    source: str | None = None  # the file the config came from, for messages

    # --- what rules read ------------------------------------------------------------------

    def severity_of(self, rule: Rule) -> Severity:
        """The configured severity of ``rule`` (its default unless overridden)."""
        # Called once per finding: memoised per rule code on this (immutable) config.
        cache: dict[str, Severity] = self.__dict__.setdefault("_severity_cache", {})
        found = cache.get(rule.code)
        if found is None:
            from pgshape.lint.core import Severity

            found = rule.severity
            for key in (rule.code, rule.name, rule.code.lower()):
                if key in self.severity:
                    found = Severity.parse(self.severity[key])
                    break
            cache[rule.code] = found
        return found

    def threshold(self, name: str) -> int:
        if name in self.thresholds:
            return self.thresholds[name]
        return DEFAULT_THRESHOLDS[name]

    def is_sensitive(self, column: str) -> bool:
        return _matches_any(column, self.sensitive_columns)

    def is_pii(self, column: str) -> bool:
        return _matches_any(column, self.pii_columns)

    # --- selection ------------------------------------------------------------------------

    def selects(self, rule: Rule) -> bool:
        """Whether ``rule`` runs: selected (explicitly, or by default) and not ignored.

        The most specific selector wins between select and ignore (like ruff): ``ignore = ["FK"]``
        with ``select = ["FK001"]`` keeps FK001.
        """
        chosen = self.select or ()
        selected = _best(rule, chosen + self.extend_select)
        ignored = _best(rule, self.ignore)
        if selected is None:
            if chosen:  # an explicit selection that does not name this rule
                return False
            if not rule.enabled_by_default:
                return False
            return ignored is None
        if ignored is None:
            return True  # selecting (even ALL) turns on off-by-default rules too, like ruff
        return selected > ignored

    def with_overrides(
        self,
        *,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] | None = None,
        fail_on: str | None = None,
    ) -> LintConfig:
        """The command line wins over the file: --select replaces, --ignore extends."""
        from dataclasses import replace

        changes: dict[str, Any] = {}
        if select:
            changes["select"] = tuple(_split(select))
            changes["extend_select"] = ()
        if ignore:
            changes["ignore"] = self.ignore + tuple(_split(ignore))
        if fail_on:
            changes["fail_on"] = fail_on
        return replace(self, **changes)


_SPECIFICITY = {"all": 1, "group": 2, "prefix": 3, "exact": 4}


def selector_specificity(rule: Rule, selector: str) -> int | None:
    """How precisely ``selector`` names ``rule`` (None: it does not)."""
    key = selector.strip()
    if key.upper() == "ALL":
        return _SPECIFICITY["all"]
    if key.upper() == rule.code or key.lower() == rule.name:
        return _SPECIFICITY["exact"]
    if key.upper() == rule.group:
        return _SPECIFICITY["group"]
    if key.upper() and rule.code.startswith(key.upper()) and key[: len(rule.group)].upper() == rule.group:
        return _SPECIFICITY["prefix"]
    return None


def _best(rule: Rule, selectors: Iterable[str]) -> int | None:
    found = [s for s in (selector_specificity(rule, x) for x in selectors) if s is not None]
    return max(found) if found else None


def _split(values: Iterable[str]) -> list[str]:
    """``--select FK001,KEY`` and repeated options both work."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _matches_any(column: str, patterns: Iterable[str]) -> bool:
    """A pattern with glob characters is a glob; otherwise it matches a whole ``_`` word run.

    ``token`` matches ``token``, ``api_token``, ``token_value`` but not ``tokenizer``.
    """
    return _pattern(tuple(patterns)).search(column.lower()) is not None


@functools.lru_cache(maxsize=64)
def _pattern(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled alternation for the whole list (rules ask once per column)."""
    parts = []
    for pattern in patterns:
        pattern = pattern.lower()
        if any(ch in pattern for ch in "*?["):
            parts.append(f"(?:{fnmatch.translate(pattern)})")
        else:
            parts.append(f"(?:(?:^|_){re.escape(pattern)}(?:_|$))")
    return re.compile("|".join(parts) or "(?!)")


# --- parsing -------------------------------------------------------------------------------

_KEYS = {
    "select",
    "extend-select",
    "ignore",
    "fail-on",
    "severity",
    "naming-style",
    "pk-strategy",
    "naming-convention",
    "sensitive-columns",
    "pii-columns",
    "business-keys",
    "thresholds",
    "suppress",
}


def parse_config(table: Mapping[str, Any], *, source: str | None = None) -> LintConfig:
    """Validate ``[tool.pgshape]`` and build the config (InputError on the first problem)."""
    from pgshape.lint.core import all_rules, find_rule

    def fail(message: str) -> InputError:
        return InputError(f"[tool.pgshape] {message}", location=source)

    for key in table:
        if key in _KEYS or key in OTHER_SECTIONS:
            continue
        raise fail(f"unknown key {key!r}{_suggest(key, _KEYS)}")

    def strings(key: str) -> tuple[str, ...] | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(f"{key} must be a list of strings")
        return tuple(value)

    def choice(key: str, allowed: tuple[str, ...], default: str) -> str:
        value = table.get(key, default)
        if value not in allowed:
            raise fail(
                f"{key} = {value!r}: expected one of {', '.join(allowed)}{_suggest(str(value), allowed)}"
            )
        return str(value)

    rules = list(all_rules())
    vocabulary = {r.code for r in rules} | {r.name for r in rules} | {r.group for r in rules} | {"ALL"}

    def check_selectors(key: str, selectors: tuple[str, ...] | None) -> tuple[str, ...]:
        for selector in selectors or ():
            if not any(selector_specificity(r, selector) is not None for r in rules):
                raise fail(f"{key}: unknown rule {selector!r}{_suggest(selector, vocabulary)}")
        return selectors or ()

    severity: dict[str, str] = {}
    raw_severity = table.get("severity", {})
    if not isinstance(raw_severity, Mapping):
        raise fail("severity must be a table of rule = severity")
    for key, value in raw_severity.items():
        found = find_rule(key)
        if found is None:
            raise fail(f"severity: unknown rule {key!r}{_suggest(key, vocabulary)}")
        if value not in SEVERITY_NAMES:
            raise fail(f"severity.{key} = {value!r}: expected one of {', '.join(SEVERITY_NAMES)}")
        severity[found.code] = value

    thresholds = dict(DEFAULT_THRESHOLDS)
    raw_thresholds = table.get("thresholds", {})
    if not isinstance(raw_thresholds, Mapping):
        raise fail("thresholds must be a table of name = integer")
    for key, value in raw_thresholds.items():
        if key not in DEFAULT_THRESHOLDS:
            raise fail(f"thresholds: unknown key {key!r}{_suggest(key, DEFAULT_THRESHOLDS)}")
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise fail(f"thresholds.{key} must be a non-negative integer")
        thresholds[key] = value

    fail_on = choice("fail-on", SEVERITY_NAMES, "error")
    return LintConfig(
        select=check_selectors("select", strings("select")),
        extend_select=check_selectors("extend-select", strings("extend-select")),
        ignore=check_selectors("ignore", strings("ignore")),
        fail_on=fail_on,
        severity=severity,
        naming_style=choice("naming-style", NAMING_STYLES, "singular"),
        pk_strategy=choice("pk-strategy", PK_STRATEGIES, "bigint-identity"),
        naming_convention=choice("naming-convention", NAMING_CONVENTIONS, "any"),
        sensitive_columns=strings("sensitive-columns") or DEFAULT_SENSITIVE,
        pii_columns=strings("pii-columns") or DEFAULT_PII,
        business_keys=strings("business-keys") or DEFAULT_BUSINESS_KEYS,
        thresholds=thresholds,
        suppress=_suppressions(table.get("suppress", []), fail, rules, vocabulary),
        source=source,
    )


def _suppressions(raw: Any, fail: Any, rules: list[Rule], vocabulary: set[str]) -> tuple[Suppression, ...]:
    if not isinstance(raw, list):
        raise fail("suppress must be an array of tables ([[tool.pgshape.suppress]])")
    found = []
    for number, entry in enumerate(raw, start=1):
        where = f"suppress[{number}]"
        if not isinstance(entry, Mapping):
            raise fail(f"{where} must be a table with object, rules and reason")
        for key in entry:
            if key not in {"object", "rules", "reason"}:
                raise fail(f"{where}: unknown key {key!r}{_suggest(key, ('object', 'rules', 'reason'))}")
        obj, names, reason = entry.get("object"), entry.get("rules"), entry.get("reason")
        if not isinstance(obj, str) or not obj:
            raise fail(f"{where}: object must name schema.table[.column] (globs allowed)")
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            raise fail(f"{where}: rules must be a non-empty list of rule codes or names")
        for name in names:
            if not any(selector_specificity(r, name) is not None for r in rules):
                raise fail(f"{where}: unknown rule {name!r}{_suggest(name, vocabulary)}")
        if not isinstance(reason, str) or not reason.strip():
            raise fail(f"{where}: a reason is required (why is this object an exception?)")
        found.append(Suppression(object=obj, rules=tuple(names), reason=reason.strip()))
    return tuple(found)


def _suggest(word: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
