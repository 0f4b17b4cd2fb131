"""The places the engine can search: knowledge destinations plus catalog-only ones.

An imported catalog may name a city `locations.yml` has never heard of
(Albany, Antwerp). Such a place is derived from its rows: its coordinates are
the centroid of its properties, its neighbourhoods the centroids of theirs, and
its "nearby" places whatever lies within the relaxation radius. From then on it
is a destination like any other, so search, normalisation and "try the town
next door" work on imported data too.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
import pandas as pd

from .geo import haversine_km
from .knowledge import Destination, Knowledge, Neighbourhood
from .text import fold

PROFILE_KEYS = ("culture", "nightlife", "beach", "nature", "family", "ski")


class UnknownPlace(str):
    """A place on earth the catalog holds no stays in ("Nairobi, Kenya"), and where it is.

    It is a str, its name, so a location constraint holding one prints,
    compares and serialises like any destination (a chat slot keeps the name,
    and the engine reads the name back to this place); only the repairs look
    at the point, to offer the destinations nearest to it.
    """

    latitude: float
    longitude: float
    country: str  # the country's name, as locations.yml writes it ("Kenya")
    kind: str  # city | state | country

    def __new__(cls, name: str, latitude: float, longitude: float, country: str = "",
                kind: str = "city") -> UnknownPlace:
        place = super().__new__(cls, name)
        place.latitude, place.longitude, place.country, place.kind = latitude, longitude, country, kind
        return place

    def __getnewargs__(self) -> tuple[str, float, float, str, str]:  # type: ignore[override]  # pickles its point too
        return str(self), self.latitude, self.longitude, self.country, self.kind


@dataclass
class Places:
    """Destinations and neighbourhoods indexed by small integer codes.

    The catalog stores these codes instead of strings so a location filter is an
    integer comparison, and distances between places are precomputed once.
    """

    destinations: list[Destination]
    code_of: dict[str, int]
    distance_km: npt.NDArray[np.float64]  # destination x destination
    profile: npt.NDArray[np.float64]  # destination x PROFILE_KEYS
    neighbourhoods: list[Neighbourhood]
    nb_code_of: dict[tuple[str, str], int]
    nb_lat: npt.NDArray[np.float64]
    nb_lon: npt.NDArray[np.float64]
    nb_destination: npt.NDArray[np.int32]

    @classmethod
    def build(cls, destinations: Iterable[Destination]) -> Places:
        ordered = sorted(destinations, key=lambda d: d.name)
        code_of = {d.name: i for i, d in enumerate(ordered)}
        lat = np.array([d.latitude for d in ordered])
        lon = np.array([d.longitude for d in ordered])
        distance = haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
        profile = np.array([[d.profile.get(k, 0.0) for k in PROFILE_KEYS] for d in ordered])
        profile = profile.reshape(len(ordered), len(PROFILE_KEYS))
        neighbourhoods = [nb for d in ordered for nb in d.neighbourhoods]
        return cls(
            destinations=ordered,
            code_of=code_of,
            distance_km=distance,
            profile=profile,
            neighbourhoods=neighbourhoods,
            nb_code_of={(nb.destination, nb.name): i for i, nb in enumerate(neighbourhoods)},
            nb_lat=np.array([nb.latitude for nb in neighbourhoods], dtype=float),
            nb_lon=np.array([nb.longitude for nb in neighbourhoods], dtype=float),
            nb_destination=np.array([code_of[nb.destination] for nb in neighbourhoods], dtype=np.int32),
        )

    def destination(self, name: str) -> Destination:
        return self.destinations[self.code_of[name]]

    def km_from(self, latitude: float, longitude: float) -> npt.NDArray[np.float64]:
        """Great-circle distance from a point to every destination, in destination order."""
        lat = np.array([d.latitude for d in self.destinations])
        lon = np.array([d.longitude for d in self.destinations])
        return haversine_km(latitude, longitude, lat, lon)

    def nearest_to(self, place: UnknownPlace) -> list[tuple[str, float]]:
        """Every destination with its distance from a place elsewhere, nearest first.

        For a country, its own destinations come first ("Australia" offers
        Sydney before Bali, though Canberra is nearer neither).
        """
        km = self.km_from(place.latitude, place.longitude)
        home = fold(place.country) if place.kind == "country" else None
        order = sorted(range(len(self.destinations)),
                       key=lambda k: (home is not None and fold(self.destinations[k].country) != home, km[k]))
        return [(self.destinations[k].name, float(km[k])) for k in order]

    def neighbourhood(self, destination: str, name: str) -> Neighbourhood | None:
        code = self.nb_code_of.get((destination, name))
        return None if code is None else self.neighbourhoods[code]

    def similarity(self, a: str, b: str, nearby_km: float) -> float:
        """How acceptable b is instead of a: close by, or alike in what it offers."""
        i, j = self.code_of[a], self.code_of[b]
        if i == j:
            return 1.0
        closeness = float(np.exp(-self.distance_km[i, j] / max(nearby_km, 1.0)))
        pa, pb = self.profile[i], self.profile[j]
        norm = float(np.linalg.norm(pa) * np.linalg.norm(pb))
        alike = float(pa @ pb) / norm if norm else 0.0
        listed = 0.15 if b in self.destinations[i].nearby else 0.0
        return min(1.0, 0.6 * closeness + 0.25 * alike + listed)

    def alternatives_to(self, name: str, nearby_km: float) -> list[tuple[str, float]]:
        """Other destinations a traveller might accept, best first.

        Listed neighbours and anything within `nearby_km` come first by
        distance; farther places only when they share the profile (a beach
        town for a beach town) and lie on the same continent.
        """
        i = self.code_of[name]
        me = self.destinations[i]
        scored = []
        for j, other in enumerate(self.destinations):
            if j == i:
                continue
            near = other.name in me.nearby or self.distance_km[i, j] <= nearby_km
            same_kind = other.kind == me.kind and other.continent == me.continent and bool(me.continent)
            if near or same_kind:
                scored.append((other.name, self.similarity(name, other.name, nearby_km)))
        scored.sort(key=lambda item: -item[1])
        return scored


def derive_destinations(frame: pd.DataFrame, known: Knowledge, nearby_km: float) -> list[Destination]:
    """Destinations for catalog locations the knowledge base lacks, from their rows."""
    unknown = frame.loc[~frame["location"].isin(known.destinations.keys())]
    if unknown.empty:
        return []
    derived: list[Destination] = []
    centroids = unknown.groupby("location")[["latitude", "longitude"]].mean()
    for name, row in centroids.iterrows():
        rows = unknown[unknown["location"] == name]
        nbs = rows.loc[rows["neighbourhood"] != ""].groupby("neighbourhood")[["latitude", "longitude"]].mean()
        neighbourhoods = tuple(
            Neighbourhood(name=str(nb), destination=str(name), latitude=float(c.latitude), longitude=float(c.longitude))
            for nb, c in nbs.iterrows()
        )
        derived.append(Destination(
            name=str(name), latitude=float(row.latitude), longitude=float(row.longitude),
            neighbourhoods=neighbourhoods, from_catalog=True,
        ))
    every = list(known.destinations.values()) + derived
    return [_with_nearby(d, every, nearby_km) for d in derived]


def _with_nearby(destination: Destination, every: Sequence[Destination], nearby_km: float) -> Destination:
    others = [d for d in every if d.name != destination.name]
    if not others:
        return destination
    distances = haversine_km(destination.latitude, destination.longitude,
                             np.array([d.latitude for d in others]), np.array([d.longitude for d in others]))
    order = np.argsort(distances)
    nearby = tuple(others[k].name for k in order if distances[k] <= nearby_km)
    return replace(destination, nearby=nearby)

