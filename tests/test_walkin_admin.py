"""/inloopbeheer through the fake Bot API (SQLite and PostgreSQL): a coordinator adds, changes
and stops sessions, cancels a date, adds an extra date and reads in a CSV file; residents see
the result at once. Double taps, old buttons and bad input change nothing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from bot.domain.walkin import TZ
from bot.domain.walkin_csv import parse_sessions_csv
from bot.handlers.walkin_admin import parse_day, parse_time_range
from bot.storage import walkin as repo
from bot.storage.db import transaction
from bot.storage.models import AuditLog, ConversationDraft, WalkInException, WalkInSession
from tests import helpers

SAMPLE = Path(__file__).resolve().parent.parent / "bot" / "data" / "inloop_voorbeeld.csv"
TUESDAY_MORNING = datetime(2026, 3, 3, 10, 30, tzinfo=TZ)


async def seed(bot) -> None:
    bot.clock.set(TUESDAY_MORNING)
    rows = parse_sessions_csv(SAMPLE.read_text("utf-8")).rows
    async with transaction(bot.services.sessions) as s:
        await repo.import_rows(s, rows, bot.clock.now())


async def open_admin(bot, *choices: str):
    """Seeds the sample sessions, opens /inloopbeheer as a coordinator and presses `choices`."""
    await seed(bot)
    return await admin(bot, *choices)


async def admin(bot, *choices: str):
    """Opens /inloopbeheer as a new coordinator and presses `choices`."""
    carla = await bot.coordinator()
    await choose(carla, *choices)
    return carla


async def choose(carla, *choices: str) -> None:
    """Opens /inloopbeheer and presses `choices`, one after the other."""
    await carla.says("/inloopbeheer")
    for choice in choices:
        await carla.press(choice)


async def count(bot, table) -> int:
    async with bot.services.sessions() as s:
        return (await s.exec(select(func.count()).select_from(table))).one()


async def venlo_sessions(bot) -> list[WalkInSession]:
    async with bot.services.sessions() as s:
        venlo = await repo.municipality_by_name(s, "Venlo")
        return [row for row, _ in await repo.sessions_in(s, venlo.id, include_inactive=True)]


# --------------------------------------------------------------------------- pure helpers


def test_time_ranges_and_dates_as_coordinators_type_them():
    assert parse_time_range("10:00-12:00") == (time(10), time(12))
    assert parse_time_range(" 9.30 – 11.15 ") == (time(9, 30), time(11, 15))
    assert parse_time_range("van 10 tot 12") == (time(10), time(12))
    for bad in ("10:00", "12:00-10:00", "10-10", "morgen", "25:00-26:00", ""):
        assert parse_time_range(bad) is None, bad
    today = date(2026, 3, 3)
    assert parse_day("24-12", today) == date(2026, 12, 24)
    assert parse_day("morgen", today) == date(2026, 3, 4)
    assert parse_day("volgende vrijdag", today) == date(2026, 3, 6)
    assert parse_day("1-2-2027", today) == date(2027, 2, 1)
    assert parse_day("ooit", today) is None


# --------------------------------------------------------------------------- journeys


async def test_add_a_session_step_by_step(bot):
    await seed(bot)
    carla = await bot.coordinator()
    menu = (await carla.says("/inloopbeheer")).only
    assert "Nieuwe inloop of spreekuur" in menu.button_labels
    await carla.press("Nieuwe inloop of spreekuur")
    # A typed municipality (or village) works as well as a button.
    assert "Die gemeente ken ik niet" in (await carla.says("Atlantis")).last.text
    step = (await carla.says("blerick")).only
    assert step.text.startswith("Hoe heet de plek?")
    assert "Buurthuis De Kolk" in step.button_labels  # places Venlo already has
    assert "2 tot 120 tekens" in (await carla.says("X")).last.text
    # Residents read the place name: no private person's details in it.
    refused = (await carla.says("bij mevrouw Jansen thuis")).last
    assert "Er lijkt iets persoonlijks in te staan" in refused.text
    assert refused.text.endswith("Of kies een plek die er al is.")  # still this step
    assert (await carla.says("Buurthuis Het Perron")).only.text.startswith("Wat is het adres?")
    step = (await carla.says("Stationsplein 1 Venlo")).only
    assert step.button_labels[:3] == ["maandag", "dinsdag", "woensdag"]
    step = (await carla.press("zaterdag")).only
    assert step.text.startswith("Van hoe laat tot hoe laat?")
    bad = (await carla.says("tien tot twaalf")).last
    assert "bijvoorbeeld 10:00-12:00" in bad.text
    assert (await carla.says("12:00-10:00")).last.text.startswith("Dat begrijp ik niet")
    summary = (await carla.says("10:00-12:00")).only
    assert "Plek: Buurthuis Het Perron" in summary.text
    assert "Dag: elke zaterdag" in summary.text
    assert "Tijd: 10:00 – 12:00" in summary.text
    assert "Soort: inloop" in summary.text
    assert "Open op feestdagen: nee" in summary.text
    summary = (await carla.press("Maak er een spreekuur van")).only
    assert "Soort: spreekuur" in summary.text
    before = await count(bot, WalkInSession)
    save_data = summary.keyboard[0][0]["callback_data"]  # the reply is live: read it now
    assert save_data.startswith("b:") and save_data.endswith(":save")
    saved = (await carla.press("Opslaan")).only
    assert saved.text == "Opgeslagen. Inwoners zien deze inloop nu bij /inloop."
    # A second tap on the same (old) button saves nothing twice.
    await carla.press_data(save_data, summary)
    assert "eerdere stap" in carla.last_callback_answer.answer.text
    carla.assert_callbacks_answered()
    assert await count(bot, WalkInSession) == before + 1
    assert await count(bot, ConversationDraft) == 0

    answer = (await bot.resident().says("zaterdag in blerick?")).only.text
    assert answer.startswith("Spreekuur in Venlo")
    assert "Zaterdag 7 maart" in answer and "Buurthuis Het Perron" in answer
    assert "Stationsplein 1 Venlo" in answer
    async with bot.services.sessions() as s:
        audit = (await s.exec(select(AuditLog))).all()
    assert [(a.entity, a.action, a.actor_id is not None) for a in audit][-1] == (
        "walkin_session",
        "create",
        True,
    )


async def test_the_same_session_twice_is_refused(bot):
    carla = await open_admin(bot, "Nieuwe inloop of spreekuur", "Venlo")
    await carla.press("Buurthuis De Kolk")  # known place: the address comes along
    await carla.press("dinsdag")
    await carla.says("10:00-12:00")
    before = await count(bot, WalkInSession)
    assert (await carla.press("Opslaan")).only.text.startswith("Deze inloop stond er al")
    assert await count(bot, WalkInSession) == before


async def test_change_the_time_of_a_session(bot):
    carla = await open_admin(bot, "Tijd, dag of plek wijzigen")
    step = (await carla.press("Venlo")).only
    assert "di 10:00–12:00 · Buurthuis De Kolk" in step.button_labels
    await carla.press("Buurthuis De Kolk")
    await carla.press("Tijden")
    summary = (await carla.says("9:30-11:30")).only
    assert "Tijden: 10:00 – 12:00 → 09:30 – 11:30" in summary.text
    assert (await carla.press("Opslaan")).only.text == "Gewijzigd."
    text = (await bot.resident().says("inloop venlo nu")).only.text
    assert "09:30 – 11:30" in text and "Nu open, tot 11:30" in text


async def test_stop_a_session_softly(bot):
    carla = await open_admin(bot, "Stoppen met een inloop", "Venlo", "Huiskamer Op de Hoek")
    # A last date in the future: it still runs until then.
    summary = (await carla.says("13-3")).only
    assert "De laatste keer is op vrijdag 13 maart." in summary.text
    assert "Na vrijdag 13 maart" in (await carla.press("Opslaan")).only.text
    text = (await bot.resident().says("wanneer is de inloop in venlo")).only.text
    assert "Vrijdag 13 maart" in text and "Vrijdag 6 maart" in text

    await choose(carla, "Stoppen met een inloop", "Venlo", "Buurthuis De Kolk")
    assert "Die datum is al geweest" in (await carla.says("2-3-2026")).last.text
    await carla.press("Nu stoppen")
    done = (await carla.press("Opslaan")).only
    assert done.text == "Gestopt. Inwoners zien deze inloop niet meer."
    text = (await bot.resident().says("wanneer is de inloop in venlo")).only.text
    assert "Buurthuis De Kolk" not in text
    kolk = next(r for r in await venlo_sessions(bot) if r.place == "Buurthuis De Kolk")
    assert kolk.active is False  # kept, not deleted


async def test_cancel_one_date(bot):
    carla = await open_admin(bot, "Eén datum afzeggen", "Venlo")
    step = (await carla.press("Buurthuis De Kolk")).only
    assert step.button_labels[:2] == ["Dinsdag 3 maart", "Dinsdag 10 maart"]
    assert "is deze inloop er niet" in (await carla.says("woensdag")).last.text
    summary = (await carla.press("Dinsdag 10 maart")).only
    assert "Gaat niet door op dinsdag 10 maart." in summary.text
    assert (
        "Inwoners zien dat het op dinsdag 10 maart niet doorgaat"
        in (await carla.press("Opslaan")).only.text
    )
    rita = bot.resident()
    text = (await rita.says("volgende week dinsdag inloop venlo")).only.text
    assert "Op dinsdag 10 maart is er geen inloop in Venlo." in text
    assert "Vandaag, dinsdag 3 maart" in (await rita.says("inloop venlo vandaag")).only.text

    # Typed instead of tapped, and the same date again: one row.
    await choose(carla, "Eén datum afzeggen", "Venlo", "Buurthuis De Kolk")
    await carla.says("10-3")
    assert (await carla.press("Opslaan")).only.text == "Die datum was al afgezegd."
    assert await count(bot, WalkInException) == 1


async def test_add_an_extra_date(bot):
    carla = await open_admin(bot, "Extra datum toevoegen", "Venlo")
    step = (await carla.press("Buurthuis De Kolk")).only
    assert step.text.startswith("Op welke datum?")
    assert "geen datum die ik ken" in (await carla.says("ooit")).last.text
    step = (await carla.says("zaterdag")).only
    assert "Zelfde tijd (10:00 – 12:00)" in step.button_labels
    summary = (await carla.press("Zelfde tijd")).only
    assert "Datum: zaterdag 7 maart" in summary.text
    assert "Plek: Buurthuis De Kolk" in summary.text
    assert (await carla.press("Opslaan")).only.text.startswith("Opgeslagen. De extra datum")
    text = (await bot.resident().says("inloop venlo zaterdag")).only.text
    assert "Zaterdag 7 maart" in text and "Buurthuis De Kolk" in text

    # Somewhere else, for one day only.
    await choose(carla, "Extra datum toevoegen", "Weert", "Andere plek")
    await carla.says("Kerstmarkt Weert")
    await carla.says("Markt 1 Weert")
    await carla.says("24-12")
    await carla.says("14:00-17:00")
    await carla.press("Opslaan")
    bot.clock.set(datetime(2026, 12, 22, 9, 0, tzinfo=TZ))
    text = (await bot.resident().says("inloop weert donderdag")).only.text
    assert "Donderdag 24 december" in text and "Kerstmarkt Weert" in text


async def test_overview_and_quit(bot):
    carla = await open_admin(bot, "Overzicht per gemeente")
    text = (await carla.press("Venlo")).only.text
    assert text.startswith("Inloop en spreekuur in Venlo")
    assert "Buurthuis De Kolk, elke dinsdag 10:00 – 12:00" in text
    assert "spreekuur" in text and "ook op feestdagen" in text

    await choose(carla, "Nieuwe inloop of spreekuur")
    assert (await carla.press("Stoppen")).only.text == "Gestopt. Er is niets veranderd."
    assert await count(bot, ConversationDraft) == 0
    # Typed text after the dialogue ended is no longer taken as a step.
    assert "Opgeslagen" not in (await carla.says("10:00-12:00")).only.text


async def test_buttons_only_steps_say_what_is_accepted(bot):
    carla = await open_admin(bot)
    reply = (await carla.says("iets")).only
    assert reply.text.startswith("Kies een van de knoppen hieronder.")
    assert "Nieuwe inloop of spreekuur" in reply.button_labels
    await carla.press("Nieuwe inloop of spreekuur")  # the re-sent menu works
    assert "Welke gemeente?" in carla.last_reply.text


async def test_csv_upload_all_or_nothing_and_idempotent(bot):
    bot.clock.set(TUESDAY_MORNING)
    carla = await bot.coordinator()
    hint = (await carla.sends_document(b"x", "inloop.csv", mime_type="text/csv")).only
    assert "Typ /inloopbeheer" in hint.text
    await choose(carla, "CSV-bestand inlezen")
    assert "als bijlage" in (await carla.says("gemeente,plek")).last.text
    bad = (
        b"gemeente,plek,adres,weekdag,begin,einde\n"
        b"Venlo,Buurthuis De Kolk,Kolkstraat 14,di,10:00,12:00\n"
        b"Weert,Fatima,Fatimaplein 2,dinsdg,10:00,12:00\n"
    )
    reply = (await carla.sends_document(bad, "inloop.csv", mime_type="text/csv")).only
    assert reply.text.startswith("Er is niets ingelezen. Dit klopt nog niet:")
    assert "Regel 3: dinsdg is geen weekdag" in reply.text
    assert await count(bot, WalkInSession) == 0

    preview = (
        await carla.sends_document(SAMPLE.read_bytes(), "inloop.csv", mime_type="text/csv")
    ).only
    assert "In het bestand staan 23 inloopmomenten" in preview.text
    done = (await carla.press("Inlezen")).only
    assert done.text == "Ingelezen: 23 nieuw, 0 gewijzigd, 0 al goed."
    assert await count(bot, WalkInSession) == 23

    await choose(carla, "CSV-bestand inlezen")
    await carla.sends_document(SAMPLE.read_bytes(), "inloop.csv", mime_type="text/csv")
    again = (await carla.press("Inlezen")).only
    assert again.text == "Ingelezen: 0 nieuw, 0 gewijzigd, 23 al goed."
    assert await count(bot, WalkInSession) == 23


async def test_a_restart_mid_dialogue_loses_nothing(bot):
    carla = await open_admin(bot, "Nieuwe inloop of spreekuur")
    old_step = (await carla.press("Venray")).only
    old_data = old_step.keyboard[-1][0]["callback_data"]  # "Stoppen" of that step
    await carla.says("Bibliotheek Venray")
    await bot.restart()
    step = (await carla.says("Schouwburgplein 1 Venray")).only
    assert step.text.startswith("Op welke dag")
    # A button of an earlier step changes nothing, also after the restart.
    await carla.press_data(old_data, old_step)
    assert "eerdere stap" in carla.last_callback_answer.text
    await carla.press("vrijdag")
    await bot.restart()
    await carla.says("10:00-11:00")
    assert (await carla.press("Opslaan")).only.text.startswith("Opgeslagen.")
    carla.assert_callbacks_answered()
    text = (await bot.resident().says("inloop venray vrijdag")).only.text
    assert "Bibliotheek Venray" in text and "Schouwburgplein 1 Venray" in text


async def test_an_expired_dialogue_button_does_nothing(bot):
    await seed(bot)
    carla = await bot.coordinator()
    menu = (await carla.says("/inloopbeheer")).only
    bot.clock.advance(hours=bot.settings.draft_timeout_hours + 1)
    await carla.press("Nieuwe inloop of spreekuur", message=menu)
    assert "eerdere stap" in carla.last_callback_answer.text
    carla.assert_callbacks_answered()


async def test_a_button_of_a_finished_dialogue_does_not_work_in_the_next(bot):
    carla = await open_admin(bot)
    first = (await carla.press("Nieuwe inloop of spreekuur")).only
    buttons = [b for row in first.keyboard for b in row]
    old_venlo = next(b["callback_data"] for b in buttons if b["text"] == "Venlo")
    await carla.press("Stoppen")  # the draft is deleted; SQLite may reuse its id
    await choose(carla, "Nieuwe inloop of spreekuur")
    await carla.press_data(old_venlo, first)
    assert "eerdere stap" in carla.last_callback_answer.text
    assert carla.last_reply.text.startswith("Welke gemeente?")  # still the same step


# --------------------------------------------------------------------------- review fixes


async def upload_sample(carla) -> str:
    await choose(carla, "CSV-bestand inlezen")
    await carla.sends_document(SAMPLE.read_bytes(), "inloop.csv", mime_type="text/csv")
    return (await carla.press("Inlezen")).only.text


async def active_kolk(bot) -> list[WalkInSession]:
    return [r for r in await venlo_sessions(bot) if r.place == "Buurthuis De Kolk" and r.active]


async def test_new_after_stop_and_reimport_keep_one_session(bot):
    # Repro A: import, stop, add the same via "Nieuw", import again: never two active twins.
    bot.clock.set(TUESDAY_MORNING)
    carla = await bot.coordinator()
    assert (await upload_sample(carla)).startswith("Ingelezen: 23 nieuw")
    await choose(
        carla, "Stoppen met een inloop", "Venlo", "Buurthuis De Kolk", "Nu stoppen", "Opslaan"
    )
    assert await active_kolk(bot) == []

    await choose(carla, "Nieuwe inloop of spreekuur", "Venlo", "Buurthuis De Kolk", "dinsdag")
    await carla.says("10:00-12:00")
    saved = (await carla.press("Opslaan")).only.text
    assert saved == "Opgeslagen. Inwoners zien deze inloop nu bij /inloop."
    assert await count(bot, WalkInSession) == 23  # the stopped row came back, no new row
    assert len(await active_kolk(bot)) == 1

    # The file brings back its note on that same row; still one session.
    assert await upload_sample(carla) == "Ingelezen: 0 nieuw, 1 gewijzigd, 22 al goed."
    assert await count(bot, WalkInSession) == 23
    assert len(await active_kolk(bot)) == 1
    text = (await bot.resident().says("volgende week dinsdag inloop venlo")).only.text
    assert text.count("Buurthuis De Kolk") == 1

    # One cancelled date hides the session for residents (no twin left to show).
    await choose(
        carla, "Eén datum afzeggen", "Venlo", "Buurthuis De Kolk", "Dinsdag 10 maart", "Opslaan"
    )
    text = (await bot.resident().says("volgende week dinsdag inloop venlo")).only.text
    assert "Op dinsdag 10 maart is er geen inloop in Venlo." in text


async def test_an_edit_that_would_make_a_twin_is_refused(bot):
    # Repro B: session B's times changed to those of A (same place and day).
    await seed(bot)
    async with transaction(bot.services.sessions) as s:
        venlo = await repo.municipality_by_name(s, "Venlo")
        await repo.add_session(
            s,
            municipality_id=venlo.id,
            place="buurthuis de kolk",  # the same place, typed differently
            address="Kolkstraat 14 Venlo",
            weekday=1,
            start=time(14),
            end=time(16),
            now=bot.clock.now(),
        )
    carla = await admin(
        bot, "Tijd, dag of plek wijzigen", "Venlo", "di 14:00–16:00 · buurthuis de kolk", "Tijden"
    )
    await carla.says("10:00-12:00")
    done = (await carla.press("Opslaan")).only.text
    assert done == (
        "Deze inloop stond er al. Er is niets veranderd.\n"
        "Buurthuis De Kolk, elke dinsdag 10:00 – 12:00"
    )
    twin = next(r for r in await venlo_sessions(bot) if r.place == "buurthuis de kolk")
    assert (twin.start_time, twin.end_time) == (time(14), time(16))
    assert await count(bot, ConversationDraft) == 0
    text = (await bot.resident().says("volgende week dinsdag inloop venlo")).only.text
    assert text.count("10:00 – 12:00") == 1


async def test_undo_a_cancelled_date(bot):
    carla = await open_admin(bot, "Afzegging terugdraaien")
    empty = (await carla.press("Venlo")).only
    assert empty.text == "In Venlo is vanaf vandaag geen datum afgezegd."
    await carla.press("Stoppen")

    async with transaction(bot.services.sessions) as s:
        kolk = next(r for r, _n in await repo.sessions_in(s) if r.place == "Buurthuis De Kolk")
        await repo.cancel_date(s, kolk.id, date(2026, 3, 2), bot.clock.now())  # already past
        await repo.cancel_date(s, kolk.id, date(2026, 3, 10), bot.clock.now())
    rita = bot.resident()
    assert "geen inloop" in (await rita.says("volgende week dinsdag inloop venlo")).only.text

    await choose(carla, "Afzegging terugdraaien")
    step = (await carla.press("Venlo")).only
    assert step.text == "Welke afzegging wil je terugdraaien?"
    assert step.button_labels == ["di 10 mrt 10:00–12:00 · Buurthuis De Kolk", "Stoppen"]
    summary = (await carla.press("di 10 mrt 10:00–12:00 · Buurthuis De Kolk")).only
    assert summary.text.startswith("Afzegging terugdraaien\ndi 10 mrt: Buurthuis De Kolk gaat")
    assert "Inwoners zien dan weer dat deze inloop op dinsdag 10 maart doorgaat." in summary.text
    save_data = summary.keyboard[0][0]["callback_data"]
    done = (await carla.press("Opslaan")).only.text
    assert done == "Teruggedraaid. Inwoners zien dat deze inloop op dinsdag 10 maart doorgaat."
    await carla.press_data(save_data, summary)  # a second tap: nothing more happens
    assert "eerdere stap" in carla.last_callback_answer.answer.text
    carla.assert_callbacks_answered()
    assert await count(bot, WalkInException) == 1  # only the past one is left
    text = (await rita.says("volgende week dinsdag inloop venlo")).only.text
    assert "Dinsdag 10 maart" in text and "Buurthuis De Kolk" in text
    async with bot.services.sessions() as s:
        audit = (await s.exec(select(AuditLog).order_by(AuditLog.id))).all()
    last = audit[-1]
    assert (last.entity, last.action, last.after) == ("walkin_exception", "delete", None)
    assert last.before["on_date"] == "2026-03-10" and last.actor_id is not None


async def test_take_away_an_extra_date(bot):
    await seed(bot)

    async def add_market() -> int:
        market = ("Markt & Co <Weert>", "Markt 1 Weert")
        return await helpers.extra_date(bot, "Weert", date(2026, 3, 7), (14, 17), *market)

    extra_id = await add_market()
    rita = bot.resident()
    assert "Markt &amp; Co" not in (await rita.says("inloop weert zaterdag")).only.text
    assert "Markt & Co" in (await rita.says("inloop weert zaterdag")).only.text

    carla = await admin(bot, "Extra datum weghalen")
    step = (await carla.press("Weert")).only
    assert step.text == "Welke extra datum wil je weghalen?"
    summary = (await carla.press("za 7 mrt 14:00–17:00 · Markt & Co <Weert>")).only
    assert "za 7 mrt: extra 14:00 – 17:00, Markt & Co <Weert>" in summary.text
    assert "Inwoners zien deze extra datum dan niet meer." in summary.text
    # Meanwhile someone else removed it: the save says so and changes nothing.
    async with transaction(bot.services.sessions) as s:
        assert await repo.remove_exception(s, extra_id, bot.clock.now(), kind="extra")
    assert (await carla.press("Opslaan")).only.text == "Deze datum was al weggehaald."

    await add_market()
    await choose(
        carla, "Extra datum weghalen", "Weert", "za 7 mrt 14:00–17:00 · Markt & Co <Weert>"
    )
    done = (await carla.press("Opslaan")).only.text
    assert done == "Weggehaald. Inwoners zien deze extra datum niet meer."
    assert await count(bot, WalkInException) == 0
    assert "Markt & Co" not in (await rita.says("inloop weert zaterdag")).only.text


async def test_a_long_overview_is_split_between_lines(bot):
    await seed(bot)
    for i in range(120):
        day = date(2026, 3, 4) + timedelta(days=i)
        place = f"Zaal & Co <{i:03d}> " + "x" * 20
        await helpers.extra_date(bot, "Venlo", day, (10, 12), place, "Markt 1 Venlo")
    carla = await admin(bot, "Overzicht per gemeente")
    replies = await carla.press("Venlo")
    assert len(replies) >= 2  # the fake Bot API refuses broken HTML and texts over 4096
    assert replies[0].text.startswith("Inloop en spreekuur in Venlo")
    assert replies[-1].text.endswith("Iets wijzigen? Typ /inloopbeheer.")
    everything = "\n".join(replies.texts)
    for i in range(120):
        assert f"Zaal & Co <{i:03d}> " + "x" * 20 in everything
