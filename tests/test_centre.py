"""Distance to the centre of the destination: the attribute the registry was shown with, end to end.

The fixture's Lisbon centre is locations.yml's point (38.7223, -9.1393); its
five places lie 1.29 (L5), 1.30 (L2), 1.43 (L4), 1.44 (L1) and 6.44 km (L3)
from it. The distances are recomputed here from the CSV and the YAML, not
read back from the engine.
"""
from __future__ import annotations

import json

import pytest
import yaml

from actions.search_state import query_from_slots, slot_updates_for_change
from constraints import Constraint, InvalidValueError, build_query
from constraints.attributes import REGISTRY
from constraints.cli import main
from tests.engine_oracle import haversine


@pytest.fixture(scope="module")
def lisbon_km(knowledge_dir, fixture_rows) -> dict[str, float]:
    """Each fixture place in Lisbon and its distance from the centre, from the raw files."""
    places = yaml.safe_load((knowledge_dir / "locations.yml").read_text(encoding="utf-8"))["destinations"]
    centre = next(p for p in places if p["name"] == "Lisbon")
    return {row["id"]: haversine(float(row["latitude"]), float(row["longitude"]),
                                 centre["latitude"], centre["longitude"])
            for row in fixture_rows if row["location"] == "Lisbon"}


@pytest.mark.parametrize("km", [0.5, 1.29, 1.3, 1.43, 1.45, 7.0])
def test_the_matches_are_exactly_the_places_within_the_distance(engine, lisbon_km, km):
    result = engine.search(build_query(location="Lisbon", centre_km=km), limit=10)
    assert sorted(r.id for r in result.results) == sorted(i for i, d in lisbon_km.items() if d <= km)
    assert result.total_matches == sum(d <= km for d in lisbon_km.values())


def test_a_result_says_how_far_from_the_centre_it_is(engine):
    result = engine.search(build_query(location="Lisbon", centre_km=1.3), limit=10)
    explanations = {r.id: r.explanation for r in result.results}
    assert explanations["L5"][0] == "1.3 km from the centre of Lisbon"
    assert "1.3 km from the centre of Lisbon" in explanations["L2"]


def test_nothing_that_close_offers_to_widen_to_the_radius_that_lets_places_in(engine, lisbon_km):
    query = build_query(location="Lisbon", centre_km=1.0)
    result = engine.search(query)
    assert result.total_matches == 0
    assert result.conflict_text == "Nothing in Lisbon within 1 km of the centre."
    offered = [(r.kind, r.description) for r in result.relaxations]
    assert ("widen", "Within 1.5 km of the centre instead of 1 km: 4 places") in offered
    assert ("drop", "Without being within 1 km of the centre: 5 places") in offered
    widen = next(r for r in result.relaxations if r.kind == "widen")
    assert widen.changes == [{"attribute": "centre", "from": 1.0, "to": 1.5}]
    widened = engine.search(widen.apply(query), limit=10)
    assert sorted(r.id for r in widened.results) == sorted(i for i, d in lisbon_km.items() if d <= 1.5)


def test_the_widened_radius_is_the_smallest_step_that_gives_enough_places(engine):
    query = build_query(location="Lisbon", centre_km=1.0, min_results=5)
    widen = next(r for r in engine.search(query).relaxations if r.kind == "widen")
    assert widen.description == "Within 6.5 km of the centre instead of 1 km: 5 places"


def test_a_near_miss_and_why_not_say_how_far_it_is(engine):
    result = engine.search(build_query(location="Lisbon", centre_km=1.0, guests=4))
    misses = {a.id: a.misses for a in result.alternatives}
    assert misses["L5"] == ["1.3 km from the centre, not within 1 km"]
    answer = engine.why_not("L3", build_query(location="Lisbon", centre_km=1.0))
    assert [reason for _, reason in answer.failed] == ["6.4 km from the centre, not within 1 km"]
    assert answer.fixes == ["Without being within 1 km of the centre it would be one of 5 places."]


@pytest.mark.parametrize("bad", [-1.0, float("nan"), "near"])
def test_a_distance_must_be_a_non_negative_number(engine, bad):
    query = build_query(location="Lisbon").with_constraints(Constraint("centre", "within_km", bad))
    with pytest.raises(InvalidValueError, match="centre must be a non-negative number"):
        engine.search(query)


def test_the_cli_takes_a_distance_from_the_centre(capsys, knowledge_dir, catalog_path):
    status = main(["search", "--location", "Lisbon", "--centre-km", "1", "--json",
                   "--knowledge", str(knowledge_dir), "--catalog", str(catalog_path)])
    document = json.loads(capsys.readouterr().out)
    assert status == 0
    assert {"attribute": "centre", "op": "within_km", "value": 1.0, "strength": "hard",
            "source": "user"} in document["query"]
    assert document["total_matches"] == 0
    assert document["relaxations"][0]["description"] == "Within 1.5 km of the centre instead of 1 km: 4 places"


def test_the_cli_can_make_the_distance_a_must(capsys, knowledge_dir, catalog_path):
    status = main(["search", "--location", "Lisbon", "--centre-km", "1", "--must", "centre", "--json",
                   "--knowledge", str(knowledge_dir), "--catalog", str(catalog_path)])
    document = json.loads(capsys.readouterr().out)
    assert status == 0
    assert document["conflict"] == [{"attribute": "centre", "op": "within_km", "value": 1.0},
                                    {"attribute": "location", "op": "eq", "value": "Lisbon"}]


def test_the_chat_slot_becomes_the_constraint_and_a_widening_goes_back_to_it(engine):
    slots = {"location": "Lisbon", "centre_km": 1.0}
    query = query_from_slots(slots, engine)
    centre = query.find("centre")
    assert centre is not None and centre.value == 1.0 and centre.is_hard
    widen = next(r for r in engine.search(query).relaxations if r.kind == "widen")
    assert slot_updates_for_change(widen.removed, widen.added, slots) == {"centre_km": 1.5}
    assert slot_updates_for_change([centre], [], slots) == {"centre_km": None}


def test_every_attribute_orders_its_reasons_and_its_conflict_phrase_uniquely():
    assert len({a.sentence for a in REGISTRY.values()}) == len(REGISTRY)
    assert len({a.salience for a in REGISTRY.values()}) == len(REGISTRY)
    assert all(a.name == name for name, a in REGISTRY.items())
