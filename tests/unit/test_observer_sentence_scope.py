"""Where a cue counts and who a sentence is about, on sentences written for these tests.

Rules pinned here: an acknowledgement ("ok", "right", "sure") is a move only in a sentence of a few
words; a modal offers the person an option only when "you" is its subject or it tentatively rates a
step ("talking to her might help"); "I think..." frames an opinion, not self-disclosure; "I
understand how..." asks nothing; a question word inside a reflection phrase keeps the reflection;
shared-power words in a statement leave the choice with the person; announced summaries check
understanding; comfort, praise and support phrased in common ways are affirmation; apologies about the
chat itself are social talk.
"""

from __future__ import annotations

import pytest

from roleplay.observer import observe

SPEAKER = "My manager keeps piling on more work and I can't sleep properly any more."


# --- acknowledgements ------------------------------------------------------------------------------

@pytest.mark.parametrize("response", ["Very true.", "Ok, I see.", "Yeah.", "Right, got it."])
def test_a_short_acknowledgement_is_social_talk(response: str) -> None:
    obs = observe(response, SPEAKER)
    assert obs.label == "other"
    assert obs.signal("social") is not None


@pytest.mark.parametrize(("response", "word"), [
    ("I think there's something not right between you and him.", "right"),
    ("I'm sure after the busy season there will be more room to breathe.", "sure"),
    ("Yes, getting through this week is what matters most, because things can change after it.", "Yes"),
    ("Walking at lunch is a great way to clear your head.", "great"),
])
def test_an_acknowledgement_word_inside_a_longer_sentence_is_not_the_move(response: str, word: str) -> None:
    obs = observe(response, SPEAKER)
    assert obs.label != "other"
    social = obs.signal("social")
    assert social is None or word not in social.evidence


# --- options offered by a modal --------------------------------------------------------------------

@pytest.mark.parametrize("response", [
    "I can tell this has been weighing on you.",
    "I can definitely tell that you're exhausted by it.",
    "It would be lovely to hear how it goes.",
    "That can be a difficult situation to be in.",
    "Deep breaths can help people calm down.",
    "The new rota may have made it worse for you.",
])
def test_a_modal_whose_subject_is_not_you_offers_no_option(response: str) -> None:
    obs = observe(response, SPEAKER)
    assert obs.label != "advice"
    assert obs.signal("advice_without_permission") is None


@pytest.mark.parametrize("response", [
    "You could ask for a later shift.",
    "You really should take the evening off.",
    "Talking it through with her might help.",
    "A short walk before bed would be good for you.",
    "Writing the tasks down might be worth a try.",
    "I would start with one small conversation about the hours.",
])
def test_an_option_offered_by_a_modal_is_advice_with_its_words_as_evidence(response: str) -> None:
    obs = observe(response, SPEAKER)
    assert obs.label == "advice"
    unasked = obs.signal("advice_without_permission")
    assert unasked is not None and unasked.evidence


def test_praise_beside_an_imperative_still_flags_the_unasked_advice() -> None:
    obs = observe("That sounds like a great plan. Try to start with the mornings.", SPEAKER)
    assert obs.label == "affirmation"
    unasked = obs.signal("advice_without_permission")
    assert unasked is not None and "Try" in unasked.evidence


# --- who the sentence is about --------------------------------------------------------------------

@pytest.mark.parametrize("response", [
    "I think the new manager has a lot on her plate.",
    "I don't think the deadlines are fair on anyone.",
    "I really believe the busy season ends soon.",
])
def test_an_opinion_framed_with_i_think_is_not_self_disclosure(response: str) -> None:
    assert observe(response, SPEAKER).label != "self_disclosure"


@pytest.mark.parametrize("response", ["I had a manager like that once.", "I think I worked somewhere like that too."])
def test_the_listeners_own_story_is_still_self_disclosure(response: str) -> None:
    assert observe(response, SPEAKER).label == "self_disclosure"


# --- questions and reflections ------------------------------------------------------------------------

def test_i_understand_how_is_not_a_question_but_a_question_after_a_comma_is() -> None:
    assert not observe("I understand how tiring that is", SPEAKER).label.startswith("question")
    assert observe("I understand, how long has this been going on", SPEAKER).label == "question_open"


