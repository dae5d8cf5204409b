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
