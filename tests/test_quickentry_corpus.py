"""A corpus of one-line contact entries written the way experts talk (word order, typos, number
words, villages, aliases, dates), each with its expected parse (issue 15).

Every entry either parses fully or names exactly the part it asks about; none drops a value:
every word of the line is used, is a filler word, or comes back as a question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from bot.domain.quickentry import QuickEntry, QuickEntryProblem, parse_quick_entry
from bot.domain.textmatch import Token

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


CORPUS = [
    # --- the issue's own examples
    C(
        "2 uur vnelo schuldn 3",
        120,
        muni="Venlo",
        themes=("schulden",),
        count=3,
        problems=(P.NO_ACTIVITY_TYPE,),
    ),
    C(
        "31-2 1 uur inloop venlo armoede",
        60,
        day=None,
        muni="Venlo",
        act="inloop",
        themes=("armoede",),
        reach="inloop",
        problems=(P.DATE_INVALID,),
    ),
    C(
        "45 inloop venlo armoede",
        None,
        muni="Venlo",
        act="inloop",
        themes=("armoede",),
        reach="inloop",
        asks=(("minutes", "45"),),
        problems=(P.NO_DURATION,),
    ),
    C(
        "1 uur huisbezoek Tegelen eenzaamheid",
        60,
        muni="Venlo",
        village="Tegelen",
        act="een_op_een",
        themes=("eenzaamheid",),
    ),
    C(
        "huisbezoek blerick 45 min schulden",
        45,
        muni="Venlo",
        village="Blerick",
        act="een_op_een",
        themes=("schulden",),
    ),
    # --- aliases for the activity
    C(
        "keukentafelgesprek venray 1 uur armoede",
        60,
        muni="Venray",
        act="een_op_een",
        themes=("armoede",),
    ),
    C(
        "wandeling met bewoner horst 1,5 uur eenzaam",
        90,
        muni="Horst aan de Maas",
        village="Horst",
        act="een_op_een",
        themes=("eenzaamheid",),
    ),
    C(
        "koffie gedronken in Baarlo 30 min eenzaamheid",
        30,
        muni="Peel en Maas",
        village="Baarlo",
        act="een_op_een",
        themes=("eenzaamheid",),
    ),
    C(
        "telefonisch 20 min venlo schulden",
        20,
        muni="Venlo",
        act="een_op_een",
        themes=("schulden",),
    ),
    C(
        "gesprek 1 uur roermond psychisch",
        60,
        muni="Roermond",
        act="een_op_een",
        themes=("psychisch",),
    ),
    C("gebeld 15 min weert geldzorgen", 15, muni="Weert", act="een_op_een", themes=("armoede",)),
    C(
        "spreekuur swalmen 2 uur schulden armoede",
        120,
        muni="Roermond",
        village="Swalmen",
        act="inloop",
        themes=("schulden", "armoede"),
        reach="inloop",
    ),
    C(
        "lotgenotengroep venray 2 uur verslaving 6 bewoners",
        120,
        muni="Venray",
        act="groep",
        themes=("verslaving",),
        count=6,
    ),
    C(
        "groep van 8 in gennep 1,5 uur eenzaamheid",
        90,
        muni="Gennep",
        act="groep",
        themes=("eenzaamheid",),
        count=8,
    ),
    C(
        "straatwerk venlo 2 uur dakloos",
        120,
        muni="Venlo",
        act="outreach",
        themes=("wonen",),
        reach="vindplek",
    ),
    C(
        "outreach blerick 1 uur armoede 3 nieuw",
        60,
        muni="Venlo",
        village="Blerick",
        act="outreach",
        themes=("armoede",),
        count=3,
        new=3,
        reach="vindplek",
    ),
    C(
        "voorlichting weert 1 uur schulden groep van 12",
        60,
        muni="Weert",
        act="training",
        themes=("schulden",),
        count=12,
    ),
    C(
        "huisbezeok tegelen 1 uur rouw",
        60,
        muni="Venlo",
        village="Tegelen",
        act="een_op_een",
        themes=("rouw",),
    ),  # a typo in the alias
    C("1op1 venlo 45 min werk", 45, muni="Venlo", act="een_op_een", themes=("werk_dagbesteding",)),
    C(
        "individueel gesprek beesel 1 uur opvoeding",
        60,
        muni="Beesel",
        act="een_op_een",
        themes=("opvoeding_gezin",),
    ),
    # --- number words and durations
    C(
        "anderhalf uur huisbezoek venlo schulden",
        90,
        muni="Venlo",
        act="een_op_een",
        themes=("schulden",),
    ),
    C(
        "drie kwartier inloop blerick armoede",
        45,
        muni="Venlo",
        village="Blerick",
        act="inloop",
        themes=("armoede",),
        reach="inloop",
    ),
    C(
        "twee uur groep venray eenzaamheid vijf bewoners",
        120,
        muni="Venray",
        act="groep",
        themes=("eenzaamheid",),
        count=5,
    ),
    C(
        "1u30 gesprek roermond schulden",
        90,
        muni="Roermond",
        act="een_op_een",
        themes=("schulden",),
    ),
    C("half uur telefonisch weert rouw", 30, muni="Weert", act="een_op_een", themes=("rouw",)),
    C(
        "een uur huisbezoek Echt armoede",
        60,
        muni="Echt-Susteren",
        village="Echt",
        act="een_op_een",
        themes=("armoede",),
    ),
    C(
        "90 min inloop tegelen schulden 2 nieuw 1 bekend",
        90,
        muni="Venlo",
        village="Tegelen",
        act="inloop",
        themes=("schulden",),
        count=3,
        new=2,
        reach="inloop",
    ),
    C("2 uur 15 gesprek venlo schulden", 135, muni="Venlo", act="een_op_een", themes=("schulden",)),
    C(
        "kwartiertje gebeld venlo eenzaam",
        15,
        muni="Venlo",
        act="een_op_een",
        themes=("eenzaamheid",),
    ),
    C(
        "3 uur groep roermond verslaving tien mensen",
        180,
        muni="Roermond",
        act="groep",
        themes=("verslaving",),
        count=10,
    ),
    # --- dates
    C(
        "gisteren 1 uur huisbezoek venlo armoede",
        60,
        day=d(1),
        muni="Venlo",
        act="een_op_een",
        themes=("armoede",),
    ),
    C(
        "eergisteren inloop blerick 2 uur schulden",
        120,
        day=d(2),
        muni="Venlo",
        village="Blerick",
        act="inloop",
        themes=("schulden",),
        reach="inloop",
    ),
    C(
        "maandag 45 min gesprek venray rouw",
        45,
        day=d(3),
        muni="Venray",
        act="een_op_een",
        themes=("rouw",),
    ),
    C(
        "afgelopen donderdag 1 uur inloop venlo armoede",
        60,
        day=d(7),
        muni="Venlo",
        act="inloop",
        themes=("armoede",),
        reach="inloop",
    ),
    C(
        "10-3 huisbezoek venlo 1 uur schulden",
        60,
        day=d(2),
        muni="Venlo",
        act="een_op_een",
        themes=("schulden",),
    ),
    C(
        "9 maart groep weert 2 uur eenzaamheid",
        120,
        day=d(3),
        muni="Weert",
        act="groep",
        themes=("eenzaamheid",),
    ),
    C(
        "vorige week dinsdag 1 uur inloop roermond schulden",
        60,
        day=d(9),
        muni="Roermond",
        act="inloop",
        themes=("schulden",),
        reach="inloop",
    ),
    C(
        "15-3 1 uur inloop venlo armoede",
        60,
        day=None,
        muni="Venlo",
        act="inloop",
        themes=("armoede",),
        reach="inloop",
        problems=(P.DATE_FUTURE,),
    ),
    C(
        "morgen 1 uur gesprek venlo armoede",
        60,
        day=None,
        muni="Venlo",
        act="een_op_een",
        themes=("armoede",),
        problems=(P.DATE_FUTURE,),
    ),
    C(
        "1-1 1 uur gesprek venlo armoede",
        60,
        day=None,
        muni="Venlo",
        act="een_op_een",
        themes=("armoede",),
        problems=(P.DATE_TOO_OLD,),
    ),
    C(
        "30 februari gesprek venlo 1 uur armoede",
        60,
        day=None,
        muni="Venlo",
        act="een_op_een",
        themes=("armoede",),
        problems=(P.DATE_INVALID,),
    ),
    C(
        "vandaag 2 uur inloop venray schulden",
        120,
        muni="Venray",
        act="inloop",
        themes=("schulden",),
        reach="inloop",
    ),
    C(
        "vanochtend huisbezoek sevenum 1 uur eenzaamheid",
        60,
        muni="Horst aan de Maas",
        village="Sevenum",
        act="een_op_een",
        themes=("eenzaamheid",),
    ),
    C(
        "woensdag wandeling venlo 1 uur psychisch",
        60,
        day=d(1),
        muni="Venlo",
        act="een_op_een",
        themes=("psychisch",),
    ),
    # --- villages, places and their aliases
    C(
        "1 uur inloop Steyl armoede",
        60,
        muni="Venlo",
        village="Steyl",
        act="inloop",
        themes=("armoede",),
        reach="inloop",
    ),
    C(
        "2 uur gesprek Panningen schulden",
        120,
        muni="Peel en Maas",
        village="Panningen",
        act="een_op_een",
        themes=("schulden",),
    ),
    C("huisbezoek remunj 1 uur rouw", 60, muni="Roermond", act="een_op_een", themes=("rouw",)),
    C(
        "huisbezoek tegele 1 uur rouw",
        60,
        muni="Venlo",
        village="Tegelen",
        act="een_op_een",
        themes=("rouw",),
    ),
    C("gesprek vinray 1 uur armoede", 60, muni="Venray", act="een_op_een", themes=("armoede",)),
    C(
        "1 uur huisbezoek Ysselsteyn eenzaamheid",
        60,
        muni="Venray",
        village="Ysselsteyn",
        act="een_op_een",
        themes=("eenzaamheid",),
    ),
    C(
        "1 uur gesprek st odilienberg schulden",
        60,
        muni="Roerdalen",
        village="Sint Odiliënberg",
        act="een_op_een",
        themes=("schulden",),
    ),
    C(
        "gesprek in Heel 1 uur armoede",
        60,
        muni="Maasgouw",
        village="Heel",
        act="een_op_een",
        themes=("armoede",),
    ),
    C(
        "1 uur inloop kessel-eik schulden",
        60,
        muni="Peel en Maas",
        village="Kessel-Eik",
        act="inloop",
        themes=("schulden",),
        reach="inloop",
    ),
    C(
        "huisbezoek roermnd 1 uur schulden",
        60,
        muni="Roermond",
        act="een_op_een",
        themes=("schulden",),
    ),
    C(
        "1 uur inloop Arcen armoede 2",
        60,
        muni="Venlo",
        village="Arcen",
        act="inloop",
        themes=("armoede",),
        count=2,
        reach="inloop",
    ),
    C(
        "45 min buurthuis de kolk venlo eenzaam",
        45,
        muni="Venlo",
        act=None,
        themes=("eenzaamheid",),
        vindplek="Buurthuis De Kolk",
        problems=(P.NO_ACTIVITY_TYPE,),
    ),
    C(
        "1 uur gesprek voedselbank armoede",
        60,
        muni="Venlo",
        village="Blerick",
        act="een_op_een",
        themes=("armoede",),
        vindplek="Voedselbank Blerick",
    ),
    # --- counts: new/known, lone numbers
    C(
        "inloop venlo 1 uur armoede 4",
        60,
        muni="Venlo",
        act="inloop",
        themes=("armoede",),
        count=4,
        reach="inloop",
    ),
    C(
        "groep 2 uur venray eenzaamheid 7",
        120,
        muni="Venray",
        act="groep",
        themes=("eenzaamheid",),
        count=7,
    ),
    C(
        "2 nieuw 1 uur huisbezoek venlo schulden",
        60,
        muni="Venlo",
        act="een_op_een",
        themes=("schulden",),
        count=2,
        new=2,
    ),
    C(
        "3 bekend groep weert 1 uur rouw",
        60,
        muni="Weert",
        act="groep",
        themes=("rouw",),
        count=3,
        new=0,
    ),
    C(
        "huisbezoek nieuw venlo 1 uur armoede",
        60,
        muni="Venlo",
        act="een_op_een",
        themes=("armoede",),
        new=1,
    ),
    C(
        "1 uur 3 venlo inloop armoede",
        60,
        muni="Venlo",
        act="inloop",
        themes=("armoede",),
        reach="inloop",
        asks=(("count", "3"),),
    ),
    C(
        "inloop venlo 1 uur armoede 2 nieuw 9",
        60,
        muni="Venlo",
        act="inloop",
        themes=("armoede",),
        count=2,
        new=2,
        reach="inloop",
        asks=(("word", "9"),),
    ),
    C(
        "8 bewoners groep roermond 2 uur schulden",
        120,
        muni="Roermond",
        act="groep",
        themes=("schulden",),
        count=8,
    ),
    # --- referrals (several allowed), reach
    C(
        "huisbezoek venlo 1 uur schulden naar schuldhulp",
        60,
        muni="Venlo",
        act="een_op_een",
        themes=("schulden",),
        referrals=("schuldhulp",),
    ),
    C(
        "gesprek venlo 1 uur psychisch doorverwezen naar ggz en huisarts",
        60,
        muni="Venlo",
        act="een_op_een",
        themes=("psychisch",),
        referrals=("ggz", "huisarts"),
    ),
    C(
        "gesprek weert 1 uur armoede naar wmo schuldhulp",
        60,
        muni="Weert",
        act="een_op_een",
        themes=("armoede",),
        referrals=("wmo", "schuldhulp"),
    ),
    C(
        "gesprek venlo 1 uur eenzaam via netwerk",
        60,
        muni="Venlo",
        act="een_op_een",
        themes=("eenzaamheid",),
        reach="netwerk",
    ),
    C(
        "huisbezoek venlo 1 uur schulden via huisarts",
        60,
        muni="Venlo",
        act="een_op_een",
        themes=("schulden",),
        reach="professional",
    ),
    C(
        "gesprek venlo 1 uur rouw zelf gemeld",
        60,
        muni="Venlo",
        act="een_op_een",
        themes=("rouw",),
        reach="zelf",
    ),
    C(
        "inloop venlo 1 uur wonen naar opvang",
        60,
        muni="Venlo",
        act="inloop",
        themes=("wonen",),
        referrals=("opvang",),
        reach="inloop",
    ),
    # --- theme aliases and typos
    C("gesprek venlo 1 uur depressie", 60, muni="Venlo", act="een_op_een", themes=("psychisch",)),
    C(
        "gesprek venlo 1 uur eenzaamhied armoed",
        60,
        muni="Venlo",
        act="een_op_een",
        themes=("eenzaamheid", "armoede"),
    ),
    C(
        "gesprek venlo 1 uur statushouders",
        60,
        muni="Venlo",
        act="een_op_een",
        themes=("nieuwkomers",),
    ),
    C(
        "gesprek venlo 1 uur huiselijk geweld",
        60,
        muni="Venlo",
        act="een_op_een",
        themes=("huiselijk_geweld",),
    ),
    C(
        "gesprek venlo 1 uur dakloosheid verslaving",
        60,
        muni="Venlo",
        act="een_op_een",
        themes=("wonen", "verslaving"),
    ),
    C(
        "inloop venlo 1 uur geldzorgen, schulden",
        60,
        muni="Venlo",
        act="inloop",
        themes=("armoede", "schulden"),
        reach="inloop",
    ),
    C("GESPREK VENLO 1 UUR SCHULDEN", 60, muni="Venlo", act="een_op_een", themes=("schulden",)),
    # --- things it asks about (never dropped)
    C(
        "1 uur huisbzk venlo schulden",
        60,
        muni="Venlo",
        themes=("schulden",),
        asks=(("word", "huisbzk"),),
        problems=(P.NO_ACTIVITY_TYPE,),
    ),
    C(
        "1 uur gesprek venlo fietsen",
        60,
        muni="Venlo",
        act="een_op_een",
        asks=(("word", "fietsen"),),
    ),
    C(
        "1 uur gesprek venlo schulden xyzzy",
        60,
        muni="Venlo",
        act="een_op_een",
        themes=("schulden",),
        asks=(("word", "xyzzy"),),
    ),
    C(
        "60 gesprek venlo schulden",
        None,
        muni="Venlo",
        act="een_op_een",
        themes=("schulden",),
        asks=(("minutes", "60"),),
        problems=(P.NO_DURATION,),
    ),
    C(
        "gesprek venlo schulden",
        None,
        muni="Venlo",
        act="een_op_een",
        themes=("schulden",),
        problems=(P.NO_DURATION,),
    ),
    C("1 uur schulden", 60, themes=("schulden",), problems=(P.NO_MUNICIPALITY, P.NO_ACTIVITY_TYPE)),
    C(
        "-2 uur gesprek venlo schulden",
        None,
        muni="Venlo",
        act="een_op_een",
        themes=("schulden",),
        problems=(P.DURATION_ZERO,),
    ),
    C(
        "30 uur gesprek venlo schulden",
        None,
        muni="Venlo",
        act="een_op_een",
        themes=("schulden",),
        problems=(P.DURATION_TOO_LONG,),
    ),
    C(
        "1 uur gesprek inloop venlo armoede",
        60,
        muni="Venlo",
        act="een_op_een",
        themes=("armoede",),
        problems=(P.SEVERAL_ACTIVITY_TYPES,),
    ),
    C(
        "1 uur gesprek venlo roermond armoede",
        60,
        muni="Venlo",
        act="een_op_een",
        themes=("armoede",),
        problems=(P.SEVERAL_MUNICIPALITIES,),
    ),
]


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
