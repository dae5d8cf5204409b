"""Translations (gettext catalogs in `locales/`) and Dutch number/date formatting (Babel).

Message ids are Dutch: Dutch is the product's first language, `nl` is the identity catalog and
`en` translates it. Numbers and dates always go through Babel with the user's locale.
"""

from __future__ import annotations

import gettext
import logging
from datetime import date, datetime, time
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.dates import format_date, format_datetime, format_time, get_day_names
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

log = logging.getLogger(__name__)

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
DOMAIN = "messages"


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated later, where it is shown."""
    return message


def locales_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "locales", here.parent / "locales"):
        if candidate.is_dir():
            return candidate
    return here.parent / "locales"


@cache
def _catalog(language: str) -> gettext.NullTranslations:
    base = locales_dir() / language / "LC_MESSAGES"
    mo = base / f"{DOMAIN}.mo"
    po = base / f"{DOMAIN}.po"
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    if po.is_file():
        # Not compiled yet (a fresh checkout): compile in memory rather than show raw ids.
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=language)
        buf = BytesIO()
        write_mo(buf, catalog)
        buf.seek(0)
        return gettext.GNUTranslations(buf)
    log.warning("no catalog for language %s", language)
    return gettext.NullTranslations()


def pick_language(telegram_code: str | None, stored: str | None = None) -> str:
    """The stored preference wins; otherwise the Telegram client language, Dutch by default."""
    if stored in LANGUAGES:
        return stored
    if telegram_code and telegram_code.lower().split("-")[0] == "en":
        return "en"
    return DEFAULT_LANGUAGE


class Translator:
    """Per-user translation and formatting; handlers call `t._("...")`."""

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self._t = _catalog(self.language)

    @property
    def locale(self) -> str:
        return self.language

    def _(self, message: str) -> str:
        return self._t.gettext(message)

    gettext = _

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._t.ngettext(singular, plural, n)

    def number(self, value: float, digits: int = 1) -> str:
        fmt = "#,##0" if digits == 0 else "#,##0." + "#" * digits
        return format_decimal(value, format=fmt, locale=self.locale)

    def hours(self, minutes: int, digits: int = 1) -> str:
        """A total of minutes as hours: 150 -> "2,5 uur" (sums; one entry: `format_duration`);
        ``digits=2`` keeps quarter hours exact: 255 -> "4,25 uur"."""
        return self._("{hours} uur").format(hours=self.number(minutes / 60, digits))

    def days(self, n: int) -> str:
        """A number of days: "1 dag", "14 dagen"."""
        return self.ngettext("{n} dag", "{n} dagen", n).format(n=n)

    def months(self, n: int) -> str:
        """A number of months: "1 maand", "24 maanden"."""
        return self.ngettext("{n} maand", "{n} maanden", n).format(n=self.number(n, 0))

    def chars(self, n: int) -> str:
        """A number of characters: "1 teken", "2.000 tekens"."""
        return self.ngettext("{n} teken", "{n} tekens", n).format(n=self.number(n, 0))

    def fmt_date(self, d: date, fmt: str = "EEEE d MMMM") -> str:
        """`dinsdag 3 maart`."""
        return format_date(d, fmt, locale=self.locale)

    def weekday(self, weekday: int, *, short: bool = False) -> str:
        """0 = Monday -> "maandag" (short: "ma"), in the user's language."""
        names = get_day_names("abbreviated" if short else "wide", locale=self.locale)
        return str(names[weekday]).rstrip(".")

    def fmt_short_date(self, d: date) -> str:
        return format_date(d, "EEE d MMM", locale=self.locale)

    def fmt_time(self, t: time | datetime) -> str:
        return format_time(t, "HH:mm", locale=self.locale)

    def fmt_datetime(self, dt: datetime) -> str:
        return format_datetime(dt, "EEEE d MMMM HH:mm", locale=self.locale)


@cache
def translator(language: str) -> Translator:
    return Translator(language)