def test_a_question_word_inside_a_reflection_phrase_keeps_the_reflection() -> None:
    obs = observe("So what you're saying is that the extra work keeps you up at night?", SPEAKER)
    assert obs.label == "reflection"


@pytest.mark.parametrize("response", [
    "Just to make sure I understand, you feel stuck between the work and your sleep.",
    "To confirm, you'd rather wait until the busy season ends?",
    "So I can check I've got it, the extra work started last month?",
])
def test_an_announced_summary_checks_understanding(response: str) -> None:
    obs = observe(response, SPEAKER)
    assert obs.label == "reflection"
    assert obs.signal("check_understanding") is not None
    assert obs.signal("advice_without_permission") is None  # "make sure" here is not advice


def test_do_you_without_a_question_mark_is_a_question_at_any_length() -> None:
    obs = observe("Do you have anyone at work you trust who knows how the hours have crept up over the year",
                  SPEAKER)
    assert obs.label.startswith("question")


def test_shared_power_words_in_a_statement_leave_the_choice_with_the_person() -> None:
    obs = observe("Whatever you decide, I'll back you.", SPEAKER)
    assert obs.label == "affirmation"
    assert obs.signal("autonomy") is not None


# --- comfort, praise, support and social talk ------------------------------------------------------

@pytest.mark.parametrize("response", [
    "That can be really draining.",
    "It sucks that nobody warned you.",
    "That's a challenging situation for anyone.",
    "I can't even imagine how tiring that is.",
])
def test_sympathy_and_empathy_in_common_words_are_not_information(response: str) -> None:
    assert observe(response, SPEAKER).label in ("affirmation", "reflection")


@pytest.mark.parametrize("response", [
    "I'm sure something will turn up.",
    "I'm sure your evenings will feel lighter soon.",
    "Time will help.",
    "I can assure you it won't always be like this.",
    "I truly believe you have this handled.",
    "That's absolutely great.",
    "That sounds great.",
    "You're working really hard on this.",
    "It's clear you are a very good carer.",
    "I'm here to listen.",
])
def test_comfort_praise_and_support_are_affirmation(response: str) -> None:
    assert observe(response, SPEAKER).label == "affirmation"


@pytest.mark.parametrize("response", [
    "Sorry for the delay.",
    "Sorry for hitting enter twice.",
    "I'm glad I could be of some help.",
    "I hope I have been able to help.",
])
def test_talk_about_the_chat_itself_is_social(response: str) -> None:
    assert observe(response, SPEAKER).label == "other"


def test_sorrow_for_the_persons_loss_stays_sympathy() -> None:
    obs = observe("I'm sorry for your loss.", SPEAKER)
    assert obs.label == "affirmation"
    assert obs.signal("sympathy") is not None


@pytest.mark.parametrize(("response", "label"), [
    ("Hope you are feeling a bit more rested now.", "affirmation"),  # a wish, not a reflection
    ("I would feel exactly the same way.", "affirmation"),  # validation, not the listener's story
    ("The anger and the tiredness are natural feelings.", "affirmation"),
    ("Many people go through the same thing in a busy season.", "affirmation"),
    ("Your team is lucky to have you.", "affirmation"),
    ("You got this!", "affirmation"),
    ("That is a wise first step.", "affirmation"),
    ("I wish you much success with it!", "other"),
    ("I look forward to talking to you again.", "other"),
    ("Walking at lunch is a great way to clear your head.", "information"),  # a general claim, not praise
    ("I can suggest a couple of apps for that.", "advice"),
    ("I urge you to talk to your doctor.", "advice"),
])
def test_common_phrasings_of_each_move(response: str, label: str) -> None:
    assert observe(response, SPEAKER).label == label


@pytest.mark.parametrize(("response", "label"), [
    ("How about a short walk after work?", "advice"),
    ("What about asking her for one evening off?", "advice"),
    ("What about the job do you find hardest?", "question_open"),
    ("I'm good. How about you?", "question_open"),
])
def test_how_about_suggests_a_step_or_asks_about_the_person(response: str, label: str) -> None:
    assert observe(response, SPEAKER).label == label


def test_a_question_word_before_an_auxiliary_asks_whatever_the_end_mark() -> None:
    assert observe("What is keeping you up at night.", SPEAKER).label == "question_open"
    assert observe("What you said about the rota is true.", SPEAKER).label != "question_open"


