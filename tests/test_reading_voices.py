"""The reader on messages written in many voices: typos, lower case, shorthand,
slang, politeness and chit-chat around the request, and what must NOT be read.

Each field's table lists a phrasing and what a traveller would expect the bot
to have understood; `None` rows are the negatives (a number that belongs to
another field, a word that only looks like one). The words behind these live in
knowledge/phrases/*.yml, so most new rows here need one line of data, not code.
"""
from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from actions.reading import (
    is_negated,
    parse_budget,
    parse_dates,
    parse_guests,
    parse_nights,
    parse_rating,
    words_to_number,
)

TODAY = date(2026, 11, 28)  # a Saturday

GUESTS: list[tuple[str, int | None]] = [
    ("hi there! we're 4 adults and 2 kids, thanks", 6),
    ("party of 5 pls", 5),
    ("FOR 4 PEOPLE PLEASE", 4),
    ("2 adlts", 2),
    ("just the 2 of us :)", 2),
    ("3 ppl", 3),
    ("6 pax", 6),
    ("im travelling with my gf", 2),
    ("me and 3 mates, lads trip!", 4),
    ("we are a family of five", 5),
    ("2 grown ups and a toddler", 3),
    ("hello, looking for somewhere for me and my mother-in-law", 2),
    ("Hey! Two of us + a baby", 2),
    ("2 of us", 2),
    ("mum, dad and 2 teens", 4),
    ("dad, me and my sister", 3),
    # negatives: a number next to another field's unit is not a head count
    ("4 nights", None),
    ("150 bucks a night", None),
    ("a 4.4 rating or higher", None),
    ("the 2nd option", None),
    ("in 2 weeks", None),
    ("2 bedrooms please", None),
    ("under 300 quid", None),
    ("So please find me a house with laundry service", None),
    # the speaker beside "other" people, a whole party said "in total", a party that travels "in 2"
    ("arriving the 8th with 2 other people. So 3 in total.", 3),
    ("travelling with 2 other adults", 3),
    ("so 3 in total", 3),
    ("5 altogether", 5),
    ("there are 5 in our party", 5),
    ("I have 3 in my group", 3),
    ("We're traveling in 2 and rating should be 4.4 or higher.", 2),
    ("2 other people are coming", 2),
    ("we are travelling in 2 weeks", None),
    ("4 nights in total", None),
]


@pytest.mark.parametrize("text, total", GUESTS)
def test_guests_in_many_voices(text: str, total: int | None) -> None:
    found = parse_guests(text)
    assert (found.total if found else None) == total


BUDGET: list[tuple[str, tuple[Any, ...] | None]] = [  # (max, min, currency, scope)
    ("under 150 quid a night", (150, None, "GBP", "night")),
    ("around 100 bucks", (115, None, "USD", None)),
    ("max 200 euros total", (200, None, "EUR", "stay")),
    ("no more than 1.2k for the week", (1200, None, None, "stay")),
    ("budget's about 80 usd/night", (92, None, "USD", "night")),
    ("between 100 and 150 a night pls", (150, 100, None, "night")),
    ("under 200 australian dollars", (200, None, "AUD", None)),
    ("under 300 in canadian dollars", (300, None, "CAD", None)),
    ("up to R$ 400", (400, None, "BRL", None)),
    ("hmm maybe 90€ per night?", (90, None, "EUR", "night")),
    ("less then 120 a nite", (120, None, None, "night")),
    # negatives
    ("4 adults", None),
    ("3 nights in march", None),
    ("a 4.5 rating", None),
    ("for 2 people", None),
    ("a 4.4 rating or higher", None),
    ("So 3 in total.", None),  # a head count: no stay costs 3
    ("300 in total", (300, None, None, "stay")),
    ("5 a night", (5, None, None, "night")),  # a price said, too low: the bot questions it
]


