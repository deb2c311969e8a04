"""A connection to the class database dropped mid-session (a real server: ``pg_terminate_backend``, or the
server stopped and started again): the action is kept and retried, nothing acknowledged is lost, and the
app says it is reconnecting. In the app (``keep_while_away``) the retry never blocks the writing thread:
the action is kept on this computer at once, saved in the background once the server is back, and kept
through a quit or a crash until then. Without it (command-line writers) a server that stays away gives
one clear line (no password in it) and leaves the session as it was."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from roleplay.session.samples import scored_sample_session
from roleplay.storage import open_store
from roleplay.storage.events import Event
from roleplay.storage.pg.connect import ConnectionLostError
from roleplay.tui.app import create_app
from roleplay.tui.core import sample_library
from tests.functional.test_live_sync import terminate_roleplay_connections
from tests.functional.tui_steps import to_typed_play
from tests.pgserver import PgServer


def test_a_dropped_connection_is_retried_and_reported(pg_server: PgServer, pg_url: str) -> None:
    statuses: list[str | None] = []
    with open_store(database=pg_url) as store:
        store.on_status = statuses.append  # type: ignore[attr-defined]
        session = scored_sample_session(store)
        before = len(session.events)
        terminate_roleplay_connections(pg_server)
        session.start_round()  # written through a new connection
        assert statuses and "reconnecting" in str(statuses[0]) and statuses[-1] is None
        assert pg_server.password not in str(statuses[0])
    with open_store(database=pg_url) as again:
        stored = again.load_events("sample-four")
    assert [e.id for e in stored] == [e.id for e in session.events] and len(stored) == before + 1


def test_a_server_that_stays_away_gives_one_line_and_changes_nothing(pg_server: PgServer) -> None:
    with PgServer(pg_server.bin_dir) as lonely:
        url = lonely.new_database()
        store = open_store(database=url)
        session = scored_sample_session(store)
        count, where = len(session.events), session.current_round
        lonely.stop()
        store.reconnect_for = 1.0  # type: ignore[attr-defined]
        with pytest.raises(ConnectionLostError) as caught:
            session.start_round()
        store.close()
    message = caught.value.message
    assert "\n" not in message and lonely.password not in message
    assert "Cannot reach a PostgreSQL server" in message and "stayed unreachable for 1 seconds" in message
    assert len(session.events) == count and session.current_round == where  # nothing half-applied


async def test_the_app_says_reconnecting_and_keeps_the_rating(pg_server: PgServer, pg_url: str) -> None:
    app = create_app(database=pg_url, loader=sample_library, cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_typed_play(pilot, ("Ana", "Ben", "Cy"))
        assert app.store.kind == "postgres"
        seen: list[str | None] = []
        hook = app.store.on_status
        app.store.on_status = lambda text: (seen.append(text), hook(text))
        await pilot.press(*"you sound worn out", "enter")
        await pilot.pause()
        terminate_roleplay_connections(pg_server)
        await pilot.press("3")
        await pilot.pause()
        assert app.session.current_turn.ratings[("Cy", "paraphrase")].value == 3
        deadline = time.monotonic() + 20
        while (not seen or seen[-1] is not None) and time.monotonic() < deadline:
            await pilot.pause(0.1)  # saved in the background once the new connection is made
        assert seen and seen[0] and "reconnecting" in seen[0] and seen[-1] is None
        titles = [n.title for n in app._notifications]
        assert "Reconnecting" in titles and "Reconnected" in titles
    with open_store(database=pg_url) as store:
        (summary,) = store.unfinished_sessions()
        events = store.load_events(summary.id)
    assert events[-1].type == "rating_recorded" and events[-1].data["value"] == 3


def test_writes_while_the_server_is_away_return_at_once_and_are_saved_when_it_is_back(
        pg_server: PgServer, tmp_path: Path) -> None:
    with PgServer(pg_server.bin_dir) as server:
        url = server.new_database()
        statuses: list[str | None] = []
        with open_store(database=url) as store:
            assert store.keep_while_away(tmp_path) is None  # type: ignore[attr-defined]
            store.on_status = statuses.append  # type: ignore[attr-defined]
            session = scored_sample_session(store)
            session.start_round()
            before = len(session.events)
            server.halt()
            timings = []
            for value in (1, 2, 3, 4):
                started = time.monotonic()
                session.rate("Dev", "paraphrase", value)
                timings.append(time.monotonic() - started)
            assert max(timings) < 0.5, timings  # kept on this computer, not waiting for the server
            assert store._outbox.waiting == 4  # type: ignore[attr-defined]
            assert statuses and statuses[0] and "kept on this computer" in statuses[0]
            assert server.password not in statuses[0]
            assert (tmp_path / next(p.name for p in tmp_path.glob("pending-*.jsonl"))).exists()
            server.resume()
            assert store._outbox.wait_until_sent(30.0)  # type: ignore[attr-defined]
            assert statuses[-1] is None and list(tmp_path.glob("pending-*.jsonl")) == []
        with open_store(database=url) as again:
            stored = again.load_events("sample-four")
    assert len(stored) == before + 4
    assert [e.id for e in stored] == [e.id for e in session.events]
    assert [e.data["value"] for e in stored[-4:]] == [1, 2, 3, 4]


def test_actions_kept_when_the_app_ends_while_away_are_saved_on_the_next_start(
        pg_server: PgServer, tmp_path: Path) -> None:
    with PgServer(pg_server.bin_dir) as server:
        url = server.new_database()
        store = open_store(database=url)
        store.keep_while_away(tmp_path)  # type: ignore[attr-defined]
        session = scored_sample_session(store)
        server.halt()
        session.start_round()
        session.rate("Dev", "paraphrase", 4)
        store.close()  # the app ends (or is killed) while the server is away: the spool keeps both
        (spool,) = tmp_path.glob("pending-*.jsonl")
        assert len(spool.read_text().splitlines()) == 2
        server.resume()
        with open_store(database=url) as again:
            assert again.keep_while_away(tmp_path) is None  # type: ignore[attr-defined]
            assert [e.id for e in again.load_events("sample-four")] == [e.id for e in session.events]
        assert list(tmp_path.glob("pending-*.jsonl")) == []

        # Kept while away, but another device took that number meanwhile: refused, reported, and kept aside.
        store = open_store(database=url)
        store.keep_while_away(tmp_path)  # type: ignore[attr-defined]
        server.halt()
        mine = Event(len(session.events) + 1, "paused", 2.0, {})
        store.append_event("sample-four", mine)
        store.close()
        server.resume()
        with open_store(database=url) as other:
            other.append_event("sample-four", Event(len(session.events) + 1, "paused", 3.0, {}))
        with open_store(database=url) as last:
            notice = last.keep_while_away(tmp_path)  # type: ignore[attr-defined]
        assert notice is not None and "1 of 1 actions" in notice and "could not be saved" in notice
        (refused,) = tmp_path.glob("refused-*.jsonl")
        assert mine.id in refused.read_text() and "open in another roleplay window" in refused.read_text()


async def test_the_app_keeps_playing_while_the_server_is_away(pg_server: PgServer, tmp_path: Path) -> None:
    with PgServer(pg_server.bin_dir) as server:
        url = server.new_database()
        app = create_app(data_dir=tmp_path, database=url, loader=sample_library, cursor_blink=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await to_typed_play(pilot, ("Ana", "Ben", "Cy"))
            await pilot.press(*"you sound worn out", "enter")
            await pilot.pause()
            server.halt()
            started = time.monotonic()
            await pilot.press("3")
            await pilot.pause()
            assert time.monotonic() - started < 2.0  # the screen answered while the server was away
            assert app.session.current_turn.ratings[("Cy", "paraphrase")].value == 3
            assert "reconnecting" in app.sub_title
            assert "Reconnecting" in [n.title for n in app._notifications]
            server.resume()
            deadline = time.monotonic() + 30
            while "Reconnected" not in [n.title for n in app._notifications] and time.monotonic() < deadline:
                await pilot.pause(0.2)
            assert "Reconnected" in [n.title for n in app._notifications] and app.sub_title == ""
        with open_store(database=url) as store:
            (summary,) = store.unfinished_sessions()
            events = store.load_events(summary.id)
        assert events[-1].type == "rating_recorded" and events[-1].data["value"] == 3
