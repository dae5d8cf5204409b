"""/deelopdracht: one render function per step (pure: the view has everything)."""

from __future__ import annotations

from datetime import date

from bot.dialogue import Screen, labels
from bot.domain import deel_values as dv
from bot.domain.measures import MEASURES, Unit, format_progress_line
from bot.handlers.common import Button, esc
from bot.handlers.deelopdracht.view import (
    FIELD_LABELS,
    FILTER_LABELS,
    KIND_LABELS,
    DeelView,
    measure_words,
    period_text,
    target_words,
    window_words,
)
from bot.handlers.report_common import muni_buttons
from bot.handlers.shared import gone, rows_of, typing_frame
from bot.storage.deelopdrachten import Measure

WINDOW_CHOICES = (3, 6, 12)
LENGTH_CHOICES = (6, 12, 24)  # months, for the end date of a new deelopdracht


def _title(view: DeelView) -> str:
    """The open deelopdracht's title ("" when it is gone)."""
    return view.detail.row.title if view.detail else ""


def _back(view: DeelView, action: str = "open") -> list[Button]:
    return [(view.t._(labels.BACK), view.button(action))]


# --------------------------------------------------------------------------- choosing


def render_munis(view: DeelView) -> Screen:
    _ = view.t._
    buttons: list[Button] = [
        (
            f"{m.label} ({view.counts[m.id]})" if view.counts.get(m.id) else m.label,
            view.button("m", m.id),
        )
        for m in view.munis
    ]
    return esc(_("Deelopdrachten van welke gemeente? Tussen haakjes: hoeveel er zijn.")), [
        *rows_of(buttons, 2),
        [(_(labels.DONE), view.button("x"))],
    ]


def render_list(view: DeelView) -> Screen:
    _ = view.t._
    muni = view.muni_name(view.muni_id) or ""
    lines = [f"<b>{esc(muni)}</b>"]
    if not view.summaries:
        lines.append(esc(_("Deze gemeente heeft nog geen deelopdrachten.")))
    else:
        lines.append(esc(_("Tik op een deelopdracht. ⏹ = beëindigd.")))
    buttons = [
        (("⏹ " if d.ended(view.today) else "") + f"{d.title} ({d.code})", view.button("d", d.id))
        for d in view.summaries
    ]
    return "\n".join(lines), [
        *[[b] for b in buttons],
        [(_("Nieuwe deelopdracht"), view.button("new"))],
        [(_("« Gemeenten"), view.button("munis"))],
    ]


# --------------------------------------------------------------------------- a new one


def _new_head(view: DeelView) -> str:
    muni = view.muni_name(view.muni_id) or ""
    return "<b>" + esc(view.t._("Nieuwe deelopdracht in {muni}").format(muni=muni)) + "</b>\n"


def _new_question(view: DeelView, question: str) -> Screen:
    """A typed step of a new deelopdracht: the ``question`` (translated) and a stop button."""
    return _new_head(view) + esc(question), [[(view.t._(labels.STOP), view.button("list"))]]


def render_title(view: DeelView) -> Screen:
    return _new_question(
        view, view.t._("Typ de titel, bijvoorbeeld: Outreach naar inwoners die zorg mijden.")
    )


def render_code(view: DeelView) -> Screen:
    _ = view.t._
    new = view.data.get("new") or {}
    text = _new_head(view) + esc(
        _(
            "Welke korte naam? Die typen ervaringsdeskundigen als ze een contact bij deze "
            "deelopdracht vastleggen. Tik op de knop of typ een andere."
        )
    )
    return text, [
        [(_("Gebruik {code}").format(code=new.get("code", "")), view.button("okcode"))],
        [(_(labels.STOP), view.button("list"))],
    ]


def render_start(view: DeelView) -> Screen:
    return _new_question(
        view,
        view.t._(
            "Wanneer begint de deelopdracht? Typ de datum met jaartal, bijvoorbeeld 1-1-2027."
        ),
    )


def render_end(view: DeelView) -> Screen:
    _ = view.t._
    new = view.data.get("new") or {}
    start = date.fromisoformat(new["start"]) if new.get("start") else None
    text = _new_head(view) + esc(
        _("Begint op {start}. Hoe lang loopt hij? Tik op een knop of typ de einddatum.").format(
            start=view.t.fmt_date(start, "d MMMM y") if start else "?"
        )
    )
    buttons = [(view.t.months(n), view.button("len", n)) for n in LENGTH_CHOICES]
    return text, [buttons, [(_(labels.STOP), view.button("list"))]]


