"""One boolean mask per constraint, vectorised over a slice of the catalog.

Each attribute's registry entry (`attributes`) knows how it is tested; the
evaluator holds what they share (the query's stay, prices in a currency). The search
ANDs the masks of the hard constraints; the relaxation engine keeps them apart
to see which constraint each property fails; the ranking reuses the soft ones.
`severity` grades a failure (0 = met, 1 = far off) for near-miss similarity.
"""
from __future__ import annotations

import numpy as np

from . import attributes
from .attributes.base import Array, Rows
from .availability import Availability
from .catalog import Catalog
from .errors import InvalidValueError
from .knowledge import Knowledge
from .pricing import night_factors
from .query import Constraint, Query, StayDates


class QueryEvaluator:
    """Evaluates the constraints of one query against catalog rows."""

    def __init__(self, catalog: Catalog, knowledge: Knowledge, query: Query,
                 availability: Availability | None = None) -> None:
        self.catalog = catalog
        self.availability = availability
        self.knowledge = knowledge
        self.query = query
        dates = query.find(attributes.DATES.name)
        nights = query.find(attributes.NIGHTS.name)
        self.dates: StayDates | None = dates.value if dates else None
        self.nights: int | None = self.dates.nights if self.dates else (int(nights.value) if nights else None)
        if self.dates is not None:
            if self.dates.nights < 1:
                raise InvalidValueError("Check-out must be after check-in.")
            if availability is not None:
                availability.span(self.dates)  # refuse dates outside the calendar early
        self._factors: dict[StayDates, Array] = {}

    # --- scope and masks ------------------------------------------------------------

    def scope(self) -> slice:
        """The rows a search must look at: one destination's slice when it has one."""
        location = self.query.find(attributes.LOCATION.name)
        if location is not None and location.is_hard:
            code = attributes.LOCATION.code(self, location.value)
            return self.catalog.rows_in(code) if code >= 0 else slice(0, 0)
        return slice(0, self.catalog.size)

    def mask(self, constraint: Constraint, rows: Rows) -> Array:
        return np.asarray(attributes.of(constraint.attribute).mask(self, constraint, rows), dtype=bool)

    def km(self, c: Constraint, rows: Rows) -> Array | None:
        """How far each row is from the point `c` is about (None for an attribute about no point)."""
        return attributes.of(c.attribute).km(self, c, rows)

    def excluded(self, rows: Rows) -> Array:
        """Places the traveller has turned down; never shown again in this search."""
        if not self.query.exclude_ids:
            return np.zeros(self.catalog.ids[rows].shape, dtype=bool)
        return np.isin(self.catalog.ids[rows], list(self.query.exclude_ids))

    # --- prices of a stay -----------------------------------------------------------

    def stay_total(self, rows: Rows, dates: StayDates | None = None) -> Array:
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
        if self.availability is not None:
            extra = self.availability.extra_cost(dates, rows, catalog.size)
            if extra is not None:
                total = total + extra
        return np.asarray(total)

    def _stay_factor(self, dates: StayDates) -> Array:
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

    def prices(self, c: Constraint) -> Array:
        """Nightly prices of the whole catalog in the currency of `c`'s value."""
        return self.catalog.price_in(self.currency(c))

    def stay_total_for(self, c: Constraint, rows: Rows) -> Array:
        """The price of the stay in the currency of `c`'s value."""
        return self.catalog.in_currency(self.stay_total(rows), rows, self.currency(c))

    # --- graded failure for near misses ---------------------------------------------

    def severity(self, c: Constraint, rows: Array, similarity: Similarity) -> Array:
        """How badly each row misses `c`: 0 met, 1 entirely off."""
        met = self.mask(c, rows)
        graded = attributes.of(c.attribute).graded(self, c, rows, similarity)
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

    def location_row(self, wanted: str, codes: Array) -> Array:
        return np.asarray(self._places[self.catalog.places.code_of[wanted]][codes])

    def amenity_rows(self, amenity: str, rows: Array) -> Array:
        """1 where the row has it, else the best substitute's similarity, else 0."""
        cat = self.catalog
        best = cat.amen[cat.amenity_index[amenity], rows].astype(float)
        for other, value in self.knowledge.amenity_similarity.get(amenity, {}).items():
            best = np.maximum(best, value * cat.amen[cat.amenity_index[other], rows])
        return np.asarray(best)

    def type_rows(self, wanted: tuple[str, ...], codes: Array) -> Array:
        wanted_codes = [self.catalog.type_ids.index(t) for t in wanted]
        return np.asarray(self._types[wanted_codes][:, codes].max(axis=0))
