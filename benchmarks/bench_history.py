"""History screen data with 100,000 stored turns: generate them, then time one person's progress query.

Data generation (see :func:`generate_history`): a few hundred template sessions are played through the
real engine (:class:`SoloRehearsal` with the automatic observer on every response, and
:class:`PracticeSession` triads with a human observer and the observer's second opinion); then copies of
them (new ids, later times) are written until the turn count is reached, every event through
:meth:`Store.append_event`, the app's own write path (snapshots, events, all projections), grouped one
transaction per session with :meth:`Store.batch`. Scenarios and rubrics are the shipped library;
responses are the scenarios' own strong and weak example responses plus a few generic ones.

Run: ``.venv/bin/python -m benchmarks.bench_history`` (``--turns N`` to change the size). The data is generated
once and cached under the temp folder (shared with ``bench_history_screen``); ``--data-dir`` generates afresh.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from roleplay.content.library import load_library
from roleplay.content.rubric import Rubric
from roleplay.content.scenario import Scenario
from roleplay.session.compare import confirm_turn_with_observer, observe_round_end
from roleplay.session.engine import PracticeSession
from roleplay.session.progress import HistoryFilter, person_progress
from roleplay.session.solo import SoloRehearsal
from roleplay.session.state import ListenerMode, SessionConfig
from roleplay.storage import open_store
from roleplay.storage.events import Event, EventSink, MemorySink
from roleplay.tui.history_data import MAX_POINTS

TARGET_MS = 200.0
DATA_VERSION = "v1"
"""Bump when :func:`generate_history` changes what it writes, so stale caches are not reused."""


def cache_dir(turns: int) -> Path:
    """Where the generated data for ``turns`` turns is kept between runs."""
    from roleplay.storage.schema import SCHEMA_VERSION

    return Path(tempfile.gettempdir()) / f"roleplay-bench-history-{DATA_VERSION}-s{SCHEMA_VERSION}-{turns}"


def ensure_data(turns: int) -> tuple[Path, str, float]:
    """The cached data folder (generated first if missing), the person to chart, generation seconds (0 if cached)."""
    folder = cache_dir(turns)
    marker = folder / "person.txt"
    if marker.exists():
        return folder, marker.read_text().strip(), 0.0
    # Generate next to the cache and rename at the end, so an interrupted run never leaves half a cache.
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    started = time.perf_counter()
    person = generate_history(partial, turns)
    elapsed = time.perf_counter() - started
    (partial / "person.txt").write_text(person)
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)
    return folder, person, elapsed


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


def _responses(scenario_turn: object, rng: random.Random) -> str:
    examples = [e.text for e in (*scenario_turn.strong_examples, *scenario_turn.weak_examples)]  # type: ignore[attr-defined]
    return rng.choice(examples + list(GENERIC))


def generate_history(data_dir: Path | str, turns: int = 100_000, seed: int = 7, templates: int = 300) -> str:
    """Fill ``data_dir`` with about ``turns`` stored turns; returns the person with the most history.

    Mix: solo rehearsals (60% of sessions, half of them by the returned person) and triads in typed mode
    with a human observer's ratings and tallies plus the observer's second opinion; sessions a day apart
    or less over about two years.

    Path: ``templates`` sessions are played through the real engine (:class:`SoloRehearsal`,
    :class:`PracticeSession`, the automatic observer) into memory; then sessions are written until
    ``turns`` is reached, each a copy of the next template under a new id with its times moved on,
    through :meth:`Store.append_event` (the app's write: snapshots, events, every projection) inside
    :meth:`Store.batch`, one transaction per session. So every stored row comes from the store's real
    write path; what is not repeated per copy is the engine and observer work that produced the events.
    """
    library = load_library(include_user=False)
    scenarios = [e.model for e in library.scenarios.values()]
    rubrics = [e.model for e in library.rubrics.values()]
    rng = random.Random(seed)
    clock_now = [0.0]

    def clock() -> float:
        clock_now[0] += 1.0
        return clock_now[0]

    plays: list[tuple[list[Event], int]] = []
    sink = MemorySink()
    for number in range(templates):
        clock_now[0] = 0.0
        made = _one_session(sink, number, rng.choice(scenarios), rng.choice(rubrics), rng, clock, turns)
        sid = next(reversed(sink.events))
        plays.append((sink.events.pop(sid), made))
    made, number, at = 0, 0, time.time() - 2 * 365 * 86400
    with open_store(data_dir) as store:  # creates and migrates the database
        while made < turns:
            events, count = plays[number % len(plays)]
            number += 1
            at += rng.uniform(0, 2 * 3600)
            sid = f"{events[0].data['kind']}-{number}"
            with store.batch():
                for e in events:
                    data = {**e.data, "session_id": sid} if e.type == "session_created" else e.data
                    store.append_event(sid, Event(e.seq, e.type, at + e.at, data))
            made += count
    return PEOPLE[0]


def _one_session(sink: EventSink, number: int, scenario: Scenario, rubric: Rubric, rng: random.Random,
                 clock: Callable[[], float], left: int) -> int:
    """Play one solo rehearsal (60%) or typed triad into ``sink``, at most ``left`` turns; returns turns made."""
    made = 0
    if rng.random() < 0.6:
        name = PEOPLE[0] if rng.random() < 0.5 else rng.choice(PEOPLE[1:])
        solo = SoloRehearsal.create(name, scenario, rubric, sink, clock=clock, session_id=f"solo-{number}")
        solo.start()
        while solo.line is not None and made < left:
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
        return made
    config = SessionConfig(tuple(rng.sample(PEOPLE, 3)), scenario, rubric, mode=ListenerMode.typed)
    session = PracticeSession.create(config, sink, clock=clock, session_id=f"group-{number}")
    session.acknowledge_agreement()
    while session.next_round is not None and made < left:
        current = session.start_round()
        observer = current.roles.observers[0]
        while session.current_turn is not None and made < left:
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
    return made


#: The reads timed: what the history screen opens with (all of a person's history, points grouped to fit
#: a chart), one point per day with nothing grouped, and a filtered view (solo only: per-round tables).
VARIANTS: dict[str, tuple[HistoryFilter, int | None]] = {
    "screen (unfiltered, grouped to chart width)": (HistoryFilter(), MAX_POINTS),
    "every day as a point": (HistoryFilter(), None),
    "solo only (filtered)": (HistoryFilter(kind="solo"), MAX_POINTS),
}


def time_progress(data_dir: Path | str, person: str, runs: int = 7) -> dict[str, tuple[float, dict[str, int]]]:
    """Per variant: median milliseconds to load one person's history-screen data (fresh store each run) and
    the size of what was loaded."""
    library = load_library(include_user=False)
    available = list(library.scenarios)
    results = {}
    for name, (flt, max_points) in VARIANTS.items():
        timings, sizes = [], {}
        for _ in range(runs):
            with open_store(data_dir) as store:
                start = time.perf_counter()
                progress = person_progress(store, person, flt, available, max_points=max_points)
                timings.append((time.perf_counter() - start) * 1000)
                sizes = {"sessions": len(progress.sessions), "criterion_series": len(progress.criteria),
                         "points": sum(len(s.points) for s in progress.criteria),
                         "days_per_point": progress.days_per_point}
        results[name] = (statistics.median(timings), sizes)
    return results


def main(argv: list[str] | None = None) -> None:
    """Generate the data in a temporary folder, time the query, print the figures against the target."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=100_000)
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="generate the data into this (empty) folder (default: a cache under the temp folder)")
    args = parser.parse_args(argv if argv is not None else [])
    if args.data_dir is not None:
        started = time.perf_counter()
        person = generate_history(args.data_dir, args.turns)
        folder, generated = args.data_dir, time.perf_counter() - started
    else:
        folder, person, generated = ensure_data(args.turns)
    with open_store(folder) as store:
        total = store._read("SELECT count(*) FROM turns")[0][0]
        mine = store._read("SELECT count(*) FROM turns WHERE listener = ?", (person,))[0][0]
    results = time_progress(folder, person)
    size = sum(f.stat().st_size for f in Path(folder).glob("roleplay.db*")) / 1e6
    how = f"generated in {generated:.0f} s" if generated else f"cached in {folder}"
    print(f"history: {total:,} turns stored ({mine:,} by {person}) {how}; "
          f"database {size:.0f} MB")
    for name, (median, sizes) in results.items():
        verdict = "OK" if median < TARGET_MS else "TOO SLOW"
        print(f"history: progress query for {person}, {name}: median {median:.1f} ms over 7 runs "
              f"(target < {TARGET_MS:.0f} ms) {verdict}; {sizes}")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
