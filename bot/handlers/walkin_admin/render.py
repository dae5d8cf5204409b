"""Each step of /inloopbeheer as a message with buttons, from its view (synchronous)."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.dialogue import Screen, labels
from bot.handlers.common import Button
from bot.handlers.walkin_admin.texts import (
    ACTIONS,
    FIELDS,
    cap,
    exception_label,
    exception_line,
    field_values,
    long_date,
    session_label,
    session_text,
    weekday_name,
    yes_no,
)
from bot.handlers.walkin_admin.view import UNDO_KIND, AdminView
from bot.text import esc

SESSIONS_PER_PAGE = 20


def quit_row(view: AdminView) -> list[Button]:
    return [(view.t._(labels.STOP), view.button("quit"))]


def menu(view: AdminView) -> Screen:
    _ = view.t._
    rows = [[(_(label), view.button(code))] for code, label in ACTIONS.items()]
    return _("Wat wil je doen met de inloop en spreekuren?"), [*rows, quit_row(view)]


def municipality(view: AdminView) -> Screen:
    _ = view.t._
    buttons = [(m.name, view.button("m", m.id)) for m in view.municipalities]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    return _("Welke gemeente? Kies hieronder of typ de naam."), [*rows, quit_row(view)]


def _page(view: AdminView, count: int) -> tuple[slice, list[list[Button]]]:
    """This page's slice of a long list, and a "more" button when there is a next page."""
    page = int(view.data.get("page", 0))
    more = [[(view.t._("Meer …"), view.button("more"))]]
    chunk = slice(page * SESSIONS_PER_PAGE, (page + 1) * SESSIONS_PER_PAGE)
    return chunk, more if count > (page + 1) * SESSIONS_PER_PAGE else []


def session(view: AdminView) -> Screen:
    t = view.t
    _ = t._
    data = view.data
    extra = data["action"] == "extra"
    chunk, more = _page(view, len(view.sessions))
    rows = [[(session_label(t, row), view.button("s", row.id))] for row, _n in view.sessions[chunk]]
    rows += more
    if extra:
        rows.append([(_("Andere plek"), view.button("other"))])
    muni = esc(data["muni_name"])
    if not view.sessions:
        text = _("Er staat nog geen inloop in {muni}.").format(muni=muni)
        if extra:
            text += "\n" + _("Kies 'Andere plek' om een losse datum toe te voegen.")
    elif extra:
        text = _("Bij welke inloop hoort de extra datum? Of kies 'Andere plek'.")
    else:
        text = _("Welke inloop in {muni}?").format(muni=muni)
    return text, [*rows, quit_row(view)]


def exception(view: AdminView) -> Screen:
    t = view.t
    _ = t._
    data = view.data
    chunk, more = _page(view, len(view.coming))
    rows = [
        [(exception_label(t, exc, base), view.button("e", exc.id))]
        for exc, base in view.coming[chunk]
    ]
    muni = esc(data["muni_name"])
    if data["action"] == "unskip":
        text = (
            _("Welke afzegging wil je terugdraaien?")
            if view.coming
            else _("In {muni} is vanaf vandaag geen datum afgezegd.").format(muni=muni)
        )
    else:
        text = (
            _("Welke extra datum wil je weghalen?")
            if view.coming
            else _("In {muni} staat vanaf vandaag geen extra datum.").format(muni=muni)
        )
    return text, [*rows, *more, quit_row(view)]


def known_places(data: dict[str, Any]) -> list[list[str]]:
    """Places (with address) already in the municipality: offered where the address comes
    along (a new session or an extra date), not when only the name changes."""
    return data.get("known", []) if data.get("action") in ("new", "extra") else []


def place(view: AdminView) -> Screen:
    _ = view.t._
    known = known_places(view.data)
    rows = [[(k[0][:48], view.button("p", i))] for i, k in enumerate(known)]
    text = _("Hoe heet de plek? Typ bijvoorbeeld: Buurthuis De Kolk")
    if known:
        text += "\n" + _("Of kies een plek die er al is.")
    return text, [*rows, quit_row(view)]


