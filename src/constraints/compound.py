"""Dynamic compound critiques (Reilly, McCarthy, McGinty and Smyth, 2004).

After showing a property, look at every other place that still meets the hard
constraints and note how each differs from the shown one: cheaper, more
bedrooms, nearer the neighbourhood asked for, better rated, or with an
amenity the shown one lacks. Frequent combinations of one or two such
differences (Apriori: a pair is only counted when both its parts are frequent;
amenities come from the groups engine.yml names, at most one per pair)
become offers like "Cheaper and with parking — 12 places". Low-support
combinations come first because they narrow the search the most, and the
chosen few share as few differences as possible so they are different offers.

Each difference is also a constraint anchored on the shown property, so
choosing an offer adds exactly the constraints whose places were counted.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import numpy.typing as npt

from .attributes import AMENITIES, BEDROOMS, NEIGHBOURHOOD, PRICE_PER_NIGHT, RATING
from .engine import Engine
from .geo import haversine_km
from .masks import QueryEvaluator
from .query import Constraint, Query
from .text import counted


@dataclass(frozen=True)
class Difference:
    """One way a candidate can differ from the shown property, as a constraint."""

    key: str
    phrase: str
    constraint: Constraint


@dataclass(frozen=True)
class CompoundCritique:
    """One to two differences together, with how many candidates have them all."""

    differences: tuple[Difference, ...]
    matches: int
    support: float

    @property
    def added(self) -> tuple[Constraint, ...]:
        return tuple(d.constraint for d in self.differences)

    @property
    def description(self) -> str:
        phrases = [d.phrase for d in self.differences]
        text = " and ".join(phrases)
        return f"{text[0].upper()}{text[1:]}: {counted(self.matches, 'place')}"


def compound_critiques(engine: Engine, query: Query, shown_id: str, limit: int | None = None) -> list[CompoundCritique]:
    """The best few compound critiques of `shown_id` among the query's other matches."""
    settings = engine.knowledge.settings["critique"]
    limit = int(settings["compound_offered"]) if limit is None else limit
    prepared = engine.prepare(query)
    evaluator = QueryEvaluator(engine.catalog, engine.knowledge, prepared, engine.availability)
    rows = engine.matching_rows(evaluator)
    reference = engine.catalog.row(shown_id)
    rows = rows[rows != reference]
    if len(rows) < int(settings["compound_min_candidates"]):
        return []  # with a handful of places left, the list itself is the best critique
    differences, masks = _differences(engine, evaluator, prepared, reference, rows)
    if not differences:
        return []
    low, high = float(settings["compound_min_support"]), float(settings["compound_max_support"])
    candidates = _frequent_itemsets(differences, masks, len(rows), low, high)
    return _diverse(candidates, limit)


def _differences(engine: Engine, evaluator: QueryEvaluator, query: Query, reference: int,
                 rows: npt.NDArray[np.intp]) -> tuple[list[Difference], npt.NDArray[np.bool_]]:
    """The unit differences and, for each, which candidate rows have it."""
    catalog = engine.catalog
    money = engine.wording.money
    found: list[Difference] = []
    columns: list[npt.NDArray[np.bool_]] = []

    def add(difference: Difference) -> None:
        found.append(difference)
        columns.append(evaluator.mask(difference.constraint, rows))

    step = float(engine.knowledge.setting("critique", "cheaper_step"))
    currency = engine.currency_for(evaluator.query)
    ceiling = math.floor(catalog.price_in(currency)[reference] * (1.0 - step))
    if ceiling >= 1:
        add(Difference("cheaper", f"cheaper (under {money(ceiling, currency)})",
                       Constraint(PRICE_PER_NIGHT.name, "<=", float(ceiling), currency=currency)))
    bedrooms = int(catalog.bedrooms[reference]) + 1
    size = f"{bedrooms}+ bedrooms" if bedrooms > 1 else "a separate bedroom"
    add(Difference("bigger", size, Constraint(BEDROOMS.name, ">=", bedrooms)))
    if catalog.rated[reference] and catalog.rating[reference] < 4.9:
        better = round(float(catalog.rating[reference]) + 0.1, 2)
        add(Difference("rating", f"rated {better:g}+", Constraint(RATING.name, ">=", better)))
    near = query.find(NEIGHBOURHOOD.name)
    if near is not None:
        point = catalog.places.neighbourhood(near.value[0], near.value[1])
        if point is not None:
            distance = float(haversine_km(catalog.lat[reference], catalog.lon[reference],
                                          point.latitude, point.longitude))
            radius = math.floor(distance * 0.8 * 10) / 10
            if radius >= 0.1:
                add(Difference("closer", f"closer to {near.value[1]} (within {radius:g} km)",
                               Constraint(NEIGHBOURHOOD.name, "within_km", (near.value[0], near.value[1], radius))))
    wanted = {c.value for c in query.hard if c.attribute == AMENITIES.name}
    groups = set(engine.knowledge.setting("critique", "compound_amenity_groups"))
    named = set(engine.knowledge.setting("critique", "compound_amenities"))
    offered = [a for a in engine.knowledge.amenities.values()
               if (groups & set(a.groups) or a.id in named) and a.id not in wanted and a.id in catalog.amenity_index
               and not catalog.amen[catalog.amenity_index[a.id], reference]]
    if offered:
        block = catalog.amen[[catalog.amenity_index[a.id] for a in offered]][:, rows]
        for amenity, column in zip(offered, block, strict=True):  # one row of block per offered amenity
            phrase = engine.wording.amenity_phrase(amenity.id, definite=False)
            found.append(Difference(f"amenity:{amenity.id}", f"with {phrase}",
                                    Constraint(AMENITIES.name, "contains", amenity.id)))
            columns.append(column)
    return found, np.array(columns, dtype=bool).reshape(len(found), len(rows))


def _frequent_itemsets(differences: list[Difference], masks: npt.NDArray[np.bool_], total: int,
                       low: float, high: float) -> list[CompoundCritique]:
    """Apriori to size two: pairs are only formed from frequent single differences."""
    counts = masks.sum(axis=1)
    frequent = np.flatnonzero(counts >= low * total)
    found: list[CompoundCritique] = []
    for i in frequent:
        if counts[i] <= high * total:
            found.append(CompoundCritique((differences[i],), int(counts[i]), counts[i] / total))
    if len(frequent) >= 2:
        block = masks[frequent].astype(np.float32)
        pair_counts = block @ block.T
        for a, b in combinations(range(len(frequent)), 2):
            count = int(pair_counts[a, b])
            pair = (differences[frequent[a]], differences[frequent[b]])
            if all(d.key.startswith("amenity:") for d in pair):
                continue  # "with a sauna and with a kayak" is a feature list, not a critique
            if low * total <= count <= high * total:
                found.append(CompoundCritique(pair, count, count / total))
    return found


def _diverse(candidates: list[CompoundCritique], limit: int) -> list[CompoundCritique]:
    """Compounds before singles, lowest support first, no difference offered twice."""
    ordered = sorted(candidates, key=lambda c: (-len(c.differences), c.support, c.description))
    chosen: list[CompoundCritique] = []
    used: set[str] = set()
    for candidate in ordered:
        keys = {d.key for d in candidate.differences}
        if keys & used:
            continue
        chosen.append(candidate)
        used |= keys
        if len(chosen) == limit:
            break
    return chosen
