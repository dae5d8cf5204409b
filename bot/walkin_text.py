"""Walk-in texts: the answer to a resident (the sessions grouped per place, each address a
map search link, cancelled dates struck through with the next date; what an inloop, a
spreekuur, an ervaringsdeskundige and the pool are; a place outside the region), and the CSV
error codes (`bot.domain.walkin_csv`) as sentences, shared by /inloopbeheer and
`python -m bot inloop import` (which prints them in Dutch and English)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import quote

from bot.domain.digest import utf16_len
from bot.domain.holidays_nl import holiday_name, in_sentence
from bot.domain.walkin import DayLabel, Occurrence, day_label, local_today
from bot.domain.walkin_csv import CsvError
from bot.domain.walkin_query import CancelledSession, DayGroup, WalkinAnswer, WalkinQuery
from bot.i18n import N_, Translator
from bot.text import esc

__all__ = [
    "CSV_ERRORS",
    "UNKNOWN_CSV_ERROR",
    "Item",
    "callback_text",
    "csv_error_line",
    "lead_lines",
    "map_link",
    "outside_text",
    "pick_text",
    "place_blocks",
    "render_answer",
    "welcome",
]

# Raw HTML in UTF-16 units (what Telegram counts, plus tags and entities) for the list of
# sessions; the lines after it (more times, welcome) stay far below the rest of 4096.
MAX_CHARS = 3500
MAP_SEARCH = "https://www.openstreetmap.org/search?query="

CSV_ERRORS: dict[str, str] = {
    "missing_column": N_("de kolom {value} ontbreekt in de eerste regel"),
    "duplicate_column": N_("de kolom {value} staat er twee keer in"),
    "unknown_column": N_("de kolom {value} ken ik niet"),
    "empty_file": N_("het bestand is leeg"),
    "too_many_rows": N_("te veel regels (meer dan {value})"),
    "too_many_fields": N_("te veel velden op deze regel"),
    "empty_field": N_("{column} is leeg"),
    "unknown_municipality": N_("de gemeente of het dorp {value} ken ik niet"),
    "bad_weekday": N_("{value} is geen weekdag (schrijf bijvoorbeeld dinsdag of di)"),
    "bad_time": N_("{value} is geen tijd (schrijf bijvoorbeeld 10:00)"),
    "end_before_start": N_("het einde ({value}) is niet later dan het begin"),
    "bad_date": N_("{value} is geen datum (schrijf bijvoorbeeld 31-12-2026)"),
    "until_before_from": N_("geldig_tot ligt vóór geldig_vanaf"),
    "bad_boolean": N_("{value} is geen ja of nee"),
    "bad_kind": N_("soort {value} ken ik niet (inloop of spreekuur)"),
    "too_long": N_("{column} is te lang"),
    "duplicate_row": N_("deze regel staat er al (regel {value})"),
    "bad_csv": N_("dit is geen leesbaar CSV-bestand"),
    "personal_data": N_(
        "{column} lijkt persoonsgegevens te bevatten (een naam, telefoonnummer of e-mailadres)"
    ),
}


UNKNOWN_CSV_ERROR = N_("onbekende fout ({value})")


def csv_error_line(t: Translator, error: CsvError, *, html: bool = True) -> str:
    """'Regel 3: dinsdg is geen weekdag …' in the translator's language (HTML or plain)."""

    def quote(value: str) -> str:
        if value.isdigit():  # a line number or a count: nothing to point at
            return value
        return f"<b>{esc(value)}</b>" if html else f'"{value}"'

    template = t._(CSV_ERRORS.get(error.code, UNKNOWN_CSV_ERROR))
    message = template.format(value=quote(error.value), column=quote(error.column or ""))
    return t._("Regel {line}: {message}").format(line=error.line, message=message)


# --------------------------------------------------------------------------- answers

KIND_WORD = {
    "inloop": N_("inloop"),
    "spreekuur": N_("spreekuur"),
    None: N_("inloop of spreekuur"),
}
PART_WORD = {
    "ochtend": N_("in de ochtend"),
    "middag": N_("in de middag"),
    "avond": N_("in de avond"),
}


# --------------------------------------------------------------------------- rendering


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# A named day or range the resident asked about, as the start of a sentence.
DAY_WORD = {
    "today": N_("Vandaag"),
    "tomorrow": N_("Morgen"),
    "day_after_tomorrow": N_("Overmorgen"),
    "weekend": N_("Dit weekend"),
    "this_week": N_("Deze week"),
    "next_week": N_("Volgende week"),
}


# Today with a part of the day, as one word.
TODAY_PART = {
    "ochtend": N_("Vanochtend"),
    "middag": N_("Vanmiddag"),
    "avond": N_("Vanavond"),
}


