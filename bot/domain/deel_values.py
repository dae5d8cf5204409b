"""The single values of a deelopdracht, as typed in the chat or written in its file: the short
name, a target ("25", "80%"), a window in months, a date with its year. Pure; errors are
`DeelSpecError` with a Dutch msgid (line 0: not from a file)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from bot.domain.dates import DateError, DateErrorCode, parse_date, parse_pause_until
from bot.domain.measures import MEASURES, Unit
from bot.i18n import N_, Translator

MAX_TITLE = 200  # Deelopdracht.title
MAX_FREQUENCY = 120  # Deelopdracht.frequency
MAX_TEXT = 4000  # goals, monitoring, accounting
MAX_LABEL = 200  # DeelopdrachtMeasure.label
MIN_CODE, MAX_CODE = 2, 30
MAX_WINDOW = 120  # months
MAX_END_DAYS = 3653  # a new end date: within ten years
MAX_FOLLOWUP_WEEKS = 52
DEFAULT_FOLLOWUP_WEEKS = 6
MAX_COUNT_TARGET = 1_000_000

# The measure kinds, as `bot.domain.measures.MEASURES` defines them (in its order).
KINDS = tuple(MEASURES)

# Filter keys -> the vocabulary (bot.data.VOCAB_KINDS) their codes come from; "vindplek"
# holds names in the file and ids in the database.
FILTER_VOCAB = {
    "activity": "activity_types",
    "reach": "reach_channels",
    "theme": "themes",
    "referral": "referral_targets",
}
VINDPLEK = "vindplek"
FILTER_KEYS = (*FILTER_VOCAB, VINDPLEK)

_CODE_RE = re.compile(r"[a-z0-9][a-z0-9_-]*")


class DeelSpecError(ValueError):
    """A problem in a file (or a value): `line` (0: not from a file), a Dutch msgid and its
    values."""

    def __init__(self, line: int, msgid: str, **params: Any) -> None:
        self.line = line
        self.msgid = msgid
        self.params = params
        super().__init__(self.text())

    def text(self, t: Translator | None = None) -> str:
        message = (t._(self.msgid) if t is not None else self.msgid).format(**self.params)
        if not self.line:
            return message
        where = t._("regel {line}") if t is not None else "regel {line}"
        return f"{where.format(line=self.line)}: {message}"


# --------------------------------------------------------------------------- single values


def unit_of(kind: str) -> Unit:
    """What a measure of `kind` counts in (an unknown kind: a number)."""
    measure = MEASURES.get(kind)
    return measure.unit if measure is not None else Unit.number


def is_share(kind: str) -> bool:
    """A percentage of reached residents, not a count."""
    return unit_of(kind) is Unit.percent


def normal_code(text: str) -> str:
    return text.strip().lower()


def code_problem(code: str) -> str | None:
    """Why `code` (normalised) can't be a short name, as a msgid; None if it can."""
    if not MIN_CODE <= len(code) <= MAX_CODE or not _CODE_RE.fullmatch(code):
        return N_(
            "Een korte naam heeft {min} tot {max} tekens: letters, cijfers, - of _, "
            "zonder spaties. Bijvoorbeeld: wij-venlo"
        )
    return None


def suggest_code(title: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A short name from the title's first words ("WIJ Venlo: outreach" -> "wij-venlo")."""
    ascii_ = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_)
    base = ""
    for word in words:
        candidate = f"{base}-{word}" if base else word
        if len(candidate) > 20 and base:
            break
        base = candidate[:20]
    base = base if len(base) >= MIN_CODE else "deel"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


# A number as Dutch people type it: digits, a point only between groups of three digits
# ("1.000", "12.500") and a comma before the decimals ("12,5", "80,5"). Spaces (also the
# non-breaking ones Babel writes) don't count.
_NUMBER_RE = re.compile(r"(?P<int>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<dec>\d+))?")
_SPACES = str.maketrans("", "", " \u00a0\u202f\t")

_WHOLE_HELP = N_("Typ een heel getal, bijvoorbeeld 25 of 1.000.")
_AMBIGUOUS_WHOLE = N_(
    "Ik weet niet zeker wat je met {text} bedoelt. Typ een heel getal, bijvoorbeeld 25 of 1.000."
)
_AMBIGUOUS = N_(
    "Ik weet niet zeker wat je met {text} bedoelt. Een punt staat alleen tussen "
    "duizendtallen (1.000), een komma voor de decimalen (12,5)."
)


