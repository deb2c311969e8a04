"""History screen data with 100,000 stored turns: generate them, then time one person's progress query.

Data generation goes through the real code paths: :class:`SoloRehearsal` (solo rehearsals, with the
automatic observer on every response) and :class:`PracticeSession` (triads with a human observer and the
observer's second opinion), writing events through the same projection code the store uses
(:func:`roleplay.storage.projection.project`). The only difference from the app is that many events share
one transaction (the app commits each event on its own), which makes generation minutes faster and
leaves the tables identical. Scenarios and rubrics are the shipped library; responses are the scenarios'
own strong and weak example responses plus a few generic ones.

Run: ``.venv/bin/python -m benchmarks.bench_history`` (``--turns N`` to change the size).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from roleplay.content.library import load_library
from roleplay.session.compare import confirm_turn_with_observer, observe_round_end
from roleplay.session.engine import PracticeSession
from roleplay.session.progress import HistoryFilter, person_progress
from roleplay.session.solo import SoloRehearsal
from roleplay.session.state import ListenerMode, SessionConfig
from roleplay.storage import open_store
from roleplay.storage.events import Event
from roleplay.storage.projection import project

TARGET_MS = 200.0
PEOPLE = ("Ana", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jo")
GENERIC = (
    "That sounds like a lot to carry on your own.",
    "What would you like to happen next?",
    "Have you tried talking to someone about it?",
    "Don't worry, it'll work out.",
    "So it's been hard, and you're not sure where to start?",
    "How did that feel for you?",
    "Did you tell anyone?",
    "I went through something similar last year and it was awful for me too.",
)


class BatchSink:
    """An event sink that writes like :meth:`Store.append_event`, but commits every ``every`` events."""

    def __init__(self, path: Path, every: int = 5000) -> None:
        """Open the (already migrated) database file."""
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute("BEGIN")
        self.every, self.pending = every, 0

    def append_event(self, session_id: str, event: Event) -> None:
        """Same statements, in the same order, as the store's ``append_event``."""
        if event.type == "session_created":
            project(self.db, session_id, event)
        self.db.execute("INSERT INTO events (session_id, seq, at, type, data) VALUES (?, ?, ?, ?, ?)",
                        (session_id, event.seq, event.at, event.type, json.dumps(event.data, ensure_ascii=False)))
        if event.type != "session_created":
            project(self.db, session_id, event)
        self.pending += 1
        if self.pending >= self.every:
            self.db.execute("COMMIT")
            self.db.execute("BEGIN")
            self.pending = 0

    def close(self) -> None:
        """Commit and close."""
        self.db.execute("COMMIT")
        self.db.close()


def _responses(scenario_turn: object, rng: random.Random) -> str:
    examples = [e.text for e in (*scenario_turn.strong_examples, *scenario_turn.weak_examples)]  # type: ignore[attr-defined]
    return rng.choice(examples + list(GENERIC))


def generate_history(data_dir: Path | str, turns: int = 100_000, seed: int = 7) -> str:
    """Fill ``data_dir`` with about ``turns`` stored turns; returns the person with the most history.

    Mix: solo rehearsals (60% of sessions, half of them by the returned person) and triads in typed mode
    with a human observer's ratings and tallies plus the observer's second opinion; sessions a day apart
    or less over about two years.
    """
    library = load_library(include_user=False)
    scenarios = [e.model for e in library.scenarios.values()]
    rubrics = [e.model for e in library.rubrics.values()]
    store = open_store(data_dir)  # creates and migrates the database
    path = store.path
    store.close()
    sink = BatchSink(path)
    rng = random.Random(seed)
    target = PEOPLE[0]
    clock_now = [time.time() - 2 * 365 * 86400]

    def clock() -> float:
        clock_now[0] += 1.0
        return clock_now[0]

    made, number = 0, 0
    while made < turns:
        number += 1
        clock_now[0] += rng.uniform(0, 2 * 3600)
        scenario, rubric = rng.choice(scenarios), rng.choice(rubrics)
        if rng.random() < 0.6:
            name = target if rng.random() < 0.5 else rng.choice(PEOPLE[1:])
            solo = SoloRehearsal.create(name, scenario, rubric, sink, clock=clock, session_id=f"solo-{number}")
            solo.start()
            while solo.line is not None and made < turns:
                solo.respond(_responses(solo.line, rng))
                made += 1
                if rng.random() < 0.1:
                    solo.try_again()
                    solo.respond(_responses(solo.line, rng))
                criterion = rng.choice(rubric.criteria)
                if criterion.scope.value == "per_turn":
                    solo.self_rate(criterion.id, rng.choice(rubric.scale).value)
                solo.next()
            solo.finish()
            continue
        names = rng.sample(PEOPLE, 3)
        config = SessionConfig(tuple(names), scenario, rubric, mode=ListenerMode.typed)
        session = PracticeSession.create(config, sink, clock=clock, session_id=f"group-{number}")
        session.acknowledge_agreement()
        while session.next_round is not None and made < turns:
            current = session.start_round()
            observer = current.roles.observers[0]
            while session.current_turn is not None and made < turns:
                line = next(t for t in scenario.turns if t.id == session.current_turn.turn_id)
                session.record_response(_responses(line, rng))
                made += 1
                for criterion in rubric.criteria:
                    if criterion.scope.value == "per_turn":
                        session.rate(observer, criterion.id, rng.choice(rubric.scale).value)
                if rubric.tallies:
                    session.change_tally(observer, rng.choice(rubric.tallies).id)
                confirm_turn_with_observer(session)
            observe_round_end(session)
            session.end_round()
        session.finish()
    sink.close()
    return target


def time_progress(data_dir: Path | str, person: str, runs: int = 7) -> tuple[float, dict[str, int]]:
    """Median milliseconds to load one person's history-screen data (fresh store each run)."""
    library = load_library(include_user=False)
    available = list(library.scenarios)
    timings, sizes = [], {}
    for _ in range(runs):
        with open_store(data_dir) as store:
            start = time.perf_counter()
            progress = person_progress(store, person, HistoryFilter(), available)
            timings.append((time.perf_counter() - start) * 1000)
            sizes = {"sessions": len(progress.sessions), "criterion_series": len(progress.criteria),
                     "points": sum(len(s.points) for s in progress.criteria)}
    return statistics.median(timings), sizes


def main(argv: list[str] | None = None) -> None:
    """Generate the data in a temporary folder, time the query, print the figures against the target."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=100_000)
    parser.add_argument("--data-dir", type=Path, default=None, help="keep the data here (default: temporary)")
    args = parser.parse_args(argv if argv is not None else [])
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.data_dir or Path(tmp)
        started = time.perf_counter()
        person = generate_history(folder, args.turns)
        generated = time.perf_counter() - started
        with open_store(folder) as store:
            total = store.read("SELECT count(*) FROM turns")[0][0]
            mine = store.read("SELECT count(*) FROM turns WHERE listener = ?", (person,))[0][0]
        median, sizes = time_progress(folder, person)
    verdict = "OK" if median < TARGET_MS else "TOO SLOW"
    print(f"history: {total:,} turns stored ({mine:,} by {person}) generated in {generated:.0f} s")
    print(f"history: progress query for {person}: median {median:.1f} ms over 7 runs "
          f"(target < {TARGET_MS:.0f} ms) {verdict}; {sizes}")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
