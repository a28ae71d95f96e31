"""A ``*.sql`` file as a source: executed in a scratch database, then read back from the catalogs.

PostgreSQL is the parser (DESIGN.md): the script is split into statements the way psql splits
it (:mod:`pgshape.sources.sql_script`), run in a fresh scratch database, and the result is
introspected like any live database. The scratch database is dropped afterwards, also on errors.

Statements that would act outside that one database are skipped with a warning: database,
role and tablespace statements, ``ALTER SYSTEM`` and psql meta-commands (``\\c chinook``).
Ownership and privilege statements are skipped too (they are not part of the model, and the
roles they name need not exist on the scratch server), with one summary warning.

For speed, runs of ordinary statements are sent as one multi-statement simple query. PostgreSQL
runs such a query as one implicit transaction, so a failing batch leaves nothing behind and can
be replayed statement by statement to find the culprit when the error carries no position.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import psycopg

from pgshape.errors import InputError
from pgshape.model import Database
from pgshape.pg.connect import connect, server_version
from pgshape.pg.scratch import scratch_database, scratch_server_url
from pgshape.pg.urls import mask
from pgshape.sources.sql_origins import apply_origins
from pgshape.sources.sql_script import Kind, LineIndex, Statement, leading_words, split

Warn = Callable[[str], None]
Progress = Callable[[int, int], None]

# A batch is cut at whichever limit comes first; small enough for a smooth progress bar.
_BATCH_STATEMENTS = 200
_BATCH_CHARS = 64_000
_SHORT_HINT = 120
_ALONE = {Kind.TRANSACTION, Kind.NO_TRANSACTION, Kind.ADD_VALUE, Kind.COPY_IN, Kind.COPY_OUT}

# Syntax errors at these words on an older server mean the file needs a newer PostgreSQL.
_NEWER_SYNTAX = {
    "VIRTUAL": (18, "VIRTUAL generated columns"),
    "OVERLAPS": (18, "WITHOUT OVERLAPS constraints"),
    "PERIOD": (18, "PERIOD foreign keys"),
    "ENFORCED": (18, "NOT ENFORCED constraints"),
}
# ... and so do these settings, which pg_dump of that version writes at the top of its output.
_NEWER_SETTINGS = {"transaction_timeout": 17}
_MISSING_EXTENSION = (
    re.compile(r'extension "([^"]+)" is not available'),
    re.compile(r'could not open extension control file "[^"]*?([^/"]+)\.control"'),
)
_SYNTAX_ERROR_AT = re.compile(r'syntax error at or near "([^"]+)"')
_UNKNOWN_SETTING = re.compile(r'unrecognized configuration parameter "([^"]+)"')
_COPY_CONTEXT_LINE = re.compile(r"^COPY [^,]+, line (\d+)")


@dataclass(frozen=True)
class Script:
    """A SQL file read and split: ``name`` is how the file is shown in messages."""

    name: str
    text: str
    statements: tuple[Statement, ...]
    lines: LineIndex

    def location(self, offset: int) -> str:
        line, column = self.lines.position(offset)
        return f"{self.name}:{line}:{column}"


@dataclass(frozen=True)
class _Step:
    """Statements sent to the server in one round trip."""

    statements: tuple[Statement, ...]

    @property
    def first(self) -> Statement:
        return self.statements[0]

    def sql(self, script: Script) -> str:
        """The text sent: the file itself from the first statement to the end of the last one."""
        last = self.statements[-1]
        return script.text[self.first.start : last.start + len(last.text)]


# --- public API ---------------------------------------------------------------------------


def load(
    path: str | Path,
    *,
    scratch_url: str | None = None,
    schemas: Sequence[str] | None = None,
    progress: Progress | None = None,
    warn: Warn | None = None,
) -> Database:
    """Execute the file in a scratch database and return the schema PostgreSQL ends up with."""
    script = read_script(path)
    from pgshape.pg.introspect import introspect  # lands separately; imported when needed
    from pgshape.sources.partition_names import own_names_warning

    server = scratch_server_url(scratch_url)
    where = _server_description(server, scratch_url)
    with scratch_database(server) as url:
        execute(url, script, progress=progress, warn=warn, server=where)
        database = introspect(url, schemas=schemas)
        if warn is not None and (message := own_names_warning(url, schemas)):
            warn(f"{script.name}: {message}")
    return replace(
        apply_origins(database, script.statements, file=script.name, lines=script.lines),
        expressions_canonical=True,
    )


def _server_description(server_url: str, scratch_url: str | None) -> str:
    """How messages name the scratch server: its URL when given, else which local one it is."""
    if scratch_url or os.environ.get("PGSHAPE_SCRATCH_URL"):
        return mask(server_url)
    return "local" if os.environ.get("PGSHAPE_PG_BIN") else "embedded"


def execute_script(
    url: str,
    path: str | Path,
    *,
    progress: Progress | None = None,
    warn: Warn | None = None,
    server: str | None = None,
) -> Script:
    """Read ``path`` and execute it on the database at ``url`` (which must be a scratch one)."""
    script = read_script(path)
    execute(url, script, progress=progress, warn=warn, server=server)
    return script


def read_script(path: str | Path) -> Script:
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", location=name) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", location=name) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[error.start]:02x})", location=f"{name}:{line}:{column}"
        ) from None
    return Script(name, text, tuple(split(text)), LineIndex(text))


def execute(
    url: str,
    script: Script,
    *,
    progress: Progress | None = None,
    warn: Warn | None = None,
    server: str | None = None,
) -> None:
    """Run the script's statements in order in autocommit mode; a failure is an InputError."""
    steps = plan(script, warn or (lambda message: None))
    total = len(script.statements)
    done = total - sum(len(step.statements) for step in steps)  # the skipped ones
    with connect(url, autocommit=True) as conn:
        for step in steps:
            try:
                _run(conn, script, step)
            except psycopg.Error as error:
                raise _input_error(conn, script, step, error, server or mask(url)) from None
            done += len(step.statements)
            if progress is not None:
                progress(done, total)


