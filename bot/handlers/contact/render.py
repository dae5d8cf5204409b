"""Each step of the contact dialogue as a message and buttons: synchronous, over the view."""

from __future__ import annotations

from datetime import timedelta

from bot.dialogue import Screen, labels
from bot.domain import contact_draft as cdm
from bot.handlers.common import Button, esc
from bot.handlers.contact.codec import date_arg
from bot.handlers.contact.texts import CARE_LABELS, FIELD_LABELS, MAX_ECHO_WORD, MAX_NAME, clip
from bot.handlers.contact.view import (
    ContactView,
    fmt_day,
    fmt_minutes,
    mark,
    place_text,
    residents_text,
    short,
    summary_lines,
)
from bot.handlers.shared import rows_of

# The steps that choose one item of a vocabulary: its kind and the draft's field.
STEP_VOCAB = {
    "activity": "activity_types",
    "reach": "reach_channels",
    "referral": "referral_targets",
}


def _now(v: ContactView, value: str) -> str:
    return v.t._("Nu: {value}").format(value=value)


def date(v: ContactView) -> Screen:
    _ = v.t._
    current, today = v.cd.work_date, v.today
    # The day itself is in the button, not "1 day back": a button shown before midnight
    # and pressed after it still means the day its label named.
    yesterday = today - timedelta(days=1)
    days = [(mark(_("Vandaag"), current == today), v.button("d", date_arg(today)))]
    if v.settings.max_back_days >= 1:
        days.append((mark(_("Gisteren"), current == yesterday), v.button("d", date_arg(yesterday))))
    rows = [days]
    if v.cd.mode == "steps" and current == today and v.cd.municipality_id is not None:
        # The "Klopt" path: today in the usual municipality, one tap for both steps.
        place = v.ref.municipality(v.cd.municipality_id)
        name = clip(place.name, MAX_NAME) if place else "?"
        rows.insert(0, [(_("Klopt: vandaag, {place} →").format(place=name), v.button("ok"))])
    lines = ["<b>" + _("Op welke dag was het contact?") + "</b>"]
    if current:
        lines.append(_now(v, esc(fmt_day(v, current))))
    lines.append(_("Of typ een datum, bijvoorbeeld <i>12-3</i> of <i>maandag</i>."))
    return "\n".join(lines), rows


def gemeente(v: ContactView) -> Screen:
    _ = v.t._
    cd = v.cd
    munis = [
        (mark(m.name, m.id == cd.municipality_id), v.button("m", m.id))
        for m in v.ref.municipalities
    ]
    lines = ["<b>" + _("In welke gemeente?") + "</b>"]
    if cd.municipality_id:
        lines.append(_now(v, place_text(v)))
    lines.append(_("Of typ een dorp of stad, bijvoorbeeld <i>Blerick</i>."))
    return "\n".join(lines), rows_of(munis, 2)


def vindplek(v: ContactView) -> Screen:
    _ = v.t._
    cd = v.cd
    buttons = [
        [(mark(clip(p.name, MAX_NAME), p.id == cd.vindplek_id), v.button("p", p.id))]
        for p in v.places
    ]
    no_place = cd.vindplek_id is None and not cd.new_vindplek and cd.history[-1:] != ["gemeente"]
    buttons.append(
        [
            (mark(_("Geen vaste plek"), no_place), v.button("p", 0)),
            (_("Andere gemeente"), v.button("m")),
        ]
    )
    lines = ["<b>" + _("Op welke plek (vindplek)?") + "</b>", _now(v, place_text(v))]
    lines.append(_("Staat de plek er niet bij? Typ de naam, dan voeg ik hem toe."))
    return "\n".join(lines), buttons


