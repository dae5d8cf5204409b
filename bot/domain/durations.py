"""Durations as experts type them on a phone: "45 min", "1u30", "anderhalf uur", "drie kwartier".

All results are whole minutes. A valid duration is 1..1440 minutes (one day at most).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from babel.units import format_unit

from bot.domain.dates import MONTHS
from bot.domain.textmatch import NUMBER_WORDS, strip_accents

__all__ = [
    "MAX_MINUTES",
    "DurationError",
    "DurationErrorCode",
    "check_duration",
    "find_duration",
    "format_duration",
    "parse_duration",
    "validate_minutes",
]

MAX_MINUTES = 24 * 60

BareUnit = Literal["min", "hour"]


class DurationErrorCode(StrEnum):
    NOT_A_DURATION = "not_a_duration"
    ZERO = "zero"
    TOO_LONG = "too_long"


class DurationError(ValueError):
    """A duration that cannot be used; ``code`` tells the handler which message to show."""

    def __init__(self, code: DurationErrorCode, minutes: int | None = None) -> None:
        super().__init__(code.value)
        self.code = code
        self.minutes = minutes


_HOUR_UNITS = frozenset(
    {"u", "uur", "ur", "uren", "uurtje", "uurtjes", "h", "hr", "hrs", "hour", "hours"}
)
_MIN_UNITS = frozenset(
    {"m", "min", "mins", "minuut", "minuten", "minuutje", "minuutjes", "minute", "minutes"}
)
_QUARTER_UNITS = frozenset({"kwartier", "kwartiertje", "kwartiertjes", "kwartieren"})
_NUMBER_WORDS = NUMBER_WORDS
# Words that make a bare number after an hour part a count, not minutes: "2 uur 15 nieuw".
_COUNT_WORDS = frozenset(
    """
    nieuw nieuwe bekend bekende bewoner bewoners inwoner inwoners mensen personen deelnemers
    keer x man vrouwen mannen kinderen jongeren gezinnen
    """.split()
)
# A number followed by one of these is a day of a date ("2 uur 16 nov"), never minutes.
_MONTH_WORDS = frozenset(MONTHS)
# ... and so is a number followed by "-"/"/" and a digit ("1 uur 16-11", "2 uur 16/11").
_DATE_TAIL_RE = re.compile(r"[ ]?[-/–][ ]?[0-9]")
# Words before a clock time: "om 10:00" is a moment, not a duration.
_CLOCK_WORDS = frozenset({"om", "vanaf", "van", "tot", "tussen", "rond", "sinds"})

# Atoms: a run of digits (with an optional decimal part), a run of letters, or one symbol.
# Every quantifier is bounded by a character class, so matching is linear in the text length.
_ATOM_RE = re.compile(r"[0-9]+(?:[.,][0-9]+)?|½|[^\W\d_½]+|[:\-–]")


@dataclass(frozen=True)
class _Atom:
    text: str  # lowercased, accents stripped
    start: int
    end: int
    kind: Literal["num", "word", "sym"]


def _atoms(text: str) -> list[_Atom]:
    out = []
    for m in _ATOM_RE.finditer(text):
        raw = m.group()
        if raw[0] in "0123456789":
            kind: Literal["num", "word", "sym"] = "num"
        elif raw in (":", "½", "-", "–"):
            kind = "sym"
        else:
            kind = "word"
        norm = raw if raw == "½" else strip_accents(raw).lower()  # NFKD would turn ½ into 1⁄2
        out.append(_Atom(norm, m.start(), m.end(), kind))
    return out


def _num_value(atom: _Atom, *, unit: BareUnit) -> float | None:
    """Numeric value of a digit atom; "1.30" with a dot and two digits may mean 1 h 30 min."""
    t = atom.text
    if "," in t:
        return float(t.replace(",", "."))
    if "." in t:
        whole, frac = t.split(".")
        # "1.5" is 1,5 hours; "1.30" is 1 h 30 min, but "1.25/1.50/1.75" are decimal hours.
        if unit == "hour" and len(frac) == 2 and frac not in ("25", "50", "75"):
            if int(frac) >= 60:
                return None
            return int(whole) + int(frac) / 60
        return float(t)
    return float(t)


@dataclass(frozen=True)
class _Parsed:
    minutes: float
    end: int  # index of the first atom after the expression


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.atoms = _atoms(text)

    def at(self, i: int) -> _Atom | None:
        return self.atoms[i] if 0 <= i < len(self.atoms) else None

    def word(self, i: int) -> str | None:
        a = self.at(i)
        return a.text if a is not None and a.kind != "num" else None

    def glued(self, i: int) -> bool:
        """Whether atom i touches atom i-1 (no space): "1u30", "45min"."""
        a, b = self.at(i - 1), self.at(i)
        return a is not None and b is not None and a.end == b.start

    def amount(self, i: int, unit: BareUnit) -> tuple[float, int] | None:
        """A quantity at atom i: "2", "1,5", "2½", "twee", "anderhalf", "een half",
        "twee en een half", "tweeënhalf". Returns (value, next index)."""
        a = self.at(i)
        if a is None:
            return None
        if a.kind == "num":
            v = _num_value(a, unit=unit)
            if v is None:
                return None
            if self.word(i + 1) == "½" and self.glued(i + 1):
                return v + 0.5, i + 2
            return v, i + 1
        t = a.text
        if t == "½":
            return 0.5, i + 1
        if t == "anderhalf":
            return 1.5, i + 1
        if t == "half":
            return 0.5, i + 1
        if t == "een" and self.word(i + 1) == "half":
            return 0.5, i + 2
        if t.endswith("enhalf") and t[:-6].rstrip("e") in _NUMBER_WORDS:  # tweeënhalf
            return _NUMBER_WORDS[t[:-6].rstrip("e")] + 0.5, i + 1
        if t.endswith("enhalf") and t[:-6] in _NUMBER_WORDS:  # vierenhalf
            return _NUMBER_WORDS[t[:-6]] + 0.5, i + 1
        if t in _NUMBER_WORDS:
            n = _NUMBER_WORDS[t]
            if (
                self.word(i + 1) == "en"
                and self.word(i + 2) == "een"
                and self.word(i + 3) == "half"
            ):
                return n + 0.5, i + 4
            return n, i + 1
        return None

    def expression(self, i: int) -> _Parsed | None:
        """The longest duration expression starting at atom i."""
        return self.clock_range(i) or self.hour_range(i) or self.colon(i) or self.unit_expression(i)

    def is_range(self, i: int) -> bool:
        """Whether a from-to range ("10:00-12:00", "10-12 uur") starts at atom i."""
        return self.clock_range(i) is not None or self.hour_range(i) is not None

    def clock(self, i: int) -> tuple[int, int] | None:
        """A clock time "10:00" / "10.00" at atom i -> (minutes since midnight, next index)."""
        a = self.at(i)
        if a is None or a.kind != "num":
            return None
        if "." in a.text:
            h, _, m = a.text.partition(".")
            nxt = i + 1
        elif self.word(i + 1) == ":" and self.glued(i + 1):
            b = self.at(i + 2)
            if b is None or b.kind != "num" or not self.glued(i + 2) or not b.text.isdigit():
                return None
            h, m, nxt = a.text, b.text, i + 3
        else:
            return None
        if not (h.isdigit() and m.isdigit() and len(m) == 2 and len(h) <= 2):
            return None
        if int(h) > 24 or int(m) >= 60:
            return None
        return int(h) * 60 + int(m), nxt

    def clock_range(self, i: int) -> _Parsed | None:
        """ "10:00-12:00", "10.00 tot 12.30" -> the minutes in between."""
        first = self.clock(i)
        if first is None:
            return None
        start, j = first
        if self.word(j) not in ("-", "–", "tot"):
            return None
        second = self.clock(j + 1)
        if second is None or second[0] <= start:
            return None
        return _Parsed(second[0] - start, second[1])

    def hour_range(self, i: int) -> _Parsed | None:
        """ "10-12 uur", "9 – 11u" -> the hours in between (whole clock hours, 7 <= A < B <= 24)."""
        a, b = self.at(i), self.at(i + 2)
        if a is None or b is None or a.kind != "num" or b.kind != "num":
            return None
        if self.word(i + 1) not in ("-", "–") or self.word(i + 3) not in _HOUR_UNITS:
            return None
        if not (a.text.isdigit() and b.text.isdigit() and len(a.text) <= 2 and len(b.text) <= 2):
            return None
        start, end = int(a.text), int(b.text)
        # Only daytime clock hours: "2-3 uur" more likely means "two to three hours".
        if not 7 <= start < end <= 24:
            return None
        return _Parsed((end - start) * 60, i + 4)

    def colon(self, i: int) -> _Parsed | None:
        """ "1:30" -> 90 (hours:minutes)."""
        a = self.at(i)
        if a is None or a.kind != "num" or not a.text.isdigit() or len(a.text) > 2:
            return None
        if self.word(i + 1) != ":" or not self.glued(i + 1):
            return None
        b = self.at(i + 2)
        if b is None or b.kind != "num" or not b.text.isdigit() or len(b.text) != 2:
            return None
        if not self.glued(i + 2) or int(b.text) >= 60:
            return None
        return _Parsed(int(a.text) * 60 + int(b.text), i + 3)

    def unit_expression(self, i: int) -> _Parsed | None:
        # Glued one-word forms.
        t = self.word(i)
        if t in ("halfuur", "halfuurtje"):
            return _Parsed(30, i + 1)
        if t == "anderhalfuur":
            return _Parsed(90, i + 1)
        if t in _QUARTER_UNITS:
            return _Parsed(15, i + 1)
        if t in ("uurtje",):
            return _Parsed(60, i + 1)

        # Try the number as hours first (allows "1.30 uur"), then as minutes.
        for unit in ("hour", "min"):
            amt = self.amount(i, unit)
            if amt is None:
                continue
            value, j = amt
            u = self.word(j)
            if unit == "hour" and u in _HOUR_UNITS:
                return self.after_hours(value * 60, j + 1)
            if unit == "hour" and u in ("halfuur", "halfuurtje"):  # "een halfuur"
                if self.word(i) == "een" and j == i + 1:
                    return _Parsed(30, j + 1)
            if unit == "min" and u in _MIN_UNITS:
                return _Parsed(value, j + 1)
            if unit == "min" and u in _QUARTER_UNITS:
                return _Parsed(value * 15, j + 1)
        return None

    def after_hours(self, minutes: float, j: int) -> _Parsed:
        """Optional minutes after an hour part: "1 uur 30", "1u30", "1 uur en een kwartier"."""
        k = j + 1 if self.word(j) == "en" else j
        a = self.at(k)
        if (
            a is not None
            and a.kind == "num"
            and a.text.isdigit()
            and int(a.text) < 60
            and not self.is_date_day(k)
        ):
            u = self.word(k + 1)
            if u in _MIN_UNITS:
                return _Parsed(minutes + int(a.text), k + 2)
            # A bare number only counts as minutes when glued ("1u30") or when it looks like
            # minutes (two digits, not followed by a count such as "2 uur 15 nieuw").
            if u not in _COUNT_WORDS and (self.glued(k) or len(a.text) == 2):
                return _Parsed(minutes + int(a.text), k + 1)
        amt = self.amount(k, "min")
        if amt is not None and self.word(amt[1]) in _QUARTER_UNITS:
            return _Parsed(minutes + amt[0] * 15, amt[1] + 1)
        if self.word(k) in _QUARTER_UNITS:
            return _Parsed(minutes + 15, k + 1)
        return _Parsed(minutes, j)

    def is_date_day(self, k: int) -> bool:
        """Whether the number at atom k starts a date: "16 nov", "16-11", "16/11"."""
        a = self.at(k)
        if a is None:
            return False
        if self.word(k + 1) in _MONTH_WORDS:
            return True
        return _DATE_TAIL_RE.match(self.text, a.end) is not None


def _span(p: _Parser, i: int, parsed: _Parsed) -> tuple[int, int]:
    return p.atoms[i].start, p.atoms[parsed.end - 1].end


_NEGATIVE_RE = re.compile(r"(?:^|\s)[-−–]$")


def find_duration(text: str) -> tuple[int, int, int] | None:
    """First duration inside a sentence -> (minutes, start, end) character span, or None.

    Minutes are not range-checked here (a "30 uur" typo is still found); pass them through
    ``validate_minutes``. Bare numbers never count: inside a sentence they are usually counts.
    A minus sign right before the duration makes it negative ("-2 uur" -> -120).
    """
    p = _Parser(text)
    for i in range(len(p.atoms)):
        parsed = p.expression(i)
        if parsed is None:
            continue
        prev = p.word(i - 1) if i > 0 else None
        if prev in _CLOCK_WORDS and not p.is_range(i):
            # "om 10:30", "vanaf 9 uur", "van 9 uur tot 11": a moment, not a duration.
            # But "gesprek van 1 uur" is a duration.
            if prev != "van" or p.word(parsed.end) in ("tot", "-", "–"):
                continue
        start, end = _span(p, i, parsed)
        if _NEGATIVE_RE.search(text[:start]):
            # "-2 uur": a minus sign right before it (not "10-12 uur"); returned negative so
            # the range check refuses it instead of taking it as positive.
            return -round(parsed.minutes), start - 1, end
        return round(parsed.minutes), start, end
    return None


def validate_minutes(minutes: int) -> int:
    """Return ``minutes`` if 1..1440, else raise DurationError(ZERO / TOO_LONG)."""
    if minutes <= 0:
        raise DurationError(DurationErrorCode.ZERO, minutes)
    if minutes > MAX_MINUTES:
        raise DurationError(DurationErrorCode.TOO_LONG, minutes)
    return minutes


def _parse_whole(text: str, bare_number_unit: BareUnit | None) -> int | None:
    p = _Parser(text)
    if not p.atoms:
        return None
    if bare_number_unit is not None and len(p.atoms) == 1 and p.atoms[0].kind == "num":
        value = _num_value(p.atoms[0], unit=bare_number_unit)
        if value is None:
            return None
        return round(value * 60 if bare_number_unit == "hour" else value)
    # Let a few filler words surround the duration: "ongeveer 45 min", "45 min totaal".
    parsed = p.expression(0)
    skip = 0
    while parsed is None and skip < 2 and p.word(skip) in ("ongeveer", "ca", "circa", "zo", "rond"):
        skip += 1
        parsed = p.expression(skip)
    if parsed is None:
        return None
    rest = [a.text for a in p.atoms[parsed.end :]]
    if rest and rest not in (["totaal"], ["in", "totaal"], ["lang"], ["ongeveer"]):
        return None
    return round(parsed.minutes)


def parse_duration(text: str, *, bare_number_unit: BareUnit | None = None) -> int | None:
    """Minutes for a whole-text duration such as "1,5 uur", or None if it is not a duration.

    ``bare_number_unit`` says what a number without a unit means ("90" -> minutes with "min",
    "2" -> 120 with "hour"); by default a bare number is not a duration.

    Raises DurationError(ZERO / TOO_LONG) when the text is a duration outside 1..1440 minutes,
    so the caller can say why; use ``check_duration`` to also get NOT_A_DURATION as an error.
    """
    minutes = _parse_whole(text, bare_number_unit)
    return None if minutes is None else validate_minutes(minutes)


def check_duration(text: str, *, bare_number_unit: BareUnit | None = None) -> int:
    """Like ``parse_duration`` but raises DurationError(NOT_A_DURATION) instead of None."""
    minutes = parse_duration(text, bare_number_unit=bare_number_unit)
    if minutes is None:
        raise DurationError(DurationErrorCode.NOT_A_DURATION)
    return minutes


def format_duration(minutes: int, locale: str = "nl") -> str:
    """Short human form: 45 -> "45 min", 60 -> "1 uur", 90 -> "1,5 uur", 75 -> "1 uur 15 min".

    Decimal hours are used only for exact halves (90 -> "1,5 uur"); other mixes are written as
    hours plus minutes. Everything this returns for nl is read back by ``parse_duration``.
    """
    hours, mins = divmod(int(minutes), 60)
    if hours == 0:
        return format_unit(mins, "duration-minute", length="short", locale=locale)
    if mins == 30:
        return format_unit(hours + 0.5, "duration-hour", length="short", locale=locale)
    hour_part = format_unit(hours, "duration-hour", length="short", locale=locale)
    if mins == 0:
        return hour_part
    return f"{hour_part} {format_unit(mins, 'duration-minute', length='short', locale=locale)}"