def _when(t: Translator, ans: WalkinAnswer) -> str:
    """The period the resident asked about, as the start of a sentence."""
    _ = t._
    day = ans.day
    if day is not None and day.key == "today" and ans.part_of_day:
        return _(TODAY_PART[ans.part_of_day])
    if day is None:
        when = _("De komende twee weken")
    elif day.key in DAY_WORD:
        when = _(DAY_WORD[day.key])
    elif day.single is not None:
        when = _("Op {date}").format(date=t.fmt_date(day.first))
    else:
        when = _("Van {first} tot en met {last}").format(
            first=t.fmt_date(day.first), last=t.fmt_date(day.last)
        )
    if ans.part_of_day:
        when = f"{when} {_(PART_WORD[ans.part_of_day])}"
    return when


def _title_kinds(ans: WalkinAnswer) -> set[str]:
    """The kinds the title names: what is shown; with nothing shown, what was asked (default
    inloop)."""
    return {o.kind for o in ans.occurrences} or {ans.kind or "inloop"}


def _title(t: Translator, ans: WalkinAnswer) -> str:
    _ = t._
    kinds = _title_kinds(ans)
    if kinds == {"spreekuur"}:
        title = _("Spreekuur in {place}")
    elif kinds == {"inloop"}:
        title = _("Inloop in {place}")
    else:
        title = _("Inloop en spreekuur in {place}")
    return "<b>" + title.format(place=esc(ans.municipality)) + "</b>"


def day_header(t: Translator, d_label: str, d: date) -> str:
    _ = t._
    date_text = t.fmt_date(d)
    if d_label == "today":
        return _("Vandaag, {date}").format(date=date_text)
    if d_label == "tomorrow":
        return _("Morgen, {date}").format(date=date_text)
    return _cap(date_text)


def map_link(address: str) -> str:
    """The address as a link to a plain map search (no API key, no geocoding service)."""
    url = MAP_SEARCH + quote(address, safe="")
    return f'<a href="{html.escape(url)}">{esc(address)}</a>'


@dataclass(frozen=True)
class Item:
    """One line under a place: a session that takes place, or one that is cancelled."""

    label: DayLabel
    occurrence: Occurrence
    cancelled: CancelledSession | None = None


def _items(groups: Sequence[DayGroup]) -> list[Item]:
    out: list[Item] = []
    for g in groups:
        out += [Item(g.label, o) for o in g.occurrences]
        out += [Item(g.label, c.occurrence, c) for c in g.cancelled]
    return sorted(out, key=lambda i: i.occurrence.start_utc)


def _item_lines(t: Translator, item: Item, now: datetime, place_note: str | None) -> list[str]:
    _ = t._
    o = item.occurrence
    day = esc(day_header(t, item.label, o.date))
    when = f"{day} · {t.fmt_time(o.start_local)} – {t.fmt_time(o.end_local)}"
    if item.cancelled is not None:
        lines = [f"<s>{when}</s>", "❌ " + _("Gaat niet door.")]
        nxt = item.cancelled.next
        if nxt is not None:
            lines[-1] += " " + _("De volgende keer is op {date}.").format(date=t.fmt_date(nxt.date))
        return lines
    lines = [when]
    if o.start_utc <= now < o.end_utc:
        lines.append("🟢 " + _("Nu open, tot {time}").format(time=t.fmt_time(o.end_local)))
    if o.holiday:
        lines.append(_("Ook open op {holiday}.").format(holiday=esc(in_sentence(o.holiday))))
    if o.note and o.note != place_note:
        lines.append(f"<i>{esc(o.note)}</i>")
    return lines


KIND_LABEL = {"inloop": N_("Inloop"), "spreekuur": N_("Spreekuur")}


def _place_header(
    t: Translator,
    o: Occurrence,
    *,
    mixed: bool,
    region: bool,
    title_kinds: set[str] | frozenset[str] = frozenset(),
) -> list[str]:
    """The place's name, labelled "Spreekuur ·" among inloop sessions, and labelled with its
    kind whenever the title above names another kind."""
    name = esc(o.place)
    if region:
        name = f"{esc(o.municipality)} · {name}"
    if (mixed and o.kind == "spreekuur") or (title_kinds and o.kind not in title_kinds):
        name = t._(KIND_LABEL[o.kind]) + " · " + name
    lines = [f"<b>{name}</b>"]
    if o.address:
        lines.append("📍 " + map_link(o.address))
    if o.note:
        lines.append(f"<i>{esc(o.note)}</i>")
    return lines


