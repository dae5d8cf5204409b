"""HTML escaping for Telegram's HTML parse mode. A leaf module (standard library only), so
the domain, the scheduler, the CLI and the handlers can all use it without importing upward."""

from __future__ import annotations

import html

__all__ = ["esc"]


def esc(text: object) -> str:
    """Escape `&`, `<` and `>` in an interpolated value (quotes stay: no attributes are built)."""
    return html.escape(str(text), quote=False)
