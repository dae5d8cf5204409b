"""/deelopdracht through the fake Bot API on SQLite and PostgreSQL: a coordinator creates a
deelopdracht with two measures (one with a filter and a window), edits a field, adds and
removes a reporting moment, ends it; every change audited; an old button after the end is
refused; a restart keeps the draft; bad input keeps the step; experts and residents get
nothing."""

from __future__ import annotations

from datetime import date

from sqlmodel import col

from bot.storage.db import session_factory, transaction
from bot.storage.models import (
    AuditLog,
    Contact,
    Deelopdracht,
    DeelopdrachtMeasure,
    DeelopdrachtMoment,
    Vindplek,
)
from tests.helpers import add_contact, all_rows, refs_of
from tests.journeys import add_measure, create_deelopdracht, reply_to, tap_through
from tests.test_cli_deelopdracht import EXAMPLE
from tests.test_team import cli
from tests.test_team import cli_env as cli_env  # the fixture

OUTREACH = "outreach op vindplek (straat, huis-aan-huis)"


async def rows(bot):
    """The deelopdrachten, their measures (in order) and moments, and their audit trail."""
    measure = DeelopdrachtMeasure
    measures = await all_rows(
        bot, measure, col(measure.deleted_at).is_(None), order_by=measure.position
    )
    audits = await all_rows(bot, AuditLog, col(AuditLog.entity).startswith("deelopdracht"))
    return (
        await all_rows(bot, Deelopdracht),
        measures,
        await all_rows(bot, DeelopdrachtMoment),
        [(a.entity, a.action, a.actor_id) for a in audits],
    )


