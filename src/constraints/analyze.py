"""Which constraints make searches fail: the numbers behind `stays analyze`.

Four views of one catalog, each a pure function over the `Catalog` columns
(vectorised with numpy; the only Python loops run over destinations, property
kinds, amenity words or recorded events, never over catalog rows):

**Restrictiveness** (here) — for every value a traveller commonly asks for
(each amenity, each property type, an entire place, sleeps >= 2..12, <= 50..300
a night in each destination's own currency, rated >= 4.5 / 4.8, bedrooms >=
2..4, within 0.5..5 km of the centre: each registry entry's `measured`), the
share of properties it rules out, per destination and overall. The tests are
the engine's own masks (`Attribute.mask`): an unrated place (too few reviews,
or no rating) fails every rating threshold.

**Unreachable properties** (`analyze_dominance`) — the properties at least k
others dominate, so no search can bring them to the first page.

**Coverage gaps** (here) — per destination, the amenities and property types
with no property at all (missing) or with fewer than 2 % of its properties
(rare).

**Failed searches** (`analyze_searches`) — read back from Rasa's SQL tracker
store: the share with no match and the most frequent conflicts.

This module also re-exports the names of the other two, so
`constraints.analyze` stays the one import for the whole report.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from . import attributes
from .analyze_counts import amenity_counts, destination_names, destination_sizes, per_destination, type_counts
from .analyze_dominance import CHUNK_PAIRS, DEFAULT_K, Unreachable, dominator_counts, pack_amenities, unreachable
from .analyze_searches import (
    SearchRecord,
    TrackerStoreError,
    bot_events,
    failed_searches,
    search_records,
    tracker_store_for,
)
from .attributes.base import Array, Rows
from .attributes.features import ENTIRE_PLACE
from .availability import Availability
from .catalog import Catalog
from .knowledge import Knowledge
from .query import Constraint, StayDates

__all__ = [
    "CHUNK_PAIRS", "COMMON_REQUESTS", "DEFAULT_K", "ENTIRE_PLACE", "RARE_SHARE", "ConstraintValue", "Report",
    "Restrictiveness", "SearchRecord", "TrackerStoreError", "Unreachable", "analyse", "bot_events", "constraint_values",
    "coverage_gaps", "dominator_counts", "failed_searches", "keep_counts", "pack_amenities", "restrictiveness",
    "search_records", "tracker_store_for", "unreachable", "value_mask",
]

# the per-destination summary line: what travellers ask for most often
COMMON_REQUESTS = ("amenities=pool", "amenities=free_parking", "amenities=pets_allowed",
                   "accommodates>=6", "price_per_night<=100")
RARE_SHARE = 0.02


# --- constraint values ---------------------------------------------------------------

@dataclass(frozen=True)
class ConstraintValue:
    """One value a traveller can ask for, e.g. `amenities contains pool`."""

    attribute: str
    op: str
    value: Any
    label: str

    @property
    def constraint(self) -> Constraint:
        return Constraint(self.attribute, self.op, self.value)

    @property
    def key(self) -> str:
        return attributes.of(self.attribute).report_key(self.constraint)

    def to_json(self) -> dict[str, Any]:
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {"key": self.key, "attribute": self.attribute, "op": self.op, "value": value, "label": self.label}


def constraint_values(catalog: Catalog, knowledge: Knowledge | None = None) -> list[ConstraintValue]:
    """Every value restrictiveness is measured for, in a fixed order (the rows of `keep_counts`)."""
    local = set(catalog.dest_currency)
    currency = next(iter(local)) if len(local) == 1 else None  # budgets are each destination's own currency
    measured = sorted(attributes.REGISTRY.values(), key=lambda a: a.table_order)
    return [ConstraintValue(c.attribute, c.op, c.value, a.report_label(c, knowledge, currency))
            for a in measured for c in a.measured(catalog)]


# values whose masks are stacked at once: bounds the (values x rows) matrix `keep_counts` sums
_BLOCK = 64


def keep_counts(catalog: Catalog, values: Sequence[ConstraintValue]) -> npt.NDArray[np.int64]:
    """Properties each value leaves, per destination: (values x destinations), a block of values at a time."""
    out = np.zeros((len(values), len(catalog.loc_slices)), dtype=np.int64)
    for start in range(0, len(values), _BLOCK):
        block = values[start:start + _BLOCK]
        out[start:start + len(block)] = per_destination(catalog, np.vstack([value_mask(catalog, v) for v in block]))
    return out


class _CatalogTests:
    """What an attribute's test reads, for a whole catalog: budgets in each destination's own currency.

    Restrictiveness asks of a value what the engine asks of a constraint,
    without a query: no dates, no calendar, no stay to price.
    """

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog

    @property
    def catalog(self) -> Catalog:
        return self._catalog

    @property
    def knowledge(self) -> Knowledge:
        raise ValueError("a restrictiveness test reads the catalog alone, not the knowledge base")

    @property
    def availability(self) -> Availability | None:
        return None

    @property
    def dates(self) -> StayDates | None:
        return None

    def prices(self, c: Constraint) -> Array:
        return self._catalog.local_price()

    def stay_total_for(self, c: Constraint, rows: Rows) -> Array:
        raise ValueError(f"no restrictiveness test for {c.attribute}: a stay's total needs a stay")

    def mask(self, constraint: Constraint, rows: Rows) -> Array:
        return attributes.of(constraint.attribute).mask(self, constraint, rows)


def value_mask(catalog: Catalog, v: ConstraintValue) -> npt.NDArray[np.bool_]:
    """The rows a value leaves (the engine's own test for that attribute)."""
    if v.attribute not in attributes.REGISTRY:
        raise ValueError(f"no restrictiveness test for {v.attribute}")
    return np.asarray(_CatalogTests(catalog).mask(v.constraint, slice(None)), dtype=bool)


@dataclass
class Restrictiveness:
    """How many places each constraint value leaves, per destination."""

    values: list[ConstraintValue]
    destinations: list[str]
    sizes: npt.NDArray[np.int64]  # properties per destination
    kept: npt.NDArray[np.int64]  # values x destinations
    currencies: list[str] = field(default_factory=list)  # per destination: what its budgets are in
    knowledge: Knowledge | None = None

    def entries(self, destination: str | None = None) -> list[dict[str, Any]]:
        """Every value with its share ruled out, most restrictive first (overall when destination is None)."""
        if destination is None:
            kept, total = self.kept.sum(axis=1), int(self.sizes.sum())
        else:
            code = self.destinations.index(destination)
            kept, total = self.kept[:, code], int(self.sizes[code])
        if total == 0:
            return []
        shares = 1.0 - kept / total
        order = np.lexsort((np.arange(len(self.values)), -shares))
        return [{**self.values[k].to_json(), "label": self._label(self.values[k], destination),
                 "ruled_out_share": round(float(shares[k]), 6),
                 "ruled_out": int(total - kept[k]), "left": int(kept[k]), "total": total}
                for k in order]

    def _label(self, value: ConstraintValue, destination: str | None) -> str:
        """A budget in one destination reads in its own currency ('≤ $100 a night' in Albany)."""
        entry = attributes.of(value.attribute)
        if not entry.money or destination is None or not self.currencies:
            return value.label
        currency = self.currencies[self.destinations.index(destination)]
        return entry.report_label(value.constraint, self.knowledge, currency)

    def common(self, destination: str | None) -> list[dict[str, Any]]:
        """The common requests (COMMON_REQUESTS) in this destination, most restrictive first."""
        return [e for e in self.entries(destination) if e["key"] in COMMON_REQUESTS]

    def populated(self) -> list[str]:
        return [d for d, size in zip(self.destinations, self.sizes, strict=True) if size]

    def to_json(self, destinations: Iterable[str] | None = None) -> dict[str, Any]:
        chosen = self.populated() if destinations is None else list(destinations)
        return {
            "overall": self.entries(),
            "by_destination": {d: {"properties": int(self.sizes[self.destinations.index(d)]),
                                   "values": self.entries(d), "common": self.common(d)} for d in chosen},
        }


def restrictiveness(catalog: Catalog, knowledge: Knowledge | None = None) -> Restrictiveness:
    """The share of places every constraint value rules out, per destination."""
    values = constraint_values(catalog, knowledge)
    names = destination_names(catalog)
    return Restrictiveness(values, names, destination_sizes(catalog), keep_counts(catalog, values),
                           currencies=[catalog.currency_of(name) for name in names], knowledge=knowledge)


# --- coverage gaps ---------------------------------------------------------------------

def _split_rare(ids: Sequence[str], column: npt.NDArray[np.int64], size: int,
                rare_share: float) -> tuple[list[str], list[dict[str, Any]]]:
    """The ids with no property in one destination's count column, and those under rare_share of it."""
    missing = [ids[i] for i in np.flatnonzero(column == 0)]
    rare = [{"id": ids[i], "count": int(column[i]), "share": round(float(column[i]) / size, 6)}
            for i in np.flatnonzero((column > 0) & (column < rare_share * size))]
    return missing, rare


def coverage_gaps(catalog: Catalog, rare_share: float = RARE_SHARE) -> dict[str, dict[str, Any]]:
    """Per populated destination: amenities and property types missing (0) or rare (< rare_share)."""
    sizes = destination_sizes(catalog)
    amen, types = amenity_counts(catalog), type_counts(catalog)
    gaps: dict[str, dict[str, Any]] = {}
    for code, name in enumerate(destination_names(catalog)):
        size = int(sizes[code])
        if not size:
            continue
        missing_amenities, rare_amenities = _split_rare(catalog.amenity_ids, amen[:, code], size, rare_share)
        missing_types, rare_types = _split_rare(catalog.type_ids, types[:, code], size, rare_share)
        gaps[name] = {"properties": size, "missing_amenities": missing_amenities, "rare_amenities": rare_amenities,
                      "missing_types": missing_types, "rare_types": rare_types}
    return gaps


# --- the whole report --------------------------------------------------------------------

@dataclass
class Report:
    """The four views of one catalog, for one destination or all of them."""

    catalog: Catalog
    knowledge: Knowledge | None
    restrictiveness: Restrictiveness
    unreachable: Unreachable
    gaps: dict[str, dict[str, Any]]
    failed_searches: dict[str, Any] | None
    location: str | None = None

    @property
    def scope(self) -> slice | None:
        return None if self.location is None else self.catalog.loc_slices[self.catalog.places.code_of[self.location]]

    def destinations(self) -> list[str]:
        return [self.location] if self.location else self.restrictiveness.populated()

    def unreachable_list(self, limit: int | None = None) -> list[dict[str, Any]]:
        rows = self.unreachable.rows(self.scope)[:limit]
        return [{"id": str(self.catalog.ids[r]), "title": str(self.catalog.text["title"][int(r)]),
                 "location": str(self.catalog.text["location"][int(r)]),
                 "dominated_by": int(self.unreachable.counts[r])}
                for r in rows]

    def to_json(self, top: int | None = None) -> dict[str, Any]:
        per = self.unreachable.by_destination(self.catalog)
        chosen = self.destinations()
        restrict = self.restrictiveness.to_json(chosen)
        restrict["scope"] = self.location or "overall"
        return {
            "catalog": {"path": self.catalog.source, "properties": self.catalog.size},
            "restrictiveness": restrict,
            "unreachable": {
                "k": self.unreachable.k,
                "count": int(sum(per[d]["unreachable"] for d in chosen if d in per)),
                "properties": int(sum(per[d]["properties"] for d in chosen if d in per)),
                "by_destination": {d: per[d] for d in chosen if d in per},
                "properties_list": self.unreachable_list(top),
            },
            "gaps": {d: self.gaps[d] for d in chosen if d in self.gaps},
            "failed_searches": self.failed_searches,
        }


def analyse(catalog: Catalog, knowledge: Knowledge | None = None, *, k: int = DEFAULT_K,
            location: str | None = None, records: Sequence[SearchRecord] | None = None,
            top: int | None = None) -> Report:
    """Everything `stays analyze` reports; `records` None means no tracker store was read."""
    searches = None if records is None else failed_searches(records, knowledge, location, top)
    return Report(catalog, knowledge, restrictiveness(catalog, knowledge), unreachable(catalog, k),
                  coverage_gaps(catalog), searches, location)
