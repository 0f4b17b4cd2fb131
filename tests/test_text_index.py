"""The text index behind wishes: stems, scores and the quoted fragment."""
from __future__ import annotations

import numpy as np
import pytest

from constraints.text_index import MAX_QUOTE_WORDS, TextIndex, stem, words

STOP = ("a", "an", "the", "on", "in", "with", "to", "of", "from", "and", "is", "it", "near", "for")


@pytest.mark.parametrize(("forms", "shared"), [
    (("view", "views"), "view"),
    (("walk", "walking", "walked", "walks"), "walk"),
    (("quiet", "quietly", "quietness"), "quiet"),
    (("city", "cities"), "city"),
    (("shop", "shops", "shopping"), "shop"),
    (("renovate", "renovated"), "renovat"),
    (("house", "houses"), "hous"),
])
def test_the_forms_of_a_word_share_a_stem(forms, shared):
    assert {stem(w) for w in forms} == {shared}


def test_different_words_keep_different_stems():
    assert len({stem(w) for w in ("river", "water", "bus", "class", "family", "fall", "bar", "bath")}) == 8


def test_words_fold_accents_and_case_like_the_rest_of_the_engine():
    assert words("Café NAÏVE, l'Été 2024!") == ["cafe", "naive", "l", "ete"]


def test_a_wish_is_read_as_the_stems_some_listing_has():
    index = TextIndex(["Quiet loft with river views.", "Busy street."], STOP)
    assert index.terms("Somewhere QUIET, with a view of the river and a unicorn") == ("quiet", "view", "river")
    assert index.terms("the of a") == ()


def test_scores_rank_the_listing_that_says_every_word_first_and_are_read_at_the_given_rows():
    texts = ["A quiet street with river views.", "River cruise tickets, river boats, river river.",
             "Busy bar district.", "Quiet garden."]
    index = TextIndex(texts, STOP)
    relevance, coverage = index.scores(index.terms("quiet river view"), np.arange(4))
    assert int(np.argmax(relevance)) == 0
    assert coverage[0] == pytest.approx(1.0) and coverage[2] == 0.0
    assert 0 < coverage[1] < 1 and 0 < coverage[3] < 1
    subset, _ = index.scores(index.terms("quiet river view"), np.array([3, 0]))
    assert subset.tolist() == pytest.approx([relevance[3], relevance[0]])


def test_an_index_of_texts_without_a_word_that_counts_scores_nothing():
    index = TextIndex(["", "the of"], STOP)
    relevance, coverage = index.scores(index.terms("quiet"), np.arange(2))
    assert relevance.tolist() == [0.0, 0.0] and coverage.tolist() == [0.0, 0.0]


def test_has_says_which_rows_hold_a_stem():
    index = TextIndex(["Quiet loft.", "Busy street.", "Very quiet."], STOP)
    assert [index.has(row, "quiet") for row in range(3)] == [True, False, True]
    assert not index.has(0, "unicorn")


def test_the_quote_is_the_shortest_stretch_holding_the_words():
    index = TextIndex(["x"], STOP)
    text = ("Quiet rooms upstairs. The kitchen is new and there is a river nearby. "
            "Our flat sits on a quiet street with river views.")
    quote = index.quote(text, ["quiet", "river", "view"])
    assert quote is not None
    assert quote.text == "… on a quiet street with river views"
    assert quote.words == ("quiet", "river", "views")


def test_the_quote_stops_at_the_sentence_and_marks_what_it_leaves_out():
    index = TextIndex(["x"], STOP)
    quote = index.quote("Great flat. Quiet at night, always. Close to shops.", ["quiet"])
    assert quote is not None and quote.text == "… Quiet at night …"


def test_a_long_stretch_is_quoted_as_its_clusters():
    index = TextIndex(["x"], STOP)
    filler = " ".join(["lovely"] * (MAX_QUOTE_WORDS + 5))
    quote = index.quote(f"A quiet home, {filler}, with river views.", ["quiet", "river"])
    assert quote is not None
    assert quote.text == "A quiet home, lovely … lovely, with river views"


def test_no_quote_when_the_text_has_none_of_the_words():
    assert TextIndex(["x"], STOP).quote("Busy street.", ["quiet"]) is None
