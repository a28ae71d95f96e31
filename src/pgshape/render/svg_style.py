"""Colours and the style sheet of the SVG ERD (light and dark).

The palettes are used twice: as presentation attributes (for renderers without CSS) and as CSS
custom properties, which win over presentation attributes in browsers, so the page can switch
themes by setting ``data-theme`` on the ``<svg>`` (or an ancestor) without redrawing.
"""

from __future__ import annotations

FONT_FAMILY = (
    'ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace'
)

PALETTES: dict[str, dict[str, str]] = {
    "light": {
        "bg": "#ffffff",
        "frame": "#f4f6fa",
        "frame-line": "#d5dbe5",
        "box": "#ffffff",
        "box-line": "#8a97ab",
        "header": "#2f5d8a",
        "header-text": "#ffffff",
        "text": "#1d2430",
        "muted": "#5b6678",
        "key": "#b45309",
        "edge": "#6b7a90",
        "highlight": "#d9480f",
        "badge-error": "#c92a2a",
        "badge-warning": "#d9822b",
        "badge-info": "#3b7dd8",
    },
    "dark": {
        "bg": "#14181f",
        "frame": "#1b212b",
        "frame-line": "#2f3846",
        "box": "#1e2530",
        "box-line": "#4b5a70",
        "header": "#2b4c6f",
        "header-text": "#f1f5fb",
        "text": "#e3e8f0",
        "muted": "#9aa6b8",
        "key": "#f0a347",
        "edge": "#7f8ea5",
        "highlight": "#ff8a4c",
        "badge-error": "#e03131",
        "badge-warning": "#e8590c",
        "badge-info": "#4c8ee8",
    },
}


def _variables(palette: dict[str, str]) -> str:
    return "".join(f"--erd-{name}:{value};" for name, value in palette.items())


def style_sheet() -> str:
    light, dark = _variables(PALETTES["light"]), _variables(PALETTES["dark"])
    return (
        f".pgshape-erd{{{light}}}"
        f"@media (prefers-color-scheme: dark){{.pgshape-erd:not([data-theme=light]){{{dark}}}}}"
        f".pgshape-erd[data-theme=dark],[data-theme=dark] .pgshape-erd{{{dark}}}"
        f"[data-theme=light] .pgshape-erd:not([data-theme=dark]){{{light}}}"
        ".erd-bg{fill:var(--erd-bg)}"
        ".erd-frame rect{fill:var(--erd-frame);stroke:var(--erd-frame-line)}"
        ".erd-frame text{fill:var(--erd-muted)}"
        ".erd-box{fill:var(--erd-box);stroke:var(--erd-box-line)}"
        ".erd-header{fill:var(--erd-header)}"
        ".erd-title{fill:var(--erd-header-text)}"
        ".erd-name{fill:var(--erd-text)}"
        ".erd-type{fill:var(--erd-muted)}"
        ".erd-key{fill:var(--erd-key)}"
        ".erd-line,.erd-end,.erd-end-circle{stroke:var(--erd-edge)}"
        ".erd-end-circle{fill:var(--erd-bg)}"
        ".erd-badge-error rect{fill:var(--erd-badge-error)}"
        ".erd-badge-warning rect{fill:var(--erd-badge-warning)}"
        ".erd-badge-info rect{fill:var(--erd-badge-info)}"
    )
