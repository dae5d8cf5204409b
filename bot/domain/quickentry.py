"""One-line contact entry: "45 min inloop Blerick armoede, eenzaamheid 2 nieuw".

Words may come in any order and any case, with typos within reason. The parser extracts, in
this order (each step claims its words so later steps do not reuse them):

1. duration (``durations.find_duration``), then date (``dates.find_date``, default today);
2. resident counts: "2 nieuw", "3 bekend", "2 nieuw 1 bekend", "groep van 8", "8 bewoners";
3. a deelopdracht by its code ("wij-venlo"; before the place, whose name it may hold);
   place (``places.find_places``; an ambiguous village name such as "Echt" counts here when it
   is capitalised, because a one-line entry is a list of keywords, not a sentence);
4. vindplek: a known vindplek name occurring in the line;
5. vocabulary aliases (exact, then typo-tolerant): activity type, themes, referral, reach.
   Words that belong to several kinds are read as the first of activity type, theme,
   referral, reach channel, so "inloop" is the activity type *inloop*, never the reach
   channel, unless a context word says otherwise: "naar"/"doorverwezen naar" before a word
   makes it a referral ("naar ggz"), "via"/"door" makes it a reach channel ("via inloop");
6. leftovers: a vindplek matched from the remaining words, else ``unknown_words``.

Problems are returned as codes; the handler turns them into questions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Literal

from bot.data import VocabEntry
from bot.data import vocabulary as default_vocabulary
from bot.domain.dates import (
    DateError,
    DateErrorCode,
    find_date,
    find_impossible_date,
    validate_work_date,
)
from bot.domain.durations import DurationError, DurationErrorCode, find_duration, validate_minutes
from bot.domain.places import AMBIGUOUS_NAMES, find_places, match_from_candidates
from bot.domain.privacy import FindingKind, check_free_text
from bot.domain.textmatch import NUMBER_WORDS, Token, edit_distance, normalize, tokenize
from bot.domain.vocabmatch import VocabAlias, alias_table, token_cost

__all__ = ["Question", "QuickEntry", "QuickEntryProblem", "looks_like_work", "parse_quick_entry"]


class QuickEntryProblem(StrEnum):
    NO_DURATION = "no_duration"
    DURATION_ZERO = "duration_zero"
    DURATION_TOO_LONG = "duration_too_long"
    DATE_FUTURE = "date_future"
    DATE_TOO_OLD = "date_too_old"
    DATE_INVALID = "date_invalid"  # "31-2": no such day; never replaced by today
    NO_MUNICIPALITY = "no_municipality"
    SEVERAL_MUNICIPALITIES = "several_municipalities"
    NO_ACTIVITY_TYPE = "no_activity_type"
    SEVERAL_ACTIVITY_TYPES = "several_activity_types"
    COUNTS_CONFLICT = "counts_conflict"  # "groep van 3, 5 nieuw": more new/known than people
    COUNT_TOO_HIGH = "count_too_high"  # "99999 nieuw": more residents than MAX_COUNT


QuestionKind = Literal["minutes", "count", "word"]


@dataclass(frozen=True)
class Question:
    """A part of the line that is neither used nor ignorable: the reply asks about it.

    minutes: "Is 45 de duur in minuten?"; count: "Is 3 het aantal inwoners?" (``value`` is the
    number); word: "Wat bedoel je met 'huisbzk'?" with ``options`` (kind, code) to choose from.
    """

    kind: QuestionKind
    raw: str
    value: int | None = None
    options: tuple[tuple[str, str], ...] = ()


@dataclass
class QuickEntry:
    minutes: int | None = None  # None: missing or unusable (see problems)
    work_date: date | None = None  # today unless given; None if the given date is unusable
    municipality: str | None = None
    place: str | None = None  # canonical place name that matched (village or municipality)
    village: str | None = None
    vindplek: str | None = None  # one of the given vindplek names
    activity_type: str | None = None  # vocabulary code
    themes: list[str] = field(default_factory=list)  # vocabulary codes, in order typed
    residents_count: int = 1
    residents_new: int | None = None  # None: not said
    reach_channel: str | None = None
    referral: str | None = None  # the first of ``referrals``
    referrals: list[str] = field(default_factory=list)  # vocabulary codes, in order typed
    deelopdracht: str | None = None  # the code of a deelopdracht named in the line
    # Kinds of identifiers (bot.domain.privacy: phone, e-mail, a title and name …) found in
    # the line. Their words are left out: never used, never asked about, never kept.
    private: list[str] = field(default_factory=list)
    unknown_words: list[str] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    problems: list[QuickEntryProblem] = field(default_factory=list)


# Vocabulary kinds used here, in the order that decides words belonging to several kinds.
_KIND_ORDER = ("activity_types", "themes", "referral_targets", "reach_channels")
_REFERRAL_MARKERS = frozenset({"naar", "verwezen", "doorverwezen", "toegeleid", "overgedragen"})
_REACH_MARKERS = frozenset({"via", "door"})
_PLACE_PREPOSITIONS = frozenset({"in", "te", "uit", "naar", "bij", "rond"})
_ARTICLES = frozenset({"de", "het", "een", "t"})
# Words that carry no information in a one-line entry and are never "unknown".
_FILLER = frozenset(
    """
    en de het een met in te op bij van naar voor over om uit via door aan of ook nog totaal
    ongeveer ca circa t gehad gesproken gedaan geweest gewerkt contact met mw bewoner bewoners
    inwoner inwoners mensen personen deelnemers verwezen doorverwezen toegeleid overgedragen
    warme overdracht gedronken gepraat gewandeld bezocht gezeten geholpen ondersteund begeleid
    samen gebracht langs geweest thuis meneer mevrouw man vrouw jongen meisje
    """.split()
)

_NUMBER_WORDS = NUMBER_WORDS
MAX_COUNT = 500  # residents in one contact (as contact_draft.MAX_RESIDENTS)
# Up to 7 digits ("1.000" too): a count above MAX_COUNT is refused by name, never dropped.
_NUM = r"(?P<n>[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]{1,7}|" + "|".join(_NUMBER_WORDS) + r")"
_PEOPLE = r"(?:bewoners?|inwoners?|mensen|personen|pers\.?|deelnemers)"
_COUNT_RES = (
    # "2 nieuw", "2 nieuwe bewoners", "3 bekend", "1 bekende"
    re.compile(
        rf"(?<![\w,.]){_NUM}[ ]{{0,3}}(?P<kind>nieuwe?|bekende?)(?:[ ]{{1,3}}{_PEOPLE})?(?!\w)",
        re.IGNORECASE,
    ),
    # "groep van 8", "groep 8"
    re.compile(rf"(?<!\w)(?P<group>groep)(?:[ ]{{1,3}}van)?[ ]{{1,3}}{_NUM}(?!\w)", re.IGNORECASE),
    # "8 bewoners", "8 mensen"
    re.compile(rf"(?<![\w,.]){_NUM}[ ]{{0,3}}{_PEOPLE}(?!\w)", re.IGNORECASE),
    # bare "nieuw" / "bekend": one resident
    re.compile(r"(?<!\w)(?P<kind>nieuwe?|bekende?)(?!\w)", re.IGNORECASE),
)


class _Line:
    """Tokens of the entry with the step that claimed each one."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[Token] = tokenize(text)
        self.claimed: list[str | None] = [None] * len(self.tokens)

    def claim_span(self, start: int, end: int, by: str) -> None:
        for i, t in enumerate(self.tokens):
            if t.start < end and t.end > start:
                self.claimed[i] = by

    def span_free(self, start: int, end: int, allow: frozenset[str] = frozenset()) -> bool:
        return all(
            self.claimed[i] is None or self.claimed[i] in allow
            for i, t in enumerate(self.tokens)
            if t.start < end and t.end > start
        )

    def free(self, i: int) -> bool:
        return self.claimed[i] is None

    def prev_word(self, i: int) -> str | None:
        """The closest earlier token that is not an article ("naar de huisarts")."""
        for j in range(i - 1, -1, -1):
            if self.tokens[j].norm not in _ARTICLES:
                return self.tokens[j].norm
        return None


