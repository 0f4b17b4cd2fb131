"""What the action server is sent: the whole state as Rasa sends it, with only the current turn's events."""
from __future__ import annotations

from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.utils.endpoints import EndpointConfig
from rasa_sdk import Tracker

from addons import action_call

DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [search, inform]
slots:
  location: {type: text, mappings: [{type: custom}]}
  guests: {type: float, mappings: [{type: custom}]}
actions: [action_recommend, {validate_search_form: {send_domain: true}}]
""")


def conversation() -> DialogueStateTracker:
    events = [ActionExecuted("action_listen")]
    for place, guests in (("Lisbon", 2.0), ("Porto", 4.0)):
        events += [UserUttered(f"{place} for {guests:.0f}", intent={"name": "search", "confidence": 1.0},
                               input_channel="rest"),
                   ActionExecuted("action_recommend"), SlotSet("location", place), SlotSet("guests", guests),
                   BotUttered(f"places in {place}"), ActionExecuted("action_listen")]
    events += [UserUttered("for 3", intent={"name": "inform", "confidence": 1.0}, input_channel="web"),
               SlotSet("guests", 3.0)]  # a slot candidate the form would validate
    return DialogueStateTracker.from_events("traveller", events, DOMAIN.slots)


def call(action: str, selective: bool = True, tracker: DialogueStateTracker | None = None) -> dict:
    endpoint = EndpointConfig("http://localhost:5055/webhook", enable_selective_domain=selective)
    return action_call._action_call_format(RemoteAction(action, endpoint), tracker or conversation(), DOMAIN)


def test_the_call_carries_the_current_turn_and_the_whole_state() -> None:
    tracker = conversation()
    sent = call("action_recommend", tracker=tracker)["tracker"]
    assert [e["event"] for e in sent["events"]] == ["user", "slot"]
    expected = tracker.current_state(EventVerbosity.ALL)
    for key in set(expected) - {"events"}:
        assert sent[key] == expected[key], key


def test_what_actions_read_from_events_is_unchanged() -> None:
    tracker = conversation()
    full = tracker.current_state(EventVerbosity.ALL)
    sent = call("validate_search_form", tracker=tracker)["tracker"]
    as_sdk, as_rasa = Tracker.from_dict(sent), Tracker.from_dict(full)
    assert as_sdk.slots_to_validate() == as_rasa.slots_to_validate() == {"guests": 3.0}
    assert as_sdk.get_latest_input_channel() == as_rasa.get_latest_input_channel() == "web"
    assert as_sdk.current_slot_values() == as_rasa.current_slot_values()


def test_the_domain_goes_only_to_the_actions_that_ask_for_it() -> None:
    assert "domain" in call("validate_search_form") and "domain" not in call("action_recommend")
    assert "domain" in call("action_recommend", selective=False)


def test_before_any_message_every_event_is_sent() -> None:
    tracker = DialogueStateTracker.from_events("traveller", [ActionExecuted("action_listen")], DOMAIN.slots)
    assert action_call.turn_events(tracker) == [e.as_dict() for e in tracker.events]