# --- planning -----------------------------------------------------------------------------


def plan(script: Script, warn: Warn) -> list[_Step]:
    """Group the statements into round trips, warning about the ones that are skipped."""
    steps: list[_Step] = []
    batch: list[Statement] = []
    batch_chars = 0
    privileges = 0

    def flush() -> None:
        nonlocal batch, batch_chars
        if batch:
            steps.append(_Step(tuple(batch)))
        batch, batch_chars = [], 0

    for statement in script.statements:
        if statement.kind in (Kind.META, Kind.CLUSTER):
            warn(_skipped(script, statement))
        elif statement.kind is Kind.PRIVILEGE:
            privileges += 1
        elif statement.kind in _ALONE:
            flush()
            steps.append(_Step((statement,)))
        else:
            if len(batch) >= _BATCH_STATEMENTS or batch_chars + len(statement.text) > _BATCH_CHARS:
                flush()
            batch.append(statement)
            batch_chars += len(statement.text)
    flush()
    if privileges:
        warn(
            f"{script.name}: skipped {privileges} ownership/privilege statement"
            f"{'s' if privileges != 1 else ''} (ownership and privileges are not part of the model)"
        )
    return steps


def _skipped(script: Script, statement: Statement) -> str:
    where = f"{script.name}:{statement.line}"
    if statement.kind is Kind.META:
        command = statement.text.split()[0]
        shown = statement.text if len(statement.text) <= 60 else statement.text[:57] + "..."
        if command in {"\\c", "\\connect"}:
            reason = "pgshape never creates or drops databases"
        elif command in {"\\i", "\\ir", "\\include", "\\include_relative"}:
            reason = "included files are not loaded"
        else:
            reason = "psql meta-commands are not run"
        return f"{where}: skipped psql meta-command {shown} ({reason})"
    words = [word for word in leading_words(statement.text, 3) if word.isalpha()]
    if "DATABASE" in words:
        reason = "pgshape never creates or drops databases"
        words = words[: words.index("DATABASE") + 1]
    elif "SYSTEM" in words:
        reason = "pgshape never changes server settings"
        words = words[:2]
    else:
        reason = "roles and tablespaces belong to the server, not to the schema"
        words = words[:2]
    return f"{where}: skipped {' '.join(words)} ({reason})"


# --- execution ----------------------------------------------------------------------------


