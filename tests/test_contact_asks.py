"""Issue 15 through the fake Bot API (SQLite and PostgreSQL): a one-line entry never drops or
replaces a value silently. What it did not use is asked about in the same reply, with buttons;
an impossible date is an error; the village is kept and shown; several referrals are saved."""

from __future__ import annotations

from sqlmodel import select

from bot.storage.models import ActivityType, AuditLog, ContactReferral, ReferralTarget, Village
from tests.test_contact_dialogue import TODAY, Tapper, code_of, draft_of, saved_contacts


async def test_a_lone_number_after_the_themes_is_the_count(bot):
    anna = await bot.expert("Anna")
    reply = (await anna.says("/contact 2 uur vnelo schuldn 3")).only
    # Nothing dropped: the 3 is the number of residents, shown with what was understood.
    assert "Dit heb ik begrepen" in reply.text
    for expected in ("Plaats: Venlo", "Thema's: schulden", "Inwoners: 3", "Duur: 2 uur"):
        assert expected in reply.text, reply.text
    assert "Wat voor inzet was het?" in reply.text


async def test_a_bare_number_without_a_duration_is_asked_about(bot):
    anna = await bot.expert("Anna")
    tapper = Tapper(anna)
    reply = (await anna.says("/contact 45 inloop venlo armoede 1 nieuw")).only
    assert "Is 45 de duur in minuten?" in reply.text
    assert reply.button_labels[:2] == ["Ja, 45 min", "Niet gebruiken"]
    summary = (await tapper.press("Ja, 45 min")).only
    assert "Klopt dit?" in summary.text and "Duur: 45 min" in summary.text
    await tapper.press("Opslaan")
    assert tapper.taps == 2
    [c] = await saved_contacts(bot)
    assert c.duration_minutes == 45


async def test_a_number_that_may_be_the_count_is_asked_about(bot):
    anna = await bot.expert("Anna")
    reply = (await anna.says("/contact 1 uur 3 venlo inloop armoede")).only
    assert "Is 3 het aantal inwoners?" in reply.text
    await anna.press("Ja, 3 inwoners")
    assert (await draft_of(bot, anna)).data["residents_count"] == 3
    # "Niet gebruiken" leaves it out: the count is asked as a step instead.
    reply = (await anna.says("/contact 1 uur 3 venlo inloop armoede")).only
    # (The first one is not saved: the bot asks before it is thrown away, audit #3.)
    await anna.press("Weggooien, nieuw contact")
    reply = (await anna.press("Niet gebruiken")).only
    assert "nieuw" in reply.text.lower()


async def test_an_unknown_word_offers_what_it_may_mean(bot):
    anna = await bot.expert("Anna")
    reply = (await anna.says("/contact 1 uur huisbzk venlo schulden 1 bekend")).only
    assert "Wat bedoel je met huisbzk?" in reply.text
    assert "1-op-1 contact" in reply.button_labels  # huisbezoek is a 1-op-1 contact
    summary = (await anna.press("1-op-1 contact")).only
    assert "Soort inzet: 1-op-1 contact" in summary.text
    await anna.press("Opslaan")
    [c] = await saved_contacts(bot)
    assert await code_of(bot, ReferralTarget, c.referral_target_id) is None


async def test_an_impossible_date_is_an_error_never_today(bot):
    anna = await bot.expert("Anna")
    reply = (await anna.says("/contact 31-2 1 uur inloop venlo armoede 1 nieuw")).only
    assert "Die datum bestaat niet" in reply.text
    assert (await draft_of(bot, anna)).state == "date"
    assert (await draft_of(bot, anna)).data["work_date"] is None


async def test_the_village_is_kept_and_shown_and_one_tap_saves(bot):
    anna = await bot.expert("Anna", gemeente="Roermond")
    tapper = Tapper(anna)
    summary = (await anna.says("/contact 1 uur huisbezoek Tegelen eenzaamheid 1 nieuw")).only
    assert "Plaats: Venlo (Tegelen)" in summary.text
    assert "Soort inzet: 1-op-1 contact" in summary.text
    await tapper.press("Opslaan")
    assert tapper.taps == 1  # one line + one tap
    [c] = await saved_contacts(bot)
    async with bot.services.sessions() as s:
        village = await s.get(Village, c.village_id)
        assert village is not None and village.name == "Tegelen"
        audit = (await s.exec(select(AuditLog).where(AuditLog.entity_id == c.id))).one()
        assert audit.after["village_id"] == c.village_id


