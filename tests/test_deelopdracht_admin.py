"""/deelopdracht through the fake Bot API on SQLite and PostgreSQL: a coordinator creates a
deelopdracht with two measures (one with a filter and a window), edits a field, adds and
removes a reporting moment, ends it; every change audited; an old button after the end is
refused; a restart keeps the draft; bad input keeps the step; experts and residents get
nothing."""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select

from bot.storage.db import session_factory, transaction
from bot.storage.models import (
    ActivityType,
    AuditLog,
    Deelopdracht,
    DeelopdrachtMeasure,
    DeelopdrachtMoment,
    Municipality,
    Vindplek,
)
from tests.helpers import add_contact
from tests.test_cli_deelopdracht import EXAMPLE
from tests.test_team import cli
from tests.test_team import cli_env as cli_env  # the fixture

OUTREACH = "outreach op vindplek (straat, huis-aan-huis)"


async def rows(bot):
    async with session_factory(bot.engine)() as s:
        deel = (await s.exec(select(Deelopdracht))).all()
        measures = (
            await s.exec(
                select(DeelopdrachtMeasure)
                .where(col(DeelopdrachtMeasure.deleted_at).is_(None))
                .order_by(DeelopdrachtMeasure.position)
            )
        ).all()
        moments = (await s.exec(select(DeelopdrachtMoment))).all()
        audits = [
            (a.entity, a.action, a.actor_id)
            for a in (
                await s.exec(
                    select(AuditLog)
                    .where(col(AuditLog.entity).startswith("deelopdracht"))
                    .order_by(AuditLog.id)
                )
            ).all()
        ]
    return deel, measures, moments, audits


