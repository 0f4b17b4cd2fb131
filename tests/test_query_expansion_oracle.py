"""Query expansion against the oracle: what a request asks for, derived from the knowledge files.

The oracle (tests/engine_oracle.py) reads knowledge/rules.yml with pyyaml and
applies the rules itself; it turns a stay budget into a cap on the total
itself. Nothing of src/constraints' rule code is used on that side, so a wrong
rule evaluation, a lost derived constraint or a per-night budget that should
be a stay total shows up as a difference here.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from engine_oracle import Expanded, Oracle
from hypothesis import given, settings
from hypothesis import strategies as st

from constraints import Engine, StayDates, build_query

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
RULES = yaml.safe_load((KNOWLEDGE / "rules.yml").read_text(encoding="utf-8"))
AMENITY_IDS = sorted(a["id"] for a in
                     yaml.safe_load((KNOWLEDGE / "amenities.yml").read_text(encoding="utf-8"))["amenities"])
DESTINATIONS = sorted(d["name"] for d in
                      yaml.safe_load((KNOWLEDGE / "locations.yml").read_text(encoding="utf-8"))["destinations"])
BOOL_CONTEXT = sorted(c["key"] for c in RULES["context"] if c["type"] == "bool")
PURPOSES = sorted(next(c for c in RULES["context"] if c["key"] == "purpose")["choices"])
# a waiver per constraint a rule can derive: what "without the garden" leaves in a query
RULE_WAIVERS = sorted({f"{t['attribute']}|{t['op']}|{t['value']}" for r in RULES["rules"] for t in r["then"]
                       if not isinstance(t["value"], str) or t["value"].isidentifier()})
FIRST_NIGHT = date(2027, 3, 1)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load(KNOWLEDGE)


@pytest.fixture(scope="module")
def oracle() -> Oracle:
    return Oracle(KNOWLEDGE, [])


def engine_wants(engine: Engine, request: Mapping[str, Any]) -> Counter:
    query = engine.prepare(build_query(**request))
    return Counter((c.attribute, c.op, c.value, c.strength, c.source) for c in query.constraints)


def oracle_wants(expanded: Expanded) -> Counter:
    return Counter((w.attribute, w.op, w.value, w.strength, w.source) for w in expanded.wants)


def derived(expanded: Expanded) -> set[tuple[str, str, Any, str]]:
    return {(w.attribute, w.op, w.value, w.strength) for w in expanded.wants if w.source.startswith("rule:")}


# --- the oracle reads the knowledge as a person would -------------------------------------


def test_pets_make_pets_allowed_a_requirement_and_a_garden_a_wish(oracle):
    wants = derived(oracle.expand_request({"location": "Lisbon", "context": {"pets": True}}))
    assert ("amenities", "contains", "pets_allowed", "hard") in wants
    assert ("amenities", "contains", "garden", "soft") in wants


def test_a_pet_turns_the_wish_for_pets_allowed_into_a_requirement(oracle):
    expanded = oracle.expand_request({"nice_to_have": ["pets_allowed"], "context": {"pets": True}})
    pets = [w for w in expanded.wants if w.value == "pets_allowed"]
    assert [(w.strength, w.source) for w in pets] == [("hard", "rule:pets_allowed")]


def test_a_waived_rule_is_not_added_back(oracle):
    expanded = oracle.expand_request({"context": {"pets": True}, "waived": ["amenities|contains|pets_allowed"]})
    assert "pets_allowed" not in {w.value for w in expanded.wants}


@pytest.mark.parametrize("guests, bedrooms", [(6, None), (7, 4), (8, 4), (9, 5), (16, 8)])
def test_big_groups_need_half_as_many_bedrooms_as_guests(oracle, guests, bedrooms):
    hard = {(w.attribute, w.value) for w in oracle.expand_request({"guests": guests}).hard}
    assert (("bedrooms", bedrooms) in hard) if bedrooms else not any(a == "bedrooms" for a, _ in hard)


def test_a_stay_budget_caps_the_total_when_the_length_is_known(oracle):
    by_nights = oracle.expand_request({"max_price": 700, "budget_scope": "stay", "nights": 7}).hard
    assert ("total_price", "<=", 700.0) in {w.key for w in by_nights}
    dates = StayDates(FIRST_NIGHT, FIRST_NIGHT + timedelta(days=3))
    by_dates = oracle.expand_request({"max_price": 700, "budget_scope": "stay", "dates": dates}).hard
    assert {("total_price", "<=", 700.0), ("nights", "fits", 3)} <= {w.key for w in by_dates}
    unknown_length = oracle.expand_request({"max_price": 700, "budget_scope": "stay"}).hard
    assert [w.key for w in unknown_length] == [("price_per_night", "<=", 700.0)]


# --- the engine agrees with it ------------------------------------------------------------


@pytest.mark.parametrize("request_", [
    {"location": "Lisbon", "guests": 4, "max_price": 150, "amenities": ["pool"]},
    {"location": "Porto", "guests": 2, "context": {"pets": True}},
    {"location": "Cascais", "guests": 9, "nights": 30, "max_price": 3000, "budget_scope": "stay",
     "context": {"pets": True, "children": 2, "purpose": "romantic", "car": True}},
    {"guests": 7, "nice_to_have": ["pets_allowed", "garden"], "context": {"pets": True}},
    {"guests": 12, "waived": ["bedrooms|>=|6", "amenities|contains|garden"], "context": {"pets": True}},
])
def test_the_engine_expands_these_requests_as_the_oracle_does(engine, oracle, request_):
    assert engine_wants(engine, request_) == oracle_wants(oracle.expand_request(request_))


@st.composite
def requests(draw: st.DrawFn) -> dict[str, Any]:
    request: dict[str, Any] = {}
    if draw(st.booleans()):
        request["location"] = draw(st.sampled_from(DESTINATIONS))
    if draw(st.booleans()):
        request["guests"] = draw(st.integers(1, 16))
    stay = draw(st.sampled_from(["none", "nights", "dates"]))
    if stay == "nights":
        request["nights"] = draw(st.integers(1, 40))
    elif stay == "dates":
        check_in = FIRST_NIGHT + timedelta(days=draw(st.integers(0, 300)))
        request["dates"] = StayDates(check_in, check_in + timedelta(days=draw(st.integers(1, 35))))
    if draw(st.booleans()):
        request["max_price"] = float(draw(st.integers(20, 5000)))
        request["budget_scope"] = draw(st.sampled_from(["night", "stay"]))
    request["amenities"] = draw(st.lists(st.sampled_from(AMENITY_IDS), max_size=3, unique=True))
    request["nice_to_have"] = draw(st.lists(st.sampled_from(AMENITY_IDS), max_size=3, unique=True))
    context: dict[str, Any] = {key: True for key in draw(st.sets(st.sampled_from(BOOL_CONTEXT)))}
    if draw(st.booleans()):
        context["children"] = draw(st.integers(0, 4))
    if draw(st.booleans()):
        context["purpose"] = draw(st.sampled_from(PURPOSES))
    request["context"] = context
    request["waived"] = draw(st.lists(st.sampled_from(RULE_WAIVERS), max_size=3, unique=True))
    return request


@settings(max_examples=300, deadline=None)
@given(request_=requests())
def test_the_engine_expands_any_request_as_the_oracle_does(engine, oracle, request_):
    assert engine_wants(engine, request_) == oracle_wants(oracle.expand_request(request_))
