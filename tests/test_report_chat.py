"""The coordinator's report in chat, through the fake Bot API (SQLite and PostgreSQL):
/rapport (period, municipality, intern, the files as protected documents, a progress message),
/verhalen (mark stories per municipality, edit their anonymised wording) and /toelichting
(the narrative paragraph). Experts and residents get none of it; old buttons change nothing."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pypdf
from sqlalchemy import func
from sqlmodel import select

from bot.domain.periods import parse_period
from bot.storage import report_content
from bot.storage.db import transaction
from bot.storage.models import (
    ActivityType,
    AuditLog,
    ConversationDraft,
    Municipality,
    ReachChannel,
    ReportNarrative,
    ReportStorySelection,
    Story,
    Theme,
    User,
)
from tests.helpers import add_contact
from tests.journeys import reply_to, tap_through

H1 = parse_period("2026-H1")
STORY_TEXTS = [
    "Een vader kwam elke week koffie drinken en vertelde na een maand over zijn schulden.",
    "Een vrouw durfde de brief niet te openen. Samen lazen we hem en belden de gemeente.",
    "Twee buurvrouwen gaan nu samen naar het taalcafé in de wijk.",
    "Een jongen met schulden kwam via de inloop bij de schuldhulp terecht.",
    "Een oudere man heeft weer contact met zijn buren na de koffieochtend.",
    "Een moeder uit Blerick vond via de inloop de weg naar het sociaal wijkteam.",
    "Een gezin kreeg hulp bij het aanvragen van de toeslagen die ze misten.",
]


async def seed(bot, *, stories: int = 2) -> dict[str, int]:
    """An expert in Venlo with a few contacts and stories in the first half of 2026."""
    async with transaction(bot.services.sessions) as s:
        munis = {m.name: m.id for m in (await s.exec(select(Municipality))).all()}
        theme = (await s.exec(select(Theme))).first()
        act = (await s.exec(select(ActivityType))).first()
        reach = (await s.exec(select(ReachChannel))).first()
        mehmet = User(
            telegram_user_id=800_000_001,
            chat_id=800_000_001,
            role="expert",
            display_name="Mehmet",
            home_municipality_id=munis["Venlo"],
        )
        s.add(mehmet)
        await s.flush()
        for i, (day, muni, residents) in enumerate(
            [
                (date(2026, 2, 3), "Venlo", 6),
                (date(2026, 3, 30), "Venlo", 2),  # the week DST starts
                (date(2026, 5, 12), "Venray", 7),
                (date(2026, 8, 4), "Venlo", 3),  # after the period
            ]
        ):
            await add_contact(
                s,
                mehmet.id,
                day,
                60,
                munis[muni],
                act.id,
                [theme.id],
                submission_key=f"seed-{i}",
                residents_count=residents,
                residents_new=1,
                reach_channel_id=reach.id,
            )
        for i in range(stories):
            s.add(
                Story(
                    submission_key=f"seed-story-{i}",
                    expert_id=mehmet.id,
                    work_date=date(2026, 1, 10 + i),
                    municipality_id=munis["Venlo" if i % 2 == 0 else "Venray"],
                    text=STORY_TEXTS[i % len(STORY_TEXTS)],
                )
            )
    return munis


async def count(bot, table) -> int:
    async with bot.services.sessions() as s:
        return (await s.exec(select(func.count()).select_from(table))).one()


def documents(person) -> list:
    return [r for r in person.replies if r.document_name]


async def coordinator_at(bot, command: str, *, stories: int = 2):
    """The data seeded, and the coordinator (Carla) who typed `command`."""
    await seed(bot, stories=stories)
    carla = await bot.coordinator()
    await carla.says(command)
    return carla


# --------------------------------------------------------------------------- /rapport


async def test_only_the_coordinator_gets_a_report(bot):
    await seed(bot)
    anna = await bot.expert()
    to_anna = (await anna.says("/rapport")).only
    assert to_anna.text == "Dit kan alleen de coördinator."
    sam = bot.resident()
    refused = (await sam.says("/rapport 2026-H1 Venlo")).only
    assert "alleen voor ervaringsdeskundigen" in refused.text
    # A coordinator's button, forged or forwarded, is refused too.
    await anna.press_data("p:1:1:go", to_anna)
    assert anna.last_callback_answer.answer.text == "Dit kan alleen de coördinator."
    for person in (anna, sam):
        assert documents(person) == []
        assert "rapport" not in [n for n, _ in bot.tg.effective_commands(person.chat_id)]
    assert "rapport" in [n for n, _ in bot.tg.effective_commands((await bot.coordinator()).chat_id)]
    assert await count(bot, ConversationDraft) == 0


async def test_choosing_what_to_report(bot):
    await seed(bot)
    carla = await bot.coordinator()
    step = (await carla.says("/rapport")).only
    assert "Over welke periode?" in step.text
    # November 2026: the finished and the running half year, quarter and year.
    assert step.button_labels[:6] == [
        "1e halfjaar 2026",
        "2e halfjaar 2026 (loopt nog)",
        "3e kwartaal 2026",
        "4e kwartaal 2026 (loopt nog)",
        "heel 2025",
        "heel 2026 (loopt nog)",
    ]
    assert "H1 of H2" in (await carla.says("2026-H3")).only.text
    assert "Typ een periode zoals" in (await carla.says("volgende maand")).only.text
    step = (await carla.says("1-1-2026 tot 31-3-2026")).only
    assert "Voor welke gemeente?" in step.text
    await carla.press("Andere periode")
    step = (await carla.press("1e halfjaar 2026")).only
    assert "Die gemeente ken ik niet" in (await carla.says("Atlantis")).only.text
    summary = (await carla.says("blerick")).only  # a village: its municipality
    assert "Periode: 1e halfjaar 2026 (1 januari t/m 30 juni 2026)" in summary.text
    assert "Voor: Venlo: een PDF en een Excel-bestand" in summary.text
    assert "veilig om te delen" in summary.text
    summary = (await carla.press("Intern: echte aantallen")).only
    assert "intern: de echte aantallen" in summary.text
    summary = (await carla.press("Andere gemeente")).only
    summary = (await carla.press("Alle gemeenten")).only
    assert "een PDF per gemeente, een voor de regio" in summary.text
    go = summary.button("Maak het rapport")["callback_data"]
    done = (await carla.press("Stoppen")).only
    assert done.text == "Gestopt. Er is geen rapport gemaakt."
    await carla.press_data(go, done)  # a button of the stopped dialogue: nothing is made
    assert carla.last_callback_answer.answer.text.startswith("Dit rapport is al gemaakt of gestopt")
    assert documents(carla) == []
    assert await count(bot, ConversationDraft) == 0
    carla.assert_callbacks_answered()


async def test_a_period_that_has_not_started_is_refused_and_the_step_stays(bot):
    carla = await coordinator_at(bot, "/rapport")
    # November 2026: 2027-H1 has not started. The message says what can be chosen.
    refused = (await carla.says("2027-H1")).only
    assert "Die periode is nog niet begonnen." in refused.text
    assert "over het halfjaar dat nu loopt (2026-H2)" in refused.text
    assert "over een periode die voorbij is, zoals 2026-H1" in refused.text
    assert "Over welke periode?" in refused.text  # still the period step, with its buttons
    assert "1e halfjaar 2026" in refused.button_labels
    assert "nog niet begonnen" in (await carla.says("1-1-2027 tot 31-3-2027")).only.text
    # The running half year is allowed; the summary says it is not complete.
    step = (await carla.says("2026-H2")).only
    assert "Voor welke gemeente?" in step.text
    summary = (await carla.press("Alle gemeenten")).only
    assert "deze periode loopt nog" in summary.text
    # Straight from the command: refused too, and the dialogue asks for the period.
    again = (await carla.says("/rapport 2027-H1 Venlo")).only
    assert "Die periode is nog niet begonnen." in again.text
    assert "Over welke periode?" in again.text
    assert documents(carla) == []


async def test_running_period_is_flagged(bot):
    carla = await coordinator_at(bot, "/rapport 2026-Q4")
    summary = (await carla.press("Alle gemeenten")).only
    assert "deze periode loopt nog" in summary.text


async def test_coordinator_receives_pdf_and_xlsx(bot):
    carla = await coordinator_at(bot, "/rapport")
    await carla.press("1e halfjaar 2026")
    summary = (await carla.press("Venlo")).only
    go = summary.button("Maak het rapport")["callback_data"]
    await carla.press("Maak het rapport")
    assert carla.last_callback_answer.answer.text == "Ik maak het rapport."
    # The summary loses its buttons; a progress message is edited as files are done.
    assert summary.buttons == []
    progress = next(r for r in carla.replies if r.text.startswith("Klaar: 2 bestanden"))
    assert progress.edited and any("Bezig met het rapport" in h for h in progress.history)
    files = documents(carla)
    assert len(files) == 2
    assert all(f.protect_content for f in files)
    pdf = next(f for f in files if f.document_name.endswith(".pdf"))
    xlsx = next(f for f in files if f.document_name.endswith(".xlsx"))
    assert pdf.document.startswith(b"%PDF")
    assert pdf.text == "Venlo · 1e halfjaar 2026 (1 januari t/m 30 juni 2026)"
    assert xlsx.text.startswith("Tabellen (Excel) · 1e halfjaar 2026")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.document)).pages)
    assert "Venlo" in text
    book = openpyxl.load_workbook(io.BytesIO(xlsx.document))
    assert len(book.sheetnames) >= 2
    # The same (now old) button again: no second pack, a clear answer.
    await carla.press_data(go, summary)
    assert "al gemaakt" in carla.last_callback_answer.answer.text
    assert len(documents(carla)) == 2
    carla.assert_callbacks_answered()
    assert await count(bot, ConversationDraft) == 0


# --------------------------------------------------------------------------- /verhalen


async def test_mark_stories_for_municipalities(bot):
    munis = await seed(bot, stories=7)
    carla = await bot.coordinator()
    await carla.says("/verhalen")
    page = (await carla.press("1e halfjaar 2026")).only
    assert "7 verhalen." in page.text
    assert page.button_labels[:5] == ["1", "2", "3", "4", "5"]
    assert "Volgende »" in page.button_labels and "« Vorige" not in page.button_labels
    assert "1. 10 jan · Venlo" in page.text
    page = (await carla.press("Volgende »")).only
    assert page.button_labels[:2] == ["6", "7"] and "« Vorige" in page.button_labels
    await carla.press("« Vorige")
    story = (await carla.press("1")).only
    assert "Verhaal 1 van 7" in story.text and "Nog in geen enkel rapport." in story.text
    assert STORY_TEXTS[0] in story.text
    old = story.button("Venlo")["callback_data"]
    story = (await carla.press("Venlo")).only
    assert carla.last_callback_answer.answer.text == "In het rapport van Venlo"
    assert "In het rapport van: Venlo." in story.text and "✓ Venlo" in story.button_labels
    story = (await carla.press("Horst aan de Maas")).only
    assert "In het rapport van: Horst aan de Maas, Venlo." in story.text or (
        "In het rapport van: Venlo, Horst aan de Maas." in story.text
    )
    # An old button (from before the marks) changes nothing.
    await carla.press_data(old, story)
    assert "niet meer actueel" in carla.last_callback_answer.answer.text
    story = (await carla.press("✓ Horst aan de Maas")).only
    assert carla.last_callback_answer.answer.text == "Uit het rapport van Horst aan de Maas"
    page = (await carla.press("« Terug naar de lijst")).only
    assert "in rapport: Venlo" in page.text
    done = (await carla.press("Klaar")).only
    assert done.text.startswith("Klaar. Wat je koos, is bewaard")
    carla.assert_callbacks_answered()

    async with bot.services.sessions() as s:
        rows = await report_content.stories_of_period(
            s, H1, municipality_id=munis["Venlo"], selected_only=True
        )
        actions = [(a.entity, a.action) for a in (await s.exec(select(AuditLog))).all()]
    assert [r.text for r in rows] == [STORY_TEXTS[0]]
    assert await count(bot, ReportStorySelection) == 1
    assert actions.count(("report_story_selection", "create")) == 2
    assert actions.count(("report_story_selection", "delete")) == 1
    assert await count(bot, ConversationDraft) == 0


async def test_edit_a_story_anonymously(bot):
    carla = await coordinator_at(bot, "/verhalen 2026-H1", stories=2)
    await carla.press("2")
    step = (await carla.press("Tekst aanpassen")).only
    assert "Typ de nieuwe tekst" in step.text and STORY_TEXTS[1] in step.text
    # A name and a phone number: refused, nothing stored, the step stays.
    refused = (await carla.says("Mevrouw Jansen belde ons op 06-12345678 over haar brief.")).only
    assert "Dit sla ik niet op" in refused.text and "telefoonnummer" in refused.text
    assert "Typ de nieuwe tekst" in refused.text
    async with bot.services.sessions() as s:
        texts = [st.text for st in (await s.exec(select(Story).order_by(Story.id))).all()]
    assert texts == STORY_TEXTS[:2]
    new = "Een vrouw durfde een brief niet te openen; samen vonden we een oplossing."
    story = (await carla.says(new)).only
    assert "De nieuwe tekst is opgeslagen" in story.text and new in story.text
    assert "Verhaal 2 van 2" in story.text
    async with bot.services.sessions() as s:
        edited = (await s.exec(select(Story).order_by(Story.id))).all()[1]
        audit = (await s.exec(select(AuditLog).where(AuditLog.entity == "story"))).all()
    assert edited.text == new
    assert [(a.action, a.before["text"], a.after["text"]) for a in audit] == [
        ("edit", STORY_TEXTS[1], new)
    ]


async def test_no_stories_in_the_period(bot):
    await seed(bot, stories=0)
    carla = await bot.coordinator()
    step = (await carla.says("/verhalen 2025")).only
    assert "Er zijn geen verhalen in deze periode." in step.text
    assert "Typ een periode zoals" in (await carla.says("/verhalen morgen")).only.text


# --------------------------------------------------------------------------- /toelichting


async def test_write_the_narrative_per_municipality(bot):
    munis = await seed(bot)
    carla = await bot.coordinator()
    await carla.says("/toelichting")
    which = "Voor welke gemeente schrijf je de toelichting?"
    await reply_to(carla.press("1e halfjaar 2026"), which)
    await reply_to(carla.press("Venlo"), "Er staat nog geen toelichting.")
    named = carla.says("Dhr. De Vries (Kerkstraat 12) was blij met de hulp.")
    await reply_to(named, "Dit sla ik niet op", "Typ de toelichting")
    assert await count(bot, ReportNarrative) == 0
    paragraph = (
        "In Venlo vonden inwoners via de inloop vaker de weg naar schuldhulp. "
        "Ervaringsdeskundigen gingen mee naar het eerste gesprek."
    )
    step = (await carla.says(paragraph)).only
    assert step.text.startswith("Opgeslagen: de toelichting voor Venlo.")
    assert "✓ Venlo" in step.button_labels
    step = (await carla.press("De regio")).only
    await carla.says("In de hele regio groeide het aantal inwoners dat zelf de inloop vond.")
    step = (await carla.press("✓ Venlo")).only
    assert paragraph in step.text
    old = step.button("Toelichting weghalen")["callback_data"]
    step = (await carla.press("« Andere gemeente")).only
    assert "✓ De regio (alle gemeenten samen)" in step.button_labels
    await carla.press_data(old, step)
    assert "niet meer actueel" in carla.last_callback_answer.answer.text
    done = (await carla.press("Klaar")).only
    assert done.text.startswith("Klaar. De toelichtingen komen")
    carla.assert_callbacks_answered()

    async with bot.services.sessions() as s:
        venlo = await report_content.get_narrative(s, munis["Venlo"], H1)
        region = await report_content.get_narrative(s, None, H1)
        other = await report_content.get_narrative(s, munis["Venlo"], parse_period("2026-H2"))
    assert venlo is not None and venlo.text == paragraph
    assert region is not None and region.text.startswith("In de hele regio")
    assert other is None
    # After the dialogue is closed, its buttons are answered clearly.
    await carla.press_data(old, step)
    assert "al gesloten" in carla.last_callback_answer.answer.text
    assert await count(bot, ReportNarrative) == 2


# --------------------------------------------------------------------------- all together


def pdf_text(reply) -> str:
    pages = pypdf.PdfReader(io.BytesIO(reply.document)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


async def test_chosen_story_and_narrative_reach_the_internal_report(bot):
    carla = await coordinator_at(bot, "/verhalen 2026-H1", stories=2)
    await tap_through(carla, ["1", "Venlo"])
    await carla.says("/toelichting 2026-H1")
    await carla.press("Venlo")
    await carla.says("Inwoners van Venlo vonden via de inloop sneller de weg naar schuldhulp.")
    # Period and municipality typed along.
    await reply_to(carla.says("/rapport 2026-H1 Venlo"), "Voor: Venlo")
    await tap_through(carla, ["Intern: echte aantallen", "Maak het rapport"])
    files = documents(carla)
    names = sorted(f.document_name for f in files)
    assert [n.rsplit(".", 1)[1] for n in names] == ["pdf", "xlsx"]
    assert all("venlo" in n and "intern" in n for n in names)  # the file says what it is
    assert all(f.protect_content and f.text.endswith("intern, niet delen") for f in files)
    text = pdf_text(next(f for f in files if f.document_name.endswith(".pdf")))
    assert "sneller de weg naar schuldhulp" in text
    assert "koffie drinken en vertelde na een maand" in text  # the story marked for Venlo
    assert "Samen lazen we hem" not in text  # the other story (about Venray) was not marked


async def test_a_failed_build_says_so_and_can_be_retried(bot, monkeypatch):
    await seed(bot)
    carla = await bot.coordinator()

    async def broken(*args, **kwargs):
        raise RuntimeError("typst fell over")
        yield  # an async generator, like the real one

    monkeypatch.setattr("bot.handlers.rapport.build_pack", broken)
    await carla.says("/rapport 2026-H1 Venlo")
    await carla.press("Maak het rapport")
    assert carla.last_reply.text.startswith("Het rapport kon niet worden gemaakt.")
    assert documents(carla) == []
    assert await count(bot, ConversationDraft) == 0  # nothing half-open left behind
    monkeypatch.undo()
    await carla.says("/rapport 2026-H1 Venlo")
    await carla.press("Maak het rapport")
    assert len(documents(carla)) == 2
    carla.assert_callbacks_answered()
