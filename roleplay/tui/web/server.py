"""The class server: textual-serve, with a seat page for trainees and a tutor page behind the token.

- ``/`` gives every browser a random device id in a cookie (HttpOnly, SameSite=Strict) and opens a seat
  process for it; the same browser reconnecting (a closed tab, a phone that slept, a restarted server)
  presents the same cookie, so its seat is found again.
- ``/tutor/TOKEN`` opens the dashboard, only with the class's secret token (checked in constant time).
- Websockets must come from the page's own origin (no other site can drive a seat), and each address may
  open only so many per minute; the number of open seats is capped.
- Pages carry a strict Content-Security-Policy and send no referrer (the tutor's link holds the token);
  the page template loads nothing from any other machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import secrets
import shlex
import time
from asyncio.subprocess import Process
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

log = logging.getLogger("roleplay-serve")

#: The cookie that identifies a browser's device.
DEVICE_COOKIE = "roleplay_device"

#: What a device id looks like (the cookie's value); anything else is refused.
DEVICE_RE = re.compile(r"^[A-Za-z0-9_\-]{32,64}$")

#: The websocket close code when a seat's app process ended without exiting (a crash): the terminal
#: client (:mod:`roleplay.tui.web.client`) opens the seat again. A normal exit closes with 1000, a server
#: shutting down with 1001 (going away).
CLOSE_APP_ENDED = 4000

#: Websocket openings allowed per client address per minute.
OPENS_PER_MINUTE = 30

_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self'; connect-src 'self' ws: wss:; frame-ancestors 'none'; "
        "base-uri 'none'; form-action 'none'")

TEMPLATES = Path(__file__).parent / "templates"


class SeatService(AppService):
    """One app process, with extra environment (the device id) on top of textual-serve's, that tells the
    device when the process ended without exiting (textual-serve would leave its page silent)."""

    def __init__(self, command: str, *, extra_env: dict[str, str],
                 on_crash: Callable[[], Awaitable[Any]] | None = None, **kwargs: Any) -> None:
        """Run ``command`` with ``extra_env`` added to its environment; ``on_crash`` runs when the process
        ends without having said it exits."""
        super().__init__(command, **kwargs)
        self.extra_env = extra_env
        self.on_crash = on_crash
        self.exited = False

    async def on_meta(self, data: bytes) -> None:
        """Note the app's own exit, then textual-serve's handling."""
        with contextlib.suppress(ValueError, AttributeError):
            self.exited = self.exited or json.loads(data).get("type") == "exit"
        await super().on_meta(data)

    async def run(self) -> None:
        """textual-serve's loop; afterwards, a process that ended without exiting closes the connection."""
        await super().run()
        if not self.exited and self.on_crash is not None:
            with contextlib.suppress(Exception):
                await self.on_crash()

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        """The app as a direct child (no shell between, so stopping it stops the app itself)."""
        self._process = process = await asyncio.create_subprocess_exec(
            *shlex.split(self.command), stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env=self._build_environment(width=width, height=height))
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def shut(self, grace: float) -> None:
        """Ask the app to quit; kill it if it has not within ``grace`` seconds (the server is stopping)."""
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.stop(), grace)
        process = self._process
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(process.wait(), grace)

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        environment.update(self.extra_env)
        return environment


