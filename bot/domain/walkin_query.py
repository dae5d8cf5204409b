"""Understand a resident's walk-in question in plain Dutch, and answer it with structured data.

"wanneer is de inloop in venray", "is er vandaag iets in Weert?", "inloop panningen morgen",
"spreekuur roermond", "/inloop Blerick", "is het nu open in tegelen".

`parse_walkin_query` extracts place (via `places`), day, "now", part of day and session kind;
`answer` turns that into occurrences for the handler to render. No user-facing strings here.

Decisions:

* Day words: vandaag, morgen, overmorgen, vanochtend/vanmiddag/vanavond, morgenochtend etc.,
  weekday names (the next such day; today counts), "volgende/komende <dag>" (strictly after
  today), "volgende week [<dag>]", "deze week", "(dit) weekend", dates "12 mei", "12-5",
  "12/5/2026", "2026-05-12". Several day mentions ("morgen of overmorgen") give one range.
  A date more than a year from today ("31-12-9999", "1-1-1990") is ignored, as if not said.
  Abbreviations di/wo/do/vr/za are accepted, "ma" (mother) and "zo" (so/soon) are not.
* "now" (`now_requested`): "nu", "momenteel", "op dit/het moment", or "open"/"geopend" in a
  question without a time question ("wanneer", "hoe laat", "tijden") and without another day.
  A now-question implies the day filter "today" so the answer also lists later sessions today.
* Part of day is a hard filter (ochtend 06-12, middag 12-18, avond 18-24, by overlap).
  Compounds such as "inloopochtend" are names of sessions and only set the kind, not the part.
* Kind is no filter: inloop, spreekuur, "binnenlopen" and "langskomen" all find every kind of
  session (a resident does not know the difference, and "geen spreekuur ... dit is er wel" read
  as a contradiction). The asked kind only names what is missing when nothing is found.
  "inloopspreekuur" (both words) sets no kind.
* A cancelled date inside the asked period is kept in the answer as `CancelledSession`, with
  the next date the same session takes place (a resident who knows "dinsdag De Kolk" must hear
  that it does not go on, not just see it missing).
* English works too: today/tomorrow/tonight, weekday names, morning/afternoon/evening, next
  week, now, walk-in/drop-in, when/where/what time.
* `topic` and `outside` come from `resident_talk`: what the message is about besides times,
  and a place outside the 14 municipalities (only when no region place is named).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from bot.data import OutsidePlaceRef
from bot.domain import weekdays
from bot.domain.dates import MONTHS
from bot.domain.places import PlaceMatch, find_places
from bot.domain.resident_talk import Topic, find_outside_place, has_seq, topic_of
from bot.domain.textmatch import Token, fuzzy_cost, tokenize
from bot.domain.walkin import (
    DayLabel,
    Occurrence,
    ScheduleException,
    SessionKind,
    SessionRule,
    day_label,
    group_by_day,
    is_open_now,
    local_today,
    next_sessions,
    occurrences,
)

__all__ = [
    "PART_WINDOWS",
    "CancelledSession",
    "DayFilter",
    "DayGroup",
    "DayKey",
    "PartOfDay",
    "WalkinAnswer",
    "WalkinQuery",
    "answer",
    "parse_walkin_query",
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

MAX_TEXT = 1000  # a question is short; cap work on pasted essays
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


@dataclass(frozen=True)
class WalkinQuery:
    municipality: str | None  # canonical name, None if no place recognised
    village: str | None  # kern named by the resident ("Blerick"), if any
    place: PlaceMatch | None
    day: DayFilter | None  # None: no day mentioned -> upcoming sessions
    now_requested: bool
    part_of_day: PartOfDay | None
    kind: SessionKind | None
    is_walkin_question: bool
    # Why it looks like a walk-in question: subset of {"command", "kind", "visit", "open",
    # "question", "day", "now", "place"}; lets the handler be stricter than the bool if needed.
    signals: frozenset[str] = field(default_factory=frozenset)
    topic: Topic | None = None
    outside: OutsidePlaceRef | None = None  # a place outside the region, if no region place


@dataclass(frozen=True)
class CancelledSession:
    """A session that does not take place on its usual date; `next` is its next date."""

    occurrence: Occurrence
    next: Occurrence | None


@dataclass(frozen=True)
class DayGroup:
    date: date
    label: DayLabel  # "today" | "tomorrow" | "this_week" | "next_week" | "later"
    occurrences: tuple[Occurrence, ...]
    cancelled: tuple[CancelledSession, ...] = ()


@dataclass(frozen=True)
class WalkinAnswer:
    municipality: str | None
    village: str | None
    needs_place: bool  # no municipality: handler offers the 14 municipalities as buttons
    groups: tuple[DayGroup, ...]
    open_now: tuple[Occurrence, ...]  # shown sessions running at `now`
    nothing_found: bool  # place known but the filters leave nothing
    next_occurrence: Occurrence | None  # only when nothing_found: the next one after now
    day: DayFilter | None
    part_of_day: PartOfDay | None
    now_requested: bool
    kind: SessionKind | None  # requested kind (no filter: it names what is missing)
    truncated: bool = False  # more occurrences than `limit`

    @property
    def occurrences(self) -> tuple[Occurrence, ...]:
        return tuple(o for g in self.groups for o in g.occurrences)

    @property
    def cancelled(self) -> tuple[CancelledSession, ...]:
        return tuple(c for g in self.groups for c in g.cancelled)


# --------------------------------------------------------------------------- vocabulary

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
_VISIT_WORDS = frozenset(
    {
        "binnenlopen",
        "binnenloop",
        "binnenstappen",
        "binnenwandelen",
        "langskomen",
        "langskom",
        "langsgaan",
        "langsga",
        "langs",
        "aanlopen",
        "aanschuiven",
        "inlopen",
        "inloophuis",
        "visit",
    }
)
_QUESTION_WORDS = frozenset({"wanneer", "waar", "waneer", "wanner", "hoelaat", "when", "where"})
_TIME_QUESTION = frozenset(
    {"wanneer", "waneer", "wanner", "hoelaat", "tijden", "openingstijden", "when", "times"}
)
_EN_KIND_SEQS = (("walk", "in"), ("drop", "in"))
_OPEN_WORDS = frozenset({"open", "geopend", "openingstijden"})
_COMMAND_RE = re.compile(r"^\s*/(?P<cmd>[A-Za-z_]+)(?:@\w+)?", re.ASCII)
_WALKIN_COMMANDS = frozenset({"inloop", "spreekuur", "open", "wanneer"})
# "12-5", "12/5", "12-05-2026", "12/5/26"; and ISO "2026-05-12". Not "10.00" (a time).
_DMY_RE = re.compile(
    r"(?<![\d:.])(\d{1,2})[-/](\d{1,2})(?:[-/](\d{4}|\d{2}))?(?![\d:/-])(?!\s*(?:uur|u|h)\b)",
    re.IGNORECASE,
)
_ISO_RE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


# --------------------------------------------------------------------------- parsing helpers


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


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


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


_has_seq = has_seq


@dataclass
class _DayScan:
    ranges: list[tuple[date, date, DayKey]] = field(default_factory=list)
    parts: set[PartOfDay] = field(default_factory=set)


def _scan_days(text: str, tokens: Sequence[Token], today: date) -> _DayScan:
    words = [t.norm for t in tokens]
    scan = _DayScan()
    next_week = any(_has_seq(words, w, "week") for w in ("volgende", "komende", "next"))
    next_monday = _monday(today) + timedelta(days=7)
    weekday_seen = False
    for i, w in enumerate(words):
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
            scan.ranges.append((today, _monday(today) + timedelta(days=6), "this_week"))
    if next_week and not weekday_seen:
        scan.ranges.append((next_monday, next_monday + timedelta(days=6), "next_week"))
    for d in _explicit_dates(text, tokens, today):
        scan.ranges.append((d, d, "date"))
    return scan


def _day_filter(scan: _DayScan) -> DayFilter | None:
    if not scan.ranges:
        return None
    if len({(a, b) for a, b, _ in scan.ranges}) == 1:
        first, last, key = scan.ranges[0]
        return DayFilter(first, last, key)
    return DayFilter(min(a for a, _, _ in scan.ranges), max(b for _, b, _ in scan.ranges), "range")


def _kind(words: Sequence[str]) -> SessionKind | None:
    spreekuur = any(w.startswith(("spreekuur", "spreekuren")) for w in words)
    inloop = any(w.startswith("inloop") for w in words) or any(
        _has_seq(words, *seq) for seq in _EN_KIND_SEQS
    )
    if any("inloop" in w and "spreekuur" in w for w in words) or (spreekuur and inloop):
        return None
    if spreekuur:
        return "spreekuur"
    if inloop:
        return "inloop"
    return None


def _place(text: str) -> tuple[PlaceMatch | None, str | None]:
    """Best place mention, plus a village in the same municipality ("Venlo-Blerick")."""
    matches = find_places(text)
    if not matches:
        return None, None
    best = next((m for m in matches if m.exact), matches[0])
    village = best.village or next(
        (m.village for m in matches if m.village and m.municipality == best.municipality), None
    )
    return best, village


# --------------------------------------------------------------------------- public API


def parse_walkin_query(text: str, now: datetime) -> WalkinQuery:
    """Read a resident's message. Never raises on odd text; `now` must be timezone-aware."""
    today = local_today(now)
    text = (text or "")[:MAX_TEXT]
    signals: set[str] = set()
    m = _COMMAND_RE.match(text)
    if m:
        if m["cmd"].lower() in _WALKIN_COMMANDS:
            signals.add("command")
        text = text[m.end() :]
    tokens = tokenize(text)
    words = [t.norm for t in tokens]
    wordset = set(words)

    place, village = _place(text)
    scan = _scan_days(text, tokens, today)
    day = _day_filter(scan)
    part: PartOfDay | None = next(iter(scan.parts)) if len(scan.parts) == 1 else None
    kind = _kind(words)

    explicit_now = (
        "nu" in wordset
        or "now" in wordset
        or "momenteel" in wordset
        or _has_seq(words, "op", "dit", "moment")
        or _has_seq(words, "op", "het", "moment")
    )
    asks_time = (
        bool(wordset & _TIME_QUESTION)
        or _has_seq(words, "hoe", "laat")
        or _has_seq(words, "what", "time")
    )
    other_day = day is not None and not (day.first == day.last == today)
    now_requested = (
        not other_day and not asks_time and (explicit_now or bool(wordset & {"open", "geopend"}))
    )
    if now_requested and day is None:
        day = DayFilter(today, today, "today")

    if kind or any(w.startswith(("inloop", "spreekuur", "spreekuren")) for w in words):
        signals.add("kind")
    if any(_has_seq(words, *seq) for seq in _EN_KIND_SEQS) or wordset & {"walkin", "dropin"}:
        signals.add("kind")
    if (
        wordset & _VISIT_WORDS
        or _has_seq(words, "binnen", "lopen")
        or _has_seq(words, "langs", "komen")
        or _has_seq(words, "come", "by")
    ):
        signals.add("visit")
    if wordset & _OPEN_WORDS:
        signals.add("open")
    if wordset & _QUESTION_WORDS or _has_seq(words, "hoe", "laat"):
        signals.add("question")
    if day is not None or scan.parts:
        signals.add("day")
    if now_requested or explicit_now:
        signals.add("now")
    if place is not None:
        signals.add("place")
    topic = topic_of(text)
    if topic is not None:
        signals.add("help" if topic == "help" else "topic")
    outside = find_outside_place(text) if place is None else None
    if outside is not None:
        signals.add("outside")

    return WalkinQuery(
        municipality=place.municipality if place else None,
        village=village,
        place=place,
        day=day,
        now_requested=now_requested,
        part_of_day=part,
        kind=kind,
        is_walkin_question=bool(signals),
        signals=frozenset(signals),
        topic=topic,
        outside=outside,
    )


