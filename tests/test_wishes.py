"""Wishes in the traveller's own words: what a traveller sees change when they add one."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
import real_data
from test_airbnb_import import SHARED_DATA

from constraints import Engine, load_knowledge
from constraints.cli import main
from constraints.query import Query, build_query

BASE = {"location": "Lisbon", "latitude": 38.7115, "longitude": -9.1301, "property_type": "apartment",
        "room_type": "entire_home", "bedrooms": 1, "beds": 1, "bathrooms": 1, "currency": "EUR", "min_nights": 1,
        "amenities": "wifi"}
ROWS = [
    {**BASE, "id": "W1", "title": "Bright flat in Baixa", "neighbourhood": "Baixa", "accommodates": 4,
     "price_per_night": 90, "rating": 4.95, "review_count": 300,
     "description": "Lively flat above a bar, great nightlife and music until late."},
    {**BASE, "id": "W2", "title": "Flat in Alfama", "neighbourhood": "Alfama", "accommodates": 2,
     "price_per_night": 140, "rating": 4.3, "review_count": 12,
     "description": "Quiet rooms upstairs. The kitchen is new and there is a river nearby. "
                    "Our flat sits on a quiet street with river views, two minutes from the tram."},
    {**BASE, "id": "W3", "title": "Studio in Baixa", "neighbourhood": "Baixa", "accommodates": 2,
     "price_per_night": 80, "rating": 4.8, "review_count": 150, "amenities": "wifi;dedicated_workspace",
     "description": "Central studio with a big desk by the window."},
    {**BASE, "id": "W4", "title": "Quiet loft in Alfama", "neighbourhood": "Alfama", "accommodates": 3,
     "price_per_night": 120, "rating": 4.6, "review_count": 40, "amenities": "wifi;pets_allowed",
     "description": "Loft near the castle."},
    {**BASE, "id": "W5", "title": "Family flat in Belém", "neighbourhood": "Belém", "accommodates": 6,
     "price_per_night": 100, "rating": 4.9, "review_count": 200,
     "description": "Spacious flat for families, close to the monastery."},
]


@pytest.fixture
def wish_catalog(catalog_writer) -> Path:
    return catalog_writer(ROWS)


@pytest.fixture
def engine(knowledge_dir, wish_catalog) -> Engine:
    return Engine.load(knowledge_dir, wish_catalog)


def lisbon(*wishes: str, **kwargs) -> Query:
    return replace(build_query(location="Lisbon", guests=2, **kwargs), wishes=wishes)


def ids(engine: Engine, query: Query) -> list[str]:
    return [r.id for r in engine.search(query, limit=10).results]


def test_a_wish_moves_the_place_whose_description_says_it_to_the_top(engine):
    assert ids(engine, lisbon())[0] != "W2"
    result = engine.search(lisbon("somewhere quiet, with a river view"), limit=3)
    assert result.results[0].id == "W2"


def test_a_wish_never_excludes_a_place(engine):
    plain = engine.search(lisbon(), limit=10)
    wished = engine.search(lisbon("quiet, river view", "near the castle"), limit=10)
    assert wished.total_matches == plain.total_matches == 5
    assert sorted(ids(engine, lisbon("quiet, river view"))) == sorted(r.id for r in plain.results)


def test_a_wish_no_listing_speaks_of_keeps_the_order_and_says_so(engine):
    result = engine.search(lisbon("unicorns"), limit=10)
    assert [r.id for r in result.results] == ids(engine, lisbon())
    assert any("unicorns" in note for note in result.query.notes)


def test_the_explanation_says_the_words_and_quotes_the_shortest_fragment_holding_them(engine):
    top = engine.search(lisbon("quiet, river view"), limit=1).results[0]
    assert top.id == "W2"
    first = top.explanation[0]
    assert first.startswith("Your wish “quiet, river view”: mentions quiet, river, views")
    assert "“… on a quiet street with river views, two minutes …”" in first
    assert "Quiet rooms upstairs" not in first  # the earlier, longer stretch is not the one quoted


def test_a_word_only_the_title_says_is_quoted_from_the_title(engine):
    result = engine.search(lisbon("quiet loft"), limit=1).results[0]
    assert result.id == "W4"
    assert "the title says “Quiet loft in Alfama”" in result.explanation[0]


def test_places_that_do_not_answer_a_wish_get_no_wish_line(engine):
    for result in engine.search(lisbon("quiet"), limit=10).results:
        says_it = result.id in {"W2", "W4"}
        assert any(line.startswith("Your wish") for line in result.explanation) == says_it


def test_a_wish_naming_an_amenity_is_that_amenity_as_a_nice_to_have(engine):
    result = engine.search(lisbon("a desk to work at"), limit=3)
    wished = result.query.find("amenities")
    assert wished is not None and wished.value == "dedicated_workspace" and not wished.is_hard
    assert result.results[0].id == "W3"
    assert any("“a desk to work at” read as Dedicated workspace" in note for note in result.query.notes)


def test_a_wish_that_reveals_the_trip_fires_the_knowledge_rules_softly(engine):
    query = engine.prepare(lisbon("good for working remotely"))
    from_rule = [c for c in query.constraints if c.source == "rule:remote_work"]
    assert {c.value for c in from_rule} == {"wifi", "dedicated_workspace"}
    assert all(not c.is_hard for c in from_rule)
    assert engine.search(lisbon("good for working remotely"), limit=1).results[0].id == "W3"


def test_a_wish_whose_rule_is_a_requirement_still_only_prefers(engine):
    wished = engine.search(lisbon("fine with my dog"), limit=10)
    assert wished.total_matches == 5
    pets = [c for c in wished.query.constraints if c.source == "rule:pets_allowed"]
    assert pets and not pets[0].is_hard
    assert wished.results[0].id == "W4"
    told = engine.search(build_query(location="Lisbon", guests=2, context={"pets": True}), limit=10)
    assert told.total_matches == 1  # said as context, the same rule is a requirement


def test_preparing_a_query_twice_changes_nothing_more(engine):
    once = engine.prepare(lisbon("quiet", "a desk"))
    assert engine.prepare(once) == once


def test_why_not_ranks_as_the_wished_search_does(engine):
    query = lisbon("quiet, river view")
    answer = engine.why_not("W2", query, limit=3)
    assert answer.rank == 1 and answer.visible


def test_a_search_without_wishes_builds_no_text_index(engine):
    engine.search(lisbon(), limit=3)
    assert engine.wishes._index is None
    engine.search(lisbon("quiet"), limit=3)
    assert engine.wishes._index is not None


# --- the command line ---------------------------------------------------------------


def run(capsys, knowledge_dir: Path, catalog: Path, *args: str) -> tuple[int, str, str]:
    try:
        status = main([*args, "--knowledge", str(knowledge_dir), "--catalog", str(catalog)])
    except SystemExit as exc:
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_wish_json_echoes_the_wishes_and_quotes_in_the_explanation(capsys, knowledge_dir, wish_catalog):
    status, out, _ = run(capsys, knowledge_dir, wish_catalog, "search", "--location", "Lisbon", "--guests", "2",
                         "--wish", "quiet, river view", "--wish", "near the castle", "--json")
    assert status == 0
    document = json.loads(out)
    assert document["wishes"] == ["quiet, river view", "near the castle"]
    assert isinstance(document["query"], list)  # the constraints' echo keeps its contract shape
    assert document["total_matches"] == 5
    first_two = {r["id"]: r for r in document["results"][:2]}
    assert set(first_two) == {"W2", "W4"}  # each answers a wish; the other three answer none
    assert first_two["W2"]["explanation"][0].startswith("Your wish “quiet, river view”: mentions quiet, river, views")
    assert first_two["W4"]["explanation"][1].startswith("Your wish “near the castle”: mentions near, castle")


def test_cli_without_wish_echoes_an_empty_list(capsys, knowledge_dir, wish_catalog):
    status, out, _ = run(capsys, knowledge_dir, wish_catalog, "search", "--location", "Lisbon", "--json")
    assert status == 0 and json.loads(out)["wishes"] == []


def test_cli_refuses_an_empty_wish_in_one_line(capsys, knowledge_dir, wish_catalog):
    status, _, err = run(capsys, knowledge_dir, wish_catalog, "search", "--location", "Lisbon", "--wish", "  ")
    assert status == 2 and "a wish needs words" in err and "Traceback" not in err


def test_cli_why_not_takes_wishes(capsys, knowledge_dir, wish_catalog):
    status, out, _ = run(capsys, knowledge_dir, wish_catalog, "why-not", "W2", "--location", "Lisbon",
                         "--guests", "2", "--wish", "quiet, river view", "--limit", "3", "--json")
    assert status == 0 and json.loads(out)["rank"] == 1


# --- a real city ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project_knowledge():
    """The project's knowledge/, which the importer maps real amenity strings with."""
    return load_knowledge()


def test_on_real_antwerp_listings_a_quiet_wish_shows_places_that_say_quiet(project_knowledge):
    from constraints.airbnb import convert_listings
    from constraints.catalog import build_catalog

    listings = SHARED_DATA / "listings" / "antwerp.csv.gz"
    if not listings.exists():
        real_data.skip("wishes", f"real Inside Airbnb data not found at {listings} (set STAYS_SHARED_DATA)")
    frame, _ = convert_listings(listings, "Antwerp", project_knowledge, currency="EUR")
    engine = Engine(project_knowledge, build_catalog(frame, project_knowledge))
    real_data.ran("wishes", ["Antwerp"])
    query = replace(build_query(location="Antwerp", guests=2), wishes=("somewhere quiet",))
    wished = engine.search(query, limit=3)
    assert wished.total_matches == engine.search(replace(query, wishes=()), limit=0).total_matches
    for result in wished.results:
        text = f"{result.title} {engine.show(result.id)['description']}".lower()
        assert "quiet" in text
        assert result.explanation[0].startswith("Your wish “somewhere quiet”: mentions quiet")
