"""The actions that search and answer: recommend, next page, critiques, details, offers.

Each one only decides how the slots change; `responding.search_and_reply`
searches and answers the same way for all of them.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from constraints.critique import critique
from constraints.errors import InvalidValueError, UnknownValueError
from constraints.text import fold

from . import parsing
from .engine_holder import engine, today
from .extraction import AFFIRM_PHRASES, YES_WORDS, read_message
from .offers import keeping_the_budget, offered_instead_of_places, place_offers
from .reading.vocab import PHRASES
from .rendering import Message, button, details_message, lower_first, offer_title
from .responding import guarded, search_and_reply, send
from .search_state import query_from_slots, slot_updates_for_change
from .validation import validate_candidates

CRITIQUE_OF_INTENT = {"cheaper": "cheaper", "bigger": "bigger", "closer_to": "closer", "more_like": "more_like"}


def _ordinal(tracker: Tracker) -> int | None:
    """The option the traveller points at: an entity, else the words of the message."""
    for entity in (tracker.latest_message or {}).get("entities") or []:
        if entity.get("entity") == "ordinal":
            number = parsing.parse_ordinal(str(entity.get("value"))) or _int(entity.get("value"))
            if number is not None:
                return number
    return parsing.parse_ordinal((tracker.latest_message or {}).get("text") or "")


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip().lstrip("#"))
    except ValueError:
        return None


def _pick(shown: list[str], ordinal: int | None) -> tuple[int, str] | None:
    """(1-based position, id) of the option meant; the first one when none was named."""
    if not shown:
        return None
    position = 1 if ordinal is None else (len(shown) if ordinal == -1 else ordinal)
    if not 1 <= position <= len(shown):
        return None
    return position, shown[position - 1]


def take_offer(dispatcher: CollectingDispatcher, tracker: Tracker, chosen: dict[str, Any],
               lead: str = "OK — ") -> list[EventType]:
    """Apply a proposed change and search again, saying which change was taken (and, in `lead`, why)."""
    change = chosen["label"].rsplit(":", 1)[0]
    named_first = bool(chosen.get("place")) and change.startswith(chosen["place"])  # "Cape Town, 4,100 km away"
    return search_and_reply(engine(), dispatcher, tracker, dict(chosen["updates"]),
                            heading=f"{lead}{change if named_first else lower_first(change)}.")


def _nothing_shown_yet(dispatcher: CollectingDispatcher, offers: list[dict[str, Any]]) -> None:
    buttons = [button(offer_title(o), "choose_offer", ordinal=k) for k, o in enumerate(offers, 1)]
    dispatcher.utter_message(response="utter_nothing_shown_yet", buttons=buttons)


class ActionRecommend(Action):
    """Search with the completed form's slots; the refinement just given is done."""

    def name(self) -> str:
        return "action_recommend"

    @guarded
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        return search_and_reply(engine(), dispatcher, tracker, {"offset": 0.0, "refining": None})


class ActionShowMore(Action):
    """The next page of the same search."""

    def name(self) -> str:
        return "action_show_more"

    @guarded
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        shown = tracker.get_slot("shown") or []
        if not tracker.get_slot("location"):
            dispatcher.utter_message(response="utter_search_first")
            return []
        offset = int(tracker.get_slot("offset") or 0) + len(shown)
        return search_and_reply(engine(), dispatcher, tracker, {"offset": float(offset)})