def test_a_suggestion_question_after_a_reflective_opening_is_advice() -> None:
    obs = observe("Your worry makes sense, have you talked to your manager about the hours?", SPEAKER)
    assert obs.label == "advice"
    assert observe("So you're stuck between the two, aren't you?", SPEAKER).label == "reflection"


# --- two moves in one turn ---------------------------------------------------------------------------

@pytest.mark.parametrize("response", [
    "That's a brave thing to have done. What made you speak up in the end?",
    "You'll get through this. How are you sleeping now?",
])
def test_praise_or_comfort_before_a_question_frames_the_question(response: str) -> None:
    obs = observe(response, SPEAKER)
    assert obs.label == "question_open"
    assert obs.signal("affirmation") is not None or obs.signal("reassurance") is not None  # still reported


def test_praise_alone_is_still_affirmation() -> None:
    assert observe("That's a brave thing to have done.", SPEAKER).label == "affirmation"


def test_a_step_offered_from_the_listeners_own_experience_is_self_disclosure_and_still_flagged() -> None:
    obs = observe("I started walking at lunch when my job got like that, and it helped me a lot. You could try it.",
                  SPEAKER)
    assert obs.label == "self_disclosure"
    assert obs.signal("advice_without_permission") is not None
    assert observe("You could try walking at lunch.", SPEAKER).label == "advice"


@pytest.mark.parametrize(("response", "label"), [
    ("Thanks for explaining. How long has the rota been like this?", "question_open"),  # not a goodbye
    ("My name is Sam, how are you doing today?", "question_open"),
    ("Is there anything else I can help you with?", "other"),
    ("Have you heard of any apps that block work email at night?", "advice"),
    ("Another idea is a fixed finishing time on two evenings a week.", "advice"),
])
def test_social_talk_and_suggestions_in_their_usual_words(response: str, label: str) -> None:
    assert observe(response, SPEAKER).label == label


def test_a_feeling_in_a_reflective_question_is_named_even_without_you() -> None:
    obs = observe("So the rest of it feels a bit empty?", "Since the kids left home the house is so quiet.")
    assert obs.label == "reflection"
    named = obs.signal("feeling_named")
    assert named is not None and "empty" in named.evidence
    assert observe("I feel a bit empty too.", SPEAKER).signal("feeling_named") is None  # the listener's own


def test_what_led_to_a_choice_is_not_shared_power() -> None:
    assert observe("What made you decide to speak up?", SPEAKER).signal("shared_power") is None
    assert observe("What would you like to do about the hours?", SPEAKER).signal("shared_power") is not None


@pytest.mark.parametrize("response", [
    "I know it's hard, but try to get some sleep.",
    "That sounds exhausting, so take it one evening at a time.",
    "I understand, just remember to eat something.",
])
def test_an_instruction_after_a_comma_is_advice(response: str) -> None:
    obs = observe(response, SPEAKER)
    assert obs.label == "advice"
    assert obs.signal("advice_without_permission") is not None


@pytest.mark.parametrize("response", [
    "I had a job like that, and I remember how tired I was.",
    "I know, always the same story with that place.",
])
def test_a_later_clause_that_is_not_an_instruction_is_not_advice(response: str) -> None:
    assert observe(response, SPEAKER).label != "advice"


@pytest.mark.parametrize("response", [
    "My only piece of advice would be to leave the laptop at work one night a week.",
    "It's probably best to tell her before the next rota goes out.",
    "The best thing you can do is to write down what you've been asked to take on.",
])
def test_advice_announced_as_advice(response: str) -> None:
    assert observe(response, SPEAKER).label == "advice"


def test_which_continuing_a_sentence_is_not_a_question() -> None:
    obs = observe("I lie awake too. Which can happen to anyone in a busy season.", SPEAKER)
    assert not obs.label.startswith("question")


@pytest.mark.parametrize("response", [
    "I'm doing well, thanks.",
    "I hope I can help you.",
    "I'm glad I was able to talk with you.",
    "I hope that this chat has helped you.",
    "Hopefully this conversation helped a little.",
    "I hope you have a restful weekend!",
])
def test_small_talk_and_goodbyes_about_the_chat_are_social(response: str) -> None:
    assert observe(response, SPEAKER).label == "other"


