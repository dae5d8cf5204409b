"""/sleutelfiguur (issue 12) through the fake Bot API on SQLite and PostgreSQL: an expert adds
key figures (role, municipality, place, since when, contact, deelopdracht), lists them,
changes the contact, ends and deletes one; a name as role is refused and the dialogue stays at
the role step; a double tap or an old button saves nothing twice; a resident gets nothing; the
coordinator sees counts and roles per municipality, never who or where."""

from __future__ import annotations

import re
from datetime import date

from bot.storage.db import session_factory, transaction
from bot.storage.models import (
    AuditLog,
    Deelopdracht,
    KeyFigure,
    Village,
)
from tests.helpers import all_rows, draft_of, muni_id, one_row
from tests.journeys import add_key_figure, reply_to, says_each, tap_through

NAME_REFUSED = "Geef een rol, geen naam"


async def key_figures(bot) -> list[KeyFigure]:
    return await all_rows(bot, KeyFigure)


async def draft_state(bot, person) -> str | None:
    draft = await draft_of(bot, person, "sleutelfiguur")
    return draft.state if draft else None


async def test_add_list_change_end_and_delete(bot):
    anna = await bot.expert("Anna", gemeente="Venlo")
    first = await reply_to(anna.says("/sleutelfiguur"), "Je hebt nog geen sleutelfiguren")
    assert "Overzicht per gemeente" not in first.button_labels  # an expert only
    await reply_to(anna.press("Nieuwe sleutelfiguur"), "Typ de rol, geen naam", last=True)

    # A name is refused with what to give instead; the dialogue stays at the role step.
    for name in ("Jan Jansen", "meneer X", "mevrouw de Vries", "Jan", "huisarts Pietersen"):
        await reply_to(anna.says(name), NAME_REFUSED, "kapper")
        assert await draft_state(bot, anna) == "role"
    await reply_to(anna.says("kapper 06-12345678"), "telefoonnummer")
    assert await draft_state(bot, anna) == "role"

    muni = await reply_to(anna.says("kapper"), "In welke gemeente?")
    assert muni.button_labels[0] == "Venlo (jouw gemeente)"
    place = await reply_to(anna.press("Venlo (jouw gemeente)"), "Waar in Venlo?", last=True)
    assert "Blerick" in place.button_labels
    since = await reply_to(anna.press("Blerick"), "Sinds wanneer", last=True)
    # Short B1 help: at most three short sentences after the question, two or three examples.
    help_text = since.text.split("Sinds wanneer heb je contact?")[1].strip()
    assert len(re.findall(r"[.?!](?:\s|$)", help_text)) <= 3, help_text
    assert help_text.count(",") <= 2 and "telt vanaf" not in help_text, help_text
    await reply_to(anna.says("morgen"), "in de toekomst", "vorig jaar")
    await reply_to(anna.says("al een tijdje"), "herken ik niet als datum", "1 maart")
    assert await draft_state(bot, anna) == "since"
    await reply_to(anna.says("sinds maart"), "Hoe is het contact?")
    summary = (await anna.press("Goed contact")).last
    # Venlo has no active deelopdracht: not asked, not shown.
    assert "deelopdracht" not in summary.text.lower()
    assert "Plek: Blerick" in summary.text and "Sinds: 1 maart 2026" in summary.text
    save = summary.button("Opslaan")["callback_data"]
    kapper = "kapper — Blerick, Venlo · sinds 1 maart 2026 · "  # its line in the list
    await reply_to(anna.press("Opslaan"), "Opgeslagen: kapper.", f"{kapper}contact goed", last=True)
    # A double tap on Opslaan: nothing saved twice.
    await anna.press_data(save, summary)
    assert "al opgeslagen" in anna.last_callback_answer.text
    [row] = await key_figures(bot)
    village = await one_row(bot, Village, Village.id == row.village_id)
    assert (row.role, row.since, row.quality, village.name) == (
        "kapper",
        date(2026, 3, 1),
        "goed",
        "Blerick",
    )
    assert row.municipality_id == await muni_id(bot, "Venlo") and row.ended_on is None

    # A second one, through the shortcut with the role typed after the command.
    await add_key_figure(anna, "voorzitter buurtvereniging", quality="Af en toe contact")
    listing = anna.last_reply.text
    assert "voorzitter buurtvereniging — Venlo · sinds 17 november 2026 · contact af en toe" in (
        listing
    )

    # Contact now occasional, then ended.
    await reply_to(anna.press("kapper (Blerick)"), "contact goed", last=True)
    changed = await reply_to(
        anna.press("Contact nu af en toe"), "Opgeslagen: contact nu af en toe.", last=True
    )
    back_to_good = changed.button("Contact nu goed")["callback_data"]
    ended = anna.press("Geen contact meer")
    await reply_to(ended, "Geen contact meer:", f"{kapper}geen contact meer sinds", last=True)
    rows = {r.role: r for r in await key_figures(bot)}
    assert rows["kapper"].quality == "af_en_toe" and rows["kapper"].ended_on == date(2026, 11, 17)
    # An old button (the item's, before it ended) changes nothing.
    await anna.press_data(back_to_good, changed)
    assert "niet meer actueel" in anna.last_callback_answer.text
    assert {r.role: r.quality for r in await key_figures(bot)}["kapper"] == "af_en_toe"

    # Delete the other one (soft): it leaves the list.
    await tap_through(anna, ["voorzitter buurtvereniging (Venlo)", "Verwijderen"])
    gone = await reply_to(
        anna.press("Ja, verwijderen"), "voorzitter buurtvereniging is verwijderd.", last=True
    )
    assert "voorzitter buurtvereniging —" not in gone.text
    rows = {r.role: r for r in await key_figures(bot)}
    assert rows["voorzitter buurtvereniging"].deleted_at is not None
    await reply_to(anna.press("Klaar"), "/sleutelfiguur", last=True)
    anna.assert_callbacks_answered()

    # Everything audited: two created, a quality change, an end, a delete.
    audit = await all_rows(bot, AuditLog, AuditLog.entity == "key_figure")
    actions = sorted(a.action for a in audit)
    assert actions == ["create", "create", "delete", "edit", "edit"]
    assert {a.actor_id for a in audit} == {(await bot.app_user(anna)).id}


