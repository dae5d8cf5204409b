"""An in-process fake Telegram Bot API server for tests.

:class:`FakeTelegram` is a real HTTP server (aiohttp, 127.0.0.1, random free port).  A real
python-telegram-bot ``Application`` talks to it through its normal httpx stack once built with::

    ApplicationBuilder().token(TOKEN).base_url(tg.api_base_url).base_file_url(tg.file_base_url)

(:func:`fakebot.ptb.application_builder` does this with short timeouts.)

The server answers the Bot API methods a bot like ours uses, validates requests the way
Telegram does (formatting, lengths, keyboards, callback answers, blocked users ...) and records
everything: every API call, every message per chat with edit history and deletions, every
callback query and its answers.  It also produces updates in Telegram's JSON shape and hands
them out through real long polling (``getUpdates``), a webhook POST, or -- via the scenario
drivers -- straight to ``Application.process_update``.

The class is assembled from mixins: :mod:`fakebot.state` (recorded state),
:mod:`fakebot.updates` (incoming updates, polling, webhook), :mod:`fakebot.methods` and
:mod:`fakebot.chat_methods` (Bot API methods), :mod:`fakebot.failures` (injected errors,
flood limits); this module is the HTTP side and the method table.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import logging
import re
import socket
import time
from typing import TYPE_CHECKING, Any

from aiohttp import ClientSession, ClientTimeout, web

from fakebot.chat_methods import ChatMethods
from fakebot.failures import FailureInjection, FloodLimits, _Bucket, _Failure
from fakebot.methods import MessageMethods
from fakebot.records import ApiCall, CallbackQueryRecord, Chat, ChatEvent, Stats, UploadedFile
from fakebot.state import DEFAULT_TOKEN, JSON, ClockLike, MethodHandler
from fakebot.updates import UpdateSource
from fakebot.validation import ApiError, bad_request, coerce_params

if TYPE_CHECKING:
    from fakebot.drivers import Driver


__all__ = [
    "DEFAULT_TOKEN",
    "ApiError",
    "ClockLike",
    "FakeTelegram",
    "FloodLimits",
    "MethodHandler",
]

_LOGGER = logging.getLogger(__name__)
_TOKEN_RE = re.compile(r"\d+:[A-Za-z0-9_-]+")


class FakeTelegram(UpdateSource, MessageMethods, ChatMethods, FailureInjection):
    """A fake Telegram Bot API server plus a factory for users and updates.

    Use ``async with FakeTelegram() as tg:`` (or ``await tg.start()`` / ``await tg.stop()``,
    or the ``fake_telegram`` pytest fixture).

    Args:
        bot_username: ``username`` returned by getMe.
        bot_first_name: ``first_name`` returned by getMe.
        bot_id: the bot's user id; default: the numeric prefix of the first token seen.
        token: when set, only this token is accepted (others get 401 like Telegram);
            otherwise any well-formed ``<digits>:<chars>`` token is.
        strict_html_ampersand: reject a bare ``&`` in HTML (Telegram accepts it; being strict
            catches missing escaping).
        validate_images: reject sendPhoto bytes that are not PNG/JPEG/GIF/WEBP/BMP
            (Telegram answers IMAGE_PROCESS_FAILED).
        lenient_markdown_v2: accept MarkdownV2 the parser rejects (counting the raw text).
        host, port: where to listen (default: 127.0.0.1, a random free port).
        control: also serve the scenario over HTTP under ``/_fake/`` (see
            :mod:`fakebot.control`), for a bot in another process (``python -m fakebot serve``).
        first_update_id: the first update's id (two servers feeding one database need
            different ones: the bot drops an id it has seen as a re-delivery).
        clock: where message/update dates come from: any object with ``now() -> datetime``
            (e.g. ``bot.clock.FrozenClock``); default: the system time.  Settable later via
            ``tg.clock``.
    """

    def __init__(
        self,
        *,
        bot_username: str = "ervaringsbot_test_bot",
        bot_first_name: str = "Ervaringsbot",
        bot_id: int | None = None,
        token: str | None = None,
        strict_html_ampersand: bool = True,
        validate_images: bool = True,
        lenient_markdown_v2: bool = False,
        clock: ClockLike | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        control: bool = False,
        first_update_id: int = 500_000_001,
    ) -> None:
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.bot_id = bot_id
        self.token = token
        self.strict_html_ampersand = strict_html_ampersand
        self.validate_images = validate_images
        self.lenient_markdown_v2 = lenient_markdown_v2
        self.clock = clock
        self._host = host
        self._bind_port = port  # 0: a random free port
        self._control = control

        # Recording.
        self.calls: list[ApiCall] = []
        self.events: list[ChatEvent] = []  # all chats, in seq order
        self._chat_events: dict[int, list[ChatEvent]] = {}
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, UploadedFile] = {}
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        self.updates: list[JSON] = []  # every update created or pushed, in order
        self._known_update_ids: set[int] = set()
        self.stats = Stats()
        self.commands: dict[tuple[str, int | None, int | None, str], list[JSON]] = {}
        self.default_menu_button: JSON | None = None
        self.bot_texts: dict[tuple[str, str], str] = {}  # (name|description|..., lang)
        self.webhook: JSON | None = None
        self.driver: Driver | None = None

        self._seq = itertools.count(1)
        self._last_seq = 0
        # Above 2**31, like real Telegram ids today: a 32-bit column would fail the PostgreSQL run.
        self._user_ids = itertools.count(5_000_000_001)
        self._group_ids = itertools.count(1)
        self._update_ids = itertools.count(first_update_id)
        self._callback_ids = itertools.count(1)
        self._file_ids = itertools.count(1)

        # getUpdates state.
        self._queue: list[JSON] = []
        self._consumed: set[int] = set()  # delivered by getUpdates, or dropped by filters
        self.filtered_update_ids: set[int] = set()  # dropped because of allowed_updates
        self._allowed_updates: list[str] | None = None
        self._poll_generation = 0
        self._wakeup = asyncio.Event()
        self.max_poll_offset = 0  # highest offset any getUpdates asked for
        self.last_poll_at: float | None = None

        # Activity tracking (for drivers that wait until the bot is quiet).
        self.inflight = 0  # requests being handled, getUpdates excluded
        self.last_activity = time.monotonic()

        self.server_errors: list[Exception] = []  # bugs in the fake itself; should stay empty
        self._failures: list[_Failure] = []
        self._flood: FloodLimits | None = None
        self._buckets: dict[tuple[str, int | str | None], _Bucket] = {}

        self._methods: dict[str, MethodHandler] = {}
        self._register_builtin_methods()

        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._stopping = False
        self._client: ClientSession | None = None

    async def start(self) -> FakeTelegram:
        """Start listening on a random free port on 127.0.0.1."""
        if self._runner is not None:
            return self
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._handle_file)
        if self._control:
            from fakebot.control import add_control_routes

            add_control_routes(self, app.router)
        app.router.add_route("*", "/{tail:.*}", self._handle_not_found)
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=0.5)
        await runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self._host, self._bind_port))
        self._port = sock.getsockname()[1]
        site = web.SockSite(runner, sock)
        await site.start()
        self._runner = runner
        self._stopping = False
        return self

    async def stop(self) -> None:
        """Stop the server; pending long polls are answered first."""
        if self._runner is None:
            return
        self._stopping = True
        self._wake_pollers()
        if self._client is not None:
            await self._client.close()
            self._client = None
        await asyncio.sleep(0)
        await self._runner.cleanup()
        self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("FakeTelegram is not started")
        return self._port

    @property
    def url(self) -> str:
        """Root URL, e.g. ``http://127.0.0.1:43121``."""
        return f"http://{self._host}:{self.port}"

    @property
    def api_base_url(self) -> str:
        """Value for ``ApplicationBuilder.base_url`` / TELEGRAM_API_BASE_URL."""
        return f"{self.url}/bot"

    @property
    def file_base_url(self) -> str:
        """Value for ``ApplicationBuilder.base_file_url``."""
        return f"{self.url}/file/bot"

    def register_method(self, name: str, handler: MethodHandler) -> None:
        """Add or replace a Bot API method: ``handler(params, files) -> result``
        (sync or async; raise :class:`ApiError` for errors)."""
        self._methods[name.lower()] = handler

    def _register_builtin_methods(self) -> None:
        table: dict[str, MethodHandler] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "logOut": lambda params, files: True,
            "close": lambda params, files: True,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "deleteMessages": self._delete_messages,
            "answerCallbackQuery": self._answer_callback_query,
            "sendChatAction": self._send_chat_action,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setChatMenuButton": self._set_chat_menu_button,
            "getChatMenuButton": self._get_chat_menu_button,
            "getChat": self._get_chat,
            "getChatMember": self._get_chat_member,
            "pinChatMessage": self._pin_chat_message,
            "unpinChatMessage": self._unpin_chat_message,
            "unpinAllChatMessages": self._unpin_all_chat_messages,
            "getFile": self._get_file,
        }
        for kind, field_name in (
            ("Name", "name"),
            ("Description", "description"),
            ("ShortDescription", "short_description"),
        ):
            table[f"setMy{kind}"] = self._bot_text_setter(field_name)
            table[f"getMy{kind}"] = self._bot_text_getter(field_name)
        for name, handler in table.items():
            self.register_method(name, handler)

    def _get_me(self, params: JSON, files: dict[str, UploadedFile]) -> JSON:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def post_webhook(self, update: JSON, *, url: str | None = None) -> int:
        """POST an update to the webhook set with setWebhook (or ``url``); returns the HTTP
        status.  Sends ``X-Telegram-Bot-Api-Secret-Token`` when a secret was set."""
        target = url or (self.webhook or {}).get("url")
        if not target:
            raise RuntimeError("no webhook set (setWebhook) and no url given")
        headers = {}
        secret = (self.webhook or {}).get("secret_token")
        if secret:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        if self._client is None:
            self._client = ClientSession(timeout=ClientTimeout(total=10))
        async with self._client.post(target, json=update, headers=headers) as response:
            await response.read()
            return response.status

    async def _handle_not_found(self, request: web.Request) -> web.Response:
        return web.json_response(ApiError(404, "Not Found").envelope(), status=404)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        if not _TOKEN_RE.fullmatch(token) or (self.token and token != self.token):
            return web.json_response(ApiError(401, "Unauthorized").envelope(), status=401)
        path = request.match_info["path"]
        for upload in self.files.values():
            if upload.file_path == path:
                return web.Response(
                    body=upload.data, content_type=upload.mime_type or "application/octet-stream"
                )
        return web.json_response(ApiError(404, "Not Found").envelope(), status=404)

    async def _handle_api(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        method = request.match_info["method"]
        if not _TOKEN_RE.fullmatch(token):
            return web.json_response(ApiError(404, "Not Found").envelope(), status=404)
        if self.token is not None and token != self.token:
            return web.json_response(ApiError(401, "Unauthorized").envelope(), status=401)
        if self.bot_id is None:
            self.bot_id = int(token.split(":", 1)[0])

        polling = method.lower() == "getupdates"
        if not polling:
            self.inflight += 1
            self.last_activity = time.monotonic()
        call = ApiCall(
            seq=self._next_seq(),
            method=method,
            params={},
            files={},
            token=token,
            started_at=time.monotonic(),
        )
        self.calls.append(call)
        self.stats.calls += 1
        self.stats.by_method[method] += 1
        try:
            try:
                raw, call.files = await self._read_request(request)
                call.params = coerce_params(raw)
                result = await self._dispatch(method.lower(), call.params, call.files)
                envelope: JSON = {"ok": True, "result": result}
                status = 200
            except ApiError as exc:
                envelope = exc.envelope()
                status = exc.error_code
            except Exception as exc:  # a bug in the fake server (or a registered method)
                _LOGGER.exception("fake Telegram server failed on %s", method)
                self.server_errors.append(exc)
                envelope = ApiError(500, f"Internal Server Error: fake server: {exc!r}").envelope()
                status = 500
        finally:
            if not polling:
                self.inflight -= 1
                self.last_activity = time.monotonic()
        call.finished_at = time.monotonic()
        call.status = status
        call.response = envelope
        self.stats.by_status[status] += 1
        return web.json_response(envelope, status=status)

    async def _read_request(self, request: web.Request) -> tuple[JSON, dict[str, UploadedFile]]:
        raw: JSON = dict(request.query)
        files: dict[str, UploadedFile] = {}
        if not request.body_exists:
            return raw, files
        content_type = request.content_type
        if content_type == "application/json":
            try:
                body = await request.json()
            except ValueError as exc:
                raise bad_request("can't parse JSON object") from exc
            if not isinstance(body, dict):
                raise bad_request("can't parse JSON object")
            raw.update(body)
        elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            for name, value in form.items():
                if isinstance(value, web.FileField):
                    data = value.file.read()
                    files[name] = UploadedFile(
                        file_id="",
                        file_unique_id="",
                        data=data,
                        filename=value.filename,
                        mime_type=value.content_type,
                    )
                else:
                    raw[name] = value
        return raw, files

    async def _dispatch(self, method: str, params: JSON, files: dict[str, UploadedFile]) -> Any:
        handler = self._methods.get(method)
        if handler is None:
            raise ApiError(404, "Not Found")
        self._maybe_fail(method, params)
        self._check_flood(method, params)
        result = handler(params, files)
        if inspect.isawaitable(result):
            result = await result
        return result
