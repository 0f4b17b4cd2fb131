"""In-process trackers for testing actions without a Rasa server.

A tracker here is what the action server receives: current slots, the latest
message (text, intent, entities) and the active loop. `Conversation` keeps the
slots between turns the way Rasa would, by applying the SlotSet events each
action returns.
"""
from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

DOMAIN = yaml.safe_load((Path(__file__).resolve().parents[1] / "rasa_project" / "domain.yml").read_text())


def make_tracker(text: str, intent: str, slots: dict[str, Any], entities: Iterable[dict] = (),
                 requested: str | None = None, channel: str = "rest", form: str | None = None,
                 confidence: float = 1.0) -> Tracker:
    values = {name: None for name in DOMAIN["slots"]}
    values.update(slots)
    values["requested_slot"] = requested
    events = [{"event": "user", "text": text, "input_channel": channel, "parse_data": {}}]
    latest = {"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": list(entities)}
    return Tracker("test-user", values, latest, events, False, None,
                   {"name": form} if form else {}, "action_listen")


def rendered(message: dict[str, Any]) -> dict[str, Any]:
    """The message as Rasa sends it: a domain response named by the action becomes its text."""
    name = message.get("response")
    if not name:
        return message
    variations = DOMAIN["responses"][name]  # a KeyError here is an action naming a response the domain lacks
    return {**message, "text": variations[0]["text"]}


@dataclass
class Turn:
    messages: list[dict[str, Any]]
    events: list[dict[str, Any]]

    def __post_init__(self) -> None:
        self.messages = [rendered(m) for m in self.messages]

    @property
    def texts(self) -> list[str]:
        return [m["text"] for m in self.messages if m.get("text")]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    @property
    def buttons(self) -> list[str]:
        return [b["title"] for m in self.messages for b in (m.get("buttons") or [])]

    def slot(self, name: str) -> Any:
        values = [e["value"] for e in self.events if e.get("event") == "slot" and e.get("name") == name]
        return values[-1] if values else None

    def sets(self, name: str) -> bool:
        return any(e.get("event") == "slot" and e.get("name") == name for e in self.events)


@dataclass
class Conversation:
    """Slots carried from turn to turn, as the tracker store would."""

    slots: dict[str, Any] = field(default_factory=dict)
    channel: str = "rest"

    def run(self, action: Action, text: str, intent: str, entities: Iterable[dict] = (),
            requested: str | None = None, confidence: float = 1.0) -> Turn:
        dispatcher = CollectingDispatcher()
        tracker = make_tracker(text, intent, self.slots, entities, requested, self.channel, confidence=confidence)
        events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
        for event in events:
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]
        return Turn(dispatcher.messages, events)
