"""Splitting a psql script into statements, the way psql does it.

This is a hand-written scanner on purpose: the one PostgreSQL parser packaged for Python
(pglast) is GPL, which pgshape cannot ship. Nor does it need a parser here: PostgreSQL itself
parses every statement when the script is executed in a scratch database. This module only
finds statement *boundaries*, exactly as psql's lexer does — through single-quoted strings
(``E''`` escapes and doubled quotes included), double-quoted identifiers, dollar-quoted
bodies, ``--`` and nested ``/* */`` comments, parentheses, and ``BEGIN ATOMIC ... END``
function bodies — and recognises psql meta-commands and the data blocks that follow
``COPY ... FROM stdin``.

It also offers a small tokenizer and :func:`classify`, which looks at a statement's leading
keywords (comments skipped) to decide how it must be executed or whether it is skipped.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum


class Kind(str, Enum):
    """How a statement is to be treated when a script is executed."""

    ORDINARY = "ordinary"  # can share a multi-statement batch with its neighbours
    META = "meta"  # a psql meta-command (``\\c chinook``); not SQL
    CLUSTER = "cluster"  # databases, roles, tablespaces, server settings
    PRIVILEGE = "privilege"  # GRANT, REVOKE, ... OWNER TO, SET ROLE
    TRANSACTION = "transaction"  # BEGIN, COMMIT, ROLLBACK, SAVEPOINT, ...
    NO_TRANSACTION = "no-transaction"  # cannot run inside a transaction block
    ADD_VALUE = "add-value"  # ALTER TYPE ... ADD VALUE: the value is usable only once committed
    COPY_IN = "copy-in"  # COPY ... FROM stdin, with its data block
    COPY_OUT = "copy-out"  # COPY ... TO stdout


@dataclass(frozen=True)
class Statement:
    """One statement (or meta-command) of a script.

    ``text`` is the statement exactly as written, from its first keyword through its ``;``
    (comments before it are not included), so ``source[start:start + len(text)] == text``.
    For ``COPY ... FROM stdin`` the rows follow in ``copy_data`` (without the ``\\.`` line);
    ``end`` is the offset just after the whole item, data block included.
    ``line`` and ``column`` are 1-based; ``start`` and ``end`` are 0-based character offsets.
    """

    text: str
    start: int
    end: int
    line: int
    column: int
    kind: Kind
    copy_data: str | None = None

    @property
    def is_meta(self) -> bool:
        return self.kind is Kind.META


class LineIndex:
    """Maps character offsets of a text to 1-based (line, column)."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


# --- scanning quoted things (shared by the splitter and the tokenizer) ----------------------

_DOLLAR_TAG = re.compile(r"\$(?:[^\W\d]\w*)?\$")
_COMMENT_MARK = re.compile(r"/\*|\*/")
_BLANK = re.compile(r"(?:\s+|--[^\n]*)+")
_E_STRING_BODY = re.compile(r"(?:[^'\\]|\\.|'')*'", re.DOTALL)
_COPY_END = re.compile(r"^\\\.\r?$", re.MULTILINE)


def _is_ident_char(char: str) -> bool:
    return char.isalnum() or char in "_$"


def _has_e_prefix(text: str, quote: int) -> bool:
    """Is the quote at ``quote`` the start of an ``E'...'`` string (backslash escapes)?"""
    if quote == 0 or text[quote - 1] not in "eE":
        return False
    return quote == 1 or not _is_ident_char(text[quote - 2])


def _end_of_string(text: str, quote: int) -> int:
    """Offset after the single-quoted string starting at ``quote`` (or the end of the text)."""
    if _has_e_prefix(text, quote):
        match = _E_STRING_BODY.match(text, quote + 1)
        return match.end() if match else len(text)
    return _end_of_doubled(text, quote, "'")


def _end_of_doubled(text: str, quote: int, mark: str) -> int:
    """End of a ``'...'`` or ``"..."`` token in which the mark is escaped by doubling it."""
    position = quote + 1
    while True:
        close = text.find(mark, position)
        if close < 0:
            return len(text)
        if text.startswith(mark, close + 1):
            position = close + 2
            continue
        return close + 1


def _dollar_tag(text: str, dollar: int) -> str | None:
    """The ``$tag$`` opening a dollar-quoted string at ``dollar``, if it is one."""
    if dollar > 0 and _is_ident_char(text[dollar - 1]):
        return None  # part of an identifier such as ``a$b$``
    match = _DOLLAR_TAG.match(text, dollar)
    return match.group() if match else None


def _end_of_dollar(text: str, dollar: int, tag: str) -> int:
    close = text.find(tag, dollar + len(tag))
    return len(text) if close < 0 else close + len(tag)


def _end_of_comment(text: str, opening: int) -> int:
    """End of the (nestable) block comment opened at ``opening``."""
    depth = 1
    position = opening + 2
    while depth:
        match = _COMMENT_MARK.search(text, position)
        if match is None:
            return len(text)
        depth += 1 if match.group() == "/*" else -1
        position = match.end()
    return position


