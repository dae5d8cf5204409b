"""A contact under a deelopdracht asks what its measures need, and nothing more (issue 12),
end to end through the fake Bot API (SQLite and PostgreSQL).

- the one deelopdracht of the municipality is taken without asking; the one-line entry names
  one by its code ("wij-venlo");
- drempels (reasons for non-use): multi-select, asked only when new residents were reached,
  required only when the deelopdracht measures them, "Weet ik niet" an answer of its own;
- the relation to care: optional, from the summary;
- a contact with new residents under a deelopdracht gets its follow-up (doorstroom) row.
"""

from __future__ import annotations

from datetime import timedelta

from bot.storage.db import session_factory, transaction
from bot.storage.models import (
    AuditLog,
    Contact,
    ContactFollowup,
    ContactNonUse,
    Deelopdracht,
    DeelopdrachtMeasure,
    NonUseReason,
)
from tests.helpers import all_rows, contact_codes, one_row
from tests.journeys import contact_by_buttons, reply_to, tap_through
from tests.test_contact_dialogue import TODAY, Tapper, muni_id, saved_contacts


async def add_deelopdracht(
    bot, *, code="wij-venlo", title="WIJ Venlo", gemeente="Venlo", measures=("non_use_known",)
) -> int:
    muni = await muni_id(bot, gemeente)
    async with transaction(session_factory(bot.engine)) as s:
        deel = Deelopdracht(municipality_id=muni, code=code, title=title, followup_weeks=6)
        s.add(deel)
        await s.flush()
        for i, kind in enumerate(measures):
            s.add(DeelopdrachtMeasure(deelopdracht_id=deel.id, position=i, kind=kind, target=80))
        return deel.id


async def non_use_of(bot, contact_id: int) -> set[str]:
    return await contact_codes(bot, contact_id, NonUseReason, ContactNonUse.non_use_reason_id)


async def followups_of(bot) -> list[ContactFollowup]:
    return await all_rows(bot, ContactFollowup)


async def test_drempels_multi_select_when_the_deelopdracht_measures_them(bot):
    deel_id = await add_deelopdracht(bot)
    anna = await bot.expert("Anna")
    # The deelopdracht is not asked.
    step = await contact_by_buttons(anna, "Geen vaste plek", ["2", "Nieuw"])
    assert "Waarom maakten de 2 nieuwe inwoners nog geen gebruik" in step.text
    assert {"schaamte", "taal", "Weet ik niet", "Verder →"} <= set(step.button_labels)
    assert "Overslaan" not in step.button_labels  # required: the deelopdracht measures it
    # Klaar without a choice: told what to do, the step stays.
    await anna.press("Verder →")
    assert "minstens één drempel" in anna.last_callback_answer.text
    for label in ("schaamte", "taal", "✓ taal", "wantrouwen"):
        same = await reply_to(anna.press(label))
        assert same.message_id == step.message_id  # toggles edit one message
    assert {"✓ schaamte", "✓ wantrouwen", "taal"} <= set(same.button_labels)
    chosen = anna.press("Verder →")
    shown = ("Deelopdracht: WIJ Venlo", "Drempels: schaamte, wantrouwen")
    await reply_to(chosen, *shown, last=True)
    await anna.press("Opslaan")

    [c] = await saved_contacts(bot)
    assert (c.deelopdracht_id, c.non_use_known) == (deel_id, True)
    assert await non_use_of(bot, c.id) == {"schaamte", "wantrouwen"}
    first = await one_row(bot, NonUseReason, NonUseReason.id == c.non_use_reason_id)
    assert first.code == "schaamte"  # the first chosen is also on the contact
    [audit] = await all_rows(bot, AuditLog, AuditLog.entity == "contact")
    assert audit.after["non_use"] == ["schaamte", "wantrouwen"]
    assert audit.after["non_use_known"] is True
    [f] = await followups_of(bot)
    assert (f.contact_id, f.due_on, f.asked_at) == (c.id, TODAY + timedelta(weeks=6), None)


