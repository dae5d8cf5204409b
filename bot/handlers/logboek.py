"""/logboek: every change to the team, the lists and the ledger (who, when, before/after), newest
first; `/logboek 50` shows more. /budget: the fair-share ledger year to date;
`/budget 2026 3650` sets the year's budget in hours, `/budget spreiden aan|uit` whether
regional hours are spread by the key (keys and deviations: `python -m bot budget`)."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.domain.digest import ledger_lines, split_html
from bot.handlers.common import esc, reply
from bot.i18n import Translator
from bot.router import TextRouter
from bot.storage import audit, ledger

MAX_ROWS = 50
SHOWN_FIELDS = 4  # of one change, the rest is left out (the database has it all)


def _value(t: Translator, value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return t._("ja") if value else t._("nee")
    return str(value)


def change_text(t: Translator, entry: audit.Entry) -> str:
    before, after = entry.before or {}, entry.after or {}
    keys = [k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)]
    parts = [
        f"{k}: {_value(t, before.get(k))} → {_value(t, after.get(k))}"
        if k in before and k in after
        else f"{k}: {_value(t, after.get(k, before.get(k)))}"
        for k in keys[:SHOWN_FIELDS]
    ]
    return "; ".join(parts)


def entry_line(t: Translator, entry: audit.Entry, context: BotContext) -> str:
    _ = t._
    when = entry.at.astimezone(context.services.settings.tz)
    who = entry.actor or _("opdrachtregel")
    subject = entry.subject or f"#{entry.entity_id}"
    head = f"{t.fmt_short_date(when.date())} {t.fmt_time(when.time())} · {who}"
    what = f"{entry.entity} {subject} ({entry.action})"
    return f"<b>{esc(head)}</b>\n{esc(what)}: {esc(change_text(t, entry))}"


async def cmd_logboek(update: Update, context: BotContext) -> None:
    t = context.t
    args = context.args or []
    limit = min(int(args[0]), MAX_ROWS) if args and args[0].isdigit() else 20
    async with context.unit() as s:
        entries = await audit.recent(s, max(limit, 1))
    if not entries:
        await reply(update, context, esc(t._("Er zijn nog geen wijzigingen.")))
        return
    lines = ["<b>" + esc(t._("Logboek: de laatste wijzigingen")) + "</b>"]
    lines += [entry_line(t, e, context) for e in entries]
    text = "\n\n".join(lines)
    for part in split_html(text):
        await reply(update, context, part)


async def cmd_budget(update: Update, context: BotContext) -> None:
    t = context.t
    _ = t._
    args = [a.lower() for a in context.args or []]
    services = context.services
    user = context.app_user
    actor = user.id if user is not None else None
    note = ""
    async with context.unit() as s:
        if len(args) == 2 and args[0] == "spreiden" and args[1] in {"aan", "uit"}:
            year = services.today().year
            await ledger.set_budget(
                s, year, actor_id=actor, now=services.now(), spread=args[1] == "aan"
            )
            note = _("Opgeslagen.")
        elif len(args) == 2 and args[0].isdigit() and _hours(args[1]) is not None:
            await ledger.set_budget(
                s, int(args[0]), actor_id=actor, now=services.now(), hours=_hours(args[1])
            )
            note = _("Opgeslagen.")
        elif args:
            await reply(
                update,
                context,
                esc(
                    _(
                        "Dat begrijp ik niet. Bijvoorbeeld: /budget 2026 3650 (uren per jaar) "
                        "of /budget spreiden aan."
                    )
                ),
            )
            return
        found = await ledger.load(s, services.today())
    if found is None:
        text = esc(
            _(
                "Er is nog geen budget voor dit jaar. Stel het in met /budget, "
                "bijvoorbeeld: /budget {year} 20000."
            ).format(year=services.today().year)
        )
    else:
        text = "\n".join(ledger_lines(found, t))
    await reply(update, context, (esc(note) + "\n\n" if note else "") + text)


def _hours(text: str) -> float | None:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return None
    return value if 0 < value < 1_000_000 else None


def register(application: Application, router: TextRouter) -> None:
    application.add_handler(CommandHandler("logboek", cmd_logboek))
    application.add_handler(CommandHandler("budget", cmd_budget))
