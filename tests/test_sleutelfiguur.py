"""/sleutelfiguur (issue 12) through the fake Bot API on SQLite and PostgreSQL: an expert adds
key figures (role, municipality, place, since when, contact, deelopdracht), lists them,
changes the contact, ends and deletes one; a name as role is refused and the dialogue stays at
the role step; a double tap or an old button saves nothing twice; a resident gets nothing; the
coordinator sees counts and roles per municipality, never who or where."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from bot.storage.db import session_factory, transaction
from bot.storage.models import (
    AuditLog,
    ConversationDraft,
    Deelopdracht,
    KeyFigure,
    Municipality,
    Village,
)

NAME_REFUSED = "Geef een rol, geen naam"


async def key_figures(bot) -> list[KeyFigure]:
    async with session_factory(bot.engine)() as s:
        return list((await s.exec(select(KeyFigure).order_by(KeyFigure.id))).all())


async def draft_state(bot, person) -> str | None:
    user = await bot.app_user(person)
    async with session_factory(bot.engine)() as s:
        draft = (
            await s.exec(
                select(ConversationDraft).where(
                    ConversationDraft.user_id == user.id, ConversationDraft.flow == "sleutelfiguur"
                )
            )
        ).first()
        return draft.state if draft else None


async def muni_id(bot, name: str) -> int:
    async with session_factory(bot.engine)() as s:
        return (await s.exec(select(Municipality.id).where(Municipality.name == name))).one()


async def add(person, role: str, *, place: str = "Geen plek (overslaan)", quality="Goed contact"):
    """Add a key figure in the expert's own municipality, since today."""
    await person.says(f"/sleutelfiguur {role}")
    await person.press("(jouw gemeente)")
    await person.press(place)
    await person.press("Vandaag")
    summary = (await person.press(quality)).last
    assert "Klopt dit?" in summary.text, summary.text
    return await person.press("Opslaan")


async def test_add_list_change_end_and_delete(bot):
    anna = await bot.expert("Anna", gemeente="Venlo")
    first = (await anna.says("/sleutelfiguur")).only
    assert "Je hebt nog geen sleutelfiguren" in first.text
    assert "Overzicht per gemeente" not in first.button_labels  # an expert only
    await anna.press("Nieuwe sleutelfiguur")
    assert "Typ de rol, geen naam" in anna.last_reply.text

    # A name is refused with what to give instead; the dialogue stays at the role step.
    for name in ("Jan Jansen", "meneer X", "mevrouw de Vries", "Jan", "huisarts Pietersen"):
        refused = (await anna.says(name)).only
        assert NAME_REFUSED in refused.text and "kapper" in refused.text, (name, refused.text)
        assert await draft_state(bot, anna) == "role"
    phone = (await anna.says("kapper 06-12345678")).only
    assert "telefoonnummer" in phone.text
    assert await draft_state(bot, anna) == "role"

    muni = (await anna.says("kapper")).only
    assert "In welke gemeente?" in muni.text
    assert muni.button_labels[0] == "Venlo (jouw gemeente)"
    place = (await anna.press("Venlo (jouw gemeente)")).last
    assert "Waar in Venlo?" in place.text and "Blerick" in place.button_labels
    since = (await anna.press("Blerick")).last
    assert "Sinds wanneer" in since.text
    future = (await anna.says("morgen")).only
    assert "in de toekomst" in future.text and "vorig jaar" in future.text
    unknown = (await anna.says("al een tijdje")).only
    assert "herken ik niet als datum" in unknown.text and "1 maart" in unknown.text
    assert await draft_state(bot, anna) == "since"
    quality = (await anna.says("sinds maart")).only
    assert "Hoe is het contact?" in quality.text
    summary = (await anna.press("Goed contact")).last
    # Venlo has no active deelopdracht: not asked, not shown.
    assert "deelopdracht" not in summary.text.lower()
    assert "Plek: Blerick" in summary.text and "Sinds: 1 maart 2026" in summary.text
    save = summary.button("Opslaan")["callback_data"]
    saved = (await anna.press("Opslaan")).last
    assert "Opgeslagen: kapper." in saved.text
    assert "kapper — Blerick, Venlo · sinds 1 maart 2026 · contact goed" in saved.text
    # A double tap on Opslaan: nothing saved twice.
    await anna.press_data(save, summary)
    assert "al opgeslagen" in anna.last_callback_answer.text
    [row] = await key_figures(bot)
    village = None
    async with session_factory(bot.engine)() as s:
        village = await s.get(Village, row.village_id)
    assert (row.role, row.since, row.quality, village.name) == (
        "kapper",
        date(2026, 3, 1),
        "goed",
        "Blerick",
    )
    assert row.municipality_id == await muni_id(bot, "Venlo") and row.ended_on is None

    # A second one, through the shortcut with the role typed after the command.
    await add(anna, "voorzitter buurtvereniging", quality="Af en toe contact")
    listing = anna.last_reply.text
    assert "voorzitter buurtvereniging — Venlo · sinds 17 november 2026 · contact af en toe" in (
        listing
    )

    # Contact now occasional, then ended.
    item = (await anna.press("kapper (Blerick)")).last
    assert "contact goed" in item.text
    changed = (await anna.press("Contact nu af en toe")).last
    assert "Opgeslagen: contact nu af en toe." in changed.text
    back_to_good = changed.button("Contact nu goed")["callback_data"]
    ended = (await anna.press("Geen contact meer")).last
    assert "Geen contact meer:" in ended.text
    assert "kapper — Blerick, Venlo · sinds 1 maart 2026 · geen contact meer sinds" in ended.text
    rows = {r.role: r for r in await key_figures(bot)}
    assert rows["kapper"].quality == "af_en_toe" and rows["kapper"].ended_on == date(2026, 11, 17)
    # An old button (the item's, before it ended) changes nothing.
    await anna.press_data(back_to_good, changed)
    assert "niet meer actueel" in anna.last_callback_answer.text
    assert {r.role: r.quality for r in await key_figures(bot)}["kapper"] == "af_en_toe"

    # Delete the other one (soft): it leaves the list.
    await anna.press("voorzitter buurtvereniging (Venlo)")
    await anna.press("Verwijderen")
    gone = (await anna.press("Ja, verwijderen")).last
    assert "voorzitter buurtvereniging is verwijderd." in gone.text
    assert "voorzitter buurtvereniging —" not in gone.text
    rows = {r.role: r for r in await key_figures(bot)}
    assert rows["voorzitter buurtvereniging"].deleted_at is not None
    done = (await anna.press("Klaar")).last
    assert "/sleutelfiguur" in done.text
    anna.assert_callbacks_answered()

    # Everything audited: two created, a quality change, an end, a delete.
    async with session_factory(bot.engine)() as s:
        audit = (await s.exec(select(AuditLog).where(AuditLog.entity == "key_figure"))).all()
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
    unknown = (await anna.says("Amsterdam")).only
    assert "Die gemeente ken ik niet" in unknown.text
    place = (await anna.says("Oostrum")).only  # a village of Venray
    assert "Waar in Venray?" in place.text
    # « Terug goes back one step; the answer before it is asked again.
    again = (await anna.press("« Terug")).last
    assert "In welke gemeente?" in again.text
    await anna.says("venray")
    wrong = (await anna.says("Blerick")).only
    assert "Die plek ken ik niet in deze gemeente" in wrong.text
    await anna.says("oostrum")
    await anna.says("vorig jaar")
    deel_step = (await anna.says("af en toe")).only
    assert "deelopdracht van Venray" in deel_step.text
    assert "Outreach Venray" in deel_step.button_labels
    assert "Oud Venray" not in deel_step.button_labels  # ended
    summary = (await anna.press("Outreach Venray")).last
    assert "Deelopdracht: Outreach Venray" in summary.text
    assert "Sinds: 1 januari 2025" in summary.text
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
    await add(anna, "kapper")
    item_data = anna.last_reply.button("kapper (Venlo)")["callback_data"]
    sam = bot.resident("Sam")
    reply = (await sam.says("/sleutelfiguur")).only
    assert "alleen voor ervaringsdeskundigen" in reply.text
    assert "kapper" not in reply.text
    # Someone else's button, pressed by a resident: refused before any journey sees it.
    await sam.says("/start")
    await sam.press_data(item_data, sam.last_reply)
    assert "alleen voor ervaringsdeskundigen" in sam.last_callback_answer.text
    assert len(await key_figures(bot)) == 1