async def test_typed_answers_back_and_the_deelopdracht_step(bot):
    anna = await bot.expert("Anna", gemeente="Venlo")
    venray = await muni_id(bot, "Venray")
    async with transaction(session_factory(bot.engine)) as s:
        # One running this year, one that ended last year.
        for code, title, year in (
            ("venray-outreach", "Outreach Venray", 2026),
            ("venray-oud", "Oud Venray", 2025),
        ):
            s.add(
                Deelopdracht(
                    municipality_id=venray,
                    code=code,
                    title=title,
                    starts_on=date(year, 1, 1),
                    ends_on=date(year, 12, 31),
                )
            )
    await anna.says("/sleutelfiguur")
    await anna.press("Nieuwe sleutelfiguur")
    await anna.says("huisarts")
    await reply_to(anna.says("Amsterdam"), "Die gemeente ken ik niet")
    await reply_to(anna.says("Oostrum"), "Waar in Venray?")  # a village of Venray
    # « Terug goes back one step; the answer before it is asked again.
    await reply_to(anna.press("« Terug"), "In welke gemeente?", last=True)
    await anna.says("venray")
    await reply_to(anna.says("Blerick"), "Die plek ken ik niet in deze gemeente")
    await says_each(anna, "oostrum", "vorig jaar")
    deel_step = await reply_to(anna.says("af en toe"), "deelopdracht van Venray")
    assert "Outreach Venray" in deel_step.button_labels
    assert "Oud Venray" not in deel_step.button_labels  # ended
    chosen = anna.press("Outreach Venray")
    await reply_to(chosen, "Deelopdracht: Outreach Venray", "Sinds: 1 januari 2025", last=True)
    await anna.press("Opslaan")
    [row] = await key_figures(bot)
    assert (row.role, row.municipality_id, row.quality, row.since) == (
        "huisarts",
        venray,
        "af_en_toe",
        date(2025, 1, 1),
    )
    assert row.deelopdracht_id is not None and row.village_id is not None
    anna.assert_callbacks_answered()


