"""The custom actions, run in-process against the shipped knowledge and catalog.

Each test is a short conversation: what the traveller says, what the bot
answers and which slots change, as a Rasa server would see it.
"""
from __future__ import annotations

import asyncio
import re

import pytest

from actions import engine_holder
from actions.forms import ValidateSearchForm
from actions.offers import offer
from actions.rendering import nearest_places_messages
from actions.search_actions import ActionApplyOffer, ActionCritique, ActionDetails, ActionRecommend, ActionShowMore
from actions.start_over import ActionStartOver
from tests.rasa_trackers import Conversation, make_tracker

PRICE = re.compile(r"€[\d,]+ a night")


# in-process actions on the shipped knowledge and catalog, with today pinned (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("shipped_engine", "fixed_today")


def search(conversation: Conversation, text: str, intent: str = "search", entities=(), requested=None):
    turn = conversation.run(ValidateSearchForm(), text, intent, entities, requested)
    return turn


# --- the form: reading and checking values -----------------------------------------------


def test_one_message_fills_every_slot_and_corrects_a_typo() -> None:
    chat = Conversation()
    turn = search(chat, "a place in lisbn for 4 under 150 a night with a pool")
    assert "Lisbon, I assume." in turn.texts
    assert chat.slots["location"] == "Lisbon"
    assert chat.slots["guests"] == 4
    assert chat.slots["budget"] == 150
    assert chat.slots["amenities"] == ["pool"]


def test_unknown_place_gets_suggestions_and_stays_unset() -> None:
    chat = Conversation()
    turn = search(chat, "Barcelonaa", intent="inform", requested="location")
    assert chat.slots["location"] == "Barcelona"
    turn = search(Conversation(), "Atlantis", intent="inform", requested="location")
    assert turn.slot("location") is None
    assert "I don't know 'Atlantis'" in turn.text


@pytest.mark.parametrize("text, fragment", [
    ("500 guests", "more than the places i know can sleep"),
    ("0 guests", "how many people"),
])
def test_absurd_guest_counts_are_questioned(text: str, fragment: str) -> None:
    chat = Conversation({"location": "Porto"})
    turn = search(chat, text, intent="inform", requested="guests")
    assert turn.sets("guests") and turn.slot("guests") is None
    assert fragment in turn.text.lower()


@pytest.mark.parametrize("text", ["under 2 euros a night", "1000000 a night", "-50 a night"])
def test_absurd_budgets_are_questioned(text: str) -> None:
    chat = Conversation({"location": "Porto", "guests": 2.0})
    turn = search(chat, text, intent="inform", requested="budget")
    assert turn.slot("budget") is None
    assert "budget" in turn.text.lower() or "a night" in turn.text


def test_bare_answers_fill_the_requested_slot() -> None:
    chat = Conversation({"location": "Porto"})
    search(chat, "4", intent="inform", requested="guests")
    assert chat.slots["guests"] == 4
    search(chat, "120", intent="inform", requested="budget")
    assert chat.slots["budget"] == 120


def test_no_must_haves_is_an_answer() -> None:
    chat = Conversation({"location": "Porto", "guests": 2.0, "budget": 100.0})
    search(chat, "no, just search", intent="deny", requested="amenities")
    assert chat.slots["amenities"] == []


def test_a_must_have_can_be_dropped_later() -> None:
    chat = Conversation({"location": "Porto", "guests": 2.0, "budget": 100.0, "amenities": ["pool", "wifi"]})
    search(chat, "no pool needed", intent="remove_constraint")
    assert chat.slots["amenities"] == ["wifi"]


def test_dates_are_read_and_past_dates_questioned() -> None:
    chat = Conversation({"location": "Porto", "guests": 2.0, "budget": 100.0, "amenities": []})
    search(chat, "from the 4th of March to the 11th", intent="inform")
    assert (chat.slots["check_in"], chat.slots["check_out"], chat.slots["nights"]) == ("2027-03-04", "2027-03-11", 7)
    turn = search(Conversation(), "from 2026-03-04 to 2026-03-08", intent="inform")
    assert turn.slot("check_in") is None
    assert "past" in turn.text


