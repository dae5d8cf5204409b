"""An expert's own data (issue 14): the privacy notice, /privacy, /mijngegevens with its export
and erasure, /wisexpert, the CLI's wis-expert, and retention — through the fake Bot API, on
SQLite and PostgreSQL. After an erasure the person's Telegram id, name and every sentence they
typed are in no byte of the SQLite file and WAL, and in no text column on PostgreSQL."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path

import openpyxl
from sqlalchemy import text
from sqlmodel import select

from bot.domain.periods import parse_period, year_to_date
from bot.storage import erasure
from bot.storage.db import transaction
from bot.storage.models import (
    ActivityType,
    AuditLog,
    Contact,
    ContactFollowup,
    KeyFigure,
    Municipality,
    ReferralTarget,
    ReportStorySelection,
    Signal,
    Story,
    User,
    Vindplek,
)
from bot.storage.report_queries import load_report_data
from tests.helpers import add_contact
from tests.journeys import add_key_figure, log_signal, reply_to, tap_through

TG_ID = 987654321123
NAME = "Annabella"
SIGNAL_1 = "In het weekend is er nergens een inloop voor jongeren."
SIGNAL_2 = "Jongeren vinden in het weekend geen plek om binnen te lopen."
STORY = "Een moeder durfde voor het eerst hulp te vragen bij schulden."
PLACE = "Buurthuis Zonnebloemhof"
ROLE = "beheerder klokkenluidersmolen"  # a key figure's role (sleutelfiguur)
SECRETS = [str(TG_ID), NAME, SIGNAL_1, SIGNAL_2, STORY, PLACE, ROLE]
PERIOD = parse_period("2026-H2")


def documents(person) -> list:
    return [r for r in person.replies if r.document_name]


async def _user(bot, person) -> User:
    async with bot.services.sessions() as s:
        return (await s.exec(select(User).where(User.telegram_user_id == person.id))).one()


async def _totals(bot) -> dict:
    async with bot.services.sessions() as s:
        data = await load_report_data(s, PERIOD, year_to_date(PERIOD))
    return {
        "by_muni": data.by_muni,
        "activity": data.by_muni_activity,
        "theme": data.by_muni_theme,
        "month": data.by_muni_month,
        "referrals": data.referrals,
        "indirect": data.indirect,
        "ytd": (data.ytd_contact_minutes, data.ytd_indirect_minutes),
        "places": {k[0]: v for k, v in data.vindplekken.items()},
        "signals": len(data.signals),
    }


async def _story(person) -> None:
    await person.says(f"/verhaal {STORY}")
    await tap_through(person, ["Regionaal", "Geen thema", "Opslaan"])


async def _work(bot, anna) -> None:
    """Contacts (one at a vindplek she named), hours, a signal, a story, a correction of the
    signal's text and a deleted entry."""
    await anna.says("/contact 45 min inloop Blerick armoede, eenzaamheid 2 nieuw")
    await anna.press("Opslaan")
    uid = (await _user(bot, anna)).id
    async with transaction(bot.services.sessions) as s:
        venlo = (await s.exec(select(Municipality).where(Municipality.name == "Venlo"))).one()
        act = (await s.exec(select(ActivityType).where(ActivityType.code == "inloop"))).one()
        place = Vindplek(municipality_id=venlo.id, name=PLACE, created_by_id=uid)
        s.add(place)
        await s.flush()
        await add_contact(s, uid, date(2026, 11, 16), 60, venlo.id, act.id, vindplek_id=place.id)
    await anna.says("/uren 1,5 uur overleg Venray")
    await anna.says("/uren 30 min reistijd regionaal")
    await log_signal(anna, SIGNAL_1, theme="Geen thema")
    await _story(anna)
    await anna.says("/corrigeer")
    await tap_through(anna, ["signaal trend", "Tekst aanpassen"])
    await reply_to(anna.says(SIGNAL_2), "Aangepast.", last=True)
    deleted = tap_through(
        anna, ["Terug naar de lijst", "reistijd", "Verwijderen", "Ja, verwijderen"]
    )
    await reply_to(deleted, "Verwijderd", last=True)
    await anna.press("Klaar")
    await add_key_figure(anna, ROLE)