class ClassServer(Server):
    """Serves seats at ``/`` and the dashboard at ``/tutor/TOKEN``."""

    def __init__(self, *, seat_command: str, tutor_command: str, check_token: Callable[[str], bool],
                 host: str, port: int, title: str, max_seats: int = 200) -> None:
        """``check_token`` says whether a token is the class's tutor token."""
        super().__init__(seat_command, host=host, port=port, title=title, templates_path=TEMPLATES)
        self.tutor_command = tutor_command
        self.check_token = check_token
        self.max_seats = max_seats
        self.open_seats = 0
        self._opens: dict[str, deque[float]] = defaultdict(deque)
        self.services: set[SeatService] = set()
        self.stopping = False
        self.on_ready: Callable[[], None] | None = None

    async def on_startup(self, app: web.Application) -> None:
        """Print nothing of textual-serve's; the serve command prints the addresses."""
        if self.on_ready is not None:
            self.on_ready()

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._headers])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws", self.handle_seat_websocket, name="websocket"),
            web.get("/tutor/{token}", self.handle_tutor_index, name="tutor"),
            web.get("/ws/tutor/{token}", self.handle_tutor_websocket, name="tutor-websocket"),
            web.get("/download/{key}", self.handle_download, name="download"),
            web.static("/static", self.statics_path, name="static"),
        ])
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self._stop_seats)
        return app

    async def _stop_seats(self, app: web.Application) -> None:
        """The server is stopping: every seat's and dashboard's process ends with it (none is left running;
        their devices reconnect to a new server and find their seats)."""
        self.stopping = True
        await asyncio.gather(*(service.shut(5.0) for service in list(self.services)))

    @web.middleware
    async def _headers(self, request: web.Request, handler: Any) -> web.StreamResponse:
        response = await handler(request)
        response.headers["Content-Security-Policy"] = _CSP
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        if not request.path.startswith("/static"):
            response.headers["Cache-Control"] = "no-store"
        return response

    # ------------------------------------------------------------------ pages
    def _page(self, request: web.Request, ws_path: str) -> web.Response:
        scheme = "wss" if request.secure else "ws"
        context = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{scheme}://{request.host}{ws_path}",
            "config": {"static": {"url": "/static/"}},
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_index(self, request: web.Request) -> web.Response:
        """A trainee's page: a device cookie (kept if it is already there), then the seat."""
        response = self._page(request, "/ws")
        if not DEVICE_RE.match(request.cookies.get(DEVICE_COOKIE, "")):
            response.set_cookie(DEVICE_COOKIE, secrets.token_urlsafe(32), max_age=12 * 3600, httponly=True,
                                samesite="Strict", path="/")
        return response

    async def handle_tutor_index(self, request: web.Request) -> web.Response:
        """The tutor's page, only with the right token."""
        token = request.match_info["token"]
        if not self.check_token(token):
            raise web.HTTPForbidden(text="This tutor link is not valid (the server may have restarted: use the "
                                         "new tutor address it printed).")
        return self._page(request, f"/ws/tutor/{token}")

    # ------------------------------------------------------------------ websockets
    def _refuse(self, request: web.Request) -> web.Response | None:
        origin = request.headers.get("Origin")
        if origin is not None and re.sub(r"^https?://", "", origin) != request.host:
            return web.Response(status=403, text="Connections come only from this server's own page.")
        peer = request.remote or "?"
        now = time.monotonic()
        opens = self._opens[peer]
        while opens and now - opens[0] > 60:
            opens.popleft()
        if len(opens) >= OPENS_PER_MINUTE:
            return web.Response(status=429, text="Too many connections from this device; wait a minute.")
        if self.open_seats >= self.max_seats:
            return web.Response(status=503, text="The class is full.")
        opens.append(now)
        return None

    async def handle_seat_websocket(self, request: web.Request) -> web.StreamResponse:
        """A seat's process, for the device in the cookie."""
        refused = self._refuse(request)
        if refused is not None:
            return refused
        device = request.cookies.get(DEVICE_COOKIE, "")
        if not DEVICE_RE.match(device):
            return web.Response(status=403, text="Open the class page first (it gives this device its id).")
        return await self._run(request, self.command, {"ROLEPLAY_DEVICE": device,
                                                          "ROLEPLAY_PEER": request.remote or ""})

    async def handle_tutor_websocket(self, request: web.Request) -> web.StreamResponse:
        """The dashboard's process, only with the right token."""
        refused = self._refuse(request)
        if refused is not None:
            return refused
        if not self.check_token(request.match_info["token"]):
            return web.Response(status=403, text="This tutor link is not valid.")
        return await self._run(request, self.tutor_command, {})

    async def _run(self, request: web.Request, command: str, env: dict[str, str]) -> web.StreamResponse:
        """textual-serve's websocket loop, with our command and environment for this connection."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        service: SeatService | None = None
        self.open_seats += 1
        try:
            await websocket.prepare(request)
            async def closed() -> None:  # the app exited: a normal end, unless the server is stopping
                await websocket.close(code=WSCloseCode.GOING_AWAY if self.stopping else WSCloseCode.OK)

            async def crashed() -> None:
                await websocket.close(code=CLOSE_APP_ENDED, message=b"the seat stopped")

            service = SeatService(command, extra_env=env, on_crash=crashed, write_bytes=websocket.send_bytes,
                                  write_str=websocket.send_str, close=closed,
                                  download_manager=self.download_manager, debug=self.debug)
            await service.start(width, height)
            self.services.add(service)
            try:
                await self._process_messages(websocket, service)
            finally:
                await service.stop()
        except asyncio.CancelledError:  # the server is stopping: a terminal seat reconnects when it is back
            await websocket.close(code=WSCloseCode.GOING_AWAY)
        except Exception as error:  # one broken connection must not stop the class
            log.exception(error)
        finally:
            self.open_seats -= 1
            if service is not None:
                self.services.discard(service)
                await service.stop()
        return websocket