def test_the_listeners_own_news_is_still_self_disclosure() -> None:
    assert observe("I'm doing a night course myself this year.", SPEAKER).label == "self_disclosure"


@pytest.mark.parametrize("response", [
    "Don't give up.",
    "Don't let it get you down.",
    "Remember you're not alone in this.",
    "Give yourself some credit.",
    "Be proud of yourself.",
])
def test_encouragement_phrased_as_an_instruction_is_affirmation(response: str) -> None:
    obs = observe(response, SPEAKER)
    assert obs.label == "affirmation"
    assert obs.signal("advice_without_permission") is None


def test_an_instruction_that_names_a_step_is_still_advice() -> None:
    assert observe("Don't let your manager add anything else until you've talked.", SPEAKER).label == "advice"
    assert observe("Be well!", SPEAKER).label == "other"


def test_do_without_a_subject_is_an_instruction_not_a_question() -> None:
    assert observe("Just do something you enjoy to switch off from it", SPEAKER).label == "advice"
    assert observe("Do your colleagues know how late you stay", SPEAKER).label.startswith("question")


def test_hopefully_alone_is_not_comfort_but_hope_for_the_person_is() -> None:
    assert observe("Hopefully the new rota comes out before Friday.", SPEAKER).signal("reassurance") is None
    assert observe("Hopefully you'll feel more rested once it's out.", SPEAKER).label == "affirmation"
    assert observe("Hopefully the new rota comes out before Friday.", SPEAKER).signal("feeling_named") is None


def test_in_a_goodbye_a_wish_is_farewell_but_confidence_in_the_person_affirms() -> None:
    assert observe("I hope things ease off at work soon. Take care!", SPEAKER).label == "other"
    assert observe("Take care. You'll get through this. I believe in you.", SPEAKER).label == "affirmation"


def test_chat_spellings_without_apostrophes_read_like_the_full_forms() -> None:
    assert observe("thats a great idea!", SPEAKER).label == observe("that's a great idea!", SPEAKER).label
    assert observe("its normal to feel drained after weeks like that", SPEAKER).label == "affirmation"
    assert observe("youre welcome, take care", SPEAKER).label == "other"


@pytest.mark.parametrize(("response", "label"), [
    ("I can feel your frustration in what you wrote.", "reflection"),
    ("I can honestly imagine how draining that is.", "reflection"),
    ("I love how you stood up for yourself there.", "affirmation"),
    ("I love hiking at weekends.", "self_disclosure"),
])
def test_what_the_listener_senses_or_values_in_the_person(response: str, label: str) -> None:
    assert observe(response, SPEAKER).label == label


@pytest.mark.parametrize(("response", "label"), [
    ("We can get through this.", "affirmation"),
    ("We're all in this together.", "affirmation"),
    ("It's only natural to feel worn down by that.", "affirmation"),
    ("Tons of people go through the same thing at work.", "affirmation"),
    ("I know how draining that can be.", "affirmation"),
    ("It can't hurt to ask for a meeting about the hours.", "advice"),
])
def test_shared_comfort_normalising_and_low_key_suggestions(response: str, label: str) -> None:
    assert observe(response, SPEAKER).label == label


@pytest.mark.parametrize("response", [
    "Did you know there are grants for carers in most areas?",
    "Are you aware that there are helplines open all night?",
])
def test_a_question_that_tells_a_fact_is_information(response: str) -> None:
    assert observe(response, SPEAKER).label == "information"


@pytest.mark.parametrize(("response", "label"), [
    ("If you ever need anything else, don't hesitate to reach out!", "other"),
    ("I'm afraid I have to go now, but take good care.", "other"),
    ("Don't feel bad about needing a break.", "affirmation"),
])
def test_offers_to_come_back_and_leaving_are_goodbyes(response: str, label: str) -> None:
    assert observe(response, SPEAKER).label == label


@pytest.mark.parametrize(("response", "label"), [
    ("You should feel really proud of how you've handled it.", "affirmation"),
    ("You shouldn't feel guilty for leaving on time.", "affirmation"),
    ("You should be fine once the busy season is over.", "affirmation"),
    ("You can make your own choices about the overtime.", "affirmation"),
    ("You should ask for the overtime to be paid.", "advice"),
])
def test_should_about_how_to_feel_comforts_but_should_about_a_step_advises(response: str, label: str) -> None:
    assert observe(response, SPEAKER).label == label


