"""Any place on earth: the gazetteer, the normaliser's reading of places, and the nearest destinations.

What a traveller notices: "Sydney, Australia" is Sydney; "Toronto, Ontario"
is a real place even though we hold no stays there, and the answer names the
destinations nearest to it with how far and how many places; gibberish is
still "did you mean".
"""
from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from constraints import Engine
from constraints.errors import KnowledgeError, UnknownValueError
from constraints.gazetteer import gazetteer
from constraints.knowledge import load_knowledge
from constraints.places import UnknownPlace
from constraints.query import Constraint, Query

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def shipped() -> Engine:
    return Engine.load()


# --- the gazetteer alone --------------------------------------------------------------


@pytest.mark.parametrize("text, name, kind", [
    ("Nairobi", "Nairobi, Kenya", "city"),
    ("nairobi", "Nairobi, Kenya", "city"),
    ("Toronto, Ontario", "Toronto, Canada", "city"),
    ("Seattle, WA", "Seattle, Washington", "city"),
    ("Seattle WA", "Seattle, Washington", "city"),
    ("Perth, WA", "Perth, Australia", "city"),  # WA is Western Australia too
    ("Paris, Texas", "Paris, Texas", "city"),
    ("Portland", "Portland, Oregon", "city"),  # the most populous Portland
    ("Portland, Maine", "Portland, Maine", "city"),  # unless the state says otherwise
    ("Portland, Maine, USA", "Portland, Maine", "city"),
    ("Sydney, Nova Scotia", "Sydney, Canada", "city"),
    ("San Diego, CA", "San Diego, California", "city"),  # CA: California before Canada
    ("Bombay", "Mumbai, India", "city"),  # an alternate name
    ("Washington", "Washington, District of Columbia", "city"),  # a big city before the state
    ("Kenya", "Kenya", "country"),
    ("Florida", "Florida, United States", "state"),
])
def test_gazetteer_reads_cities_qualifiers_countries_and_states(text: str, name: str, kind: str) -> None:
    place = gazetteer().resolve(text)
    assert place is not None, text
    assert (place.name, place.kind) == (name, kind)


def test_a_display_name_reads_back_to_the_same_place() -> None:
    for text in ("Portland, Maine", "Sydney, Nova Scotia", "Nairobi", "Florida", "Perth, WA"):
        place = gazetteer().resolve(text)
        again = gazetteer().resolve(place.name)
        assert (again.latitude, again.longitude) == (place.latitude, place.longitude), text


def test_gazetteer_knows_nothing_of_gibberish_and_airport_codes() -> None:
    assert gazetteer().resolve("Xqzvbrt") is None
    assert gazetteer().resolve("was") is None  # Washington's airport code is not a name
    assert gazetteer().resolve("") is None


def test_nairobi_is_where_nairobi_is() -> None:
    place = gazetteer().resolve("Nairobi")
    assert abs(place.latitude - (-1.29)) < 0.1 and abs(place.longitude - 36.82) < 0.1


# --- the normaliser: a destination always wins ----------------------------------------


@pytest.mark.parametrize("text, destination", [
    ("Porto", "Porto"),
    ("Rio de Janeiro", "Rio de Janeiro"),
    ("Sydney, Australia", "Sydney"),
    ("Sydney Australia", "Sydney"),
    ("Paris, France", "Paris"),
    ("Paris France", "Paris"),
    ("Cape Town, South Africa", "Cape Town"),
    ("Seminyak, Indonesia", "Seminyak"),
    ("Miami, FL", "Miami"),
    ("NYC", "New York City"),
    ("NY", "New York City"),
    ("New York", "New York City"),
    ("Lisbon, Portugal", "Lisbon"),
])
def test_a_known_destination_wins(shipped: Engine, text: str, destination: str) -> None:
    found = shipped.normaliser.location(text)
    assert found.value == destination and found.elsewhere is None


def test_a_city_inside_a_destination_is_that_destination_said_as_a_correction(shipped: Engine) -> None:
    found = shipped.normaliser.location("Vila Nova de Gaia")  # across the river from Porto
    assert (found.value, found.corrected) == ("Porto", True)


