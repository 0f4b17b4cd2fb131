"""A message the intent classifier is unsure of still states a trip when it names one.

What a traveller notices: "Kuala Lumpur" or "I'll be in SD." gets places, not
"Sorry, I didn't catch that"; "FIREPLACE PLEASE IT'S COLD" is read as a
must-have; but "Reading is fun" is small talk and "book me a flight to Paris"
stays out of scope. The NLU component (rasa_project/addons/trip_rescue.py) is
tested here on Rasa messages, without a trained model.
"""
from __future__ import annotations

import pytest

from constraints import Engine
from constraints.phrases import load_phrases
from constraints.trip_mentions import TripMentions, place_words, trip_mentions


@pytest.fixture(scope="module")
def shipped() -> Engine:
    return Engine.load()


@pytest.fixture(scope="module")
def mentions(shipped: Engine):
    words = place_words(load_phrases(shipped.knowledge.directory))

    def read(text: str) -> TripMentions:
        return trip_mentions(text, shipped.normaliser, words)
    return read


@pytest.mark.parametrize("text, place, in_catalog", [
    ("Kuala Lumpur", "Kuala Lumpur", False),
    ("I'm going to Porto.", "Porto", True),
    ("we r going to rio de janeiro", "Rio de Janeiro", True),
    ("I'll be in SD.", "San Diego", False),
    ("Nairobi please", "Nairobi", False),
])
def test_a_named_place_is_found_with_where_it_was_said(mentions, text: str, place: str, in_catalog: bool) -> None:
    found = mentions(text)
    assert found and found.places, text
    span = found.places[-1]
    assert place.lower() in span.value.lower()
    assert span.in_catalog is in_catalog
    assert text[span.start:span.end] == span.text


def test_a_shouted_wish_is_an_amenity_not_a_place(mentions) -> None:
    found = mentions("FIREPLACE PLEASE IT'S COLD")
    assert found.amenities and not found.places


@pytest.mark.parametrize("text", ["Reading is fun", "That sounds nice", "ok thanks", "so what now"])
def test_common_words_name_no_trip(mentions, text: str) -> None:
    assert not mentions(text), text


def test_a_place_with_other_words_is_not_only_a_place(mentions) -> None:
    assert not mentions("book me a flight to Paris").only_places
    assert mentions("Kuala Lumpur please").only_places


# --- the NLU component on Rasa messages -------------------------------------------------

rasa = pytest.importorskip("rasa")


def _message(text: str, intent: str, entities: list[dict] | None = None, confidence: float = 0.2):
    from rasa.shared.nlu.training_data.message import Message
    return Message(data={"text": text, "intent": {"name": intent, "confidence": confidence},
                         "entities": entities or []})


@pytest.fixture(scope="module")
def rescue():
    from addons.trip_rescue import TripRescue
    return TripRescue({})


def test_an_unsure_message_naming_a_place_becomes_a_search_with_its_place(rescue) -> None:
    [message] = rescue.process([_message("I'll be in SD.", "nlu_fallback")])
    assert message.get("intent")["name"] == "search"
    assert message.get("rescued_from") == "nlu_fallback"
    [location] = [e for e in message.get("entities") if e["entity"] == "location"]
    assert location["value"] == "SD"


def test_an_unsure_message_naming_only_a_must_have_becomes_inform(rescue) -> None:
    [message] = rescue.process([_message("FIREPLACE PLEASE IT'S COLD", "nlu_fallback")])
    assert message.get("intent")["name"] == "inform"


def test_out_of_scope_is_kept_unless_the_message_is_only_a_place(rescue) -> None:
    flight, place = rescue.process([_message("book me a flight to Paris", "out_of_scope"),
                                    _message("Kuala Lumpur please", "out_of_scope")])
    assert flight.get("intent")["name"] == "out_of_scope"
    assert place.get("intent")["name"] == "search"


def test_an_entity_already_tagged_is_not_doubled(rescue) -> None:
    tagged = {"entity": "location", "start": 12, "end": 17, "value": "Porto"}
    [message] = rescue.process([_message("I'm going to Porto.", "nlu_fallback", [tagged])])
    assert [e for e in message.get("entities") if e["entity"] == "location"] == [tagged]


