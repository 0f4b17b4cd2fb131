"""Loading and validating the knowledge base in `knowledge/`.

Everything is checked once at start-up, so a typo in a YAML file stops the
start with "file:line: what is wrong" instead of surfacing as a wrong answer in
the middle of a conversation. See docs/knowledge.md for the schema.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import KnowledgeError
from .expressions import Expression, ExpressionError, compile_expression
from .money import Currencies, is_currency_code
from .query import ATTRIBUTE_OPS, HARD, SOFT
from .text import fold
from .yaml_lines import line_of, load_yaml

DEFAULT_DIRECTORY = Path(__file__).resolve().parents[2] / "knowledge"
CONTINENTS = {"Europe", "North America", "South America", "Asia", "Africa", "Oceania"}
KINDS = {"city", "beach", "mountain", "countryside", "lake"}
CONTEXT_TYPES = {"bool", "count", "choice"}
PLACE_ALIASES_FILE = "place_aliases.yml"


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


def load_knowledge(directory: Path | str | None = None) -> Knowledge:
    """Load and cross-check every knowledge file of `directory`."""
    root = Path(directory) if directory else DEFAULT_DIRECTORY
    if not root.is_dir():
        raise KnowledgeError(root, None, "knowledge directory not found")
    settings = _load_settings(root / "engine.yml")
    destinations = _load_locations(root / "locations.yml")
    groups, amenities, amenity_similarity, correlation = _load_amenities(root / "amenities.yml")
    types, type_similarity, room_types = _load_property_types(root / "property_types.yml")
    context, rules = _load_rules(root / "rules.yml", amenities, types, room_types)
    _check_settings_references(root / "engine.yml", settings, groups, amenities, room_types)
    place_aliases, not_places = _load_place_aliases(root / PLACE_ALIASES_FILE, destinations)
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


# --- helpers -----------------------------------------------------------------------


class _Reader:
    """Field access on one YAML mapping that reports problems with file and line."""

    def __init__(self, path: Path, node: Any, what: str) -> None:
        self.path = path
        self.what = what
        if not isinstance(node, dict):
            raise KnowledgeError(path, line_of(node), f"{what} must be a mapping")
        self.node = node
        self.line = line_of(node)

    def fail(self, message: str) -> KnowledgeError:
        return KnowledgeError(self.path, self.line, f"{self.what}: {message}")

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ..., *, non_empty: bool = False) -> Any:
        if key not in self.node or self.node[key] is None:
            if default is ...:
                raise self.fail(f"missing '{key}'")
            return default
        value = self.node[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        kinds = _as_tuple(kind)
        if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
            raise self.fail(f"'{key}' must be {_kind_name(kind)}, not {value!r}")
        if non_empty and not value:
            raise self.fail(f"'{key}' must not be empty")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        values = self.get(key, list, [])
        if not all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in values):
            raise self.fail(f"'{key}' must be a list of strings")
        return tuple(str(v) for v in values)

    def number(self, key: str, default: Any = ..., low: float | None = None, high: float | None = None) -> float:
        value = self.get(key, (int, float), default)
        if value is None:
            return value
        if (low is not None and value < low) or (high is not None and value > high):
            raise self.fail(f"'{key}' = {value} is outside [{low}, {high}]")
        return float(value)

    def patterns(self, key: str) -> tuple[re.Pattern[str], ...]:
        compiled = []
        for source in self.strings(key):
            try:
                compiled.append(re.compile(source, re.IGNORECASE))
            except re.error as exc:
                raise self.fail(f"bad regex {source!r} in '{key}': {exc}") from None
        return tuple(compiled)


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "text", int: "a whole number", float: "a number", list: "a list",
             dict: "a mapping", bool: "true or false"}
    return " or ".join(names.get(k, k.__name__) for k in _as_tuple(kind))


def _top(path: Path, key: str) -> tuple[Any, Any]:
    document = load_yaml(path)
    if not isinstance(document, dict) or key not in document:
        raise KnowledgeError(path, None, f"expected a top-level '{key}:'")
    return document, document[key]


class _NameRegistry:
    """Detects two entries claiming the same folded name or alias."""

    def __init__(self, path: Path, what: str) -> None:
        self.path = path
        self.what = what
        self.owner: dict[str, str] = {}

    def claim(self, names: Iterable[str], owner: str, line: int | None) -> None:
        for name in names:
            key = fold(name)
            if not key:
                raise KnowledgeError(self.path, line, f"{self.what} '{owner}': empty name or alias")
            previous = self.owner.setdefault(key, owner)
            if previous != owner:
                raise KnowledgeError(
                    self.path, line,
                    f"{self.what} '{owner}': '{name}' is already used by '{previous}'",
                )


def _similarity_pairs(path: Path, raw: Any, known: Mapping[str, Any], what: str) -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = {key: {} for key in known}
    for item in raw or []:
        line = line_of(item)
        if not (isinstance(item, list) and len(item) == 3):
            raise KnowledgeError(path, line, f"similar: each entry is [a, b, similarity], got {item!r}")
        a, b, value = item
        for name in (a, b):
            if name not in known:
                raise KnowledgeError(path, line, f"similar: unknown {what} '{name}'")
        if not isinstance(value, (int, float)) or not 0 < value < 1:
            raise KnowledgeError(path, line, f"similar [{a}, {b}]: similarity must be between 0 and 1")
        table[a][b] = table[b][a] = float(value)
    return table


# --- engine.yml ----------------------------------------------------------------------

_REQUIRED_SETTINGS = {
    "currency": ("base", "rates", "symbols"),
    "pricing": ("high_season", "weekend", "tiers"),
    "rating": ("min_reviews", "prior_reviews", "good"),
    "ranking": ("soft", "rating", "price", "distance", "capacity_fit", "room", "room_preference",
                "neighbourhood_scale_km"),
    "priorities": ("default", "must", "flexible"),
    "relaxation": ("nearby_km", "amenity_similarity_min", "type_similarity_min", "date_shifts",
                   "min_stay_nights", "budget_step", "max_substitutes", "alternatives", "same_place_km"),
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
                raise KnowledgeError(path, line_of(currency[part]), f"currency {part}: '{code}' is not an ISO 4217 code")
    for code, rate in currency["rates"].items():
        if not isinstance(rate, (int, float)) or rate <= 0:
            raise KnowledgeError(path, line_of(currency["rates"]), f"currency rates: {code} must be a positive number")
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


# --- locations.yml -------------------------------------------------------------------


def _load_locations(path: Path) -> dict[str, Destination]:
    _, raw = _top(path, "destinations")
    if not isinstance(raw, list) or not raw:
        raise KnowledgeError(path, None, "'destinations' must be a non-empty list")
    names = _NameRegistry(path, "destination")
    destinations: dict[str, Destination] = {}
    pending_nearby: list[tuple[str, tuple[str, ...], int | None]] = []
    for node in raw:
        r = _Reader(path, node, "destination")
        name = r.get("name", str, non_empty=True)
        r.what = f"destination '{name}'"
        aliases = r.strings("aliases")
        names.claim((name, *aliases), name, r.line)
        continent = r.get("continent", str, "")
        if continent and continent not in CONTINENTS:
            raise r.fail(f"continent '{continent}' is not one of {sorted(CONTINENTS)}")
        currency = r.get("currency", str, "").upper()
        if currency and not is_currency_code(currency):
            raise r.fail(f"currency '{currency}' is not an ISO 4217 code")
        kind = r.get("kind", str, "city")
        if kind not in KINDS:
            raise r.fail(f"kind '{kind}' is not one of {sorted(KINDS)}")
        months = r.get("high_season", list, [])
        if not all(isinstance(m, int) and 1 <= m <= 12 for m in months):
            raise r.fail("high_season must list months 1-12")
        profile = r.get("profile", dict, {})
        if not all(isinstance(v, (int, float)) and 0 <= v <= 1 for v in profile.values()):
            raise r.fail("profile values must be numbers between 0 and 1")
        neighbourhoods = tuple(_neighbourhood(path, item, name) for item in r.get("neighbourhoods", list, []))
        local = _NameRegistry(path, f"neighbourhood of '{name}'")
        for nb in neighbourhoods:
            local.claim((nb.name, *nb.aliases), nb.name, r.line)
        destinations[name] = Destination(
            name=name,
            aliases=aliases,
            country=r.get("country", str, ""),
            continent=continent,
            currency=currency,
            kind=kind,
            latitude=r.number("latitude", low=-90, high=90),
            longitude=r.number("longitude", low=-180, high=180),
            high_season=frozenset(months),
            profile={k: float(v) for k, v in profile.items()},
            neighbourhoods=neighbourhoods,
            generator=r.get("generator", dict, {}),
        )
        pending_nearby.append((name, r.strings("nearby"), r.line))
    for name, nearby, line in pending_nearby:
        for other in nearby:
            if other not in destinations or other == name:
                raise KnowledgeError(path, line, f"destination '{name}': nearby '{other}' is not another destination")
        destinations[name] = replace(destinations[name], nearby=nearby)
    return destinations


def _load_place_aliases(path: Path, destinations: Mapping[str, Destination]
                        ) -> tuple[dict[str, PlaceAlias], frozenset[str]]:
    """place_aliases.yml, when the directory has one: nicknames of places, and words that are no place.

    Only the shape is checked here; whether each place resolves needs the
    gazetteer, which `stays check` loads. A word a destination already owns
    cannot also be an alias of another place.
    """
    if not path.exists():
        return {}, frozenset()
    document, raw = _top(path, "places")
    if not isinstance(raw, list):
        raise KnowledgeError(path, None, "'places' must be a list")
    words = document.get("not_places") or []
    if not isinstance(words, list) or not all(isinstance(w, str) and fold(w) for w in words):
        raise KnowledgeError(path, None, "'not_places' must be a list of words")
    owners = _NameRegistry(path, "place")
    for d in destinations.values():
        owners.claim((d.name, *d.aliases), d.name, None)
    found: dict[str, PlaceAlias] = {}
    for node in raw:
        r = _Reader(path, node, "place")
        place = r.get("place", str, non_empty=True)
        r.what = f"place '{place}'"
        aliases = r.strings("aliases")
        if not aliases:
            raise r.fail("needs at least one alias")
        for alias in aliases:
            if fold(alias) in owners.owner and owners.owner[fold(alias)] in destinations:
                raise r.fail(f"'{alias}' is already a name of the destination '{owners.owner[fold(alias)]}' "
                             f"in locations.yml")
        owners.claim(aliases, place, r.line)
        for alias in aliases:
            found[fold(alias)] = PlaceAlias(alias, place, path, r.line)
    return found, frozenset(fold(w) for w in words)


def _neighbourhood(path: Path, node: Any, destination: str) -> Neighbourhood:
    r = _Reader(path, node, f"neighbourhood of '{destination}'")
    name = r.get("name", str, non_empty=True)
    return Neighbourhood(
        name=name,
        destination=destination,
        latitude=r.number("latitude", low=-90, high=90),
        longitude=r.number("longitude", low=-180, high=180),
        aliases=r.strings("aliases"),
        price_level=r.number("price_level", 1.0, low=0.1, high=10),
    )


# --- amenities.yml -------------------------------------------------------------------


def _load_amenities(path: Path) -> tuple[dict[str, str], dict[str, Amenity], dict[str, dict[str, float]], list[tuple[str, str, float]]]:
    document, raw = _top(path, "amenities")
    groups = document.get("groups") or {}
    if not isinstance(groups, dict):
        raise KnowledgeError(path, None, "'groups' must map ids to labels")
    names = _NameRegistry(path, "amenity")
    amenities: dict[str, Amenity] = {}
    for node in raw or []:
        r = _Reader(path, node, "amenity")
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
    similarity = _similarity_pairs(path, document.get("similar"), amenities, "amenity")
    correlation: list[tuple[str, str, float]] = []
    for item in document.get("correlated") or []:
        if not (isinstance(item, list) and len(item) == 3 and item[0] in amenities and item[1] in amenities
                and isinstance(item[2], (int, float)) and item[2] > 0):
            raise KnowledgeError(path, line_of(item), f"correlated: expected [amenity, amenity, lift > 0], got {item!r}")
        correlation.append((item[0], item[1], float(item[2])))
    return {str(k): str(v) for k, v in groups.items()}, amenities, similarity, correlation


# --- property_types.yml --------------------------------------------------------------


def _load_property_types(path: Path) -> tuple[dict[str, PropertyType], dict[str, dict[str, float]], dict[str, RoomType]]:
    document, raw = _top(path, "property_types")
    names = _NameRegistry(path, "property type")
    types: dict[str, PropertyType] = {}
    for node in raw or []:
        r = _Reader(path, node, "property type")
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
    similarity = _similarity_pairs(path, document.get("similar"), types, "property type")
    room_names = _NameRegistry(path, "room type")
    room_types: dict[str, RoomType] = {}
    for node in document.get("room_types") or []:
        r = _Reader(path, node, "room type")
        room_id = r.get("id", str, non_empty=True)
        label = r.get("label", str, room_id)
        synonyms = r.strings("synonyms")
        room_names.claim((room_id.replace("_", " "), label, *synonyms), room_id, r.line)
        room_types[room_id] = RoomType(room_id, label, synonyms, r.patterns("airbnb"))
    if not room_types:
        raise KnowledgeError(path, None, "no room_types")
    return types, similarity, room_types


# --- rules.yml -----------------------------------------------------------------------

_BUILT_IN_CONTEXT = {"guests", "nights"}


def _load_rules(
    path: Path,
    amenities: Mapping[str, Amenity],
    types: Mapping[str, PropertyType],
    room_types: Mapping[str, RoomType],
) -> tuple[dict[str, ContextKey], list[Rule]]:
    document, raw_rules = _top(path, "rules")
    context: dict[str, ContextKey] = {}
    for node in document.get("context") or []:
        r = _Reader(path, node, "context")
        key = r.get("key", str, non_empty=True)
        r.what = f"context '{key}'"
        kind = r.get("type", str)
        if kind not in CONTEXT_TYPES:
            raise r.fail(f"type must be one of {sorted(CONTEXT_TYPES)}")
        choices = {str(k): tuple(str(p) for p in v) for k, v in (r.get("choices", dict, {})).items()}
        if kind == "choice" and not choices:
            raise r.fail("a choice needs 'choices'")
        if kind != "choice" and not r.strings("phrases"):
            raise r.fail("needs 'phrases' that say it")
        context[key] = ContextKey(key, kind, r.get("label", str, key), r.strings("phrases"), choices)
    known_names = set(context) | _BUILT_IN_CONTEXT
    rules: list[Rule] = []
    seen: set[str] = set()
    for node in raw_rules or []:
        r = _Reader(path, node, "rule")
        rule_id = r.get("id", str, non_empty=True)
        r.what = f"rule '{rule_id}'"
        if rule_id in seen:
            raise r.fail("duplicate id")
        seen.add(rule_id)
        when = _expression(r, r.get("when", (str, bool, int)), known_names)
        derived = []
        for item in r.get("then", list, non_empty=True):
            d = _Reader(path, item, f"rule '{rule_id}' then")
            attribute, op = d.get("attribute", str), d.get("op", str)
            if attribute not in ATTRIBUTE_OPS or op not in ATTRIBUTE_OPS[attribute]:
                raise d.fail(f"'{attribute} {op}' is not a constraint the engine knows")
            strength = d.get("strength", str, HARD)
            if strength not in (HARD, SOFT):
                raise d.fail("strength must be hard or soft")
            value = _value_expression(d, d.get("value", (str, int, float, list)), known_names)
            _check_literal_value(d, attribute, value, amenities, types, room_types)
            derived.append(DerivedConstraint(attribute, op, value, strength, d.number("weight", 1.0, low=0)))
        rules.append(Rule(rule_id, when, tuple(derived), r.get("reason", str, non_empty=True)))
    return context, rules


def _expression(r: _Reader, source: Any, known: set[str]) -> Expression:
    try:
        expression = compile_expression(source)
    except ExpressionError as exc:
        raise r.fail(str(exc)) from None
    unknown = expression.names - known
    if unknown:
        raise r.fail(f"unknown context {sorted(unknown)} in '{expression.source}' (known: {sorted(known)})")
    return expression


def _value_expression(r: _Reader, source: Any, known: set[str]) -> Expression:
    """A derived value: a literal id or list of ids, a number, or an expression."""
    if isinstance(source, list):
        return compile_expression(repr([str(item) for item in source]))
    if isinstance(source, str) and source.isidentifier() and source not in known:
        return compile_expression(repr(source))
    return _expression(r, source, known)


def _check_literal_value(
    r: _Reader,
    attribute: str,
    value: Expression,
    amenities: Mapping[str, Amenity],
    types: Mapping[str, PropertyType],
    room_types: Mapping[str, RoomType],
) -> None:
    if value.names:
        return
    literal = value.evaluate({})
    vocabulary = {"amenities": amenities, "property_type": types, "room_type": room_types}.get(attribute)
    if vocabulary is None:
        return
    for item in literal if isinstance(literal, list) else [literal]:
        if item not in vocabulary:
            raise r.fail(f"unknown {attribute} '{item}'")
