"""/uren, /signaal and /verhaal through the fake Telegram Bot API (SQLite and PostgreSQL):
dialogues and one-line entry, defaults, limits, drafts (resume after restart, expiry, stale and
double taps, re-delivered updates), bad input that keeps the step, and the privacy guard."""

from __future__ import annotations

from datetime import date, timedelta

from bot.storage import models
from bot.storage.models import IndirectHours, IndirectKind, Municipality, Signal, Story
from tests.helpers import all_rows, draft_of, one_row
from tests.journeys import expert_at, reply_to, says_each, tap_through

TODAY = date(2026, 11, 17)  # the clock fixture: Tuesday 17 November 2026, 14:00 in Amsterdam


async def _name(bot, model, row_id):
    if row_id is None:
        return None
    async with bot.services.sessions() as s:
        row = await s.get(model, row_id)
        return row.name if model is Municipality else row.code


# --------------------------------------------------------------------------- /uren


async def test_hours_dialogue_with_defaults_saves_exactly_once(bot):
    anna = await bot.expert()
    replies = await anna.says("/uren")
    assert "Wat voor uren" in replies.only.text
    assert anna.last_reply.button_labels[:5] == [
        "overleg",
        "scholing",
        "reistijd",
        "administratie",
        "voorbereiding",
    ]
    await anna.press("overleg")
    assert "Hoe lang" in anna.last_reply.text
    await anna.press("1,5 uur")
    summary = anna.last_reply.text
    assert "Datum: vandaag (dinsdag 17 november)" in summary
    assert "Soort: overleg" in summary
    assert "Gemeente: Venlo" in summary  # the home municipality is the default
    assert "Duur: 1,5 uur" in summary
    summary_message = anna.last_reply
    opslaan = summary_message.button("Opslaan")["callback_data"]
    await anna.press("Opslaan")
    assert "Opgeslagen: 1,5 uur overleg, Venlo, dinsdag 17 november" in anna.last_reply.text

    rows = await all_rows(bot, IndirectHours)
    assert len(rows) == 1
    row = rows[0]
    assert (row.work_date, row.duration_minutes) == (TODAY, 90)
    assert await _name(bot, Municipality, row.municipality_id) == "Venlo"
    assert await _name(bot, IndirectKind, row.kind_id) == "overleg"
    assert await draft_of(bot, anna, "uren") is None

    # A double tap: the same button again. Refused with a clear answer, nothing added.
    await anna.press_data(opslaan, summary_message)
    assert "al opgeslagen" in anna.last_callback_answer.text
    # A re-delivered update (same update id): dropped.
    update = bot.tg.callback_query_update(anna.id, summary_message.message_id, opslaan)
    await anna._deliver(update)
    await anna._deliver(update)
    assert len(await all_rows(bot, IndirectHours)) == 1
    anna.assert_callbacks_answered()


async def test_hours_change_date_and_municipality_from_the_summary(bot):
    anna = await bot.expert()
    await anna.says("/uren")
    await anna.press("reistijd")
    await anna.says("45 min")
    await reply_to(tap_through(anna, ["Gemeente", "Regionaal"]), "Gemeente: regionaal")
    await reply_to(
        tap_through(anna, ["Datum", "Gisteren"]), "Datum: gisteren (maandag 16 november)"
    )
    await anna.press("Opslaan")
    row = (await all_rows(bot, IndirectHours))[0]
    assert (row.work_date, row.duration_minutes, row.municipality_id) == (
        TODAY - timedelta(days=1),
        45,
        None,
    )
    # Next time the default is the municipality of the latest entry that had one.
    await says_each(anna, "/uren 30 min administratie Venray", "/uren")
    await reply_to(tap_through(anna, ["overleg", "1 uur"]), "Gemeente: Venray")
    anna.assert_callbacks_answered()


