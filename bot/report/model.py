"""What a report is made of: the tables, rows and cells both files render (bot.report.pdf,
bot.report.xlsx), the per-municipality part and the whole `Report`; `Fmt` makes the cells."""

from __future__ import annotations

from dataclasses import dataclass, field

from babel.numbers import format_decimal

from bot.i18n import Translator
from bot.report.plan import Plan, Ref

__all__ = ["Cell", "Fmt", "MuniPart", "Note", "Report", "Row", "Table"]


@dataclass(frozen=True)
class Cell:
    value: float | int | None
    text: str
    hidden: bool = False  # "<5" or "*": the XLSX writes the text, not a number
    # A count: the quantity it shows (bot.report.plan), for the check that nothing hidden can be
    # worked out from all the report's tables together. None for hours and texts.
    ref: Ref | None = None


@dataclass
class Row:
    label: str
    cells: list[Cell]
    muni_id: int | None = None


@dataclass
class Table:
    key: str  # also the sheet name in the workbook
    title: str
    head: list[str]
    rows: list[Row]
    total: Row | None = None
    note: str = ""
    unit: str = "count"  # count | hours | mixed (number format in the workbook)
    wide: bool = False  # many columns: a landscape page in the PDF

    def only(self, muni_ids: set[int] | None) -> Table:
        """The rows of these municipalities (and the regional line), without the total: a
        report of some municipalities is made from their figures only, and a region total next
        to them would be a sum outside what their suppression checked."""
        if muni_ids is None:
            return self
        rows = [r for r in self.rows if r.muni_id is None or r.muni_id in muni_ids]
        return Table(self.key, self.title, self.head, rows, None, self.note, self.unit, self.wide)


@dataclass
class Note:
    title: str
    text: str


@dataclass
class MuniPart:
    """What only one municipality's PDF shows."""

    id: int
    code: str
    name: str
    hours: Table
    themes: Table
    months: Table
    activities: Table
    referrals: Table
    vindplekken: Table
    narrative: str
    stories: list[Note]
    signals: list[Note]
    deelopdrachten: list[dict[str, object]]
    signal_counts: Table


@dataclass
class Report:
    pool: str
    period_label: str
    period_key: str
    produced: str  # "1 december 2026 om 04:10"
    internal: bool
    threshold: int
    summary: Table  # all municipalities side by side
    hours: Table
    indirect: Table
    residents: Table
    months: Table
    themes: Table
    activities: Table
    activity_hours: Table
    referrals: Table
    vindplekken: Table
    signals: list[Note]
    stories: list[Note]
    narrative: str
    deelopdrachten: list[dict[str, object]]
    definitions: list[tuple[str, str]]
    how_to_read: list[str]
    munis: dict[int, MuniPart] = field(default_factory=dict)
    # Hours and fair share per municipality, for the charts: (name, hours, share hours).
    chart_hours: list[tuple[str, float, float]] = field(default_factory=list)
    # Residents per month, region: (label, new, known) - None when a count is hidden.
    chart_months: list[tuple[str, int | None, int | None]] = field(default_factory=list)
    signal_counts: Table | None = None
    # The suppression plan: every count's quantity, value and the sums between them (for
    # `published_counts` + bot.report.plan.check).
    plan: Plan | None = None
    ledger: Table | None = None  # the fair-share ledger year to date, when a budget is set

    def ledger_tables(self) -> tuple[Table, ...]:
        return () if self.ledger is None else (self.ledger,)


class Fmt:
    """Numbers, hours, percentages and texts as a report's cells (Dutch formats, Babel)."""

    def __init__(self, t: Translator, threshold: int, internal: bool) -> None:
        self.t = t
        self.threshold = threshold
        self.internal = internal

    def count(self, value: int, mark: str = "", ref: Ref | None = None) -> Cell:
        if mark == "<":
            return Cell(value, f"<{self.threshold}", True, ref)
        if mark:  # "*": a complement, or a total withheld (suppression.WITHHELD)
            return Cell(value, "*", True, ref)
        return Cell(value, self.t.number(value, 0), False, ref)

    def _h(self, h: float) -> str:
        # Hours always with one decimal, so columns line up: 12,0 and 12,5.
        return format_decimal(h, format="#,##0.0", locale=self.t.locale)

    def hours(self, minutes: float) -> Cell:
        h = round(minutes / 60, 1)
        return Cell(h, self._h(h))

    def signed_hours(self, minutes: float) -> Cell:
        h = round(minutes / 60, 1)
        if h == 0:
            return Cell(0.0, self._h(0))
        sign = "+" if h > 0 else "−"
        return Cell(h, sign + self._h(abs(h)))

    def pct(self, value: float | None) -> Cell:
        """The MGR key: two decimals, as in the agreement (28,47%)."""
        if value is None:
            return Cell(None, "–")
        v = round(value, 2)
        return Cell(v, format_decimal(v, format="#,##0.00", locale=self.t.locale) + "%")

    def text(self, value: str) -> Cell:
        return Cell(None, value)
