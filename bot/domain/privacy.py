"""Find personal identifiers in free text (stories, signals) before it is stored.

Contacts are anonymous: no names, addresses, phone numbers, e-mail, BSN, IBAN or dates of
birth. This module only *finds* them; the handler decides what to tell the expert.

Every regex here uses bounded repetition and no nested unbounded quantifiers, so scanning is
linear in the text length even for hostile input.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.domain.dates import MONTHS

__all__ = [
    "Finding",
    "FindingKind",
    "bsn_valid",
    "check_free_text",
    "contains_identifiers",
    "iban_valid",
]


class FindingKind(StrEnum):
    BSN = "bsn"
    PHONE = "phone"
    EMAIL = "email"
    IBAN = "iban"
    POSTCODE_HOUSE = "postcode_house"  # "5911 AB 12", also a bare "5911 AB"
    ADDRESS = "address"  # street + house number: "Kerkstraat 12"
    BIRTH_DATE = "birth_date"
    NAME_TITLE = "name_title"  # "mevrouw Jansen", "dhr. De Vries", "familie Bakker"


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    start: int
    end: int


# Overlaps are resolved in this order: an e-mail beats the digits inside it, a birth date
# beats a BSN-looking run of its digits, and so on.
_PRIORITY = [
    FindingKind.EMAIL,
    FindingKind.IBAN,
    FindingKind.BIRTH_DATE,
    FindingKind.PHONE,
    FindingKind.BSN,
    FindingKind.POSTCODE_HOUSE,
    FindingKind.ADDRESS,
    FindingKind.NAME_TITLE,
]

# Words after a number that make it a quantity, not a house number: "Kerkstraat" never comes
# before them, but "onderweg 2 uur" or "de markt 3 keer" do.
_QUANTITY_WORDS = frozenset(
    """
    uur u h min minuten minuut keer x mensen bewoners bewoner inwoners inwoner personen
    persoon deelnemers kinderen jaar jaren weken week dagen dag maanden maand euro eur
    procent nieuw nieuwe bekend bekende gesprekken gesprek contacten huizen woningen km
    meter kilometer stuks groepen vrijwilligers collega's collegas jongeren ouderen vrouwen
    mannen gezinnen jongens meisjes tieners statushouders nieuwkomers ouders vaders moeders
    buren bezoekers cliënten clienten klanten medewerkers professionals partners uren
    organisaties kwartier
    """.split()
)

# ---- e-mail ----------------------------------------------------------------------------

_EMAIL_RE = re.compile(
    r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,4}\.[^\W\d_]{2,24}(?![\w-])"
)

# ---- IBAN --------------------------------------------------------------------------------

_IBAN_LENGTHS = {
    "NL": 18,
    "BE": 16,
    "DE": 22,
    "FR": 27,
    "GB": 22,
    "ES": 24,
    "IT": 27,
    "PL": 28,
    "LU": 20,
    "AT": 20,
    "CH": 21,
    "TR": 26,
    "PT": 25,
    "IE": 22,
}
_IBAN_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}(?:[ ]?[A-Za-z0-9]){11,30}")
_NL_IBAN_SHAPE = re.compile(r"NL[0-9]{2}[A-Z]{4}[0-9]{10}")


def iban_valid(iban: str) -> bool:
    """ISO 13616 mod-97 check on an IBAN without spaces."""
    s = iban.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}", s):
        return False
    expected = _IBAN_LENGTHS.get(s[:2])
    if expected is not None and len(s) != expected:
        return False
    digits = "".join(str(int(ch, 36)) for ch in s[4:] + s[:4])
    return int(digits) % 97 == 1


def _iban_findings(text: str) -> Iterator[Finding]:
    for m in _IBAN_RE.finditer(text):
        # The greedy match may run into following words ("NL91ABNA0417164300 overgemaakt"):
        # try every prefix that ends on a character, longest first.
        positions = [m.start() + i for i, ch in enumerate(m.group()) if ch != " "]
        chars = m.group().replace(" ", "").upper()
        for n in range(len(chars), 14, -1):
            end = positions[n - 1] + 1
            if end < len(text) and text[end].isalnum():
                continue  # would cut a word in half
            cand = chars[:n]
            # A Dutch-shaped IBAN counts even with a typo in it: it is still someone's account.
            if iban_valid(cand) or (len(cand) == 18 and _NL_IBAN_SHAPE.fullmatch(cand)):
                yield Finding(FindingKind.IBAN, m.start(), end)
                break


# ---- BSN ---------------------------------------------------------------------------------

# 8 or 9 digits, optionally grouped with single spaces, dots or hyphens ("123.456.782").
_BSN_RE = re.compile(r"(?<![\d.,])(?<![\d][ .-])[0-9](?:[ .-]?[0-9]){7,8}(?![ .-]?[0-9])")


def bsn_valid(digits: str) -> bool:
    """The "11-proef" for a BSN of 9 digits (8 digits get their leading zero back)."""
    if not digits.isdigit() or len(digits) not in (8, 9):
        return False
    digits = digits.zfill(9)
    if digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0


# Eight digits that are a calendar date ("07-11-2026", "2026.11.07") pass the 11-proef about
# once in eleven tries: a date is never a BSN.
_DATE_SHAPES = (
    re.compile(r"(?P<d>[0-9]{1,2})(?P<s>[-/.])(?P<m>[0-9]{1,2})(?P=s)(?P<y>[0-9]{4})"),
    re.compile(r"(?P<y>[0-9]{4})(?P<s>[-/.])(?P<m>[0-9]{1,2})(?P=s)(?P<d>[0-9]{1,2})"),
)
# Public service lines ("0800-8115", "0900 1234"): not a resident's number, never a BSN.
_SERVICE_NUMBER_RE = re.compile(r"0(?:800|90[0-9])(?![0-9])")


def _is_calendar_date(s: str) -> bool:
    for shape in _DATE_SHAPES:
        m = shape.fullmatch(s)
        if m is not None:
            try:
                date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                continue
            return True
    return False


def _bsn_findings(text: str) -> Iterator[Finding]:
    for m in _BSN_RE.finditer(text):
        before = text[max(0, m.start() - 2) : m.start()]
        after = text[m.end() : m.end() + 6].lower()
        if "€" in before or after.strip().startswith(("euro", "eur")):
            continue  # an amount, not a number for a person
        if _is_calendar_date(m.group()) or _SERVICE_NUMBER_RE.match(m.group()):
            continue
        digits = re.sub(r"[^0-9]", "", m.group())
        if bsn_valid(digits):
            yield Finding(FindingKind.BSN, m.start(), m.end())


# ---- phone numbers -----------------------------------------------------------------------

_SEP = r"[ .\-/()]{0,2}"
# A number may follow a label glued to it ("tel:0612345678", "Tel.06-12345678"), but not a
# digit and a colon or dot ("10:0612345678" is no label, "10:00" no phone number).
_PHONE_START = r"(?:(?<![\w.,:])|(?<=[^\W\d_][:.]))"
# Country code, optional (0), then the national number without its 0: 9 digits for +31,
# 8 or 9 for Belgium (+32 470 12 34 56, +32 2 123 45 67), 7 to 11 for Germany
# (+49 2831 123456, 0049 151 12345678). The region borders both.
_PHONE_INTL_RE = re.compile(
    rf"(?<![\w+])(?:\+|00)(?:31{_SEP}(?:\(0\){_SEP})?[1-9](?:{_SEP}[0-9]){{8}}"
    rf"|32{_SEP}(?:\(0\){_SEP})?[1-9](?:{_SEP}[0-9]){{7,8}}"
    rf"|49{_SEP}(?:\(0\){_SEP})?[1-9](?:{_SEP}[0-9]){{6,10}})(?!{_SEP}[0-9])"
)
# 06-12345678, 077-1234567, (0475) 123456, 06 12 34 56 78: ten digits starting with 0.
_PHONE_NAT_RE = re.compile(rf"{_PHONE_START}\(?0[1-9](?:{_SEP}[0-9]){{8}}(?![ .\-/]?[0-9])")


def _phone_findings(text: str) -> Iterator[Finding]:
    for regex in (_PHONE_INTL_RE, _PHONE_NAT_RE):
        for m in regex.finditer(text):
            if _SERVICE_NUMBER_RE.match(m.group().lstrip("(")):
                continue  # 0800/0900: a public service line, fine to mention
            yield Finding(FindingKind.PHONE, m.start(), m.end())


# ---- postcode (+ house number) -------------------------------------------------------------

# "5911 AB", "5911AB", "5911ab", "5911 ab 12": letters may be lowercase only when glued to the
# digits or followed by a house number, so "in 2025 de ..." is not a postcode.
_POSTCODE_RE = re.compile(
    r"(?<![\w-])[1-9][0-9]{3}(?:[ ]?[A-Z]{2}|[a-z]{2}|[ ][a-z]{2}(?=[ ,]{1,2}[0-9]))(?![^\W\d_])"
    r"(?:[ ,]{1,2}[0-9]{1,5}(?:[ -]?[a-zA-Z](?![\w]))?(?![\d]))?"
)
_POSTCODE_BAD_LETTERS = frozenset({"SA", "SD", "SS"})

# ---- street + house number -----------------------------------------------------------------

_STREET_SUFFIXES = (
    "straat",
    "str",
    "laan",
    "weg",
    "plein",
    "singel",
    "gracht",
    "kade",
    "dijk",
    "steeg",
    "pad",
    "hof",
    "dreef",
    "markt",
    "wal",
    "boulevard",
    "allee",
    "park",
    "veld",
    "akker",
)
# A word, optional abbreviation dot, then a house number with optional letter/addition.
_STREET_NUM_RE = re.compile(
    r"(?<![\w-])(?P<street>[^\W\d_][\w'-]{1,40})(?P<dot>\.?)[ ]{1,3}"
    r"(?P<num>[0-9]{1,4})(?P<add>[ -]?[a-zA-Z](?![\w]))?"
)
# Street names that start with the type: "Laan van Nieuw Oosten 3", "Plein 1944 3" is rare.
_STREET_PREFIX_RE = re.compile(
    r"(?<![\w-])(?:laan|plein|weg|kade|singel|dreef|hof|markt|park)[ ]{1,3}"
    r"(?:van|der|de|den|het|op|ter|te|aan)(?P<words>(?:[ ]{1,3}[^\W\d_][\w'-]{0,30}){1,4}?)"
    r"[ ]{1,3}(?P<num>[0-9]{1,4})(?P<add>[ -]?[a-zA-Z](?![\w]))?",
    re.IGNORECASE,
)


def _is_house_number_context(text: str, end: int) -> bool:
    """False when the number after a street-like word is a quantity, a time or a decimal."""
    rest = text[end : end + 30]
    if re.match(r"[.,:][0-9]|[ ]?%", rest):
        return False
    m = re.match(r"[ ]{0,3}([^\W\d_][\w']{0,20})", rest)
    return not (m and m.group(1).lower() in _QUANTITY_WORDS)


def _address_findings(text: str) -> Iterator[Finding]:
    for m in _STREET_NUM_RE.finditer(text):
        word = m.group("street").lower()
        if m.group("dot") and word.endswith("str"):
            pass  # "Kerkstr. 12"
        elif not any(word.endswith(s) and len(word) > len(s) + 1 for s in _STREET_SUFFIXES):
            continue  # the bare word "straat"/"weg" is not a street name
        if word.endswith("str") and not m.group("dot") and not word.endswith("straat"):
            continue
        if _is_house_number_context(text, m.end()):
            yield Finding(FindingKind.ADDRESS, m.start(), m.end())
    for m in _STREET_PREFIX_RE.finditer(text):
        words = m.group("words").split()
        if any(w[0].isupper() for w in words) and _is_house_number_context(text, m.end()):
            yield Finding(FindingKind.ADDRESS, m.start(), m.end())


# ---- dates of birth ------------------------------------------------------------------------

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_FULL_DATE_RE = re.compile(
    rf"""(?<![\w:.,/-])(?:
        (?P<d1>[0-9]{{1,2}})(?P<s>[-/.])(?P<m1>[0-9]{{1,2}})(?P=s)(?P<y1>[0-9]{{4}})
      | (?P<d2>[0-9]{{1,2}})[ ]{{0,3}}(?P<mon>{_MONTH_ALT})\.?[ ]{{1,3}}(?P<y2>[0-9]{{4}})
      | (?P<y3>[0-9]{{4}})-(?P<m3>[0-9]{{1,2}})-(?P<d3>[0-9]{{1,2}})
    )(?![\w-]|[.,:/][0-9])""",
    re.IGNORECASE | re.VERBOSE,
)
# "geboren 12-03-85", "geb. 1985", "geboortedatum: 12 maart", "verjaardag 3 mei": any
# date-ish thing after a birth keyword counts, even a year alone or a two-digit year.
_BIRTH_CONTEXT_RE = re.compile(
    rf"(?<!\w)(?:geboren|geb\.?|geboortedatum|geboortejaar|gebdat|geboortedag|verjaardag)"
    rf"[ :]{{0,3}}"
    rf"(?:(?:op|in|de)[ ]{{1,3}})?"
    rf"(?:[0-9]{{1,2}}[-/.][0-9]{{1,2}}[-/.][0-9]{{2,4}}"
    rf"|[0-9]{{1,2}}[ ]{{0,3}}(?:{_MONTH_ALT})\.?(?:[ ]{{1,3}}[0-9]{{2,4}})?"
    rf"|(?:19|20)[0-9]{{2}})(?![\w])",
    re.IGNORECASE,
)
# "zoon is van 1985": a year alone after "is van" is a birth year (a full date after it is
# caught by the date rule below).
_IS_VAN_YEAR_RE = re.compile(
    r"(?<!\w)is[ ]{1,3}van[ ]{1,3}(?P<year>(?:19|20)[0-9]{2})(?![\w-]|[.,:/][0-9])",
    re.IGNORECASE,
)
_LAST_WORD_RE = re.compile(r"([^\W\d_]{1,30})[ ]{1,3}$")
_THING_SUBJECTS = frozenset(
    """
    wet regeling besluit beleid huis pand gebouw woning flat brief rapport foto kerk
    auto boek contract regel afspraak nota plan
    """.split()
)
# A birth word right after a date: "op 4 juli 1970 geboren", "12/3/1990 jarig".
_BIRTH_AFTER_RE = re.compile(r"[ ,]{0,3}(?:geboren|jarig|verjaardag|geb\.?)(?!\w)", re.IGNORECASE)
# Words right before a full date that make it a work or policy date, however old: "sinds
# 01-01-2010", "per 1 januari 2015", "de wet van 1 juli 2013", "tot en met 31-12-2013".
_NOT_BIRTH_BEFORE_RE = re.compile(
    r"(?<!\w)(?:sinds|sedert|vanaf|per|tot|t/m|tot[ ]en[ ]met|in|na|voor|vóór|tussen"
    r"|uiterlijk|wet[ ]van|besluit[ ]van|regeling[ ]van|brief[ ]van|vonnis[ ]van"
    r"|uitspraak[ ]van)[ ]{1,3}(?:de[ ]{1,3}|het[ ]{1,3})?$",
    re.IGNORECASE,
)


def _birth_findings(text: str, today: date) -> Iterator[Finding]:
    for m in _BIRTH_CONTEXT_RE.finditer(text):
        yield Finding(FindingKind.BIRTH_DATE, m.start(), m.end())
    for m in _IS_VAN_YEAR_RE.finditer(text):
        subject = _LAST_WORD_RE.search(text, max(0, m.start() - 30), m.start())
        if subject is not None and subject.group(1).lower() in _THING_SUBJECTS:
            continue  # "de wet is van 2013", "het pand is van 1930"
        if int(m["year"]) <= today.year:
            yield Finding(FindingKind.BIRTH_DATE, m.start("year"), m.end())
    for m in _FULL_DATE_RE.finditer(text):
        g = m.groupdict()
        year = int(g["y1"] or g["y2"] or g["y3"])
        month = int(g["m1"] or g["m3"] or 0) or MONTHS[(g["mon"] or "jan").lower()]
        day = int(g["d1"] or g["d2"] or g["d3"])
        if not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        if _BIRTH_AFTER_RE.match(text, m.end()) and 1900 <= year <= today.year:
            yield Finding(FindingKind.BIRTH_DATE, m.start(), m.end())
            continue
        # A full date at least 12 years back reads as somebody's birthday, not a work date,
        # unless the words before it say it is a moment in time ("sinds", "per", "wet van").
        before = text[max(0, m.start() - 20) : m.start()]
        if 1900 <= year <= today.year - 12 and not _NOT_BIRTH_BEFORE_RE.search(before):
            yield Finding(FindingKind.BIRTH_DATE, m.start(), m.end())


# ---- names with a title ------------------------------------------------------------------

_NAME_TITLE_RE = re.compile(
    r"(?<![\w])(?i:mevrouw|mevr\.?|mw\.?|meneer|mnr\.?|dhr\.?|de[ ]heer|familie|fam\.?)"
    r"[ ]{1,3}(?P<prefix>(?:(?i:van|de|der|den|ter|ten|het|'t|la|le|el|al)[ ]{1,3}){0,3})"
    r"(?P<name>[^\W\d_](?:[^\W\d_]|['-]){1,30})(?![\w])"
)
# Capitalised words that follow a title without being a name ("Meneer Is ..." is rare, but
# "mevrouw Wmo-consulent" is not).
_NOT_NAMES = frozenset(
    """
    wmo ggz poh ik hij zij ze we het de een die dat is was had kwam belde wil wilde kon
    zegt zei vertelde gaf heeft en of maar ook nog uit van in op met bij consulent
    huisarts gemeente wijkteam schuldhulp
    """.split()
)
# Lowercase words that follow a title in a sentence ("mevrouw was blij", "meneer van de
# voedselbank"): a lowercase surname ("mevrouw jansen") is anything else.
_NOT_LOWER_NAMES = _NOT_NAMES | frozenset(
    """
    ben bent heb hebt kan kunnen mag mocht moet moest zal zou zullen wist weet werd wordt
    vond vindt gaat ging zit zat woont staat stond komt krijgt kreeg ontving ontvangt maakt
    voelt moet hoeft durft belt vertelt vraagt vroeg laat liet leek lijkt sprak spreekt
    praat reageert antwoordt doet deed liep loopt zag ziet wacht zoekt zocht kent leeft
    werkt betaalt hoort begon begint blijft bleef schrok mailt appt zelf zelfs even graag
    weer nu toen daarna dan al niet wel geen altijd vaak soms eerst alleen direct meteen
    snel inmiddels steeds echt erg heel zeer bijna nooit ineens opnieuw vandaag gisteren
    morgen deze dit dus want omdat als toch haar hem zijn hun wij jij u men er daar hier
    naar aan voor na over om tot door tegen zonder achter onder tijdens sinds via
    kon zag las sliep hielp koos nam lag viel hield stierf schreef riep at dronk zweeg
    verdween verscheen verloor vergat begreep vertrok bood trok zong wou
    eigenlijk misschien uiteindelijk vroeger later nou ja nee zo hoe wat wie waar waarom
    gebeld gesproken gezien bezocht thuis alleenstaand oud oude jong jonge
    en-of kinderen kind zoon dochter man vrouw partner buurvrouw buurman
    """.split()
)
# Prefixes that also start a role ("meneer van de voedselbank", "mevrouw van het
# wijkteam"): after them only a capitalised word is a surname.
_ROLE_PREFIXES = frozenset({"van", "van de", "van het", "van 't"})


def _is_lower_name(name: str, prefix: str) -> bool:
    word = name.lower()
    if prefix in _ROLE_PREFIXES or word in _NOT_LOWER_NAMES:
        return False
    # Present and past tenses and participles: "familie helpt", "mevrouw huilde", "meneer
    # gebeld". A lowercase surname ending in -t ("mevrouw smit") is lost to this; the
    # capitalised spelling is still found.
    if word.endswith("t") or (len(word) >= 5 and word.endswith(("de", "te"))):
        return False
    return not (word.startswith("ge") and word.endswith(("d", "t")))


def _name_findings(text: str) -> Iterator[Finding]:
    for m in _NAME_TITLE_RE.finditer(text):
        name = m.group("name")
        if name.lower().split("-")[0] in _NOT_NAMES:
            continue
        prefix = " ".join(m.group("prefix").lower().split())
        if name[0].isupper() or _is_lower_name(name, prefix):
            yield Finding(FindingKind.NAME_TITLE, m.start(), m.end())


# ---- public API ----------------------------------------------------------------------------


def _all_findings(text: str, today: date) -> Iterator[Finding]:
    for m in _EMAIL_RE.finditer(text):
        yield Finding(FindingKind.EMAIL, m.start(), m.end())
    yield from _iban_findings(text)
    yield from _birth_findings(text, today)
    yield from _phone_findings(text)
    yield from _bsn_findings(text)
    for m in _POSTCODE_RE.finditer(text):
        if m.group()[4:].strip()[:2].upper() not in _POSTCODE_BAD_LETTERS:
            yield Finding(FindingKind.POSTCODE_HOUSE, m.start(), m.end())
    yield from _address_findings(text)
    yield from _name_findings(text)


def check_free_text(text: str, *, today: date | None = None) -> list[Finding]:
    """All identifiers found in ``text``, non-overlapping, in text order.

    ``today`` decides which full dates are old enough to be birth dates (default: the
    system date; pass it for deterministic results).
    """
    today = today or date.today()
    rank = {k: i for i, k in enumerate(_PRIORITY)}
    found = sorted(set(_all_findings(text, today)), key=lambda f: (rank[f.kind], f.start))
    chosen: list[Finding] = []
    for f in found:
        if all(f.end <= c.start or f.start >= c.end for c in chosen):
            chosen.append(f)
    return sorted(chosen, key=lambda f: f.start)


def contains_identifiers(text: str, *, today: date | None = None) -> bool:
    """Shortcut: whether ``check_free_text`` finds anything."""
    return bool(check_free_text(text, today=today))
