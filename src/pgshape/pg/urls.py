"""Connection strings: recognising them, and masking passwords everywhere they are shown."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

_SCHEMES = ("postgresql://", "postgres://")
_KEYWORD_PASSWORD = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)


def is_url(text: str) -> bool:
    return text.startswith(_SCHEMES)


def mask(url: str) -> str:
    """``postgresql://u:secret@h/db`` -> ``postgresql://u:***@h/db`` (also ``password=`` pairs)."""
    if is_url(url):
        parts = urlsplit(url)
        if parts.password is not None:
            userinfo, _, hostinfo = parts.netloc.rpartition("@")
            user = userinfo.split(":", 1)[0]
            netloc = f"{user}:***@{hostinfo}"
            url = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return _KEYWORD_PASSWORD.sub(r"\1***", url)


def mask_in(text: str, *urls: str) -> str:
    """Mask any of ``urls``' passwords that appear verbatim inside ``text`` (error messages)."""
    for url in urls:
        if is_url(url):
            password = urlsplit(url).password
            if password:
                text = text.replace(password, "***")
    return _KEYWORD_PASSWORD.sub(r"\1***", text)
