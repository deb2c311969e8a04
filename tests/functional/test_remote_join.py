"""`roleplay join ADDRESS`: a terminal takes a seat over the network in a class served by a real
`roleplay serve` on 127.0.0.1, typed into as a person would (each client in its own pseudo-terminal).

Checked: the class code is required (a wrong one refused), a name whose seat is taken is refused with a
clear message (and with the seat key too while that seat is open elsewhere), leaving and running the
command again puts the person back in their seat, and a restarted server is reconnected to by itself.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from roleplay.cli import EXIT_INVALID
from tests.functional.pty_app import REPO, PtyApp
from tests.functional.serve_proc import Served, serving, start_serve, stop_serve

pytestmark = pytest.mark.slow

#: Seconds a step may take: each seat is a new process on the server, slow on a busy machine.
STEP = 120

SHIFT_TAB, TAB, CTRL_E, CTRL_U, CTRL_Q, ENTER = "\x1b[Z", "\t", "\x05", "\x15", "\x11", "\r"


def _client(tmp_path, who: str, served: Served, *extra: str) -> PtyApp:
    return PtyApp(tmp_path / who, columns=100, rows=30, args=("join", served.url, *extra))


#: Seconds between the steps of moving about the join screen.
FIELD = 1.0


def _join(app: PtyApp, code: str, name: str) -> None:
    """Type the code and name into the join screen, from its first box, in one go (as fast as a paste:
    enter moves to the name box as the key arrives, so nothing typed after it lands in the code box)."""
    app.type(code + ENTER + name + ENTER, pause=0.5)


def test_terminal_seat_over_http(tmp_path) -> None:
    with serving(tmp_path / "server", "--mode", "typed") as served:
        ana = _client(tmp_path, "ana", served)
        ben = None
        try:
            ana.wait_for("Join your class", STEP)
            _join(ana, served.code.lower().replace("-", ""), "Ana")
            ana.wait_for("Welcome, Ana", STEP)
            ana.read(1.0)
            assert "In the lobby: Ana" in ana.text()
            key = re.search(r"Your seat key: ([A-Z0-9]{3}-[A-Z0-9]{3})", ana.text()).group(1)

            # a wrong code is refused; the right code with a name already seated is refused plainly
            ben = _client(tmp_path, "ben", served)
            ben.wait_for("Join your class", STEP)
            _join(ben, "WRONG9", "Ana")
            ben.wait_for("That class code is not right", STEP)
            ben.type(SHIFT_TAB, pause=FIELD)
            ben.type(CTRL_E + CTRL_U + served.code + TAB, pause=FIELD)
            ben.type(ENTER, pause=0.5)
            ben.wait_for("Someone called Ana already has a seat", STEP)
            ben.type(TAB, pause=FIELD)
            ben.type(key + ENTER, pause=0.5)  # the key, while Ana's terminal still holds the seat
            ben.wait_for("open on another device now", STEP)
            assert "Welcome, Ana" not in ben.text()

            # the device id is kept for this address, readable by this user only
            kept = tmp_path / "ana" / "joined-classes.json"
            assert stat.S_IMODE(os.stat(kept).st_mode) == 0o600
            assert served.url.rstrip("/") in kept.read_text()

            # leaving, then the same command again: straight back into the seat, nothing typed
            ana.type(CTRL_Q, pause=0.5)
            assert ana.exit_within(STEP) == 0
            assert "You have left your seat" in ana.text()
            ana.stop()
            ana = _client(tmp_path, "ana", served)
            ana.wait_for("Welcome, Ana", STEP)
            assert f"Your seat key: {key}" in ana.text()
            assert ana.typed_at is None and "In the lobby: Ana" in ana.text()  # nothing typed this time
        finally:
            ana.stop()
            if ben is not None:
                ben.stop()


def _seat_processes(data) -> list[int]:
    """Seat processes still running on the data folder ``data`` (read from /proc)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if str(data).encode() in args and b"seat" in args:
            found.append(int(cmdline.parent.name))
    return found


def test_terminal_seat_reconnects_when_the_server_restarts(tmp_path) -> None:
    served = start_serve(tmp_path / "server")
    cy = _client(tmp_path, "cy", served)
    try:
        cy.wait_for("Join your class", STEP)
        _join(cy, served.code, "Cy")
        cy.wait_for("Welcome, Cy", STEP)
        assert _seat_processes(tmp_path / "server")
        stop_serve(served)
        assert _seat_processes(tmp_path / "server") == []  # a stopped server leaves no seat running
        cy.wait_for("connection to the class was lost", STEP)
        assert cy.process.poll() is None  # still trying
        served = start_serve(tmp_path / "server", port=served.port)
        cy.wait_for("Welcome, Cy", STEP)  # back in the same seat, in the same class
        assert served.code.replace("-", "") in cy.text().replace("-", "")
    finally:
        cy.stop()
        stop_serve(served)


def test_bad_addresses_are_refused_before_anything_opens(tmp_path) -> None:
    env = {**os.environ, "ROLEPLAY_DATA_DIR": str(tmp_path / "data")}
    for address, said in (("ftp://example.org/", "not a class address"),
                          ("http://127.0.0.1:8000/tutor/abc", "not the join address"),
                          ("http://127.0.0.1:notaport/", "port that is not a number")):
        done = subprocess.run([sys.executable, "-m", "roleplay", "join", address], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == EXIT_INVALID and said in done.stderr, done.stderr