@pytest.mark.parametrize("text, expected", BUDGET)
def test_budget_in_many_voices(text: str, expected: tuple[Any, ...] | None) -> None:
    found = parse_budget(text)
    got = None if found is None else (found.maximum, found.minimum, found.currency, found.scope)
    assert got == expected


def test_slang_and_tier_words() -> None:
    found = parse_budget("something cheap please, nothing fancy")
    assert found is not None and found.tier == "cheap"
    found = parse_budget("money's no object tbh")
    assert found is not None and found.unlimited


NIGHTS: list[tuple[str, int | None]] = [
    ("a week", 7),
    ("2 nites", 2),
    ("a long weekend away", 3),
    ("10 days in total", 10),
    ("for a fortnight", 14),
    ("just one night pls", 1),
    ("in 2 weeks", None),
    ("150 a night", None),
    ("4 people", None),
]


@pytest.mark.parametrize("text, nights", NIGHTS)
def test_nights_in_many_voices(text: str, nights: int | None) -> None:
    assert parse_nights(text) == nights


RATING: list[tuple[str, float | None]] = [
    ("a 4.4 rating or higher", 4.4),
    ("rated 9/10 at least", 4.5),
    ("good reviews pls", 4.5),
    ("4.8 or more", 4.8),
    ("4 people", None),
    ("reviews don't matter", None),
    ("under 150 quid", None),
]


@pytest.mark.parametrize("text, rating", RATING)
def test_rating_in_many_voices(text: str, rating: float | None) -> None:
    assert parse_rating(text) == rating


DATES: list[tuple[str, tuple[str, str] | None]] = [
    ("from tmrw for 3 nights", ("2026-11-29", "2026-12-02")),
    ("check in dec 3rd, check out dec 7th", ("2026-12-03", "2026-12-07")),
    ("from fri to sun", ("2026-12-04", "2026-12-06")),
    ("hi, 4-11 march please", ("2027-03-04", "2027-03-11")),
    ("arriving tommorow, leaving on the 2nd", ("2026-11-29", "2026-12-02")),
    ("we sat on the terrace", None),
    ("4 people, 2 bedrooms", None),
    ("check in on the 3rd, departing the rented house on the 6th", ("2026-12-03", "2026-12-06")),
    ("arriving at the apartment on the 3rd, leaving our place on the 6th", ("2026-12-03", "2026-12-06")),
]


@pytest.mark.parametrize("text", ["we will be leaving the rented flat on the 4th of this month.",
                                  "I will depart the house on the 4th"])
def test_a_departure_said_with_the_house_left_is_the_departure(text: str) -> None:
    found = parse_dates(text, date(2027, 3, 1))
    assert found is not None and found.check_in is None and found.check_out == date(2027, 3, 4)


@pytest.mark.parametrize("text, stay", DATES)
def test_dates_in_many_voices(text: str, stay: tuple[str, str] | None) -> None:
    found = parse_dates(text, TODAY)
    got = None if found is None or not hasattr(found, "check_out") or getattr(found, "kind", None) else \
        (found.check_in.isoformat(), found.check_out.isoformat())
    assert got == stay


NEGATED: list[tuple[str, str, bool]] = [
    ("a flat with wifi but no pets", "pets", True),
    ("a flat with wifi but no pets", "wifi", False),
    ("no need for a pool", "pool", True),
    ("w/o a car is fine", "car", True),
    ("pool is optional", "pool", True),
    ("get rid of the hot tub", "hot tub", True),
    ("no, I want a pool", "pool", False),
]


@pytest.mark.parametrize("text, phrase, negated", NEGATED)
def test_negation_in_many_voices(text: str, phrase: str, negated: bool) -> None:
    assert is_negated(text, phrase) is negated


@pytest.mark.parametrize("text, number", [
    ("twenty-one", 21), ("a dozen", 12), ("half a dozen", 6), ("a couple", 2), ("about 6", 6),
    ("a few", None), ("several", None), ("fourty", 40),
])
def test_number_words(text: str, number: int | None) -> None:
    assert words_to_number(text) == number


