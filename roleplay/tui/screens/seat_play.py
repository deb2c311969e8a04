"""A round in play on one person's own device: what they see depends on the part they play.

- Speaker: the persona card with the line to say now and how to say it; the next line appears when the
  turn is confirmed. The card is drawn only here: no other device's screen ever holds it.
- Listener: in spoken mode only the timer and a calm prompt (the point is to listen, not read); in typed
  mode the speaker's line, what has been said, and the reply box.
- Observer (or, in a pair, the speaker): the rating panel and the transcript, as on one device; the first
  rater confirms each turn. A second observer rates alongside.

Pause (ctrl+p) and stop (ctrl+x) work from every device and act on the whole group.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Static

from roleplay.content.rubric import Scope
from roleplay.session.compare import confirm_turn_with_observer, observe_round_end
from roleplay.session.flow import turn_by_id
from roleplay.session.roles import Role
from roleplay.session.state import ListenerMode, RoundState
from roleplay.tui.base import Follows, RoleplayScreen
from roleplay.tui.screens.dialogs import ConfirmDialog, MoveDialog, NoteDialog
from roleplay.tui.text import heading, lines, plain, styled
from roleplay.tui.widgets.round_timer import RoundTimer, timer_text
from roleplay.tui.widgets.scoring_panel import ScoringPanel
from roleplay.tui.widgets.speaker_card import SpeakerCard
from roleplay.tui.widgets.text_input import TextInput
from roleplay.tui.widgets.transcript import Transcript, TranscriptLine


class SeatPlayScreen(Follows, RoleplayScreen):
    """One round in play, as this seat's role sees it."""

    CSS_PATH = "seat.tcss"

    BINDINGS = [
        Binding("ctrl+p", "pause", "Pause", priority=True),
        Binding("ctrl+x", "stop", "Stop round", priority=True),
        Binding("ctrl+l", "mark_move", "Listener move", priority=True),
        Binding("ctrl+n", "note", "Note", priority=True),
    ]

    def __init__(self) -> None:
        """A fresh view of the round in play."""
        super().__init__()
        self.turn_index = -1
        """The turn drawn last (-2 once the script is over), to know when a new one begins."""
        self._where = ""
        """What the status line shows now."""

    # ------------------------------------------------------------------ who am I
    @property
    def session(self) -> Any:
        """The group's session (this device's caught-up copy)."""
        return self.rp.session

    @property
    def round(self) -> RoundState:
        """The round in play."""
        current = self.session.current_round
        assert current is not None
        return current

    @property
    def me(self) -> str:
        """This seat's person."""
        return str(getattr(self.app, "me", ""))

    @property
    def role(self) -> Role | None:
        """My part this round."""
        return self.round.roles.role_of(self.me)

    @property
    def rates(self) -> bool:
        """Whether I rate the listener this round."""
        return self.me in self.round.roles.raters

    @property
    def confirms(self) -> bool:
        """Whether I confirm turns (the first rater)."""
        return self.round.roles.raters[0] == self.me

    @property
    def typed(self) -> bool:
        """Typed listener mode."""
        return self.session.config.mode == ListenerMode.typed

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Move marks and notes only for the person who rates."""
        if action in ("mark_move", "note"):
            return self.rates
        return True

    # ------------------------------------------------------------------ layout
    def compose_body(self) -> ComposeResult:
        """The status line, then the parts this role sees."""
        with Horizontal(id="seat-status"):
            yield Static(id="seat-where")
            yield RoundTimer(id="timer")
        role = self.role
        listener_spoken = role == Role.listener and not self.typed
        with Horizontal(id="seat-body"):
            if listener_spoken:
                yield Static(id="calm")
                return
            with Vertical(id="seat-left"):
                if role == Role.speaker:
                    yield SpeakerCard(id="seat-card")
                else:
                    yield Static(id="seat-line")
                    yield Transcript(id="transcript")
            if role == Role.listener or self.rates:
                with Vertical(id="seat-right"):
                    if role == Role.listener:
                        yield Label("Your response (enter sends it)")
                        yield TextInput(id="reply", max_length=20000, placeholder="Type your response…")
                    else:
                        if not self.typed and self.confirms:
                            yield Label("Jot what the listener said (optional)")
                            yield TextInput(id="jot", max_length=20000, placeholder="Their words… (enter saves)")
                        yield Static(id="seat-move")
                        rubric = self.session.rubric
                        yield ScoringPanel([c for c in rubric.criteria if c.scope == Scope.per_turn],
                                           rubric.scale, id="panel")

    def on_mount(self) -> None:
        """The speaker's card is revealed on the speaker's own device; draw; focus what this role uses."""
        if self.role == Role.speaker and not self.round.card_revealed:
            self.rp.act(self.session.reveal_card)
        self.drawn_now()
        for selector in ("#reply", "#panel"):
            found = self.query(selector)
            if found:
                found.first().focus()
                break

    # ------------------------------------------------------------------ drawing
    def redraw(self) -> None:
        """Redraw from the session (another device may have moved it on)."""
        session = self.session
        current = session.current_round
        if current is None or not current.playing or not self.query("#seat-where"):  # closing: no widgets
            return
        turn = current.current_turn
        new_turn = (turn.index if turn else -2) != self.turn_index
        self.turn_index = turn.index if turn else -2
        roles = current.roles
        self.draw_where()
        scenario_turn = turn_by_id(session.scenario, turn.turn_id) if turn else None
        for card in self.query(SpeakerCard):
            card.show(session.scenario.persona, scenario_turn, roles.speaker, revealed=True)
        for calm in self.query("#calm"):
            calm.update(lines([  # type: ignore[attr-defined]
                heading(f"Listen to {roles.speaker}"), "",
                plain("Give them your full attention. There is nothing to read: notice the words, the feelings "
                      "and what matters to them, and respond as yourself."), "",
                styled("Anyone can pause (ctrl+p) at any moment.", "dim")]))
        for line in self.query("#seat-line"):
            said = (lines([styled(f"{session.scenario.persona.name} says:", "bold"), plain(f"“{scenario_turn.line}”")])
                    if scenario_turn else styled("The script is over: the round ratings are left.", "italic"))
            if turn is not None and turn.response and self.role != Role.listener:
                said = lines([said, plain(f"{roles.listener}: {turn.response}")])
            line.update(said)  # type: ignore[attr-defined]
        for transcript in self.query(Transcript):
            transcript.show(self.transcript_lines())
        for reply in self.query("#reply, #jot").results(TextInput):
            reply.disabled = turn is None
            if new_turn:
                reply.value = (turn.response or "") if turn else ""
        for move in self.query("#seat-move"):
            marked = turn.move if turn else None
            move.update(plain(f"Listener move: {marked.replace('_', ' ')} (ctrl+l)" if marked  # type: ignore[attr-defined]
                              else "Listener move: not marked (ctrl+l; it steers the script)"))
        if self.query("#panel"):
            self.draw_panel(new_turn)
        self.tick()

    def draw_panel(self, new_turn: bool) -> None:
        """My saved ratings on the panel (per turn, or the round's once the script is over)."""
        panel = self.query_one("#panel", ScoringPanel)
        turn = self.round.current_turn
        rubric = self.session.rubric
        scope = Scope.per_turn if turn is not None else Scope.per_round
        if new_turn:
            panel.set_criteria([c for c in rubric.criteria if c.scope == scope])
        saved = turn.ratings if turn is not None else self.round.ratings
        values = {crit: e.value for (who, crit), e in saved.items() if who == self.me}
        if turn is None:
            panel.confirm_label = "end the round" if self.confirms else "done"
        else:
            panel.confirm_label = "confirm the turn" if self.confirms else "done rating"
        title = (f"{self.me} (speaker): how heard did you feel?" if not self.round.roles.observers
                 else f"Rating as {self.me} (observer)")
        panel.show_values(values, (turn.notes if turn else self.round.notes).get(self.me), title)

    def transcript_lines(self) -> list[TranscriptLine]:
        """Each confirmed turn's line and the response saved for it."""
        session = self.session
        entries: list[TranscriptLine] = []
        for turn in self.round.turns:
            if turn.confirmed_at is None:
                continue
            entries.append(TranscriptLine(session.scenario.persona.name,
                                          turn_by_id(session.scenario, turn.turn_id).line, speaker=True))
            entries.append(TranscriptLine(self.round.roles.listener, turn.response or "(spoken, not jotted)",
                                          speaker=False))
        return entries

    def draw_where(self) -> None:
        """The status line: round, turn, my part and who speaks and listens, in one line beside the timer
        (shorter words when the full ones would not fit: a wrapped line pushes the screen down)."""
        session = self.session
        current = self.round
        roles = current.roles
        k, n = session.turn_progress()
        role = self.role
        names = {Role.speaker: "speaker", Role.listener: "listener", Role.observer: "observer"}
        part = names.get(role, "watching") if role is not None else "watching"
        where = (f"Round {current.number}/{len(session.rounds)} · "
                 + (f"Turn {k}/{n}" if current.current_turn else "Script finished: round ratings")
                 + f" · You: {part}")
        room = self.app.size.width - 2 - 1 - cell_len(timer_text(session.timer()))  # padding, a gap, the timer
        full = f"{where} · Speaker {roles.speaker} · Listener {roles.listener}"
        short = f"{where} · S {roles.speaker} · L {roles.listener}"
        text = full if cell_len(full) <= room else short
        for shown in self.query("#seat-where").results(Static):  # none while the screen is closing
            if text != self._where:
                self._where = text
                shown.update(Text(text, no_wrap=True, overflow="ellipsis"))

    def on_resize(self) -> None:
        """The status line's words depend on the width."""
        if self.drawn and self.session.current_round is not None and self.session.current_round.playing:
            self.draw_where()

    def tick(self) -> None:
        """The timer (and the status line: a paused timer's words are longer)."""
        if not self.drawn:
            return
        session = self.session
        if session.current_round is not None and session.current_round.playing:
            for timer in self.query("#timer").results(RoundTimer):  # none while the screen is closing
                timer.show(session.timer())
            self.draw_where()

    # ------------------------------------------------------------------ actions
    @on(TextInput.Submitted, "#reply, #jot")
    def save_response(self, event: TextInput.Submitted) -> None:
        """Save the listener's response (or the observer's jot of it)."""
        event.stop()
        if self.round.current_turn is not None:
            self.rp.act(self.session.record_response, event.value)
        self.follow()
        if event.input.id == "jot":
            self.query_one("#panel", ScoringPanel).focus()

    @on(ScoringPanel.Rated)
    def rated(self, event: ScoringPanel.Rated) -> None:
        """Save my rating."""
        self.rp.act(self.session.rate, self.me, event.criterion_id, event.value)
        self.follow()

    @on(ScoringPanel.NoteWanted)
    def action_note(self) -> None:
        """My note on this turn, or on the whole round once the script is over."""
        turn = self.round.current_turn
        if not self.rates:
            return

        def save(text: object) -> None:
            if isinstance(text, str):
                record = self.session.record_note if turn is not None else self.session.record_round_note
                self.rp.act(record, self.me, text)
                self.follow()

        if turn is None:
            self.app.push_screen(NoteDialog(self.me, self.round.notes.get(self.me), "the whole round"), save)
        else:
            self.app.push_screen(NoteDialog(self.me, turn.notes.get(self.me)), save)

    def action_mark_move(self) -> None:
        """Mark what the listener did (steers the script)."""
        turn = self.round.current_turn
        if turn is None or not self.rates:
            return

        def mark(move: object) -> None:
            if move is not None:
                self.rp.act(self.session.mark_move, move)
                self.follow()

        self.app.push_screen(MoveDialog(turn.move), mark)

    @on(ScoringPanel.Confirmed)
    def confirmed(self) -> None:
        """The first rater confirms the turn (or, after the script, ends the round); others are done."""
        if not self.confirms:
            self.notify(f"Thank you. {self.round.roles.raters[0]} moves the round on.", markup=False)
            return
        turn = self.round.current_turn
        if turn is None:
            self.end_round()
            return
        for jot in self.query("#jot").results(TextInput):
            if jot.value and jot.value != (turn.response or ""):
                self.rp.act(self.session.record_response, jot.value)
        self.rp.act(confirm_turn_with_observer if self.typed else type(self.session).confirm_turn, self.session)
        if self.round.current_turn is None and not any(
                c.scope == Scope.per_round for c in self.session.rubric.criteria):
            self.end_round()
            return
        self.follow()

    def action_pause(self) -> None:
        """Pause the whole group; every device shows the calm pause."""
        self.rp.act(self.session.pause)
        self.app.follow()  # type: ignore[attr-defined]

    def action_stop(self) -> None:
        """Stop the round for the whole group, after a check."""
        def answer(yes: object) -> None:
            if yes:
                self.end_round()

        self.app.push_screen(ConfirmDialog("Stop this round for the whole group? Everything so far is kept."),
                             answer)

    def end_round(self) -> None:
        """End the round; every device moves to the debrief."""
        if not self.drawn:  # the app may call before on_mount has run
            return
        if self.round.playing and self.typed:
            self.rp.act(observe_round_end, self.session)
        if self.round.playing:
            self.rp.act(self.session.end_round)
        self.app.follow(force=True)  # type: ignore[attr-defined]
