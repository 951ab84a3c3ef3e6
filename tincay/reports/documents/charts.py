"""Charts for the documents as PNG images (matplotlib's Agg renderer: no screen, no state between calls)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib.figure import Figure

COLOURS = {"green": "#198754", "yellow": "#ffc107", "red": "#dc3545", "none": "#adb5bd"}
DPI = 150


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    return buffer.getvalue()


def bars(labels: Sequence[str], values: Sequence[float | None], *, xlabel: str, limit: float = 100) -> bytes:
    """Horizontal bars with their values written at their ends (a missing value shows as no bar)."""
    figure = Figure(figsize=(7, 0.5 + 0.45 * len(labels)))
    axes = figure.subplots()
    shown = [v or 0 for v in values]
    positions = range(len(labels))
    axes.barh(list(positions), shown, color="#0d6efd")
    axes.set_yticks(list(positions), labels=list(labels))
    axes.invert_yaxis()
    axes.set_xlim(0, limit)
    axes.set_xlabel(xlabel)
    for y, value in zip(positions, values, strict=True):
        if value is not None:
            axes.text(value + limit * 0.01, y, f"{value:.1f}".replace(".", ","), va="center", fontsize=9)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def stacked_levels(labels: Sequence[str], counts: Sequence[dict[str, int]], names: dict[str, str]) -> bytes:
    """One horizontal bar per label, split into green, yellow, red and not assessed, with a legend in words."""
    figure = Figure(figsize=(7, 0.8 + 0.3 * len(labels)))
    axes = figure.subplots()
    positions = list(range(len(labels)))
    left = [0] * len(labels)
    for level in ("green", "yellow", "red", "none"):
        widths = [c.get(level, 0) for c in counts]
        axes.barh(positions, widths, left=left, color=COLOURS[level], label=names[level])
        left = [a + b for a, b in zip(left, widths, strict=True)]
    axes.set_yticks(positions, labels=list(labels), fontsize=8)
    axes.invert_yaxis()
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=4, frameon=False, fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)
