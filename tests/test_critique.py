"""Critiques of a shown place: cheaper, bigger, closer, more like it, not it."""
from __future__ import annotations

import pandas as pd
import pytest
from engine_oracle import haversine

from constraints import Engine, InvalidValueError, build_query
from constraints.catalog import build_catalog
from constraints.critique import critique


@pytest.fixture(scope="module")
def twin_engine(knowledge, fixture_rows):
    """The fixture plus a near twin of L1 that plain ranking puts last (a mediocre rating)."""
    twin = dict(fixture_rows[0], id="L1B", title="Alfama flat twin", price_per_night="125", rating="4.0",
                review_count="12", latitude="38.7117")
    return Engine(knowledge, build_catalog(pd.DataFrame([*fixture_rows, twin]), knowledge))


def search(engine, query, limit=20):
    return engine.search(query, limit=limit)


def test_cheaper_results_are_all_cheaper_and_exclude_the_shown_place(engine):
    query = build_query(location="Lisbon")
    shown = engine.show("L1")
    changed = critique(engine, query, "L1", "cheaper")
    assert "€108" in changed.description
    results = search(engine, changed.apply(query)).results
    assert results, "nothing cheaper found"
    assert all(r.price_per_night < shown["price_per_night"] for r in results)
    assert "L1" not in [r.id for r in results]
    assert sorted(r.id for r in results) == ["L2", "L4"]


def test_cheaper_compares_in_the_base_currency(engine, knowledge):
    rate = knowledge.settings["currency"]["rates"]["USD"]
    query = build_query()
    changed = critique(engine, query, "N2", "cheaper")  # $400
    results = search(engine, changed.apply(query)).results
    assert results
    for r in results:
        assert r.price_per_night * knowledge.settings["currency"]["rates"][r.currency] < 400 * rate
    assert "N2" not in [r.id for r in results]


def test_cheaper_replaces_a_looser_budget_and_keeps_a_tighter_one(engine):
    loose = build_query(location="Lisbon", max_price=150)
    changed = critique(engine, loose, "L1", "cheaper")
    budgets = [c.value for c in changed.apply(loose).constraints if c.attribute == "price_per_night"]
    assert budgets == [108.0]
    tight = build_query(location="Lisbon", max_price=60)
    changed = critique(engine, tight, "L1", "cheaper")
    budgets = [c.value for c in changed.apply(tight).constraints if c.attribute == "price_per_night"]
    assert budgets == [60.0]
    assert [r.id for r in search(engine, changed.apply(tight)).results] == ["L4"]


def test_bigger_results_all_have_more_bedrooms(engine):
    query = build_query(location="Lisbon")
    changed = critique(engine, query, "L1", "bigger")  # 2 bedrooms
    results = search(engine, changed.apply(query)).results
    assert [r.id for r in results] == ["L3"]
    assert all(r.bedrooms > 2 for r in results)


def test_bigger_than_the_biggest_is_repaired_not_empty_handed(engine):
    query = build_query(location="Lisbon")
    changed = critique(engine, query, "L3", "bigger")  # the biggest in Lisbon
    result = search(engine, changed.apply(query))
    assert result.total_matches == 0
    assert result.relaxations
    assert any("Cascais" in r.description for r in result.relaxations)


def test_closer_results_are_all_closer_than_the_shown_place(engine, knowledge):
    alfama = next(nb for nb in knowledge.destinations["Lisbon"].neighbourhoods if nb.name == "Alfama")
    query = build_query(location="Lisbon", neighbourhood=("Lisbon", "Alfama"))
    shown = engine.show("L3")  # Belém, about 6.8 km away
    far = haversine(shown["latitude"], shown["longitude"], alfama.latitude, alfama.longitude)
    changed = critique(engine, query, "L3", "closer")
    assert "Alfama" in changed.description
    results = search(engine, changed.apply(query)).results
    assert results and "L3" not in [r.id for r in results]
    for r in results:
        place = engine.show(r.id)
        assert haversine(place["latitude"], place["longitude"], alfama.latitude, alfama.longitude) < far


def test_closer_needs_a_neighbourhood(engine):
    with pytest.raises(InvalidValueError, match="where"):
        critique(engine, build_query(location="Lisbon"), "L3", "closer")
    changed = critique(engine, build_query(location="Lisbon"), "L3", "closer", neighbourhood=("Lisbon", "Baixa"))
    assert "Baixa" in changed.description


def test_more_like_ranks_the_most_similar_first(twin_engine):
    query = build_query(location="Lisbon")
    plain = [r.id for r in search(twin_engine, query).results]
    assert plain[0] != "L1B"  # the twin is rated poorly: plain ranking does not put it first
    changed = critique(twin_engine, query, "L1", "more_like")
    liked = [r.id for r in search(twin_engine, changed.apply(query)).results]
    assert liked[0] == "L1B"
    assert "L1" not in liked
    everywhere = build_query()
    more_like = critique(twin_engine, everywhere, "L1", "more_like").apply(everywhere)
    liked = [r.id for r in search(twin_engine, more_like).results]
    assert liked[0] == "L1B"
    assert liked.index("L5") < liked.index("M1")  # a Lisbon flat for four before an Alpine chalet for ten


def test_not_this_only_hides_the_place(engine):
    query = build_query(location="Lisbon")
    changed = critique(engine, query, "L1", "not_this")
    result = search(engine, changed.apply(query))
    assert result.total_matches == 4
    assert "L1" not in [r.id for r in result.results]


def test_critiques_accumulate(engine):
    query = build_query(location="Lisbon")
    query = critique(engine, query, "L3", "cheaper").apply(query)
    query = critique(engine, query, "L5", "cheaper").apply(query)
    results = search(engine, query).results
    assert sorted(r.id for r in results) == ["L1", "L2", "L4"]
    assert query.exclude_ids == {"L3", "L5"}


def test_an_unknown_critique_or_place_is_refused(engine):
    with pytest.raises(InvalidValueError):
        critique(engine, build_query(), "L1", "prettier")
    with pytest.raises(Exception, match="ZZ"):
        critique(engine, build_query(), "ZZ", "cheaper")
