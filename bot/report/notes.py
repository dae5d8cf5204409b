"""The report's texts per municipality (or the whole region): signals, stories and the
deelopdrachten with their figures and measures."""

from __future__ import annotations

from bot.domain.counts import Counts
from bot.i18n import Translator
from bot.report.counts import Counted
from bot.report.deel_measures import measure_rows
from bot.report.model import Cell, Note
from bot.storage.report_queries import NoteRow, ReportData

__all__ = ["Notes", "number_of"]


def number_of(c: Cell) -> float | int | None:
    """A cell's number as the workbook writes it; None when it shows a text ("<5", "*")."""
    if c.hidden or isinstance(c.value, bool) or not isinstance(c.value, int | float):
        return None
    return c.value


class Notes:
    """`muni_id` None: the whole region's; else what concerns that municipality."""

    def __init__(self, data: ReportData, t: Translator, counts: Counted, internal: bool) -> None:
        self.data, self.t, self.counts, self.internal = data, t, counts, internal
        self.muni_names = {m[0]: m[2] for m in data.municipalities}
        self.theme_names = {th.id: th.label for th in data.themes}
        self.kind_names = {k.id: k.label for k in data.signal_kinds}
        self.kind_col = {kd.id: j for j, kd in enumerate(data.signal_kinds)}

    def listed(self, sgn: NoteRow) -> bool:
        """A signal's text is listed only where its count is shown: the list of texts tells
        how many there are, so a hidden count ("<5" or "*") hides its texts too (they are in
        the internal version)."""
        if self.internal or sgn.kind_id not in self.kind_col:
            return True
        unit = "signals:region" if sgn.municipality_id is None else f"signals:{sgn.municipality_id}"
        return unit in self.counts.tables and not self.counts.plan.mark(
            unit, (0, self.kind_col[sgn.kind_id])
        )

    def signals(self, muni_id: int | None) -> list[Note]:
        region = self.t._("Regio")
        out = []
        for sgn in self.data.signals:
            if muni_id is not None and sgn.municipality_id not in (None, muni_id):
                continue
            if not self.listed(sgn):
                continue
            tags = [
                self.kind_names.get(sgn.kind_id or 0, ""),
                self.theme_names.get(sgn.theme_id or 0, ""),
            ]
            tags.append(self.muni_names.get(sgn.municipality_id or 0, region))
            out.append(Note(" · ".join(x for x in tags if x), sgn.text))
        return out

    def stories(self, muni_id: int | None) -> list[Note]:
        out = []
        for story in self.data.stories:
            if muni_id is not None and muni_id not in story.selected_for:
                continue
            tags = [self.muni_names.get(m, "") for m in story.selected_for]
            if story.theme_id:
                tags.append(self.theme_names.get(story.theme_id, ""))
            out.append(Note(" · ".join(x for x in tags if x), story.text))
        return out

    def deelopdrachten(self, muni_id: int | None) -> list[dict[str, object]]:
        _ = self.t._
        data, f, cell = self.data, self.counts.f, self.counts.cell
        out: list[dict[str, object]] = []
        last_day = data.measures_as_of or data.period.end_inclusive
        for k, d in enumerate(data.deelopdrachten):
            if muni_id is not None and d.municipality_id != muni_id:
                continue
            cnt = data.by_deelopdracht.get(d.id, Counts())
            figures = [
                (_("Contacten"), cell("deelopdrachten", (k, 0))),
                (_("Uren"), f.hours(cnt.minutes)),
                (_("Inwoners"), cell("deelopdrachten", (k, 1))),
                (_("Nieuw"), cell("deelopdrachten", (k, 2))),
            ]
            out.append(
                {
                    "title": d.title,
                    "municipality": self.muni_names.get(d.municipality_id, ""),
                    "fields": [
                        [_("Doelen"), d.goals],
                        [_("Zo volgen we het"), d.monitoring],
                        [_("Hoe vaak"), d.frequency],
                        [_("Zo leggen we verantwoording af"), d.accounting],
                    ],
                    "figures": [[label, c.text] for label, c in figures],
                    # The same as numbers for the workbook (None: hidden, written as text).
                    "figure_numbers": [number_of(c) for _label, c in figures],
                    **measure_rows(self.t, data.deel_measures.get(d.id, []), last_day, f),
                }
            )
        return out
