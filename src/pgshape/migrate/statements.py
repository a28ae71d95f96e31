"""Migration SQL, statement by statement, read with PostgreSQL's own parser.

The statements are found as psql finds them (``sources.sql_script.split``: strings, dollar
quotes, comments, meta-commands), then each is parsed by ``pgparse`` — libpg_query, the parser
of PostgreSQL 17 compiled as a library (BSD-3; pglast, the other binding, is GPL). Nothing here
guesses SQL with regular expressions: a statement is what the parse tree says it is.

A :class:`Statement` records where it is (1-based line and column), its parse tree, the comment
lines just before it (consent markers live there), and whether it runs inside a transaction
block: an explicit ``BEGIN … COMMIT`` in a SQL file, or — for an Alembic revision — Alembic's
own transaction, unless the call sits in ``autocommit_block()``.

Pure: the caller reads files; errors are :class:`pgshape.errors.InputError` with file:line:col.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pgshape.errors import InputError
from pgshape.sources.sql_script import Kind, LineIndex, split

Node = dict[str, Any]


def _parser() -> Any:
    """PostgreSQL's own parser (libpg_query through pgparse), imported on first use: pgparse
    ships wheels for Python 3.11+ only, and nothing else in pgshape needs it."""
    try:
        import pgparse
    except ImportError:
        raise InputError(
            "reading migration SQL needs the pgparse package (Python 3.11+): pip install pgparse"
        ) from None
    return pgparse


# libpg_query's internal type names → the names format_type() prints (the IR's spelling).
_TYPE_NAMES = {
    "int2": "smallint",
    "int4": "integer",
    "int8": "bigint",
    "float4": "real",
    "float8": "double precision",
    "bool": "boolean",
    "varchar": "character varying",
    "bpchar": "character",
    "varbit": "bit varying",
    "timestamp": "timestamp without time zone",
    "timestamptz": "timestamp with time zone",
    "time": "time without time zone",
    "timetz": "time with time zone",
}

# Functions whose value changes per row: as a column default they make ADD COLUMN rewrite the
# table (stable ones such as now() are evaluated once and stored as a "missing" value).
VOLATILE_FUNCTIONS = frozenset(
    {
        "random",
        "random_normal",
        "gen_random_uuid",
        "uuid_generate_v1",
        "uuid_generate_v1mc",
        "uuid_generate_v4",
        "uuidv4",
        "uuidv7",
        "clock_timestamp",
        "timeofday",
        "nextval",
        "setseed",
        "txid_current",
        "pg_current_xact_id",
    }
)


@dataclass(frozen=True)
class Chunk:
    """A piece of SQL text and where it sits in its file; ``transaction`` says whether its
    statements run in a transaction block the text itself does not show (Alembic's)."""

    text: str
    line: int = 1
    column: int = 1
    transaction: bool = False
    block: int = 0  # chunks with the same block share that implicit transaction


@dataclass(frozen=True)
class Statement:
    index: int
    text: str
    line: int
    column: int
    tree: Node = field(repr=False)
    comments: str = ""  # the comment lines right before the statement
    transaction: int | None = None  # the transaction block it runs in; None: autocommit

    @property
    def kind(self) -> str:
        """The parse node's type, e.g. ``AlterTableStmt``."""
        return next(iter(self.tree))

    @property
    def node(self) -> Node:
        return self.tree[self.kind]  # type: ignore[no-any-return]


def _position(chunk: Chunk, lines: LineIndex, offset: int) -> tuple[int, int]:
    line, column = lines.position(offset)
    return chunk.line + line - 1, (chunk.column + column - 1) if line == 1 else column


def _comments_before(text: str, start: int, previous_end: int) -> str:
    gap = text[previous_end:start]
    return "\n".join(line.strip() for line in gap.splitlines() if line.strip().startswith("--"))


def parse(chunks: Sequence[Chunk], file: str) -> list[Statement]:
    """Every statement of ``chunks`` in order; a syntax error names file:line:col."""
    statements: list[Statement] = []
    explicit: int | None = None  # the open BEGIN block, if any
    counter = 0
    pgparse = _parser()
    implicit_blocks: dict[int, int] = {}
    for chunk in chunks:
        lines = LineIndex(chunk.text)
        previous_end = 0
        for item in split(chunk.text):
            line, column = _position(chunk, lines, item.start)
            if item.kind is Kind.META:
                previous_end = item.end
                continue  # psql's own commands (\set, \c …): not SQL, nothing to review
            try:
                parsed = pgparse.parse(item.text)
            except pgparse.PGQueryError as error:
                where = max((error.position or 1) - 1, 0)
                line, column = _position(chunk, lines, item.start + where)
                raise InputError(error.message, location=f"{file}:{line}:{column}") from None
            comments = _comments_before(chunk.text, item.start, previous_end)
            if not comments and statements and statements[-1].kind == "VariableSetStmt":
                # A step's comment sits above its SET lock_timeout lines: it covers the step.
                comments = statements[-1].comments
            previous_end = item.end
            for raw in parsed:
                tree = raw["stmt"]
                kind = next(iter(tree))
                if kind == "TransactionStmt":
                    what = tree[kind].get("kind", "")
                    if what in ("TRANS_STMT_BEGIN", "TRANS_STMT_START"):
                        counter += 1
                        explicit = counter
                    elif what in ("TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK", "TRANS_STMT_PREPARE"):
                        explicit = None
                transaction = explicit
                if transaction is None and chunk.transaction:
                    if chunk.block not in implicit_blocks:
                        counter += 1
                        implicit_blocks[chunk.block] = counter
                    transaction = implicit_blocks[chunk.block]
                statements.append(
                    Statement(len(statements), item.text, line, column, tree, comments, transaction)
                )
    return statements


def parse_sql(text: str, file: str) -> list[Statement]:
    return parse([Chunk(text)], file)


# Reading parse trees ------------------------------------------------------------------------------


def strings(items: Sequence[Node] | None) -> list[str]:
    """``[{"String": {"sval": "a"}}, …]`` → ``["a", …]``."""
    return [item["String"]["sval"] for item in items or () if "String" in item]


def relation(node: Node | None) -> tuple[str | None, str] | None:
    if not node:
        return None
    return node.get("schemaname"), node["relname"]


def _typmod(node: Node) -> str:
    const = node.get("A_Const", {})
    if "ival" in const:
        return str(const["ival"].get("ival", 0))
    if "sval" in const:
        return str(const["sval"].get("sval", ""))
    return "?"


def type_name(node: Node) -> str:
    """A TypeName node in format_type()'s spelling: ``character varying(20)[]``."""
    names = strings(node.get("names"))
    if len(names) == 2 and names[0] == "pg_catalog":
        base = _TYPE_NAMES.get(names[1], names[1])
    else:
        base = ".".join(names)
    mods = [_typmod(m) for m in node.get("typmods") or ()]
    if mods and base.startswith(("timestamp ", "time ")):  # timestamp(3) with time zone
        word, _, rest = base.partition(" ")
        base = f"{word}({','.join(mods)}) {rest}"
    elif mods:
        base = f"{base}({','.join(mods)})"
    return base + "[]" * len(node.get("arrayBounds") or ())


def walk(node: Any) -> Iterator[tuple[str, Node]]:
    """Every (node type, node) below ``node``, depth first."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, dict) and key[:1].isupper():
                yield key, value
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def volatile_calls(expression: Node | None) -> list[str]:
    """Names of volatile functions called in ``expression``."""
    found = []
    for kind, node in walk(expression):
        if kind == "FuncCall":
            name = strings(node.get("funcname"))[-1:]
            if name and name[0] in VOLATILE_FUNCTIONS:
                found.append(name[0])
    return found


def string_constants(tree: Node) -> set[str]:
    return {node["sval"]["sval"] for kind, node in walk(tree) if kind == "A_Const" and "sval" in node}


def null_test_column(expression: Node | None) -> str | None:
    """``c IS NOT NULL`` → ``c`` (the proof PostgreSQL accepts for SET NOT NULL)."""
    if not expression or "NullTest" not in expression:
        return None
    test = expression["NullTest"]
    if test.get("nulltesttype") != "IS_NOT_NULL":
        return None
    fields = strings(test.get("arg", {}).get("ColumnRef", {}).get("fields"))
    return fields[-1] if len(fields) == 1 else None


def setting(statement: Statement) -> tuple[str, str | None, bool] | None:
    """``SET [LOCAL] name = value`` → (name, value or None for DEFAULT/RESET, local)."""
    if statement.kind != "VariableSetStmt":
        return None
    node = statement.node
    args = node.get("args") or []
    value = _typmod(args[0]) if args else None
    if node.get("kind") in ("VAR_SET_DEFAULT", "VAR_RESET", "VAR_RESET_ALL"):
        value = None
    return node.get("name", ""), value, bool(node.get("is_local"))