def _count_value(raw: str) -> int:
    raw = raw.lower()
    return _NUMBER_WORDS[raw] if raw in _NUMBER_WORDS else int(raw.replace(".", ""))


def _parse_counts(line: _Line, entry: QuickEntry) -> bool:
    """Fill residents_count/new; returns True when "groep" was used as a count word."""
    new = known = 0
    people = 0
    said_new = said_known = False
    group_word = False
    for regex in _COUNT_RES:
        for m in regex.finditer(line.text):
            if not line.span_free(m.start(), m.end()):
                continue
            g = m.groupdict()
            n = _count_value(g["n"]) if g.get("n") else 1
            kind = (g.get("kind") or "").lower()
            if kind.startswith("nieuw"):
                new += n
                said_new = True
            elif kind.startswith("bekend"):
                known += n
                said_known = True
            else:
                people = max(people, n)
                group_word = group_word or bool(g.get("group"))
            line.claim_span(m.start(), m.end(), "count")
    if said_new or said_known:
        # "groep van 8, 2 nieuw": 8 residents of whom 2 new.
        entry.residents_count = max(new + known, people)
        entry.residents_new = new
        if people and new + known > people:
            entry.problems.append(QuickEntryProblem.COUNTS_CONFLICT)
    elif people:
        entry.residents_count = people
    if entry.residents_count > MAX_COUNT:
        # Never silently another number: the dialogue asks for it, naming the limit.
        entry.residents_count, entry.residents_new = 1, None
        if QuickEntryProblem.COUNTS_CONFLICT not in entry.problems:
            entry.problems.append(QuickEntryProblem.COUNT_TOO_HIGH)
    return group_word


