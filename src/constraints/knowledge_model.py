"""The knowledge base as data: what `load_knowledge` returns once every file is checked.

Plain frozen dataclasses, so the engine, the action server and the CLI share
one vocabulary of places, amenities, property types and rules, and nothing
downstream can change it after start-up. The loaders live in `knowledge` and
its `knowledge_*` modules.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .expressions import Expression
from .money import Currencies
from .query import HARD


@dataclass(frozen=True)
class Neighbourhood:
    name: str
    destination: str
    latitude: float
    longitude: float
    aliases: tuple[str, ...] = ()
    price_level: float = 1.0


@dataclass(frozen=True)
class Destination:
    name: str
    latitude: float
    longitude: float
    aliases: tuple[str, ...] = ()
    country: str = ""
    continent: str = ""
    currency: str = ""  # ISO 4217 code of its listings' prices; empty: read from the catalog
    kind: str = "city"
    high_season: frozenset[int] = frozenset()
    profile: Mapping[str, float] = field(default_factory=dict)
    neighbourhoods: tuple[Neighbourhood, ...] = ()
    nearby: tuple[str, ...] = ()
    generator: Mapping[str, Any] = field(default_factory=dict)
    from_catalog: bool = False


@dataclass(frozen=True)
class Amenity:
    id: str
    label: str
    synonyms: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    phrase: str = ""  # "a pool", "free parking": how it reads after "with"
    prevalence: float = 0.1
    price_effect: float = 0.0
    airbnb: tuple[re.Pattern[str], ...] = ()
    airbnb_exclude: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class PropertyType:
    id: str
    label: str
    synonyms: tuple[str, ...] = ()
    airbnb: tuple[re.Pattern[str], ...] = ()
    generator: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RoomType:
    id: str
    label: str
    synonyms: tuple[str, ...] = ()
    airbnb: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class ContextKey:
    """Something a traveller can say about themselves that rules react to."""

    key: str
    type: str
    label: str
    phrases: tuple[str, ...] = ()
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class DerivedConstraint:
    attribute: str
    op: str
    value: Expression
    strength: str = HARD
    weight: float = 1.0


@dataclass(frozen=True)
class Rule:
    id: str
    when: Expression
    then: tuple[DerivedConstraint, ...]
    reason: str


@dataclass(frozen=True)
class PlaceAlias:
    """A name travellers use for a place ("Philly"), and the place's own name, with where it is written."""

    alias: str
    place: str  # a destination of locations.yml, or a place the gazetteer resolves ("Philadelphia, Pennsylvania")
    path: Path
    line: int | None


@dataclass
class Knowledge:
    """The validated knowledge base; immutable in practice once loaded."""

    directory: Path
    destinations: dict[str, Destination]
    amenities: dict[str, Amenity]
    amenity_groups: dict[str, str]
    amenity_similarity: dict[str, dict[str, float]]
    amenity_correlation: list[tuple[str, str, float]]
    property_types: dict[str, PropertyType]
    type_similarity: dict[str, dict[str, float]]
    room_types: dict[str, RoomType]
    context: dict[str, ContextKey]
    rules: list[Rule]
    settings: dict[str, Any]
    place_aliases: dict[str, PlaceAlias] = field(default_factory=dict)  # folded alias -> its place
    not_places: frozenset[str] = frozenset()  # folded words that name a town somewhere but, alone, are not one

    def setting(self, *path: str) -> Any:
        """A value of engine.yml by its path, e.g. setting("rating", "min_reviews")."""
        node: Any = self.settings
        for part in path:
            node = node[part]
        return node

    @property
    def currencies(self) -> Currencies:
        return Currencies(self.settings["currency"])

    def with_destinations(self, extra: Iterable[Destination]) -> Knowledge:
        """A copy that also knows places found only in an imported catalog."""
        merged = dict(self.destinations)
        for destination in extra:
            merged.setdefault(destination.name, destination)
        return replace(self, destinations=merged)
