"""What every step of /deelopdracht shows: the view, its loader and the labels.

Draft data: "muni" (the municipality whose list is shown), "deel" (the open deelopdracht),
"new" (a new one: title, code, start), "m" (a new measure: kind, target, window, filter "f",
the filter list being picked "fk"), "typing" (a field being typed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.dialogue import Turn
from bot.domain import deel_values as dv
from bot.domain.measures import MEASURES, MeasureProgress, Unit
from bot.handlers.report_common import ReportView
from bot.i18n import N_, Translator
from bot.storage import deel_progress, deelopdrachten, lists
from bot.storage.deelopdrachten import Detail, Summary
from bot.storage.lists import Item, Place

FLOW = "deelopdracht"
PREFIX = "do"

# What a measure counts, in the coordinator's words (MeasureKind values -> msgids).
KIND_LABELS = {kind: d.label for kind, d in MEASURES.items()}
# A measure's filters: the list each comes from (vindplek: the municipality's vindplekken).
FILTER_LABELS = {
    "activity": N_("Soort inzet"),
    "reach": N_("Bereikt via"),
    "theme": N_("Thema"),
    "referral": N_("Toeleiding"),
    "vindplek": N_("Vindplek"),
}
# The fields a coordinator edits by typing (the column, and its name on the button).
FIELD_LABELS = {
    "title": N_("Titel"),
    "code": N_("Korte naam"),
    "starts_on": N_("Begindatum"),
    "ends_on": N_("Einddatum"),
    "goals": N_("Doelen"),
    "monitoring": N_("Monitoring"),
    "frequency": N_("Frequentie"),
    "accounting": N_("Verantwoording"),
    "followup_weeks": N_("Weken tot doorstroomvraag"),
}
TEXT_FIELDS = ("goals", "monitoring", "frequency", "accounting")


@dataclass(kw_only=True)
class DeelView(ReportView):
    counts: dict[int, int] = field(default_factory=dict)
    summaries: list[Summary] = field(default_factory=list)
    detail: Detail | None = None
    # code -> label per filter key (vocabularies), id -> name of the vindplekken.
    vocab: dict[str, list[Item]] = field(default_factory=dict)
    places: list[Place] = field(default_factory=list)
    progress: list[MeasureProgress] = field(default_factory=list)  # on `today`, state "deel"
    # State "reopen": the end date it had before it was ended, while that is still ahead.
    planned_end: date | None = None

    @property
    def data(self) -> dict[str, Any]:
        return self.draft.data

    @property
    def muni_id(self) -> int | None:
        muni = self.data.get("muni")
        return int(muni) if isinstance(muni, int) else None

    @property
    def measure(self) -> dict[str, Any]:
        return dict(self.data.get("m") or {})

    def filter_options(self, key: str) -> list[tuple[int, Any, str]]:
        """(button id, value, label) a filter may take: active items and what is chosen
        already. The value is a code (a vindplek: its id); the button carries the row id."""
        chosen = set((self.measure.get("f") or {}).get(key, []))
        if key == dv.VINDPLEK:
            return [(p.id, p.id, p.name) for p in self.places if p.active or p.id in chosen]
        items = self.vocab.get(key, [])
        return [(i.id, i.code, i.label) for i in items if i.active or i.code in chosen]

    def filter_label(self, key: str, value: Any) -> str:
        if key == dv.VINDPLEK:
            if self.detail is not None and int(value) in self.detail.vindplek_names:
                return self.detail.vindplek_names[int(value)]
            return next((p.name for p in self.places if p.id == int(value)), str(value))
        return next((i.label for i in self.vocab.get(key, []) if i.code == value), str(value))


async def load(turn: Turn[DeelView]) -> DeelView:
    data = turn.draft.data
    view = await DeelView.read(turn)
    state = turn.draft.state
    s = turn.s
    if state == "munis":
        view.counts = await deelopdrachten.counts(s)
    if view.muni_id is not None and state == "list":
        view.summaries = await deelopdrachten.by_municipality(s, view.muni_id)
    deel_id = data.get("deel")
    if isinstance(deel_id, int):
        view.detail = await deelopdrachten.detail(s, deel_id)
    if state in ("deel", "mfilter", "mpick", "mremove") and view.detail is not None:
        for key, kind in dv.FILTER_VOCAB.items():
            view.vocab[key] = await lists.items(s, kind)
        view.places = await lists.places(s, view.detail.row.municipality_id)
    if state == "deel" and view.detail is not None:
        view.progress = await deel_progress.progress(s, view.detail.id, view.today)
    if state == "reopen" and view.detail is not None:
        view.planned_end = await reopen_end(s, view.detail.id, view.today)
    return view


async def reopen_end(s: AsyncSession, deel_id: int, today: date) -> date | None:
    """The end date reopening offers as a button: the one it had before it was ended (or its
    planned end), if that is still ahead."""
    planned = await deelopdrachten.planned_end(s, deel_id)
    return planned if planned is not None and planned > today else None


# --------------------------------------------------------------------------- words


def period_text(t: Translator, starts_on: date | None, ends_on: date | None) -> str:
    _ = t._
    if starts_on is None and ends_on is None:
        return _("geen periode")
    start = t.fmt_date(starts_on, "d MMMM y") if starts_on else "…"
    end = t.fmt_date(ends_on, "d MMMM y") if ends_on else "…"
    return _("{start} t/m {end}").format(start=start, end=end)


def target_words(t: Translator, kind: str, target: float) -> str:
    if dv.is_share(kind):
        return f"{t.number(target, 0)}%"
    return t.number(target, 1 if dv.unit_of(kind) is Unit.hours else 0)


def window_words(t: Translator, window: int | None) -> str:
    if window is None:
        return t._("hele periode")
    return t.ngettext(
        "binnen {n} maand na de start", "binnen {n} maanden na de start", window
    ).format(n=window)


def measure_words(view: DeelView, m: dict[str, Any]) -> str:
    """ "Nieuwe inwoners: 25, binnen 6 maanden na de start (Soort inzet: outreach)"."""
    t = view.t
    kind = str(m.get("kind", ""))
    name = m.get("label") or t._(KIND_LABELS.get(kind, kind))
    text = t._("{name}: {target}, {window}").format(
        name=name,
        target=target_words(t, kind, float(m.get("target", 0))),
        window=window_words(t, m.get("window")),
    )
    parts = [
        t._(FILTER_LABELS[key]) + ": " + ", ".join(view.filter_label(key, v) for v in values)
        for key, values in (m.get("f") or {}).items()
        if values and key in FILTER_LABELS
    ]
    return text + (f" ({'; '.join(parts)})" if parts else "")
