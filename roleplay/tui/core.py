"""The TUI's thin adapter over the headless core: content loading, the store, and session look-ups.

Everything here is plain Python (no Textual) and may block, so the app calls it from workers. It keeps
the screens independent of how the core spells things, in one place.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Content modules (pydantic models) are imported inside the functions that need them, so importing
# this adapter costs nothing at start-up; loading happens in a worker after the home screen is up.
if TYPE_CHECKING:
    from roleplay.content.agreement import Agreement
    from roleplay.content.library import Library

#: Something that loads the content library (injectable so tests use fixed content).
LibraryLoader = Callable[[], "Library"]


def library_loader(data_dir: Path | None, library_paths: Sequence[Path]) -> LibraryLoader:
    """A loader for the shipped library, the user's library and ``library_paths``.

    With an explicit ``data_dir`` the user's own folder is ``data_dir/library`` (not the default data
    folder), so a test or a ``--data-dir`` run never reads someone's real library.
    """

    def load() -> Library:
        from roleplay.content.library import load_library

        if data_dir is None:
            return load_library(tuple(library_paths))
        extra = [data_dir / "library", *library_paths]
        return load_library(tuple(p for p in extra if p.exists()), include_user=False)

    return load


def fallback_agreement() -> Agreement:
    """A short comfort agreement used only when the library has none (so practice can still start)."""
    from roleplay.content.agreement import Agreement, AgreementItem

    return Agreement(
        id="default",
        title="Our comfort agreement",
        intro="Before we practise, we agree how we look after each other.",
        items=[
            AgreementItem(id="confidentiality", heading="What is said here stays here",
                          text="We do not repeat personal things shared in practice."),
            AgreementItem(id="respect", heading="Respect and no judgment",
                          text="We give feedback on what someone did, starting with what went well."),
            AgreementItem(id="pause", heading="Anyone may pause or stop",
                          text="Anyone can pause or stop a round at any moment, without giving a reason."),
        ],
        closing="Anyone may ask to change this agreement at any time.",
    )


def pick_agreement(library: Library, agreement_id: str = "default") -> Agreement:
    """The agreement with this id, else the first in the library, else the fallback."""
    if agreement_id in library.agreements:
        return library.agreements[agreement_id].model
    if library.agreements:
        return next(iter(library.agreements.values())).model
    return fallback_agreement()


@dataclass(frozen=True, slots=True)
class StoreOpened:
    """The result of opening the store: the store (or None) and a message for the user (or None)."""

    store: Any
    notice: str | None = None
    error: str | None = None


def open_storage(data_dir: Path | None, database: str | None = None) -> StoreOpened:
    """Open the practice database (``database``: a URL or file, else the data folder's); storage errors
    come back as a user-facing message, never raised."""
    from roleplay.storage import StorageError, open_store

    try:
        store = open_store(data_dir, database=database)
    except StorageError as error:
        return StoreOpened(None, error=error.message)
    except OSError as error:  # anything the store did not translate: still a message, not a traceback
        return StoreOpened(None, error=f"roleplay could not open its data folder: {error}")
    notice = getattr(store, "notice", None)
    if hasattr(store, "keep_while_away"):  # a class database: a dropped connection must not freeze play
        from roleplay.paths import resolve_data_dir

        try:
            notice = store.keep_while_away(resolve_data_dir(data_dir)) or notice
        except (StorageError, OSError) as error:  # away again already: what was kept stays kept
            notice = f"Actions kept on this computer from an earlier run are not saved yet: {error}"
    return StoreOpened(store, notice=notice)


def unfinished_sessions(store: Any) -> list[Any]:
    """Stored sessions not yet finished or abandoned (newest first); empty when the store cannot say."""
    from roleplay.storage import StorageError

    try:
        return list(store.unfinished_sessions())
    except StorageError:
        return []


def warm_observer() -> None:
    """Load the automatic observer once: its phrase lexicon (built and cached on first use) and its
    embedding model, by observing one sample response with key points and feelings.

    The observer is imported by the play, solo and compare screens and runs on the first response; on a
    fresh cache folder the build takes seconds, which froze the screen that first needed it ("Start
    the round", "Rehearse solo"). Done in the background while people type names, it is ready by then.
    """
    from roleplay.observer import observe

    observe("So you're dreading it going the same way again?", speaker="I've failed it twice now.",
            key_points=("failed twice",), feelings=("dreading",))


def start_observer_warm_up() -> None:
    """Run :func:`warm_observer` in a daemon thread: quitting never waits for it, and a failure here
    only means the observer loads when first used (where any error is reported)."""
    import threading

    def run() -> None:
        with contextlib.suppress(Exception):
            warm_observer()

    threading.Thread(target=run, name="observer-warm-up", daemon=True).start()


def session_history(store: Any, limit: int = 50) -> list[Any]:
    """The latest stored sessions, newest first."""
    return list(store.list_sessions(limit=limit))


def describe_summary(summary: Any) -> str:
    """One line about a stored session for lists: scenario, people, rounds played, status."""
    from datetime import datetime

    when = datetime.fromtimestamp(summary.created_at).strftime("%Y-%m-%d %H:%M")
    names = ", ".join(summary.names)
    return (f"{when}  {summary.scenario_title}  ·  {names}  ·  "
            f"{summary.rounds_ended}/{summary.rounds_total} rounds  ·  {summary.status}")


def sample_library() -> Library:
    """A small fixed library (the core's sample scenario and rubric, the built-in agreement).

    Used by tests, snapshots and benchmarks so they do not change when the real library grows.
    """
    from roleplay.content.library import Entry, Library
    from roleplay.session.samples import sample_rubric, sample_scenario

    scenario, rubric, agreement = sample_scenario(), sample_rubric(), fallback_agreement()
    return Library(
        scenarios={scenario.id: Entry(scenario, Path("sample-scenario.yaml"), "sample")},
        rubrics={rubric.id: Entry(rubric, Path("sample-rubric.yaml"), "sample")},
        agreements={agreement.id: Entry(agreement, Path("sample-agreement.yaml"), "sample")},
    )