def address(view: AdminView) -> Screen:
    _ = view.t._
    return _("Wat is het adres? Typ bijvoorbeeld: Kerkstraat 12, Blerick"), [quit_row(view)]


def weekday(view: AdminView) -> Screen:
    t = view.t
    days = [(weekday_name(t, i), view.button("w", i)) for i in range(7)]
    return t._("Op welke dag van de week?"), [days[0:3], days[3:5], days[5:7], quit_row(view)]


def times(view: AdminView) -> Screen:
    _ = view.t._
    data = view.data
    rows = []
    if data["action"] == "extra" and data.get("start"):
        same = f"{data['start']} – {data['end']}"
        rows.append([(_("Zelfde tijd ({times})").format(times=same), view.button("same"))])
    return _("Van hoe laat tot hoe laat? Typ bijvoorbeeld 10:00-12:00"), [*rows, quit_row(view)]


def field(view: AdminView) -> Screen:
    _ = view.t._
    rows = [[(_(label), view.button("f", code))] for code, label in FIELDS.items()]
    return _("Wat wil je wijzigen?"), [*rows, quit_row(view)]


def _date_stop(view: AdminView) -> Screen:
    _ = view.t._
    return (
        _(
            "Wanneer is de laatste keer? Kies 'Nu stoppen' of typ de laatste datum, "
            "bijvoorbeeld 30-6."
        ),
        [[(_("Nu stoppen"), view.button("now"))], quit_row(view)],
    )


def _date_skip(view: AdminView) -> Screen:
    t = view.t
    rows = [
        [(cap(long_date(t, d, view.today)), view.button("x", f"{d:%Y%m%d}"))] for d in view.dates
    ]
    return (
        t._("Welke datum gaat niet door? Kies hieronder of typ een datum, bijvoorbeeld 24-12."),
        [*rows, quit_row(view)],
    )


def _date_other(view: AdminView) -> Screen:
    _ = view.t._
    return _("Op welke datum? Typ bijvoorbeeld 24-12 of volgende vrijdag."), [quit_row(view)]


def day(view: AdminView) -> Screen:
    by_action = {"stop": _date_stop, "skip": _date_skip}
    return by_action.get(view.data["action"], _date_other)(view)


def upload(view: AdminView) -> Screen:
    _ = view.t._
    return (
        _(
            "Stuur het CSV-bestand als bijlage. De eerste regel is:\n"
            "<code>gemeente,plek,adres,weekdag,begin,einde</code>\n"
            "Extra kolommen mogen: geldig_vanaf, geldig_tot, open_op_feestdagen, opmerking."
        ),
        [quit_row(view)],
    )


# --------------------------------------------------------------------------- the summary


def _new(view: AdminView) -> Screen:
    t = view.t
    _ = t._
    data = view.data
    kind = data.get("kind", "inloop")
    lines = [
        "<b>" + _("Nieuw") + "</b>",
        _("Gemeente: {v}").format(v=esc(data["muni_name"])),
        _("Plek: {v}").format(v=esc(data["place"])),
        _("Adres: {v}").format(v=esc(data["address"])),
        _("Dag: elke {v}").format(v=weekday_name(t, data["weekday"])),
        _("Tijd: {start} – {end}").format(start=data["start"], end=data["end"]),
        _("Soort: {v}").format(v=_(kind)),
        _("Open op feestdagen: {v}").format(v=yes_no(t, bool(data.get("hol")))),
        "",
        _("Klopt dit?"),
    ]
    other_kind = "spreekuur" if kind == "inloop" else "inloop"
    holidays = _("Wel open op feestdagen") if not data.get("hol") else _("Niet open op feestdagen")
    return "\n".join(lines), [
        _save_row(view),
        [(_("Maak er een {kind} van").format(kind=_(other_kind)), view.button("kind"))],
        [(holidays, view.button("hol"))],
        quit_row(view),
    ]