def _parse_deelopdracht(line: _Line, entry: QuickEntry, codes: Sequence[str]) -> None:
    """A deelopdracht named by its code ("wij-venlo", "WIJ Venlo"): every word of the code in
    a row, at most one typo in the whole code, and a one-word code only exactly."""
    best: tuple[int, int, int, str] | None = None  # (cost, start, length, code)
    for code in codes:
        want = normalize(code).split()
        k = len(want)
        if not want or (k == 1 and len(want[0]) < 3):
            continue
        for i in range(len(line.tokens) - k + 1):
            if not all(line.free(i + j) for j in range(k)):
                continue
            costs = [token_cost(line.tokens[i + j].norm, w) for j, w in enumerate(want)]
            if any(c is None for c in costs):
                continue
            cost = sum(c for c in costs if c is not None)
            if cost > (0 if k == 1 else 1):
                continue
            if best is None or (cost, -k) < (best[0], -best[2]):
                best = (cost, i, k, code)
    if best is None:
        return
    _cost, start, k, code = best
    entry.deelopdracht = code
    for j in range(start, start + k):
        line.claimed[j] = "deelopdracht"


def _parse_place(line: _Line, entry: QuickEntry) -> None:
    found = [m for m in find_places(line.text) if line.span_free(m.start, m.end)]
    if not found:
        # A keyword line is no sentence: an ambiguous village name is a place when it is
        # capitalised ("inloop Echt") or follows a place preposition ("in echt schulden").
        for i, t in enumerate(line.tokens):
            raw = line.text[t.start : t.end]
            marked = raw[:1].isupper() or line.tokens[i - 1].norm in _PLACE_PREPOSITIONS
            if i > 0 and line.free(i) and t.norm in AMBIGUOUS_NAMES and marked:
                found = find_places(raw)  # the word alone: ambiguous names count
                if found:
                    found = [replace(found[0], start=t.start, end=t.end)]
                    break
        if not found:
            return
    exact = [m for m in found if m.exact] or found
    first = exact[0]
    entry.municipality, entry.place, entry.village = (
        first.municipality,
        first.matched,
        first.village,
    )
    if len({m.municipality for m in found}) > 1:
        entry.problems.append(QuickEntryProblem.SEVERAL_MUNICIPALITIES)
    for m in found:
        line.claim_span(m.start, m.end, "place")


