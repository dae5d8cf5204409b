"""HTML escaping for Telegram's HTML parse mode. A leaf module (standard library only), so
the domain, the scheduler, the CLI and the handlers can all use it without importing upward."""

from __future__ import annotations

import html

__all__ = ["esc", "short_label"]


def esc(text: object) -> str:
    """Escape `&`, `<` and `>` in an interpolated value (quotes stay: no attributes are built)."""
    return html.escape(str(text), quote=False)


def short_label(label: str) -> str:
    """A list label as every view shows it: without its explanation in brackets
    ("eenzaamheid (sociaal isolement)" -> "eenzaamheid"). The report keeps the full label."""
    return label.split(" (", 1)[0]
