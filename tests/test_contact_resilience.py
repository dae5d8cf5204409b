"""Never lose, never duplicate: restarts mid-dialogue, expiry, double taps, re-delivered
updates, old buttons, edited messages, failing handlers, and the idempotent save itself."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import func, select

from bot.domain.contact_draft import ContactDraft
from bot.storage import contacts, drafts
from bot.storage.db import session_factory
from bot.storage.models import AuditLog, Contact, ContactTheme, ConversationDraft, Story
from tests.journeys import reply_to, tap_through
from tests.test_contact_dialogue import (
    TODAY,
    draft_of,
    saved_contacts,
    snapshot,
    walk_first_contact,
)


def answers_for(bot, query_id: str) -> list:
    return [a for a in bot.tg.callback_queries[query_id].attempts if a.accepted]


def last_query(bot):
    return bot.tg.callback_queries[max(bot.tg.callback_queries, key=int)]


async def count(bot, model) -> int:
    async with session_factory(bot.engine)() as s:
        return (await s.exec(select(func.count()).select_from(model))).one()


# --------------------------------------------------------------------------- restarts


async def test_restart_mid_dialogue_resumes_where_the_expert_was(bot):
    anna = await bot.expert("Anna")
    await anna.says("/contact")
    await anna.press("Vandaag")
    await anna.press("Venlo")
    await bot.restart()  # a process restart: nothing in memory survives

    # Typed text after the restart goes to the right step.
    await anna.says("Buurthuis De Kolk")
    await anna.press("inloop")
    await anna.press("armoede")
    state_before = await snapshot(bot, anna)
    await bot.restart()

    # The buttons on the message from before the restart still work: same revision.
    themes = (await anna.press("eenzaamheid")).only
    assert "✓ armoede" in themes.button_labels and "✓ eenzaamheid" in themes.button_labels
    assert (await snapshot(bot, anna))[1] == state_before[1] + 1
    for label in ("Verder", "2", "Nieuw"):
        await anna.press(label)
    await bot.restart()
    summary = (await anna.press("45 min")).only  # reach follows from inloop
    assert "Plaats: Venlo – Buurthuis De Kolk (nieuw)" in summary.text
    await bot.restart()
    await anna.press("Opslaan")
    [c] = await saved_contacts(bot)
    assert c.duration_minutes == 45 and c.residents_new == 2
    bot.tg.assert_all_callbacks_answered()


async def test_contact_command_after_a_restart_shows_the_open_draft(bot):
    anna = await bot.expert("Anna")
    await anna.says("/contact")
    await tap_through(anna, ["Vandaag", "Venlo", "Geen vaste plek", "inloop"])
    await bot.restart()
    reply = await reply_to(anna.says("/contact"), "Je was nog bezig met een contact")
    assert "thema" in reply.text.lower()
    assert "Nieuw contact beginnen" in reply.button_labels
    # Continue from the resumed message.
    await anna.press("rouw")
    await reply_to(anna.press("Verder"), "Met hoeveel inwoners")
    # Or start over deliberately.
    await anna.says("/contact")
    await reply_to(anna.press("Nieuw contact beginnen"), "Op welke dag", last=True)
    assert (await draft_of(bot, anna)).state == "date"


# --------------------------------------------------------------------------- expiry


async def test_past_the_timeout_the_draft_expires_and_nothing_is_saved(bot):
    anna = await bot.expert("Anna")
    await walk_first_contact(anna)
    bot.clock.advance(hours=bot.settings.draft_timeout_hours, minutes=1)
    reply = (await anna.press("Opslaan")).only
    assert "verlopen" in reply.text and "niets opgeslagen" in reply.text
    assert reply.button_labels == []
    assert "verlopen" in last_query(bot).text
    assert await saved_contacts(bot) == []
    assert await draft_of(bot, anna) is None
    assert await count(bot, Story) == 0


async def test_typed_text_after_the_timeout_says_it_expired(bot):
    anna = await bot.expert("Anna")
    await anna.says("/contact")
    await anna.press("Vandaag")
    await anna.press("Venlo")
    bot.clock.advance(hours=25)
    reply = (await anna.says("Buurthuis De Kolk")).only
    assert "verlopen" in reply.text and "opgeslagen" in reply.text
    assert await draft_of(bot, anna) is None
    assert await saved_contacts(bot) == []


async def test_activity_keeps_a_draft_alive(bot):
    anna = await bot.expert("Anna")
    await anna.says("/contact")
    for label in ("Vandaag", "Venlo"):
        bot.clock.advance(hours=20)
        await anna.press(label)
    bot.clock.advance(hours=20)
    reply = (await anna.press("Geen vaste plek")).only
    assert "Wat voor inzet" in reply.text


# --------------------------------------------------------------------------- duplicates


async def test_double_tap_on_opslaan_saves_once(bot):
    anna = await bot.expert("Anna")
    summary = await walk_first_contact(anna, story="Hij gaat nu zelf naar de inloop toe.")
    save_data = summary.button("Opslaan")["callback_data"]
    await anna.press("Opslaan")
    await anna.press_data(save_data, summary)  # the second tap of a double tap
    assert last_query(bot).text == "Dit contact is al opgeslagen."
    assert len(await saved_contacts(bot)) == 1
    assert await count(bot, ContactTheme) == 2
    assert await count(bot, Story) == 1
    assert await count(bot, AuditLog) == 1


async def test_a_redelivered_update_is_not_acted_on_twice(bot):
    anna = await bot.expert("Anna")
    await walk_first_contact(anna)
    await anna.press("Opslaan")
    save_update = bot.tg.updates[-1]
    assert "callback_query" in save_update
    calls_before = len(bot.tg.calls)
    await bot.tg.driver.deliver(bot.tg, save_update)  # Telegram sends it again
    assert len(bot.tg.calls) == calls_before  # silently dropped by the gatekeeper
    assert len(await saved_contacts(bot)) == 1
    # Also after a restart (the processed-update record is in the database).
    await bot.restart()
    await bot.tg.driver.deliver(bot.tg, save_update)
    assert len(await saved_contacts(bot)) == 1


async def test_an_old_opslaan_button_from_before_a_restart(bot):
    anna = await bot.expert("Anna")
    summary = await walk_first_contact(anna)
    save_data = summary.button("Opslaan")["callback_data"]
    await anna.press("Opslaan")
    await anna.says("/contact")  # a new draft exists now, with another id
    await bot.restart()
    await anna.press_data(save_data, summary)
    assert last_query(bot).text == "Dit contact is al opgeslagen."
    assert len(await saved_contacts(bot)) == 1
    # The new draft is untouched by the old button.
    assert (await draft_of(bot, anna)).state == "summary"


async def test_a_button_from_an_earlier_step_changes_nothing(bot):
    anna = await bot.expert("Anna")
    first = (await anna.says("/contact")).only
    today_data = first.button("Vandaag")["callback_data"]
    await anna.press("Vandaag")
    await anna.press("Venlo")
    before = await snapshot(bot, anna)
    await anna.press_data(today_data, first)
    assert "eerdere stap" in last_query(bot).text
    assert await snapshot(bot, anna) == before


async def test_an_edited_message_creates_no_second_entry(bot):
    anna = await bot.expert("Anna")
    await anna.says("/contact 45 min inloop venlo armoede 1 nieuw")
    await anna.press("Opslaan")
    reply = (await anna.edits(None, "/contact 60 min inloop venlo armoede 1 nieuw")).only
    assert "aangepast bericht" in reply.text
    assert [c.duration_minutes for c in await saved_contacts(bot)] == [45]


async def test_another_experts_draft_button_does_nothing(bot):
    anna = await bot.expert("Anna")
    bert = await bot.expert("Bert")
    msg = (await anna.says("/contact")).only
    data = msg.button("Vandaag")["callback_data"]
    bert_msg = (await bert.says("/help")).only
    await bert.press_data(data, bert_msg)
    assert "afgerond of gestopt" in last_query(bot).text
    assert (await draft_of(bot, anna)).state == "date"


# --------------------------------------------------------------------------- failures


async def test_every_callback_is_answered_once_even_when_saving_fails(bot, monkeypatch):
    anna = await bot.expert("Anna")
    await walk_first_contact(anna)
    bot.tg.attach(bot.app, raise_errors=False)  # let the error handler do its work

    async def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(contacts, "save_contact", broken)
    await anna.press("Opslaan")
    query = last_query(bot)
    assert len(answers_for(bot, query.id)) == 1
    assert query.text.startswith("Sorry, er ging iets mis") and query.show_alert
    assert await saved_contacts(bot) == []
    assert (await draft_of(bot, anna)).state == "summary"  # what was filled in is kept

    monkeypatch.undo()
    done = (await anna.press("Opslaan")).only
    assert "Opgeslagen" in done.text
    assert len(await saved_contacts(bot)) == 1
    bot.tg.assert_all_callbacks_answered()


async def test_a_failing_step_is_answered_once_and_keeps_the_draft(bot, monkeypatch):
    anna = await bot.expert("Anna")
    await anna.says("/contact")
    await anna.press("Vandaag")
    bot.tg.attach(bot.app, raise_errors=False)
    before = await snapshot(bot, anna)

    async def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(contacts, "vindplekken", broken)
    await anna.press("Venlo")
    query = last_query(bot)
    assert len(answers_for(bot, query.id)) == 1 and query.show_alert
    # The step's change was rolled back with the failed transaction.
    assert await snapshot(bot, anna) == before
    monkeypatch.undo()
    reply = (await anna.press("Venlo")).only
    assert "Op welke plek" in reply.text


async def test_a_step_saved_by_another_process_first_is_not_overwritten(bot, monkeypatch):
    """Two bot processes on one draft (e.g. an overlapping deploy): the step that reaches the
    database second is refused, rolled back and answered; the first one's step stays."""
    import bot.handlers.contact as contact_handlers
    from bot.storage.db import create_engine, transaction

    anna = await bot.expert("Anna")
    await anna.says("/contact")
    await anna.press("Vandaag")
    await anna.press("Venlo")
    bot.tg.attach(bot.app, raise_errors=False)
    original = contact_handlers.typed_button

    async def other_process_first(s, context, row, cd, text):
        other = create_engine(bot.db_url)  # its own connection, like another process
        try:
            async with transaction(session_factory(other)) as o:
                fresh = await drafts.get_by_id(o, row.id)
                await drafts.save(o, fresh, bot.clock.now(), timedelta(hours=2), data=fresh.data)
        finally:
            await other.dispose()
        return await original(s, context, row, cd, text)

    monkeypatch.setattr(contact_handlers, "typed_button", other_process_first)
    reply = (await anna.says("Buurthuis De Kolk")).only
    monkeypatch.undo()
    assert "er ging iets mis" in reply.text and "bewaard" in reply.text
    state, revision, data = await snapshot(bot, anna)
    assert state == "vindplek" and data.get("new_vindplek") is None  # theirs, not ours

    # The expert simply types it again: the bot reads the newer revision and goes on.
    reply = (await anna.says("Buurthuis De Kolk")).only
    assert "Wat voor inzet was het?" in reply.text
    assert (await snapshot(bot, anna))[1] == revision + 1