# --------------------------------------------------------------------------- one


def render_deel(view: DeelView) -> Screen:
    t = view.t
    _ = t._
    d = view.detail
    if d is None:
        return gone(view, _("Deze deelopdracht bestaat niet meer."), _("« Gemeenten"), "munis")
    row = d.row
    ended = d.ended(view.today)
    lines = [
        f"<b>{esc(row.title)}</b>",
        esc(_("{muni} · korte naam: {code}").format(muni=d.municipality, code=row.code)),
        esc(_("Periode: {period}").format(period=period_text(t, row.starts_on, row.ends_on))),
    ]
    if ended:
        lines.append("⏹ " + esc(_("Beëindigd.")))
    for name in ("goals", "monitoring", "frequency", "accounting"):
        value = getattr(row, name)
        if value:
            lines.append(f"<i>{esc(_(FIELD_LABELS[name]))}:</i> {esc(value)}")
    lines.append(
        esc(
            t.ngettext(
                "Doorstroomvraag: {n} week na het contact.",
                "Doorstroomvraag: {n} weken na het contact.",
                row.followup_weeks,
            ).format(n=row.followup_weeks)
        )
    )
    lines.append("\n<b>" + esc(_("Meetpunten")) + "</b>")
    if d.measures:
        for n, m in enumerate(d.measures, 1):
            lines.append(f"{n}. {esc(_words(view, m))}")
    else:
        lines.append(esc(_("Nog geen meetpunten.")))
    lines += progress_lines(view)
    lines.append("\n<b>" + esc(_("Rapportagemomenten")) + "</b>")
    lines.append(esc(", ".join(t.fmt_date(m, "d MMMM y") for m in d.moments) or _("Nog geen.")))
    buttons: list[list[Button]] = [
        [(_("Wijzigen"), view.button("fields")), (_("Rapportagemomenten"), view.button("mom"))],
        [(_("Meetpunt erbij"), view.button("madd"))]
        + ([(_("Meetpunt weg"), view.button("mrm"))] if d.measures else []),
    ]
    if d.measures:
        buttons.append([(_("Doel van een meetpunt wijzigen"), view.button("mtg"))])
    if ended:
        buttons.append([(_("Heropenen"), view.button("reopen"))])
    elif row.active:
        buttons.append([(_("Beëindigen"), view.button("endq"))])
    buttons.append([(_("« Lijst"), view.button("list")), (_(labels.DONE), view.button("x"))])
    return "\n".join(lines), buttons


def progress_lines(view: DeelView) -> list[str]:
    """The measures' progress today (`bot.storage.deel_progress`), one line each."""
    if not view.progress:
        return []
    head = view.t._("Stand op {day}").format(day=view.t.fmt_date(view.today, "d MMMM y"))
    return ["\n<b>" + esc(head) + "</b>"] + [
        "• " + esc(format_progress_line(p, view.t)) for p in view.progress
    ]


def render_fields(view: DeelView) -> Screen:
    _ = view.t._
    title = _title(view)
    buttons = [(_(label), view.button("f", name)) for name, label in FIELD_LABELS.items()]
    buttons.append((_("Gemeente"), view.button("fm")))
    return "<b>" + esc(title) + "</b>\n" + esc(_("Wat wil je wijzigen?")), [
        *rows_of(buttons, 2),
        _back(view),
    ]


def render_fmuni(view: DeelView) -> Screen:
    _ = view.t._
    current = view.detail.row.municipality_id if view.detail else None
    return esc(_("Bij welke gemeente hoort de deelopdracht?")), [
        *muni_buttons(view, marked=frozenset({current} if current else set())),
        _back(view),
    ]


def render_moments(view: DeelView) -> Screen:
    _ = view.t._
    t = view.t
    moments = view.detail.moments if view.detail else []
    text = esc(
        _(
            "Rapportagemomenten. Typ een datum met jaartal om er een toe te voegen "
            "(bijvoorbeeld 15-4-2027). Tik op een datum om hem weg te halen."
        )
    )
    buttons = [
        ("✕ " + t.fmt_date(m, "d MMMM y"), view.button("rm", m.isoformat())) for m in moments
    ]
    return text, [*rows_of(buttons, 2), _back(view)]