def _end_of_line(text: str, position: int) -> int:
    newline = text.find("\n", position)
    return len(text) if newline < 0 else newline


def skip_blank(text: str, position: int) -> int:
    """Skip whitespace and comments from ``position``."""
    while True:
        match = _BLANK.match(text, position)
        if match:
            position = match.end()
        if text.startswith("/*", position):
            position = _end_of_comment(text, position)
            continue
        return position


# --- tokens -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    """A lexical token: ``word``, ``quoted`` (identifier), ``string``, ``number`` or ``op``."""

    kind: str
    text: str
    start: int

    @property
    def upper(self) -> str:
        return self.text.upper() if self.kind == "word" else ""

    @property
    def name(self) -> str:
        """The identifier it denotes: unquoted words fold to lower case, quoted ones do not."""
        if self.kind == "quoted":
            return self.text[1:-1].replace('""', '"')
        return self.text.lower()


_TOKEN = re.compile(
    r"(?P<word>[^\W\d][\w$]*)|(?P<number>\d[\w.]*)|(?P<param>\$\d+)|(?P<op>::|[^\s])",
)
_STRING_PREFIXES = frozenset({"e", "b", "x", "n"})


def tokens(text: str, start: int = 0) -> Iterator[Token]:
    """The tokens of ``text`` from ``start``, comments and whitespace skipped."""
    position = skip_blank(text, start)
    length = len(text)
    while position < length:
        char = text[position]
        if char == "'":
            end = _end_of_string(text, position)
            yield Token("string", text[position:end], position)
        elif char == '"':
            end = _end_of_doubled(text, position, '"')
            yield Token("quoted", text[position:end], position)
        elif char == "$" and (tag := _dollar_tag(text, position)):
            end = _end_of_dollar(text, position, tag)
            yield Token("string", text[position:end], position)
        else:
            match = _TOKEN.match(text, position)
            assert match is not None  # the last alternative matches any non-blank character
            end = match.end()
            if match.lastgroup == "word" and _is_string_prefix(text, match):
                end = _end_of_string(text, end)
                yield Token("string", text[position:end], position)
            else:
                yield Token(match.lastgroup or "op", match.group(), position)
        position = skip_blank(text, end)


def _is_string_prefix(text: str, match: re.Match[str]) -> bool:
    """``E'..'``, ``B'..'``, ``X'..'``, ``N'..'`` (``U&'..'`` comes as word, op, string)."""
    return text.startswith("'", match.end()) and match.group().lower() in _STRING_PREFIXES


def leading_words(text: str, count: int = 6) -> list[str]:
    """The first ``count`` tokens of a statement, upper-cased when they are keywords."""
    words = []
    for token in tokens(text):
        words.append(token.upper or token.text)
        if len(words) == count:
            break
    return words


# --- classification -----------------------------------------------------------------------

_TRANSACTION_WORDS = {"BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE"}
_CLUSTER_OBJECTS = {"DATABASE", "ROLE", "USER", "GROUP", "TABLESPACE"}


def classify(text: str) -> Kind:
    """Decide from its leading keywords how a statement (not a meta-command) is executed."""
    words = leading_words(text, 6)
    if not words:
        return Kind.ORDINARY
    first, second = words[0], words[1] if len(words) > 1 else ""
    if first in _TRANSACTION_WORDS or (first == "PREPARE" and second == "TRANSACTION"):
        return Kind.TRANSACTION
    if first in {"COMMIT", "ROLLBACK"} and second == "PREPARED":
        return Kind.TRANSACTION
    if _is_cluster_level(words):
        return Kind.CLUSTER
    if first in {"GRANT", "REVOKE"} or words[:3] == ["ALTER", "DEFAULT", "PRIVILEGES"]:
        return Kind.PRIVILEGE
    if first in {"SET", "RESET"} and _is_role_setting(words):
        return Kind.PRIVILEGE
    if first in {"REASSIGN", "DROP"} and second == "OWNED":
        return Kind.PRIVILEGE
    if first == "VACUUM":
        return Kind.NO_TRANSACTION
    if first in {"CREATE", "DROP"} and "INDEX" in words[1:3] and "CONCURRENTLY" in words:
        return Kind.NO_TRANSACTION
    if first in {"ALTER", "COPY", "REINDEX", "CLUSTER"}:
        return _classify_by_all_tokens(text, words)
    return Kind.ORDINARY


def _is_cluster_level(words: list[str]) -> bool:
    first = words[0]
    rest = words[1:]
    if first in {"CREATE", "DROP", "ALTER"} and rest[:1] and rest[0] in _CLUSTER_OBJECTS:
        return rest[1:2] != ["MAPPING"]  # CREATE USER MAPPING belongs to the database
    if first == "ALTER" and rest[:1] == ["SYSTEM"]:
        return True  # changes the whole server's configuration
    return first == "COMMENT" and rest[:2] == ["ON", "DATABASE"]


