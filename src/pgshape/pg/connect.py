"""Opening connections with errors turned into one clear, password-free line."""

from __future__ import annotations

import psycopg

from pgshape.errors import ServerError
from pgshape.pg.urls import mask, mask_in

MIN_SERVER_VERSION = 130000


def connect(url: str, *, autocommit: bool = False, read_only: bool = False) -> psycopg.Connection:
    try:
        conn = psycopg.connect(url, autocommit=autocommit, connect_timeout=10)
    except psycopg.Error as error:
        reason = mask_in(
            str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__, url
        )
        raise ServerError(f"cannot connect to {mask(url)}: {reason}") from None
    if conn.info.server_version < MIN_SERVER_VERSION:
        version = conn.info.server_version
        conn.close()
        raise ServerError(f"{mask(url)} runs PostgreSQL {version // 10000}; pgshape needs 13 or newer")
    if read_only:
        conn.read_only = True
    return conn


def server_version(conn: psycopg.Connection) -> tuple[int, int]:
    """(major, minor) of the connected server, e.g. (18, 6)."""
    number = conn.info.server_version
    return number // 10000, number % 10000