def _import(view: AdminView) -> Screen:
    return view.data["preview"], [[(view.t._("Inlezen"), view.button("save"))], quit_row(view)]


def _undo(view: AdminView) -> Screen:
    t = view.t
    _ = t._
    data = view.data
    action = data["action"]
    found = next((c for c in view.coming if c[0].id == data["exc_id"]), None)
    if found is None:
        return _("Deze datum was al weggehaald. Typ /inloopbeheer om verder te gaan."), []
    exc, base = found
    effect = (
        _("Inwoners zien dan weer dat deze inloop op {date} doorgaat.").format(
            date=long_date(t, exc.on_date, view.today)
        )
        if action == "unskip"
        else _("Inwoners zien deze extra datum dan niet meer.")
    )
    lines = [
        "<b>" + esc(_(ACTIONS[action])) + "</b>",
        exception_line(t, exc, base),
        effect,
        "",
        _("Klopt dit?"),
    ]
    return "\n".join(lines), [_save_row(view), quit_row(view)]


def _on(view: AdminView) -> date:
    return date.fromisoformat(view.data["date"])


def _edit(view: AdminView) -> list[str]:
    t, data, row = view.t, view.data, view.session
    assert row is not None
    before, after = field_values(t, row, data)
    return [
        "<b>" + t._("Wijzigen") + "</b>",
        session_text(t, row),
        f"{esc(t._(FIELDS[data['field']]))}: {before} → <b>{after}</b>",
    ]


def _stop(view: AdminView) -> list[str]:
    t, row = view.t, view.session
    assert row is not None
    when = (
        t._("Vanaf nu staat deze inloop niet meer in de lijst.")
        if not view.data.get("date")
        else t._("De laatste keer is op {date}.").format(date=long_date(t, _on(view), view.today))
    )
    return ["<b>" + t._("Stoppen met een inloop") + "</b>", session_text(t, row), when]


def _skip(view: AdminView) -> list[str]:
    t, row = view.t, view.session
    assert row is not None
    return [
        "<b>" + t._("Afzeggen") + "</b>",
        session_text(t, row),
        t._("Gaat niet door op {date}.").format(date=long_date(t, _on(view), view.today)),
    ]


def _extra(view: AdminView) -> list[str]:
    t, data = view.t, view.data
    _ = t._
    return [
        "<b>" + _("Extra datum") + "</b>",
        _("Gemeente: {v}").format(v=esc(data["muni_name"])),
        _("Datum: {v}").format(v=long_date(t, _on(view), view.today)),
        _("Tijd: {start} – {end}").format(start=data["start"], end=data["end"]),
        _("Plek: {v}").format(v=esc(data["place"])),
        _("Adres: {v}").format(v=esc(data["address"])),
    ]


def _save_row(view: AdminView) -> list[Button]:
    return [(view.t._(labels.SAVE), view.button("save"))]


# Summaries of a change to one session: they need that session to still be there.
_SESSION_SUMMARIES = {"edit": _edit, "stop": _stop, "skip": _skip}


def summary(view: AdminView) -> Screen:
    action = view.data["action"]
    if action == "new":
        return _new(view)
    if action == "imp":
        return _import(view)
    if action in UNDO_KIND:
        return _undo(view)
    if action == "extra":
        lines = _extra(view)
    elif view.session is not None and action in _SESSION_SUMMARIES:
        lines = _SESSION_SUMMARIES[action](view)
    else:
        return (
            view.t._("Deze inloop bestaat niet meer. Typ /inloopbeheer om opnieuw te beginnen."),
            [],
        )
    return "\n".join([*lines, "", view.t._("Klopt dit?")]), [_save_row(view), quit_row(view)]
