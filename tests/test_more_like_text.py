"""'More like this one' weighs what the listings say about themselves, and says which words they share."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from constraints import Engine, build_query
from constraints.critique import critique
from constraints.similar import WEIGHTS
from constraints.text_index import TextIndex

STOP = ("a", "the", "with", "in", "and", "of", "for")
BASE = {"location": "Lisbon", "neighbourhood": "Baixa", "latitude": 38.7115, "longitude": -9.1361,
        "property_type": "apartment", "room_type": "entire_home", "accommodates": 2, "bedrooms": 1, "beds": 1,
        "bathrooms": 1, "currency": "EUR", "min_nights": 1, "amenities": "wifi", "price_per_night": 100,
        "rating": 4.5, "review_count": 20}
# T2 and T3 are alike in every column; only T2 says what the reference T1 says about itself
ROWS = [
    {**BASE, "id": "T1", "title": "Flat in Baixa", "description": "A hidden courtyard, vintage tiles."},
    {**BASE, "id": "T2", "title": "Flat in Baixa", "rating": 4.5,
     "description": "Shady patio and vintage tiles."},
    {**BASE, "id": "T3", "title": "Flat in Baixa", "rating": 4.6, "description": "Steps from the metro."},
    *({**BASE, "id": f"P{k}", "location": "Porto", "neighbourhood": "Ribeira", "latitude": 41.1406,
       "longitude": -8.6110, "title": "Loft in Ribeira", "description": "By the river."} for k in range(3)),
]


def test_cosine_similarity_is_one_to_itself_and_zero_without_a_shared_word():
    index = TextIndex(["quiet loft with river views", "quiet flat by the river", "busy bar"], STOP)
    alike = index.similarity(0, np.array([0, 1, 2]))
    assert alike[0] == pytest.approx(1.0, abs=1e-6)
    assert 0 < alike[1] < 1 and alike[2] == 0
    assert index.similarity(0, np.array([], dtype=np.intp)).shape == (0,)


def test_similarity_is_read_at_the_rows_asked_in_their_order():
    index = TextIndex(["quiet loft", "quiet flat", "busy bar", "quiet loft"], STOP)
    assert list(index.similarity(0, np.array([3, 2]))) == pytest.approx([1.0, 0.0], abs=1e-6)


def test_shared_words_come_rarest_first():
    index = TextIndex(["quiet loft river", "quiet loft river", "quiet flat", "quiet bar"], STOP)
    assert index.shared(0, 1) == ("loft", "river", "quiet")
    assert index.shared(0, 2) == ("quiet",)
    assert index.shared(2, 3) == ("quiet",)


def test_the_description_is_one_part_of_the_likeness():
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)
    assert 0 < WEIGHTS["description"] < max(WEIGHTS.values())


@pytest.fixture
def engine(knowledge_dir: Path, catalog_writer) -> Engine:
    return Engine.load(knowledge_dir, catalog_writer(ROWS))


def test_more_like_puts_the_place_that_says_the_same_things_first(engine):
    query = build_query(location="Lisbon")
    assert [r.id for r in engine.search(query, limit=3).results][:2] == ["T3", "T1"]  # by rating alone
    liked = engine.search(critique(engine, query, "T1", "more_like").apply(query), limit=3).results
    assert [r.id for r in liked] == ["T2", "T3"]
    assert liked[0].explanation[0] == "Like “Flat in Baixa”, it says vintage, tiles"
    assert not liked[1].explanation[0].startswith("Like")  # it shares no word worth naming


def test_a_search_without_a_reference_names_no_likeness(engine):
    results = engine.search(build_query(location="Lisbon"), limit=3).results
    assert not any(line.startswith("Like ") for r in results for line in r.explanation)