def parse_number(text: str) -> float | None:
    """A number typed the Dutch way, not negative: "25", "1.000", "12.500", "12,5",
    "1.250,5"; None if it is no number at all. Raises DeelSpecError(0, …) when it is unclear,
    never guessed: a point that can't be a thousands separator ("1.5", "12.50") or a comma
    before exactly three decimals without thousands points ("1,500": 1,5 or 1500?)."""
    raw = text.translate(_SPACES)
    found = _NUMBER_RE.fullmatch(raw)
    if found is None or (
        found["dec"] is not None and len(found["dec"]) == 3 and "." not in found["int"]
    ):
        if re.fullmatch(r"[\d.,]*\d[\d.,]*", raw):
            raise DeelSpecError(0, _AMBIGUOUS, text=text.strip())
        return None
    whole = found["int"].replace(".", "")
    return float(f"{whole}.{found['dec']}" if found["dec"] else whole)


def parse_target(value: str | float, kind: str) -> float:
    """A target as typed in the chat or given in a file: "25", "1.000", "12,5" (hours),
    "80%" or "80,5%" (a share); a number from a file as it is. Raises DeelSpecError(0, …)
    saying what is accepted."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        number, percent = float(value), False
        if number != number:  # NaN
            number = -1.0
    else:
        raw = str(value).strip()
        percent = raw.endswith("%")
        digits = raw.rstrip("%").strip()
        try:
            parsed = parse_number(digits) if not digits.startswith(("-", "\u2212")) else None
        except DeelSpecError as exc:
            if is_share(kind) or unit_of(kind) is Unit.hours:
                raise
            raise DeelSpecError(0, _AMBIGUOUS_WHOLE, **exc.params) from None
        number = -1.0 if parsed is None else parsed
    if is_share(kind):
        if not 0 <= number <= 100:
            raise DeelSpecError(0, N_("Typ een percentage van 0 tot 100, bijvoorbeeld 80%."))
        return number
    if percent:
        raise DeelSpecError(0, N_("Dit meetpunt telt aantallen: typ een getal zonder %."))
    if unit_of(kind) is Unit.hours:
        if not 0 <= number <= MAX_COUNT_TARGET:
            raise DeelSpecError(0, N_("Typ een aantal uren, bijvoorbeeld 120 of 12,5."))
        return number
    if not 0 <= number <= MAX_COUNT_TARGET or number != int(number):
        raise DeelSpecError(0, _WHOLE_HELP)
    return number


def target_text(target: float, kind: str) -> str:
    """The target as the file writes it: 25, 12.5 (numbers in the file), "80%", "80,5%" (a
    share: text, with a Dutch decimal comma, as `parse_target` reads it)."""
    number = str(int(target)) if target == int(target) else str(target)
    return f"{number.replace('.', ',')}%" if is_share(kind) else number


def parse_window(text: str) -> int:
    """Months as typed ("6"); raises DeelSpecError(0, …)."""
    raw = text.strip()
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_WINDOW:
        raise DeelSpecError(0, N_("Typ een aantal maanden van 1 tot {max}."), max=MAX_WINDOW)
    return int(raw)


def parse_day(text: str, today: date) -> date:
    """A date with its year, as typed in Dutch ("1-1-2027", "1 januari 2027", "2027-01-01").
    A date without a year is refused: a deelopdracht's dates can be far off."""
    day = parse_date(text, today)
    elsewhere = parse_date(text, date(today.year + 3, 7, 1))
    if day is None:
        raise DeelSpecError(0, N_("Dat is geen datum. Typ bijvoorbeeld 1-1-2027."))
    if day != elsewhere:  # resolved from today: no year given
        raise DeelSpecError(0, N_("Typ de datum met het jaartal, bijvoorbeeld 1-1-2027."))
    return day


def parse_end_day(text: str, today: date) -> date:
    """A new end date as typed, read as /pauze reads one (`dates.parse_pause_until`): "31-12"
    (the next 31 December from today), "31-12-2027", "31 december 2027", "over 6 weken". A
    date in the past is returned (the caller says it is past); anything else raises
    DeelSpecError(0, …) saying what is accepted."""
    try:
        return parse_pause_until(text, today, max_days=MAX_END_DAYS)
    except DateError as exc:
        if exc.code is DateErrorCode.PAST and exc.date is not None:
            return exc.date
        if exc.code is DateErrorCode.TOO_FAR:
            raise DeelSpecError(
                0, N_("Die datum ligt te ver weg. Typ een einddatum binnen tien jaar.")
            ) from None
        raise DeelSpecError(
            0, N_("Dat is geen datum. Typ bijvoorbeeld 31-12 of 31-12-2027.")
        ) from None
