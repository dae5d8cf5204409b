"""Audit findings on /contact: a new /contact never drops an unsaved one silently (#3), a
repeat keeps the kern (#5), a count above the limit is refused by name (#10), and names and
phone numbers in a one-line entry are answered, not offered as vocabulary (#11)."""

from __future__ import annotations

from bot.storage.models import Village
from tests.helpers import all_rows
from tests.test_contact_dialogue import draft_of, saved_contacts

# --------------------------------------------------------------------------- #5 repeat


async def test_nog_een_contact_keeps_the_village_and_vindplek(bot):
    anna = await bot.expert("Anna")
    await anna.says("/contact 45 min inloop Blerick armoede 2 nieuw")
    saved = (await anna.press("Opslaan")).only
    repeat = (await saved.press("Nog een contact")).only
    assert "Zelfde als vorige keer?" in repeat.text
    assert "Plaats: Venlo (Blerick)" in repeat.text
    await anna.press("Opslaan")
    first, second = sorted(await saved_contacts(bot), key=lambda c: c.id or 0)
    [blerick] = [v for v in await all_rows(bot, Village) if v.name == "Blerick"]
    assert first.village_id == blerick.id
    assert second.village_id == blerick.id
    assert second.vindplek_id == first.vindplek_id
    assert await draft_of(bot, anna) is None


# --------------------------------------------------------------------------- #10 count limit


async def test_a_count_above_the_limit_is_refused_with_the_limit(bot):
    anna = await bot.expert("Anna")
    reply = (await anna.says("/contact 45 min inloop Blerick armoede 99999 nieuw")).only
    assert "hooguit 500 inwoners" in reply.text
    assert "Met hoeveel inwoners?" in reply.text
    assert "Inwoners: 1" not in reply.text and "99999" not in reply.text
    assert (await draft_of(bot, anna)).state == "residents"
    await anna.says("37")
    await anna.press("Nieuw")
    await anna.press("Opslaan")
    [c] = await saved_contacts(bot)
    assert (c.residents_count, c.residents_new) == (37, 37)


# --------------------------------------------------------------------------- #11 identifiers


async def test_a_name_and_phone_number_in_a_line_are_refused_not_asked(bot):
    anna = await bot.expert("Anna")
    line = "/contact 45 min inloop Venlo armoede 1 nieuw mevrouw Jansen 0612345678"
    reply = (await anna.says(line)).only
    assert "Namen en telefoonnummers horen hier niet: die sla ik niet op." in reply.text
    assert "Jansen" not in reply.text and "0612345678" not in reply.text
    assert "Wat bedoel je" not in reply.text
    assert "Klopt dit?" in reply.text
    draft = await draft_of(bot, anna)
    assert "Jansen" not in str(draft.data) and "0612345678" not in str(draft.data)


# --------------------------------------------------------------------------- #3 replace


def last_query(bot):
    return bot.tg.callback_queries[max(bot.tg.callback_queries, key=int)]


FIRST = "/contact gisteren 30 min outreach Venray eenzaamheid 3 nieuw"
SECOND = "/contact 2,5 uur groep Panningen armoede 6 bekend"


