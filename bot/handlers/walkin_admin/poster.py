"""'Poster maken': the walk-in poster PDF of one municipality (`bot.poster`), sent as a file.
It ends the dialogue (it changes nothing)."""

from __future__ import annotations

import asyncio

from bot.dialogue import Outcome, Turn
from bot.handlers.walkin_admin.view import AdminView
from bot.poster import poster_file_name, render_poster
from bot.storage import walkin as repo
from bot.text import esc


async def poster(turn: Turn[AdminView], muni_name: str, slug: str) -> Outcome:
    context = turn.context
    user = context.app_user
    assert user is not None  # the gatekeeper only lets coordinators in
    rules, exceptions = await repo.load_schedule(turn.s, muni_name, since=turn.today())
    pdf = await asyncio.to_thread(
        render_poster,
        turn.t,
        muni_name,
        slug,
        rules,
        exceptions,
        context.bot.username,
        turn.now(),
    )
    await context.bot.send_document(
        user.chat_id,
        pdf,
        filename=poster_file_name(slug),
        caption=turn.t._("Poster voor {muni}").format(muni=muni_name),
    )
    return await turn.end(
        turn.t._(
            "Hier is de poster voor {muni}. Print hem op A4 en hang hem op een plek waar "
            "inwoners komen. De QR-code opent de bot met de tijden van {muni}."
        ).format(muni=esc(muni_name))
    )
