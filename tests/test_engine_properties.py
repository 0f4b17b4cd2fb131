"""Property tests: the engine against the brute-force oracle on random small worlds.

Each example draws a catalog of 3-40 places over the fixture's destinations,
types and amenities (optionally with a calendar of booked and re-priced runs)
and a query built the way the front ends build them, then checks what a
traveller relies on: every result really matches, the counts are exact, every
offered repair does what it says, drops are minimal and complete, the conflict
is a real minimal conflict, priorities order the repairs, and pages are
consistent.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, reject, settings
from hypothesis import strategies as st

from constraints import Constraint, Engine, Query, StayDates, build_query, load_knowledge
from constraints.availability import build_availability
from constraints.catalog import build_catalog
from constraints.catalog_read import CONTRACT_COLUMNS
from engine_oracle import Ambiguous, Oracle, Run

from conftest import FIXTURE_KNOWLEDGE

WINDOW_FIRST = date(2027, 6, 20)  # spans June (Cascais' high season), July-August and many weekends
WINDOW_LAST = date(2027, 8, 31)
WINDOW_DAYS = (WINDOW_LAST - WINDOW_FIRST).days + 1
CURRENCIES = ["EUR", "EUR", "EUR", "USD", "GBP"]

SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@lru_cache(maxsize=1)
def knowledge():
    return load_knowledge(FIXTURE_KNOWLEDGE)


K = knowledge()
DESTINATIONS = sorted(K.destinations.values(), key=lambda d: d.name)
AMENITIES = sorted(K.amenities)
TYPES = sorted(K.property_types)
ROOMS = sorted(K.room_types)


# --- strategies --------------------------------------------------------------------------


PLACES = [(d, nb) for d in DESTINATIONS for nb in d.neighbourhoods]
ROW = st.tuples(
    st.sampled_from(PLACES),
    st.integers(-400, 400), st.integers(-400, 400),  # jitter around the neighbourhood, 1e-4 degrees
    st.sampled_from(TYPES), st.sampled_from(ROOMS),
    st.integers(1, 12), st.integers(0, 6), st.integers(0, 8), st.integers(0, 8),
    st.integers(20, 600), st.sampled_from(CURRENCIES),
    st.integers(1, 5), st.one_of(st.none(), st.integers(1, 30)),
    st.frozensets(st.sampled_from(AMENITIES), max_size=6),
    st.one_of(st.none(), st.integers(30, 50)), st.integers(0, 60),
)


def make_row(i: int, drawn: tuple) -> dict[str, Any]:
    ((destination, nb), dlat, dlon, ptype, room, sleeps, bedrooms, beds, baths, price, currency,
     min_nights, max_nights, amenities, rating, reviews) = drawn
    if max_nights is not None and max_nights < min_nights:
        max_nights = min_nights
    return {
        "id": f"P{i:03d}",
        "title": f"Place {i}",
        "description": "",
        "location": destination.name,
        "neighbourhood": nb.name,
        "latitude": round(nb.latitude + dlat / 1e4, 5),
        "longitude": round(nb.longitude + dlon / 1e4, 5),
        "property_type": ptype,
        "room_type": room,
        "accommodates": sleeps,
        "bedrooms": bedrooms,
        "beds": beds,
        "bathrooms": baths / 2,
        "price_per_night": float(price),
        "currency": currency,
        "min_nights": min_nights,
        "max_nights": max_nights,
        "amenities": ";".join(sorted(amenities)),
        "rating": None if rating is None else rating / 10,
        "review_count": reviews if rating is not None else reviews % 3,  # some rated from too few reviews
    }


@st.composite
def catalog_rows(draw: st.DrawFn, min_rows: int = 3, max_rows: int = 40) -> list[dict[str, Any]]:
    drawn = draw(st.lists(ROW, min_size=min_rows, max_size=max_rows))
    return [make_row(i, values) for i, values in enumerate(drawn)]


BOOKED = st.tuples(st.integers(-3, WINDOW_DAYS - 1), st.integers(1, 10))
PRICED = st.tuples(st.integers(-3, WINDOW_DAYS - 1), st.integers(1, 14), st.sampled_from([True, True, False]),
                   st.integers(15, 700))
RUNS_OF_ONE = st.tuples(st.lists(BOOKED, max_size=2), st.one_of(st.none(), st.none(), PRICED))


@st.composite
def calendars(draw: st.DrawFn, ids: list[str]) -> list[Run]:
    """Booked runs (overlaps allowed) and at most one explicit-price run per place."""
    runs: list[Run] = []
    for pid, (booked, priced) in zip(ids, draw(st.lists(RUNS_OF_ONE, min_size=len(ids), max_size=len(ids)))):
        for start, length in booked:
            first = WINDOW_FIRST + timedelta(days=start)
            runs.append(Run(pid, first, first + timedelta(days=length), False))
        if priced is not None:
            start, length, available, price = priced
            first = WINDOW_FIRST + timedelta(days=start)
            runs.append(Run(pid, first, first + timedelta(days=length), available, float(price)))
    return runs


@st.composite
def queries(draw: st.DrawFn, dated: bool) -> Query:
    kw: dict[str, Any] = {}
    if draw(st.booleans()):
        kw["location"] = draw(st.sampled_from(DESTINATIONS)).name
    stay_nights = None
    if dated and draw(st.booleans()):
        nights = draw(st.integers(1, 7))
        start = draw(st.integers(0, WINDOW_DAYS - nights))
        check_in = WINDOW_FIRST + timedelta(days=start)
        kw["dates"] = StayDates(check_in, check_in + timedelta(days=nights))
        stay_nights = nights
    elif draw(st.booleans()):
        stay_nights = kw["nights"] = draw(st.integers(1, 8))
    if draw(st.booleans()):
        if stay_nights and draw(st.booleans()):
            kw["budget_scope"] = "stay"
            kw["max_price"] = draw(st.integers(40, 400)) * stay_nights + 0.37
        else:
            kw["max_price"] = float(draw(st.integers(20, 600)))
    if draw(st.integers(0, 3)) == 0:
        kw["min_price"] = float(draw(st.integers(20, 400)))
    if draw(st.booleans()):
        kw["guests"] = draw(st.integers(1, 12))
    if draw(st.integers(0, 3)) == 0:
        kw["bedrooms"] = draw(st.integers(1, 6))
    kw["amenities"] = draw(st.lists(st.sampled_from(AMENITIES), max_size=3, unique=True))
    kw["nice_to_have"] = draw(st.lists(st.sampled_from(AMENITIES), max_size=2, unique=True))
    if draw(st.integers(0, 3)) == 0:
        kw["property_types"] = draw(st.lists(st.sampled_from(TYPES), min_size=1, max_size=2, unique=True))
    if draw(st.integers(0, 4)) == 0:
        kw["room_type"] = draw(st.sampled_from(ROOMS))
    if draw(st.integers(0, 3)) == 0:
        kw["min_rating"] = draw(st.integers(35, 50)) / 10
    context: dict[str, Any] = {}
    if draw(st.integers(0, 3)) == 0:
        context["pets"] = True
    if draw(st.integers(0, 5)) == 0:
        context["purpose"] = "work"
    if draw(st.integers(0, 5)) == 0:
        context["infants"] = True
    kw["context"] = context
    kw["min_results"] = draw(st.integers(1, 3))
    query = build_query(**kw)
    if draw(st.integers(0, 4)) == 0:
        destination = draw(st.sampled_from(DESTINATIONS))
        nb = draw(st.sampled_from(destination.neighbourhoods))
        radius = draw(st.integers(1, 12)) / 2 + 0.013
        query = query.with_constraints(Constraint("neighbourhood", "within_km", (destination.name, nb.name, radius)))
    return query


@dataclass
class World:
    rows: list[dict[str, Any]]
    runs: list[Run] | None
    query: Query

    def engine(self) -> Engine:
        frame = pd.DataFrame(self.rows, columns=[*CONTRACT_COLUMNS, "max_nights"])
        catalog = build_catalog(frame, K)
        if self.runs is not None:
            runs = pd.DataFrame(
                [{"id": r.id, "start": r.start.isoformat(), "end": r.end.isoformat(),
                  "available": "true" if r.available else "false", "price": r.price} for r in self.runs],
                columns=["id", "start", "end", "available", "price"],
            )
            catalog.availability = build_availability(runs, WINDOW_FIRST, WINDOW_LAST, catalog, K)
        return Engine(K, catalog)

    def oracle(self) -> Oracle:
        return Oracle(FIXTURE_KNOWLEDGE, self.rows, self.runs or ())


@st.composite
def worlds(draw: st.DrawFn, min_rows: int = 3) -> World:
    rows = draw(catalog_rows(min_rows=min_rows))
    runs = draw(calendars([r["id"] for r in rows])) if draw(st.booleans()) else None
    return World(rows, runs, draw(queries(dated=True)))


def positions(hard: list[Constraint], removed: tuple[Constraint, ...]) -> frozenset[int]:
    found = frozenset(hard.index(c) for c in removed)
    assert len(found) == len(removed), "a relaxation removes a constraint twice"
    return found


def describe(result) -> str:
    return "\n".join(f"  {r.kind}: {r.description} removed={[c.key for c in r.removed]}" for r in result.relaxations)


# --- (a) and (g): results -------------------------------------------------------------------


@settings(max_examples=150, **SETTINGS)
@given(world=worlds(), page=st.integers(1, 4))
def test_results_satisfy_the_query_and_counts_are_exact(world: World, page: int) -> None:
    engine, oracle = world.engine(), world.oracle()
    result = engine.search(world.query, limit=1000)
    hard = result.query.hard
    try:
        expected = oracle.matching(hard, world.query.exclude_ids)
    except Ambiguous:
        reject()
    assert result.total_matches == len(expected)
    assert sorted(r.id for r in result.results) == sorted(expected)
    rows = {row["id"]: row for row in oracle.rows}
    stay = oracle.stay_of(hard)
    for shown in result.results:
        for c in hard:
            assert oracle.satisfies(rows[shown.id], c, stay), f"{shown.id} fails {c}"

    scores = [r.score for r in result.results]
    assert scores == sorted(scores, reverse=True)
    ids = [r.id for r in result.results]
    paged: list[str] = []
    for offset in range(0, len(ids) + page, page):
        chunk = engine.search(world.query, limit=page, offset=offset)
        assert chunk.total_matches == result.total_matches
        assert len(chunk.results) == min(page, max(0, len(ids) - offset))
        paged.extend(r.id for r in chunk.results)
    assert paged == ids
    assert len(set(paged)) == len(paged)


# --- (b)-(e): repairs -----------------------------------------------------------------------


@settings(max_examples=200, **SETTINGS)
@given(world=worlds())
def test_repairs_are_exact_minimal_and_complete(world: World) -> None:
    engine, oracle = world.engine(), world.oracle()
    query = world.query
    result = engine.search(query, limit=3)
    need = query.min_results
    assume(result.total_matches < need)
    hard = result.query.hard
    exclude = query.exclude_ids
    available = oracle.count([], exclude)
    try:
        oracle_drops = oracle.minimal_drop_sets(hard, need, exclude)
        conflict_problems = oracle.conflict_problems(hard, result.conflict, need, exclude) if available >= need else []
    except Ambiguous:
        reject()

    # (b) something to offer, each offer at least `need` places, exactly as many as it says
    if available >= need:
        assert result.relaxations, "nothing offered although the catalog has enough places"
    for relaxation in result.relaxations:
        assert relaxation.matches >= need, relaxation.description
        for applied in (relaxation.apply(query), relaxation.apply(result.query)):
            again = engine.search(applied, limit=0)
            assert again.total_matches == relaxation.matches, (
                f"{relaxation.kind} '{relaxation.description}' promises {relaxation.matches}, "
                f"the changed query finds {again.total_matches}\n{describe(result)}")
            try:
                assert oracle.count(again.query.hard, exclude) == relaxation.matches, relaxation.description
            except Ambiguous:
                reject()

    # (c) drops are minimal: no drop contains another, no proper subset is enough
    drops = [r for r in result.relaxations if r.kind == "drop"]
    sets = [positions(hard, r.removed) for r in drops]
    assert len(set(sets)) == len(sets), "the same drop is offered twice"
    for a, b in itertools.permutations(sets, 2):
        assert not a < b, f"drop {sorted(a)} is inside drop {sorted(b)}"
    for removed, relaxation in zip(sets, drops):
        assert oracle.count_without(hard, removed, exclude) == relaxation.matches, relaxation.description
        for size in range(len(removed)):
            for smaller in itertools.combinations(sorted(removed), size):
                left = oracle.count_without(hard, smaller, exclude)
                assert left is None or left < need, (
                    f"'{relaxation.description}' is not minimal: dropping only "
                    f"{[hard[i].key for i in smaller]} leaves {left}")

    # (d) ... and complete: exactly the oracle's minimal drop sets
    assert set(sets) == oracle_drops, (
        f"engine drops {sorted(map(sorted, sets))} vs oracle {sorted(map(sorted, oracle_drops))}\n"
        f"hard: {[c.key for c in hard]}\n{describe(result)}")

    # (e) the conflict holds and is minimal
    if available >= need:
        assert result.conflict, "no conflict named"
        assert not conflict_problems, conflict_problems
        assert result.conflict_text


# --- (f): priorities -------------------------------------------------------------------------


def single_drop_priorities(result, oracle: Oracle, priorities) -> list[tuple[int, str]]:
    singles = [r for r in result.relaxations if r.kind == "drop" and len(r.removed) == 1]
    return [(oracle.priority(r.removed[0], priorities), r.removed[0].attribute) for r in singles]


@settings(max_examples=100, **SETTINGS)
@given(world=worlds(), amenity_priority=st.sampled_from([0, 10]))
def test_lower_priority_single_drops_come_first(world: World, amenity_priority: int) -> None:
    engine, oracle = world.engine(), world.oracle()
    query = replace(world.query, priorities={"amenities": amenity_priority})
    result = engine.search(query, limit=0)
    assume(result.relaxations)
    ranked = single_drop_priorities(result, oracle, query.priorities)
    assert [p for p, _ in ranked] == sorted(p for p, _ in ranked), ranked
    attributes = [a for _, a in ranked]
    if "amenities" in attributes and len(set(attributes)) > 1:
        amenity_places = [k for k, a in enumerate(attributes) if a == "amenities"]
        others = [k for k, a in enumerate(attributes) if a != "amenities"]
        if amenity_priority == 0:
            assert max(amenity_places) < min(others), attributes
        else:
            assert min(amenity_places) > max(others), attributes


@settings(max_examples=60, **SETTINGS)
@given(world=worlds(), data=st.data())
def test_per_constraint_priorities_order_single_drops(world: World, data: st.DataObject) -> None:
    engine, oracle = world.engine(), world.oracle()
    constraints = tuple(
        replace(c, priority=data.draw(st.one_of(st.none(), st.integers(0, 10)))) for c in world.query.constraints
    )
    query = replace(world.query, constraints=constraints)
    result = engine.search(query, limit=0)
    assume(result.relaxations)
    ranked = [p for p, _ in single_drop_priorities(result, oracle, query.priorities)]
    assert ranked == sorted(ranked)


def test_the_oracle_agrees_with_itself_on_the_fixture(engine, catalog_path) -> None:
    """A sanity check of the oracle: the fixture's Lisbon + pool + budget query."""
    from engine_oracle import read_catalog_rows

    oracle = Oracle(FIXTURE_KNOWLEDGE, read_catalog_rows(catalog_path))
    query = build_query(location="Lisbon", amenities=["pool"], max_price=150, guests=4)
    hard = engine.search(query).query.hard
    assert oracle.count(hard) == 0
    drops = oracle.minimal_drop_sets(hard, 1)
    names = {frozenset(hard[i].attribute for i in s) for s in drops}
    assert names == {frozenset({"amenities"}), frozenset({"price_per_night"})}