async def test_coordinator_creates_edits_and_ends_a_deelopdracht(bot):
    carla = await bot.coordinator("Carla")
    carla_id = (await bot.app_user(carla)).id
    await reply_to(carla.says("/deelopdracht"), "Deelopdrachten van welke gemeente?")
    await carla.press("Venlo")
    await reply_to(carla.press("Nieuwe deelopdracht"), "Nieuwe deelopdracht in Venlo")
    # Each answer that is refused says why, and the step stays.
    await reply_to(carla.says("ab"), "minstens 3 letters", "Typ de titel")
    step = await reply_to(carla.says("WIJ Venlo outreach"))
    assert step.has_button("Gebruik wij-venlo-outreach")
    for typed, shown in (
        ("wij venlo", "zonder spaties"),
        ("wij-venlo", "Wanneer begint"),
        ("1 januari", "met het jaartal"),
        ("1 januari 2027", "Begint op 1 januari 2027"),
    ):
        await reply_to(carla.says(typed), shown)
    opened = carla.press("12 maanden")
    await reply_to(
        opened, "Opgeslagen.", "1 januari 2027 t/m 31 december 2027", "Nog geen meetpunten."
    )

    # Measure 1: new residents, 25 within 6 months, only outreach.
    await tap_through(carla, ["Meetpunt erbij", "Nieuwe inwoners"])
    await reply_to(carla.says("veel"), "heel getal")
    await carla.says("25")
    await tap_through(carla, ["binnen 6 maanden na de start", "Soort inzet"])
    picked = await reply_to(carla.press(OUTREACH))
    assert f"✓ {OUTREACH}" in picked.button_labels, picked.buttons
    await carla.press("Klaar")
    filtered = await reply_to(carla.press("Soort inzet (1)"))
    await carla.press("Klaar", message=filtered)
    await reply_to(
        carla.press("Opslaan"),
        "Het meetpunt is toegevoegd.",
        f"1. Nieuwe inwoners bereikt: 25, binnen 6 maanden na de start (Soort inzet: {OUTREACH})",
    )

    # Measure 2: went on, 80%, whole period; survives a restart mid-way.
    await tap_through(carla, ["Meetpunt erbij", "Doorgestroomd"])
    await bot.restart()
    await reply_to(carla.says("120%"), "percentage van 0 tot 100")
    await carla.says("80%")
    await tap_through(carla, ["Hele periode", "Eigen omschrijving"])
    await reply_to(carla.says("Bij mevrouw Jansen"), "Dit sla ik niet op")
    await carla.says("Doorstroom naar preventie")
    await reply_to(
        carla.press("Opslaan"),
        "2. Doorstroom naar preventie: 80%, hele periode",
        # Progress today (the deelopdracht starts next year).
        "Stand op 17 november 2026",
        "• Nieuwe inwoners bereikt (eerste 6 maanden): 0 van 25 — nog niet begonnen",
        "• Doorstroom naar preventie: nog geen gegevens (doel 80 %)",
    )

    # Edit one field; add a reporting moment twice (once stored), remove one.
    await carla.press("Wijzigen")
    await reply_to(carla.press("Doelen"), "Typ de nieuwe tekst voor doelen")
    await reply_to(carla.says("Bel mevrouw op 0612345678 over de aanpak"), "telefoonnummer")
    goals = "Inwoners bereiken die geen hulp zoeken."
    await reply_to(carla.says(goals), "Doelen is gewijzigd.", f"Doelen: {goals}")
    await carla.press("Rapportagemomenten")
    await reply_to(carla.says("15-4-2027"), "15 april 2027 is toegevoegd.")
    await reply_to(carla.says("15-4-2027"), "staat er al")
    await carla.says("15-9-2027")
    await reply_to(carla.press("✕ 15 september 2027"), "is weggehaald")
    opened = await reply_to(carla.press("« Terug"), "15 april 2027")

    # End it, with a confirmation; the button shown before the end is then refused.
    old = opened.button("Wijzigen")["callback_data"]
    await reply_to(carla.press("Beëindigen"), "beëindigen?")
    ended = await reply_to(
        carla.press("Ja, beëindigen"), "De deelopdracht is beëindigd.", "⏹ Beëindigd."
    )
    assert not ended.has_button("Beëindigen")
    await carla.press_data(old, ended)
    assert "niet meer actueel" in (carla.last_callback_answer.text or "")
    listed = await reply_to(carla.press("« Lijst"))
    assert "⏹ WIJ Venlo outreach (wij-venlo)" in listed.button_labels
    done = await reply_to(carla.press("« Gemeenten"))
    assert "Venlo (1)" in done.button_labels
    await carla.press("Klaar")
    await carla.press_data(old, ended)
    assert "al gesloten" in (carla.last_callback_answer.text or "")

    deel, measures, moments, audits = await rows(bot)
    (d,) = deel
    assert (d.code, d.title, d.starts_on, d.ends_on, d.active) == (
        "wij-venlo",
        "WIJ Venlo outreach",
        date(2027, 1, 1),
        bot.clock.now().date(),  # ended today, before its planned end
        False,
    )
    assert d.goals == "Inwoners bereiken die geen hulp zoeken."
    assert [(m.kind, m.target, m.window_months, m.filter, m.label) for m in measures] == [
        ("new_residents", 25, 6, {"activity": ["outreach"]}, ""),
        ("went_on", 80, None, None, "Doorstroom naar preventie"),
    ]
    assert [m.on_date for m in moments] == [date(2027, 4, 15)]
    assert audits == [
        ("deelopdracht", "create", carla_id),
        ("deelopdracht_measure", "create", carla_id),
        ("deelopdracht_measure", "create", carla_id),
        ("deelopdracht", "edit", carla_id),
        ("deelopdracht_moment", "create", carla_id),
        ("deelopdracht_moment", "create", carla_id),
        ("deelopdracht_moment", "delete", carla_id),
        ("deelopdracht", "edit", carla_id),
    ]


async def test_a_measure_is_removed_and_an_imported_one_is_shown(bot, cli_env):
    assert await cli("deelopdracht", "import", str(EXAMPLE)) == 0
    carla = await bot.coordinator("Carla")
    await carla.says("/deelopdracht")
    await carla.press("Venlo")
    await reply_to(
        carla.press("wij-venlo"),
        "1. Nieuwe inwoners bereikt via outreach, eerste halfjaar: 25, binnen 6 maanden na de "
        f"start (Soort inzet: {OUTREACH})",
        "5. Bereikte inwoners die doorstroomden naar (preventieve) voorzieningen: 80%, "
        "hele periode",
        "15 april 2027, 15 september 2027",
    )
    choose = await reply_to(carla.press("Meetpunt weg"))
    old = choose.button("✕ 3.")["callback_data"]
    done = await reply_to(carla.press("✕ 3."), "Het meetpunt is weggehaald.")
    await carla.press_data(old, done)  # the same button again: nothing more removed
    assert "niet meer actueel" in (carla.last_callback_answer.text or "")
    _deel, measures, _moments, audits = await rows(bot)
    assert [m.kind for m in measures] == [
        "new_residents",
        "new_residents",
        "non_use_known",
        "went_on",
    ]
    assert audits.count(("deelopdracht_measure", "delete", (await bot.app_user(carla)).id)) == 1


