"""``roleplay join ADDRESS``: a terminal takes a seat in a class served by ``roleplay serve`` on another
computer, by the join address on the board.

The terminal is a thin window onto a seat process on the server, exactly as a browser tab is: the client
speaks textual-serve's websocket protocol (keys and the terminal size up, the screen's bytes down) and
writes what the seat draws straight to this terminal. So the terminal seat joins the same way (the class
code, a name, the seat key to move devices), under the same limits (websocket openings per address, five
wrong codes or keys a minute per device), and is sent only what its own seat process draws: the speaker's
card is drawn only in the speaker's process, never sent to another seat.

The device id is the cookie the class page gives a browser: the first visit asks the server for one, and
it is kept in the data folder per class address (readable by this user only), so running the same
command again, after closing the terminal or when the server restarted, puts this person back in their
seat. When the connection drops the client keeps trying to reconnect for two minutes.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import json
import os
import re
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from roleplay.tui.web.server import CLOSE_APP_ENDED, DEVICE_COOKIE, DEVICE_RE

#: Seconds to keep trying after the connection to the class dropped.
RECONNECT_FOR = 120.0

#: Seconds to wait for the server to answer a request or open the seat.
CONNECT_TIMEOUT = 15.0

#: Where each class address's device id is kept, in the data folder.
DEVICES_FILE = "joined-classes.json"

#: What undoes the modes a seat's screen switches on, should the connection end before the seat does.
RESET_TERMINAL = b"\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?2004l\x1b[?25h\x1b[?1049l"


class JoinError(Exception):
    """Joining cannot go on; the message is for the person at the terminal."""


def parse_address(text: str) -> str:
    """The class address as ``http://host:port`` (no path): ``192.168.1.20:8000`` and a copied
    ``http://192.168.1.20:8000/`` both work. Raises :class:`JoinError` for anything else."""
    given = text.strip()
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", given):
        given = "http://" + given
    parts = urlsplit(given)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise JoinError(f"{text!r} is not a class address; type it as on the board, like http://192.168.1.20:8000/")
    if parts.path not in ("", "/") or parts.query or parts.username:
        raise JoinError(f"{text!r} is not the join address (that is the server's address alone, like "
                        "http://192.168.1.20:8000/; the tutor's address is not for joining).")
    try:
        port = parts.port
    except ValueError:
        raise JoinError(f"{text!r} has a port that is not a number from 1 to 65535.") from None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


