"""The WIJ-Groningen deelopdracht as a hand-worked fixture, shared by the progress, digest,
report and reminder tests.

The WIJ-Groningen measures (../shared/reference: "Deelopdracht WIJ-Groningen 2022"), for one team,
via huis-aan-huis and street talks (activity `outreach`): 25 new residents in the first six
months, 40 after a year; at least 5 key figures with good contact; reasons for non-use known for
80 %; 80 % went on to use services; reports in April and September. Groningen is not one of the
pool's municipalities, so the deelopdracht is placed in Venlo; the period is 2026. It is entered
from a YAML file (`WIJ_YAML`) through the coordinator's import (`bot.storage.deel_file`), the
contacts, follow-ups and key figures straight into the database.

Contacts under the deelopdracht ("new" = residents_new; all `outreach` unless said):

| c   | work_date  | count | new | non_use_known | follow-up                                   |
|-----|------------|-------|-----|---------------|---------------------------------------------|
| C1  | 2026-01-20 | 4     | 3   | true          | went on 2, answered 2026-03-03              |
| C2  | 2026-02-10 | 5     | 5   | false (1)     | went on 4, answered 2026-04-15 22:30 UTC (2) |
| C3  | 2026-03-05 | 6     | 4   | true          | due, not answered                           |
| C12 | 2026-04-02 | 1     | 0   | None          | —                                           |
| C4  | 2026-04-22 | 2     | 2   | None (not asked) | answered "weet ik niet" 2026-06-03        |
| C5  | 2026-06-30 | 3     | 3   | true          | went on 3, answered 2026-08-11              |
| C6  | 2026-07-01 | 7     | 6   | true          | went on 5, answered 2026-08-12              |
| C7  | 2026-09-14 | 5     | 4   | true          | went on 9 (3), answered 2026-10-26          |
| C13 | 2026-10-05 | 2     | 2   | false         | went on 1, answered 2026-11-16              |

(1) answered "weet ik niet"; (2) = 16 April 00:30 in Amsterdam; (3) more than its 4 new
residents: capped at 4.

Left out everywhere: C8 (2026-05-12, 5 new, known, went on 5: deleted), C9 (2026-03-18,
activity `inloop`, 8 new, known: not in the filter), C10 (2026-02-02, 6 new: same
municipality, no deelopdracht), C11 (2025-12-20, 3 new: before the start).

Key figures of the deelopdracht: K1 goed since 01-15; K2 goed since 03-01; K3 af_en_toe since
02-01; K4 goed 02-01 .. ended 08-31; K5 goed since 05-01 but deleted; K6 goed since 09-01; K8 goed
since 10-01, ended 12-31. K7 (goed since 01-01, Venlo, no deelopdracht) does not count for WIJ:
WIJ has key figures of its own. K9 (goed, Venray, no deelopdracht) never counts.

Worked out on 31 December 2026 (the end of the period):
* new residents, first six months (1 January .. 30 June): C1 3 + C2 5 + C3 4 + C12 0 + C4 2 +
  C5 3 = 17 of 25: the window is over, "doel niet gehaald".
* new residents, the year: 17 + C6 6 + C7 4 + C13 2 = 29 of 40: "doel niet gehaald".
* key figures with good contact, active on 31 December: K1, K2, K6 = 3 (K4 ended 31 August, K8
  ends on 31 December itself, K3 is occasional, K5 deleted) of 5: "doel niet gehaald".
* reasons known: base = new residents of contacts with new residents = 3+5+4+2+3+6+4+2 = 29;
  known = C1 3 + C3 4 + C5 3 + C6 6 + C7 4 = 20; 100 × 20 / 29 = 68,97 → "69 %" of 80 %: missed.
* went on: follow-ups answered with a number: C1 2/3, C2 4/5, C5 3/3, C6 5/6, C7 4/4 (capped),
  C13 1/2 → 19 / 23 = 82,6 → "83 %" of 80 %: "doel gehaald".

On 15 April 2026 (the April report; day 105 of 181 of the first six months, 105 of 365 of the
year):
* first six months: C1 3 + C2 5 + C3 4 + C12 0 = 12; expected 25 × 105 / 181 = 14,50: behind.
* the year: 12; expected 40 × 105 / 365 = 11,51: on track.
* key figures: K1, K2, K4 = 3; expected 5 × 105 / 365 = 1,44: on track.
* reasons known: (C1 3 + C3 4) / (3 + 5 + 4) = 7 / 12 = 58,3 → "58 %": behind.
* went on: only C1 is answered by the end of 15 April (C2's answer came at 00:30 on the 16th,
  Amsterdam time): 2 / 3 = 66,7 → "67 %": behind.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from bot.domain import deel_spec
from bot.storage import deel_file, deelopdrachten
from bot.storage.db import session_factory, transaction
from bot.storage.models import (
    ContactFollowup,
    DeelopdrachtMeasure,
    DeelopdrachtMoment,
    KeyFigure,
    id_of,
)
from tests import helpers
from tests.support import add_user

_keys = itertools.count(1)

START, END = date(2026, 1, 1), date(2026, 12, 31)
APRIL = date(2026, 4, 15)  # the April reporting moment


@dataclass
class Wij:
    deel_id: int
    measure_ids: list[int]
    moment_ids: list[int]
    expert_id: int
    venlo: int
    venray: int


def utc(y: int, mo: int, d: int, h: int = 10, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


async def add_expert(engine: AsyncEngine, name: str = "Anna") -> int:
    return id_of(await add_user(engine, name))


# The columns of a measure row given to add_deelopdracht, in order.
MEASURE_COLUMNS = ("kind", "label", "target", "window_months", "filter")


async def add_deelopdracht(
    engine: AsyncEngine,
    municipality_id: int,
    code: str,
    title: str,
    measures: list[tuple[str, str, float, int | None, dict | None]],
    *,
    starts_on: date | None = START,
    ends_on: date | None = END,
    moments: tuple[date, ...] = (),
    active: bool = True,
) -> tuple[int, list[int], list[int]]:
    """A deelopdracht through storage, with `measures` as rows of MEASURE_COLUMNS written as they
    are (a filter with empty keys stays so): (id, measure ids, moment ids)."""
    async with transaction(session_factory(engine)) as s:
        d = await deelopdrachten.create(
            s,
            municipality_id,
            code,
            title,
            starts_on,
            ends_on,
            actor_id=None,
            now=utc(2025, 12, 1),
            frequency="april en september",
            active=active,
        )
        ms = [
            DeelopdrachtMeasure(
                deelopdracht_id=id_of(d), position=pos, **dict(zip(MEASURE_COLUMNS, m, strict=True))
            )
            for pos, m in enumerate(measures)
        ]
        s.add_all(ms)
        mo = [DeelopdrachtMoment(deelopdracht_id=id_of(d), on_date=day) for day in moments]
        s.add_all(mo)
        await s.flush()
        return id_of(d), [id_of(m) for m in ms], [id_of(m) for m in mo]


# The deelopdracht as the coordinator's file has it (`python -m bot deelopdracht import`).
WIJ_YAML = """\
municipality: Venlo
code: wij-west
title: WIJ-Groningen West
period:
  starts_on: 2026-01-01
  ends_on: 2026-12-31
