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
import math
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import pandas as pd
import pytest
from conftest import FIXTURE_KNOWLEDGE
from engine_oracle import Ambiguous, Oracle, Run, read_catalog_rows
from hypothesis import HealthCheck, assume, given, reject, settings
from hypothesis import strategies as st

from constraints import Constraint, Engine, Query, StayDates, build_query, load_knowledge
from constraints.availability import build_availability
from constraints.catalog import build_catalog
from constraints.catalog_read import CONTRACT_COLUMNS

WINDOW_FIRST = date(2027, 6, 20)  # spans June (Cascais' high season), July-August and many weekends
WINDOW_LAST = date(2027, 8, 31)
WINDOW_DAYS = (WINDOW_LAST - WINDOW_FIRST).days + 1
CURRENCIES = ["EUR", "EUR", "EUR", "USD", "GBP"]

SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                                    HealthCheck.data_too_large, HealthCheck.large_base_example])


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
# Small attributes are drawn as one mixed-radix number (fewer draws, fast generation; it
# still shrinks toward the first value of each): type, room, sleeps 1-12, bedrooms 0-6,
# beds 0-8, bathrooms 0-4 in halves, currency, min_nights 1-5.
RADICES = (len(TYPES), len(ROOMS), 12, 7, 9, 9, len(CURRENCIES), 5)
BUNDLES = math.prod(RADICES)
ROW = st.tuples(
    st.sampled_from(PLACES),
    st.integers(0, 801 * 801 - 1),  # jitter around the neighbourhood, 1e-4 degrees each way
    st.integers(0, BUNDLES - 1),
    st.integers(20, 600),  # nightly price
    st.integers(0, 2 ** len(AMENITIES) - 1),  # amenities as a bit set
    st.one_of(st.none(), st.integers(30, 50)),  # rating x10, or unrated
    st.one_of(st.integers(0, 3), st.integers(4, 80)),  # reviews: often too few for the rating to count
    st.one_of(st.none(), st.integers(1, 30)),  # max_nights
)


def digits(number: int, radices: tuple[int, ...]) -> list[int]:
    out = []
    for radix in radices:
        number, digit = divmod(number, radix)
        out.append(digit)
    return out


def make_row(i: int, drawn: tuple) -> dict[str, Any]:
    (destination, nb), jitter, bundle, price, amenity_bits, rating, reviews, max_nights = drawn
    dlat, dlon = divmod(jitter, 801)
    ptype, room, sleeps, bedrooms, beds, baths, currency, min_nights = digits(bundle, RADICES)
    min_nights += 1
    if max_nights is not None and max_nights < min_nights:
        max_nights = min_nights
    return {
        "id": f"P{i:03d}",
        "title": f"Place {i}",
        "description": "",
        "location": destination.name,
        "neighbourhood": nb.name,
        "latitude": round(nb.latitude + (dlat - 400) / 1e4, 5),
        "longitude": round(nb.longitude + (dlon - 400) / 1e4, 5),
        "property_type": TYPES[ptype],
        "room_type": ROOMS[room],
        "accommodates": sleeps + 1,
        "bedrooms": bedrooms,
        "beds": beds,
        "bathrooms": baths / 2,
        "price_per_night": float(price),
        "currency": CURRENCIES[currency],
        "min_nights": min_nights,
        "max_nights": max_nights,
        "amenities": ";".join(a for k, a in enumerate(AMENITIES) if amenity_bits >> k & 1),
        "rating": None if rating is None else rating / 10,
        "review_count": reviews,
    }


@st.composite
def catalog_rows(draw: st.DrawFn, min_rows: int = 3, max_rows: int = 40) -> list[dict[str, Any]]:
    drawn = draw(st.lists(ROW, min_size=min_rows, max_size=max_rows))
    return [make_row(i, values) for i, values in enumerate(drawn)]


