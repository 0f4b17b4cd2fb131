"""Proposed changes the traveller can accept with one click: repairs and critiques.

Each offer carries the slot updates that make it happen, computed when it is
offered, so accepting "Raise the budget to €180 — 5 places" is setting the
slots it names and searching again: exactly the search whose count was shown.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from constraints import Constraint, Engine, Query, SearchResult, attributes
from constraints.compound import compound_critiques
from constraints.relax import Relaxation

from .search_state import query_from_slots, slot_updates_for_change

MAX_OFFERS = 3


def relaxation_offers(result: SearchResult, slots: Mapping[str, Any], engine: Engine,
                      limit: int = MAX_OFFERS) -> list[dict[str, Any]]:
    """The best few repairs, one per attribute, cheapest first (the engine's order)."""
    offers: list[dict[str, Any]] = []
    used: set[str] = set()
    elsewhere = _elsewhere(slots, engine)
    for relaxation in result.relaxations:
        if not _offered(relaxation):
            continue
        primary = _primary(relaxation, every_place=elsewhere)
        if primary in used:
            continue
        updates = slot_updates_for_change(relaxation.removed, relaxation.added, slots)
        if not updates:
            continue
        updates["offset"] = 0.0
        offers.append(offer(relaxation.description, relaxation.matches, updates, relaxation.kind,
                            **_place_of(relaxation)))
        used.add(primary)
        if len(offers) == limit:
            break
    if not offers:
        offers = place_offers(engine, slots, limit, anywhere=True)
    if not offers:
        offers = _elsewhere_with_less(result, slots, engine, limit)
    return offers


def _elsewhere_with_less(result: SearchResult, slots: Mapping[str, Any], engine: Engine,
                         limit: int) -> list[dict[str, Any]]:
    """When no single place works as asked: another place, giving up the least else.

    For each minimal repair that gives up the destination (but not the party
    size), the most similar destination where the rest of that repair has
    results; the count is of that exact search.
    """
    here = slots.get("location")
    if not here or _elsewhere(slots, engine):
        return []
    places = engine.catalog.places
    nearby_km = float(engine.knowledge.setting("relaxation", "nearby_km"))
    offers: list[dict[str, Any]] = []
    location = attributes.LOCATION
    for relaxation in result.relaxations:
        gives_up = {attributes.of(c.attribute) for c in relaxation.removed}
        if relaxation.kind != "drop" or location not in gives_up or any(a.kept_by_chat for a in gives_up):
            continue
        others = tuple(c for c in relaxation.removed if c.attribute != location.name)
        updates = slot_updates_for_change(others, (), slots)
        counts = engine.matches_by_destination(query_from_slots({**slots, **updates}, engine))
        counts.pop(here, None)
        if not counts:
            continue
        name = max(counts, key=lambda n: places.similarity(here, n, nearby_km))
        given_up = " and ".join(engine.wording.dropped(c) for c in others)
        label = f"Try {name}" + (f" without {given_up}" if given_up else "") + f": {places_count(counts[name])}"
        updates.update({**_moved_to(name), "excluded": [], "offset": 0.0})
        offers.append(offer(label, counts[name], updates, "substitute"))
        if len(offers) == limit:
            break
    return offers


def place_offers(engine: Engine, slots: Mapping[str, Any], limit: int = MAX_OFFERS,
                 anywhere: bool = False) -> list[dict[str, Any]]:
    """Other destinations where the same search has results, with their counts.

    Nearby and similar places first; with `anywhere`, any destination at all,
    most similar first — the last resort when nothing close can work.
    """
    here = slots.get("location")
    if not here or _elsewhere(slots, engine):
        return []
    places = engine.catalog.places
    trial = {**slots, "neighbourhood": None, "near_km": None}
    counts = engine.matches_by_destination(query_from_slots(trial, engine))
    nearby_km = float(engine.knowledge.setting("relaxation", "nearby_km"))
    if anywhere:
        ranked = sorted((name for name in counts if name != here),
                        key=lambda name: -places.similarity(here, name, nearby_km))
    else:
        ranked = [name for name, _ in places.alternatives_to(here, nearby_km) if name in counts]
    offers = []
    for name in ranked[:limit]:
        km = places.distance_km[places.code_of[here], places.code_of[name]]
        updates: dict[str, Any] = {**_moved_to(name), "excluded": [], "offset": 0.0}
        offers.append(offer(f"Try {name} ({km:,.0f} km away): {places_count(counts[name])}", counts[name], updates,
                            "substitute", place=name))
    return offers


def critique_offers(engine: Engine, query: Query, shown_id: str, slots: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Compound critiques of the first result: ways to narrow the search, with counts."""
    offers = []
    for critique in compound_critiques(engine, query, shown_id):
        updates = slot_updates_for_change((), critique.added, slots)
        updates["excluded"] = list(dict.fromkeys([*(slots.get("excluded") or []), shown_id]))
        updates["offset"] = 0.0
        offers.append(offer(critique.description, critique.matches, updates, "critique"))
    return offers


def offered_instead_of_places(offers: list[dict[str, Any]]) -> bool:
    """Whether the latest answer offered ways out because nothing matched (the list still on screen,
    if any, belongs to an earlier search): offers shown beside places are marked, critiques always are."""
    return bool(offers) and not any(o.get("kind") == "critique" or o.get("beside_results") for o in offers)


def keeping_the_budget(offers: list[dict[str, Any]], slots: Mapping[str, Any], engine: Engine) -> dict[str, Any] | None:
    """The first way out that leaves the budget alone, for "cheaper ones?" after nothing matched.

    The traveller has seen the near misses over budget and asks for less: of
    the changes that would give places, the cheapest one that keeps the price
    they set is what they are asking for. None without a budget, or where we
    hold no stays (the offers are then other destinations, not trade-offs).
    """
    if slots.get("budget") is None or _elsewhere(slots, engine):
        return None
    return next((o for o in offers if "budget" not in o["updates"]), None)


def places_count(count: int) -> str:
    return f"{count} place" if count == 1 else f"{count} places"


def offer(label: str, matches: int, updates: dict[str, Any], kind: str, **place: Any) -> dict[str, Any]:
    """One offer; moving to another destination also carries its name as `place`."""
    return {"label": label, "matches": int(matches), "updates": updates, "kind": kind, **place}


def _place_of(relaxation: Relaxation) -> dict[str, Any]:
    """The destination a location substitute moves to (its label says how far it is)."""
    if relaxation.kind != "substitute" or [c.attribute for c in relaxation.added] != [attributes.LOCATION.name]:
        return {}
    return {"place": relaxation.added[0].value}


def _elsewhere(slots: Mapping[str, Any], engine: Engine) -> bool:
    """The traveller named a place we hold no stays in (the engine offers the nearest)."""
    return bool(slots.get("location")) and slots["location"] not in engine.catalog.places.code_of


def _primary(relaxation: Relaxation, every_place: bool = False) -> str:
    """What a relaxation is about, for diversity: 'amenities:pool', 'price_per_night'.

    With `every_place` (no stays where the traveller is going) each nearby
    destination is an offer of its own: the nearest few are the answer.
    """
    first = relaxation.removed[0]
    return attributes.of(first.attribute).offer_key(first, relaxation.added, every_place)


def _offered(relaxation: Relaxation) -> bool:
    """Whether the chat offers a repair: never one changing the party, never dropping what may not be dropped."""
    gives_up = [attributes.of(c.attribute) for c in relaxation.removed]
    if relaxation.kind == "drop" and not all(a.offered_dropped for a in gives_up):
        return False
    return not any(a.kept_by_chat for a in gives_up)


def _moved_to(name: str) -> dict[str, Any]:
    """The slots of a search moved to the destination `name` (its neighbourhood does not come along)."""
    location = attributes.LOCATION
    return location.slots_for(Constraint(location.name, "eq", name))
