"""Charts for the report PDF, as SVG (Typst embeds vector images). matplotlib is imported
inside the functions: the bot and the CLI only pay for it when a PDF is made."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _figure(width: float, height: float) -> Figure:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    # No timestamps or random ids in the SVG: the same report gives the same bytes.
    matplotlib.rcParams["svg.hashsalt"] = "ervaringsbot"
    matplotlib.rcParams["svg.fonttype"] = "path"
    return Figure(figsize=(width, height), dpi=100)


def _svg(fig: Figure) -> str:
    buf = BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue().decode()


def hours_vs_share_svg(
    bars: Sequence[tuple[str, float, float]], *, hours_label: str, share_label: str
) -> str:
    """Horizontal bars (hours) with a marker at each fair share; labels come translated."""
    names = [b[0] for b in bars][::-1]
    hours = [b[1] for b in bars][::-1]
    shares = [b[2] for b in bars][::-1]
    fig = _figure(7.0, 1.0 + 0.22 * max(len(bars), 1))
    ax = fig.add_subplot(1, 1, 1)
    ys = list(range(len(names)))
    colors = ["#2e7d32" if h >= s else "#ef6c00" for h, s in zip(hours, shares, strict=True)]
    ax.barh(ys, hours, color=colors, height=0.6, label=hours_label)
    ax.scatter(shares, ys, marker="|", s=200, linewidths=2.5, color="#1a237e", label=share_label)
    ax.set_yticks(ys, names, fontsize=8)
    ax.tick_params(axis="x", labelsize=8)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    ax.set_xlim(0, max([*hours, *shares, 1.0]) * 1.1)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    fig.tight_layout()
    return _svg(fig)


def per_month_svg(points: Sequence[tuple[str, int | None]], *, label: str) -> str:
    """Columns per month; a hidden count ("<5" or "*") is left out, not drawn as zero."""
    fig = _figure(7.0, 2.4)
    ax = fig.add_subplot(1, 1, 1)
    xs = list(range(len(points)))
    vals = [p[1] if p[1] is not None else 0 for p in points]
    bars = ax.bar(xs, vals, color="#1a237e", width=0.6, label=label)
    for bar, p in zip(bars, points, strict=True):
        if p[1] is None:
            bar.set_alpha(0.0)
    ax.set_xticks(xs, [p[0] for p in points], fontsize=8)
    ax.tick_params(axis="y", labelsize=8)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    ax.set_ylabel(label, fontsize=8)
    fig.tight_layout()
    return _svg(fig)
