"""Lists without code changes (issue 13), through the fake Bot API on SQLite and PostgreSQL: a
new theme with an alias is used in a one-line entry at once (also when another process added
it) and shows in the digest; a retired theme leaves the buttons and stays in the report; two
vindplekken merged; `lijsten export|import` (all or nothing, the bad line named)."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

from sqlmodel import select

from bot.domain.periods import parse_period
from bot.report import build_pack
from bot.storage import lists
from bot.storage.db import session_factory, transaction
from bot.storage.models import ActivityType, AuditLog, Contact, Municipality, Theme, Vindplek
from tests.helpers import add_contact, all_rows
from tests.journeys import reply_to, tap_through
from tests.test_contact_dialogue import saved_contacts, theme_codes
from tests.test_report import sheet_rows
from tests.test_team import cli
from tests.test_team import cli_env as cli_env  # the fixture

MANTELZORG = "mantelzorg (zorg voor een naaste)"
SHORT = "mantelzorg"  # as every view but the list management and the report shows it


def labels(reply) -> list[str]:
    return [b["text"] for row in reply.keyboard for b in row]


async def test_new_theme_with_alias_is_used_at_once_then_retired_but_kept_in_the_report(
    bot, cli_env, tmp_path
):
    carla = await bot.coordinator("Carla")
    anna = await bot.expert("Anna")
    # Anna's process has the lists cached before the theme exists.
    first = (await anna.says("/contact 45 min inloop Venlo armoede 1 nieuw")).only
    await first.press("Opslaan")

    # Added by another process (the command line): Anna's cache must notice at once.
    path = tmp_path / "lists.yaml"
    assert await cli("lijsten", "export", str(path)) == 0
    text = path.read_text(encoding="utf-8")
    assert "code: armoede" in text
    text = text.replace(
        "activity_types:",
        f"- label: {MANTELZORG}\n  aliases: [mantelzorger, zorgen voor ouder]\nactivity_types:",
        1,
    )
    path.write_text(text, encoding="utf-8")
    assert await cli("lijsten", "import", str(path)) == 0

    summary = (await anna.says("/contact 1 uur inloop Venlo mantelzorger 2 nieuw")).only
    assert f"Thema's: {SHORT}\n" in summary.text, summary.text
    await summary.press("Opslaan")
    contacts = await saved_contacts(bot)
    assert await theme_codes(bot, contacts[-1].id) == {"mantelzorg_zorg_voor_een_naaste"}

    digest = "\n".join(r.text for r in await carla.says("/overzicht 47"))
    assert f"\n{SHORT}: 1 contact · 2 inwoners (2 nieuw, 0 bekend)" in digest

    # Renamed and given another alias in the chat; then retired there.
    await carla.says("/lijsten")
    await tap_through(carla, ["Thema's", MANTELZORG, "Zoekwoorden"])
    aliases = "mantelzorger, zorgtaken"
    await reply_to(carla.says(aliases), f"Zoekwoorden: {aliases}")
    alias_line = "/contact 30 min inloop Venlo zorgtaken 1 bekend"
    await reply_to(anna.says(alias_line), f"Thema's: {SHORT}\n")
    await anna.says("/annuleer")
    await reply_to(carla.press("Intrekken"), "is ingetrokken")

    step = await reply_to(anna.says("/contact 30 min inloop Venlo 1 bekend"))
    assert "thema" in step.text.lower(), step.text
    assert SHORT not in labels(step) and "schulden" in labels(step)
    await anna.says("/annuleer")

    audits = await all_rows(bot, AuditLog, AuditLog.entity == "themes")
    table = sheet_rows(await internal_workbook(bot, "2026-H2"), "Thema's")
    venlo = dict(zip(table["Gemeente"], table["Venlo"], strict=True))
    assert venlo[MANTELZORG] == 2 and venlo["armoede (geldzorgen)"] == 1
    assert [a.action for a in audits] == ["create", "edit", "edit"]
    assert audits[-1].before["active"] is True and audits[-1].after["active"] is False


async def test_two_vindplekken_merged_in_the_chat(bot):
    carla = await bot.coordinator("Carla")
    anna = await bot.expert("Anna")
    expert_id = (await bot.app_user(anna)).id
    async with transaction(session_factory(bot.engine)) as s:
        venlo = (await s.exec(select(Municipality).where(Municipality.name == "Venlo"))).one()
        act = (await s.exec(select(ActivityType))).first()
        kolk = Vindplek(municipality_id=venlo.id, name="Buurthuis De Kolk")
        kolk2 = Vindplek(municipality_id=venlo.id, name="De Kolk")
        s.add_all([kolk, kolk2])
        await s.flush()
        for place, n in ((kolk, 2), (kolk2, 3)):
            for _ in range(n):
                await add_contact(
                    s, expert_id, date(2026, 11, 16), 30, venlo.id, act.id, vindplek_id=place.id
                )
    await carla.says("/lijsten")
    await tap_through(carla, ["Vindplekken", "Venlo", "De Kolk (3)", "Samenvoegen met…"])
    await reply_to(
        carla.press("Buurthuis De Kolk"),
        "De Kolk is samengevoegd met Buurthuis De Kolk: 3 contacten verplaatst.",
        "5 contacten",
    )
    async with session_factory(bot.engine)() as s:
        rows = (await s.exec(select(Contact.vindplek_id))).all()
        old = await s.get(Vindplek, kolk2.id)
    assert set(rows) == {kolk.id} and len(rows) == 5
    assert old is not None and not old.active
    # The retired one is no longer offered to the expert.
    async with session_factory(bot.engine)() as s:
        from bot.storage.contacts import vindplek_names

        assert await vindplek_names(s, venlo.id) == ["Buurthuis De Kolk"]
    places = await lists_places(bot, venlo.id)
    assert [(p.name, p.active, p.contacts) for p in places] == [
        ("Buurthuis De Kolk", True, 5),
        ("De Kolk", False, 0),
    ]


async def internal_workbook(bot, period_key: str) -> bytes:
    """The coordinator's (internal) workbook of a period, built as /rapport builds it."""
    async with session_factory(bot.engine)() as s:
        files = [
            f
            async for f in build_pack(
                s,
                period=parse_period(period_key),
                municipality_codes=None,
                formats=("xlsx",),
                internal=True,
                now=bot.clock.now(),
                tz=bot.settings.tz,
                threshold=5,
            )
        ]
    return files[0].content