class ActionCritique(Action):
    """'cheaper', 'bigger', 'closer to X', 'more like #2', 'somewhere else'."""

    def name(self) -> str:
        return "action_critique"

    @guarded
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        intent: str = ((tracker.latest_message or {}).get("intent") or {}).get("name") or ""
        eng = engine()
        slots = tracker.current_slot_values()
        if not slots.get("location"):
            dispatcher.utter_message(response="utter_search_first")
            return []
        if intent == "different_place":
            named = self._destination_named(tracker, slots["location"])
            if named is not None:  # "make it Porto instead": the traveller already chose where
                return search_and_reply(eng, dispatcher, tracker,
                                        {"location": named, "neighbourhood": None, "near_km": None, "offset": 0.0})
            return self._other_places(dispatcher, slots)
        ordinal = _ordinal(tracker)
        picked = _pick(slots.get("shown") or [], ordinal)
        offers = slots.get("offers") or []
        if (picked is None and not slots.get("shown")) or (ordinal is None and offered_instead_of_places(offers)):
            within = keeping_the_budget(offers, slots, eng) if intent == "cheaper" else None
            if within is not None:  # under the near misses shown: what it takes to stay within the budget
                return take_offer(dispatcher, tracker, within, lead="To keep to your budget: ")
            _nothing_shown_yet(dispatcher, offers)  # no place to compare with: the ways out again
            return []
        if picked is None:
            dispatcher.utter_message(response="utter_which_option")
            return []
        _, shown_id = picked
        neighbourhood = self._neighbourhood(tracker, slots) if intent == "closer_to" else None
        if intent == "closer_to" and neighbourhood is None:
            dispatcher.utter_message(response="utter_closer_to_where")
            return []
        query = query_from_slots(slots, eng)
        change = critique(eng, query, shown_id, CRITIQUE_OF_INTENT.get(intent, "cheaper"), neighbourhood)
        updates = slot_updates_for_change(change.removed, change.added, slots)
        updates["excluded"] = list(dict.fromkeys([*(slots.get("excluded") or []), shown_id]))
        if change.reference_id:
            updates["reference_id"] = change.reference_id
        updates["offset"] = 0.0
        return search_and_reply(eng, dispatcher, tracker, updates, heading=change.description + ".")

    def _destination_named(self, tracker: Tracker, current: str) -> str | None:
        """Another destination the message names, if it names one ("somewhere else: Porto")."""
        message = tracker.latest_message or {}
        locations = engine().normaliser.locations
        texts = [str(e["value"]) for e in message.get("entities") or [] if e.get("entity") == "location"]
        texts += [m.matched for m in locations.find_in(message.get("text") or "")]
        for text in texts:
            value = locations.index.get(fold(text))
            if value is None:
                corrected = locations.correct(text)
                value = corrected.value if corrected is not None else None
            if value is not None and value != current:
                return value
        return None

    def _neighbourhood(self, tracker: Tracker, slots: dict[str, Any]) -> tuple[str, str] | None:
        """The neighbourhood to get closer to: named now, else the one asked for before."""
        eng = engine()
        location = slots["location"]
        message = tracker.latest_message or {}
        texts = [str(e["value"]) for e in message.get("entities") or [] if e.get("entity") == "neighbourhood"]
        texts += [m.matched for m in eng.normaliser.neighbourhoods.find_in(message.get("text") or "")]
        for text in texts:
            try:
                return location, eng.normaliser.neighbourhood(text, location).value
            except UnknownValueError:
                elsewhere = eng.normaliser.neighbourhood(text)  # raises, with suggestions, if unknown anywhere
                raise InvalidValueError(f"{elsewhere.value} is in {elsewhere.parent}, not {location}. "
                                        f"Say \"actually {elsewhere.parent}\" to search there.") from None
        if slots.get("neighbourhood"):
            return location, slots["neighbourhood"]
        return None

    def _other_places(self, dispatcher: CollectingDispatcher, slots: dict[str, Any]) -> list[EventType]:
        """Nearby or similar destinations, each with how many places fit there."""
        offers = place_offers(engine(), slots)
        if not offers:
            dispatcher.utter_message(text=f"I don't know another place near {slots['location']} with places that fit. "
                                          "Name any destination and I'll search there.")
            return [SlotSet("offers", [])]
        lines = ["Other places that fit your search:"] + [f"{k}. {o['label']}" for k, o in enumerate(offers, 1)]
        buttons = [button(offer_title(o), "choose_offer", ordinal=k) for k, o in enumerate(offers, 1)]
        send(dispatcher, [Message(text="\n".join(lines), buttons=buttons)])
        return [SlotSet("offers", offers)]


class ActionDetails(Action):
    """Everything about one shown option, answering 'does it have X?' first."""

    def name(self) -> str:
        return "action_details"

    @guarded
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        eng = engine()
        ordinal = _ordinal(tracker)
        offers = tracker.get_slot("offers") or []
        if ordinal is None and offered_instead_of_places(offers):
            return self._after_no_match(dispatcher, tracker, offers)
        picked = _pick(tracker.get_slot("shown") or [], ordinal)
        if picked is None:
            shown = tracker.get_slot("shown") or []
            count = "only one place" if len(shown) == 1 else f"{len(shown)} places"
            to_last = f" to \"details {len(shown)}\"" if len(shown) > 1 else ""
            text = (f"I showed {count} just now — say \"details 1\"" + to_last + ", or \"show more\"." if shown
                    else "I haven't shown you any places yet — where would you like to stay?")
            dispatcher.utter_message(text=text)
            return []
        position, property_id = picked
        record = eng.show(property_id)
        answer = self._answer(tracker, record)
        send(dispatcher, [details_message(eng, record, position, answer)])
        return []

    @staticmethod
    def _after_no_match(dispatcher: CollectingDispatcher, tracker: Tracker,
                        offers: list[dict[str, Any]]) -> list[EventType]:
        """"Yep, that works. How much would it come to?" after "Here's what would work: 1. A townhouse
        instead of a house": the yes takes the first way out, whose places show their cost; without a
        yes, no place is in question (the list on screen is an older search's), so the ways out again."""
        words = fold((tracker.latest_message or {}).get("text") or "").split()
        if words and words[0] in YES_WORDS:
            return take_offer(dispatcher, tracker, offers[0])
        _nothing_shown_yet(dispatcher, offers)
        return []

    def _answer(self, tracker: Tracker, record: dict[str, Any]) -> str | None:
        """'Yes — it allows pets.' when the question names an amenity (or a pet)."""
        eng = engine()
        text = (tracker.latest_message or {}).get("text") or ""
        asked = []
        for raw in [str(e["value"]) for e in (tracker.latest_message or {}).get("entities") or []
                    if e.get("entity") == "amenity"] + [m.matched for m in eng.normaliser.amenities.find_in(text)]:
            try:
                asked.append(eng.normaliser.amenity(raw).value)
            except UnknownValueError:
                continue
        pets = eng.knowledge.context.get("pets")
        pets_named = pets and any(fold(p) in fold(text).split() for p in pets.phrases)
        if pets_named and "pets_allowed" in eng.catalog.amenity_index:
            asked.append("pets_allowed")
        answers = []
        for amenity in dict.fromkeys(asked):
            label = eng.wording.amenity(amenity)
            has = amenity in record["amenities"]
            answers.append(f"Yes — {label}." if has else f"No — {label} isn't listed for this place.")
        return " ".join(answers) or None