async def test_coordinator_creates_edits_and_ends_a_deelopdracht(bot):
    carla = await bot.coordinator("Carla")
    carla_id = (await bot.app_user(carla)).id
    first = (await carla.says("/deelopdracht")).only
    assert "Deelopdrachten van welke gemeente?" in first.text
    await carla.press("Venlo")
    step = (await carla.press("Nieuwe deelopdracht")).only
    assert "Nieuwe deelopdracht in Venlo" in step.text
    bad = (await carla.says("ab")).only
    assert "minstens 3 letters" in bad.text and "Typ de titel" in bad.text  # stays
    step = (await carla.says("WIJ Venlo outreach")).only
    assert step.has_button("Gebruik wij-venlo-outreach")
    bad = (await carla.says("wij venlo")).only
    assert "zonder spaties" in bad.text
    step = (await carla.says("wij-venlo")).only
    assert "Wanneer begint" in step.text
    bad = (await carla.says("1 januari")).only
    assert "met het jaartal" in bad.text
    step = (await carla.says("1 januari 2027")).only
    assert "Begint op 1 januari 2027" in step.text
    opened = (await carla.press("12 maanden")).only
    assert "Opgeslagen." in opened.text
    assert "1 januari 2027 t/m 31 december 2027" in opened.text
    assert "Nog geen meetpunten." in opened.text

    # Measure 1: new residents, 25 within 6 months, only outreach.
    await carla.press("Meetpunt erbij")
    await carla.press("Nieuwe inwoners")
    bad = (await carla.says("veel")).only
    assert "heel getal" in bad.text
    await carla.says("25")
    await carla.press("binnen 6 maanden na de start")
    await carla.press("Soort inzet")
    picked = (await carla.press(OUTREACH)).only
    assert f"✓ {OUTREACH}" in picked.button_labels, picked.buttons
    await carla.press("Klaar")
    filtered = (await carla.press("Soort inzet (1)")).only
    await carla.press("Klaar", message=filtered)
    saved = (await carla.press("Opslaan")).only
    assert "Het meetpunt is toegevoegd." in saved.text
    assert (
        f"1. Nieuwe inwoners bereikt: 25, binnen 6 maanden na de start (Soort inzet: {OUTREACH})"
        in saved.text
    )

    # Measure 2: went on, 80%, whole period; survives a restart mid-way.
    await carla.press("Meetpunt erbij")
    await carla.press("Doorgestroomd")
    await bot.restart()
    bad = (await carla.says("120%")).only
    assert "percentage van 0 tot 100" in bad.text
    await carla.says("80%")
    await carla.press("Hele periode")
    await carla.press("Eigen omschrijving")
    bad = (await carla.says("Bij mevrouw Jansen")).only
    assert "Dit sla ik niet op" in bad.text
    await carla.says("Doorstroom naar preventie")
    saved = (await carla.press("Opslaan")).only
    assert "2. Doorstroom naar preventie: 80%, hele periode" in saved.text
    # Progress today (the deelopdracht starts next year).
    assert "Stand op 17 november 2026" in saved.text
    assert (
        "• Nieuwe inwoners bereikt (eerste 6 maanden): 0 van 25 — nog niet begonnen" in saved.text
    )
    assert "• Doorstroom naar preventie: nog geen gegevens (doel 80 %)" in saved.text

    # Edit one field; add a reporting moment twice (once stored), remove one.
    await carla.press("Wijzigen")
    asking = (await carla.press("Doelen")).only
    assert "Typ de nieuwe tekst voor doelen" in asking.text
    refused = (await carla.says("Bel mevrouw op 0612345678 over de aanpak")).only
    assert "telefoonnummer" in refused.text
    edited = (await carla.says("Inwoners bereiken die geen hulp zoeken.")).only
    assert "Doelen is gewijzigd." in edited.text
    assert "Doelen: Inwoners bereiken die geen hulp zoeken." in edited.text
    await carla.press("Rapportagemomenten")
    added = (await carla.says("15-4-2027")).only
    assert "15 april 2027 is toegevoegd." in added.text
    again = (await carla.says("15-4-2027")).only
    assert "staat er al" in again.text
    await carla.says("15-9-2027")
    removed = (await carla.press("✕ 15 september 2027")).only
    assert "is weggehaald" in removed.text
    opened = (await carla.press("« Terug")).only
    assert "15 april 2027" in opened.text

    # End it, with a confirmation; the button shown before the end is then refused.
    old = opened.button("Wijzigen")["callback_data"]
    confirm = (await carla.press("Beëindigen")).only
    assert "beëindigen?" in confirm.text
    ended = (await carla.press("Ja, beëindigen")).only
    assert "De deelopdracht is beëindigd." in ended.text and "⏹ Beëindigd." in ended.text
    assert not ended.has_button("Beëindigen")
    await carla.press_data(old, ended)
    assert "niet meer actueel" in (carla.last_callback_answer.text or "")
    listed = (await carla.press("« Lijst")).only
    assert "⏹ WIJ Venlo outreach (wij-venlo)" in listed.button_labels
    done = (await carla.press("« Gemeenten")).only
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
    opened = (await carla.press("wij-venlo")).only
    assert (
        "1. Nieuwe inwoners bereikt via outreach, eerste halfjaar: 25, binnen 6 maanden na de "
        f"start (Soort inzet: {OUTREACH})" in opened.text
    ), opened.text
    assert (
        "5. Bereikte inwoners die doorstroomden naar (preventieve) voorzieningen: 80%, "
        "hele periode" in opened.text
    )
    assert "15 april 2027, 15 september 2027" in opened.text
    choose = (await carla.press("Meetpunt weg")).only
    old = choose.button("✕ 3.")["callback_data"]
    done = (await carla.press("✕ 3.")).only
    assert "Het meetpunt is weggehaald." in done.text
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
    refused = (await anna.says("/deelopdracht")).only
    assert "alleen de coördinator" in refused.text and not refused.keyboard
    refused = (await sam.says("/deelopdracht")).only
    assert "alleen voor ervaringsdeskundigen" in refused.text and not refused.keyboard
    # A coordinator's button pressed by an expert does nothing either.
    carla = await bot.coordinator("Carla")
    menu = (await carla.says("/deelopdracht")).only
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
    summary = (await anna.says(entry)).only
    assert "Deelopdracht" not in summary.text, summary.text  # none yet (and now cached)
    await anna.says("/annuleer")

    await carla.says("/deelopdracht")
    await carla.press("Venlo")
    await carla.press("Nieuwe deelopdracht")
    await carla.says("Buurtwerk Blerick")
    await carla.press("Gebruik buurtwerk-blerick")
    await carla.says("1-11-2026")
    await carla.press("12 maanden")

    summary = (await anna.says(entry)).only
    # The only active one in the municipality is the contact's default (issue 12).
    assert "Deelopdracht: Buurtwerk Blerick" in summary.text, summary.text
    await anna.says("/annuleer")

    await carla.press("Beëindigen")
    await carla.press("Ja, beëindigen")
    summary = (await anna.says(entry)).only
    assert "Deelopdracht" not in summary.text, summary.text

    log = "\n".join((await carla.says("/logboek")).texts)
    assert "deelopdracht #" in log and "(create)" in log and "active: ja → nee" in log, log


