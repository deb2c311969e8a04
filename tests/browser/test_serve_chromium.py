"""`roleplay serve` in a real Chromium (the Debian package, driven by playwright through its executable path).

What each browser is sent is read from its websocket (the terminal output the page draws), so the test
sees exactly what reaches each device: join with the class code, a wrong code refused, the lobby, the
tutor's page (only with the token) forming and starting the group, and each role's own screen, with the
speaker's card reaching the speaker's browser only.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest

from tests.functional.serve_proc import serving

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

if not CHROMIUM.exists() or shutil.which("chromium") is None:
    pytest.skip("BROWSER TIER SKIPPED: no Chromium at /usr/bin/chromium; install it with "
                "`sudo apt-get install -y chromium` (CI's .ci/run does)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="BROWSER TIER SKIPPED: pip install playwright")

pytestmark = pytest.mark.slow

_ESCAPES = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


class Screen:
    """One browser tab on the class server, and everything its websocket was sent."""

    def __init__(self, browser, url: str) -> None:
        self.context = browser.new_context(viewport={"width": 1100, "height": 800})
        self.page = self.context.new_page()
        self.received: list[str] = []
        self.typed = False
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._frame))
        self.response = self.page.goto(url)

    def _frame(self, payload) -> None:
        data = payload if isinstance(payload, str) else payload.decode("utf-8", "ignore")
        self.received.append(_ESCAPES.sub("", data))

    def text(self) -> str:
        return _squash("".join(self.received))

    def wait_for(self, wanted: str, timeout: float = 60.0) -> None:
        end = time.monotonic() + timeout
        while _squash(wanted) not in self.text():
            assert time.monotonic() < end, f"{wanted!r} never reached this browser: {self.text()[-1500:]}"
            self.page.wait_for_timeout(100)

    def type(self, *keys: str) -> None:
        self.page.focus(".xterm-helper-textarea")
        if not self.typed:  # the first keys wait until the app has taken the page's focus
            self.page.wait_for_timeout(1500)
            self.typed = True
        for key in keys:
            if key in ("Enter", "Tab"):
                self.page.keyboard.press(key)
            else:
                self.page.keyboard.type(key, delay=20)
            self.page.wait_for_timeout(150)


@pytest.fixture
def server(tmp_path):
    with serving(tmp_path / "data", "--scenario", "quiet-flat", "--rubric", "active-listening",
                 "--mode", "typed") as served:
        yield served.url, served.code, served.tutor


def test_join_take_a_seat_and_see_the_role_screen(server, repo) -> None:
    from roleplay.content.library import load_library

    join_url, code, tutor_url = server
    persona = load_library().scenarios["quiet-flat"].model.persona
    secret = [" ".join(t.split()[:4]) for t in (persona.background, persona.wants, *persona.how_to_play)
              if len(t.split()) >= 4]
    with sync_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            # the tutor's page needs the token
            bad = Screen(browser, tutor_url[:-4] + "xxxx")
            assert bad.response is not None and bad.response.status == 403
            # a wrong code is refused
            stranger = Screen(browser, join_url)
            stranger.wait_for("Join your class")
            stranger.type("WRONG9", "Enter", "Zed", "Enter")
            stranger.wait_for("That class code is not right")
            # three trainees join with the code (typed in lower case, with the dash)
            seats = {}
            for name in ("Ana", "Ben", "Cy"):
                seats[name] = Screen(browser, join_url)
                seats[name].wait_for("Join your class")
                seats[name].type(code.lower(), "Enter", name, "Enter")
                seats[name].wait_for("the tutor is forming the groups")
            tutor = Screen(browser, tutor_url)
            tutor.wait_for("Lobby: Ana, Ben, Cy")
            tutor.type("g")
            tutor.wait_for("forming")
            tutor.type("s")
            for seat in seats.values():
                seat.wait_for("Press a when you have read it")
                seat.type("a")
            for seat in seats.values():
                seat.wait_for("This round you are")
            seats["Ana"].type("Enter")
            # rotation order is the group's order: Ana speaks, Ben listens, Cy observes in round 1
            seats["Ana"].wait_for("You: speaker")
            seats["Ben"].wait_for("Your response")
            seats["Cy"].wait_for("Rating as Cy")
            tutor.wait_for("playing")
            speaker_seen = seats["Ana"].text()
            assert all(_squash(f) in speaker_seen for f in secret[:2]), "the card did not reach the speaker"
            for name in ("Ben", "Cy"):
                leaked = [f for f in secret if _squash(f) in seats[name].text()]
                assert not leaked, f"the speaker's card reached {name}'s browser: {leaked}"
            assert not [f for f in secret if _squash(f) in tutor.text()]
        finally:
            browser.close()
