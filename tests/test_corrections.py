"""Corrections: the worklog repository (own entries only, soft delete, audit before/after) and
the /corrigeer journey through the fake Telegram Bot API, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import text
from sqlmodel import select

from bot.storage import worklog
from bot.storage.db import session_factory, transaction
from bot.storage.models import (
    ActivityType,
    AuditLog,
    Contact,
    Deelopdracht,
    IndirectHours,
    Municipality,
    Signal,
    Story,
    User,
)
from tests.helpers import all_rows, contact_row, ids_by, one_row, reference_ids
from tests.journeys import log_signal, reply_to, says_each, tap_through
from tests.test_contact_dialogue import walk_first_contact

NOW = datetime(2026, 11, 17, 12, 0, tzinfo=UTC)
TODAY = date(2026, 11, 17)


async def _setup(engine):
    factory = session_factory(engine)
    async with transaction(factory) as s:
        anna = User(telegram_user_id=1, chat_id=1, role="expert", display_name="Anna")
        bob = User(telegram_user_id=2, chat_id=2, role="expert", display_name="Bob")
        s.add(anna)
        s.add(bob)
    async with factory() as s:
        r = await reference_ids(s)
    return factory, anna, bob, r["muni"], r["indirect"], r["signal"], r["activity"]["inloop"]


async def _add_hours(
    s, key, expert_id, minutes, kind_id, *, municipality_id=None, day=TODAY, now=NOW
):
    return await worklog.add_indirect_hours(
        s,
        submission_key=key,
        expert_id=expert_id,
        work_date=day,
        minutes=minutes,
        kind_id=kind_id,
        municipality_id=municipality_id,
        now=now,
    )


async def test_recent_entries_are_own_newest_first_and_skip_deleted(engine):
    factory, anna, bob, munis, kinds, sig, act = await _setup(engine)
    async with transaction(factory) as s:
        s.add(contact_row(anna.id, TODAY, 45, munis["Venlo"], act, created_at=NOW))
        await _add_hours(s, "h1", anna.id, 90, kinds["overleg"], now=NOW + timedelta(minutes=1))
        await worklog.add_entry(
            s,
            "signal",
            submission_key="s1",
            expert_id=anna.id,
            work_date=TODAY,
            kind_id=sig["trend"],
            municipality_id=munis["Venray"],
            theme_id=None,
            text="Meer jongeren met schulden.",
            now=NOW + timedelta(minutes=2),
        )
        await worklog.add_entry(
            s,
            "story",
            submission_key="v1",
            expert_id=bob.id,
            work_date=TODAY,
            municipality_id=None,
            theme_id=None,
            text="Bob's verhaal",
            now=NOW + timedelta(minutes=3),
        )
    async with transaction(factory) as s:
        entries = await worklog.recent_entries(s, anna.id)
    assert [(e.entity, e.kind, e.minutes, e.municipality) for e in entries] == [
        ("signal", "trend", None, "Venray"),
        ("indirect_hours", "overleg", 90, None),
        ("contact", "inloop", 45, "Venlo"),
    ]
    assert entries[0].text == "Meer jongeren met schulden."
    # Bob's story is not Anna's; Anna cannot load it even by id.
    async with transaction(factory) as s:
        bobs = await worklog.recent_entries(s, bob.id)
        assert [e.entity for e in bobs] == ["story"]
        assert await worklog.get_entry(s, "story", bobs[0].id, anna.id) is None
        assert not await worklog.delete_entry(s, "story", bobs[0].id, anna.id, NOW)
        assert not await worklog.update_entry(s, "story", bobs[0].id, anna.id, {"text": "x"}, NOW)
    async with transaction(factory) as s:
        assert await worklog.delete_entry(s, "signal", entries[0].id, anna.id, NOW)
        assert not await worklog.delete_entry(s, "signal", entries[0].id, anna.id, NOW)
    async with transaction(factory) as s:
        assert [e.entity for e in await worklog.recent_entries(s, anna.id)] == [
            "indirect_hours",
            "contact",
        ]
        row = await s.get(Signal, entries[0].id)
        assert row.deleted_at is not None  # soft: the row stays for reports and the audit


async def test_edit_writes_audit_with_before_and_after(engine):
    factory, anna, _bob, munis, kinds, _sig, _act = await _setup(engine)
    async with transaction(factory) as s:
        row, created = await _add_hours(
            s, "h1", anna.id, 90, kinds["overleg"], municipality_id=munis["Venlo"]
        )
        assert created
    later = NOW + timedelta(hours=1)
    async with transaction(factory) as s:
        changed = await worklog.update_entry(
            s,
            "indirect_hours",
            row.id,
            anna.id,
            {"duration_minutes": 60, "municipality_id": None},
            later,
        )
        assert changed
    async with transaction(factory) as s:
        again = await s.get(IndirectHours, row.id)
        assert again.duration_minutes == 60 and again.municipality_id is None
        assert again.updated_at == later
        audit = (await s.exec(select(AuditLog))).one()
    assert (audit.entity, audit.entity_id, audit.action, audit.actor_id) == (
        "indirect_hours",
        row.id,
        "edit",
        anna.id,
    )
    assert audit.before["duration_minutes"] == 90
    assert audit.before["municipality_id"] == munis["Venlo"]
    assert audit.after["duration_minutes"] == 60 and audit.after["municipality_id"] is None
    assert audit.before["work_date"] == "2026-11-17"


async def test_delete_audit_and_no_edit_of_columns_not_allowed(engine):
    factory, anna, _bob, _munis, kinds, _sig, _act = await _setup(engine)
    async with transaction(factory) as s:
        row, _ = await _add_hours(s, "h1", anna.id, 30, kinds["reistijd"])
    try:
        async with transaction(factory) as s:
            await worklog.update_entry(s, "indirect_hours", row.id, anna.id, {"expert_id": 2}, NOW)
        raise AssertionError("expert_id must not be editable")
    except ValueError:
        pass
    async with transaction(factory) as s:
        assert await worklog.delete_entry(s, "indirect_hours", row.id, anna.id, NOW)
    async with factory() as s:
        audit = (await s.exec(select(AuditLog))).one()
        assert audit.action == "delete"
        assert audit.before["deleted_at"] is None and audit.after["deleted_at"] is not None


async def test_submission_key_makes_saving_idempotent(engine):
    factory, anna, _bob, _munis, kinds, _sig, _act = await _setup(engine)
    for _ in range(2):
        async with transaction(factory) as s:
            await _add_hours(s, "same", anna.id, 30, kinds["reistijd"])
    async with factory() as s:
        n = (await s.exec(text("SELECT count(*) FROM indirect_hours"))).scalar()
    assert n == 1


async def test_day_minutes_counts_contacts_and_hours_not_deleted(engine):
    factory, anna, bob, munis, kinds, _sig, act = await _setup(engine)
    async with transaction(factory) as s:
        s.add(contact_row(anna.id, TODAY, 120, munis["Venlo"], act))
        s.add(contact_row(anna.id, TODAY, 60, munis["Venlo"], act, deleted_at=NOW))
        for key, who, minutes, day in (
            ("h1", anna.id, 90, TODAY),
            ("h2", anna.id, 30, TODAY - timedelta(days=1)),
            ("h3", bob.id, 300, TODAY),
        ):
            await _add_hours(s, key, who, minutes, kinds["overleg"], day=day)
    async with factory() as s:
        assert await worklog.day_minutes(s, anna.id, TODAY) == 210
        hours = (
            await s.exec(select(IndirectHours).where(IndirectHours.submission_key == "h1"))
        ).one()
        assert (
            await worklog.day_minutes(s, anna.id, TODAY, exclude=("indirect_hours", hours.id))
            == 120
        )


# --------------------------------------------------------------------------- /corrigeer journeys


async def test_corrections_list_edit_and_delete(bot):
    anna = await bot.expert()
    anna_id = (await bot.app_user(anna)).id
    munis = await ids_by(bot, Municipality, "name")
    act = await one_row(bot, ActivityType, ActivityType.code == "inloop")
    async with transaction(bot.services.sessions) as s:
        s.add(
            contact_row(
                anna_id,
                TODAY - timedelta(days=1),
                45,
                munis["Venlo"],
                act.id,
                created_at=NOW - timedelta(hours=20),
            )
        )
    await anna.says("/uren 1,5 uur overleg Venray")
    bot.clock.advance(minutes=5)
    await anna.says("/uren 30 min reistijd regionaal")

    listing = await reply_to(anna.says("/corrigeer"), "Je laatste invoer")
    assert listing.button_labels == [
        "di 17 nov · reistijd · 30 min · regionaal",
        "di 17 nov · overleg · 1,5 uur · Venray",
        "ma 16 nov · inloop · 45 min · Venlo",
        "Klaar",
    ]
    # Hours: change the duration (typed, after a bad try), the municipality and the date.
    await reply_to(anna.press("overleg"), "Duur: 1,5 uur", last=True)
    await anna.press("Duur")
    await reply_to(anna.says("een hele tijd"), "herken ik niet als tijdsduur")
    await reply_to(anna.says("2 uur"), "Aangepast.", "Duur: 2 uur", last=True)
    await reply_to(tap_through(anna, ["Gemeente", "Regionaal"]), "Gemeente: regionaal", last=True)
    await anna.press("Datum")
    refused = await reply_to(anna.says("morgen"), "toekomst", "gisteren")
    assert "Gisteren" in refused.button_labels  # the step stays, with its buttons
    await reply_to(anna.press("Gisteren"), "Datum: maandag 16 november", last=True)
    hours = await one_row(bot, IndirectHours, IndirectHours.duration_minutes == 120)
    assert (hours.work_date, hours.municipality_id) == (TODAY - timedelta(days=1), None)
    assert hours.updated_at is not None
    audit = await all_rows(bot, AuditLog)
    assert [(a.entity, a.action) for a in audit] == [("indirect_hours", "edit")] * 3
    assert audit[0].before["duration_minutes"] == 90 and audit[0].after["duration_minutes"] == 120
    assert audit[1].after["municipality_id"] is None
    assert audit[2].before["work_date"] == "2026-11-17"
    assert audit[2].after["work_date"] == "2026-11-16"

    # A contact: a region is not a municipality for a contact; delete asks first.
    places = (await tap_through(anna, ["Terug naar de lijst", "inloop", "Gemeente"])).last
    assert places == anna.last_reply
    assert "Regionaal (geen gemeente)" not in places.button_labels
    unknown = await reply_to(anna.says("Atlantis"), "Die gemeente ken ik niet")
    assert "Regionaal" not in unknown.text  # a contact cannot be regional: not offered
    await reply_to(anna.press("Venray"), "Gemeente: Venray", last=True)
    confirm = await reply_to(anna.press("Verwijderen"), "Weet je zeker", last=True)
    assert confirm == anna.last_reply
    yes = confirm.button("Ja, verwijderen")["callback_data"]
    deleted = anna.press("Ja, verwijderen")
    listing = await reply_to(
        deleted, "Verwijderd: ma 16 nov · inloop · 45 min · Venray.", last=True
    )
    assert listing == anna.last_reply and "inloop" not in " ".join(listing.button_labels)
    await anna.press_data(yes, confirm)  # a double tap on "Ja, verwijderen"
    assert "niet meer actueel" in anna.last_callback_answer.text
    contact = await one_row(bot, Contact)
    assert contact.deleted_at is not None and contact.municipality_id == munis["Venray"]
    audit = await all_rows(bot, AuditLog)
    assert [(a.entity, a.action) for a in audit[3:]] == [("contact", "edit"), ("contact", "delete")]
    assert audit[-1].before["deleted_at"] is None and audit[-1].after["deleted_at"] is not None
    # /week no longer counts the deleted contact.
    await reply_to(anna.says("/week"), "0 contacten")
    anna.assert_callbacks_answered()


async def test_corrections_text_is_privacy_checked(bot):
    anna = await bot.expert()
    await log_signal(
        anna, "Steeds meer mensen met schulden bij de voedselbank.", theme="Geen thema"
    )
    await anna.says("/corrigeer")
    await tap_through(anna, ["signaal trend", "Tekst aanpassen"])
    named = anna.says("Mevrouw Jansen van de Kerkstraat 12 heeft schulden.")
    await reply_to(named, "niet op", "een naam en een adres")
    sig = await one_row(bot, Signal)
    assert sig.text == "Steeds meer mensen met schulden bij de voedselbank."
    assert await all_rows(bot, AuditLog) == []
    await reply_to(anna.says("x" * 5000), "te lang")
    changed = anna.says("Meer mensen met schulden komen naar de voedselbank.")
    await reply_to(changed, "Aangepast.", last=True)
    sig = await one_row(bot, Signal)
    assert sig.text == "Meer mensen met schulden komen naar de voedselbank."
    [audit] = await all_rows(bot, AuditLog)
    assert audit.before["text"].startswith("Steeds") and audit.after["text"].startswith("Meer")
    await reply_to(anna.press("Klaar"), "Klaar", last=True)
    anna.assert_callbacks_answered()


async def test_corrections_only_own_entries(bot):
    anna = await bot.expert()
    bob = await bot.expert(first_name="Bob", gemeente="Venray")
    await bob.says("/uren 1 uur overleg")
    await bob.says("/corrigeer")
    bobs_button = bob.last_reply.button("overleg")["callback_data"]
    await anna.says("/uren 30 min reistijd")
    await anna.says("/corrigeer")
    assert anna.last_reply.button_labels == ["di 17 nov · reistijd · 30 min · Venlo", "Klaar"]
    # Bob's old button, pressed from Anna's chat: refused.
    await anna.press_data(bobs_button, anna.last_reply)
    assert "werkt niet meer" in anna.last_callback_answer.text
    # Anna's own draft, but Bob's entry id: not found, nothing shown or changed.
    own = anna.last_reply.button("reistijd")["callback_data"]
    _prefix, draft_id, revision, _action = own.split(":")
    bob_entry = bobs_button.rsplit(":", 1)[1]  # "eh<id>"
    await anna.press_data(f"k:{draft_id}:{revision}:{bob_entry}", anna.last_reply)
    assert "kan ik niet vinden" in anna.last_callback_answer.text
    assert "Bob" not in anna.transcript() and "overleg" not in anna.last_reply.text
    async with bot.services.sessions() as s:
        rows = list((await s.exec(select(IndirectHours).order_by(IndirectHours.id))).all())
    assert [(r.duration_minutes, r.deleted_at) for r in rows] == [(60, None), (30, None)]
    assert await all_rows(bot, AuditLog) == []
    anna.assert_callbacks_answered()
    bob.assert_callbacks_answered()


async def test_corrections_nothing_to_correct_and_resume_after_restart(bot):
    anna = await bot.expert()
    nothing = await reply_to(anna.says("/corrigeer"), "niets ingevoerd")
    assert nothing.buttons == []
    await says_each(anna, "/uren 30 min reistijd", "/corrigeer")
    await tap_through(anna, ["reistijd", "Duur"])
    await bot.restart()
    await reply_to(anna.says("45 min"), "Duur: 45 min", last=True)
    assert (await one_row(bot, IndirectHours)).duration_minutes == 45


async def test_a_contacts_story_is_corrected_and_deleted_with_the_contact(bot):
    munis = await ids_by(bot, Municipality, "name")
    async with transaction(bot.services.sessions) as s:
        s.add(
            Deelopdracht(
                municipality_id=munis["Venlo"], code="venlo-sleutel", title="Sleutelfiguren Venlo"
            )
        )
    anna = await bot.expert()
    # Venlo's one deelopdracht is taken without asking (shown on the summary).
    summary = await walk_first_contact(
        anna, story="Ze durfde voor het eerst zelf de schuldhulp te bellen."
    )
    assert "Deelopdracht: Sleutelfiguren Venlo" in summary.text
    await anna.press("Opslaan")
    contact = await one_row(bot, Contact)
    story = await one_row(bot, Story)
    assert story.contact_id == contact.id and story.deelopdracht_id is not None

    await anna.says("/corrigeer")
    assert sorted(anna.last_reply.button_labels) == [
        "Klaar",
        "di 17 nov · inloop · 45 min · Venlo",
        "di 17 nov · verhaal · Venlo · Ze durfde voor he…",
    ]
    changed = tap_through(anna, ["inloop", "Gemeente", "Venray", "Datum", "Gisteren"])
    await reply_to(changed, "Datum: maandag 16 november", last=True)
    async with bot.services.sessions() as s:
        story = await s.get(Story, story.id)
        contact = await s.get(Contact, contact.id)
    yesterday = TODAY - timedelta(days=1)
    assert (contact.work_date, contact.municipality_id) == (yesterday, munis["Venray"])
    # The story went along: date, municipality, and the Venlo deelopdracht no longer fits.
    assert (story.work_date, story.municipality_id, story.deelopdracht_id) == (
        yesterday,
        munis["Venray"],
        None,
    )
    assert story.updated_at is not None and story.deleted_at is None
    audit = await all_rows(bot, AuditLog)
    assert [(a.entity, a.action) for a in audit[1:]] == [
        ("contact", "edit"),
        ("story", "edit"),
        ("contact", "edit"),
        ("story", "edit"),
    ]
    assert audit[2].entity_id == story.id
    assert audit[2].before["municipality_id"] == munis["Venlo"]
    assert audit[2].after["municipality_id"] == munis["Venray"]
    assert audit[2].before["deelopdracht_id"] is not None
    assert audit[2].after["deelopdracht_id"] is None
    assert (audit[4].before["work_date"], audit[4].after["work_date"]) == (
        "2026-11-17",
        "2026-11-16",
    )
    # A change the story does not share (the duration) leaves it alone.
    await tap_through(anna, ["Duur", "1 uur"])
    assert [a.entity for a in (await all_rows(bot, AuditLog))[5:]] == ["contact"]

    # Deleting the contact deletes its story: gone from /corrigeer and from /week.
    assert "verhalen: 1" in (await anna.says("/week")).only.text
    await anna.says("/corrigeer")
    emptied = tap_through(anna, ["inloop", "Verwijderen", "Ja, verwijderen"])
    emptied_list = await reply_to(emptied, "niets ingevoerd", last=True)
    assert emptied_list == anna.last_reply and emptied_list.button_labels == ["Klaar"]
    async with bot.services.sessions() as s:
        story = await s.get(Story, story.id)
    assert story.deleted_at is not None
    audit = await all_rows(bot, AuditLog)
    assert [(a.entity, a.action) for a in audit[-2:]] == [
        ("contact", "delete"),
        ("story", "delete"),
    ]
    assert audit[-1].entity_id == story.id and audit[-1].before["deleted_at"] is None
    week = (await anna.says("/week")).only.text
    assert "nog niets ingevoerd" in week and "verhalen" not in week
    await reply_to(anna.says("/corrigeer"), "niets ingevoerd")
    anna.assert_callbacks_answered()


async def _minutes(bot) -> list[int]:
    return [h.duration_minutes for h in await all_rows(bot, IndirectHours)]


async def test_a_correction_over_the_day_maximum_asks_first(bot):
    anna = await bot.expert()
    # 10 hours today: the maximum, no question.
    await says_each(
        anna, "/uren 8 uur scholing", "/uren 2 uur overleg", "/uren 3 uur reistijd gisteren"
    )
    assert await _minutes(bot) == [480, 120, 180]

    await anna.says("/corrigeer")
    await tap_through(anna, ["overleg", "Duur"])
    asked = await reply_to(
        anna.says("12 uur"),
        "Let op: dan kom je op 20 uur op dinsdag 17 november. Dat is meer dan 10 uur. Klopt dat?",
    )
    assert asked.button_labels == ["Ja, aanpassen", "Nee, niet aanpassen"]
    assert await _minutes(bot) == [480, 120, 180]  # not yet
    await reply_to(anna.press("Nee, niet aanpassen"), "Niets veranderd.", "Duur: 2 uur", last=True)
    assert await all_rows(bot, AuditLog) == []

    # A button over the maximum, confirmed: saved.
    over = tap_through(anna, ["Duur", "4 uur"])
    await reply_to(over, "dan kom je op 12 uur op dinsdag 17 november", last=True)
    await reply_to(anna.press("Ja, aanpassen"), "Aangepast.", "Duur: 4 uur", last=True)
    assert await _minutes(bot) == [480, 240, 180]
    assert "Totaal: 15 uur" in (await anna.says("/week")).only.text

    # Less work on a day that is already over: no question.
    await anna.says("/corrigeer")
    await tap_through(anna, ["overleg", "Duur"])
    await reply_to(anna.says("3 uur"), "Aangepast.", "Duur: 3 uur", last=True)

    # A new date counts that day: 8 hours of scholing on a day with 3 hours of reistijd.
    other_day = tap_through(anna, ["Terug naar de lijst", "scholing", "Datum", "Gisteren"])
    await reply_to(other_day, "dan kom je op 11 uur op maandag 16 november", last=True)
    await reply_to(anna.says("ja"), "Kies met de knoppen", last=True)  # typing is no answer here
    await reply_to(anna.press("Ja, aanpassen"), "Datum: maandag 16 november", last=True)
    hours = await all_rows(bot, IndirectHours)
    assert [(h.work_date, h.duration_minutes) for h in hours] == [
        (TODAY - timedelta(days=1), 480),
        (TODAY, 180),
        (TODAY - timedelta(days=1), 180),
    ]
    audit = await all_rows(bot, AuditLog)
    assert [a.after.get("duration_minutes") for a in audit] == [240, 180, 480]
    anna.assert_callbacks_answered()


async def test_corrections_pages_to_older_entries(bot):
    anna = await bot.expert()
    bob = await bot.expert(first_name="Bob", gemeente="Venray")
    for minutes in range(10, 20):
        await anna.says(f"/uren {minutes} min overleg")
        bot.clock.advance(minutes=1)
        if minutes == 14:
            await bob.says("/uren 50 min reistijd")
            bot.clock.advance(minutes=1)

    await anna.says("/corrigeer")
    labels = anna.last_reply.button_labels
    assert labels == [f"di 17 nov · overleg · {m} min · Venlo" for m in range(19, 11, -1)] + [
        "« Oudere",
        "Klaar",
    ]
    await anna.press("« Oudere")
    assert anna.last_reply.button_labels == [
        "di 17 nov · overleg · 11 min · Venlo",
        "di 17 nov · overleg · 10 min · Venlo",
        "Nieuwere »",
        "Klaar",
    ]
    # The oldest entry can be corrected; back to the list is back to its page.
    await tap_through(anna, ["10 min", "Duur"])
    await reply_to(anna.says("45 min"), "Aangepast.", last=True)
    await anna.press("Terug naar de lijst")
    assert anna.last_reply.button_labels[:2] == [
        "di 17 nov · overleg · 11 min · Venlo",
        "di 17 nov · overleg · 45 min · Venlo",
    ]
    assert (await all_rows(bot, IndirectHours))[0].duration_minutes == 45  # the first one logged
    # Deleting both older entries: the emptied page falls back to the newest.
    for label in ("11 min", "45 min"):
        await tap_through(anna, [label, "Verwijderen", "Ja, verwijderen"])
    assert anna.last_reply.button_labels == [
        f"di 17 nov · overleg · {m} min · Venlo" for m in range(19, 11, -1)
    ] + ["Klaar"]
    assert "50 min" not in anna.transcript()  # Bob's entry is on no page of Anna's

    # A made-up offset is refused; an old page button is outdated.
    button = anna.last_reply.button("Klaar")["callback_data"]
    prefix, draft_id, revision, _action = button.split(":")
    await anna.press_data(f"{prefix}:{draft_id}:{revision}:p9999999", anna.last_reply)
    assert "ken ik niet" in anna.last_callback_answer.text
    anna.assert_callbacks_answered()
    bob.assert_callbacks_answered()
