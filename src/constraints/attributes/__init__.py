"""The attribute registry: every attribute a constraint can be on, one entry each.

The evaluator, the wording, the relaxer, the engine's checks and the chat's
slot mapping look an attribute up here (`of`) instead of branching on its
name. Adding an attribute is a module in this package, an entry below, its
knowledge data (engine.yml's priorities and distances, the phrase tables the
chat reads it with) and its tests; for a front end to ask for it, a keyword of
`query.Request` (and `build_query`) that its `requested` reads.
"""
from __future__ import annotations

from ..query import ATTRIBUTE_OPS, MONEY_ATTRIBUTES, REQUEST_READERS
from .base import Attribute, StayPart
from .centre import Centre
from .counts import Accommodates, AtLeast
from .features import Amenities, PropertyType, Rating, RoomType
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
BEDROOMS = AtLeast("bedrooms", salience=13, sentence=5, slot="bedrooms", report_order=6, measured_at=(2, 3, 4),
                   table_order=6, request_order=5)

REGISTRY: dict[str, Attribute] = {a.name: a for a in (
    LOCATION, NEIGHBOURHOOD, CENTRE, PRICE_PER_NIGHT, MIN_PRICE, TOTAL_PRICE, ACCOMMODATES,
    BEDROOMS,
    AtLeast("beds", salience=14, sentence=6, slot=None, report_order=7),
    AtLeast("bathrooms", salience=15, sentence=7, slot=None, report_order=8),
    AMENITIES, PROPERTY_TYPE, ROOM_TYPE, NIGHTS, DATES, RATING,
)}

# each entry's operators and money-ness, where `Constraint` checks them
ATTRIBUTE_OPS.update({name: a.ops for name, a in REGISTRY.items()})
MONEY_ATTRIBUTES.update(name for name, a in REGISTRY.items() if a.money)
# and how each reads a front end's request, in the order `build_query` lists the constraints
REQUEST_READERS.extend(a.requested for a in sorted(REGISTRY.values(), key=lambda a: a.request_order))


def of(name: str) -> Attribute:
    """The registry entry of an attribute (KeyError for one the registry does not hold)."""
    return REGISTRY[name]


def stay_part(name: str) -> StayPart | None:
    """The entry of a part of the stay, or None for an attribute that is not one."""
    found = REGISTRY.get(name)
    return found if isinstance(found, StayPart) else None


__all__ = [
    "ACCOMMODATES", "AMENITIES", "Attribute", "BEDROOMS", "CENTRE", "DATES", "LOCATION", "MIN_PRICE",
    "NEIGHBOURHOOD", "NIGHTS", "PRICE_PER_NIGHT", "PROPERTY_TYPE",
    "RATING", "REGISTRY", "ROOM_TYPE", "StayPart", "TOTAL_PRICE", "of", "stay_part",
]
