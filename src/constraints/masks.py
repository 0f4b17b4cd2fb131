"""One boolean mask per constraint, vectorised over a slice of the catalog.

This is the only place that knows how each attribute is tested. The search
ANDs the masks of the hard constraints; the relaxation engine keeps them apart
to see which constraint each property fails; the ranking reuses the soft ones.
`severity` grades a failure (0 = met, 1 = far off) for near-miss similarity.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .catalog import Catalog
from .errors import InvalidValueError, UnknownValueError
from .geo import haversine_km
from .knowledge import Knowledge
from .places import UnknownPlace
from .pricing import night_factors
from .query import Constraint, Query, StayDates

Rows = slice | np.ndarray


class QueryEvaluator:
    """Evaluates the constraints of one query against catalog rows."""

    def __init__(self, catalog: Catalog, knowledge: Knowledge, query: Query) -> None:
        self.catalog = catalog
        self.knowledge = knowledge
        self.query = query
        dates = query.find("dates")
        nights = query.find("nights")
        self.dates: StayDates | None = dates.value if dates else None
        self.nights: int | None = self.dates.nights if self.dates else (int(nights.value) if nights else None)
        if self.dates is not None:
            if self.dates.nights < 1:
                raise InvalidValueError("Check-out must be after check-in.")
            if catalog.availability is not None:
                catalog.availability.span(self.dates)  # refuse dates outside the calendar early
        self._factors: dict[StayDates, np.ndarray] = {}
        self._testers: dict[str, Callable[[Constraint, Rows], np.ndarray]] = {
            "location": lambda c, r: self.catalog.loc[r] == self._location_code(c.value),
            "neighbourhood": self._neighbourhood,
            "price_per_night": lambda c, r: self.prices(c)[r] <= c.value,
            "min_price": lambda c, r: self.prices(c)[r] >= c.value,
            "total_price": lambda c, r: self.stay_total_for(c, r) <= c.value,
            "accommodates": lambda c, r: self.catalog.accommodates[r] >= c.value,
            "bedrooms": lambda c, r: self.catalog.bedrooms[r] >= c.value,
            "beds": lambda c, r: self.catalog.beds[r] >= c.value,
            "bathrooms": lambda c, r: self.catalog.bathrooms[r] >= c.value,
            "amenities": lambda c, r: self.catalog.amen[self.amenity_code(c.value), r],
            "property_type": lambda c, r: np.isin(self.catalog.ptype[r], self.type_codes(c.value)),
            "room_type": lambda c, r: self.catalog.room[r] == self.room_code(c.value),
            "nights": lambda c, r: (self.catalog.min_nights[r] <= c.value) & (self.catalog.max_nights[r] >= c.value),
            "dates": self._dates,
            "rating": lambda c, r: self.catalog.rated[r] & (self.catalog.rating[r] >= c.value),
        }

    # --- scope and masks ------------------------------------------------------------

    def scope(self) -> slice:
        """The rows a search must look at: one destination's slice when it has one."""
        location = self.query.find("location")
        if location is not None and location.is_hard:
            code = self._location_code(location.value)
            return self.catalog.rows_in(code) if code >= 0 else slice(0, 0)
        return slice(0, self.catalog.size)

    def mask(self, constraint: Constraint, rows: Rows) -> np.ndarray:
        return np.asarray(self._testers[constraint.attribute](constraint, rows), dtype=bool)

    def excluded(self, rows: Rows) -> np.ndarray:
        """Places the traveller has turned down; never shown again in this search."""
        if not self.query.exclude_ids:
            return np.zeros(self.catalog.ids[rows].shape, dtype=bool)
        return np.isin(self.catalog.ids[rows], list(self.query.exclude_ids))

    # --- value lookups ---------------------------------------------------------------

    def _location_code(self, name: str) -> int:
        code = self.catalog.places.code_of.get(name)
        if code is None:
            if isinstance(name, UnknownPlace):
                return -1  # a place elsewhere on earth: no property is there
            raise UnknownValueError("location", name, [])
        return code

    def amenity_code(self, amenity: str) -> int:
        code = self.catalog.amenity_index.get(amenity)
        if code is None:
            raise UnknownValueError("amenity", amenity, [])
        return code

    def type_codes(self, types: tuple[str, ...]) -> list[int]:
        codes = []
        for name in types:
            if name not in self.catalog.type_ids:
                raise UnknownValueError("property_type", name, [])
            codes.append(self.catalog.type_ids.index(name))
        return codes

    def room_code(self, room: str) -> int:
        if room not in self.catalog.room_ids:
            raise UnknownValueError("room_type", room, [])
        return self.catalog.room_ids.index(room)

    def neighbourhood_point(self, value: tuple) -> tuple[float, float]:
        destination, name = value[0], value[1]
        found = self.catalog.places.neighbourhood(destination, name)
        if found is None:
            raise UnknownValueError("neighbourhood", name, [])
        return found.latitude, found.longitude

    def neighbourhood_km(self, value: tuple, rows: Rows) -> np.ndarray:
        lat, lon = self.neighbourhood_point(value)
        return haversine_km(self.catalog.lat[rows], self.catalog.lon[rows], lat, lon)

    def _neighbourhood(self, c: Constraint, rows: Rows) -> np.ndarray:
        radius = float(c.value[2]) if c.op == "within_km" else 2.0
        return self.neighbourhood_km(c.value, rows) <= radius

    def _dates(self, c: Constraint, rows: Rows) -> np.ndarray:
        availability = self.catalog.availability
        if availability is None:
            return np.ones(self.catalog.ids[rows].shape, dtype=bool)
        return availability.free(c.value, rows)

    # --- prices of a stay -----------------------------------------------------------

    def stay_total(self, rows: Rows, dates: StayDates | None = None) -> np.ndarray:
        """Price of the whole stay in each property's own currency.

        With dates: every night at its seasonal price, or the host's explicit
        one. With only a number of nights: the plain nightly price times nights.
        """
        dates = dates or self.dates
        catalog = self.catalog
        if dates is None:
            if not self.nights:
                raise InvalidValueError("A budget for the whole stay needs dates or a number of nights.")
            return catalog.price[rows] * self.nights
        total = catalog.price[rows] * self._stay_factor(dates)[catalog.loc[rows]]
        if catalog.availability is not None:
            extra = catalog.availability.extra_cost(dates, rows, catalog.size)
            if extra is not None:
                total = total + extra
        return total

    def _stay_factor(self, dates: StayDates) -> np.ndarray:
        """Sum of each destination's night factors over the stay; computed once per stay."""
        cached = self._factors.get(dates)
        if cached is None:
            pricing = self.knowledge.settings["pricing"]
            cached = night_factors(self.catalog.places, pricing, dates.check_in, dates.nights).sum(axis=1)
            self._factors[dates] = cached
        return cached

    def currency(self, c: Constraint) -> str:
        """The currency of a money constraint's value (the base one if the engine never read it)."""
        return c.currency or self.catalog.base_currency

    def prices(self, c: Constraint) -> np.ndarray:
        """Nightly prices of the whole catalog in the currency of `c`'s value."""
        return self.catalog.price_in(self.currency(c))

    def stay_total_for(self, c: Constraint, rows: Rows) -> np.ndarray:
        """The price of the stay in the currency of `c`'s value."""
        return self.catalog.in_currency(self.stay_total(rows), rows, self.currency(c))

    # --- graded failure for near misses ---------------------------------------------

    def severity(self, c: Constraint, rows: np.ndarray, similarity: "Similarity") -> np.ndarray:
        """How badly each row misses `c`: 0 met, 1 entirely off."""
        met = self.mask(c, rows)
        cat = self.catalog
        if c.attribute in ("price_per_night", "total_price"):
            value = self.prices(c)[rows] if c.attribute == "price_per_night" else self.stay_total_for(c, rows)
            graded = (value - c.value) / max(c.value, 1.0)
        elif c.attribute == "min_price":
            graded = (c.value - self.prices(c)[rows]) / max(c.value, 1.0)
        elif c.attribute in ("accommodates", "bedrooms", "beds", "bathrooms"):
            have = getattr(cat, c.attribute)[rows].astype(float)
            graded = (c.value - have) / max(float(c.value), 1.0)
        elif c.attribute == "rating":
            graded = np.where(cat.rated[rows], (c.value - cat.rating[rows]) / 1.0, 1.0)
        elif c.attribute == "location":
            graded = 1.0 - similarity.location_row(c.value, cat.loc[rows])
        elif c.attribute == "amenities":
            graded = 1.0 - similarity.amenity_rows(c.value, rows)
        elif c.attribute == "property_type":
            graded = 1.0 - similarity.type_rows(c.value, cat.ptype[rows])
        elif c.attribute == "nights":
            gap = np.maximum(cat.min_nights[rows] - c.value, c.value - cat.max_nights[rows])
            graded = gap / max(float(c.value), 1.0)
        elif c.attribute == "neighbourhood":
            radius = float(c.value[2]) if c.op == "within_km" else 2.0
            graded = (self.neighbourhood_km(c.value, rows) - radius) / max(radius, 1.0)
        else:
            graded = np.ones(len(rows))
        return np.where(met, 0.0, np.clip(graded, 0.05, 1.0))