def test_a_qualifier_that_does_not_fit_the_destination_means_another_place(shipped: Engine) -> None:
    found = shipped.normaliser.location("Paris, Texas")
    assert found.elsewhere is not None and str(found.value) == "Paris, Texas"
    sydney = shipped.normaliser.location("Sydney, Nova Scotia")
    assert str(sydney.value) == "Sydney, Canada"


@pytest.mark.parametrize("text, name", [
    ("Nairobi", "Nairobi, Kenya"),
    ("Toronto, Ontario", "Toronto, Canada"),
    ("Seattle, WA", "Seattle, Washington"),
    ("LA", "Los Angeles, California"),
    ("SF", "San Francisco, California"),
    ("San Fran", "San Francisco, California"),
    ("Philly", "Philadelphia, Pennsylvania"),
    ("UK", "United Kingdom"),
    ("Australia", "Australia"),
])
def test_places_we_hold_no_stays_in_resolve_to_a_point(shipped: Engine, text: str, name: str) -> None:
    found = shipped.normaliser.location(text)
    place = found.elsewhere
    assert isinstance(place, UnknownPlace) and str(place) == name
    assert -90 <= place.latitude <= 90 and -180 <= place.longitude <= 180


def test_a_typo_of_a_destination_beats_a_small_town_but_not_a_city(shipped: Engine) -> None:
    assert shipped.normaliser.location("Sidney").value == "Sydney"  # Sidney, Ohio has 20,000 people
    assert shipped.normaliser.location("Lisbn").value == "Lisbon"
    assert str(shipped.normaliser.location("Prato").value) == "Prato, Italy"  # not Porto misspelt


@pytest.mark.parametrize("text", ["Xqzvbrt", "Atlantis", "semi", "us", "okay"])
def test_gibberish_and_words_are_still_unknown(shipped: Engine, text: str) -> None:
    with pytest.raises(UnknownValueError):
        shipped.normaliser.location(text)


def test_fixture_knowledge_reads_places_elsewhere_too(engine: Engine) -> None:
    assert engine.normaliser.location("Lisboa").value == "Lisbon"
    assert str(engine.normaliser.location("Nairobi").value) == "Nairobi, Kenya"
    with pytest.raises(UnknownValueError):
        engine.normaliser.location("Xqzvbrt")


def test_an_unknown_place_survives_pickling_with_its_point() -> None:
    place = UnknownPlace("Nairobi, Kenya", -1.28, 36.82, "Kenya", "city")
    again = pickle.loads(pickle.dumps(place))
    assert (again, again.latitude, again.longitude, again.country) == (place, -1.28, 36.82, "Kenya")


# --- the engine: nearest destinations, with distances and counts -------------------------


def _nearest(result) -> list:
    return [r for r in result.relaxations if r.kind == "substitute" and r.changes[0]["attribute"] == "location"]


def test_a_search_in_nairobi_offers_the_nearest_destinations_with_counts(shipped: Engine) -> None:
    query = Query((Constraint("location", "eq", "Nairobi"), Constraint("accommodates", ">=", 2)))
    result = shipped.search(query)
    assert result.total_matches == 0
    offered = _nearest(result)
    assert [r.changes[0]["to"] for r in offered][:2] == ["Stellenbosch", "Cape Town"]
    distances = [r.distance_km for r in offered[:3]]
    assert distances == sorted(distances) and 3900 <= distances[0] <= 4300
    for r in offered:
        town = r.changes[0]["to"]
        alone = shipped.search(Query((Constraint("location", "eq", town), Constraint("accommodates", ">=", 2))))
        assert r.matches == alone.total_matches >= 1  # the count with the rest of the query
        assert r.description.startswith(f"{town}, ") and "km away: " in r.description
        assert r.description.endswith(f"{r.matches:,} places")
    assert result.relaxations[0] is offered[0]  # nearest first, before "anywhere"
    assert result.conflict_text == "Nothing in Nairobi, Kenya."


def test_the_slot_name_of_a_place_elsewhere_reads_back(shipped: Engine) -> None:
    first = shipped.search(Query((Constraint("location", "eq", "Toronto, Ontario"),)))
    again = shipped.search(Query((Constraint("location", "eq", str(first.query.find("location").value)),)))
    assert [r.description for r in _nearest(first)] == [r.description for r in _nearest(again)]
    assert _nearest(first)[0].changes[0]["to"] == "New York City"


