"""Facts read from the raw SQL escape hatches (functions, triggers) without a server.

Only the few facts the model keeps next to the statement are read (name, arguments, timing…),
with small patterns over the statement head; anything the design file spells out explicitly
wins. The statement itself is kept verbatim and executed as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_IDENT = r'(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)'
_QUALIFIED = rf"{_IDENT}(?:\s*\.\s*{_IDENT})?"


def unquote(name: str) -> str:
    name = name.strip()
    if name.startswith('"') and name.endswith('"'):
        return name[1:-1].replace('""', '"')
    return name.lower()


def split_qualified(text: str) -> tuple[str | None, str]:
    parts = re.findall(_IDENT, text)
    if len(parts) >= 2:
        return unquote(parts[0]), unquote(parts[1])
    return None, unquote(parts[0]) if parts else text


@dataclass(frozen=True)
class FunctionHead:
    kind: str
    schema: str | None
    name: str
    arguments: str
    returns: str | None
    language: str
    volatility: str
    security_definer: bool


_FUNCTION = re.compile(
    rf"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?P<kind>FUNCTION|PROCEDURE|AGGREGATE)\s+(?P<name>{_QUALIFIED})\s*\(",
    re.IGNORECASE,
)


def _balanced(text: str, start: int) -> tuple[str, int]:
    """The text inside the parenthesis opening at ``start`` and the index after it."""
    depth = 0
    for position in range(start, len(text)):
        char = text[position]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return text[start + 1 : position], position + 1
    return text[start + 1 :], len(text)


def _identity_arguments(arguments: str) -> str:
    """Drop DEFAULT clauses and OUT arguments the way pg_get_function_identity_arguments does."""
    kept = []
    for argument in _split_top_level(arguments):
        argument = re.split(r"\s+(?:DEFAULT\b|=)", argument, maxsplit=1, flags=re.IGNORECASE)[0].strip()
        if not argument or re.match(r"OUT\s", argument, re.IGNORECASE):
            continue
        kept.append(" ".join(argument.split()))
    return ", ".join(kept)


def _split_top_level(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return parts


def function_head(sql: str) -> FunctionHead | None:
    match = _FUNCTION.match(sql)
    if match is None:
        return None
    arguments, after = _balanced(sql, match.end() - 1)
    rest = sql[after:]
    returns = re.match(
        r"\s*RETURNS\s+(.+?)\s+(?:LANGUAGE|AS|IMMUTABLE|STABLE|VOLATILE|SECURITY|STRICT|BEGIN)\b",
        rest,
        re.IGNORECASE | re.DOTALL,
    )
    language = re.search(r"\bLANGUAGE\s+'?(\w+)'?", rest, re.IGNORECASE)
    volatility = re.search(r"\b(IMMUTABLE|STABLE|VOLATILE)\b", rest, re.IGNORECASE)
    schema, name = split_qualified(match["name"])
    return FunctionHead(
        kind=match["kind"].lower(),
        schema=schema,
        name=name,
        arguments=_identity_arguments(arguments),
        returns=" ".join(returns[1].split()) if returns else None,
        language=language[1].lower() if language else "sql",
        volatility=volatility[1].lower() if volatility else "volatile",
        security_definer=bool(re.search(r"\bSECURITY\s+DEFINER\b", rest, re.IGNORECASE)),
    )


@dataclass(frozen=True)
class TriggerHead:
    name: str
    timing: str
    events: tuple[str, ...]
    table_schema: str | None
    table: str
    for_each_row: bool
    function: str


_TRIGGER = re.compile(
    rf"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:CONSTRAINT\s+)?TRIGGER\s+(?P<name>{_IDENT})\s+"
    rf"(?P<timing>BEFORE|AFTER|INSTEAD\s+OF)\s+(?P<events>.+?)\s+ON\s+(?P<table>{_QUALIFIED})"
    rf"(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_EXECUTE = re.compile(rf"EXECUTE\s+(?:FUNCTION|PROCEDURE)\s+(?P<function>{_QUALIFIED})\s*\(", re.IGNORECASE)


def trigger_head(sql: str) -> TriggerHead | None:
    match = _TRIGGER.match(sql)
    execute = _EXECUTE.search(sql)
    if match is None or execute is None:
        return None
    events = []
    for event in re.split(r"\s+OR\s+", match["events"], flags=re.IGNORECASE):
        word = event.split()[0].upper()
        if word not in events:
            events.append(word)
    schema, table = split_qualified(match["table"])
    function_schema, function = split_qualified(execute["function"])
    return TriggerHead(
        name=unquote(match["name"]),
        timing=" ".join(match["timing"].upper().split()),
        events=tuple(events),
        table_schema=schema,
        table=table,
        for_each_row=bool(re.search(r"FOR\s+EACH\s+ROW", match["rest"], re.IGNORECASE)),
        function=f"{function_schema}.{function}" if function_schema else function,
    )