async def test_weet_ik_niet_is_an_answer_and_the_line_names_the_deelopdracht(bot):
    await add_deelopdracht(bot)
    await add_deelopdracht(bot, code="venlo-jong", title="Jongeren Venlo", measures=())
    anna = await bot.expert("Anna")
    tapper = Tapper(anna)
    # Two run in Venlo: the line chooses one by its code, and its place is Venlo.
    await reply_to(
        anna.says("/contact 1 uur huisbezoek wij-venlo armoede 1 nieuw"),
        "Waarom maakte de nieuwe inwoner nog geen gebruik",
        "Deelopdracht: WIJ Venlo",  # what was understood, above the step
    )
    summary = await reply_to(tapper.press("Weet ik niet"), "Drempels: weet ik niet")
    assert "Deelopdracht: WIJ Venlo" in summary.text
    await tapper.press("Opslaan")
    assert tapper.taps == 2  # 1 line + 1 tap, + the 1 step this deelopdracht's measure needs
    [c] = await saved_contacts(bot)
    assert (c.non_use_known, c.non_use_reason_id) == (False, None)
    assert await non_use_of(bot, c.id) == set()
    assert len(await followups_of(bot)) == 1

    # Typed: "weet ik niet" on the step is the same answer, never a skip.
    await anna.says("/contact 30 min gesprek wij-venlo schulden 1 nieuw")
    summary = (await anna.says("weet ik niet")).only
    assert "Drempels: weet ik niet" in summary.text
    # Typed reasons with commas.
    await anna.press("Drempels")
    summary = (await anna.says("schaamte, taal")).only
    assert "Drempels: schaamte, taal" in summary.text
    await anna.press("Opslaan")
    c = (await saved_contacts(bot))[-1]
    assert c.non_use_known is True and await non_use_of(bot, c.id) == {"schaamte", "taal"}


async def test_no_drempels_without_new_residents_and_optional_without_the_measure(bot):
    await add_deelopdracht(bot, measures=("new_residents",))
    anna = await bot.expert("Anna")
    # Known residents: no drempels line, no button, no follow-up.
    summary = (await anna.says("/contact 1 uur huisbezoek venlo armoede 2 bekend")).only
    assert "Deelopdracht: WIJ Venlo" in summary.text  # the only one in Venlo
    assert "Drempels" not in summary.text and "Drempels" not in summary.button_labels
    await anna.press("Opslaan")
    [c] = await saved_contacts(bot)
    assert c.non_use_known is None
    assert await followups_of(bot) == []

    # New residents, but the deelopdracht does not measure drempels: not asked, optional.
    summary = (await anna.says("/contact 1 uur huisbezoek venlo armoede 1 nieuw")).only
    assert "Klopt dit?" in summary.text and "Drempels: –" in summary.text
    step = (await anna.press("Drempels")).only
    assert "Overslaan" in step.button_labels
    summary = (await anna.press("Overslaan")).only
    assert "Drempels: –" in summary.text
    await anna.press("Opslaan")
    c = (await saved_contacts(bot))[-1]
    assert c.non_use_known is None
    assert len(await followups_of(bot)) == 1  # new residents under a deelopdracht


async def test_relation_to_care_from_the_summary(bot):
    anna = await bot.expert("Anna")
    summary = await reply_to(anna.says("/contact 1 uur huisbezoek venlo armoede 1 nieuw"))
    assert "Zorg" in summary.button_labels and "Zorg:" not in summary.text
    step = await reply_to(anna.press("Zorg"))
    care = ["Naast zorg", "In plaats van zorg", "Ter voorkoming van zorg", "Nazorg"]
    assert step.button_labels[:4] == care
    await reply_to(anna.press("Ter voorkoming van zorg"), "Zorg: Ter voorkoming van zorg")
    await anna.press("Opslaan")
    [c] = await saved_contacts(bot)
    assert c.care_relation == "voorkoming"
    # Without a deelopdracht there is no follow-up.
    assert await followups_of(bot) == []


async def test_a_deelopdracht_of_another_municipality_is_not_taken_silently(bot):
    await add_deelopdracht(bot)
    anna = await bot.expert("Anna")
    line = "/contact 1 uur huisbezoek roermond wij-venlo armoede 1 bekend"
    step = await reply_to(anna.says(line), "hoort niet bij deze gemeente")
    assert "Deelopdracht: WIJ Venlo" not in step.text


async def test_corrigeer_changes_drempels_and_care_with_an_audit_row(bot):
    await add_deelopdracht(bot)
    anna = await bot.expert("Anna")
    await anna.says("/contact 1 uur inloop wij-venlo armoede 2 nieuw")
    await tap_through(anna, ["Weet ik niet", "Opslaan"])
    [c] = await saved_contacts(bot)
    await anna.says("/corrigeer")
    await anna.press("inloop")
    await reply_to(anna.press("Alles aanpassen"), "Drempels: weet ik niet")
    await tap_through(anna, ["Drempels", "taal", "Verder →", "Zorg"])
    await reply_to(anna.press("Nazorg"), "Drempels: taal", "Zorg: Nazorg")
    await anna.press("Opslaan")
    c = await one_row(bot, Contact, Contact.id == c.id)
    edits = await all_rows(bot, AuditLog, AuditLog.entity == "contact", AuditLog.action == "edit")
    assert (c.non_use_known, c.care_relation) == (True, "nazorg")
    assert await non_use_of(bot, c.id) == {"taal"}
    [edit] = edits
    assert (edit.before["non_use_known"], edit.after["non_use_known"]) == (False, True)
    assert (edit.before["care_relation"], edit.after["care_relation"]) == (None, "nazorg")
    assert edit.after["non_use"] == ["taal"]
    # The follow-up stays the one row of this contact.
    assert len(await followups_of(bot)) == 1