def test_small_talk_is_left_to_the_fallback(rescue) -> None:
    [message] = rescue.process([_message("Reading is fun", "nlu_fallback")])
    assert message.get("intent")["name"] == "nlu_fallback"


@pytest.mark.parametrize("text", ["four hikers", "I'm planning to check out on the 12th.", "me plus my partner"])
def test_an_unsure_message_stating_a_party_or_dates_becomes_inform(rescue, text: str) -> None:
    [message] = rescue.process([_message(text, "nlu_fallback")])
    assert message.get("intent")["name"] == "inform", text


def test_out_of_scope_stating_dates_without_a_place_is_an_answer(rescue) -> None:
    dates, flight = rescue.process([_message("We'd like to arrive tomorrow.", "out_of_scope"),
                                    _message("book me a flight to Paris tomorrow", "out_of_scope")])
    assert dates.get("intent")["name"] == "inform"
    assert flight.get("intent")["name"] == "out_of_scope"


def test_a_lower_case_place_after_a_place_word_is_a_place(mentions) -> None:
    found = mentions("we're off to long beach, ca.")
    assert found.only_places and "Long Beach" in found.places[-1].value


@pytest.mark.parametrize("text", ["what's the weather like tomorrow", "where should we eat tonight"])
def test_out_of_scope_for_sure_stays_out_of_scope_whatever_dates_it_names(rescue, text: str) -> None:
    [message] = rescue.process([_message(text, "out_of_scope", confidence=0.95)])
    assert message.get("intent")["name"] == "out_of_scope"


def test_a_common_noun_that_is_also_a_town_is_no_place(mentions) -> None:
    assert not mentions("how do i get to the airport").places


@pytest.mark.parametrize("text", ["the 12th is when we have to leave", "we go home on the 9th",
                                  "checkout is the 3rd for us"])
def test_a_day_to_leave_is_a_stay_however_sure_out_of_scope_was(rescue, text: str) -> None:
    [message] = rescue.process([_message(text, "out_of_scope", confidence=0.95)])
    assert message.get("intent")["name"] == "inform", text


def test_an_unsure_start_over_that_states_dates_changes_them_instead(rescue) -> None:
    dates, sure, bare = rescue.process([_message("redo it from the 6th of april instead", "start_over", confidence=0.5),
                                        _message("start over from the 6th", "start_over", confidence=0.97),
                                        _message("let's begin again", "start_over", confidence=0.5)])
    assert dates.get("intent")["name"] == "inform"
    assert sure.get("intent")["name"] == "start_over"  # sure enough: action_start_over forgets the search
    assert bare.get("intent")["name"] == "start_over"  # nothing to change: action_start_over asks


@pytest.mark.parametrize("text, intent, becomes", [
    ("three travellers", "thanks", "inform"), ("five of us", "affirm", "inform"),
    ("hi, Porto for 2", "greet", "search"), ("thanks!", "thanks", "thanks"), ("yes please", "affirm", "affirm"),
    ("we're a group of five in the end", "ask_details", "inform"),
    ("details of the 2nd one", "ask_details", "ask_details"),
    ("tell me more about number 3", "ask_details", "ask_details")])
def test_unsure_factless_intents_that_state_a_trip_are_the_answer_they_are(rescue, text: str, intent: str,
                                                                          becomes: str) -> None:
    [message] = rescue.process([_message(text, intent, confidence=0.6)])
    assert message.get("intent")["name"] == becomes, text


def test_an_unsure_factless_message_the_extractor_tagged_as_a_party_is_inform(rescue) -> None:
    party = {"entity": "guests", "start": 0, "end": 5, "value": "Three"}
    tagged, untagged = rescue.process([_message("Three.", "thanks", [party], confidence=0.34),
                                       _message("Three.", "thanks", confidence=0.34)])
    assert tagged.get("intent")["name"] == "inform"
    assert untagged.get("intent")["name"] == "thanks"


