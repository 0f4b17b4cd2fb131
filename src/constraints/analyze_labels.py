"""How constraint values read for support staff in `stays analyze`.

One wording for the restrictiveness table, the coverage gaps and the
conflicts of failed searches, so "pool" or "≤ €150 a night" means the same
thing wherever the report shows it. Labels come from the knowledge base when
one is loaded, else from the ids themselves.
"""
from __future__ import annotations

from typing import Any

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


def describe_condition(attribute: str, value: Any, knowledge: Knowledge | None = None) -> str:
    """A constraint value as support staff read it: 'Lisbon', 'pool', '≤ €150 a night', 'sleeps ≥ 6'."""
    base = knowledge.settings.get("currency", {}).get("base", "EUR") if knowledge else "EUR"
    if attribute == "location":
        return str(value)
    if attribute == "neighbourhood":
        if isinstance(value, (list, tuple)) and len(value) >= 2:
            radius = value[2] if len(value) > 2 and isinstance(value[2], (int, float)) else None
            return f"near {value[1]}" + (f" ({radius:g} km)" if radius is not None else "")
        return f"near {value}"
    if attribute == "amenities":
        return amenity_label(str(value), knowledge)
    if attribute == "property_type":
        kinds = value if isinstance(value, (list, tuple)) else [value]
        return " or ".join(type_label(str(t), knowledge) for t in kinds)
    if attribute == "room_type":
        found = knowledge.room_types.get(value) if knowledge else None
        return found.label.lower() if found else str(value).replace("_", " ")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _describe_number(attribute, value, knowledge, base)
    if attribute == "dates" and isinstance(value, dict):
        return f"{value.get('check_in')} → {value.get('check_out')}"
    return f"{attribute.replace('_', ' ')} {value}"


def _describe_number(attribute: str, value: float, knowledge: Knowledge | None, base: str) -> str:
    """A numeric constraint: budgets in the base currency, counts and ratings as thresholds."""
    if attribute == "price_per_night":
        return f"≤ {money_label(value, knowledge, base)} a night"
    if attribute == "min_price":
        return f"≥ {money_label(value, knowledge, base)} a night"
    if attribute == "total_price":
        return f"≤ {money_label(value, knowledge, base)} for the stay"
    if attribute == "accommodates":
        return f"sleeps ≥ {value:g}"
    if attribute in ("bedrooms", "beds", "bathrooms"):
        return f"{attribute} ≥ {value:g}"
    if attribute == "rating":
        return f"rated ≥ {value:g}"
    if attribute == "nights":
        return f"{value:g} nights"
    return f"{attribute.replace('_', ' ')} {value}"
