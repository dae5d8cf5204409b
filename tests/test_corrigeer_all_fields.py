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
from bot.storage.models import (
    ActivityType,
    AuditLog,
    Deelopdracht,
    IndirectHours,
    IndirectKind,
    Municipality,
    Signal,
    SignalKind,
    Story,
    Theme,
    User,
)
from tests.helpers import contact_row

TODAY = date(2026, 11, 17)  # the clock fixture's Tuesday
YESTERDAY = TODAY - timedelta(days=1)


async def _audit(bot) -> list[AuditLog]:
    async with bot.services.sessions() as s:
        return list((await s.exec(select(AuditLog).order_by(AuditLog.id))).all())


async def _ids(bot, table, column) -> dict[str, int]:
    async with bot.services.sessions() as s:
        return {getattr(r, column): r.id for r in (await s.exec(select(table))).all()}


async def _one(bot, table):
    async with bot.services.sessions() as s:
        return (await s.exec(select(table))).one()


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
    anna = await bot.expert(first_name="Anna", gemeente="Venlo")
    munis = await _ids(bot, Municipality, "name")
    kinds = await _ids(bot, IndirectKind, "code")
    await anna.says("/uren 1,5 uur overleg Venray")
    hours = await _one(bot, IndirectHours)

    await anna.says("/corrigeer")
    await anna.press("overleg")
    entry = anna.last_reply
    assert "Soort: overleg" in entry.text
    assert entry.button_labels[:4] == ["Datum", "Duur", "Soort", "Gemeente"]

    # Date: too far back is refused with the rule, the step stays; a typed date is taken.
    await anna.press("Datum")
    replies = await anna.says("1-10")
    assert "te lang geleden" in replies.only.text and "Gisteren" in replies.only.button_labels
    assert (await _one(bot, IndirectHours)).work_date == TODAY
    await anna.says("gisteren")
    assert "Aangepast." in anna.last_reply.text
    assert "Datum: maandag 16 november" in anna.last_reply.text

    # Duration: a bad one is refused, a button is taken.
    await anna.press("Duur")
    replies = await anna.says("een hele tijd")
    assert "herken ik niet als tijdsduur" in replies.only.text
    await anna.press("2 uur")
    assert "Duur: 2 uur" in anna.last_reply.text

    # Kind: a word that is no kind is refused (naming the kinds), a typo is understood.
    await anna.press("Soort")
    kind_step = anna.last_reply
    assert {"overleg", "scholing", "reistijd"} <= set(kind_step.button_labels)
    replies = await anna.says("koffiedrinken")
    assert "Dat ken ik niet" in replies.only.text and "scholing" in replies.only.text
    await anna.says("scholng")
    assert "Soort: scholing" in anna.last_reply.text

    # An old button (the kind step's) is stale now: nothing changes.
    await anna.press("reistijd", message=kind_step)
    assert "niet meer actueel" in anna.last_callback_answer.text
    assert (await _one(bot, IndirectHours)).kind_id == kinds["scholing"]

    # Municipality: regional (no municipality), then typed back to Venlo.
    await anna.press("Gemeente")
    muni_step = anna.last_reply
    regional = muni_step.button("Regionaal")["callback_data"]
    await anna.press("Regionaal")
    assert "Gemeente: regionaal" in anna.last_reply.text
    await anna.press_data(regional, muni_step)  # a double tap: recorded once
    assert "niet meer actueel" in anna.last_callback_answer.text
    await anna.press("Gemeente")
    replies = await anna.says("Atlantis")
    assert "ken ik niet" in replies.only.text and "Regionaal" in replies.only.text
    await anna.says("venlo")
    assert "Gemeente: Venlo" in anna.last_reply.text

    row = await _one(bot, IndirectHours)
    assert (row.work_date, row.duration_minutes, row.kind_id, row.municipality_id) == (
        YESTERDAY,
        120,
        kinds["scholing"],
        munis["Venlo"],
    )
    assert row.updated_at is not None and row.deleted_at is None
    assert _changes(await _audit(bot), "indirect_hours", hours.id) == [
        {"work_date": ("2026-11-17", "2026-11-16")},
        {"duration_minutes": (90, 120)},
        {"kind_id": (kinds["overleg"], kinds["scholing"])},
        {"municipality_id": (munis["Venray"], None)},
        {"municipality_id": (None, munis["Venlo"])},
    ]
    anna.assert_callbacks_answered()


