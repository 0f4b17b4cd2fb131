"""Multi-attribute utility over the properties that meet every hard constraint.

Each component lies in [0, 1] and the weights come from engine.yml; a
component that the query gives no basis for (no neighbourhood asked, no
nice-to-haves) is left out and the others renormalised, so scores stay
comparable within one search.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import attributes
from .attributes.base import Array
from .masks import QueryEvaluator

COMPONENTS = ("soft", "rating", "price", "distance", "capacity_fit", "likeness")


@dataclass
class Ranking:
    """Scores of every matching row, and the best `top` of them in order."""

    rows: Array  # all matching rows, catalog order
    scores: Array  # aligned with rows
    parts: dict[str, Array]
    top: Array  # positions into rows/scores, best first

    def position_of(self, row: int) -> int | None:
        """1-based rank of a row among all matches (ties broken by catalog order)."""
        where = np.flatnonzero(self.rows == row)
        if not where.size:
            return None
        score = self.scores[where[0]]
        better = np.count_nonzero(self.scores > score)
        tied_before = np.count_nonzero((self.scores == score) & (self.rows < row))
        return int(better + tied_before + 1)


def rank(evaluator: QueryEvaluator, rows: Array, top: int, likeness: Array | None = None) -> Ranking:
    """Scores `rows` and orders the best `top`; `likeness` (0..1) adds "more like this one"."""
    catalog = evaluator.catalog
    query = evaluator.query
    weights = dict(evaluator.knowledge.settings["ranking"])
    parts: dict[str, Array] = {}

    soft = [c for c in query.soft if not attributes.of(c.attribute).ranks_by_distance]
    if soft:
        total = sum(c.weight for c in soft)
        parts["soft"] = np.asarray(sum(c.weight * evaluator.mask(c, rows) for c in soft) / total)

    parts["rating"] = np.clip((catalog.rating_score[rows] - 3.5) / 1.5, 0.0, 1.0)

    budget = query.find(attributes.PRICE_PER_NIGHT.name)
    if budget is not None:
        parts["price"] = np.clip(1.0 - evaluator.prices(budget)[rows] / max(budget.value, 1e-9), 0.0, 1.0)
    else:
        reference = catalog.typical_price[catalog.loc[rows]] * 2.0
        parts["price"] = np.clip(1.0 - catalog.price_base[rows] / reference, 0.0, 1.0)

    near = [c for c in query.constraints if attributes.of(c.attribute).ranks_by_distance]
    km = evaluator.km(near[0], rows) if near else None
    if km is not None:
        scale = float(weights["neighbourhood_scale_km"])
        parts["distance"] = np.exp(-km / scale)

    if query.find(attributes.ROOM_TYPE.name) is None:
        preference = weights["room_preference"]
        by_code = np.array([float(preference.get(room, 0.5)) for room in catalog.room_ids])
        parts["room"] = by_code[catalog.room[rows]]

    guests = query.context.get("guests")
    if guests:
        spare = catalog.accommodates[rows] - int(guests)
        parts["capacity_fit"] = 1.0 - np.clip(spare / max(2 * int(guests), 4), 0.0, 1.0)

    if likeness is not None:
        parts["likeness"] = likeness
        weights["likeness"] = 1.0

    active = {name: float(weights[name]) for name in parts}  # room_preference is not a weight
    norm = sum(active.values()) or 1.0
    scores = np.round(sum(active[name] * parts[name] for name in parts) / norm, 9)
    scores = np.broadcast_to(scores, rows.shape).astype(float)
    if top < len(rows):
        candidates = np.argpartition(-scores, top - 1)[:top] if top > 0 else np.array([], dtype=int)
        boundary = scores[candidates].min() if top > 0 else np.inf
        # ties at the boundary are settled by catalog order, like the rest
        candidates = np.union1d(candidates, np.flatnonzero(scores == boundary))
    else:
        candidates = np.arange(len(rows))
    order = candidates[np.lexsort((rows[candidates], -scores[candidates]))][:top]
    return Ranking(rows=rows, scores=scores, parts=parts, top=order)