def _is_role_setting(words: list[str]) -> bool:
    rest = [word for word in words[1:] if word not in {"SESSION", "LOCAL"}]
    return rest[:1] == ["ROLE"] or rest[:1] == ["AUTHORIZATION"]


def _classify_by_all_tokens(text: str, words: list[str]) -> Kind:
    upper = [token.upper for token in tokens(text)]
    first = words[0]
    if first == "ALTER":
        if upper[-4:-2] == ["OWNER", "TO"] or upper[-3:-1] == ["OWNER", "TO"]:
            return Kind.PRIVILEGE
        if words[1:2] == ["TYPE"] and _contains(upper, ["ADD", "VALUE"]):
            return Kind.ADD_VALUE
        if words[1:2] == ["TABLE"] and _contains(upper, ["DETACH", "PARTITION"]) and "CONCURRENTLY" in upper:
            return Kind.NO_TRANSACTION
        return Kind.ORDINARY
    if first == "COPY":
        if _contains(upper, ["FROM", "STDIN"]):
            return Kind.COPY_IN
        if _contains(upper, ["TO", "STDOUT"]):
            return Kind.COPY_OUT
        return Kind.ORDINARY
    if first == "REINDEX":
        if "CONCURRENTLY" in upper or _contains(upper, ["SYSTEM"]) or words[1:2] == ["DATABASE"]:
            return Kind.NO_TRANSACTION
        return Kind.ORDINARY
    if first == "CLUSTER" and len(upper) <= 3:
        return Kind.NO_TRANSACTION  # CLUSTER without a table reclusters the whole database
    return Kind.ORDINARY


def _contains(words: list[str], sequence: list[str]) -> bool:
    size = len(sequence)
    return any(words[index : index + size] == sequence for index in range(len(words) - size + 1))


# --- splitting ----------------------------------------------------------------------------

_SPECIAL = re.compile(r"[;'\"$/()\\-]")
_ROUTINE_START = re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:FUNCTION|PROCEDURE)\b", re.IGNORECASE)


def split(text: str) -> list[Statement]:
    """The statements and meta-commands of a psql script, in order."""
    lines = LineIndex(text)
    items: list[Statement] = []
    position = skip_blank(text, 0)
    while position < len(text):
        line, column = lines.position(position)
        if text[position] == "\\":
            end = _end_of_line(text, position)
            items.append(Statement(text[position:end].rstrip(), position, end, line, column, Kind.META))
        else:
            end = _end_of_statement(text, position)
            statement_text = text[position:end].rstrip()  # unterminated at a meta-command or the end
            end = position + len(statement_text)
            kind = classify(statement_text)
            data = None
            item_end = end
            if kind is Kind.COPY_IN:
                data, item_end = _copy_data(text, end)
            items.append(Statement(statement_text, position, item_end, line, column, kind, data))
            end = item_end
        position = skip_blank(text, end)
    return items


def _end_of_statement(text: str, start: int) -> int:
    """Offset just after the ``;`` ending the statement at ``start`` (or where it stops)."""
    depth = 0
    position = start
    is_routine: bool | None = None  # decided lazily: only CREATE FUNCTION can hold BEGIN ATOMIC
    while True:
        match = _SPECIAL.search(text, position)
        if match is None:
            return len(text)
        here = match.start()
        char = text[here]
        position = here + 1
        if char == ";":
            if depth == 0:
                if is_routine is None:
                    is_routine = bool(_ROUTINE_START.match(text, start))
                if not is_routine or _begin_depth(text[start:here]) == 0:
                    return here + 1
        elif char == "'":
            position = _end_of_string(text, here)
        elif char == '"':
            position = _end_of_doubled(text, here, '"')
        elif char == "$":
            tag = _dollar_tag(text, here)
            if tag:
                position = _end_of_dollar(text, here, tag)
        elif char == "-":
            if text.startswith("--", here):
                position = _end_of_line(text, here)
        elif char == "/":
            if text.startswith("/*", here):
                position = _end_of_comment(text, here)
        elif char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        else:
            # A backslash outside quotes starts a psql meta-command, which ends the query text.
            return here


def _begin_depth(text: str) -> int:
    """psql's count of open ``BEGIN`` (``BEGIN ATOMIC`` bodies) and nested ``CASE`` blocks."""
    depth = 0
    parens = 0
    for token in tokens(text):
        if token.text == "(":
            parens += 1
        elif token.text == ")":
            parens = max(parens - 1, 0)
        elif parens == 0 and token.kind == "word":
            word = token.upper
            if word == "BEGIN" or (word == "CASE" and depth >= 1):
                depth += 1
            elif word == "END" and depth > 0:
                depth -= 1
    return depth


def _copy_data(text: str, command_end: int) -> tuple[str, int]:
    """The data block after ``COPY ... FROM stdin;``: from the next line up to a ``\\.`` line."""
    newline = text.find("\n", command_end)
    if newline < 0:
        return "", len(text)
    data_start = newline + 1
    terminator = _COPY_END.search(text, data_start)
    if terminator is None:
        return text[data_start:], len(text)
    return text[data_start : terminator.start()], terminator.end()
