"""Residents ask when and where they can walk in, through the fake Bot API (SQLite and
PostgreSQL), with the sample schedule seeded and a frozen clock:

* a corpus of resident phrasings (villages, typos, parts of the day, morgen/vandaag/nu);
* holidays, cancelled dates, extra dates, "nu open" to the minute across DST;
* the municipality buttons when the place is missing or unknown;
* privacy: after a resident's conversation no table and no log line holds their id or text.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select as sa_select
from sqlmodel import SQLModel

from bot.domain.walkin import TZ
from bot.domain.walkin_csv import SessionRow, parse_sessions_csv
from bot.storage import walkin as repo
from bot.storage.db import transaction
from tests import helpers
from tests.helpers import FALL_BACK_2026, SPRING_FORWARD_2026, local_time

SAMPLE = Path(__file__).resolve().parent.parent / "bot" / "data" / "inloop_voorbeeld.csv"
# Tuesday 3 March 2026, 10:30 in Amsterdam (winter time).
TUESDAY_MORNING = datetime(2026, 3, 3, 10, 30, tzinfo=TZ)
WELCOME = "Je bent welkom zonder afspraak."
PICK = "Over welke plaats gaat het? Kies je gemeente."
MUNICIPALITIES = [
    "Beesel",
    "Bergen",
    "Echt-Susteren",
    "Gennep",
    "Horst aan de Maas",
    "Leudal",
    "Maasgouw",
    "Nederweert",
    "Peel en Maas",
    "Roerdalen",
    "Roermond",
    "Venlo",
    "Venray",
    "Weert",
]


async def seed(bot, at: datetime = TUESDAY_MORNING) -> None:
    """The sample schedule (every municipality has a session) and the clock."""
    bot.clock.set(at)
    rows = parse_sessions_csv(SAMPLE.read_text("utf-8")).rows
    async with transaction(bot.services.sessions) as s:
        await repo.import_rows(s, rows, bot.clock.now())


async def session_id(bot, place: str) -> int:
    async with bot.services.sessions() as s:
        rows = await repo.sessions_in(s)
    return next(row.id for row, _ in rows if row.place == place)


# --------------------------------------------------------------------------- the corpus

# (what the resident types, must appear in the answer, must not appear).
# Sample schedule, seen on Tuesday 3 March 2026 at 10:30.
CORPUS: list[tuple[str, list[str], list[str]]] = [
    (
        "wanneer is de inloop in venray",
        [
            "Inloop in Venray",
            "Donderdag 5 maart",
            "18:30 – 20:00",
            "Wijkpunt Brukske",
            "Brukskestraat 40 Venray",
            "Maandag 9 maart",
            "Ontmoetingscentrum De Brug",
        ],
        ["Nu open"],
    ),
    (
        "is er vandaag iets in Weert?",
        [
            "Inloop in Weert",
            "Vandaag, dinsdag 3 maart",
            "13:00 – 15:00",
            "Buurthuis Fatima",
            "Fatimaplein 2 Weert",
        ],
        ["D'n Tump", "Nu open"],
    ),
    (
        "inloop panningen morgen",
        [
            "Panningen hoort bij de gemeente Peel en Maas.",
            "Morgen, woensdag 4 maart",
            "10:00 – 12:00",
            "Huiskamer Panningen",
            "Markt 9 Panningen",
        ],
        ["Kasteelhof"],
    ),
    (
        "spreekuur roermond",
        [
            "Inloop en spreekuur in Roermond",
            "Spreekuur · Stadswinkel Roermond",
            "Morgen, woensdag 4 maart · 13:00 – 15:00",
            "Kloosterwandplein 17 Roermond",
            "Vraag bij de balie",
            "Dorpshuis De Schakel",  # every kind: the inloop is not hidden
        ],
        [],
    ),
    (
        "/inloop Blerick",
        [
            "Blerick hoort bij de gemeente Venlo.",
            "Vandaag, dinsdag 3 maart",
            "Buurthuis De Kolk",
            "Nu open, tot 12:00",
            "Wijkcentrum De Vlasakker",
            "Donderdag 5 maart",
            "Dinsdag 10 maart",
        ],
        [],
    ),
    (
        "/inloop tegelen",
        ["Tegelen hoort bij de gemeente Venlo.", "Spreekuur · Bibliotheek Tegelen"],
        [],
    ),
    (
        "is het nu open in venlo",
        ["Nu open, tot 12:00", "Buurthuis De Kolk", "Kolkstraat 14 Venlo"],
        ["Vlasakker", "Morgen"],
    ),
    (
        "is het nu open in weert",
        ["Op dit moment is er niets open. Later vandaag wel:", "Buurthuis Fatima", "13:00 – 15:00"],
        ["Nu open"],
    ),
    (
        "nu open in venray?",
        [
            "Op dit moment is er niets open in Venray.",
            "De eerstvolgende is op donderdag 5 maart:",
            "Wijkpunt Brukske",
        ],
        ["Nu open"],
    ),
    ("inloop reuver nu", ["Reuver hoort bij de gemeente Beesel.", "Nu open, tot 11:00"], []),
    ("inloop venrai", ["Inloop in Venray", "Wijkpunt Brukske"], []),
    ("spreekuur roermnd morgen", ["Spreekuur in Roermond", "Morgen, woensdag 4 maart"], []),
    ("inloop weerd vandaag", ["Inloop in Weert", "Buurthuis Fatima"], []),
    (
        "inloop in baarlo vanmiddag",
        [
            "Vanmiddag is er geen inloop in Peel en Maas.",
            "De eerstvolgende is op vrijdag 6 maart:",
            "Ontmoetingsruimte Kasteelhof",
        ],
        ["Huiskamer Panningen"],
    ),
    (
        "sevenum morgenochtend",
        [
            "Morgen in de ochtend is er geen inloop of spreekuur in Horst aan de Maas.",
            "De eerstvolgende is op donderdag 5 maart:",
            "Inloophuis De Wingerd",
        ],
        [],
    ),
    (
        "Swalmen vanavond 🙂",
        [
            "Vanavond is er geen inloop of spreekuur in Roermond.",
            "De eerstvolgende is op maandag 9 maart:",
            "Dorpshuis De Schakel",
            "19:00 – 21:00",
        ],
        [],
    ),
    (
        "stramproy overmorgen!",
        [
            "Overmorgen is er geen inloop of spreekuur in Weert.",
            "De eerstvolgende is vandaag, dinsdag 3 maart:",
            "Buurthuis Fatima",
        ],
        [],
    ),
    (
        "👋 inloop Stramproy?",
        ["Stramproy hoort bij de gemeente Weert.", "Gemeenschapshuis D'n Tump", "Vrijdag 6 maart"],
        [],
    ),
    ("wanneer kan ik langskomen in Venlo", ["Buurthuis De Kolk", "Huiskamer Op de Hoek"], []),
    (
        "is er dinsdag inloop in blerick",
        ["Vandaag, dinsdag 3 maart", "Buurthuis De Kolk"],
        ["Vlasakker", "Dinsdag 10 maart"],
    ),
    (
        "volgende woensdag venlo",
        ["Morgen, woensdag 4 maart", "Bibliotheek Tegelen"],
        ["Buurthuis De Kolk"],
    ),
    (
        "zaterdag open in venray?",
        [
            "Op zaterdag 7 maart is er geen inloop of spreekuur in Venray.",
            "De eerstvolgende is op donderdag 5 maart:",
        ],
        [],
    ),
    (
        "dit weekend iets in Echt?",
        ["Echt hoort bij de gemeente Echt-Susteren.", "Zaterdag 7 maart", "Bibliotheek Susteren"],
        ["Het Anker"],
    ),
    (
        "volgende week in weert",
        ["Dinsdag 10 maart", "Vrijdag 13 maart", "Buurthuis Fatima"],
        ["Vandaag", "Vrijdag 6 maart"],
    ),
    (
        "volgende week dinsdag spreekuur horst",
        [
            "Spreekuur in Horst aan de Maas",
            "Dinsdag 10 maart",
            "19:00 – 20:30",
            "Dorpshuis De Kiosk",
        ],
        ["Wingerd"],
    ),
    (
        "deze week inloop echt-susteren",
        ["Zaterdag 7 maart", "Bibliotheek Susteren"],
        ["Het Anker"],
    ),
    (
        "Inloop Horst aan de Maas donderdagmiddag",
        ["Op donderdag 5 maart in de middag is er geen inloop in Horst aan de Maas."],
        [],
    ),
    ("donderdg inloop venlo", ["Donderdag 5 maart", "Wijkcentrum De Vlasakker"], ["Kolk"]),
    (
        "vrijdags in Gennep",
        [
            "Op vrijdag 6 maart is er geen inloop of spreekuur in Gennep.",
            "De eerstvolgende is op donderdag 5 maart:",
            "Buurtkamer Zuid",
        ],
        [],
    ),
    (
        "'s avonds spreekuur in Maasbree",
        [
            "Maasbree hoort bij de gemeente Peel en Maas.",
            "In Peel en Maas is er geen spreekuur.",
        ],
        [],
    ),
    (
        "op dit moment iets open in Nederweert?",
        [
            "Op dit moment is er niets open in Nederweert.",
            "De eerstvolgende is morgen, woensdag 4 maart:",
            "Ontmoetingsplek De Pinnen",
        ],
        [],
    ),
    ("is het open in Reuver", ["Nu open, tot 11:00", "Dorpshuis Reuver"], []),
    (
        "wanneer is het open in reuver",
        ["Vandaag, dinsdag 3 maart", "Dinsdag 10 maart", "Raadhuisplein 6 Reuver"],
        [],
    ),
    (
        "hoe laat is de inloop in Kessel",
        ["Kessel hoort bij de gemeente Peel en Maas.", "Huiskamer Panningen", "Kasteelhof"],
        [],
    ),
    ("momenteel inloop in venlo", ["Nu open, tot 12:00", "Buurthuis De Kolk"], []),
    ("inloop venlo 12 mei", ["Dinsdag 12 mei", "Buurthuis De Kolk"], ["Vlasakker"]),
    ("inloop venlo 12-5", ["Dinsdag 12 mei", "Buurthuis De Kolk"], ["Vlasakker"]),
    (
        "inloop leudal",
        ["Inloop in Leudal", "Vandaag, dinsdag 3 maart", "13:30 – 15:30", "Huiskamer Leudal"],
        ["Nu open"],
    ),
    (
        "inloop in heythuysen vandaag",
        ["Heythuysen hoort bij de gemeente Leudal.", "Huiskamer Leudal"],
        [],
    ),
    (
        "waar kan ik binnenlopen in melick",
        ["Melick hoort bij de gemeente Roerdalen.", "Donderdag 5 maart", "Dorpshuis Melick"],
        [],
    ),
    ("inloop maasbracht", ["Inloop in Maasgouw", "Gemeenschapshuis De Kluis"], []),
    ("inloop nieuw bergen", ["Inloop in Bergen", "Wijkcentrum Bergen"], []),
    ("inloop afferden", ["Afferden hoort bij de gemeente Bergen.", "Wijkcentrum Bergen"], []),
    ("INLOOP GENNEP", ["Inloop in Gennep", "Buurtkamer Zuid", "Zuiderstraat 19 Gennep"], []),
    (
        "inloop roermond vandaag",
        [
            "Vandaag is er geen inloop in Roermond.",
            "De eerstvolgende is op maandag 9 maart:",
            "Dorpshuis De Schakel",
        ],
        ["Stadswinkel Roermond"],
    ),
    (
        "inloop venlo morgen",
        ["Spreekuur in Venlo", "Morgen, woensdag 4 maart · 10:00 – 11:30", "Bibliotheek Tegelen"],
        ["Dit is er wel", "geen inloop"],
    ),
    (
        "inloop venray vanavond",
        [
            "Vanavond is er geen inloop in Venray.",
            "De eerstvolgende is op donderdag 5 maart:",
            "Wijkpunt Brukske",
        ],
        [],
    ),
    ("venray donderdagavond", ["Donderdag 5 maart", "Wijkpunt Brukske"], ["De Brug"]),
    (
        "wanneer is er inloop in horst",
        [
            "Inloop en spreekuur in Horst aan de Maas",
            "Inloophuis De Wingerd",
            "Donderdag 12 maart",
            "Spreekuur · Dorpshuis De Kiosk",  # asked for inloop: the spreekuur is found too
        ],
        [],
    ),
    (
        "wanneer kan ik in sevenum terecht",
        [
            "Inloop en spreekuur in Horst aan de Maas",
            "Spreekuur · Dorpshuis De Kiosk",
            "Inloophuis De Wingerd",
        ],
        [],
    ),
    (
        "spreekuur in tegelen",
        ["Inloop en spreekuur in Venlo", "Spreekuur · Bibliotheek Tegelen", "Buurthuis De Kolk"],
        [],
    ),
]


async def test_corpus_of_resident_questions(bot):
    assert len(CORPUS) >= 40
    await seed(bot)
    rita = bot.resident("Rita")
    failures = []
    for text, wanted, unwanted in CORPUS:
        reply = (await rita.says(text)).only
        body = reply.text
        missing = [w for w in wanted if w not in body]
        present = [u for u in unwanted if u in body]
        if missing or present or WELCOME not in body:
            failures.append(f"{text!r}: missing {missing}, unexpected {present}\n{body}\n")
        assert reply.button_labels == ["Andere gemeente"]
    assert not failures, "\n".join(failures)


async def test_answers_are_plain_and_warm(bot):
    await seed(bot)
    reply = (await bot.resident().says("wanneer is de inloop in venray")).only
    assert reply.parse_mode == "HTML"
    lines = reply.text.splitlines()
    assert lines[0] == "Inloop in Venray"
    assert lines[-1] == "Je bent welkom zonder afspraak. Je hoeft je naam niet te geven."
    assert len(reply.text) < 1500  # two weeks of a small schedule stays short


async def test_nothing_planned_at_all(bot):
    bot.clock.set(TUESDAY_MORNING)
    text = (await bot.resident().says("inloop venlo")).only.text
    assert "De komende twee weken is er geen inloop in Venlo." in text
    assert "De komende drie maanden staat er niets gepland. Kijk later nog eens." in text
    assert WELCOME in text


# --------------------------------------------------------------------------- place choice


async def resident_asked_for_the_municipality(bot, *texts: str):
    """Seeds, then Rita sends each text: each is answered with the question which municipality,
    one button each. Returns Rita and those replies."""
    await seed(bot)
    rita = bot.resident("Rita")
    replies = []
    for text in texts:
        reply = (await rita.says(text)).only
        assert reply.text.startswith(PICK), text
        assert reply.button_labels == MUNICIPALITIES
        replies.append(reply)
    return rita, replies


async def test_missing_or_unknown_place_offers_the_14_municipalities(bot):
    rita, replies = await resident_asked_for_the_municipality(
        bot, "/inloop", "wanneer is de inloop?", "inloop in Atlantis"
    )
    for reply in replies:
        data = [b["callback_data"] for row in reply.keyboard for b in row]
        assert data[0] == "i:beesel" and "i:peel-en-maas" in data
        assert all(d.startswith("i:") and str(rita.id) not in d for d in data)

    answer = (await rita.press("Venray")).only
    assert answer.edited and answer.text.startswith("Inloop in Venray")
    assert "Wijkpunt Brukske" in answer.text
    rita.assert_callbacks_answered()

    again = (await rita.press("Andere gemeente")).only
    assert again.text.startswith(PICK) and again.button_labels == MUNICIPALITIES
    rita.assert_callbacks_answered()


async def test_a_stale_or_forged_municipality_button(bot):
    await seed(bot)
    rita = bot.resident("Rita")
    picker = (await rita.says("/inloop")).only
    await rita.press_data("i:atlantis", picker)
    assert "Die gemeente ken ik niet" in rita.last_callback_answer.answer.text
    assert rita.last_reply.text.startswith(PICK)
    assert rita.last_reply.button_labels == MUNICIPALITIES
    rita.assert_callbacks_answered()


async def test_experts_see_their_own_municipality(bot):
    await seed(bot)
    anna = await bot.expert(first_name="Anna", gemeente="Venray")
    reply = (await anna.says("/inloop")).only
    assert reply.text.startswith("Inloop in Venray") and "Wijkpunt Brukske" in reply.text
    other = (await anna.says("/inloop weert")).only
    assert other.text.startswith("Inloop in Weert")
    # A bare village name from an expert is not taken as a question (they type other things).
    assert "Inloop in" not in (await anna.says("Venlo")).only.text
    asked = (await anna.says("wanneer is de inloop in blerick")).only
    assert "Buurthuis De Kolk" in asked.text

    carla = await bot.coordinator()
    assert (await carla.says("/inloop")).only.text.startswith(PICK)


async def test_other_messages_are_not_taken_as_questions(bot):
    await seed(bot)
    rita = bot.resident("Rita")
    reply = (await rita.says("hallo")).only
    assert "Inloop in" not in reply.text
    assert "inloop Venlo" in reply.text  # the router's hint explains what to type


# --------------------------------------------------------------------------- schedules


async def test_public_holiday_closes_unless_marked_open(bot):
    # Koningsdag, Monday 27 April 2026: De Brug (Venray, Mondays) is closed.
    await seed(bot, datetime(2026, 4, 27, 9, 0, tzinfo=TZ))
    rita = bot.resident("Rita")
    text = (await rita.says("inloop venray vandaag")).only.text
    assert "Vandaag is er geen inloop in Venray." in text
    assert "Het is dan Koningsdag. Op feestdagen is het meestal dicht." in text
    assert "De eerstvolgende is op donderdag 30 april:" in text
    # Goede vrijdag, 3 April 2026: Huiskamer Op de Hoek is marked open on holidays.
    bot.clock.set(datetime(2026, 4, 1, 9, 0, tzinfo=TZ))
    text = (await rita.says("inloop venlo vrijdag")).only.text
    assert "Vrijdag 3 april" in text and "Huiskamer Op de Hoek" in text
    assert "Ook open op Goede vrijdag." in text


async def test_cancelled_and_extra_dates(bot):
    await seed(bot)
    kolk = await session_id(bot, "Buurthuis De Kolk")
    async with transaction(bot.services.sessions) as s:
        await repo.cancel_date(s, kolk, date(2026, 3, 10), bot.clock.now())
    market = ("Markthal Venlo", "Nieuwstraat 2 Venlo")
    await helpers.extra_date(bot, "Venlo", date(2026, 3, 7), (11, 13), *market)
    rita = bot.resident("Rita")
    cancelled = (
        "<s>Dinsdag 10 maart · 10:00 – 12:00</s>\n"
        "❌ Gaat niet door. De volgende keer is op dinsdag 17 maart."
    )
    reply = (await rita.says("volgende week dinsdag inloop venlo")).only
    text = reply.text
    assert "Op dinsdag 10 maart is er geen inloop in Venlo." in text
    assert "Buurthuis De Kolk" in text and cancelled in reply.source_text
    text = (await rita.says("inloop venlo zaterdag")).only.text
    assert "Zaterdag 7 maart" in text and "11:00 – 13:00" in text
    assert "Markthal Venlo" in text and "Nieuwstraat 2 Venlo" in text
    reply = (await rita.says("wanneer is de inloop in venlo")).only
    assert cancelled in reply.source_text  # the usual session is shown as not going on
    assert "Dinsdag 17 maart" not in reply.text  # 14 days
    assert "Zaterdag 7 maart" in reply.text


async def test_a_session_cancelled_today_says_so_and_when_it_is_next(bot):
    await seed(bot)
    kolk = await session_id(bot, "Buurthuis De Kolk")
    async with transaction(bot.services.sessions) as s:
        await repo.cancel_date(s, kolk, date(2026, 3, 3), bot.clock.now())
    text = (await bot.resident("Rita").says("inloop venlo vandaag")).only.text
    assert "Vandaag is er geen inloop in Venlo." in text
    assert "Buurthuis De Kolk\n📍 Kolkstraat 14 Venlo" in text
    assert "Vandaag, dinsdag 3 maart · 10:00 – 12:00\n❌ Gaat niet door." in text
    assert "De volgende keer is op dinsdag 10 maart." in text
    # The next *inloop* (De Vlasakker), not Wednesday's spreekuur in Bibliotheek Tegelen.
    assert "De eerstvolgende is op donderdag 5 maart:\nWijkcentrum De Vlasakker" in text


# De Brug in Venray is open on Mondays from 09:30 to 11:30: a minute before and at its start and
# its end.
EDGES = [("09:29", False), ("09:30", True), ("11:29", True), ("11:30", False)]


def _on(day: date, edges: list[tuple[str, bool]]) -> list[tuple[datetime, bool]]:
    return [(local_time(day, hhmm), open_now) for hhmm, open_now in edges]


@pytest.mark.parametrize(
    ("local", "open_now"),
    [
        # Monday 23 March 2026, winter time (UTC+1).
        *_on(date(2026, 3, 23), EDGES),
        # Monday 30 March 2026, the day after the clocks went forward (UTC+2).
        *_on(SPRING_FORWARD_2026 + timedelta(days=1), EDGES),
        # Monday 26 October 2026, the day after the clocks went back (UTC+1 again).
        *_on(FALL_BACK_2026 + timedelta(days=1), EDGES[:2]),
    ],
)
async def test_open_now_to_the_minute_across_dst(bot, local, open_now):
    await seed(bot, local)
    text = (await bot.resident("Rita").says("is de inloop in venray nu open?")).only.text
    if open_now:
        assert "Nu open, tot 11:30" in text and "Ontmoetingscentrum De Brug" in text
    else:
        assert "Nu open" not in text
        assert "Op dit moment is er niets open" in text


async def test_the_minute_the_clock_moves(bot):
    await seed(bot, datetime(2026, 3, 30, 9, 29, tzinfo=TZ))
    rita = bot.resident("Rita")
    assert "Nu open" not in (await rita.says("nu open in venray")).only.text
    bot.clock.advance(minutes=1)
    assert "Nu open, tot 11:30" in (await rita.says("nu open in venray")).only.text


# --------------------------------------------------------------------------- privacy


async def test_a_resident_leaves_nothing_behind(bot, caplog):
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="bot")
    await seed(bot)
    rita = bot.resident("Rita Geheimnaam")
    said = [
        "wanneer is de inloop in venray",
        "is er vandaag iets in Weert? groetjes Rita Geheimnaam",
        "inloop zorgvlietstraat",  # not understood: the buttons
    ]
    for text in said:
        await rita.says(text)
    await rita.press("Venlo")
    await rita.says("/inloop Blerick")
    rita.assert_callbacks_answered()

    secrets = [str(rita.id), "Geheimnaam", "zorgvlietstraat", "groetjes"]
    await assert_nothing_kept(bot, caplog, secrets, said)


async def assert_nothing_kept(bot, caplog, secrets: list[str], said: list[str]) -> None:
    """No table row holds any of `secrets`; no log line holds them or what was `said`."""
    async with bot.services.engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            for row in (await conn.execute(sa_select(table))).all():
                flat = " ".join(str(v) for v in row)
                for secret in secrets:
                    assert secret not in flat, f"{secret!r} stored in {table.name}: {row}"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in [*secrets, *said]:
        assert secret not in logged, f"{secret!r} logged"


# --------------------------------------------------------------------------- long answers


async def test_a_busy_day_with_long_texts_stays_within_one_message(bot):
    # Regression: the length check ran only after the first day, which was added whole; 12
    # Venlo sessions on one Tuesday with long names, addresses and notes made a message over
    # 4096 characters, Telegram refused it and the resident got "Sorry, er ging iets mis".
    bot.clock.set(TUESDAY_MORNING)
    rows = [
        SessionRow(
            municipality="Venlo",
            place=f"Buurthuis nummer {i} " + "met een heel lange naam " * 4,
            address=f"Lange Straatnaam {i} " + "achter het gemeentehuis & de kerk " * 5,
            weekday=1,
            start=time(11 + i % 12, 0),
            end=time(11 + i % 12, 45),
            note="Koffie & thee staan klaar; neem gerust iemand mee. " * 5,
        )
        for i in range(12)
    ]
    async with transaction(bot.services.sessions) as s:
        await repo.import_rows(s, rows, bot.clock.now())
    rita = bot.resident("Rita")
    for text in ("inloop venlo vandaag", "inloop venlo"):
        reply = (await rita.says(text)).only
        body = reply.text
        assert "Sorry" not in body, text
        assert len(body.encode("utf-16-le")) // 2 < 4096, text
        assert "Vandaag, dinsdag 3 maart" in body and "Buurthuis nummer 0" in body
        assert "Buurthuis nummer 11" not in body  # cut inside the day ...
        assert "Er zijn nog meer tijden." in body  # ... and said so
        assert body.endswith(WELCOME + " Je hoeft je naam niet te geven.")
        assert reply.button_labels == ["Andere gemeente"]


async def test_a_typo_between_two_municipalities_asks_for_the_municipality(bot):
    # Regression: "leuwen" was answered for Weert (Leuken) though Leeuwen is in Roermond.
    await resident_asked_for_the_municipality(
        bot, "inloop leuwen", "wanneer is de inloop in swolmen", "inloop heiden morgen"
    )
