"""/sleutelfiguur: adding a key figure, step by step, and saving it once."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.dialogue import Callback, Outcome, Screen, Turn, labels, start_draft
from bot.domain import key_figures as kf
from bot.domain.places import match_from_candidates
from bot.domain.textmatch import normalize
from bot.handlers import fields
from bot.handlers.common import Button, esc
from bot.handlers.shared import rows_of
from bot.handlers.sleutelfiguur.view import (
    ADD_STEPS,
    FLOW,
    QUALITY_WORDS,
    ROLE_PROBLEMS,
    SINCE_PROBLEMS,
    SKIP_WORDS,
    KeyView,
    active_deels,
    add_nav,
    long_date,
    quality_label,
    title,
    user_id_of,
)
from bot.i18n import N_, Translator
from bot.storage import key_figures
from bot.storage.models import KeyFigure

# --------------------------------------------------------------------------- adding one


def next_state(data: dict[str, Any]) -> str:
    return next((step for step in ADD_STEPS if step not in data), "summary")


def advance(data: dict[str, Any], **values: Any) -> Outcome:
    data.update(values)
    return Outcome(state=next_state(data), data=data)


def render_role(view: KeyView) -> Screen:
    _ = view.t._
    text = title(view, N_("Nieuwe sleutelfiguur")) + esc(
        _(
            "Welke rol heeft deze persoon? Typ de rol, geen naam. Bijvoorbeeld: kapper, "
            "voorzitter buurtvereniging, huisarts."
        )
    )
    return text, [
        [(_("« Mijn sleutelfiguren"), view.button("list")), (_(labels.STOP), view.button("x"))]
    ]


async def text_role(turn: Turn[KeyView], text: str) -> Outcome:
    problem = role_problem(turn.t, text, turn.today())
    if problem is not None:
        return Outcome(error=problem)
    return advance(turn.data, role=kf.clean_role(text))


def role_problem(t: Translator, text: str, today: date) -> str | None:
    """Why a typed role is not stored, in words, or None."""
    problem = kf.check_role(text, today)
    if problem is None:
        return None
    if problem.code == "identifying":
        words = dict.fromkeys(fields.found_word(t, kind) for kind in problem.found)
        return t._(
            "Dit sla ik niet op: er staat {what} in. Typ alleen de rol, bijvoorbeeld "
            "<i>kapper</i> of <i>huisarts</i>."
        ).format(what=esc(t._(" en ").join(words)))
    return t._(ROLE_PROBLEMS[problem.code]).format(max=t.chars(kf.MAX_ROLE_CHARS))


def _summary_head(view: KeyView) -> str:
    role = view.draft.data.get("role", "")
    return title(view, N_("Nieuwe sleutelfiguur")) + f"<b>{esc(role)}</b>\n"


def render_muni(view: KeyView) -> Screen:
    t = view.t
    _ = t._
    home = next((m for m in view.munis if m.id == view.home_id), None)
    rows: list[list[Button]] = []
    if home is not None:
        label = _("{name} (jouw gemeente)").format(name=home.label)
        rows.append([(label, view.button(f"m{home.id}"))])
    others = [m for m in view.munis if home is None or m.id != home.id]
    rows += fields.municipality_buttons(t, others, view.button, regional=False)
    question = esc(_("In welke gemeente? Tik op een knop of typ de gemeente of het dorp."))
    return _summary_head(view) + question, [*rows, add_nav(view)]


async def use_muni(turn: Turn[KeyView], muni_id: int | None) -> Outcome:
    if muni_id is None:
        return fields.problem(turn, turn.flow.texts.unknown)
    data = turn.data
    data.pop("place", None)
    return advance(data, muni=muni_id)


def no_regional(turn: Turn[Any]) -> bool:
    return False


UNKNOWN_MUNI = N_(
    "Die gemeente ken ik niet. Kies een gemeente met de knoppen, of typ een gemeente of dorp "
    "(bijvoorbeeld <i>Blerick</i>)."
)


def render_place(view: KeyView) -> Screen:
    _ = view.t._
    villages = [p for p in view.places if p.kind == "v"]
    spots = [p for p in view.places if p.kind == "p"]
    rows = rows_of([(p.name, view.button("pl", p.kind, p.id)) for p in villages], 3)
    rows += rows_of([(p.name, view.button("pl", p.kind, p.id)) for p in spots], 2)
    rows.append([(_("Geen plek (overslaan)"), view.button("pl", "-"))])
    question = esc(
        _("Waar in {muni}? Kies een dorp of vindplek, typ de naam, of sla over.").format(
            muni=view.muni_label or "?"
        )
    )
    return _summary_head(view) + question, [*rows, add_nav(view)]


async def tap_place(turn: Turn[KeyView], cb: Callback) -> Outcome | None:
    if cb.action != "pl":
        return None
    if cb.arg == "-":
        return advance(turn.data, place=None)
    if len(cb.args) == 2 and cb.args[0] in {"v", "p"} and cb.args[1].isdigit():
        chosen = next(
            (
                p
                for p in (await turn.view()).places
                if p.kind == cb.args[0] and p.id == int(cb.args[1])
            ),
            None,
        )
        if chosen is not None:
            return advance(turn.data, place=f"{chosen.kind}{chosen.id}")
    return fields.problem(turn, turn.flow.texts.unknown)


async def text_place(turn: Turn[KeyView], text: str) -> Outcome:
    if normalize(text) in SKIP_WORDS:
        return advance(turn.data, place=None)
    places = (await turn.view()).places
    name = match_from_candidates(text, [p.name for p in places])
    chosen = next((p for p in places if p.name == name), None)
    if chosen is None:
        return Outcome(
            error=esc(
                turn.t._(
                    "Die plek ken ik niet in deze gemeente. Kies een knop, typ de naam van een "
                    "dorp of vindplek, of typ overslaan."
                )
            )
        )
    return advance(turn.data, place=f"{chosen.kind}{chosen.id}")


def since_help(t: Translator) -> str:
    # Short B1: a few examples. Other forms (12-3-2025, 2024, 3 maanden geleden) work too.
    return t._(
        "Typ sinds wanneer, bijvoorbeeld <i>1 maart</i>, <i>maart 2025</i> of "
        "<i>vorig jaar</i>. Of tik op Vandaag."
    )


def render_since(view: KeyView) -> Screen:
    _ = view.t._
    question = esc(_("Sinds wanneer heb je contact?")) + "\n" + since_help(view.t)
    return _summary_head(view) + question, [
        [(_("Vandaag"), view.button("today"))],
        add_nav(view),
    ]


async def tap_since(turn: Turn[KeyView], cb: Callback) -> Outcome | None:
    if cb.action != "today":
        return None
    return await use_since(turn, turn.today())


async def text_since(turn: Turn[KeyView], text: str) -> Outcome:
    since, code = kf.parse_since(text, turn.today())
    if since is None:
        why = turn.t._(SINCE_PROBLEMS.get(code or "unknown", SINCE_PROBLEMS["unknown"]))
        return Outcome(error=esc(why) + " " + since_help(turn.t))
    return await use_since(turn, since)


async def use_since(turn: Turn[KeyView], since: date) -> Outcome:
    return advance(turn.data, since=since.isoformat())


def render_quality(view: KeyView) -> Screen:
    _ = view.t._
    question = esc(_("Hoe is het contact?"))
    return _summary_head(view) + question, [
        [(_("Goed contact"), view.button("ql", "goed"))],
        [(_("Af en toe contact"), view.button("ql", "af_en_toe"))],
        add_nav(view),
    ]


async def tap_quality(turn: Turn[KeyView], cb: Callback) -> Outcome | None:
    if cb.action != "ql" or cb.arg not in kf.QUALITIES:
        return None
    return await use_quality(turn, cb.arg)


async def text_quality(turn: Turn[KeyView], text: str) -> Outcome:
    quality = QUALITY_WORDS.get(normalize(text))
    if quality is None:
        return Outcome(error=esc(turn.t._("Tik op Goed contact of Af en toe contact.")))
    return await use_quality(turn, quality)


async def use_quality(turn: Turn[KeyView], quality: str) -> Outcome:
    data = turn.data
    data["quality"] = quality
    # No active deelopdracht in the municipality: nothing to ask.
    if not await active_deels(turn, int(data["muni"])):
        data["deel"] = None
        data["deel_skipped"] = True
    return advance(data)


def render_deel(view: KeyView) -> Screen:
    _ = view.t._
    rows = [[(name, view.button("dl", deel_id))] for deel_id, name in view.deels]
    rows.append([(_("Geen deelopdracht"), view.button("dl", 0))])
    question = esc(_("Hoort deze sleutelfiguur bij een deelopdracht van {muni}?")).format(
        muni=esc(view.muni_label or "?")
    )
    return _summary_head(view) + question, [*rows, add_nav(view)]


async def tap_deel(turn: Turn[KeyView], cb: Callback) -> Outcome | None:
    if cb.action != "dl" or not cb.arg.isdigit():
        return None
    deel_id = int(cb.arg) or None
    if deel_id is not None and deel_id not in {d for d, _ in (await turn.view()).deels}:
        return fields.problem(turn, turn.flow.texts.unknown)
    return advance(turn.data, deel=deel_id)


def _place_name(view: KeyView) -> str | None:
    code = view.draft.data.get("place")
    if not code:
        return None
    return next((p.name for p in view.places if f"{p.kind}{p.id}" == code), None)


def render_summary(view: KeyView) -> Screen:
    t = view.t
    _ = t._
    data = view.draft.data
    place = _place_name(view)
    deel = next((name for d, name in view.deels if d == data.get("deel")), None)
    rows = [
        (_("Rol"), data.get("role", "")),
        (_("Gemeente"), view.muni_label or "?"),
        (_("Plek"), place or _("geen")),
        (_("Sinds"), long_date(t, date.fromisoformat(data["since"]))),
        (_("Contact"), quality_label(t, data.get("quality", "goed"))),
    ]
    if not data.get("deel_skipped"):
        rows.append((_("Deelopdracht"), deel or _("geen")))
    text = title(view, N_("Nieuwe sleutelfiguur")) + "\n".join(
        f"{esc(k)}: <b>{esc(v)}</b>" for k, v in rows
    )
    text += "\n\n" + esc(_("Klopt dit? Tik op Opslaan."))
    return text, [
        [(_(labels.SAVE), view.button("save", view.draft.submission_key))],
        add_nav(view),
    ]


async def tap_save(turn: Turn[KeyView], cb: Callback) -> Outcome | None:
    if cb.action != "save":
        return None
    data = turn.data
    place = data.get("place") or ""
    row = KeyFigure(
        submission_key=turn.draft.submission_key,
        expert_id=user_id_of(turn.context),
        municipality_id=int(data["muni"]),
        village_id=int(place[1:]) if place.startswith("v") else None,
        vindplek_id=int(place[1:]) if place.startswith("p") else None,
        deelopdracht_id=data.get("deel"),
        role=data["role"],
        since=date.fromisoformat(data["since"]),
        quality=data["quality"],
        created_at=turn.now(),
    )
    saved = await key_figures.add(turn.s, row)
    if not saved.created:
        return await fields.already_saved(turn)
    _ = turn.t._
    # A fresh draft shows the list: this draft's save button now answers "al opgeslagen".
    turn.draft = await start_draft(turn.s, turn.context, FLOW, "list", {})
    note = _("Opgeslagen: {role}.").format(role=data["role"])
    return Outcome(note=esc(note), toast=_("Opgeslagen"), extra={"restarted": True})


async def text_summary(turn: Turn[KeyView], text: str) -> Outcome:
    return Outcome(error=esc(turn.t._("Tik op Opslaan, of op Terug om iets te veranderen.")))