class DeviceIds:
    """This computer's device id for each class address, kept in one small file (mode 0600)."""

    def __init__(self, folder: Path) -> None:
        """Keep the ids in ``folder``."""
        self.path = folder / DEVICES_FILE

    def _load(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {k: v for k, v in data.items() if isinstance(v, str) and DEVICE_RE.match(v)} \
            if isinstance(data, dict) else {}

    def get(self, address: str) -> str | None:
        """The id kept for ``address``, if any."""
        return self._load().get(address)

    def put(self, address: str, device: str | None) -> None:
        """Keep (or, with None, forget) the id for ``address``."""
        data = self._load()
        if device is None:
            data.pop(address, None)
        else:
            data[address] = device
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path.with_suffix(".tmp"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=1)
        os.replace(self.path.with_suffix(".tmp"), self.path)


def _refusal(status: int) -> str:
    return {403: "The class server refused this connection.",
            429: "Too many connections from this computer; wait a minute, then try again.",
            503: "The class is full (the server's limit of open screens is reached)."}.get(
        status, f"The class server answered with an error ({status}).")


async def device_id(session: Any, address: str, kept: DeviceIds) -> str:
    """This computer's device id for the class: the kept one, or a new one from the class page (which
    also shows that the address is a roleplay class)."""
    known = kept.get(address)
    if known:
        return known
    import aiohttp

    try:
        async with session.get(address + "/", allow_redirects=False) as response:
            if response.status != 200:
                raise JoinError(_refusal(response.status))
            morsel = response.cookies.get(DEVICE_COOKIE)
    except (TimeoutError, aiohttp.ClientError, OSError) as error:
        raise JoinError(f"Could not reach the class at {address} ({type(error).__name__}: {error}). Check "
                        "the address on the board, and that this computer is on the same network.") from None
    if morsel is None or not DEVICE_RE.match(morsel.value):
        raise JoinError(f"{address} does not look like a class served by `roleplay serve`.")
    kept.put(address, morsel.value)
    return str(morsel.value)


class Terminal:
    """This terminal in raw mode (keys go to the seat as typed), restored however the client ends."""

    def __init__(self, fd_in: int, out: BinaryIO) -> None:
        """Use ``fd_in`` for keys and ``out`` for the screen."""
        self.fd_in, self.out = fd_in, out
        self._saved: Any = None

    def size(self) -> tuple[int, int]:
        """Columns and rows (80x24 when this is not a terminal)."""
        try:
            size = os.get_terminal_size(self.out.fileno())
        except (OSError, ValueError):
            return 80, 24
        return size.columns, size.lines

    def __enter__(self) -> Terminal:
        import termios
        import tty

        if os.isatty(self.fd_in):
            self._saved = termios.tcgetattr(self.fd_in)
            tty.setraw(self.fd_in)
        return self

    def __exit__(self, *exc: object) -> None:
        import termios

        with contextlib.suppress(OSError, ValueError):
            self.out.write(RESET_TERMINAL)
            self.out.flush()
        if self._saved is not None:
            termios.tcsetattr(self.fd_in, termios.TCSADRAIN, self._saved)

    def write(self, data: bytes) -> None:
        """Draw what the seat sent."""
        self.out.write(data)
        self.out.flush()

    def say(self, text: str) -> None:
        """A line of the client's own (raw mode needs the carriage return)."""
        self.write(b"\x1b[?1049l\r\n" + text.encode("utf-8", "replace") + b"\r\n")


async def _relay(ws: Any, term: Terminal, loop: asyncio.AbstractEventLoop) -> int | None:
    """Keys up, screen down, until the websocket closes; returns its close code."""
    import aiohttp

    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    pending: list[asyncio.Task[Any]] = []

    def key_ready() -> None:
        try:
            data = os.read(term.fd_in, 4096)
        except OSError:
            data = b""
        if not data:  # the terminal closed: leave the seat as closing a tab does
            loop.remove_reader(term.fd_in)
            pending.append(loop.create_task(ws.close()))
            return
        text = decoder.decode(data)
        if text:
            pending.append(loop.create_task(ws.send_json(["stdin", text])))

    def resized() -> None:
        columns, rows = term.size()
        pending.append(loop.create_task(ws.send_json(["resize", {"width": columns, "height": rows}])))

    loop.add_reader(term.fd_in, key_ready)
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        loop.add_signal_handler(signal.SIGWINCH, resized)
    try:
        await ws.send_json(["focus"])
        async for message in ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                term.write(message.data)
            elif message.type == aiohttp.WSMsgType.ERROR:
                break
            # text messages (pong, a file offered to a browser) have nothing for a terminal seat
            pending[:] = [t for t in pending if not t.done()]
    finally:
        loop.remove_reader(term.fd_in)
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.remove_signal_handler(signal.SIGWINCH)
        for task in pending:
            task.cancel()
    return ws.close_code  # type: ignore[no-any-return]


async def _wait_or_quit(term: Terminal, seconds: float, loop: asyncio.AbstractEventLoop) -> bool:
    """Wait ``seconds`` before trying again; True when the person pressed q or ctrl+c meanwhile."""
    quit_pressed = asyncio.Event()

    def key_ready() -> None:
        with contextlib.suppress(OSError):
            if set(os.read(term.fd_in, 64)) & {3, ord("q"), ord("Q"), 17}:
                quit_pressed.set()

    loop.add_reader(term.fd_in, key_ready)
    try:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(quit_pressed.wait(), seconds)
    finally:
        loop.remove_reader(term.fd_in)
    return quit_pressed.is_set()


async def run_remote_seat(address: str, kept: DeviceIds, term: Terminal, *,
                          reconnect_for: float = RECONNECT_FOR, clock: Callable[[], float] = time.monotonic) -> int:
    """Take (or take back) this computer's seat in the class at ``address``; returns the exit status."""
    import aiohttp

    loop = asyncio.get_running_loop()
    timeout = aiohttp.ClientTimeout(total=None, connect=CONNECT_TIMEOUT, sock_connect=CONNECT_TIMEOUT)
    async with aiohttp.ClientSession(timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()) as session:
        device = await device_id(session, address, kept)
        ws_base = ("wss" if address.startswith("https") else "ws") + address[address.index(":"):]
        lost_since: float | None = None
        while True:
            columns, rows = term.size()
            try:
                ws = await session.ws_connect(
                    f"{ws_base}/ws?width={columns}&height={rows}", heartbeat=20, max_msg_size=0,
                    headers={"Cookie": f"{DEVICE_COOKIE}={device}", "Origin": address})
            except aiohttp.WSServerHandshakeError as error:
                if error.status in (403, 503) or lost_since is None:
                    raise JoinError(_refusal(error.status)) from None
                code: int | None = None
            except (TimeoutError, aiohttp.ClientError, OSError) as error:
                if lost_since is None:
                    raise JoinError(f"Could not open a seat at {address} ({type(error).__name__}).") from None
                code = None
            else:
                lost_since = None
                async with ws:
                    code = await _relay(ws, term, loop)
                if code == aiohttp.WSCloseCode.OK:  # the seat app exited normally: the person left
                    term.say("You have left your seat. To come back to it, run the same `roleplay join` "
                             "command again.")
                    return 0
                if code == CLOSE_APP_ENDED:
                    term.say("The seat on the server stopped unexpectedly; opening it again.")
                # anything else (1001: the server is stopping; no code: the connection was lost) is not the
                # person leaving: wait for the server and take the seat back
            now = clock()
            lost_since = now if lost_since is None else lost_since
            if now - lost_since > reconnect_for:
                raise JoinError(f"Lost the connection to the class at {address} and could not get it back in "
                                f"{int(reconnect_for)} seconds. Run the command again when the server is back.")
            term.say("The class server is not answering; trying again... (press q to stop)")
            if await _wait_or_quit(term, 2.0, loop):
                return 1


def join_remote(address_text: str, data_dir: Path, *, new_seat: bool = False) -> int:
    """The ``roleplay join ADDRESS`` command: parse the address, then relay this terminal to a seat."""
    address = parse_address(address_text)
    if sys.platform == "win32":
        raise JoinError("`roleplay join ADDRESS` needs a Linux or macOS terminal; on Windows, open "
                        f"{address}/ in a web browser instead.")
    kept = DeviceIds(data_dir)
    if new_seat:
        kept.put(address, None)
    if not os.isatty(sys.stdin.fileno()):
        raise JoinError("`roleplay join ADDRESS` needs a terminal to type in.")
    with Terminal(sys.stdin.fileno(), sys.stdout.buffer) as term:
        try:
            return asyncio.run(run_remote_seat(address, kept, term))
        except JoinError as error:
            term.say(str(error))
            return 2
        except KeyboardInterrupt:
            return 130
