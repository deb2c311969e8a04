"""What a new user saw the observer get wrong in solo rehearsal (issue 17, third round: tmux findings and
the ratings behind the solo summary), one test each, written before the fix."""

from __future__ import annotations

from roleplay.observer import observe
from roleplay.observer.rate import CRITERION_FUNCS, minimises, to_scale
from roleplay.session.samples import sample_rubric

IN_PASSING = ("Mind you, I don't sleep great anyway. I've been going in with Mia most nights. It's easier, when "
              "he's had a drink. Safer, sort of. Anyway. The other thing is her school keep on at me about her "
              "reading.")
IN_PASSING_POINTS = ["She sleeps in her daughter's room most nights.",
                     "She says it is easier, and 'safer, sort of', when her partner has been drinking.",
                     "She moves quickly on to the school."]
KNEE = ("Knee's fine, before you ask. Well, it's not fine, but it works. I can walk the dog. Just can't play. "
        "That's kind of why I'm here, I guess. Ellie made me. No offence.")
KNEE_POINTS = ["His knee works for daily life but he can't play any more.", "That loss is the reason he's come.",
               "His partner pushed him to come."]
FOUR_LEVELS = sample_rubric().scale


def _level(check: str, obs: object) -> tuple[int, str]:
    result = CRITERION_FUNCS[check](obs)  # type: ignore[arg-type]
    assert result is not None
    return to_scale(result[0], FOUR_LEVELS), result[1]


def test_a_pounce_after_an_echo_does_not_leave_the_lead_with_the_speaker() -> None:
    obs = observe("Safer? Does he hit you?", IN_PASSING, IN_PASSING_POINTS)
    level, why = _level("speaker_led", obs)
    assert level <= 2
    assert why == "steers away from what the speaker said with a closed question ('Does he hit you?')"


def test_a_closed_question_on_the_speakers_own_words_still_follows() -> None:
    obs = observe("Safer, sort of? When he's had a drink?", IN_PASSING, IN_PASSING_POINTS)
    level, why = _level("speaker_led", obs)
    # Level 3 follows the thread; level 4 is kept for handing the lead back (issue 17, F12).
    assert level == 3 and "steers" not in why


def test_a_minimising_reply_is_below_interchangeable_on_non_judgmental_language() -> None:
    obs = observe("Lots of people would be glad of that.", "I didn't say one word out loud all weekend.")
    assert minimises(obs)
    level, why = _level("non_judgmental", obs)
    assert level <= 2 and why.startswith("minimises")


def test_a_feeling_that_is_not_the_turns_is_not_credited_at_the_surface_level() -> None:
    obs = observe("You must be furious with them.", "I've been here a month and still nobody talks to me.",
                  feelings=["lonely", "left out"])
    assert obs.feelings_matched == 0
    level, why = _level("reflect_feeling", obs)
    assert level == 2 and "not the feeling the turn is about" in why


def test_one_common_word_carries_no_key_point() -> None:
    for reply in ("It sounds like work is getting on top of you.", "So it works, sort of.",
                  "I wonder what it's like to go without it."):
        obs = observe(reply, KNEE, KNEE_POINTS)
        assert obs.key_points_captured == 0, reply


def _solo_round(replies: list[str]) -> tuple[object, str]:
    """A whole solo round of the sample scenario answered with ``replies`` (the last one repeated)."""
    from roleplay.session.solo import SoloRehearsal
    from roleplay.storage import MemorySink
    from roleplay.tui.screens.solo_summary import summary_content
    from tests.unit.test_solo_support import auto_rubric, example_scenario, fake_clock

    solo = SoloRehearsal.create("Ana", example_scenario(), auto_rubric(), MemorySink(), clock=fake_clock())
    turn, i = solo.start(), 0
    while turn is not None:
        solo.respond(replies[min(i, len(replies) - 1)])
        turn, i = solo.next(), i + 1
    summary = solo.summary()
    return summary, summary_content(summary, "New job").plain


