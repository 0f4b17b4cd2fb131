"""Dynamic compound critiques on a catalog whose frequent patterns are known."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from constraints import Engine, build_query
from constraints.catalog import build_catalog
from constraints.compound import compound_critiques


def _row(pid: str, price: float, bedrooms: int, amenities: str, rating: float = 4.5) -> dict:
    return {
        "id": pid, "title": f"Place {pid}", "description": "", "location": "Lisbon", "neighbourhood": "Baixa",
        "latitude": 38.7108, "longitude": -9.1367, "property_type": "apartment", "room_type": "entire_home",
        "accommodates": 4, "bedrooms": bedrooms, "beds": max(1, bedrooms), "bathrooms": 1,
        "price_per_night": price, "currency": "EUR", "min_nights": 1, "amenities": amenities,
        "rating": rating, "review_count": 50,
    }


@pytest.fixture(scope="module")
def patterned(knowledge) -> Engine:
    """A reference place R and twenty others: cheaper-with-parking and bigger-with-pool are the patterns."""
    rows = [_row("R", 200, 1, "wifi")]
    rows += [_row(f"CP{i}", 100, 1, "wifi;free_parking") for i in range(6)]   # cheaper and with parking
    rows += [_row(f"C{i}", 120, 1, "wifi") for i in range(4)]                 # only cheaper
    rows += [_row(f"BP{i}", 250, 2, "wifi;pool") for i in range(5)]           # bigger and with a pool
    rows += [_row(f"O{i}", 220, 1, "wifi") for i in range(5)]                 # no difference worth offering
    return Engine(knowledge, build_catalog(pd.DataFrame(rows), knowledge))


def test_the_known_combinations_are_found_with_their_counts(patterned: Engine) -> None:
    query = build_query(location="Lisbon", guests=2)
    offered = compound_critiques(patterned, query, "R")
    described = {tuple(sorted(d.key for d in c.differences)): c.matches for c in offered}
    assert described == {("amenity:pool", "bigger"): 5, ("amenity:free_parking", "cheaper"): 6}


def test_lower_support_comes_first_and_no_difference_is_offered_twice(patterned: Engine) -> None:
    offered = compound_critiques(patterned, build_query(location="Lisbon", guests=2), "R")
    assert [c.matches for c in offered] == sorted(c.matches for c in offered)
    keys = [d.key for c in offered for d in c.differences]
    assert len(keys) == len(set(keys))


def test_choosing_a_critique_gives_exactly_the_places_counted(patterned: Engine) -> None:
    query = build_query(location="Lisbon", guests=2)
    for critique in compound_critiques(patterned, query, "R"):
        chosen = replace(query.with_constraints(*critique.added), exclude_ids=frozenset({"R"}))
        result = patterned.search(chosen, limit=50)
        assert result.total_matches == critique.matches
        assert "R" not in {r.id for r in result.results}


def test_support_outside_the_band_is_not_offered(patterned: Engine) -> None:
    # "with wifi" is not a difference (R has it); nothing else is shared by more than 60 %
    offered = compound_critiques(patterned, build_query(location="Lisbon", guests=2), "R")
    assert all(0.10 <= c.support <= 0.60 for c in offered)


def test_descriptions_read_like_offers(patterned: Engine) -> None:
    offered = compound_critiques(patterned, build_query(location="Lisbon", guests=2), "R")
    texts = {c.description for c in offered}
    assert "2+ bedrooms and with a pool: 5 places" in texts
    assert any(t.startswith("Cheaper (under €180) and with free parking: 6 places") for t in texts)
