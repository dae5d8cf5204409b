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
    Municipality,
    ReachChannel,
    ReferralTarget,
    Story,
    Theme,
    Vindplek,
)

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
    async with session_factory(bot.engine)() as s:
        return list((await s.exec(select(Contact).order_by(Contact.id))).all())


async def theme_codes(bot, contact_id: int) -> set[str]:
    async with session_factory(bot.engine)() as s:
        rows = await s.exec(
            select(Theme.code)
            .join(ContactTheme, ContactTheme.theme_id == Theme.id)
            .where(ContactTheme.contact_id == contact_id)
        )
        return set(rows.all())


async def code_of(bot, model, row_id) -> str | None:
    if row_id is None:
        return None
    async with session_factory(bot.engine)() as s:
        return (await s.get(model, row_id)).code


async def draft_of(bot, person) -> ConversationDraft | None:
    user = await bot.app_user(person)
    async with session_factory(bot.engine)() as s:
        return (
            await s.exec(
                select(ConversationDraft).where(
                    ConversationDraft.user_id == user.id, ConversationDraft.flow == "contact"
                )
            )
        ).first()


async def snapshot(bot, person):
    d = await draft_of(bot, person)
    assert d is not None
    return (d.state, d.revision, dict(d.data))


async def muni_id(bot, name: str) -> int:
    async with session_factory(bot.engine)() as s:
        return (await s.exec(select(Municipality.id).where(Municipality.name == name))).one()


async def walk_first_contact(anna, *, story: str | None = None, vindplek="Buurthuis De Kolk"):
    """The full first-time dialogue with typical answers; returns the summary reply."""
    await anna.says("/contact")
    await anna.press("Vandaag")
    await anna.press("Venlo")
    await anna.says(vindplek)
    await anna.press("inloop")
    await anna.press("armoede")
    await anna.press("eenzaamheid")
    await anna.press("Verder")
    await anna.press("2")
    await anna.press("Nieuw")
    await anna.press("45 min")  # reached via: follows from "inloop", not asked
    # Referral and story are not asked on the way: added from the summary.
    await anna.press("Doorverwezen naar")
    summary = (await anna.press("schuldhulp")).last
    if story:
        await anna.press("Verhaal")
        return (await anna.says(story)).last
    return summary


# --------------------------------------------------------------------------- the whole dialogue


