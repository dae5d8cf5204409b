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