async def test_the_coordinator_sees_counts_and_roles_per_municipality(bot):
    carla = await bot.coordinator("Carla")
    empty = (await carla.says("/sleutelfiguur")).only
    assert "nog geen sleutelfiguren" in empty.text
    assert "Nieuwe sleutelfiguur" not in empty.button_labels
    anna = await bot.expert("Anna", gemeente="Venlo")
    bert = await bot.expert("Bert", gemeente="Venlo")
    vera = await bot.expert("Vera", gemeente="Venray")
    await add(anna, "kapper", place="Blerick")
    await add(bert, "Kapper", quality="Af en toe contact")
    await add(anna, "huisarts")
    await add(vera, "imam")
    await add(vera, "wijkagent")
    # Vera's wijkagent: no contact any more, so not counted.
    await vera.press("wijkagent (Venray)")
    await vera.press("Geen contact meer")

    overview = (await carla.says("/sleutelfiguur")).only
    text, html = overview.text, overview.source_text
    assert "Sleutelfiguren per gemeente" in text
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
    own = (await carla.says("/sleutelfiguur")).only
    assert "Je hebt nog geen sleutelfiguren" in own.text
    assert "Overzicht per gemeente" in own.button_labels
    again = (await carla.press("Overzicht per gemeente")).last
    assert "kapper (2), huisarts (1)" in again.text
    assert "« Mijn sleutelfiguren" in again.button_labels
    carla.assert_callbacks_answered()


async def test_half_way_after_a_restart_goes_on_where_it_was(bot):
    anna = await bot.expert("Anna", gemeente="Venlo")
    await anna.says("/sleutelfiguur huisarts")
    old = (await anna.press("(jouw gemeente)")).last
    blerick = old.button("Blerick")["callback_data"]
    await bot.restart()
    resumed = (await anna.says("/sleutelfiguur")).only
    assert "Je was hier nog mee bezig" in resumed.text and "Waar in Venlo?" in resumed.text
    # The buttons shown before the resume no longer work.
    await anna.press_data(blerick, old)
    assert "niet meer actueel" in anna.last_callback_answer.text
    await anna.press("Blerick")
    await anna.says("1-9-2026")
    await anna.press("Goed contact")
    await anna.press("Opslaan")
    [row] = await key_figures(bot)
    assert (row.role, row.since) == ("huisarts", date(2026, 9, 1))

    # Half-way again: start over from the role.
    await anna.says("/sleutelfiguur kapper")
    await anna.says("/sleutelfiguur")
    fresh = (await anna.press("Opnieuw beginnen")).last
    assert "Welke rol heeft deze persoon?" in fresh.text
    stopped = (await anna.press("Stoppen")).last
    assert "Er is niets opgeslagen" in stopped.text
    assert len(await key_figures(bot)) == 1
    anna.assert_callbacks_answered()