def render_endq(view: DeelView) -> Screen:
    _ = view.t._
    title = _title(view)
    text = esc(
        _(
            "{title} beëindigen? Hij stopt vandaag ({today}). Voor contacten na vandaag "
            "kunnen ervaringsdeskundigen hem niet meer kiezen. Wat al is vastgelegd, blijft."
        ).format(title=title, today=view.t.fmt_date(view.today, "d MMMM y"))
    )
    return text, [[(_("Ja, beëindigen"), view.button("endok")), (_("Nee"), view.button("open"))]]


def render_reopen(view: DeelView) -> Screen:
    _ = view.t._
    title = _title(view)
    text = esc(
        _(
            "{title} heropenen: ervaringsdeskundigen kunnen hem dan weer kiezen. Tot wanneer "
            "loopt hij? Tik op een knop (maanden tellen vanaf vandaag) of typ de einddatum, "
            "bijvoorbeeld 31-12."
        ).format(title=title)
    )
    rows: list[list[Button]] = []
    if view.planned_end is not None:
        day = view.t.fmt_date(view.planned_end, "d MMMM y")
        label = _("Tot {day}, zoals gepland").format(day=day)
        rows.append([(label, view.button("rend", view.planned_end.isoformat()))])
    rows.append([(view.t.months(n), view.button("rlen", n)) for n in LENGTH_CHOICES])
    return text, [*rows, _back(view)]


# --------------------------------------------------------------------------- measures


def _measure_head(view: DeelView) -> str:
    title = _title(view)
    return "<b>" + esc(view.t._("Nieuw meetpunt voor {title}").format(title=title)) + "</b>\n"


def render_mkind(view: DeelView) -> Screen:
    _ = view.t._
    buttons = [
        (_(label) + (" (%)" if MEASURES[kind].unit is Unit.percent else ""), view.button("k", kind))
        for kind, label in KIND_LABELS.items()
    ]
    return _measure_head(view) + esc(_("Wat wordt er geteld?")), [
        *[[b] for b in buttons],
        _back(view),
    ]


def render_mtarget(view: DeelView) -> Screen:
    _ = view.t._
    kind = view.measure.get("kind", "")
    ask = (
        _("Welk percentage is het doel? Typ bijvoorbeeld 80%.")
        if dv.is_share(kind)
        else _("Hoeveel is het doel? Typ een getal, bijvoorbeeld 25.")
    )
    return _measure_head(view) + esc(_(KIND_LABELS.get(kind, kind))) + "\n" + esc(ask), [
        _back(view)
    ]


def render_mwindow(view: DeelView) -> Screen:
    _ = view.t._
    m = view.measure
    head = _measure_head(view) + esc(
        f"{_(KIND_LABELS.get(m.get('kind', ''), ''))}: "
        f"{target_words(view.t, m.get('kind', ''), float(m.get('target', 0)))}"
    )
    has_start = view.detail is not None and view.detail.row.starts_on is not None
    if not has_start:
        text = (
            head
            + "\n"
            + esc(
                _("Deze deelopdracht heeft geen begindatum: het doel geldt voor de hele periode.")
            )
        )
        return text, [[(_(labels.NEXT), view.button("w", 0))], _back(view)]
    text = (
        head
        + "\n"
        + esc(_("Voor welke tijd geldt het doel? Tik op een knop of typ een aantal maanden."))
    )
    return text, [
        [(_("Hele periode"), view.button("w", 0))],
        [(window_words(view.t, n), view.button("w", n)) for n in WINDOW_CHOICES],
        _back(view),
    ]


def render_mfilter(view: DeelView) -> Screen:
    _ = view.t._
    m = view.measure
    text = (
        _measure_head(view)
        + esc(measure_words(view, m))
        + "\n\n"
        + esc(
            _(
                "Alleen tellen wat bij een soort inzet, kanaal, thema, toeleiding of vindplek "
                "hoort? Tik op een lijst. Of sla het meetpunt zo op."
            )
        )
    )
    chosen = m.get("f") or {}
    buttons = [
        (_(label) + (f" ({len(chosen[key])})" if chosen.get(key) else ""), view.button("fk", key))
        for key, label in FILTER_LABELS.items()
    ]
    return text, [
        *rows_of(buttons, 2),
        [(_("Eigen omschrijving"), view.button("mlabel"))],
        [(_(labels.SAVE), view.button("msave")), (_(labels.STOP), view.button("open"))],
    ]


