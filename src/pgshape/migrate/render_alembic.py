"""Operations → an Alembic revision file: the same statements as the SQL script, run by Alembic.

The revision runs exactly what ``render_sql`` writes, block by block (``render_sql.blocks``):

- transactional steps run inside the transaction Alembic opens for the revision, with their
  ``SET LOCAL lock_timeout`` / ``statement_timeout`` first;
- a ``CONCURRENTLY`` step, and a step that must commit on its own (``ALTER TYPE … ADD VALUE``,
  whose value is usable only once committed; ``VALIDATE CONSTRAINT``, which must not hold the
  earlier steps' locks while it scans) run inside ``op.get_context().autocommit_block()``:
  Alembic commits what came before, runs the block in autocommit mode, and opens a new
  transaction after it.

The file is standalone: it imports only ``alembic`` (never pgshape), so it runs wherever the
project's Alembic environment runs. ``op.execute`` wraps a string in SQLAlchemy's ``text()``,
which reads ``:name`` as a bind parameter; such colons are escaped (``\\:``) so that text like
``'12:30'`` or ``'a :b'`` reaches PostgreSQL unchanged.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence

from pgshape.migrate.ops import Operation
from pgshape.migrate.plan import Plan, PlanOptions
from pgshape.migrate.render_sql import Block, blocks
from pgshape.render.sql import SESSION_SETTINGS

# The pattern SQLAlchemy's text() uses for bind parameters, and the one it unescapes.
_BIND = re.compile(r"(?<![:\w\\]):(\w+)(?![:\w])")
_UNESCAPED = re.compile(r"\\(:\w*)(?![:\w])")
_INDENT = " " * 4


def escape_binds(statement: str) -> str:
    """``statement`` with every ``:name`` that ``text()`` would bind escaped as ``\\:name``."""
    return _BIND.sub(r"\\:\1", statement)


def python_string(text: str) -> str:
    """A Python literal for ``text``: a triple-quoted raw string where that is exact and
    readable (multi-line SQL), else ``repr``."""
    if "\n" in text and '"""' not in text and not text.endswith(('"', "\\")) and "\r" not in text:
        return f'r"""{text}"""'
    return repr(text)


def revision_id(plan: Plan) -> str:
    """A stable 12-hex-digit id derived from the up and down SQL: the same plan gets the same
    revision (so a regenerated file does not change), a different plan another one."""
    digest = hashlib.sha256()
    for block in [*blocks(plan.up, plan.options), *blocks(plan.down, plan.options)]:
        for step in block.steps:
            for statement in (*step.settings, *step.statements):
                digest.update(statement.encode())
                digest.update(b"\0")
    return digest.hexdigest()[:12]


def execute_call(statement: str, indent: str = "") -> str:
    """The line of Python that runs ``statement`` (op.execute, escaped for text())."""
    if _UNESCAPED.search(statement):
        # text() would turn a backslash before a colon into nothing and has no escape for it:
        # such a statement goes to the driver directly (where only % needs doubling).
        driver_text = python_string(statement.replace("%", "%%"))
        return f"{indent}op.get_bind().exec_driver_sql({driver_text})"
    return f"{indent}op.execute({python_string(escape_binds(statement))})"


def _body(operations: tuple[Operation, ...], options: PlanOptions) -> Iterator[str]:
    if not operations:
        yield f"{_INDENT}pass  # nothing to do"
        return
    for setting in SESSION_SETTINGS:
        yield execute_call(setting, _INDENT)
    for block in blocks(operations, options):
        yield from _block(block)


def _block(block: Block) -> Iterator[str]:
    # A CONCURRENTLY step cannot run in a transaction block; an own-transaction step (ADD VALUE,
    # VALIDATE) must commit apart from its neighbours. Both run in autocommit mode.
    autocommit = not block.transactional or any(step.operation.own_transaction for step in block.steps)
    indent = _INDENT * 2 if autocommit else _INDENT
    yield ""
    if autocommit:
        yield f"{_INDENT}with op.get_context().autocommit_block():"
    for step in block.steps:
        yield f"{indent}# step {step.number}: {_comment(step.operation.describe())}"
        yield f"{indent}#   {_comment(step.why())}"
        settings = step.settings
        if autocommit:
            # No transaction to scope SET LOCAL to: plain SET, as the SQL script has it.
            settings = tuple(re.sub(r"^SET LOCAL ", "SET ", s) for s in settings)
        for statement in (*settings, *step.statements):
            yield execute_call(statement, indent)


def _comment(text: str) -> str:
    return " ".join(text.split())


def render(
    plan: Plan,
    *,
    title: str,
    revision: str | None = None,
    down_revision: str | None = None,
    verdict: str | None = None,
    created: str | None = None,
    review: Sequence[str] = (),
) -> str:
    """The revision file for ``plan``: ``upgrade()`` runs the up plan, ``downgrade()`` the down
    plan. ``down_revision`` is the revision this one follows (None: the first revision);
    ``review`` lines (what the MIG rules say about the plan) go in the docstring."""
    revision = revision or revision_id(plan)
    docstring = [_comment(title).replace("\\", "/").replace('"""', "'''"), ""]
    docstring.append(f"Revision ID: {revision}")
    docstring.append(f"Revises: {down_revision or ''}")
    if created:
        docstring.append(f"Create Date: {created}")
    docstring.append("")
    docstring.append(f"Generated by pgshape diff: {len(plan.up)} up steps, {len(plan.down)} down steps.")
    for op in plan.up:
        if op.destructive:
            docstring.append(f"DESTRUCTIVE: {_comment(op.describe())}")
    for note in plan.notes:
        docstring.append(f"note: {_comment(note)}")
    for line in review:
        docstring.append(f"review: {_comment(line)}")
    for line in (verdict or "").splitlines():
        docstring.append(f"proof: {_comment(line)}")
    lines = ['"""' + "\n".join(docstring).replace("\\", "/").replace('"""', "'''") + '\n"""', ""]
    lines += ["from alembic import op", ""]
    lines += ["# revision identifiers, used by Alembic."]
    lines += [f"revision = {revision!r}", f"down_revision = {down_revision!r}"]
    lines += ["branch_labels = None", "depends_on = None", "", ""]
    lines += ["def upgrade() -> None:", *_body(plan.up, plan.options), "", ""]
    lines += ["def downgrade() -> None:", *_body(plan.down, plan.options)]
    return "\n".join(lines) + "\n"
