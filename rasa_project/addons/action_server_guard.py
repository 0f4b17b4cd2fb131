"""An apology instead of silence when the action server cannot be reached.

Rasa 3.6 logs "Bot will continue, but the actions events are lost" when a
custom action fails and says nothing to the traveller (rasa#7630, rasa#5588
ask for a hook; there is none). This policy never predicts anything: loading
it with the model wraps `RemoteAction.run`, so a connection failure, a timeout
or a 5xx from the action server becomes the apology configured for this
policy in config.yml, once per user turn. (It lives there rather than in the
domain's responses because no story can name it.) No slot is touched, so the
conversation picks up where it was when the server is back.

It also checks the action server's answers against Rasa's response schema with
validators compiled once, each event against the schema branch of its own type.
Rasa 3.6 calls `jsonschema.validate` on every answer, which re-checks the
schema itself against the 2020-12 meta-schema each time: measured with py-spy,
that was over half of the Rasa server's CPU per turn (about 100 ms of a 180 ms
turn); and checking every event against all 23 event branches was still 1.4 ms
of each call. The answers are validated exactly as before
(tests/test_action_server_guard.py compares with the full schema).

Being the one addon every profile loads with the model (endpoints.yml or
endpoints.scale.yml alike), it also installs the process-wide shortcuts of a
turn: pooled action-server connections, folded past states and action calls
that carry the current turn's events.
"""
from __future__ import annotations

import logging
from typing import Any

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction, create_bot_utterance
from rasa.core.constants import POLICY_PRIORITY
from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_VALIDATE_SLOT_MAPPINGS
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, Event, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException

from addons import action_call, past_states, pooled_connections

logger = logging.getLogger(__name__)

MARKER = "action_server_down"  # metadata that tells one apology per turn is enough
DEFAULT_APOLOGY = "Sorry — I can't search right now. Everything you told me is kept; please try again in a moment."
_original_run = RemoteAction.run
_apology = {"text": DEFAULT_APOLOGY}


def _apologised_this_turn(tracker: DialogueStateTracker) -> bool:
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, BotUttered) and event.metadata.get("utter_action") == MARKER:
            return True
    return False


async def _guarded_run(self: RemoteAction, output_channel: Any, nlg: Any,
                       tracker: DialogueStateTracker, domain: Domain) -> list[Event]:
    try:
        return await _original_run(self, output_channel, nlg, tracker, domain)
    except ActionExecutionRejection:
        raise
    except RasaException as error:
        logger.error("Action '%s' failed: %s", self.name(), error)
        if self.name() == ACTION_VALIDATE_SLOT_MAPPINGS or _apologised_this_turn(tracker):
            return []
        return [create_bot_utterance({**_apology, "utter_action": MARKER})]


_schema = RemoteAction.action_response_format_spec()
_validator = validator_for(_schema)(_schema)
validator_for(_schema).check_schema(_schema)  # once, at import: Rasa's own schema


def _compiled(schema: dict[str, Any]) -> Any:
    return validator_for(_schema)(schema)


# Each event must match exactly one of the schema's 23 branches, and the branches differ by the
# const of "event": so an event is valid when it passes the part every branch shares and the one
# branch of its own type. Checking that one branch instead of all 23 gives the same answer for a
# tenth of the time; any answer it rejects goes through Rasa's full check, which raises its error.
_items = _schema["properties"]["events"]["items"]
_shared = _compiled({key: value for key, value in _items.items() if key != "oneOf"})
_branches = {branch["properties"]["event"]["const"]: _compiled(branch) for branch in _items["oneOf"]}
_outline = _compiled({**_schema, "properties": {**_schema["properties"], "events": {"type": "array"}}})


def _valid(result: Any) -> bool:
    """Whether `result` meets Rasa's schema, checking each event against its own branch only."""
    if not _outline.is_valid(result):
        return False
    for event in result.get("events") or ():
        if not _shared.is_valid(event):
            return False
        branch = _branches.get(event["event"])
        if branch is None or not branch.is_valid(event):
            return False
    return True


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """Rasa's check of an action server answer: the quick check, else Rasa's full one with its error."""
    if _valid(result):
        return True
    try:
        _validator.validate(result)
    except ValidationError as error:
        error.message += (". Failed to validate Action server response from API, make sure your response "
                          "from the Action endpoint is valid.")
        raise
    return True


def install(apology: str = DEFAULT_APOLOGY) -> None:
    """Wrap RemoteAction.run and compile its answer check, once per process."""
    _apology["text"] = apology
    if RemoteAction.run is not _guarded_run:
        RemoteAction.run = _guarded_run
    RemoteAction._validate_action_result = _validate_action_result
    pooled_connections.install()  # and the calls reuse their connections (addons/pooled_connections.py)
    past_states.install()  # and the policies continue each conversation's past states (addons/past_states.py)
    action_call.install()  # and each call carries the current turn's events (addons/action_call.py)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT], is_trainable=False
)
class ActionServerGuard(Policy):
    """Installs the guard when the model loads; abstains from every prediction."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # the lowest priority: it never predicts, so it must never win a tie
        return {POLICY_PRIORITY: 0, "apology": DEFAULT_APOLOGY}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 execution_context: ExecutionContext, featurizer: Any | None = None) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)
        install(str(config.get("apology") or DEFAULT_APOLOGY))

    def train(self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: dict[str, Any] | None = None,
                                     **kwargs: Any) -> PolicyPrediction:
        return self._prediction(self._default_predictions(domain))
