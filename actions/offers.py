"""Proposed changes the traveller can accept with one click: repairs and critiques.

Each offer carries the slot updates that make it happen, computed when it is
offered, so accepting "Raise the budget to €180 — 5 places" is setting the
slots it names and searching again: exactly the search whose count was shown.
"""
from __future__ import annotations

from typing import Any, Mapping

from constraints import Engine, Query, SearchResult
from constraints.compound import compound_critiques
from constraints.relax import Relaxation

from .search_state import slot_updates_for_change

MAX_OFFERS = 3
# Not offered in the chat: "anywhere in the world" and "fewer of you" are not repairs.
NOT_OFFERED = {"location", "accommodates"}


def relaxation_offers(result: SearchResult, slots: Mapping[str, Any], engine: Engine,
                      limit: int = MAX_OFFERS) -> list[dict[str, Any]]:
    """The best few repairs, one per attribute, cheapest first (the engine's order)."""
    offers: list[dict[str, Any]] = []
    used: set[str] = set()
    for relaxation in result.relaxations:
        attributes = {c.attribute for c in relaxation.removed}
        if relaxation.kind == "drop" and attributes & NOT_OFFERED:
            continue
        if "accommodates" in attributes:
            continue
        primary = _primary(relaxation)
        if primary in used:
            continue
        updates = slot_updates_for_change(relaxation.removed, relaxation.added, slots)
        if not updates:
            continue
        updates["offset"] = 0.0
        offers.append(offer(relaxation.description, relaxation.matches, updates, relaxation.kind))
        used.add(primary)
        if len(offers) == limit:
            break
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


def offer(label: str, matches: int, updates: dict[str, Any], kind: str) -> dict[str, Any]:
    return {"label": label, "matches": int(matches), "updates": updates, "kind": kind}


def _primary(relaxation: Relaxation) -> str:
    """What a relaxation is about, for diversity: 'amenities:pool', 'price_per_night'."""
    first = relaxation.removed[0]
    if first.attribute == "amenities":
        return f"amenities:{first.value}"
    if first.attribute in ("dates", "nights", "total_price"):
        return "stay"
    return first.attribute
