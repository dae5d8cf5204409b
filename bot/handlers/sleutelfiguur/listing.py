"""/sleutelfiguur: the expert's list, one key figure (contact now good / occasional, ended,
deleted) and the coordinator's overview per municipality."""

from __future__ import annotations

from bot.dialogue import Callback, Outcome, Screen, Turn, labels
from bot.domain import key_figures as kf
from bot.handlers.common import Button, esc
from bot.handlers.shared import gone, rows_of
from bot.handlers.sleutelfiguur.view import (
    MAX_LISTED,
    KeyView,
    line,
    quality_label,
    title,
    user_id_of,
)
from bot.i18n import N_
from bot.storage import key_figures

# --------------------------------------------------------------------------- list and one


def render_list(view: KeyView) -> Screen:
    t = view.t
    _ = t._
    current = [i for i in view.mine if i.ended_on is None]
    ended = [i for i in view.mine if i.ended_on is not None]
    lines = [title(view, N_("Mijn sleutelfiguren")).rstrip()]
    if not view.mine:
        lines.append(
            esc(
                _(
                    "Je hebt nog geen sleutelfiguren. Een sleutelfiguur is iemand met een rol "
                    "in de buurt, zoals de kapper of de huisarts. Je noemt nooit een naam."
                )
            )
        )
    lines += [line(t, i) for i in current]
    if ended:
        lines.append("\n" + esc(_("Geen contact meer:")))
        lines += [line(t, i) for i in ended]
    if view.mine:
        lines.append("\n" + esc(_("Tik op een sleutelfiguur om het contact aan te passen.")))
    buttons = rows_of(
        [(f"{i.role} ({i.place or i.municipality})", view.button("i", i.id)) for i in view.mine][
            :MAX_LISTED
        ],
        2,
    )
    buttons.append([(_("Nieuwe sleutelfiguur"), view.button("add"))])
    if view.coordinator:
        buttons.append([(_("Overzicht per gemeente"), view.button("ov"))])
    buttons.append([(_(labels.DONE), view.button("x"))])
    return "\n".join(lines), buttons


def render_item(view: KeyView) -> Screen:
    t = view.t
    _ = t._
    item = view.item
    if item is None:
        return gone(
            view, _("Deze sleutelfiguur is er niet meer."), _("« Mijn sleutelfiguren"), "list"
        )
    buttons: list[list[Button]] = []
    if item.ended_on is None:
        other = "af_en_toe" if item.quality == "goed" else "goed"
        buttons.append(
            [
                (
                    _("Contact nu {quality}").format(quality=quality_label(t, other)),
                    view.button("q", other),
                )
            ]
        )
        buttons.append([(_("Geen contact meer"), view.button("end"))])
    buttons.append([(_("Verwijderen"), view.button("del"))])
    buttons.append([(_("« Mijn sleutelfiguren"), view.button("list"))])
    return line(t, item) + "\n\n" + esc(_("Wat is er veranderd?")), buttons


def render_delete(view: KeyView) -> Screen:
    _ = view.t._
    text = esc(
        _(
            "Weet je het zeker? Verwijderen is voor iets wat niet klopt. Is er alleen geen "
            "contact meer, kies dan Geen contact meer."
        )
    )
    return text, [
        [(_("Ja, verwijderen"), view.button("dely")), (_("Nee"), view.button("deln"))],
    ]


async def tap_list(turn: Turn[KeyView], cb: Callback) -> Outcome | None:
    if cb.action == "i" and cb.arg.isdigit():
        return Outcome(state="item", data={"item": int(cb.arg)})
    return None


async def tap_item(turn: Turn[KeyView], cb: Callback) -> Outcome | None:
    view = await turn.view()
    item = view.item
    if item is None:
        return None
    _ = turn.t._
    uid, now = user_id_of(turn.context), turn.now()
    if cb.action == "q" and cb.arg in kf.QUALITIES:
        await key_figures.change(turn.s, uid, item.id, now, quality=cb.arg)
        note = _("Opgeslagen: contact nu {quality}.").format(quality=quality_label(turn.t, cb.arg))
        return Outcome(state="item", data=turn.data, note=esc(note), toast=_("Opgeslagen"))
    if cb.action == "end":
        await key_figures.change(turn.s, uid, item.id, now, ended_on=turn.today())
        note = _("Opgeslagen: geen contact meer met {role}.").format(role=item.role)
        return Outcome(state="list", data={}, note=esc(note), toast=_("Opgeslagen"))
    if cb.action == "del":
        return Outcome(state="delete", data=turn.data)
    return None


async def tap_delete(turn: Turn[KeyView], cb: Callback) -> Outcome | None:
    item = (await turn.view()).item
    _ = turn.t._
    if cb.action == "deln":
        return Outcome(state="item", data=turn.data)
    if cb.action == "dely" and item is not None:
        await key_figures.delete(turn.s, user_id_of(turn.context), item.id, turn.now())
        note = _("{role} is verwijderd.").format(role=item.role)
        return Outcome(state="list", data={}, note=esc(note), toast=_("Verwijderd"))
    return None


# --------------------------------------------------------------------------- overview


def render_overview(view: KeyView) -> Screen:
    t = view.t
    _ = t._
    lines = [title(view, N_("Sleutelfiguren per gemeente")).rstrip()]
    if not view.overview:
        lines.append(esc(_("Er zijn nog geen sleutelfiguren vastgelegd.")))
    for entry in view.overview:
        tally = entry.tally
        counts = _("{good} met goed contact, {occasional} af en toe").format(
            good=t.number(tally.good, 0), occasional=t.number(tally.occasional, 0)
        )
        roles = ", ".join(f"{role} ({t.number(n, 0)})" for role, n in tally.roles)
        lines.append(f"\n<b>{esc(entry.municipality)}</b>: {esc(counts)}\n{esc(roles)}")
    lines.append(
        "\n"
        + esc(_("Alleen rollen en aantallen. Wie en waar weet alleen de ervaringsdeskundige zelf."))
    )
    buttons: list[list[Button]] = []
    if view.expert:
        buttons.append([(_("« Mijn sleutelfiguren"), view.button("list"))])
    buttons.append([(_(labels.DONE), view.button("x"))])
    return "\n".join(lines), buttons
