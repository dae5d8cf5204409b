"""/uren, /signaal and /verhaal through the fake Telegram Bot API (SQLite and PostgreSQL):
dialogues and one-line entry, defaults, limits, drafts (resume after restart, expiry, stale and
double taps, re-delivered updates), bad input that keeps the step, and the privacy guard."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import select

from bot.storage.models import (
    ConversationDraft,
    IndirectHours,
    IndirectKind,
    Municipality,
    Signal,
    SignalKind,
    Story,
    Theme,
    User,
)

TODAY = date(2026, 11, 17)  # the clock fixture: Tuesday 17 November 2026, 14:00 in Amsterdam


async def _all(bot, model):
    async with bot.services.sessions() as s:
        return list((await s.exec(select(model).order_by(model.id))).all())


async def _user(bot, chat_user) -> User:
    async with bot.services.sessions() as s:
        return (await s.exec(select(User).where(User.telegram_user_id == chat_user.id))).one()


async def _draft(bot, chat_user, flow):
    user = await _user(bot, chat_user)
    async with bot.services.sessions() as s:
        return (
            await s.exec(
                select(ConversationDraft).where(
                    ConversationDraft.user_id == user.id, ConversationDraft.flow == flow
                )
            )
        ).first()


async def _name(bot, model, row_id):
    if row_id is None:
        return None
    async with bot.services.sessions() as s:
        row = await s.get(model, row_id)
        return row.name if model is Municipality else row.code


# --------------------------------------------------------------------------- /uren


async def test_hours_dialogue_with_defaults_saves_exactly_once(bot):
    anna = await bot.expert(first_name="Anna", gemeente="Venlo")
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

    rows = await _all(bot, IndirectHours)
    assert len(rows) == 1
    row = rows[0]
    assert (row.work_date, row.duration_minutes) == (TODAY, 90)
    assert await _name(bot, Municipality, row.municipality_id) == "Venlo"
    assert await _name(bot, IndirectKind, row.kind_id) == "overleg"
    assert await _draft(bot, anna, "uren") is None

    # A double tap: the same button again. Refused with a clear answer, nothing added.
    await anna.press_data(opslaan, summary_message)
    assert "al opgeslagen" in anna.last_callback_answer.text
    # A re-delivered update (same update id): dropped.
    update = bot.tg.callback_query_update(anna.id, summary_message.message_id, opslaan)
    await anna._deliver(update)
    await anna._deliver(update)
    assert len(await _all(bot, IndirectHours)) == 1
    anna.assert_callbacks_answered()


async def test_hours_change_date_and_municipality_from_the_summary(bot):
    anna = await bot.expert(first_name="Anna", gemeente="Venlo")
    await anna.says("/uren")
    await anna.press("reistijd")
    await anna.says("45 min")
    await anna.press("Gemeente")
    await anna.press("Regionaal")
    assert "Gemeente: regionaal" in anna.last_reply.text
    await anna.press("Datum")
    await anna.press("Gisteren")
    assert "Datum: gisteren (maandag 16 november)" in anna.last_reply.text
    await anna.press("Opslaan")
    row = (await _all(bot, IndirectHours))[0]
    assert (row.work_date, row.duration_minutes, row.municipality_id) == (
        TODAY - timedelta(days=1),
        45,
        None,
    )
    # Next time the default is the municipality of the latest entry that had one.
    await anna.says("/uren 30 min administratie Venray")
    await anna.says("/uren")
    await anna.press("overleg")
    await anna.press("1 uur")
    assert "Gemeente: Venray" in anna.last_reply.text
    anna.assert_callbacks_answered()


async def test_hours_one_line(bot):
    anna = await bot.expert(first_name="Anna", gemeente="Venlo")
    replies = await anna.says("/uren 1,5 uur overleg Venray gisteren")
    assert "Opgeslagen: 1,5 uur overleg, Venray, maandag 16 november" in replies.only.text
    await anna.says("/uren 45 min reistijd regionaal")
    await anna.says("/uren 2 uur vergadering in Blerick")  # alias + village -> Venlo
    rows = await _all(bot, IndirectHours)
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
    replies = await anna.says("/uren 1 uur scholing")  # no municipality: the default applies
    assert "Opgeslagen: 1 uur scholing, Venlo" in replies.only.text
    replies = await anna.says("/uren overleg Venlo")
    assert "Hoe lang" in replies.only.text
    await anna.says("30 min")
    assert "Duur: 30 min" in anna.last_reply.text
    # Unknown words and impossible values are explained, and nothing is saved.
    before = len(await _all(bot, IndirectHours))
    replies = await anna.says("/uren 1 uur koffie Venlo")
    assert "Dit begreep ik niet: koffie" in replies.only.text
    assert "/uren 1,5 uur overleg Venlo gisteren" in replies.only.text
    replies = await anna.says("/uren 1 uur overleg " + "bla " * 1500)
    assert len(replies.only.text) < 600 and "Dit begreep ik niet: bla" in replies.only.text
    replies = await anna.says("/uren 30 uur overleg")
    assert "langer dan een dag" in replies.only.text
    replies = await anna.says("/uren 1 uur overleg 30-12-2026")
    assert "toekomst" in replies.only.text
    replies = await anna.says("/uren 1 uur overleg 1-10-2026")
    assert "14 dagen" in replies.only.text
    assert len(await _all(bot, IndirectHours)) == before


async def test_hours_bad_input_keeps_the_step(bot):
    anna = await bot.expert(first_name="Anna", gemeente="Venlo")
    await anna.says("/uren")
    await anna.press("overleg")
    for bad, expected in (
        ("twee", "herken ik niet als tijdsduur"),
        ("30 uur", "langer dan een dag"),
        ("🙂", "herken ik niet als tijdsduur"),
        ("x" * 5000, "herken ik niet als tijdsduur"),
    ):
        replies = await anna.says(bad)
        text = replies.only.text
        assert expected in text
        assert "1,5 uur" in text and "45 min" in text  # says what IS accepted
        assert "45 min" in anna.last_reply.button_labels  # the step's buttons are right there
        assert (await _draft(bot, anna, "uren")).state == "duration"
    await anna.says("anderhalf uur")
    assert "Duur: 1,5 uur" in anna.last_reply.text

    await anna.press("Datum")
    next_week = (TODAY + timedelta(days=7)).strftime("%d-%m")
    replies = await anna.says(next_week)
    assert "toekomst" in replies.only.text and "gisteren" in replies.only.text
    replies = await anna.says("1-10")
    assert "te lang geleden" in replies.only.text and "14 dagen" in replies.only.text
    replies = await anna.says("blabla")
    assert "herken ik niet als datum" in replies.only.text
    assert (await _draft(bot, anna, "uren")).state == "date"
    await anna.says("maandag")
    assert "Datum: gisteren (maandag 16 november)" in anna.last_reply.text

    await anna.press("Gemeente")
    replies = await anna.says("Amsterdam")
    assert "Die gemeente ken ik niet" in replies.only.text
    await anna.says("Panningen")
    assert "Gemeente: Peel en Maas" in anna.last_reply.text
    replies = await anna.says("hallo")
    assert "Opslaan" in replies.only.text  # at the summary only buttons count
    assert await _all(bot, IndirectHours) == []
    anna.assert_callbacks_answered()


async def test_hours_day_total_above_limit_asks_first(bot):
    anna = await bot.expert(first_name="Anna", gemeente="Venlo")
    await anna.says("/uren 8 uur scholing")
    replies = await anna.says("/uren 3 uur overleg")
    text = replies.only.text
    assert "dan kom je op 11 uur op dinsdag 17 november" in text
    assert "meer dan 10 uur" in text
    assert len(await _all(bot, IndirectHours)) == 1  # not yet
    await anna.press("Duur aanpassen")
    await anna.press("2 uur")
    await anna.press("Opslaan")  # 10 hours exactly: no question
    assert "Opgeslagen: 2 uur overleg" in anna.last_reply.text
    await anna.says("/uren 30 min reistijd")
    assert "dan kom je op 10,5 uur" in anna.last_reply.text
    await anna.press("Ja, opslaan")
    assert "Opgeslagen" in anna.last_reply.text
    assert sum(r.duration_minutes for r in await _all(bot, IndirectHours)) == 630
    anna.assert_callbacks_answered()


async def test_hours_resume_after_restart_and_on_command(bot):
    anna = await bot.expert(first_name="Anna", gemeente="Venlo")
    await anna.says("/uren")
    await anna.press("voorbereiding")
    await bot.restart()
    await anna.says("2 uur")  # the draft survived the restart
    assert "Soort: voorbereiding" in anna.last_reply.text
    await bot.restart()
    replies = await anna.says("/uren")
    assert "Je was hier nog mee bezig" in replies.only.text
    assert "Duur: 2 uur" in replies.only.text
    await anna.press("Opslaan")
    rows = await _all(bot, IndirectHours)
    assert [(r.duration_minutes, await _name(bot, IndirectKind, r.kind_id)) for r in rows] == [
        (120, "voorbereiding")
    ]
    anna.assert_callbacks_answered()


async def test_hours_stale_buttons_expiry_and_stop(bot):
    anna = await bot.expert(first_name="Anna", gemeente="Venlo")
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
    assert await _draft(bot, anna, "uren") is None
    # Typed text after expiry also says so.
    await anna.says("/uren")
    await anna.press("overleg")
    bot.clock.advance(hours=25)
    replies = await anna.says("1 uur")
    assert "verlopen" in replies.only.text
    # Stoppen.
    await anna.says("/uren")
    await anna.press("Stoppen")
    assert "Gestopt" in anna.last_reply.text
    assert await _draft(bot, anna, "uren") is None
    assert await _all(bot, IndirectHours) == []
    anna.assert_callbacks_answered()


async def test_hours_save_race_with_another_process_counts_as_saved(bot, monkeypatch):
    """Another process saved this draft between our check and our insert: the unique key
    stops the duplicate, and the expert hears it was already saved."""
    from bot.storage import worklog

    anna = await bot.expert(first_name="Anna", gemeente="Venlo")
    await anna.says("/uren overleg Venlo")
    await anna.says("1 uur")
    draft = await _draft(bot, anna, "uren")
    user = await _user(bot, anna)
    async with bot.services.sessions() as s:
        kind = (await s.exec(select(IndirectKind).where(IndirectKind.code == "overleg"))).one()
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
    assert len(await _all(bot, IndirectHours)) == 1
    assert await _draft(bot, anna, "uren") is None
    anna.assert_callbacks_answered()


async def test_button_of_a_finished_draft_never_acts_on_a_new_one(bot):
    """SQLite may give the next draft the id of the deleted one; its buttons must still be
    refused (the first revision of every draft is random)."""
    anna = await bot.expert(first_name="Anna", gemeente="Venlo")
    await anna.says("/uren")
    first = anna.last_reply
    old_scholing = first.button("scholing")["callback_data"]
    await anna.press("Stoppen")
    await anna.says("/uren")
    second = anna.last_reply
    assert second.button("scholing")["callback_data"] != old_scholing
    await anna.press_data(old_scholing, first)
    assert anna.last_callback_answer.text  # refused with an explanation
    draft = await _draft(bot, anna, "uren")
    assert draft.state == "kind" and "kind_id" not in draft.data
    anna.assert_callbacks_answered()


# --------------------------------------------------------------------------- /signaal


async def test_signal_dialogue_saves(bot):
    anna = await bot.expert(first_name="Anna", gemeente="Venlo")
    await anna.says("/signaal")
    assert anna.last_reply.button_labels[:4] == ["trend", "gemist aanbod", "knelpunt", "kans"]
    await anna.press("gemist aanbod")
    await anna.press("Regionaal")
    await anna.press("Geen thema")
    assert "1.000 tekens" in anna.last_reply.text
    await anna.says("In het weekend is er nergens een inloop voor jongeren.")
    summary = anna.last_reply.text
    assert "Soort: gemist aanbod" in summary and "Gemeente: regionaal" in summary
    await anna.press("Thema")
    await anna.press("werk en dagbesteding")
    assert "Thema: werk en dagbesteding" in anna.last_reply.text
    await anna.press("Opslaan")
    assert "signaal is opgeslagen" in anna.last_reply.text
    rows = await _all(bot, Signal)
    assert len(rows) == 1
    sig = rows[0]
    assert sig.text == "In het weekend is er nergens een inloop voor jongeren."
    assert sig.municipality_id is None and sig.work_date == TODAY
    assert await _name(bot, SignalKind, sig.kind_id) == "gemist_aanbod"
    assert await _name(bot, Theme, sig.theme_id) == "werk_dagbesteding"
    assert await _draft(bot, anna, "signaal") is None
    anna.assert_callbacks_answered()


async def test_signal_text_privacy_length_and_emoji(bot):
    anna = await bot.expert(first_name="Anna", gemeente="Venlo")
    await anna.says("/signaal")
    await anna.press("knelpunt")
    await anna.press("Venlo")
    await anna.press("schulden")
    secret = "Bel mevrouw op 06-12345678, zij heeft grote schulden en geen hulp."
    replies = await anna.says(secret)
    text = replies.only.text
    assert "niet op" in text and "telefoonnummer" in text
    assert "Schrijf het opnieuw" in text
    draft = await _draft(bot, anna, "signaal")
    assert draft.state == "text" and "text" not in draft.data
    assert "06-12345678" not in str(draft.data)
    replies = await anna.says("Mail haar via jan.devries@example.nl voor info over schulden.")
    assert "e-mailadres" in replies.only.text

    replies = await anna.says("x" * 5000)
    assert "te lang: 5.000 tekens" in replies.only.text
    assert "maximaal 1.000 tekens" in replies.only.text
    replies = await anna.says("🙂🙂🙂")
    assert "in woorden" in replies.only.text
    replies = await anna.says("kort")
    assert "erg kort" in replies.only.text
    assert (await _draft(bot, anna, "signaal")).state == "text"
    assert await _all(bot, Signal) == []

    await anna.says("Wachtlijst bij schuldhulp is nu drie maanden.")
    await anna.press("Opslaan")
    rows = await _all(bot, Signal)
    assert [r.text for r in rows] == ["Wachtlijst bij schuldhulp is nu drie maanden."]
    anna.assert_callbacks_answered()


async def test_signal_double_save_and_restart(bot):
    anna = await bot.expert(first_name="Anna", gemeente="Venlo")
    await anna.says("/signaal")
    await anna.press("kans")
    await anna.press("Venray")
    await bot.restart()
    await anna.press("Geen thema")
    await anna.says("De bibliotheek wil een spreekuur met ons starten.")
    message = anna.last_reply
    data = message.button("Opslaan")["callback_data"]
    await anna.press("Opslaan")
    await anna.press_data(data, message)
    assert len(await _all(bot, Signal)) == 1
    anna.assert_callbacks_answered()


# --------------------------------------------------------------------------- /verhaal


async def test_story_with_anonymity_hint(bot):
    anna = await bot.expert(first_name="Anna", gemeente="Venlo")
    replies = await anna.says("/verhaal")
    assert "anoniem" in replies.only.text and "geen namen" in replies.only.text
    await anna.press("Venlo")
    await anna.press("eenzaamheid")
    assert "anoniem" in anna.last_reply.text  # the hint again right above the question
    replies = await anna.says("Ik sprak Piet, Dorpstraat 4 in Tegelen, over zijn eenzaamheid.")
    assert "niet op" in replies.only.text
    assert await _all(bot, Story) == []
    story = (
        "Een man die al jaren niemand sprak, komt nu elke week naar de inloop. "
        "Hij helpt zelf met koffie schenken."
    )
    await anna.says(story)
    await anna.press("Opslaan")
    assert "verhaal is opgeslagen" in anna.last_reply.text
    rows = await _all(bot, Story)
    assert [(r.text, await _name(bot, Municipality, r.municipality_id)) for r in rows] == [
        (story, "Venlo")
    ]
    assert await _name(bot, Theme, rows[0].theme_id) == "eenzaamheid"
    anna.assert_callbacks_answered()


async def test_story_text_as_argument_and_residents_are_refused(bot):
    anna = await bot.expert(first_name="Anna", gemeente="Venlo")
    await anna.says("/verhaal Een moeder durfde voor het eerst hulp te vragen bij schulden.")
    await anna.press("Regionaal")
    await anna.press("Geen thema")
    assert "Een moeder durfde" in anna.last_reply.text  # straight to the summary
    await anna.press("Opslaan")
    assert len(await _all(bot, Story)) == 1

    visitor = bot.resident(first_name="Kees")
    replies = await visitor.says("/uren")
    assert "alleen voor ervaringsdeskundigen" in replies.only.text
    replies = await visitor.says("/verhaal")
    assert "alleen voor ervaringsdeskundigen" in replies.only.text
