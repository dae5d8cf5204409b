"""Residents find the right door the first time (issue 16), through the fake Bot API on
SQLite and PostgreSQL, with the sample schedule on Tuesday 3 March 2026, 10:30:

* more of the resident corpus: every word finds every kind of session, cancelled dates,
  places outside the region, questions about the pool, help-seeking sentences, stop and
  thanks, English; all of it leaves nothing behind;
* a double tap never sends an edit that changes nothing;
* the bot's description, short description and resident menu;
* `/start venlo` from a poster, and the poster itself (CLI and /inloopbeheer): one A4 page,
  its text read back and its QR code compared module by module.
"""

from __future__ import annotations

import io
import logging
from datetime import date, datetime
from pathlib import Path

import pypdf
import pytest
import segno
from telegram.error import BadRequest

from bot.cli import main
from bot.domain.walkin import TZ, Occurrence
from bot.i18n import translator
from bot.poster import QR_BORDER, deep_link, poster_data
from bot.storage import walkin as repo
from bot.storage.db import transaction
from tests.test_walkin_journey import (
    CORPUS,
    MUNICIPALITIES,
    PICK,
    SAMPLE,
    WELCOME,
    assert_nothing_kept,
    seed,
    session_id,
)

WELCOME_EN = "You are welcome without an appointment."
HELP = "Fijn dat je het vraagt."
REGION_SOON = [
    "Beesel · Dorpshuis Reuver",
    "Venlo · Buurthuis De Kolk",
    "Weert · Buurthuis Fatima",
    "Leudal · Huiskamer Leudal",
]
OTHER, CHOOSE, NONE = "other", "pick", "none"  # the buttons under the answer

