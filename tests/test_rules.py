"""Knowledge rules: what travellers say about themselves becomes constraints, with reasons."""
from __future__ import annotations

from constraints import HARD, SOFT, Constraint, build_query
from constraints.rules import derive, expand


def derived(engine, **kwargs):
    query = engine.prepare(build_query(**kwargs))
    return [c for c in query.constraints if c.derived]


def test_a_pet_makes_pets_allowed_a_requirement_with_the_reason(engine):
    [rule] = derived(engine, location="Lisbon", context={"pets": True})
    assert rule.key == ("amenities", "contains", "pets_allowed")
    assert rule.strength == HARD
    assert rule.source == "rule:pets_allowed"
    assert rule.reason == "You're travelling with a pet, so the place must allow pets."


def test_every_result_for_a_pet_owner_allows_pets_and_says_why(engine):
    result = engine.search(build_query(location="Lisbon", context={"pets": True}), limit=10)
    assert [r.id for r in result.results] == ["L3"]
    assert any("allow pets" in line for line in result.results[0].explanation)


def test_no_pet_no_rule(engine):
    assert derived(engine, location="Lisbon") == []
    assert derived(engine, location="Lisbon", context={"pets": False}) == []


def test_eight_guests_need_four_bedrooms(engine):
    [rule] = derived(engine, guests=8)
    assert rule.key == ("bedrooms", ">=", 4)
    assert rule.strength == HARD
    assert rule.reason == "For 8 guests you need at least 4 bedrooms."


def test_the_bedroom_rule_rounds_up_and_starts_above_six(engine):
    assert [c.value for c in derived(engine, guests=7)] == [4]
    assert [c.value for c in derived(engine, guests=9)] == [5]
    assert derived(engine, guests=6) == []


def test_a_big_group_only_sees_places_with_enough_bedrooms(engine):
    result = engine.search(build_query(guests=8), limit=10)
    assert sorted(r.id for r in result.results) == ["C1", "M1", "N2"]
    assert all(r.bedrooms >= 4 for r in result.results)


def test_a_waived_constraint_is_not_added_back(engine):
    pets = next(c for c in derived(engine, context={"pets": True}))
    query = build_query(location="Lisbon", context={"pets": True}, waived=[pets.waiver])
    assert [c for c in engine.prepare(query).constraints if c.attribute == "amenities"] == []
    assert engine.search(query, limit=10).total_matches == 5


def test_dropping_a_rule_constraint_keeps_it_dropped(engine):
    query = build_query(location="Cascais", guests=8, context={"pets": True})
    result = engine.search(query)
    assert result.total_matches == 0
    drop = next(r for r in result.relaxations if r.kind == "drop" and r.removed[0].attribute == "amenities")
    applied = drop.apply(query)
    again = engine.search(applied)
    assert again.total_matches == drop.matches == 1
    assert all(c.attribute != "amenities" for c in again.query.constraints)
    assert ("bedrooms", ">=", 4) in [c.key for c in again.query.constraints]  # the other rule still holds


def test_a_hard_rule_upgrades_the_travellers_soft_wish(engine):
    query = build_query(location="Lisbon", nice_to_have=["pets_allowed"], context={"pets": True})
    assert query.find("amenities").strength == SOFT
    prepared = engine.prepare(query)
    pets = [c for c in prepared.constraints if c.attribute == "amenities"]
    assert len(pets) == 1
    assert pets[0].strength == HARD
    assert pets[0].reason
    assert engine.search(query, limit=10).total_matches == 1


def test_the_travellers_own_requirement_is_kept_as_theirs(engine):
    query = build_query(location="Lisbon", amenities=["pets_allowed"], context={"pets": True})
    pets = [c for c in engine.prepare(query).constraints if c.attribute == "amenities"]
    assert len(pets) == 1
    assert pets[0].source == "user"


def test_a_soft_rule_never_weakens_a_requirement(engine):
    query = build_query(amenities=["wifi"], context={"purpose": "work"})
    constraints = {c.value: c for c in engine.prepare(query).constraints if c.attribute == "amenities"}
    assert constraints["wifi"].strength == HARD and constraints["wifi"].source == "user"
    workspace = constraints["dedicated_workspace"]
    assert workspace.strength == SOFT and workspace.weight == 1.5 and workspace.source == "rule:remote_work"


def test_soft_rules_rank_rather_than_filter(engine):
    plain = engine.search(build_query(location="Lisbon"), limit=10)
    working = engine.search(build_query(location="Lisbon", context={"purpose": "work"}), limit=10)
    assert working.total_matches == plain.total_matches == 5
    assert working.results[0].id == "L5"  # the only Lisbon place with a desk
    assert any("nice to have" in line for line in working.results[0].explanation)


def test_derive_and_expand_directly(knowledge):
    rules = knowledge.rules
    assert derive(rules, {}) == []
    found = derive(rules, {"pets": True, "guests": 10, "infants": True})
    assert [(c.source, c.key) for c in found] == [
        ("rule:pets_allowed", ("amenities", "contains", "pets_allowed")),
        ("rule:big_group_bedrooms", ("bedrooms", ">=", 5)),
        ("rule:baby_crib", ("amenities", "contains", "crib")),
    ]
    query = build_query(guests=10, bedrooms=5)
    expanded = expand(query, rules)
    bedrooms = [c for c in expanded.constraints if c.attribute == "bedrooms"]
    assert bedrooms == [Constraint("bedrooms", ">=", 5)]  # the traveller's own, not duplicated
