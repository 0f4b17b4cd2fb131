"""The attribute registry: every attribute a constraint can be on, one entry each.

The evaluator, the wording, the relaxer, the engine's checks and the chat's
slot mapping look an attribute up here (`of`) instead of branching on its
name. Adding an attribute is a module in this package, an entry below, its
knowledge data (engine.yml's priorities and distances, the phrase tables the
chat reads it with) and its tests.
"""
from __future__ import annotations

from .base import Attribute, StayPart
from .centre import Centre
from .counts import Accommodates, AtLeast
from .features import Amenities, PropertyType, RoomType, Rating
from .money import MinPrice, PricePerNight, TotalPrice
from .place import Location, Neighbourhood
from .stay import Dates, Nights

LOCATION = Location()
NEIGHBOURHOOD = Neighbourhood()
CENTRE = Centre()
PRICE_PER_NIGHT = PricePerNight()
MIN_PRICE = MinPrice()
TOTAL_PRICE = TotalPrice()
ACCOMMODATES = Accommodates()
AMENITIES = Amenities()
PROPERTY_TYPE = PropertyType()
ROOM_TYPE = RoomType()
NIGHTS = Nights()
DATES = Dates()
RATING = Rating()

REGISTRY: dict[str, Attribute] = {a.name: a for a in (
    LOCATION, NEIGHBOURHOOD, CENTRE, PRICE_PER_NIGHT, MIN_PRICE, TOTAL_PRICE, ACCOMMODATES,
    AtLeast("bedrooms", salience=13, sentence=5, slot="bedrooms"),
    AtLeast("beds", salience=14, sentence=6, slot=None),
    AtLeast("bathrooms", salience=15, sentence=7, slot=None),
    AMENITIES, PROPERTY_TYPE, ROOM_TYPE, NIGHTS, DATES, RATING,
)}

# attribute -> the operators it supports. Everything that filters goes through here.
ATTRIBUTE_OPS: dict[str, frozenset[str]] = {name: a.ops for name, a in REGISTRY.items()}
# attributes whose value is an amount of money, in the constraint's `currency`
MONEY_ATTRIBUTES = frozenset(name for name, a in REGISTRY.items() if a.money)
NUMERIC_ATTRIBUTES = frozenset(name for name, a in REGISTRY.items() if a.numeric)


def of(name: str) -> Attribute:
    """The registry entry of an attribute (KeyError for one the registry does not hold)."""
    return REGISTRY[name]


def stay_part(name: str) -> StayPart | None:
    """The entry of a part of the stay, or None for an attribute that is not one."""
    found = REGISTRY.get(name)
    return found if isinstance(found, StayPart) else None


__all__ = [
    "ACCOMMODATES", "AMENITIES", "ATTRIBUTE_OPS", "Attribute", "CENTRE", "DATES", "LOCATION", "MIN_PRICE",
    "MONEY_ATTRIBUTES", "NEIGHBOURHOOD", "NIGHTS", "NUMERIC_ATTRIBUTES", "PRICE_PER_NIGHT", "PROPERTY_TYPE",
    "RATING", "REGISTRY", "ROOM_TYPE", "StayPart", "TOTAL_PRICE", "of", "stay_part",
]