def vocab(v: ContactView) -> Screen:
    _ = v.t._
    state = v.state
    items = v.ref.items(STEP_VOCAB[state])
    current = v.cd.referrals if state == "referral" else [getattr(v.cd, state)]
    buttons = [[(mark(it.label, it.code in current), v.button("v", it.id))] for it in items]
    question = {
        "activity": _("Wat voor inzet was het?"),
        "reach": _("Hoe heb je de inwoner(s) bereikt?"),
        "referral": _("Heb je iemand doorverwezen? Naar wie?"),
    }[state]
    lines = [f"<b>{question}</b>"]
    chosen = [it for it in items if it.code in current]
    if chosen:
        lines.append(_now(v, esc(", ".join(it.label for it in chosen))))
    if state == "referral":
        lines.append(_("Naar meer dan één? Kies ze na elkaar, vanuit het overzicht."))
    if state != "activity":
        lines.append(_("Niet van toepassing? Tik op Overslaan."))
    return "\n".join(lines), buttons


def themes(v: ContactView) -> Screen:
    _ = v.t._
    items = v.ref.items("themes")
    chosen_codes = v.cd.themes
    toggles = [
        (mark(short(it.label), it.code in chosen_codes), v.button("t", it.id)) for it in items
    ]
    buttons = rows_of(toggles, 2)
    buttons.append([(_(labels.NEXT), v.button("go"))])
    chosen = [it for it in items if it.code in chosen_codes]
    lines = [
        "<b>" + _("Over welke thema’s ging het?") + "</b>",
        _("Tik alles aan wat past, daarna op Verder."),
        _now(v, esc(", ".join(short(c.label) for c in chosen)) if chosen else "–"),
    ]
    return "\n".join(lines), buttons


def residents(v: ContactView) -> Screen:
    _ = v.t._
    current = v.cd.residents_count
    buttons = [
        [(mark(str(n), current == n), v.button("n", n)) for n in cdm.COUNT_CHOICES]
        + [(mark("5+", current is not None and current >= 5), v.button("n", "more"))],
        [(_("Eén, nieuw"), v.button("n", "1new")), (_("Eén, bekend"), v.button("n", "1known"))],
    ]
    lines = ["<b>" + _("Met hoeveel inwoners?") + "</b>"]
    if current is not None:
        lines.append(_now(v, str(current)))
    if v.extra.get("ask_count"):
        lines.append(_("Typ het aantal, bijvoorbeeld <i>8</i>."))
    else:
        lines.append(_("Meer dan 4? Typ het aantal."))
    return "\n".join(lines), buttons


def new(v: ContactView) -> Screen:
    _ = v.t._
    kind = cdm.new_known(v.cd)
    count = v.cd.residents_count or 1
    opts = [
        (mark(_("Nieuw"), kind == "new"), v.button("nw", "new")),
        (mark(_("Bekend"), kind == "known"), v.button("nw", "known")),
    ]
    if count > 1:
        opts.append((mark(_("Deels"), kind == "mixed"), v.button("nw", "mixed")))
    question = (
        _("Was de inwoner nieuw voor jou, of kende je hem of haar al?")
        if count == 1
        else v.t.ngettext(
            "Was de {count} inwoner nieuw voor jou, of kende je hem of haar al?",
            "Waren de {count} inwoners nieuw voor jou, of kende je ze al?",
            count,
        ).format(count=count)
    )
    lines = [f"<b>{question}</b>"]
    if kind:
        lines.append(_now(v, esc(residents_text(v.t, v.cd))))
    if v.extra.get("ask_new") or count > 1:
        lines.append(_("Deels nieuw? Typ hoeveel er nieuw waren."))
    return "\n".join(lines), [opts]


def duration(v: ContactView) -> Screen:
    _ = v.t._
    current = v.cd.duration_minutes
    opts = [
        (mark(fmt_minutes(v.t, m), current == m), v.button("u", m)) for m in cdm.DURATION_CHOICES
    ]
    lines = ["<b>" + _("Hoe lang duurde het?") + "</b>"]
    if current:
        lines.append(_now(v, esc(fmt_minutes(v.t, current))))
    lines.append(_("Of typ de duur, bijvoorbeeld <i>20 min</i> of <i>1u30</i>."))
    return "\n".join(lines), [opts[:3], opts[3:]]


