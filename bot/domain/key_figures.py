"""Sleutelfiguren (key figures): a role at a place, never a person's name.

`check_role` says why a typed role may not be stored: no letters, too short or too long,
something the privacy guard finds (`bot.domain.privacy`), or what looks like a person's name:
- a form of address: "meneer X", "mevrouw Y", "dhr. Jansen", "familie Bakker";
- a common first name or surname: "Jan", "jan de kapper", "Fatima", "Jansen";
- a capitalised word that is neither the first word, nor a place of the region ("Blerick",
  "Sint Joost"), nor a role or organisation word ("Buurtvereniging"), nor an abbreviation
  ("GGD"): "huisarts Jansen", "Jan Jansen", "kapper de Vries".
A role is a common noun ("kapper", "voorzitter buurtvereniging", "huisarts in Tegelen"); the
place is chosen in a step of its own.

`parse_since` reads "since when" in Dutch: every date `bot.domain.dates` reads ("1 maart",
"12-3", "2026-03-01", "gisteren"), a month ("maart", "maart 2025", "vorige maand"), a year
("2024", "vorig jaar", "dit jaar") and "3 maanden geleden", with "sinds"/"vanaf" in front.
A month or a year means its first day. `tally` counts key figures for the coordinator.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.domain.dates import MONTHS, add_months, parse_date
from bot.domain.names import FIRST_NAMES, PARTICLES, ROLE_ENDINGS, ROLE_WORDS, SURNAMES
from bot.domain.places import find_places
from bot.domain.privacy import FindingKind, check_free_text

__all__ = [
    "FIRST_NAMES",
    "MAX_ROLE_CHARS",
    "MAX_SINCE_YEARS",
    "MIN_ROLE_CHARS",
    "PARTICLES",
    "QUALITIES",
    "ROLE_ENDINGS",
    "ROLE_WORDS",
    "SURNAMES",
    "RoleProblem",
    "Tally",
    "check_role",
    "clean_role",
    "looks_like_name",
    "parse_since",
    "tally",
]

MAX_ROLE_CHARS = 80  # key_figure.role
MIN_ROLE_CHARS = 3  # "imam", "kapper"; two letters is no role
MAX_SINCE_YEARS = 60  # "since" at most this many years back
QUALITIES = ("goed", "af_en_toe")  # KeyFigureQuality values, in the order they are offered


@dataclass(frozen=True)
class RoleProblem:
    # "no_letters" | "too_short" | "too_long" | "identifying" | "name"
    code: str
    found: tuple[FindingKind, ...] = ()


# Forms of address: a role never needs one, and after one comes a name.
TITLES = frozenset(
    """
    meneer mevrouw mevr mw mnr dhr heer familie fam juffrouw mejuffrouw mr mrs ms mw.
    """.split()
)

_WORD_RE = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")


def clean_role(text: str) -> str:
    """The role as stored: surrounding space gone, inner runs of space one."""
    return " ".join(text.split())


def _role_word(word: str) -> bool:
    w = word.lower()
    return w in ROLE_WORDS or any(w.endswith(end) and len(w) > len(end) + 1 for end in ROLE_ENDINGS)


def _capitalised(word: str) -> bool:
    """A word that starts with a capital and is no abbreviation ("GGD", "AZC")."""
    return word[0].isupper() and not (len(word) >= 2 and word.isupper())


def looks_like_name(text: str) -> bool:
    """Whether ``text`` holds what looks like a person's name (see the module docstring)."""
    words = list(_WORD_RE.finditer(text))
    if not words:
        return False
    places = [(m.start, m.end) for m in find_places(text) if m.exact]

    def in_place(start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in places)

    for i, m in enumerate(words):
        word = m.group()
        lower = word.lower()
        if lower in TITLES or lower.rstrip(".") in TITLES:
            return True
        if (lower in FIRST_NAMES or lower in SURNAMES) and not in_place(m.start(), m.end()):
            return True
        if i == 0 or not _capitalised(word) or in_place(m.start(), m.end()):
            continue
        if lower in PARTICLES or _role_word(word):
            continue
        return True
    return False


