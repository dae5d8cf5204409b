"""/contact as a button dialogue, end to end through the fake Bot API (SQLite and PostgreSQL).

Covers: every step with its current choice, themes toggled on one message, Terug on every
step, one-tap skipping, the deelopdracht step only when the municipality has one, the summary
with changeable fields, the tap count of a repeat contact, and bad input at every step.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from bot.storage.db import session_factory, transaction
from bot.storage.models import (
    ActivityType,
    AuditLog,
    Contact,
    ContactTheme,
    ConversationDraft,
    Deelopdracht,
    DeelopdrachtMeasure,
    ReachChannel,
    ReferralTarget,
    Story,
    Theme,
    Vindplek,
)
from tests import helpers
from tests.helpers import all_rows, muni_id, one_row
from tests.journeys import contact_by_buttons, reply_to, tap_through
from tests.support import table

__all__ = ["TODAY", "Tapper", "code_of", "draft_of", "muni_id", "saved_contacts", "theme_codes"]

TODAY = date(2026, 11, 17)  # the clock fixture: Tuesday 17 November 2026, 14:00 local


# --------------------------------------------------------------------------- helpers


class Tapper:
    """Counts button presses, so a test can state how many taps a journey took."""

    def __init__(self, person):
        self.person = person
        self.taps = 0

    async def press(self, label):
        self.taps += 1
        return await self.person.press(label)


async def saved_contacts(bot) -> list[Contact]:
    return await all_rows(bot, Contact)


async def theme_codes(bot, contact_id: int) -> set[str]:
    return await helpers.contact_codes(bot, contact_id, Theme, ContactTheme.theme_id)


async def code_of(bot, model, row_id) -> str | None:
    if row_id is None:
        return None
    async with session_factory(bot.engine)() as s:
        return (await s.get(model, row_id)).code


async def draft_of(bot, person) -> ConversationDraft | None:
    return await helpers.draft_of(bot, person, "contact")


async def snapshot(bot, person):
    d = await draft_of(bot, person)
    assert d is not None
    return (d.state, d.revision, dict(d.data))


async def walk_first_contact(anna, *, story: str | None = None, vindplek="Buurthuis De Kolk"):
    """The full first-time dialogue with typical answers; returns the summary reply."""
    await anna.says("/contact")
    await tap_through(anna, ["Vandaag", "Venlo"])
    await anna.says(vindplek)
    # Reached via: follows from "inloop", not asked. Referral and story are not asked on the
    # way: added from the summary.
    await tap_through(anna, ["inloop", "armoede", "eenzaamheid", "Verder", "2", "Nieuw", "45 min"])
    summary = (await tap_through(anna, ["Doorverwezen naar", "schuldhulp"])).last
    if story:
        await anna.press("Verhaal")
        return (await anna.says(story)).last
    return summary


# --------------------------------------------------------------------------- the whole dialogue


async def test_first_contact_walks_every_step_shows_choices_and_saves(bot):
    anna = await bot.expert("Anna", gemeente="Venlo")

    date_step = await reply_to(
        anna.says("/contact"), "Op welke dag", "Nu: dinsdag 17 november (vandaag)"
    )
    # Today in the usual municipality is one tap ("Klopt"), or the two steps one by one.
    assert date_step.button_labels == ["Klopt: vandaag, Venlo →", "✓ Vandaag", "Gisteren"]

    gemeente = await reply_to(anna.press("Vandaag"), "In welke gemeente?", "Nu: Venlo")
    assert gemeente.message_id == date_step.message_id  # the dialogue edits one message
    assert "✓ Venlo" in gemeente.button_labels and "« Terug" in gemeente.button_labels
    assert len([b for b in gemeente.button_labels if b.startswith("✓")]) == 1

    vindplek = await reply_to(anna.press("Venlo"), "Op welke plek")
    assert {"Geen vaste plek", "Andere gemeente", "« Terug"} <= set(vindplek.button_labels)

    # A new vindplek, typed.
    activity = await reply_to(anna.says("buurthuis de kolk"), "Wat voor inzet")
    assert "inloop" in activity.button_labels

    themes = await reply_to(anna.press("inloop"))
    assert "thema" in themes.text.lower()
    after_one = await reply_to(anna.press("armoede"))
    after_two = await reply_to(anna.press("eenzaamheid"), "Nu: armoede, eenzaamheid")
    # Multi-select toggles ONE message, with ✓ marks, then Verder.
    assert after_one.message_id == after_two.message_id == themes.message_id
    assert "✓ armoede" in after_two.button_labels and "✓ eenzaamheid" in after_two.button_labels
    untoggled = await reply_to(anna.press("✓ eenzaamheid"))
    assert "eenzaamheid" in untoggled.button_labels  # off again
    await anna.press("eenzaamheid")

    residents = await reply_to(anna.press("Verder"), "Met hoeveel inwoners")
    assert residents.button_labels[:5] == ["1", "2", "3", "4", "5+"]

    new = await reply_to(anna.press("2"), "Waren de 2 inwoners nieuw")
    assert {"Nieuw", "Bekend", "Deels"} <= set(new.button_labels)

    duration = await reply_to(anna.press("Nieuw"))
    assert duration.button_labels[:6] == [
        "15 min",
        "30 min",
        "45 min",
        "1 uur",
        "1,5 uur",
        "2 uur",
    ]

    # The reach channel follows from "inloop": that step is skipped. Venlo has no active
    # deelopdracht: no such step. Referral and story are added from the summary.
    await reply_to(anna.press("45 min"), "Klopt dit?", "Doorverwezen naar: –")
    referral = await reply_to(anna.press("Doorverwezen naar"))
    assert "doorverwezen" in referral.text.lower() and "Overslaan" in referral.button_labels
    await reply_to(anna.press("schuldhulp"), "Doorverwezen naar: schuldhulp")
    story = await reply_to(anna.press("Verhaal"), "opleverde")
    assert "Overslaan" in story.button_labels

    summary = await reply_to(
        anna.says("Ze durfde voor het eerst zelf de schuldhulp te bellen."),
        "Klopt dit?",
        "Datum: dinsdag 17 november (vandaag)",
        "Plaats: Venlo – Buurthuis de kolk (nieuw)",
        "Soort inzet: inloop",
        "Thema's: armoede, eenzaamheid\n",  # as every view shows a theme
        "Inwoners: 2 (allemaal nieuw)",
        "Duur: 45 min",
        "Bereikt via: inloop",
        "Doorverwezen naar: schuldhulp",
        "Verhaal: Ze durfde",
    )
    assert "Opslaan" in summary.button_labels

    done = await reply_to(anna.press("Opslaan"), "Opgeslagen")
    assert done.button_labels == ["Nog een contact"]

    [c] = await saved_contacts(bot)
    assert (c.work_date, c.duration_minutes, c.residents_count, c.residents_new) == (
        TODAY,
        45,
        2,
        2,
    )
    assert c.municipality_id == await muni_id(bot, "Venlo")
    assert await code_of(bot, ActivityType, c.activity_type_id) == "inloop"
    assert await code_of(bot, ReachChannel, c.reach_channel_id) == "inloop"
    assert await code_of(bot, ReferralTarget, c.referral_target_id) == "schuldhulp"
    assert await theme_codes(bot, c.id) == {"armoede", "eenzaamheid"}
    place = await one_row(bot, Vindplek, Vindplek.id == c.vindplek_id)
    assert place.name == "Buurthuis de kolk" and place.municipality_id == c.municipality_id
    [story_row] = await all_rows(bot, Story)
    assert story_row.contact_id == c.id and story_row.text.startswith("Ze durfde")
    [audit] = await all_rows(bot, AuditLog)
    assert (audit.entity, audit.entity_id, audit.action) == ("contact", c.id, "create")
    assert audit.after["themes"] == ["armoede", "eenzaamheid"]
    assert "Ze durfde" not in str(audit.after)  # no second copy of the story
    assert await draft_of(bot, anna) is None
    bot.tg.assert_all_callbacks_answered()


async def test_repeat_contact_is_one_tap_and_a_changed_theme_five(bot):
    anna = await bot.expert("Anna")
    await walk_first_contact(anna)
    await anna.press("Opslaan")

    # Same as last time: /contact, then one tap.
    tapper = Tapper(anna)
    summary = await reply_to(
        anna.says("/contact"), "Zelfde als vorige keer?", "Plaats: Venlo – Buurthuis De Kolk"
    )
    assert "(nieuw)" not in summary.text.split("Plaats:")[1].split("\n")[0]
    assert "Verhaal: –" in summary.text and "Doorverwezen naar: –" in summary.text
    await tapper.press("Opslaan")
    assert tapper.taps == 1
    assert len(await saved_contacts(bot)) == 2

    # Another theme: Thema's, off, on, Verder, Opslaan = 5 taps.
    tapper = Tapper(anna)
    await anna.says("/contact")
    await tapper.press("Thema's")
    await tapper.press("✓ armoede")
    await tapper.press("schulden")
    back = await tapper.press("Verder")
    assert "Thema's: eenzaamheid, schulden\n" in back.last.text
    assert "Klopt dit?" in back.last.text  # no longer "Zelfde als vorige keer?"
    await tapper.press("Opslaan")
    assert tapper.taps == 5
    contacts = await saved_contacts(bot)
    assert len(contacts) == 3
    assert await theme_codes(bot, contacts[-1].id) == {"eenzaamheid", "schulden"}

    # A different duration: Duur, 30 min, Opslaan = 3 taps.
    tapper = Tapper(anna)
    await anna.says("/contact")
    await tapper.press("Duur")
    await tapper.press("30 min")
    await tapper.press("Opslaan")
    assert tapper.taps == 3
    assert (await saved_contacts(bot))[-1].duration_minutes == 30


async def test_terug_works_on_every_step(bot):
    anna = await bot.expert("Anna")
    await anna.says("/contact")
    steps = [
        ("Vandaag", "In welke gemeente?"),
        ("Venlo", "Op welke plek"),
        ("Geen vaste plek", "Wat voor inzet"),
        ("inloop", "thema"),
        ("armoede", None),  # a toggle stays on the step
        ("Verder", "Met hoeveel inwoners"),
        ("1", "nieuw voor jou"),
        ("Bekend", "Hoe lang"),
        # Reached via follows from inloop; referral and story are added from the summary.
        ("1 uur", "Klopt dit?"),
    ]
    previous = "Op welke dag"
    for label, expect in steps:
        reply = (await anna.press(label)).last
        if expect is None:
            continue
        assert expect.lower() in reply.text.lower(), reply.text
        if "Klopt dit?" in reply.text:
            # The summary offers a change button for every field instead of Terug.
            assert "Stoppen" in reply.button_labels
            break
        before = await snapshot(bot, anna)
        back = (await anna.press("« Terug")).last
        assert previous.lower() in back.text.lower(), (label, back.text)
        after = await snapshot(bot, anna)
        assert after[2]["history"] == before[2]["history"][:-1]
        again = (await anna.press(label)).last
        assert expect.lower() in again.text.lower()
        previous = expect
    # Terug kept every answer: saving gives what was chosen.
    await anna.press("Opslaan")
    [c] = await saved_contacts(bot)
    assert (c.duration_minutes, c.residents_count, c.residents_new, c.vindplek_id) == (
        60,
        1,
        0,
        None,
    )
    # Typing "terug" works as well.
    await anna.says("/contact")
    await anna.press("Duur")
    await reply_to(anna.says("terug"), "Zelfde als vorige keer?")


async def test_optional_steps_are_skipped_with_one_tap(bot):
    anna = await bot.expert("Anna")
    await anna.says("/contact")
    await tap_through(anna, ["Vandaag", "Venlo", "Geen vaste plek", "training", "rouw", "Verder"])
    await anna.says("drie")  # a number word is fine too
    await anna.press("Deels")
    await anna.says("1")  # 1 of the 3 is new
    await anna.says("anderhalf uur")
    # Overslaan skips the reach (referral, story: from the summary).
    skipped = anna.press("Overslaan")
    await reply_to(skipped, "Klopt dit?", "Inwoners: 3 (1 nieuw)", "Bereikt via: –", last=True)
    await anna.press("Opslaan")
    [c] = await saved_contacts(bot)
    assert (c.reach_channel_id, c.referral_target_id, c.vindplek_id) == (None, None, None)
    assert (c.residents_count, c.residents_new, c.duration_minutes) == (3, 1, 90)
    assert await all_rows(bot, Story) == []


async def test_the_one_active_deelopdracht_is_taken_without_asking(bot):
    venlo = await muni_id(bot, "Venlo")
    async with transaction(session_factory(bot.engine)) as s:
        s.add(
            Deelopdracht(municipality_id=venlo, code="venlo-sleutel", title="Sleutelfiguren Venlo")
        )
        s.add(
            Deelopdracht(
                municipality_id=venlo,
                code="venlo-oud",
                title="Afgelopen project",
                ends_on=TODAY - timedelta(days=1),
            )
        )
    anna = await bot.expert("Anna")
    # One deelopdracht runs in Venlo: no question, it is on the summary (the ended one is not).
    summary = await walk_first_contact(anna)
    assert "Klopt dit?" in summary.text
    assert "Deelopdracht: Sleutelfiguren Venlo" in summary.text
    # The expert can say it is not under one: Deelopdracht, Overslaan; no default comes back.
    step = (await anna.press("Deelopdracht")).last
    assert "✓ Sleutelfiguren Venlo" in step.button_labels
    assert not any("Afgelopen project" in b for b in step.button_labels)
    await reply_to(anna.press("Overslaan"), "Deelopdracht: –", last=True)
    await reply_to(tap_through(anna, ["Duur", "1 uur"]), "Deelopdracht: –", last=True)
    await anna.press("Opslaan")
    [c] = await saved_contacts(bot)
    assert c.deelopdracht_id is None

    # A new contact: the one that runs is the default again, on the summary to see.
    await reply_to(anna.says("/contact"), "Deelopdracht: Sleutelfiguren Venlo")
    await anna.press("Opslaan")
    c = (await saved_contacts(bot))[-1]
    deel = await one_row(bot, Deelopdracht, Deelopdracht.id == c.deelopdracht_id)
    assert deel.code == "venlo-sleutel"

    # Another municipality without one: the step is not there, nor the summary line (reached
    # via follows from inloop; referral and story from the summary).
    bert = await bot.expert("Bert", gemeente="Beesel")
    summary = await contact_by_buttons(
        bert, "Geen vaste plek", ["1", "Bekend"], gemeente="Beesel", theme="rouw", duration="30 min"
    )
    assert summary == bert.last_reply
    assert "Klopt dit?" in summary.text
    assert "Plaats: Beesel" in summary.text
    assert "Deelopdracht" not in summary.text
    assert "Deelopdracht" not in summary.button_labels


async def test_several_deelopdrachten_are_asked_and_the_vindplek_decides(bot):
    venlo = await muni_id(bot, "Venlo")
    async with transaction(session_factory(bot.engine)) as s:
        kolk = Vindplek(municipality_id=venlo, name="Buurthuis De Kolk")
        s.add(kolk)
        s.add(Deelopdracht(municipality_id=venlo, code="wij-venlo", title="WIJ Venlo"))
        s.add(Deelopdracht(municipality_id=venlo, code="venlo-jong", title="Jongeren Venlo"))
        await s.flush()
        jong = (await s.exec(select(Deelopdracht).where(Deelopdracht.code == "venlo-jong"))).one()
        s.add(
            DeelopdrachtMeasure(
                deelopdracht_id=jong.id, kind="contacts", target=10, filter={"vindplek": [kolk.id]}
            )
        )
    anna = await bot.expert("Anna")
    # Two run in Venlo and no vindplek tells them apart: asked, after the referral.
    step = await contact_by_buttons(anna, "Geen vaste plek", ["Eén, bekend"])
    assert "deelopdracht" in step.text.lower()
    assert {"WIJ Venlo", "Jongeren Venlo"} <= set(step.button_labels)
    # Typed by its code.
    await reply_to(anna.says("wij-venlo"), "Deelopdracht: WIJ Venlo", last=True)
    # At Buurthuis De Kolk, which a measure of "Jongeren Venlo" names, that one is the default:
    # no deelopdracht question.
    await anna.press("Stoppen")
    summary = await contact_by_buttons(anna, "Buurthuis De Kolk", ["Eén, bekend"])
    assert "Deelopdracht: Jongeren Venlo" in summary.text


async def test_change_fields_from_the_summary_then_save(bot):
    anna = await bot.expert("Anna")
    await walk_first_contact(anna)
    for taps, shown in (
        (["Datum", "Gisteren"], "Datum: maandag 16 november (gisteren)"),
        (["Inwoners", "1", "Bekend"], "Inwoners: 1 (bekend)"),
        (["Soort inzet", "1-op-1 contact"], "Soort inzet: 1-op-1 contact"),
    ):
        await reply_to(tap_through(anna, taps), shown, last=True)
    await anna.press("Plaats")
    # A village: Peel en Maas.
    await reply_to(anna.says("Panningen"), "Op welke plek", "Peel en Maas", last=True)
    new_place = "Plaats: Peel en Maas – Bibliotheek Panningen (nieuw)"
    await reply_to(anna.says("Bibliotheek Panningen"), new_place, last=True)
    await anna.press("Opslaan")
    [c] = await saved_contacts(bot)
    assert c.work_date == TODAY - timedelta(days=1)
    assert c.municipality_id == await muni_id(bot, "Peel en Maas")
    assert (c.residents_count, c.residents_new) == (1, 0)
    # The vindplek in Venlo typed earlier was never used, so it was never stored.
    assert {v.name for v in await all_rows(bot, Vindplek)} == {"Bibliotheek Panningen"}


async def test_existing_vindplek_is_a_button_and_matched_when_typed(bot):
    anna = await bot.expert("Anna")
    await walk_first_contact(anna)
    await anna.press("Opslaan")
    await anna.says("/contact")
    vindplek = (await tap_through(anna, ["Plaats", "Venlo"])).last
    assert "✓ Buurthuis De Kolk" in vindplek.button_labels
    # Part of the name is enough.
    summary = await reply_to(anna.says("kolk"), "Plaats: Venlo – Buurthuis De Kolk", last=True)
    assert "(nieuw)" not in summary.text
    await anna.press("Opslaan")
    first, second = await saved_contacts(bot)
    assert first.vindplek_id == second.vindplek_id is not None


async def test_annuleer_stops_anywhere_and_saves_nothing(bot):
    anna = await bot.expert("Anna")
    await anna.says("/contact")
    await tap_through(anna, ["Vandaag", "Venlo"])
    await reply_to(anna.says("/annuleer"), "Gestopt")
    assert await draft_of(bot, anna) is None
    # The old buttons now say so, and nothing is saved.
    await anna.press("Geen vaste plek")
    assert bot.tg.callback_queries[max(bot.tg.callback_queries)].text.startswith(
        "Dit contact is al afgerond of gestopt"
    )
    # "Stoppen" on the summary does the same.
    await walk_first_contact(anna)
    stopped = await reply_to(anna.press("Stoppen"), "Gestopt")
    assert stopped.button_labels == []
    assert await saved_contacts(bot) == []


# --------------------------------------------------------------------------- bad input


# The presses of one contact from the date up to the story; each step is reached after
# the first n of them.
_PRESSES = [
    "Vandaag",
    "Venlo",
    "Geen vaste plek",
    "inloop",
    "armoede",
    "Verder",
    "3",
    "Nieuw",
    "45 min",
    "Verhaal",  # on the summary: the story is added from there
]
_STEP_AFTER = {
    "date": 0,
    "gemeente": 1,
    "vindplek": 2,
    "activity": 3,
    "themes": 4,
    "residents": 6,
    "new": 7,
    "duration": 8,
    "story": 10,
}


async def _at_step(anna, step: str):
    await anna.says("/contact")
    if _STEP_AFTER[step]:
        await tap_through(anna, _PRESSES[: _STEP_AFTER[step]])


BAD_INPUT = table("contact_bad_input.yaml", "bad_input")


@pytest.mark.parametrize(
    ("step", "typed", "says"), BAD_INPUT, ids=[f"{s}-{t[:12]}" for s, t, _ in BAD_INPUT]
)
async def test_bad_input_says_what_is_accepted_and_stays(bot, step, typed, says):
    anna = await bot.expert("Anna")
    await _at_step(anna, step)
    before = await snapshot(bot, anna)
    reply = await reply_to(anna.says(typed))
    assert says.lower() in reply.text.lower(), reply.text
    assert reply.text.startswith("⚠️")
    assert len(reply.text) < 1200  # short, and never an echo of 5,000 characters
    assert await snapshot(bot, anna) == before  # same step, same data, same revision
    # The step is shown again with its buttons, so the next tap works.
    assert reply.button_labels


async def test_typing_on_the_summary_or_a_toast_for_no_theme(bot):
    anna = await bot.expert("Anna")
    await walk_first_contact(anna)
    before = await snapshot(bot, anna)
    reply = await reply_to(anna.says("45 minuten"), "Tik op Opslaan")
    assert "Opslaan" in reply.button_labels
    assert await snapshot(bot, anna) == before
    # Verder without a theme: a short answer on the button, the step stays.
    await tap_through(anna, ["Thema's", "✓ armoede", "✓ eenzaamheid"])
    before = await snapshot(bot, anna)
    await anna.press("Verder")
    last_query = bot.tg.callback_queries[max(bot.tg.callback_queries)]
    assert last_query.text == "Kies minstens één thema."
    assert await snapshot(bot, anna) == before


# --------------------------------------------------------------------------- typed "no place"

NO_PLACE = ["nvt", "N.v.t.", "Geen vaste plek", "geen plek", "Weet ik niet", "onbekend", "geen"]


@pytest.mark.parametrize("typed", NO_PLACE)
async def test_typing_no_place_at_the_vindplek_step_creates_no_shared_vindplek(bot, typed):
    anna = await bot.expert("Anna")
    await _at_step(anna, "vindplek")
    await reply_to(anna.says(typed), "Wat voor inzet")
    data = (await draft_of(bot, anna)).data
    assert (data["vindplek_id"], data["new_vindplek"]) == (None, None)
    # The reach follows from inloop.
    summary = tap_through(anna, ["inloop", "armoede", "Verder", "1", "Nieuw", "45 min"])
    await reply_to(summary, "Plaats: Venlo\n", last=True)
    await anna.press("Opslaan")
    [c] = await saved_contacts(bot)
    assert c.vindplek_id is None
    assert await all_rows(bot, Vindplek) == []
    # Another expert in Venlo sees no "Nvt" button.
    bert = await bot.expert("Bert")
    await _at_step(bert, "vindplek")
    places = bert.last_reply.button_labels
    assert places == ["Geen vaste plek", "Andere gemeente", "« Terug"], places


async def test_typing_a_buttons_label_is_pressing_it(bot):
    anna = await bot.expert("Anna")
    await _at_step(anna, "vindplek")
    # Not a new place "Andere gemeente".
    await reply_to(anna.says("andere gemeente"), "In welke gemeente?")
    await tap_through(anna, ["Venlo", "Geen vaste plek", "inloop", "armoede"])
    await reply_to(anna.says("VERDER"), "Met hoeveel inwoners")
    await anna.press("3")
    for typed, shown in (
        ("deels", "Typ hoeveel er nieuw"),
        ("1", "Hoe lang"),
        ("45 min", "Klopt dit?"),  # reach follows from inloop: on to the summary
        ("duur", "Hoe lang duurde het?"),  # the summary's "Duur" button
        ("1 uur", "Duur: 1 uur"),
        # The buttons that end the dialogue stay taps.
        ("stoppen", "Tik op Opslaan"),
    ):
        await reply_to(anna.says(typed), shown)
    assert (await draft_of(bot, anna)).state == "summary"
    assert await all_rows(bot, Vindplek) == []


# --------------------------------------------------------------------------- date buttons


async def test_gisteren_pressed_after_midnight_is_the_day_its_label_meant(bot):
    anna = await bot.expert("Anna")
    bot.clock.set(datetime(2026, 11, 17, 22, 55, tzinfo=UTC))  # 23:55 on Tuesday 17 November
    step = await reply_to(anna.says("/contact"))
    data = step.button("Gisteren")["callback_data"]
    assert data.endswith(":d:20261116") and len(data.encode()) <= 64
    bot.clock.advance(minutes=10)  # 00:05 on Wednesday 18 November
    await reply_to(step.press("Gisteren"), "In welke gemeente?")
    assert (await draft_of(bot, anna)).data["work_date"] == "2026-11-16"
    # The reach follows from inloop.
    taps = ["Venlo", "Geen vaste plek", "inloop", "armoede", "Verder", "1", "Nieuw", "45 min"]
    await reply_to(tap_through(anna, taps), "Datum: maandag 16 november\n", last=True)
    await anna.press("Opslaan")
    [c] = await saved_contacts(bot)
    assert c.work_date == date(2026, 11, 16)


async def test_a_date_button_now_outside_the_back_dating_window_says_so(bot):
    bot.services.settings.max_back_days = 1
    anna = await bot.expert("Anna")
    bot.clock.set(datetime(2026, 11, 17, 22, 55, tzinfo=UTC))
    step = await reply_to(anna.says("/contact"))
    bot.clock.advance(minutes=10)  # Wednesday: Monday is two days back now
    before = await snapshot(bot, anna)
    reply = await reply_to(step.press("Gisteren"), "hooguit 1 dag geleden")
    assert reply.text.startswith("⚠️ Die knop was voor maandag 16 november.")
    assert await snapshot(bot, anna) == before
    # Today's buttons are shown: Gisteren is Tuesday now.
    assert reply.button("Gisteren")["callback_data"].endswith(":d:20261117")
    await reply.press("Gisteren")
    assert (await draft_of(bot, anna)).data["work_date"] == "2026-11-17"
    # And without any back-dating there is no Gisteren button at all.
    bot.services.settings.max_back_days = 0
    await anna.says("/annuleer")
    assert (await anna.says("/contact")).only.button_labels == [
        "Klopt: vandaag, Venlo →",
        "✓ Vandaag",
    ]
