"""The demo's sample data (`python -m bot demo`, scripts/sample_report_pages.py): four
colleagues with two weeks of logged work and a thinner history back to the start of the last
finished half year, stories and signals, the example walk-in schedule and a deelopdracht in
Venlo. Fixed random seed: the same data every run (relative to today)."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from importlib import resources
from typing import Any

from sqlmodel import col, select

from bot.domain.report_choices import HALF, containing
from bot.storage.db import session_factory, transaction
from bot.storage.models import (
    ActivityType,
    Contact,
    ContactTheme,
    IndirectHours,
    IndirectKind,
    Municipality,
    ReachChannel,
    Signal,
    SignalKind,
    Story,
    Theme,
    User,
    id_of,
)

__all__ = ["seed_demo_data"]

# Stories in the last finished half year, for /verhalen and the report's "added value".
DEMO_STORIES = (
    (
        "Venlo",
        "Een vrouw durfde de brief van de gemeente niet open te maken. Samen lazen we hem; "
        "nu heeft ze een betalingsregeling.",
    ),
    (
        "Venlo",
        "Een vader kwam elke week naar de inloop voor koffie. Na een maand vertelde hij over "
        "zijn schulden en ging hij mee naar het spreekuur.",
    ),
    (
        "Roermond",
        "Twee buurvrouwen die elkaar niet kenden, gaan nu samen naar het taalcafé.",
    ),
)


# Last week's signals (gemist aanbod in Venlo, a trend in Roermond) and story (Venray).
DEMO_SIGNALS = (
    "In Blerick is geen inloop op de avond; werkende mensen missen die.",
    "Meer jongeren met schulden door kopen op afbetaling.",
)
DEMO_STORY_LAST_WEEK = (
    "Een man die al jaren niemand binnenliet, kwam na drie keer koffie zelf "
    "naar de inloop. Nu gaat hij mee naar de schuldhulp."
)


async def seed_demo_data(engine: Any, now: datetime) -> None:
    """Sample colleagues with two weeks of logged work, and the example walk-in schedule."""
    from bot.domain.walkin_csv import parse_sessions_csv
    from bot.storage import walkin

    rng = random.Random(47)
    factory = session_factory(engine)
    today = now.date()
    async with transaction(factory) as s:
        munis = {m.name: m for m in (await s.exec(select(Municipality))).all()}
        themes = list((await s.exec(select(Theme))).all())
        acts = list((await s.exec(select(ActivityType))).all())
        reach = list((await s.exec(select(ReachChannel))).all())
        kinds = list((await s.exec(select(IndirectKind))).all())
        signal_kinds = {k.code: k for k in (await s.exec(select(SignalKind))).all()}
        colleagues = []
        for i, (name, home) in enumerate(
            [("Mehmet", "Venlo"), ("Ingrid", "Roermond"), ("Ruud", "Venray"), ("Fatima", "Weert")]
        ):
            user = User(
                telegram_user_id=900_000_000 + i,
                chat_id=900_000_000 + i,
                role="expert",
                display_name=name,
                home_municipality_id=munis[home].id,
            )
            s.add(user)
            colleagues.append(user)
        await s.flush()
        weighted = ["Venlo"] * 5 + [
            "Roermond",
            "Weert",
            "Venray",
            "Peel en Maas",
            "Leudal",
            "Horst aan de Maas",
            "Echt-Susteren",
        ]
        keys = (f"demo-{n}" for n in itertools.count(1))

        async def contact(
            user: User, day: date, residents: int, pick: Callable[[], list[Theme]]
        ) -> None:
            c = Contact(
                submission_key=next(keys),
                expert_id=id_of(user),
                work_date=day,
                duration_minutes=rng.choice([30, 45, 60, 90]),
                municipality_id=id_of(munis[rng.choice(weighted)]),
                activity_type_id=id_of(rng.choice(acts)),
                residents_count=residents,
                residents_new=rng.randint(0, residents),
                reach_channel_id=rng.choice(reach).id,
            )
            s.add(c)
            await s.flush()
            for theme in pick():
                s.add(ContactTheme(contact_id=id_of(c), theme_id=id_of(theme)))

        def indirect_hours(user: User, day: date) -> None:
            s.add(
                IndirectHours(
                    submission_key=next(keys),
                    expert_id=id_of(user),
                    work_date=day,
                    duration_minutes=rng.choice([30, 60]),
                    kind_id=id_of(rng.choice(kinds)),
                    municipality_id=munis[rng.choice(weighted)].id,
                )
            )

        def note(
            model: type[Signal] | type[Story],
            key: str,
            i: int,
            day: date,
            muni: str,
            text: str,
            **kw: Any,
        ) -> None:
            """A signal or story by the i-th colleague (round robin)."""
            expert = colleagues[i % len(colleagues)]
            s.add(
                model(
                    submission_key=key,
                    expert_id=id_of(expert),
                    work_date=day,
                    municipality_id=munis[muni].id,
                    text=text,
                    **kw,
                )
            )

        for back in range(1, 15):
            day = today - timedelta(days=back)
            if day.weekday() >= 5:
                continue
            for user in colleagues:
                for _ in range(rng.randint(1, 3)):
                    residents = rng.choice([1, 1, 1, 2, 3, 6])
                    await contact(
                        user, day, residents, lambda: rng.sample(themes, rng.randint(1, 2))
                    )
                indirect_hours(user, day)
        # Thinner history back to the start of the last finished half year, so the
        # coordinator persona's /rapport has a whole period to report on.
        since = containing(HALF, today).previous().start
        for back in range(15, (today - since).days + 1):
            day = today - timedelta(days=back)
            if day.weekday() >= 5:
                continue
            for user in colleagues:
                if rng.random() < 0.5:
                    continue
                residents = rng.choice([1, 1, 2, 3])
                await contact(user, day, residents, lambda: [rng.choice(themes)])
                if rng.random() < 0.3:
                    indirect_hours(user, day)
        for i, (muni, text) in enumerate(DEMO_STORIES):
            day = since + timedelta(days=20 + 40 * i)
            note(Story, f"demo-story-old-{i}", i, day, muni, text)
        last_week = today - timedelta(days=today.weekday() + 5)
        gemist, trend = id_of(signal_kinds["gemist_aanbod"]), id_of(signal_kinds["trend"])
        note(Signal, "demo-sig-1", 0, last_week, "Venlo", DEMO_SIGNALS[0], kind_id=gemist)
        note(Signal, "demo-sig-2", 1, last_week, "Roermond", DEMO_SIGNALS[1], kind_id=trend)
        note(Story, "demo-story-1", 2, last_week, "Venray", DEMO_STORY_LAST_WEEK)
        csv_text = resources.files("bot.data").joinpath("inloop_voorbeeld.csv").read_text("utf-8")
        parsed = parse_sessions_csv(csv_text)
        if parsed.errors:
            raise RuntimeError(f"sample walk-in file has errors: {parsed.errors[:3]}")
        await walkin.import_rows(s, parsed.rows, now)
        await _seed_deelopdracht(s, id_of(munis["Venlo"]), since)


async def _seed_deelopdracht(s: Any, venlo_id: int, since: date) -> None:
    """A year's deelopdracht in Venlo with two measures and a reporting moment; Venlo's demo
    contacts count under it, so the digest and the report show its progress."""
    from sqlalchemy import update

    from bot.domain.measures import add_months
    from bot.storage.models import Deelopdracht, DeelopdrachtMeasure, DeelopdrachtMoment

    deel = Deelopdracht(
        municipality_id=venlo_id,
        code="demo-venlo",
        title="Bereik in Venlo",
        starts_on=since,
        ends_on=add_months(since, 12) - timedelta(days=1),
        goals="Inwoners bereiken die nog niet in beeld zijn.",
        frequency="twee keer per jaar",
    )
    s.add(deel)
    await s.flush()
    deel_id = id_of(deel)
    s.add_all(
        [
            DeelopdrachtMeasure(
                deelopdracht_id=deel_id, position=0, kind="new_residents", target=150,
                window_months=6,
            ),
            DeelopdrachtMeasure(deelopdracht_id=deel_id, position=1, kind="contacts", target=400),
            DeelopdrachtMoment(deelopdracht_id=deel_id, on_date=add_months(since, 6)),
        ]
    )  # fmt: skip
    await s.exec(
        update(Contact)
        .where(col(Contact.municipality_id) == venlo_id, col(Contact.work_date) >= since)
        .values(deelopdracht_id=deel_id)
    )