@pytest.mark.parametrize(("response", "label"), [
    ("Great job reaching out today.", "affirmation"),
    ("I think you explained yourself really well.", "affirmation"),
    ("You've already been so strong through all this.", "affirmation"),
    ("I think you're going to start feeling better soon.", "affirmation"),
    ("My heart goes out to you.", "affirmation"),
])
def test_more_everyday_praise_and_comfort(response: str, label: str) -> None:
    assert observe(response, SPEAKER).label == label


def test_steps_inside_the_listeners_own_story_are_not_advice() -> None:
    obs = observe("I remember after each shift I would take ten minutes to write down what was left.", SPEAKER)
    assert obs.label == "self_disclosure"
    assert observe("I had a manager like that, so you should talk to HR.", SPEAKER).signal("advice") is not None


def test_a_question_checking_what_was_heard_is_a_reflection() -> None:
    obs = observe("The extra hours feel endless, is that what I'm hearing?", SPEAKER)
    assert obs.label == "reflection"
    assert obs.signal("check_understanding") is not None


def test_a_bare_acknowledgement_is_lighter_than_a_sentence_that_opens_a_reflection() -> None:
    assert observe("Oh I see. Your colleagues talking about you has you feeling down.", SPEAKER).label == "reflection"
    assert observe("Wow. Your evenings have all gone to the job.", SPEAKER).label == "reflection"


def test_see_you_inside_a_sentence_is_not_a_goodbye() -> None:
    obs = observe("It sounds like they don't see you as a person with a life outside work.", SPEAKER)
    assert obs.label == "reflection"
    assert obs.signal("closing") is None
    assert observe("See you next time!", SPEAKER).label == "other"


@pytest.mark.parametrize(("response", "label"), [
    ("Sounds like a plan!", "affirmation"),
    ("A proper lunch break might do you some good.", "advice"),
    ("It might be worthwhile to ask for the rota in writing.", "advice"),
])
def test_approval_of_a_plan_and_steps_rated_as_worthwhile(response: str, label: str) -> None:
    assert observe(response, SPEAKER).label == label


def test_what_the_listener_is_sorry_to_hear_is_the_persons_situation() -> None:
    obs = observe("I'm sorry to hear you'll be on your own over the holidays.", SPEAKER)
    assert obs.signal("reassurance") is None
    assert obs.signal("sympathy") is not None


def test_could_have_looks_back_and_offers_no_step() -> None:
    obs = observe("You could have told them sooner, but that's done now.", SPEAKER)
    assert obs.label != "advice"
    assert obs.signal("advice_without_permission") is None


@pytest.mark.parametrize(("response", "label"), [
    ("That sounds horrible.", "reflection"),
    ("It's never a good idea to answer work email in bed.", "advice"),
])
def test_how_it_sounds_and_warnings(response: str, label: str) -> None:
    assert observe(response, SPEAKER).label == label


def test_dont_let_this_situation_get_to_you_encourages() -> None:
    assert observe("Don't let this situation get to you so much.", SPEAKER).label == "affirmation"


def test_what_the_listener_knows_of_the_world_is_information() -> None:
    obs = observe("From what I've read, long hours and poor sleep feed each other.", SPEAKER)
    assert obs.label == "information"
    assert observe("I've had weeks like that myself.", SPEAKER).label == "self_disclosure"


def test_a_later_clause_of_the_listeners_own_story_is_not_an_instruction() -> None:
    obs = observe("I'm a night-shift worker too, and remember dreading every rota change.", SPEAKER)
    assert obs.label == "self_disclosure"
    assert obs.signal("advice_without_permission") is None
    assert observe("I hope I've been able to give you a little perspective.", SPEAKER).label == "other"


@pytest.mark.parametrize("response", [
    "Things will slowly start to get better once the season ends.",
    "You will eventually find a job that respects your evenings.",
    "I have a good feeling about the new manager.",
    "That's so unfair of them.",
])
def test_hope_for_the_person_and_siding_with_them_are_affirmation(response: str) -> None:
    assert observe(response, SPEAKER).label == "affirmation"
