"""The fair-share ledger (issue 13): the arithmetic by hand (unit), and end to end on SQLite and
PostgreSQL: a budget, a key change and a deviation (set with `python -m bot budget`) change the
digest's planned/realised lines and the half-yearly report's table as worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from bot.domain import ledger as dl
from bot.storage.db import session_factory, transaction
from bot.storage.models import AuditLog, IndirectKind
from tests.helpers import hours_row
from tests.test_lists import internal_workbook
from tests.test_report import sheet_rows
from tests.test_team import cli
from tests.test_team import cli_env as cli_env  # the fixture

# --------------------------------------------------------------------------- by hand


def test_planned_follows_the_key_day_by_day_plus_deviations():
    # 365 hours in 2026: one hour a day. 1 Jan - 22 Nov = 326 days.
    # Venlo 28.47 % until 30 June (181 days), 30 % from 1 July (145 days):
    #   181 x 0.2847 + 145 x 0.30 = 51.5307 + 43.5 = 95.0307 hours.
    # Beesel 0.78 %: 326 x 0.0078 = 2.5428, + a deviation of 5 hours in March = 7.5428;
    #   a deviation of 10 hours over December is not due yet: + 0.
    led = dl.compute(
        year=2026,
        as_of=date(2026, 11, 22),
        budget=365,
        municipalities=[(1, "Venlo", 28.47), (2, "Beesel", 0.78)],
        keys={1: [dl.KeyChange(date(2026, 7, 1), 30.0)]},
        deviations=[
            dl.Deviation(2, date(2026, 3, 1), date(2026, 3, 31), 5),
            dl.Deviation(2, date(2026, 12, 1), date(2026, 12, 31), 10),
        ],
        realised_minutes={1: 60, None: 120},
        spread=False,
    )
    venlo, beesel = led.rows
    assert venlo.planned == pytest.approx(95.0307)
    assert beesel.planned == pytest.approx(7.5428)
    assert (venlo.realised, led.regional, led.realised) == (1.0, 2.0, 3.0)
    assert venlo.difference == pytest.approx(-94.0307)
    assert led.under_pace


def test_regional_hours_spread_by_the_key_of_the_day():
    led = dl.compute(
        year=2026,
        as_of=date(2026, 12, 31),
        budget=100,
        municipalities=[(1, "A", 75.0), (2, "B", 25.0)],
        keys={},
        deviations=[dl.Deviation(1, date(2026, 12, 31), date(2027, 1, 1), 4)],  # half due
        realised_minutes={1: 4500, 2: 1500, None: 600},
        spread=True,
    )
    a, b = led.rows
    assert (a.planned, b.planned) == (pytest.approx(77.0), pytest.approx(25.0))
    assert (a.realised, b.realised, led.regional) == (82.5, 27.5, 0.0)
    assert not led.under_pace  # 110 of 102 planned


def test_a_budget_in_euros_needs_a_rate():
    assert dl.budget_hours(None, 6500.0, 65.0) == 100
    assert dl.budget_hours(None, 6500.0, None) is None
    assert dl.budget_hours(120.0, None, None) == 120


# --------------------------------------------------------------------------- end to end


def _ledger_part(replies) -> str:
    text = "\n".join(r.text for r in replies)
    if "Jaarbudget" not in text:
        return ""
    return text.split("Jaarbudget", 1)[1].split("Totaal en verloop", 1)[0]


async def test_budget_key_and_deviation_change_the_digest_and_the_report(bot, cli_env):
    carla = await bot.coordinator("Carla")
    anna = await bot.expert("Anna")
    await (await anna.says("/contact 1 uur inloop Venlo armoede 1 nieuw")).only.press("Opslaan")
    anna_id = (await bot.app_user(anna)).id
    async with transaction(session_factory(bot.engine)) as s:
        kind = (await s.exec(select(IndirectKind))).first()
        s.add(hours_row(anna_id, date(2026, 11, 16), 120, kind.id))

    assert _ledger_part(await carla.says("/overzicht 47")) == ""  # no budget: no ledger

    assert await cli("budget", "zet", "2026", "--uren", "365") == 0
    part = _ledger_part(await carla.says("/overzicht 47"))
    # 326 days of one hour; Venlo 326 x 0.2847 = 92.8122.
    assert "2026 tot en met zo 22 nov" in part, part
    assert "Pool: gepland 326 uur · gerealiseerd 3 uur · verschil −323,0" in part
    assert "De pool loopt achter op het budget" in part
    assert "Venlo: gepland 92,8 · gerealiseerd 1 · −91,8" in part
    assert "Regionaal, niet verdeeld: 2 uur" in part

    assert await cli("budget", "sleutel", "Venlo", "30", "--vanaf", "2026-07-01") == 0
    assert (
        await cli(
            "budget",
            "afwijking",
            "Beesel",
            "5",
            "--van",
            "2026-03-01",
            "--tot",
            "2026-03-31",
            "--reden",
            "extra inloop",
        )
        == 0
    )
    assert await cli("budget", "zet", "2026", "--spreiden", "ja") == 0
    part = _ledger_part(await carla.says("/overzicht 47"))
    # Venlo 95.0307 planned (see the unit test); Beesel 2.5428 + 5 = 7.5428; the pool
    # 326 - 92.8122 + 95.0307 + 5 = 333.2185. Regional 2 hours spread by today's keys:
    # Venlo 2 x 30 / 101.53 = 0.59 -> realised 1.59.
    assert "Pool: gepland 333,2 uur · gerealiseerd 3 uur · verschil −330,2" in part, part
    assert "Venlo: gepland 95 · gerealiseerd 1,6 · −93,4" in part
    assert "Beesel: gepland 7,5 · gerealiseerd 0 · −7,5" in part
    assert "Regionale uren zijn verdeeld volgens de MGR-sleutel." in part

    async with session_factory(bot.engine)() as s:
        audits = (await s.exec(select(AuditLog.entity).order_by(AuditLog.id))).all()
    # The report runs to 31 December: 365 days. Venlo 181 x 0.2847 + 184 x 0.30 = 106.7307.
    table = sheet_rows(await internal_workbook(bot, "2026-H2"), "Jaarbudget")
    assert table["Venlo"] == [30.0, 106.7, 1.6, -105.1]
    assert table["Beesel"] == [0.78, 7.8, 0.0, -7.8]  # 2.847 + 5
    assert "Regionaal (zonder gemeente)" not in table
    assert table["Totaal"][1:] == [372.8, 3.0, -369.8]  # 365 - 103.9155 + 106.7307 + 5
    assert [a for a in audits if a != "contact"][-4:] == [
        "ledger_year",
        "mgr_key",
        "share_deviation",
        "ledger_year",
    ]


async def test_budget_in_the_chat(bot):
    carla = await bot.coordinator("Carla")
    assert "nog geen budget" in (await carla.says("/budget")).only.text
    assert "begrijp ik niet" in (await carla.says("/budget veel")).only.text
    shown = (await carla.says("/budget 2026 365")).only.text
    # Today is 17 November: 321 days of one hour.
    assert "Opgeslagen." in shown and "tot en met di 17 nov" in shown
    assert "Pool: gepland 321 uur · gerealiseerd 0 uur · verschil −321,0" in shown
    assert "Regionaal, niet verdeeld" in shown
    spread = (await carla.says("/budget spreiden aan")).only.text
    assert "Regionale uren zijn verdeeld volgens de MGR-sleutel." in spread