async def test_experts_and_residents_get_nothing(bot, cli_env):
    assert await cli("deelopdracht", "import", str(EXAMPLE)) == 0
    anna = await bot.expert("Anna")
    sam = bot.resident("Sam")
    for person, refusal in (
        (anna, "alleen de coördinator"),
        (sam, "alleen voor ervaringsdeskundigen"),
    ):
        refused = await reply_to(person.says("/deelopdracht"), refusal)
        assert not refused.keyboard
    # A coordinator's button pressed by an expert does nothing either.
    carla = await bot.coordinator("Carla")
    menu = await reply_to(carla.says("/deelopdracht"))
    data = menu.button("Venlo")["callback_data"]
    await anna.press_data(data, menu)
    assert "coördinator" in (anna.last_callback_answer.text or "")
    before = await rows(bot)
    assert len(before[0]) == 1 and before[0][0].active


async def test_the_contact_dialogue_offers_a_new_one_at_once_and_an_ended_one_no_more(bot):
    """The contact dialogue's cached lists are read again after a change (list version)."""
    carla = await bot.coordinator("Carla")
    anna = await bot.expert("Anna")
    entry = "/contact 45 min inloop Venlo armoede 1 nieuw"
    summary = await reply_to(anna.says(entry))
    assert "Deelopdracht" not in summary.text, summary.text  # none yet (and now cached)
    await anna.says("/annuleer")

    await create_deelopdracht(carla, "Buurtwerk Blerick", "1-11-2026")
    # The only active one in the municipality is the contact's default (issue 12).
    await reply_to(anna.says(entry), "Deelopdracht: Buurtwerk Blerick")
    await anna.says("/annuleer")

    await tap_through(carla, ["Beëindigen", "Ja, beëindigen"])
    bot.clock.advance(days=1)  # it ran until today: a contact of tomorrow no longer takes it
    summary = await reply_to(anna.says(entry))
    assert "Deelopdracht" not in summary.text, summary.text

    log = "\n".join((await carla.says("/logboek")).texts)
    assert "deelopdracht #" in log and "(create)" in log and "active: ja → nee" in log, log


async def test_an_ended_deelopdracht_can_be_reopened_until_a_new_end_date(bot):
    """Ended by mistake (or to be extended): Heropenen asks for a new end date; a date in the
    past is refused and the step stays; then it is offered to the experts again, audited."""
    carla = await bot.coordinator("Carla")
    anna = await bot.expert("Anna")
    await create_deelopdracht(carla, "Buurtwerk Blerick", "1-11-2026")
    await tap_through(carla, ["Beëindigen"])
    ended = await reply_to(carla.press("Ja, beëindigen"), "⏹ Beëindigd.")
    assert ended.has_button("Heropenen") and not ended.has_button("Beëindigen")
    bot.clock.advance(days=1)  # it ran until today (17 November): tomorrow it is not offered
    entry = "/contact 45 min inloop Venlo armoede 1 nieuw"
    summary = await reply_to(anna.says(entry))
    assert "Deelopdracht" not in summary.text, summary.text
    await anna.says("/annuleer")

    await carla.says("/deelopdracht")  # a new day: the dialogue of yesterday has expired
    await tap_through(carla, ["Venlo", "Buurtwerk Blerick"])
    await reply_to(carla.press("Heropenen"), "Buurtwerk Blerick heropenen", "Tot wanneer")
    await reply_to(carla.says("16-11-2026"), "Die datum is al voorbij", "Tot wanneer")
    await reply_to(carla.says("31-2"), "Dat is geen datum", "Tot wanneer")
    await reply_to(carla.says("31-10-2026"), "al voorbij")
    reopened = await reply_to(
        carla.press("12 maanden"),
        "De deelopdracht loopt weer, tot en met 17 november 2027.",
        "1 november 2026 t/m 17 november 2027",
    )
    assert "Beëindigd" not in reopened.text
    assert reopened.has_button("Beëindigen") and not reopened.has_button("Heropenen")
    (d,), *_ = await rows(bot)
    assert (d.active, d.ends_on) == (True, date(2027, 11, 17))
    await reply_to(anna.says(entry), "Deelopdracht: Buurtwerk Blerick")
    log = "\n".join((await carla.says("/logboek")).texts)
    assert "active: ja → nee" in log and "active: nee → ja" in log, log


