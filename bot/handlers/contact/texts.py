"""The contact dialogue's fixed texts (Dutch msgids, translated where shown) and limits."""

from __future__ import annotations

from bot.context import BotContext
from bot.dialogue import labels
from bot.i18n import N_

MAX_HISTORY = 40
MAX_TYPED = 500  # longer answers (except a story) are refused before any parsing
MAX_ECHO_WORD = 30  # an unused word of a one-line entry is shown back at most this long
MAX_ECHO_WORDS = 5  # and at most this many of them
MAX_NAME = 80  # a place, municipality or deelopdracht name as shown
MAX_MESSAGE = 4000  # Telegram refuses more than 4096 characters; keep a margin

CHECK = "✓ "
BACK_LABEL = labels.BACK
SKIP_LABEL = labels.SKIP

# Summary lines and the "change" buttons, per step.
FIELD_LABELS = {
    "date": N_("Datum"),
    "gemeente": N_("Plaats"),
    "activity": N_("Soort inzet"),
    "themes": N_("Thema's"),
    "residents": N_("Inwoners"),
    "duration": N_("Duur"),
    "reach": N_("Bereikt via"),
    "referral": N_("Doorverwezen naar"),
    "deelopdracht": N_("Deelopdracht"),
    "nonuse": N_("Drempels"),
    "story": N_("Verhaal"),
    "care": N_("Zorg"),
}

# The relation to professional care (CareRelation values), as buttons and in the summary.
CARE_LABELS = {
    "naast": N_("Naast zorg"),
    "in_plaats_van": N_("In plaats van zorg"),
    "voorkoming": N_("Ter voorkoming van zorg"),
    "nazorg": N_("Nazorg"),
}

DATE_ERRORS = {
    "future": N_("Een datum in de toekomst kan niet. Kies vandaag of een dag hiervoor."),
    "too_old": N_("Zo ver terug kan niet: hooguit {days} geleden."),
    "invalid": N_("Die datum bestaat niet. Op welke dag was het contact?"),
    "unknown": N_(
        "Die datum begrijp ik niet. Tik op Vandaag of Gisteren, of typ een datum zoals "
        "<i>12-3</i>, <i>12 maart</i> of <i>maandag</i>."
    ),
}
DURATION_ERRORS = {
    "too_long": N_("Dat is te lang voor één contact: hooguit 12 uur."),
    "too_short": N_("De duur moet meer dan 0 minuten zijn."),
    "unknown": N_(
        "Die duur begrijp ik niet. Tik op een knop of typ bijvoorbeeld <i>45 min</i>, "
        "<i>1,5 uur</i> of <i>1u30</i>."
    ),
}
COUNT_ERRORS = {
    "too_few": N_("Het aantal moet minstens 1 zijn."),
    "too_many": N_("Dat zijn er te veel: hooguit 500 inwoners per keer."),
    "unknown": N_("Typ het aantal inwoners als getal, bijvoorbeeld <i>7</i>."),
}
NEW_ERRORS = {
    "too_few": N_("Het aantal nieuwe inwoners kan niet onder 0."),
    "more_than_count": N_("Er kunnen niet meer nieuwe dan inwoners in totaal zijn ({count})."),
    "unknown": N_(
        "Tik op Nieuw of Bekend, of typ hoeveel inwoners nieuw zijn (van de {count}), "
        "bijvoorbeeld <i>1</i>."
    ),
}
VINDPLEK_ERRORS = {
    "no_letters": N_("Typ de naam van de plek in letters, bijvoorbeeld <i>Buurthuis De Kolk</i>."),
    "too_long": N_("Die naam is te lang: hooguit 80 tekens."),
}
# A one-line entry held a phone number, e-mail, address or a name: left out, and said so.
PRIVATE_LEFT_OUT = N_("Namen en telefoonnummers horen hier niet: die sla ik niet op.")
QUICK_ERRORS = {
    ("gemeente", "several"): N_("Ik zag meer dan één gemeente. In welke gemeente was het?"),
    ("activity", "several"): N_("Ik zag meer dan één soort inzet. Welke was het?"),
    ("residents", "conflict"): N_(
        "Het aantal nieuwe en bekende inwoners klopt niet met het totaal. "
        "Met hoeveel inwoners was het?"
    ),
}


def err(context: BotContext, table: dict[str, str], code: str | None) -> str:
    """The translated message for an error code ("unknown" when there is no better one)."""
    msgid = table.get(code or "unknown") or table["unknown"]
    return context.t._(msgid)


def clip(text: str | None, n: int = 300) -> str:
    text = text or ""
    return text if len(text) <= n else text[: n - 1] + "…"
