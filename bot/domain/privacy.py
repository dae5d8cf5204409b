"""Find personal identifiers in free text (stories, signals) before it is stored.

Contacts are anonymous: no names, addresses, phone numbers, e-mail, BSN, IBAN or dates of
birth. This module only *finds* them; the handler decides what to tell the expert.

Names are found after a title ("mevrouw Jansen", `FindingKind.NAME_TITLE`) and without one
(`FindingKind.NAME`): a first name or surname from `bot.domain.names` ("Mohammed", "Jansen",
"jan"), a first name with a surname ("Piet van den Berg"), a surname that is also a word
after a particle ("met de Boer"), and a capitalised word with an age ("Dirk (45)"). Places
of the region, saints, organisations and fixed phrases are no names.

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
from bot.domain.names import (
    FIRST_NAMES,
    ROLE_ENDINGS,
    ROLE_WORDS,
    SURNAMES,
    WORDLIKE_FIRST_NAMES,
    WORDLIKE_SURNAMES,
)
from bot.domain.places import find_places
from bot.domain.textmatch import COMMON_WORDS

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
    NAME = "name"  # "Jan Smeets", "Piet van den Berg", "Mohammed", "Jansen", "Dirk (45)"


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
    FindingKind.NAME,
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


# ---- person names without a title ------------------------------------------------------------
#
# "Jan Smeets zegt ...", "Piet van den Berg, de kapper", "Mohammed uit Tegelen", "Jan (45)":
# a first name or surname from `bot.domain.names`, a first name with a surname after it, and
# a capitalised word with an age in brackets. Not a name: places of the region ("Sint Joost",
# "Maria Hoop"), saints and feasts ("Sint Maarten", "Maria Hemelvaart"), organisations named
# after someone ("Basisschool Sint Jan", "Jan Linders"), fixed phrases ("Jan Modaal", "Joost
# mag het weten"), "jan" as January ("12 jan"), street names ("Jan van Cleefstraat").

_NAME_WORD_RE = re.compile(r"'t(?![\w])|[^\W\d_]{1,40}(?:['-][^\W\d_]{1,40}){0,3}")
# Between two words: a sentence ends there, so the next capital says nothing.
_SENTENCE_BREAK_RE = re.compile(r"[.!?:;\n•*\-–(\"“‘]")
_NAME_PARTICLES = frozenset("van de der den ter ten 't te la le el al".split())
# Words right before a name that make it no person: saints, royals, "Zwarte Piet".
_NAME_NOT_AFTER = frozenset(
    """
    sint st ste sinte heilige h onze koning koningin prins prinses zwarte profeet paus
    kardinaal bisschop keizer
    """.split()
)
# Fixed phrases with a first name in them (lowercase, single spaces).
_NAME_PHRASES = (
    "jan modaal",
    "jan en alleman",
    "jan met de pet",
    "jan linders",
    "joost mag",
    "maria hemelvaart",
    "maria-hemelvaart",
    "willem-alexander",
    "willem alexander",
)
# Capitalised words that start an organisation's name ("Basisschool Jan Ligthart", "Huize
# Maria"), and endings that make a word one.
_ORG_WORDS = frozenset(
    """
    stichting huize basisschool school zorgcentrum verpleeghuis parochie kerk moskee
    vereniging supermarkt bibliotheek buurthuis wijkcentrum dorpshuis gemeenschapshuis
    praktijk apotheek kliniek ziekenhuis fonds college lyceum atheneum gymnasium kindcentrum
    """.split()
)
_ORG_ENDINGS = (
    "school",
    "huis",
    "centrum",
    "kerk",
    "vereniging",
    "club",
    "stichting",
    "bond",
    "praktijk",
    "winkel",
    "zaak",
    "café",
    "cafe",
    "bank",
    "kliniek",
    "college",
    "fonds",
)
_WEEKDAY_WORDS = frozenset(
    """
    maandag dinsdag woensdag donderdag vrijdag zaterdag zondag weekend kerst kerstmis pasen
    pinksteren carnaval koningsdag hemelvaart oud nieuwjaar nieuwjaarsdag suikerfeest
    offerfeest ramadan
    """.split()
)
# Lowercase words that are never part of a person's name (besides role words and places).
_NEVER_NAME_WORDS = (
    frozenset(MONTHS)
    | _WEEKDAY_WORDS
    | frozenset(
        """
        inloop spreekuur koffieochtend taalcafé taalcafe huiskamer wijkhuiskamer
        voedselbank kledingbank ggd ggz wmo azc uwv cjg svb zuyderland vincent vgz cz
        armoede eenzaamheid schulden schuldhulp wonen werk gezondheid zorg jongeren ouderen
        """.split()
    )
)
_LANGUAGE_NAMES = frozenset({"frans"})
# Neighbourhoods and parishes of the region that are also a first name: the place when the
# whole text is that word (a walk-in place) or after "in", "uit", "wijk"; else the person.
_NAMED_PLACES = frozenset({"fatima"})
_NAMED_PLACE_BEFORE = frozenset({"in", "uit", "wijk", "parochie", "buurt"})
_STREET_ENDINGS = tuple(s for s in _STREET_SUFFIXES if len(s) >= 3)
# A capitalised word with an age in brackets: "Jan (45)", "Dirk (45 jaar)".
_AGE_RE = re.compile(r"[ ]{0,2}\([ ]{0,2}(?P<age>[0-9]{1,3})[ ]{0,2}(?:jaar|jr\.?|j\.?)?[ ]{0,2}\)")
# Noun endings: "Jongeren (12)", "Deelnemers (8)", "Eenzaamheid (3)" are counts, not ages.
_NOUN_ENDINGS = ("en", "ers", "heid", "ing", "tie", "isme", "schap", "ten", "sen")


def _capital(word: str) -> bool:
    """Starts with a capital and is no abbreviation ("GGD")."""
    return word[0].isupper() and not (len(word) >= 2 and word.isupper())


def _never_a_name(lower: str) -> bool:
    if lower in _NEVER_NAME_WORDS or lower in ROLE_WORDS or lower in _ORG_WORDS:
        return True
    return any(lower.endswith(e) and len(lower) > len(e) + 1 for e in ROLE_ENDINGS + _ORG_ENDINGS)


def _org_word(lower: str) -> bool:
    """A word that starts the name of an organisation or a meeting place ("Stichting",
    "Huiskamer", "Buurthuis"), not a person's role ("Buurman Piet" is a person)."""
    if lower in _ORG_WORDS or lower in _NEVER_NAME_WORDS:
        return True
    return any(lower.endswith(e) and len(lower) > len(e) + 1 for e in _ORG_ENDINGS)