def render_mlabel(view: DeelView) -> Screen:
    _ = view.t._
    text = _measure_head(view) + esc(
        _(
            "Typ een eigen omschrijving van het meetpunt, bijvoorbeeld: Nieuwe inwoners "
            "bereikt via outreach. Die staat dan in het overzicht en het rapport."
        )
    )
    return text, [[(_("Niet wijzigen"), view.button("mback"))]]


def render_mpick(view: DeelView) -> Screen:
    _ = view.t._
    m = view.measure
    key = str(m.get("fk", ""))
    chosen = set((m.get("f") or {}).get(key, []))
    options = view.filter_options(key)
    text = esc(
        _("{list}: tik aan wat meetelt (✓). Niets aangetikt: alles telt.").format(
            list=_(FILTER_LABELS.get(key, key))
        )
    )
    if not options:
        text += "\n" + esc(_("Deze lijst is leeg."))
    buttons = [
        (("✓ " if value in chosen else "") + label, view.button("t", button_id))
        for button_id, value, label in options
    ]
    return text, [*rows_of(buttons, 2), [(_(labels.DONE), view.button("fdone"))]]


def _pick_measure(view: DeelView, question: str, action: str, mark: str = "") -> Screen:
    """One button per measure ("2. Contacten"), tapping ``action`` with its id."""
    _ = view.t._
    measures = view.detail.measures if view.detail else []
    return esc(question), [
        *[
            [(f"{mark}{n}. " + _(KIND_LABELS.get(m.kind, m.kind)), view.button(action, m.id))]
            for n, m in enumerate(measures, 1)
        ],
        _back(view),
    ]


def render_mremove(view: DeelView) -> Screen:
    return _pick_measure(view, view.t._("Welk meetpunt moet weg?"), "mx", "✕ ")


def _words(view: DeelView, m: Measure) -> str:
    spec = {
        "kind": m.kind,
        "label": m.label,
        "target": m.target,
        "window": m.window_months,
        "f": m.filter,
    }
    return measure_words(view, spec)


def render_mtpick(view: DeelView) -> Screen:
    return _pick_measure(view, view.t._("Van welk meetpunt wijzig je het doel?"), "mt")


def render_mtnew(view: DeelView) -> Screen:
    _ = view.t._
    measures = view.detail.measures if view.detail else []
    chosen = view.data.get("mt")
    found = [(n, m) for n, m in enumerate(measures, 1) if m.id == chosen]
    if not found:
        return gone(view, _("Dat meetpunt bestaat niet meer."), _(labels.BACK), "open")
    n, m = found[0]
    ask = (
        _("Typ het nieuwe doel als percentage, bijvoorbeeld 80%.")
        if dv.is_share(m.kind)
        else _("Typ het nieuwe doel als getal, bijvoorbeeld 25.")
    )
    return f"{n}. {esc(_words(view, m))}\n{esc(ask)}", [_back(view)]


# --------------------------------------------------------------------------- every step


def typing_text(view: DeelView) -> str | None:
    _ = view.t._
    typing = view.data.get("typing")
    if not typing:
        return None
    if typing in ("starts_on", "ends_on"):
        return _("Typ de nieuwe {field} met jaartal, bijvoorbeeld 1-1-2027.").format(
            field=_(FIELD_LABELS[typing]).lower()
        )
    if typing == "followup_weeks":
        return _("Na hoeveel weken komt de doorstroomvraag? Typ een getal van 1 tot 52.")
    if typing == "code":
        return _("Typ de nieuwe korte naam (letters, cijfers, - of _).")
    if typing in ("goals", "monitoring", "frequency", "accounting"):
        return _("Typ de nieuwe tekst voor {field}. Typ - om hem leeg te maken.").format(
            field=_(FIELD_LABELS[typing]).lower()
        )
    return _("Typ de nieuwe {field}.").format(field=_(FIELD_LABELS.get(typing, typing)).lower())


def typing_prompt(view: DeelView) -> str | None:
    text = typing_text(view)
    return None if text is None else esc(text)


deel_frame = typing_frame(typing_prompt)
