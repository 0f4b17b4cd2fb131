"""A conversation's past dialogue states, computed once per event instead of once per prediction.

Before every prediction, each policy asks for the state of every past turn
(`Domain.states_for_tracker_history`): Rasa 3.6 replays the whole session from
its first event into a fresh tracker and rebuilds every state, 4-6 times per
user turn (Memoization, Rule with and without rule-only turns, once per action
predicted). The work grows with the conversation: that is why turn 40 cost
twice turn 5 (BENCHMARKS.md, issue 10).

The replay is a left fold over the session's applied events: the state at a
turn depends only on the events before it. So this keeps, per conversation and
per way of asking (the three arguments), the fold after the events it has seen:
the replayed tracker, the states so far and the two running flags Rasa's loop
carries. A later call whose applied events begin with exactly those events
continues the fold over the new events only. An event is known by its type and
timestamp: a conversation's events are only ever appended, each stamped when it
happened, and a tracker read back from the store is made of new objects, so
identity cannot tell; comparing them in full would cost more than the replay
saves (`UserUttered.__eq__` pickles its entities). Anything else (a rewind, a
restart, a new session, another model's domain) replays from the start as Rasa
does. The last
state, of the tracker as it is now, is built on a copy, because the next event
will come after it. Callers get their own copy of the list and of every state.

The applied events themselves (`DialogueStateTracker.applied_events`: the
session without what was rewound or undone) are folded the same way, per
conversation: Rasa rebuilds them from every event on every call, scanning back
through the history at each form execution, and that scan was the larger part
of a prediction once the states were folded. Their fold starts afresh when the
set of forms the conversation ran changes, since Rasa's result depends on it.

Only conversations being served are folded: the trackers of training
(`TrackerWithCachedStates`, which cache their own states) and rule trackers go
through Rasa's code unchanged. With `STAYS_CHECK_PAST_STATES=1` every answer is
also computed Rasa's way and a difference raises, which is how the test suite
runs the servers (tests/conftest.py), so every scripted conversation checks it.
"""
from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import rasa.shared.core.constants as core
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

CAPACITY = 2000          # conversations folded at once, least recently served dropped first

_original: Callable[..., list[State]] = Domain.states_for_tracker_history
_original_applied: Callable[[DialogueStateTracker], list[Event]] = DialogueStateTracker.applied_events
_check = os.environ.get("STAYS_CHECK_PAST_STATES") == "1"


@dataclass
class _Seen:
    """The events a fold has consumed, in order, and how each is recognised cheaply."""

    keys: list[tuple[type, float]] = field(default_factory=list)

    def consumed(self, event: Event) -> None:
        self.keys.append((type(event), event.timestamp))

    def continued_by(self, events: list[Event]) -> bool:
        """`events` begin with the events seen, by type and timestamp."""
        seen = len(self.keys)
        return len(events) >= seen and [(type(e), e.timestamp) for e in events[:seen]] == self.keys


@dataclass
class _Fold(_Seen):
    """Rasa's loop in `states_for_tracker_history`, stopped after the applied events seen."""

    replica: DialogueStateTracker | None = None
    states: list[State] = field(default_factory=list)
    last_ml_action: dict[str, Any] | None = None
    turn_was_hidden: bool = False


@dataclass
class _Applied(_Seen):
    """Rasa's loop in `applied_events`, stopped after the tracker events seen."""

    forms: frozenset[str] = frozenset()
    applied: list[Event] = field(default_factory=list)


_folds: OrderedDict[tuple[Any, ...], _Fold] = OrderedDict()
_applied: OrderedDict[str, _Applied] = OrderedDict()


def _kept(folds: OrderedDict[Any, Any], key: Any, fold: Any) -> None:
    folds[key] = fold
    folds.move_to_end(key)
    while len(folds) > CAPACITY:
        folds.popitem(last=False)