RUN = st.tuples(
    st.integers(0, 39),  # which place (modulo the catalog's size)
    st.integers(-3, WINDOW_DAYS - 1), st.integers(1, 14),  # first night (a few before the window), length
    st.sampled_from(["booked", "booked", "priced", "priced booked"]), st.integers(15, 700),
)


@st.composite
def calendars(draw: st.DrawFn, ids: list[str]) -> list[Run]:
    """Booked runs (overlaps allowed) and at most one explicit-price run per place."""
    runs: list[Run] = []
    priced: set[str] = set()
    for which, start, length, kind, price in draw(st.lists(RUN, max_size=3 * len(ids))):
        pid = ids[which % len(ids)]
        first = WINDOW_FIRST + timedelta(days=start)
        if kind == "booked":
            runs.append(Run(pid, first, first + timedelta(days=length), False))
        elif pid not in priced:
            priced.add(pid)
            runs.append(Run(pid, first, first + timedelta(days=length), kind == "priced", float(price)))
    return runs


REQUIREMENTS = ["location", "location", "stay", "stay", "budget", "budget", "min_price", "guests", "guests",
                "bedrooms", "amenities", "amenities", "types", "room", "rating", "pets", "radius", "beds",
                "bathrooms", "centre"]


@st.composite
def queries(draw: st.DrawFn, dated: bool) -> Query:
    """A query as the front ends build them: a few requirements, some wishes, some context.

    Which requirements are asked is drawn first (usually two or three), so
    some queries match many places and some nothing at all.
    """
    asked = draw(st.sets(st.sampled_from(REQUIREMENTS), max_size=7))
    kw: dict[str, Any] = {}
    context: dict[str, Any] = {}
    extra: list[Constraint] = []
    if "location" in asked:
        kw["location"] = draw(st.sampled_from(DESTINATIONS)).name
    stay_nights = None
    if "stay" in asked:
        if dated and draw(st.booleans()):
            nights = draw(st.integers(1, 7))
            start = draw(st.integers(0, WINDOW_DAYS - nights))
            check_in = WINDOW_FIRST + timedelta(days=start)
            kw["dates"] = StayDates(check_in, check_in + timedelta(days=nights))
            stay_nights = nights
        else:
            stay_nights = kw["nights"] = draw(st.integers(1, 8))
    if "budget" in asked:
        if stay_nights and draw(st.booleans()):
            kw["budget_scope"] = "stay"
            kw["max_price"] = draw(st.integers(40, 500)) * stay_nights + 0.37
        else:
            kw["max_price"] = float(draw(st.integers(20, 600)))
    if "min_price" in asked:
        kw["min_price"] = float(draw(st.integers(20, 400)))
    if "guests" in asked:
        kw["guests"] = draw(st.integers(1, 12))  # more than 6 brings in the bedrooms rule
    if "bedrooms" in asked:
        kw["bedrooms"] = draw(st.integers(1, 6))
    if "amenities" in asked:
        kw["amenities"] = draw(st.lists(st.sampled_from(AMENITIES), min_size=1, max_size=3, unique=True))
    if "types" in asked:
        kw["property_types"] = draw(st.lists(st.sampled_from(TYPES), min_size=1, max_size=2, unique=True))
    if "room" in asked:
        kw["room_type"] = draw(st.sampled_from(ROOMS))
    if "rating" in asked:
        kw["min_rating"] = draw(st.integers(35, 50)) / 10
    if "pets" in asked:
        context["pets"] = True
    if "radius" in asked:
        destination = draw(st.sampled_from(DESTINATIONS))
        nb = draw(st.sampled_from(destination.neighbourhoods))
        radius = draw(st.integers(1, 12)) / 2 + 0.013
        extra.append(Constraint("neighbourhood", "within_km", (destination.name, nb.name, radius)))
    if "centre" in asked:
        kw["centre_km"] = draw(st.integers(1, 12)) / 2 + 0.013
    if "beds" in asked:
        extra.append(Constraint("beds", ">=", draw(st.integers(1, 6))))
    if "bathrooms" in asked:
        extra.append(Constraint("bathrooms", ">=", draw(st.integers(1, 6)) / 2))
    # wishes and context that rank rather than filter
    kw["nice_to_have"] = draw(st.lists(st.sampled_from(AMENITIES), max_size=2, unique=True))
    if draw(st.integers(0, 5)) == 0:
        context["purpose"] = "work"
    if draw(st.integers(0, 5)) == 0:
        context["infants"] = True
    if draw(st.integers(0, 4)) == 0:
        destination = draw(st.sampled_from(DESTINATIONS))
        kw["neighbourhood"] = (destination.name, draw(st.sampled_from(destination.neighbourhoods)).name)
    kw["context"] = context
    kw["min_results"] = draw(st.integers(1, 3))
    return build_query(**kw).with_constraints(*extra)


