"""``pgshape server``: the embedded PostgreSQL that pgshape starts on demand."""

from __future__ import annotations

import typer

from pgshape.cli.app import app
from pgshape.cli.output import settings
from pgshape.pg.server import LocalServer

server_app = typer.Typer(
    help="Manage the local scratch PostgreSQL (started on demand and reused across commands).",
    no_args_is_help=True,
)
app.add_typer(server_app, name="server")


@server_app.command()
def status() -> int:
    """Say whether the local server runs, where, and which PostgreSQL it is."""
    server = LocalServer.default()
    state = "running" if server.is_running() else "stopped"
    settings.stdout.print(f"{state}: {server.version()} in {server.data_dir}", markup=False)
    return 0


@server_app.command()
def start() -> int:
    """Start the local server now (commands start it anyway when they need it)."""
    url = LocalServer.default().start()
    settings.stdout.print(f"running: {url}", markup=False)
    return 0


@server_app.command()
def stop() -> int:
    """Stop the local server."""
    was_running = LocalServer.default().stop()
    settings.stdout.print("stopped" if was_running else "was not running")
    return 0