def _step(domain: Domain, fold: _Fold, tracker: DialogueStateTracker, hide_rule_turn: bool,
          omit_unset_slots: bool, ignore_rule_only_turns: bool, rule_only_data: dict[str, Any] | None) -> None:
    """One pass of Rasa's loop body, on `fold`, for the tracker before an action (or as it is now)."""
    if ignore_rule_only_turns:
        if not fold.turn_was_hidden:
            fold.last_ml_action = domain._get_prev_action_sub_state(tracker)
        if not tracker.followup_action and not tracker.latest_action_name == tracker.active_loop_name:
            fold.turn_was_hidden = hide_rule_turn
        if fold.turn_was_hidden:
            return
    state = domain.get_active_state(tracker, omit_unset_slots=omit_unset_slots)
    if ignore_rule_only_turns:
        domain._remove_rule_only_features(state, rule_only_data)
        if fold.states:
            domain._substitute_rule_only_user_input(state, fold.states[-1])
        if fold.last_ml_action:
            state[core.PREVIOUS_ACTION] = fold.last_ml_action
    fold.states.append(domain._clean_state(state))


def _copy(states: list[State]) -> list[State]:
    return [{kind: dict(sub) for kind, sub in state.items()} for state in states]


def _cache_key(domain: Domain, tracker: DialogueStateTracker, omit_unset_slots: bool,
               ignore_rule_only_turns: bool, rule_only_data: dict[str, Any] | None) -> tuple[Any, ...]:
    rule_only = tuple(sorted((k, tuple(v)) for k, v in (rule_only_data or {}).items()))
    return id(domain), tracker.sender_id, omit_unset_slots, ignore_rule_only_turns, rule_only


def states_for_tracker_history(self: Domain, tracker: DialogueStateTracker, omit_unset_slots: bool = False,
                               ignore_rule_only_turns: bool = False,
                               rule_only_data: dict[str, Any] | None = None) -> list[State]:
    """Rasa's `Domain.states_for_tracker_history`, continuing the conversation's fold."""
    if type(tracker) is not DialogueStateTracker or tracker.is_rule_tracker:
        return _original(self, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    key = _cache_key(self, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    applied = tracker.applied_events()
    fold = _folds.get(key)
    if fold is None or not fold.continued_by(applied):
        fold = _Fold(replica=tracker.init_copy())
    replica = fold.replica
    assert replica is not None
    for event in applied[len(fold.keys):]:
        if isinstance(event, ActionExecuted):
            _step(self, fold, replica, event.hide_rule_turn, omit_unset_slots, ignore_rule_only_turns,
                  rule_only_data)
        replica.update(event)
        fold.consumed(event)
    _kept(_folds, key, fold)
    now = _Fold(states=list(fold.states), last_ml_action=fold.last_ml_action, turn_was_hidden=fold.turn_was_hidden)
    _step(self, now, replica, False, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    states = _copy(now.states)
    if _check:
        expected = _original(self, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        if states != expected:
            raise AssertionError(f"past states of {tracker.sender_id!r} differ from Rasa's replay:\n"
                                 f"{states}\n!=\n{expected}")
    return states


def applied_events(self: DialogueStateTracker) -> list[Event]:
    """Rasa's `DialogueStateTracker.applied_events`, continuing the conversation's fold."""
    if type(self) is not DialogueStateTracker or self.is_rule_tracker:
        return _original_applied(self)
    events = list(self.events)
    forms = frozenset(e.name for e in events if isinstance(e, ActiveLoop) and e.name)
    fold = _applied.get(self.sender_id)
    if fold is None or fold.forms != forms or not fold.continued_by(events):
        fold = _Applied(forms=forms)
    done = fold.applied
    for event in events[len(fold.keys):]:
        if isinstance(event, (Restarted, SessionStarted)):
            done.clear()
        elif isinstance(event, ActionReverted):
            self._undo_till_previous(ActionExecuted, done)
        elif isinstance(event, UserUtteranceReverted):
            self._undo_till_previous(UserUttered, done)
            self._undo_till_previous(ActionExecuted, done)
        elif (isinstance(event, ActionExecuted) and event.action_name in forms
              and not self._first_loop_execution_or_unhappy_path(event.action_name, done)):
            self._undo_till_previous_loop_execution(event.action_name, done)
        else:
            done.append(event)
        fold.consumed(event)
    _kept(_applied, self.sender_id, fold)
    if _check and done != _original_applied(self):
        raise AssertionError(f"applied events of {self.sender_id!r} differ from Rasa's")
    return list(done)


def install() -> None:
    """Replace Rasa's two replays with the folding ones (idempotent)."""
    Domain.states_for_tracker_history = states_for_tracker_history
    DialogueStateTracker.applied_events = applied_events


def forget() -> None:
    """Drop every fold (tests)."""
    _folds.clear()
    _applied.clear()
