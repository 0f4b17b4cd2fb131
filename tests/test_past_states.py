"""Folded past states are exactly Rasa's replay, event after event, however the conversation goes.

Rasa's own `Domain.states_for_tracker_history` is the oracle: after every event
of conversations with forms, hidden rule turns, rewinds, restarts and new
sessions, and for every way the policies ask (unset slots omitted or not, rule-
only turns ignored or not), the folded answer must equal it. A tracker read
back from the store is made of new event objects: it must continue the fold,
not replay it. (Events are stored append-only, so an event is known by its type
and time.)
"""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    BotUttered,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from addons import past_states

DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [search, inform, affirm, help]
entities: [location]
slots:
  location: {type: text, influence_conversation: true, mappings: [{type: from_entity, entity: location}]}
  guests: {type: float, influence_conversation: false, mappings: [{type: custom}]}
  refining: {type: bool, influence_conversation: true, mappings: [{type: custom}]}
forms:
  search_form: {required_slots: [location]}
actions: [action_search, action_help]
responses:
  utter_where_to: [{text: "Where to?"}]
""")
RULE_ONLY = {"slots": ["refining"], "loops": ["search_form"]}
ASKS = [(False, False, None), (True, False, None), (False, True, RULE_ONLY), (True, True, RULE_ONLY)]

_time = iter(range(1, 10_000))


def at(event: Event) -> Event:
    """Events of one conversation a millisecond apart, as a live conversation stamps them."""
    event.timestamp = 1_800_000_000 + next(_time) / 1000
    return event


def user(text: str, intent: str, **slots: object) -> list[Event]:
    entities = [{"entity": "location", "value": v, "start": 0, "end": 1} for k, v in slots.items() if k == "location"]
    return [at(UserUttered(text, intent={"name": intent, "confidence": 0.9}, entities=entities))]


def conversation() -> list[Event]:
    """A form asked and filled, a rule turn hidden from stories, a rewind, an undo, a restart, a new session."""
    return [
        at(ActionExecuted("action_session_start")), at(SessionStarted()), at(ActionExecuted("action_listen")),
        *user("hi, a place please", "search"),
        at(ActionExecuted("search_form")), at(ActiveLoop("search_form")), at(SlotSet("requested_slot", "location")),
        at(BotUttered("Where to?")), at(ActionExecuted("action_listen")),
        *user("Lisbon", "inform", location="Lisbon"), at(SlotSet("location", "Lisbon")),
        at(ActionExecuted("search_form")), at(ActiveLoop(None)), at(SlotSet("requested_slot", None)),
        at(ActionExecuted("action_search")), at(SlotSet("guests", 2.0)), at(BotUttered("3 places")),
        at(ActionExecuted("action_listen")),
        *user("help", "help"), at(ActionExecuted("action_help", hide_rule_turn=True)),
        at(SlotSet("refining", True)), at(ActionExecuted("action_listen", hide_rule_turn=True)),
        *user("gibberish", "affirm"), at(UserUtteranceReverted()),
        *user("Porto", "inform", location="Porto"), at(ActionExecuted("action_search")), at(ActionReverted()),
        at(ActionExecuted("action_search")), at(ActionExecuted("action_listen")),
        at(Restarted()), at(ActionExecuted("action_listen")),
        *user("Faro", "inform", location="Faro"), at(ActionExecuted("action_search")),
        at(ActionExecuted("action_listen")),
        at(ActionExecuted("action_session_start")), at(SessionStarted()), at(ActionExecuted("action_listen")),
        *user("Nice", "inform", location="Nice"), at(ActionExecuted("action_search")),
    ]


@pytest.fixture(autouse=True)
def folded() -> Iterator[None]:
    past_states.forget()
    yield
    past_states.forget()


def rasa(tracker: DialogueStateTracker, asked: tuple) -> list:
    return past_states._original(DOMAIN, tracker, *asked)


def test_every_prefix_of_a_conversation_gets_rasas_applied_events_and_states_for_every_way_of_asking() -> None:
    events = conversation()
    tracker = DialogueStateTracker("traveller", DOMAIN.slots)
    for event in events:
        tracker.update(event)
        assert past_states.applied_events(tracker) == past_states._original_applied(tracker), f"after {event}"
        for asked in ASKS:
            assert past_states.states_for_tracker_history(DOMAIN, tracker, *asked) == rasa(tracker, asked), (
                f"after {event} asked {asked}")


def test_a_tracker_read_back_from_the_store_continues_the_fold(monkeypatch: pytest.MonkeyPatch) -> None:
    events = conversation()[:19]
    live = DialogueStateTracker.from_events("traveller", events, DOMAIN.slots)
    past_states.states_for_tracker_history(DOMAIN, live)
    replays = []
    monkeypatch.setattr(DialogueStateTracker, "init_copy",
                        lambda self, original=DialogueStateTracker.init_copy: replays.append(1) or original(self))
    # the next turn: the same events decoded again (new objects), one more message
    again = [Event.from_parameters(e.as_dict()) for e in events] + user("for 4", "inform")
    read_back = DialogueStateTracker.from_events("traveller", again, DOMAIN.slots)
    folded = past_states.states_for_tracker_history(DOMAIN, read_back)
    assert not replays, "the fold was replayed from the start"
    assert folded == rasa(read_back, ASKS[0])


def test_a_changed_history_is_replayed_not_continued() -> None:
    events = conversation()[:19]
    tracker = DialogueStateTracker.from_events("traveller", events, DOMAIN.slots)
    past_states.states_for_tracker_history(DOMAIN, tracker)
    other = list(events)
    # the store emptied and the conversation begun again under the same id: the form still active at that point
    other[12] = ActiveLoop("search_form", timestamp=events[12].timestamp + 0.5)
    assert rasa(DialogueStateTracker.from_events("traveller", other, DOMAIN.slots), ASKS[0]) != rasa(tracker, ASKS[0])
    changed = DialogueStateTracker.from_events("traveller", other + user("ok", "affirm"), DOMAIN.slots)
    assert past_states.states_for_tracker_history(DOMAIN, changed) == rasa(changed, ASKS[0])


def test_callers_cannot_change_what_the_fold_keeps() -> None:
    tracker = DialogueStateTracker.from_events("traveller", conversation()[:19], DOMAIN.slots)
    first = past_states.states_for_tracker_history(DOMAIN, tracker)
    for state in first:
        state.clear()
    assert past_states.states_for_tracker_history(DOMAIN, tracker) == rasa(tracker, ASKS[0])


def test_conversations_are_kept_apart_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(past_states, "CAPACITY", 3)
    events = conversation()[:19]
    for k in range(5):
        tracker = DialogueStateTracker.from_events(f"traveller-{k}", events[: 10 + k], DOMAIN.slots)
        assert past_states.states_for_tracker_history(DOMAIN, tracker) == rasa(tracker, ASKS[0])
    assert len(past_states._folds) == 3