async def _followup(bot, person) -> None:
    """A follow-up of the person's first contact, answered: 2 went on to a service."""
    uid = (await _user(bot, person)).id
    async with transaction(bot.services.sessions) as s:
        contact = (await s.exec(select(Contact).where(Contact.expert_id == uid))).first()
        target = (await s.exec(select(ReferralTarget))).first()
        now = bot.clock.now()
        s.add(
            ContactFollowup(
                contact_id=contact.id,
                expert_id=uid,
                due_on=date(2026, 12, 29),
                asked_at=now,
                answered_at=now,
                went_on=2,
                service_kind_id=target.id,
            )
        )


async def _assert_gone(bot, secrets: list[str]) -> None:
    """No secret in any byte of the SQLite file + WAL, or in any text column on PostgreSQL."""
    if bot.engine.dialect.name == "sqlite":
        path = Path(bot.db_url.removeprefix("sqlite:///"))
        blob = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
        left = [secret for secret in secrets if secret.encode() in blob]
        assert left == []
        return
    async with bot.engine.connect() as conn:
        columns = (
            await conn.execute(
                text(
                    "SELECT table_name, column_name FROM information_schema.columns "
                    "WHERE table_schema = 'public'"
                )
            )
        ).all()
        for table, column in columns:
            values = (await conn.execute(text(f'SELECT "{column}"::text FROM "{table}"'))).scalars()
            flat = "\n".join(v for v in values if v)
            for secret in secrets:
                assert secret not in flat, (table, column, secret)


async def test_export_then_erase_leaves_nothing_but_the_counts(bot):
    carla = await bot.coordinator("Carla")
    anna = await bot.expert(NAME, gemeente="Venlo", user_id=TG_ID)
    welcome = anna.replies[0].text
    assert "Over je gegevens" in welcome and "/mijngegevens" in welcome and "24 maanden" in welcome
    await _work(bot, anna)
    await _followup(bot, anna)

    # What the bot holds, then the export: a protected XLSX with every entry.
    overview = (await anna.says("/mijngegevens")).only
    assert f"Naam: {NAME}" in overview.text and str(TG_ID) in overview.text
    # The id is called an id (not a number that reads like a phone number); the language by name.
    assert f"Telegram-id: {TG_ID}" in overview.text and "nummer" not in overview.text
    assert "Taal: Nederlands" in overview.text
    assert "Contacten: 2" in overview.text and "Uren zonder inwoner: 1" in overview.text
    assert "Signalen: 1" in overview.text and "Verhalen: 1" in overview.text
    assert "Verwijderde invoer (blijft in de cijfers): 1" in overview.text
    assert "16 november 2026 tot en met 17 november 2026" in overview.text
    await anna.press("Exporteer")
    [doc] = documents(anna)
    assert doc.protect_content and doc.document_name.endswith(".xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(doc.document))
    sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb}
    assert sheets["Profiel"][1] == ["Naam", NAME]
    assert ["Telegram-id", TG_ID] in sheets["Profiel"]
    contacts = sheets["Contacten"][1:]
    assert sorted((r[1], r[2], r[4] or "", r[6] or "") for r in contacts) == [
        ("2026-11-16", 60, PLACE, ""),
        ("2026-11-17", 45, "", "armoede (geldzorgen), eenzaamheid (sociaal isolement)"),
    ]
    hours = sheets["Uren"][1:]
    assert sorted((r[2], r[3], r[-1] is not None) for r in hours) == [
        (30, "reistijd", True),
        (90, "overleg", False),
    ]
    assert [r[5] for r in sheets["Signalen"][1:]] == [SIGNAL_2]
    assert [r[5] for r in sheets["Verhalen"][1:]] == [STORY]
    assert [r[2] for r in sheets["Vindplekken"][1:]] == [PLACE]
    [figure] = sheets["Sleutelfiguren"][1:]
    assert figure[1:9] == [ROLE, "Venlo", None, None, "2026-11-17", "goed", None, None]
    [followup] = sheets["Doorstroom"][1:]
    assert (followup[2], followup[5]) == ("2026-12-29", 2) and followup[6]
    audit = sheets["Wijzigingen"][1:]
    actions = sorted((r[3], r[5]) for r in audit)
    assert ("signal", "edit") in actions and ("indirect_hours", "delete") in actions
    assert ("key_figure", "create") in actions
    edit = next(r for r in audit if r[3] == "signal")
    assert json.loads(edit[6])["text"] == SIGNAL_1 and json.loads(edit[7])["text"] == SIGNAL_2

    # A coordinator marked the story for a report; the report's totals before.
    async with transaction(bot.services.sessions) as s:
        story = (await s.exec(select(Story))).one()
        venlo = (await s.exec(select(Municipality).where(Municipality.name == "Venlo"))).one()
        s.add(
            ReportStorySelection(story_id=story.id, municipality_id=venlo.id, period_key=PERIOD.key)
        )
    before = await _totals(bot)
    assert before["by_muni"][venlo.id].minutes == 105

    # Verwijder mij: what it means, then a second confirmation.
    assert "uren en aantallen blijven" in (await anna.press("Verwijder mij")).last.text
    assert "niet ongedaan" in (await anna.press("Ja, wis mijn gegevens")).last.text
    assert "Je gegevens zijn gewist" in (await anna.press("Definitief wissen")).last.text
    anna.assert_callbacks_answered()
    user_id = (await bot.app_user(carla)).id + 1
    notice = carla.last_reply.text
    assert "gewist" in notice and f"oud-collega {user_id}" in notice and NAME not in notice

    await _assert_gone(bot, SECRETS)
    after = await _totals(bot)
    assert after == before
    async with bot.services.sessions() as s:
        person = await s.get(User, user_id)
        assert person.display_name == f"oud-collega {user_id}" and not person.active
        assert person.reminder_days == "" and person.home_municipality_id is None
        assert (await s.exec(select(ReportStorySelection))).all() == []
        assert {r.text for r in (await s.exec(select(Signal))).all()} == {erasure.PLACEHOLDER}
        # The key figure stays for the counts, without its role; the follow-up (a count) stays.
        [figure] = (await s.exec(select(KeyFigure))).all()
        assert (figure.role, figure.expert_id) == (erasure.PLACEHOLDER, user_id)
        [followup] = (await s.exec(select(ContactFollowup))).all()
        assert (followup.went_on, followup.expert_id) == (2, user_id)

    # Her next /start: a stranger.
    reply = (await anna.says("/start")).only
    assert "zonder afspraak" in reply.text
    reply = (await anna.says("/mijngegevens")).only
    assert "alleen voor ervaringsdeskundigen" in reply.text


