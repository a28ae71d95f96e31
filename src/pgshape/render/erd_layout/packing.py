"""Placing laid-out pieces (components, groups) next to each other without overlap.

Pieces are packed in rows ("shelves") towards a target aspect ratio, the largest first; boxes
that have no edges at all are stacked into balanced columns, which is far denser than giving
each its own shelf slot.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def shelf_pack(
    sizes: Sequence[tuple[float, float]], *, gap: float, aspect: float
) -> tuple[list[tuple[float, float]], float, float]:
    """Top-left corners for pieces of the given (width, height), in input order; total size."""
    if not sizes:
        return [], 0.0, 0.0
    area = sum((w + gap) * (h + gap) for w, h in sizes)
    row_width = max(max(w for w, _ in sizes), math.sqrt(area * aspect))
    order = sorted(range(len(sizes)), key=lambda i: (-sizes[i][1], -sizes[i][0], i))
    corners: list[tuple[float, float]] = [(0.0, 0.0)] * len(sizes)
    x = y = row_height = 0.0
    width = 0.0
    for index in order:
        w, h = sizes[index]
        if x > 0 and x + w > row_width:
            y += row_height + gap
            x = row_height = 0.0
        corners[index] = (x, y)
        width = max(width, x + w)
        row_height = max(row_height, h)
        x += w + gap
    return corners, width, y + row_height


def column_pack(
    sizes: Sequence[tuple[float, float]], *, gap: float, aspect: float
) -> tuple[list[tuple[float, float]], float, float]:
    """Pieces in balanced columns (each goes to the currently shortest column), in input order."""
    if not sizes:
        return [], 0.0, 0.0
    column_width = max(w for w, _ in sizes)
    area = sum((column_width + gap) * (h + gap) for _, h in sizes)
    columns = max(1, min(len(sizes), round(math.sqrt(area * aspect) / (column_width + gap))))
    fill = [0.0] * columns
    corners: list[tuple[float, float]] = []
    for _, h in sizes:
        column = min(range(columns), key=lambda c: (fill[c], c))
        corners.append((column * (column_width + gap), fill[column]))
        fill[column] += h + gap
    used = sum(1 for f in fill if f > 0)
    return corners, used * (column_width + gap) - gap, max(fill) - gap
