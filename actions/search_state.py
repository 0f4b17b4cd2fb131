"""The search as the tracker holds it: slots in, an engine Query out, and back.

Slots are the single source of truth of a conversation's search (they are what
the tracker shows and what survives a restart). Every change, whether a
traveller's message, a critique or an accepted relaxation, ends up as slot
updates; the query is always rebuilt from the slots.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from constraints import Constraint, Engine, Query, StayDates, attributes, build_query
from constraints.query import HARD

# The slots that say what the traveller wants; changing any of them is a new search.
CONSTRAINT_SLOTS = (
    "location", "neighbourhood", "near_km", "guests", "budget", "budget_min", "budget_scope",
    "budget_flexible", "amenities", "nice_to_have", "property_type", "room_type", "bedrooms",
    "nights", "check_in", "check_out", "min_rating", "centre_km", "pets", "context", "priorities", "wishes",
)
# The only thing a search cannot do without; the rest has a default (any party size, no
# budget, no must-haves) and is offered as a refinement beside the results.
NEEDED_TO_SEARCH = ("location",)
# What the traveller can choose to give after the results, each asked by the form.
REFINEMENTS = ("guests", "budget", "amenities")
PRIORITY_WORDS = ("must", "flexible")


def stay_dates(slots: Mapping[str, Any]) -> StayDates | None:
    check_in, check_out = slots.get("check_in"), slots.get("check_out")
    if not (check_in and check_out):
        return None
    return StayDates(date.fromisoformat(check_in), date.fromisoformat(check_out))


def traveller_context(slots: Mapping[str, Any]) -> dict[str, Any]:
    context = dict(slots.get("context") or {})
    if slots.get("pets") is not None:
        context["pets"] = bool(slots["pets"])
    return context


def query_from_slots(slots: Mapping[str, Any], engine: Engine, min_results: int = 1) -> Query:
    """The engine query for the search the slots describe.

    `min_results` above 1 makes the engine offer repairs when fewer places
    than that match, not only when none do.
    """
    location = slots.get("location")
    neighbourhood = slots.get("neighbourhood")
    near = (location, neighbourhood) if location and neighbourhood else None
    guests = slots.get("guests")
    bedrooms = slots.get("bedrooms")
    nights = slots.get("nights")
    defaults = engine.knowledge.settings["priorities"]
    priorities = {key: int(defaults[word]) for key, word in (slots.get("priorities") or {}).items()
                  if word in PRIORITY_WORDS}
    query = build_query(
        location=location,
        neighbourhood=near,
        max_price=slots.get("budget"),
        min_price=slots.get("budget_min"),
        budget_scope=slots.get("budget_scope") or "night",
        guests=int(guests) if guests else None,
        bedrooms=int(bedrooms) if bedrooms else None,
        amenities=slots.get("amenities") or [],
        nice_to_have=slots.get("nice_to_have") or [],
        property_types=[slots["property_type"]] if slots.get("property_type") else [],
        room_type=slots.get("room_type"),
        nights=int(nights) if nights else None,
        dates=stay_dates(slots),
        min_rating=slots.get("min_rating"),
        centre_km=slots.get("centre_km"),
        context=traveller_context(slots),
        priorities=priorities,
        exclude_ids=slots.get("excluded") or [],
        reference_id=slots.get("reference_id"),
        waived=slots.get("waived") or [],
        min_results=min_results,
    )
    if near and slots.get("near_km"):
        radius = (location, neighbourhood, float(slots["near_km"]))
        within = Constraint(attributes.NEIGHBOURHOOD.name, "within_km", radius, HARD)
        query = query.with_constraints(within)
    return replace(query, wishes=tuple(slots.get("wishes") or ()))


def slot_updates_for_change(removed: Iterable[Constraint], added: Iterable[Constraint],
                            slots: Mapping[str, Any]) -> dict[str, Any]:
    """Mirror a change to the query (a relaxation, a critique) in the slots.

    A rule-derived constraint the traveller gives up is recorded in `waived`,
    so the rule does not add it back on the next search.
    """
    removed, added = list(removed), list(added)
    updates: dict[str, Any] = {}
    lists = {a.list_slot: list(slots.get(a.list_slot) or []) for a in attributes.REGISTRY.values() if a.list_slot}
    waived = list(slots.get("waived") or [])
    replaced = {c.attribute for c in added}

    for c in removed:
        attribute = attributes.of(c.attribute)
        if c.derived:
            waived.append(c.waiver)
        elif attribute.list_slot:
            lists[attribute.list_slot] = [v for v in lists[attribute.list_slot] if v != c.value]
        elif c.attribute not in replaced:
            updates.update(attribute.cleared(c))
    for c in added:
        attribute = attributes.of(c.attribute)
        if attribute.list_slot:
            lists[attribute.list_slot] = [v for v in lists[attribute.list_slot] if v != c.value] + [c.value]
        else:
            updates.update(attribute.slots_for(c))
    for slot, values in lists.items():
        if values != list(slots.get(slot) or []):
            updates[slot] = values
    if waived != list(slots.get("waived") or []):
        updates["waived"] = waived
    return updates


def describe_search(slots: Mapping[str, Any], engine: Engine) -> str:
    """'in Lisbon for 4 guests up to €150 a night' — the search in words, each attribute saying its part."""
    query = query_from_slots(slots, engine)
    currency = engine.currency_for(query)
    said = sorted((a for a in attributes.REGISTRY.values() if a.summary_order is not None),
                  key=lambda a: a.summary_order or 0.0)
    return " ".join(part for a in said if (part := a.summary(engine.wording, query, currency)))

