"""The app gets the automatic observer ready in the background, so no screen freezes while it loads.

A new user on a fresh cache folder pressed "Start the round" (or "Rehearse solo") and the screen stood
still for 6 to 14 seconds: importing the play or solo screens built the observer's phrase lexicon on the
UI thread, and the first feedback card then loaded the embedding model there too. The app now builds and
loads both in a background thread once the library is loaded. Each test runs in a fresh interpreter on a
fresh cache folder, as a first start does (in the test process the observer is already loaded).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.functional.pty_app import REPO, PtyApp

CHILD = textwrap.dedent("""
    import asyncio, json, sys, threading
    from pathlib import Path

    from roleplay.tui.app import create_app

    # Which thread loads the observer: the phrase lexicon is built (or read from the cache) when its
    # package is first imported, so the import of the observer's word weights says where that ran.
    built_in = []

    class Spy:
        def find_spec(self, name, path=None, target=None):
            if name == "roleplay.observer.weights":
                built_in.append(threading.current_thread().name)
            return None

    assert "roleplay.observer" not in sys.modules
    sys.meta_path.insert(0, Spy())
    cache = Path(sys.argv[2])

    async def main():
        app = create_app(data_dir=Path(sys.argv[1]), cursor_blink=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            # Idle at home, as people do while they sit down: nothing pressed yet.
            def warming():
                return any(t.name == "observer-warm-up" for t in threading.enumerate())

            for _ in range(50):  # the warm-up starts once the library is loaded
                if built_in or warming():
                    break
                await asyncio.sleep(0.1)
            for _ in range(1200):  # a first build takes seconds on a busy machine
                if not warming():
                    break
                await asyncio.sleep(0.1)
            embed = sys.modules.get("roleplay.observer.embed")
            ready = {"built_in": list(built_in), "cached": (cache / "lexicon.json").exists(),
                     "model": embed is not None and embed.embedder.cache_info().currsize == 1}
            await pilot.press("s")
            await pilot.pause()
            app.screen.query_one("#solo-name").value = "Ana"
            app.screen.query_one("#solo-search").value = "driving"
            await pilot.pause()
            await pilot.press("ctrl+n")
            await pilot.pause()
            await pilot.press("s")
            await pilot.pause()
            app.screen.query_one("#solo-response").value = "So you're dreading a third go going the same way?"
            await pilot.press("enter")
            await pilot.pause()
            card = str(app.screen.query_one("#solo-card").render()) if app.screen.solo.answered else ""
            print(json.dumps({**ready, "screen": type(app.screen).__name__, "answered": app.screen.solo.answered,
                              "built_after": list(built_in), "card": bool(card)}))

    asyncio.run(main())
""")


def test_observer_is_built_and_loaded_in_the_background_before_any_screen_needs_it(tmp_path: Path) -> None:
    cache = tmp_path / "fresh-cache"
    env = {**os.environ, "ROLEPLAY_CACHE_DIR": str(cache)}
    done = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path / "data"), str(cache)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    # Before anyone pressed a key: the lexicon was built once, off the UI thread, and the model loaded.
    assert seen["built_in"] == ["observer-warm-up"]
    assert seen["cached"] and seen["model"]
    # The solo rehearsal then used it as it was: no second build, and the first response got its card.
    assert seen["screen"] == "SoloPlayScreen" and seen["answered"]
    assert seen["built_after"] == ["observer-warm-up"]


def test_quitting_while_the_observer_is_still_building_is_immediate(tmp_path: Path, monkeypatch) -> None:
    """The warm-up thread never holds the app open: ctrl+q on the home screen during a first build ends
    the process at once (the build goes on next time; a half-written cache file is never used)."""
    monkeypatch.setenv("ROLEPLAY_CACHE_DIR", str(tmp_path / "fresh-cache"))
    app = PtyApp(tmp_path / "data")
    try:
        app.wait_for("rubrics ready")
        app.type("\x11", pause=0)  # ctrl+q
        assert app.exit_within(3) is not None, "the app was still running 3 s after ctrl+q"
    finally:
        app.stop()
