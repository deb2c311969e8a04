"""The ``roleplay`` command's exit status says how the app ended: 0 only when it was quit.

A crash inside the app printed a traceback and still exited 0 (issue 12 saw this after a markup crash),
so a launcher or script could not tell; a lost terminal (SIGHUP) ends with 129 as the app decides.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from tests.functional.pty_app import REPO

CRASHING = textwrap.dedent("""
    import sys
    from roleplay.tui.screens.home import HomeScreen

    def broken(self):
        raise RuntimeError("a screen that cannot be drawn")

    HomeScreen.on_mount = broken
    sys.argv = ["roleplay", "--data-dir", sys.argv[1]]
    from roleplay.cli import main
    main()
""")


def test_a_crash_inside_the_app_exits_non_zero(tmp_path: Path) -> None:
    master, slave = os.openpty()
    env = {**os.environ, "TERM": "xterm-256color"}
    env.pop("TEXTUAL", None)
    drawn = bytearray()

    def drain() -> None:  # read the screen, so the child never blocks on a full terminal
        with contextlib.suppress(OSError):
            while chunk := os.read(master, 65536):
                drawn.extend(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        child = subprocess.run([sys.executable, "-c", CRASHING, str(tmp_path / "data")], stdin=slave,
                               stdout=slave, stderr=slave, cwd=REPO, env=env, timeout=120)
    finally:
        os.close(slave)
        reader.join(5)
        os.close(master)
    assert b"a screen that cannot be drawn" in drawn  # the traceback is shown
    assert child.returncode == 1
