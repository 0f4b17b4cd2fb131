"""Distance to the centre in the chat, in-process: read from the message, searched, widened by a click.

The same conversation as tests/conversations/centre_within_a_km.yml, without
the NLU model: the form reads the message, the recommend action searches and
offers repairs, accepting one sets the slot it names. Distances are checked
against locations.yml's point, not the engine's own arithmetic.
"""
from __future__ import annotations

import pytest

from actions import engine_holder
from actions.forms import ValidateSearchForm
from actions.search_actions import ActionApplyOffer, ActionRecommend
from tests.engine_oracle import haversine
from tests.rasa_trackers import Conversation

# in-process actions on the shipped knowledge and catalog, with today pinned (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("shipped_engine", "fixed_today")


def km_from_centre(property_id: str) -> float:
    engine = engine_holder.engine()
    record = engine.show(property_id)
    centre = engine.knowledge.destinations[record["location"]]
    return haversine(record["latitude"], record["longitude"], centre.latitude, centre.longitude)


def test_nothing_that_close_offers_a_wider_radius_and_taking_it_keeps_the_rest():
    chat = Conversation()
    chat.run(ValidateSearchForm(), "a place in Lisbon for 6 people within 500 m of the centre", "search", (), None)
    assert chat.slots["centre_km"] == 0.5
    assert chat.slots["guests"] == 6
    turn = chat.run(ActionRecommend(), "", "search")
    assert turn.text.startswith("Nothing in Lisbon within 0.5 km of the centre")
    assert any(b.startswith("Within 1 km of the centre instead of 0.5 km — ") for b in turn.buttons)
    labels = [o["label"] for o in chat.slots["offers"]]
    ordinal = next(k for k, label in enumerate(labels, start=1) if label.startswith("Within 1 km of the centre"))
    chat.run(ActionApplyOffer(), "that one", "choose_offer", [{"entity": "ordinal", "value": str(ordinal)}])
    assert chat.slots["centre_km"] == 1.0
    assert chat.slots["guests"] == 6
    assert chat.slots["shown"]
    for property_id in chat.slots["shown"]:
        assert km_from_centre(property_id) <= 1.0
        assert engine_holder.engine().show(property_id)["accommodates"] >= 6


def test_close_to_the_centre_without_a_number_is_engine_yml_central_km():
    chat = Conversation()
    chat.run(ValidateSearchForm(), "a place in Porto for 2 close to the city centre", "search", (), None)
    central = float(engine_holder.engine().knowledge.setting("distances", "central_km"))
    assert chat.slots["centre_km"] == central
    chat.run(ActionRecommend(), "", "search")
    assert chat.slots["shown"]
    assert all(km_from_centre(p) <= central for p in chat.slots["shown"])

