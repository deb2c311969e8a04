"""The app's header: Textual's Header, with a title update that is safe while a screen is torn down.

Textual's Header updates its title from watchers on the app's and the screen's title; the update looks
its title child up with ``query_one`` and only expects ``NoScreen``. A class seat's screens are closed
from outside (another device moved the group on, a browser tab closed), so a watcher can run after the
title child was removed, or before it was mounted: ``NoMatches 'HeaderTitle'`` then ended the app.
Here the update draws into whatever title child is there, and nothing when there is none or the header
is no longer on a screen.
"""

from __future__ import annotations

from textual import events
from textual.css.query import NoMatches
from textual.dom import NoScreen
from textual.widget import Widget
from textual.widgets import Header
from textual.widgets._header import HeaderTitle


class RoleplayHeader(Header):
    """Textual's Header whose title updates never fail during teardown."""

    def _on_mount(self, event: events.Mount) -> None:
        # Header's own mount handler registers the unsafe updater: it is replaced, not added to.
        event.prevent_default()
        Widget._on_mount(self, event)
        self.watch(self.app, "title", self._set_title)
        self.watch(self.app, "sub_title", self._set_title)
        self.watch(self.screen, "title", self._set_title)
        self.watch(self.screen, "sub_title", self._set_title)

    def _set_title(self) -> None:
        """Show the current title, if the header still has its title child on a screen."""
        if not self.is_attached or self._closing or self._closed:
            return
        try:
            for title in self.query(HeaderTitle):
                title.update(self.format_title())
        except (NoScreen, NoMatches):
            return  # torn down between the check and the update
