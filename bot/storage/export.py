"""Everything the bot holds about one person (GDPR art. 15 and 20): for /mijngegevens and its
export. Labels instead of ids wherever a reference list names them."""

from __future__ import annotations

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
    ContactTheme,
    DayOff,
    Deelopdracht,
    IndirectHours,
    IndirectKind,
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
    Vindplek,
    table_of,
)

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


async def _rows(s: AsyncSession, stmt: sa.Select[Any]) -> list[Row]:
    return [tuple(r) for r in (await (await s.connection()).execute(stmt)).all()]


async def _labels(s: AsyncSession, model: Any, column: str = "label") -> dict[int, str]:
    t = table_of(model).c
    return {int(r[0]): str(r[1]) for r in await _rows(s, sa.select(t.id, t[column]))}


def _date(value: Any) -> Any:
    if isinstance(value, str):  # SQLite returns dates of Core selects as text
        return date.fromisoformat(value[:10])
    return value


async def personal_data(s: AsyncSession, user: User) -> PersonalData:
    uid = user.id
    munis = await _labels(s, Municipality, "name")
    themes = await _labels(s, Theme)
    activities = await _labels(s, ActivityType)
    kinds = await _labels(s, IndirectKind)
    signal_kinds = await _labels(s, SignalKind)
    reach = await _labels(s, ReachChannel)
    referral = await _labels(s, ReferralTarget)
    non_use = await _labels(s, NonUseReason)
    deelopdrachten = await _labels(s, Deelopdracht, "title")
    places = await _labels(s, Vindplek, "name")

    def lab(labels: dict[int, str], key: Any) -> str | None:
        return None if key is None else labels.get(int(key))

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
        (
            r[0],
            _date(r[1]),
            r[2],
            lab(munis, r[3]),
            lab(places, r[4]),
            lab(activities, r[5]),
            ", ".join(contact_themes.get(int(r[0]), [])),
            r[6],
            r[7],
            lab(reach, r[8]),
            lab(referral, r[9]),
            lab(non_use, r[10]),
            lab(deelopdrachten, r[11]),
            *r[12:],
        )
        for r in await _rows(
            s,
            sa.select(
                c.id,
                c.work_date,
                c.duration_minutes,
                c.municipality_id,
                c.vindplek_id,
                c.activity_type_id,
                c.residents_count,
                c.residents_new,
                c.reach_channel_id,
                c.referral_target_id,
                c.non_use_reason_id,
                c.deelopdracht_id,
                c.created_at,
                c.updated_at,
                c.deleted_at,
            )
            .where(c.expert_id == uid)
            .order_by(c.work_date, c.id),
        )
    ]
    i = table_of(IndirectHours).c
    hours = [
        (r[0], _date(r[1]), r[2], lab(kinds, r[3]), lab(munis, r[4]), *r[5:])
        for r in await _rows(
            s,
            sa.select(
                i.id,
                i.work_date,
                i.duration_minutes,
                i.kind_id,
                i.municipality_id,
                i.created_at,
                i.updated_at,
                i.deleted_at,
            )
            .where(i.expert_id == uid)
            .order_by(i.work_date, i.id),
        )
    ]
    g = table_of(Signal).c
    signals = [
        (r[0], _date(r[1]), lab(signal_kinds, r[2]), lab(munis, r[3]), lab(themes, r[4]), *r[5:])
        for r in await _rows(
            s,
            sa.select(
                g.id,
                g.work_date,
                g.kind_id,
                g.municipality_id,
                g.theme_id,
                g.text,
                g.created_at,
                g.updated_at,
                g.deleted_at,
            )
            .where(g.expert_id == uid)
            .order_by(g.work_date, g.id),
        )
    ]
    st = table_of(Story).c
    stories = [
        (r[0], _date(r[1]), lab(munis, r[2]), lab(themes, r[3]), *r[4:])
        for r in await _rows(
            s,
            sa.select(
                st.id,
                st.work_date,
                st.municipality_id,
                st.theme_id,
                st.contact_id,
                st.text,
                st.created_at,
                st.updated_at,
                st.deleted_at,
            )
            .where(st.expert_id == uid)
            .order_by(st.work_date, st.id),
        )
    ]
    v = table_of(Vindplek).c
    vindplekken = [
        (r[0], lab(munis, r[1]), *r[2:])
        for r in await _rows(
            s,
            sa.select(v.id, v.municipality_id, v.name, v.address, v.created_at)
            .where(v.created_by_id == uid)
            .order_by(v.id),
        )
    ]
    n = table_of(ReportNarrative).c
    narratives = [
        (r[0], lab(munis, r[1]), *r[2:])
        for r in await _rows(
            s,
            sa.select(n.id, n.municipality_id, n.period_key, n.text, n.updated_at)
            .where(n.author_id == uid)
            .order_by(n.id),
        )
    ]
    d = table_of(DayOff).c
    days_off = [
        (_date(r[0]),)
        for r in await _rows(
            s, sa.select(d.work_date).where(d.expert_id == uid).order_by(d.work_date)
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
        (N_("Telegram-nummer"), user.telegram_user_id),
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
