"""Distance to the centre of the destination, from each listing's coordinates.

"Within 1 km of the centre": the centre is the destination's point in
locations.yml (the centroid of its listings for a place only the catalog
knows), so the attribute means the same in every destination and needs no
place in the query. Widened like a neighbourhood's radius, in engine.yml's
steps: "Within 2 km of the centre instead of 1 km: 14 places".
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from ..catalog import Catalog
from ..geo import haversine_km
from ..knowledge import Knowledge
from ..query import Constraint, Request
from .base import Array, Attribute, Evaluating, Likeness, Relaxing, Rows, Slots, Words, is_number
from .place import widened_km
from .repair import Relaxation


def km_from_centre(catalog: Catalog, rows: Rows) -> Array:
    """How far each row is from the centre of its own destination."""
    destinations = catalog.places.destinations
    lat = np.array([d.latitude for d in destinations], dtype=float)
    lon = np.array([d.longitude for d in destinations], dtype=float)
    codes = catalog.loc[rows]
    return haversine_km(catalog.lat[rows], catalog.lon[rows], lat[codes], lon[codes])


def central_km(knowledge: Knowledge) -> float:
    """What "close to the centre" means when the traveller gives no distance (engine.yml)."""
    return float(knowledge.setting("distances", "central_km"))


class Centre(Attribute):
    """At most so many km from the destination's centre."""

    name = "centre"
    ops = frozenset({"within_km"})
    salience = 5.5  # after a neighbourhood, before the rating
    sentence = 3.5  # "Nothing in Lisbon within 1 km of the centre for 4 guests"
    numeric = True
    report_order = 1.5
    measured_at = (0.5, 1.0, 2.0, 5.0)
    table_order = 7
    summary_order = 6
    request_order = 12

    def requested(self, r: Request) -> list[Constraint]:
        return [] if r.centre_km is None else [Constraint(self.name, "within_km", float(r.centre_km))]

    def km(self, ev: Evaluating, c: Constraint, rows: Rows) -> Array:
        return km_from_centre(ev.catalog, rows)

    def mask(self, ev: Evaluating, c: Constraint, rows: Rows) -> Array:
        return np.asarray(km_from_centre(ev.catalog, rows) <= c.value)

    def graded(self, ev: Evaluating, c: Constraint, rows: Array, similarity: Likeness) -> Array:
        return np.asarray((km_from_centre(ev.catalog, rows) - c.value) / max(float(c.value), 1.0))

    def value(self, w: Words, c: Constraint) -> str:
        return f"{c.value:g} km of the centre"

    def noun(self, w: Words, c: Constraint) -> str:
        return f"being within {self.value(w, c)}"

    def met(self, w: Words, c: Constraint, row: int, stay_total: float | None) -> str:
        km = float(km_from_centre(w.catalog, np.array([row]))[0])
        return f"{km:.1f} km from the centre of {w.catalog.text['location'][row]}"

    def missed(self, w: Words, c: Constraint, row: int, stay_total: float | None, km: float | None) -> str:
        far = km if km is not None else float(km_from_centre(w.catalog, np.array([row]))[0])
        return f"{far:.1f} km from the centre, not within {c.value:g} km"

    def condition(self, w: Words, c: Constraint) -> str:
        return f"within {self.value(w, c)}"

    def report_key(self, c: Constraint) -> str:
        return f"{self.name}<={c.value:g}"

    def described(self, value: Any, knowledge: Knowledge | None, currency: str | None) -> str:
        if not is_number(value):
            return super().described(value, knowledge, currency)
        return f"≤ {value:g} km from the centre"

    def replacements(self, rx: Relaxing, c: Constraint, rows: Array, need: int) -> list[Relaxation]:
        value = rx.kth(km_from_centre(rx.evaluator.catalog, rows), need)
        if value is None:
            return []
        radius = widened_km(rx.knowledge, value)
        if radius <= c.value:
            return []
        text = f"Within {radius:g} km of the centre instead of {c.value:g} km"
        made = rx.relaxation("widen", c, replace(c, value=radius), rows, text, c.value / radius)
        return [made] if made else []

    def cleared(self, c: Constraint) -> Slots:
        return {"centre_km": None}

    def forgotten(self) -> Slots:
        return {"centre_km": None}

    def slots_for(self, c: Constraint) -> Slots:
        return {"centre_km": float(c.value)}
