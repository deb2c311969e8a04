"""Writing while the class database is away: the app's actions are kept on this computer, in order, and
saved in the background once the server is back, so a dropped connection never freezes the screen.

The app turns this on (:meth:`roleplay.storage.pg.store.PgStore.keep_while_away`); other writers (the
command line, imports, the tests' writer processes) keep the plain behaviour: retry in place, then a
clear error. With it on, :meth:`PgStore.append_event` tries the server once; when the connection is lost
the event goes into the :class:`Outbox` and the call returns at once. Every later event waits behind it
(so each session's order holds) until a background thread has reconnected and saved them all.

"Kept" means durable: each kept event is first appended to a spool file in the data folder
(``pending-<digest>.jsonl``, flushed to disk), and a store that opens the same database later sends any
events a killed or closed app left there. Sending one twice is harmless: events have stable ids and a
stored id is skipped. An event the server refuses when it finally arrives (another device wrote to that
session meanwhile) is not dropped silently: it is written to ``refused-<digest>.jsonl`` and reported.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from collections.abc import Callable
from pathlib import Path

from roleplay.storage.errors import StorageError
from roleplay.storage.events import Event

#: Longest pause between two reconnection attempts, in seconds.
MAX_DELAY = 2.0


def spool_paths(folder: Path, shown_url: str) -> tuple[Path, Path]:
    """The pending and refused spool files for the database ``shown_url`` (its URL without a password)."""
    digest = hashlib.sha256(shown_url.encode("utf-8")).hexdigest()[:16]
    return folder / f"pending-{digest}.jsonl", folder / f"refused-{digest}.jsonl"


def _line(session_id: str, event: Event, **extra: str) -> str:
    return json.dumps({"session": session_id, "seq": event.seq, "type": event.type, "at": event.at,
                       "data": event.data, "id": event.id, **extra}, ensure_ascii=False) + "\n"


def _append(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def read_spool(path: Path) -> list[tuple[str, Event]]:
    """The events kept in ``path``, in order (a line cut short by a kill is left out: it was never kept)."""
    kept = []
    with contextlib.suppress(FileNotFoundError):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                item = json.loads(line)
                kept.append((str(item["session"]), Event(int(item["seq"]), str(item["type"]), float(item["at"]),
                                                         dict(item["data"]), id=str(item["id"]))))
            except (ValueError, KeyError, TypeError):
                continue
    return kept


class Outbox:
    """Events kept while the server is away, sent in order by a background thread (see the module notes).

    ``write`` saves one event on the server (raising ``ConnectionLostError`` while it is away),
    ``reconnect`` tries once to connect again (raising ``StorageError``), ``status`` hears the line to
    show (None once everything kept is saved), ``refused`` hears why an event could not be saved."""

    def __init__(self, folder: Path, shown_url: str, *, write: Callable[[str, Event], None],
                 reconnect: Callable[[], None], status: Callable[[str | None], None],
                 refused: Callable[[str], None]) -> None:
        """Prepare the outbox for the database ``shown_url`` with its spool files in ``folder``."""
        self.pending, self.refused_path = spool_paths(folder, shown_url)
        self.shown_url = shown_url
        self._write, self._reconnect, self._status, self._refused = write, reconnect, status, refused
        self._queue: list[tuple[str, Event]] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._closed = threading.Event()
        self._empty = threading.Event()
        self._empty.set()

    @property
    def waiting(self) -> int:
        """How many kept events are not saved on the server yet."""
        with self._lock:
            return len(self._queue)

    def queue_behind(self, session_id: str, event: Event) -> bool:
        """Keep ``event`` if others are waiting (True: the caller must not write it itself)."""
        with self._lock:
            if not self._queue:
                return False
            self._keep(session_id, event)
            return True

    def keep(self, session_id: str, event: Event) -> None:
        """Keep ``event`` after its write found the connection lost, and start sending in the background."""
        with self._lock:
            first = not self._queue
            self._keep(session_id, event)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="roleplay-outbox", daemon=True)
                self._thread.start()
        if first:
            self._status(f"Connection to the class database {self.shown_url} lost; reconnecting. Your actions "
                         "are kept on this computer and saved when it is back.")

    def _keep(self, session_id: str, event: Event) -> None:
        _append(self.pending, _line(session_id, event))  # durable before the action counts as done
        self._queue.append((session_id, event))
        self._empty.clear()

    def send_left_over(self) -> str | None:
        """Send what an earlier run kept and could not save (the connection is up); a notice when some
        could not be saved. Raises ``StorageError`` when the server goes away meanwhile (kept for later)."""
        left = read_spool(self.pending)
        refused = 0
        for session_id, event in left:
            try:
                self._write(session_id, event)
            except StorageError as error:
                if self._lost(error):
                    raise
                self._refuse(session_id, event, error)
                refused += 1
        with contextlib.suppress(FileNotFoundError):
            self.pending.unlink()
        if refused:
            return (f"{refused} of {len(left)} actions kept while the class database was away could not be saved "
                    f"(the sessions changed elsewhere meanwhile); they are in {self.refused_path}.")
        return None

    def _lost(self, error: StorageError) -> bool:
        from roleplay.storage.pg.connect import ConnectionLostError

        return isinstance(error, ConnectionLostError)

    def _refuse(self, session_id: str, event: Event, error: StorageError) -> None:
        _append(self.refused_path, _line(session_id, event, reason=error.message))
        self._refused(f"An action kept while the class database was away could not be saved: {error.message}")

    def _run(self) -> None:
        """Send the kept events in order: reconnect (backing off) whenever the server is away."""
        delay = 0.1
        while not self._closed.is_set():
            with self._lock:
                head = self._queue[0] if self._queue else None
            if head is None:
                return
            try:
                self._write(*head)
            except StorageError as error:
                if self._lost(error):
                    delay = self._wait_for_server(delay)
                    continue
                self._refuse(*head, error)
            delay = 0.1
            with self._lock:
                self._queue.pop(0)
                done = not self._queue
                if done:  # under the lock: an event kept now starts a new spool and a new thread
                    with contextlib.suppress(FileNotFoundError):
                        self.pending.unlink()
                    self._thread = None
                    self._empty.set()
            if done:
                self._status(None)
                return

    def _wait_for_server(self, delay: float) -> float:
        """One reconnection attempt, after a pause when it fails; returns the next pause."""
        try:
            self._reconnect()
            return 0.1
        except StorageError:
            self._closed.wait(delay)
            return min(delay * 2, MAX_DELAY)

    def wait_until_sent(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for every kept event to be saved; True when they all were."""
        return self._empty.wait(timeout)

    def close(self) -> None:
        """Stop sending; what is still kept stays in the spool file for the next run."""
        self._closed.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=MAX_DELAY + 1)

