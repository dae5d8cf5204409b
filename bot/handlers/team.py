"""/team: the coordinator runs the pool's team from the chat.

Steps: list (everyone, with home municipality, state, last logged, reminders, blocked) ->
person (stop or give access, home municipality, coordinator / expert role, revoke the codes
they made) -> municipality; and the open invite codes, each revocable. Every change goes
through `bot.storage.team` (audited). Stopping access takes effect on the person's next
message or button: the gatekeeper reads their row each update.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo

from telegram.ext import Application

from bot.commands import grants
from bot.dialogue import Callback, Outcome, Screen, Step, Turn, labels
from bot.handlers.common import Button, esc
from bot.handlers.report_common import ReportView, muni_buttons, tapped_municipality
from bot.handlers.shared import MENU_TEXTS, command_flow, gone, menu_taps, register_menu, rows_of
from bot.i18n import N_, Translator
from bot.menus import set_user_menu
from bot.router import TextRouter
from bot.storage import team
from bot.storage.team import Member, OpenInvite

FLOW = "team"
PREFIX = "m"


@dataclass(kw_only=True)
class TeamView(ReportView):
    members: list[Member] = field(default_factory=list)
    invites: list[OpenInvite] = field(default_factory=list)

    @property
    def person(self) -> Member | None:
        who = self.draft.data.get("who")
        return next((m for m in self.members if m.id == who), None)


async def load(turn: Turn[TeamView]) -> TeamView:
    return await TeamView.read(
        turn,
        members=await team.members(turn.s),
        invites=await team.open_invites(turn.s, turn.now()),
    )


def roles_text(t: Translator, m: Member) -> str:
    _ = t._
    names = []
    if m.is_coordinator:
        names.append(_("coördinator"))
    if m.is_expert:
        names.append(_("ervaringsdeskundige"))
    return " + ".join(names)


def member_line(t: Translator, m: Member) -> str:
    _ = t._
    parts = [roles_text(t, m), m.municipality or _("geen gemeente")]
    if not m.active:
        parts.append(_("⛔ gestopt"))
    if m.is_expert:
        last = t.fmt_short_date(m.last_logged) if m.last_logged else _("nog nooit")
        parts.append(_("laatst gelogd: {day}").format(day=last))
        if not m.reminders_on:
            parts.append(_("herinneringen uit"))
        elif m.paused_until is not None:
            parts.append(_("gepauzeerd tot {day}").format(day=t.fmt_short_date(m.paused_until)))
    if m.blocked:
        parts.append(_("heeft de bot geblokkeerd"))
    return f"<b>{esc(m.name or '?')}</b>: " + esc(", ".join(parts))


def render_list(view: TeamView) -> Screen:
    t = view.t
    _ = t._
    lines = ["<b>" + esc(_("Team")) + "</b>", *(member_line(t, m) for m in view.members)]
    lines += ["", esc(_("Tik op een naam om iets te veranderen."))]
    people: list[Button] = [
        (("⛔ " if not m.active else "") + (m.name or "?"), view.button("p", m.id))
        for m in view.members
    ]
    return "\n".join(lines), [
        *rows_of(people, 2),
        [
            (_("Open codes ({n})").format(n=len(view.invites)), view.button("codes")),
            (_(labels.DONE), view.button("x")),
        ],
    ]


def render_person(view: TeamView) -> Screen:
    _ = view.t._
    m = view.person
    if m is None:
        return gone(view, _("Deze persoon staat niet meer in het team."), _("« Team"), "back")
    mine = sum(1 for i in view.invites if i.created_by_id == m.id)
    buttons: list[list[Button]] = [
        [
            (_("Toegang stoppen"), view.button("off"))
            if m.active
            else (_("Weer toegang geven"), view.button("on"))
        ],
        [(_("Gemeente wijzigen"), view.button("muni"))],
        [
            (
                _("Geen coördinator meer") if m.is_coordinator else _("Maak coördinator"),
                view.button("rc"),
            ),
            (
                _("Geen ervaringsdeskundige meer") if m.is_expert else _("Ook ervaringsdeskundige"),
                view.button("re"),
            ),
        ],
    ]
    if mine:
        revoke = _("Codes van deze persoon intrekken ({n})").format(n=mine)
        buttons.append([(revoke, view.button("rv"))])
    buttons.append([(_("« Team"), view.button("back"))])
    return member_line(view.t, m), buttons


async def tap_person(turn: Turn[TeamView], callback: Callback) -> Outcome | None:
    _ = turn.t._
    view = await turn.view()
    m = view.person
    user = turn.context.app_user
    actor = user.id if user is not None else None
    if m is None:
        return None
    if callback.action in {"off", "rc"} and m.id == actor:
        return Outcome(toast=_("Dat kun je niet bij jezelf doen."), alert=True)
    now = turn.now()
    note = ""
    if callback.action in {"off", "on"}:
        active = callback.action == "on"
        await team.change(turn.s, m.id, actor, now, active=active)
        note = (
            _("{name} kan de bot weer gebruiken.")
            if active
            else _("{name} kan de bot niet meer gebruiken. De gegevens blijven in de rapporten.")
        ).format(name=m.name)
    elif callback.action in {"rc", "re"}:
        coordinator, expert = m.is_coordinator, m.is_expert
        if callback.action == "rc":
            coordinator = not coordinator
        else:
            expert = not expert
        if not (coordinator or expert):
            return Outcome(toast=_("Iemand heeft minstens één rol nodig."), alert=True)
        user = await team.set_roles(
            turn.s, m.id, coordinator=coordinator, expert=expert, actor_id=actor, now=now
        )
        # Their "/" menu follows, after this update (no Telegram call inside the transaction).
        turn.context.application.create_task(
            set_user_menu(
                turn.context.bot,
                user.chat_id,
                grants(user.role, user.also_expert),
                user.language,
            )
        )
        note = _("Rol aangepast: {name} heeft nu het menu dat erbij hoort.").format(name=m.name)
    elif callback.action == "rv":
        n = await team.revoke_invites(turn.s, now, actor, created_by_id=m.id)
        note = turn.t.ngettext("{n} code ingetrokken.", "{n} codes ingetrokken.", n).format(n=n)
    elif callback.action == "muni":
        return Outcome(state="muni", data=turn.data)
    else:
        return None
    return Outcome(state="person", data=turn.data, note=esc(note))


def render_muni(view: TeamView) -> Screen:
    _ = view.t._
    m = view.person
    name = m.name if m is not None else "?"
    return esc(_("Wat is de gemeente van {name}?").format(name=name)), [
        *muni_buttons(view),
        [(_("Geen gemeente"), view.button("m0")), (_(labels.BACK), view.button("person"))],
    ]


async def tap_muni(turn: Turn[TeamView], callback: Callback) -> Outcome | None:
    view = await turn.view()
    m = view.person
    if m is None:
        return None
    if callback.action == "person":
        return Outcome(state="person", data=turn.data)
    if callback.action == "m0":
        muni_id = None
    else:
        muni_id = tapped_municipality(view.munis, callback)
        if muni_id is None:
            return None
    user = turn.context.app_user
    await team.change(
        turn.s,
        m.id,
        user.id if user is not None else None,
        turn.now(),
        home_municipality_id=muni_id,
    )
    name = view.muni_name(muni_id) or turn.t._("geen gemeente")
    note = turn.t._("Gemeente van {who}: {muni}.").format(who=m.name, muni=name)
    return Outcome(state="person", data=turn.data, note=esc(note))


def invite_line(t: Translator, i: OpenInvite, tz: tzinfo) -> str:
    _ = t._
    role = _("coördinator") if i.role == "coordinator" else _("ervaringsdeskundige")
    text = _("Code {n}: {role}, {muni}, gemaakt {made}, geldig tot {until}").format(
        n=i.id,
        role=role,
        muni=i.municipality or _("geen gemeente"),
        made=t.fmt_short_date(i.created_at.astimezone(tz).date()),
        until=t.fmt_short_date(i.expires_at.astimezone(tz).date()),
    )
    if i.created_by:
        text += " " + _("(door {name})").format(name=i.created_by)
    return esc(text)


def render_codes(view: TeamView) -> Screen:
    t = view.t
    _ = t._
    if not view.invites:
        text = esc(_("Er zijn geen open codes."))
    else:
        text = "\n".join(
            [esc(_("Open codes (niet gebruikt, niet verlopen):"))]
            + [invite_line(t, i, view.context.services.settings.tz) for i in view.invites]
        )
    revoke = [
        (_("Intrekken: code {n}").format(n=i.id), view.button("rv", i.id)) for i in view.invites
    ]
    return text, [*rows_of(revoke, 2), [(_("« Team"), view.button("back"))]]


async def tap_codes(turn: Turn[TeamView], callback: Callback) -> Outcome | None:
    if callback.action != "rv" or not callback.arg.isdigit():
        return None
    user = turn.context.app_user
    n = await team.revoke_invites(
        turn.s, turn.now(), user.id if user is not None else None, invite_id=int(callback.arg)
    )
    note = turn.t._("Code {id} is ingetrokken: die werkt niet meer.").format(id=callback.arg)
    return Outcome(state="codes", data=turn.data, note=esc(note) if n else None)


async def tap_list(turn: Turn[TeamView], callback: Callback) -> Outcome | None:
    if callback.action == "p" and callback.arg.isdigit():
        return Outcome(state="person", data={"who": int(callback.arg)})
    if callback.action == "codes":
        return Outcome(state="codes", data={})
    return None


tap_any = menu_taps(N_("Klaar."), {"back": "list"})


STEPS: dict[str, Step[TeamView]] = {
    "list": Step(render_list, tap_list),
    "person": Step(render_person, tap_person),
    "muni": Step(render_muni, tap_muni),
    "codes": Step(render_codes, tap_codes),
}
TEAM = command_flow(FLOW, PREFIX, load, STEPS, texts=MENU_TEXTS, on_tap=tap_any)


def register(application: Application, router: TextRouter) -> None:
    register_menu(application, router, TEAM, "list")
