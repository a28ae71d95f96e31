"""PNG export (the optional ``png`` extra): the size follows the SVG and the scale, colours are
the theme's (not black: the PNG renderer does not resolve CSS variables), and a missing extra
is one clear line."""

from __future__ import annotations

import struct
import sys
import zlib

import pytest
from svg_geometry import parse

from pgshape.errors import InputError
from pgshape.model import Column, Database, ForeignKey, PrimaryKey, Table
from pgshape.render.png import render_png
from pgshape.render.svg import HEADER_HEIGHT, render_svg
from pgshape.render.svg_style import PALETTES

pytest.importorskip("vl_convert", reason="the png extra is not installed")


def _database() -> Database:
    parent = Table("public", "author", (Column("id", "bigint", False), Column("name", "text")),
                   PrimaryKey("author_pkey", ("id",)))  # fmt: skip
    child = Table("public", "post", (Column("id", "bigint", False), Column("author_id", "bigint", False)),
                  PrimaryKey("post_pkey", ("id",)),
                  foreign_keys=(ForeignKey("post_author_id_fkey", ("author_id",), "public", "author",
                                           ("id",)),))  # fmt: skip
    return Database(tables=(parent, child))


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGBA bytes) of an 8-bit RGBA or RGB, non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, width = 8, b"", 0
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0
            channels = 4 if colour == 6 else 3
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                predictor = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + predictor) & 0xFF
        rows.append(
            bytes(line)
            if channels == 4
            else bytes(b for j in range(width) for b in (*line[j * 3 : j * 3 + 3], 255))
        )
        previous = line
    return width, height, rows


def _pixel(rows: list[bytes], x: float, y: float) -> str:
    row = rows[int(y)]
    r, g, b = row[int(x) * 4 : int(x) * 4 + 3]
    return f"#{r:02x}{g:02x}{b:02x}"


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_png_matches_the_svg(theme: str, scale: float) -> None:
    database = _database()
    drawing = parse(render_svg(database))
    width, height, rows = decode_png(render_png(database, scale=scale, theme=theme))
    assert (width, height) == (round(drawing.width * scale), round(drawing.height * scale))
    palette = PALETTES[theme]
    assert _pixel(rows, 2, 2) == palette["bg"]
    box = drawing.boxes["public.author"]
    # Inside the header band (clear of the title text) and inside the body (clear of the rows).
    assert _pixel(rows, (box.right - 4) * scale, (box.y + HEADER_HEIGHT / 2) * scale) == palette["header"]
    assert _pixel(rows, (box.right - 12) * scale, (box.bottom - 3) * scale) == palette["box"]


def test_missing_extra_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "vl_convert", None)  # what an uninstalled package looks like
    with pytest.raises(InputError) as raised:
        render_png(_database())
    message = str(raised.value)
    assert "\n" not in message and "pip install 'pgshape[png]'" in message


def test_oversized_png_is_refused_before_rendering() -> None:
    tables = tuple(Table("public", f"t{i:03d}", (Column("id", "bigint", False),)) for i in range(300))
    with pytest.raises(InputError, match="megapixels"):
        render_png(Database(tables=tables), scale=20.0)
    with pytest.raises(InputError, match="scale must be positive"):
        render_png(_database(), scale=0)