# --------------------------------------------------------------------------- the save itself


def _draft() -> ContactDraft:
    return ContactDraft(
        work_date=TODAY,
        municipality_id=None,
        activity="inloop",
        themes=["armoede", "schulden"],
        residents_count=2,
        residents_new=1,
        duration_minutes=30,
        story="Samen naar de schuldhulp geweest, dat was een stap.",
        new_vindplek="Bibliotheek Venlo",
    )


async def _expert_and_draft(bot) -> tuple[int, ContactDraft]:
    anna = await bot.expert("Anna")
    user = await bot.app_user(anna)
    draft = _draft()
    draft.municipality_id = user.home_municipality_id
    return user.id, draft


async def test_save_is_one_transaction_and_idempotent_by_key(bot):
    expert_id, draft = await _expert_and_draft(bot)
    factory = session_factory(bot.engine)
    now = datetime(2026, 11, 17, 13, 0, tzinfo=UTC)
    first = await contacts.save_contact(
        factory, expert_id=expert_id, draft=draft, submission_key="k" * 32, draft_id=None, now=now
    )
    again = await contacts.save_contact(
        factory, expert_id=expert_id, draft=draft, submission_key="k" * 32, draft_id=None, now=now
    )
    assert first.created and not again.created
    assert again.contact.id == first.contact.id
    assert await count(bot, Contact) == 1 and await count(bot, Story) == 1
    async with factory() as s:
        story = (await s.exec(select(Story))).one()
        assert story.contact_id == first.contact.id and story.submission_key == "k" * 32 + ":v"


