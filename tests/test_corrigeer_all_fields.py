"""/corrigeer corrects every field of indirect hours, a signal and a story, through the fake
Telegram Bot API on SQLite and PostgreSQL: each change saved at once with updated_at and one
audit row (entity, 'edit', before / after); refused answers (a bad value, identifying text, a day
total the expert does not confirm) keep the step and leave the row and the audit log as they were;
old buttons answer as stale and a double tap records once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from bot.storage import worklog
from bot.storage.db import session_factory, transaction
from bot.storage.models import AuditLog, Contact, Deelopdracht, IndirectHours, Signal, Story, User
from tests.helpers import all_rows, contact_row, ids_by, one_row, reference_ids, refs_of
from tests.journeys import log_signal, log_story, reply_to, tap_through

TODAY = date(2026, 11, 17)  # the clock fixture's Tuesday
YESTERDAY = TODAY - timedelta(days=1)


def _changes(audit: list[AuditLog], entity: str, entity_id: int) -> list[dict[str, tuple]]:
    """Per audit row: what changed (column -> (before, after)), updated_at left out."""
    out = []
    for a in audit:
        assert (a.entity, a.entity_id, a.action) == (entity, entity_id, "edit")
        out.append(
            {
                k: (a.before[k], a.after[k])
                for k in a.after
                if a.before[k] != a.after[k] and k != "updated_at"
            }
        )
    return out


async def test_hours_every_field(bot):
    anna = await bot.expert()
    refs = await refs_of(bot)
    munis, kinds = refs["muni"], refs["indirect"]
    await anna.says("/uren 1,5 uur overleg Venray")
    hours = await one_row(bot, IndirectHours)

    await anna.says("/corrigeer")
    entry = await reply_to(anna.press("overleg"), "Soort: overleg", last=True)
    assert entry == anna.last_reply
    assert entry.button_labels[:4] == ["Datum", "Duur", "Soort", "Gemeente"]

    # Date: too far back is refused with the rule, the step stays; a typed date is taken.
    await anna.press("Datum")
    refused = await reply_to(anna.says("1-10"), "te lang geleden")
    # With a year typed, the date is that year's: long ago, not in the future.
    refused = await reply_to(anna.says("1-12-2025"), "te lang geleden")
    assert "Gisteren" in refused.button_labels
    assert (await one_row(bot, IndirectHours)).work_date == TODAY
    await reply_to(anna.says("gisteren"), "Aangepast.", "Datum: maandag 16 november", last=True)

    # Duration: a bad one is refused, a button is taken.
    await anna.press("Duur")
    await reply_to(anna.says("een hele tijd"), "herken ik niet als tijdsduur")
    await reply_to(anna.press("2 uur"), "Duur: 2 uur", last=True)

    # Kind: a word that is no kind is refused (naming the kinds), a typo is understood.
    kind_step = (await anna.press("Soort")).last
    assert kind_step == anna.last_reply
    assert {"overleg", "scholing", "reistijd"} <= set(kind_step.button_labels)
    await reply_to(anna.says("koffiedrinken"), "Dat ken ik niet", "scholing")
    await reply_to(anna.says("scholng"), "Soort: scholing", last=True)

    # An old button (the kind step's) is stale now: nothing changes.
    await anna.press("reistijd", message=kind_step)
    assert "niet meer actueel" in anna.last_callback_answer.text
    assert (await one_row(bot, IndirectHours)).kind_id == kinds["scholing"]

    # Municipality: regional (no municipality), then typed back to Venlo.
    muni_step = (await anna.press("Gemeente")).last
    assert muni_step == anna.last_reply
    regional = muni_step.button("Regionaal")["callback_data"]
    await reply_to(anna.press("Regionaal"), "Gemeente: regionaal", last=True)
    await anna.press_data(regional, muni_step)  # a double tap: recorded once
    assert "niet meer actueel" in anna.last_callback_answer.text
    await anna.press("Gemeente")
    await reply_to(anna.says("Atlantis"), "ken ik niet", "Regionaal")
    await reply_to(anna.says("venlo"), "Gemeente: Venlo", last=True)

    row = await one_row(bot, IndirectHours)
    assert (row.work_date, row.duration_minutes, row.kind_id, row.municipality_id) == (
        YESTERDAY,
        120,
        kinds["scholing"],
        munis["Venlo"],
    )
    assert row.updated_at is not None and row.deleted_at is None
    assert _changes(await all_rows(bot, AuditLog), "indirect_hours", hours.id) == [
        {"work_date": ("2026-11-17", "2026-11-16")},
        {"duration_minutes": (90, 120)},
        {"kind_id": (kinds["overleg"], kinds["scholing"])},
        {"municipality_id": (munis["Venray"], None)},
        {"municipality_id": (None, munis["Venlo"])},
    ]
    anna.assert_callbacks_answered()


async def test_hours_over_the_day_total_unconfirmed_leaves_the_row(bot):
    anna = await bot.expert()
    for line in ("/uren 9 uur scholing gisteren", "/uren 3 uur overleg", "/corrigeer"):
        await anna.says(line)
    asked = tap_through(anna, ["overleg", "Datum", "Gisteren"])
    await reply_to(asked, "dan kom je op 12 uur op maandag 16 november", last=True)
    await reply_to(anna.press("Nee, niet aanpassen"), "Niets veranderd.", last=True)
    rows = await all_rows(bot, IndirectHours)
    assert [(r.work_date, r.duration_minutes, r.updated_at) for r in rows] == [
        (YESTERDAY, 540, None),
        (TODAY, 180, None),
    ]
    assert await all_rows(bot, AuditLog) == []
    # Changing the kind never asks about the day.
    await reply_to(tap_through(anna, ["Soort", "reistijd"]), "Aangepast.", last=True)
    assert [a.entity for a in await all_rows(bot, AuditLog)] == ["indirect_hours"]
    anna.assert_callbacks_answered()


async def test_signal_every_field(bot):
    anna = await bot.expert()
    refs = await refs_of(bot)
    munis, kinds, themes = refs["muni"], refs["signal"], refs["theme"]
    old_text = "Steeds meer mensen met schulden bij de voedselbank."
    await log_signal(anna, old_text, theme="Geen thema")
    signal = await one_row(bot, Signal)

    await anna.says("/corrigeer")
    entry = await reply_to(anna.press("signaal trend"), "Thema: geen", last=True)
    assert entry == anna.last_reply
    assert entry.button_labels[:5] == ["Datum", "Soort", "Gemeente", "Thema", "Tekst aanpassen"]

    await anna.press("Datum")
    await reply_to(anna.says("morgen"), "toekomst")
    await reply_to(anna.press("Gisteren"), "Datum: maandag 16 november", last=True)
    for field, choice, shown in (
        ("Soort", "knelpunt", "Soort: knelpunt"),
        ("Gemeente", "Regionaal", "Gemeente: regionaal"),
    ):
        await reply_to(tap_through(anna, [field, choice]), shown, last=True)

    await anna.press("Thema")
    await reply_to(anna.says("fietsen"), "Dat ken ik niet")
    await reply_to(anna.says("eenzaamheid"), "Thema: eenzaamheid", last=True)
    await reply_to(tap_through(anna, ["Thema", "schulden"]), "Thema: schulden", last=True)

    # Text: a phone number is refused with the privacy message; the row stays as it was.
    await anna.press("Tekst aanpassen")
    before = len(await all_rows(bot, AuditLog))
    phone = anna.says("Bel haar op 06-12345678, ze heeft hulp nodig bij schulden.")
    await reply_to(phone, "Dit sla ik niet op", "telefoonnummer")
    assert (await one_row(bot, Signal)).text == old_text
    assert len(await all_rows(bot, AuditLog)) == before
    new_text = "Meer jongeren met schulden komen naar de voedselbank."
    await reply_to(anna.says(new_text), "Aangepast.", last=True)

    row = await one_row(bot, Signal)
    assert (row.work_date, row.kind_id, row.municipality_id, row.theme_id, row.text) == (
        YESTERDAY,
        kinds["knelpunt"],
        None,
        themes["schulden"],
        new_text,
    )
    assert row.updated_at is not None
    assert _changes(await all_rows(bot, AuditLog), "signal", signal.id) == [
        {"work_date": ("2026-11-17", "2026-11-16")},
        {"kind_id": (kinds["trend"], kinds["knelpunt"])},
        {"municipality_id": (munis["Venlo"], None)},
        {"theme_id": (None, themes["eenzaamheid"])},
        {"theme_id": (themes["eenzaamheid"], themes["schulden"])},
        {"text": (old_text, new_text)},
    ]
    anna.assert_callbacks_answered()


async def test_story_every_field_with_its_deelopdracht(bot):
    refs = await refs_of(bot)
    munis, themes = refs["muni"], refs["theme"]
    async with transaction(bot.services.sessions) as s:
        s.add(Deelopdracht(municipality_id=munis["Venlo"], code="vl-sf", title="Sleutelfiguren"))
    deel = await ids_by(bot, Deelopdracht, "code")
    anna = await bot.expert()
    old_text = "Ze durfde voor het eerst zelf de schuldhulp te bellen."
    await log_story(anna, old_text, gemeente="Venray", theme="armoede")
    story = await one_row(bot, Story)

    await anna.says("/corrigeer")
    entry = (await anna.press("verhaal")).last
    assert entry == anna.last_reply
    # Venray has no deelopdracht, and the story has none: nothing to choose.
    assert entry.button_labels[:4] == ["Datum", "Gemeente", "Thema", "Tekst aanpassen"]
    assert "Deelopdracht" not in entry.button_labels

    for taps, shown in (
        (["Datum", "Gisteren", "Gemeente", "Venlo"], "Gemeente: Venlo"),
        (["Deelopdracht", "Sleutelfiguren"], "Deelopdracht: Sleutelfiguren"),
        (["Thema", "Geen thema"], "Thema: geen"),
    ):
        await reply_to(tap_through(anna, taps), shown, last=True)

    await anna.press("Tekst aanpassen")
    named = anna.says("Mevrouw Jansen belde zelf de schuldhulp, voor het eerst.")
    await reply_to(named, "Dit sla ik niet op", "een naam")
    assert (await one_row(bot, Story)).text == old_text
    new_text = "Een moeder uit Blerick belde zelf de schuldhulp, voor het eerst."
    await reply_to(anna.says(new_text), "Aangepast.", last=True)

    # Moving the story out of Venlo takes the Venlo deelopdracht off it.
    moved = (await tap_through(anna, ["Gemeente", "Regionaal"])).last
    assert moved == anna.last_reply and "Deelopdracht" not in moved.button_labels

    row = await one_row(bot, Story)
    assert (row.work_date, row.municipality_id, row.theme_id, row.deelopdracht_id, row.text) == (
        YESTERDAY,
        None,
        None,
        None,
        new_text,
    )
    assert _changes(await all_rows(bot, AuditLog), "story", story.id) == [
        {"work_date": ("2026-11-17", "2026-11-16")},
        {"municipality_id": (munis["Venray"], munis["Venlo"])},
        {"deelopdracht_id": (None, deel["vl-sf"])},
        {"theme_id": (themes["armoede"], None)},
        {"text": (old_text, new_text)},
        {"municipality_id": (munis["Venlo"], None), "deelopdracht_id": (deel["vl-sf"], None)},
    ]
    anna.assert_callbacks_answered()


async def _contact_with_story(s, expert_id: int, key: str) -> tuple[Contact, Story]:
    """A contact in Venlo today with its story (as the contact dialogue saves them)."""
    refs = await reference_ids(s)
    venlo = refs["muni"]["Venlo"]
    contact = contact_row(expert_id, TODAY, 45, venlo, refs["activity"]["inloop"])
    s.add(contact)
    await s.flush()
    story = Story(
        submission_key=key,
        expert_id=expert_id,
        work_date=TODAY,
        municipality_id=venlo,
        contact_id=contact.id,
        text="Ze kwam daarna elke week naar de inloop.",
    )
    s.add(story)
    return contact, story


async def test_a_contacts_story_corrects_only_theme_and_text(bot):
    anna = await bot.expert()
    uid = (await bot.app_user(anna)).id
    async with transaction(bot.services.sessions) as s:
        contact, _story = await _contact_with_story(s, uid, "c-story")
    await anna.says("/corrigeer")
    await anna.press("verhaal")
    entry = anna.last_reply
    assert "hoort bij een contact" in entry.text
    assert entry.button_labels[:2] == ["Thema", "Tekst aanpassen"]
    assert "Datum" not in entry.button_labels and "Gemeente" not in entry.button_labels
    # A made-up "Datum" button for it is not taken.
    prefix, draft_id, revision, *_rest = entry.button("Thema")["callback_data"].split(":")
    await anna.press_data(f"{prefix}:{draft_id}:{revision}:f:date", entry)
    assert "niet meer actueel" in anna.last_callback_answer.text  # the step is unchanged
    await anna.press("Thema", message=entry)
    await anna.press("eenzaamheid")
    assert "Thema: eenzaamheid" in anna.last_reply.text
    [audit] = await all_rows(bot, AuditLog)
    assert (audit.entity, audit.action) == ("story", "edit")
    story = await one_row(bot, Story)
    assert (story.work_date, story.municipality_id) == (TODAY, contact.municipality_id)
    anna.assert_callbacks_answered()


async def test_storage_keeps_a_contacts_story_with_its_contact(engine):
    """worklog.update_entry: a contact's story never gets a date, place or deelopdracht of its
    own; a story's own fields change with one audit row each."""
    now = datetime(2026, 11, 17, 12, 0, tzinfo=UTC)
    factory = session_factory(engine)
    async with transaction(factory) as s:
        anna = User(telegram_user_id=1, chat_id=1, role="expert", display_name="Anna")
        s.add(anna)
        await s.flush()
        contact, story = await _contact_with_story(s, anna.id, "k1")
        schulden = (await reference_ids(s))["theme"]["schulden"]
    for change in ({"work_date": YESTERDAY}, {"municipality_id": None}, {"deelopdracht_id": None}):
        with pytest.raises(ValueError):
            async with transaction(factory) as s:
                await worklog.update_entry(s, "story", story.id, anna.id, change, now)
    async with transaction(factory) as s:
        change = {"theme_id": schulden}
        assert await worklog.update_entry(s, "story", story.id, anna.id, change, now)
        # The same again changes nothing: no audit row.
        assert not await worklog.update_entry(s, "story", story.id, anna.id, change, now)
        with pytest.raises(ValueError):
            await worklog.update_entry(s, "story", story.id, anna.id, {"contact_id": None}, now)
    async with factory() as s:
        audit = list((await s.exec(select(AuditLog))).all())
        row = await s.get(Story, story.id)
    assert row.contact_id == contact.id and row.work_date == TODAY
    assert [(a.entity, a.action) for a in audit] == [("story", "edit")]
