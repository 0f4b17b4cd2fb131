"""Shared by every action that searches: run the engine, say the result, record it.

Actions differ only in how they change the slots (a completed form, a
critique, an accepted relaxation, the next page); the search, the reply and
the bookkeeping slots (`shown`, `offers`, `offset`) are done here, the same way
for all of them, and failures become a message instead of silence.
"""
from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from constraints import Engine, SearchResult
from constraints.errors import StaysError
from constraints.query import json_value

from .offers import critique_offers, relaxation_offers
from .rendering import (
    Message,
    button,
    defaults_note,
    nearest_places_messages,
    no_results_messages,
    offer_title,
    refinement_buttons,
    results_messages,
)
from .search_state import describe_search, query_from_slots

logger = logging.getLogger(__name__)
PAGE = 3
ENOUGH = 3  # fewer matches than this and the reply also offers ways to get more


def send(dispatcher: CollectingDispatcher, messages: list[Message], **metadata: Any) -> None:
    """Utter the messages; `metadata` rides on the last one into the tracker store."""
    for k, message in enumerate(messages):
        extra = metadata if k == len(messages) - 1 else {}
        if message.custom is not None:
            dispatcher.utter_message(json_message={"data": message.custom}, **extra)
        else:
            dispatcher.utter_message(text=message.text, buttons=message.buttons or None, **extra)


def search_record(result: SearchResult) -> dict[str, Any]:
    """What `stays analyze` reads back from recorded conversations about each search."""
    return {
        "matches": result.total_matches,
        "conflict": [{"attribute": c.attribute, "op": c.op, "value": json_value(c.value)} for c in result.conflict],
        "query": result.query.to_json(),
    }


def heading_for(result: SearchResult, slots: Mapping[str, Any], engine: Engine) -> str:
    described = describe_search(slots, engine)
    shown = len(result.results)
    if result.offset:
        last = result.offset + shown
        return f"More places {described} ({result.offset + 1}–{last} of {result.total_matches}):"
    if result.total_matches <= shown:
        count = "the only place" if result.total_matches == 1 else f"all {result.total_matches} places"
        return f"Here {'is' if result.total_matches == 1 else 'are'} {count} {described}:"
    return f"Here are the best {shown} of {result.total_matches} places {described}:"


def search_and_reply(engine: Engine, dispatcher: CollectingDispatcher, tracker: Tracker,
                     updates: Mapping[str, Any], heading: str | None = None) -> list[EventType]:
    """Search with the slots as they will be after `updates`, reply, and return the events."""
    slots = {**tracker.current_slot_values(), **updates}
    offset = int(slots.get("offset") or 0)
    query = query_from_slots(slots, engine, min_results=ENOUGH)
    result = engine.search(query, limit=PAGE, offset=offset)
    if result.total_matches == 0:
        # nothing at all: any repair that gives one place beats aiming for three
        query = query_from_slots(slots, engine, min_results=1)
        result = engine.search(query, limit=PAGE, offset=offset)
    channel = tracker.get_latest_input_channel()
    offers: list[dict[str, Any]] = []
    if result.results:
        title = heading + "\n" + heading_for(result, slots, engine) if heading else heading_for(result, slots, engine)
        few = result.total_matches < ENOUGH
        if offset == 0:
            # shown beside places, these are ideas, not the answer to a question: a bare "yes" keeps the places
            offers = [{**o, "beside_results": True}
                      for o in (relaxation_offers(result, slots, engine) if few
                                else critique_offers(engine, query, result.results[0].id, slots))]
        choices = [button(offer_title(o), "choose_offer", ordinal=k) for k, o in enumerate(offers, start=1)]
        refinements = refinement_buttons(slots) if offset == 0 else []
        messages = results_messages(engine, result, title, channel, [*refinements, *choices])
        if offers:
            lines = [f"{k}. {o['label']}" for k, o in enumerate(offers, start=1)]
            intro = "To see more places:" if few else "Or narrow it down, compared with the first one:"
            messages[-1].text = (messages[-1].text or "") + f"\n{intro}\n" + "\n".join(lines)
        note = defaults_note(slots) if offset == 0 else None
        if note:
            messages[-1].text = (messages[-1].text or "") + "\n" + note
        send(dispatcher, messages, search=search_record(result))
    elif result.total_matches:
        send(dispatcher, [Message(text=f"That's all {result.total_matches} places {describe_search(slots, engine)}. "
                                       "Tell me what to change, or say \"cheaper\" or \"bigger\".")])
    else:
        offers = relaxation_offers(result, slots, engine)
        unknown_place = slots.get("location") and slots["location"] not in engine.catalog.places.code_of
        if unknown_place and offers and all(o.get("place") for o in offers):
            messages = nearest_places_messages(str(slots["location"]), offers)
        else:
            messages = no_results_messages(engine, result, offers)
        if heading:
            messages.insert(0, Message(text=heading))
        send(dispatcher, messages, search=search_record(result))
    events = [SlotSet(slot, value) for slot, value in updates.items()]
    events += [
        SlotSet("shown", [r.id for r in result.results] if result.results else slots.get("shown") or []),
        SlotSet("offers", offers),
        SlotSet("offset", float(offset)),
    ]
    return events


Run = Callable[[Any, CollectingDispatcher, Tracker, dict], Awaitable[list[EventType]]]


def guarded(run: Run) -> Run:
    """A problem with the input becomes its message; a bug becomes an apology, not silence."""

    @functools.wraps(run)
    async def wrapper(self: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[EventType]:
        try:
            return await run(self, dispatcher, tracker, domain)
        except StaysError as error:
            dispatcher.utter_message(text=str(error))
            return []
        except Exception:  # noqa: BLE001 - the traveller must get an answer whatever failed
            logger.exception("Action %s failed", self.name())
            dispatcher.utter_message(response="utter_search_failed")
            return []

    return wrapper
