"""How many interactions the five most common contact shapes take (issue 15), counted through
the fake Bot API: every button press is one tap, a typed line is one line.

Targets: a repeat of yesterday's kind of contact in at most 4 taps, a new kind in at most 7,
a complete one-line entry in 1 line + 1 tap.
"""

from __future__ import annotations

from datetime import timedelta

from bot.storage.db import session_factory, transaction
from bot.storage.models import Deelopdracht, Vindplek
from tests.test_contact_dialogue import TODAY, Tapper, muni_id, saved_contacts, theme_codes


async def _yesterdays_contact(bot, anna) -> None:
    """Yesterday: an inloop in Venlo about armoede, 1 known resident, 45 minutes."""
    bot.clock.advance(days=-1)
    await anna.says("/contact 45 min inloop Venlo armoede 1 bekend")
    await anna.press("Opslaan")
    bot.clock.advance(days=1)


async def test_repeat_of_yesterdays_contact_unchanged(bot):
    anna = await bot.expert("Anna")
    await _yesterdays_contact(bot, anna)
    tapper = Tapper(anna)
    summary = (await anna.says("/contact")).only
    assert "Zelfde als vorige keer?" in summary.text
    await tapper.press("Opslaan")
    assert tapper.taps == 1 <= 4
    assert [c.work_date for c in await saved_contacts(bot)] == [
        TODAY - timedelta(days=1),
        TODAY,
    ]


async def test_repeat_with_another_duration(bot):
    anna = await bot.expert("Anna")
    await _yesterdays_contact(bot, anna)
    tapper = Tapper(anna)
    await anna.says("/contact")
    for label in ("Duur", "1 uur", "Opslaan"):
        await tapper.press(label)
    assert tapper.taps == 3 <= 4
    assert (await saved_contacts(bot))[-1].duration_minutes == 60


async def test_repeat_with_other_residents(bot):
    anna = await bot.expert("Anna")
    await _yesterdays_contact(bot, anna)
    tapper = Tapper(anna)
    await anna.says("/contact")
    for label in ("Inwoners", "2", "Nieuw", "Opslaan"):
        await tapper.press(label)
    assert tapper.taps == 4 <= 4
    c = (await saved_contacts(bot))[-1]
    assert (c.residents_count, c.residents_new) == (2, 2)


async def test_a_new_kind_of_contact_after_yesterdays(bot):
    anna = await bot.expert("Anna")
    await _yesterdays_contact(bot, anna)
    tapper = Tapper(anna)
    await anna.says("/contact")
    for label in ("Soort inzet", "1-op-1 contact", "Thema's", "✓ armoede", "schulden", "Verder"):
        await tapper.press(label)
    await tapper.press("Opslaan")
    assert tapper.taps == 7 <= 7
    c = (await saved_contacts(bot))[-1]
    assert await theme_codes(bot, c.id) == {"schulden"}


async def test_a_complete_one_line_entry(bot):
    anna = await bot.expert("Anna")
    tapper = Tapper(anna)
    await anna.says("/contact 1 uur huisbezoek Tegelen eenzaamheid 1 nieuw")  # one line
    await tapper.press("Opslaan")
    assert tapper.taps == 1
    assert len(await saved_contacts(bot)) == 1


async def test_a_first_contact_through_the_buttons(bot):
    """A new contact, the first ever: "Klopt" takes today and the usual municipality (no
    vindplek known there yet, so none to pick), the reach channel follows from "inloop",
    "Eén, nieuw" answers count and new at once; referral and story are added from the
    summary. Was 13 taps before issue 15, 10 before the optional steps moved to the summary."""
    anna = await bot.expert("Anna")
    tapper = Tapper(anna)
    await anna.says("/contact")
    for label in (
        "Klopt: vandaag, Venlo →",
        "inloop",
        "armoede",
        "Verder",
        "Eén, nieuw",
        "45 min",
        "Opslaan",
    ):
        await tapper.press(label)
    assert tapper.taps == 7 <= 7
    [c] = await saved_contacts(bot)
    assert (c.residents_count, c.residents_new, c.duration_minutes) == (1, 1, 45)
    assert c.vindplek_id is None and c.deelopdracht_id is None