class Similarity:
    """Content similarity between places, amenities and types, from the knowledge."""

    def __init__(self, catalog: Catalog, knowledge: Knowledge) -> None:
        self.catalog = catalog
        self.knowledge = knowledge
        self.nearby_km = float(knowledge.setting("relaxation", "nearby_km"))
        places = catalog.places
        count = len(places.destinations)
        # a near miss in another place is only near if the place is: distance, not profile
        closeness = np.exp(-places.distance_km / max(self.nearby_km, 1.0))
        listed = np.array([[b.name in a.nearby for b in places.destinations] for a in places.destinations],
                          dtype=bool).reshape(count, count)
        self._places = np.where(listed, np.maximum(closeness, 0.5), closeness)
        np.fill_diagonal(self._places, 1.0)
        types = catalog.type_ids
        self._types = np.eye(len(types))
        for i, a in enumerate(types):
            for b, value in knowledge.type_similarity.get(a, {}).items():
                self._types[i, types.index(b)] = value

    def location_row(self, wanted: str, codes: np.ndarray) -> np.ndarray:
        return self._places[self.catalog.places.code_of[wanted]][codes]

    def amenity_rows(self, amenity: str, rows: np.ndarray) -> np.ndarray:
        """1 where the row has it, else the best substitute's similarity, else 0."""
        cat = self.catalog
        best = cat.amen[cat.amenity_index[amenity], rows].astype(float)
        for other, value in self.knowledge.amenity_similarity.get(amenity, {}).items():
            best = np.maximum(best, value * cat.amen[cat.amenity_index[other], rows])
        return best

    def type_rows(self, wanted: tuple[str, ...], codes: np.ndarray) -> np.ndarray:
        wanted_codes = [self.catalog.type_ids.index(t) for t in wanted]
        return self._types[wanted_codes][:, codes].max(axis=0)