# (language, what the resident types, must appear, must not appear, buttons).
MORE: list[tuple[str, str, list[str], list[str], str]] = [
    # Every word finds every kind of session.
    (
        "nl",
        "wanneer is er inloop in roermond",
        [
            "Inloop en spreekuur in Roermond",
            "Spreekuur · Stadswinkel Roermond",
            "Morgen, woensdag 4 maart · 13:00 – 15:00",
            "Dorpshuis De Schakel",
        ],
        [],
        OTHER,
    ),
    (
        "nl",
        "spreekuur roermond maandag",
        ["Inloop in Roermond", "Maandag 9 maart · 19:00 – 21:00", "Dorpshuis De Schakel"],
        ["geen spreekuur", "Dit is er wel"],
        OTHER,
    ),
    (
        "nl",
        "binnenlopen in tegelen",
        ["Inloop en spreekuur in Venlo", "Spreekuur · Bibliotheek Tegelen", "Buurthuis De Kolk"],
        [],
        OTHER,
    ),
    (
        "nl",
        "langskomen sevenum",
        ["Inloop en spreekuur in Horst aan de Maas", "Dorpshuis De Kiosk", "De Wingerd"],
        [],
        OTHER,
    ),
    ("nl", "langs komen in reuver", ["Dorpshuis Reuver", "Nu open, tot 11:00"], [], OTHER),
    ("nl", "spreekuur venray", ["Inloop in Venray", "Wijkpunt Brukske"], ["geen"], OTHER),
    ("nl", "spreekuren gennep", ["Buurtkamer Zuid", "Zuiderstraat 19 Gennep"], [], OTHER),
    (
        "nl",
        "kan ik vandaag ergens binnenlopen in Weert",
        ["Vandaag, dinsdag 3 maart · 13:00 – 15:00", "Buurthuis Fatima"],
        [],
        OTHER,
    ),
    # Places outside the region.
    ("nl", "Maastricht", ["Maastricht ligt buiten ons gebied.", "14 gemeenten"], [], CHOOSE),
    (
        "nl",
        "inloop in Geleen morgen",
        ["Geleen (gemeente Sittard-Geleen) ligt buiten ons gebied."],
        [],
        CHOOSE,
    ),
    (
        "nl",
        "ik woon in Heerlen, waar kan ik heen?",
        ["Heerlen ligt buiten ons gebied."],
        [],
        CHOOSE,
    ),
    ("nl", "wanneer is de inloop in Nijmegen", ["Nijmegen ligt buiten ons gebied."], [], CHOOSE),
    (
        "nl",
        "Den Bosch",
        ["Den Bosch (gemeente 's-Hertogenbosch) ligt buiten ons gebied."],
        [],
        CHOOSE,
    ),
    ("nl", "spreekuur Eindhoven", ["Eindhoven ligt buiten ons gebied."], [], CHOOSE),
    ("nl", "Maaseik", ["Maaseik ligt buiten ons gebied."], [], CHOOSE),
    ("nl", "inloop Aken", ["Aken ligt buiten ons gebied."], [], CHOOSE),
    ("nl", "inloop Amsterdam", ["Amsterdam ligt buiten ons gebied."], [], CHOOSE),
    ("nl", "Mook", ["Mook (gemeente Mook en Middelaar) ligt buiten ons gebied."], [], CHOOSE),
    (
        "nl",
        "ik woon in Maastricht maar werk in Venlo",  # a region place wins
        ["Inloop en spreekuur in Venlo", "Buurthuis De Kolk"],
        ["buiten ons gebied"],
        OTHER,
    ),
    # Questions about the pool.
    ("nl", "wat is een inloop?", ["Wat is een inloop?", "zonder afspraak", PICK], [], CHOOSE),
    ("nl", "Wat betekent inloop", ["Wat is een inloop?"], [], CHOOSE),
    ("nl", "wat is een spreekuur", ["Wat is een spreekuur?", "bibliotheek"], [], CHOOSE),
    (
        "nl",
        "wat is een ervaringsdeskundige?",
        ["Wat is een ervaringsdeskundige?", "Zonder oordeel."],
        [],
        CHOOSE,
    ),
    ("nl", "wat doet een ervaringsdeskundige", ["Wat is een ervaringsdeskundige?"], [], CHOOSE),
    ("nl", "wie zijn jullie?", ["Wie zijn wij?", "Hij bewaart niets over jou."], [], CHOOSE),
    ("nl", "wat is dit voor iets", ["Wie zijn wij?"], [], CHOOSE),
    ("nl", "moet ik een afspraak maken?", ["Wat is een inloop?", "gratis"], [], CHOOSE),
    ("nl", "kost het geld?", ["Wat is een inloop?", "Het is gratis."], [], CHOOSE),
    (
        "nl",
        "wat is een inloop in venlo",
        ["Wat is een inloop?", "Inloop en spreekuur in Venlo", "Buurthuis De Kolk"],
        [],
        OTHER,
    ),
    # Help-seeking sentences: a warm line and the nearest times, never a form.
    ("nl", "ik heb schulden, kan iemand helpen?", [HELP, *REGION_SOON, PICK], ["Kiosk"], CHOOSE),
    ("nl", "ik voel me zo eenzaam", [HELP, "De eerstvolgende tijden in de regio"], [], CHOOSE),
    ("nl", "ik kan de huur niet meer betalen", [HELP, "Nu open, tot 11:00"], [], CHOOSE),
    ("nl", "help", [HELP, "Venlo · Buurthuis De Kolk"], [], CHOOSE),
    (
        "nl",
        "ik heb schulden en woon in Blerick",
        [HELP, "Blerick hoort bij de gemeente Venlo.", "Buurthuis De Kolk"],
        [],
        OTHER,
    ),
    (
        "nl",
        "ik zit met geldzorgen, waar kan ik terecht in Venray?",
        [HELP, "Inloop in Venray", "Wijkpunt Brukske"],
        [],
        OTHER,
    ),
    # Stop and thanks.
    ("nl", "stop", ["Goed, ik stop. Er is niets van je bewaard."], ["Hallo"], NONE),
    ("nl", "Stop!", ["Goed, ik stop."], ["Hallo"], NONE),
    ("nl", "laat maar", ["Goed, ik stop."], [], NONE),
    ("nl", "bedankt!", ["Graag gedaan! Je bent altijd welkom"], ["Hallo"], NONE),
    ("nl", "dank je wel", ["Graag gedaan!"], [], NONE),
    ("nl", "top, bedankt", ["Graag gedaan!"], [], NONE),
    # English.
    (
        "en",
        "when is the walk-in in venlo",
        ["Walk-in and consultation hours in Venlo", "Buurthuis De Kolk", WELCOME_EN],
        [],
        OTHER,
    ),
    (
        "en",
        "walk-in Venray tomorrow",
        ["Tomorrow", "Wijkpunt Brukske"],  # nothing tomorrow: the next one is named
        ["Ontmoetingscentrum"],
        OTHER,
    ),
    ("en", "is it open now in venlo", ["Open now, until 12:00", "Buurthuis De Kolk"], [], OTHER),
    ("en", "drop-in Weert today", ["Buurthuis Fatima", "13:00 – 15:00"], [], OTHER),
    ("en", "Blerick on thursday", ["Wijkcentrum De Vlasakker", "13:30 – 15:30"], ["Kolk"], OTHER),
    ("en", "what is a walk-in?", ["What is a walk-in?", "without an appointment"], [], CHOOSE),
    ("en", "who are you?", ["Who are we?"], [], CHOOSE),
    ("en", "what is a peer expert", ["What is a peer expert?"], [], CHOOSE),
    (
        "en",
        "I have debts, can someone help me?",
        ["Good that you ask.", "Venlo · Buurthuis De Kolk"],
        [],
        CHOOSE,
    ),
    ("en", "Maastricht", ["Maastricht is outside our area."], [], CHOOSE),
    ("en", "thanks!", ["You are welcome!"], [], NONE),
    ("en", "stop", ["All right, I will stop."], [], NONE),
]

