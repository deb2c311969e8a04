"""A connection to the class database dropped mid-session (a real server, ``pg_terminate_backend``): the
action is kept and retried, nothing acknowledged is lost, and the app says it is reconnecting; a server
that stays away gives one clear line (no password in it) and leaves the session as it was."""

from __future__ import annotations

import pytest

from roleplay.session.samples import scored_sample_session
from roleplay.storage import open_store
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
        await pilot.pause()
        assert app.session.current_turn.ratings[("Cy", "paraphrase")].value == 3
        assert seen and seen[0] and "reconnecting" in seen[0] and seen[-1] is None
        titles = [n.title for n in app._notifications]
        assert "Reconnecting" in titles and "Reconnected" in titles
    with open_store(database=pg_url) as store:
        (summary,) = store.unfinished_sessions()
        events = store.load_events(summary.id)
    assert events[-1].type == "rating_recorded" and events[-1].data["value"] == 3