async def test_a_measures_target_is_changed_in_place(bot):
    """No remove-and-add for a mistyped target: the measure keeps its place, window and filter;
    a bad target is refused with what is accepted and the step stays; audited as an edit."""
    carla = await bot.coordinator("Carla")
    await create_deelopdracht(carla, "Buurtwerk Blerick", "1-11-2026")
    await add_measure(carla, "Contacten", "10", "Hele periode")
    await add_measure(
        carla, "Nieuwe inwoners", "100", "binnen 3 maanden", "Soort inzet", OUTREACH, "Klaar"
    )
    await add_measure(carla, "Doorgestroomd", "80%", "Hele periode")
    picked = await reply_to(carla.press("Doel van een meetpunt wijzigen"), "Van welk meetpunt")
    assert picked.button_labels[:3] == [
        "1. Contacten",
        "2. Nieuwe inwoners bereikt",
        "3. Doorgestroomd naar voorzieningen",
    ]
    await reply_to(
        carla.press("2. Nieuwe inwoners bereikt"),
        "2. Nieuwe inwoners bereikt: 100, binnen 3 maanden na de start",
        "Typ het nieuwe doel als getal",
    )
    await reply_to(carla.says("veel"), "heel getal", "Typ het nieuwe doel als getal")
    await reply_to(
        carla.says("150"),
        "Het doel is gewijzigd.",
        f"2. Nieuwe inwoners bereikt: 150, binnen 3 maanden na de start (Soort inzet: {OUTREACH})",
        "1. Contacten: 10, hele periode",
    )
    await tap_through(carla, ["Doel van een meetpunt wijzigen", "3. Doorgestroomd"])
    await reply_to(carla.says("120%"), "percentage van 0 tot 100", "als percentage")
    await reply_to(
        carla.says("75%"), "Het doel is gewijzigd.", "3. Doorgestroomd naar voorzieningen: 75%"
    )
    _deel, measures, _moments, audits = await rows(bot)
    assert [(m.position, m.kind, m.target, m.window_months) for m in measures] == [
        (0, "contacts", 10, None),
        (1, "new_residents", 150, 3),
        (2, "went_on", 75, None),
    ]
    assert audits.count(("deelopdracht_measure", "edit", (await bot.app_user(carla)).id)) == 2


async def test_an_open_deelopdracht_shows_its_progress_today(bot):
    """Contacts logged under it count (bot.storage.deel_progress); a filter and a window too."""
    carla = await bot.coordinator("Carla")
    anna = await bot.expert("Anna")
    await create_deelopdracht(carla, "Buurtwerk Blerick", "1-11-2026")
    await add_measure(carla, "Contacten", "10", "Hele periode")
    await add_measure(
        carla, "Nieuwe inwoners", "100", "binnen 3 maanden", "Soort inzet", OUTREACH, "Klaar"
    )
    deel, *_ = await rows(bot)
    expert_id = (await bot.app_user(anna)).id
    refs = await refs_of(bot)
    venlo, acts = refs["muni"]["Venlo"], refs["activity"]
    async with transaction(session_factory(bot.engine)) as s:
        for day, act, new in (
            (date(2026, 11, 3), "outreach", 4),
            (date(2026, 11, 10), "inloop", 5),
            (date(2026, 11, 16), "outreach", 2),
            (date(2026, 10, 30), "outreach", 9),  # before the start: not counted
        ):
            await add_contact(
                s,
                expert_id,
                day,
                30,
                venlo,
                acts[act],
                deelopdracht_id=deel[0].id,
                residents_count=new,
                residents_new=new,
            )
        await add_contact(s, expert_id, date(2026, 11, 5), 30, venlo, acts["outreach"])
    await carla.press("« Lijst")
    await reply_to(
        carla.press("Buurtwerk Blerick"),
        "Stand op 17 november 2026",
        "• Contacten: 3 van 10 — op schema",
        # 6 of 100 within the first 3 months: 17 of 92 days gone, 18,5 expected by now.
        "• Nieuwe inwoners bereikt (eerste 3 maanden): 6 van 100 — achter op schema",
    )