async def test_first_contact_walks_every_step_shows_choices_and_saves(bot):
    anna = await bot.expert("Anna", gemeente="Venlo")

    date_step = (await anna.says("/contact")).only
    assert "Op welke dag" in date_step.text
    assert "Nu: dinsdag 17 november (vandaag)" in date_step.text
    # Today in the usual municipality is one tap ("Klopt"), or the two steps one by one.
    assert date_step.button_labels == ["Klopt: vandaag, Venlo →", "✓ Vandaag", "Gisteren"]

    gemeente = (await anna.press("Vandaag")).only
    assert gemeente.message_id == date_step.message_id  # the dialogue edits one message
    assert "In welke gemeente?" in gemeente.text and "Nu: Venlo" in gemeente.text
    assert "✓ Venlo" in gemeente.button_labels and "« Terug" in gemeente.button_labels
    assert len([b for b in gemeente.button_labels if b.startswith("✓")]) == 1

    vindplek = (await anna.press("Venlo")).only
    assert "Op welke plek" in vindplek.text
    assert {"Geen vaste plek", "Andere gemeente", "« Terug"} <= set(vindplek.button_labels)

    activity = (await anna.says("buurthuis de kolk")).only  # a new vindplek, typed
    assert "Wat voor inzet" in activity.text
    assert "inloop" in activity.button_labels

    themes = (await anna.press("inloop")).only
    assert "thema" in themes.text.lower()
    after_one = (await anna.press("armoede")).only
    after_two = (await anna.press("eenzaamheid")).only
    # Multi-select toggles ONE message, with ✓ marks, then Verder.
    assert after_one.message_id == after_two.message_id == themes.message_id
    assert "✓ armoede" in after_two.button_labels and "✓ eenzaamheid" in after_two.button_labels
    assert "Nu: armoede, eenzaamheid" in after_two.text
    untoggled = (await anna.press("✓ eenzaamheid")).only
    assert "eenzaamheid" in untoggled.button_labels  # off again
    await anna.press("eenzaamheid")

    residents = (await anna.press("Verder")).only
    assert "Met hoeveel inwoners" in residents.text
    assert residents.button_labels[:5] == ["1", "2", "3", "4", "5+"]

    new = (await anna.press("2")).only
    assert "Waren de 2 inwoners nieuw" in new.text
    assert {"Nieuw", "Bekend", "Deels"} <= set(new.button_labels)

    duration = (await anna.press("Nieuw")).only
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
    summary = (await anna.press("45 min")).only
    assert "Klopt dit?" in summary.text and "Doorverwezen naar: –" in summary.text
    referral = (await anna.press("Doorverwezen naar")).only
    assert "doorverwezen" in referral.text.lower() and "Overslaan" in referral.button_labels
    summary = (await anna.press("schuldhulp")).only
    assert "Doorverwezen naar: schuldhulp" in summary.text
    story = (await anna.press("Verhaal")).only
    assert "opleverde" in story.text and "Overslaan" in story.button_labels

    summary = (await anna.says("Ze durfde voor het eerst zelf de schuldhulp te bellen.")).only
    text = summary.text
    assert "Klopt dit?" in text
    for expected in (
        "Datum: dinsdag 17 november (vandaag)",
        "Plaats: Venlo – Buurthuis de kolk (nieuw)",
        "Soort inzet: inloop",
        "Thema's: armoede, eenzaamheid\n",  # as every view shows a theme
        "Inwoners: 2 (allemaal nieuw)",
        "Duur: 45 min",
        "Bereikt via: inloop",
        "Doorverwezen naar: schuldhulp",
        "Verhaal: Ze durfde",
    ):
        assert expected in text, text
    assert "Opslaan" in summary.button_labels

    done = (await anna.press("Opslaan")).only
    assert "Opgeslagen" in done.text and done.button_labels == ["Nog een contact"]

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
    async with session_factory(bot.engine)() as s:
        place = await s.get(Vindplek, c.vindplek_id)
        assert place.name == "Buurthuis de kolk" and place.municipality_id == c.municipality_id
        [story_row] = (await s.exec(select(Story))).all()
        assert story_row.contact_id == c.id and story_row.text.startswith("Ze durfde")
        [audit] = (await s.exec(select(AuditLog))).all()
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
    summary = (await anna.says("/contact")).only
    assert "Zelfde als vorige keer?" in summary.text
    assert "Plaats: Venlo – Buurthuis De Kolk" in summary.text
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
    reply = (await anna.says("terug")).only
    assert "Zelfde als vorige keer?" in reply.text