def _locate(line: _Line, name: str) -> tuple[int, int] | None:
    """Token index range where vindplek ``name`` occurs (exact or with typos)."""
    want = normalize(name).split()
    k = len(want)
    for i in range(len(line.tokens) - k + 1):
        if all(
            line.claimed[i + j] in (None, "place")
            and token_cost(line.tokens[i + j].norm, w) is not None
            for j, w in enumerate(want)
        ):
            return i, i + k
    return None


def _parse_vindplek_in_line(line: _Line, entry: QuickEntry, vindplekken: Sequence[str]) -> None:
    if not vindplekken:
        return
    usable = " ".join(
        t.norm for i, t in enumerate(line.tokens) if line.claimed[i] in (None, "place")
    )
    name = match_from_candidates(usable, vindplekken)
    if name is None:
        return
    where = _locate(line, name)
    if where is None:
        return  # matched on words spread over the line: leave for the leftover step
    entry.vindplek = name
    for i in range(*where):
        line.claimed[i] = "vindplek"


def _best_alias_at(
    line: _Line, i: int, aliases: Sequence[VocabAlias]
) -> tuple[VocabAlias, int] | None:
    prev = line.prev_word(i)
    best: tuple[tuple[int, int, int, int], VocabAlias, int] | None = None
    for a in aliases:
        k = len(a.tokens)
        if i + k > len(line.tokens) or not all(line.free(i + j) for j in range(k)):
            continue
        cost = 0
        for j, w in enumerate(a.tokens):
            c = token_cost(line.tokens[i + j].norm, w)
            if c is None:
                break
            cost += c
        else:
            # Context words pick the kind for shared words; otherwise the fixed kind order.
            if prev in _REFERRAL_MARKERS:
                kind_pref = 0 if a.kind == "referral_targets" else 1
            elif prev in _REACH_MARKERS:
                kind_pref = 0 if a.kind == "reach_channels" else 1
            else:
                kind_pref = 0
            key = (k, -cost, -kind_pref, -a.kind_rank)
            if best is None or key > best[0]:
                best = (key, a, k)
    return (best[1], best[2]) if best else None


def _parse_vocabulary(line: _Line, entry: QuickEntry, aliases: Sequence[VocabAlias]) -> None:
    activities: list[str] = []
    referrals: list[str] = []
    professional = any(a.kind == "reach_channels" and a.code == "professional" for a in aliases)
    for i, tok in enumerate(line.tokens):
        if not line.free(i):
            continue
        nxt = line.tokens[i + 1].norm if i + 1 < len(line.tokens) else None
        if tok.norm in ("doorverwezen", "verwezen") and nxt in ("naar", "door", "via"):
            line.claimed[i] = "marker"  # the next words say where to / by whom
            continue
        found = _best_alias_at(line, i, aliases)
        if line.prev_word(i) == "door" and (found is None or found[0].kind != "reach_channels"):
            # "doorverwezen door de huisarts": whoever referred, the reach is "professional".
            if tok.norm not in _FILLER and professional:
                entry.reach_channel = entry.reach_channel or "professional"
                for j in range(i, i + (found[1] if found else 1)):
                    line.claimed[j] = "reach"
            continue
        if found is None:
            continue
        alias, k = found
        for j in range(i, i + k):
            line.claimed[j] = alias.kind
        if alias.kind == "activity_types":
            if alias.code not in activities:
                activities.append(alias.code)
        elif alias.kind == "themes":
            if alias.code not in entry.themes:
                entry.themes.append(alias.code)
        elif alias.kind == "referral_targets":
            if alias.code not in referrals:
                referrals.append(alias.code)
        elif entry.reach_channel is None:
            entry.reach_channel = alias.code
    if activities:
        entry.activity_type = activities[0]
        if len(activities) > 1:
            entry.problems.append(QuickEntryProblem.SEVERAL_ACTIVITY_TYPES)
    if referrals:
        entry.referral = referrals[0]
        entry.referrals = referrals


