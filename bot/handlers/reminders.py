"""Reminders: /herinnering (days, time, on/off), /pauze, and the buttons on a reminder.

Buttons (prefix `r`):
- on a reminder: `r:m:<delivery id>:<snooze count>:log|nil|later`. The snooze count is the
  revision: after "Later" the old message's buttons are gone and the next reminder carries the
  new count, so a double tap cannot snooze twice.
- in /herinnering: `r:s:<draft id>:<revision>:d<1-7>|on|off|ok`. The settings dialogue has a
  draft (flow "herinnering") so a typed time ("17:00") reaches it; each change is saved at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot import jobs
from bot.context import BotContext
from bot.dialogue import labels
from bot.dialogue.codec import Callback, parse
from bot.dialogue.flow import Flow, Outcome, Screen, Step, Texts, Turn, View
from bot.dialogue.press import start_draft
from bot.domain import reminders as rdom
from bot.domain.dates import DateError, DateErrorCode, parse_pause_until, parse_time
from bot.handlers.common import answer, edit_or_send, reply
from bot.i18n import N_, Translator
from bot.router import TextRouter
from bot.storage import reports, users
from bot.storage.models import User
from bot.text import esc

PREFIX = "r"
SETTINGS_PREFIX = "r:s"
REMINDER_PREFIX = "r:m"
FLOW = "herinnering"
# The settings dialogue only needs to catch a typed time for a little while.
SETTINGS_TTL = timedelta(hours=1)
NOT_WORKING = N_("Deze knop werkt niet meer.")


# --------------------------------------------------------------------------- parsing helpers


def _parse_time(text: str) -> time | None:
    return parse_time(text.strip())


def _too_late(t: Translator) -> str:
    return esc(
        t._("Zo laat kan niet. Kies een tijd tot en met {time}, bijvoorbeeld 17:00.").format(
            time=t.fmt_time(rdom.LATEST_TIME)
        )
    )


def dated(t: Translator, msgid: str, day: date) -> str:
    """A sentence naming a day (``msgid`` with {date}), as HTML."""
    return esc(t._(msgid).format(date=t.fmt_date(day)))


def day_names(t: Translator) -> dict[int, str]:
    """ISO weekday -> short local name ("ma", "di", ...)."""
    return {iso: t.weekday(iso - 1, short=True) for iso in range(1, 8)}


def describe(t: Translator, user: User, today: date) -> str:
    """One or two sentences on the current reminder settings."""
    _ = t._
    if not user.reminders_enabled or not rdom.parse_days(user.reminder_days):
        text = _("Herinneringen staan uit.")
    else:
        names = day_names(t)
        days = ", ".join(names[d] for d in sorted(rdom.parse_days(user.reminder_days)))
        text = _(
            "Ik stuur je een herinnering op {days} om {time}, als je die dag nog niets hebt "
            "ingevuld. Op feestdagen stuur ik niets."
        ).format(days=esc(days), time=t.fmt_time(user.reminder_time))
    if user.pause_until is not None and user.pause_until >= today:
        text += "\n" + _("Gepauzeerd tot en met {date}.").format(
            date=esc(t.fmt_date(user.pause_until))
        )
    return text


# --------------------------------------------------------------------------- /herinnering


@dataclass(kw_only=True)
class SettingsView(View):
    user: User
    today: date


async def _load_settings(turn: Turn[SettingsView]) -> SettingsView:
    user = turn.context.app_user
    assert user is not None and user.id is not None
    row = await users.get_user(turn.s, user.id)
    assert row is not None
    return SettingsView(
        context=turn.context, draft=turn.draft, prefix=SETTINGS_PREFIX, user=row, today=turn.today()
    )


def render_settings(view: SettingsView) -> Screen:
    t, user = view.t, view.user
    _ = t._
    on = set(rdom.parse_days(user.reminder_days))
    names = day_names(t)
    text = "\n\n".join(
        [
            "<b>{}</b>".format(esc(_("Herinnering"))),
            describe(t, user, view.today),
            esc(
                _(
                    "Tik op een dag om die aan of uit te zetten. "
                    "Een andere tijd? Typ die, bijvoorbeeld 17:00."
                )
            ),
        ]
    )

    def day(d: int) -> tuple[str, str]:
        return ("✓ " if d in on else "") + names[d], view.button(f"d{d}")

    toggle = (
        (_("Herinneringen uit"), view.button("off"))
        if user.reminders_enabled
        else (_("Herinneringen aan"), view.button("on"))
    )
    return text, [
        [day(d) for d in range(1, 5)],
        [day(d) for d in range(5, 8)],
        [toggle, (_(labels.DONE), view.button("ok"))],
    ]


def _turned_on(user: User, default_days: str) -> dict[str, Any]:
    """Reminders on, with the default days when none are chosen."""
    values: dict[str, Any] = {"reminders_enabled": True}
    if not rdom.parse_days(user.reminder_days):
        values["reminder_days"] = default_days
    return values


async def _set(turn: Turn[SettingsView], **values: Any) -> User:
    user = turn.context.app_user
    assert user is not None and user.id is not None
    row = await users.set_reminder_settings(turn.s, user.id, **values)
    turn.context.app_user = row
    return row


async def on_settings_tap(turn: Turn[SettingsView], callback: Callback) -> Outcome | None:
    """A day toggled, reminders on or off (each saved at once), or "Klaar"."""
    user = (await turn.view()).user
    action = callback.action
    if action == "ok":
        return await turn.end(describe(turn.t, user, turn.today()), toast=turn.t._("Opgeslagen."))
    if action.startswith("d") and action[1:].isdigit() and 1 <= int(action[1:]) <= 7:
        await _set(turn, reminder_days=rdom.toggle_day(user.reminder_days, int(action[1:])))
    elif action == "off":
        await _set(turn, reminders_enabled=False)
    elif action == "on":
        await _set(turn, **_turned_on(user, turn.context.services.settings.default_reminder_days))
    else:
        return None
    return Outcome(touch=True)  # a new revision: the buttons shown before stop working


async def on_settings_text(turn: Turn[SettingsView], text: str) -> Outcome:
    """A typed time while the settings dialogue is open."""
    _ = turn.t._
    at = _parse_time(text)
    if at is None:
        problem = esc(_("Dat is geen tijd. Typ een tijd zoals 16:30 of 9:00, of tik op Klaar."))
        return Outcome(final=(problem, []))
    if not rdom.reminder_time_allowed(at):
        return Outcome(final=(_too_late(turn.t), []))
    await _set(turn, reminder_time=at, reminders_enabled=True)
    return Outcome(touch=True)


SETTINGS = Flow[SettingsView](
    name=FLOW,
    prefix=SETTINGS_PREFIX,
    command="/herinnering",
    steps={"settings": Step(render_settings, on_settings_tap, on_settings_text)},
    load=_load_settings,
    texts=Texts(
        unknown=NOT_WORKING,
        gone=N_("Deze knop werkt niet meer. Typ /herinnering om je instellingen te zien."),
        saved=N_("Deze knop werkt niet meer. Typ /herinnering om je instellingen te zien."),
        expired=N_("Deze knop werkt niet meer. Typ /herinnering om je instellingen te zien."),
        stale=N_("Deze knop hoort bij een eerdere stap. Gebruik het laatste bericht."),
        misplaced=NOT_WORKING,
    ),
    ttl=lambda _context: SETTINGS_TTL,
)


async def _update_user(context: BotContext, **values: Any) -> User:
    user = context.app_user
    assert user is not None and user.id is not None
    async with context.unit() as s:
        row = await users.set_reminder_settings(s, user.id, **values)
    context.app_user = row
    return row


async def cmd_reminder(update: Update, context: BotContext) -> None:
    user = context.app_user
    if user is None or user.id is None:
        return
    _ = context.t._
    arg = " ".join(context.args or []).strip().lower()
    if arg in ("uit", "off", "stop"):
        user = await _update_user(context, reminders_enabled=False)
        await reply(
            update, context, esc(_("Herinneringen staan uit. Weer aan? Typ /herinnering aan."))
        )
        return
    if arg in ("aan", "on"):
        default_days = context.services.settings.default_reminder_days
        user = await _update_user(context, **_turned_on(user, default_days))
        await reply(update, context, describe(context.t, user, context.services.today()))
        return
    if arg:
        at = _parse_time(arg)
        if at is None:
            await reply(
                update,
                context,
                esc(
                    _(
                        "Dat begrijp ik niet. Typ bijvoorbeeld /herinnering 17:00, "
                        "/herinnering uit of /herinnering aan."
                    )
                ),
            )
            return
        if not rdom.reminder_time_allowed(at):
            await reply(update, context, _too_late(context.t))
            return
        user = await _update_user(context, reminder_time=at, reminders_enabled=True)
        await reply(update, context, describe(context.t, user, context.services.today()))
        return
    async with context.unit() as s:
        draft = await start_draft(s, context, FLOW, "settings", {}, ttl=SETTINGS_TTL)
        text, buttons = await Turn(s, context, SETTINGS, draft).render()
    await reply(update, context, text, buttons=buttons)


# --------------------------------------------------------------------------- /pauze


async def cmd_pause(update: Update, context: BotContext) -> None:
    user = context.app_user
    if user is None or user.id is None:
        return
    t = context.t
    _ = t._
    arg = " ".join(context.args or []).strip()
    usage = _(
        "Typ bijvoorbeeld <code>/pauze tot 12-8</code> (tot en met die dag) "
        "of <code>/pauze uit</code> om weer herinneringen te krijgen."
    )
    if not arg:
        if user.pause_until is not None and user.pause_until >= context.services.today():
            head = dated(
                t, N_("Je herinneringen zijn gepauzeerd tot en met {date}."), user.pause_until
            )
        else:
            head = esc(_("Je herinneringen zijn niet gepauzeerd."))
        await reply(update, context, f"{head}\n{usage}")
        return
    if arg.lower() in ("uit", "stop", "klaar", "off"):
        await _update_user(context, pause_until=None)
        await reply(update, context, esc(_("De pauze is voorbij. Je krijgt weer herinneringen.")))
        return
    today = context.services.today()
    try:
        until = parse_pause_until(arg, today)
    except DateError as exc:
        if exc.code == DateErrorCode.PAST:
            problem = _("Die datum is al geweest. Kies vandaag of een dag later.")
        elif exc.code == DateErrorCode.TOO_FAR:
            problem = _("Zo lang kan niet. Een pauze duurt hoogstens een jaar.")
        else:
            problem = _("Die datum begrijp ik niet.")
        await reply(update, context, esc(problem) + "\n" + usage)
        return
    await _update_user(context, pause_until=until)
    await reply(
        update,
        context,
        dated(t, N_("Pauze tot en met {date}. Daarna krijg je weer herinneringen."), until),
    )


# --------------------------------------------------------------------------- reminder buttons


async def on_reminder_button(update: Update, context: BotContext) -> None:
    """`r:m:<delivery id>:<snooze count>:<action>` (the count in the revision's place)."""
    query = update.callback_query
    assert query is not None
    t = context.t
    _ = t._
    user = context.app_user
    callback = parse(query.data or "", REMINDER_PREFIX)
    if callback is None or callback.args or user is None or user.id is None:
        await answer(context, query, _(NOT_WORKING))
        return
    delivery_id, count, action = callback.draft_id, callback.revision, callback.action
    services = context.services
    now = services.now()
    async with context.unit() as s:
        delivery = await reports.get_reminder(s, delivery_id)
    if delivery is None or delivery.user_id != user.id:
        await answer(context, query, _(NOT_WORKING))
        return
    day = delivery.local_date
    if action == "nil":
        async with context.unit() as s:
            await reports.add_day_off(s, user.id, day, now)
            await reports.answer_reminder(s, delivery_id, user.id)
        await answer(context, query, _("Genoteerd."))
        await edit_or_send(
            update,
            context,
            dated(t, N_("Genoteerd: niets te melden op {date}. Tot de volgende keer!"), day),
        )
        return
    if action == "log":
        async with context.unit() as s:
            await reports.answer_reminder(s, delivery_id, user.id)
        await answer(context, query)
        await _remove_buttons(query)
        await _start_contact(update, context)
        return
    if action == "later":
        if day != services.today():
            await answer(context, query, _("Deze herinnering is van een eerdere dag."))
            return
        if not rdom.snooze_allowed(count, now, services.settings.tz):
            # Out of snoozes, or the snoozed reminder would fall on the next day.
            await answer(context, query, _("Later kan nu niet meer."))
            return
        until = rdom.snoozed_until(now)
        async with context.unit() as s:
            ok = await reports.snooze_reminder(
                s, delivery_id, user.id, count, until, rdom.MAX_SNOOZES
            )
        if not ok:
            await answer(context, query, _("Deze knop is al gebruikt."))
            return
        await answer(context, query)
        await edit_or_send(
            update,
            context,
            esc(
                _("Goed, ik herinner je om {time} nog een keer.").format(
                    time=t.fmt_time(until.astimezone(services.settings.tz))
                )
            ),
        )
        return
    await answer(context, query, _(NOT_WORKING))


async def _remove_buttons(query: Any) -> None:
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except BadRequest:
        pass  # already without buttons


async def _start_contact(update: Update, context: BotContext) -> None:
    """Open the /contact dialogue as if the expert had typed /contact."""
    try:
        from bot.handlers import contact
    except ImportError:  # the contact journey is not installed
        contact = None  # type: ignore[assignment]  # the module, or None when absent
    start = getattr(contact, "cmd_contact", None) if contact is not None else None
    if start is None:
        await reply(update, context, esc(context.t._("Typ /contact om je werk vast te leggen.")))
        return
    context.args = []
    await start(update, context)


async def on_other_button(update: Update, context: BotContext) -> None:
    """An `r:` button that is neither a reminder's nor the settings' (malformed, or old)."""
    await answer(context, update.callback_query, context.t._(NOT_WORKING))


# --------------------------------------------------------------------------- wiring


def register(application: Application, router: TextRouter) -> None:
    application.add_handler(CommandHandler("herinnering", cmd_reminder))
    application.add_handler(CommandHandler("pauze", cmd_pause))
    SETTINGS.register(application, router)
    application.add_handler(CallbackQueryHandler(on_reminder_button, pattern=r"^r:m:"))
    application.add_handler(CallbackQueryHandler(on_other_button, pattern=rf"^{PREFIX}:"))


def schedule(application: Application) -> None:
    """The reminder job (registered with all others in `bot.jobs`)."""
    jobs.schedule_reminders(application)
