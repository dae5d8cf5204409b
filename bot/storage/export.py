"""Everything the bot holds about one person (GDPR art. 15 and 20): for /mijngegevens and its
export. Labels instead of ids wherever a reference list names them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.i18n import N_
from bot.storage.models import (
    ActivityType,
    AuditLog,
    Contact,
    ContactFollowup,
    ContactTheme,
    DayOff,
    Deelopdracht,
    IndirectHours,
    IndirectKind,
    KeyFigure,
    Municipality,
    NonUseReason,
    ReachChannel,
    ReferralTarget,
    ReportNarrative,
    Signal,
    SignalKind,
    Story,
    Theme,
    User,
    Village,
    Vindplek,
    table_of,
)
from bot.storage.query_helpers import as_date

Row = tuple[Any, ...]


@dataclass
class Sheet:
    """One table of the export: a title and header (msgids) and the rows."""

    key: str
    title: str
    header: tuple[str, ...]
    rows: list[Row] = field(default_factory=list)


@dataclass
class PersonalData:
    user: User
    home_municipality: str | None
    sheets: list[Sheet]

    def sheet(self, key: str) -> Sheet:
        return next(s for s in self.sheets if s.key == key)

    def counts(self) -> dict[str, tuple[int, int]]:
        """Per entry kind: (kept, deleted) rows."""
        out: dict[str, tuple[int, int]] = {}
        for key in ("contacts", "hours", "signals", "stories"):
            rows = self.sheet(key).rows
            deleted = sum(1 for r in rows if r[-1] is not None)
            out[key] = (len(rows) - deleted, deleted)
        return out

    def period(self) -> tuple[date, date] | None:
        days = [
            r[1]
            for key in ("contacts", "hours", "signals", "stories")
            for r in self.sheet(key).rows
        ]
        return (min(days), max(days)) if days else None


ENTRY_TIMES = (N_("Opgeslagen op"), N_("Gewijzigd op"), N_("Verwijderd op"))
# A key figure's contact as the export shows it (KeyFigureQuality values).
QUALITY_WORDS = {"goed": "goed", "af_en_toe": "af en toe"}


async def _rows(s: AsyncSession, stmt: sa.Select[Any]) -> list[Row]:
    return [tuple(r) for r in (await (await s.connection()).execute(stmt)).all()]


async def _labels(s: AsyncSession, model: Any, column: str = "label") -> dict[int, str]:
    t = table_of(model).c
    return {int(r[0]): str(r[1]) for r in await _rows(s, sa.select(t.id, t[column]))}


TIMES = ("created_at", "updated_at", "deleted_at")


async def _owned(
    s: AsyncSession,
    model: Any,
    owner: str,
    uid: int | None,
    columns: Sequence[str],
    labels: dict[str, dict[int, str]],
) -> list[Row]:
    """The person's rows of `model` (owner column = uid), oldest first, with `columns`; a
    column named in `labels` shows the label instead of the id."""
    t = table_of(model).c
    order = [t[name] for name in ("work_date", "id") if name in t]
    stmt = sa.select(*(t[name] for name in columns)).where(t[owner] == uid).order_by(*order)

    def show(name: str, value: Any) -> Any:
        if value is None or name not in labels:
            return as_date(value) if name == "work_date" else value
        return labels[name].get(int(value), "?")

    return [
        tuple(show(name, value) for name, value in zip(columns, r, strict=True))
        for r in await _rows(s, stmt)
    ]


async def personal_data(s: AsyncSession, user: User) -> PersonalData:
    uid = user.id
    munis = await _labels(s, Municipality, "name")
    themes = await _labels(s, Theme)
    labels = {
        "municipality_id": munis,
        "theme_id": themes,
        "vindplek_id": await _labels(s, Vindplek, "name"),
        "activity_type_id": await _labels(s, ActivityType),
        "reach_channel_id": await _labels(s, ReachChannel),
        "referral_target_id": await _labels(s, ReferralTarget),
        "non_use_reason_id": await _labels(s, NonUseReason),
        "deelopdracht_id": await _labels(s, Deelopdracht, "title"),
    }
    c = table_of(Contact).c
    ct = table_of(ContactTheme).c
    contact_themes: dict[int, list[str]] = {}
    for contact_id, theme_id in await _rows(
        s,
        sa.select(ct.contact_id, ct.theme_id)
        .join(table_of(Contact), c.id == ct.contact_id)
        .where(c.expert_id == uid)
        .order_by(ct.contact_id, ct.theme_id),
    ):
        contact_themes.setdefault(int(contact_id), []).append(themes.get(int(theme_id), "?"))
    contacts = [
        (*r[:6], ", ".join(contact_themes.get(int(r[0]), [])), *r[6:])
        for r in await _owned(
            s,
            Contact,
            "expert_id",
            uid,
            (
                "id",
                "work_date",
                "duration_minutes",
                "municipality_id",
                "vindplek_id",
                "activity_type_id",
                "residents_count",
                "residents_new",
                "reach_channel_id",
                "referral_target_id",
                "non_use_reason_id",
                "deelopdracht_id",
                *TIMES,
            ),
            labels,
        )
    ]
    entry = ("id", "work_date")
    kinds = {"kind_id": await _labels(s, IndirectKind)}
    signal_kinds = {"kind_id": await _labels(s, SignalKind)}
    hours, signals, stories, vindplekken, narratives = [
        await _owned(s, model, owner, uid, columns, labels | extra)
        for model, owner, columns, extra in (
            (
                IndirectHours,
                "expert_id",
                (*entry, "duration_minutes", "kind_id", "municipality_id", *TIMES),
                kinds,
            ),
            (
                Signal,
                "expert_id",
                (*entry, "kind_id", "municipality_id", "theme_id", "text", *TIMES),
                signal_kinds,
            ),
            (
                Story,
                "expert_id",
                (*entry, "municipality_id", "theme_id", "contact_id", "text", *TIMES),
                {},
            ),
            (
                Vindplek,
                "created_by_id",
                ("id", "municipality_id", "name", "address", "created_at"),
                {},
            ),
            (
                ReportNarrative,
                "author_id",
                ("id", "municipality_id", "period_key", "text", "updated_at"),
                {},
            ),
        )
    ]
    days_off = await _owned(s, DayOff, "expert_id", uid, ("work_date",), labels)
    key_figures = [
        (*r[:5], as_date(r[5]), QUALITY_WORDS.get(r[6], r[6]), r[7], as_date(r[8]), *r[9:])
        for r in await _owned(
            s,
            KeyFigure,
            "expert_id",
            uid,
            (
                "id",
                "role",
                "municipality_id",
                "village_id",
                "vindplek_id",
                "since",
                "quality",
                "deelopdracht_id",
                "ended_on",
                *TIMES,
            ),
            labels | {"village_id": await _labels(s, Village, "name")},
        )
    ]
    followups = [
        (r[0], r[1], as_date(r[2]), *r[3:])
        for r in await _owned(
            s,
            ContactFollowup,
            "expert_id",
            uid,
            ("id", "contact_id", "due_on", "asked_at", "answered_at", "went_on", "service_kind_id"),
            {"service_kind_id": labels["referral_target_id"]},
        )
    ]
    # Audit rows about them: what they did, and changes to their entries by anyone.
    a = table_of(AuditLog).c
    own = {
        "contact": [r[0] for r in contacts],
        "indirect_hours": [r[0] for r in hours],
        "signal": [r[0] for r in signals],
        "story": [r[0] for r in stories],
        "vindplek": [r[0] for r in vindplekken],
        "report_narrative": [r[0] for r in narratives],
        "key_figure": [r[0] for r in key_figures],
        "app_user": [uid],
    }
    about = [sa.and_(a.entity == e, a.entity_id.in_(ids)) for e, ids in own.items() if ids]
    audit = [
        (r[0], r[1], r[2] == uid, *r[3:])
        for r in await _rows(
            s,
            sa.select(a.id, a.at, a.actor_id, a.entity, a.entity_id, a.action, a.before, a.after)
            .where(sa.or_(a.actor_id == uid, *about))
            .order_by(a.at, a.id),
        )
    ]

    home = munis.get(user.home_municipality_id) if user.home_municipality_id else None
    days = "".join(sorted(user.reminder_days))
    profile: list[Row] = [
        (N_("Naam"), user.display_name),
        (N_("Telegram-id"), user.telegram_user_id),
        (N_("Rol"), user.role),
        (N_("Eigen gemeente"), home),
        (N_("Taal"), user.language),
        (N_("Aangemeld op"), user.created_at),
        (N_("Herinneringen aan"), user.reminders_enabled),
        (N_("Herinneringsdagen (1 = maandag)"), days),
        (N_("Herinneringstijd"), user.reminder_time.strftime("%H:%M")),
        (N_("Pauze tot"), user.pause_until),
    ]
    sheets = [
        Sheet("profile", N_("Profiel"), (N_("Gegeven"), N_("Waarde")), profile),
        Sheet(
            "contacts",
            N_("Contacten"),
            (
                N_("Nummer"),
                N_("Datum"),
                N_("Minuten"),
                N_("Gemeente"),
                N_("Vindplek"),
                N_("Soort inzet"),
                N_("Thema's"),
                N_("Inwoners"),
                N_("Nieuw"),
                N_("Bereikt via"),
                N_("Doorverwezen naar"),
                N_("Reden geen gebruik"),
                N_("Deelopdracht"),
                *ENTRY_TIMES,
            ),
            contacts,
        ),
        Sheet(
            "hours",
            N_("Uren"),
            (N_("Nummer"), N_("Datum"), N_("Minuten"), N_("Soort"), N_("Gemeente"), *ENTRY_TIMES),
            hours,
        ),
        Sheet(
            "signals",
            N_("Signalen"),
            (
                N_("Nummer"),
                N_("Datum"),
                N_("Soort"),
                N_("Gemeente"),
                N_("Thema"),
                N_("Tekst"),
                *ENTRY_TIMES,
            ),
            signals,
        ),
        Sheet(
            "stories",
            N_("Verhalen"),
            (
                N_("Nummer"),
                N_("Datum"),
                N_("Gemeente"),
                N_("Thema"),
                N_("Bij contact"),
                N_("Tekst"),
                *ENTRY_TIMES,
            ),
            stories,
        ),
        Sheet(
            "vindplekken",
            N_("Vindplekken"),
            (N_("Nummer"), N_("Gemeente"), N_("Naam"), N_("Adres"), N_("Opgeslagen op")),
            vindplekken,
        ),
        Sheet(
            "narratives",
            N_("Toelichtingen"),
            (N_("Nummer"), N_("Gemeente"), N_("Periode"), N_("Tekst"), N_("Gewijzigd op")),
            narratives,
        ),
        Sheet("days_off", N_("Niets te melden"), (N_("Datum"),), days_off),
        Sheet(
            "key_figures",
            N_("Sleutelfiguren"),
            (
                N_("Nummer"),
                N_("Rol"),
                N_("Gemeente"),
                N_("Dorp"),
                N_("Vindplek"),
                N_("Sinds"),
                N_("Contact"),
                N_("Deelopdracht"),
                N_("Beëindigd op"),
                *ENTRY_TIMES,
            ),
            key_figures,
        ),
        Sheet(
            "followups",
            N_("Doorstroom"),
            (
                N_("Nummer"),
                N_("Bij contact"),
                N_("Vragen op"),
                N_("Gevraagd op"),
                N_("Beantwoord op"),
                N_("Gebruikt aanbod (aantal)"),
                N_("Soort aanbod"),
            ),
            followups,
        ),
        Sheet(
            "audit",
            N_("Wijzigingen"),
            (
                N_("Nummer"),
                N_("Tijd"),
                N_("Door jou zelf"),
                N_("Soort"),
                N_("Nummer invoer"),
                N_("Actie"),
                N_("Voor"),
                N_("Na"),
            ),
            audit,
        ),
    ]
    return PersonalData(user=user, home_municipality=home, sheets=sheets)
