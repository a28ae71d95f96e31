"""Trigger functions and triggers of the patterns, as PostgreSQL prints them.

The model keeps function and trigger definitions exactly as ``pg_get_functiondef`` and
``pg_get_triggerdef`` print them (with an empty search_path), because those texts are compared
verbatim after a round trip; the builders here produce that form directly.
"""

from __future__ import annotations

from collections.abc import Sequence

from pgshape.model import Function, Trigger
from pgshape.render.identifiers import qualified, quote_ident, quote_literal


def trigger_function(
    schema: str,
    name: str,
    body: str,
    *,
    security_definer: bool = False,
    search_path: Sequence[str] = (),
    comment: str | None = None,
) -> Function:
    """A ``RETURNS trigger`` PL/pgSQL function; ``body`` is the text between the dollar quotes."""
    lines = [
        f"CREATE OR REPLACE FUNCTION {qualified(schema, name)}()",
        " RETURNS trigger",
        " LANGUAGE plpgsql",
    ]
    config: tuple[str, ...] = ()
    if security_definer:
        lines.append(" SECURITY DEFINER")
    if search_path:
        lines.append(" SET search_path TO " + ", ".join(quote_literal(s) for s in search_path))
        config = ("search_path=" + ", ".join(search_path),)
    definition = "\n".join(lines) + "\nAS $function$\n" + body.strip("\n") + "\n$function$\n"
    return Function(
        schema=schema,
        name=name,
        arguments="",
        definition=definition,
        returns="trigger",
        language="plpgsql",
        security_definer=security_definer,
        config=config,
        comment=comment,
    )


def row_trigger(
    name: str,
    table: tuple[str, str],
    function: Function,
    *,
    timing: str,
    events: Sequence[str],
    when: str | None = None,
    arguments: Sequence[str] = (),
    comment: str | None = None,
) -> Trigger:
    """A FOR EACH ROW trigger. ``when`` is the condition as pg_get_triggerdef prints it
    (lower-case ``old``/``new``, fully parenthesised)."""
    # pg_get_triggerdef lists events in this order whatever order they were declared in.
    ordered = [event for event in ("INSERT", "DELETE", "UPDATE", "TRUNCATE") if event in events]
    condition = f" WHEN ({when})" if when else ""
    args = ", ".join(quote_literal(argument) for argument in arguments)
    definition = (
        f"CREATE TRIGGER {quote_ident(name)} {timing} {' OR '.join(ordered)} ON {qualified(*table)}"
        f" FOR EACH ROW{condition} EXECUTE FUNCTION {qualified(function.schema, function.name)}({args})"
    )
    return Trigger(
        name=name,
        definition=definition,
        timing=timing,  # type: ignore[arg-type]
        events=tuple(event for event in ("INSERT", "UPDATE", "DELETE", "TRUNCATE") if event in events),
        for_each_row=True,
        function=qualified(function.schema, function.name),
        comment=comment,
    )
