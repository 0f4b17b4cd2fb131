"""When nothing matches: the repairs offered, their exact counts, the conflict and the near misses."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from constraints import Engine, StayDates, build_query
from constraints.availability import build_availability
from constraints.catalog import load_catalog


def offers(result):
    return [(r.kind, r.description, r.matches) for r in result.relaxations]


def applied_ids(engine, relaxation, query):
    result = engine.search(relaxation.apply(query), limit=20)
    assert result.total_matches == relaxation.matches
    return sorted(r.id for r in result.results)


LISBON_POOL_150 = dict(location="Lisbon", amenities=["pool"], max_price=150, guests=4)


def test_lisbon_pool_under_150_for_four(engine):
    query = build_query(**LISBON_POOL_150)
    result = engine.search(query)
    assert result.total_matches == 0
    assert result.results == []
    assert offers(result) == [
        ("widen", "Raise the budget to €210 a night: 1 place", 1),
        ("drop", "Without the pool: 1 place", 1),
        ("drop", "Without a budget of €150 a night: 1 place", 1),
    ]
    widen, no_pool, no_budget = result.relaxations
    assert widen.changes == [{"attribute": "price_per_night", "from": 150.0, "to": 210.0}]
    assert no_pool.changes == [{"attribute": "amenities", "from": "pool", "to": None}]
    assert applied_ids(engine, widen, query) == ["L3"]
    assert applied_ids(engine, no_pool, query) == ["L1"]
    assert applied_ids(engine, no_budget, query) == ["L3"]


def test_no_substitute_is_offered_that_would_still_find_nothing(engine):
    # the Lisbon place with a hot tub costs 160, the Cascais ones with a pool 180 and 350
    result = engine.search(build_query(**LISBON_POOL_150))
    assert not [r for r in result.relaxations if r.kind == "substitute"]


def test_a_hot_tub_for_a_pool_and_the_town_next_door(engine):
    query = build_query(location="Lisbon", amenities=["pool"], max_price=200, guests=4)
    result = engine.search(query)
    assert result.total_matches == 0
    assert ("substitute", "Hot tub instead of pool: 1 place", 1) in offers(result)
    assert ("substitute", "Try Cascais (25 km away): 1 place", 1) in offers(result)
    assert ("widen", "Raise the budget to €210 a night: 1 place", 1) in offers(result)
    hot_tub = next(r for r in result.relaxations if r.description.startswith("Hot tub"))
    assert hot_tub.changes == [{"attribute": "amenities", "from": "pool", "to": "hot_tub"}]
    assert applied_ids(engine, hot_tub, query) == ["L5"]
    cascais = next(r for r in result.relaxations if r.description.startswith("Try Cascais"))
    assert applied_ids(engine, cascais, query) == ["C2"]
    # the cheapest repairs come first: a bigger budget before losing the pool
    kinds = [r.description.split(":")[0] for r in result.relaxations]
    assert kinds.index("Raise the budget to €210 a night") < kinds.index("Without the pool")


def test_the_conflict_names_what_cannot_hold_together(engine):
    result = engine.search(build_query(**LISBON_POOL_150))
    assert [c.key for c in result.conflict] == [("price_per_night", "<=", 150.0), ("amenities", "contains", "pool")]
    assert "€150" in result.conflict_text and "pool" in result.conflict_text
    assert result.conflict_text.startswith("Nothing")
    assert "Lisbon" not in result.conflict_text  # a pool under 150 exists nowhere; Lisbon is not the problem


def test_near_misses_say_what_they_miss(engine):
    result = engine.search(build_query(**LISBON_POOL_150))
    misses = {a.id: a.misses for a in result.alternatives}
    assert misses["L3"] == ["€210 a night, over your €150"]
    assert misses["L1"] == ["no pool"]
    assert misses["L5"] == ["€160 a night, over your €150", "no pool (has hot tub)"]
    assert misses["C2"] == ["in Cascais, 25 km from Lisbon", "€180 a night, over your €150"]
    similarities = [a.similarity for a in result.alternatives]
    assert similarities == sorted(similarities, reverse=True)
    assert all(0 < s <= 1 for s in similarities)
    assert len(result.alternatives) == engine.knowledge.setting("relaxation", "alternatives")


def test_a_similar_type_and_fewer_bedrooms(engine):
    result = engine.search(build_query(location="Lisbon", property_types=["villa"]))
    assert ("substitute", "A house instead of a villa: 1 place", 1) in offers(result)
    result = engine.search(build_query(location="Lisbon", guests=4, bedrooms=3, max_price=150))
    assert ("widen", "2 bedrooms instead of 3 bedrooms: 1 place", 1) in offers(result)


def test_a_lower_rating_bar(engine):
    result = engine.search(build_query(location="Lisbon", min_rating=4.95))
    assert ("widen", "Rated 4.9+ instead of 4.95+: 1 place", 1) in offers(result)


def test_too_few_results_are_repaired_up_to_the_number_asked(engine):
    query = build_query(location="Lisbon", guests=2, max_price=100, min_results=3)
    result = engine.search(query)
    assert result.total_matches == 2
    assert len(result.results) == 2  # what there is is still shown
    assert result.conflict_text.startswith("Fewer than 3 places")
    assert all(r.matches >= 3 for r in result.relaxations)
    assert ("widen", "Raise the budget to €120 a night: 3 places", 3) in offers(result)


def test_no_repairs_when_enough_match(engine):
    result = engine.search(build_query(location="Lisbon"))
    assert result.total_matches == 5
    assert result.relaxations == [] and result.conflict == [] and result.alternatives == []


def test_a_longer_stay_for_a_minimum_stay(engine):
    query = build_query(location="Chamonix", nights=2)
    result = engine.search(query)
    assert ("widen", "Stay 4 nights instead of 2: 1 place", 1) in offers(result)
    longer = next(r for r in result.relaxations if r.description.startswith("Stay 4 nights"))
    assert applied_ids(engine, longer, query) == ["M1"]


@pytest.fixture
def chamonix_booked(knowledge, catalog_path):
    catalog = load_catalog(catalog_path, knowledge)
    # booked 5-9 March, at a discount of 300 a night
    runs = pd.DataFrame([("M1", "2027-03-05", "2027-03-09", "false", 300.0)],
                        columns=["id", "start", "end", "available", "price"])
    calendar = build_availability(runs, date(2027, 3, 1), date(2027, 8, 31), catalog, knowledge)
    return Engine(knowledge, catalog, calendar)


def test_other_dates_when_the_place_is_booked(chamonix_booked):
    query = build_query(location="Chamonix", dates=StayDates(date(2027, 3, 5), date(2027, 3, 9)))
    result = chamonix_booked.search(query)
    assert ("substitute", "Move the stay to 12–16 Mar 2027: 1 place", 1) in offers(result)
    move = next(r for r in result.relaxations if r.description.startswith("Move"))
    assert applied_ids(chamonix_booked, move, query) == ["M1"]


def test_dropping_the_stay_drops_the_budget_for_it(engine):
    """A budget for the stay is priced for that stay: without the stay it means nothing."""
    query = build_query(location="Chamonix", nights=2, max_price=1100, budget_scope="stay")  # M1: 2 x 500 fits
    result = engine.search(query)
    for relaxation in result.relaxations:
        removed = {c.attribute for c in relaxation.removed}
        if "nights" in removed and relaxation.kind == "drop":
            assert "total_price" in removed, relaxation.description
        assert engine.search(relaxation.apply(query)).total_matches == relaxation.matches
    assert ("drop", "Without a budget of €1,100 for the stay and a stay of 2 nights: 1 place", 1) in offers(result)


def test_dropping_the_dates_drops_the_budget_priced_for_them(chamonix_booked):
    # M1 is booked 5-9 March at 4 x 300 = 1200; for 4 nights at its plain price it costs 2000
    query = build_query(location="Chamonix", dates=StayDates(date(2027, 3, 5), date(2027, 3, 9)),
                        max_price=1500, budget_scope="stay")
    result = chamonix_booked.search(query)
    assert result.total_matches == 0
    assert ("drop", "Without a budget of €1,500 for the stay and the dates 5–9 Mar 2027: 1 place", 1) in offers(result)
    for relaxation in result.relaxations:
        removed = {c.attribute for c in relaxation.removed}
        if "dates" in removed and relaxation.kind == "drop":
            assert "total_price" in removed, relaxation.description
        assert chamonix_booked.search(relaxation.apply(query)).total_matches == relaxation.matches


def test_relaxations_in_json(engine):
    document = engine.search(build_query(**LISBON_POOL_150)).to_json()
    assert document["relaxations"][0] == {
        "kind": "widen", "matches": 1, "description": "Raise the budget to €210 a night: 1 place",
        "changes": [{"attribute": "price_per_night", "from": 150.0, "to": 210.0}],
    }
    assert document["conflict"] == [{"attribute": "price_per_night", "op": "<=", "value": 150.0},
                                    {"attribute": "amenities", "op": "contains", "value": "pool"}]
    assert document["alternatives"][0]["misses"]


def test_types_are_named_with_the_right_article(engine):
    result = engine.search(build_query(location="Lisbon", property_types=["villa"]))
    misses = {a.id: a.misses for a in result.alternatives}
    assert misses["L1"] == ["an apartment, not a villa"]
    assert misses["L3"] == ["a house, not a villa"]
    result = engine.search(build_query(location="Cascais", property_types=["apartment", "studio"]))
    assert ("drop", "Without an apartment or studio: 3 places", 3) in offers(result)
    result = engine.search(build_query(location="Lisbon", property_types=["apartment"]), limit=1)
    assert "An apartment" in result.results[0].explanation