def place_blocks(
    t: Translator,
    items: Sequence[Item],
    now: datetime,
    *,
    budget: int | None = None,
    region: bool = False,
    title_kinds: set[str] | frozenset[str] = frozenset(),
) -> tuple[list[str], bool]:
    """The sessions grouped per place (in order of each place's first session), its dates
    under it. Entry by entry within `budget` UTF-16 units (the first entry always fits);
    returns the lines and whether entries were left out. A session of a kind that
    `title_kinds` (what the title above names) leaves out is labelled with its kind."""
    mixed = len({i.occurrence.kind for i in items}) > 1
    places: dict[tuple[str, str, str, str], list[Item]] = {}
    for item in items:
        o = item.occurrence
        places.setdefault((o.municipality, o.place, o.address, o.kind), []).append(item)
    out: list[str] = []
    size = 0
    for entries in places.values():
        first = entries[0].occurrence
        block = _place_header(t, first, mixed=mixed, region=region, title_kinds=title_kinds)
        for item in entries:
            candidate = [*block, *_item_lines(t, item, now, first.note)]
            added = utf16_len("\n".join(candidate)) + 1
            if budget is not None and out and size + added > budget:
                return out, True
            out += candidate
            size += added
            block = []
        out.append("")
        size += 1
    return out, False


def render_answer(t: Translator, ans: WalkinAnswer, now: datetime, lead: Sequence[str] = ()) -> str:
    """The reply to a resident's question (HTML). `ans.municipality` must be set; `lead`
    goes above the title (a warm line, or what an inloop is)."""
    _ = t._
    place = esc(ans.municipality)
    out = [*lead, _title(t, ans)]
    if ans.village and ans.village != ans.municipality:
        out.append(
            _("{village} hoort bij de gemeente {municipality}.").format(
                village=esc(ans.village), municipality=place
            )
        )
    out.append("")
    kinds = _title_kinds(ans)
    if ans.moved_from is not None:
        out += _moved_lines(t, ans)

    if ans.nothing_found:
        what = _(KIND_WORD[ans.kind])
        if ans.kind_missing:
            out.append(_("In {place} is er geen {what}.").format(what=what, place=place))
        elif ans.now_requested:
            out.append(_("Op dit moment is er niets open in {place}.").format(place=place))
        else:
            out.append(
                _("{when} is er geen {what} in {place}.").format(
                    when=_when(t, ans), what=what, place=place
                )
            )
        single = ans.day.single if ans.day else None
        holiday = holiday_name(single) if single else None
        if holiday:
            out.append(
                _("Het is dan {holiday}. Op feestdagen is het meestal dicht.").format(
                    holiday=esc(in_sentence(holiday))
                )
            )
        if ans.cancelled:
            out += ["", *place_blocks(t, _items(ans.groups), now, title_kinds=kinds)[0]]
        nxt = ans.next_occurrence
        if nxt is not None:
            today = local_today(now)
            if nxt.date == today:
                intro = _("De eerstvolgende is vandaag, {date}:")
            elif nxt.date == today + timedelta(days=1):
                intro = _("De eerstvolgende is morgen, {date}:")
            else:
                intro = _("De eerstvolgende is op {date}:")
            if not ans.cancelled:
                out.append("")
            intro = intro.format(date=t.fmt_date(nxt.date))
            if ans.kind_missing:
                intro = _("Wel {what}.").format(what=_(KIND_WORD[nxt.kind])) + " " + intro
            out.append(intro)
            item = Item(day_label(nxt.date, today), nxt)
            out += place_blocks(t, [item], now, title_kinds=kinds)[0]
        else:
            out.append(_("De komende drie maanden staat er niets gepland. Kijk later nog eens."))
            out.append("")
        out.append(welcome(t))
        return "\n".join(out)

    if ans.now_requested and not ans.open_now:
        out.append(_("Op dit moment is er niets open. Later vandaag wel:"))
        out.append("")
    budget = MAX_CHARS - utf16_len("\n".join(out))  # raw HTML: never less than Telegram counts
    blocks, full = place_blocks(t, _items(ans.groups), now, budget=budget)
    out += blocks
    if ans.truncated or full:
        example = f"inloop {ans.village or ans.municipality} vrijdag"
        out.append(
            _("Er zijn nog meer tijden. Vraag naar één dag, bijvoorbeeld: {example}").format(
                example=f"<i>{esc(example)}</i>"
            )
        )
        out.append("")
    out.append(welcome(t))
    return "\n".join(out)


def _moved_lines(t: Translator, ans: WalkinAnswer) -> list[str]:
    """A weekday asked on that day after its sessions: what there was today, and the lead to
    the same weekday next week ("Vandaag is het al voorbij. Volgende week dinsdag ...")."""
    _ = t._
    out: list[str] = []
    if ans.over_today:
        out.append(_("Vandaag is het al voorbij:"))
        for o in ans.over_today:
            out.append(f"{esc(o.place)} · {t.fmt_time(o.start_local)} – {t.fmt_time(o.end_local)}")
        out.append("")
    if not ans.nothing_found and ans.day is not None:
        out.append(_("Volgende week {date}:").format(date=t.fmt_date(ans.day.first)))
    return out