def _leftovers(
    line: _Line, entry: QuickEntry, vindplekken: Sequence[str], aliases: Sequence[VocabAlias]
) -> None:
    runs: list[list[int]] = []
    for i in range(len(line.tokens)):
        if line.free(i) and line.tokens[i].norm not in _FILLER:
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
    if entry.vindplek is None and vindplekken:
        for run in runs:
            text = " ".join(line.tokens[i].norm for i in run)
            name = match_from_candidates(text, vindplekken)
            if name is not None:
                entry.vindplek = name
                for i in run:
                    line.claimed[i] = "vindplek"
                break
    for run in runs:
        for i in run:
            if line.free(i):
                _ask_about(line, entry, i, aliases)
    entry.unknown_words = [q.raw for q in entry.questions if q.kind == "word"]


# What a number left over in the line most likely is, by the word before it.
_COUNT_CONTEXT = frozenset(
    {"place", "vindplek", "themes", "activity_types", "referral_targets", "deelopdracht"}
)
MAX_SUGGESTIONS = 3


def _number(norm: str) -> int | None:
    if norm.isdigit() and len(norm) <= 4:
        return int(norm)
    return _NUMBER_WORDS.get(norm) if norm != "een" else None


def _suggestions(word: str, aliases: Sequence[VocabAlias]) -> tuple[tuple[str, str], ...]:
    """Entries a word not understood may have meant: the closest spellings, at most 3 typos."""
    scored: dict[tuple[str, str], int] = {}
    for a in aliases:
        if len(a.tokens) != 1 or len(a.tokens[0]) < 4:
            continue
        cost = edit_distance(word, a.tokens[0], 3)
        if cost <= 3 and cost < scored.get((a.kind, a.code), 99):
            scored[(a.kind, a.code)] = cost
    ranked = sorted(scored, key=lambda k: scored[k])
    return tuple(ranked[:MAX_SUGGESTIONS])


def _ask_about(line: _Line, entry: QuickEntry, i: int, aliases: Sequence[VocabAlias]) -> None:
    """A word no step used: read a lone number as the count when the words around it say so,
    else ask about it (never drop it silently)."""
    tok = line.tokens[i]
    raw = line.text[tok.start : tok.end]
    line.claimed[i] = "asked"
    n = _number(tok.norm)
    if n is None:
        entry.questions.append(Question("word", raw, None, _suggestions(tok.norm, aliases)))
        return
    counted = "count" in line.claimed
    before = next(
        (line.claimed[j] for j in range(i - 1, -1, -1) if line.tokens[j].norm not in _FILLER),
        None,
    )
    if entry.minutes is None and QuickEntryProblem.NO_DURATION in entry.problems and n >= 5:
        entry.questions.append(Question("minutes", raw, n))
    elif not counted and 1 <= n <= MAX_COUNT and before in _COUNT_CONTEXT:
        entry.residents_count = n  # "2 uur venlo schulden 3": nothing else fits
        line.claimed[i] = "count"
    elif not counted and 1 <= n <= MAX_COUNT:
        entry.questions.append(Question("count", raw, n))
    else:
        entry.questions.append(Question("word", raw))


def _from_vindplek_name(entry: QuickEntry, vindplek: str, aliases: Sequence[VocabAlias]) -> None:
    """Fill gaps from the vindplek's own name: "Voedselbank Blerick" is in Venlo,
    "Inloop De Schakel" is an inloop."""
    if entry.municipality is None:
        named = find_places(vindplek)
        if named:
            m = named[0]
            entry.municipality, entry.place, entry.village = m.municipality, m.matched, m.village
    if entry.activity_type is None:
        words = normalize(vindplek).split()
        for a in aliases:
            if a.kind == "activity_types" and len(a.tokens) == 1 and a.tokens[0] in words:
                entry.activity_type = a.code
                break


# Identifiers blanked out before parsing: their digits and words mean nothing to a contact
# (a phone number is no count or date, "mevrouw Jansen" no vocabulary). A plain name (which may
# also be a place or a word of the lists) only takes words that no other step used.


