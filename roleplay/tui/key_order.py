"""Keys handled one at a time, in the order they were typed: the base of every roleplay app.

Textual routes each key to the widget focused when the key is *read*, but most bindings (tab, a screen's
"g") act only once the key has bubbled back up to the app. In a burst ("g", "Ana", tab, "Ben") the later
keys were already routed to the old focus. So keys are handled one at a time: the next is routed only when
the previous one has finished (stopped by a widget or back at the app), and keys wait while a newly pushed
screen is still being built.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App


class KeysInOrderApp(App[None]):
    """An app that routes each key typed only after the previous one has taken effect."""

    def __init__(self) -> None:
        """No keys held yet."""
        super().__init__()
        self._held_keys: list[events.Key] = []
        self._key_busy = False

    async def on_event(self, event: events.Event) -> None:
        """Queue keys read from the terminal so each is routed after the previous one took effect."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            self._held_keys.append(event)
            if not self._key_busy:
                await self._release_keys()
            return
        await super().on_event(event)

    async def _release_keys(self) -> None:
        """Route held keys in order, pausing while one is in flight or the screen is not mounted."""
        while self._held_keys and not self._key_busy:
            if not self.screen_stack:  # shutting down: nothing left to type into
                self._held_keys.clear()
                return
            screen = self.screen
            if not screen.is_mounted:
                self._key_busy = True
                self.run_worker(self._release_when_mounted(screen), group="held-keys")
                return
            event = self._held_keys.pop(0)
            before_key = getattr(screen, "before_key", None)
            if before_key is not None:  # a screen may react to every key first (the play screen's card)
                before_key(event)
            await super().on_event(event)
            if event.is_forwarded and not event._stop_propagation:
                target = self.focused or screen  # where super() just forwarded it
                self._key_busy = True
                if not target.call_later(self._follow_key, event, target):
                    self._key_busy = False

    async def _release_when_mounted(self, screen: Any) -> None:
        await screen._mounted_event.wait()
        self._key_busy = False
        self.call_later(self._release_keys)

    def _follow_key(self, event: events.Key, node: Any) -> None:
        """Runs in ``node``'s queue just after ``node`` handled ``event``: follow it up or finish."""
        parent = None if event._stop_propagation or node is self else node._parent
        if parent is None or not parent.call_later(self._follow_key, event, parent):
            self._key_busy = False
            self.call_later(self._release_keys)