def _in_part(o: Occurrence, part: PartOfDay | None) -> bool:
    if part is None:
        return True
    lo, hi = PART_WINDOWS[part]
    return (hi is None or o.start_local.time() < hi) and o.end_local.time() > lo


def _cancelled(
    rules: Sequence[SessionRule],
    exceptions: Sequence[ScheduleException],
    first: date,
    last: date,
    municipality: str,
    held: Sequence[Occurrence],
) -> list[Occurrence]:
    """Rule-based sessions in [first, last] that a cancellation took out: the schedule without
    its cancellations, minus what takes place (holidays drop out of both alike)."""
    if not any(e.kind == "cancelled" for e in exceptions):
        return []
    extras_only = [e for e in exceptions if e.kind == "extra"]
    taking_place = {(o.session_id, o.date) for o in held if not o.is_extra}
    return [
        o
        for o in occurrences(rules, extras_only, first, last, municipality=municipality)
        if not o.is_extra and (o.session_id, o.date) not in taking_place
    ]


def answer(
    rules: Iterable[SessionRule],
    exceptions: Iterable[ScheduleException],
    query: WalkinQuery,
    now: datetime,
    *,
    days: int = 14,
    horizon_days: int = 90,
    limit: int | None = None,
) -> WalkinAnswer:
    """Sessions for the query's municipality, filtered by day and part of day (every kind).

    Without a day filter: the next `days` days. A day filter is cut off after `horizon_days`
    days from its (not past) first day, so a long range never makes us compute more than that;
    the answer's `day` then ends at the cut. Sessions already over are left out, sessions
    running now are kept (and listed in `open_now`). Cancelled dates in the period are kept
    apart, each with the session's next date. When nothing takes place, `next_occurrence` is
    the first upcoming session within `horizon_days` in the asked part of the day, else simply
    the first upcoming one.
    """
    rules, exceptions = list(rules), list(exceptions)
    if query.municipality is None:
        return _answer(query, needs_place=True)

    muni = query.municipality
    today = local_today(now)
    now_utc = now.astimezone(UTC)
    if query.day is not None:
        first, last = max(query.day.first, today), query.day.last
        cap = _add_days(first, horizon_days - 1)
        if last > cap:
            last = cap
            query = replace(query, day=DayFilter(query.day.first, cap, query.day.key))
    else:
        first, last = today, _add_days(today, days - 1)
    held = occurrences(rules, exceptions, first, last, municipality=query.municipality)
    shown = [o for o in held if o.end_utc > now_utc and _in_part(o, query.part_of_day)]
    dropped = [
        o
        for o in _cancelled(rules, exceptions, first, last, muni, held)
        if o.end_utc > now_utc and _in_part(o, query.part_of_day)
    ]
    truncated = limit is not None and len(shown) > limit
    if limit is not None:
        shown = shown[:limit]

    ahead: list[Occurrence] = []
    if dropped or not shown:
        ahead = next_sessions(
            rules, exceptions, now, municipality=query.municipality, days=horizon_days
        )
    cancelled: dict[date, list[CancelledSession]] = {}
    for o in dropped:
        nxt = next((a for a in ahead if a.session_id == o.session_id and a.date > o.date), None)
        cancelled.setdefault(o.date, []).append(CancelledSession(o, nxt))
    next_occ: Occurrence | None = None
    if not shown:
        matching = [o for o in ahead if _in_part(o, query.part_of_day)]
        next_occ = next(iter(matching or ahead), None)

    by_day = {d: (lbl, occs) for d, lbl, occs in group_by_day(shown, today)}
    groups = tuple(
        DayGroup(
            d,
            by_day[d][0] if d in by_day else day_label(d, today),
            tuple(by_day[d][1]) if d in by_day else (),
            tuple(cancelled.get(d, ())),
        )
        for d in sorted(set(by_day) | set(cancelled))
    )
    return _answer(
        query,
        groups=groups,
        open_now=tuple(o for o in shown if is_open_now(o, now)),
        nothing_found=not shown,
        next_occurrence=next_occ,
        truncated=truncated,
    )


def _add_days(d: date, n: int) -> date:
    """d + n days, clamped to the calendar's end (a hand-made query may reach year 9999)."""
    try:
        return d + timedelta(days=max(n, 0))
    except OverflowError:
        return date.max


def _answer(
    query: WalkinQuery,
    *,
    needs_place: bool = False,
    groups: tuple[DayGroup, ...] = (),
    open_now: tuple[Occurrence, ...] = (),
    nothing_found: bool = False,
    next_occurrence: Occurrence | None = None,
    truncated: bool = False,
) -> WalkinAnswer:
    return WalkinAnswer(
        municipality=query.municipality,
        village=query.village,
        needs_place=needs_place,
        groups=groups,
        open_now=open_now,
        nothing_found=nothing_found,
        next_occurrence=next_occurrence,
        day=query.day,
        part_of_day=query.part_of_day,
        now_requested=query.now_requested,
        kind=query.kind,
        truncated=truncated,
    )
