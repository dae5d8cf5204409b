"""Every command and button family, who may use it, and the per-role command menus.

This table is the single source for authorization (the gatekeeper reads it) and for the
menus set at start-up. A journey adds its rows here.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import N_

RESIDENT = "resident"  # anyone not registered
EXPERT = "expert"
COORDINATOR = "coordinator"
ROLES = (RESIDENT, EXPERT, COORDINATOR)
# A registered person whose access the coordinator stopped: refused everything, kindly. Not a
# role of any command or button.
DEACTIVATED = "deactivated"

EVERYONE = frozenset(ROLES)
EXPERTS = frozenset({EXPERT})
COORDINATORS = frozenset({COORDINATOR})
STAFF = frozenset({EXPERT, COORDINATOR})


@dataclass(frozen=True)
class CommandSpec:
    name: str
    roles: frozenset[str]
    description: str  # a msgid, translated per language for the menu
    in_menu: bool = True


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("start", EVERYONE, N_("Begin of meld je aan met een code")),
    CommandSpec("help", EVERYONE, N_("Wat kan ik hier doen?")),
    CommandSpec("inloop", EVERYONE, N_("Wanneer en waar kun je binnenlopen?")),
    CommandSpec("contact", EXPERTS, N_("Contact met inwoner(s) vastleggen")),
    CommandSpec("uren", EXPERTS, N_("Uren zonder inwoner (overleg, reistijd …)")),
    CommandSpec("signaal", EXPERTS, N_("Signaal: trend, gemist aanbod, knelpunt, kans")),
    CommandSpec("verhaal", EXPERTS, N_("Verhaal over wat het opleverde")),
    CommandSpec("week", EXPERTS, N_("Jouw week in cijfers")),
    CommandSpec("corrigeer", EXPERTS, N_("Laatste invoer aanpassen of verwijderen")),
    CommandSpec("sleutelfiguur", STAFF, N_("Sleutelfiguren: rol, plek en contact (geen namen)")),
    CommandSpec("herinnering", EXPERTS, N_("Herinneringen instellen")),
    CommandSpec("pauze", EXPERTS, N_("Herinneringen pauzeren")),
    CommandSpec("inloopbeheer", COORDINATORS, N_("Inloop en spreekuren beheren")),
    CommandSpec("overzicht", COORDINATORS, N_("Weekoverzicht nu bekijken")),
    CommandSpec("uitnodigen", COORDINATORS, N_("Code maken voor een nieuwe collega")),
    CommandSpec("team", COORDINATORS, N_("Team: toegang, rollen, gemeente, open codes")),
    CommandSpec("lijsten", COORDINATORS, N_("Lijsten: thema's, soorten inzet, vindplekken …")),
    CommandSpec(
        "deelopdracht", COORDINATORS, N_("Deelopdrachten: doelen en meetpunten per gemeente")
    ),
    CommandSpec("budget", COORDINATORS, N_("Jaarbudget: gepland en gerealiseerd per gemeente")),
    CommandSpec("logboek", COORDINATORS, N_("Logboek: wie wat wanneer veranderde")),
    CommandSpec("rapport", COORDINATORS, N_("Rapport voor de gemeenten maken (PDF en Excel)")),
    CommandSpec("verhalen", COORDINATORS, N_("Verhalen kiezen en aanpassen voor het rapport")),
    CommandSpec("toelichting", COORDINATORS, N_("Toelichting per gemeente voor het rapport")),
    CommandSpec("mijngegevens", STAFF, N_("Wat de bot over jou bewaart, downloaden of wissen")),
    CommandSpec("wisexpert", COORDINATORS, N_("Gegevens van een vertrokken collega wissen")),
    CommandSpec("privacy", EVERYONE, N_("Wat er met je gegevens gebeurt")),
    CommandSpec("annuleer", EVERYONE, N_("Stoppen met wat je aan het doen bent")),
)

COMMAND_ROLES: dict[str, frozenset[str]] = {c.name: c.roles for c in COMMANDS}

# Button families: callback_data starts with "<prefix>:". Unknown prefixes are refused.
CALLBACK_ROLES: dict[str, frozenset[str]] = {
    "c": EXPERTS,  # contact dialogue
    "u": EXPERTS,  # indirect hours
    "s": EXPERTS,  # signal
    "v": EXPERTS,  # story
    "w": EXPERTS,  # own week
    "k": EXPERTS,  # corrections
    "r": EXPERTS,  # reminder answers and settings
    "fu": EXPERTS,  # follow-up (doorstroom) answers
    "i": EVERYONE,  # walk-in questions
    "b": COORDINATORS,  # walk-in management
    "d": COORDINATORS,  # digest
    "a": COORDINATORS,  # invites
    "p": COORDINATORS,  # report pack (/rapport)
    "n": COORDINATORS,  # stories for the report (/verhalen)
    "t": COORDINATORS,  # narrative paragraph (/toelichting)
    "m": COORDINATORS,  # team (/team)
    "l": COORDINATORS,  # lists (/lijsten)
    "do": COORDINATORS,  # deelopdrachten (/deelopdracht)
    "mg": STAFF,  # own data (/mijngegevens)
    "wx": COORDINATORS,  # erase a leaver (/wisexpert)
    "sf": STAFF,  # key figures (/sleutelfiguur; the overview for coordinators)
}


Grants = str | frozenset[str]  # one role, or the roles a person holds


def grants(role: str, also_expert: bool = False) -> frozenset[str]:
    """The roles a registered person holds: a coordinator may also work as an expert."""
    return frozenset({role, EXPERT}) if also_expert else frozenset({role})


def _set(roles: Grants) -> frozenset[str]:
    return frozenset({roles}) if isinstance(roles, str) else roles


def menu_for(role: Grants) -> list[CommandSpec]:
    held = _set(role)
    return [c for c in COMMANDS if c.in_menu and held & c.roles]


def allowed_command(role: Grants, name: str) -> bool:
    roles = COMMAND_ROLES.get(name)
    return roles is None or bool(_set(role) & roles)  # unknown ones fall through to "unknown"


def callback_prefix(data: str) -> str:
    return data.split(":", 1)[0]


def allowed_callback(role: Grants, data: str) -> bool:
    roles = CALLBACK_ROLES.get(callback_prefix(data))
    return roles is not None and bool(_set(role) & roles)