async def test_hours_one_line(bot):
    anna = await bot.expert()
    await reply_to(
        anna.says("/uren 1,5 uur overleg Venray gisteren"),
        "Opgeslagen: 1,5 uur overleg, Venray, maandag 16 november",
    )
    # The last one: an alias and a village (-> Venlo).
    await says_each(anna, "/uren 45 min reistijd regionaal", "/uren 2 uur vergadering in Blerick")
    rows = await all_rows(bot, IndirectHours)
    got = [
        (
            r.work_date,
            r.duration_minutes,
            await _name(bot, IndirectKind, r.kind_id),
            await _name(bot, Municipality, r.municipality_id),
        )
        for r in rows
    ]
    assert got == [
        (TODAY - timedelta(days=1), 90, "overleg", "Venray"),
        (TODAY, 45, "reistijd", None),
        (TODAY, 120, "overleg", "Venlo"),
    ]
    # Something missing: the dialogue asks only for that.
    # No municipality: the default applies.
    await reply_to(anna.says("/uren 1 uur scholing"), "Opgeslagen: 1 uur scholing, Venlo")
    await reply_to(anna.says("/uren overleg Venlo"), "Hoe lang")
    await reply_to(anna.says("30 min"), "Duur: 30 min")
    # Unknown words and impossible values are explained, and nothing is saved.
    before = len(await all_rows(bot, IndirectHours))
    await reply_to(
        anna.says("/uren 1 uur koffie Venlo"),
        "Dit begreep ik niet: koffie",
        "/uren 1,5 uur overleg Venlo gisteren",
    )
    long_line = await reply_to(anna.says("/uren 1 uur overleg " + "bla " * 1500))
    assert len(long_line.text) < 600 and "Dit begreep ik niet: bla" in long_line.text
    for line, explained in (
        ("/uren 30 uur overleg", "langer dan een dag"),
        ("/uren 1 uur overleg 30-12-2026", "toekomst"),
        ("/uren 1 uur overleg 1-10-2026", "14 dagen"),
    ):
        await reply_to(anna.says(line), explained)
    # A one-line entry has no buttons: the reply names the limit, not a button, and does not
    # repeat the whole syntax line.
    for line, *explained in (
        ("/uren 25 uur administratie", "langer dan een dag", "/uren 1,5 uur administratie"),
        ("/uren 2 min overleg", "korter dan 5 minuten", "/uren 1,5 uur overleg"),
    ):
        said = await reply_to(anna.says(line), *explained, "5 minuten tot 24 uur")
        assert "knop" not in said.text and "Zo werkt het" not in said.text
        assert not said.button_labels
    assert len(await all_rows(bot, IndirectHours)) == before


async def test_hours_bad_input_keeps_the_step(bot):
    anna = await bot.expert()
    await anna.says("/uren")
    await anna.press("overleg")
    for bad, expected in (
        ("twee", "herken ik niet als tijdsduur"),
        ("30 uur", "langer dan een dag"),
        ("🙂", "herken ik niet als tijdsduur"),
        ("x" * 5000, "herken ik niet als tijdsduur"),
    ):
        # It says what IS accepted, and the step's buttons are right there.
        step = await reply_to(anna.says(bad), expected, "1,5 uur", "45 min")
        assert step == anna.last_reply and "45 min" in step.button_labels
        assert (await draft_of(bot, anna, "uren")).state == "duration"
    await reply_to(anna.says("anderhalf uur"), "Duur: 1,5 uur", last=True)

    await anna.press("Datum")
    next_week = (TODAY + timedelta(days=7)).strftime("%d-%m")
    for typed, *explained in (
        (next_week, "toekomst", "gisteren"),
        ("1-10", "te lang geleden", "14 dagen"),
        ("blabla", "herken ik niet als datum"),
    ):
        await reply_to(anna.says(typed), *explained)
    assert (await draft_of(bot, anna, "uren")).state == "date"
    await reply_to(anna.says("maandag"), "Datum: gisteren (maandag 16 november)", last=True)

    await anna.press("Gemeente")
    await reply_to(anna.says("Amsterdam"), "Die gemeente ken ik niet")
    await reply_to(anna.says("Panningen"), "Gemeente: Peel en Maas", last=True)
    await reply_to(anna.says("hallo"), "Opslaan")  # at the summary only buttons count
    assert await all_rows(bot, IndirectHours) == []
    anna.assert_callbacks_answered()