async def test_municipality_and_a_short_text_changed(bot, cli_env, tmp_path):
    munis = (await refs_of(bot))["muni"]
    async with transaction(session_factory(bot.engine)) as s:
        s.add(Vindplek(municipality_id=munis["Venlo"], name="De Kolk"))
    with_place = EXAMPLE.read_text(encoding="utf-8").replace(
        "    target: 5\n", "    target: 5\n    filter:\n      vindplek: [De Kolk]\n"
    )
    path = tmp_path / "with_place.yaml"
    path.write_text(with_place, encoding="utf-8")
    assert await cli("deelopdracht", "import", str(path)) == 0
    carla = await bot.coordinator("Carla")
    await carla.says("/deelopdracht")
    await carla.press("Venlo")
    with_filter = "Sleutelfiguren met goed contact: 5, hele periode (Vindplek: De Kolk)"
    await reply_to(carla.press("wij-venlo"), with_filter)
    await tap_through(carla, ["Wijzigen", "Frequentie"])
    await reply_to(carla.says("jaarlijks"), "Frequentie: jaarlijks")
    move = ["Wijzigen", "Gemeente", "Weert"]
    await reply_to(tap_through(carla, move), "Haal dat meetpunt eerst weg.")
    await tap_through(carla, ["« Terug", "Meetpunt weg", "✕ 3."])
    await reply_to(
        tap_through(carla, move), "Gemeente is gewijzigd.", "Weert · korte naam: wij-venlo"
    )
    await reply_to(carla.press("« Lijst"), "Weert")
    deel, *_ = await rows(bot)
    assert deel[0].municipality_id == munis["Weert"] and deel[0].frequency == "jaarlijks"


async def test_a_target_is_read_the_dutch_way_and_an_unclear_one_is_refused(bot):
    """Audit finding 2: "1.000" is a thousand (not 1); "1.5" for a count is refused with what
    is accepted, and the step stays; a share takes a decimal comma."""
    carla = await bot.coordinator("Carla")
    await create_deelopdracht(carla, "Buurtwerk Blerick", "1-11-2026")
    await add_measure(carla, "Contacten", "1.000", "Hele periode")
    await add_measure(carla, "Doorgestroomd", "80,5%", "Hele periode")
    await tap_through(carla, ["Doel van een meetpunt wijzigen", "1. Contacten"])
    await reply_to(
        carla.says("1.5"),
        "Ik weet niet zeker wat je met 1.5 bedoelt. Typ een heel getal, bijvoorbeeld 25 of 1.000.",
        "Typ het nieuwe doel als getal",
    )
    await reply_to(
        carla.says("12.500"), "Het doel is gewijzigd.", "1. Contacten: 12.500, hele periode"
    )
    _deel, measures, _moments, _audits = await rows(bot)
    assert [(m.kind, m.target) for m in measures] == [("contacts", 12500), ("went_on", 80.5)]