def test_the_summary_credits_no_feeling_on_lines_where_it_was_not_the_turns() -> None:
    _, text = _solo_round(["You must be furious with them."])
    went_well = text.split("What went well", 1)[1].split("Something to try", 1)[0]
    assert "Reflecting feeling" not in went_well
    assert "furious" not in went_well


def test_the_same_reply_to_every_line_is_no_reflection_after_the_first_and_no_strength() -> None:
    reply = "It sounds like you're still on the outside there."
    _, text = _solo_round([reply])
    assert "Reflection-to-question ratio: 1 reflection and no questions" in text
    assert "Behaviours seen: complex reflections 1" in text
    assert "Adds depth" not in text.split("Something to try", 1)[0]


def test_a_repeated_reply_is_not_rated_as_taking_in_the_line() -> None:
    from roleplay.session.feedback import observation_of, observe_response
    from tests.unit.test_solo_support import auto_rubric, example_scenario

    scenario, rubric = example_scenario(), auto_rubric()
    reply = "It sounds like you're still on the outside there."
    first = observe_response(reply, scenario.turns[0], rubric)
    again = observe_response(reply, scenario.turns[1], rubric, earlier=[reply])
    assert {"reflection_simple", "reflection_complex"} & set(first.behaviours)
    assert not {"reflection_simple", "reflection_complex"} & set(again.behaviours)
    assert again.subtype is None
    obs = observation_of(again)
    for check in ("paraphrase", "empathy", "speaker_led"):
        level, why = _level(check, obs)
        assert level <= 2, (check, why)


GOING_HOME = "I don't know. I need to think about it. I should get back before he's home."


def test_the_speakers_own_words_given_back_are_not_the_listener_minimising() -> None:
    obs = observe("You say anyone could do it, but they put you on the bric-a-brac because you've got the eye for it.",
                  "It's nothing really. Anyone could do it. They just put me on the bric-a-brac.")
    assert not minimises(obs)
    assert not obs.has("reassurance")


def test_an_honest_confidentiality_statement_is_not_advice() -> None:
    obs = observe("What you tell me stays with me unless I'm worried about your safety or Mia's, and then I'd talk "
                  "to you first. What would you like to happen next?", GOING_HOME)
    assert obs.label != "advice"
    assert not obs.has("advice_without_permission")


def test_that_doesnt_sound_daft_to_me_is_not_talking_about_yourself() -> None:
    obs = observe("Someone with a good eye, someone her brother rings. That doesn't sound daft to me. It sounds like "
                  "your own words for yourself. How does it feel to say them?",
                  "Daft, isn't it. Me, with my labels. And my brother rings me when his marriage is on the rocks.")
    assert obs.label != "self_disclosure"
    assert not obs.has("self_disclosure")


def test_the_speakers_own_account_given_back_is_not_the_listener_directing() -> None:
    speaker = "I make sure she's asleep before he's back. Every night. I'm not sure she never wakes."
    obs = observe("You make sure she's asleep before he's back, night after night. That takes real care.", speaker)
    assert obs.label != "advice"
    assert not obs.has("advice_without_permission")
    assert obs.has("parroting")
    # The listener's own directive, in words the speaker did not use, is still advice.
    assert observe("Make sure you lock the door before he's back.", speaker).has("advice_without_permission")


def test_the_card_says_which_feelings_the_turn_expected() -> None:
    from roleplay.session.solo import SoloRehearsal
    from roleplay.storage import MemorySink
    from roleplay.tui.widgets.feedback_card import card_content
    from tests.unit.test_solo_support import auto_rubric, example_scenario, fake_clock

    solo = SoloRehearsal.create("Ana", example_scenario(), auto_rubric(), MemorySink(), clock=fake_clock())
    feelings = solo.start().feelings
    for reply in ("You must be furious with them.", "What happened next?"):
        text = card_content(solo.respond(reply), auto_rubric()).plain
        assert f"The speaker's feelings met: 0 of {len(feelings)}" in text
        assert f"The turn expected: {', '.join(feelings)}" in text
        solo.try_again()
