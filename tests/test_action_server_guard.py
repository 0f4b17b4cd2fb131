"""The Rasa add-on that patches RemoteAction: answers are still checked, only faster."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from jsonschema import ValidationError

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rasa_project"))
from rasa.core.actions.action import RemoteAction  # noqa: E402

from addons import action_server_guard  # noqa: E402  (Rasa loads it from rasa_project/)


@pytest.fixture(scope="module")
def action() -> RemoteAction:
    action_server_guard.install()
    return RemoteAction("action_recommend", None)


def test_a_well_formed_answer_passes(action: RemoteAction) -> None:
    answer = {"events": [{"event": "slot", "name": "location", "value": "Lisbon"}],
              "responses": [{"text": "Here are the best 3", "buttons": [{"title": "Cheaper", "payload": "/cheaper"}]}]}
    assert action._validate_action_result(answer) is True


@pytest.mark.parametrize("answer", [
    {"events": [{"name": "location"}]},          # an event without its type
    {"events": "not a list"},
    {"responses": [{"text": 5, "buttons": "x"}], "events": [{"event": 3}]},
])
def test_a_malformed_answer_is_still_refused(action: RemoteAction, answer: dict) -> None:
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result(answer)


def _events() -> list[dict]:
    from rasa.shared.core.events import (
        ActionExecuted,
        ActiveLoop,
        AllSlotsReset,
        BotUttered,
        FollowupAction,
        Restarted,
        SessionStarted,
        SlotSet,
        UserUttered,
    )

    made = [SlotSet("location", "Lisbon"), SlotSet("guests", 2.0), ActionExecuted("action_listen"),
            BotUttered("3 places", {"buttons": [{"title": "Cheaper", "payload": "/cheaper"}]}),
            UserUttered("Lisbon", intent={"name": "inform", "confidence": 0.9}), ActiveLoop("search_form"),
            ActiveLoop(None), FollowupAction("action_recommend"), Restarted(), SessionStarted(), AllSlotsReset()]
    return [event.as_dict() for event in made]


def _broken(event: dict) -> list[dict]:
    """The same event with a wrong type, an unknown name, a field of the wrong kind."""
    return [{**event, "timestamp": "noon"}, {**event, "event": "nope"}, {**event, "metadata": 3},
            {**event, "name": 5}, {**event, "text": 7}, {**event, "value": [1]}, {k: v for k, v in event.items()
                                                                                     if k != "event"}]


def test_the_quick_check_answers_as_rasas_full_schema_does() -> None:
    from jsonschema.validators import validator_for

    schema = RemoteAction.action_response_format_spec()
    full = validator_for(schema)(schema)
    answers = [{"events": [event]} for event in _events()]
    answers += [{"events": [event]} for good in _events() for event in _broken(good)]
    answers += [{"events": _events(), "responses": [{"text": "x"}]}, {"responses": "x"}, {"events": None}, {},
                {"events": [{"event": "slot"}, 4]}, {"events": [[]]}]
    disagree = [a for a in answers if action_server_guard._valid(a) != full.is_valid(a)]
    assert not disagree, disagree
    assert any(not full.is_valid(a) for a in answers) and any(full.is_valid(a) for a in answers)