def test_a_dog_becomes_a_pets_allowed_requirement() -> None:
    chat = Conversation({"location": "Lisbon", "guests": 2.0, "budget": 200.0, "amenities": []})
    search(chat, "we are bringing our dog", intent="inform")
    assert chat.slots["pets"] is True
    turn = chat.run(ActionRecommend(), "", "inform")
    assert turn.slot("shown")
    assert all("pets_allowed" in engine_holder.engine().show(pid)["amenities"] for pid in turn.slot("shown"))
    assert "travelling with a pet" in turn.text.lower() or "pets" in turn.text.lower()


# --- the form needs only the place; the rest are refinements beside the results ---------


def requested_after(chat: Conversation, text: str, intent: str, entities=(), requested=None):
    """The question the form asks next: the `requested_slot` the validation action sets."""
    turn = search(chat, text, intent=intent, entities=entities, requested=requested)
    return turn.slot("requested_slot") if turn.sets("requested_slot") else "unchanged"


def test_the_place_alone_completes_the_form() -> None:
    chat = Conversation()
    assert requested_after(chat, "somewhere in Porto", "search") == "unchanged"
    assert chat.slots["location"] == "Porto"
    assert asyncio.run(ValidateSearchForm().required_slots(["location"], None, make_tracker("", "search", chat.slots),
                                                           {})) == ["location"]


@pytest.mark.parametrize("refinement", ["budget", "guests", "amenities"])
def test_choosing_a_refinement_asks_it_even_when_it_has_a_value(refinement: str) -> None:
    chat = Conversation({"location": "Porto", "guests": 2.0, "budget": 90.0, "amenities": ["wifi"],
                         "refining": refinement})
    asked = requested_after(chat, f'/refine{{"refinement": "{refinement}"}}', "refine",
                            [{"entity": "refinement", "value": refinement}])
    assert asked == refinement
    assert chat.slots["budget"] == 90.0 and chat.slots["amenities"] == ["wifi"]


def test_the_refinement_answered_completes_the_form_and_the_search_forgets_it() -> None:
    chat = Conversation({"location": "Porto", "refining": "budget"})
    assert requested_after(chat, "120", "inform", requested="budget") is None
    assert chat.slots["budget"] == 120
    chat.run(ActionRecommend(), "", "inform")
    assert chat.slots["refining"] is None


def test_a_typed_message_read_as_refine_without_its_entity_is_still_read() -> None:
    chat = Conversation({"location": "Porto", "guests": 3.0})
    search(chat, "free parking for the car please", intent="refine")
    assert chat.slots["amenities"] == ["free_parking"]


def test_saying_something_else_when_asked_a_refinement_searches_with_it() -> None:
    chat = Conversation({"location": "Porto", "refining": "budget"})
    assert requested_after(chat, "4 of us", "inform", requested="budget") is None
    assert chat.slots["guests"] == 4 and chat.slots.get("budget") is None


def test_no_limit_answers_the_budget_refinement() -> None:
    chat = Conversation({"location": "Porto", "refining": "budget", "budget_flexible": True})
    assert asyncio.run(ValidateSearchForm().required_slots(["location"], None, make_tracker("", "inform", chat.slots),
                                                           {})) == ["location"]


def test_results_with_only_a_place_say_the_defaults_and_offer_refinements() -> None:
    chat = Conversation({"location": "Porto"})
    turn = chat.run(ActionRecommend(), "", "search")
    assert len(chat.slots["shown"]) == 3
    assert "without a budget or a party size" in turn.text
    assert {"Set a budget", "How many guests", "Must-haves"} <= set(turn.buttons)


@pytest.mark.parametrize("text", ["Two.", "2", "two please"])
def test_a_bare_number_after_places_for_any_party_is_the_party(text: str) -> None:
    chat = Conversation({"location": "Porto"})
    chat.run(ActionRecommend(), "", "search")
    search(chat, text, "inform")
    assert chat.slots["guests"] == 2.0


def test_a_bare_number_is_no_party_change_once_the_party_is_known() -> None:
    chat = Conversation({"location": "Porto", "guests": 4.0})
    chat.run(ActionRecommend(), "", "search")
    search(chat, "Two.", "inform")
    assert chat.slots["guests"] == 4.0