class ActionApplyOffer(Action):
    """Accept a proposed change (a repair or another place) and search again."""

    def name(self) -> str:
        return "action_apply_offer"

    @guarded
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        offers = tracker.get_slot("offers") or []
        if not offers:  # "ok then the Gold Coast" with nothing on offer: what it says is the change
            done = self._as_said(dispatcher, tracker, "inform")
            if done is None:
                dispatcher.utter_message(response="utter_glad_change_or_details")
            return done or []
        chosen = self._choose(tracker, offers)
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        if chosen is None and intent == "affirm":  # "five", read as a yes, after places found for any party
            done = self._as_said(dispatcher, tracker, "inform")
            if done is None:
                dispatcher.utter_message(response="utter_glad_say_details")
            return done or []
        if chosen is None and self._asks_to_drop(tracker):
            done = self._as_said(dispatcher, tracker, "remove_constraint")
            if done is None:
                dispatcher.utter_message(response="utter_pick_an_option")
            return done or []
        if chosen is None:
            done = self._as_said(dispatcher, tracker, "inform")
            if done is not None:
                return done
            options = "; ".join(f"{k}. {o['label']}" for k, o in enumerate(offers, 1))
            dispatcher.utter_message(text=f"Which one? {options}")
            return []
        return take_offer(dispatcher, tracker, chosen)

    @staticmethod
    def _asks_to_drop(tracker: Tracker) -> bool:
        words = set(fold((tracker.latest_message or {}).get("text") or "").split())
        return bool(words & _OFFER_VERBS["drop"])

    @staticmethod
    def _as_said(dispatcher: CollectingDispatcher, tracker: Tracker, read_as: str) -> list[EventType] | None:
        """What the words say, when no offer is what was meant: 'ok drop the parking' (read as a
        removal) or 'ok then the Gold Coast' (as a change); None when they change nothing. With no party
        yet, the places shown asked for one, so a lone number is the party ("five")."""
        eng = engine()
        message = tracker.latest_message or {}
        slots = tracker.current_slot_values()
        asked = None if slots.get("guests") else "guests"
        reading = read_message(eng, message.get("text") or "", read_as, message.get("entities") or [],
                               slots, asked, today())
        candidates = {k: v for k, v in reading.candidates.items() if k not in ("offset", "reference_id")}
        values, notes = validate_candidates(candidates, slots, eng, today())
        changed = {k: v for k, v in values.items() if v != slots.get(k)}
        if not changed and not notes:
            return None
        for note in [*reading.notes, *notes]:
            dispatcher.utter_message(text=note)
        if not changed:
            return []
        return search_and_reply(eng, dispatcher, tracker, {**changed, "offset": 0.0})

    def _choose(self, tracker: Tracker, offers: list[dict[str, Any]]) -> dict[str, Any] | None:
        """The offer meant: by number, else by what the words say and name, else the only one."""
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        ordinal = _ordinal(tracker)
        if ordinal is not None:
            position = len(offers) if ordinal == -1 else ordinal
            return offers[position - 1] if 1 <= position <= len(offers) else None
        words = set(fold((tracker.latest_message or {}).get("text") or "").split())
        kinds = {kind for kind, verbs in _OFFER_VERBS.items() if words & verbs}
        candidates = [o for o in offers if o["kind"] in kinds] if kinds else offers
        named = words - _NOT_NAMES - set().union(*_OFFER_VERBS.values())
        matching = [o for o in candidates if named & set(fold(o["label"]).split())]
        if len(matching) == 1:
            return matching[0]
        if len(candidates) == 1 and kinds:
            return candidates[0]
        yes = intent == "affirm" or len(offers) == 1 or (_affirms(words) and not kinds)
        if yes and offered_instead_of_places(offers):
            return offers[0]
        return None


# the words of knowledge/phrases/offers.yml: "ok drop the parking" means the offer that drops it
_OFFER_VERBS = {kind: frozenset(fold(w) for w in PHRASES.words("offers", kind))
                for kind in ("drop", "widen", "substitute")}
_NOT_NAMES = frozenset(fold(w) for w in PHRASES.words("offers", "not_names"))


def _affirms(words: set[str]) -> bool:
    """"Yes, that'd be brilliant": a yes that names no offer takes the first (the smallest change)."""
    return any(set(phrase.split()) <= words for phrase in AFFIRM_PHRASES)