async def test_optional_steps_are_skipped_with_one_tap(bot):
    anna = await bot.expert("Anna")
    await anna.says("/contact")
    for label in ("Vandaag", "Venlo", "Geen vaste plek", "training", "rouw", "Verder"):
        await anna.press(label)
    await anna.says("drie")  # a number word is fine too
    await anna.press("Deels")
    await anna.says("1")  # 1 of the 3 is new
    await anna.says("anderhalf uur")
    reply = (await anna.press("Overslaan")).last  # reach (referral, story: from the summary)
    assert "Klopt dit?" in reply.text
    assert "Inwoners: 3 (1 nieuw)" in reply.text
    assert "Bereikt via: –" in reply.text
    await anna.press("Opslaan")
    [c] = await saved_contacts(bot)
    assert (c.reach_channel_id, c.referral_target_id, c.vindplek_id) == (None, None, None)
    assert (c.residents_count, c.residents_new, c.duration_minutes) == (3, 1, 90)
    async with session_factory(bot.engine)() as s:
        assert (await s.exec(select(Story))).all() == []


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
    summary = (await anna.press("Overslaan")).last
    assert "Deelopdracht: –" in summary.text
    await anna.press("Duur")
    summary = (await anna.press("1 uur")).last
    assert "Deelopdracht: –" in summary.text
    await anna.press("Opslaan")
    [c] = await saved_contacts(bot)
    assert c.deelopdracht_id is None

    # A new contact: the one that runs is the default again, on the summary to see.
    summary = (await anna.says("/contact")).only
    assert "Deelopdracht: Sleutelfiguren Venlo" in summary.text
    await anna.press("Opslaan")
    c = (await saved_contacts(bot))[-1]
    async with session_factory(bot.engine)() as s:
        assert (await s.get(Deelopdracht, c.deelopdracht_id)).code == "venlo-sleutel"

    # Another municipality without one: the step is not there, nor the summary line.
    bert = await bot.expert("Bert", gemeente="Beesel")
    await bert.says("/contact")
    for label in ("Vandaag", "Beesel", "Geen vaste plek", "inloop", "rouw", "Verder", "1"):
        await bert.press(label)
    for label in ("Bekend", "30 min"):  # reached via: follows from inloop
        await bert.press(label)
    summary = bert.last_reply  # no deelopdracht step; referral and story from the summary
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
    await anna.says("/contact")
    for label in ("Vandaag", "Venlo", "Geen vaste plek", "inloop", "armoede", "Verder"):
        await anna.press(label)
    await anna.press("Eén, bekend")
    step = (await anna.press("45 min")).last
    assert "deelopdracht" in step.text.lower()
    assert {"WIJ Venlo", "Jongeren Venlo"} <= set(step.button_labels)
    summary = (await anna.says("wij-venlo")).last  # typed by its code
    assert "Deelopdracht: WIJ Venlo" in summary.text
    # At Buurthuis De Kolk, which a measure of "Jongeren Venlo" names, that one is the default.
    await anna.press("Stoppen")
    await anna.says("/contact")
    for label in ("Vandaag", "Venlo", "Buurthuis De Kolk", "inloop", "armoede", "Verder"):
        await anna.press(label)
    await anna.press("Eén, bekend")
    summary = (await anna.press("45 min")).last  # no deelopdracht question
    assert "Deelopdracht: Jongeren Venlo" in summary.text


async def test_change_fields_from_the_summary_then_save(bot):
    anna = await bot.expert("Anna")
    await walk_first_contact(anna)
    await anna.press("Datum")
    summary = (await anna.press("Gisteren")).last
    assert "Datum: maandag 16 november (gisteren)" in summary.text
    await anna.press("Inwoners")
    await anna.press("1")
    summary = (await anna.press("Bekend")).last
    assert "Inwoners: 1 (bekend)" in summary.text
    await anna.press("Soort inzet")
    summary = (await anna.press("1-op-1 contact")).last
    assert "Soort inzet: 1-op-1 contact" in summary.text
    await anna.press("Plaats")
    vindplek = (await anna.says("Panningen")).last  # a village: Peel en Maas
    assert "Op welke plek" in vindplek.text and "Peel en Maas" in vindplek.text
    summary = (await anna.says("Bibliotheek Panningen")).last
    assert "Plaats: Peel en Maas – Bibliotheek Panningen (nieuw)" in summary.text
    await anna.press("Opslaan")
    [c] = await saved_contacts(bot)
    assert c.work_date == TODAY - timedelta(days=1)
    assert c.municipality_id == await muni_id(bot, "Peel en Maas")
    assert (c.residents_count, c.residents_new) == (1, 0)
    # The vindplek in Venlo typed earlier was never used, so it was never stored.
    async with session_factory(bot.engine)() as s:
        names = set((await s.exec(select(Vindplek.name))).all())
    assert names == {"Bibliotheek Panningen"}


