"""A place we hold no stays in: the nearest destinations, each with what it would take there (issue 16).

A traveller bound for London wants Paris without a house rather than South
Africa with one: a near destination where the rest of the search does not
fit is offered with the fewest, mildest constraints to give up there, and
nothing is offered much further than the nearest destination offered.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from itertools import combinations
from pathlib import Path

import pytest

from actions.search_actions import ActionApplyOffer, ActionRecommend
from constraints import Engine, Query, StayDates, build_query
from constraints.errors import KnowledgeError
from constraints.knowledge import load_knowledge
from constraints.query import Constraint
from constraints.relax import Relaxation
from tests.rasa_trackers import Conversation

MARCH = StayDates(date(2027, 3, 6), date(2027, 3, 8))


@pytest.fixture(scope="module")
def shipped() -> Engine:
    return Engine.load()


def _far_query(engine: Engine, place: str, **asked) -> Query:
    """The search as the front ends make it, with the place as the gazetteer reads it."""
    query = build_query(location="Lisbon", **asked)
    where = Constraint("location", "eq", engine.normaliser.location(place).value)
    return replace(query, constraints=tuple(where if c.attribute == "location" else c for c in query.constraints))


def _nearest(engine: Engine, query: Query) -> list[Relaxation]:
    """The repairs that move the search to a destination, in the engine's order."""
    result = engine.search(query)
    assert result.total_matches == 0
    return [r for r in result.relaxations if r.distance_km is not None]


def _to(r: Relaxation) -> str:
    return str(r.added[0].value)


def _reach(engine: Engine, offered: list[Relaxation]) -> float:
    times, plus_km = engine.knowledge.setting("relaxation", "far_reach")
    return times * min(r.distance_km for r in offered) + plus_km


def _given_up(r: Relaxation) -> list[str]:
    return [c.attribute for c in r.removed[1:]]


def test_london_offers_deauville_and_paris_not_another_continent(shipped: Engine) -> None:
    offered = _nearest(shipped, _far_query(shipped, "London", dates=MARCH, property_types=["house"], guests=2))
    assert _to(offered[0]) in {"Deauville", "Paris"}
    assert {"Deauville", "Paris"} <= {_to(r) for r in offered}
    assert all(r.distance_km <= _reach(shipped, offered) for r in offered)
    assert not {"Stellenbosch", "Cape Town", "The Hamptons"} & {_to(r) for r in offered}
    paris = next(r for r in offered if _to(r) == "Paris")
    assert _given_up(paris) == ["property_type"]
    assert paris.description == f"Paris, 340 km away, without a house: {paris.matches} places"


def test_london_with_a_hot_tub_gives_something_up_nearby_before_crossing_an_ocean(shipped: Engine) -> None:
    """Before: Sintra, then The Hamptons (5,400 km) and Búzios (9,200 km), the only hot tubs in a house."""
    query = _far_query(shipped, "London", dates=MARCH, property_types=["house"], guests=2, amenities=["hot_tub"])
    offered = _nearest(shipped, query)
    assert _to(offered[0]) == "Deauville" and _given_up(offered[0])
    assert all(r.distance_km <= 2000 for r in offered)


def test_kuala_lumpur_offers_bali_without_the_house_before_japan(shipped: Engine) -> None:
    """Before: Kyoto 5,000 km, Hakone and Tokyo, though Ubud and Seminyak are 2,000 km away."""
    offered = _nearest(shipped, _far_query(shipped, "Kuala Lumpur", dates=MARCH, property_types=["house"], guests=3))
    assert {_to(r) for r in offered[:2]} == {"Ubud", "Seminyak"}
    assert all(_given_up(r) == ["property_type"] for r in offered[:2])
    assert offered[0].description.startswith(f"{_to(offered[0])}, 2,000 km away, without a house: ")
    fitting = [r for r in offered if not _given_up(r)]
    assert fitting and all(r.distance_km > 4000 for r in fitting)  # what fits as asked comes after, as Japan does


def test_nairobi_for_two_offers_south_africa_as_before(shipped: Engine) -> None:
    offered = _nearest(shipped, _far_query(shipped, "Nairobi", guests=2))
    assert [_to(r) for r in offered[:2]] == ["Stellenbosch", "Cape Town"]
    assert all(not _given_up(r) for r in offered)  # the party is never given up, and nothing else was asked
    cape_town = offered[1]
    assert cape_town.description == f"Cape Town, 4,100 km away: {cape_town.matches} places"


