"""Issue 13, item 9: one session resumed in two processes: the second writer hears plainly that the
session is open elsewhere, not "UNIQUE constraint failed: events.session_id, events.seq" (nor
PostgreSQL's "duplicate key value violates unique constraint"). On both backends."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from roleplay.session.engine import PracticeSession
from roleplay.session.samples import sample_rubric, sample_scenario
from roleplay.session.state import SessionConfig
from roleplay.storage.errors import SessionOpenElsewhereError
from tests.pg_fixtures import OpenDb

REPO = Path(__file__).resolve().parents[2]


def started(open_db: OpenDb) -> None:
    with open_db() as store:
        config = SessionConfig(("Ana", "Ben"), sample_scenario(), sample_rubric())
        session = PracticeSession.create(config, store, clock=lambda: 100.0, session_id="shared01")
        session.acknowledge_agreement()
        session.start_round()


def test_second_writer_is_told_the_session_is_open_elsewhere(open_db: OpenDb) -> None:
    started(open_db)
    with open_db() as first_store, open_db() as second_store:
        first = PracticeSession.resume(first_store, "shared01", clock=lambda: 200.0)
        second = PracticeSession.resume(second_store, "shared01", clock=lambda: 200.0)
        first.record_response("So it has been a hard week.")
        with pytest.raises(SessionOpenElsewhereError) as caught:
            second.record_response("Something else entirely.")
        message = str(caught.value)
        assert "open in another roleplay window" in message and "UNIQUE" not in message.upper()
        assert second.events == first.events[:-1]  # the refused action changed nothing here
        assert [e.type for e in first_store.load_events("shared01")][-1] == "response_recorded"
        assert len(first_store.load_events("shared01")) == len(first.events)


def test_the_same_in_two_real_processes(open_db: OpenDb) -> None:
    """Process A writes after process B has resumed; B's next action gets the plain message."""
    started(open_db)
    with open_db() as store:
        database = store.database
    code = (
        "import sys, time; from pathlib import Path\n"
        "from roleplay.storage import open_store\n"
        "from roleplay.session.engine import PracticeSession\n"
        "from roleplay.storage.errors import StorageError\n"
        "store = open_store(database=sys.argv[1])\n"
        "s = PracticeSession.resume(store, 'shared01')\n"
        "print('resumed', flush=True); sys.stdin.readline()\n"
        "try:\n    s.reveal_card()\nexcept StorageError as e:\n    print(e.message); sys.exit(1)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code, database], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
    assert child.stdout is not None and child.stdout.readline().strip() == "resumed"
    with open_db() as store:
        PracticeSession.resume(store, "shared01").record_response("A first reply.")
    out, err = child.communicate("go\n", timeout=60)
    assert child.returncode == 1, err
    assert "open in another roleplay window" in out and "UNIQUE" not in (out + err).upper() and "Traceback" not in err
