"""Benchmarks of the app's responsiveness, measured in the same run against a bare Textual app.

- Start-up to the home screen vs a bare App with a Header and a Footer (target: at most 1.5x): each
  measured from launching a fresh interpreter (imports included) to the first screen mounted with its
  Footer, at the same size, interleaved, medians.
- One key press on the scoring panel, handled and saved (target: under 50 ms), measured with Pilot.
- Saving one rating through the session engine to SQLite (target: under 5 ms).

Run: ``.venv/bin/python -m benchmarks.bench_tui``.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header

from roleplay.tui.app import create_app
from roleplay.tui.core import sample_library


class BareApp(App[None]):
    """The baseline: a Header and a Footer, nothing else."""

    def compose(self) -> ComposeResult:
        """Header and Footer."""
        yield Header()
        yield Footer()


#: Run in a fresh interpreter per measurement, so module imports count (a user pays for them too).
#: Both apps go through the same steps: build, run headless at the same size, and report as soon as
#: the expected screen is mounted with its Footer (the same test for "the home screen is shown").
STARTUP_SCRIPT = """
import asyncio, sys, tempfile
from pathlib import Path
which = sys.argv[1]
from textual.widgets import Footer
if which == "bare":
    from textual.app import App
    from textual.widgets import Header

    class BareApp(App):
        def compose(self):
            yield Header()
            yield Footer()

    make, screen_name = BareApp, "Screen"
else:
    from roleplay.tui.app import create_app
    from roleplay.tui.core import sample_library
    data = Path(tempfile.mkdtemp(prefix="bench-tui-"))
    make = lambda: create_app(data_dir=data, loader=sample_library, cursor_blink=False)
    screen_name = "HomeScreen"

async def main():
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        while not (type(app.screen).__name__ == screen_name and app.screen.is_mounted
                   and app.screen.query(Footer)):
            await asyncio.sleep(0.0005)
        print("shown", flush=True)
        await app.workers.wait_for_complete()

asyncio.run(main())
"""


def _startup(which: str) -> float:
    """Seconds from launching a fresh interpreter to its app's first screen being shown."""
    import subprocess
    import sys

    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", STARTUP_SCRIPT, which], stdout=subprocess.PIPE,
                             text=True)
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = time.perf_counter() - start
    child.wait()
    if line.strip() != "shown":
        raise RuntimeError(f"the {which} app did not report its first screen")
    return elapsed


def startup_ratio(repeats: int = 11) -> tuple[float, float]:
    """Median start-up seconds of the bare app and of roleplay to its home screen (runs interleaved)."""
    bare, ours = [], []
    _startup("bare"), _startup("roleplay")  # warm the file cache: neither side pays a cold disk
    for _ in range(repeats):
        bare.append(_startup("bare"))
        ours.append(_startup("roleplay"))
    return statistics.median(bare), statistics.median(ours)


async def key_press_latency(presses: int = 60) -> tuple[float, float, float]:
    """Milliseconds for one level key on the scoring panel: in-app median and worst, Pilot round trip.

    In-app time runs from the key event reaching the app to the end of the screen's handler (rating
    saved to SQLite, panel redrawn). The Pilot round trip (press plus waiting for the screen to be idle)
    is mostly Pilot's own waiting; compare it with :func:`bare_key_round_trip`.
    """
    from textual import events

    from roleplay.tui.widgets.scoring_panel import ScoringPanel

    times: list[float] = []
    in_app: list[float] = []
    handled: list[float] = []
    arrived: list[float] = []
    original = ScoringPanel.show_values

    def timed_show(panel, *args, **kwargs) -> None:  # the handler's last step: saved values shown
        original(panel, *args, **kwargs)
        handled.append(time.perf_counter())

    def hook(message) -> None:
        if isinstance(message, events.Key) and message.key.isdigit():
            arrived.append(time.perf_counter())

    ScoringPanel.show_values = timed_show  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(data_dir=Path(tmp), loader=sample_library, cursor_blink=False)
        async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
            await app.workers.wait_for_complete()
            await pilot.press("g")
            await pilot.pause()
            for i, name in enumerate(["Ana", "Ben", "Cy"]):
                app.screen.query_one(f"#name-{i}").value = name
            await pilot.press("ctrl+n")
            await pilot.pause()
            await pilot.press("a")
            await pilot.pause()
            await pilot.press("s")
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            panel = app.screen.query_one("#panel")
            for i in range(presses):
                panel.cursor = 0
                before = len(app.session.events)
                handled.clear()
                arrived.clear()
                start = time.perf_counter()
                await pilot.press(str(1 + i % 4))
                await pilot.pause()  # the message handled, saved and the screen refreshed
                times.append((time.perf_counter() - start) * 1000)
                assert len(app.session.events) == before + 1
                in_app.append((handled[-1] - arrived[0]) * 1000)
    ScoringPanel.show_values = original  # type: ignore[method-assign]
    return statistics.median(in_app), max(in_app), statistics.median(times)


async def bare_key_round_trip(presses: int = 40) -> float:
    """Median Pilot round trip (press + pause) for a key on a bare app: Pilot's own overhead."""
    from textual.widgets import Static

    class Counter(Static, can_focus=True):
        BINDINGS = [("1", "hit", "Hit")]

        def action_hit(self) -> None:
            self.update(str(time.perf_counter()))

    class Bare(BareApp):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Counter("0")
            yield Footer()

    times = []
    async with Bare().run_test(size=(120, 40)) as pilot:
        pilot.app.query_one(Counter).focus()
        await pilot.pause()
        for _ in range(presses):
            start = time.perf_counter()
            await pilot.press("1")
            await pilot.pause()
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def rating_save_ms(count: int = 300) -> float:
    """Median milliseconds for one rating saved through the engine into SQLite (WAL)."""
    from roleplay.session.engine import PracticeSession
    from roleplay.session.samples import sample_rubric, sample_scenario
    from roleplay.session.state import SessionConfig
    from roleplay.storage import open_store

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp))
        config = SessionConfig(names=("Ana", "Ben", "Cy"), scenario=sample_scenario(), rubric=sample_rubric())
        session = PracticeSession.create(config, store)
        session.acknowledge_agreement()
        session.start_round()
        times = []
        for i in range(count):
            start = time.perf_counter()
            session.rate("Cy", "paraphrase", 1 + i % 4)
            times.append((time.perf_counter() - start) * 1000)
        store.close()
    return statistics.median(times)


def main() -> None:
    """Run the benchmarks and print the figures against their targets."""
    bare, ours = startup_ratio()
    ratio = ours / bare
    print(f"start-up: bare Header+Footer app {bare * 1000:.0f} ms, roleplay home {ours * 1000:.0f} ms, "
          f"ratio {ratio:.2f}x (target <= 1.5x) {'OK' if ratio <= 1.5 else 'OVER'}")
    median, worst, round_trip = asyncio.run(key_press_latency())
    bare_trip = asyncio.run(bare_key_round_trip())
    print(f"scoring panel key press handled in-app (key event -> rating saved, panel redrawn): median "
          f"{median:.1f} ms, worst {worst:.1f} ms (target < 50 ms) {'OK' if worst < 50 else 'OVER'}")
    print(f"  Pilot round trip press+pause: roleplay {round_trip:.0f} ms vs bare app {bare_trip:.0f} ms "
          "(Pilot waits for idle; for context only)")
    save = rating_save_ms()
    print(f"rating saved (engine + SQLite): median {save:.2f} ms (target < 5 ms) {'OK' if save < 5 else 'OVER'}")


if __name__ == "__main__":
    main()