async def test_existing_vindplek_is_a_button_and_matched_when_typed(bot):
    anna = await bot.expert("Anna")
    await walk_first_contact(anna)
    await anna.press("Opslaan")
    await anna.says("/contact")
    await anna.press("Plaats")
    vindplek = (await anna.press("Venlo")).last
    assert "✓ Buurthuis De Kolk" in vindplek.button_labels
    summary = (await anna.says("kolk")).last  # part of the name is enough
    assert "Plaats: Venlo – Buurthuis De Kolk" in summary.text
    assert "(nieuw)" not in summary.text
    await anna.press("Opslaan")
    first, second = await saved_contacts(bot)
    assert first.vindplek_id == second.vindplek_id is not None


async def test_annuleer_stops_anywhere_and_saves_nothing(bot):
    anna = await bot.expert("Anna")
    await anna.says("/contact")
    await anna.press("Vandaag")
    await anna.press("Venlo")
    reply = (await anna.says("/annuleer")).only
    assert "Gestopt" in reply.text
    assert await draft_of(bot, anna) is None
    # The old buttons now say so, and nothing is saved.
    await anna.press("Geen vaste plek")
    assert bot.tg.callback_queries[max(bot.tg.callback_queries)].text.startswith(
        "Dit contact is al afgerond of gestopt"
    )
    # "Stoppen" on the summary does the same.
    await walk_first_contact(anna)
    reply = (await anna.press("Stoppen")).only
    assert "Gestopt" in reply.text and reply.button_labels == []
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
    for label in _PRESSES[: _STEP_AFTER[step]]:
        await anna.press(label)


BAD_INPUT = [
    ("date", "volgende week", "Die datum begrijp ik niet"),
    ("date", "24-11-2026", "toekomst"),
    ("date", "1-10", "hooguit 14 dagen"),
    ("date", "🙂", "Die datum begrijp ik niet"),
    ("gemeente", "Amsterdam", "Die plaats ken ik niet"),
    ("gemeente", "🙂", "Die plaats ken ik niet"),
    ("vindplek", "🙂", "in letters"),
    ("vindplek", "x" * 5000, "te lang"),
    ("vindplek", "Kerkstraat 12", "een adres"),
    ("activity", "voetbal", "Dat ken ik niet"),
    ("themes", "voetbal, armoede", "Dat thema ken ik niet"),
    ("residents", "veel", "als getal"),
    ("residents", "0", "minstens 1"),
    ("residents", "1000", "hooguit 500"),
    ("new", "misschien", "Tik op Nieuw of Bekend"),
    ("new", "5", "niet meer nieuwe dan inwoners"),
    ("duration", "30 uur", "te lang"),
    ("duration", "lang", "Die duur begrijp ik niet"),
    ("duration", "13 uur", "hooguit 12 uur"),
    ("duration", "🙂", "Die duur begrijp ik niet"),
    ("duration", "x" * 5000, "te lang"),
    ("story", "x" * 5000, "te lang"),
    ("story", "🙂🙂🙂", "in woorden"),
    ("story", "Mevrouw Jansen belde vanaf 06-12345678.", "telefoonnummer"),
]


@pytest.mark.parametrize(
    ("step", "typed", "says"), BAD_INPUT, ids=[f"{s}-{t[:12]}" for s, t, _ in BAD_INPUT]
)
async def test_bad_input_says_what_is_accepted_and_stays(bot, step, typed, says):
    anna = await bot.expert("Anna")
    await _at_step(anna, step)
    before = await snapshot(bot, anna)
    reply = (await anna.says(typed)).only
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
    reply = (await anna.says("45 minuten")).only
    assert "Tik op Opslaan" in reply.text and "Opslaan" in reply.button_labels
    assert await snapshot(bot, anna) == before
    # Verder without a theme: a short answer on the button, the step stays.
    await anna.press("Thema's")
    await anna.press("✓ armoede")
    await anna.press("✓ eenzaamheid")
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
    reply = (await anna.says(typed)).only
    assert "Wat voor inzet" in reply.text, reply.text
    data = (await draft_of(bot, anna)).data
    assert (data["vindplek_id"], data["new_vindplek"]) == (None, None)
    for label in ("inloop", "armoede", "Verder", "1", "Nieuw"):
        await anna.press(label)
    summary = (await anna.press("45 min")).last  # reach follows from inloop
    assert "Plaats: Venlo\n" in summary.text
    await anna.press("Opslaan")
    [c] = await saved_contacts(bot)
    assert c.vindplek_id is None
    async with session_factory(bot.engine)() as s:
        assert (await s.exec(select(Vindplek))).all() == []
    # Another expert in Venlo sees no "Nvt" button.
    bert = await bot.expert("Bert")
    await _at_step(bert, "vindplek")
    places = bert.last_reply.button_labels
    assert places == ["Geen vaste plek", "Andere gemeente", "« Terug"], places