goals: Het bereiken van de zeer kwetsbare bewoner die anders niet in beeld komt.
monitoring: Live uit wat de ervaringsdeskundigen vastleggen.
frequency: april en september
accounting: Rapportage en terugkoppeling in april en september.
reporting_moments: [2026-04-15, 2026-09-15]
measures:
  - kind: new_residents
    target: 25
    window_months: 6
    filter: {activity: [outreach]}
  - kind: new_residents
    target: 40
    filter: {activity: [outreach]}
  - kind: key_figures
    target: 5
  - kind: non_use_known
    target: 80%
    filter: {activity: [outreach]}
  - kind: went_on
    target: 80%
    filter: {activity: [outreach]}
"""


async def import_wij(engine: AsyncEngine) -> tuple[int, list[int], list[int]]:
    """The WIJ deelopdracht from `WIJ_YAML`, through the file import: (id, measure ids, moment
    ids)."""
    async with transaction(session_factory(engine)) as s:
        result = await deel_file.import_specs(
            s, deel_spec.parse(WIJ_YAML), actor_id=None, now=utc(2025, 12, 1)
        )
        assert result.created == 1
        deel = await deelopdrachten.by_code(s, "wij-west")
        assert deel is not None
        measures = select(DeelopdrachtMeasure.id).where(
            DeelopdrachtMeasure.deelopdracht_id == id_of(deel)
        )
        moments = select(DeelopdrachtMoment.id).where(
            DeelopdrachtMoment.deelopdracht_id == id_of(deel)
        )
        return (
            id_of(deel),
            list((await s.exec(measures.order_by(col(DeelopdrachtMeasure.position)))).all()),
            list((await s.exec(moments.order_by(col(DeelopdrachtMoment.on_date)))).all()),
        )


async def seed_wij(engine: AsyncEngine) -> Wij:
    async with session_factory(engine)() as s:
        r = await helpers.reference_ids(s)
    venlo, venray = r["muni"]["Venlo"], r["muni"]["Venray"]
    outreach, inloop = r["activity"]["outreach"], r["activity"]["inloop"]
    expert = await add_expert(engine)
    deel, measure_ids, moment_ids = await import_wij(engine)
    # (name, day, count, new, non_use_known, followup: (went_on, answered_at) | "due" | None,
    #  extra columns)
    contacts: list[tuple] = [
        ("C1", date(2026, 1, 20), 4, 3, True, (2, utc(2026, 3, 3)), {}),
        ("C2", date(2026, 2, 10), 5, 5, False, (4, utc(2026, 4, 15, 22, 30)), {}),
        ("C3", date(2026, 3, 5), 6, 4, True, "due", {}),
        ("C12", date(2026, 4, 2), 1, 0, None, None, {}),
        ("C4", date(2026, 4, 22), 2, 2, None, (None, utc(2026, 6, 3)), {}),
        ("C5", date(2026, 6, 30), 3, 3, True, (3, utc(2026, 8, 11)), {}),
        ("C6", date(2026, 7, 1), 7, 6, True, (5, utc(2026, 8, 12)), {}),
        ("C7", date(2026, 9, 14), 5, 4, True, (9, utc(2026, 10, 26)), {}),
        ("C13", date(2026, 10, 5), 2, 2, False, (1, utc(2026, 11, 16)), {}),
        ("C8", date(2026, 5, 12), 5, 5, True, (5, utc(2026, 6, 1)), {"deleted": True}),
        ("C9", date(2026, 3, 18), 10, 8, True, None, {"activity": inloop}),
        ("C10", date(2026, 2, 2), 6, 6, True, None, {"deel": None}),
        ("C11", date(2025, 12, 20), 3, 3, True, None, {}),
    ]
    async with transaction(session_factory(engine)) as s:
        for _name, day, count, new, known, follow, extra in contacts:
            c = await helpers.add_contact(
                s,
                expert,
                day,
                60,
                venlo,
                extra.get("activity", outreach),
                residents_count=count,
                residents_new=new,
                non_use_known=known,
                deelopdracht_id=extra.get("deel", deel),
                deleted_at=utc(2026, 5, 13) if extra.get("deleted") else None,
            )
            if follow is None:
                continue
            went_on, answered = (None, None) if follow == "due" else follow
            s.add(
                ContactFollowup(
                    contact_id=id_of(c),
                    expert_id=expert,
                    due_on=day.replace(day=1) if day.month == 12 else date(2026, day.month + 1, 1),
                    asked_at=answered,
                    answered_at=answered,
                    went_on=went_on,
                )
            )
        key_figures = [
            ("kapper", date(2026, 1, 15), "goed", None, deel, venlo, False),
            ("huisarts", date(2026, 3, 1), "goed", None, deel, venlo, False),
            ("voorzitter buurtvereniging", date(2026, 2, 1), "af_en_toe", None, deel, venlo, False),
            ("imam", date(2026, 2, 1), "goed", date(2026, 8, 31), deel, venlo, False),
            ("buurtsuper", date(2026, 5, 1), "goed", None, deel, venlo, True),
            ("voetbaltrainer", date(2026, 9, 1), "goed", None, deel, venlo, False),
            ("juf basisschool", date(2026, 1, 1), "goed", None, None, venlo, False),  # K7
            ("wijkagent", date(2026, 10, 1), "goed", date(2026, 12, 31), deel, venlo, False),
            ("pastoor", date(2026, 1, 1), "goed", None, None, venray, False),  # K9
        ]
        for role, since, quality, ended, dop, muni, deleted in key_figures:
            s.add(
                KeyFigure(
                    submission_key=f"k{next(_keys)}",
                    expert_id=expert,
                    municipality_id=muni,
                    deelopdracht_id=dop,
                    role=role,
                    since=since,
                    quality=quality,
                    ended_on=ended,
                    deleted_at=utc(2026, 6, 1) if deleted else None,
                )
            )
    return Wij(deel, measure_ids, moment_ids, expert, venlo, venray)
