"""``pgshape explain [NAME|CODE]``: the rule table, or one rule's documentation."""

from __future__ import annotations

import typer

from pgshape.cli.app import app
from pgshape.cli.output import settings
from pgshape.errors import InputError


@app.command()
def explain(
    rule: str = typer.Argument(None, help="A rule code (FK001) or name (unindexed-foreign-key)."),
    markdown: bool = typer.Option(False, "--markdown", help="Print the raw Markdown."),
) -> int:
    """List every review rule, or explain one: what it does, why, examples and fix."""
    from rich.markdown import Markdown  # imported here: every command module loads at start-up
    from rich.table import Table

    from pgshape.lint.core import all_rules, find_rule
    from pgshape.lint.docs import rule_markdown

    if rule is None:
        table = Table(title="pgshape rules", show_lines=False)
        for heading in ("code", "name", "severity", "summary"):
            table.add_column(heading)
        for each in all_rules():
            table.add_row(each.code, each.name, str(each.severity), each.summary)
        settings.stdout.print(table)
        return 0
    found = find_rule(rule)
    if found is None:
        import difflib

        names = [r.name for r in all_rules()] + [r.code for r in all_rules()]
        close = difflib.get_close_matches(rule, names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise InputError(f"unknown rule {rule!r}{hint}; `pgshape explain` lists them")
    text = rule_markdown(found)
    if markdown or not settings.stdout.is_terminal:
        typer.echo(text)
    else:
        settings.stdout.print(Markdown(text))
    return 0
