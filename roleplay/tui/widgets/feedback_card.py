"""The solo feedback card: what the automatic observer found in one response, evidence highlighted.

The user's own words are shown as plain text; the evidence the observer found (key points captured,
feelings named, flagged words) is styled by character offsets (:class:`Span`), never by markup, so
whatever the user typed (``[bold]`` included) is shown exactly as typed.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from roleplay.content.rubric import Rubric
from roleplay.session.feedback_card import Feedback, Span
from roleplay.session.solo import Difference
from roleplay.tui.text import heading, lines, plain, styled

#: Styles of the three kinds of evidence in the user's response (the legend names them).
CAPTURED = "bold underline $success"
FEELING = "bold italic $accent"
FLAGGED = "bold $error"

LABELS = {
    "reflection": "Reflection", "question_open": "Open question", "question_closed": "Closed question",
    "advice": "Advice", "affirmation": "Affirmation", "self_disclosure": "Talking about yourself",
    "information": "Information", "judgment": "Judgment", "reassurance": "Reassurance", "other": "Something else",
}


def label_text(label: str, subtype: str | None) -> str:
    """The observer's label in words, e.g. ``Reflection (complex)``."""
    name = LABELS.get(label, label.replace("_", " ").capitalize())
    return f"{name} ({subtype.replace('_', ' ')})" if subtype else name


def highlight(text: str, marks: Sequence[tuple[Span, str]]) -> Content:
    """``text`` as plain content with each span styled (later marks drawn over earlier ones)."""
    content = Content(text)
    for span, style in marks:
        if 0 <= span.start < span.end <= len(text):
            content = content.stylize(style, span.start, span.end)
    return content


def quoted(spans: Sequence[Span], style: str) -> Content:
    """The evidence words, each in quotes and styled, joined with commas."""
    return Content(", ").join(Content.assemble("“", Content.styled(s.text, style), "”") for s in spans)


def response_content(card: Feedback) -> Content:
    """The response with every piece of evidence highlighted."""
    marks: list[tuple[Span, str]] = [(s, CAPTURED) for k in card.captured for s in k.evidence]
    marks += [(s, FEELING) for s in card.feelings_named]
    marks += [(s, FLAGGED) for f in card.flags for s in f.evidence]
    return highlight(card.response, marks)


def earlier_parts(earlier: Sequence[Feedback], names: dict[str, str]) -> list[Content | str]:
    """Earlier attempts at the line: kept and shown, never counted."""
    parts: list[Content | str] = []
    for old in earlier:
        ratings = ", ".join(f"{names.get(s.criterion_id, s.criterion_id)} {s.value}" for s in old.suggestions)
        parts += ["", heading(f"Attempt {old.attempt} (kept, not counted) · {label_text(old.label, old.subtype)}"),
                  response_content(old),
                  plain(f"Key points {len(old.captured)} of {len(old.key_points)}; "
                        f"feelings {old.feelings_matched} of {old.feelings_total}; {ratings or 'no ratings'}")]
    return parts


def feelings_heading(card: Feedback) -> str:
    """The feelings heading: how many of the turn's feelings the reply met, in plain words."""
    if not card.feelings_total:
        return "Feelings named (the turn lists none)"
    return f"The speaker's feelings met: {card.feelings_matched} of {card.feelings_total}"