async def test_a_first_contact_at_a_known_vindplek(bot):
    """Where vindplekken are known the "Klopt" path offers them: picking one is the tap that
    "Geen vaste plek" would be, so the new contact stays within 8 and the place is kept."""
    venlo = await muni_id(bot, "Venlo")
    async with transaction(session_factory(bot.engine)) as s:
        s.add(Vindplek(municipality_id=venlo, name="Buurthuis De Kolk"))
    anna = await bot.expert("Anna")
    tapper = Tapper(anna)
    await anna.says("/contact")
    await tapper.press("Klopt: vandaag, Venlo →")
    assert "Op welke plek" in anna.last_reply.text
    for label in ("Buurthuis De Kolk", "inloop", "armoede", "Verder", "Eén, nieuw", "45 min"):
        await tapper.press(label)
    await tapper.press("Opslaan")
    assert tapper.taps == 8
    [c] = await saved_contacts(bot)
    assert c.vindplek_id is not None


# Taps of each shape on main before issue 12 (a contact without a deelopdracht): these must
# not grow (issue 12: "the number of taps for a contact without a deelopdracht does not grow").
BEFORE_ISSUE_12 = {
    "repeat": 1,
    "duration": 3,
    "residents": 4,
    "new_kind": 7,
    "line": 1,
    "first": 10,
}


async def _shapes(bot, anna) -> dict[str, int]:
    """Every shape once, as above, returning the taps of each."""
    counts: dict[str, int] = {}
    tapper = Tapper(anna)
    await anna.says("/contact")  # the first contact ever: through the buttons
    for label in ("Klopt", "inloop", "armoede", "Verder", "Eén, nieuw", "45 min", "Opslaan"):
        await tapper.press(label)
    counts["first"] = tapper.taps
    await _yesterdays_contact(bot, anna)
    for name, labels in (
        ("repeat", ["Opslaan"]),
        ("duration", ["Duur", "1 uur", "Opslaan"]),
        ("residents", ["Inwoners", "2", "Nieuw", "Opslaan"]),
        ("new_kind", ["Soort inzet", "1-op-1 contact", "Thema's", "✓ armoede", "schulden"]),
    ):
        tapper = Tapper(anna)
        await anna.says("/contact")
        for label in labels:
            await tapper.press(label)
        if name == "new_kind":
            await tapper.press("Verder")
            await tapper.press("Opslaan")
        counts[name] = tapper.taps  # each repeat keeps yesterday's activity and theme
    tapper = Tapper(anna)
    await anna.says("/contact 1 uur huisbezoek Tegelen eenzaamheid 1 nieuw")
    await tapper.press("Opslaan")
    counts["line"] = tapper.taps
    return counts


async def test_without_a_deelopdracht_no_shape_takes_more_taps_than_before(bot):
    anna = await bot.expert("Anna")
    counts = await _shapes(bot, anna)
    assert all(counts[k] <= BEFORE_ISSUE_12[k] for k in counts), counts
    assert all(c.deelopdracht_id is None for c in await saved_contacts(bot))


async def test_a_deelopdracht_that_measures_nothing_asked_adds_no_taps(bot):
    """Venlo's only deelopdracht is taken without a question; new residents under it add the
    drempels only when it measures them (not here)."""
    venlo = await muni_id(bot, "Venlo")
    async with transaction(session_factory(bot.engine)) as s:
        s.add(Deelopdracht(municipality_id=venlo, code="wij-venlo", title="WIJ Venlo"))
    anna = await bot.expert("Anna")
    counts = await _shapes(bot, anna)
    assert all(counts[k] <= BEFORE_ISSUE_12[k] for k in counts), counts
    contacts = await saved_contacts(bot)
    assert contacts and all(c.deelopdracht_id is not None for c in contacts)