async def test_hours_day_total_above_limit_asks_first(bot):
    anna = await bot.expert()
    await anna.says("/uren 8 uur scholing")
    await reply_to(
        anna.says("/uren 3 uur overleg"),
        "dan kom je op 11 uur op dinsdag 17 november",
        "meer dan 10 uur",
    )
    assert len(await all_rows(bot, IndirectHours)) == 1  # not yet
    # 10 hours exactly: no question.
    saved = tap_through(anna, ["Duur aanpassen", "2 uur", "Opslaan"])
    await reply_to(saved, "Opgeslagen: 2 uur overleg", last=True)
    await reply_to(anna.says("/uren 30 min reistijd"), "dan kom je op 10,5 uur", last=True)
    await reply_to(anna.press("Ja, opslaan"), "Opgeslagen", last=True)
    assert sum(r.duration_minutes for r in await all_rows(bot, IndirectHours)) == 630
    anna.assert_callbacks_answered()


async def test_hours_resume_after_restart_and_on_command(bot):
    anna = await bot.expert()
    await anna.says("/uren")
    await anna.press("voorbereiding")
    await bot.restart()
    # The draft survived the restart.
    await reply_to(anna.says("2 uur"), "Soort: voorbereiding", last=True)
    await bot.restart()
    await reply_to(anna.says("/uren"), "Je was hier nog mee bezig", "Duur: 2 uur")
    await anna.press("Opslaan")
    rows = await all_rows(bot, IndirectHours)
    assert [(r.duration_minutes, await _name(bot, IndirectKind, r.kind_id)) for r in rows] == [
        (120, "voorbereiding")
    ]
    anna.assert_callbacks_answered()


async def test_hours_stale_buttons_expiry_and_stop(bot):
    anna = await bot.expert()
    await anna.says("/uren")
    first = anna.last_reply
    kind_data = first.button("overleg")["callback_data"]
    await anna.press("overleg")
    # The same message now shows durations; the old kind button is from an older revision.
    await anna.press_data(kind_data.replace(":k", ":k"), first)
    assert "niet meer actueel" in anna.last_callback_answer.text
    # Expiry: a day later the button explains, nothing is saved, the draft is gone.
    bot.clock.advance(hours=25)
    await anna.press("1 uur")
    assert "verlopen" in anna.last_callback_answer.text
    assert await draft_of(bot, anna, "uren") is None
    # Typed text after expiry also says so.
    await anna.says("/uren")
    await anna.press("overleg")
    bot.clock.advance(hours=25)
    await reply_to(anna.says("1 uur"), "verlopen")
    # Stoppen.
    await anna.says("/uren")
    await reply_to(anna.press("Stoppen"), "Gestopt", last=True)
    assert await draft_of(bot, anna, "uren") is None
    assert await all_rows(bot, IndirectHours) == []
    anna.assert_callbacks_answered()


async def test_hours_save_race_with_another_process_counts_as_saved(bot, monkeypatch):
    """Another process saved this draft between our check and our insert: the unique key
    stops the duplicate, and the expert hears it was already saved."""
    from bot.storage import worklog

    anna = await bot.expert()
    await anna.says("/uren overleg Venlo")
    await anna.says("1 uur")
    draft = await draft_of(bot, anna, "uren")
    user = await bot.app_user(anna)
    kind = await one_row(bot, IndirectKind, IndirectKind.code == "overleg")
    async with bot.services.sessions() as s, s.begin():
        s.add(
            IndirectHours(
                submission_key=draft.submission_key,
                expert_id=user.id,
                work_date=TODAY,
                duration_minutes=60,
                kind_id=kind.id,
            )
        )
    real = worklog.by_submission_key
    calls = []

    async def blind_once(s, entity, key):  # the check ran before the other commit
        calls.append(key)
        return None if len(calls) == 1 else await real(s, entity, key)

    monkeypatch.setattr(worklog, "by_submission_key", blind_once)
    await anna.press("Opslaan")
    assert len(calls) == 2
    assert "Dit was al opgeslagen." in anna.last_reply.text
    assert len(await all_rows(bot, IndirectHours)) == 1
    assert await draft_of(bot, anna, "uren") is None
    anna.assert_callbacks_answered()