# After cancellations (De Kolk on Tuesday 10 March, Fatima today): (text, must appear).
CANCELLED: list[tuple[str, list[str]]] = [
    (
        "inloop venlo volgende week dinsdag",
        ["Dinsdag 10 maart · 10:00 – 12:00", "Gaat niet door. De volgende keer is op dinsdag"],
    ),
    ("wanneer is de inloop in blerick", ["Dinsdag 10 maart · 10:00 – 12:00", "Gaat niet door."]),
    ("inloop venlo 10 maart", ["Gaat niet door. De volgende keer is op dinsdag 17 maart."]),
    ("is er 10-3 iets in venlo", ["Buurthuis De Kolk", "Gaat niet door."]),
    (
        "inloop weert vandaag",
        [
            "Vandaag is er geen inloop in Weert.",
            "Buurthuis Fatima",
            "Gaat niet door. De volgende keer is op dinsdag 10 maart.",
            "De eerstvolgende is op vrijdag 6 maart:",
        ],
    ),
    ("is het nu open in weert", ["Op dit moment is er niets open in Weert.", "Gaat niet door."]),
]


def test_the_corpus_is_big_enough():
    assert len(CORPUS) + len(MORE) + len(CANCELLED) >= 80
    kinds = {buttons for *_x, buttons in MORE}
    assert kinds == {OTHER, CHOOSE, NONE} and {lang for lang, *_x in MORE} == {"nl", "en"}


async def test_more_resident_phrasings_end_to_end(bot, caplog):
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="bot")
    await seed(bot)
    people = {
        "nl": bot.resident("Rita Geheimnaam"),
        "en": bot.resident("Emma Secretname", language_code="en"),
    }
    failures = []
    for lang, text, wanted, unwanted, buttons in MORE:
        reply = (await people[lang].says(text)).only
        body = reply.text
        missing = [w for w in wanted if w not in body]
        present = [u for u in unwanted if u in body]
        if missing or present:
            failures.append(f"{text!r}: missing {missing}, unexpected {present}\n{body}\n")
        expected = {OTHER: [], CHOOSE: MUNICIPALITIES, NONE: []}[buttons]
        if buttons == OTHER:
            expected = ["Other municipality" if lang == "en" else "Andere gemeente"]
            if (WELCOME_EN if lang == "en" else WELCOME) not in body:
                failures.append(f"{text!r}: no welcome line\n{body}\n")
        if reply.button_labels != expected:
            failures.append(f"{text!r}: buttons {reply.button_labels}")
        if "formulier" in body.lower() or "form " in body.lower():
            failures.append(f"{text!r}: mentions a form")
    assert not failures, "\n".join(failures)
    secrets = [str(p.id) for p in people.values()] + ["Geheimnaam", "Secretname"]
    said = [text for _l, text, *_x in MORE if len(text) > 12]
    await assert_nothing_kept(bot, caplog, secrets, said)