def test_a_destination_that_fits_comes_before_one_as_near_that_needs_a_drop(shipped: Engine) -> None:
    """Chicago: New York City is nearer but has no house for three; The Hamptons has."""
    offered = _nearest(shipped, _far_query(shipped, "Chicago", dates=MARCH, property_types=["house"], guests=3))
    names = [_to(r) for r in offered]
    assert names[0] == "The Hamptons" and not _given_up(offered[0])
    assert "New York City" in names and _given_up(offered[names.index("New York City")]) == ["property_type"]
    assert all(r.distance_km <= _reach(shipped, offered) for r in offered)


def _points(engine: Engine, constraints) -> int:
    """What giving these up costs, as the relaxer counts it: their priorities + 1 (engine.yml's defaults)."""
    priorities = engine.knowledge.settings["priorities"]
    return sum(int(priorities.get(c.attribute, priorities["default"])) + 1 for c in constraints)


@pytest.mark.parametrize("place, asked", [
    ("London", dict(dates=MARCH, property_types=["house"], guests=2)),
    ("London", dict(dates=MARCH, property_types=["house"], guests=2, amenities=["hot_tub"])),
    ("Kuala Lumpur", dict(dates=MARCH, property_types=["house"], guests=3)),
    ("Chicago", dict(dates=MARCH, property_types=["house"], guests=3, max_price=150, amenities=["pool"])),
])
def test_an_offer_gives_up_the_fewest_and_mildest_and_its_count_is_the_search_it_makes(
        shipped: Engine, place: str, asked: dict) -> None:
    query = _far_query(shipped, place, **asked)
    result = shipped.search(query)
    offered = [r for r in result.relaxations if r.distance_km is not None]
    assert offered and any(_given_up(r) for r in offered)
    need = query.min_results
    may = [c for c in result.query.hard if c.attribute not in ("location", "accommodates")]
    for r in offered:
        moved = r.apply(query)
        assert moved.find("location").value == _to(r)
        assert all(moved.find(c.attribute) is None for c in r.removed[1:])
        assert shipped.search(moved).total_matches == r.matches >= need
        given_up = r.removed[1:]
        for size in range(len(given_up) + 1):  # no fewer, and none as few but milder, would do
            for subset in combinations(may, size):
                if size == len(given_up) and _points(shipped, subset) >= _points(shipped, given_up):
                    continue
                trial = Relaxation("substitute", (r.removed[0], *subset), r.added, 0, "", 0.0).apply(query)
                assert shipped.search(trial).total_matches < need, (r.description, subset)


def test_the_party_is_never_given_up(shipped: Engine) -> None:
    offered = _nearest(shipped, _far_query(shipped, "London", dates=MARCH, guests=12, amenities=["pool"]))
    assert all("accommodates" not in _given_up(r) for r in offered)


@pytest.mark.usefixtures("shipped_engine", "fixed_today")
def test_choosing_an_offer_in_the_chat_moves_there_and_gives_up_what_it_said() -> None:
    chat = Conversation({"location": "Kuala Lumpur, Malaysia", "guests": 3.0, "property_type": "house",
                         "check_in": "2027-03-06", "check_out": "2027-03-08"})
    turn = chat.run(ActionRecommend(), "", "search")
    assert turn.text.startswith("No stays in Kuala Lumpur, Malaysia yet. The nearest I have: ")
    first = chat.slots["offers"][0]
    assert first["place"] in {"Ubud", "Seminyak"}
    assert turn.buttons[0] == f"{first['place']}, 2,000 km away, without a house, {first['matches']} places"
    chosen = chat.run(ActionApplyOffer(), "1", "choose_offer", [{"entity": "ordinal", "value": "1"}])
    assert chosen.text.startswith(f"OK — {first['place']}, 2,000 km away, without a house.")
    assert (chat.slots["location"], chat.slots["property_type"]) == (first["place"], None)
    assert (chat.slots["guests"], chat.slots["check_in"], chat.slots["check_out"]) == (3.0, "2027-03-06", "2027-03-08")
    assert f"of {first['matches']} places in {first['place']}" in chosen.text and chat.slots["shown"]


def test_far_reach_is_checked_in_engine_yml(knowledge_copy: Path) -> None:
    engine_yml = knowledge_copy / "engine.yml"
    text = engine_yml.read_text(encoding="utf-8")
    assert "far_reach: [3, 1000]" in text
    engine_yml.write_text(text.replace("far_reach: [3, 1000]", "far_reach: far"), encoding="utf-8")
    with pytest.raises(KnowledgeError, match="far_reach"):
        load_knowledge(knowledge_copy)
    engine_yml.write_text(text.replace("  far_reach: [3, 1000]", ""), encoding="utf-8")
    with pytest.raises(KnowledgeError, match="far_reach"):
        load_knowledge(knowledge_copy)