async def test_a_coordinator_erases_a_leaver(bot):
    carla = await bot.coordinator("Carla")
    cora = await bot.coordinator("Cora")
    anna = await bot.expert(NAME, user_id=TG_ID)
    await _story(anna)
    await anna.says("/uren 1 uur overleg")
    uid = (await _user(bot, anna)).id
    await carla.says("/wisexpert")
    labels = carla.last_reply.button_labels
    assert f"{NAME} ({uid})" in labels and not any(lbl.startswith("Carla") for lbl in labels)
    await carla.press(f"{NAME} ({uid})")
    assert "niet ongedaan" in carla.last_reply.text
    confirm = carla.last_reply
    yes = confirm.button(f"Ja, wis {NAME}")["callback_data"]
    await carla.press(f"Ja, wis {NAME}")
    assert f"oud-collega {uid}" in carla.last_reply.text
    assert f"oud-collega {uid}" in cora.last_reply.text and "coördinator" in cora.last_reply.text
    await carla.press_data(yes, confirm)  # a double tap
    assert carla.last_callback_answer.text
    carla.assert_callbacks_answered()
    await _assert_gone(bot, [str(TG_ID), NAME, STORY])
    async with bot.services.sessions() as s:
        story = (await s.exec(select(Story))).one()
    assert story.text == erasure.PLACEHOLDER and story.deleted_at is None
    assert "zonder afspraak" in (await anna.says("/start")).only.text
    # An expert can't use /wisexpert.
    bert = await bot.expert("Bert")
    assert "alleen de coördinator" in (await bert.says("/wisexpert")).only.text


async def test_privacy_command_for_everyone(bot):
    sam = bot.resident("Sam")
    assert "bewaart niets over jou" in (await sam.says("/privacy")).only.text
    anna = await bot.expert("Anna")
    notice = (await anna.says("/privacy")).only.text
    assert "Wie ziet het?" in notice and "24 maanden" in notice
    bot.services.settings.retention_free_text_months = 12
    assert "12 maanden" in (await anna.says("/privacy")).only.text