async def test_cancelled_dates_are_shown_with_the_next_date(bot):
    await seed(bot)
    kolk = await session_id(bot, "Buurthuis De Kolk")
    fatima = await session_id(bot, "Buurthuis Fatima")
    async with transaction(bot.services.sessions) as s:
        await repo.cancel_date(s, kolk, date(2026, 3, 10), bot.clock.now())
        await repo.cancel_date(s, fatima, date(2026, 3, 3), bot.clock.now())
    rita = bot.resident("Rita")
    failures = []
    for text, wanted in CANCELLED:
        reply = (await rita.says(text)).only
        missing = [w for w in wanted if w not in reply.text]
        if missing:
            failures.append(f"{text!r}: missing {missing}\n{reply.text}\n")
        if "Gaat niet door." in reply.text and "<s>" not in (reply.source_text or ""):
            failures.append(f"{text!r}: the cancelled time is not struck through")
    assert not failures, "\n".join(failures)


async def test_each_address_is_a_map_search_link(bot):
    await seed(bot)
    reply = (await bot.resident().says("inloop venlo")).only
    link = "https://www.openstreetmap.org/search?query=Kolkstraat%2014%20Venlo"
    assert f'<a href="{link}">Kolkstraat 14 Venlo</a>' in (reply.source_text or "")
    assert any(e.get("url") == link for e in reply.entities)
    # One place, its address once, its dates under it.
    assert reply.text.count("Kolkstraat 14 Venlo") == 1
    assert "Buurthuis De Kolk\n📍 Kolkstraat 14 Venlo\nKoffie en thee staan klaar.\n" in reply.text


# --------------------------------------------------------------------------- audit fixes


async def test_a_weekday_asked_after_its_session_today_gives_next_week(bot):
    # Tuesday 3 March, 17:00: De Kolk (Tuesday 10:00-12:00) ran this morning.
    await seed(bot, datetime(2026, 3, 3, 17, 0, tzinfo=TZ))
    sam = bot.resident("Sam")
    for question in (
        "is er iets in blerick op dinsdag?",
        "wanneer is er inloop in blerick op dinsdag",
    ):
        text = (await sam.says(question)).only.text
        assert "Vandaag is het al voorbij:\nBuurthuis De Kolk · 10:00 – 12:00" in text, text
        assert "Volgende week dinsdag 10 maart:\nBuurthuis De Kolk" in text, text
        assert "Dinsdag 10 maart · 10:00 – 12:00" in text and WELCOME in text
        assert "geen" not in text and "Bibliotheek Tegelen" not in text


async def test_the_eerstvolgende_respects_the_asked_kind_and_is_labelled(bot):
    await seed(bot)
    sam = bot.resident("Sam")
    weert = (await sam.says("spreekuur weert donderdag")).only.text
    assert "In Weert is er geen spreekuur." in weert
    assert "Wel inloop. De eerstvolgende is vandaag, dinsdag 3 maart:" in weert
    assert "Inloop · Buurthuis Fatima" in weert
    assert "Op donderdag 5 maart is er geen spreekuur" not in weert
    # Friday's inloop cancelled: the next *inloop*, not the Wednesday spreekuur.
    bot.clock.set(datetime(2026, 3, 3, 12, 30, tzinfo=TZ))
    hoek = await session_id(bot, "Huiskamer Op de Hoek")
    async with transaction(bot.services.sessions) as s:
        await repo.cancel_date(s, hoek, date(2026, 3, 6), bot.clock.now())
    venlo = (await sam.says("inloop venlo vrijdag")).only.text
    assert "Op vrijdag 6 maart is er geen inloop in Venlo." in venlo
    assert "De eerstvolgende is op donderdag 5 maart:\nWijkcentrum De Vlasakker" in venlo
    assert "Bibliotheek Tegelen" not in venlo
    # No kind asked, nothing that day: the next one is a spreekuur, and it says so.
    saturday = (await sam.says("is er zaterdag iets in venlo")).only.text
    assert "Inloop in Venlo" in saturday
    assert "De eerstvolgende is morgen, woensdag 4 maart:\nSpreekuur · Bibliotheek Tegelen" in (
        saturday
    )


