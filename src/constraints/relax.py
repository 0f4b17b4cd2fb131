"""When too little matches: minimal repairs with exact counts, a minimal conflict,
and the nearest misses.

Following Jannach's approach, every hard constraint is evaluated once over the
whole catalog, and each property gets a failure bitmask (bit i set = fails
constraint i). A property satisfies the query minus a set R of constraints
exactly when its bitmask is a subset of R, so a subset-sum ("zeta") transform
of the bitmask histogram gives, for every R at once, how many places dropping
R would yield. Minimal relaxations, their counts and the conflict checks of
QuickXPlain are all lookups in that one table. Changes that replace a
constraint (a higher budget, the town next door, a hot tub for a pool, other
dates) are counted by evaluating only the new constraint on the rows that
already satisfy everything else.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from functools import cache
from typing import Any

import numpy as np

from .errors import InvalidValueError
from .explain import Wording, article
from .masks import QueryEvaluator, Similarity
from .places import UnknownPlace
from .query import MONEY_ATTRIBUTES, Constraint, Query, StayDates, json_value
from .text import counted

MAX_HARD_CONSTRAINTS = 20
STAY_ATTRIBUTES = ("dates", "nights", "total_price")


@dataclass
class Relaxation:
    """A change to the query and exactly how many places it yields."""

    kind: str  # drop | widen | substitute
    removed: tuple[Constraint, ...]
    added: tuple[Constraint, ...]
    matches: int
    description: str
    cost: float
    distance_km: float | None = None  # how far a substitute destination is from the place asked for
    currency: str | None = None  # what the query's amounts were read in: dropping the place must not change it

    @property
    def changes(self) -> list[dict[str, Any]]:
        changes = []
        for old in self.removed:
            new = next((a for a in self.added if a.attribute == old.attribute), None)
            changes.append({"attribute": old.attribute, "from": json_value(old.value),
                            "to": None if new is None else json_value(new.value)})
        return changes

    def apply(self, query: Query) -> Query:
        """The query with this change made, as the traveller's own choice.

        Removed constraints are waived so that a rule cannot add them back;
        what replaces them is the traveller's, not the rule's.
        """
        removed = set(self.removed)
        kept = [replace(c, currency=self.currency) if c.attribute in MONEY_ATTRIBUTES and c.currency is None else c
                for c in query.constraints if c not in removed and not c.derived]
        waived = set(query.waived) | {c.waiver for c in self.removed}
        waived -= {c.waiver for c in self.added}
        return replace(query, constraints=tuple(kept) + self.added, waived=frozenset(waived))

    def to_json(self) -> dict[str, Any]:
        data = {"kind": self.kind, "changes": self.changes, "matches": self.matches,
                "description": self.description}
        if self.distance_km is not None:
            data["distance_km"] = self.distance_km
        return data


@dataclass
class Alternative:
    """A near miss: a place close to what was asked, with what it misses."""

    row: int
    id: str
    similarity: float
    misses: list[str]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "similarity": round(self.similarity, 3), "misses": self.misses}


@dataclass
class Diagnosis:
    """Failure bitmasks of every candidate property against the hard constraints."""

    hard: list[Constraint]
    rows: np.ndarray
    fails: np.ndarray
    satisfied_without: np.ndarray  # [R] = properties meeting every constraint not in R
    masks: list[np.ndarray] = field(repr=False)

    @property
    def full(self) -> int:
        return (1 << len(self.hard)) - 1

    def count_keeping(self, kept_bits: int) -> int:
        """How many properties satisfy every constraint in `kept_bits`."""
        return int(self.satisfied_without[self.full & ~kept_bits])

    def rows_meeting_all_but(self, bits: int) -> np.ndarray:
        return self.rows[(self.fails & np.asarray(self.full & ~bits, dtype=self.fails.dtype)) == 0]

    def bits_of(self, constraints: Iterable[Constraint]) -> int:
        wanted = set(constraints)
        return sum(1 << i for i, c in enumerate(self.hard) if c in wanted)


def diagnose(evaluator: QueryEvaluator) -> Diagnosis:
    """Evaluate every hard constraint over the catalog and tabulate the failures."""
    hard = evaluator.query.hard
    if len(hard) > MAX_HARD_CONSTRAINTS:
        raise InvalidValueError(f"That is {len(hard)} requirements at once; I can weigh up to {MAX_HARD_CONSTRAINTS}.")
    everything = slice(0, evaluator.catalog.size)
    excluded = evaluator.excluded(everything)
    keep = ~excluded if excluded.any() else None  # no copy of every column when nothing is excluded
    rows = np.flatnonzero(keep) if keep is not None else np.arange(evaluator.catalog.size)
    dtype = np.uint8 if len(hard) <= 8 else np.uint16 if len(hard) <= 16 else np.uint32
    fails = np.zeros(len(rows), dtype=dtype)
    masks = []
    for i, c in enumerate(hard):
        mask = evaluator.mask(c, everything)
        if keep is not None:
            mask = mask[keep]
        masks.append(mask)
        fails |= np.left_shift(~mask, i, dtype=dtype)
    histogram = np.bincount(fails, minlength=1 << len(hard)).astype(np.int64)
    return Diagnosis(hard, rows, fails, _subset_sums(histogram, len(hard)), masks)


def _subset_sums(histogram: np.ndarray, bits: int) -> np.ndarray:
    """f[R] = sum of histogram[m] over every m that is a subset of R."""
    table = histogram.copy()
    for i in range(bits):
        view = table.reshape(-1, 2, 1 << i)
        view[:, 1, :] += view[:, 0, :]
    return table


class Relaxer:
    """Finds the repairs, conflict and near misses of a query with too few results."""

    def __init__(self, evaluator: QueryEvaluator, similarity: Similarity, wording: Wording) -> None:
        self.evaluator = evaluator
        self.similarity = similarity
        self.wording = wording
        self.knowledge = evaluator.knowledge
        self.settings = evaluator.knowledge.settings["relaxation"]
        self.query = evaluator.query

    # --- priorities -----------------------------------------------------------------

    def priority(self, c: Constraint) -> int:
        """What the traveller said, else the attribute's default from engine.yml."""
        if c.priority is not None:
            return c.priority
        said = self.query.priorities
        specific = f"{c.attribute}:{c.value}" if isinstance(c.value, str) else None
        if specific and specific in said:
            return int(said[specific])
        if c.attribute in said:
            return int(said[c.attribute])
        defaults = self.knowledge.settings["priorities"]
        return int(defaults.get(c.attribute, defaults["default"]))

    # --- minimal drops --------------------------------------------------------------

    def drops(self, diagnosis: Diagnosis, need: int) -> list[Relaxation]:
        """Every minimal set of hard constraints whose removal yields `need` places."""
        n = len(diagnosis.hard)
        if n == 0:
            return []
        table = diagnosis.satisfied_without
        feasible = table >= need
        index = np.arange(1 << n)
        # A budget for the stay is priced for the stay asked: a drop that takes
        # that stay away (its dates, else its length) takes the budget with it.
        anchor = self._stay_anchor(diagnosis.hard)
        budget = diagnosis.bits_of(c for c in diagnosis.hard if c.attribute == "total_price")
        if anchor is not None and budget:
            anchor_bit = diagnosis.bits_of([anchor])
            feasible &= ((index & anchor_bit) == 0) | ((index & budget) == budget)
        some = feasible.copy()  # some[R]: R or a subset of it is feasible
        for i in range(n):
            bit = 1 << i
            has = (index & bit) != 0
            some[has] |= some[index[has] ^ bit]
        minimal = feasible.copy()
        for i in range(n):
            bit = 1 << i
            has = (index & bit) != 0
            minimal[has] &= ~some[index[has] ^ bit]
        minimal[0] = False
        relaxations = []
        for subset in np.flatnonzero(minimal):
            removed = tuple(c for i, c in enumerate(diagnosis.hard) if subset & (1 << i))
            matches = int(table[subset])
            phrases = " and ".join(self.wording.dropped(c) for c in removed)
            relaxations.append(Relaxation(
                "drop", removed, (), matches, f"Without {phrases}: {_places(matches)}",
                cost=float(sum(self.priority(c) + 1 for c in removed)),
            ))
        return relaxations

    def _stay_anchor(self, hard: list[Constraint]) -> Constraint | None:
        """The hard constraint a stay budget is priced with: the dates, else the nights."""
        if self.evaluator.dates is not None:
            return next((c for c in hard if c.attribute == "dates"), None)
        return next((c for c in hard if c.attribute == "nights"), None)

    # --- replacing one constraint ------------------------------------------------------

    def replacements(self, diagnosis: Diagnosis, need: int) -> list[Relaxation]:
        """Widenings and substitutions of single constraints, each counted exactly."""
        found: list[Relaxation] = []
        for i, c in enumerate(diagnosis.hard):
            if c.attribute in STAY_ATTRIBUTES:
                continue
            rows = diagnosis.rows_meeting_all_but(1 << i)
            if len(rows) < need:
                continue
            maker = getattr(self, f"_replace_{c.attribute}", None)
            if maker is not None:
                found.extend(maker(c, rows, need))
        found.extend(self._replace_stay(diagnosis, need))
        return found

    def _relaxation(self, kind: str, old: Constraint, new: Constraint, rows: np.ndarray, text: str,
                    closeness: float) -> Relaxation | None:
        matches = int(np.count_nonzero(self.evaluator.mask(new, rows)))
        if matches == 0:
            return None
        factor = 0.5 if kind == "widen" else 0.6
        cost = (self.priority(old) + 1) * factor * (1.0 + min(1.0, max(0.0, 1.0 - closeness)))
        return Relaxation(kind, (old,), (replace(new, source="user", reason=""),), matches,
                          f"{text}: {_places(matches)}", cost)

    def _kth(self, values: np.ndarray, need: int, largest: bool = False) -> float | None:
        values = values[~np.isnan(values)]
        if len(values) < need:
            return None
        if largest:
            return float(-np.partition(-values, need - 1)[need - 1])
        return float(np.partition(values, need - 1)[need - 1])

    def _replace_price_per_night(self, c: Constraint, rows: np.ndarray, need: int) -> list[Relaxation]:
        value = self._kth(self.evaluator.prices(c)[rows], need)
        if value is None:
            return []
        step = float(self.settings["budget_step"])
        budget = math.ceil(value / step) * step
        new = replace(c, value=float(budget))
        text = f"Raise the budget to {self.wording.money(budget, c.currency)} a night"
        made = self._relaxation("widen", c, new, rows, text, c.value / budget)
        return [made] if made else []

    def _replace_min_price(self, c: Constraint, rows: np.ndarray, need: int) -> list[Relaxation]:
        value = self._kth(self.evaluator.prices(c)[rows], need, largest=True)
        if value is None:
            return []
        step = float(self.settings["budget_step"])
        floor = math.floor(value / step) * step
        if floor <= 0:
            return []
        new = replace(c, value=float(floor))
        made = self._relaxation("widen", c, new, rows,
                                f"Lower the minimum to {self.wording.money(floor, c.currency)} a night",
                                floor / c.value)
        return [made] if made else []

    def _replace_count(self, c: Constraint, rows: np.ndarray, need: int) -> list[Relaxation]:
        have = getattr(self.evaluator.catalog, c.attribute)[rows].astype(float)
        value = self._kth(have, need, largest=True)
        if value is None or value <= 0 or value >= c.value:
            return []
        new = replace(c, value=int(value) if float(value).is_integer() else value)
        text = f"{self.wording.value(new).capitalize()} instead of {self.wording.value(c)}"
        made = self._relaxation("widen", c, new, rows, text, value / c.value)
        return [made] if made else []

    _replace_bedrooms = _replace_count
    _replace_beds = _replace_count
    _replace_bathrooms = _replace_count

    def _replace_rating(self, c: Constraint, rows: np.ndarray, need: int) -> list[Relaxation]:
        catalog = self.evaluator.catalog
        rated = rows[catalog.rated[rows]]
        value = self._kth(catalog.rating[rated].astype(float), need, largest=True)
        if value is None:
            return []
        bar = math.floor(value * 10) / 10
        if bar <= 0 or bar >= c.value:
            return []
        new = replace(c, value=bar)
        made = self._relaxation("widen", c, new, rows, f"Rated {bar:g}+ instead of {c.value:g}+", bar / c.value)
        return [made] if made else []

    def _replace_neighbourhood(self, c: Constraint, rows: np.ndarray, need: int) -> list[Relaxation]:
        distances = self.evaluator.neighbourhood_km(c.value, rows)
        value = self._kth(distances, need)
        if value is None:
            return []
        radius = math.ceil(value * 2) / 2
        old_radius = float(c.value[2]) if c.op == "within_km" else 2.0
        new = Constraint("neighbourhood", "within_km", (c.value[0], c.value[1], radius), c.strength, c.weight)
        text = f"Within {radius:g} km of {c.value[1]} instead of {old_radius:g} km"
        made = self._relaxation("widen", c, new, rows, text, old_radius / radius)
        return [made] if made else []

    def _replace_location(self, c: Constraint, rows: np.ndarray, need: int) -> list[Relaxation]:
        if isinstance(c.value, UnknownPlace):
            return self._replace_far_location(c, c.value, rows, need)
        catalog = self.evaluator.catalog
        counts = np.bincount(catalog.loc[rows], minlength=len(catalog.places.destinations))
        here = catalog.places.code_of[c.value]
        found = []
        for name, similarity in catalog.places.alternatives_to(c.value, float(self.settings["nearby_km"])):
            code = catalog.places.code_of[name]
            if counts[code] < need:
                continue
            km = catalog.places.distance_km[here, code]
            made = self._relaxation("substitute", c, replace(c, value=name), rows,
                                    f"Try {name} ({km:,.0f} km away)", similarity)
            if made:
                found.append(made)
            if len(found) == int(self.settings["max_substitutes"]):
                break
        return found

    def _replace_far_location(self, c: Constraint, far: UnknownPlace, rows: np.ndarray,
                              need: int) -> list[Relaxation]:
        """A place we hold no stays in: the nearest destinations with enough places, then the best-stocked one.

        The nearest are what a traveller bound for Nairobi can use ("Cape
        Town, 4,100 km away: 80 places"); the destination where most places
        fit the rest of the query is the one most like what was asked, when
        it is not among them. Nearer ones cost less, so they are offered first.
        """
        places = self.evaluator.catalog.places
        counts = np.bincount(self.evaluator.catalog.loc[rows], minlength=len(places.destinations))
        ranked = [(name, km) for name, km in places.nearest_to(far) if counts[places.code_of[name]] >= need]
        chosen = ranked[: int(self.settings["max_substitutes"])]
        if ranked:
            best = max(ranked, key=lambda item: counts[places.code_of[item[0]]])
            if best not in chosen:
                chosen.append(best)
        found = []
        for rank, (name, km) in enumerate(chosen):
            made = self._relaxation("substitute", c, replace(c, value=name), rows,
                                    f"{name}, {_distance(km)} away", 1.0 - 0.1 * rank)
            if made:
                found.append(replace(made, distance_km=float(round(km))))
        return found

    def _replace_amenities(self, c: Constraint, rows: np.ndarray, need: int) -> list[Relaxation]:
        threshold = float(self.settings["amenity_similarity_min"])
        options = sorted(self.knowledge.amenity_similarity.get(c.value, {}).items(), key=lambda kv: -kv[1])
        found = []
        for other, similarity in options:
            if similarity < threshold or any(x.attribute == "amenities" and x.value == other for x in self.query.hard):
                continue
            text = f"{self.wording.amenity(other).capitalize()} instead of {self.wording.amenity(c.value)}"
            made = self._relaxation("substitute", c, replace(c, value=other), rows, text, similarity)
            if made and made.matches >= need:
                found.append(made)
            if len(found) == int(self.settings["max_substitutes"]):
                break
        return found

    def _replace_property_type(self, c: Constraint, rows: np.ndarray, need: int) -> list[Relaxation]:
        threshold = float(self.settings["type_similarity_min"])
        scores: dict[str, float] = {}
        for wanted in c.value:
            for other, similarity in self.knowledge.type_similarity.get(wanted, {}).items():
                if other not in c.value and similarity >= threshold:
                    scores[other] = max(scores.get(other, 0.0), similarity)
        found = []
        for other, similarity in sorted(scores.items(), key=lambda kv: -kv[1]):
            instead, wanted = self.wording.types((other,)), self.wording.types(c.value)
            text = f"{article(instead).capitalize()} {instead} instead of {article(wanted)} {wanted}"
            made = self._relaxation("substitute", c, replace(c, value=(other,)), rows, text, similarity)
            if made and made.matches >= need:
                found.append(made)
            if len(found) == int(self.settings["max_substitutes"]):
                break
        return found

    # --- other dates, other stay lengths -------------------------------------------

    def _replace_stay(self, diagnosis: Diagnosis, need: int) -> list[Relaxation]:
        """Move the stay, or make it shorter or longer, re-costing it each time.

        Longer stays are tried too: a place with a three-night minimum is free
        for a traveller who can stay one more night.
        """
        stay = [c for c in diagnosis.hard if c.attribute in STAY_ATTRIBUTES]
        dates = next((c for c in stay if c.attribute == "dates"), None)
        nights = next((c for c in stay if c.attribute == "nights"), None)
        if dates is None and nights is None:
            return []
        bits = diagnosis.bits_of(stay)
        rows = diagnosis.rows_meeting_all_but(bits)
        if len(rows) < need:
            return []
        budget = next((c for c in stay if c.attribute == "total_price"), None)
        options: list[tuple[StayDates | None, int, str, float]] = []
        if dates is not None:
            current: StayDates = dates.value
            for shift in self.settings["date_shifts"]:
                moved = current.shifted(int(shift))
                options.append((moved, current.nights, f"Move the stay to {self.wording.dates(moved)}",
                                1.0 - abs(int(shift)) / 14))
            shortest = int(self.settings["min_stay_nights"])
            for change in [*range(-1, shortest - current.nights - 1, -1), 1, 2, 3]:
                other = StayDates(current.check_in, current.check_out + timedelta(days=change))
                options.append((other, other.nights,
                                f"Stay {other.nights} nights instead ({self.wording.dates(other)})",
                                min(other.nights, current.nights) / max(other.nights, current.nights)))
        elif nights is not None:
            n = int(nights.value)
            catalog = self.evaluator.catalog
            lengths = np.unique(np.concatenate([catalog.min_nights[rows], catalog.max_nights[rows]]))
            for length in sorted((int(x) for x in lengths if x != n and 0 < x <= 60), key=lambda x: abs(x - n))[:6]:
                options.append((None, length, f"Stay {length} nights instead of {n}", min(n, length) / max(n, length)))
        found: list[Relaxation] = []
        for new_dates, new_nights, text, closeness in options:
            made = self._stay_relaxation(stay, new_dates, new_nights, budget, rows, text, closeness)
            if made is not None and made.matches >= need:
                found.append(made)
        found.sort(key=lambda r: r.cost)
        return found[: int(self.settings["max_substitutes"])]

    def _stay_relaxation(self, stay: list[Constraint], new_dates: StayDates | None, new_nights: int,
                         budget: Constraint | None, rows: np.ndarray, text: str, closeness: float) -> Relaxation | None:
        if self.evaluator.availability is not None and new_dates is not None:
            try:
                self.evaluator.availability.span(new_dates)
            except InvalidValueError:
                return None
        added: list[Constraint] = []
        for c in stay:
            if c.attribute == "dates" and new_dates is not None:
                added.append(replace(c, value=new_dates, source="user", reason=""))
            elif c.attribute == "nights":
                added.append(replace(c, value=new_nights, source="user", reason=""))
            elif c.attribute == "total_price" and budget is not None:
                added.append(replace(c, source="user", reason=""))
        modified = replace(self.query, constraints=tuple(added))
        evaluator = QueryEvaluator(self.evaluator.catalog, self.knowledge, modified, self.evaluator.availability)
        ok = np.ones(len(rows), dtype=bool)
        for c in added:
            ok &= evaluator.mask(c, rows)
        matches = int(np.count_nonzero(ok))
        if matches == 0:
            return None
        anchor = next(c for c in stay if c.attribute in ("dates", "nights"))
        cost = (self.priority(anchor) + 1) * 0.55 * (1.0 + min(1.0, max(0.0, 1.0 - closeness)))
        return Relaxation("substitute" if new_dates else "widen", tuple(stay), tuple(added), matches,
                          f"{text}: {_places(matches)}", cost)

    # --- conflict ---------------------------------------------------------------------

    def conflict(self, diagnosis: Diagnosis, need: int) -> list[Constraint]:
        """A minimal set of constraints that together leave fewer than `need` places.

        QuickXPlain (Junker 2004) over the constraints in decreasing priority,
        so the conflict is phrased in what the traveller cares about most.
        """
        order = sorted(range(len(diagnosis.hard)), key=lambda i: -self.priority(diagnosis.hard[i]))
        if diagnosis.count_keeping(diagnosis.full) >= need:
            return []

        def fails(bits: int) -> bool:
            return diagnosis.count_keeping(bits) < need

        def bits(items: list[int]) -> int:
            return sum(1 << i for i in items)

        def quickxplain(background: int, delta: bool, items: list[int]) -> list[int]:
            if delta and fails(background):
                return []
            if len(items) == 1:
                return items
            half = len(items) // 2
            first, second = items[:half], items[half:]
            found_second = quickxplain(background | bits(first), bool(first), second)
            found_first = quickxplain(background | bits(found_second), bool(found_second), first)
            return found_first + found_second

        chosen = quickxplain(0, False, order) if order else []
        ranked = sorted(chosen, key=lambda i: order.index(i))
        return [diagnosis.hard[i] for i in ranked]

    # --- near misses ------------------------------------------------------------------

    def near_misses(self, diagnosis: Diagnosis, limit: int) -> list[Alternative]:
        """Places failing the fewest, mildest constraints, by content similarity."""
        if not diagnosis.hard or limit <= 0:
            return []
        location = self.query.find("location")
        if location is not None and isinstance(location.value, UnknownPlace):
            return []  # nothing is "close, but not quite" there: the substitutes name the nearest places
        popcount = _popcount(diagnosis.fails, len(diagnosis.hard))
        within_reach = self._within_reach(diagnosis.rows)
        candidates = np.zeros(0, dtype=np.int64)
        for misses in range(1, len(diagnosis.hard) + 1):
            candidates = np.flatnonzero((popcount >= 1) & (popcount <= misses) & within_reach)
            if len(candidates) >= limit:
                break
        if not len(candidates):
            return []
        if len(candidates) > 20_000:
            candidates = candidates[:20_000]
        rows = diagnosis.rows[candidates]
        weights = np.array([self.priority(c) + 1.0 for c in diagnosis.hard])
        severity = np.zeros(len(rows))
        for i, c in enumerate(diagnosis.hard):
            failing = (diagnosis.fails[candidates] >> i) & 1 == 1
            if failing.any():
                graded = np.zeros(len(rows))
                graded[failing] = self.evaluator.severity(c, rows[failing], self.similarity)
                severity += weights[i] * graded
        similarity = 1.0 - severity / weights.sum()
        score = similarity + 0.02 * self.evaluator.catalog.rating_score[rows] / 5.0
        best = np.argsort(-score, kind="stable")[:limit]
        alternatives = []
        for k in best:
            row = int(rows[k])
            failed = [c for i, c in enumerate(diagnosis.hard) if (int(diagnosis.fails[candidates[k]]) >> i) & 1]
            alternatives.append(Alternative(row, str(self.evaluator.catalog.ids[row]), float(similarity[k]),
                                            [self._miss(c, row) for c in failed]))
        return alternatives

    def _within_reach(self, rows: np.ndarray) -> np.ndarray:
        """Rows a traveller set on a place could still go to: that place, or one nearby.

        A flat on another continent is never "close, but not quite", however
        well it fits the rest. Without a place in the query, anywhere is in reach.
        """
        location = self.query.find("location")
        catalog = self.evaluator.catalog
        if location is None or not location.is_hard:
            return np.ones(len(rows), dtype=bool)
        places = catalog.places
        here = places.code_of[location.value]
        reach = float(self.settings["nearby_km"]) * 2
        near = (places.distance_km[here] <= reach) | np.array(
            [d.name in places.destinations[here].nearby for d in places.destinations])
        return near[catalog.loc[rows]]

    def _miss(self, c: Constraint, row: int) -> str:
        catalog = self.evaluator.catalog
        total = None
        distance = None
        if c.attribute == "total_price":
            total = float(self.evaluator.stay_total(np.array([row]))[0])
        if c.attribute == "location":
            distance = float(catalog.places.distance_km[catalog.places.code_of[c.value], catalog.loc[row]])
        if c.attribute == "neighbourhood":
            distance = float(self.evaluator.neighbourhood_km(c.value, np.array([row]))[0])
        return self.wording.missed(c, row, total, distance)


def _places(count: int) -> str:
    return counted(count, "place")


def _distance(km: float) -> str:
    """'4,100 km', '350 km', '12 km': as precise as a traveller needs it."""
    step = 100 if km >= 1000 else 10 if km >= 100 else 1
    return f"{round(km / step) * step:,.0f} km"


def _popcount(values: np.ndarray, bits: int) -> np.ndarray:
    """Failed constraints per property: one lookup in a table of every failure pattern."""
    return _popcount_table(bits)[values]


@cache
def _popcount_table(bits: int) -> np.ndarray:
    patterns = np.arange(1 << bits)
    table = np.zeros(1 << bits, dtype=np.int8)
    for i in range(bits):
        table += ((patterns >> i) & 1).astype(np.int8)
    return table
