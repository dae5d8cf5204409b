"""The words of /inloopbeheer: menu and field names, and how a session, a cancelled or extra
date and a date are written (for a button, short and plain; in a message, HTML)."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.domain.walkin_input import hhmm
from bot.i18n import N_, Translator
from bot.storage.models import WalkInException, WalkInSession
from bot.text import esc

ACTIONS = {
    "new": N_("Nieuwe inloop of spreekuur"),
    "edit": N_("Tijd, dag of plek wijzigen"),
    "stop": N_("Stoppen met een inloop"),
    "skip": N_("Eén datum afzeggen"),
    "extra": N_("Extra datum toevoegen"),
    "unskip": N_("Afzegging terugdraaien"),
    "unextra": N_("Extra datum weghalen"),
    "list": N_("Overzicht per gemeente"),
    "poster": N_("Poster maken (PDF)"),
    "imp": N_("CSV-bestand inlezen"),
}
FIELDS = {
    "place": N_("Plek"),
    "address": N_("Adres"),
    "weekday": N_("Dag"),
    "times": N_("Tijden"),
}
# Every refused button (older step, finished or expired dialogue, unknown) gets this answer.
GONE = N_(
    "Deze knop hoort bij een eerdere stap. Er is niets dubbel opgeslagen. "
    "Typ /inloopbeheer om verder te gaan."
)
LABEL_LENGTH = 48


def _short(label: str) -> str:
    return label if len(label) <= LABEL_LENGTH else label[: LABEL_LENGTH - 1] + "…"


def weekday_name(t: Translator, weekday: int) -> str:
    return t.weekday(weekday)


def session_label(t: Translator, row: WalkInSession) -> str:
    """'di 10:00–12:00 · Buurthuis De Kolk' for a button (short)."""
    day = t.weekday(row.weekday, short=True)
    return _short(f"{day} {hhmm(row.start_time)}–{hhmm(row.end_time)} · {row.place}")


def session_text(t: Translator, row: WalkInSession) -> str:
    """'Buurthuis De Kolk, elke dinsdag 10:00 – 12:00' (HTML)."""
    return t._("{place}, elke {weekday} {start} – {end}").format(
        place=esc(row.place),
        weekday=weekday_name(t, row.weekday),
        start=hhmm(row.start_time),
        end=hhmm(row.end_time),
    )


def exception_line(t: Translator, exc: WalkInException, base: WalkInSession | None) -> str:
    """'di 10 mrt: Buurthuis De Kolk gaat niet door' or 'za 7 mrt: extra 10:00 – 12:00, …'."""
    _ = t._
    place = exc.place or (base.place if base else "")
    when = t.fmt_short_date(exc.on_date)
    if exc.kind == "cancelled":
        return _("{date}: {place} gaat niet door").format(date=when, place=esc(place))
    start = exc.start_time or (base.start_time if base else None)
    end = exc.end_time or (base.end_time if base else None)
    return _("{date}: extra {start} – {end}, {place}").format(
        date=when,
        start=hhmm(start) if start else "",
        end=hhmm(end) if end else "",
        place=esc(place),
    )


def exception_label(t: Translator, exc: WalkInException, base: WalkInSession | None) -> str:
    """'di 10 mrt 10:00–12:00 · Buurthuis De Kolk' for a button (short, plain text)."""
    place = exc.place or (base.place if base else "")
    start = exc.start_time or (base.start_time if base else None)
    end = exc.end_time or (base.end_time if base else None)
    times = f" {hhmm(start)}–{hhmm(end)}" if start and end else ""
    return _short(f"{t.fmt_short_date(exc.on_date)}{times} · {place}")


def long_date(t: Translator, d: date, today: date) -> str:
    """'dinsdag 10 maart', with the year when it is not this year ('maandag 1 maart 2027')."""
    return t.fmt_date(d) if d.year == today.year else t.fmt_date(d, "EEEE d MMMM y")


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def yes_no(t: Translator, value: bool) -> str:
    return t._("ja") if value else t._("nee")


def clash_text(t: Translator, other: WalkInSession) -> str:
    """The change would make a twin of `other`: say which one is there already."""
    return t._("Deze inloop stond er al. Er is niets veranderd.") + "\n" + session_text(t, other)


def field_values(t: Translator, row: WalkInSession, data: dict[str, Any]) -> tuple[str, str]:
    """The chosen field of `row` before and after the change (HTML)."""
    field = data["field"]
    if field == "place":
        return esc(row.place), esc(data["place"])
    if field == "address":
        return esc(row.address), esc(data["address"])
    if field == "weekday":
        return weekday_name(t, row.weekday), weekday_name(t, data["weekday"])
    return (
        f"{hhmm(row.start_time)} – {hhmm(row.end_time)}",
        f"{data['start']} – {data['end']}",
    )