async def test_hours_over_the_day_total_unconfirmed_leaves_the_row(bot):
    anna = await bot.expert(first_name="Anna", gemeente="Venlo")
    await anna.says("/uren 9 uur scholing gisteren")
    await anna.says("/uren 3 uur overleg")
    await anna.says("/corrigeer")
    await anna.press("overleg")
    await anna.press("Datum")
    await anna.press("Gisteren")
    assert "dan kom je op 12 uur op maandag 16 november" in anna.last_reply.text
    await anna.press("Nee, niet aanpassen")
    assert "Niets veranderd." in anna.last_reply.text
    async with bot.services.sessions() as s:
        rows = list((await s.exec(select(IndirectHours).order_by(IndirectHours.id))).all())
    assert [(r.work_date, r.duration_minutes, r.updated_at) for r in rows] == [
        (YESTERDAY, 540, None),
        (TODAY, 180, None),
    ]
    assert await _audit(bot) == []
    # Changing the kind never asks about the day.
    await anna.press("Soort")
    await anna.press("reistijd")
    assert "Aangepast." in anna.last_reply.text
    assert [a.entity for a in await _audit(bot)] == ["indirect_hours"]
    anna.assert_callbacks_answered()


async def test_signal_every_field(bot):
    anna = await bot.expert(first_name="Anna", gemeente="Venlo")
    munis = await _ids(bot, Municipality, "name")
    kinds = await _ids(bot, SignalKind, "code")
    themes = await _ids(bot, Theme, "code")
    old_text = "Steeds meer mensen met schulden bij de voedselbank."
    await anna.says("/signaal")
    await anna.press("trend")
    await anna.press("Venlo")
    await anna.press("Geen thema")
    await anna.says(old_text)
    await anna.press("Opslaan")
    signal = await _one(bot, Signal)

    await anna.says("/corrigeer")
    await anna.press("signaal trend")
    assert anna.last_reply.button_labels[:5] == [
        "Datum",
        "Soort",
        "Gemeente",
        "Thema",
        "Tekst aanpassen",
    ]
    assert "Thema: geen" in anna.last_reply.text

    await anna.press("Datum")
    replies = await anna.says("morgen")
    assert "toekomst" in replies.only.text
    await anna.press("Gisteren")
    assert "Datum: maandag 16 november" in anna.last_reply.text

    await anna.press("Soort")
    await anna.press("knelpunt")
    assert "Soort: knelpunt" in anna.last_reply.text

    await anna.press("Gemeente")
    await anna.press("Regionaal")
    assert "Gemeente: regionaal" in anna.last_reply.text

    await anna.press("Thema")
    replies = await anna.says("fietsen")
    assert "Dat ken ik niet" in replies.only.text
    await anna.says("eenzaamheid")
    assert "Thema: eenzaamheid" in anna.last_reply.text
    await anna.press("Thema")
    await anna.press("schulden")
    assert "Thema: schulden" in anna.last_reply.text

    # Text: a phone number is refused with the privacy message; the row stays as it was.
    await anna.press("Tekst aanpassen")
    before = len(await _audit(bot))
    replies = await anna.says("Bel haar op 06-12345678, ze heeft hulp nodig bij schulden.")
    assert "Dit sla ik niet op" in replies.only.text and "telefoonnummer" in replies.only.text
    assert (await _one(bot, Signal)).text == old_text
    assert len(await _audit(bot)) == before
    new_text = "Meer jongeren met schulden komen naar de voedselbank."
    await anna.says(new_text)
    assert "Aangepast." in anna.last_reply.text

    row = await _one(bot, Signal)
    assert (row.work_date, row.kind_id, row.municipality_id, row.theme_id, row.text) == (
        YESTERDAY,
        kinds["knelpunt"],
        None,
        themes["schulden"],
        new_text,
    )
    assert row.updated_at is not None
    assert _changes(await _audit(bot), "signal", signal.id) == [
        {"work_date": ("2026-11-17", "2026-11-16")},
        {"kind_id": (kinds["trend"], kinds["knelpunt"])},
        {"municipality_id": (munis["Venlo"], None)},
        {"theme_id": (None, themes["eenzaamheid"])},
        {"theme_id": (themes["eenzaamheid"], themes["schulden"])},
        {"text": (old_text, new_text)},
    ]
    anna.assert_callbacks_answered()


