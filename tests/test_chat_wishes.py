"""Wishes in the chat: what the traveller says that no slot holds re-ranks the places that say it.

Run in-process against the shipped knowledge and catalog, as a Rasa server
would run the actions (tests/rasa_trackers.py).
"""
from __future__ import annotations

import re
from datetime import date

import pytest

from actions.extraction import read_message
from actions.forms import ValidateSearchForm
from actions.reading.wishes import MAX_SHARE, MAX_WISH_WORDS, MAX_WISHES, wishes_in
from actions.search_actions import ActionApplyOffer, ActionCritique, ActionRecommend
from actions.search_state import query_from_slots
from actions.start_over import ActionStartOver
from constraints import Engine
from tests.rasa_trackers import Conversation

TODAY = date(2026, 11, 28)
RESULT_LINE = re.compile(r"^\d+\. (.+?) — ", re.M)


# in-process actions on the shipped knowledge and catalog, with today pinned (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("shipped_engine", "fixed_today")


def say(chat: Conversation, text: str, intent: str = "search", **kwargs):
    """The form reads the message; then the bot searches, as the rule after a completed form does."""
    form = chat.run(ValidateSearchForm(), text, intent, **kwargs)
    return form, chat.run(ActionRecommend(), "", intent)


def titles(text: str) -> list[str]:
    return RESULT_LINE.findall(text)


def says(engine: Engine, title: str, word: str) -> bool:
    record = next(r for r in (engine.show(i) for i in engine.catalog.ids) if r["title"] == title)
    return word in f"{record['title']} {record['description']}".lower()


# --- what a message's wishes are --------------------------------------------------------


@pytest.mark.parametrize(("text", "wishes"), [
    ("somewhere quiet", ["quiet"]),
    ("a bright modern flat in Lisbon for 2", ["bright modern"]),
    ("charming and peaceful villa with a pool in Sitges", ["charming", "peaceful"]),
    ("cosy cabin near the slopes", ["cosy"]),  # the cabin is a kind of stay; "near" is how places are said
    ("somewhere quiet with a view of the river", ["quiet"]),  # the view is the water-view amenity
    ("a quiet place in Alfama", ["quiet"]),  # Alfama is a neighbourhood
    ("quiet, sunny", ["quiet", "sunny"]),  # a comma parts two wishes
])
def test_descriptive_words_nothing_else_reads_are_the_wishes(shipped_engine, text, wishes):
    assert wishes_in(shipped_engine, text) == wishes


@pytest.mark.parametrize("text", [
    "a place in Lisbon for 4 people under 150 a night with wifi",
    "a place in Porto for 2 under 100 a night for a week from Friday",
    "we're a family of 4",  # a party, though listings say "family" too
    "over new year",
    "good for working remotely",  # a trip word: read as the trip's context, its rules apply
    "a 2 bedroom apartment with a bathtub",
    "Porto would be lovely",
    "not modern",  # a negated word is no wish
])
def test_values_common_words_and_negations_are_never_wishes(shipped_engine, text):
    assert wishes_in(shipped_engine, text) == []


def test_a_long_message_makes_few_short_wishes(shipped_engine):
    assert wishes_in(shipped_engine, "quiet " * 500) == ["quiet"]
    many = wishes_in(shipped_engine, ", ".join(["quiet", "sunny", "cosy", "bright", "modern", "stylish", "charming",
                                                "elegant", "peaceful"] * 20))
    assert many == ["quiet", "sunny", "cosy", "bright", "modern", "stylish"][:MAX_WISHES]
    assert all(len(w.split()) <= MAX_WISH_WORDS
               for w in wishes_in(shipped_engine, "quiet sunny cosy bright modern stylish charming elegant"))


def test_no_wish_is_a_word_most_listings_say(shipped_engine):
    index = shipped_engine.wishes.index
    assert index.share("bathroom") > MAX_SHARE
    assert wishes_in(shipped_engine, "bathrooms") == []


def test_the_other_readings_of_a_message_keep_their_words(shipped_engine):
    reading = read_message(shipped_engine, "somewhere quiet with a view of the river", "search", [], {}, None, TODAY)
    assert reading.candidates["wishes"] == ["quiet"]
    assert reading.candidates["amenities"] == ["water_view"]
    assert "Noted: quiet." in reading.notes


def test_a_word_a_tagged_entity_holds_is_no_wish(shipped_engine):
    entities = [{"entity": "amenity", "value": "cosy corner", "start": 7, "end": 18}]
    reading = read_message(shipped_engine, "with a cosy corner", "search", entities, {}, None, TODAY)
    assert "wishes" not in reading.candidates


def test_wishes_are_only_read_from_searches_and_answers(shipped_engine):
    for intent in ("more_like", "ask_details", "greet"):
        reading = read_message(shipped_engine, "somewhere quiet", intent, [], {}, None, TODAY)
        assert "wishes" not in reading.candidates