async def test_a_back_dated_contact_still_belongs_to_a_deelopdracht_ended_since(bot):
    """Audit finding 4: which deelopdrachten a contact can belong to depends on the contact's
    day lying in their period, not on whether they still run today. Ended on 17 November,
    a contact typed on the 18th for the 17th (or earlier) still takes it: as the default, as
    a button, by its short name and in /corrigeer; a contact of the 18th does not."""
    carla = await bot.coordinator("Carla")
    anna = await bot.expert("Anna")
    await create_deelopdracht(carla, "Buurtwerk Blerick", "1-11-2026", code="buurtwerk")
    await tap_through(carla, ["Beëindigen"])
    await reply_to(
        carla.press("Ja, beëindigen"), "De deelopdracht is beëindigd.", "t/m 17 november 2026"
    )
    bot.clock.advance(days=1)  # Wednesday 18 November
    entry = "45 min inloop Blerick armoede 2 nieuw"

    summary = await reply_to(anna.says(f"/contact {entry}"))
    assert "Deelopdracht" not in summary.text, summary.text  # after its end
    await anna.says("/annuleer")
    await reply_to(
        anna.says(f"/contact {entry} buurtwerk"),
        "De deelopdracht Buurtwerk Blerick loopt niet op woensdag 18 november.",
    )
    await anna.says("/annuleer")
    # Back-dated inside its period: the default, as before it ended.
    await reply_to(anna.says(f"/contact gisteren {entry}"), "Deelopdracht: Buurtwerk Blerick")
    await anna.press("Opslaan")
    await reply_to(
        anna.says(f"/contact 16-11 {entry} buurtwerk"), "Deelopdracht: Buurtwerk Blerick"
    )
    await anna.press("Opslaan")
    saved = await all_rows(bot, Contact, order_by=Contact.id)
    deel_id = (await rows(bot))[0][0].id
    assert [(c.work_date, c.deelopdracht_id) for c in saved] == [
        (date(2026, 11, 17), deel_id),
        (date(2026, 11, 16), deel_id),
    ]

    # With a second one running, the back-dated contact has both as buttons (no default);
    # today's contact takes the running one.
    await create_deelopdracht(carla, "Taalcafé Venlo", "1-11-2026", code="taalcafe")
    await reply_to(anna.says(f"/contact gisteren {entry}"), "Deelopdracht: –")
    asked = await reply_to(anna.press("Deelopdracht"), "Hoort dit contact bij een deelopdracht")
    assert {"Buurtwerk Blerick", "Taalcafé Venlo"} <= set(asked.button_labels)
    await anna.says("/annuleer")
    await reply_to(anna.says(f"/contact {entry}"), "Deelopdracht: Taalcafé Venlo")
    await anna.says("/annuleer")

    # /corrigeer: the deelopdracht's buttons follow the contact's day.
    await anna.says("/corrigeer")
    await tap_through(anna, ["di 17 nov", "Alles aanpassen"])
    step = await reply_to(anna.press("Deelopdracht"), "Hoort dit contact bij een deelopdracht")
    assert {"Buurtwerk Blerick", "Taalcafé Venlo"} <= {
        label.lstrip("✓ ") for label in step.button_labels
    }


async def test_reopening_takes_a_short_date_and_offers_the_planned_end(bot):
    """Audit findings 12 and 25: a date without a year ("31-12") is its next occurrence, as
    elsewhere; the end date it had before it was ended is offered as a button while it is
    still ahead."""
    carla = await bot.coordinator("Carla")
    await create_deelopdracht(carla, "Buurtwerk Blerick", "1-11-2026")  # t/m 31 oktober 2027
    await tap_through(carla, ["Beëindigen", "Ja, beëindigen"])
    step = await reply_to(carla.press("Heropenen"), "bijvoorbeeld 31-12")
    assert step.has_button("Tot 31 oktober 2027, zoals gepland")
    await reply_to(
        carla.says("31-12"),
        "De deelopdracht loopt weer, tot en met 31 december 2026.",
        "1 november 2026 t/m 31 december 2026",
    )
    (d,), *_ = await rows(bot)
    assert (d.active, d.ends_on) == (True, date(2026, 12, 31))

    # Ended again: the button now offers 31 December, its end before this ending.
    await tap_through(carla, ["Beëindigen", "Ja, beëindigen"])
    step = await reply_to(carla.press("Heropenen"))
    assert step.has_button("Tot 31 december 2026, zoals gepland")
    assert not step.has_button("Tot 31 oktober 2027, zoals gepland")
    await reply_to(
        carla.press("Tot 31 december 2026, zoals gepland"),
        "De deelopdracht loopt weer, tot en met 31 december 2026.",
    )
    # A short date already past this year is next year's.
    await tap_through(carla, ["Beëindigen", "Ja, beëindigen", "Heropenen"])
    await reply_to(carla.says("1-11"), "De deelopdracht loopt weer, tot en met 1 november 2027.")
    (d,), *_ = await rows(bot)
    assert (d.active, d.ends_on) == (True, date(2027, 11, 1))