@dataclass
class World:
    """A random catalog (with or without a calendar) and a few queries to ask it."""

    rows: list[dict[str, Any]]
    runs: list[Run] | None
    queries: list[Query]

    def engine(self) -> Engine:
        frame = pd.DataFrame(self.rows, columns=[*CONTRACT_COLUMNS, "max_nights"])
        catalog = build_catalog(frame, K)
        assert catalog.size == len(self.rows), [str(i) for i in catalog.issues]
        calendar = None
        if self.runs is not None:
            runs = pd.DataFrame(
                [{"id": r.id, "start": r.start.isoformat(), "end": r.end.isoformat(),
                  "available": "true" if r.available else "false", "price": r.price} for r in self.runs],
                columns=["id", "start", "end", "available", "price"],
            )
            calendar = build_availability(runs, WINDOW_FIRST, WINDOW_LAST, catalog, K)
            assert calendar.issues == []
        return Engine(K, catalog, calendar)

    def oracle(self) -> Oracle:
        return Oracle(FIXTURE_KNOWLEDGE, self.rows, self.runs or ())


@st.composite
def worlds(draw: st.DrawFn, min_rows: int = 3) -> World:
    """Building a catalog costs more than a query, so each catalog is asked 1-5 queries."""
    rows = draw(catalog_rows(min_rows=min_rows))
    runs = draw(calendars([r["id"] for r in rows])) if draw(st.booleans()) else None
    asked = draw(st.lists(queries(dated=True), min_size=1, max_size=5))
    ids = [r["id"] for r in rows]
    for k, query in enumerate(asked):
        if draw(st.integers(0, 4)) == 0:  # places turned down earlier, or a "more like this one"
            asked[k] = replace(query, exclude_ids=frozenset(draw(st.lists(st.sampled_from(ids), max_size=3))),
                               reference_id=draw(st.one_of(st.none(), st.sampled_from(ids))))
    return World(rows, runs, asked)


def positions(hard: list, removed: tuple[Constraint, ...]) -> frozenset[int]:
    """Where the engine's removed constraints sit among the oracle's hard ones (matched by what they ask)."""
    keys = [c.key for c in hard]
    for c in removed:
        assert c.key in keys, f"the engine removes {c.key}, which the oracle's query does not hold"
    found = frozenset(keys.index(c.key) for c in removed)
    assert len(found) == len(removed), "a relaxation removes a constraint twice"
    return found


def expanded_hard(engine_query: Query, oracle: Oracle, query: Query) -> list:
    """The oracle's own expansion of `query`, checked against the engine's.

    The oracle never reads the engine's expanded query: it applies rules.yml
    itself, and the engine must have expanded to the same hard constraints.
    """
    hard = oracle.expand(query).hard
    assert sorted(map(repr, (c.key for c in engine_query.hard))) == sorted(map(repr, (w.key for w in hard))), (
        f"engine {[c.key for c in engine_query.hard]} vs oracle {[w.key for w in hard]}")
    return hard


def describe(result) -> str:
    return "\n".join(f"  {r.kind}: {r.description} removed={[c.key for c in r.removed]}" for r in result.relaxations)


