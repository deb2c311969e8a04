"""A writer process for the many-writers and live-sync tests (and the sync benchmark): it appends rating
events to sessions of one class database, as observers' devices do, and acknowledges each one.

``python -m tests.functional.rating_writer DATABASE WORKER SESSIONS SECONDS PACE STATE_DIR``

- every event gets a fresh id, is written to ``STATE_DIR/WORKER.pending`` (fsync) before it is sent, and
  is acknowledged in ``STATE_DIR/WORKER.acks`` (fsync) once ``append_event`` returned: acknowledged means
  stored;
- the sequence number is the session's next one; when another writer took it first
  (``SessionOpenElsewhereError``) the writer reads the log again and retries with the next number;
- a restarted writer (after SIGKILL) first sends its pending event again, with the same id: if it was
  stored before the kill, the store keeps it once;
- it prints ``ack SESSION SEQ SENT STORED`` to stdout for each event: when ``append_event`` was first called
  and when it returned (the sync benchmark reads the times, and splits its latency into write and delivery).

Every event rates a distinct (turn, rater) so that the ``ratings`` projection has one row per event.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from roleplay.storage import open_store
from roleplay.storage.errors import SessionOpenElsewhereError
from roleplay.storage.events import Event, new_event_id


def _append_line(path: Path, line: str) -> None:
    with path.open("a") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _next_seq(store: object, session_id: str) -> int:
    rows = store._read("SELECT max(seq) FROM events WHERE session_id = ?", (session_id,))  # type: ignore[attr-defined]
    return int(rows[0][0] or 0) + 1


def send(store: object, session_id: str, event_id: str, data: dict, at: float) -> tuple[int, float]:
    """Store one rating event with this id, retrying on a taken sequence number; returns the seq sent and
    when ``append_event`` was first called (the write began: the app knows its session's next number,
    so the read of it here is not part of the write)."""
    began = None
    while True:
        seq = _next_seq(store, session_id)
        began = time.time() if began is None else began
        try:
            store.append_event(session_id, Event(seq, "rating_recorded", at, data, id=event_id))  # type: ignore[attr-defined]
        except SessionOpenElsewhereError:
            continue  # another writer got this number first: read the log again
        return seq, began  # (a resent event stored before keeps its earlier number; only printed)


def rating(worker: str, counter: int, session_id: str) -> dict:
    """A rating of one distinct (turn, rater): one ratings row per event. Each group session has its own
    listener, as in class (so groups do not share one person's per-day totals)."""
    return {"round": 1, "turn_index": counter, "rater": f"writer-{worker}", "criterion_id": "paraphrase",
            "value": 1 + counter % 4, "note": None, "listener": f"listener-{session_id}"}


def main(argv: list[str]) -> None:
    """Write ratings for ``SECONDS`` at one every ``PACE`` seconds (see the module docstring)."""
    database, worker, sessions, seconds, pace, state = argv
    session_ids = sessions.split(",")
    state_dir = Path(state)
    pending, acks = state_dir / f"{worker}.pending", state_dir / f"{worker}.acks"
    store = open_store(database=database)
    counter = sum(1 for _ in pending.open()) if pending.exists() else 0
    acked = {line.split()[0] for line in acks.open()} if acks.exists() else set()
    if pending.exists():  # restarted: the last pending event may or may not have been stored
        last = json.loads(pending.read_text().splitlines()[-1])
        if last["id"] not in acked:
            send(store, last["session"], last["id"], last["data"], last["at"])
            _append_line(acks, f"{last['id']} {last['session']}")
    stop = time.monotonic() + float(seconds)
    while time.monotonic() < stop:
        session_id = session_ids[counter % len(session_ids)]
        data, at, event_id = rating(worker, counter, session_id), time.time(), new_event_id()
        _append_line(pending, json.dumps({"id": event_id, "session": session_id, "data": data, "at": at}))
        seq, sent = send(store, session_id, event_id, data, at)
        stored = time.time()
        _append_line(acks, f"{event_id} {session_id}")
        print(f"ack {session_id} {seq} {sent:.6f} {stored:.6f}", flush=True)
        counter += 1
        time.sleep(float(pace))
    store.close()


if __name__ == "__main__":
    main(sys.argv[1:])
