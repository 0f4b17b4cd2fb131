"""amenities.yml and property_types.yml: what a property can have and what it can be."""
from __future__ import annotations

import re
from pathlib import Path

from .errors import KnowledgeError
from .knowledge_model import Amenity, PropertyType, RoomType
from .knowledge_reader import NameRegistry, Reader, similarity_pairs, top_level
from .yaml_lines import line_of

Similarity = dict[str, dict[str, float]]  # id -> id -> how acceptable one is instead of the other


def load_amenities(path: Path
                   ) -> tuple[dict[str, str], dict[str, Amenity], Similarity, list[tuple[str, str, float]]]:
    """Amenity groups, amenities, their similarity and their correlations (the generator's bundles)."""
    document, raw = top_level(path, "amenities")
    groups = document.get("groups") or {}
    if not isinstance(groups, dict):
        raise KnowledgeError(path, None, "'groups' must map ids to labels")
    names = NameRegistry(path, "amenity")
    amenities: dict[str, Amenity] = {}
    for node in raw or []:
        r = Reader(path, node, "amenity")
        amenity_id = r.get("id", str, non_empty=True)
        r.what = f"amenity '{amenity_id}'"
        if not re.fullmatch(r"[a-z][a-z0-9_]*", amenity_id):
            raise r.fail("ids are snake_case")
        if amenity_id in amenities:
            raise r.fail("duplicate id")
        label = r.get("label", str, amenity_id.replace("_", " ").capitalize())
        synonyms = r.strings("synonyms")
        names.claim((amenity_id.replace("_", " "), label, *synonyms), amenity_id, r.line)
        amenity_groups = r.strings("groups")
        for group in amenity_groups:
            if group not in groups:
                raise r.fail(f"unknown group '{group}'")
        amenities[amenity_id] = Amenity(
            id=amenity_id,
            label=label,
            synonyms=synonyms,
            groups=amenity_groups,
            phrase=r.get("phrase", str, label.lower()),
            prevalence=r.number("prevalence", 0.1, low=0, high=1),
            price_effect=r.number("price_effect", 0.0, low=-0.9, high=5),
            airbnb=r.patterns("airbnb"),
            airbnb_exclude=r.patterns("airbnb_exclude"),
        )
    if not amenities:
        raise KnowledgeError(path, None, "no amenities")
    similarity = similarity_pairs(path, document.get("similar"), amenities, "amenity")
    correlation: list[tuple[str, str, float]] = []
    for item in document.get("correlated") or []:
        if not (isinstance(item, list) and len(item) == 3 and item[0] in amenities and item[1] in amenities
                and isinstance(item[2], (int, float)) and item[2] > 0):
            raise KnowledgeError(path, line_of(item),
                                 f"correlated: expected [amenity, amenity, lift > 0], got {item!r}")
        correlation.append((item[0], item[1], float(item[2])))
    return {str(k): str(v) for k, v in groups.items()}, amenities, similarity, correlation


def load_property_types(path: Path) -> tuple[dict[str, PropertyType], Similarity, dict[str, RoomType]]:
    """Property types, their similarity, and room types."""
    document, raw = top_level(path, "property_types")
    names = NameRegistry(path, "property type")
    types: dict[str, PropertyType] = {}
    for node in raw or []:
        r = Reader(path, node, "property type")
        type_id = r.get("id", str, non_empty=True)
        r.what = f"property type '{type_id}'"
        if type_id in types:
            raise r.fail("duplicate id")
        label = r.get("label", str, type_id.capitalize())
        synonyms = r.strings("synonyms")
        names.claim((type_id.replace("_", " "), label, *synonyms), type_id, r.line)
        types[type_id] = PropertyType(type_id, label, synonyms, r.patterns("airbnb"), r.get("generator", dict, {}))
    if not types:
        raise KnowledgeError(path, None, "no property types")
    similarity = similarity_pairs(path, document.get("similar"), types, "property type")
    room_names = NameRegistry(path, "room type")
    room_types: dict[str, RoomType] = {}
    for node in document.get("room_types") or []:
        r = Reader(path, node, "room type")
        room_id = r.get("id", str, non_empty=True)
        label = r.get("label", str, room_id)
        synonyms = r.strings("synonyms")
        room_names.claim((room_id.replace("_", " "), label, *synonyms), room_id, r.line)
        room_types[room_id] = RoomType(room_id, label, synonyms, r.patterns("airbnb"))
    if not room_types:
        raise KnowledgeError(path, None, "no room_types")
    return types, similarity, room_types