def _never_a_surname(lower: str) -> bool:
    """After a first name: a role or organisation word is no surname, but "Bakker", "Visser"
    and "van der Meer" are."""
    if lower in SURNAMES or lower in WORDLIKE_SURNAMES:
        return False
    if lower in _NEVER_NAME_WORDS or lower in ROLE_WORDS or lower in _ORG_WORDS:
        return True
    return any(lower.endswith(e) and len(lower) > len(e) + 1 for e in _ORG_ENDINGS)


def _street_word(lower: str) -> bool:
    """A street name: "Kerkstraat", "Cleefstraat", "Maasboulevard"."""
    return any(lower.endswith(s) and len(lower) > len(s) + 1 for s in _STREET_ENDINGS)


class _NameScan:
    """The words of a text, with what the name rules need to know about each."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.words = list(_NAME_WORD_RE.finditer(text))
        self._places: list[tuple[int, int]] | None = None

    def in_place(self, start: int, end: int) -> bool:
        if self._places is None:
            self._places = [(p.start, p.end) for p in find_places(self.text) if p.exact]
        return any(a <= start < b or a < end <= b for a, b in self._places)

    def lower(self, i: int) -> str:
        return self.words[i].group().lower()

    def sentence_start(self, i: int) -> bool:
        before = self.text[self.words[i - 1].end() : self.words[i].start()] if i else ""
        return i == 0 or bool(_SENTENCE_BREAK_RE.search(before))

    def joined(self, i: int) -> bool:
        """Whether word ``i`` follows word ``i - 1`` with nothing but spaces between."""
        return i > 0 and not self.text[self.words[i - 1].end() : self.words[i].start()].strip()

    def excluded(self, i: int) -> bool:
        """Whether the name at word ``i`` is part of a saint, a royal, an organisation, a fixed
        phrase, a date ("12 jan") or a place."""
        m = self.words[i]
        lower = m.group().lower()
        parts = lower.split("-")
        if parts[0] in _NAME_NOT_AFTER or any(_never_a_name(p) for p in parts[1:]):
            return True
        if i > 0 and self.joined(i):
            prev = self.words[i - 1].group()
            if prev.lower().rstrip(".") in _NAME_NOT_AFTER:
                return True
            if _capital(prev) and _org_word(prev.lower()):
                return True  # "Basisschool Jan Ligthart", "Stichting Anna", "Huiskamer Maria"
            if lower in _NAMED_PLACES and prev.lower() in _NAMED_PLACE_BEFORE:
                return True  # "in Fatima", "de wijk Fatima"
        if (
            lower in _NAMED_PLACES
            and not self.text[: m.start()].strip(" \"'")
            and not (self.text[m.end() :].strip(" \"'."))
        ):
            return True  # a walk-in place called "Fatima"
        rest = " ".join(self.text[m.start() : m.start() + 40].lower().split())
        if rest.startswith(_NAME_PHRASES):
            return True
        if lower == "jan" and (
            re.search(r"[0-9][ .]{0,2}$", self.text[max(0, m.start() - 3) : m.start()])
            or re.match(r"[ .]{0,2}(?:[0-9]|[-/'][ ]{0,1}[0-9a-z]|t/m|tot )", self.text[m.end() :])
        ):
            return True  # "12 jan", "jan-mrt", "jan '26", "jan t/m maart"
        return self.in_place(m.start(), m.end())

    def surname_after(self, i: int) -> int | None:
        """The index of the last word of a surname right after word ``i`` ("Piet *van den
        Berg*", "Jan *Smeets*"), or None."""
        j = i + 1
        particles = 0
        while j < len(self.words) and self.joined(j) and self.lower(j) in _NAME_PARTICLES:
            j += 1
            particles += 1
            if particles > 3:
                return None
        if j >= len(self.words) or not self.joined(j):
            return None
        word = self.words[j].group()
        lower = word.lower()
        if _street_word(lower) or _never_a_surname(lower):
            return None
        if lower in SURNAMES or (_capital(word) and not self.in_place(*self.words[j].span())):
            return j
        return None

    def street_after(self, i: int) -> bool:
        """Whether word ``i`` starts a street name: "Jan van Cleefstraat", "Jan Lijnenstraat"."""
        for j in range(i + 1, min(i + 5, len(self.words))):
            if not self.joined(j):
                return False
            lower = self.lower(j)
            if _street_word(lower):
                return True
            if lower not in _NAME_PARTICLES and not _capital(self.words[j].group()):
                return False
        return False


def _person_name_findings(text: str) -> Iterator[Finding]:
    scan = _NameScan(text)
    words = scan.words
    i = 0
    while i < len(words):
        m = words[i]
        word = m.group()
        lower = word.lower()
        parts = lower.split("-")
        last: int | None = None
        if any(p in FIRST_NAMES and p not in WORDLIKE_FIRST_NAMES for p in parts):
            if not scan.excluded(i) and not scan.street_after(i):
                last = scan.surname_after(i) or i
        elif lower in WORDLIKE_FIRST_NAMES and _capital(word):
            after = scan.surname_after(i)
            # "Frans" is also the language: only a surname after it makes it a name.
            alone_ok = lower not in _LANGUAGE_NAMES and not scan.sentence_start(i)
            if (after is not None or alone_ok) and not scan.excluded(i):
                if not scan.street_after(i):
                    last = after or i
        elif any(p in SURNAMES and p not in WORDLIKE_SURNAMES for p in parts):
            if not scan.excluded(i):
                last = i
        elif lower in _NAME_PARTICLES:
            # "met de Boer gesproken", "De Jong belde": a surname that is also a word.
            j = _particle_surname(scan, i)
            if j is not None and not (scan.joined(i) and _org_before(scan, i)):
                last = j
        age = _AGE_RE.match(text, m.end()) if last is None and _capital(word) else None
        if age is not None:
            if (
                int(age["age"]) <= 110
                and lower not in COMMON_WORDS
                and not _never_a_name(lower)
                and not lower.endswith(_NOUN_ENDINGS)
                and not scan.in_place(m.start(), m.end())
            ):
                last = i
        if last is None:
            i += 1
            continue
        yield Finding(FindingKind.NAME, m.start(), words[last].end())
        i = last + 1


def _org_before(scan: _NameScan, i: int) -> bool:
    """Whether a capitalised organisation word comes right before word ``i``: "Buurthuis De
    Bos", "Stichting De Haan"."""
    prev = scan.words[i - 1].group()
    return _capital(prev) and _org_word(prev.lower())


def _particle_surname(scan: _NameScan, i: int) -> int | None:
    """The index of a capitalised surname that is also a word after the particles at word
    ``i`` ("de *Boer*", "van der *Meer*"), or None."""
    j = i
    while j < len(scan.words) and scan.lower(j) in _NAME_PARTICLES and j - i < 3:
        j += 1
        if j < len(scan.words) and not scan.joined(j):
            return None
    if j >= len(scan.words) or j == i:
        return None
    word = scan.words[j].group()
    lower = word.lower()
    if not _capital(word) or lower not in WORDLIKE_SURNAMES | SURNAMES:
        return None
    return None if scan.in_place(*scan.words[j].span()) else j


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
    yield from _person_name_findings(text)


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
