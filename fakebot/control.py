"""The scenario over HTTP, for a bot that runs in another process (``python -m fakebot serve``).

Routes (JSON in, JSON out; served only when ``FakeTelegram(control=True)``):

- ``POST /_fake/users`` ``{"first_name": "Anna", "user_id": 5000000001?, "language_code": "nl"?}``
  creates a user with a private chat -> ``{"chat_id": ...}``
- ``POST /_fake/say`` ``{"chat_id": ..., "text": "/start"}`` queues a message update
- ``POST /_fake/press`` ``{"chat_id": ..., "label": "Ja"}`` queues a press of the button with
  that label (or containing it) on the chat's latest bot message with a keyboard
  -> both ``{"update_id": ...}``; the bot gets them through getUpdates (or the webhook).
- ``GET /_fake/transcript/{chat_id}`` -> the chat as text
- ``GET /_fake/calls?since=SEQ`` -> ``[{"seq", "method", "status", "chat_id"}, ...]``
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from fakebot.server import FakeTelegram


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"ok": False, "description": message}, status=status)


def add_control_routes(tg: FakeTelegram, router: web.UrlDispatcher) -> None:
    """Register the ``/_fake/`` routes of ``tg`` on ``router``."""

    async def body(request: web.Request) -> dict[str, Any]:
        data = await request.json() if request.body_exists else {}
        if not isinstance(data, dict):
            raise web.HTTPBadRequest(text="expected a JSON object")
        return data

    async def users(request: web.Request) -> web.Response:
        data = await body(request)
        chat = tg.add_private_chat(
            str(data.get("first_name") or "Anna"),
            user_id=data.get("user_id"),
            language_code=data.get("language_code", "nl"),
            username=data.get("username"),
        )
        return web.json_response({"chat_id": chat.id})

    async def say(request: web.Request) -> web.Response:
        data = await body(request)
        try:
            update = tg.message_update(int(data["chat_id"]), str(data["text"]))
        except (KeyError, LookupError, ValueError) as exc:
            return _error(400, repr(exc))
        return web.json_response({"update_id": tg.push_update(update)})

    async def press(request: web.Request) -> web.Response:
        data = await body(request)
        try:
            chat_id, label = int(data["chat_id"]), str(data["label"])
        except (KeyError, ValueError) as exc:
            return _error(400, repr(exc))
        for message in reversed(tg.messages(chat_id)):
            buttons = [b for row in message.keyboard for b in row if "callback_data" in b]
            if not buttons:
                continue
            hits = [b for b in buttons if b["text"] == label] or [
                b for b in buttons if label in b["text"]
            ]
            if len(hits) != 1:
                return _error(400, f"button {label!r} not found once in {message.buttons}")
            update = tg.callback_query_update(
                chat_id, message.message_id, hits[0]["callback_data"], label=hits[0]["text"]
            )
            return web.json_response({"update_id": tg.push_update(update)})
        return _error(400, f"no keyboard to press {label!r} on")

    async def transcript(request: web.Request) -> web.Response:
        try:
            return web.Response(text=tg.transcript(int(request.match_info["chat_id"])))
        except (LookupError, ValueError) as exc:
            return _error(404, repr(exc))

    async def calls(request: web.Request) -> web.Response:
        since = int(request.query.get("since", "0"))
        return web.json_response(
            [
                {
                    "seq": c.seq,
                    "method": c.method,
                    "status": c.status,
                    "chat_id": c.params.get("chat_id"),
                }
                for c in tg.calls
                if c.seq > since
            ]
        )

    router.add_post("/_fake/users", users)
    router.add_post("/_fake/say", say)
    router.add_post("/_fake/press", press)
    router.add_get("/_fake/transcript/{chat_id}", transcript)
    router.add_get("/_fake/calls", calls)
