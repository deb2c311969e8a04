"""Run the app in a child process that acknowledges each saved action, and SIGKILL it mid-work.

Shared by the group (test_tui_kill.py) and solo (test_tui_solo_kill.py) crash tests: the child prints
``ack <what>`` after checking each action was saved; the parent reads acks until ``last``, lets the child
carry on saving for a moment, then kills it, so the kill lands in the middle of real writes.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path


def read_line(stream, deadline: float) -> str:
    """One line from the child, or fail the test when it takes too long."""
    left = deadline - time.monotonic()
    ready, _, _ = select.select([stream], [], [], max(left, 0))
    if not ready:
        raise AssertionError("the app process stopped acknowledging")
    return stream.readline()


def run_and_kill(code: str, data: Path, last: str | None = None, *, count: int | None = None,
                 linger: float = 0.2, timeout: float = 180, env: dict[str, str] | None = None) -> list[str]:
    """Run ``code`` (given the data folder as argv[1]) until it acknowledges ``last`` (or has acknowledged
    ``count`` actions), let it save more for ``linger`` seconds, SIGKILL it, and return its
    acknowledgements. ``timeout`` is generous: machines here are shared and start-up is the slow part.
    ``env`` adds to the child's environment (ROLEPLAY_DATABASE: another store)."""
    assert (last is None) != (count is None), "stop at an acknowledgement or after a count, not both"

    def done(acks: list[str]) -> bool:
        return len(acks) >= count if count is not None else bool(acks) and acks[-1] == last

    child = subprocess.Popen([sys.executable, "-c", code, str(data)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, encoding="utf-8", cwd=Path(__file__).parents[2],
                             env={**os.environ, "ROLEPLAY_DATA_DIR": str(data), **(env or {})})
    acks: list[str] = []
    try:
        deadline = time.monotonic() + timeout
        while not done(acks):
            line = read_line(child.stdout, deadline)
            if not line:
                raise AssertionError(f"the app process ended early: {child.stderr.read()[-2000:]}")
            if line.startswith("ack "):
                acks.append(line[4:].strip())
        time.sleep(linger)  # the child is now busy saving more: kill it in the middle of that
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    return acks
