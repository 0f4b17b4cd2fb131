"""What people type becomes the knowledge base's values: typos, aliases, accents, synonyms."""
from __future__ import annotations

import pytest

from constraints import UnknownValueError
from constraints.normalise import Vocabulary
from constraints.text import fold


@pytest.fixture(scope="module")
def normaliser(engine):
    return engine.normaliser


def test_fold_lowers_strips_accents_and_punctuation():
    assert fold("Belém") == "belem"
    assert fold("  ZÜRICH!! ") == "zurich"
    assert fold("Wi-Fi") == "wi fi"
    assert fold("New  York, NY") == "new york ny"


def test_a_typo_is_corrected_and_flagged(normaliser):
    found = normaliser.location("Lisbn")
    assert found.value == "Lisbon"
    assert found.corrected is True
    assert normaliser.location("Chamonx").value == "Chamonix"


@pytest.mark.parametrize("text", ["NYC", "nyc", "Big Apple", "big apple", "New York", "new-york", "NEW YORK CITY"])
def test_aliases_of_new_york(normaliser, text):
    found = normaliser.location(text)
    assert found.value == "New York City"
    assert found.corrected is False


@pytest.mark.parametrize("text", ["Lisbon", "LISBON", "lisbon", "Lisboa", " lisbon "])
def test_case_and_aliases_are_exact_matches(normaliser, text):
    found = normaliser.location(text)
    assert (found.value, found.corrected) == ("Lisbon", False)


@pytest.mark.parametrize("text", ["Belem", "belém", "BELEM", "Belém"])
def test_accents_do_not_matter_for_neighbourhoods(normaliser, text):
    found = normaliser.neighbourhood(text)
    assert found.value == "Belém"
    assert found.parent == "Lisbon"
    assert found.corrected is False
    assert normaliser.neighbourhood(text, "Lisbon").value == "Belém"


def test_a_neighbourhood_is_looked_up_in_its_destination(normaliser):
    with pytest.raises(UnknownValueError):
        normaliser.neighbourhood("Alfama", "Chamonix")


@pytest.mark.parametrize("text, amenity", [
    ("wi-fi", "wifi"), ("Wi-Fi", "wifi"), ("WIFI", "wifi"), ("wireless", "wifi"),
    ("jacuzzi", "hot_tub"), ("Hot tub", "hot_tub"), ("hot_tub", "hot_tub"),
    ("swimming pool", "pool"), ("piscina", "pool"), ("washing machine", "washer"),
    ("pet friendly", "pets_allowed"), ("cot", "crib"),
])
def test_amenity_synonyms(normaliser, text, amenity):
    found = normaliser.amenity(text)
    assert found.value == amenity
    assert found.corrected is False


def test_an_amenity_typo_is_corrected_and_flagged(normaliser):
    found = normaliser.amenity("jacuzi")
    assert (found.value, found.corrected) == ("hot_tub", True)


def test_property_and_room_type_synonyms(normaliser):
    assert normaliser.property_type("flat").value == "apartment"
    assert normaliser.property_type("Chalet").value == "cabin"
    assert normaliser.room_type("whole place").value == "entire_home"
    assert normaliser.room_type("Private room").value == "private_room"


def test_an_unknown_place_raises_with_suggestions(normaliser):
    with pytest.raises(UnknownValueError) as caught:
        normaliser.location("Casc")
    error = caught.value
    assert error.kind == "location"
    assert error.text == "Casc"
    assert "Cascais" in error.suggestions
    assert "Did you mean 'Cascais'" in str(error)


def test_an_unknown_amenity_raises_with_suggestions(normaliser):
    with pytest.raises(UnknownValueError) as caught:
        normaliser.amenity("wify")
    assert "Wifi" in caught.value.suggestions


def test_something_unlike_anything_has_no_suggestions(normaliser):
    with pytest.raises(UnknownValueError) as caught:
        normaliser.amenity("zzzzqqqq")
    assert caught.value.suggestions == []
    assert "Did you mean" not in str(caught.value)


def test_a_short_text_is_never_guessed(normaliser):
    with pytest.raises(UnknownValueError):
        normaliser.location("Lis")


def test_two_equally_close_names_are_not_guessed():
    vocabulary = Vocabulary("location", {"Paris": (), "Parks": ()}, {"Paris": "Paris", "Parks": "Parks"})
    with pytest.raises(UnknownValueError) as caught:
        vocabulary.resolve("Parus")
    assert set(caught.value.suggestions) >= {"Paris"}


def test_find_in_a_sentence(normaliser):
    sentence = "a flat in lisbon with a pool and wifi"
    assert [m.value for m in normaliser.locations.find_in(sentence)] == ["Lisbon"]
    assert [m.value for m in normaliser.amenities.find_in(sentence)] == ["pool", "wifi"]
    assert [m.value for m in normaliser.property_types.find_in(sentence)] == ["apartment"]
    pool = normaliser.amenities.find_in(sentence)[0]
    assert sentence.split()[pool.start:pool.end] == ["pool"]


def test_find_in_prefers_the_longest_name_and_keeps_order(normaliser):
    found = normaliser.locations.find_in("from the Big Apple to New York City")
    assert [(m.matched, m.value) for m in found] == [("big apple", "New York City"),
                                                     ("new york city", "New York City")]
    found = normaliser.amenities.find_in("A swimming pool, a jacuzzi and a washing machine")
    assert [m.value for m in found] == ["pool", "hot_tub", "washer"]


def test_find_in_corrects_typos_only_when_asked(normaliser):
    assert normaliser.locations.find_in("somewhere in lisbn please") == []
    found = normaliser.locations.find_in("somewhere in lisbn please", fuzzy=True)
    assert [(m.value, m.corrected) for m in found] == [("Lisbon", True)]


def test_find_in_leaves_ordinary_words_alone(normaliser):
    assert normaliser.locations.find_in("I would like a place near the sea please", fuzzy=True) == []