@pytest.mark.parametrize("text, attributes, word", [
    ("location matters most", ["location"], "must"),
    ("the dates are not really important", ["dates"], "flexible"),
    ("budget is non-negotiable", ["price_per_night"], "must"),
    ("honestly the neighborhood is flexible", ["neighbourhood"], "flexible"),
    ("the check in date can't move", ["dates"], "must"),
    ("reviews don't really matter to us", ["rating"], "flexible"),
    ("central is a must", ["centre"], "must"),
    ("forget the centre", ["centre"], None),
    ("hello there", [], None),
])
def test_priorities_in_many_voices(text: str, attributes: list[str], word: str | None) -> None:
    from actions.reading.priorities import attributes_named, priority_word
    from constraints.text import fold
    assert attributes_named(fold(text)) == attributes
    assert priority_word(fold(text)) == word


@pytest.mark.parametrize("text, tier", [
    ("a budget hotel pls", "cheap"),
    ("we're backpackers on a tight budget", "cheap"),
    ("nothing too pricey", "cheap"),
    ("something mid range", "mid"),
    ("reasonably priced, not too cheap", "mid"),
    ("treat ourselves to something upmarket", "luxury"),
    ("a swanky high-end loft", "luxury"),
    ("doesn't have to be cheap", None),
    ("the top floor", None),
])
def test_price_tier_words(text: str, tier: str | None) -> None:
    found = parse_budget(text)
    assert (found.tier if found else None) == tier


@pytest.mark.parametrize("text, maximum", [
    ("Lisbon, 4 adults, 150 a night max, must have a pool, 10 to 14 June", 150.0),
    ("max 150 a night, 10 to 14 june", 150.0),
    ("3 to 7 july, under 90 pls", 90.0),
])
def test_a_day_range_before_its_month_is_not_a_budget(text: str, maximum: float) -> None:
    budget = parse_budget(text)
    assert budget is not None and budget.maximum == maximum and budget.minimum is None


def test_people_joining_add_to_the_party_so_far(shipped_engine) -> None:
    from actions.extraction import read_message

    def party(text: str, so_far: float | None) -> object:
        slots = {"location": "Porto", "guests": so_far}
        reading = read_message(shipped_engine, text, "inform", [], slots, None, date(2026, 11, 28))
        return reading.candidates.get("guests")

    assert party("two more friends just said they're coming, so 6 now", 4.0) == 6.0
    assert party("2 more people are joining us", 3.0) == 5.0
    assert party("2 more people", None) == 2.0  # nobody counted yet: the two are the party
    assert party("show me 3 more places", 4.0) is None


@pytest.mark.parametrize("text", ["close to the beach if there is one", "a pool, whether there's one nearby or not"])
def test_a_condition_counts_nobody(text: str) -> None:
    assert parse_guests(text) is None


def test_a_vehicle_to_park_is_no_place(shipped_engine) -> None:
    from actions.extraction import read_message

    van = [{"entity": "location", "value": "van", "start": 20, "end": 23}]
    reading = read_message(shipped_engine, "free parking for the van too", "inform", van,
                           {"location": "Douro Valley"}, None, date(2026, 11, 28))
    assert "location" not in reading.candidates and reading.candidates["amenities"] == ["free_parking"]


def test_a_check_in_date_is_no_town(shipped_engine) -> None:
    from actions.extraction import read_message

    date_tag = [{"entity": "location", "value": "date", "start": 38, "end": 42}]
    reading = read_message(shipped_engine, "Yes please, could you put my check in date down for the 6th of this month.",
                           "inform", date_tag, {"location": "Aspen"}, None, date(2027, 3, 1))
    assert "location" not in reading.candidates
    assert reading.candidates["partial_stay"] == {"check_in": "2027-03-06"}  # kept until the stay is whole
