"""Run the real ``roleplay`` app in a pseudo-terminal, type into it and read its screen, like a person would.

Used by the process-level tests (SIGHUP, a closed terminal, drafts surviving a kill): the child is the
installed entry point (``python -m roleplay``) on a temporary data folder, in its own session with the
pty as its controlling terminal, so closing the pty hangs it up as closing a terminal window does.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ANSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[PX^_].*?\x1b\\|\x1b\][^\x07\x1b]*(\x07|\x1b\\)"
                  r"|\x1b[()][0-9A-B]|\x1b.")


class PtyApp:
    """The app running in a pty of ``columns`` x ``rows``, on the data folder ``data``."""

    def __init__(self, data: Path, *, columns: int = 120, rows: int = 40, controlling: bool = True,
                 args: tuple[str, ...] = ()) -> None:
        """Start the app (``roleplay ARGS``); its screen output is collected by :meth:`wait_for`.

        Without ``controlling`` the pty is not the app's controlling terminal, so closing it sends no
        SIGHUP: the app only finds out by its terminal reading as closed (as under some launchers).
        """
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        env = {**os.environ, "ROLEPLAY_DATA_DIR": str(data), "TERM": "xterm-256color",
               "COLUMNS": str(columns), "LINES": str(rows)}
        env.pop("TEXTUAL", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "roleplay", *args], stdin=slave, stdout=slave, stderr=slave, cwd=REPO, env=env,
            start_new_session=True,
            preexec_fn=(lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0)) if controlling else None)
        os.close(slave)
        self.master: int | None = master
        self.output = ""
        #: Where the output stood when keys were last typed: what they make the app draw is looked for from
        #: there, since ``type`` already reads while the app answers (a needle drawn then is not missed).
        self.typed_at: int | None = None

    def read(self, seconds: float) -> None:
        """Collect whatever the app draws for up to ``seconds``."""
        deadline = time.monotonic() + seconds
        while self.master is not None and (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master], [], [], left)
            if not ready:
                return
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # the child has gone: the pty is hung up
                return
            if not chunk:
                return
            self.output += chunk.decode("utf-8", "replace")

    def text(self) -> str:
        """Everything drawn so far, escape sequences removed."""
        return ANSI.sub("", self.output)

    def wait_for(self, needle: str, timeout: float = 60) -> None:
        """Read until ``needle`` has been drawn (fails the test with the last output otherwise)."""
        deadline = time.monotonic() + timeout
        start = len(self.text()) if self.typed_at is None else self.typed_at
        while needle not in self.text()[max(0, start - len(needle)):]:
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(f"never drew {needle!r}; last output: {self.text()[-1500:]!r}")
            self.read(0.2)
        self.typed_at = None

    def type(self, keys: str, pause: float = 0.3) -> None:
        """Type ``keys`` (raw: "\\r" is enter, "\\x18" ctrl+x), then let the app draw for ``pause`` s."""
        assert self.master is not None
        self.typed_at = len(self.text())
        os.write(self.master, keys.encode())
        self.read(pause)

    def hang_up(self) -> None:
        """Close the terminal, as closing the window or ``tmux kill-session`` does."""
        if self.master is not None:
            os.close(self.master)
            self.master = None

    def exit_within(self, seconds: float) -> int | None:
        """The exit code once the app ended within ``seconds``, else None (it is still running)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.read(0.05)
            if self.process.poll() is not None:
                return self.process.returncode
            time.sleep(0.02)
        return self.process.poll()

    def stop(self) -> None:
        """Make sure nothing is left running."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.hang_up()
