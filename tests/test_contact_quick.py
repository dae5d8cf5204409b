"""`/contact <one line>`: parsed into a draft, the same summary to confirm, only the missing
fields asked; back-dating limits and the day-total check. Through the fake Bot API."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.storage.db import session_factory, transaction
from bot.storage.models import ActivityType, Contact, IndirectKind, Vindplek
from tests.helpers import hours_row
from tests.journeys import reply_to
from tests.test_contact_dialogue import (
    TODAY,
    Tapper,
    _at_step,
    code_of,
    draft_of,
    muni_id,
    saved_contacts,
    snapshot,
    theme_codes,
)


async def test_the_example_line_gives_the_summary_and_one_tap_saves(bot):
    anna = await bot.expert("Anna", gemeente="Beesel")
    tapper = Tapper(anna)
    summary = (await anna.says("/contact 45 min inloop Blerick armoede, eenzaamheid 2 nieuw")).only
    text = summary.text
    assert "Klopt dit?" in text
    for expected in (
        "Datum: dinsdag 17 november (vandaag)",
        "Plaats: Venlo",
        "Soort inzet: inloop",
        "Thema's: armoede, eenzaamheid\n",  # as every view shows a theme
        "Inwoners: 2 (allemaal nieuw)",
        "Duur: 45 min",
        "Bereikt via: inloop",  # an inloop contact was reached at the inloop
    ):
        assert expected in text, text
    await tapper.press("Opslaan")
    assert tapper.taps == 1
    [c] = await saved_contacts(bot)
    assert c.municipality_id == await muni_id(bot, "Venlo")  # Blerick is in Venlo
    assert (c.duration_minutes, c.residents_count, c.residents_new) == (45, 2, 2)
    assert await code_of(bot, ActivityType, c.activity_type_id) == "inloop"
    assert await theme_codes(bot, c.id) == {"armoede", "eenzaamheid"}


async def test_any_order_any_case_and_typos(bot):
    anna = await bot.expert("Anna")
    summary = (
        await anna.says("/contact EENZAAMHIED 2 nieuw panningen 1,5 uur Armoede INLOOP gisteren")
    ).only
    assert "Klopt dit?" in summary.text
    assert "Datum: maandag 16 november (gisteren)" in summary.text
    assert "Plaats: Peel en Maas" in summary.text
    assert "Duur: 1,5 uur" in summary.text
    await anna.press("Opslaan")
    [c] = await saved_contacts(bot)
    assert c.work_date == TODAY - timedelta(days=1)
    assert c.duration_minutes == 90
    assert await theme_codes(bot, c.id) == {"armoede", "eenzaamheid"}


async def test_missing_fields_are_the_only_questions(bot):
    anna = await bot.expert("Anna")
    # No activity type, no theme, no new/known: asked in that order, nothing else.
    asked = []

    def question(text: str) -> str:
        # What was understood so far comes first ("Dit heb ik begrepen", ...), then the step.
        return text.split("\n\n")[-1].split("\n")[0]

    reply = (await anna.says("/contact 30 min venlo")).only
    assert "Dit heb ik begrepen\n" in reply.text and "Duur: 30 min" in reply.text
    asked.append(question(reply.text))
    reply = (await anna.press("1-op-1 contact")).only
    asked.append(question(reply.text))
    await anna.press("schulden")
    reply = (await anna.press("Verder")).only
    asked.append(question(reply.text))
    summary = (await anna.press("Bekend")).only
    assert asked == [
        "Wat voor inzet was het?",
        "Over welke thema’s ging het?",
        "Was de inwoner nieuw voor jou, of kende je hem of haar al?",
    ]
    assert "Klopt dit?" in summary.text and "Duur: 30 min" in summary.text
    await anna.press("Opslaan")
    [c] = await saved_contacts(bot)
    assert (c.residents_count, c.residents_new, c.duration_minutes) == (1, 0, 30)


async def test_without_a_place_the_usual_municipality_is_used(bot):
    anna = await bot.expert("Anna", gemeente="Roermond")
    summary = (await anna.says("/contact 1 uur groep rouw 4 bekend")).only
    assert "Plaats: Roermond" in summary.text
    assert "Inwoners: 4 (allemaal bekend)" in summary.text


async def test_a_known_vindplek_in_the_line_is_recognised(bot):
    venlo = await muni_id(bot, "Venlo")
    async with transaction(session_factory(bot.engine)) as s:
        s.add(Vindplek(municipality_id=venlo, name="Buurthuis De Kolk"))
    anna = await bot.expert("Anna")
    summary = (await anna.says("/contact de kolk 45 min inloop armoede 1 nieuw")).only
    assert "Plaats: Venlo – Buurthuis De Kolk" in summary.text
    await anna.press("Opslaan")
    [c] = await saved_contacts(bot)
    async with session_factory(bot.engine)() as s:
        assert (await s.get(Vindplek, c.vindplek_id)).name == "Buurthuis De Kolk"


async def test_unused_words_are_asked_about_not_stored(bot):
    anna = await bot.expert("Anna")
    ask = (await anna.says("/contact 45 min inloop venlo armoede 1 nieuw fietsenstalling")).only
    assert "Wat bedoel je met fietsenstalling?" in ask.text
    assert "Dit heb ik begrepen\n" in ask.text and "Duur: 45 min" in ask.text
    summary = (await anna.press("Niet gebruiken")).only
    assert "fietsenstalling" not in summary.text
    await anna.press("Opslaan")
    d = await draft_of(bot, anna)
    assert d is None


async def test_back_dating_limit_and_no_future(bot):
    anna = await bot.expert("Anna")
    reply = (await anna.says("/contact 1-11 45 min inloop venlo armoede 1 nieuw")).only
    assert "hooguit 14 dagen" in reply.text and "Op welke dag" in reply.text
    assert (await draft_of(bot, anna)).state == "date"
    summary = (await anna.says("3-11")).only  # exactly 14 days back: fine
    assert "Datum: dinsdag 3 november" in summary.text
    # The limit is a setting.
    bot.services.settings.max_back_days = 3
    await anna.says("/annuleer")  # an unsaved contact is not replaced silently (audit #3)
    reply = (await anna.says("/contact eergisteren 45 min inloop venlo armoede 1 nieuw")).only
    assert "Klopt dit?" in reply.text
    await anna.says("/annuleer")
    reply = (await anna.says("/contact vorige week dinsdag 45 min inloop venlo armoede")).only
    assert "hooguit 3 dagen" in reply.text
    # A future date typed at the date step is refused.
    before = await snapshot(bot, anna)
    reply = (await anna.says("18-11-2026")).only
    assert "toekomst" in reply.text
    assert await snapshot(bot, anna) == before


async def test_a_duration_out_of_range_is_asked_again(bot):
    anna = await bot.expert("Anna")
    reply = (await anna.says("/contact 30 uur inloop venlo armoede 1 nieuw")).only
    assert "Hoe lang duurde het?" in reply.text
    assert "te lang" in reply.text
    summary = (await anna.press("2 uur")).only
    assert "Duur: 2 uur" in summary.text


async def _indirect(bot, person, minutes: int) -> None:
    user = await bot.app_user(person)
    async with transaction(session_factory(bot.engine)) as s:
        kind = (await s.exec(select(IndirectKind).where(IndirectKind.code == "overleg"))).one()
        s.add(hours_row(user.id, TODAY, minutes, kind.id, submission_key=f"ind-{minutes}"))


async def test_a_day_over_ten_hours_asks_to_confirm(bot):
    anna = await bot.expert("Anna")
    await _indirect(bot, anna, 6 * 60)  # overleg and reistijd count too
    await anna.says("/contact 3 uur inloop venlo armoede 1 nieuw")
    await anna.press("Opslaan")  # 9 hours: fine
    assert len(await saved_contacts(bot)) == 1

    await anna.says("/contact 1,5 uur inloop venlo armoede 1 bekend")
    confirm = await reply_to(
        anna.press("Opslaan"), "10,5 uur op dinsdag 17 november", "meer dan 10 uur"
    )
    assert confirm.button_labels == ["Ja, opslaan", "Duur aanpassen", "« Terug"]
    assert len(await saved_contacts(bot)) == 1  # nothing saved yet

    # Correct the duration instead: back to the summary, then saved without a question.
    await anna.press("Duur aanpassen")
    await reply_to(anna.press("30 min"), "Duur: 30 min")
    await reply_to(anna.press("Opslaan"), "Opgeslagen")
    assert len(await saved_contacts(bot)) == 2

    # Over the limit and confirmed: saved.
    await anna.says("/contact 2 uur inloop venlo armoede 1 bekend")
    await anna.press("Opslaan")
    await reply_to(anna.press("Ja, opslaan"), "Opgeslagen")
    contacts = await saved_contacts(bot)
    assert [c.duration_minutes for c in contacts] == [180, 30, 120]
    # Another day is counted on its own.
    async with session_factory(bot.engine)() as s:
        assert (await s.exec(select(Contact).where(Contact.work_date != TODAY))).all() == []


async def test_a_very_long_unknown_word_is_shown_back_short(bot):
    anna = await bot.expert("Anna")
    reply = (await anna.says("/contact 45 min inloop Venlo armoede " + "x" * 4000)).only
    assert "Wat bedoel je met " + "x" * 29 + "…?" in reply.text
    assert "x" * 31 not in reply.text
    assert len(reply.text) < 1000
    # Many unknown words: one question about five of them, then "…".
    words = [f"{chr(97 + i)}woord{'z' * 200}" for i in range(20)]
    await anna.says("/annuleer")  # an unsaved contact is not replaced silently (audit #3)
    reply = (await anna.says("/contact 45 min inloop Venlo armoede " + " ".join(words))).only
    note = reply.text.split("Wat bedoel je met ")[1].split("?")[0]
    assert note.count(",") == 5 and note.endswith(", …")
    assert "fwoord" not in note
    assert len(reply.text) < 1000
    await anna.press("Niet gebruiken")
    assert (await draft_of(bot, anna)).state == "new"  # the dialogue goes on


async def test_long_names_are_shown_short(bot):
    venlo = await muni_id(bot, "Venlo")
    async with transaction(session_factory(bot.engine)) as s:
        # As long as the column allows (120).
        s.add(Vindplek(municipality_id=venlo, name="Buurthuis " + "b" * 110))
    anna = await bot.expert("Anna")
    await _at_step(anna, "vindplek")
    step = anna.last_reply
    [label] = [b for b in step.button_labels if b.startswith("Buurthuis")]
    assert len(label) == 80 and label.endswith("…")
    await step.press(label)
    for label in ("inloop", "armoede", "Verder", "1", "Nieuw"):
        await anna.press(label)
    summary = (await anna.press("45 min")).last  # reach follows from inloop
    assert "Plaats: Venlo – Buurthuis bbb" in summary.text
    assert len(summary.text) < 1000
