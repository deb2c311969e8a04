"""The scenario file format: a speaker persona and an ordered list of speaker turns.

A scenario is what the app plays to the speaker. Each turn carries what a trainer knows about it (key
points, feelings, pitfalls, example responses) so the observer, human or automatic, can score the
listener's response, and optional branches so the speaker reacts to what the listener did.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field

from roleplay.content.base import FileModel, LongText, Slug, Text


class Difficulty(StrEnum):
    """How demanding a scenario is for the listener."""

    intro = "intro"
    intermediate = "intermediate"
    advanced = "advanced"


class ListenerMove(StrEnum):
    """What a listener did in one response; branches and the automatic observer use the same names."""

    reflection = "reflection"
    question_open = "question_open"
    question_closed = "question_closed"
    advice = "advice"
    affirmation = "affirmation"
    self_disclosure = "self_disclosure"
    information = "information"
    reassurance = "reassurance"
    judgment = "judgment"
    change_subject = "change_subject"
    other = "other"


class Example(FileModel):
    """An example listener response with the reason it is strong or weak."""

    text: Text
    """What the listener says, in their own words."""
    reason: Text
    """One line on why this response helps or gets in the way."""


class Branch(FileModel):
    """A different next speaker line, taken when the listener responds in a given way."""

    when: ListenerMove
    """The listener move that triggers this branch, e.g. ``advice`` or ``question_closed``."""
    goto: Slug
    """The id of the turn the speaker says next when the branch is taken."""
    note: Text | None = None
    """Why the speaker reacts like this (shown to tutors in preview, never to trainees in play)."""


class Turn(FileModel):
    """One thing the speaker says, and what a trainer knows about it."""

    id: Slug
    """A short name for this turn, unique in the scenario; branches point at it."""
    line: Text
    """The words the speaker says."""
    cue: Text | None = None
    """How to say it: tone, pace, body language. Shown to the speaker only."""
    key_points: list[Text] = Field(default_factory=list)
    """The facts and concerns a good paraphrase of this line captures."""
    feelings: list[Text] = Field(default_factory=list)
    """The feelings underneath the line, named as a listener might reflect them."""
    pitfalls: list[Text] = Field(default_factory=list)
    """What a listener is tempted to do here that would not help."""
    strong_examples: list[Example] = Field(default_factory=list)
    """Responses that model the skill, each with its reason."""
    weak_examples: list[Example] = Field(default_factory=list)
    """Responses that get in the way, each with its reason."""
    branches: list[Branch] = Field(default_factory=list)
    """Different next lines for particular listener moves; the first match wins."""
    focus: str | None = None
    """The skill this turn mainly trains, named as an automatic observer check, e.g. ``shared_power``.

    See ``roleplay observe --checks``; the examples of the turn should differ on it. Without it the turn
    trains listening as a whole.
    """
    only_via_branch: bool = False
    """True when this turn is said only when a branch leads to it; linear play skips it."""
    next: Slug | None = None
    """Where play continues after this turn; default the next turn in the list that is not branch-only."""


class Persona(FileModel):
    """The speaker's role card: who they are and how to play them."""

    name: Text
    """A first name or role name for the character (fictional)."""
    age: int | None = Field(default=None, ge=10, le=110)
    """The character's age, if it matters to the story."""
    background: LongText
    """Who they are and what is going on for them, in a few sentences."""
    wants: Text
    """What they hope to get from this conversation, in their own terms."""
    how_to_play: list[Text] = Field(min_length=1)
    """Tips for the person playing the speaker: manner, what to hold back, when to open up."""


class Part(FileModel):
    """One part of a scenario, played as its own round of group practice so each listener hears new lines."""

    title: Text
    """What happens in this part, shown on the set-up screen and in records, e.g. ``The phone call``."""
    turns: list[Slug] = Field(min_length=1)
    """The ids of the turns this part plays (from the scenario's ``turns``, each in one part only), said
    in file order. Branches must stay inside the part; a ``next`` that leads to another part's turn
    rejoins this part instead (its next turn in the file, or the end of the round)."""


class Scenario(FileModel):
    """A scripted role-play: the speaker's persona, briefs for each role, and the speaker's turns."""

    kind: Literal["scenario"] = "scenario"
    """Marks this file as a scenario (optional inside a ``scenarios`` folder)."""
    id: Slug
    """A short unique name, e.g. ``lonely-after-move``; used on the command line and in records."""
    title: Text
    """The title shown in lists."""
    summary: Text
    """Two or three sentences on the situation, shown in the scenario preview."""
    tags: list[Slug] = Field(default_factory=list)
    """Topics for filtering, e.g. ``loneliness``, ``work``."""
    difficulty: Difficulty
    """``intro``, ``intermediate`` or ``advanced``."""
    minutes: int = Field(ge=1, le=120)
    """Estimated minutes for one round."""
    content_notes: list[Text] = Field(min_length=1)
    """What the material touches on, shown before play so people can choose another scenario."""
    persona: Persona
    """The speaker's role card."""
    listener_brief: Text
    """What the listener is told before the round (never the script)."""
    observer_focus: list[Text] = Field(default_factory=list)
    """What the observer should watch for in this scenario."""
    trainer_notes: LongText | None = None
    """Notes for tutors only: never shown to trainees during play."""
    turns: list[Turn] = Field(min_length=1)
    """The speaker's turns, in the order they are said."""
    parts: list[Part] = Field(default_factory=list)
    """Optional: the turns split into parts, one per round of group practice (round 1 plays part 1,
    round 2 part 2, ...), so later listeners have not already heard the script as observers. Without
    parts, each round plays a whole scenario (by default a different one)."""