async def lists_places(bot, muni_id):
    async with session_factory(bot.engine)() as s:
        return await lists.places(s, muni_id)


BAD_FILES = [
    ("themes:\n  - code: a\n    label: A: B\n  - label: C\n", 3, "not valid YAML"),
    ("themes:\n  - code: a\n    label: A\n  - code: b\n", 4, "'label' is missing"),
    ("themes:\n  - label: X\nkleuren:\n  - label: rood\n", 3, "unknown list 'kleuren'"),
    ("vindplekken:\n  - gemeente: Atlantis\n    naam: Bieb\n", 2, "unknown gemeente 'Atlantis'"),
    ("themes:\n  - label: X\n    active: misschien\n", 2, "'active' must be true or false"),
    (
        "themes:\n  - label: Nieuw\n  - code: schulden\n    label: armoede (geldzorgen)\n",
        3,
        "'armoede (geldzorgen)' is already in",
    ),
]


async def test_a_bad_file_is_refused_with_its_line_and_nothing_is_imported(
    bot, cli_env, tmp_path, capsys
):
    async def count() -> int:
        async with session_factory(bot.engine)() as s:
            return len((await s.exec(select(Theme))).all())

    before = await count()
    for n, (content, line, message) in enumerate(BAD_FILES):
        path = Path(tmp_path / f"bad{n}.yaml")
        await asyncio.to_thread(path.write_text, content, encoding="utf-8")
        assert await cli("lijsten", "import", str(path)) == 1, content
        err = capsys.readouterr().err
        assert f"line {line}: " in err and message in err and "nothing was imported" in err, err
    assert await count() == before