def check_role(text: str, today: date) -> RoleProblem | None:
    """Why a typed role may not be stored, or None when it may (as `clean_role(text)`)."""
    role = clean_role(text)
    letters = sum(1 for ch in role if ch.isalpha())
    if letters == 0:
        return RoleProblem("no_letters")
    if len(role) > MAX_ROLE_CHARS:
        return RoleProblem("too_long")
    if letters < MIN_ROLE_CHARS:
        return RoleProblem("too_short")
    kinds = tuple(dict.fromkeys(f.kind for f in check_free_text(role, today=today)))
    # The guard's name rule (FindingKind.NAME) is this module's name rule in other words: a
    # role with only a name in it is "name", as it always was.
    found = tuple(k for k in kinds if k is not FindingKind.NAME)
    if FindingKind.NAME_TITLE in found or (not found and looks_like_name(role)):
        return RoleProblem("name")
    if found:
        return RoleProblem("identifying", found)
    if FindingKind.NAME in kinds:
        return RoleProblem("name")
    return None


# --------------------------------------------------------------------------- since when

_LEAD_RE = re.compile(r"^\s*(?:(?:al\s+)?sinds|vanaf|per|begin|sinds\s+begin)\s+", re.IGNORECASE)
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_MONTH_RE = re.compile(rf"^(?P<month>{_MONTH_ALT})\.?(?:\s+(?P<year>\d{{4}}))?$", re.IGNORECASE)
_YEAR_RE = re.compile(r"^(?P<year>\d{4})$")
_AGO_RE = re.compile(
    r"^(?P<n>\d{1,2}|een|twee|drie|vier|vijf|zes|half)\s+"
    r"(?P<unit>dag|dagen|week|weken|maand|maanden|jaar|jaren)\s+geleden$",
    re.IGNORECASE,
)
_NUMBER_WORDS = {"een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6}
_RELATIVE = {
    "deze maand": ("month", 0),
    "vorige maand": ("month", -1),
    "dit jaar": ("year", 0),
    "vorig jaar": ("year", -1),
    "vorige jaar": ("year", -1),
}


def _months_back(today: date, months: int) -> date:
    """The first of the month ``months`` before today's."""
    return add_months(today.replace(day=1), -months)


def _ago(n: int, unit: str, today: date) -> date | None:
    unit = unit.lower()
    if unit.startswith("dag"):
        return today - timedelta(days=n)
    if unit.startswith("we"):
        return today - timedelta(weeks=n)
    # 31 March minus a month: 28 or 29 February (add_months keeps to the month's last day).
    return add_months(today, -(n if unit.startswith("maand") else 12 * n))


def _read_since(text: str, today: date) -> date | None:
    words = " ".join(text.lower().replace(",", " ").split())
    words = _LEAD_RE.sub("", words).strip()
    if not words:
        return None
    if words in {"nu", "vandaag"}:
        return today
    if words in _RELATIVE:
        unit, step = _RELATIVE[words]
        if unit == "month":
            return _months_back(today, -step)
        return date(today.year + step, 1, 1)
    m = _MONTH_RE.match(words)
    if m:
        month = MONTHS[m.group("month").lower()]
        if m.group("year"):
            return date(int(m.group("year")), month, 1)
        # The most recent such month: this year's, unless it is still to come.
        year = today.year if month <= today.month else today.year - 1
        return date(year, month, 1)
    m = _YEAR_RE.match(words)
    if m:
        year = int(m.group("year"))
        return date(year, 1, 1) if 1 <= year <= 9999 else None
    m = _AGO_RE.match(words)
    if m:
        raw = m.group("n").lower()
        if raw == "half":
            if not m.group("unit").lower().startswith("jaar"):
                return None
            return _ago(6, "maanden", today)
        n = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
        return _ago(n, m.group("unit"), today)
    return parse_date(words, today)


def parse_since(text: str, today: date) -> tuple[date | None, str | None]:
    """(the day, None) or (None, why not: "unknown" | "future" | "too_old")."""
    try:
        since = _read_since(text, today)
    except (ValueError, OverflowError):
        since = None
    if since is None:
        return None, "unknown"
    if since > today:
        return None, "future"
    if today.year - since.year > MAX_SINCE_YEARS:
        return None, "too_old"
    return since, None


# --------------------------------------------------------------------------- counting


@dataclass
class Tally:
    good: int = 0
    occasional: int = 0
    roles: list[tuple[str, int]] = field(default_factory=list)  # most frequent first

    @property
    def total(self) -> int:
        return self.good + self.occasional


def tally(rows: Iterable[tuple[str, str]]) -> Tally:
    """Count (role, quality) pairs: good and occasional contacts, and how often each role
    occurs (roles compared without case)."""
    out = Tally()
    roles: Counter[str] = Counter()
    for role, quality in rows:
        if quality == "goed":
            out.good += 1
        else:
            out.occasional += 1
        roles[clean_role(role).lower()] += 1
    out.roles = sorted(roles.items(), key=lambda kv: (-kv[1], kv[0]))
    return out