async def test_an_integrity_error_on_the_key_returns_the_existing_row(bot, monkeypatch):
    """Two processes: the other one inserted between our check and our insert."""
    expert_id, draft = await _expert_and_draft(bot)
    factory = session_factory(bot.engine)
    now = datetime(2026, 11, 17, 13, 0, tzinfo=UTC)
    first = await contacts.save_contact(
        factory, expert_id=expert_id, draft=draft, submission_key="race", draft_id=None, now=now
    )
    real = contacts.by_submission_key
    calls = []

    async def blind_first_time(s, key):
        calls.append(key)
        return None if len(calls) == 1 else await real(s, key)

    monkeypatch.setattr(contacts, "by_submission_key", blind_first_time)
    again = await contacts.save_contact(
        factory, expert_id=expert_id, draft=draft, submission_key="race", draft_id=None, now=now
    )
    assert len(calls) == 2  # the insert hit the unique key, then it looked again
    assert not again.created and again.contact.id == first.contact.id
    assert await count(bot, Contact) == 1
    # Nothing of the failed attempt survived (themes, story, audit, a second vindplek).
    assert await count(bot, ContactTheme) == 2
    assert await count(bot, Story) == 1
    assert await count(bot, AuditLog) == 1


async def test_concurrent_saves_of_one_draft_insert_once(bot):
    expert_id, draft = await _expert_and_draft(bot)
    factory = session_factory(bot.engine)
    now = datetime(2026, 11, 17, 13, 0, tzinfo=UTC)
    results = await asyncio.gather(
        *(
            contacts.save_contact(
                factory,
                expert_id=expert_id,
                draft=draft,
                submission_key="same",
                draft_id=None,
                now=now,
            )
            for _ in range(4)
        )
    )
    assert sum(r.created for r in results) == 1
    assert len({r.contact.id for r in results}) == 1
    assert await count(bot, Contact) == 1


