"""Reading how far from the centre the traveller wants to be, and the chat slot it fills."""
from __future__ import annotations

from datetime import date

import pytest

from actions import engine_holder
from actions.extraction import read_message
from actions.reading.distance import parse_centre_km
from actions.search_state import describe_search
from actions.validation import validate_candidates

TODAY = date(2026, 11, 28)
CENTRAL = 0.8  # what the caller says "close to the centre" means (engine.yml's central_km in the chat)

READ = [
    ("within 1 km of the centre", 1.0),
    ("Within 1.5 km of the center please", 1.5),
    ("within 1,5 km of the centre", 1.5),
    ("less than 500m from downtown", 0.5),
    ("no more than 2 kilometres away from the old town", 2.0),
    ("a mile from the city centre", 1.609),
    ("one km from the centre", 1.0),
    ("1,500 m from the centre", 1.5),
    ("a 2 bedroom flat in Lisbon within 800 metres of the centre", 0.8),
    ("max 3 km to the city-center", 3.0),
    ("close to the city centre", CENTRAL),
    ("something in the centre of Porto", CENTRAL),
    ("not far from the centre", CENTRAL),
    ("somewhere central", CENTRAL),
    ("centrally located, for 2", CENTRAL),
    ("within 2 km of the centre, no, 1 km from the centre", 1.0),
]

NOT_READ = [
    "Lisbon for 4 under 150",
    "near Central Park",
    "a flat with central heating",
    "it does not need to be central",
    "don't care about being close to the centre",
    "a shopping centre nearby",  # a centre, but not the destination's
    "2 km from the beach",
    "within 1 km",
    "",
]


@pytest.mark.parametrize(("text", "km"), READ)
def test_a_distance_from_the_centre_is_read(text, km):
    assert parse_centre_km(text, CENTRAL) == pytest.approx(km)


@pytest.mark.parametrize("text", NOT_READ)
def test_other_words_are_not_a_distance_from_the_centre(text):
    assert parse_centre_km(text, CENTRAL) is None


def test_the_chat_fills_the_slot_with_engine_yml_default_when_no_distance_is_given():
    engine = engine_holder.engine()
    central = float(engine.knowledge.setting("distances", "central_km"))
    reading = read_message(engine, "a place in Lisbon close to the centre", "search", [], {}, None, TODAY)
    assert reading.candidates["centre_km"] == central
    reading = read_message(engine, "a place in Lisbon within 700 m of the centre", "search", [], {}, None, TODAY)
    assert reading.candidates["centre_km"] == pytest.approx(0.7)


def test_a_distance_of_nothing_is_asked_about():
    values, messages = validate_candidates({"centre_km": 0.0}, {}, engine_holder.engine(), TODAY)
    assert values["centre_km"] is None
    assert messages == ["0 km from the centre? How far from the centre would do (say, within 1 km)?"]


def test_the_search_is_described_with_its_distance_from_the_centre():
    slots = {"location": "Lisbon", "guests": 2, "centre_km": 1.0}
    assert describe_search(slots, engine_holder.engine()) == "in Lisbon for 2 guests within 1 km of the centre"