def test_a_country_offers_its_own_destinations_first(shipped: Engine) -> None:
    result = shipped.search(Query((Constraint("location", "eq", "Australia"),)))
    nearest = [r.changes[0]["to"] for r in _nearest(result)][:3]
    countries = {shipped.knowledge.destinations[name].country for name in nearest}
    assert countries == {"Australia"}


def test_the_best_stocked_destination_is_offered_beside_the_nearest(shipped: Engine) -> None:
    result = shipped.search(Query((Constraint("location", "eq", "Nairobi"),)))
    offered = _nearest(result)
    most = max(shipped.matches_by_destination(Query()).values())
    assert len(offered) == 4 and offered[-1].matches == most


def test_a_far_place_in_fixture_knowledge(engine: Engine) -> None:
    result = engine.search(Query((Constraint("location", "eq", "Nairobi"),)))
    offered = _nearest(result)
    assert result.total_matches == 0 and offered
    assert all(r.matches >= 1 and r.distance_km > 1000 for r in offered)


# --- the CLI -------------------------------------------------------------------------


def _stays(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "STAYS_TODAY": "2026-12-01"}
    env.pop("STAYS_CATALOG", None)
    return subprocess.run([sys.executable, "-m", "constraints.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)


def test_cli_search_for_nairobi_answers_with_the_nearest_destinations() -> None:
    run = _stays("search", "--location", "Nairobi", "--json")
    assert run.returncode == 0, run.stderr
    answer = json.loads(run.stdout)
    assert answer["total_matches"] == 0
    nearest = [r for r in answer["relaxations"] if r["kind"] == "substitute"]
    assert nearest and all(r["matches"] >= 1 and r["distance_km"] > 0 for r in nearest)
    assert nearest[0]["changes"] == [{"attribute": "location", "from": "Nairobi, Kenya", "to": "Stellenbosch"}]


def test_cli_search_for_gibberish_still_exits_2_with_did_you_mean() -> None:
    run = _stays("search", "--location", "Lisbonia Xq", "--json")
    assert run.returncode == 2 and run.stdout == ""
    assert "Unknown location 'Lisbonia Xq'. Did you mean 'Lisbon'?" in run.stderr


# --- the alias file: data, checked ------------------------------------------------------


def test_every_shipped_alias_resolves(shipped: Engine) -> None:
    assert shipped.normaliser.alias_problems(shipped.knowledge) == []
    assert len(shipped.knowledge.place_aliases) >= 50


def test_an_alias_to_nowhere_is_reported_with_file_and_line(knowledge_copy: Path) -> None:
    (knowledge_copy / "place_aliases.yml").write_text(
        "places:\n  - {place: Lisbon, aliases: [Lx]}\n  - {place: Xqzvbrt Land, aliases: [XL]}\n", encoding="utf-8")
    engine = Engine.load(knowledge_copy)
    problems = engine.normaliser.alias_problems(engine.knowledge)
    assert len(problems) == 1 and problems[0].startswith(f"{knowledge_copy / 'place_aliases.yml'}:3: ")
    run = _stays("check", "--knowledge", str(knowledge_copy), "--catalog", str(knowledge_copy / "catalog.csv"))
    assert run.returncode == 1 and "place_aliases.yml:3" in run.stdout


def test_an_alias_a_destination_owns_is_refused_at_load(knowledge_copy: Path) -> None:
    (knowledge_copy / "place_aliases.yml").write_text(
        "places:\n  - {place: \"Los Angeles, California\", aliases: [LA, Lisboa]}\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"place_aliases.yml:2: .*'Lisboa' is already a name of the destination"):
        load_knowledge(knowledge_copy)


def test_words_listed_as_no_place_stay_unknown_alone_but_qualify(shipped: Engine) -> None:
    assert "holiday" in shipped.knowledge.not_places
    with pytest.raises(UnknownValueError):
        shipped.normaliser.location("holiday")
    assert str(shipped.normaliser.location("Holiday, Florida").value) == "Holiday, Florida"
