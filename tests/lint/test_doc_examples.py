"""Every rule fires on its doc's Example and stays silent on its Use instead — on both a SQL
source (scratch database) and a SQLModel source (module file). See doc_examples.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from doc_examples import cases, findings_of, load_sql, load_sqlmodel, not_applicable, snippets

from pgshape.errors import PgshapeError
from pgshape.lint.core import find_rule

# A SQL example PostgreSQL itself rejects (the rule exists to catch the design before it reaches
# the server): the harness checks the server really refuses it, and the use-instead stays silent.
REFUSED = "-- postgresql refuses"


@pytest.mark.parametrize(("code", "kind"), cases(), ids=lambda v: v)
def test_rule_doc_examples(code: str, kind: str, pg_server: str, tmp_path: Path) -> None:
    rule = find_rule(code)
    assert rule is not None
    example, use_instead = snippets(rule, kind)
    reasons = (not_applicable(example), not_applicable(use_instead))
    if reasons[0] or reasons[1]:
        assert reasons[0] and reasons[1], "both snippets of a pair must be marked not applicable"
        if kind == "sql":
            assert rule.python_only, f"{code}: only Python-only rules may skip the SQL examples"
        else:
            assert rule.needs_data or "sqlmodel cannot" in reasons[0].lower(), (
                f"{code}: a SQLModel example may be skipped only for data rules or objects SQLModel "
                f"cannot declare (say 'SQLModel cannot …'): {reasons[0]}"
            )
        return

    def load(text: str, which: str) -> list:
        if kind == "sql":
            loaded = load_sql(text, pg_server, tmp_path / which, data=rule.needs_data)
        else:
            loaded = load_sqlmodel(text, tmp_path / which)
        return findings_of(rule, loaded)

    (tmp_path / "bad").mkdir()
    (tmp_path / "good").mkdir()
    if kind == "sql" and example.lstrip().lower().startswith(REFUSED):
        with pytest.raises(PgshapeError):
            load(example, "bad")
    else:
        fired = load(example, "bad")
        assert fired, f"{code} {rule.name} did not fire on its {kind} example"
    silent = load(use_instead, "good")
    assert not silent, f"{code} {rule.name} fired on its {kind} use-instead: {[f.message for f in silent]}"