async def test_an_incomplete_draft_is_refused_by_storage(bot):
    expert_id, draft = await _expert_and_draft(bot)
    draft.themes = []
    with pytest.raises(contacts.IncompleteDraft):
        await contacts.save_contact(
            session_factory(bot.engine),
            expert_id=expert_id,
            draft=draft,
            submission_key="x",
            draft_id=None,
            now=datetime(2026, 11, 17, tzinfo=UTC),
        )
    assert await count(bot, Contact) == 0


async def test_saving_deletes_the_draft_in_the_same_transaction(bot):
    anna = await bot.expert("Anna")
    await walk_first_contact(anna)
    d = await draft_of(bot, anna)
    key = d.submission_key
    await anna.press("Opslaan")
    async with session_factory(bot.engine)() as s:
        assert (await s.exec(select(ConversationDraft))).all() == []
        assert (await s.exec(select(Contact.submission_key))).all() == [key]


# --------------------------------------------------------------------------- resuming


async def test_resuming_with_contact_refreshes_the_draft_and_takes_the_typed_answer(bot):
    anna = await bot.expert("Anna")
    first = (await anna.says("/contact")).only
    await anna.press("Vandaag")
    await anna.press("Venlo")  # the vindplek step: it waits for a typed name
    await anna.says("/uren")  # another dialogue, touched later
    assert (await latest_flow(bot, anna)) == "uren"
    before = await draft_of(bot, anna)
    bot.clock.advance(hours=23)
    reply = (await anna.says("/contact")).only
    assert "Je was nog bezig met een contact" in reply.text
    after = await draft_of(bot, anna)
    assert after.id == before.id and after.revision > before.revision
    assert after.updated_at == bot.clock.now()
    assert after.expires_at == bot.clock.now() + timedelta(hours=bot.settings.draft_timeout_hours)
    assert (await latest_flow(bot, anna)) == "contact"
    # The next typed answer goes to the contact, not to /uren.
    reply = (await anna.says("Buurthuis De Kolk")).only
    assert "Wat voor inzet" in reply.text
    # Past the old expiry, the contact is still alive.
    bot.clock.advance(hours=2)
    reply = (await anna.press("inloop")).only
    assert "thema" in reply.text.lower()
    # The message shown before resuming has old buttons now.
    await anna.press_data(first.button("Andere gemeente")["callback_data"], first)
    assert "eerdere stap" in last_query(bot).text


async def latest_flow(bot, person) -> str | None:
    user = await bot.app_user(person)
    async with session_factory(bot.engine)() as s:
        row = await drafts.latest(s, user.id)
        return row.flow if row else None


async def test_an_old_nog_een_contact_button_keeps_a_half_finished_contact(bot):
    anna = await bot.expert("Anna")
    await walk_first_contact(anna)
    saved = (await anna.press("Opslaan")).only
    assert saved.button_labels == ["Nog een contact"]
    await saved.press("Nog een contact")
    await anna.press("Duur")
    await anna.press("30 min")
    await anna.press("Thema's")  # half-way through a change
    half = await draft_of(bot, anna)
    assert half.state == "themes"

    # The old button on the "Opgeslagen" message shows that contact instead of dropping it.
    reply = (await saved.press("Nog een contact")).only
    assert "Je was nog bezig met een contact" in reply.text
    assert "thema" in reply.text.lower()
    assert "Nieuw contact beginnen" in reply.button_labels
    kept = await draft_of(bot, anna)
    assert (kept.id, kept.submission_key, kept.state) == (half.id, half.submission_key, "themes")
    assert kept.data["duration_minutes"] == 30

    # A "Nieuw contact beginnen" of an earlier resume view does the same.
    again = (await reply.press("Nieuw contact beginnen")).only  # the current one: starts over
    fresh = await draft_of(bot, anna)
    assert fresh.submission_key != half.submission_key
    assert "Zelfde als vorige keer?" in again.text and fresh.data["duration_minutes"] == 45
    await anna.press("Duur")
    older = (await anna.says("/contact")).only
    await anna.says("/contact")  # a newer resume view: the older one's button is old now
    reply = (await older.press("Nieuw contact beginnen")).only
    assert "Je was nog bezig met een contact" in reply.text
    assert (await draft_of(bot, anna)).submission_key == fresh.submission_key
    assert len(await saved_contacts(bot)) == 1
    bot.tg.assert_all_callbacks_answered()