async def test_button_of_a_finished_draft_never_acts_on_a_new_one(bot):
    """SQLite may give the next draft the id of the deleted one; its buttons must still be
    refused (the first revision of every draft is random)."""
    anna = await bot.expert()
    await anna.says("/uren")
    first = anna.last_reply
    old_scholing = first.button("scholing")["callback_data"]
    await anna.press("Stoppen")
    await anna.says("/uren")
    second = anna.last_reply
    assert second.button("scholing")["callback_data"] != old_scholing
    await anna.press_data(old_scholing, first)
    assert anna.last_callback_answer.text  # refused with an explanation
    draft = await draft_of(bot, anna, "uren")
    assert draft.state == "kind" and "kind_id" not in draft.data
    anna.assert_callbacks_answered()


# --------------------------------------------------------------------------- /signaal


async def test_signal_dialogue_saves(bot):
    anna = await bot.expert()
    await anna.says("/signaal")
    assert anna.last_reply.button_labels[:4] == ["trend", "gemist aanbod", "knelpunt", "kans"]
    await reply_to(
        tap_through(anna, ["gemist aanbod", "Regionaal", "Geen thema"]), "1.000 tekens", last=True
    )
    await reply_to(
        anna.says("In het weekend is er nergens een inloop voor jongeren."),
        "Soort: gemist aanbod",
        "Gemeente: regionaal",
        last=True,
    )
    await reply_to(
        tap_through(anna, ["Thema", "werk en dagbesteding"]),
        "Thema: werk en dagbesteding",
        last=True,
    )
    await reply_to(anna.press("Opslaan"), "signaal is opgeslagen", last=True)
    [sig] = await all_rows(bot, Signal)
    assert sig.text == "In het weekend is er nergens een inloop voor jongeren."
    assert sig.municipality_id is None and sig.work_date == TODAY
    assert await _name(bot, models.SignalKind, sig.kind_id) == "gemist_aanbod"
    assert await _name(bot, models.Theme, sig.theme_id) == "werk_dagbesteding"
    assert await draft_of(bot, anna, "signaal") is None
    anna.assert_callbacks_answered()


async def test_signal_text_privacy_length_and_emoji(bot):
    anna = await expert_at(bot, "/signaal", "knelpunt", "Venlo", "schulden")
    secret = "Bel mevrouw op 06-12345678, zij heeft grote schulden en geen hulp."
    await reply_to(anna.says(secret), "niet op", "telefoonnummer", "Schrijf het opnieuw")
    draft = await draft_of(bot, anna, "signaal")
    assert draft.state == "text" and "text" not in draft.data
    assert "06-12345678" not in str(draft.data)
    for typed, *explained in (
        ("Mail haar via jan.devries@example.nl voor info over schulden.", "e-mailadres"),
        ("x" * 5000, "te lang: 5.000 tekens", "maximaal 1.000 tekens"),
        ("🙂🙂🙂", "in woorden"),
        ("kort", "erg kort"),
    ):
        await reply_to(anna.says(typed), *explained)
    assert (await draft_of(bot, anna, "signaal")).state == "text"
    assert await all_rows(bot, Signal) == []

    await anna.says("Wachtlijst bij schuldhulp is nu drie maanden.")
    await anna.press("Opslaan")
    rows = await all_rows(bot, Signal)
    assert [r.text for r in rows] == ["Wachtlijst bij schuldhulp is nu drie maanden."]
    anna.assert_callbacks_answered()


async def test_signal_double_save_and_restart(bot):
    anna = await expert_at(bot, "/signaal", "kans", "Venray")
    await bot.restart()
    await anna.press("Geen thema")
    await anna.says("De bibliotheek wil een spreekuur met ons starten.")
    message = anna.last_reply
    data = message.button("Opslaan")["callback_data"]
    await anna.press("Opslaan")
    await anna.press_data(data, message)
    assert len(await all_rows(bot, Signal)) == 1
    anna.assert_callbacks_answered()