def deelopdracht(v: ContactView) -> Screen:
    _ = v.t._
    cd = v.cd
    options = v.ref.active_deelopdrachten(cd.municipality_id, cd.work_date or v.today)
    buttons = [
        [(mark(clip(d.title, MAX_NAME), d.id == cd.deelopdracht_id), v.button("o", d.id))]
        for d in options
    ]
    lines = ["<b>" + _("Hoort dit contact bij een deelopdracht van de gemeente?") + "</b>"]
    lines.append(_("Zo niet, tik op Overslaan."))
    return "\n".join(lines), buttons


def nonuse(v: ContactView) -> Screen:
    """Drempels: why the new residents did not use services (yet); several, or unknown."""
    _ = v.t._
    cd = v.cd
    items = v.ref.items("non_use_reasons")
    toggles = [
        (mark(short(it.label), it.code in cd.non_use), v.button("nu", it.id)) for it in items
    ]
    buttons = rows_of(toggles, 2)
    buttons.append(
        [
            (mark(_("Weet ik niet"), cd.non_use_known is False), v.button("nuk")),
            (_(labels.NEXT), v.button("nugo")),
        ]
    )
    count = cd.residents_new or 1
    question = v.t.ngettext(
        "Waarom maakte de nieuwe inwoner nog geen gebruik van hulp of voorzieningen?",
        "Waarom maakten de {count} nieuwe inwoners nog geen gebruik van hulp of voorzieningen?",
        count,
    ).format(count=count)
    chosen = [it for it in items if it.code in cd.non_use]
    lines = [f"<b>{question}</b>", _("Tik alles aan wat past, daarna op Verder.")]
    if chosen:
        lines.append(_now(v, esc(", ".join(short(c.label) for c in chosen))))
    elif cd.non_use_known is False:
        lines.append(_now(v, _("weet ik niet")))
    return "\n".join(lines), buttons


def care(v: ContactView) -> Screen:
    _ = v.t._
    current = v.cd.care_relation
    buttons = [
        [(mark(_(label), code == current), v.button("cr", code))]
        for code, label in CARE_LABELS.items()
    ]
    question = _("Hoe hing dit contact samen met professionele zorg?")
    lines = [f"<b>{question}</b>"]
    if current in CARE_LABELS:
        lines.append(_now(v, esc(_(CARE_LABELS[current]))))
    lines.append(_("Niet van toepassing? Tik op Overslaan."))
    return "\n".join(lines), buttons


def story(v: ContactView) -> Screen:
    _ = v.t._
    lines = [
        "<b>" + _("Wil je kort vertellen wat het contact opleverde?") + "</b>",
        _(
            "Een paar zinnen, zonder namen of andere gegevens waarmee iemand te herkennen "
            "is. Typ het hieronder, of tik op Overslaan."
        ),
    ]
    if v.cd.story:
        lines.append(_now(v, f"<i>{esc(clip(v.cd.story, 200))}</i>"))
    return "\n".join(lines), []


def confirm_day(v: ContactView) -> Screen:
    _ = v.t._
    assert v.cd.work_date is not None
    key = v.draft.submission_key
    buttons = [[(_("Ja, opslaan"), v.button("sy", key))], [(_("Duur aanpassen"), v.button("dur"))]]
    text = _(
        "Met dit contact kom je op {total} op {day}. Dat is meer dan {max}. Klopt dat?"
    ).format(
        total=esc(fmt_minutes(v.t, v.day_total)),
        day=esc(v.t.fmt_date(v.cd.work_date)),
        max=esc(fmt_minutes(v.t, int(v.settings.max_day_hours * 60))),
    )
    return text, buttons


def summary(v: ContactView) -> Screen:
    _ = v.t._
    cd = v.cd
    has_deel = v.has_deel
    title = _("Zelfde als vorige keer?") if cd.from_last else _("Klopt dit?")
    lines = [f"<b>{title}</b>", *summary_lines(v, has_deel=has_deel)]
    buttons: list[list[Button]] = []
    if cdm.is_complete(cd):
        lines.append("")
        lines.append(_("Tik op <b>Opslaan</b>, of op wat je wilt veranderen."))
        buttons.append([(_(labels.SAVE), v.button("s", v.draft.submission_key))])
    edits = [
        (_(FIELD_LABELS[i.step]), v.button("e", i.step))
        for i in cdm.summary_items(cd, has_deelopdrachten=has_deel)
    ]
    buttons += rows_of(edits, 3)
    buttons.append([(_(labels.STOP), v.button("stop"))])
    return "\n".join(lines), buttons


