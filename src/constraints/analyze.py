"""Which constraints make searches fail: the numbers behind `stays analyze`.

Four views of one catalog, each a pure function over the `Catalog` columns
(vectorised with numpy; the only Python loops run over destinations, property
kinds, amenity words or recorded events, never over catalog rows):

**Restrictiveness** (here) — for every value a traveller commonly asks for
(each amenity, each property type, an entire place, sleeps >= 2..12, <= 50..300
a night in the base currency, rated >= 4.5 / 4.8, bedrooms >= 2..4), the share
of properties it rules out, per destination and overall. The tests are the
engine's own masks: an unrated place (too few reviews, or no rating) fails
every rating threshold, and a budget compares `price_base`.

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

from .analyze_counts import amenity_counts, destination_names, destination_sizes, per_destination, type_counts
from .analyze_dominance import CHUNK_PAIRS, DEFAULT_K, Unreachable, dominator_counts, pack_amenities, unreachable
from .analyze_labels import amenity_label, money_label, type_label
from .analyze_searches import (
    SearchRecord,
    TrackerStoreError,
    bot_events,
    failed_searches,
    search_records,
    tracker_store_for,
)
from .catalog import Catalog
from .knowledge import Knowledge

__all__ = [
    "BEDROOM_THRESHOLDS", "BUDGET_THRESHOLDS", "CHUNK_PAIRS", "COMMON_REQUESTS", "DEFAULT_K", "ENTIRE_PLACE",
    "GUEST_THRESHOLDS", "RARE_SHARE", "RATING_THRESHOLDS", "ConstraintValue", "Report", "Restrictiveness",
    "SearchRecord", "TrackerStoreError", "Unreachable", "analyse", "bot_events", "constraint_values",
    "coverage_gaps", "dominator_counts", "failed_searches", "keep_counts", "pack_amenities", "restrictiveness",
    "search_records", "tracker_store_for", "unreachable", "value_mask",
]

GUEST_THRESHOLDS = (2, 4, 6, 8, 10, 12)
BUDGET_THRESHOLDS = (50, 75, 100, 150, 200, 300)
RATING_THRESHOLDS = (4.5, 4.8)
BEDROOM_THRESHOLDS = (2, 3, 4)
ENTIRE_PLACE = "entire_home"
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
    def key(self) -> str:
        if self.attribute in ("amenities", "room_type"):
            return f"{self.attribute}={self.value}"
        if self.attribute == "property_type":
            return f"property_type={self.value[0]}"
        return f"{self.attribute}{self.op}{self.value:g}"

    def to_json(self) -> dict[str, Any]:
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {"key": self.key, "attribute": self.attribute, "op": self.op, "value": value, "label": self.label}


def constraint_values(catalog: Catalog, knowledge: Knowledge | None = None) -> list[ConstraintValue]:
    """Every value restrictiveness is measured for, in a fixed order (the rows of `keep_counts`)."""
    local = set(catalog.dest_currency)
    currency = next(iter(local)) if len(local) == 1 else None  # budgets are each destination's own currency
    values = [ConstraintValue("amenities", "contains", a, amenity_label(a, knowledge)) for a in catalog.amenity_ids]
    values += [ConstraintValue("property_type", "in", (t,), f"type = {type_label(t, knowledge)}")
               for t in catalog.type_ids]
    if ENTIRE_PLACE in catalog.room_ids:
        values.append(ConstraintValue("room_type", "eq", ENTIRE_PLACE, "entire place"))
    values += [ConstraintValue("accommodates", ">=", g, f"sleeps ≥ {g}") for g in GUEST_THRESHOLDS]
    values += [ConstraintValue("price_per_night", "<=", b, f"≤ {money_label(b, knowledge, currency)} a night")
               for b in BUDGET_THRESHOLDS]
    values += [ConstraintValue("rating", ">=", r, f"rated ≥ {r:g}") for r in RATING_THRESHOLDS]
    values += [ConstraintValue("bedrooms", ">=", b, f"bedrooms ≥ {b}") for b in BEDROOM_THRESHOLDS]
    return values


def keep_counts(catalog: Catalog, values: Sequence[ConstraintValue]) -> npt.NDArray[np.int64]:
    """Properties each value leaves, per destination: (values x destinations).

    Amenities and types are counted without materialising a (values x rows)
    matrix; the threshold values (a handful) are stacked into one.
    """
    out = np.zeros((len(values), len(catalog.loc_slices)), dtype=np.int64)
    amen = amenity_counts(catalog)
    types = type_counts(catalog)
    thresholds: list[tuple[int, npt.NDArray[np.bool_]]] = []
    for k, v in enumerate(values):
        if v.attribute == "amenities":
            out[k] = amen[catalog.amenity_index[v.value]]
        elif v.attribute == "property_type":
            out[k] = types[catalog.type_ids.index(v.value[0])]
        else:
            thresholds.append((k, value_mask(catalog, v)))
    if thresholds:
        rows = [k for k, _ in thresholds]
        out[rows] = per_destination(catalog, np.vstack([mask for _, mask in thresholds]))
    return out


def value_mask(catalog: Catalog, v: ConstraintValue) -> npt.NDArray[np.bool_]:
    """The rows a value leaves (the engine's own test for that attribute)."""
    mask: npt.NDArray[np.bool_]
    if v.attribute == "amenities":
        mask = catalog.amen[catalog.amenity_index[v.value]]
    elif v.attribute == "property_type":
        mask = catalog.ptype == catalog.type_ids.index(v.value[0])
    elif v.attribute == "room_type":
        mask = catalog.room == catalog.room_ids.index(v.value)
    elif v.attribute == "accommodates":
        mask = catalog.accommodates >= v.value
    elif v.attribute == "price_per_night":
        mask = catalog.local_price() <= v.value
    elif v.attribute == "rating":
        mask = catalog.rated & (catalog.rating >= v.value)
    elif v.attribute == "bedrooms":
        mask = catalog.bedrooms >= v.value
    else:
        raise ValueError(f"no restrictiveness test for {v.attribute}")
    return mask


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
        if value.attribute != "price_per_night" or destination is None or not self.currencies:
            return value.label
        currency = self.currencies[self.destinations.index(destination)]
        return f"≤ {money_label(float(value.value), self.knowledge, currency)} a night"

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
