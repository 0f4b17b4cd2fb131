"""'I don't know X' only for words clearly meant as a place or an amenity.

Issue 16: ordinary words were read as unknown places or amenities ("So please
find me a house" -> "I don't know 'So'"), and an answer to another question
("2 of us" when asked where) was taken for a place. NLU tags are simulated the
way DIET produced them in those conversations.
"""
from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from actions import engine_holder
from actions.extraction import read_message
from actions.reading.mentions import all_common_words
from actions.validation import check_location

TODAY = date(2026, 11, 28)


def tag(text: str, entity: str, value: str) -> dict[str, Any]:
    start = text.index(value)
    return {"entity": entity, "value": value, "start": start, "end": start + len(value)}


def read(text: str, intent: str = "search", entities: list[dict[str, Any]] | None = None,
         requested: str | None = None, slots: dict[str, Any] | None = None) -> dict[str, Any]:
    return read_message(engine_holder.engine(), text, intent, entities or [], slots or {}, requested, TODAY).candidates


NOT_A_PLACE = [  # (message, the word DIET tagged as a place)
    ("So please find me a house with laundry service", "So"),
    ("so please find me a house with laundry service", "so"),
    ("Well, something nice for the weekend", "Well"),
    ("a semi high rating", "semi high"),
    ("Hi! Looking for a place", "Hi"),
]


@pytest.mark.parametrize("text, tagged", NOT_A_PLACE)
def test_a_common_word_tagged_as_a_place_is_not_questioned(text: str, tagged: str) -> None:
    assert "location" not in read(text, entities=[tag(text, "location", tagged)])


@pytest.mark.parametrize("text, tagged", [
    ("a 4.4 rating or higher", "higher"),
    ("something better please", "better"),
    ("a really nice place", "really"),
])
def test_a_common_word_tagged_as_an_amenity_is_not_questioned(text: str, tagged: str) -> None:
    found = read(text, intent="inform", entities=[tag(text, "amenity", tagged)])
    assert tagged not in (found.get("amenities") or [])


def test_the_rating_is_still_read_when_higher_is_dropped() -> None:
    text = "a 4.4 rating or higher"
    assert read(text, intent="inform", entities=[tag(text, "amenity", "higher")])["min_rating"] == 4.4


def test_an_answer_to_another_question_is_kept_and_the_place_asked_again() -> None:
    found = read("2 of us", intent="inform", requested="location")
    assert found.get("guests") == 2.0 and "location" not in found


@pytest.mark.parametrize("text", ["under 150 a night", "from March 4 for 3 nights", "4 stars or more"])
def test_other_answers_to_where_are_not_places(text: str) -> None:
    assert "location" not in read(text, intent="inform", requested="location")


# --- what must still be questioned or read -----------------------------------------------

def test_a_real_place_answer_is_read() -> None:
    said = read("lisbon", intent="inform", requested="location")["location"]
    assert check_location(said, engine_holder.engine()).value == "Lisbon"


def test_a_name_clearly_meant_as_a_place_is_still_questioned() -> None:
    assert read("a place in Atlantis please")["location"] == "Atlantis"


def test_an_unknown_answer_to_where_is_still_questioned() -> None:
    assert read("Atlantis", intent="inform", requested="location")["location"] == "Atlantis"


def test_a_tagged_place_we_know_is_kept() -> None:
    text = "a flat in Porto for 2"
    assert read(text, entities=[tag(text, "location", "Porto")])["location"] == "Porto"


def test_an_unknown_wish_is_still_questioned() -> None:
    assert read("with a helipad", intent="inform")["amenities"] == ["helipad"]


@pytest.mark.parametrize("text, common", [
    ("So", True), ("semi high", True), ("higher", True), ("so please", True), ("Atlantis", False),
    ("2 of us", True), ("Rio de Janeiro", False), ("", True),
])
def test_common_words(text: str, common: bool) -> None:
    assert all_common_words(text) is common


# --- an unknown place loses nothing -----------------------------------------------------

def test_a_region_of_the_place_searched_confirms_it() -> None:
    checked = check_location("New South Wales", engine_holder.engine(), current="Sydney")
    assert checked.value == "Sydney" and checked.message is None


def test_a_region_said_first_offers_the_destinations_there() -> None:
    checked = check_location("New South Wales", engine_holder.engine())
    assert checked.value is None
    assert "in Australia" in checked.message and "Sydney" in checked.message and "Lisbon" not in checked.message


def test_an_unknown_place_keeps_the_place_the_search_has() -> None:
    checked = check_location("Atlantis", engine_holder.engine(), current="Porto")
    assert checked.value == "Porto" and "I don't know 'Atlantis'" in checked.message
