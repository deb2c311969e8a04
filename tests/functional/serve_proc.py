"""A real ``roleplay serve`` on 127.0.0.1 in a child process, for the browser and terminal-seat tests."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    """A running class server: its join address, class code and tutor address."""

    url: str
    code: str
    tutor: str
    process: subprocess.Popen[str]
    port: int


def start_serve(data: Path, *args: str, port: int | None = None) -> Served:
    """Start ``roleplay --data-dir DATA serve --port PORT ARGS`` and wait for its addresses."""
    port = port or free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "roleplay", "--data-dir", str(data), "serve", "--port", str(port), *args],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines: list[str] = []
    end = time.monotonic() + 60
    while not any(line.startswith("Tutor") for line in lines):
        assert process.poll() is None and time.monotonic() < end, "".join(lines)
        assert process.stdout is not None
        lines.append(process.stdout.readline())
    code = next(line for line in lines if line.startswith("Class code:")).split(":", 1)[1].strip()
    tutor = next(line for line in lines if line.startswith("Tutor")).split(": ", 1)[1].strip()
    return Served(f"http://127.0.0.1:{port}/", code, tutor, process, port)


def stop_serve(served: Served, how: signal.Signals = signal.SIGTERM) -> None:
    """Stop the server (and so its seat processes) with the signal ``how`` (SIGINT: ctrl+c)."""
    if served.process.poll() is None:  # to its whole process group, as ctrl+c in its terminal does
        with contextlib.suppress(ProcessLookupError):
            os.killpg(served.process.pid, how)
    try:
        served.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        served.process.kill()
        served.process.wait(timeout=10)


@contextmanager
def serving(data: Path, *args: str) -> Iterator[Served]:
    """A class server for the length of the ``with``."""
    served = start_serve(data, *args)
    try:
        yield served
    finally:
        stop_serve(served)
