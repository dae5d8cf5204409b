"""/lijsten: the coordinator changes a list without a code change.

Steps: kinds (themes, activity types, …, vindplekken) -> items of a list (retired ones marked)
-> one item: rename, aliases (the words the one-line entry and typed answers understand),
retire or bring back; "Nieuw" adds one (`naam: zoekwoord, zoekwoord`). Vindplekken: a
municipality -> its vindplekken -> one: rename, merge into another (its contacts move), retire.
Typed answers are asked for with data["typing"]. Changes go through `bot.storage.lists`
(audited, and the list version is bumped so every cached list is read again at once).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram.ext import Application

from bot.dialogue import Callback, Outcome, Screen, Step, Turn, labels
from bot.domain import lists as dl
from bot.handlers.common import Button, esc
from bot.handlers.report_common import ReportView, muni_buttons, tapped_municipality
from bot.handlers.shared import (
    MENU_TEXTS,
    command_flow,
    gone,
    menu_taps,
    register_menu,
    rows_of,
    typing_frame,
)
from bot.i18n import N_
from bot.router import TextRouter
from bot.storage import lists
from bot.storage.lists import Item, ListError, Place

FLOW = "lijsten"
PREFIX = "l"
KIND_LABELS = {
    "themes": N_("Thema's"),
    "activity_types": N_("Soorten inzet"),
    "indirect_kinds": N_("Uren zonder inwoner"),
    "reach_channels": N_("Bereikt via"),
    "referral_targets": N_("Toeleiding"),
    "non_use_reasons": N_("Drempels"),
    "signal_kinds": N_("Soorten signaal"),
}
KINDS = list(KIND_LABELS)  # button argument: the index (short callback data)


@dataclass(kw_only=True)
class ListsView(ReportView):
    items: list[Item] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)

    @property
    def kind(self) -> str | None:
        k = self.draft.data.get("kind")
        return KINDS[k] if isinstance(k, int) and 0 <= k < len(KINDS) else None

    @property
    def item(self) -> Item | None:
        return next((i for i in self.items if i.id == self.draft.data.get("item")), None)

    @property
    def place(self) -> Place | None:
        return next((p for p in self.places if p.id == self.draft.data.get("place")), None)


async def load(turn: Turn[ListsView]) -> ListsView:
    data = turn.draft.data
    view = await ListsView.read(turn)
    if view.kind is not None:
        view.items = await lists.items(turn.s, view.kind)
    if data.get("muni") is not None:
        view.places = await lists.places(turn.s, int(data["muni"]))
    return view


def actor(turn: Turn[ListsView]) -> int | None:
    user = turn.context.app_user
    return user.id if user is not None else None


# --------------------------------------------------------------------------- kinds


def render_kinds(view: ListsView) -> Screen:
    _ = view.t._
    kinds = enumerate(KIND_LABELS.values())
    buttons: list[Button] = [(_(label), view.button("k", n)) for n, label in kinds]
    buttons.append((_("Vindplekken"), view.button("vp")))
    return esc(_("Welke lijst wil je aanpassen?")), [
        *rows_of(buttons, 2),
        [(_(labels.DONE), view.button("x"))],
    ]


async def tap_kinds(turn: Turn[ListsView], callback: Callback) -> Outcome | None:
    if callback.action == "k" and callback.arg.isdigit() and int(callback.arg) < len(KINDS):
        return Outcome(state="items", data={"kind": int(callback.arg)})
    if callback.action == "vp":
        return Outcome(state="vmuni", data={})
    return None


# --------------------------------------------------------------------------- items


def item_label(item: Item) -> str:
    return ("⛔ " if not item.active else "") + item.label


def render_items(view: ListsView) -> Screen:
    _ = view.t._
    kind = view.kind or ""
    text = (
        "<b>"
        + esc(_(KIND_LABELS.get(kind, "")))
        + "</b>\n"
        + esc(
            _(
                "Tik op een item om het te veranderen. ⛔ = ingetrokken: niet meer op de knoppen, "
                "wel in oude invoer en rapporten."
            )
        )
    )
    return text, [
        *rows_of([(item_label(i), view.button("i", i.id)) for i in view.items], 2),
        [(_("Nieuw item"), view.button("new")), (_("« Lijsten"), view.button("top"))],
    ]


async def tap_items(turn: Turn[ListsView], callback: Callback) -> Outcome | None:
    data = turn.data
    if callback.action == "i" and callback.arg.isdigit():
        data["item"] = int(callback.arg)
        return Outcome(state="item", data=data)
    if callback.action == "new":
        data["typing"] = "new"
        return Outcome(state="items", data=data)
    return None


def typing_prompt(view: ListsView) -> str | None:
    _ = view.t._
    return {
        "new": _(
            "Typ de naam van het nieuwe item. Zoekwoorden erachter na een dubbele punt, "
            "bijvoorbeeld: <i>mantelzorg: mantelzorger, zorg voor ouder</i>"
        ),
        "label": _("Typ de nieuwe naam."),
        "aliases": _(
            "Typ de zoekwoorden, gescheiden door komma's. Die begrijp ik in een invoer van "
            "één regel en in getypte antwoorden."
        ),
        "pname": _("Typ de nieuwe naam van de vindplek."),
    }.get(view.draft.data.get("typing") or "")


def render_item(view: ListsView) -> Screen:
    _ = view.t._
    item = view.item
    if item is None:
        return gone(view, _("Dit item bestaat niet meer."), _(labels.BACK), "up")
    lines = [
        f"<b>{esc(item.label)}</b> ({esc(item.code)})",
        esc(_("Zoekwoorden: {words}").format(words=", ".join(item.aliases) or "–")),
        esc(_("In gebruik") if item.active else _("Ingetrokken")),
    ]
    return "\n".join(lines), [
        [(_("Naam wijzigen"), view.button("label")), (_("Zoekwoorden"), view.button("aliases"))],
        [
            (_("Intrekken"), view.button("off"))
            if item.active
            else (_("Weer gebruiken"), view.button("on"))
        ],
        [(_(labels.BACK), view.button("up"))],
    ]


async def tap_item(turn: Turn[ListsView], callback: Callback) -> Outcome | None:
    view = await turn.view()
    item, kind = view.item, view.kind
    if item is None or kind is None:
        return None
    data = turn.data
    if callback.action in {"label", "aliases"}:
        data["typing"] = callback.action
        return Outcome(state="item", data=data)
    if callback.action in {"on", "off"}:
        active = callback.action == "on"
        await lists.change_item(
            turn.s, kind, item.id, actor_id=actor(turn), now=turn.now(), active=active
        )
        _ = turn.t._
        note = (
            _("{label} staat weer op de knoppen.")
            if callback.action == "on"
            else _("{label} is ingetrokken. Oude invoer en rapporten houden het.")
        ).format(label=item.label)
        return Outcome(state="item", data=data, note=esc(note))
    return None


async def typed_vocab(turn: Turn[ListsView], typing: str, text: str) -> Outcome:
    _ = turn.t._
    view = await turn.view()
    kind = view.kind
    assert kind is not None
    data = turn.data
    data.pop("typing", None)
    try:
        if typing == "new":
            label, _sep, words = text.partition(":")
            if not label.strip():
                return Outcome(error=_("Typ eerst een naam."))
            aliases = dl.split_aliases(words)
            if dl.alias_problem(aliases):
                return Outcome(error=_("Dat zijn te veel zoekwoorden."))
            item = await lists.add_item(
                turn.s, kind, label, aliases, actor_id=actor(turn), now=turn.now()
            )
            data["item"] = item.id
            note = _("Toegevoegd: {label}.").format(label=item.label)
        elif typing == "label":
            assert view.item is not None
            item = await lists.change_item(
                turn.s, kind, view.item.id, actor_id=actor(turn), now=turn.now(), label=text
            )
            note = _("De naam is nu: {label}.").format(label=item.label)
        else:
            assert view.item is not None
            aliases = dl.split_aliases(text)
            if dl.alias_problem(aliases):
                return Outcome(error=_("Dat zijn te veel zoekwoorden."))
            await lists.change_item(
                turn.s, kind, view.item.id, actor_id=actor(turn), now=turn.now(), aliases=aliases
            )
            note = _("Zoekwoorden opgeslagen.")
    except ListError:
        return Outcome(error=_("Die naam staat al in de lijst."))
    return Outcome(state="item", data=data, note=esc(note))


# --------------------------------------------------------------------------- vindplekken


def render_vmuni(view: ListsView) -> Screen:
    _ = view.t._
    return esc(_("Vindplekken van welke gemeente?")), [
        *muni_buttons(view),
        [(_("« Lijsten"), view.button("top"))],
    ]


async def tap_vmuni(turn: Turn[ListsView], callback: Callback) -> Outcome | None:
    muni_id = tapped_municipality((await turn.view()).munis, callback)
    return None if muni_id is None else Outcome(state="places", data={"muni": muni_id})


def place_label(p: Place) -> str:
    return ("⛔ " if not p.active else "") + f"{p.name} ({p.contacts})"


def render_places(view: ListsView) -> Screen:
    _ = view.t._
    muni = view.muni_name(view.draft.data.get("muni")) or ""
    text = (
        "<b>"
        + esc(muni)
        + "</b>\n"
        + esc(
            _("Tik op een vindplek. Tussen haakjes: het aantal contacten.")
            if view.places
            else _("Deze gemeente heeft nog geen vindplekken.")
        )
    )
    return text, [
        *rows_of([(place_label(p), view.button("p", p.id)) for p in view.places], 2),
        [(_("« Gemeenten"), view.button("vp"))],
    ]


async def tap_places(turn: Turn[ListsView], callback: Callback) -> Outcome | None:
    if callback.action == "p" and callback.arg.isdigit():
        data = turn.data
        data["place"] = int(callback.arg)
        return Outcome(state="place", data=data)
    return None


def render_place(view: ListsView) -> Screen:
    _ = view.t._
    p = view.place
    if p is None:
        return gone(view, _("Deze vindplek bestaat niet meer."), _(labels.BACK), "pl")
    text = f"<b>{esc(p.name)}</b>\n" + esc(
        view.t.ngettext("{n} contact. {state}", "{n} contacten. {state}", p.contacts).format(
            n=p.contacts, state=_("In gebruik.") if p.active else _("Ingetrokken.")
        )
    )
    others = [o for o in view.places if o.id != p.id and o.active]
    buttons: list[list[Button]] = [[(_("Naam wijzigen"), view.button("pname"))]]
    if others:
        buttons.append([(_("Samenvoegen met…"), view.button("merge"))])
    buttons.append(
        [(_("Intrekken"), view.button("poff"))]
        if p.active
        else [(_("Weer gebruiken"), view.button("pon"))]
    )
    buttons.append([(_(labels.BACK), view.button("pl"))])
    return text, buttons


async def _shown_place(turn: Turn[ListsView]) -> tuple[ListsView, Place] | None:
    """The view and the vindplek the step shows (None: it is gone)."""
    view = await turn.view()
    return None if view.place is None else (view, view.place)


async def tap_place(turn: Turn[ListsView], callback: Callback) -> Outcome | None:
    _ = turn.t._
    shown = await _shown_place(turn)
    if shown is None:
        return None
    p, data = shown[1], turn.data
    if callback.action == "pname":
        data["typing"] = "pname"
        return Outcome(state="place", data=data)
    if callback.action == "merge":
        return Outcome(state="merge", data=data)
    if callback.action in {"pon", "poff"}:
        active = callback.action == "pon"
        await lists.change_place(turn.s, p.id, actor_id=actor(turn), now=turn.now(), active=active)
        note = (
            _("{name} staat weer op de knoppen.") if active else _("{name} is ingetrokken.")
        ).format(name=p.name)
        return Outcome(state="place", data=data, note=esc(note))
    return None


def render_merge(view: ListsView) -> Screen:
    _ = view.t._
    p = view.place
    name = p.name if p is not None else "?"
    others = [o for o in view.places if p is not None and o.id != p.id and o.active]
    return esc(
        _(
            "Met welke vindplek voeg je {name} samen? De contacten van {name} gaan daarheen en "
            "{name} wordt ingetrokken."
        ).format(name=name)
    ), [
        *rows_of([(o.name, view.button("into", o.id)) for o in others], 2),
        [(_(labels.BACK), view.button("p", p.id if p else 0))],
    ]


async def tap_merge(turn: Turn[ListsView], callback: Callback) -> Outcome | None:
    shown = await _shown_place(turn)
    if shown is None:
        return None
    (view, p), data = shown, turn.data
    if callback.action == "p":
        return Outcome(state="place", data=data)
    if callback.action != "into" or not callback.arg.isdigit():
        return None
    survivor = next((o for o in view.places if o.id == int(callback.arg)), None)
    if survivor is None:
        return None
    moved = await lists.merge_places(
        turn.s, p.id, survivor.id, actor_id=actor(turn), now=turn.now()
    )
    data["place"] = survivor.id
    note = turn.t.ngettext(
        "{name} is samengevoegd met {into}: {n} contact verplaatst.",
        "{name} is samengevoegd met {into}: {n} contacten verplaatst.",
        moved,
    ).format(name=p.name, into=survivor.name, n=moved)
    return Outcome(state="place", data=data, note=esc(note))


async def typed_place(turn: Turn[ListsView], text: str) -> Outcome:
    _ = turn.t._
    view = await turn.view()
    assert view.place is not None
    data = turn.data
    data.pop("typing", None)
    try:
        await lists.change_place(
            turn.s, view.place.id, actor_id=actor(turn), now=turn.now(), name=text
        )
    except ListError:
        return Outcome(error=_("Die naam staat al in de lijst."))
    note = _("De naam is nu: {label}.").format(label=text.strip())
    return Outcome(state="place", data=data, note=esc(note))


# --------------------------------------------------------------------------- every step


async def tap_back(turn: Turn[ListsView], callback: Callback) -> Outcome | None:
    data = turn.data
    if callback.action == "up":
        data.pop("item", None)
        data.pop("typing", None)
        return Outcome(state="items", data=data)
    if callback.action == "pl":
        data.pop("place", None)
        data.pop("typing", None)
        return Outcome(state="places", data=data)
    if callback.action == "keep":
        data.pop("typing", None)
        return Outcome(state=turn.draft.state, data=data)
    return None


tap_any = menu_taps(
    N_("Klaar. De lijsten zijn meteen bijgewerkt."), {"top": "kinds", "vp": "vmuni"}, tap_back
)


async def text_any(turn: Turn[ListsView], text: str) -> Outcome | None:
    typing = turn.draft.data.get("typing")
    if not typing:
        return None
    if not text.strip():
        return Outcome(error=turn.t._("Typ eerst een naam."))
    if typing == "pname":
        return await typed_place(turn, text)
    return await typed_vocab(turn, typing, text)


STEPS: dict[str, Step[ListsView]] = {
    "kinds": Step(render_kinds, tap_kinds),
    "items": Step(render_items, tap_items),
    "item": Step(render_item, tap_item),
    "vmuni": Step(render_vmuni, tap_vmuni),
    "places": Step(render_places, tap_places),
    "place": Step(render_place, tap_place),
    "merge": Step(render_merge, tap_merge),
}
LISTS = command_flow(
    FLOW,
    PREFIX,
    load,
    STEPS,
    texts=MENU_TEXTS,
    on_tap=tap_any,
    on_text=text_any,
    frame=typing_frame(typing_prompt),
)


def register(application: Application, router: TextRouter) -> None:
    register_menu(application, router, LISTS, "kinds")
