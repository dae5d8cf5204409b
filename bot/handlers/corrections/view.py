"""/corrigeer: what each step shows. The view (the entry being corrected, or a page of the
expert's latest entries) is loaded once per update; rendering is synchronous over it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.dialogue import Screen, Turn, labels
from bot.domain import limits
from bot.handlers import fields
from bot.handlers.common import Button, esc
from bot.handlers.shared import StepLoader, load_step, rows_of
from bot.handlers.week import fmt_duration
from bot.i18n import N_, Translator
from bot.storage import contacts, worklog
from bot.storage.models import id_of

NAME = "corrigeer"
PREFIX = "k"
COMMAND = "/corrigeer"
LIST_SIZE = 8
MAX_OFFSET = 10_000  # paging stops here; keeps button data short and queries small

# One letter per entity in button data, to stay far below 64 bytes.
CODES = {"c": "contact", "h": "indirect_hours", "s": "signal", "v": "story"}
LETTER = {v: k for k, v in CODES.items()}
NAMES = {
    "contact": N_("Contact"),
    "indirect_hours": N_("Uren zonder inwoner"),
    "signal": N_("Signaal"),
    "story": N_("Verhaal"),
}
MAX_CHARS = {"signal": limits.MAX_SIGNAL_CHARS, "story": limits.MAX_STORY_CHARS}
TIMED = ("contact", "indirect_hours")
# The entry's buttons (`f:<field>`) and the step each opens.
FIELD_STATES = {
    "date": "date",
    "dur": "duration",
    "kind": "kind",
    "muni": "muni",
    "theme": "theme",
    "deel": "deel",
    "text": "text",
}
# What can be corrected one field at a time, per entity (a contact: also "Alles aanpassen").
FIELDS = {
    "contact": ("date", "dur", "muni"),
    "indirect_hours": ("date", "dur", "kind", "muni"),
    "signal": ("date", "kind", "muni", "theme", "text"),
    "story": ("date", "muni", "theme", "deel", "text"),
}
FIELD_NAMES = {
    "date": N_("Datum"),
    "dur": N_("Duur"),
    "kind": N_("Soort"),
    "muni": N_("Gemeente"),
    "theme": N_("Thema"),
    "deel": N_("Deelopdracht"),
    "text": N_("Tekst aanpassen"),
}
NOT_FOUND = N_("Die invoer kan ik niet (meer) vinden.")


def editable(entry: worklog.Entry, has_deel: bool) -> tuple[str, ...]:
    """The fields of ``entry`` that can be changed here. A story told with a contact takes its
    date, municipality and deelopdracht from the contact; a story's deelopdracht only when it
    has one or its municipality has active ones (``has_deel``)."""
    out = FIELDS[entry.entity]
    if entry.entity == "story":
        if entry.contact_id is not None:
            return ("theme", "text")
        if entry.deelopdracht_id is None and not has_deel:
            return tuple(f for f in out if f != "deel")
    return out


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def entry_label(t: Translator, e: worklog.Entry) -> str:
    """One button line: "di 17 nov · overleg · 1,5 uur · Venlo"."""
    _ = t._
    parts = [t.fmt_short_date(e.work_date)]
    if e.entity == "contact":
        parts.append(_short(e.kind or _("contact"), 22))
    elif e.entity == "indirect_hours":
        parts.append(e.kind or "")
    elif e.entity == "signal":
        parts.append(_("signaal {kind}").format(kind=e.kind or ""))
    else:
        parts.append(_("verhaal"))
    if e.minutes is not None:
        parts.append(fmt_duration(t, e.minutes))
    parts.append(fields.municipality_label(t, e.municipality))
    if e.text:
        parts.append(_short(e.text, 18))
    return " · ".join(p for p in parts if p)


def entry_details(t: Translator, e: worklog.Entry) -> str:
    _ = t._
    title = _(NAMES[e.entity])
    rows = [(_("Datum"), t.fmt_date(e.work_date))]
    if e.kind:
        rows.append((_("Soort"), e.kind))
    if e.minutes is not None:
        rows.append((_("Duur"), fmt_duration(t, e.minutes)))
    rows.append((_("Gemeente"), fields.municipality_label(t, e.municipality)))
    if e.entity in ("signal", "story"):
        rows.append((_("Thema"), fields.short_label(e.theme) if e.theme else _("geen")))
    if e.deelopdracht:
        rows.append((_("Deelopdracht"), e.deelopdracht))
    lines = [f"<b>{esc(title)}</b>"] + [f"{esc(k)}: <b>{esc(v)}</b>" for k, v in rows]
    if e.text:
        lines.append(f"<i>{esc(e.text)}</i>")
    return "\n".join(lines)


def offset_of(data: dict[str, Any]) -> int:
    value = data.get("offset", 0)
    return value if isinstance(value, int) and 0 <= value <= MAX_OFFSET else 0


def parse_page_action(action: str) -> int | None:
    """`p16` -> 16 (a list page starting after the 16 newest entries); None otherwise."""
    if action.startswith("p") and action[1:].isdigit() and len(action) <= 6:
        offset = int(action[1:])
        return offset if offset <= MAX_OFFSET else None
    return None


def duration_limit(entity: str) -> int:
    return limits.MAX_CONTACT_MINUTES if entity == "contact" else limits.MAX_DAY_MINUTES


# --------------------------------------------------------------------------- the view


@dataclass(kw_only=True)
class CorrView(fields.FieldView):
    offset: int = 0  # list: the page shown
    entries: list[worklog.Entry] = field(default_factory=list)  # list: one more than shown
    entry: worklog.Entry | None = None  # every other step: the entry being corrected
    munis: list[worklog.Option] = field(default_factory=list)  # muni
    options: list[worklog.Option] = field(default_factory=list)  # kind, theme, deel
    has_deel: bool = False  # entry, deel: a story whose municipality has active deelopdrachten
    lost: bool = False  # the entry was gone: back on the list

    @property
    def fields(self) -> tuple[str, ...]:
        """What can be changed of the entry shown."""
        return editable(self.entry, self.has_deel) if self.entry is not None else ()


def expert_id(turn: Turn[CorrView]) -> int:
    user = turn.context.app_user
    assert user is not None and user.id is not None
    return user.id


async def _load_entry(turn: Turn[CorrView], view: CorrView) -> None:
    """The entry being corrected; when it is gone, the draft goes back to the list."""
    data = turn.draft.data
    if data.get("entity") in worklog.ENTITIES:
        entry_id = int(data["id"])
        view.entry = await worklog.get_entry(turn.s, data["entity"], entry_id, expert_id(turn))
    if view.entry is None:  # deleted meanwhile (or never there): the list, freshly
        await turn.save(state="list", data={"offset": offset_of(data)})
        view.draft, view.lost = turn.draft, True


async def _load_list(turn: Turn[CorrView], view: CorrView) -> None:
    offset = offset_of(turn.draft.data)
    entries = await worklog.recent_entries(turn.s, expert_id(turn), LIST_SIZE + 1, offset)
    while not entries and offset > 0:  # e.g. the last entry of the last page was deleted
        offset = max(0, offset - LIST_SIZE)
        entries = await worklog.recent_entries(turn.s, expert_id(turn), LIST_SIZE + 1, offset)
    view.offset, view.entries = offset, entries


async def _load_munis(turn: Turn[CorrView], view: CorrView) -> None:
    view.munis = await worklog.municipalities(turn.s)


async def _load_kinds(turn: Turn[CorrView], view: CorrView) -> None:
    hours = view.entry is not None and view.entry.entity == "indirect_hours"
    view.options = await (worklog.indirect_kinds if hours else worklog.signal_kinds)(turn.s)


async def _load_themes(turn: Turn[CorrView], view: CorrView) -> None:
    view.options = await worklog.themes(turn.s)


async def _load_deels(turn: Turn[CorrView], view: CorrView) -> None:
    """A story's choice of deelopdracht: the active ones of its municipality on its date."""
    e = view.entry
    if e is None or e.entity != "story" or e.contact_id is not None or e.municipality_id is None:
        return
    rows = await contacts.active_deelopdrachten(turn.s, e.municipality_id, e.work_date)
    view.options = [worklog.Option(id_of(d), d.code, d.title) for d in rows]
    view.has_deel = bool(view.options)