async def test_an_open_deelopdracht_shows_its_progress_today(bot):
    """Contacts logged under it count (bot.storage.deel_progress); a filter and a window too."""
    carla = await bot.coordinator("Carla")
    anna = await bot.expert("Anna")
    await carla.says("/deelopdracht")
    await carla.press("Venlo")
    await carla.press("Nieuwe deelopdracht")
    await carla.says("Buurtwerk Blerick")
    await carla.press("Gebruik buurtwerk-blerick")
    await carla.says("1-11-2026")
    await carla.press("12 maanden")
    for kind, target in (("Contacten", "10"), ("Nieuwe inwoners", "100")):
        await carla.press("Meetpunt erbij")
        await carla.press(kind)
        await carla.says(target)
        await carla.press("binnen 3 maanden" if target == "100" else "Hele periode")
        if target == "100":
            await carla.press("Soort inzet")
            await carla.press(OUTREACH)
            await carla.press("Klaar")
        await carla.press("Opslaan")
    deel, *_ = await rows(bot)
    expert_id = (await bot.app_user(anna)).id
    async with transaction(session_factory(bot.engine)) as s:
        venlo = (await s.exec(select(Municipality).where(Municipality.name == "Venlo"))).one()
        acts = {a.code: a.id for a in (await s.exec(select(ActivityType))).all()}
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
                venlo.id,
                acts[act],
                deelopdracht_id=deel[0].id,
                residents_count=new,
                residents_new=new,
            )
        await add_contact(s, expert_id, date(2026, 11, 5), 30, venlo.id, acts["outreach"])
    await carla.press("« Lijst")
    opened = (await carla.press("Buurtwerk Blerick")).only
    assert "Stand op 17 november 2026" in opened.text, opened.text
    assert "• Contacten: 3 van 10 — op schema" in opened.text
    # 6 of 100 within the first 3 months: 17 of 92 days gone, 18,5 expected by now.
    assert "• Nieuwe inwoners bereikt (eerste 3 maanden): 6 van 100 — achter op schema" in (
        opened.text
    )


async def test_municipality_and_a_short_text_changed(bot, cli_env, tmp_path):
    async with transaction(session_factory(bot.engine)) as s:
        venlo = (await s.exec(select(Municipality).where(Municipality.name == "Venlo"))).one()
        s.add(Vindplek(municipality_id=venlo.id, name="De Kolk"))
    with_place = EXAMPLE.read_text(encoding="utf-8").replace(
        "    target: 5\n", "    target: 5\n    filter:\n      vindplek: [De Kolk]\n"
    )
    path = tmp_path / "with_place.yaml"
    path.write_text(with_place, encoding="utf-8")
    assert await cli("deelopdracht", "import", str(path)) == 0
    carla = await bot.coordinator("Carla")
    await carla.says("/deelopdracht")
    await carla.press("Venlo")
    opened = (await carla.press("wij-venlo")).only
    assert "Sleutelfiguren met goed contact: 5, hele periode (Vindplek: De Kolk)" in opened.text
    await carla.press("Wijzigen")
    await carla.press("Frequentie")
    edited = (await carla.says("jaarlijks")).only
    assert "Frequentie: jaarlijks" in edited.text
    await carla.press("Wijzigen")
    await carla.press("Gemeente")
    refused = (await carla.press("Weert")).only
    assert "Haal dat meetpunt eerst weg." in refused.text
    await carla.press("« Terug")
    await carla.press("Meetpunt weg")
    await carla.press("✕ 3.")
    await carla.press("Wijzigen")
    await carla.press("Gemeente")
    moved = (await carla.press("Weert")).only
    assert "Gemeente is gewijzigd." in moved.text and "Weert · korte naam: wij-venlo" in moved.text
    listed = (await carla.press("« Lijst")).only
    assert "Weert" in listed.text
    deel, *_ = await rows(bot)
    async with session_factory(bot.engine)() as s:
        weert = (await s.exec(select(Municipality).where(Municipality.name == "Weert"))).one()
    assert deel[0].municipality_id == weert.id and deel[0].frequency == "jaarlijks"
