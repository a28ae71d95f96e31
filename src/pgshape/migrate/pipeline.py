"""The whole pure pipeline: hints → renamed FROM → diff → plan (up and down) → suggestions.

Both models must have canonical expressions (read from a server, or normalised by
``pgshape.pg.normalize``). Used by ``pgshape diff``, the tests and the benchmark.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pgshape.migrate import rename
from pgshape.migrate.diff import Diff, diff
from pgshape.migrate.plan import Plan, PlanOptions, plan
from pgshape.model import Database


@dataclass(frozen=True)
class Migration:
    plan: Plan
    suggestions: tuple[rename.Suggestion, ...]
    hints: tuple[rename.RenameHint, ...]

    @property
    def empty(self) -> bool:
        return self.plan.empty


def migration(
    before: Database,
    after: Database,
    hints: Sequence[rename.RenameHint] = (),
    options: PlanOptions | None = None,
) -> Migration:
    """Plan the migration ``before`` → ``after`` and its down migration."""
    renamed, rename_ops = rename.apply(before, after, hints)
    found = diff(renamed, after)
    up = Diff((*rename_ops, *found.operations), found.notes)
    if not hints:
        result = plan(up, renamed, after, options=options)
    else:
        # The down migration names objects by their TO names until it renames them back, so it
        # is compared afresh from TO with the hints inverted (see plan.plan).
        inverted = [hint.inverted(after) for hint in _resolved(before, hints)]
        after_renamed, back_ops = rename.apply(after, before, inverted)
        back = diff(after_renamed, before)
        down = Diff((*back_ops, *back.operations), back.notes)
        result = plan(up, renamed, after, down=down, down_before=after_renamed, options=options)
    suggestions = tuple(rename.suggest(found.operations))
    return Migration(result, suggestions, tuple(hints))


def _resolved(before: Database, hints: Sequence[rename.RenameHint]) -> list[rename.RenameHint]:
    """Hints with the schema filled in, so that their inverse finds the renamed objects."""
    resolved = []
    for hint in hints:
        table = before.table(hint.schema, hint.table) if hint.schema else before.find_table(hint.table)
        schema = table.schema if table is not None else hint.schema
        resolved.append(rename.RenameHint(hint.kind, schema, hint.table, hint.old, hint.new))
    return resolved