async def test_a_new_line_asks_before_an_unsaved_contact_is_replaced(bot):
    anna = await bot.expert("Anna")
    old = (await anna.says(FIRST)).only
    assert "Klopt dit?" in old.text
    before = await draft_of(bot, anna)
    ask = (await anna.says(SECOND)).only
    assert "Je vorige contact is nog niet opgeslagen:" in ask.text
    assert "Venray" in ask.text and "3 inwoners" in ask.text and "30 min" in ask.text
    assert ask.button_labels == ["Eerst dat opslaan", "Weggooien, nieuw contact"]
    kept = await draft_of(bot, anna)
    assert (kept.id, kept.submission_key, kept.state) == (
        before.id,
        before.submission_key,
        "replace",
    )
    assert kept.data["pending"]["data"]["residents_count"] == 6

    # The old message's Opslaan is a button of an earlier step now: nothing happens.
    await old.press("Opslaan")
    assert "eerdere stap" in last_query(bot).text
    assert await saved_contacts(bot) == []

    # One tap saves the old one and goes on with the new one, without retyping it.
    save_first = ask.button("Eerst dat opslaan")["callback_data"]
    both = (await ask.press("Eerst dat opslaan")).only
    assert "Opgeslagen ✓" in both.text and "Venray" in both.text
    assert "Klopt dit?" in both.text and "Peel en Maas (Panningen)" in both.text
    await both.press("Opslaan")
    saved = sorted(await saved_contacts(bot), key=lambda c: c.id or 0)
    assert [(c.duration_minutes, c.residents_count) for c in saved] == [(30, 3), (150, 6)]

    # The question's button pressed again: already saved, nothing twice.
    await anna.press_data(save_first, ask)
    assert "al opgeslagen" in last_query(bot).text
    await old.press("Opslaan")
    assert len(await saved_contacts(bot)) == 2
    bot.tg.assert_all_callbacks_answered()


async def test_throw_away_the_old_one_and_go_on_with_the_new_one(bot):
    anna = await bot.expert("Anna")
    old = (await anna.says(FIRST)).only
    ask = (await anna.says(SECOND)).only
    new = (await ask.press("Weggooien, nieuw contact")).only
    assert "Klopt dit?" in new.text and "Peel en Maas (Panningen)" in new.text
    await new.press("Opslaan")
    [c] = await saved_contacts(bot)
    assert (c.duration_minutes, c.residents_count) == (150, 6)
    await old.press("Opslaan")
    assert "afgerond of gestopt" in last_query(bot).text
    assert len(await saved_contacts(bot)) == 1
    bot.tg.assert_all_callbacks_answered()


async def test_an_unfinished_contact_is_finished_first_then_the_new_one_follows(bot):
    anna = await bot.expert("Anna")
    half = (await anna.says("/contact gisteren 30 min outreach Venray eenzaamheid 3")).only
    assert "nieuw voor jou" in half.text  # the new/known step
    ask = (await anna.says(SECOND)).only
    assert ask.button_labels == ["Eerst dat afmaken", "Weggooien, nieuw contact"]
    back = (await ask.press("Eerst dat afmaken")).only
    assert "Maak dit contact eerst af." in back.text and "nieuw voor jou" in back.text
    summary = (await back.press("Nieuw")).only
    both = (await summary.press("Opslaan")).only
    assert "Opgeslagen ✓" in both.text and "Peel en Maas (Panningen)" in both.text
    await both.press("Opslaan")
    assert len(await saved_contacts(bot)) == 2


async def test_a_contact_nothing_was_entered_in_is_replaced_without_asking(bot):
    anna = await bot.expert("Anna")
    await anna.says("/contact 45 min inloop Blerick armoede 2 nieuw")
    await anna.press("Opslaan")
    same = (await anna.says("/contact")).only
    assert "Zelfde als vorige keer?" in same.text
    new = (await anna.says(SECOND)).only
    assert "Klopt dit?" in new.text and "nog niet opgeslagen" not in new.text


async def test_corrigeer_all_fields_asks_before_an_unsaved_contact_is_replaced(bot):
    anna = await bot.expert("Anna")
    await anna.says("/contact 45 min inloop Blerick armoede 2 nieuw")
    await anna.press("Opslaan")
    await anna.says(FIRST)  # at "Klopt dit?", not saved
    await anna.says("/corrigeer")
    await anna.press("inloop")
    ask = (await anna.press("Alles aanpassen")).only
    assert "Je vorige contact is nog niet opgeslagen:" in ask.text and "Venray" in ask.text
    assert ask.button_labels == ["Eerst dat opslaan", "Weggooien, nu wijzigen"]
    edit = (await ask.press("Eerst dat opslaan")).only
    assert "Opgeslagen ✓" in edit.text and "Venlo (Blerick)" in edit.text
    assert len(await saved_contacts(bot)) == 2
    assert (await draft_of(bot, anna)).data["editing_id"] is not None
