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