# What a step shows besides its entry (every step but the list has one).
LOADERS: dict[str, StepLoader[CorrView]] = {
    "list": _load_list,
    "muni": _load_munis,
    "entry": _load_deels,
    "kind": _load_kinds,
    "theme": _load_themes,
    "deel": _load_deels,
}


async def load(turn: Turn[CorrView]) -> CorrView:
    view = CorrView(**fields.field_view(turn))
    if turn.draft.state != "list":
        await _load_entry(turn, view)
        if view.lost:
            return view
    return await load_step(turn, view, LOADERS)


# --------------------------------------------------------------------------- rendering


def _done(v: CorrView) -> list[Button]:
    return [(v.t._(labels.DONE), v.button("x"))]


def render_list(v: CorrView) -> Screen:
    t = v.t
    _ = t._
    head = esc(_(NOT_FOUND)) + "\n\n" if v.lost else ""
    if not v.entries:
        return head + esc(_("Je hebt (nog) niets ingevoerd om aan te passen.")), [_done(v)]
    rows = [
        [(entry_label(t, e), v.button(f"e{LETTER[e.entity]}{e.id}"))] for e in v.entries[:LIST_SIZE]
    ]
    paging = []
    if len(v.entries) > LIST_SIZE and v.offset + LIST_SIZE <= MAX_OFFSET:
        paging.append((_("« Oudere"), v.button(f"p{v.offset + LIST_SIZE}")))
    if v.offset > 0:
        paging.append((_("Nieuwere »"), v.button(f"p{max(0, v.offset - LIST_SIZE)}")))
    return (
        head
        + "<b>"
        + esc(_("Je laatste invoer"))
        + "</b>\n"
        + esc(_("Kies wat je wilt aanpassen of verwijderen. Het nieuwste staat bovenaan.")),
        [*rows, *([paging] if paging else []), _done(v)],
    )


