"""/sleutelfiguur: the view every step renders from, its loader, and the words they share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.commands import COORDINATOR, EXPERT
from bot.context import BotContext
from bot.dialogue import Turn, View, labels
from bot.handlers.common import Button, esc
from bot.handlers.gate import grants_of
from bot.i18n import N_, Translator
from bot.storage import contacts, key_figures, worklog
from bot.storage.key_figures import Listed, MunicipalityTally, PlaceOption
from bot.storage.models import id_of
from bot.storage.worklog import Option

FLOW = "sleutelfiguur"
PREFIX = "sf"
COMMAND = "/sleutelfiguur"
# The steps of adding one, in order; each stores its answer under the same key.
ADD_STEPS = ("role", "muni", "place", "since", "quality", "deel")
MAX_LISTED = 30  # buttons in the list

QUALITY_LABELS = {"goed": N_("goed"), "af_en_toe": N_("af en toe")}
SKIP_WORDS = frozenset({"geen", "nee", "niks", "overslaan", "geen plek", "sla over"})
QUALITY_WORDS = {
    "goed": "goed",
    "goed contact": "goed",
    "af en toe": "af_en_toe",
    "soms": "af_en_toe",
    "af_en_toe": "af_en_toe",
}

ROLE_PROBLEMS = {
    "no_letters": N_("Typ de rol in woorden, bijvoorbeeld <i>kapper</i> of <i>huisarts</i>."),
    "too_short": N_(
        "Dat is te kort voor een rol. Typ bijvoorbeeld <i>kapper</i> of <i>huisarts</i>."
    ),
    "too_long": N_("Dat is te lang: een rol is hooguit {max}. Maak het korter."),
    "name": N_(
        "Dit lijkt op een naam. Geef een rol, geen naam: bijvoorbeeld <i>kapper</i>, "
        "<i>voorzitter buurtvereniging</i> of <i>huisarts</i>. De plek kies je hierna."
    ),
}
SINCE_PROBLEMS = {
    "future": N_("Dat is in de toekomst."),
    "too_old": N_("Dat is te lang geleden."),
    "unknown": N_("Dat herken ik niet als datum."),
}


@dataclass(kw_only=True)
class KeyView(View):
    today: date
    expert: bool  # may keep key figures
    coordinator: bool  # may see the overview
    mine: list[Listed] = field(default_factory=list)
    item: Listed | None = None
    overview: list[MunicipalityTally] = field(default_factory=list)
    munis: list[Option] = field(default_factory=list)
    home_id: int | None = None
    places: list[PlaceOption] = field(default_factory=list)
    deels: list[tuple[int, str]] = field(default_factory=list)
    muni_label: str | None = None


def held_roles(context: BotContext) -> frozenset[str]:
    return grants_of(context)


def user_id_of(context: BotContext) -> int:
    user = context.app_user
    assert user is not None
    return id_of(user)


async def load(turn: Turn[KeyView]) -> KeyView:
    s, data, state = turn.s, turn.draft.data, turn.draft.state
    held = held_roles(turn.context)
    user = turn.context.app_user
    view = KeyView(
        context=turn.context,
        draft=turn.draft,
        prefix=turn.flow.prefix,
        today=turn.today(),
        expert=EXPERT in held,
        coordinator=COORDINATOR in held,
        home_id=user.home_municipality_id if user is not None else None,
    )
    if state == "list":
        view.mine = await key_figures.mine(s, user_id_of(turn.context))
    elif state in {"item", "delete"}:
        view.item = await key_figures.one(s, user_id_of(turn.context), int(data.get("item", 0)))
    elif state == "overview":
        view.overview = await key_figures.overview(s)
    elif state == "muni":
        view.munis = await worklog.municipalities(s)
    elif state == "place":
        view.places = await key_figures.places(s, int(data["muni"]))
    elif state == "deel":
        view.deels = await active_deels(turn, int(data["muni"]))
    if state in {"place", "deel", "summary", "since", "quality"} and "muni" in data:
        view.muni_label = await key_figures.municipality_name(s, int(data["muni"]))
    if state == "summary":
        view.places = await key_figures.places(s, int(data["muni"]))
        view.deels = await active_deels(turn, int(data["muni"]))
    return view


async def active_deels(turn: Turn[Any], muni_id: int) -> list[tuple[int, str]]:
    rows = await contacts.active_deelopdrachten(turn.s, muni_id, turn.today())
    return [(id_of(d), d.title) for d in rows]


# --------------------------------------------------------------------------- words


def quality_label(t: Translator, quality: str) -> str:
    return t._(QUALITY_LABELS.get(quality, QUALITY_LABELS["goed"]))


def long_date(t: Translator, d: date) -> str:
    return t.fmt_date(d, "d MMMM y")


def where(item: Listed) -> str:
    return f"{item.place}, {item.municipality}" if item.place else item.municipality


def line(t: Translator, item: Listed) -> str:
    """• kapper — Blerick, Venlo · sinds 1 maart 2026 · contact goed"""
    _ = t._
    parts = [
        f"<b>{esc(item.role)}</b> — {esc(where(item))}",
        esc(_("sinds {date}").format(date=long_date(t, item.since))),
    ]
    if item.ended_on is not None:
        parts.append(
            esc(_("geen contact meer sinds {date}").format(date=long_date(t, item.ended_on)))
        )
    else:
        parts.append(esc(_("contact {quality}").format(quality=quality_label(t, item.quality))))
    if item.deelopdracht:
        parts.append(esc(item.deelopdracht))
    return "• " + " · ".join(parts)


def title(view: KeyView, msgid: str) -> str:
    return f"<b>{esc(view.t._(msgid))}</b>\n"


def add_nav(view: KeyView) -> list[Button]:
    _ = view.t._
    return [(_(labels.BACK), view.button("b")), (_(labels.STOP), view.button("x"))]
