"""The speaker's role card: persona and the current line with its cue, hidden until the speaker reveals it.

The listener must not read the script, so the card starts hidden every round. Trainer notes and branch
notes are never part of the card.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.visual import VisualType
from textual.widgets import Static

from roleplay.content.scenario import Persona, Turn
from roleplay.tui.text import bullets, heading, lines, plain, styled


def card_content(persona: Persona, turn: Turn | None, speaker: str) -> VisualType:
    """The revealed card: the line to say now (with its cue), then the persona."""
    age = f", {persona.age}" if persona.age else ""
    parts: list[object] = []
    if turn is not None:
        parts += [heading("Say this now:"), plain(f"“{turn.line}”")]
        if turn.cue:
            parts.append(styled(f"How: {turn.cue}", "italic"))
        parts.append("")
    else:
        # The round is being rated with everyone looking: nothing of the persona is shown any more.
        return lines([heading("The script is over"),
                      plain("No more lines to say: the round is being rated."),
                      styled(f"({speaker} played the speaker)", "dim")])
    parts += [
        heading(f"You are {persona.name}{age}"),
        plain(persona.background),
        styled(f"You want: {persona.wants}", "italic"),
        heading("How to play"),
        bullets(persona.how_to_play),
        styled(f"({speaker} plays the speaker; ctrl+r hides this card)", "dim"),
    ]
    return lines(parts)  # type: ignore[arg-type]


class SpeakerCard(VerticalScroll, can_focus=False):
    """Shows the card when revealed, otherwise a notice asking the speaker to reveal it."""

    def compose(self) -> ComposeResult:
        """The widget's body."""
        yield Static(id="card-body")

    def show(self, persona: Persona, turn: Turn | None, speaker: str, *, revealed: bool) -> None:
        """Display the card for ``speaker``: the content when revealed, the notice otherwise."""
        body = self.query_one("#card-body", Static)
        self.set_class(not revealed, "-hidden-card")
        if revealed:
            body.update(card_content(persona, turn, speaker))
        else:
            body.update(lines([
                heading("Speaker card hidden"),
                plain(f"{speaker}: press ctrl+r to reveal your card and line when only you are looking."),
                styled("Listener and observers: please look away while the speaker reads.", "dim"),
            ]))