def welcome(t: Translator) -> str:
    return t._("Je bent welkom zonder afspraak. Je hoeft je naam niet te geven.")


def pick_text(t: Translator) -> str:
    return t._(
        "Over welke plaats gaat het? Kies je gemeente.\n"
        "Woon je in een dorp? Kies dan de gemeente waar je dorp bij hoort. "
        "Blerick hoort bijvoorbeeld bij Venlo."
    )


ABOUT = {
    "about_inloop": N_(
        "<b>Wat is een inloop?</b>\n"
        "Bij een inloop kun je zonder afspraak binnenlopen. Er is koffie en tijd voor je verhaal. "
        "Een ervaringsdeskundige luistert en denkt met je mee, bijvoorbeeld over geld, werk, "
        "eenzaamheid of zorg. Het is gratis. Je hoeft je naam niet te geven."
    ),
    "about_spreekuur": N_(
        "<b>Wat is een spreekuur?</b>\n"
        "Een spreekuur is een vaste tijd waarop een ervaringsdeskundige voor je klaarzit, "
        "bijvoorbeeld in een bibliotheek of gemeentehuis. Ook daar kun je zonder afspraak "
        "langskomen. Het is gratis. Je hoeft je naam niet te geven."
    ),
    "about_expert": N_(
        "<b>Wat is een ervaringsdeskundige?</b>\n"
        "Een ervaringsdeskundige heeft zelf een moeilijke tijd meegemaakt, zoals schulden, "
        "ziekte of eenzaamheid. Die ervaring gebruikt hij of zij om jou te helpen. Je praat met "
        "iemand die weet hoe het voelt. Zonder oordeel."
    ),
    "about_us": N_(
        "<b>Wie zijn wij?</b>\n"
        "Wij zijn ervaringsdeskundigen in 14 gemeenten in Noord- en Midden-Limburg. Op vaste "
        "tijden zijn we in de buurt, in een buurthuis of bibliotheek. Je kunt zonder afspraak "
        "binnenlopen. Deze bot vertelt je waar en wanneer. Hij bewaart niets over jou."
    ),
}
HELP_LINE = N_(
    "Fijn dat je het vraagt. Je hoeft het niet alleen op te lossen. Bij de inloop praat je met "
    "iemand die zelf ook een moeilijke tijd kende. Zonder afspraak, gratis, en je hoeft je naam "
    "niet te geven."
)


CALLBACK = N_(
    "Ik kan je niet bellen. Ik ben een bot, een computerprogramma.\n"
    "Ik bewaar niets van wat je typt. Je hoeft je naam of telefoonnummer niet te sturen.\n"
    "Wil je iemand spreken? Loop dan binnen bij een inloop of spreekuur. "
    "Dat kan zonder afspraak."
)


def callback_text(
    t: Translator, municipality: str | None, nxt: Occurrence | None, now: datetime
) -> str:
    """The answer to "bel me" or a message with a name or number: no call-back, nothing
    kept, walk in instead; the next session in the municipality, if known."""
    _ = t._
    out = [t._(CALLBACK), ""]
    if municipality is None:
        out.append(pick_text(t))
        return "\n".join(out)
    place = esc(municipality)
    if nxt is None:
        out.append(_("In {place} staat de komende drie maanden niets gepland.").format(place=place))
        return "\n".join(out)
    today = local_today(now)
    out.append("<b>" + _("De eerstvolgende keer in {place}:").format(place=place) + "</b>")
    out += place_blocks(t, [Item(day_label(nxt.date, today), nxt)], now)[0]
    out.append(welcome(t))
    return "\n".join(out)


def lead_lines(t: Translator, query: WalkinQuery) -> list[str]:
    """What goes above the times: a warm line for help, the explanation asked for."""
    if query.topic == "help":
        return [t._(HELP_LINE), ""]
    if query.topic in ABOUT:
        return [t._(ABOUT[query.topic]), ""]
    return []


def outside_text(t: Translator, query: WalkinQuery) -> str:
    _ = t._
    ref = query.outside
    assert ref is not None
    if ref.municipality != ref.name and ref.area not in ("België", "Duitsland"):
        where = _("{place} (gemeente {municipality})").format(
            place=esc(ref.name), municipality=esc(ref.municipality)
        )
    else:
        where = esc(ref.name)
    return "\n".join(
        [
            "<b>" + _("{place} ligt buiten ons gebied.").format(place=where) + "</b>",
            _(
                "Wij zijn er voor 14 gemeenten in Noord- en Midden-Limburg. "
                "Vraag bij je eigen gemeente of je huisarts naar hulp dichtbij."
            ),
            "",
            _("Woon je toch in een van deze gemeenten? Kies hem hieronder."),
        ]
    )