async def test_several_referrals_are_saved(bot):
    anna = await bot.expert("Anna")
    line = "/contact 1 uur gesprek venlo psychisch 1 nieuw doorverwezen naar ggz en huisarts"
    summary = (await anna.says(line)).only
    assert "Doorverwezen naar: GGZ, huisarts / POH" in summary.text
    await anna.press("Opslaan")
    [c] = await saved_contacts(bot)
    assert await code_of(bot, ReferralTarget, c.referral_target_id) == "ggz"  # the first
    async with bot.services.sessions() as s:
        rows = (
            await s.exec(select(ContactReferral).where(ContactReferral.contact_id == c.id))
        ).all()
    codes = {await code_of(bot, ReferralTarget, r.referral_target_id) for r in rows}
    assert codes == {"ggz", "huisarts"}
    assert c.work_date == TODAY


async def test_a_step_taken_by_another_process_meanwhile_is_a_stale_button(bot, monkeypatch):
    """Two processes handle the same double tap: the second one's guarded write finds the
    draft moved on (StaleDraft) and answers like any button of an older step, not "Sorry"."""
    from sqlalchemy import update

    from bot.storage import drafts
    from bot.storage.models import ConversationDraft
    from tests.test_contact_resilience import last_query

    anna = await bot.expert("Anna")
    await anna.says("/contact")
    before = await draft_of(bot, anna)
    original = drafts.save

    async def other_process_first(s, draft, *args, **kwargs):
        # The other process's step, between this one's read and its guarded write (written
        # through this session: SQLite has one writer, and the row is what matters).
        conn = await s.connection()
        await conn.execute(
            update(ConversationDraft)
            .where(ConversationDraft.id == draft.id)
            .values(revision=draft.revision + 1)
        )
        return await original(s, draft, *args, **kwargs)

    monkeypatch.setattr(drafts, "save", other_process_first)
    bot.tg.attach(bot.app, raise_errors=False)
    await anna.press("Vandaag")
    monkeypatch.undo()
    query = last_query(bot)
    assert "eerdere stap" in query.text and "Sorry" not in query.text
    after = await draft_of(bot, anna)  # rolled back: the step is still to take
    assert (after.state, after.revision) == (before.state, before.revision)
    await anna.press("Vandaag")
    assert (await draft_of(bot, anna)).state != before.state


# --------------------------------------------------------------------------- plain text


async def test_plain_text_that_looks_like_work_is_offered_and_saved_with_one_tap(bot):
    anna = await bot.expert("Anna", gemeente="Roermond")
    tapper = Tapper(anna)
    offer = (await anna.says("vandaag 1 uur gesprek in venlo over schulden 1 nieuw")).only
    assert "Wil je dit loggen als contact?" in offer.text
    for expected in ("Plaats: Venlo", "Soort inzet: 1-op-1 contact", "Thema's: schulden"):
        assert expected in offer.text, offer.text
    await tapper.press("Opslaan")
    assert tapper.taps == 1
    [c] = await saved_contacts(bot)
    assert (c.duration_minutes, c.residents_new, c.work_date) == (60, 1, TODAY)


async def test_plain_text_asks_what_is_missing_and_other_text_is_not_offered(bot):
    anna = await bot.expert("Anna")
    offer = (await anna.says("vandaag 1 uur gesprek in venlo over schulden")).only
    assert "Wil je dit loggen als contact?" in offer.text
    assert "nieuw" in offer.text.lower()  # the one thing missing: new or known
    assert await saved_contacts(bot) == []
    other = await bot.expert("Bert")
    reply = (await other.says("hoe gaat het")).only
    assert "Wil je dit loggen" not in reply.text
    # A resident's text is never offered as a contact.
    sam = bot.resident("Sam")
    reply = (await sam.says("vandaag 1 uur gesprek in venlo over schulden")).only
    assert "Wil je dit loggen" not in reply.text


