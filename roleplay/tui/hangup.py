"""Losing the terminal ends the app: SIGHUP, or a terminal that has hung up, saves and exits.

Closing a terminal window or ``tmux kill-session`` sends SIGHUP, whose default kills the process with
the database still open; under some launchers no signal comes at all and Textual's input thread spins
on a terminal that reads as closed, at up to 100% CPU, for ever. So the app asks for SIGHUP itself and
checks four times a second whether its terminal has hung up (``poll`` reports POLLHUP without reading
anything); either way it runs ``on_lost`` (save what is typed, close the store, exit). Everything else is
saved as it happens, so a last resort ends the process outright if a clean exit has not finished in time.
"""

from __future__ import annotations

import asyncio
import os
import select
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

#: Seconds a clean exit may take after the terminal was lost before the process ends outright.
LAST_RESORT_SECONDS = 1.0
#: How often the terminal is checked (seconds).
CHECK_EVERY = 0.25


def terminal_fds() -> list[int]:
    """The file descriptors of the terminal the app draws on and reads from (those that are ttys)."""
    fds = []
    for stream in (sys.__stdin__, sys.__stdout__):
        try:
            fd = stream.fileno() if stream is not None else -1
        except (OSError, ValueError):
            continue
        if fd >= 0 and os.isatty(fd):
            fds.append(fd)
    return fds


def hung_up(fds: list[int]) -> bool:
    """Whether any of ``fds`` reports a hang-up or an error (reads nothing, so no key is lost)."""
    if not fds:
        return False
    poller = select.poll()
    for fd in fds:
        poller.register(fd, select.POLLIN)
    lost = select.POLLHUP | select.POLLERR | select.POLLNVAL
    return any(mask & lost for _, mask in poller.poll(0))


def watch_terminal(app: Any, on_lost: Callable[[], None]) -> Callable[[], None]:
    """Run ``on_lost`` once on SIGHUP or when the terminal hangs up; returns a function that stops watching.

    Only for a real terminal: a headless app (tests) has none to lose.
    """
    fired = False

    def lost() -> None:
        nonlocal fired
        if not fired:
            fired = True
            on_lost()

    loop = asyncio.get_running_loop()
    try:
        loop.add_signal_handler(signal.SIGHUP, lost)
        handled = True
    except (NotImplementedError, RuntimeError, ValueError, AttributeError):  # no SIGHUP (Windows)
        handled = False
    fds = terminal_fds()

    def check() -> None:
        if hung_up(fds):
            lost()

    timer = app.set_interval(CHECK_EVERY, check) if fds else None

    def stop() -> None:
        if handled:
            loop.remove_signal_handler(signal.SIGHUP)
        if timer is not None:
            timer.stop()

    return stop


def end_outright_later(close: Callable[[], None], seconds: float = LAST_RESORT_SECONDS) -> None:
    """If the process is still running after ``seconds``, ``close`` (the store) and end it (code 129).

    Every action is already saved in its own transaction, so ending now loses nothing; it only stops a
    clean exit that is stuck writing to a terminal that is gone from keeping the process alive.
    """

    def last_resort() -> None:
        try:
            close()
        finally:
            os._exit(128 + signal.SIGHUP)

    timer = threading.Timer(seconds, last_resort)
    timer.daemon = True
    timer.start()
