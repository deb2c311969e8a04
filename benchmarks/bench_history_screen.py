"""The history screen with 100,000 stored turns: time from pushing the screen to its charts on screen.

The data comes from :func:`benchmarks.bench_history.generate_history` (the real session code paths).
Generating 100,000 turns takes several minutes, so the folder is cached under
``/tmp/roleplay-bench-history-<DATA_VERSION>-s<schema>-<turns>`` and reused by later runs (delete it, or
bump :data:`benchmarks.bench_history.DATA_VERSION` when the generator changes, to make a new one).

What is timed: the app is running headless on that data folder, on the home screen, with the store open
and the library loaded (the shipped library, for "scenarios not yet tried"). The clock starts when the
history screen is pushed and stops when the screen reports its data shown: the worker has loaded the
person's progress, the figures table has been updated, the (single, selected) chart has rendered its
plot, and the screen has refreshed after that (:attr:`HistoryScreen.shown_at`).
Each run pushes a fresh screen (nothing is cached between runs).

Run: ``.venv/bin/python -m benchmarks.bench_history_screen`` (``--turns 5000`` for a quick run).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

from benchmarks.bench_history import ensure_data

TARGET_MS = 200.0
async def time_screen(folder: Path, person: str, runs: int = 7) -> list[float]:
    """Milliseconds from pushing the history screen (for ``person``) to its charts shown, per run."""
    from roleplay.content.library import load_library
    from roleplay.tui.app import create_app
    from roleplay.tui.screens.history import HistoryScreen

    app = create_app(data_dir=folder, loader=lambda: load_library(include_user=False), cursor_blink=False)
    timings: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.store is not None and app.library is not None, "store or library did not open"
        for _ in range(runs):
            screen = HistoryScreen(person=person)
            started = time.perf_counter()
            await app.push_screen(screen)
            while screen.shown_at is None:
                if screen.load_error or time.perf_counter() - started > 60:
                    raise RuntimeError(f"the history screen did not show its data: {screen.load_error}")
                await asyncio.sleep(0.001)
            timings.append((screen.shown_at - started) * 1000)
            assert screen.chart_count > 0, "the history screen showed no chart"
            app.pop_screen()
            await pilot.pause()
    return timings


def main(argv: list[str] | None = None) -> None:
    """Generate (or reuse) the data, time the screen, print the figures against the target."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv if argv is not None else [])
    folder, person, generated = ensure_data(args.turns)
    how = f"generated in {generated:.0f} s" if generated else "cached"
    print(f"history screen: {args.turns:,} turns in {folder} ({how}); charting {person}")
    timings = asyncio.run(time_screen(folder, person, args.runs))
    median = statistics.median(timings)
    verdict = "OK" if median < TARGET_MS else "TOO SLOW"
    print(f"history screen: push to charts shown: median {median:.1f} ms, min {min(timings):.1f}, "
          f"max {max(timings):.1f} over {len(timings)} runs (target < {TARGET_MS:.0f} ms) {verdict}")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
