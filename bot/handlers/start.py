"""/start (with a registration code), /help, /annuleer, /uitnodigen, unknown commands."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.commands import COORDINATOR, EXPERT, RESIDENT
from bot.context import BotContext
from bot.domain.invites import deep_link, looks_like_code
from bot.handlers import walkin
from bot.handlers.common import answer, edit_or_send, esc, reply
from bot.handlers.gate import role_of
from bot.handlers.mijngegevens import privacy_notice
from bot.handlers.shared import rows_of
from bot.i18n import N_, pick_language, translator
from bot.menus import menu_specs, set_user_menu
from bot.router import TextRouter
from bot.storage import drafts, users, worklog
from bot.storage.models import Role, id_of


def resident_welcome(context: BotContext) -> str:
    _ = context.t._
    return _(
        "Welkom! Bij de ervaringsdeskundigen kun je zonder afspraak binnenlopen. "
        "Je hoeft niets in te vullen en je naam wordt niet gevraagd.\n\n"
        "Typ waar je woont, bijvoorbeeld <i>inloop Blerick</i> of <i>spreekuur Roermond</i>. "
        "Of kies /inloop.\n\n"
        "Werk je voor de pool? Stuur dan je aanmeldcode."
    )


def help_text(context: BotContext, role: str) -> str:
    _ = context.t._
    lines = ["<b>" + esc(_("Dit kun je hier doen")) + "</b>"]
    lines += [f"/{c.name} – {esc(_(c.description))}" for c in menu_specs(role)]
    if role == EXPERT:
        lines += [
            "",
            _("Snel invoeren kan in één regel, bijvoorbeeld:"),
            "<code>/contact 45 min inloop Blerick armoede, eenzaamheid 2 nieuw</code>",
        ]
    if role == RESIDENT:
        lines += ["", _("Je bent welkom zonder afspraak. Je gegevens worden niet bewaard.")]
    return "\n".join(lines)


def staff_welcome(context: BotContext, role: str, name: str) -> str:
    _ = context.t._
    greeting = _("Welkom, {name}!").format(name=esc(name)) if name else _("Welkom!")
    if role == COORDINATOR:
        body = _("Je bent aangemeld als coördinator.")
    else:
        body = _("Je bent aangemeld als ervaringsdeskundige.")
    return f"{greeting} {body}\n\n{help_text(context, role)}"


REDEEM_ERRORS = {
    "invalid": N_(
        "Deze code klopt niet. Controleer de code of vraag de coördinator om een nieuwe."
    ),
    "used": N_("Deze code is al gebruikt. Vraag de coördinator om een nieuwe code."),
    "expired": N_("Deze code is verlopen. Vraag de coördinator om een nieuwe code."),
    "revoked": N_("Deze code is ingetrokken. Vraag de coördinator om een nieuwe code."),
    "throttled": N_("Te vaak een verkeerde code. Probeer het over een kwartier opnieuw."),
}


async def _redeem(update: Update, context: BotContext, code: str) -> None:
    services = context.services
    tg_user = update.effective_user
    chat = update.effective_chat
    assert tg_user is not None and chat is not None
    language = pick_language(tg_user.language_code)
    settings = services.settings
    async with context.unit() as s:
        result = await users.redeem_invite(
            s,
            code.strip().lower(),
            telegram_user_id=tg_user.id,
            chat_id=chat.id,
            display_name=tg_user.first_name or "",
            language=language,
            now=services.now(),
            secret=settings.require_token(),
            defaults=users.NewUserDefaults(
                reminder_days=settings.default_reminder_days,
                reminder_time=settings.default_reminder_time,
            ),
        )
    if not result.ok:
        if result.reason == "already_registered":
            await cmd_help(update, context)
            return
        msgid = REDEEM_ERRORS.get(result.reason, REDEEM_ERRORS["invalid"])
        await reply(update, context, context.t._(msgid))
        return
    user = result.user
    assert user is not None
    context.app_user = user
    context.t = translator(user.language)
    await set_user_menu(context.bot, chat.id, user.role, user.language)
    # The privacy notice, once, with the welcome (and any time with /privacy).
    welcome = staff_welcome(context, user.role, user.display_name)
    await reply(update, context, f"{welcome}\n\n{privacy_notice(context)}")


async def cmd_start(update: Update, context: BotContext) -> None:
    # Only a code-shaped payload is a registration attempt; any other deep link (e.g. a QR
    # code on a poster) is a resident saying hello, and leaves nothing behind.
    if context.args and context.app_user is None and looks_like_code(context.args[0]):
        await _redeem(update, context, context.args[0])
        return
    if context.args and await walkin.answer_start_payload(update, context, context.args[0]):
        return  # a poster's QR code: that municipality's walk-in times
    role = role_of(context)
    if role == RESIDENT:
        await reply(update, context, resident_welcome(context))
    else:
        user = context.app_user
        await reply(
            update, context, staff_welcome(context, role, user.display_name if user else "")
        )


async def cmd_help(update: Update, context: BotContext) -> None:
    await reply(update, context, help_text(context, role_of(context)))


async def cmd_cancel(update: Update, context: BotContext) -> None:
    _ = context.t._
    user = context.app_user
    removed = 0
    if user is not None:
        async with context.unit() as s:
            removed = await drafts.discard_all(s, id_of(user))
    if removed:
        await reply(update, context, _("Gestopt. Er is niets opgeslagen."))
    else:
        await reply(update, context, _("Er is niets om te stoppen."))


async def cmd_invite(update: Update, context: BotContext) -> None:
    _ = context.t._
    await reply(
        update,
        context,
        _("Voor wie maak je een aanmeldcode?"),
        buttons=[[(_("Ervaringsdeskundige"), "a:expert"), (_("Coördinator"), "a:coordinator")]],
    )


async def on_invite_button(update: Update, context: BotContext) -> None:
    """`a:<role>` asks the home municipality; `a:<role>:<municipality id or 0>` makes the code."""
    query = update.callback_query
    assert query is not None
    _ = context.t._
    parts = (query.data or "").split(":")
    if len(parts) not in (2, 3) or parts[1] not in {r.value for r in Role}:
        await answer(context, query, _("Deze knop werkt niet meer. Typ /uitnodigen opnieuw."))
        return
    role = Role(parts[1])
    services = context.services
    if len(parts) == 2:
        async with context.unit() as s:
            munis = await worklog.municipalities(s)
        await answer(context, query)
        buttons = rows_of([(m.label, f"a:{role.value}:{m.id}") for m in munis], 2)
        buttons.append([(_("Geen vaste gemeente"), f"a:{role.value}:0")])
        await edit_or_send(
            update, context, _("Wat is de vaste gemeente van je nieuwe collega?"), buttons=buttons
        )
        return
    muni_id = int(parts[2]) if parts[2].isdigit() and parts[2] != "0" else None
    user = context.app_user
    async with context.unit() as s:
        code, _invite = await users.create_invite(
            s,
            role,
            services.now(),
            services.settings.invite_valid_days,
            muni_id,
            created_by_id=user.id if user is not None else None,
        )
    await answer(context, query)
    link = deep_link(context.bot.username, code)
    share = "https://t.me/share/url?" + urlencode(
        {"url": link, "text": _("Je aanmeldlink voor de bot van de pool")}, quote_via=quote
    )
    await edit_or_send(
        update,
        context,
        _(
            "Stuur deze link naar je nieuwe collega. De link werkt één keer en "
            "is {days} geldig:\n{link}\n\nIntrekken kan via /team."
        ).format(days=context.t.days(services.settings.invite_valid_days), link=esc(link)),
        buttons=InlineKeyboardMarkup([[InlineKeyboardButton(_("Link doorsturen"), url=share)]]),
    )


async def on_code_text(update: Update, context: BotContext) -> bool:
    """An unregistered person pasting their code (instead of tapping the link)."""
    msg = update.message
    if context.app_user is not None or msg is None or not msg.text:
        return False
    if not looks_like_code(msg.text):
        return False
    await _redeem(update, context, msg.text)
    return True


async def cmd_unknown(update: Update, context: BotContext) -> None:
    await reply(update, context, context.t._("Die opdracht ken ik niet. Typ /help voor wat kan."))


def register(application: Application, router: TextRouter) -> None:
    application.add_handler(CommandHandler("start", cmd_start))
    application.add_handler(CommandHandler("help", cmd_help))
    application.add_handler(CommandHandler("annuleer", cmd_cancel))
    application.add_handler(CommandHandler("uitnodigen", cmd_invite))
    application.add_handler(CallbackQueryHandler(on_invite_button, pattern=r"^a:"))
    router.free_text(on_code_text)


def register_fallbacks(application: Application, router: TextRouter) -> None:
    """Last in group 0: typed text goes to the router, unknown commands get a hint."""
    application.add_handler(
        MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, router.route)
    )
    application.add_handler(
        MessageHandler(filters.UpdateType.MESSAGE & filters.COMMAND, cmd_unknown)
    )
