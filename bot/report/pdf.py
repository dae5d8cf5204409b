"""One PDF per municipality and one for the region, compiled by Typst from
`templates/report.typ` with the report passed as JSON (`sys_inputs`)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from bot.i18n import Translator
from bot.report.build import MuniPart, Note, Report, Table
from bot.report.charts import hours_vs_share_svg, per_month_svg

TEMPLATE = "report.typ"


def _table(t: Table, empty: str = "") -> dict[str, Any]:
    return {
        "title": t.title,
        "head": t.head,
        "rows": [[r.label, *[c.text for c in r.cells]] for r in t.rows],
        "total": [t.total.label, *[c.text for c in t.total.cells]] if t.total else None,
        "note": t.note,
        "wide": t.wide,
        "empty": empty,
    }


def _notes(title: str, notes: list[Note], empty: str) -> dict[str, Any]:
    return {
        "kind": "notes",
        "title": title,
        "empty": empty,
        "items": [{"title": n.title, "text": n.text} for n in notes],
    }


def _tbl(t: Table, empty: str = "") -> dict[str, Any]:
    return {"kind": "table", "table": _table(t, empty)}


def sections(report: Report, t: Translator, muni_id: int | None) -> tuple[str, list[dict]]:
    """The title and the sections of one PDF (None: the region)."""
    _ = t._
    none = _("Niets in deze periode.")
    out: list[dict[str, Any]] = []
    if muni_id is None:
        title = _("Rapportage regio, {period}").format(period=report.period_label)
    else:
        part = report.munis[muni_id]
        title = _("Rapportage {name}, {period}").format(name=part.name, period=report.period_label)
    out.append({"kind": "h1", "text": title})
    out.append({"kind": "h2", "text": _("Zo leest u dit rapport")})
    out.append({"kind": "p", "items": report.how_to_read})
    out.append(
        {
            "kind": "defs",
            "title": _("Wat betekent wat"),
            "items": [list(x) for x in report.definitions],
        }
    )
    out.append({"kind": "break"})
    if muni_id is None:
        out.append({"kind": "h1", "text": _("Samenvatting: alle gemeenten")})
        out.append(_tbl(report.summary))
        out.append(
            {
                "kind": "svg",
                "svg": hours_vs_share_svg(
                    report.chart_hours, hours_label=_("Uren"), share_label=_("Eerlijk deel")
                ),
                "caption": _("Uren per gemeente naast het eerlijke deel (streep)."),
            }
        )
        out.append({"kind": "break"})
        out.append({"kind": "h1", "text": _("a. Inzet en bereik")})
        for tb in (report.hours, *report.ledger_tables(), report.indirect, report.residents):
            out.append(_tbl(tb))
        for tb in (report.months, report.themes):
            out.append(_tbl(tb))
        out.append(
            {
                "kind": "svg",
                "svg": per_month_svg(
                    [(lbl, v) for lbl, v, _k in report.chart_months], label=_("Inwoners")
                ),
                "caption": _("Bereikte inwoners per maand, hele regio."),
            }
        )
        out.append({"kind": "h1", "text": _("b. Activiteiten")})
        for tb in (report.activities, report.activity_hours, report.referrals):
            out.append(_tbl(tb))
        out.append(_tbl(report.vindplekken, none))
        section: Report | MuniPart = report
    else:
        part = report.munis[muni_id]
        out.append({"kind": "h1", "text": _("a. Inzet en bereik")})
        out.append(_tbl(part.hours))
        out.append(_tbl(part.months))
        out.append(_tbl(part.themes, none))
        out.append({"kind": "h1", "text": _("b. Activiteiten")})
        out.append(_tbl(part.activities, none))
        out.append(_tbl(part.vindplekken, none))
        out.append(_tbl(part.referrals, none))
        section = part
    # The same last sections for the region and for one municipality.
    out.append({"kind": "h1", "text": _("c. Meerwaarde")})
    out.append({"kind": "p", "items": [section.narrative or _("Er is nog geen tekst geschreven.")]})
    out.append(_notes(_("Verhalen"), section.stories, _("Geen verhalen gekozen.")))
    out.append({"kind": "h1", "text": _("d. Signalen")})
    if section.signal_counts is not None:
        out.append(_tbl(section.signal_counts))
    out.append(_notes(_("Signalen per soort en thema"), section.signals, none))
    out.append({"kind": "h1", "text": _("e. Deelopdrachten")})
    dops = section.deelopdrachten
    if not dops:
        out.append({"kind": "p", "items": [_("Geen lopende deelopdracht in deze periode.")]})
    for dop in dops:
        out.append({"kind": "dop", **dop})
    return title, out


def render_pdf(report: Report, t: Translator, muni_id: int | None) -> bytes:
    out = _compile(report, t, muni_id, "pdf")
    assert isinstance(out, bytes)
    return out


def render_png_pages(
    report: Report, t: Translator, muni_id: int | None, ppi: float = 96
) -> list[bytes]:
    """The same document as PNG images, one per page (for the README's sample page)."""
    out = _compile(report, t, muni_id, "png", ppi)
    return out if isinstance(out, list) else [out]


def _compile(
    report: Report, t: Translator, muni_id: int | None, fmt: str, ppi: float = 144
) -> bytes | list[bytes]:
    import typst

    _ = t._
    title, secs = sections(report, t, muni_id)
    data = {
        "title": title,
        "pool": report.pool,
        "period": report.period_label,
        "produced": _("Gemaakt op {when}").format(when=report.produced),
        "internal": _("INTERN: precieze aantallen, niet doorsturen") if report.internal else "",
        "page_word": _("Bladzijde"),
        "of_word": _("van"),
        "sections": secs,
    }
    template = resources.files("bot.report") / "templates" / TEMPLATE
    with resources.as_file(template) as path:
        kw: dict[str, Any] = {"format": fmt}
        if fmt == "png":
            kw["ppi"] = ppi
        return typst.compile(str(path), sys_inputs={"data": json.dumps(data)}, **kw)
