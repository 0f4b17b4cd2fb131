"""The form's questions, worded from what the knowledge base and the catalog know.

"What's your budget per night?" is easier to answer with "most places in
Lisbon cost €80–€160"; "anything you can't do without?" with the must-haves
engine.yml suggests that actually exist there; "where?" with the places that
have the most to offer.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from .engine_holder import engine
from .rendering import button
from .responding import guarded


class ActionAskLocation(Action):
    def name(self) -> str:
        return "action_ask_location"

    @guarded
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        catalog = engine().catalog
        slices = zip(catalog.loc_slices, catalog.places.destinations, strict=True)
        sizes = [(s.stop - s.start, d.name) for s, d in slices]
        count = int(engine().knowledge.setting("chat", "suggested_destinations"))
        popular = [name for size, name in sorted(sizes, key=lambda x: (-x[0], x[1]))[:count] if size]
        dispatcher.utter_message(response="utter_where_to",
                                 buttons=[button(name, "inform", location=name) for name in popular])
        return []


class ActionAskGuests(Action):
    def name(self) -> str:
        return "action_ask_guests"

    @guarded
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        where = tracker.get_slot("location")
        dispatcher.utter_message(text=f"How many guests are travelling{' to ' + where if where else ''}?")
        return []


class ActionAskBudget(Action):
    def name(self) -> str:
        return "action_ask_budget"

    @guarded
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        eng = engine()
        location = tracker.get_slot("location")
        known = location in eng.catalog.places.code_of
        prices, currency = eng.nightly_prices(location if known else None, tracker.get_slot("guests"))
        where = f" in {location}" if known else ""
        hint = ""
        if len(prices):
            low, high = np.quantile(prices, [0.25, 0.75])
            hint = (f" Most places{where} that fit cost {eng.wording.money(low, currency)}–"
                    f"{eng.wording.money(high, currency)} a night.")
        dispatcher.utter_message(
            text=f"What's your budget per night?{hint} (You can also give a total for the stay, or say \"no limit\".)")
        return []


class ActionAskAmenities(Action):
    def name(self) -> str:
        return "action_ask_amenities"

    @guarded
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        eng = engine()
        catalog = eng.catalog
        location = tracker.get_slot("location")
        suggested = list(eng.knowledge.setting("chat", "suggested_must_haves"))
        if location in catalog.places.code_of:
            rows = catalog.rows_in(catalog.places.code_of[location])
            suggested = [a for a in suggested if catalog.amen[catalog.amenity_index[a], rows].any()]
        buttons = [button(eng.knowledge.amenities[a].label, "inform", amenity=eng.knowledge.amenities[a].label)
                   for a in suggested[:4]]
        buttons.append(button("No, just search", "deny"))
        dispatcher.utter_message(response="utter_ask_must_haves", buttons=buttons)
        return []