def test_results_with_everything_given_offer_only_must_haves() -> None:
    chat = Conversation({"location": "Porto", "guests": 2.0, "budget": 100.0})
    turn = chat.run(ActionRecommend(), "", "search")
    assert "without" not in turn.text and "any party size" not in turn.text
    assert "Must-haves" in turn.buttons
    assert "Set a budget" not in turn.buttons and "How many guests" not in turn.buttons


def test_a_place_with_no_stays_lists_the_nearest_with_distance_and_count() -> None:
    chat = Conversation()
    search(chat, "Nairobi", intent="inform", requested="location")
    assert chat.slots["location"].startswith("Nairobi")
    turn = chat.run(ActionRecommend(), "", "search")
    assert turn.text.startswith("No stays in Nairobi")
    assert "The nearest I have: " in turn.text and "Annecy" not in turn.text
    offers = chat.slots["offers"]
    assert len(offers) >= 2 and all(o.get("place") for o in offers)
    assert all(re.fullmatch(r"[\w ]+, [\d,]+ km away, \d+ places?", title) for title in turn.buttons), turn.buttons
    chosen = chat.run(ActionApplyOffer(), "1", "choose_offer", [{"entity": "ordinal", "value": "1"}])
    assert chat.slots["location"] == offers[0]["place"]
    assert chosen.text.startswith(f"OK — {offers[0]['place']}")
    assert chat.slots["shown"]


def test_the_nearest_places_read_as_one_sentence() -> None:
    offers = [offer("Cape Town, 4,100 km away", 80, {}, "substitute", place="Cape Town"),
              offer("Stellenbosch, 4,100 km away", 12, {}, "substitute", place="Stellenbosch")]
    message, = nearest_places_messages("Nairobi", offers)
    assert message.text == ("No stays in Nairobi yet. The nearest I have: Cape Town, 4,100 km away, 80 places; "
                            "Stellenbosch, 4,100 km away, 12 places.")
    assert message.buttons[0]["payload"] == '/choose_offer{"ordinal": "1"}'


# --- recommending, repairing, critiquing --------------------------------------------------


def test_results_name_title_price_and_why() -> None:
    chat = Conversation({"location": "Lisbon", "guests": 2.0, "budget": 150.0, "amenities": []})
    turn = chat.run(ActionRecommend(), "", "search")
    shown = chat.slots["shown"]
    assert len(shown) == 3
    for pid in shown:
        assert engine_holder.engine().show(pid)["title"] in turn.text
    assert len(PRICE.findall(turn.text)) >= 3
    assert "Why:" in turn.text
    assert {"Show more", "Cheaper", "Details 1"} <= set(turn.buttons)


def test_no_match_explains_the_conflict_and_offers_repairs_with_counts() -> None:
    chat = Conversation({"location": "Lisbon", "guests": 4.0, "budget": 150.0, "amenities": ["pool"]})
    turn = chat.run(ActionRecommend(), "", "search")
    assert turn.text.startswith("Nothing")
    offers = chat.slots["offers"]
    assert 1 <= len(offers) <= 3
    assert all(re.search(r"— \d+ places?$", b) for b in turn.buttons)
    # accepting an offer gives exactly the places it promised
    promised = offers[0]["matches"]
    accepted = chat.run(ActionApplyOffer(), "the first one", "choose_offer", [{"entity": "ordinal", "value": "1"}])
    assert "OK" in accepted.text
    expected = min(promised, 3)
    assert len(chat.slots["shown"]) == expected


def test_cheaper_is_cheaper_than_the_shown_place_and_excludes_it() -> None:
    chat = Conversation({"location": "Barcelona", "guests": 2.0, "budget": 300.0, "amenities": []})
    chat.run(ActionRecommend(), "", "search")
    first = chat.slots["shown"][0]
    first_price = engine_holder.engine().show(first)["price_per_night"]
    chat.run(ActionCritique(), "cheaper", "cheaper")
    assert first in chat.slots["excluded"]
    assert chat.slots["budget"] < first_price
    for pid in chat.slots["shown"]:
        assert engine_holder.engine().show(pid)["price_per_night"] < first_price


