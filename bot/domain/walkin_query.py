"""Understand a resident's walk-in question in plain Dutch, and answer it with structured data.

"wanneer is de inloop in venray", "is er vandaag iets in Weert?", "inloop panningen morgen",
"spreekuur roermond", "/inloop Blerick", "is het nu open in tegelen".

`parse_walkin_query` extracts place (via `places`), day, "now", part of day and session kind;
`answer` turns that into occurrences for the handler to render. No user-facing strings here.

Decisions:

* Day words and dates: `bot.domain.walkin_days` (a date more than a year away is ignored).
* "now" (`now_requested`): "nu", "momenteel", "op dit/het moment", or "open"/"geopend" in a
  question without a time question ("wanneer", "hoe laat", "tijden") and without another day.
  A now-question implies the day filter "today" so the answer also lists later sessions today.
* Part of day is a hard filter (ochtend 06-12, middag 12-18, avond 18-24, by overlap).
  Compounds such as "inloopochtend" are names of sessions and only set the kind, not the part.
* Kind is no filter: inloop, spreekuur, "binnenlopen" and "langskomen" all find every kind of
  session (a resident does not know the difference, and "geen spreekuur ... dit is er wel" read
  as a contradiction). The asked kind names what is missing when nothing is found, and then
  the "eerstvolgende" is of that kind; when the municipality has none of it within the
  horizon, `kind_missing` says so and the next session of another kind is given.
* A weekday asked on that very day when its sessions are over ("dinsdag" on Tuesday at
  17:00) is answered for the same weekday next week, with today's sessions that are over in
  `over_today` and the asked day in `moved_from` ("Vandaag is het al voorbij. Volgende week
  dinsdag ..."), never "geen". A cancelled session still to come today keeps the day.
  "inloopspreekuur" (both words) sets no kind.
* A cancelled date inside the asked period is kept in the answer as `CancelledSession`, with
  the next date the same session takes place (a resident who knows "dinsdag De Kolk" must hear
  that it does not go on, not just see it missing).
* English works too: now, walk-in/drop-in, when/where/what time (and the day words).
* `personal_data`: the privacy checker (`bot.domain.privacy.check_free_text`) finds a phone
  number, e-mail, name after a title, address ... in the message. A bare postcode ("in de buurt
  van 5911 AB") is a place, not personal data. The handler then says that the bot cannot call
  back and keeps nothing (so does topic "callback").
* `topic` and `outside` come from `resident_talk`: what the message is about besides times,
  and a place outside the 14 municipalities (only when no region place is named).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.data import OutsidePlaceRef
from bot.domain.places import PlaceMatch, find_places
from bot.domain.privacy import FindingKind, check_free_text
from bot.domain.resident_talk import Topic, find_outside_place, has_seq, topic_of
from bot.domain.textmatch import tokenize
from bot.domain.walkin import (
    DayLabel,
    Occurrence,
    Schedule,
    ScheduleException,
    SessionKind,
    SessionRule,
    day_label,
    group_by_day,
    is_open_now,
    local_today,
    occurrences,
)
from bot.domain.walkin_days import (
    PART_WINDOWS,
    DayFilter,
    PartOfDay,
    day_filter,
    scan_days,
)

__all__ = [
    "PART_WINDOWS",
    "CancelledSession",
    "DayFilter",
    "DayGroup",
    "PartOfDay",
    "WalkinAnswer",
    "WalkinQuery",
    "answer",
    "parse_walkin_query",
]

MAX_TEXT = 1000  # a question is short; cap work on pasted essays


@dataclass(frozen=True)
class WalkinQuery:
    municipality: str | None  # canonical name, None if no place recognised
    village: str | None  # kern named by the resident ("Blerick"), if any
    place: PlaceMatch | None
    day: DayFilter | None  # None: no day mentioned -> upcoming sessions
    now_requested: bool
    part_of_day: PartOfDay | None
    kind: SessionKind | None
    # Why it looks like a walk-in question: subset of {"command", "kind", "visit", "open",
    # "question", "day", "now", "place", "help", "topic", "outside", "personal"}; lets the
    # handler be stricter than the bool if needed.
    signals: frozenset[str] = field(default_factory=frozenset)
    topic: Topic | None = None
    outside: OutsidePlaceRef | None = None  # a place outside the region, if no region place
    personal_data: bool = False  # a phone number, e-mail, name ... in the message

    @property
    def is_walkin_question(self) -> bool:
        """Anything in the text points at a walk-in question (`signals` says what)."""
        return bool(self.signals)


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
    # What the query asked (`_ASKED`), repeated so the handler renders from the answer alone.
    municipality: str | None
    village: str | None
    day: DayFilter | None
    part_of_day: PartOfDay | None
    now_requested: bool
    kind: SessionKind | None  # requested kind (no filter: it names what is missing)
    # What was found.
    needs_place: bool = False  # no municipality: handler offers the 14 municipalities as buttons
    groups: tuple[DayGroup, ...] = ()
    open_now: tuple[Occurrence, ...] = ()  # shown sessions running at `now`
    nothing_found: bool = False  # place known but the filters leave nothing
    next_occurrence: Occurrence | None = None  # only when nothing_found: the next one after now
    truncated: bool = False  # more occurrences than `limit`
    # A weekday asked on that day after its sessions: the answer is for a week later.
    moved_from: date | None = None  # the asked day (today) when the answer moved a week on
    over_today: tuple[Occurrence, ...] = ()  # that day's sessions already over (moved_from)
    kind_missing: bool = False  # no session of the asked kind ahead: next_occurrence is other

    @property
    def occurrences(self) -> tuple[Occurrence, ...]:
        return tuple(o for g in self.groups for o in g.occurrences)

    @property
    def cancelled(self) -> tuple[CancelledSession, ...]:
        return tuple(c for g in self.groups for c in g.cancelled)


# --------------------------------------------------------------------------- vocabulary

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


def _kind(words: Sequence[str]) -> SessionKind | None:
    spreekuur = any(w.startswith(("spreekuur", "spreekuren")) for w in words)
    inloop = any(w.startswith("inloop") for w in words) or any(
        has_seq(words, *seq) for seq in _EN_KIND_SEQS
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
    scan = scan_days(text, tokens, today)
    day = day_filter(scan)
    part: PartOfDay | None = next(iter(scan.parts)) if len(scan.parts) == 1 else None
    kind = _kind(words)

    explicit_now = (
        "nu" in wordset
        or "now" in wordset
        or "momenteel" in wordset
        or has_seq(words, "op", "dit", "moment")
        or has_seq(words, "op", "het", "moment")
    )
    asks_time = (
        bool(wordset & _TIME_QUESTION)
        or has_seq(words, "hoe", "laat")
        or has_seq(words, "what", "time")
    )
    other_day = day is not None and not (day.first == day.last == today)
    now_requested = (
        not other_day and not asks_time and (explicit_now or bool(wordset & {"open", "geopend"}))
    )
    if now_requested and day is None:
        day = DayFilter(today, today, "today")

    if kind or any(w.startswith(("inloop", "spreekuur", "spreekuren")) for w in words):
        signals.add("kind")
    if any(has_seq(words, *seq) for seq in _EN_KIND_SEQS) or wordset & {"walkin", "dropin"}:
        signals.add("kind")
    if (
        wordset & _VISIT_WORDS
        or has_seq(words, "binnen", "lopen")
        or has_seq(words, "langs", "komen")
        or has_seq(words, "come", "by")
    ):
        signals.add("visit")
    if wordset & _OPEN_WORDS:
        signals.add("open")
    if wordset & _QUESTION_WORDS or has_seq(words, "hoe", "laat"):
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
    # A bare postcode is a place to ask about; a plain name beside a place of the region may
    # be its venue's ("spreekuur bij Jan in Venlo"), as the walk-in list may name venues.
    personal = any(
        (f.kind != FindingKind.POSTCODE_HOUSE or text[f.end - 1].isdigit())
        and (f.kind != FindingKind.NAME or place is None)
        for f in check_free_text(text, today=today)
    )
    if personal:
        signals.add("personal")

    return WalkinQuery(
        municipality=place.municipality if place else None,
        village=village,
        place=place,
        day=day,
        now_requested=now_requested,
        part_of_day=part,
        kind=kind,
        signals=frozenset(signals),
        topic=topic,
        outside=outside,
        personal_data=personal,
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
        return WalkinAnswer(**_asked(query), needs_place=True)

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
    schedule = Schedule(rules, exceptions, muni)  # one index for the period and what comes next
    held = [o for _, day in schedule.days(first, last) for o in day]
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
        ahead = schedule.next_sessions(now, days=horizon_days)
    cancelled: dict[date, list[CancelledSession]] = {}
    for o in dropped:
        nxt = next((a for a in ahead if a.session_id == o.session_id and a.date > o.date), None)
        cancelled.setdefault(o.date, []).append(CancelledSession(o, nxt))
    over = tuple(o for o in held if o.end_utc <= now_utc and _in_part(o, query.part_of_day))
    if (
        over  # today's sessions of that weekday are over (none today: answered as any day)
        and not shown
        and not dropped
        and query.day is not None
        and query.day.key == "weekday"
        and query.day.single == today
    ):
        week_later = _add_days(today, 7)
        later = answer(
            rules,
            exceptions,
            replace(query, day=DayFilter(week_later, week_later, "weekday")),
            now,
            days=days,
            horizon_days=horizon_days,
            limit=limit,
        )
        return replace(later, moved_from=today, over_today=over, now_requested=False)
    next_occ: Occurrence | None = None
    kind_missing = False
    if not shown:
        of_kind = [o for o in ahead if query.kind is None or o.kind == query.kind]
        kind_missing = bool(ahead) and not of_kind
        pool = of_kind or ahead
        matching = [o for o in pool if _in_part(o, query.part_of_day)]
        next_occ = next(iter(matching or pool), None)

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
    return WalkinAnswer(
        **_asked(query),
        groups=groups,
        open_now=tuple(o for o in shown if is_open_now(o, now)),
        nothing_found=not shown,
        next_occurrence=next_occ,
        truncated=truncated,
        kind_missing=kind_missing,
    )


def _add_days(d: date, n: int) -> date:
    """d + n days, clamped to the calendar's end (a hand-made query may reach year 9999)."""
    try:
        return d + timedelta(days=max(n, 0))
    except OverflowError:
        return date.max


_ASKED = ("municipality", "village", "day", "part_of_day", "now_requested", "kind")


def _asked(query: WalkinQuery) -> dict[str, Any]:
    """The fields of the query an answer repeats (`WalkinAnswer`'s first fields)."""
    return {name: getattr(query, name) for name in _ASKED}