def _mask_private(text: str, today: date, entry: QuickEntry) -> tuple[str, list[tuple[int, int]]]:
    """The text with identifiers blanked (same length, so positions stay), and the spans of
    the others to leave out after the known words are read."""
    later: list[tuple[int, int]] = []
    for f in check_free_text(text, today=today):
        if f.kind.value not in entry.private:
            entry.private.append(f.kind.value)
        if f.kind is not FindingKind.NAME:
            text = text[: f.start] + " " * (f.end - f.start) + text[f.end :]
        else:
            later.append((f.start, f.end))
    return text, later


def parse_quick_entry(
    text: str,
    today: date,
    *,
    vocabulary: Mapping[str, Sequence[VocabEntry]] | None = None,
    vindplekken: Sequence[str] = (),
    max_back_days: int = 14,
    deelopdrachten: Sequence[str] = (),
) -> QuickEntry:
    """Parse a one-line contact entry; never raises, reports what is missing in ``problems``."""
    entry = QuickEntry(work_date=today)
    text, later = _mask_private(text, today, entry)
    line = _Line(text)
    vocab = default_vocabulary() if vocabulary is None else vocabulary

    found = find_duration(text)
    if found is not None:
        minutes, start, end = found
        line.claim_span(start, end, "duration")
        try:
            entry.minutes = validate_minutes(minutes)
        except DurationError as exc:
            entry.problems.append(
                QuickEntryProblem.DURATION_ZERO
                if exc.code is DurationErrorCode.ZERO
                else QuickEntryProblem.DURATION_TOO_LONG
            )
    else:
        entry.problems.append(QuickEntryProblem.NO_DURATION)

    dated = find_date(text, today)
    if dated is not None and line.span_free(dated[1], dated[2]):
        d, start, end = dated
        line.claim_span(start, end, "date")
        try:
            entry.work_date = validate_work_date(d, today, max_back_days=max_back_days)
        except DateError as exc:
            entry.work_date = None
            entry.problems.append(
                QuickEntryProblem.DATE_FUTURE
                if exc.code is DateErrorCode.FUTURE
                else QuickEntryProblem.DATE_TOO_OLD
            )

    elif (bad := find_impossible_date(text)) is not None and line.span_free(*bad):
        # "31-2" names no day: an error to correct, never silently today.
        line.claim_span(*bad, "date")
        entry.work_date = None
        entry.problems.append(QuickEntryProblem.DATE_INVALID)

    group_word = _parse_counts(line, entry)
    _parse_deelopdracht(line, entry, deelopdrachten)
    _parse_place(line, entry)
    _parse_vindplek_in_line(line, entry, vindplekken)
    aliases = alias_table(vocab, _KIND_ORDER)
    _parse_vocabulary(line, entry, aliases)
    for start, end in later:
        # Identifiers the parser did not use otherwise (a place is never a name).
        for i, t in enumerate(line.tokens):
            if t.start < end and t.end > start and line.free(i):
                line.claimed[i] = "private"
    if entry.activity_type is None and group_word:
        # "groep van 8" was read as a count; it also says what kind of work it was.
        if any(a.code == "groep" and a.kind == "activity_types" for a in aliases):
            entry.activity_type = "groep"
    _leftovers(line, entry, vindplekken, aliases)
    if entry.vindplek is not None:
        _from_vindplek_name(entry, entry.vindplek, aliases)

    if entry.municipality is None:
        entry.problems.append(QuickEntryProblem.NO_MUNICIPALITY)
    if entry.activity_type is None:
        entry.problems.append(QuickEntryProblem.NO_ACTIVITY_TYPE)
    return entry


def looks_like_work(text: str, today: date) -> bool:
    """Whether typed text without a command reads as a contact to log: a duration and at
    least one of an activity type, a theme or a place ("1 uur gesprek in venlo")."""
    entry = parse_quick_entry(text, today)
    has_duration = entry.minutes is not None or QuickEntryProblem.NO_DURATION not in entry.problems
    named = [entry.activity_type, entry.themes, entry.municipality]
    return has_duration and sum(1 for x in named if x) >= 1 and len(entry.questions) <= 2