async def test_holiday_names_and_parts_of_today_in_plain_dutch(bot):
    await seed(bot)
    sam = bot.resident("Sam")
    for question in ("inloop venlo eerste kerstdag", "inloop venlo 1e Kerstdag"):
        text = (await sam.says(question)).only.text
        assert "Vrijdag 25 december · 14:00 – 16:00\nOok open op eerste kerstdag." in text
        assert "Buurthuis De Kolk" not in text and "Eerste kerstdag" not in text
    new_year = (await sam.says("inloop venlo nieuwjaarsdag")).only.text
    assert "Vrijdag 1 januari · 14:00 – 16:00\nOok open op nieuwjaarsdag." in new_year
    easter = (await sam.says("inloop venray tweede paasdag")).only.text
    assert "Op maandag 6 april is er geen inloop in Venray." in easter
    assert "Het is dan tweede paasdag. Op feestdagen is het meestal dicht." in easter
    tonight = (await sam.says("inloop venlo vanavond")).only.text
    assert "Vanavond is er geen inloop in Venlo." in tonight and "in de avond" not in tonight
    afternoon = (await sam.says("inloop venray vanmiddag")).only.text
    assert "Vanmiddag is er geen inloop in Venray." in afternoon
    morning = (await sam.says("inloop venray vanmorgen")).only.text
    assert "Vanochtend is er geen inloop in Venray." in morning


async def test_a_name_or_number_gets_no_call_back_and_nothing_is_kept(bot, caplog):
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="bot")
    await seed(bot)
    sam = bot.resident("Sam Geheimnaam")
    asked = "mijn naam is Piet Jansen en mijn nummer is 0612345678, kunnen jullie me bellen?"
    reply = (await sam.says(asked)).only
    assert "Ik kan je niet bellen." in reply.text
    assert "Ik bewaar niets van wat je typt." in reply.text
    assert "Je hoeft je naam of telefoonnummer niet te sturen." in reply.text
    assert "Loop dan binnen bij een inloop of spreekuur." in reply.text
    assert PICK in reply.text and reply.button_labels == MUNICIPALITIES
    assert "Hallo!" not in reply.text
    # With a place: the next time there.
    in_blerick = (await sam.says("ik woon in Blerick, kan iemand mij terugbellen?")).only
    assert "Ik kan je niet bellen." in in_blerick.text
    assert "De eerstvolgende keer in Venlo:" in in_blerick.text
    assert "Buurthuis De Kolk" in in_blerick.text and "🟢 Nu open, tot 12:00" in in_blerick.text
    assert in_blerick.button_labels == ["Andere gemeente"]
    mail = (await sam.says("sam@example.nl")).only.text
    assert "Ik kan je niet bellen." in mail
    secrets = ["Piet Jansen", "0612345678", "Geheimnaam", "sam@example.nl", str(sam.id)]
    await assert_nothing_kept(bot, caplog, secrets, [asked])


# --------------------------------------------------------------------------- double taps


def _edits(bot) -> int:
    return sum(1 for c in bot.tg.calls if c.method.lower() == "editmessagetext")


