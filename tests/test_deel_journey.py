"""Issue 12, "Done when", end to end through the fake Bot API on SQLite and PostgreSQL: a
coordinator creates a deelopdracht with two measures in chat; an expert logs contacts under it
(one by buttons, one by the one-line entry naming its short name) and answers the follow-ups
six weeks later; the coordinator's /deelopdracht and the weekly digest show the new figures; a
resident and an expert cannot create or edit one (the database stays as it was)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.handlers.followup import followup_pass
from bot.scheduler import digest_pass
from bot.sender import Pacer
from bot.storage.db import session_factory
from bot.storage.models import (
    AuditLog,
    Contact,
    ContactFollowup,
    Deelopdracht,
    DeelopdrachtMeasure,
    DeelopdrachtMoment,
)
from fakebot.scenario import Reply
from tests.helpers import all_rows, one_row
from tests.journeys import add_measure, contact_by_buttons, create_deelopdracht, reply_to

TZ = ZoneInfo("Europe/Amsterdam")
TODAY = date(2026, 11, 17)  # the clock fixture: Tuesday 17 November 2026, 14:00 local
DUE = TODAY + timedelta(weeks=6)  # the follow-up: Tuesday 29 December 2026 (week 53)
DIGEST_DUE = datetime(2027, 1, 4, 8, 30, tzinfo=TZ)  # Monday: the digest of 2026-W53 is due


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=TZ)


async def snapshot(bot) -> tuple:
    """Everything a deelopdracht is, its audit trail, and the contacts and follow-ups."""
    async with session_factory(bot.engine)() as s:

        async def dump(model, order) -> list[dict]:
            rows = (await s.exec(select(model).order_by(order))).all()
            return [r.model_dump() for r in rows]

        return (
            await dump(Deelopdracht, Deelopdracht.id),
            await dump(DeelopdrachtMeasure, DeelopdrachtMeasure.id),
            await dump(DeelopdrachtMoment, DeelopdrachtMoment.id),
            await dump(AuditLog, AuditLog.id),
            await dump(Contact, Contact.id),
            await dump(ContactFollowup, ContactFollowup.id),
        )


def progress_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.startswith("• ")]


async def open_deelopdracht(carla, *shown: str) -> Reply:
    """The coordinator opens WIJ Blerick; it must show each text of `shown`."""
    await carla.says("/deelopdracht")
    await carla.press("Venlo")
    return await reply_to(carla.press("WIJ Blerick"), *shown)


async def test_coordinator_creates_expert_logs_and_figures_follow(bot):
    carla = await bot.coordinator("Carla")
    # Anna works mostly in Venray: only the deelopdracht's short name puts the line in Venlo.
    anna = await bot.expert("Anna", gemeente="Venray")
    sam = bot.resident("Sam")
    carla_id = (await bot.app_user(carla)).id

    # ---- The coordinator creates it in chat: 1 November 2026, 12 months, two measures.
    opened = await create_deelopdracht(carla, "WIJ Blerick", "1-11-2026", code="wij-blerick")
    assert "1 november 2026 t/m 31 oktober 2027" in opened.text, opened.text
    saved = await add_measure(carla, "Nieuwe inwoners", "10", "binnen 3 maanden")
    assert "1. Nieuwe inwoners bereikt: 10, binnen 3 maanden na de start" in saved.text
    saved = await add_measure(carla, "Doorgestroomd", "80%", "Hele periode")
    assert "2. Doorgestroomd naar voorzieningen: 80%, hele periode" in saved.text, saved.text
    # Nothing logged yet: 0 of 10 after 17 of the window's 92 days (expected 1,8): behind.
    assert progress_lines(saved.text) == [
        "• Nieuwe inwoners bereikt (eerste 3 maanden): 0 van 10 — achter op schema",
        "• Doorgestroomd naar voorzieningen: nog geen gegevens (doel 80 %)",
    ], saved.text

    # ---- The expert logs two contacts with new residents under it.
    # By buttons: the only active deelopdracht of Venlo is taken without asking.
    summary = await contact_by_buttons(anna, "Geen vaste plek", ["3", "Nieuw"])
    assert "Deelopdracht: WIJ Blerick" in summary.text, summary.text
    await anna.press("Opslaan")
    # By the one-line entry, naming the deelopdracht by its short name (and no place).
    one_line = anna.says("/contact 1 uur huisbezoek wij-blerick schulden 2 nieuw")
    await reply_to(one_line, "Deelopdracht: WIJ Blerick", "Plaats: Venlo")
    await anna.press("Opslaan")

    deel = await one_row(bot, Deelopdracht)
    contacts = await all_rows(bot, Contact)
    assert (deel.code, deel.title, deel.starts_on, deel.ends_on, deel.followup_weeks) == (
        "wij-blerick",
        "WIJ Blerick",
        date(2026, 11, 1),
        date(2027, 10, 31),
        6,
    )
    venlo = deel.municipality_id
    assert [
        (c.deelopdracht_id, c.municipality_id, c.residents_new, c.work_date) for c in contacts
    ] == [(deel.id, venlo, 3, TODAY), (deel.id, venlo, 2, TODAY)]

    # The coordinator sees them at once. New residents 3 + 2 = 5 of 10; expected by 17
    # November: 10 × 17 / 92 = 1,8 → on schedule. Went on: no follow-up answered yet.
    opened = await open_deelopdracht(carla, "Stand op 17 november 2026")
    assert progress_lines(opened.text) == [
        "• Nieuwe inwoners bereikt (eerste 3 maanden): 5 van 10 — op schema",
        "• Doorgestroomd naar voorzieningen: nog geen gegevens (doel 80 %)",
    ]

    # ---- Six weeks later, at a good hour: the follow-up of each contact, asked once.
    bot.clock.set(at(DUE, 10, 30))
    assert (await followup_pass(bot.app)).sent == 2
    questions = [r for r in anna.replies if "daarna naar hulp" in r.text]
    [three] = [q for q in questions if "sprak je 3 nieuwe inwoners (WIJ Blerick)" in q.text]
    [two] = [q for q in questions if "sprak je 2 nieuwe inwoners (WIJ Blerick)" in q.text]
    assert three.button_labels == ["0", "1", "2", "3", "Weet ik niet"]
    # One tap each: "2" of the 3; "Weet ik niet" for the 2 (the optional kind left open).
    await reply_to(anna.press("2", message=three.message_id), "Genoteerd: 2 van de 3.")
    await anna.press("Weet ik niet", message=two.message_id)
    answers = {
        f.contact_id: (f.went_on, f.answered_at is not None)
        for f in await all_rows(bot, ContactFollowup)
    }
    assert answers == {contacts[0].id: (2, True), contacts[1].id: (None, True)}

    # /deelopdracht on 29 December. New residents: 5 of 10, expected 10 × 59 / 92 = 6,4 →
    # behind. Went on: only follow-ups answered with a number count: 2 of the 3 new residents
    # of the first contact = 66,7 % → "67 %", below the 80 % that holds at any moment → behind.
    # ("Weet ik niet" leaves the second contact's 2 residents out of the base.)
    opened = await open_deelopdracht(carla, "Stand op 29 december 2026")
    assert progress_lines(opened.text) == [
        "• Nieuwe inwoners bereikt (eerste 3 maanden): 5 van 10 — achter op schema",
        "• Doorgestroomd naar voorzieningen: 67 % (doel 80 %) — achter op schema",
    ]

    # ---- The weekly digest of 2026-W53 (28 December - 3 January), figures on Sunday 3
    # January 2027: 5 of 10, expected 10 × 64 / 92 = 7,0 → behind; went on still 67 %.
    bot.services.pacer = Pacer(rate=1000, per_chat=0)
    bot.clock.set(DIGEST_DUE)
    report = await digest_pass(bot.app)
    assert (report.period, report.sent) == ("2026-W53", 1)
    [digest] = [r for r in carla.replies if "Weekoverzicht week" in (r.text or "")]
    section = digest.text.split("Deelopdrachten\n")[1].split("\n\n")[0].split("\n")
    assert section == [
        "• WIJ Blerick (Venlo): "
        "Nieuwe inwoners bereikt (eerste 3 maanden) 5 van 10 (achter op schema) · "
        "Doorgestroomd naar voorzieningen 67 % (doel 80 %) (achter op schema)"
    ], digest.text

    # ---- A resident and an expert cannot create or edit one. They send /deelopdracht, and
    # press each of the coordinator's buttons that creates or changes something, with the
    # data it has at that moment (so it is not refused only for being old).
    before = await snapshot(bot)
    assert len(before[0]) == 1 and before[0][0]["active"]
    to_anna = await reply_to(anna.says("/deelopdracht"), "alleen de coördinator")
    to_sam = await reply_to(sam.says("/deelopdracht"), "alleen voor ervaringsdeskundigen")
    assert not to_anna.keyboard and not to_sam.keyboard
    # A callback always comes from a message in the presser's own chat: the data is sent
    # from the refusal each of them got.
    own = {anna.id: to_anna, sam.id: to_sam}

    async def others_press(message, *labels: str) -> None:
        """Anna and Sam send the data of the coordinator's buttons `labels` on `message`."""
        for label in labels:
            data = message.button(label)["callback_data"]
            for person in (anna, sam):
                replies = await person.press_data(data, own[person.id])
                assert not any(r.keyboard for r in replies), (label, replies.texts)
            assert "coördinator" in (anna.last_callback_answer.text or ""), label
            assert "alleen voor ervaringsdeskundigen" in (sam.last_callback_answer.text or "")

    await carla.says("/deelopdracht")
    for label, *others in (
        ("Venlo", "Nieuwe deelopdracht"),
        ("WIJ Blerick", "Wijzigen", "Meetpunt erbij", "Meetpunt weg", "Beëindigen"),
        ("Meetpunt weg", "✕ 1.", "✕ 2."),
        ("« Terug",),
        ("Wijzigen", "Titel", "Doelen", "Gemeente"),
        ("« Terug",),
    ):
        await others_press(await reply_to(carla.press(label)), *others)
    confirm = await reply_to(carla.press("Beëindigen"), "beëindigen?")
    await others_press(confirm, "Ja, beëindigen")
    # Typed text (as if a step had opened for them) changes nothing either.
    await anna.says("Nieuwe titel")
    await sam.says("Nieuwe titel")
    assert await snapshot(bot) == before
    # The same buttons were live: the coordinator's own "Ja, beëindigen" does end it.
    await reply_to(carla.press("Ja, beëindigen"), "De deelopdracht is beëindigd.")
    assert (await one_row(bot, Deelopdracht)).active is False
    # The coordinator's own audit trail: the deelopdracht and its two measures, by her.
    audits = [
        (a["entity"], a["action"], a["actor_id"])
        for a in before[3]
        if a["entity"].startswith("deelopdracht")
    ]
    assert audits == [
        ("deelopdracht", "create", carla_id),
        ("deelopdracht_measure", "create", carla_id),
        ("deelopdracht_measure", "create", carla_id),
    ]
    bot.tg.assert_all_callbacks_answered()