def test_the_answer_to_where_that_is_a_wish_is_no_place(shipped_engine):
    reading = read_message(shipped_engine, "somewhere quiet", "inform", [], {}, "location", TODAY)
    assert reading.candidates.get("wishes") == ["quiet"]
    assert "location" not in reading.candidates


# --- the slot, the search and the reply ---------------------------------------------------


def test_a_wish_after_results_reranks_without_excluding_and_is_noted_once(shipped_engine):
    chat = Conversation()
    _, plain = say(chat, "a place in Lisbon for 2")
    form, wished = say(chat, "somewhere quiet", "inform")
    assert chat.slots["wishes"] == ["quiet"]
    assert form.texts == ["Noted: quiet."]
    count = re.search(r"of (\d+) places", plain.text)
    assert count and f"of {count.group(1)} places" in wished.text  # nothing excluded
    first = titles(wished.text)[0]
    assert first not in titles(plain.text)[:1] and says(shipped_engine, first, "quiet")
    assert "Why: Your wish “quiet”: mentions quiet" in wished.text
    form, again = say(chat, "under 100 a night", "inform")
    assert chat.slots["wishes"] == ["quiet"] and not any(t.startswith("Noted") for t in form.texts)
    assert "Your wish “quiet”" in again.text and says(shipped_engine, titles(again.text)[0], "quiet")


def test_a_new_wish_adds_to_the_others_and_a_repeated_one_is_not_noted(shipped_engine):
    chat = Conversation({"location": "Lisbon", "wishes": ["quiet"]})
    form, _ = say(chat, "sunny too", "inform")
    assert chat.slots["wishes"] == ["quiet", "sunny"] and form.texts == ["Noted: sunny."]
    form, _ = say(chat, "somewhere quiet", "inform")
    assert chat.slots["wishes"] == ["quiet", "sunny"] and not form.texts


def test_the_query_carries_the_wishes(shipped_engine):
    query = query_from_slots({"location": "Lisbon", "wishes": ["quiet", "sunny"]}, shipped_engine)
    assert query.wishes == ("quiet", "sunny")
    assert query_from_slots({"location": "Lisbon"}, shipped_engine).wishes == ()


def test_forgetting_one_wish_or_all_of_them(shipped_engine):
    chat = Conversation({"location": "Lisbon", "wishes": ["quiet", "sunny"]})
    form, reply = say(chat, "forget the quiet part", "remove_constraint")
    assert chat.slots["wishes"] == ["sunny"] and "I've forgotten: quiet." in form.texts
    assert "Your wish “quiet”" not in reply.text
    form, reply = say(chat, "no more wishes", "remove_constraint")
    assert chat.slots["wishes"] == [] and "I've forgotten your wishes (sunny)." in form.texts
    assert "Your wish" not in reply.text


def test_a_removal_that_names_no_wish_keeps_them(shipped_engine):
    chat = Conversation({"location": "Lisbon", "wishes": ["quiet"], "amenities": ["pool"]})
    say(chat, "no pool needed", "remove_constraint")
    assert chat.slots["wishes"] == ["quiet"] and chat.slots["amenities"] == []


def test_wishes_are_something_to_lose_when_starting_over(shipped_engine):
    chat = Conversation({"wishes": ["quiet"]})
    turn = chat.run(ActionStartOver(), "start over maybe", "start_over", confidence=0.1)
    assert "Yes, start over" in turn.buttons  # asked first: a low-confidence start over would lose the wish


def test_a_wish_survives_the_repair_of_a_search_nothing_meets(shipped_engine):
    chat = Conversation()
    form, nothing = say(chat, "something sunny in Lisbon for 2 with a sauna under 60 a night")
    assert "Noted: sunny." in form.texts and "Nothing in Lisbon" in nothing.text
    offers = chat.slots["offers"]
    drop = next(k for k, o in enumerate(offers, 1) if "sauna" in o["label"].lower() and "without" in o["label"].lower())
    repaired = chat.run(ActionApplyOffer(), "without the sauna", "choose_offer",
                        entities=[{"entity": "ordinal", "value": str(drop)}])
    assert chat.slots["wishes"] == ["sunny"]
    first = titles(repaired.text)[0]
    assert says(shipped_engine, first, "sunny") and "Your wish “sunny”" in repaired.text


def test_more_like_this_names_what_the_two_listings_say_alike(shipped_engine):
    chat = Conversation()
    _, results = say(chat, "a place in Lisbon for 2")
    second = titles(results.text)[1]
    turn = chat.run(ActionCritique(), "more like the second one", "more_like",
                    entities=[{"entity": "ordinal", "value": "2"}])
    assert turn.text.startswith(f"More like {second}.")
    assert f"Why: Like “{second}”, it says " in turn.text
    assert second not in titles(turn.text)
