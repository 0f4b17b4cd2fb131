"""The search as the tracker holds it: slots in, an engine Query out, and back.

Slots are the single source of truth of a conversation's search (they are what
the tracker shows and what survives a restart). Every change, whether a
traveller's message, a critique or an accepted relaxation, ends up as slot
updates; the query is always rebuilt from the slots.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from constraints import Constraint, Engine, Query, StayDates, build_query
from constraints.query import HARD
from constraints.text import counted

# The slots that say what the traveller wants; changing any of them is a new search.
CONSTRAINT_SLOTS = (
    "location", "neighbourhood", "near_km", "guests", "budget", "budget_min", "budget_scope",
    "budget_flexible", "amenities", "nice_to_have", "property_type", "room_type", "bedrooms",
    "nights", "check_in", "check_out", "min_rating", "pets", "context", "priorities",
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
        context=traveller_context(slots),
        priorities=priorities,
        exclude_ids=slots.get("excluded") or [],
        reference_id=slots.get("reference_id"),
        waived=slots.get("waived") or [],
        min_results=min_results,
    )
    if near and slots.get("near_km"):
        within = Constraint("neighbourhood", "within_km", (location, neighbourhood, float(slots["near_km"])), HARD)
        query = query.with_constraints(within)
    return query


def slot_updates_for_change(removed: Iterable[Constraint], added: Iterable[Constraint],
                            slots: Mapping[str, Any]) -> dict[str, Any]:
    """Mirror a change to the query (a relaxation, a critique) in the slots.

    A rule-derived constraint the traveller gives up is recorded in `waived`,
    so the rule does not add it back on the next search.
    """
    removed, added = list(removed), list(added)
    updates: dict[str, Any] = {}
    amenities = list(slots.get("amenities") or [])
    waived = list(slots.get("waived") or [])
    replaced = {c.attribute for c in added}

    for c in removed:
        if c.derived:
            waived.append(c.waiver)
            continue
        if c.attribute == "amenities":
            amenities = [a for a in amenities if a != c.value]
        elif c.attribute in replaced:
            continue
        else:
            updates.update(_cleared(c))
    for c in added:
        if c.attribute == "amenities":
            amenities = [a for a in amenities if a != c.value] + [c.value]
        else:
            updates.update(_set(c))
    if amenities != list(slots.get("amenities") or []):
        updates["amenities"] = amenities
    if waived != list(slots.get("waived") or []):
        updates["waived"] = waived
    return updates


def _cleared(c: Constraint) -> dict[str, Any]:
    """Slot updates that remove a user constraint."""
    if c.attribute in ("price_per_night", "total_price"):
        return {"budget": None, "budget_flexible": True}
    if c.attribute == "neighbourhood":
        return {"near_km": None} if c.op == "within_km" else {"neighbourhood": None, "near_km": None}
    if c.attribute in ("dates", "nights"):
        return {"check_in": None, "check_out": None, "nights": None}
    single = {"location": "location", "min_price": "budget_min", "accommodates": "guests",
              "bedrooms": "bedrooms", "property_type": "property_type", "room_type": "room_type",
              "rating": "min_rating"}
    return {single[c.attribute]: None} if c.attribute in single else {}


def _set(c: Constraint) -> dict[str, Any]:
    """Slot updates that put a (new) constraint in place."""
    v = c.value
    if c.attribute == "price_per_night":
        return {"budget": float(v), "budget_scope": "night", "budget_flexible": False}
    if c.attribute == "total_price":
        return {"budget": float(v), "budget_scope": "stay", "budget_flexible": False}
    if c.attribute == "dates":
        return {"check_in": v.check_in.isoformat(), "check_out": v.check_out.isoformat(), "nights": float(v.nights)}
    if c.attribute == "nights":
        return {"nights": float(v)}
    if c.attribute == "location":
        return {"location": v, "neighbourhood": None, "near_km": None}
    if c.attribute == "neighbourhood":
        if c.op == "within_km":
            return {"neighbourhood": v[1], "near_km": float(v[2])}
        return {"neighbourhood": v[1]}
    if c.attribute == "property_type":
        return {"property_type": v[0]}
    simple = {"min_price": "budget_min", "accommodates": "guests", "bedrooms": "bedrooms",
              "room_type": "room_type", "rating": "min_rating"}
    if c.attribute in simple:
        return {simple[c.attribute]: float(v) if isinstance(v, (int, float)) else v}
    return {}


def describe_search(slots: Mapping[str, Any], engine: Engine) -> str:
    """'in Lisbon for 4 guests, up to €150 a night' — the search in words."""
    parts = []
    if slots.get("location"):
        where = slots["location"]
        if slots.get("neighbourhood"):
            where = f"{slots['neighbourhood']}, {where}"
        parts.append(f"in {where}")
    if slots.get("guests"):
        guests = int(slots["guests"])
        parts.append(f"for {counted(guests, 'guest')}")
    dates = stay_dates(slots)
    if dates:
        parts.append(engine.wording.dates(dates))
    elif slots.get("nights"):
        parts.append(f"{int(slots['nights'])} nights")
    if slots.get("budget"):
        scope = "for the stay" if slots.get("budget_scope") == "stay" else "a night"
        currency = engine.catalog.currency_of(slots.get("location"))
        parts.append(f"up to {engine.wording.money(slots['budget'], currency)} {scope}")
    if slots.get("amenities"):
        phrases = [engine.wording.amenity_phrase(a, definite=False) for a in slots["amenities"]]
        parts.append("with " + (phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]))
    if slots.get("min_rating"):
        parts.append(f"rated {float(slots['min_rating']):g}+")
    if slots.get("property_type"):
        parts.append(f"({engine.wording.types((slots['property_type'],))})")
    return " ".join(parts)

