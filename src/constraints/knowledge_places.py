"""locations.yml and place_aliases.yml: destinations, their neighbourhoods, and nicknames of places."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from .errors import KnowledgeError
from .knowledge_model import Destination, Neighbourhood, PlaceAlias
from .knowledge_reader import NameRegistry, Reader, top_level
from .money import is_currency_code
from .text import fold

CONTINENTS = {"Europe", "North America", "South America", "Asia", "Africa", "Oceania"}
KINDS = {"city", "beach", "mountain", "countryside", "lake"}


def load_locations(path: Path) -> dict[str, Destination]:
    _, raw = top_level(path, "destinations")
    if not isinstance(raw, list) or not raw:
        raise KnowledgeError(path, None, "'destinations' must be a non-empty list")
    names = NameRegistry(path, "destination")
    destinations: dict[str, Destination] = {}
    pending_nearby: list[tuple[str, tuple[str, ...], int | None]] = []
    for node in raw:
        r = Reader(path, node, "destination")
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
        local = NameRegistry(path, f"neighbourhood of '{name}'")
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


def load_place_aliases(path: Path, destinations: Mapping[str, Destination]
                        ) -> tuple[dict[str, PlaceAlias], frozenset[str]]:
    """place_aliases.yml, when the directory has one: nicknames of places, and words that are no place.

    Only the shape is checked here; whether each place resolves needs the
    gazetteer, which `stays check` loads. A word a destination already owns
    cannot also be an alias of another place.
    """
    if not path.exists():
        return {}, frozenset()
    document, raw = top_level(path, "places")
    if not isinstance(raw, list):
        raise KnowledgeError(path, None, "'places' must be a list")
    words = document.get("not_places") or []
    if not isinstance(words, list) or not all(isinstance(w, str) and fold(w) for w in words):
        raise KnowledgeError(path, None, "'not_places' must be a list of words")
    owners = NameRegistry(path, "place")
    for d in destinations.values():
        owners.claim((d.name, *d.aliases), d.name, None)
    found: dict[str, PlaceAlias] = {}
    for node in raw:
        r = Reader(path, node, "place")
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
    r = Reader(path, node, f"neighbourhood of '{destination}'")
    name = r.get("name", str, non_empty=True)
    return Neighbourhood(
        name=name,
        destination=destination,
        latitude=r.number("latitude", low=-90, high=90),
        longitude=r.number("longitude", low=-180, high=180),
        aliases=r.strings("aliases"),
        price_level=r.number("price_level", 1.0, low=0.1, high=10),
    )
