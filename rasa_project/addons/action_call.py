"""The action server is sent the events of the current turn, not of the whole conversation.

Rasa 3.6 sends every event of the conversation with every call to the action
server (`RemoteAction._action_call_format`, `EventVerbosity.ALL`): each call
turned every past event into a dict, then into JSON, and the action server
parsed it back, two or three calls a turn, so the cost of a turn grew with the
conversation. Our actions keep the conversation's state in slots, and read it
from what the call carries besides the events, exactly as before: the slots,
the latest message, the active form, the latest action and input channel. Of
the events, only the current turn's are read: rasa_sdk's `slots_to_validate`
(the slot events after the form ran) and `get_latest_input_channel` (the
latest user event). So the call carries the events from the latest user
message on, or all of them before the first message. The domain is sent as
Rasa decides (selective domain: endpoints.yml).
"""
from __future__ import annotations

from typing import Any

import rasa
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity


def turn_events(tracker: DialogueStateTracker) -> list[dict[str, Any]]:
    """The events from the latest user message on, as dicts (every event when there is none)."""
    events = list(tracker.events)
    start = next((k for k in range(len(events) - 1, -1, -1) if isinstance(events[k], UserUttered)), 0)
    return [event.as_dict() for event in events[start:]]


def _action_call_format(self: RemoteAction, tracker: DialogueStateTracker, domain: Domain) -> dict[str, Any]:
    """Rasa's request to the action server, with the current turn's events."""
    state = tracker.current_state(EventVerbosity.NONE)
    state["events"] = turn_events(tracker)
    result: dict[str, Any] = {"next_action": self._name, "sender_id": tracker.sender_id, "tracker": state,
                              "version": rasa.__version__}
    if not self._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(self.name()):
        result["domain"] = domain.as_dict()
    return result


def install() -> None:
    """Replace `RemoteAction._action_call_format` (idempotent)."""
    RemoteAction._action_call_format = _action_call_format
