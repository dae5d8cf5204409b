"""/week through the fake Telegram Bot API (SQLite and PostgreSQL): the expert's own ISO week,
hours per municipality and kind, contacts, residents and themes, paging between weeks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlmodel import select

from bot.storage.db import transaction
from bot.storage.models import (
    ActivityType,
    ContactTheme,
    IndirectKind,
    Municipality,
    Signal,
    SignalKind,
    Theme,
    User,
)
from tests.helpers import contact_row, hours_row

MONDAY = date(2026, 11, 16)  # the week of the clock fixture (Tuesday 17 November 2026)


async def _ids(bot, model, field="code"):
    async with bot.services.sessions() as s:
        return {getattr(r, field): r.id for r in (await s.exec(select(model))).all()}


async def _user_id(bot, chat_user) -> int:
    async with bot.services.sessions() as s:
        user = (await s.exec(select(User).where(User.telegram_user_id == chat_user.id))).one()
        return user.id


async def _seed(bot, expert_id: int, other_id: int) -> None:
    munis = await _ids(bot, Municipality, "name")
    acts = await _ids(bot, ActivityType)
    kinds = await _ids(bot, IndirectKind)
    themes = await _ids(bot, Theme)
    sig = await _ids(bot, SignalKind)

    def contact(who, day, minutes, muni, count=1, new=0, deleted=False):
        return contact_row(
            who,
            day,
            minutes,
            munis[muni],
            acts["een_op_een"],
            residents_count=count,
            residents_new=new,
            deleted_at=datetime(2026, 11, 17, tzinfo=UTC) if deleted else None,
        )

    def hours(who, day, minutes, kind, muni):
        return hours_row(who, day, minutes, kinds[kind], munis[muni] if muni else None)

    async with transaction(bot.services.sessions) as s:
        c1 = contact(expert_id, MONDAY, 60, "Venlo", count=1, new=1)
        c2 = contact(expert_id, MONDAY + timedelta(days=1), 90, "Venlo", count=4, new=1)
        c3 = contact(expert_id, MONDAY + timedelta(days=6), 30, "Venray", count=1, new=0)
        for row in (c1, c2, c3):
            s.add(row)
        # Not counted: deleted, another expert, the week before, the week after.
        s.add(contact(expert_id, MONDAY, 300, "Venlo", deleted=True))
        s.add(contact(other_id, MONDAY, 300, "Venlo"))
        s.add(contact(expert_id, MONDAY - timedelta(days=1), 45, "Beesel", count=2, new=2))
        s.add(contact(expert_id, MONDAY + timedelta(days=7), 45, "Beesel"))
        s.add(hours(expert_id, MONDAY, 60, "overleg", "Venlo"))
        s.add(hours(expert_id, MONDAY + timedelta(days=2), 30, "reistijd", None))
        s.add(hours(expert_id, MONDAY + timedelta(days=3), 15, "reistijd", None))
        s.add(hours(expert_id, MONDAY - timedelta(days=3), 120, "scholing", None))
        s.add(
            Signal(
                submission_key="s1",
                expert_id=expert_id,
                work_date=MONDAY,
                kind_id=sig["trend"],
                text="Meer vragen over energiekosten.",
            )
        )
        await s.flush()
        s.add(ContactTheme(contact_id=c1.id, theme_id=themes["armoede"]))
        s.add(ContactTheme(contact_id=c1.id, theme_id=themes["eenzaamheid"]))
        s.add(ContactTheme(contact_id=c2.id, theme_id=themes["armoede"]))


async def test_week_overview_and_paging(bot):
    anna = await bot.expert(first_name="Anna", gemeente="Venlo")
    bob = await bot.expert(first_name="Bob", gemeente="Venlo")
    await _seed(bot, await _user_id(bot, anna), await _user_id(bot, bob))

    replies = await anna.says("/week")
    text = replies.only.text
    # One title form for every week; this week is said on the line below it.
    assert text.startswith("Week 47 van 2026\nDeze week: maandag 16 november – zondag 22 november")
    # Hours in one form, decimal hours as in the digest ("2,5 uur"), never "1 uur 45 min".
    assert "Totaal: 4,75 uur" in text  # 180 contact + 105 indirect, quarter hours exact
    assert "Met inwoners: 3 uur · zonder inwoners: 1,75 uur" in text
    assert "Venlo: 3,5 uur\n   contact 2,5 uur · overleg 1 uur" in text
    assert "Venray: 0,5 uur\n   contact 0,5 uur" in text
    assert "Regionaal: 0,75 uur\n   reistijd 0,75 uur" in text
    assert " min" not in text
    assert text.index("Venlo:") < text.index("Venray:") < text.index("Regionaal:")
    assert "3 contacten" in text
    assert "Inwoners: 2 nieuw, 4 bekend" in text
    # Theme labels as every view shows them: without their explanation in brackets.
    assert "Thema's: armoede (2), eenzaamheid (1)" in text
    assert "Signalen: 1 · verhalen: 0" in text
    assert anna.last_reply.button_labels == ["« Vorige week"]  # nothing after this week

    await anna.press("« Vorige week")
    text = anna.last_reply.text
    assert text.startswith("Week 46 van 2026\nmaandag 9 november – zondag 15 november")
    assert "Totaal: 2,75 uur" in text
    assert "Beesel: 0,75 uur" in text and "Regionaal: 2 uur" in text
    assert "1 contact\n" in text and "Inwoners: 2 nieuw, 0 bekend" in text
    assert anna.last_reply.button_labels == ["« Vorige week", "Volgende week »"]

    await anna.press("« Vorige week")
    assert "In deze week heb je niets ingevoerd." in anna.last_reply.text
    assert "Naar deze week" in anna.last_reply.button_labels
    await anna.press("Naar deze week")
    assert "Week 47 van 2026\nDeze week:" in anna.last_reply.text

    # A made-up or old button for a week that has not begun shows the current week.
    await anna.press_data("w:2026-12-07", anna.last_reply)
    assert "Week 47 van 2026\nDeze week:" in anna.last_reply.text
    await anna.press_data("w:gisteren", anna.last_reply)
    assert "ken ik niet" in anna.last_callback_answer.text
    anna.assert_callbacks_answered()

    # Bob sees only his own contact.
    replies = await bob.says("/week")
    assert "Totaal: 5 uur" in replies.only.text and "1 contact" in replies.only.text


async def test_week_is_the_iso_week_in_amsterdam(bot):
    anna = await bot.expert(first_name="Anna", gemeente="Venlo")
    # Sunday 22 November, 23:30 in Amsterdam (22:30 UTC): still week 47.
    bot.clock.set(datetime(2026, 11, 22, 22, 30, tzinfo=UTC))
    replies = await anna.says("/week")
    assert "Week 47 van 2026\nDeze week:" in replies.only.text
    assert "Deze week heb je nog niets ingevoerd." in replies.only.text
    # One hour later it is Monday in Amsterdam: week 48.
    bot.clock.advance(hours=1)
    replies = await anna.says("/week")
    assert "Week 48 van 2026\nDeze week:" in replies.only.text
    await anna.says("/uren 1 uur overleg")
    replies = await anna.says("/week")
    assert "Totaal: 1 uur" in replies.only.text and "overleg 1 uur" in replies.only.text


async def test_week_in_english(bot):
    anna = await bot.expert(first_name="Anna", gemeente="Venlo")
    async with transaction(bot.services.sessions) as s:
        user = (await s.exec(select(User).where(User.telegram_user_id == anna.id))).one()
        user.language = "en"
        s.add(user)
    await anna.says("/uren 90 min overleg")
    replies = await anna.says("/week")
    text = replies.only.text
    assert "1.5 h" in text and "Week 47 of 2026\nThis week: Monday 16 November" in text
