"""A message that names a place or an amenity is a search, even when the classifier is unsure.

Travellers start with the bare place ("Kuala Lumpur", "I'll be in SD.") or
shout a wish ("FIREPLACE PLEASE IT'S COLD"); the intent classifier, trained on
our own sentences, sometimes puts these under the fallback threshold or out of
scope, and the traveller hears "Sorry, I didn't catch that". This component
runs after the FallbackClassifier and asks the engine's vocabularies and
gazetteer (constraints.trip_mentions) what the message names:

- below the threshold (`nlu_fallback`), a message that names a place becomes
  `search`; one that names only amenities or a kind of stay, or states a party,
  dates, a stay length or a budget in words the action server's readers
  understand ("four hikers", "I'm planning to check out on the 12th"), becomes `inform`;
- `out_of_scope` is kept ("book me a flight to Paris" is out of scope) unless
  the message says nothing but a place ("Kuala Lumpur please"), or names no
  place but a must-have, a party, dates, a rating or a budget and the
  classifier was unsure ("we'd like to arrive tomorrow": the answer to a
  question; "what's the weather like tomorrow" is out of scope for sure), or
  names a day to leave ("The 5th is when we'd like to check out": only a stay has
  a check-out), however sure the classifier was;
- an intent that carries no trip facts (`factless`: small talk, asking for a
  listing's details or for more like one) the classifier was unsure of (below
  `rescue_out_of_scope_below`), on a message that states trip facts or names a
  place, is the answer it is: "three travellers" is not thanks, "five" is not
  yes, nor is a lone "Three." the extractor tagged as a party; "from the 1st,
  and 5 persons in my team" asks for no details; "I quite fancy Porto" wants
  Porto, not more like a listing ("deny" is not among them: "no pool" drops
  the pool);
- an intent whose action hears no party, dates or budget (`deaf`: yes, no,
  "show more", "somewhere else"; `closing`: thanks and goodbye, unless the
  message opens with one, "thanks, two of us loved it"), however sure, on a
  message that states one in words the readers understand, is `inform`: "For
  four people thanks.", "No, make that three people.", "Anything else? We're
  four people." change the party; a request for details that names a day to
  leave ("No, move the check-in to the 2nd of this month and check-out to the
  9th") changes the dates, "the 2nd" there is a day, not a listing;
- a request for details or a choice of offer (`pointing`) that points at no
  option and states the party in so many words ("Tell me about other houses,
  we are 2 people", "Do you have other places? I have 1 person") is `inform`:
  their actions describe or take an option and would drop the party; "is the
  first one ok for 4 people?" still asks about the first;
- an unclear or unsure out-of-scope message that names no trip but opens with a
  yes (knowledge/phrases/offers.yml `affirm`: "Yes, we'll be getting in
  then.", "ok, that's when we land") is `affirm`: it answers what the bot just
  said, and "that's outside what I can do" would turn a traveller's yes away;
- `start_over` below the confidence action_start_over trusts (engine.yml
  `chat.start_over_min_confidence`) that states trip facts becomes `inform`:
  "Try once more, arriving March 5th instead" changes the dates, it does
  not ask to forget the search.

The place is added as a `location` entity when no extractor tagged one, so the
action server reads it like any other. The original intent stays in the
ranking, and the message records `rescued_from` for the logs.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import replace
from functools import cached_property
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.engine_holder import today
from actions.reading import parse_budget, parse_dates, parse_guests, parse_nights, parse_ordinal, parse_rating
from constraints.catalog import load_catalog
from constraints.engine import Engine
from constraints.knowledge import load_knowledge
from constraints.phrases import load_phrases
from constraints.text import fold
from constraints.trip_mentions import TripMentions, place_words, trip_mentions

logger = logging.getLogger(__name__)

FALLBACK = "nlu_fallback"
OUT_OF_SCOPE = "out_of_scope"
START_OVER = "start_over"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class TripRescue(GraphComponent):
    """Turns an unclear message that names a trip into the search it is."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # out of scope with a party, dates or a must-have and no place is rescued only when the
        # classifier was this unsure: "we'd like to arrive tomorrow" is an answer, "what's the
        # weather like tomorrow" (1.0) is not
        return {"search_intent": "search", "inform_intent": "inform", "affirm_intent": "affirm",
                "rescue_out_of_scope_below": 0.75,
                "factless": ["affirm", "thanks", "greet", "goodbye", "ask_details", "more_like"],
                "deaf": ["affirm", "deny", "show_more", "different_place"], "closing": ["thanks", "goodbye"],
                "turning_down": ["deny", "different_place"], "pointing": ["ask_details", "choose_offer"]}

    def __init__(self, config: dict[str, Any]) -> None:
        self._config = {**self.get_default_config(), **config}
        self._engine: Engine | None = None
        self._place_words: frozenset[str] = frozenset()
        self._closings: tuple[tuple[str, ...], ...] = ()
        self._yes_words: frozenset[str] = frozenset()
        self._start_over_trusted = 1.0

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> TripRescue:
        return cls(config)

    def _mentions(self, text: str) -> TripMentions:
        engine = self._load()
        return trip_mentions(text, engine.normaliser, self._place_words, unclear=True)

    def _load(self) -> Engine:
        """Loaded on the first message that needs it: the catalog the action server serves (STAYS_CATALOG)."""
        if self._engine is None:
            knowledge = load_knowledge(os.environ.get("STAYS_KNOWLEDGE") or None)
            catalog = os.environ.get("STAYS_CATALOG") or knowledge.directory / "catalog.csv"
            self._engine = Engine(knowledge, load_catalog(catalog, knowledge))
            phrases = load_phrases(knowledge.directory)
            self._place_words = place_words(phrases)
            self._closings = tuple(tuple(fold(w).split()) for w in phrases.words("mentions", "closings"))
            self._yes_words = frozenset(w for w in map(fold, phrases.words("offers", "affirm")) if " " not in w)
            self._start_over_trusted = float(knowledge.setting("chat", "start_over_min_confidence"))
        return self._engine

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = str((message.get(INTENT) or {}).get(INTENT_NAME_KEY) or "")
            confidence = float((message.get(INTENT) or {}).get("confidence") or 0.0)
            text = message.get(TEXT)
            if not text:
                continue
            try:
                read = _Read(text, self._mentions)
                if not (self._heard_missed_facts(message, intent, read)
                        or self._party_beside_no_option(message, intent, read)):
                    self._rescue_unclear(message, intent, confidence, read)
            except Exception:  # a broken knowledge base must not take the NLU down with it
                logger.exception("trip rescue could not read the message; keeping %s", intent)
        return messages

    def _heard_missed_facts(self, message: Message, intent: str, read: _Read) -> bool:
        """A deaf intent, or a details request naming a day to leave, whose message states trip facts
        becomes `inform` (see the module's docstring); True when it did."""
        deaf = intent in self._config["deaf"]
        if intent in self._config["closing"]:
            self._load()
            deaf = not self._opens_with_closing(read.text)
        if not (deaf or intent == "ask_details"):
            return False
        if deaf and (read.dates is not None or read.facts_said):
            self._rescue(message, intent, read.found, with_place=intent not in self._config["turning_down"])
            return True
        if intent == "ask_details" and getattr(read.dates, "check_out", None) is not None:
            self._rescue(message, intent, read.found, with_place=False)
            return True
        return False

    def _party_beside_no_option(self, message: Message, intent: str, read: _Read) -> bool:
        """A details request or offer choice that names no option but says the party (see the module's
        docstring) becomes `inform`; True when it did."""
        if intent not in self._config["pointing"] or not (read.guests is not None and read.guests.explicit):
            return False
        if any(e.get("entity") == "ordinal" for e in message.get(ENTITIES) or []) or parse_ordinal(read.text):
            return False
        self._rescue(message, intent, read.found)
        return True

    def _rescue_unclear(self, message: Message, intent: str, confidence: float, read: _Read) -> None:
        """An unclear, out-of-scope, unsure start-over or unsure factless message that names a trip."""
        unsure = confidence < float(self._config["rescue_out_of_scope_below"])
        factless = intent in self._config["factless"]
        if not (intent in (FALLBACK, OUT_OF_SCOPE, START_OVER) or (factless and unsure)):
            return
        found = read.found
        facts = (bool(found.amenities or found.property_types) or read.dates is not None or read.facts_said
                 or any(e.get("entity") == "guests" for e in message.get(ENTITIES) or []))
        leaving = departure_only(read.dates)
        if intent == FALLBACK and (found or facts):
            self._rescue(message, intent, found)
        elif intent == OUT_OF_SCOPE and (found.only_places or (facts and not found.places and (unsure or leaving))):
            self._rescue(message, intent, found)
        elif intent == START_OVER and (found or facts) and confidence < self._start_over_trusted:
            self._rescue(message, intent, found)
        elif factless and (found or facts):
            self._rescue(message, intent, found)
        elif intent in (FALLBACK, OUT_OF_SCOPE) and (intent == FALLBACK or unsure) and not (found or facts):
            if self._opens_with_yes(read.text):
                self._relabel(message, intent, self._config["affirm_intent"])

    def _opens_with_closing(self, text: str) -> bool:
        """"thanks, two of us loved it" is thanks; "For four people thanks." states the party."""
        words = tuple(fold(text).split())
        return any(words[:len(closing)] == closing for closing in self._closings)

    def _opens_with_yes(self, text: str) -> bool:
        self._load()
        words = fold(text).split()
        return bool(words) and words[0] in self._yes_words

    def _rescue(self, message: Message, intent: str, found: TripMentions, with_place: bool = True) -> None:
        """`with_place=False`: the facts are what was missed ("no, make that three people"); a place the
        classifier did not tag there may be one being turned down ("no, not Porto"), so it is left alone."""
        found = found if with_place else replace(found, places=())
        self._relabel(message, intent, self._config["search_intent"] if found.places else self._config["inform_intent"])
        entities = list(message.get(ENTITIES) or [])
        if found.places and not any(e.get("entity") == "location" for e in entities):
            place = found.places[-1]
            entities.append({"entity": "location", "start": place.start, "end": place.end,
                             "value": place.text, "extractor": type(self).__name__})
            message.set(ENTITIES, entities, add_to_output=True)

    @staticmethod
    def _relabel(message: Message, intent: str, name: str) -> None:
        message.set(INTENT, {INTENT_NAME_KEY: name, "confidence": 1.0}, add_to_output=True)
        message.set("rescued_from", intent, add_to_output=True)
        logger.debug("rescued %r from %s as %s", message.get(TEXT), intent, name)


class _Read:
    """What the readers find in one message, each read at most once (the rules above share them)."""

    def __init__(self, text: str, mentions: Callable[[str], TripMentions]) -> None:
        self.text = text
        self._mentions = mentions

    @cached_property
    def dates(self) -> Any:
        return parse_dates(self.text, today())

    @cached_property
    def guests(self) -> Any:
        return parse_guests(self.text)

    @cached_property
    def facts_said(self) -> bool:
        """Whether the readers find a party, a stay length, a rating or an amount of money (dates are
        read on their own: the rules need them besides)."""
        return (self.guests is not None or parse_nights(self.text) is not None
                or parse_budget(self.text) is not None or parse_rating(self.text) is not None)

    @cached_property
    def found(self) -> TripMentions:
        return self._mentions(self.text)


def departure_only(dates: Any) -> bool:
    """Whether the dates read name only a day to leave: the readers take a bare day for the arrival,
    and "tonight" for a one-night stay, so a departure alone was said in departure words."""
    return (dates is not None and getattr(dates, "check_in", None) is None
            and getattr(dates, "check_out", None) is not None)