async def test_a_double_tap_sends_no_edit_that_changes_nothing(bot):
    await seed(bot)
    rita = bot.resident("Rita")
    picker = (await rita.says("/inloop")).only
    await rita.press("Venray", message=picker)
    assert picker.text.startswith("Inloop in Venray") and _edits(bot) == 1
    # The second tap of a double tap arrives after the first edit: same answer, no edit.
    await rita.press_data("i:venray", picker)
    assert _edits(bot) == 1 and picker.text.startswith("Inloop in Venray")
    await rita.press("Andere gemeente", message=picker)
    assert picker.text.startswith(PICK) and _edits(bot) == 2
    await rita.press_data("i:kies", picker)
    assert _edits(bot) == 2
    rita.assert_callbacks_answered()
    failed = [c for c in bot.tg.calls if c.status and c.status >= 400]
    assert failed == []  # in particular no "message is not modified"


# --------------------------------------------------------------------------- profile, menu


async def test_description_short_description_and_resident_menu(bot):
    texts = bot.tg.bot_texts
    nl, short_nl = texts[("description", "")], texts[("short_description", "")]
    en, short_en = texts[("description", "en")], texts[("short_description", "en")]
    assert "zonder afspraak" in nl and "inloop Venlo" in nl
    assert "without an appointment" in en and "walk-in Venlo" in en
    assert "ervaringsdeskundige" in short_nl and "peer expert" in short_en
    assert all(len(x) <= 512 for x in (nl, en)) and all(len(x) <= 120 for x in (short_nl, short_en))
    for lang in ("nl", "en"):
        menu = bot.tg.effective_commands(bot.resident("Sam", language_code=lang).chat_id, lang)
        assert [name for name, _d in menu] == ["start", "help", "inloop", "privacy"]
    resident_help = (await bot.resident().says("/help")).only.text
    assert "/inloop" in resident_help and "/annuleer" not in resident_help


async def test_the_fake_bot_api_refuses_texts_telegram_refuses(bot):
    app_bot = bot.app.bot
    with pytest.raises(BadRequest, match=r"(?i)^description is too long"):
        await app_bot.set_my_description("x" * 513)
    with pytest.raises(BadRequest, match=r"(?i)short description is too long"):
        await app_bot.set_my_short_description("x" * 121)
    assert await app_bot.set_my_short_description("x" * 120)


# --------------------------------------------------------------------------- deep links


@pytest.mark.parametrize(
    ("payload", "wanted"),
    [
        ("venlo", ["Inloop en spreekuur in Venlo", "Buurthuis De Kolk"]),
        ("blerick", ["Blerick hoort bij de gemeente Venlo.", "Wijkcentrum De Vlasakker"]),
        ("peel-en-maas", ["Inloop in Peel en Maas", "Huiskamer Panningen"]),
        ("horst-aan-de-maas", ["Inloop en spreekuur in Horst aan de Maas"]),
        ("echt-susteren", ["Inloop in Echt-Susteren", "Wijkcentrum Het Anker"]),
        ("sint-odilienberg", ["Sint Odiliënberg hoort bij de gemeente Roerdalen."]),
        ("maastricht", ["Maastricht ligt buiten ons gebied."]),
    ],
)
async def test_start_with_a_place_answers_with_its_times(bot, caplog, payload, wanted):
    await seed(bot)
    rita = bot.resident("Rita Geheimnaam")
    reply = (await rita.says(f"/start {payload}")).only
    assert all(w in reply.text for w in wanted), reply.text
    await assert_nothing_kept(bot, caplog, [str(rita.id), "Geheimnaam"], [])


async def test_start_with_something_else_greets(bot):
    reply = (await bot.resident().says("/start hallo")).only
    assert reply.text.startswith("Welkom!")


# --------------------------------------------------------------------------- posters


def _qr_modules(pdf: bytes) -> list[list[bool]]:
    """The QR image embedded in the poster, read back pixel by pixel (True: dark)."""
    (page,) = pypdf.PdfReader(io.BytesIO(pdf)).pages
    (image,) = page.images
    img = image.image.convert("L")
    width, height = img.size
    return [[img.getpixel((x, y)) < 128 for x in range(width)] for y in range(height)]


def _expected_modules(link: str) -> list[list[bool]]:
    qr = segno.make(link, error="m")
    return [[bool(v) for v in row] for row in qr.matrix_iter(border=QR_BORDER)]