def test_bigger_than_the_second_option() -> None:
    chat = Conversation({"location": "Barcelona", "guests": 2.0, "budget": 400.0, "amenities": []})
    chat.run(ActionRecommend(), "", "search")
    second = chat.slots["shown"][1]
    bedrooms = engine_holder.engine().show(second)["bedrooms"]
    chat.run(ActionCritique(), "bigger than the second one", "bigger", [{"entity": "ordinal", "value": "second"}])
    for pid in chat.slots["shown"]:
        assert engine_holder.engine().show(pid)["bedrooms"] > bedrooms


def test_show_more_moves_to_the_next_page() -> None:
    chat = Conversation({"location": "Paris", "guests": 2.0, "budget": 300.0, "amenities": []})
    chat.run(ActionRecommend(), "", "search")
    first_page = list(chat.slots["shown"])
    turn = chat.run(ActionShowMore(), "show more", "show_more")
    assert set(first_page).isdisjoint(chat.slots["shown"])
    assert "More places" in turn.text and "(4–6 of" in turn.text


def test_details_answer_the_question_first() -> None:
    chat = Conversation({"location": "Lisbon", "guests": 2.0, "budget": 300.0, "amenities": ["pets allowed"],
                         "shown": []})
    chat.slots["amenities"] = ["pets_allowed"]
    chat.run(ActionRecommend(), "", "search")
    turn = chat.run(ActionDetails(), "does the second one allow dogs?", "ask_details",
                    [{"entity": "ordinal", "value": "second"}])
    assert turn.text.startswith("Yes — pets allowed.")
    assert engine_holder.engine().show(chat.slots["shown"][1])["title"] in turn.text


def test_web_channel_gets_property_cards() -> None:
    chat = Conversation({"location": "Lisbon", "guests": 2.0, "budget": 150.0, "amenities": []}, channel="socketio")
    turn = chat.run(ActionRecommend(), "", "search")
    cards = [m["custom"]["data"] for m in turn.messages if m.get("custom")]
    assert cards and cards[0]["type"] == "property_cards"
    assert [c["id"] for c in cards[0]["cards"]] == chat.slots["shown"]
    assert all(c["price"] and c["why"] is not None for c in cards[0]["cards"])


# --- failures: the traveller always gets an answer, and nothing is lost ------------------