async def test_retention_clears_old_text_and_keeps_counts(bot):
    from bot import housekeeping

    anna = await bot.expert("Anna")
    await _story(anna)
    await anna.says("/uren 1 uur overleg")
    await anna.says("/corrigeer")
    await tap_through(anna, ["verhaal", "Tekst aanpassen"])
    await anna.says(SIGNAL_2)
    before = await _totals(bot)
    services = bot.services
    services.settings.retention_audit_months = 36  # audit rows outlive the text: scrubbed

    # A day short of 24 months: nothing changes (and the pass is harmless to repeat).
    bot.clock.advance(days=730 - 1)
    assert (await housekeeping.retain(services, services.now())).changed == 0
    async with services.sessions() as s:
        assert (await s.exec(select(Story))).one().text == SIGNAL_2

    bot.clock.advance(days=3)
    done = await housekeeping.retain(services, services.now())
    assert (done.stories, done.audit_scrubbed) == (1, 1)
    assert (await housekeeping.retain(services, services.now())).changed == 0  # idempotent
    await _assert_gone(bot, [STORY, SIGNAL_2])
    async with services.sessions() as s:
        assert (await s.exec(select(Story))).one().text == erasure.PLACEHOLDER
        assert len((await s.exec(select(AuditLog))).all()) == 1
    assert await _totals(bot) == before

    # Audit rows past their own limit go.
    services.settings.retention_audit_months = 12
    done = await housekeeping.retain(services, services.now())
    assert done.audit_deleted == 1
    async with services.sessions() as s:
        assert (await s.exec(select(AuditLog))).all() == []
    assert await _totals(bot) == before


async def test_retention_clears_the_roles_of_ended_key_figures(bot):
    from bot import housekeeping

    anna = await bot.expert("Anna")
    for role in ("kapper", "huisarts", "imam"):
        await add_key_figure(anna, role)
    await tap_through(anna, ["kapper (Venlo)", "Geen contact meer"])  # ended today
    await tap_through(anna, ["imam (Venlo)", "Verwijderen", "Ja, verwijderen"])  # deleted today
    services = bot.services
    services.settings.retention_audit_months = 36

    bot.clock.advance(days=730 - 1)
    assert (await housekeeping.retain(services, services.now())).key_figures == 0
    bot.clock.advance(days=3)
    done = await housekeeping.retain(services, services.now())
    assert done.key_figures == 2 and done.audit_scrubbed >= 1
    assert (await housekeeping.retain(services, services.now())).changed == 0  # idempotent
    async with services.sessions() as s:
        roles = {r.role for r in (await s.exec(select(KeyFigure))).all()}
    assert roles == {erasure.PLACEHOLDER, "huisarts"}  # a current one keeps its role
    await _assert_gone(bot, ["kapper", "imam"])


def test_months_before() -> None:
    from datetime import UTC, datetime

    from bot.housekeeping import months_before

    assert months_before(datetime(2026, 3, 31, 12, tzinfo=UTC), 1) == datetime(
        2026, 2, 28, 12, tzinfo=UTC
    )
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 24) == datetime(2024, 1, 15, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 1) == datetime(2025, 12, 15, tzinfo=UTC)
    assert months_before(datetime(2024, 2, 29, tzinfo=UTC), 12) == datetime(2023, 2, 28, tzinfo=UTC)
    _ = timedelta


async def test_cli_wis_expert(bot, monkeypatch, capsys):
    import asyncio

    from bot.cli import main

    carla = await bot.coordinator("Carla")
    anna = await bot.expert(NAME, user_id=TG_ID)
    await _story(anna)
    uid = (await _user(bot, anna)).id
    monkeypatch.setenv("DATABASE_URL", bot.db_url)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", bot.settings.require_token())
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", bot.settings.telegram_api_base_url)

    def run(*args: str) -> int:
        return main(["wis-expert", *args])

    # Without --ja: who and what, nothing erased.
    assert await asyncio.to_thread(run, "--telegram-id", str(TG_ID)) == 0
    out = capsys.readouterr().out
    assert f"Person {uid} (expert)" in out and "stories 1" in out and "Nothing erased" in out
    assert (await _user(bot, anna)).display_name == NAME
    assert await asyncio.to_thread(run, "--telegram-id", "42") == 1
    assert "no such person" in capsys.readouterr().err

    assert await asyncio.to_thread(run, "--telegram-id", str(TG_ID), "--ja") == 0
    out = capsys.readouterr().out
    assert f"now oud-collega {uid}" in out and "Coordinators told: 1" in out
    assert f"oud-collega {uid}" in carla.last_reply.text and "beheerder" in carla.last_reply.text
    await _assert_gone(bot, [str(TG_ID), NAME, STORY])
    assert await asyncio.to_thread(run, "--user-id", str(uid), "--ja") == 1
    assert "already erased" in capsys.readouterr().err
    assert "zonder afspraak" in (await anna.says("/start")).only.text


# --------------------------------------------------------------------------- storage level