async def test_typing_a_buttons_label_is_pressing_it(bot):
    anna = await bot.expert("Anna")
    await _at_step(anna, "vindplek")
    reply = (await anna.says("andere gemeente")).only  # not a new place "Andere gemeente"
    assert "In welke gemeente?" in reply.text
    await anna.press("Venlo")
    await anna.press("Geen vaste plek")
    await anna.press("inloop")
    await anna.press("armoede")
    reply = (await anna.says("VERDER")).only
    assert "Met hoeveel inwoners" in reply.text
    await anna.press("3")
    reply = (await anna.says("deels")).only
    assert "Typ hoeveel er nieuw" in reply.text
    reply = (await anna.says("1")).only
    assert "Hoe lang" in reply.text
    await anna.says("45 min")  # reach follows from inloop: on to the summary
    reply = (await anna.says("duur")).only  # the summary's "Duur" button
    assert "Hoe lang duurde het?" in reply.text
    summary = (await anna.says("1 uur")).only
    assert "Duur: 1 uur" in summary.text
    # The buttons that end the dialogue stay taps.
    reply = (await anna.says("stoppen")).only
    assert "Tik op Opslaan" in reply.text
    assert (await draft_of(bot, anna)).state == "summary"
    async with session_factory(bot.engine)() as s:
        assert (await s.exec(select(Vindplek))).all() == []


# --------------------------------------------------------------------------- date buttons


async def test_gisteren_pressed_after_midnight_is_the_day_its_label_meant(bot):
    anna = await bot.expert("Anna")
    bot.clock.set(datetime(2026, 11, 17, 22, 55, tzinfo=UTC))  # 23:55 on Tuesday 17 November
    step = (await anna.says("/contact")).only
    data = step.button("Gisteren")["callback_data"]
    assert data.endswith(":d:20261116") and len(data.encode()) <= 64
    bot.clock.advance(minutes=10)  # 00:05 on Wednesday 18 November
    reply = (await step.press("Gisteren")).only
    assert "In welke gemeente?" in reply.text
    assert (await draft_of(bot, anna)).data["work_date"] == "2026-11-16"
    for label in ("Venlo", "Geen vaste plek", "inloop", "armoede", "Verder", "1", "Nieuw"):
        await anna.press(label)
    summary = (await anna.press("45 min")).last  # reach follows from inloop
    assert "Datum: maandag 16 november\n" in summary.text
    await anna.press("Opslaan")
    [c] = await saved_contacts(bot)
    assert c.work_date == date(2026, 11, 16)


async def test_a_date_button_now_outside_the_back_dating_window_says_so(bot):
    bot.services.settings.max_back_days = 1
    anna = await bot.expert("Anna")
    bot.clock.set(datetime(2026, 11, 17, 22, 55, tzinfo=UTC))
    step = (await anna.says("/contact")).only
    bot.clock.advance(minutes=10)  # Wednesday: Monday is two days back now
    before = await snapshot(bot, anna)
    reply = (await step.press("Gisteren")).only
    assert reply.text.startswith("⚠️ Die knop was voor maandag 16 november.")
    assert "hooguit 1 dag geleden" in reply.text
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
