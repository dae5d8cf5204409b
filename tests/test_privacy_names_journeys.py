"""A name in a signal or a story is refused through the fake Telegram Bot API (SQLite and
PostgreSQL): the expert is told a name was found, the step stays, and nothing is stored."""

from __future__ import annotations

from bot.storage.models import Signal, Story
from tests.helpers import all_rows, draft_of
from tests.journeys import expert_at, reply_to


async def test_signal_with_a_name_is_refused(bot):
    anna = await expert_at(bot, "/signaal", "gemist aanbod", "Venlo", "armoede")
    named = "Jan Smeets zegt: er is geen inloop op de avond in Blerick."
    await reply_to(anna.says(named), "niet op", "een naam", "Schrijf het opnieuw")
    draft = await draft_of(bot, anna, "signaal")
    assert draft.state == "text" and "Smeets" not in str(draft.data)
    assert await all_rows(bot, Signal) == []

    clean = "Er is geen inloop op de avond in Blerick; werkende mensen missen die."
    await reply_to(anna.says(clean), "Opslaan")
    await reply_to(anna.press("Opslaan"), "signaal is opgeslagen", last=True)
    assert [r.text for r in await all_rows(bot, Signal)] == [clean]
    anna.assert_callbacks_answered()


async def test_story_with_a_name_is_refused(bot):
    anna = await expert_at(bot, "/verhaal", "Venlo", "eenzaamheid")
    named = "Jan (45) kwam na drie keer koffie zelf naar de inloop, nu gaat hij mee."
    await reply_to(anna.says(named), "niet op", "een naam")
    assert (await draft_of(bot, anna, "verhaal")).state == "text"
    assert await all_rows(bot, Story) == []

    clean = "Een man kwam na drie keer koffie zelf naar de inloop in Tegelen."
    await anna.says(clean)
    await reply_to(anna.press("Opslaan"), "verhaal is opgeslagen", last=True)
    assert [r.text for r in await all_rows(bot, Story)] == [clean]
    anna.assert_callbacks_answered()
