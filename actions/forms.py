"""`validate_search_form`: every message that sets or changes the search lands here.

The form needs only the place to search at all, so it asks only for that: a
traveller sees places as soon as the place is known, and everything else
(party size, budget, must-haves) is a refinement offered beside the results.
A refinement the traveller picks ("Set a budget") is kept in the `refining`
slot; the form then asks that one question and searches again. Values come
from any message, several at a time, and may change at any point, so
extraction reads every constraint slot, not only the one requested.
"""
from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT, FormValidationAction
from rasa_sdk.types import DomainDict

from .engine_holder import engine, today
from .extraction import read_message
from .search_state import CONSTRAINT_SLOTS, NEEDED_TO_SEARCH, REFINEMENTS
from .validation import validate_candidates

_RESET_SLOTS = ("offset", "reference_id", "excluded", "waived", "partial_stay")
# intents the form answers itself: rejecting them would leave no rule to reply
_ANSWERS = {"search", "inform", "remove_constraint", "set_priority", "affirm", "deny", "refine"}
# a refinement button carries no constraint: it only says which question to ask
_CHOOSING_A_REFINEMENT = "refine"


# the place before this message's extraction set a new one: an unknown place said now keeps it
# (rasa_sdk writes the extracted values into the tracker before validation; each request is a task)
_PLACE_BEFORE: ContextVar[str | None] = ContextVar("place_before", default=None)


def _chose_a_refinement(tracker: Tracker) -> bool:
    """A refinement button was pressed (or named): the `refine` intent with its `refinement` entity.

    A typed message classified `refine` without one is read like any other,
    so "free parking please" still adds free parking whatever DIET thought.
    """
    message = tracker.latest_message or {}
    return ((message.get("intent") or {}).get("name") == _CHOOSING_A_REFINEMENT
            and any(e.get("entity") == "refinement" for e in message.get("entities") or []))


class ValidateSearchForm(FormValidationAction):
    """Extracts all constraint slots from a message and checks them with the engine."""

    def name(self) -> str:
        return "validate_search_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> list[str]:
        """The place, plus the one refinement the traveller chose to give, if any.

        "No limit" answers "what's your budget?" without filling `budget`.
        """
        refining = tracker.get_slot("refining")
        if refining not in REFINEMENTS or (refining == "budget" and tracker.get_slot("budget_flexible")):
            return list(NEEDED_TO_SEARCH)
        return [*NEEDED_TO_SEARCH, refining]

    async def next_requested_slot(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> EventType | None:
        """The refinement just chosen is asked even when it has a value: "Set a budget" changes it.

        Asked a refinement, a traveller who says something else instead
        ("Lisbon instead", "4 of us") gets the search with it, not the same
        question again: a refinement is optional.
        """
        refining = tracker.get_slot("refining")
        if not tracker.get_slot("location"):
            return await super().next_requested_slot(dispatcher, tracker, domain)
        if _chose_a_refinement(tracker) and refining in REFINEMENTS:
            return SlotSet(REQUESTED_SLOT, refining)
        requested = tracker.get_slot(REQUESTED_SLOT)
        changed = set(tracker.slots_to_validate()) & set(CONSTRAINT_SLOTS)
        if requested in REFINEMENTS and changed and requested not in changed:
            return SlotSet(REQUESTED_SLOT, None)
        return await super().next_requested_slot(dispatcher, tracker, domain)

    async def get_extraction_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> list[EventType]:
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        _PLACE_BEFORE.set(tracker.get_slot("location"))
        if _chose_a_refinement(tracker):
            return []
        reading = read_message(
            engine(), message.get("text") or "", intent,
            message.get("entities") or [], tracker.current_slot_values(), tracker.get_slot("requested_slot"),
            today(),
        )
        for note in reading.notes:
            dispatcher.utter_message(text=note)
        return [SlotSet(slot, value) for slot, value in reading.candidates.items()]

    async def get_validation_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> list[EventType]:
        candidates: dict[str, Any] = {
            slot: value for slot, value in tracker.slots_to_validate().items()
            if slot in CONSTRAINT_SLOTS or slot in _RESET_SLOTS
        }
        if not candidates:
            return self._not_understood(dispatcher, tracker)
        before = {slot: value for slot, value in tracker.current_slot_values().items() if slot not in candidates}
        before["location"] = tracker.get_slot("location") if "location" not in candidates else _PLACE_BEFORE.get()
        values, messages = validate_candidates(candidates, before, engine(), today())
        for message in messages:
            dispatcher.utter_message(text=message)
        return [SlotSet(slot, value) for slot, value in values.items()]

    @staticmethod
    def _not_understood(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """An answer with nothing usable in it: say so and let the form ask again.

        Rejecting the form here would hand the turn to the policies, and no
        rule replies to an unclear answer in the middle of a form. Choosing
        another refinement while one is asked is an answer too: the form
        then asks the new question.
        """
        requested = tracker.get_slot("requested_slot")
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        if requested is None:
            return []
        if _chose_a_refinement(tracker):
            return [SlotSet("refining", tracker.get_slot("refining"))]
        if intent not in _ANSWERS:
            return []
        dispatcher.utter_message(response="utter_not_caught")
        return [SlotSet(requested, tracker.get_slot(requested))]
