"""Loading and validating the knowledge base in `knowledge/`.

Everything is checked once at start-up, so a typo in a YAML file stops the
start with "file:line: what is wrong" instead of surfacing as a wrong answer in
the middle of a conversation. See docs/knowledge.md for the schema.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import KnowledgeError
from .knowledge_model import (
    Amenity,
    ContextKey,
    DerivedConstraint,
    Destination,
    Knowledge,
    Neighbourhood,
    PlaceAlias,
    PropertyType,
    RoomType,
    Rule,
)
from .knowledge_places import load_locations, load_place_aliases
from .knowledge_rules import load_rules
from .knowledge_vocabulary import load_amenities, load_property_types
from .money import is_currency_code
from .yaml_lines import line_of, load_yaml

__all__ = [
    "DEFAULT_DIRECTORY", "PLACE_ALIASES_FILE", "Amenity", "ContextKey", "DerivedConstraint", "Destination",
    "Knowledge", "Neighbourhood", "PlaceAlias", "PropertyType", "RoomType", "Rule", "load_knowledge",
    "load_settings",
]

DEFAULT_DIRECTORY = Path(__file__).resolve().parents[2] / "knowledge"
PLACE_ALIASES_FILE = "place_aliases.yml"


def load_settings(directory: Path | str | None = None) -> dict[str, Any]:
    """Only engine.yml, checked: for readers that need a limit but not the whole knowledge base."""
    return _load_settings((Path(directory) if directory else DEFAULT_DIRECTORY) / "engine.yml")


def load_knowledge(directory: Path | str | None = None) -> Knowledge:
    """Load and cross-check every knowledge file of `directory`."""
    root = Path(directory) if directory else DEFAULT_DIRECTORY
    if not root.is_dir():
        raise KnowledgeError(root, None, "knowledge directory not found")
    settings = _load_settings(root / "engine.yml")
    destinations = load_locations(root / "locations.yml")
    groups, amenities, amenity_similarity, correlation = load_amenities(root / "amenities.yml")
    types, type_similarity, room_types = load_property_types(root / "property_types.yml")
    context, rules = load_rules(root / "rules.yml", amenities, types, room_types)
    _check_settings_references(root / "engine.yml", settings, groups, amenities, room_types)
    place_aliases, not_places = load_place_aliases(root / PLACE_ALIASES_FILE, destinations)
    return Knowledge(
        directory=root,
        destinations=destinations,
        amenities=amenities,
        amenity_groups=groups,
        amenity_similarity=amenity_similarity,
        amenity_correlation=correlation,
        property_types=types,
        type_similarity=type_similarity,
        room_types=room_types,
        context=context,
        rules=rules,
        settings=settings,
        place_aliases=place_aliases,
        not_places=not_places,
    )


# --- engine.yml ----------------------------------------------------------------------

_REQUIRED_SETTINGS = {
    "currency": ("base", "rates", "symbols"),
    "pricing": ("high_season", "weekend", "tiers"),
    "rating": ("min_reviews", "prior_reviews", "good"),
    "ranking": ("soft", "rating", "price", "distance", "capacity_fit", "room", "room_preference",
                "neighbourhood_scale_km"),
    "priorities": ("default", "must", "flexible"),
    "distances": ("near_neighbourhood_km", "central_km", "widen_step_km"),
    "relaxation": ("nearby_km", "amenity_similarity_min", "type_similarity_min", "date_shifts",
                   "min_stay_nights", "budget_step", "max_substitutes", "far_reach", "far_km_per_point",
                   "far_scale_km", "alternatives", "same_place_km"),
    "critique": ("cheaper_step", "more_like_top", "compound_min_support", "compound_max_support",
                 "compound_offered", "compound_min_candidates", "compound_amenity_groups", "compound_amenities"),
    "limits": ("max_guests", "max_budget_per_night", "min_budget_per_night", "max_nights"),
    "chat": ("suggested_must_haves", "suggested_destinations", "start_over_min_confidence"),
}


def _load_settings(path: Path) -> dict[str, Any]:
    document = load_yaml(path)
    if not isinstance(document, dict):
        raise KnowledgeError(path, None, "expected a mapping of sections")
    for section, keys in _REQUIRED_SETTINGS.items():
        node = document.get(section)
        if not isinstance(node, dict):
            raise KnowledgeError(path, None, f"missing section '{section}:'")
        for key in keys:
            if key not in node:
                raise KnowledgeError(path, line_of(node), f"{section}: missing '{key}'")
    currency = document["currency"]
    base = currency["base"]
    if base not in currency["rates"]:
        raise KnowledgeError(path, line_of(currency), f"currency: no rate for base '{base}'")
    for part in ("rates", "symbols"):
        for code in currency[part] or {}:
            if not is_currency_code(str(code)):
                raise KnowledgeError(path, line_of(currency[part]),
                                     f"currency {part}: '{code}' is not an ISO 4217 code")
    for code, rate in currency["rates"].items():
        if not isinstance(rate, (int, float)) or rate <= 0:
            raise KnowledgeError(path, line_of(currency["rates"]), f"currency rates: {code} must be a positive number")
    reach = document["relaxation"]["far_reach"]
    if (not isinstance(reach, list) or len(reach) != 2
            or not all(isinstance(x, (int, float)) and not isinstance(x, bool) and x >= 0 for x in reach)):
        raise KnowledgeError(path, line_of(document["relaxation"]),
                             "relaxation: far_reach must be [times the nearest's distance, plus km], two numbers >= 0")
    return document


def _check_settings_references(path: Path, settings: dict[str, Any], groups: Mapping[str, str],
                                amenities: Mapping[str, Amenity], room_types: Mapping[str, RoomType]) -> None:
    """engine.yml may name amenities, groups and room types: they must exist."""
    critique = settings["critique"]
    for group in critique["compound_amenity_groups"]:
        if group not in groups:
            raise KnowledgeError(path, line_of(critique), f"critique: unknown amenity group '{group}'")
    for amenity in [*critique["compound_amenities"], *settings["chat"]["suggested_must_haves"]]:
        if amenity not in amenities:
            raise KnowledgeError(path, None, f"unknown amenity '{amenity}' in critique or chat settings")
    for room in settings["ranking"]["room_preference"]:
        if room not in room_types:
            raise KnowledgeError(path, line_of(settings["ranking"]), f"ranking: unknown room type '{room}'")
