"""`action_start_over`: forgetting a search only when the traveller clearly asked to.

Starting over wipes every slot, so a message the NLU only half reads as
"start over" (a garbled date like "from the 45th of Smarch" scored 0.43) must
not cost the traveller their search: below the confidence set in
knowledge/engine.yml the bot asks, with a button that restarts for sure.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from .engine_holder import engine
from .rendering import button
from .search_state import CONSTRAINT_SLOTS


class ActionStartOver(Action):
    def name(self) -> str:
        return "action_start_over"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        intent = (tracker.latest_message or {}).get("intent") or {}
        threshold = float(engine().knowledge.setting("chat", "start_over_min_confidence"))
        nothing_to_lose = not any(tracker.get_slot(slot) not in (None, [], {}, "", False) for slot in CONSTRAINT_SLOTS)
        if nothing_to_lose or float(intent.get("confidence") or 0.0) >= threshold:
            dispatcher.utter_message(response="utter_start_over")
            return [FollowupAction("action_restart")]
        dispatcher.utter_message(response="utter_confirm_start_over", buttons=[button("Yes, start over", "start_over")])
        return []
