"""The contact repository's reads the dialogue shows: the vindplekken of a municipality (the
expert's most used first) and the minutes already logged on a day, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.storage import contacts
from bot.storage.db import session_factory, transaction
from bot.storage.models import User, Vindplek
from tests.helpers import contact_row, hours_row, reference_ids

NOW = datetime(2026, 11, 17, 12, 0, tzinfo=UTC)
TODAY = date(2026, 11, 17)


async def _experts(s):
    anna = User(telegram_user_id=1, chat_id=1, role="expert", display_name="Anna")
    bob = User(telegram_user_id=2, chat_id=2, role="expert", display_name="Bob")
    s.add(anna)
    s.add(bob)
    await s.flush()
    return anna, bob


async def test_vindplekken_the_experts_most_used_first_then_by_name(engine):
    factory = session_factory(engine)
    async with factory() as s:
        r = await reference_ids(s)
    venlo, horst, act = r["muni"]["Venlo"], r["muni"]["Horst aan de Maas"], r["activity"]["inloop"]
    async with transaction(factory) as s:
        anna, bob = await _experts(s)
        names = ["Zwembad", "Bibliotheek", "Markt", "Kerk", "Oud"]
        places = {n: Vindplek(municipality_id=venlo, name=n, active=n != "Oud") for n in names}
        elsewhere = Vindplek(municipality_id=horst, name="Aaa elders")
        for place in [*places.values(), elsewhere]:
            s.add(place)
        await s.flush()
        uses = [
            (anna.id, "Zwembad", {}),
            (anna.id, "Zwembad", {}),
            (anna.id, "Markt", {}),
            (anna.id, "Oud", {}),  # retired: never offered
            (anna.id, "Kerk", {"deleted_at": NOW}),  # deleted contacts do not count
            (anna.id, "Kerk", {"deleted_at": NOW}),
            (anna.id, "Kerk", {"deleted_at": NOW}),
            (bob.id, "Bibliotheek", {}),  # another expert's use does not count
            (bob.id, "Bibliotheek", {}),
            (bob.id, "Bibliotheek", {}),
        ]
        for who, name, extra in uses:
            s.add(contact_row(who, TODAY, 30, venlo, act, vindplek_id=places[name].id, **extra))
        # A contact in another municipality at a Venlo place id does not count for Venlo.
        s.add(contact_row(anna.id, TODAY, 30, horst, act, vindplek_id=places["Kerk"].id))
        s.add(contact_row(anna.id, TODAY, 30, horst, act, vindplek_id=places["Kerk"].id))
        s.add(contact_row(anna.id, TODAY, 30, horst, act, vindplek_id=places["Kerk"].id))
        anna_id, bob_id = anna.id, bob.id
    async with factory() as s:
        shown = [p.name for p in await contacts.vindplekken(s, venlo, anna_id)]
        assert shown == ["Zwembad", "Markt", "Bibliotheek", "Kerk"]
        assert [p.name for p in await contacts.vindplekken(s, venlo, bob_id)] == [
            "Bibliotheek",
            "Kerk",
            "Markt",
            "Zwembad",
        ]
        assert [p.name for p in await contacts.vindplekken(s, venlo)] == [
            "Bibliotheek",
            "Kerk",
            "Markt",
            "Zwembad",
        ]
        assert [p.name for p in await contacts.vindplekken(s, venlo, anna_id, limit=2)] == [
            "Zwembad",
            "Markt",
        ]
        assert await contacts.vindplekken(s, r["muni"]["Venray"], anna_id) == []


async def test_day_minutes_contacts_and_hours_of_the_expert_on_the_day(engine):
    factory = session_factory(engine)
    async with factory() as s:
        r = await reference_ids(s)
    venlo, act = r["muni"]["Venlo"], r["activity"]["inloop"]
    kind = next(iter(r["indirect"].values()))
    async with transaction(factory) as s:
        anna, bob = await _experts(s)
        anna_id = anna.id
        assert await contacts.day_minutes(s, anna_id, TODAY) == 0
        corrected = contact_row(anna.id, TODAY, 120, venlo, act)
        s.add(corrected)
        s.add(contact_row(anna.id, TODAY, 45, venlo, act))
        s.add(contact_row(anna.id, TODAY, 60, venlo, act, deleted_at=NOW))
        s.add(contact_row(anna.id, TODAY - timedelta(days=1), 200, venlo, act))
        s.add(contact_row(bob.id, TODAY, 300, venlo, act))
        s.add(hours_row(anna.id, TODAY, 90, kind))
        s.add(hours_row(anna.id, TODAY - timedelta(days=1), 30, kind))
        s.add(hours_row(bob.id, TODAY, 300, kind))
        await s.flush()
        corrected_id = corrected.id
    async with factory() as s:
        assert await contacts.day_minutes(s, anna_id, TODAY) == 120 + 45 + 90
        assert await contacts.day_minutes(s, anna_id, TODAY, except_contact=corrected_id) == 135
        assert await contacts.day_minutes(s, anna_id, TODAY + timedelta(days=1)) == 0
