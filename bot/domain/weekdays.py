"""The one weekday table: the Dutch words people type for a day of the week.

Index = `date.weekday()` (0 = Monday). The parsers (`dates`, `walkin_csv`, `walkin_query`)
each take the part they can use safely from here; names shown to users come from Babel in
the user's language (`Translator.weekday`), so no display text lives here.
"""

from __future__ import annotations

__all__ = ["ABBREVIATIONS", "FULL", "LONGER_ABBREVIATIONS", "NAMES"]

NAMES: tuple[str, ...] = (
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
)
# The usual two-letter forms ("ma", "di", …); note "ma" (mum) and "zo" (so) are also words.
ABBREVIATIONS: tuple[str, ...] = ("ma", "di", "wo", "do", "vr", "za", "zo")

FULL: dict[str, int] = {name: i for i, name in enumerate(NAMES)}
# Longer short forms seen in spreadsheets ("din", "woe", "vrij", …).
LONGER_ABBREVIATIONS: dict[str, int] = {
    "maa": 0,
    "din": 1,
    "woe": 2,
    "don": 3,
    "vrij": 4,
    "zat": 5,
    "zon": 6,
}
