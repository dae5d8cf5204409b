"""Doorstroom: weeks after a contact with new residents under a deelopdracht, its expert is
asked once, in one tap, how many of them went on to use a service (issue 12). End to end
through the fake Bot API on SQLite and PostgreSQL, with the controllable clock."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.handlers.followup import followup_pass
from bot.storage import deel_progress, worklog
from bot.storage.db import session_factory, transaction
from bot.storage.models import AuditLog, ContactFollowup, ReferralTarget, User
from tests.conftest import BotHarness
from tests.journeys import reply_to, tap_through
from tests.test_contact_deel import add_deelopdracht, followups_of
from tests.test_contact_dialogue import TODAY, saved_contacts

TZ = ZoneInfo("Europe/Amsterdam")
DUE = TODAY + timedelta(weeks=6)  # Tuesday 29 December 2026


def at(day, hh: int, mm: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=TZ)


async def log_contact(anna, line: str) -> None:
    await anna.says(f"/contact {line}")
    # "Weet ik niet" answers the drempels this deelopdracht measures.
    await tap_through(anna, ["Weet ik niet", "Opslaan"])


def questions(anna) -> list:
    return [r for r in anna.replies if "daarna naar hulp" in r.text]


async def test_followup_is_asked_once_after_six_weeks_and_answered_in_one_tap(bot):
    await add_deelopdracht(bot, measures=("non_use_known", "went_on"))
    anna = await bot.expert("Anna")
    await log_contact(anna, "45 min inloop wij-venlo armoede 2 nieuw")
    [contact] = await saved_contacts(bot)
    [row] = await followups_of(bot)
    assert row.due_on == DUE

    # Not yet due: nothing asked, not even at a good hour the day before.
    bot.clock.set(at(DUE - timedelta(days=1), 11))
    assert (await followup_pass(bot.app)).sent == 0
    # Due, but at night: waits for the day.
    bot.clock.set(at(DUE, 7))
    assert (await followup_pass(bot.app)).sent == 0
    bot.clock.set(at(DUE, 10, 30))
    assert (await followup_pass(bot.app)).sent == 1
    [q] = questions(anna)
    assert (
        "Op dinsdag 17 november sprak je 2 nieuwe inwoners (WIJ Venlo). Hoeveel van hen "
        "gingen daarna naar hulp of een voorziening?"
    ) in q.text
    assert q.button_labels == ["0", "1", "2", "Weet ik niet"]
    # Not twice: a later pass, a pass after a restart, two processes at once.
    bot.clock.advance(minutes=15)
    assert (await followup_pass(bot.app)).sent == 0
    await bot.restart()
    assert (await followup_pass(bot.app)).sent == 0
    assert len(questions(anna)) == 1

    # One tap for the count; then optionally the kind.
    data = q.button("1")["callback_data"]
    kind = (await anna.press("1", message=q.message_id)).only
    assert "Genoteerd: 1 van de 2." in kind.text
    assert "Overslaan" in kind.button_labels
    # The same button again (a double tap, an old message): recorded once.
    await anna.press_data(data, q.message_id)
    assert "al beantwoord" in anna.last_callback_answer.text
    done = (await anna.press("schuldhulp")).only
    assert "Genoteerd" in done.text
    async with session_factory(bot.engine)() as s:
        f = await s.get(ContactFollowup, row.id)
        target = await s.get(ReferralTarget, f.service_kind_id)
        assert (f.contact_id, f.went_on, target.code) == (contact.id, 1, "schuldhulp")
        assert f.asked_at is not None and f.answered_at is not None
        audit = (await s.exec(select(AuditLog).where(AuditLog.entity == "contact_followup"))).all()
    assert [(a.action, a.after) for a in audit] == [
        ("answer", {"went_on": 1}),
        ("kind", {"service_kind": "schuldhulp"}),
    ]
    bot.tg.assert_all_callbacks_answered()


async def test_two_processes_ask_once(bot):
    await add_deelopdracht(bot)
    anna = await bot.expert("Anna")
    await log_contact(anna, "45 min inloop wij-venlo armoede 1 nieuw")
    other = BotHarness(bot.tg, bot.db_url, bot.clock)
    await other.start()
    try:
        bot.clock.set(at(DUE, 11))
        a, b = await asyncio.gather(followup_pass(bot.app), followup_pass(other.app))
    finally:
        await other.stop()
        bot.tg.attach(bot.app)  # the fake server delivers to the first process again
    assert a.sent + b.sent == 1
    [q] = questions(anna)
    assert "Op dinsdag 17 november sprak je 1 nieuwe inwoner (WIJ Venlo)." in q.text
    assert q.button_labels == ["Ja", "Nee", "Weet ik niet"]
    summary = (await anna.press("Weet ik niet")).only
    assert "weet ik niet" in summary.text
    [f] = await followups_of(bot)
    assert (f.went_on, f.answered_at is not None) == (None, True)


async def _anna_and_bert_log_new_residents(bot):
    """A deelopdracht runs; Anna and Bert each log a contact with new residents today."""
    await add_deelopdracht(bot)
    anna = await bot.expert("Anna")
    bert = await bot.expert("Bert")
    await log_contact(anna, "45 min inloop wij-venlo armoede 2 nieuw")
    await log_contact(bert, "1 uur huisbezoek wij-venlo schulden 1 nieuw")
    return anna, bert


async def test_no_followup_for_a_deleted_contact_nor_a_paused_expert(bot):
    anna, bert = await _anna_and_bert_log_new_residents(bot)
    anna_user, bert_user = await bot.app_user(anna), await bot.app_user(bert)
    first = (await saved_contacts(bot))[0]
    async with transaction(session_factory(bot.engine)) as s:
        assert await worklog.delete_entry(s, "contact", first.id, anna_user.id, bot.clock.now())
        u = await s.get(User, bert_user.id)
        u.pause_until = DUE
        s.add(u)
    bot.clock.set(at(DUE, 11))
    assert (await followup_pass(bot.app)).sent == 0
    assert questions(anna) == [] and questions(bert) == []
    # Bert's pause ends: asked the next working day.
    bot.clock.set(at(DUE + timedelta(days=1), 11))
    assert (await followup_pass(bot.app)).sent == 1
    assert len(questions(bert)) == 1 and questions(anna) == []
    kind = (await bert.press("Ja")).only  # one resident: yes or no
    assert "Genoteerd: 1 van de 1." in kind.text


async def test_more_than_five_is_typed(bot):
    await add_deelopdracht(bot)
    anna = await bot.expert("Anna")
    await log_contact(anna, "2 uur groep wij-venlo armoede 8 nieuw")
    bot.clock.set(at(DUE, 11))
    assert (await followup_pass(bot.app)).sent == 1
    [q] = questions(anna)
    assert q.button_labels == ["0", "1", "2", "3", "4", "5", "Meer, typ het aantal", "Weet ik niet"]
    more = q.button("Meer, typ het aantal")["callback_data"]
    await anna.press("Meer, typ het aantal")
    await reply_to(anna.says("12"), "Typ een getal van 0 tot en met 8.")
    await reply_to(anna.says("6"), "Genoteerd: 6 van de 8.")
    await anna.press("Overslaan")
    [f] = await followups_of(bot)
    assert (f.went_on, f.service_kind_id) == (6, None)
    # The old "Meer" button again: nothing changes.
    await anna.press_data(more, q.message_id)
    assert "al beantwoord" in anna.last_callback_answer.text


async def test_a_corrected_date_moves_the_followup(bot):
    await add_deelopdracht(bot)
    anna = await bot.expert("Anna")
    await log_contact(anna, "gisteren 45 min inloop wij-venlo armoede 1 nieuw")
    [row] = await followups_of(bot)
    assert row.due_on == DUE - timedelta(days=1)
    # /corrigeer, Datum: it was today after all.
    await anna.says("/corrigeer")
    await tap_through(anna, ["inloop", "Datum", "Vandaag"])
    [contact] = await saved_contacts(bot)
    assert contact.work_date == TODAY
    bot.clock.set(at(DUE - timedelta(days=1), 11))
    assert (await followup_pass(bot.app)).sent == 0  # six weeks after the corrected date
    bot.clock.set(at(DUE, 11))
    assert (await followup_pass(bot.app)).sent == 1
    [q] = questions(anna)
    assert "Op dinsdag 17 november" in q.text


async def test_no_followup_once_corrected_to_known_residents(bot):
    await add_deelopdracht(bot)
    anna = await bot.expert("Anna")
    await log_contact(anna, "45 min inloop wij-venlo armoede 2 nieuw")
    assert len(await followups_of(bot)) == 1
    await anna.says("/corrigeer")
    await tap_through(anna, ["inloop", "Alles aanpassen", "Inwoners", "2"])
    summary = await reply_to(anna.press("Bekend"))
    assert "Drempels" not in summary.text  # drempels are about new residents
    await anna.press("Opslaan")
    assert await followups_of(bot) == []
    bot.clock.set(at(DUE, 11))
    assert (await followup_pass(bot.app)).sent == 0


async def test_no_followup_for_an_expert_who_blocked_the_bot_or_turned_reminders_off(bot):
    anna, bert = await _anna_and_bert_log_new_residents(bot)
    await anna.blocks_bot()
    async with transaction(session_factory(bot.engine)) as s:
        u = await s.get(User, (await bot.app_user(bert)).id)
        u.reminders_enabled = False
        s.add(u)
    bot.clock.set(at(DUE, 11))
    assert (await followup_pass(bot.app)).sent == 0
    async with transaction(session_factory(bot.engine)) as s:
        u = await s.get(User, (await bot.app_user(bert)).id)
        u.reminders_enabled = True
        s.add(u)
    assert (await followup_pass(bot.app)).sent == 1  # Bert only; Anna still blocks the bot
    assert len(questions(bert)) == 1
    assert all(f.asked_at is None for f in await followups_of(bot) if f.expert_id != u.id)


async def test_what_experts_answer_is_what_the_measures_count(bot):
    """Issue 12 end to end: contacts logged under a deelopdracht, their drempels and their
    follow-ups answered in the chat, give its progress (`bot.storage.deel_progress`)."""
    deel_id = await add_deelopdracht(bot, measures=("new_residents", "non_use_known", "went_on"))
    anna = await bot.expert("Anna")
    await anna.says("/contact 45 min inloop wij-venlo armoede 2 nieuw")
    await anna.press("schaamte")
    await anna.press("Verder →")
    await anna.press("Opslaan")
    await log_contact(anna, "1 uur huisbezoek wij-venlo schulden 2 nieuw")  # "Weet ik niet"
    await anna.says("/contact 30 min gesprek wij-venlo rouw 1 bekend")  # no drempels asked
    await anna.press("Opslaan")
    bot.clock.set(at(DUE, 11))
    assert (await followup_pass(bot.app)).sent == 2  # only the contacts with new residents
    first, second = questions(anna)
    await anna.press("1", message=first.message_id)
    await anna.press("Overslaan", message=first.message_id)  # the kind: skipped
    await anna.press("2", message=second.message_id)
    async with session_factory(bot.engine)() as s:
        got = {p.kind: (p.value, p.base) for p in await deel_progress.progress(s, deel_id, DUE)}
    assert got["new_residents"][0] == 4
    assert got["non_use_known"] == (50.0, 4)  # 2 of the 4 new residents: reasons known
    assert got["went_on"] == (75.0, 4)  # 1 + 2 of the 4 followed up
