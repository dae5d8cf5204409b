"""The weekly digest for coordinators: pure arithmetic and rendering, no storage.

Data comes in as plain dataclasses (built by `bot.storage.reports` with SQL GROUP BY); this module
computes fair shares, deviations, the change against last week and the 4-week trend, and renders
HTML with a `Translator` passed in. Weeks are in `bot.domain.isoweek`, splitting the HTML into
Telegram-sized chunks in `bot.domain.html_split` (both importable from here).

Decisions:

* Hours of a municipality = contact hours + indirect hours booked on that municipality.
* Regional indirect hours (no municipality: pool meetings, training, travel between places) are
  shown on their own line and are *not* spread by the key. Spreading them by the MGR key would
  add exactly each municipality's fair share to it, which only dilutes the deviations; leaving
  them inside the basis would make every municipality look short. So the basis of the fair share
  is the hours that are booked on a municipality, and the deviations add up to zero.
* The fair share uses the keys of the municipalities listed, normalised to their sum, so a key
  table that a coordinator edited to (say) 99,9 % still splits the whole basis.
* This digest stays inside the pool, so counts are exact. Reports that leave the pool must pass
  counts through `suppress_small` ("<5").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Protocol

from babel.numbers import format_decimal

from bot.domain.counts import Counts
from bot.domain.html_split import MAX_MESSAGE, split_html, utf16_len
from bot.domain.isoweek import IsoWeek, digest_due
from bot.domain.ledger import Ledger
from bot.domain.measures import DeelProgress, format_deel_line
from bot.text import esc, short_label

__all__ = [
    "MAX_CAPTION",
    "MAX_MESSAGE",
    "ChartBar",
    "ExpertName",
    "IsoWeek",
    "LabelCount",
    "MunicipalityWeek",
    "Note",
    "ShareRow",
    "ThemeRow",
    "WeekDigest",
    "WeekTotals",
    "chart_bars",
    "digest_due",
    "fair_shares",
    "render_caption",
    "render_digest",
    "split_html",
    "suppress_small",
    "utf16_len",
]

MAX_CAPTION = 1024
# Signals and stories listed in full; more than this and the rest is only counted.
MAX_NOTES = 40


class Translator(Protocol):
    def _(self, message: str) -> str: ...
    def ngettext(self, singular: str, plural: str, n: int) -> str: ...
    def number(self, value: float, digits: int = 1) -> str: ...
    def hours(self, minutes: int) -> str: ...
    def fmt_short_date(self, d: date) -> str: ...
    @property
    def locale(self) -> str: ...


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class MunicipalityWeek:
    name: str
    key_pct: float
    counts: Counts = field(default_factory=Counts)  # its contacts (minutes: contact minutes)
    indirect_minutes: int = 0

    @property
    def minutes(self) -> int:
        return self.counts.minutes + self.indirect_minutes


@dataclass(frozen=True)
class ThemeRow:
    label: str
    counts: Counts  # the contacts with this theme


@dataclass(frozen=True)
class LabelCount:
    label: str
    count: int
    minutes: int = 0


@dataclass(frozen=True)
class Note:
    """A signal or a story: text as the expert wrote it (already privacy-checked)."""

    text: str
    kind: str = ""
    municipality: str = ""


@dataclass(frozen=True)
class ExpertName:
    name: str
    municipality: str = ""


@dataclass(frozen=True)
class WeekTotals:
    minutes: int = 0
    contacts: int = 0
    residents: int = 0


@dataclass
class WeekDigest:
    week: IsoWeek
    municipalities: list[MunicipalityWeek]
    regional_indirect_minutes: int = 0
    themes: list[ThemeRow] = field(default_factory=list)
    activities: list[LabelCount] = field(default_factory=list)
    referrals: list[LabelCount] = field(default_factory=list)
    signals: list[Note] = field(default_factory=list)
    stories: list[Note] = field(default_factory=list)
    silent_experts: list[ExpertName] = field(default_factory=list)
    blocked_experts: list[ExpertName] = field(default_factory=list)
    # Totals per week, oldest first, ending with `week` (4 weeks: the trend).
    trend: list[tuple[IsoWeek, WeekTotals]] = field(default_factory=list)
    # The fair-share ledger from 1 January to the week's Sunday; None: no budget set.
    ledger: Ledger | None = None
    # Active deelopdrachten with their measures' progress on the week's Sunday.
    deelopdrachten: list[DeelProgress] = field(default_factory=list)

    @property
    def totals(self) -> WeekTotals:
        return WeekTotals(
            minutes=sum(m.minutes for m in self.municipalities) + self.regional_indirect_minutes,
            contacts=sum(m.counts.contacts for m in self.municipalities),
            residents=sum(m.counts.residents for m in self.municipalities),
        )

    @property
    def previous(self) -> WeekTotals | None:
        return self.trend[-2][1] if len(self.trend) >= 2 else None


# --------------------------------------------------------------------------- arithmetic


@dataclass(frozen=True)
class ShareRow:
    name: str
    key_pct: float
    minutes: int
    share_minutes: float
    deviation_minutes: float

    @property
    def deviation_pct(self) -> float | None:
        """Deviation relative to the fair share, in percent; None when the share is zero."""
        if self.share_minutes <= 0:
            return None
        return 100.0 * self.deviation_minutes / self.share_minutes


def fair_shares(rows: Sequence[MunicipalityWeek]) -> list[ShareRow]:
    """Each municipality's hours against its share (by key) of the hours booked on municipalities.

    The shares add up to the basis, so the deviations add up to zero (up to rounding).
    """
    basis = sum(r.minutes for r in rows)
    key_total = sum(max(r.key_pct, 0.0) for r in rows)
    out = []
    for r in rows:
        share = basis * max(r.key_pct, 0.0) / key_total if key_total > 0 else 0.0
        out.append(ShareRow(r.name, r.key_pct, r.minutes, share, r.minutes - share))
    return out


def suppress_small(n: int, threshold: int) -> str:
    """For reports that leave the pool: 1..threshold-1 becomes "<threshold"; 0 stays "0".

    Small counts can point at a person in a small village; zero points at nobody.
    """
    if 0 < n < threshold:
        return f"<{threshold}"
    return str(n)


@dataclass(frozen=True)
class ChartBar:
    name: str
    hours: float
    share_hours: float


def chart_bars(digest: WeekDigest) -> list[ChartBar]:
    """Data for the chart: hours and fair share per municipality, largest share first."""
    rows = sorted(fair_shares(digest.municipalities), key=lambda r: (-r.key_pct, r.name))
    return [ChartBar(r.name, r.minutes / 60, r.share_minutes / 60) for r in rows]


# --------------------------------------------------------------------------- rendering


def _signed(t: Translator, value: float | Decimal, digits: int = 1) -> str:
    """A signed difference with exactly ``digits`` decimals: "+5,0", "−5,6", "0,0"."""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits))
    fixed = "#,##0" + ("." + "0" * digits if digits else "")
    shown = format_decimal(abs(rounded), format=fixed, locale=t.locale)
    if rounded == 0:
        return shown
    return ("+" if rounded > 0 else "−") + shown


def _shown_hours(hours: float) -> Decimal:
    """Hours as shown (one decimal, rounded as Babel rounds), to compute differences with."""
    return Decimal(str(hours)).quantize(Decimal("0.1"))


def _hours_diff(now_hours: float, before_hours: float) -> Decimal:
    """A difference of two shown hour figures: the reader can check it against them."""
    return _shown_hours(now_hours) - _shown_hours(before_hours)


def _hours_number(t: Translator, minutes: float) -> str:
    return t.number(minutes / 60, 1)


def _change_line(t: Translator, label: str, now: float, before: float, unit_minutes: bool) -> str:
    diff = now - before
    if unit_minutes:
        return t._("{label}: {now} uur (vorige week {before}, {diff})").format(
            label=label,
            now=_hours_number(t, now),
            before=_hours_number(t, before),
            diff=_signed(t, _hours_diff(now / 60, before / 60)),
        )
    return t._("{label}: {now} (vorige week {before}, {diff})").format(
        label=label, now=t.number(now, 0), before=t.number(before, 0), diff=_signed(t, diff, 0)
    )


def _figures(t: Translator, c: Counts) -> dict[str, str]:
    """The fields {contacts}, {residents}, {new} and {known} of a line about `c`."""
    return {
        "contacts": t.ngettext("{n} contact", "{n} contacten", c.contacts).format(
            n=t.number(c.contacts, 0)
        ),
        "residents": t.ngettext("{n} inwoner", "{n} inwoners", c.residents).format(
            n=t.number(c.residents, 0)
        ),
        "new": t.number(c.new, 0),
        "known": t.number(c.known, 0),
    }


def _bold(text: str) -> str:
    return f"<b>{esc(text)}</b>"


def _names(names: Iterable[ExpertName]) -> str:
    parts = []
    for n in names:
        parts.append(f"{esc(n.name)} ({esc(n.municipality)})" if n.municipality else esc(n.name))
    return ", ".join(parts)


def render_digest(d: WeekDigest, t: Translator) -> str:
    """The whole digest as HTML. Every tag opens and closes on one line, so the text can be
    split at any line break (see `split_html`)."""
    _ = t._
    out: list[str] = []
    head = _("Weekoverzicht week {week}").format(week=d.week.week)
    span = f"{t.fmt_short_date(d.week.monday)} – {t.fmt_short_date(d.week.sunday)}"
    out.append(f"<b>{esc(head)}</b> ({esc(span)} {d.week.sunday.year})")

    totals = d.totals
    out += ["", _bold(_("Uren per gemeente"))]
    note = _("Contact en indirecte uren, naast het eerlijke deel volgens de MGR-sleutel.")
    out.append(f"<i>{esc(note)}</i>")
    shares = {r.name: r for r in fair_shares(d.municipalities)}
    for m in sorted(d.municipalities, key=lambda m: (-m.key_pct, m.name)):
        r = shares[m.name]
        # The deviation of the figures shown, so the line adds up for the reader.
        share = _shown_hours(r.share_minutes / 60)
        deviation = _hours_diff(m.minutes / 60, r.share_minutes / 60)
        dev = _signed(t, deviation)
        pct = 100 * deviation / share if share > 0 else r.deviation_pct
        if pct is not None and r.minutes:
            dev += f" ({_signed(t, pct, 0)}%)"
        out.append(
            _("<b>{name}</b>: {hours} uur · deel {share} · {deviation}").format(
                name=esc(m.name),
                hours=_hours_number(t, m.minutes),
                share=_hours_number(t, r.share_minutes),
                deviation=esc(dev),
            )
        )
        if m.counts.contacts:
            out.append(
                "   " + t._("{contacts}, {residents} ({new} nieuw)").format(**_figures(t, m.counts))
            )
    out.append(
        _("Regionaal (indirect, zonder gemeente): {hours} uur, niet verdeeld").format(
            hours=_hours_number(t, d.regional_indirect_minutes)
        )
    )

    if d.ledger is not None:
        out += ["", *ledger_lines(d.ledger, t)]

    out += ["", _bold(_("Totaal en verloop"))]
    prev = d.previous
    if prev is not None:
        out.append(esc(_change_line(t, _("Uren"), totals.minutes, prev.minutes, True)))
        out.append(esc(_change_line(t, _("Contacten"), totals.contacts, prev.contacts, False)))
        out.append(esc(_change_line(t, _("Inwoners"), totals.residents, prev.residents, False)))
    else:
        out.append(_("Uren: {hours}").format(hours=esc(t.hours(totals.minutes))))
    if len(d.trend) >= 2:
        steps = " → ".join(_hours_number(t, w.minutes) for _wk, w in d.trend)
        weeks = f"{d.trend[0][0].week}–{d.trend[-1][0].week}"
        out.append(_("Uren in weken {weeks}: {steps}").format(weeks=esc(weeks), steps=esc(steps)))

    out += ["", _bold(_("Contacten en inwoners per thema"))]
    if d.themes:
        for th in d.themes:
            out.append(
                _("{theme}: {contacts} · {residents} ({new} nieuw, {known} bekend)").format(
                    theme=esc(short_label(th.label)), **_figures(t, th.counts)
                )
            )
    else:
        out.append(esc(_("Geen contacten deze week.")))

    if d.activities:
        out += ["", _bold(_("Soort inzet"))]
        for a in d.activities:
            out.append(
                _("{label}: {n} keer · {hours} uur").format(
                    label=esc(a.label), n=t.number(a.count, 0), hours=_hours_number(t, a.minutes)
                )
            )

    if d.referrals:
        out += ["", _bold(_("Toeleiding"))]
        for ref in d.referrals:
            out.append(f"{esc(ref.label)}: {t.number(ref.count, 0)}")

    if d.deelopdrachten:
        out += ["", _bold(_("Deelopdrachten"))]
        out += [f"• {esc(format_deel_line(dp, t))}" for dp in d.deelopdrachten]

    for title, notes in ((_("Signalen"), d.signals), (_("Verhalen"), d.stories)):
        if not notes:
            continue
        out += ["", f"<b>{esc(title)}</b>"]
        for n in notes[:MAX_NOTES]:
            tags = " · ".join(x for x in (n.kind, n.municipality) if x)
            # Collapse line breaks: one note is one line, so splitting never cuts a tag.
            text = " ".join(n.text.split())
            prefix = f"<i>{esc(tags)}</i>: " if tags else ""
            out.append(f"• {prefix}{esc(text)}")
        if len(notes) > MAX_NOTES:
            out.append(esc(_("… en nog {n} meer.").format(n=t.number(len(notes) - MAX_NOTES, 0))))

    out += ["", _bold(_("Niets ingevuld deze week"))]
    out.append(
        _names(d.silent_experts) if d.silent_experts else esc(_("Iedereen heeft iets ingevuld."))
    )
    if d.blocked_experts:
        out += ["", _bold(_("Bot geblokkeerd"))]
        out.append(esc(_("Deze collega's krijgen geen berichten meer van de bot:")))
        out.append(_names(d.blocked_experts))
        out.append(esc(_("Vertrokken? Stop hun toegang met /team.")))
    return "\n".join(out)


def ledger_lines(ledger: Ledger, t: Translator) -> list[str]:
    """The fair-share ledger year to date: the pool and each municipality, planned (key plus
    agreed deviations), realised and the difference, in hours; a warning under budget pace."""
    _ = t._

    def h(hours: float) -> str:
        return _hours_number(t, hours * 60)

    title = _("Jaarbudget {year} tot en met {day}").format(
        year=ledger.year, day=t.fmt_short_date(ledger.as_of)
    )
    out = [_bold(title)]
    out.append(
        esc(
            _("Pool: gepland {planned} uur · gerealiseerd {realised} uur · verschil {diff}").format(
                planned=h(ledger.planned),
                realised=h(ledger.realised),
                diff=_signed(t, _hours_diff(ledger.realised, ledger.planned)),
            )
        )
    )
    if ledger.under_pace:
        out.append(
            "⚠️ "
            + esc(
                _(
                    "De pool loopt achter op het budget. Minder uren dan begroot worden "
                    "verrekend met de financiers."
                )
            )
        )
    for r in sorted(ledger.rows, key=lambda r: (-r.key_pct, r.name)):
        out.append(
            _("<b>{name}</b>: gepland {planned} · gerealiseerd {realised} · {diff}").format(
                name=esc(r.name),
                planned=h(r.planned),
                realised=h(r.realised),
                diff=esc(_signed(t, _hours_diff(r.realised, r.planned))),
            )
        )
    if ledger.spread:
        out.append(esc(_("Regionale uren zijn verdeeld volgens de MGR-sleutel.")))
    else:
        out.append(esc(_("Regionaal, niet verdeeld: {hours} uur").format(hours=h(ledger.regional))))
    return out


def render_caption(d: WeekDigest, t: Translator) -> str:
    """Caption of the chart (plain text, well under the 1024 limit)."""
    return t._("Week {week}: uren per gemeente naast het eerlijke deel (streep).").format(
        week=d.week.week
    )
