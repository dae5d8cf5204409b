"""One PNG chart for the weekly digest: hours per municipality next to the fair share.

matplotlib with the Agg backend (no display), a fresh Figure per call (no global pyplot state,
so concurrent jobs cannot draw into each other's chart). matplotlib is imported by the first
chart, not at start-up: it adds about 60 MB to the process.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.domain.digest import ChartBar


def hours_vs_share_png(
    bars: Sequence[ChartBar], *, title: str, hours_label: str, share_label: str
) -> bytes:
    """Horizontal bars (hours) with a marker for each fair share; texts come translated."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    names = [b.name for b in bars][::-1]  # first bar at the top
    hours = [b.hours for b in bars][::-1]
    shares = [b.share_hours for b in bars][::-1]
    height = 1.2 + 0.38 * max(len(bars), 1)
    fig = Figure(figsize=(7.5, height), dpi=110)
    ax = fig.add_subplot(1, 1, 1)
    ys = list(range(len(names)))
    colors = ["#2e7d32" if h >= s else "#ef6c00" for h, s in zip(hours, shares, strict=True)]
    ax.barh(ys, hours, color=colors, height=0.6, label=hours_label)
    ax.scatter(
        shares, ys, marker="|", s=260, linewidths=2.5, color="#1a237e", label=share_label, zorder=3
    )
    ax.set_yticks(ys, names, fontsize=8)
    ax.set_xlabel(hours_label)
    ax.set_title(title, fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    top = max([*hours, *shares, 1.0])
    ax.set_xlim(0, top * 1.1)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    fig.tight_layout()
    buf = BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