async def test_a_resident_gets_nothing(bot):
    anna = await bot.expert("Anna")
    await add_key_figure(anna, "kapper")
    item_data = anna.last_reply.button("kapper (Venlo)")["callback_data"]
    sam = bot.resident("Sam")
    reply = await reply_to(sam.says("/sleutelfiguur"), "alleen voor ervaringsdeskundigen")
    assert "kapper" not in reply.text
    # Someone else's button, pressed by a resident: refused before any journey sees it.
    await sam.says("/start")
    await sam.press_data(item_data, sam.last_reply)
    assert "alleen voor ervaringsdeskundigen" in sam.last_callback_answer.text
    assert len(await key_figures(bot)) == 1


async def test_the_coordinator_sees_counts_and_roles_per_municipality(bot):
    carla = await bot.coordinator("Carla")
    empty = await reply_to(carla.says("/sleutelfiguur"), "nog geen sleutelfiguren")
    assert "Nieuwe sleutelfiguur" not in empty.button_labels
    anna = await bot.expert("Anna", gemeente="Venlo")
    bert = await bot.expert("Bert", gemeente="Venlo")
    vera = await bot.expert("Vera", gemeente="Venray")
    await add_key_figure(anna, "kapper", place="Blerick")
    await add_key_figure(bert, "Kapper", quality="Af en toe contact")
    await add_key_figure(anna, "huisarts")
    await add_key_figure(vera, "imam")
    await add_key_figure(vera, "wijkagent")
    # Vera's wijkagent: no contact any more, so not counted.
    await tap_through(vera, ["wijkagent (Venray)", "Geen contact meer"])

    overview = await reply_to(carla.says("/sleutelfiguur"), "Sleutelfiguren per gemeente")
    text, html = overview.text, overview.source_text
    assert "Venlo</b>: 2 met goed contact, 1 af en toe\nkapper (2), huisarts (1)" in html
    assert "Venray</b>: 1 met goed contact, 0 af en toe\nimam (1)" in html
    assert "wijkagent" not in text
    for secret in ("Anna", "Bert", "Vera", "Blerick"):
        assert secret not in text
    assert overview.button_labels == ["Klaar"]
    # A coordinator who is no expert can't add one, not even with a made-up button.
    made_up = overview.button("Klaar")["callback_data"].removesuffix(":x") + ":add"
    await carla.press_data(made_up, overview)
    assert "ken ik niet" in carla.last_callback_answer.text
    assert await draft_state(bot, carla) == "overview"
    assert "Sleutelfiguren per gemeente" in overview.text

    # A coordinator who also works as an expert: their own list, and the overview.
    from bot.storage import team

    user = await bot.app_user(carla)
    async with transaction(session_factory(bot.engine)) as s:
        await team.change(s, user.id, None, bot.clock.now(), also_expert=True)
    own = await reply_to(carla.says("/sleutelfiguur"), "Je hebt nog geen sleutelfiguren")
    assert "Overzicht per gemeente" in own.button_labels
    overview = carla.press("Overzicht per gemeente")
    again = await reply_to(overview, "kapper (2), huisarts (1)", last=True)
    assert "« Mijn sleutelfiguren" in again.button_labels
    carla.assert_callbacks_answered()


async def test_half_way_after_a_restart_goes_on_where_it_was(bot):
    anna = await bot.expert("Anna", gemeente="Venlo")
    await anna.says("/sleutelfiguur huisarts")
    old = (await anna.press("(jouw gemeente)")).last
    blerick = old.button("Blerick")["callback_data"]
    await bot.restart()
    await reply_to(anna.says("/sleutelfiguur"), "Je was hier nog mee bezig", "Waar in Venlo?")
    # The buttons shown before the resume no longer work.
    await anna.press_data(blerick, old)
    assert "niet meer actueel" in anna.last_callback_answer.text
    await anna.press("Blerick")
    await anna.says("1-9-2026")
    await tap_through(anna, ["Goed contact", "Opslaan"])
    [row] = await key_figures(bot)
    assert (row.role, row.since) == ("huisarts", date(2026, 9, 1))

    # Half-way again: start over from the role.
    await says_each(anna, "/sleutelfiguur kapper", "/sleutelfiguur")
    await reply_to(anna.press("Opnieuw beginnen"), "Welke rol heeft deze persoon?", last=True)
    await reply_to(anna.press("Stoppen"), "Er is niets opgeslagen", last=True)
    assert len(await key_figures(bot)) == 1
    anna.assert_callbacks_answered()
