"""Entry point: ``main(argv) -> int`` with the one error boundary of the program."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence

import typer

from pgshape.cli.app import app
from pgshape.cli.commands import register_all
from pgshape.cli.output import settings
from pgshape.errors import PgshapeError
from pgshape.pg.urls import mask_in


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    settings.debug = "--debug" in args
    register_all()
    try:
        result = app(args=args, prog_name="pgshape", standalone_mode=False)
    except PgshapeError as error:
        if settings.debug:
            traceback.print_exc()
        settings.stderr.print(f"[red]error:[/] {error}", markup=True, highlight=False, soft_wrap=True)
        return 2
    except typer.Abort:
        settings.stderr.print("aborted")
        return 130
    except typer.TyperException as error:  # usage errors: bad option, missing argument
        show = getattr(error, "show", None)
        if callable(show):
            show()
        else:
            settings.stderr.print(f"error: {error.format_message()}", markup=False)
        return 2
    except KeyboardInterrupt:
        settings.stderr.print("interrupted")
        return 130
    except Exception as error:  # the boundary: anything unexpected is a pgshape bug
        if settings.debug:
            traceback.print_exc()
        message = mask_in(f"{type(error).__name__}: {error}".splitlines()[0])
        settings.stderr.print(
            f"[red]internal error:[/] {message} (rerun with --debug for the traceback)",
            markup=True,
            highlight=False,
            soft_wrap=True,
        )
        return 2
    return result if isinstance(result, int) else 0


def run() -> None:
    sys.exit(main())