# --- (a) and (g): results -------------------------------------------------------------------


def check_results(engine: Engine, oracle: Oracle, query: Query, page: int) -> None:
    result = engine.search(query, limit=1000)
    hard = expanded_hard(result.query, oracle, query)
    expected = oracle.matching(hard, query.exclude_ids)
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
        chunk = engine.search(query, limit=page, offset=offset)
        assert chunk.total_matches == result.total_matches
        assert len(chunk.results) == min(page, max(0, len(ids) - offset))
        paged.extend(r.id for r in chunk.results)
    assert paged == ids, "pages disagree with the full list"
    assert len(set(paged)) == len(paged), "pages overlap"


@settings(max_examples=50, **SETTINGS)
@given(world=worlds(), page=st.integers(1, 4))
def test_results_satisfy_the_query_and_counts_are_exact(world: World, page: int) -> None:
    engine, oracle = world.engine(), world.oracle()
    for query in world.queries:
        try:
            check_results(engine, oracle, query, page)
        except Ambiguous:
            reject()


# --- (b)-(e): repairs -----------------------------------------------------------------------


def check_repairs(engine: Engine, oracle: Oracle, query: Query) -> bool:
    """Checks the repairs of `query`; False when it needs none."""
    result = engine.search(query, limit=3)
    need = query.min_results
    if result.total_matches >= need:
        return False
    hard = expanded_hard(result.query, oracle, query)
    exclude = query.exclude_ids
    available = oracle.count([], exclude)

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
            assert oracle.count(expanded_hard(again.query, oracle, applied), exclude) == relaxation.matches, (
                relaxation.description)

    # (c) drops are minimal: no drop contains another, no proper subset is enough
    drops = [r for r in result.relaxations if r.kind == "drop"]
    sets = [positions(hard, r.removed) for r in drops]
    assert len(set(sets)) == len(sets), "the same drop is offered twice"
    for a, b in itertools.permutations(sets, 2):
        assert not a < b, f"drop {sorted(a)} is inside drop {sorted(b)}"
    for removed, relaxation in zip(sets, drops, strict=True):
        assert oracle.count_without(hard, removed, exclude) == relaxation.matches, relaxation.description
        for size in range(len(removed)):
            for smaller in itertools.combinations(sorted(removed), size):
                left = oracle.count_without(hard, smaller, exclude)
                assert left is None or left < need, (
                    f"'{relaxation.description}' is not minimal: dropping only "
                    f"{[hard[i].key for i in smaller]} leaves {left}")

    # (d) ... and complete: exactly the oracle's minimal drop sets
    oracle_drops = oracle.minimal_drop_sets(hard, need, exclude)
    assert set(sets) == oracle_drops, (
        f"engine drops {sorted(map(sorted, sets))} vs oracle {sorted(map(sorted, oracle_drops))}\n"
        f"hard: {[c.key for c in hard]}\n{describe(result)}")

    # (e) the conflict holds and is minimal
    if available >= need:
        assert result.conflict, "no conflict named"
        # nothing at all: the conflict says why nothing matches; a few: why too few do
        explained = 1 if result.total_matches == 0 else need
        problems = oracle.conflict_problems(hard, result.conflict, explained, exclude)
        assert not problems, problems
        assert result.conflict_text
    return True


@settings(max_examples=90, **SETTINGS)
@given(world=worlds())
def test_repairs_are_exact_minimal_and_complete(world: World) -> None:
    engine, oracle = world.engine(), world.oracle()
    repaired = 0
    for query in world.queries:
        try:
            repaired += check_repairs(engine, oracle, query)
        except Ambiguous:
            reject()
    assume(repaired)


# --- (f): priorities -------------------------------------------------------------------------


def single_drop_priorities(result, oracle: Oracle, priorities) -> list[tuple[int, str]]:
    singles = [r for r in result.relaxations if r.kind == "drop" and len(r.removed) == 1]
    return [(oracle.priority(r.removed[0], priorities), r.removed[0].attribute) for r in singles]