# --------------------------------------------------------------------------- /corrigeer


async def test_a_contact_is_corrected_in_every_field_with_an_audit_row(bot):
    from datetime import timedelta

    from bot.storage.models import ContactTheme, Municipality, ReachChannel, Story, Theme
    from tests.test_contact_dialogue import walk_first_contact

    anna = await bot.expert("Anna", gemeente="Venlo")
    await walk_first_contact(anna, story="Ze ging voor het eerst zelf naar de schuldhulp.")
    await anna.press("Opslaan")
    [before] = await saved_contacts(bot)

    await anna.says("/corrigeer")
    await anna.press("inloop")
    summary = (await anna.press("Alles aanpassen")).only
    assert "Klopt dit?" in summary.text and "Soort inzet: inloop" in summary.text
    for field, taps in [
        ("Datum", ["Gisteren"]),
        ("Plaats", ["Venray", "Geen vaste plek"]),
        ("Soort inzet", ["1-op-1 contact"]),
        ("Thema's", ["armoede", "eenzaamheid", "schulden", "Verder"]),
        ("Inwoners", ["3"]),
        ("Nieuw/bekend", []),
        ("Duur", ["1 uur"]),
        ("Bereikt via", ["via netwerk of sleutelfiguur"]),
        ("Doorverwezen naar", ["GGZ"]),
    ]:
        if field == "Nieuw/bekend":
            await anna.press("Bekend")  # the new count asks new/known again
            continue
        await anna.press(field)
        for label in taps:
            await anna.press(label)
    await anna.press("Verhaal")
    await anna.says("Hij belde later zelf de huisarts, dat had hij nooit gedaan.")
    done = (await anna.press("Opslaan")).only
    assert "Aangepast" in done.text

    [c] = await saved_contacts(bot)  # the same contact, changed: none added
    assert c.id == before.id
    async with bot.services.sessions() as s:
        venray = (await s.exec(select(Municipality).where(Municipality.name == "Venray"))).one()
        themes = (
            await s.exec(
                select(Theme.code).join(ContactTheme).where(ContactTheme.contact_id == c.id)
            )
        ).all()
        reach = await s.get(ReachChannel, c.reach_channel_id)
        referrals = (
            await s.exec(select(ContactReferral).where(ContactReferral.contact_id == c.id))
        ).all()
        story = (await s.exec(select(Story).where(Story.contact_id == c.id))).one()
        audits = (
            await s.exec(
                select(AuditLog).where(AuditLog.entity == "contact", AuditLog.entity_id == c.id)
            )
        ).all()
    assert (c.work_date, c.municipality_id, c.vindplek_id) == (
        TODAY - timedelta(days=1),
        venray.id,
        None,
    )
    assert await code_of(bot, ActivityType, c.activity_type_id) == "een_op_een"
    assert set(themes) == {"schulden"}
    assert (c.residents_count, c.residents_new, c.duration_minutes) == (3, 0, 60)
    assert reach.code == "netwerk"
    codes = {await code_of(bot, ReferralTarget, r.referral_target_id) for r in referrals}
    assert codes == {"schuldhulp", "ggz"}  # the old referral and the added one
    assert story.text.startswith("Hij belde later") and story.work_date == c.work_date
    # One audit row for the save, one for the correction, with every field before and after.
    assert [a.action for a in audits] == ["create", "edit"]
    edit = audits[1]
    assert edit.before["activity"] == "inloop" and edit.after["activity"] == "een_op_een"
    assert edit.before["themes"] == ["armoede", "eenzaamheid"] and edit.after["themes"] == [
        "schulden"
    ]
    assert edit.before["duration_minutes"] == 45 and edit.after["duration_minutes"] == 60
    assert edit.before["residents_count"] == 2 and edit.after["residents_count"] == 3
    assert edit.before["referrals"] == ["schuldhulp"]
    assert edit.after["referrals"] == ["schuldhulp", "ggz"]
    assert edit.before["reach"] == "inloop" and edit.after["reach"] == "netwerk"
    assert edit.after["municipality_id"] == venray.id
    assert edit.before["story_id"] == edit.after["story_id"] == story.id
