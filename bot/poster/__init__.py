"""A one-page A4 walk-in poster per municipality, for the places where residents are found
(vindplekken): the coming weeks' times per place, a warm line, and a QR code for the deep link
`https://t.me/<bot>?start=<municipality code>` (answered by `/start venlo`, storing nothing).

Compiled by Typst from `templates/poster.typ` with the words as JSON (`sys_inputs`), like the
report; the QR code is made with `segno` and passed as the bytes of a PNG, one pixel per module.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib import resources
from typing import Any

from bot.domain.walkin import Occurrence, Schedule, local_today
from bot.i18n import Translator

__all__ = [
    "POSTER_DAYS",
    "QR_BORDER",
    "deep_link",
    "poster_data",
    "poster_file_name",
    "qr_png",
    "render_poster",
]

TEMPLATE = "poster.typ"
POSTER_DAYS = 28  # the coming four weeks: a poster hangs for a while
QR_BORDER = 4  # the quiet zone the QR standard asks for, in modules


def poster_file_name(slug: str) -> str:
    return f"poster-{slug}.pdf"


def deep_link(bot_username: str, slug: str) -> str:
    return f"https://t.me/{bot_username.lstrip('@')}?start={slug}"


def qr_png(link: str) -> bytes:
    """The QR code of `link` as a PNG with one pixel per module and the quiet zone."""
    import segno

    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="png", scale=1, border=QR_BORDER)
    return out.getvalue()


@dataclass(frozen=True)
class _Line:
    when: str  # "dinsdag 10:00 – 12:00"
    dates: str  # "3, 10, 17 en 24 maart"


def _dates(t: Translator, days: Sequence[date]) -> str:
    """'3, 10 en 17 maart' / '24 en 31 maart, 7 april': the month once per run of dates."""
    parts: list[str] = []
    for i, d in enumerate(days):
        last_of_month = i + 1 == len(days) or days[i + 1].month != d.month
        parts.append(t.fmt_date(d, "d MMMM") if last_of_month else str(d.day))
    if len(parts) == 1:
        return parts[0]
    return t._("{first} en {last}").format(first=", ".join(parts[:-1]), last=parts[-1])


def _places(t: Translator, occs: Sequence[Occurrence]) -> list[dict[str, Any]]:
    _ = t._
    mixed = len({o.kind for o in occs}) > 1
    places: dict[tuple[str, str, str], list[Occurrence]] = {}
    for o in occs:
        places.setdefault((o.place, o.address, o.kind), []).append(o)
    out = []
    for (name, address, kind), items in places.items():
        slots: dict[tuple[int, str, str], list[date]] = {}
        for o in items:
            key = (o.date.weekday(), t.fmt_time(o.start_local), t.fmt_time(o.end_local))
            slots.setdefault(key, []).append(o.date)
        lines = [
            _Line(
                f"{t.fmt_date(days[0], 'EEEE')} {start} – {end}:",
                _dates(t, days),
            )
            for (_wd, start, end), days in slots.items()
        ]
        out.append(
            {
                "name": name,
                "address": address,
                "kind": _("spreekuur") if mixed and kind == "spreekuur" else "",
                "note": items[0].note or "",
                "lines": [{"when": ln.when, "dates": ln.dates} for ln in lines],
            }
        )
    return out


def poster_data(
    t: Translator,
    municipality: str,
    occs: Sequence[Occurrence],
    link: str,
    first: date,
    last: date,
) -> dict[str, Any]:
    """Everything the template shows, translated and formatted."""
    _ = t._
    return {
        "lang": t.language,
        "pool": _("De ervaringsdeskundigen van Noord- en Midden-Limburg"),
        "title": _("Zit je ergens mee? Loop gewoon binnen."),
        "subtitle": _("Inloop en spreekuur in {place}").format(place=municipality),
        "warm": _(
            "Praat met iemand die weet hoe het is. Over geld, werk, eenzaamheid of zorg. "
            "Zonder afspraak, gratis, en je hoeft je naam niet te geven. De koffie staat klaar."
        ),
        "period": _("Tijden van {first} tot en met {last}").format(
            first=t.fmt_date(first, "d MMMM"), last=t.fmt_date(last, "d MMMM y")
        ),
        "places": _places(t, occs),
        "empty": _("Er staan nu geen tijden gepland. Scan de code voor de nieuwste tijden."),
        "scan_title": _("Altijd de nieuwste tijden"),
        "scan": _("Scan de code met de camera van je telefoon. Je hoeft niets in te vullen."),
        "link": link,
        "qr": list(qr_png(link)),
    }


def render_poster(
    t: Translator,
    municipality: str,
    slug: str,
    rules: Sequence[Any],
    exceptions: Sequence[Any],
    bot_username: str,
    now: datetime,
) -> bytes:
    """The poster PDF of `municipality` for the `POSTER_DAYS` days from `now`."""
    import typst

    first = local_today(now)
    last = first + timedelta(days=POSTER_DAYS - 1)
    occs = Schedule(rules, exceptions, municipality).next_sessions(now, days=POSTER_DAYS)
    data = poster_data(t, municipality, occs, deep_link(bot_username, slug), first, last)
    template = resources.files("bot.poster") / "templates" / TEMPLATE
    with resources.as_file(template) as path:
        out = typst.compile(str(path), sys_inputs={"data": json.dumps(data)}, format="pdf")
    assert isinstance(out, bytes)
    return out
