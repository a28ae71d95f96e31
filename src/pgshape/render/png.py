"""An ERD as PNG: the SVG rasterised by ``vl-convert-python`` (a self-contained wheel with its own
renderer, resvg; BSD-3). It is the optional ``png`` extra: without it, :func:`render_png` raises
one clear line saying how to install it.
"""

from __future__ import annotations

from pgshape.errors import InputError
from pgshape.model import Database
from pgshape.render.erd_common import ErdOptions, build_erd
from pgshape.render.svg import build_diagram, render_diagram

# A 100-megapixel RGBA image already takes 400 MB while it is encoded.
MAX_PIXELS = 100_000_000
INSTALL_HINT = "PNG output needs the png extra: pip install 'pgshape[png]' (installs vl-convert-python)"


def svg_to_png(svg: str, *, scale: float = 1.0) -> bytes:
    try:
        import vl_convert
    except ImportError:
        raise InputError(INSTALL_HINT) from None
    return bytes(vl_convert.svg_to_png(svg, scale=scale))


def render_png(
    database: Database, options: ErdOptions | None = None, *, scale: float = 1.0, theme: str = "light"
) -> bytes:
    """The ERD as PNG bytes. ``scale`` multiplies the SVG's pixel size (2.0 for sharp slides)."""
    if scale <= 0:
        raise InputError(f"scale must be positive, not {scale}")
    diagram = build_diagram(build_erd(database, options or ErdOptions()))
    width, height = round(diagram.layout.width * scale), round(diagram.layout.height * scale)
    if width * height > MAX_PIXELS:
        raise InputError(
            f"the PNG would be {width} × {height} px, more than {MAX_PIXELS // 1_000_000} megapixels:"
            " use a smaller scale, fewer tables, or SVG/HTML output"
        )
    # resvg paints CSS variables black, so the PNG gets the plain presentation colours.
    return svg_to_png(render_diagram(diagram, theme=theme, stylesheet=False), scale=scale)


render = render_png
