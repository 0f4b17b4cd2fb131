"""How constraint values read for support staff in `stays analyze`.

One wording for the restrictiveness table, the coverage gaps and the
conflicts of failed searches, so "pool" or "≤ €150 a night" means the same
thing wherever the report shows it: each attribute's registry entry words
its values (`Attribute.described`) with these. Labels come from the
knowledge base when one is loaded, else from the ids themselves.
"""
from __future__ import annotations

from .knowledge import Knowledge


def money_label(amount: float, knowledge: Knowledge | None, currency: str | None) -> str:
    """'€150' in the destinations' one currency; '150 (local currency)' when they differ."""
    if currency is None:
        return f"{amount:,.0f} (local currency)"
    if knowledge is None:
        return f"{currency} {amount:,.0f}"
    return knowledge.currencies.format(amount, currency)


def amenity_label(amenity: str, knowledge: Knowledge | None) -> str:
    """'free parking' for free_parking: the knowledge base's label, lower case."""
    found = knowledge.amenities.get(amenity) if knowledge else None
    return found.label.lower() if found else amenity.replace("_", " ")


def type_label(kind: str, knowledge: Knowledge | None) -> str:
    """'guest house' for guest_house: the knowledge base's label, lower case."""
    found = knowledge.property_types.get(kind) if knowledge else None
    return found.label.lower() if found else kind.replace("_", " ")