async def test_story_every_field_with_its_deelopdracht(bot):
    async with transaction(bot.services.sessions) as s:
        munis = {m.name: m.id for m in (await s.exec(select(Municipality))).all()}
        s.add(Deelopdracht(municipality_id=munis["Venlo"], code="vl-sf", title="Sleutelfiguren"))
    deel = await _ids(bot, Deelopdracht, "code")
    themes = await _ids(bot, Theme, "code")
    anna = await bot.expert(first_name="Anna", gemeente="Venlo")
    old_text = "Ze durfde voor het eerst zelf de schuldhulp te bellen."
    await anna.says("/verhaal")
    await anna.press("Venray")
    await anna.press("armoede")
    await anna.says(old_text)
    await anna.press("Opslaan")
    story = await _one(bot, Story)

    await anna.says("/corrigeer")
    await anna.press("verhaal")
    # Venray has no deelopdracht, and the story has none: nothing to choose.
    assert anna.last_reply.button_labels[:4] == ["Datum", "Gemeente", "Thema", "Tekst aanpassen"]
    assert "Deelopdracht" not in anna.last_reply.button_labels

    await anna.press("Datum")
    await anna.press("Gisteren")
    await anna.press("Gemeente")
    await anna.press("Venlo")
    assert "Gemeente: Venlo" in anna.last_reply.text
    await anna.press("Deelopdracht")
    await anna.press("Sleutelfiguren")
    assert "Deelopdracht: Sleutelfiguren" in anna.last_reply.text
    await anna.press("Thema")
    await anna.press("Geen thema")
    assert "Thema: geen" in anna.last_reply.text

    await anna.press("Tekst aanpassen")
    replies = await anna.says("Mevrouw Jansen belde zelf de schuldhulp, voor het eerst.")
    assert "Dit sla ik niet op" in replies.only.text and "een naam" in replies.only.text
    assert (await _one(bot, Story)).text == old_text
    new_text = "Een moeder uit Blerick belde zelf de schuldhulp, voor het eerst."
    await anna.says(new_text)
    assert "Aangepast." in anna.last_reply.text

    # Moving the story out of Venlo takes the Venlo deelopdracht off it.
    await anna.press("Gemeente")
    await anna.press("Regionaal")
    assert "Deelopdracht" not in anna.last_reply.button_labels

    row = await _one(bot, Story)
    assert (row.work_date, row.municipality_id, row.theme_id, row.deelopdracht_id, row.text) == (
        YESTERDAY,
        None,
        None,
        None,
        new_text,
    )
    assert _changes(await _audit(bot), "story", story.id) == [
        {"work_date": ("2026-11-17", "2026-11-16")},
        {"municipality_id": (munis["Venray"], munis["Venlo"])},
        {"deelopdracht_id": (None, deel["vl-sf"])},
        {"theme_id": (themes["armoede"], None)},
        {"text": (old_text, new_text)},
        {"municipality_id": (munis["Venlo"], None), "deelopdracht_id": (deel["vl-sf"], None)},
    ]
    anna.assert_callbacks_answered()


async def test_a_contacts_story_corrects_only_theme_and_text(bot):
    anna = await bot.expert(first_name="Anna", gemeente="Venlo")
    async with transaction(bot.services.sessions) as s:
        uid = (await s.exec(select(User).where(User.telegram_user_id == anna.id))).one().id
        venlo = (await s.exec(select(Municipality).where(Municipality.name == "Venlo"))).one()
        act = (await s.exec(select(ActivityType).where(ActivityType.code == "inloop"))).one()
        contact = contact_row(uid, TODAY, 45, venlo.id, act.id)
        s.add(contact)
        await s.flush()
        s.add(
            Story(
                submission_key="c-story",
                expert_id=uid,
                work_date=TODAY,
                municipality_id=venlo.id,
                contact_id=contact.id,
                text="Ze kwam daarna elke week naar de inloop.",
            )
        )
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
    [audit] = await _audit(bot)
    assert (audit.entity, audit.action) == ("story", "edit")
    story = await _one(bot, Story)
    assert (story.work_date, story.municipality_id) == (TODAY, venlo.id)
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
        venlo = (await s.exec(select(Municipality).where(Municipality.name == "Venlo"))).one()
        act = (await s.exec(select(ActivityType).where(ActivityType.code == "inloop"))).one()
        theme = (await s.exec(select(Theme).where(Theme.code == "schulden"))).one()
        contact = contact_row(anna.id, TODAY, 45, venlo.id, act.id)
        s.add(contact)
        await s.flush()
        story = Story(
            submission_key="k1",
            expert_id=anna.id,
            work_date=TODAY,
            municipality_id=venlo.id,
            contact_id=contact.id,
            text="Ze kwam daarna elke week naar de inloop.",
        )
        s.add(story)
    for change in ({"work_date": YESTERDAY}, {"municipality_id": None}, {"deelopdracht_id": None}):
        with pytest.raises(ValueError):
            async with transaction(factory) as s:
                await worklog.update_entry(s, "story", story.id, anna.id, change, now)
    async with transaction(factory) as s:
        change = {"theme_id": theme.id}
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