def about(v: CorrView, question: str) -> str:
    """The entry, and what this step asks about it."""
    assert v.entry is not None
    return entry_details(v.t, v.entry) + "\n\n" + question


def back(v: CorrView) -> list[Button]:
    return [(v.t._(labels.BACK), v.button("o"))]


def render_entry(v: CorrView) -> Screen:
    _ = v.t._
    assert v.entry is not None
    edit_rows = rows_of([(_(FIELD_NAMES[f]), v.button("f", f)) for f in v.fields], 2)
    if v.entry.entity == "contact":
        edit_rows.append([(_("Alles aanpassen"), v.button("all"))])
    question = esc(_("Wat wil je doen?"))
    if v.entry.entity == "story" and v.entry.contact_id is not None:
        shared = _(
            "Dit verhaal hoort bij een contact. Datum en gemeente pas je aan bij dat contact."
        )
        question = esc(shared) + "\n" + question
    return (
        about(v, question),
        [
            *edit_rows,
            [(_("Verwijderen"), v.button("del"))],
            [(_(labels.BACK_TO_LIST), v.button("l")), *_done(v)],
        ],
    )


def render_date(v: CorrView) -> Screen:
    t = v.t
    return (
        about(v, fields.date_help(t, v.max_back)),
        [*fields.date_buttons(t, v.today, v.max_back, v.button), back(v)],
    )


def render_duration(v: CorrView) -> Screen:
    t = v.t
    return about(v, fields.duration_help(t)), [*fields.duration_buttons(t, v.button), back(v)]


def render_muni(v: CorrView) -> Screen:
    assert v.entry is not None
    regional = v.entry.entity != "contact"
    rows = fields.municipality_buttons(v.t, v.munis, v.button, regional=regional)
    return about(v, esc(v.t._("Kies de gemeente."))), [*rows, back(v)]


def render_text(v: CorrView) -> Screen:
    t = v.t
    assert v.entry is not None
    ask = t._("Typ de nieuwe tekst (maximaal {max} tekens). Houd het anoniem.")
    return about(v, esc(ask.format(max=t.number(MAX_CHARS[v.entry.entity], 0)))), [back(v)]


def render_confirm_day(v: CorrView) -> Screen:
    t = v.t
    _ = t._
    data = v.draft.data
    question = _(
        "Let op: dan kom je op {total} op {date}. Dat is meer dan {max}. Klopt dat?"
    ).format(
        total=fmt_duration(t, int(data.get("day_total", 0))),
        date=t.fmt_date(date.fromisoformat(str(data.get("day")))),
        max=fmt_duration(t, v.max_day_minutes),
    )
    return (
        about(v, esc(question)),
        [[(_("Ja, aanpassen"), v.button("ok")), (_("Nee, niet aanpassen"), v.button("no"))]],
    )


def render_delete(v: CorrView) -> Screen:
    _ = v.t._
    return (
        about(v, esc(_("Weet je zeker dat je dit wilt verwijderen?"))),
        [[(_("Ja, verwijderen"), v.button("yes")), (_("Nee, niet verwijderen"), v.button("o"))]],
    )
