"""`validate_search_form`: every message that sets or changes the search lands here.

The form asks for place, guests, budget and (once) must-haves; but values come
from any message, several at a time, and may change at any point, so
extraction reads every constraint slot, not only the one requested. The
budget is not asked when the traveller said they have none.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from .engine_holder import engine, today
from .extraction import read_message
from .search_state import CONSTRAINT_SLOTS, FORM_SLOTS
from .validation import validate_candidates

_RESET_SLOTS = ("offset", "reference_id", "excluded", "waived")
# intents the form answers itself: rejecting them would leave no rule to reply
_ANSWERS = {"search", "inform", "remove_constraint", "set_priority", "affirm", "deny"}


class ValidateSearchForm(FormValidationAction):
    """Extracts all constraint slots from a message and checks them with the engine."""

    def name(self) -> Text:
        return "validate_search_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        if tracker.get_slot("budget_flexible"):
            return [slot for slot in FORM_SLOTS if slot != "budget"]
        return list(FORM_SLOTS)

    async def get_extraction_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> List[EventType]:
        message = tracker.latest_message or {}
        reading = read_message(
            engine(), message.get("text") or "", (message.get("intent") or {}).get("name"),
            message.get("entities") or [], tracker.current_slot_values(), tracker.get_slot("requested_slot"),
            today(),
        )
        for note in reading.notes:
            dispatcher.utter_message(text=note)
        return [SlotSet(slot, value) for slot, value in reading.candidates.items()]

    async def get_validation_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> List[EventType]:
        candidates: Dict[str, Any] = {
            slot: value for slot, value in tracker.slots_to_validate().items()
            if slot in CONSTRAINT_SLOTS or slot in _RESET_SLOTS
        }
        if not candidates:
            return self._not_understood(dispatcher, tracker)
        before = {slot: value for slot, value in tracker.current_slot_values().items() if slot not in candidates}
        values, messages = validate_candidates(candidates, before, engine(), today())
        for message in messages:
            dispatcher.utter_message(text=message)
        return [SlotSet(slot, value) for slot, value in values.items()]

    @staticmethod
    def _not_understood(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        """An answer with nothing usable in it: say so and let the form ask again.

        Rejecting the form here would hand the turn to the policies, and no
        rule replies to an unclear answer in the middle of a form.
        """
        requested = tracker.get_slot("requested_slot")
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        if requested is None or intent not in _ANSWERS:
            return []
        dispatcher.utter_message(text="Sorry, I didn't catch that.")
        return [SlotSet(requested, tracker.get_slot(requested))]