async def test_erase_expert_storage_rules(engine):
    """Shared places keep their name, a coordinator's paragraphs and what they did in the audit
    log lose their text, and a second erasure does nothing."""
    from datetime import UTC, datetime

    from bot.storage import audit
    from bot.storage.db import session_factory
    from bot.storage.models import ConversationDraft, ReportNarrative

    now = datetime(2026, 11, 17, 12, tzinfo=UTC)
    factory = session_factory(engine)
    async with transaction(factory) as s:
        venlo = (await s.exec(select(Municipality).where(Municipality.name == "Venlo"))).one()
        act = (await s.exec(select(ActivityType).where(ActivityType.code == "inloop"))).one()
        anna = User(telegram_user_id=TG_ID, chat_id=TG_ID, role="coordinator", display_name=NAME)
        bert = User(telegram_user_id=TG_ID + 1, chat_id=TG_ID + 1, role="expert")
        s.add_all([anna, bert])
        await s.flush()
        own = Vindplek(municipality_id=venlo.id, name=PLACE, created_by_id=anna.id)
        shared = Vindplek(municipality_id=venlo.id, name="De Kolk", created_by_id=anna.id)
        s.add_all([own, shared])
        await s.flush()
        await add_contact(
            s, bert.id, date(2026, 11, 16), 30, venlo.id, act.id, vindplek_id=shared.id
        )
        narrative = ReportNarrative(period_key="2026-H2", text=STORY, author_id=anna.id)
        s.add(narrative)
        await s.flush()
        audit.record(
            s, anna.id, now, "report_narrative", narrative.id, "create", None, {"text": STORY}
        )
        audit.record(s, anna.id, now, "walkin_session", 1, "edit", {"note": SIGNAL_1}, {"n": 1})
        s.add(
            ConversationDraft(
                user_id=anna.id,
                flow="toelichting",
                state="text",
                data={"typed": SIGNAL_2},
                submission_key="k1",
                expires_at=now,
            )
        )
    async with transaction(factory) as s:
        erased = await erasure.erase_expert(s, anna.id, now)
    assert erased is not None
    assert (erased.narratives, erased.vindplekken, erased.audit_rows, erased.drafts) == (1, 1, 2, 1)
    async with transaction(factory) as s:
        assert await erasure.erase_expert(s, anna.id, now) is None
        assert await erasure.erase_expert(s, 999, now) is None
        places = {p.id: p for p in (await s.exec(select(Vindplek))).all()}
        assert places[shared.id].name == "De Kolk" and places[shared.id].created_by_id is None
        assert places[own.id].name == f"[verwijderd] {own.id}" and not places[own.id].active
        assert (await s.get(ReportNarrative, narrative.id)).text == erasure.PLACEHOLDER
        rows = (await s.exec(select(AuditLog).order_by(AuditLog.id))).all()
        assert [r.after for r in rows] == [{"text": erasure.PLACEHOLDER}, {"n": 1}]
        assert rows[1].before == {"note": erasure.PLACEHOLDER}
        assert (await s.exec(select(ConversationDraft))).all() == []
        person = await s.get(User, anna.id)
        assert (person.telegram_user_id, person.chat_id) == (-anna.id, -anna.id)
        assert (await s.get(User, bert.id)).telegram_user_id == TG_ID + 1


async def test_retention_job_is_scheduled(tmp_path):
    from bot import housekeeping
    from tests.conftest import scheduled_app

    async with scheduled_app(tmp_path) as application:
        jobs = {j.id: j for j in application.job_queue.scheduler.get_jobs()}
        job = jobs[housekeeping.RETENTION_JOB_ID]
        assert job.coalesce is True and job.max_instances == 1
        assert job.trigger.interval.total_seconds() == 24 * 3600


def test_typed_text_is_never_a_formula_in_the_export():
    from zoneinfo import ZoneInfo

    from bot.export_file import render_export
    from bot.i18n import translator
    from bot.storage.export import PersonalData, Sheet

    data = PersonalData(
        user=User(telegram_user_id=1, chat_id=1, role="expert"),
        home_municipality=None,
        sheets=[Sheet("stories", "Verhalen", ("Tekst",), [("=HYPERLINK(1)",), ("http://x.nl",)])],
    )
    content = render_export(data, translator("nl"), ZoneInfo("Europe/Amsterdam"))
    ws = openpyxl.load_workbook(io.BytesIO(content))["Verhalen"]
    assert [(c.value, c.data_type) for c in ws["A"][1:]] == [
        ("=HYPERLINK(1)", "s"),
        ("http://x.nl", "s"),
    ]