def check_poster(pdf: bytes, municipality: str, link: str) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    text = reader.pages[0].extract_text()
    flat = " ".join(text.split())
    assert f"Inloop en spreekuur in {municipality}" in flat or f"in {municipality}" in flat
    assert "Zonder afspraak, gratis, en je hoeft je naam niet te geven." in flat
    assert link in flat
    modules = _qr_modules(pdf)
    assert modules == _expected_modules(link)
    assert modules != _expected_modules(link.replace("start=", "start=x"))
    return flat


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "ErvaringsBot")
    return db_url


def test_poster_from_the_command_line(cli_env, tmp_path: Path, capsys):
    assert main(["inloop", "import", str(SAMPLE)]) == 0
    out = tmp_path / "posters"
    assert main(["poster", "--gemeente", "Venlo", "--uit", str(out)]) == 0
    assert capsys.readouterr().out.strip().endswith("poster-venlo.pdf")
    flat = check_poster(
        (out / "poster-venlo.pdf").read_bytes(),
        "Venlo",
        "https://t.me/ErvaringsBot?start=venlo",
    )
    for place in ("Buurthuis De Kolk", "Bibliotheek Tegelen · spreekuur", "Huiskamer Op de Hoek"):
        assert place in flat
    assert "dinsdag 10:00 – 12:00:" in flat and "Kolkstraat 14 Venlo" in flat
    # A village names its municipality; an unknown name is refused.
    assert main(["poster", "--gemeente", "Tegelen", "--uit", str(out)]) == 0
    assert main(["poster", "--gemeente", "Atlantis", "--uit", str(out)]) == 1


async def test_poster_from_inloopbeheer_and_its_deep_link(bot):
    await seed(bot)
    carla = await bot.coordinator()
    await carla.says("/inloopbeheer")
    await carla.press("Poster maken (PDF)")
    replies = await carla.press("Peel en Maas")
    document = next(r for r in replies if r.document is not None)
    assert document.document_name == "poster-peel-en-maas.pdf"
    assert "Hier is de poster voor Peel en Maas." in carla.last_reply.text or any(
        "Hier is de poster voor Peel en Maas." in r.text for r in replies
    )
    carla.assert_callbacks_answered()
    username = bot.tg.bot_user["username"]
    link = f"https://t.me/{username}?start=peel-en-maas"
    flat = check_poster(document.document, "Peel en Maas", link)
    assert "woensdag 10:00 – 12:00: 4, 11, 18 en 25 maart" in flat  # Huiskamer Panningen
    # The QR code's link, opened by a resident: the same municipality's times.
    slug = link.split("start=", 1)[1]
    answer = (await bot.resident().says(f"/start {slug}")).only
    assert answer.text.startswith("Inloop in Peel en Maas") and "Huiskamer Panningen" in answer.text


def _occ(d: date, hour: int) -> Occurrence:
    return Occurrence(
        date=d,
        start_local=datetime(d.year, d.month, d.day, hour, tzinfo=TZ),
        end_local=datetime(d.year, d.month, d.day, hour + 2, tzinfo=TZ),
        municipality="Venlo",
        place="Buurthuis De Kolk",
        address="Kolkstraat 14 Venlo",
        note=None,
        kind="inloop",
        session_id=1,
        is_extra=False,
    )


def test_poster_dates_name_each_month_once():
    days = [date(2026, 3, 24), date(2026, 3, 31), date(2026, 4, 7), date(2026, 4, 14)]
    link = deep_link("@ErvaringsBot", "venlo")
    data = poster_data(
        translator("nl"), "Venlo", [_occ(d, 10) for d in days], link, days[0], days[-1]
    )
    assert link == "https://t.me/ErvaringsBot?start=venlo"
    (place,) = data["places"]
    assert place["lines"] == [
        {"when": "dinsdag 10:00 – 12:00:", "dates": "24, 31 maart, 7 en 14 april"}
    ]
    assert data["period"] == "Tijden van 24 maart tot en met 14 april 2026"