@settings(max_examples=35, **SETTINGS)
@given(world=worlds(), amenity_priority=st.sampled_from([0, 10]))
def test_lower_priority_single_drops_come_first(world: World, amenity_priority: int) -> None:
    engine, oracle = world.engine(), world.oracle()
    for query in world.queries:
        query = replace(query, priorities={"amenities": amenity_priority})
        result = engine.search(query, limit=0)
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


PRIORITY = st.one_of(st.none(), st.integers(0, 10))


@settings(max_examples=20, **SETTINGS)
@given(world=worlds(), priorities=st.lists(PRIORITY, min_size=24, max_size=24))
def test_per_constraint_priorities_order_single_drops(world: World, priorities: list[int | None]) -> None:
    engine, oracle = world.engine(), world.oracle()
    for query in world.queries:
        # more priorities than any query has constraints: each constraint takes the next one
        constraints = tuple(replace(c, priority=p) for c, p in zip(query.constraints, priorities, strict=False))
        query = replace(query, constraints=constraints)
        result = engine.search(query, limit=0)
        ranked = [p for p, _ in single_drop_priorities(result, oracle, query.priorities)]
        assert ranked == sorted(ranked)


def test_the_oracle_agrees_with_the_fixture(engine, catalog_path) -> None:
    """A sanity check of the oracle itself: the fixture's Lisbon + pool + budget query."""
    oracle = Oracle(FIXTURE_KNOWLEDGE, read_catalog_rows(catalog_path))
    query = build_query(location="Lisbon", amenities=["pool"], max_price=150, guests=4)
    hard = expanded_hard(engine.search(query).query, oracle, query)
    assert oracle.count(hard) == 0
    assert oracle.count(hard[:1]) == 5
    drops = oracle.minimal_drop_sets(hard, 1)
    names = {frozenset(hard[i].attribute for i in s) for s in drops}
    assert names == {frozenset({"amenities"}), frozenset({"price_per_night"})}
    assert oracle.conflict_problems(hard, [hard[1], hard[3]], 1) == []
    assert oracle.conflict_problems(hard, hard, 1)  # the whole query is a conflict, not a minimal one


SHIPPED = FIXTURE_KNOWLEDGE.parent.parent.parent / "knowledge"
SHIPPED_STAYS = [  # weekends, high seasons, New Year's Eve (re-priced nights in the calendar), a week
    ("Lisbon", date(2026, 12, 4), 3, 600.37), ("Cascais", date(2027, 7, 30), 7, 1500.37),
    ("Porto", date(2026, 12, 30), 3, 450.37), ("Barcelona", date(2027, 3, 2), 3, 420.37),
    ("New York City", date(2027, 12, 28), 4, 900.37), ("Kyoto", date(2027, 6, 3), 7, 1100.37),
]


@lru_cache(maxsize=1)
def shipped() -> tuple[Engine, Oracle]:
    return Engine.load(SHIPPED), Oracle.for_catalog(SHIPPED, SHIPPED / "catalog.csv")


@pytest.mark.parametrize("location, check_in, nights, budget", SHIPPED_STAYS)
def test_the_oracle_prices_and_books_the_shipped_catalog_as_the_engine_does(location, check_in, nights, budget):
    """The conversation checker grades stay budgets and free nights with the oracle, read from the files."""
    engine, oracle = shipped()
    dates = StayDates(check_in, check_in + timedelta(days=nights))
    for scope in ("stay", "night"):
        query = build_query(location=location, dates=dates, max_price=budget / (1 if scope == "stay" else nights),
                            budget_scope=scope)
        result = engine.search(query, limit=1000)
        expected = oracle.matching(expanded_hard(result.query, oracle, query))
        assert sorted(r.id for r in result.results) == sorted(expected)
        assert 0 < len(expected) < len(oracle.matching(oracle.expand(build_query(location=location)).hard))