def test_engine_failure_becomes_an_apology_and_keeps_the_slots(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(engine_holder.engine(), "search", broken)
    chat = Conversation({"location": "Lisbon", "guests": 2.0, "budget": 150.0, "amenities": []})
    turn = chat.run(ActionRecommend(), "", "search")
    assert "Sorry" in turn.text
    assert turn.events == []
    assert chat.slots["location"] == "Lisbon"


def test_critique_before_any_result_asks_for_a_search() -> None:
    turn = Conversation().run(ActionCritique(), "cheaper", "cheaper")
    assert "where would you like to stay" in turn.text.lower()


# --- what the scripted conversations taught us ------------------------------------------


def test_a_head_count_before_a_comma_is_read() -> None:
    chat = Conversation()
    search(chat, "a place in Lisbon for 4, under 150 a night, with wifi")
    assert (chat.slots["guests"], chat.slots["budget"], chat.slots["amenities"]) == (4, 150, ["wifi"])


def test_a_place_tagged_with_the_next_sentence_glued_on_is_the_place() -> None:
    text = "flying into Denver.need it for 2 people"  # no stays in Denver: only the gazetteer knows it
    tag = "Denver.need"
    chat = Conversation()
    turn = search(chat, text, "search", [{"entity": "location", "value": tag, "start": 12, "end": 12 + len(tag)}])
    assert str(chat.slots["location"]).startswith("Denver") and chat.slots["guests"] == 2.0
    assert "don't know" not in turn.text


def test_an_unknown_place_in_a_sentence_is_said_back() -> None:
    turn = search(Conversation(), "a place in Atlantis for 2")
    assert "I don't know 'Atlantis'" in turn.text


def test_a_foreign_budget_is_converted_and_said() -> None:
    chat = Conversation()
    turn = search(chat, "a flat in Paris for 2 under £100 a night")
    assert chat.slots["budget"] == 117
    assert "£100 is about €117" in turn.text


def test_an_unclear_answer_mid_form_is_said_and_asked_again() -> None:
    chat = Conversation({"location": "Porto"})
    turn = search(chat, "hmm let me think", intent="inform", requested="guests")
    assert "didn't catch" in turn.text
    assert turn.sets("guests") and turn.slot("guests") is None


def test_drop_means_drop_even_when_only_a_substitute_was_offered() -> None:
    chat = Conversation({"location": "Barcelona", "guests": 4.0, "budget": 150.0, "amenities": ["free_parking"]})
    chat.run(ActionRecommend(), "", "search")
    assert not any(o["kind"] == "drop" and "parking" in o["label"] for o in chat.slots["offers"])
    chat.run(ActionApplyOffer(), "ok drop the parking", "choose_offer")
    assert chat.slots["amenities"] == []
    assert chat.slots["shown"]


def test_a_place_named_when_nothing_is_on_offer_is_searched() -> None:
    chat = Conversation({})
    chat.run(ActionApplyOffer(), "ok then the Gold Coast", "choose_offer",
             [{"entity": "location", "value": "Gold Coast", "start": 13, "end": 23}])
    assert chat.slots["location"] == "Gold Coast" and chat.slots["shown"]


def test_a_new_place_named_instead_of_an_offer_is_searched() -> None:
    chat = Conversation({"location": "Barcelona", "guests": 4.0, "budget": 150.0, "amenities": ["free_parking"]})
    chat.run(ActionRecommend(), "", "search")
    assert chat.slots["offers"]
    chat.run(ActionApplyOffer(), "hmm no, Porto then", "choose_offer",
             [{"entity": "location", "value": "Porto", "start": 8, "end": 13}])
    assert chat.slots["location"] == "Porto"


def test_a_yes_that_says_more_takes_the_first_repair_and_the_rest() -> None:
    chat = Conversation({"location": "Paris", "property_type": "house"})
    chat.run(ActionRecommend(), "a house in Paris", "search")
    first = chat.slots["offers"][0]
    assert "townhouse" in first["label"] and not chat.slots["shown"]
    search(chat, "Yes please, and it's for 3 of us.", "search")
    chat.run(ActionRecommend(), "Yes please, and it's for 3 of us.", "search")
    assert chat.slots["property_type"] == "townhouse" and chat.slots["guests"] == 3.0 and chat.slots["shown"]


def test_a_yes_that_names_another_place_is_a_new_search_not_the_repair() -> None:
    chat = Conversation({"location": "Paris", "property_type": "house"})
    chat.run(ActionRecommend(), "a house in Paris", "search")
    search(chat, "yes, Lisbon instead", "inform", [{"entity": "location", "value": "Lisbon", "start": 5, "end": 11}])
    assert chat.slots["location"] == "Lisbon" and chat.slots["property_type"] == "house"


def test_cheaper_when_nothing_matched_offers_the_ways_out_again() -> None:
    chat = Conversation({"location": "Lisbon", "guests": 4.0, "budget": 20.0, "amenities": ["pool"]})
    chat.run(ActionRecommend(), "", "search")
    assert not chat.slots["shown"] and chat.slots["offers"]
    turn = chat.run(ActionCritique(), "could you show me cheaper ones?", "cheaper")
    assert "Nothing matched yet" in turn.text and "Which option" not in turn.text
    assert len(turn.buttons) == len(chat.slots["offers"])


@pytest.mark.parametrize("text", ["could you show me cheaper ones?", "anything less expensive", "cheaper"])
def test_cheaper_when_nothing_matched_keeps_the_budget_and_says_what_it_gave_up(text: str) -> None:
    chat = Conversation({"location": "Lisbon", "guests": 4.0, "budget": 150.0, "amenities": ["pool"],
                         "check_in": "2027-06-10", "check_out": "2027-06-14"})
    chat.run(ActionRecommend(), "", "search")
    assert not chat.slots["shown"] and any("budget" in o["updates"] for o in chat.slots["offers"])
    turn = chat.run(ActionCritique(), text, "cheaper")
    assert turn.text.startswith("To keep to your budget: without the pool.")
    assert chat.slots["budget"] == 150.0 and chat.slots["amenities"] == [] and chat.slots["shown"]
    for pid in chat.slots["shown"]:
        assert engine_holder.engine().show(pid)["price_per_night"] <= 150.0


def test_closer_to_a_neighbourhood_of_another_place_says_where_it_is() -> None:
    chat = Conversation({"location": "Cascais", "guests": 2.0, "budget": 300.0, "amenities": []})
    chat.run(ActionRecommend(), "", "search")
    turn = chat.run(ActionCritique(), "closer to Ribeira", "closer_to")
    assert "Ribeira is in Porto, not Cascais" in turn.text


def test_when_nothing_matches_anywhere_near_another_place_is_still_offered() -> None:
    chat = Conversation({"location": "Paris", "guests": 10.0, "budget": 80.0, "amenities": ["pool"],
                         "property_type": "villa"})
    turn = chat.run(ActionRecommend(), "", "search")
    assert chat.slots["offers"], turn.text
    accepted = chat.run(ActionApplyOffer(), "1", "choose_offer", [{"entity": "ordinal", "value": "1"}])
    assert chat.slots["shown"], accepted.text


# --- starting over forgets the search, so it must be what the traveller meant ------------


def test_a_clear_start_over_restarts() -> None:
    chat = Conversation({"location": "Lisbon", "guests": 2.0})
    turn = chat.run(ActionStartOver(), "start over", "start_over", confidence=0.98)
    assert turn.texts == ["Let's start over. Where would you like to stay?"]
    assert {"event": "followup", "name": "action_restart"} in [
        {k: e.get(k) for k in ("event", "name")} for e in turn.events]


def test_a_half_read_start_over_asks_first_and_keeps_the_search() -> None:
    chat = Conversation({"location": "Lisbon", "guests": 2.0})
    turn = chat.run(ActionStartOver(), "from the 45th of Smarch", "start_over", confidence=0.43)
    assert "start a new search" in turn.text
    assert turn.events == []
    assert [b["payload"] for m in turn.messages for b in m.get("buttons") or []] == ["/start_over"]
    assert chat.slots["location"] == "Lisbon"


def test_a_half_read_start_over_with_nothing_to_lose_just_starts_over() -> None:
    turn = Conversation().run(ActionStartOver(), "begin anew", "start_over", confidence=0.5)
    assert turn.texts == ["Let's start over. Where would you like to stay?"]


def test_a_huge_unknown_place_is_not_echoed_back_whole() -> None:
    turn = search(Conversation(), "Lisbonia" * 1300, intent="inform",
                  entities=[{"entity": "location", "value": "Lisbonia" * 1300}], requested="location")
    assert "I don't know 'LisboniaLisbonia" in turn.text
    assert len(turn.text) < 400


@pytest.mark.parametrize("text, wish", [("with a helipad", "helipad"), ("With a helipad, please!", "helipad"),
                                        ("needs a moat", "moat")])
def test_an_unknown_wish_mid_form_is_named_not_missed(text: str, wish: str) -> None:
    chat = Conversation({"location": "Lisbon"})
    turn = search(chat, text, intent="inform", requested="guests")
    assert f"I don't know '{wish}'" in turn.text
    assert "Amenities I know include" in turn.text or "Did you mean" in turn.text
    assert not chat.slots.get("amenities")


def test_with_a_known_thing_is_not_mistaken_for_an_unknown_amenity() -> None:
    chat = Conversation({"location": "Lisbon"})
    search(chat, "with a dog", intent="inform", requested="guests")
    assert chat.slots.get("pets") is True and not chat.slots.get("amenities")


@pytest.mark.parametrize("text, priority", [
    ("pets allowed is non negotiable", "must"), ("pets allowed is a deal breaker", "must"),
    ("pets allowed is not that important", "flexible"), ("pets allowed would be nice but not essential", "flexible"),
])
def test_what_matters_is_read_the_right_way_round(text: str, priority: str) -> None:
    chat = Conversation({"location": "Lisbon", "guests": 2.0, "amenities": ["pets_allowed"]})
    search(chat, text, intent="set_priority")
    assert chat.slots["priorities"] == {"amenities:pets_allowed": priority}


def test_a_must_have_called_a_bonus_becomes_a_wish() -> None:
    chat = Conversation({"location": "Lisbon", "guests": 2.0, "amenities": ["pool", "wifi"]})
    search(chat, "the pool would be a bonus", intent="set_priority")
    assert chat.slots["amenities"] == ["wifi"] and chat.slots["nice_to_have"] == ["pool"]


def test_talking_about_a_relative_does_not_change_the_head_count() -> None:
    chat = Conversation({"location": "Lisbon", "guests": 4.0})
    search(chat, "my dad is in a wheelchair", intent="inform")
    assert chat.slots["guests"] == 4.0


@pytest.mark.parametrize("text, tagged, place", [
    ("somewhere in Kyoto for 2 between 3 and 10 June", "June", "Kyoto"),
    ("a place in Porto for 2 for a week from Friday", "Friday", "Porto"),
    ("Sintra for 2 from tomorrow until sunday", "sunday", "Sintra"),
])
def test_a_date_word_tagged_as_a_place_does_not_hide_the_place(text: str, tagged: str, place: str) -> None:
    start = text.index(tagged)
    chat = Conversation()
    search(chat, text, entities=[{"entity": "location", "value": tagged, "start": start, "end": start + len(tagged)}])
    assert chat.slots["location"] == place


def test_somewhere_else_that_names_the_place_searches_there() -> None:
    """'make it Porto instead' read as "somewhere else": the traveller already said where."""
    chat = Conversation()
    search(chat, "a place in Lisbon for 2 under 100 a night with wifi")
    chat.run(ActionRecommend(), "", "search")
    turn = chat.run(ActionCritique(), "make it Porto instead", "different_place")
    assert chat.slots["location"] == "Porto" and chat.slots["guests"] == 2 and chat.slots["budget"] == 100
    assert "Porto" in turn.text and "Other places" not in turn.text


def test_a_stay_given_in_halves_is_put_together():
    """"I check in on the 2nd", then "I'll leave on the 9th": one stay of 7 nights, not two half-questions."""
    conversation = Conversation(slots={"location": "Lisbon"})
    first = search(conversation, "I check in on the 2nd of March", intent="inform", requested="location")
    assert "how many nights" in first.text and "didn't catch" not in first.text
    assert conversation.slots.get("check_in") is None
    second = search(conversation, "and I'll leave on the 9th of March", intent="inform")
    assert (conversation.slots["check_in"], conversation.slots["check_out"]) == ("2027-03-02", "2027-03-09")
    assert conversation.slots["nights"] == 7
    assert not conversation.slots.get("partial_stay"), second.text


def test_a_departure_and_a_length_of_stay_make_the_arrival():
    conversation = Conversation(slots={"location": "Lisbon"})
    search(conversation, "we'll check out on the 9th of March", intent="inform")
    search(conversation, "5 nights", intent="inform")
    assert (conversation.slots["check_in"], conversation.slots["check_out"]) == ("2027-03-04", "2027-03-09")


@pytest.mark.parametrize("slots, said", [
    ({"location": "Lisbon", "neighbourhood": "Alfama", "guests": 1, "amenities": ["pool", "wifi", "free_parking"],
      "nice_to_have": ["washer"], "room_type": "entire_home", "bedrooms": 2},
     "in Alfama, Lisbon for 1 guest with a pool, wifi and free parking"),
    ({"location": "Lisbon", "check_in": "2027-03-04", "check_out": "2027-03-09", "nights": 9, "budget": 900,
      "budget_scope": "stay", "min_rating": 4.5, "property_type": "apartment"},
     "in Lisbon 4–9 Mar 2027 up to €900 for the stay rated 4.5+ (apartment)"),
    ({"location": "Lisbon", "nights": 7, "budget": 120, "budget_min": 50, "centre_km": 2},
     "in Lisbon 7 nights up to €120 a night within 2 km of the centre"),
])
def test_the_search_summary_says_each_attribute_in_its_place(slots, said):
    from actions.search_state import describe_search
    assert describe_search(slots, engine_holder.engine()) == said


def test_a_yes_to_the_nearest_destinations_takes_the_nearest() -> None:
    """"Yes, that'd be brilliant" after "No stays in Nairobi yet. The nearest I have: ..." is not "which one?"."""
    chat = Conversation({"location": "Nairobi, Kenya", "guests": 2.0})
    offered = chat.run(ActionRecommend(), "", "search")
    assert chat.slots["offers"], offered.text
    first = chat.slots["offers"][0]["label"]
    taken = chat.run(ActionApplyOffer(), "Yes, that'd be brilliant", "inform")
    assert "Which one?" not in taken.text
    assert chat.slots["shown"] and chat.slots["location"] in first, taken.text


def test_a_bare_departure_day_after_a_kept_arrival_is_read_after_it():
    """"and leave on the 9th" after "I check in on the 4th of March" is 9 March, not 9 December."""
    conversation = Conversation(slots={"location": "Lisbon"})
    search(conversation, "I check in on the 4th of March", intent="inform")
    search(conversation, "and leave on the 9th", intent="inform")
    assert (conversation.slots["check_in"], conversation.slots["check_out"]) == ("2027-03-04", "2027-03-09")


def test_a_lower_case_place_with_its_state_is_read_without_a_tag():
    """"we r going to long beach, ca in march": no entity, no capital, still a place and no wish."""
    turn = search(Conversation(), "we r going to long beach, ca in march")
    assert "long beach" in str(turn.slot("location")).lower()
    assert "Noted" not in turn.text


def test_a_yes_after_places_shown_keeps_them_instead_of_taking_the_idea_beside_them() -> None:
    chat = Conversation({"location": "Aspen", "guests": 5.0, "check_in": "2027-03-05", "check_out": "2027-03-13"})
    chat.run(ActionRecommend(), "", "search")
    shown, offers = chat.slots["shown"], chat.slots["offers"]
    assert shown and offers and all(o.get("beside_results") for o in offers)  # "To see more places: 1. Try Vail"
    turn = chat.run(ActionApplyOffer(), "Yes that's great.", "affirm")
    assert chat.slots["location"] == "Aspen" and chat.slots["shown"] == shown, turn.text
    search(chat, "Yes, lovely. And what's the price for the whole stay?", "inform")
    assert chat.slots["location"] == "Aspen"


def test_a_lone_number_after_places_found_for_any_party_is_the_party() -> None:
    chat = Conversation({"location": "Gold Coast"})
    first = chat.run(ActionRecommend(), "ok then the Gold Coast", "search")
    assert "party size" in first.text
    turn = chat.run(ActionApplyOffer(), "five", "affirm")
    assert chat.slots["guests"] == 5.0 and "for 5 guests" in turn.text


def test_a_bare_day_after_the_arrival_is_the_departure_the_bot_asked_for() -> None:
    chat = Conversation({"location": "New York City"})
    asked = search(chat, "On the 1st of December.", "inform")
    assert chat.slots["partial_stay"] == {"check_in": "2026-12-01"}, asked.text
    search(chat, "On the 13th of December.", "inform")
    assert (chat.slots["check_in"], chat.slots["check_out"]) == ("2026-12-01", "2026-12-13")


def test_a_yes_asking_the_cost_after_no_match_takes_the_first_way_out_not_an_old_list() -> None:
    chat = Conversation({"location": "Paris"})
    chat.run(ActionRecommend(), "I'll be in Paris.", "search")
    old = chat.slots["shown"]
    chat.slots["property_type"] = "house"
    chat.run(ActionRecommend(), "Find me a house to stay in.", "search")
    assert chat.slots["shown"] == old and "townhouse" in chat.slots["offers"][0]["label"]
    asked = chat.run(ActionDetails(), "How much would it come to in all?", "ask_details")
    assert "Nothing matched yet" in asked.text and asked.buttons
    taken = chat.run(ActionDetails(), "Yep, that works. How much would it come to?", "ask_details")
    assert chat.slots["property_type"] == "townhouse" and chat.slots["shown"] != old, taken.text
    details = chat.run(ActionDetails(), "details 1", "ask_details", [{"entity": "ordinal", "value": "1"}])
    assert "Townhouse" in details.text