def card_content(card: Feedback, rubric: Rubric, differences: Sequence[Difference] = (),
                 earlier: Sequence[Feedback] = ()) -> Content:
    """The whole card as text (see the module notes)."""
    names = {c.id: c.name for c in rubric.criteria}
    scale = {lv.value: lv.label for lv in rubric.scale}
    parts: list[Content | str] = [
        heading(f"Attempt {card.attempt} · {label_text(card.label, card.subtype)}"
                f" · confidence {card.confidence:.0%}"),
    ]
    if card.length_note:
        parts.append(styled(card.length_note, "dim"))
    parts.append(Content.assemble(styled("You said: ", "bold"), response_content(card)))
    parts.append(Content.assemble(
        styled("key point", CAPTURED), "  ", styled("feeling", FEELING), "  ", styled("flag", FLAGGED)))
    parts += ["", heading(f"Key points: {len(card.captured)} of {len(card.key_points)} captured")]
    for point in card.key_points:
        if point.captured:
            line = Content.assemble(styled("✓ ", "bold $success"), plain(point.point))
            if point.evidence:
                line = Content.assemble(line, " — ", quoted(point.evidence, CAPTURED))
        elif not point.sure:  # weak evidence by meaning: say so rather than claim it either way
            line = Content.assemble(styled("? ", "bold $warning"), plain(point.point), styled(" (not sure)", "dim"))
            if point.evidence:
                line = Content.assemble(line, " — ", quoted(point.evidence, CAPTURED))
        else:
            line = Content.assemble(styled("✗ ", "bold $warning"), plain(point.point), styled(" (missed)", "dim"))
        parts.append(line)
    if not card.key_points:
        parts.append(plain("This line lists no key points."))
    parts += ["", heading(feelings_heading(card))]
    if card.feelings_named:
        # A feeling named that is none of the turn's is still shown, and said to be none of them.
        other = card.feelings_total and not card.feelings_matched
        parts.append(Content.assemble(plain("You named: "), quoted(card.feelings_named, FEELING),
                                      styled(" (not one of the speaker's feelings here)", "dim") if other else ""))
    else:
        parts.append(plain("No feeling words."))
    if card.feelings_expected:
        parts.append(Content.assemble(styled("The turn expected: ", "dim"), *[
            Content.assemble(plain(", ") if i else "", styled(f"✓ {f}", FEELING) if hit else plain(f))
            for i, (f, hit) in enumerate(card.feelings_expected)]))
    if card.flags:
        parts += ["", heading("Watch out")]
        for flag in card.flags:
            line = Content.assemble(styled("! ", "bold $error"), plain(flag.message))
            if flag.evidence:
                line = Content.assemble(line, " — ", quoted(flag.evidence, FLAGGED))
            parts.append(line)
    parts += ["", heading("The observer's ratings")]
    for s in card.suggestions:
        level = scale.get(s.value, "")
        parts.append(Content.assemble(styled(f"{names.get(s.criterion_id, s.criterion_id)} {s.value}", "bold"),
                                      plain(f" {level}: {s.reason}" if level else f": {s.reason}")))
    if not card.suggestions:
        parts.append(plain("No automatic ratings for this rubric."))
    rated = [d for d in differences if d.self_value is not None]
    if rated:
        parts += ["", heading("You and the observer")]
        for d in rated:
            if d.auto_value is None:
                parts.append(plain(f"{d.name}: you {d.self_value}, observer –"))
            elif d.differs:
                word = "higher" if (d.gap or 0) > 0 else "lower"
                parts.append(styled(f"≠ {d.name}: you {d.self_value}, observer {d.auto_value} "
                                    f"(you rated yourself {abs(d.gap or 0)} {word})", "$warning"))
            else:
                parts.append(plain(f"= {d.name}: you both gave {d.self_value}"))
    parts += ["", styled(f"Move detected: {card.move_reason}", "italic")]
    if card.branched:
        parts.append(styled("The speaker's next line follows from this (a branch).", "bold $warning"))
    if card.examples:
        parts += ["", heading("Strong responses to this line")]
        for example in card.examples:
            parts.append(plain(f"• {example.text}"))
            parts.append(styled(f"  {example.reason}", "dim italic"))
    parts += earlier_parts(earlier, names)
    return lines(parts)


#: The cue in the card's bottom edge while more of it lies below (or above) what is shown.
MORE_BELOW = "▼ more below: PgDn"
MORE_ABOVE = "▲ PgUp back to the top"


class FeedbackCard(VerticalScroll):
    """The scrolling card; :meth:`show` replaces its content.

    A card often runs past the bottom of the screen (the example responses come last), so its bottom
    edge says when there is more below and which key reads on (the play screen binds PgUp/PgDn to the
    card wherever focus is).
    """

    DEFAULT_CSS = """
    FeedbackCard {
        height: 1fr;
        padding: 0 1;
        border-bottom: hkey $primary 50%;
        border-subtitle-align: right;
        border-subtitle-style: bold;
        border-subtitle-color: $warning;
    }
    FeedbackCard:focus { border-bottom: heavy $accent; }
    """

    def compose(self) -> ComposeResult:
        """The card's body."""
        yield Static("Type your response and press enter: the observer's feedback appears here.",
                     id="feedback-body")

    def on_mount(self) -> None:
        """Keep the cue up to date as the card scrolls or its content changes size."""
        self.watch(self, "scroll_y", self._update_cue, init=False)
        self.watch(self, "virtual_size", self._update_cue, init=False)

    def on_resize(self) -> None:
        """A new size may hide or show the end of the card."""
        self._update_cue()

    @property
    def more_below(self) -> bool:
        """Whether part of the card lies below what is shown."""
        return self.max_scroll_y - self.scroll_y >= 1

    def _update_cue(self, *_: object) -> None:
        if self.more_below:
            self.border_subtitle = MORE_BELOW
        elif self.scroll_y >= 1:
            self.border_subtitle = MORE_ABOVE
        else:
            self.border_subtitle = ""

    def show(self, card: Feedback | None, rubric: Rubric, differences: Sequence[Difference] = (),
             earlier: Sequence[Feedback] = (), waiting: str | None = None) -> None:
        """Display one card (None: the ``waiting`` hint), the self/observer differences, earlier attempts."""
        body = self.query_one("#feedback-body", Static)
        if card is None:
            hint = waiting or "Type your response and press enter: the observer's feedback appears here."
            names = {c.id: c.name for c in rubric.criteria}
            body.update(lines([plain(hint), *earlier_parts(earlier, names)]))
        else:
            body.update(card_content(card, rubric, differences, earlier))
        self.call_after_refresh(self._update_cue)
