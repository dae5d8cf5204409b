"""The day a resident asks about, read from a walk-in question (bot.domain.walkin_query).

Day words: vandaag, morgen, overmorgen, vanochtend/vanmiddag/vanavond, morgenochtend etc.,
weekday names (the next such day; today counts), "volgende/komende <dag>" (strictly after
today), "volgende week [<dag>]", "deze week", "(dit) weekend", dates "12 mei", "12-5",
"12/5/2026", "2026-05-12", and holidays by name ("eerste kerstdag", "1e kerstdag", "Pasen",
"pinkstermaandag", "hemelvaart", "oudejaarsdag": the next time it comes; the feast as a whole
is both its days; `bot.domain.holidays_nl`). Several day mentions ("morgen of overmorgen")
give one range.
A date more than a year from today ("31-12-9999", "1-1-1990") is ignored, as if not said.
Abbreviations di/wo/do/vr/za are accepted, "ma" (mother) and "zo" (so/soon) are not. English
works too: today/tomorrow/tonight, weekday names, morning/afternoon/evening, next week.
Parts of the day ("ochtend", "'s avonds", "dinsdagmiddag") are collected alongside.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Literal

from bot.domain import weekdays
from bot.domain.dates import MONTHS
from bot.domain.holidays_nl import named_day_dates
from bot.domain.resident_talk import has_seq
from bot.domain.textmatch import Token, fuzzy_cost
from bot.domain.week import week_start

__all__ = [
    "MAX_DATE_DISTANCE",
    "PART_WINDOWS",
    "DayFilter",
    "DayKey",
    "DayScan",
    "PartOfDay",
    "day_filter",
    "scan_days",
]

PartOfDay = Literal["ochtend", "middag", "avond"]
DayKey = Literal[
    "today",
    "tomorrow",
    "day_after_tomorrow",
    "weekday",
    "weekend",
    "this_week",
    "next_week",
    "date",
    "range",
]

# Part-of-day windows on the local wall clock, [start, end); end None = midnight.
PART_WINDOWS: dict[PartOfDay, tuple[time, time | None]] = {
    "ochtend": (time(6), time(12)),
    "middag": (time(12), time(18)),
    "avond": (time(18), None),
}


# An explicit date further away than this is no day filter ("31-12-9999" is a joke or a typo,
# and a range to it would make `answer` compute centuries of sessions).
MAX_DATE_DISTANCE = timedelta(days=366)


@dataclass(frozen=True)
class DayFilter:
    """Inclusive date range the resident asked about; `key` says how it was phrased."""

    first: date
    last: date
    key: DayKey

    @property
    def single(self) -> date | None:
        return self.first if self.first == self.last else None


_WEEKDAYS = weekdays.FULL
_EN_WEEKDAYS = {
    name: i
    for i, name in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
}
# Unambiguous abbreviations only: "ma" (mum) and "zo" (so/soon) are everyday words.
_WEEKDAY_ABBR = {
    **{a: i for i, a in enumerate(weekdays.ABBREVIATIONS) if a not in ("ma", "zo")},
    "woe": weekdays.FULL["woensdag"],
}
_PART_WORDS: dict[str, PartOfDay] = {
    "ochtend": "ochtend",
    "ochtends": "ochtend",
    "morgens": "ochtend",  # "'s morgens"; plain "morgen" means tomorrow
    "smorgens": "ochtend",
    "sochtends": "ochtend",
    "voormiddag": "ochtend",
    "middag": "middag",
    "middags": "middag",
    "smiddags": "middag",
    "namiddag": "middag",
    "avond": "avond",
    "avonds": "avond",
    "savonds": "avond",
    "morning": "ochtend",
    "afternoon": "middag",
    "evening": "avond",
}
_PART_SUFFIXES: dict[str, PartOfDay] = {
    "ochtend": "ochtend",
    "morgen": "ochtend",
    "vroeg": "ochtend",
    "middag": "middag",
    "avond": "avond",
}
# Day offset (+ optional part) for single words.
_DAY_WORDS: dict[str, tuple[int, PartOfDay | None]] = {
    "vandaag": (0, None),
    "vandag": (0, None),
    "vndaag": (0, None),
    "straks": (0, None),
    "vanochtend": (0, "ochtend"),
    "vanmorgen": (0, "ochtend"),
    "vanmiddag": (0, "middag"),
    "vanavond": (0, "avond"),
    "morgen": (1, None),
    "morgn": (1, None),
    "morge": (1, None),
    "overmorgen": (2, None),
    "today": (0, None),
    "tonight": (0, "avond"),
    "tomorrow": (1, None),
}
_MONTHS = MONTHS  # one list of month names for every parser
_NEXT_WORDS = frozenset({"volgende", "volgend", "komende", "komend", "aanstaande", "next"})
_THIS_WORDS = frozenset({"deze", "dit", "this"})
# "12-5", "12/5", "12-05-2026", "12/5/26"; and ISO "2026-05-12". Not "10.00" (a time).
_DMY_RE = re.compile(
    r"(?<![\d:.])(\d{1,2})[-/](\d{1,2})(?:[-/](\d{4}|\d{2}))?(?![\d:/-])(?!\s*(?:uur|u|h)\b)",
    re.IGNORECASE,
)
_ISO_RE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


# Holiday names as word sequences (normalised tokens) -> `holidays_nl.NAMED_DAYS` key.
_HOLIDAY_SEQS: dict[tuple[str, ...], str] = {}
for _key, _forms in {
    "nieuwjaarsdag": ["nieuwjaarsdag", "nieuwjaar", "new years day"],
    "goede_vrijdag": ["goede vrijdag", "goedevrijdag", "good friday"],
    "pasen": ["pasen", "paasdagen", "easter"],
    "eerste_paasdag": ["eerste paasdag", "1e paasdag", "paaszondag", "paas zondag", "paasdag"],
    "tweede_paasdag": ["tweede paasdag", "2e paasdag", "paasmaandag", "paas maandag"],
    "koningsdag": ["koningsdag", "koninginnedag", "kingsday", "kings day"],
    "bevrijdingsdag": ["bevrijdingsdag"],
    "hemelvaartsdag": ["hemelvaartsdag", "hemelvaart", "hemelvaartdag", "ascension day"],
    "pinksteren": ["pinksteren", "pinksterdagen", "pinkster"],
    "eerste_pinksterdag": [
        "eerste pinksterdag",
        "1e pinksterdag",
        "pinksterzondag",
        "pinkster zondag",
        "pinksterdag",
    ],
    "tweede_pinksterdag": [
        "tweede pinksterdag",
        "2e pinksterdag",
        "pinkstermaandag",
        "pinkster maandag",
    ],
    "kerst": ["kerst", "kerstmis", "kerstdagen", "christmas", "kerstfeest"],
    "eerste_kerstdag": ["eerste kerstdag", "1e kerstdag", "kerstdag", "christmas day"],
    "tweede_kerstdag": ["tweede kerstdag", "2e kerstdag", "boxing day"],
    "kerstavond": ["kerstavond", "christmas eve"],
    "oudejaarsdag": ["oudejaarsdag", "oudjaarsdag", "oudejaar", "oudjaar", "oudejaarsavond"],
}.items():
    for _form in _forms:
        _HOLIDAY_SEQS[tuple(_form.split())] = _key
_HOLIDAY_MAX = max(len(k) for k in _HOLIDAY_SEQS)


def _holidays(words: Sequence[str], today: date) -> tuple[list[tuple[date, date]], set[int]]:
    """Holiday names in `words`: their next dates (today counts) and the word positions used."""
    found: list[tuple[date, date]] = []
    used: set[int] = set()
    i = 0
    while i < len(words):
        for n in range(min(_HOLIDAY_MAX, len(words) - i), 0, -1):
            key = _HOLIDAY_SEQS.get(tuple(words[i : i + n]))
            if key is None:
                continue
            for year in (today.year, today.year + 1):
                span = named_day_dates(key, year)
                if span is not None and span[1] >= today:
                    found.append((max(span[0], today), span[1]))
                    break
            used.update(range(i, i + n))
            i += n - 1
            break
        i += 1
    return found, used


def _weekday_of(word: str) -> tuple[int, PartOfDay | None] | None:
    """'dinsdag', 'dinsdags', 'dinsdagmiddag', 'donderdg' -> (weekday, part)."""
    if word in _WEEKDAY_ABBR:
        return _WEEKDAY_ABBR[word], None
    if word in _EN_WEEKDAYS:
        return _EN_WEEKDAYS[word], None
    for name, wd in _WEEKDAYS.items():
        if word.startswith(name):
            rest = word[len(name) :]
            if rest in ("", "s"):
                return wd, None
            for suffix, part in _PART_SUFFIXES.items():
                if rest in (suffix, suffix + "s"):
                    return wd, part
    if len(word) >= 6 and word.endswith("g"):  # typo'd day names: "donderdg", "zatedag"
        for name, wd in _WEEKDAYS.items():
            if fuzzy_cost(word, name) is not None:
                return wd, None
    return None


def _day_word(word: str) -> tuple[int, PartOfDay | None] | None:
    if word in _DAY_WORDS:
        return _DAY_WORDS[word]
    if word.startswith("morgen") and word != "morgens":  # morgenochtend, morgenavond
        rest = word[len("morgen") :]
        if rest in _PART_SUFFIXES and rest != "morgen":
            return 1, _PART_SUFFIXES[rest]
    return None


def _next_weekday(today: date, weekday: int, *, strictly_after: bool = False) -> date:
    delta = (weekday - today.weekday()) % 7
    if delta == 0 and strictly_after:
        delta = 7
    return today + timedelta(days=delta)


def _make_date(today: date, day: int, month: int, year: int | None) -> date | None:
    try:
        if year is not None:
            return date(year if year >= 100 else 2000 + year, month, day)
        d = date(today.year, month, day)
        # A date without year that already passed means next year ("3 januari" in December).
        return d if d >= today - timedelta(days=1) else date(today.year + 1, month, day)
    except ValueError:
        return None


def _explicit_dates(text: str, tokens: Sequence[Token], today: date) -> list[date]:
    """Dates written out in the text, within `MAX_DATE_DISTANCE` of today (others ignored)."""
    found = _all_explicit_dates(text, tokens, today)
    return [d for d in found if abs(d - today) <= MAX_DATE_DISTANCE]


def _all_explicit_dates(text: str, tokens: Sequence[Token], today: date) -> list[date]:
    found: list[date] = []
    for m in _ISO_RE.finditer(text):
        d = _make_date(today, int(m[3]), int(m[2]), int(m[1]))
        if d:
            found.append(d)
    for m in _DMY_RE.finditer(_ISO_RE.sub(" ", text)):
        d = _make_date(today, int(m[1]), int(m[2]), int(m[3]) if m[3] else None)
        if d:
            found.append(d)
    words = [t.norm for t in tokens]
    for i, w in enumerate(words[:-1]):
        month = _MONTHS.get(words[i + 1])
        if w.isdigit() and len(w) <= 2 and month:
            year = None
            if i + 2 < len(words) and words[i + 2].isdigit() and len(words[i + 2]) == 4:
                year = int(words[i + 2])
            d = _make_date(today, int(w), month, year)
            if d:
                found.append(d)
    return found


@dataclass
class DayScan:
    """The day ranges and parts of the day a text mentions."""

    ranges: list[tuple[date, date, DayKey]] = field(default_factory=list)
    parts: set[PartOfDay] = field(default_factory=set)


def scan_days(text: str, tokens: Sequence[Token], today: date) -> DayScan:
    words = [t.norm for t in tokens]
    scan = DayScan()
    next_week = any(has_seq(words, w, "week") for w in ("volgende", "komende", "next"))
    next_monday = week_start(today) + timedelta(days=7)
    weekday_seen = False
    holidays, used = _holidays(words, today)
    for first, last in holidays:
        scan.ranges.append((first, last, "date" if first == last else "range"))
    for i, w in enumerate(words):
        if i in used:
            continue
        prev = words[i - 1] if i else ""
        if w in _PART_WORDS:
            scan.parts.add(_PART_WORDS[w])
            continue
        dw = _day_word(w)
        if dw is not None:
            if w == "morgen" and prev == "s":  # "'s morgen" (sloppy "'s morgens")
                scan.parts.add("ochtend")
                continue
            if prev == "tot" and w in ("morgen", "straks"):  # a goodbye, not a question
                continue
            d = today + timedelta(days=dw[0])
            key: DayKey = ("today", "tomorrow", "day_after_tomorrow")[dw[0]]
            scan.ranges.append((d, d, key))
            if dw[1]:
                scan.parts.add(dw[1])
            continue
        wd = _weekday_of(w)
        if wd is not None:
            weekday_seen = True
            if next_week:
                d = next_monday + timedelta(days=wd[0])
            else:
                d = _next_weekday(today, wd[0], strictly_after=prev in _NEXT_WORDS)
            scan.ranges.append((d, d, "weekday"))
            if wd[1]:
                scan.parts.add(wd[1])
            continue
        if w in ("weekend", "weekeinde"):
            # On Sunday "dit weekend" is today; "volgend weekend" during a weekend is the next.
            sat = today - timedelta(days=1) if today.weekday() == 6 else _next_weekday(today, 5)
            if prev in _NEXT_WORDS and today.weekday() >= 5:
                sat += timedelta(days=7)
            scan.ranges.append((max(sat, today), sat + timedelta(days=1), "weekend"))
        elif w == "week" and prev in _THIS_WORDS:
            scan.ranges.append((today, week_start(today) + timedelta(days=6), "this_week"))
    if next_week and not weekday_seen:
        scan.ranges.append((next_monday, next_monday + timedelta(days=6), "next_week"))
    for d in _explicit_dates(text, tokens, today):
        scan.ranges.append((d, d, "date"))
    return scan


def day_filter(scan: DayScan) -> DayFilter | None:
    if not scan.ranges:
        return None
    if len({(a, b) for a, b, _ in scan.ranges}) == 1:
        first, last, key = scan.ranges[0]
        return DayFilter(first, last, key)
    return DayFilter(min(a for a, _, _ in scan.ranges), max(b for _, b, _ in scan.ranges), "range")