def _run(conn: psycopg.Connection, script: Script, step: _Step) -> None:
    statement = step.first
    if statement.kind is Kind.COPY_IN:
        with conn.cursor() as cursor, cursor.copy(statement.text) as copy:  # type: ignore[arg-type]
            if statement.copy_data:
                copy.write(statement.copy_data)
    elif statement.kind is Kind.COPY_OUT:
        with conn.cursor() as cursor, cursor.copy(statement.text) as copy:  # type: ignore[arg-type]
            for _ in copy:
                pass
    else:
        # No parameters: psycopg sends a simple query, which may hold many statements.
        conn.execute(step.sql(script))  # type: ignore[arg-type]


def _input_error(
    conn: psycopg.Connection, script: Script, step: _Step, error: psycopg.Error, server: str
) -> InputError:
    diag = error.diag
    if (
        diag.statement_position is None
        and diag.internal_position is None
        and len(step.statements) > 1
        # Replaying is only sound when the failed batch was its own (rolled back) transaction.
        and conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    ):
        culprit = _replay(conn, script, step)
        if culprit is not None:
            step, error = culprit
            diag = error.diag
    location = script.location(_error_offset(script, step, error))
    primary = diag.message_primary or (str(error).strip().splitlines() or [type(error).__name__])[0]
    return InputError(_message(conn, primary, diag.message_hint, server), location=location)


def _replay(conn: psycopg.Connection, script: Script, step: _Step) -> tuple[_Step, psycopg.Error] | None:
    """Run a failed batch (rolled back as a whole) one statement at a time to find the culprit."""
    for statement in step.statements:
        single = _Step((statement,))
        try:
            conn.execute(single.sql(script))  # type: ignore[arg-type]
        except psycopg.Error as error:
            return single, error
    return None


def _error_offset(script: Script, step: _Step, error: psycopg.Error) -> int:
    """Where in the file the error is: PostgreSQL's position, mapped back through the batch."""
    diag = error.diag
    if diag.statement_position:
        # A 1-based character offset into the text sent, which is a slice of the file.
        return step.first.start + int(diag.statement_position) - 1
    sent = step.sql(script)
    if diag.internal_position and diag.internal_query:
        # An error inside a function body: find the body in the statement.
        found = sent.find(diag.internal_query)
        if found >= 0:
            return step.first.start + found + int(diag.internal_position) - 1
    if step.first.kind is Kind.COPY_IN and diag.context:
        match = _COPY_CONTEXT_LINE.match(diag.context)
        if match:
            return _copy_row_offset(script, step.first, int(match.group(1)))
    return step.first.start


def _copy_row_offset(script: Script, statement: Statement, row: int) -> int:
    # The data block starts on the line after the COPY command (see sql_script._copy_data).
    offset = script.text.find("\n", statement.start + len(statement.text)) + 1
    for _ in range(row - 1):
        newline = script.text.find("\n", offset)
        if newline < 0:
            break
        offset = newline + 1
    return offset


def _message(conn: psycopg.Connection, primary: str, hint: str | None, server: str) -> str:
    major, minor = server_version(conn)
    version = f"PostgreSQL {major}.{minor}" if major >= 10 else f"PostgreSQL {major}"
    where = f"{version}, {server}" if server in ("embedded", "local") else f"{version} at {server}"
    for pattern in _MISSING_EXTENSION:
        match = pattern.search(primary)
        if match:
            return (
                f'extension "{match.group(1)}" is not available on the scratch server ({where}); '
                "rerun with --scratch-url pointing at a server that has it"
            )
    needed = _needed_version(primary, major)
    if needed is not None:
        release, feature = needed
        return (
            f"{primary}: this file needs PostgreSQL {release} ({feature}) but the scratch server "
            f"runs {version}; rerun with --scratch-url pointing at a PostgreSQL {release} server"
        )
    if hint and len(hint) <= _SHORT_HINT:
        return f"{primary} (hint: {hint})"
    return primary


def _needed_version(primary: str, major: int) -> tuple[int, str] | None:
    match = _SYNTAX_ERROR_AT.search(primary)
    if match and match.group(1).upper() in _NEWER_SYNTAX:
        release, feature = _NEWER_SYNTAX[match.group(1).upper()]
        return (release, feature) if major < release else None
    match = _UNKNOWN_SETTING.search(primary)
    if match and match.group(1) in _NEWER_SETTINGS:
        release = _NEWER_SETTINGS[match.group(1)]
        return (release, f"the {match.group(1)} setting") if major < release else None
    return None