def test_sure_small_talk_is_left_alone(rescue) -> None:
    [message] = rescue.process([_message("thanks, two of us loved it", "thanks", confidence=0.95)])
    assert message.get("intent")["name"] == "thanks"


def test_an_unclear_message_naming_one_lower_case_place_is_a_search(rescue) -> None:
    [message] = rescue.process([_message("I'll be in sacramento.", "nlu_fallback")])
    assert message.get("intent")["name"] == "search"
    assert [e["value"] for e in message.get("entities") if e["entity"] == "location"] == ["sacramento"]


def test_one_lower_case_word_after_a_place_word_is_no_place_in_a_clear_message(mentions) -> None:
    assert not mentions("I'll be in sacramento.").places
    assert not mentions("how do i get to the airport").places


@pytest.mark.parametrize("text, intent, becomes", [
    ("For four people thanks.", "thanks", "inform"),
    ("No, make that three people.", "deny", "inform"),
    ("Anything else? We're four people.", "show_more", "inform"),
    ("Got anything else for three of us?", "different_place", "inform"),
    ("Yes, from the 2nd to the 5th", "affirm", "inform"),
    ("No, move the check-in to the 2nd of this month and check-out to the 9th.",
     "ask_details", "inform"),
    # what they say themselves: no facts, a closing that opens the message, a details request
    ("No, just search.", "deny", "deny"), ("show me more", "show_more", "show_more"),
    ("thanks, two of us loved it", "thanks", "thanks"), ("details of the 2nd one", "ask_details", "ask_details"),
])
def test_a_sure_intent_whose_action_ignores_trip_facts_is_inform_when_it_states_some(
        rescue, text: str, intent: str, becomes: str) -> None:
    [message] = rescue.process([_message(text, intent, confidence=0.95)])
    assert message.get("intent")["name"] == becomes, text


@pytest.mark.parametrize("text, intent, confidence, becomes", [
    ("Yes, we'll be getting in then.", "out_of_scope", 0.6, "affirm"),
    ("ok, that's when we land", "nlu_fallback", 0.3, "affirm"),
    ("yes, and what's the weather like there", "out_of_scope", 0.95, "out_of_scope"),  # sure: left alone
    ("Reading is fun", "nlu_fallback", 0.3, "nlu_fallback"),  # no yes
])
def test_an_unclear_message_opening_with_a_yes_answers_the_bot(rescue, text: str, intent: str, confidence: float,
                                                              becomes: str) -> None:
    [message] = rescue.process([_message(text, intent, confidence=confidence)])
    assert message.get("intent")["name"] == becomes, text


@pytest.mark.parametrize("text, intent, becomes", [
    ("Tell me about other houses, we are 2 people", "ask_details", "inform"),
    ("Got other places? It's for 1 person and a rating of 4.5 at least", "ask_details", "inform"),
    ("any other flats you'd suggest? we need it for 4 people", "choose_offer", "inform"),
    ("is the first one ok for 4 people?", "ask_details", "ask_details"),  # it points at one
    ("the last one for 2 people", "choose_offer", "choose_offer"),
    ("tell me more about that house", "ask_details", "ask_details"),  # no party
])
def test_details_or_a_choice_pointing_at_nothing_that_says_the_party_is_inform(rescue, text: str, intent: str,
                                                                             becomes: str) -> None:
    [message] = rescue.process([_message(text, intent, confidence=0.95)])
    assert message.get("intent")["name"] == becomes, text


def test_an_unsure_more_like_naming_a_place_is_a_search(rescue) -> None:
    [message] = rescue.process([_message("I quite fancy the idea of Lisbon", "more_like", confidence=0.48)])
    assert message.get("intent")["name"] == "search"


def test_a_place_in_a_no_is_not_searched_for(rescue) -> None:
    [message] = rescue.process([_message("no, not Porto, we are 3", "deny", confidence=0.95)])
    assert message.get("intent")["name"] == "inform"
    assert not [e for e in message.get("entities") if e["entity"] == "location"]
