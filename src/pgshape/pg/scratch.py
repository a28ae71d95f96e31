"""Scratch databases: created for one use on a scratch server and always dropped afterwards.

The scratch server is ``--scratch-url`` / ``PGSHAPE_SCRATCH_URL`` when given, else the local
embedded server (started on demand). pgshape only ever creates and drops databases whose names
start with ``pgshape_scratch_``; it never runs DDL anywhere else.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
from psycopg import sql

from pgshape.pg.connect import connect
from pgshape.pg.server import LocalServer

SCRATCH_PREFIX = "pgshape_scratch_"


def scratch_server_url(scratch_url: str | None = None) -> str:
    """The URL of the server that hosts scratch databases (maintenance database)."""
    url = scratch_url or os.environ.get("PGSHAPE_SCRATCH_URL")
    if url:
        return url
    return LocalServer.default().start()


def database_url(server_url: str, dbname: str) -> str:
    """The same server as ``server_url``, but database ``dbname``."""
    parts = urlsplit(server_url)
    query = "&".join(p for p in parts.query.split("&") if p and not p.startswith("dbname="))
    return urlunsplit((parts.scheme, parts.netloc, "/" + quote(dbname), query, parts.fragment))


@contextmanager
def scratch_database(server_url: str | None = None, *, template: str = "template0") -> Iterator[str]:
    """Create a fresh database, yield its URL, drop it afterwards (even on errors)."""
    server = server_url or scratch_server_url()
    name = SCRATCH_PREFIX + secrets.token_hex(6)
    with connect(server, autocommit=True) as admin:
        admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template))
        )
    try:
        yield database_url(server, name)
    finally:
        drop_database(server, name)


def drop_database(server_url: str, name: str) -> None:
    if not name.startswith(SCRATCH_PREFIX) and not name.startswith("pgshape_template_"):
        raise ValueError(f"refusing to drop {name!r}: not a pgshape scratch database")
    with connect(server_url, autocommit=True) as admin:
        try:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        except psycopg.Error:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