async def test_signal_text_typed_at_the_theme_step_is_taken_as_the_text(bot):
    anna = await expert_at(bot, "/signaal", "trend", "Venlo")
    typed = "Steeds meer jongeren met schulden komen naar de inloop."
    # Not a theme: the theme is skipped and the text is taken, on to the summary.
    await reply_to(anna.says(typed), "Thema: geen", typed, "Opslaan", last=True)
    assert (await draft_of(bot, anna, "signaal")).state == "summary"
    await anna.press("Opslaan")
    [sig] = await all_rows(bot, Signal)
    assert (sig.text, sig.theme_id) == (typed, None)

    # A typed theme still chooses the theme; a short unknown word still says to choose.
    await anna.says("/signaal")
    await tap_through(anna, ["kans", "Venray"])
    await reply_to(anna.says("xyz"), "Dat ken ik niet")
    assert (await draft_of(bot, anna, "signaal")).state == "theme"
    await reply_to(anna.says("schulden"), "Maximaal 1.000 tekens", last=True)

    # Identifying text at the theme step: not stored, the reason shown at the text step.
    await anna.press("Stoppen")
    await anna.says("/signaal")
    await tap_through(anna, ["knelpunt", "Venlo"])
    secret = "Bel mevrouw op 06-12345678, zij heeft grote schulden en geen hulp."
    await reply_to(anna.says(secret), "telefoonnummer", "Maximaal 1.000 tekens")
    draft = await draft_of(bot, anna, "signaal")
    assert draft.state == "text" and "06-12345678" not in str(draft.data)
    assert len(await all_rows(bot, Signal)) == 1


# --------------------------------------------------------------------------- /verhaal


async def test_story_with_anonymity_hint(bot):
    anna = await bot.expert()
    await reply_to(anna.says("/verhaal"), "anoniem", "geen namen")
    # The hint again right above the question.
    await reply_to(tap_through(anna, ["Venlo", "eenzaamheid"]), "anoniem", last=True)
    refused = anna.says("Ik sprak Piet, Dorpstraat 4 in Tegelen, over zijn eenzaamheid.")
    await reply_to(refused, "niet op")
    assert await all_rows(bot, Story) == []
    story = (
        "Een man die al jaren niemand sprak, komt nu elke week naar de inloop. "
        "Hij helpt zelf met koffie schenken."
    )
    await anna.says(story)
    await reply_to(anna.press("Opslaan"), "verhaal is opgeslagen", last=True)
    rows = await all_rows(bot, Story)
    assert [(r.text, await _name(bot, Municipality, r.municipality_id)) for r in rows] == [
        (story, "Venlo")
    ]
    assert await _name(bot, models.Theme, rows[0].theme_id) == "eenzaamheid"
    anna.assert_callbacks_answered()


async def test_story_text_typed_at_the_theme_step_is_taken_as_the_text(bot):
    anna = await expert_at(bot, "/verhaal", "Venlo")
    typed = "Een man die al jaren niemand sprak, komt nu elke week naar de inloop."
    await reply_to(anna.says(typed), "Thema: geen", typed, "Opslaan", last=True)
    await reply_to(anna.press("Opslaan"), "verhaal is opgeslagen", last=True)
    [story] = await all_rows(bot, Story)
    assert (story.text, story.theme_id) == (typed, None)


async def test_story_text_as_argument_and_residents_are_refused(bot):
    anna = await bot.expert()
    await anna.says("/verhaal Een moeder durfde voor het eerst hulp te vragen bij schulden.")
    # Straight to the summary.
    await reply_to(tap_through(anna, ["Regionaal", "Geen thema"]), "Een moeder durfde", last=True)
    await anna.press("Opslaan")
    assert len(await all_rows(bot, Story)) == 1

    visitor = bot.resident(first_name="Kees")
    for command in ("/uren", "/verhaal"):
        await reply_to(visitor.says(command), "alleen voor ervaringsdeskundigen")
