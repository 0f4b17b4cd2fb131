"""An apology instead of silence when the action server cannot be reached.

Rasa 3.6 logs "Bot will continue, but the actions events are lost" when a
custom action fails and says nothing to the traveller (rasa#7630, rasa#5588
ask for a hook; there is none). This policy never predicts anything: loading
it with the model wraps `RemoteAction.run`, so a connection failure, a timeout
or a 5xx from the action server becomes the domain response
`utter_action_server_down`, once per user turn. No slot is touched, so the
conversation picks up where it was when the server is back.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction, create_bot_utterance
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

logger = logging.getLogger(__name__)

APOLOGY = "utter_action_server_down"
_original_run = RemoteAction.run


def _apologised_this_turn(tracker: DialogueStateTracker) -> bool:
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, BotUttered) and event.metadata.get("utter_action") == APOLOGY:
            return True
    return False


async def _guarded_run(self: RemoteAction, output_channel: Any, nlg: Any,
                       tracker: DialogueStateTracker, domain: Domain) -> List[Event]:
    try:
        return await _original_run(self, output_channel, nlg, tracker, domain)
    except ActionExecutionRejection:
        raise
    except RasaException as error:
        logger.error("Action '%s' failed: %s", self.name(), error)
        if self.name() == ACTION_VALIDATE_SLOT_MAPPINGS or _apologised_this_turn(tracker):
            return []
        response = await nlg.generate(APOLOGY, tracker, output_channel.name())
        if response is None:
            raise
        response.setdefault("utter_action", APOLOGY)
        return [create_bot_utterance(response)]


def install() -> None:
    """Wrap RemoteAction.run once per process."""
    if RemoteAction.run is not _guarded_run:
        RemoteAction.run = _guarded_run  # type: ignore[method-assign]


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT], is_trainable=False
)
class ActionServerGuard(Policy):
    """Installs the guard when the model loads; abstains from every prediction."""

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 execution_context: ExecutionContext, featurizer: Optional[Any] = None) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)
        install()

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: Optional[Dict[Text, Any]] = None,
                                     **kwargs: Any) -> PolicyPrediction:
        return self._prediction(self._default_predictions(domain))