def one_line(v: ContactView) -> str:
    """The contact in one line: "dinsdag 24 november, Venray, outreach, 3 inwoners, 30 min"."""
    cd = v.cd
    parts: list[str] = []
    if cd.work_date is not None:
        parts.append(esc(fmt_day(v, cd.work_date)))
    if cd.municipality_id is not None:
        parts.append(place_text(v))
    item = v.ref.by_code("activity_types", cd.activity) if cd.activity else None
    if item is not None:
        parts.append(esc(item.label))
    if cd.residents_count:
        n = cd.residents_count
        parts.append(v.t.ngettext("{n} inwoner", "{n} inwoners", n).format(n=n))
    if cd.duration_minutes:
        parts.append(esc(fmt_minutes(v.t, cd.duration_minutes)))
    return ", ".join(parts) or "–"


def replace(v: ContactView) -> Screen:
    """A new /contact came while this one is not saved: save (or finish) it first, or throw it
    away and go on with the new one. The new one is kept meanwhile."""
    _ = v.t._
    cd = v.cd
    if cd.editing_id is not None:
        head = _("Je wijziging van een contact is nog niet opgeslagen: {summary}.")
    else:
        head = _("Je vorige contact is nog niet opgeslagen: {summary}.")
    correcting = bool(((cd.pending or {}).get("data") or {}).get("editing_id"))
    if correcting:  # /corrigeer: a saved contact to change waits
        kept = _("Daarna kun je het andere contact wijzigen. Wat doe je met het vorige?")
        discard = _("Weggooien, nu wijzigen")
    else:
        kept = _("Je nieuwe contact onthoud ik. Wat doe je met het vorige?")
        discard = _("Weggooien, nieuw contact")
    lines = ["<b>" + head.format(summary=one_line(v)) + "</b>", kept]
    ready = cdm.replaced_from(cd)[1]
    first = _("Eerst dat opslaan") if ready else _("Eerst dat afmaken")
    buttons: list[list[Button]] = [
        [(first, v.button("rs", v.draft.submission_key))],
        [(discard, v.button("rn"))],
    ]
    return "\n".join(lines), buttons


def ask(v: ContactView) -> Screen:
    """A part of the one-line entry that was not used: what was understood, and the question."""
    _ = v.t._
    q = v.cd.questions[0]
    raw = esc(", ".join(clip(w, MAX_ECHO_WORD) for w in str(q.get("raw", "")).split(", ")))
    value = q.get("value")
    buttons: list[list[Button]] = []
    if q["kind"] == "minutes" and value is not None:
        question = _("Is {n} de duur in minuten?").format(n=raw)
        buttons.append(
            [
                (
                    _("Ja, {duration}").format(duration=fmt_minutes(v.t, int(value))),
                    v.button("q", "yes"),
                )
            ]
        )
    elif q["kind"] == "count" and value is not None:
        question = _("Is {n} het aantal inwoners?").format(n=raw)
        count = v.t.ngettext("Ja, {n} inwoner", "Ja, {n} inwoners", int(value)).format(n=value)
        buttons.append([(count, v.button("q", "yes"))])
    else:
        question = _("Wat bedoel je met <i>{word}</i>?").format(word=raw)
        for i, (kind, code) in enumerate(q.get("options") or []):
            item = v.ref.by_code(kind, code)
            if item is not None:
                buttons.append([(short(item.label), v.button("q", i))])
    buttons.append([(_("Niet gebruiken"), v.button("q", "no"))])
    lines = [
        "<b>" + _("Dit heb ik begrepen") + "</b>",
        *summary_lines(v, has_deel=False, filled=True),
    ]
    lines += ["", f"<b>{question}</b>"]
    return "\n".join(lines), buttons
