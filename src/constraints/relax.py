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
already satisfy everything else. For a place we hold no stays in, the same
transform of one histogram per destination says what each would take.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

import numpy as np

from . import attributes
from .attributes.base import Array, StayOption
from .attributes.place import elsewhere
from .attributes.repair import GivenUp
from .attributes.repair import Relaxation as Relaxation  # where the attributes build repairs; results import it here
from .errors import InvalidValueError
from .explain import Wording
from .masks import QueryEvaluator, Similarity
from .query import Constraint, StayDates
from .text import counted

MAX_HARD_CONSTRAINTS = 20


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
    rows: Array
    fails: Array
    satisfied_without: Array  # [R] = properties meeting every constraint not in R
    masks: list[Array] = field(repr=False)

    @property
    def full(self) -> int:
        return (1 << len(self.hard)) - 1

    def count_keeping(self, kept_bits: int) -> int:
        """How many properties satisfy every constraint in `kept_bits`."""
        return int(self.satisfied_without[self.full & ~kept_bits])

    def rows_meeting_all_but(self, bits: int) -> Array:
        return np.asarray(self.rows[(self.fails & np.asarray(self.full & ~bits, dtype=self.fails.dtype)) == 0])

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
    fails: Array = np.zeros(len(rows), dtype=dtype)
    masks = []
    for i, c in enumerate(hard):
        mask = evaluator.mask(c, everything)
        if keep is not None:
            mask = mask[keep]
        masks.append(mask)
        fails |= np.left_shift(~mask, i, dtype=dtype)
    histogram = np.bincount(fails, minlength=1 << len(hard)).astype(np.int64)
    return Diagnosis(hard, rows, fails, _subset_sums(histogram, len(hard)), masks)


def _subset_sums(histogram: Array, bits: int) -> Array:
    """f[R] = sum of histogram[m] over every m that is a subset of R (along the last axis)."""
    table = histogram.copy()
    for i in range(bits):
        view = table.reshape(*table.shape[:-1], -1, 2, 1 << i)
        view[..., 1, :] += view[..., 0, :]
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
        index = np.arange(1 << n)
        feasible = (table >= need) & self._priced_together(diagnosis, index)
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

    def _priced_together(self, diagnosis: Diagnosis, subsets: Array) -> Array:
        """Which sets of hard constraints (bit masks) may be given up together.

        A budget for the stay is priced for the stay asked: a drop that takes
        that stay away (its dates, else its length) takes the budget with it.
        """
        anchor = self._stay_anchor(diagnosis.hard)
        budget = diagnosis.bits_of(c for c in diagnosis.hard if _is_stay_budget(c))
        if anchor is None or not budget:
            return np.ones(len(subsets), dtype=bool)
        anchor_bit = diagnosis.bits_of([anchor])
        return np.asarray(((subsets & anchor_bit) == 0) | ((subsets & budget) == budget))

    def _stay_anchor(self, hard: list[Constraint]) -> Constraint | None:
        """The hard constraint a stay budget is priced with: the dates, else the nights.

        Of the query's parts of the stay, the one with the lowest anchor
        (dates before nights) prices the stay, hard or not.
        """
        anchors = [c for c in self.query.constraints if _anchor(c) is not None]
        if not anchors:
            return None
        pricing = min(anchors, key=lambda c: _anchor(c) or 0).attribute
        return next((c for c in hard if c.attribute == pricing), None)

    # --- a place elsewhere: what each destination would take -------------------------

    def given_up_by_destination(self, diagnosis: Diagnosis, place: int, need: int) -> list[GivenUp | None]:
        """For each destination (by code), the fewest, then mildest, constraints to give up there for `need` places.

        The query's place (bit `place`) is one we hold no stays in, so it
        fails everywhere. In a destination a property meets the rest of the
        query minus a set S exactly when its failure bitmask, the place left
        out, is a subset of S: the subset-sum transform that `drops` makes of
        the whole catalog's histogram, made here of one histogram per
        destination, counts every S in every destination at once. The first
        S with enough places, in order of size and then of priority, is the
        one given up there; a stay's budget goes with its dates as in
        `drops`, and only what the chat may give up is considered (never the
        party). None: not even giving all of that up leaves enough there.
        """
        hard = diagnosis.hard
        may = [i for i, c in enumerate(hard) if i != place and _may_give_up(c)]
        k = len(may)
        fails = diagnosis.fails.astype(np.int64) & ~(1 << place)
        inside = (fails & ~sum(1 << i for i in may)) == 0  # failing only what may be given up
        pattern = np.zeros(len(fails), dtype=np.int64)  # the failures in `may`'s own bits
        for j, i in enumerate(may):
            pattern |= ((fails >> i) & 1) << j
        catalog = self.evaluator.catalog
        destinations = len(catalog.places.destinations)
        codes = np.asarray(catalog.loc[diagnosis.rows], dtype=np.int64)
        histogram = np.bincount(codes[inside] * (1 << k) + pattern[inside], minlength=destinations << k)
        table = _subset_sums(histogram.reshape(destinations, 1 << k), k)
        subsets = np.arange(1 << k)
        original = np.zeros(1 << k, dtype=np.int64)  # each subset in the diagnosis's bits
        points = np.zeros(1 << k)
        for j, i in enumerate(may):
            chosen = (subsets >> j) & 1
            original |= chosen << i
            points += chosen * (self.priority(hard[i]) + 1)
        order = np.lexsort((points, _popcount_table(k)))
        order = order[self._priced_together(diagnosis, original[order])]
        enough = (table >= need)[:, order]
        first = order[np.argmax(enough, axis=1)]
        found: list[GivenUp | None] = []
        for code in range(destinations):
            if not enough[code].any():
                found.append(None)
                continue
            subset = int(first[code])
            removed = tuple(hard[i] for j, i in enumerate(may) if subset >> j & 1)
            here = inside & (codes == code) & ((pattern & ~subset) == 0)
            found.append(GivenUp(removed, " and ".join(self.wording.dropped(c) for c in removed),
                                 float(points[subset]), np.asarray(diagnosis.rows[here], dtype=np.int64)))
        return found

    # --- replacing one constraint ------------------------------------------------------

    def replacements(self, diagnosis: Diagnosis, need: int) -> list[Relaxation]:
        """Widenings and substitutions of single constraints, each counted exactly."""
        found: list[Relaxation] = []
        for i, c in enumerate(diagnosis.hard):
            attribute = attributes.of(c.attribute)
            if attribute.stay:
                continue
            if elsewhere(c.value):  # the nearest destinations, each with what it would take
                found.extend(attributes.LOCATION.far(self, c, self.given_up_by_destination(diagnosis, i, need)))
                continue
            rows = diagnosis.rows_meeting_all_but(1 << i)
            if len(rows) < need:
                continue
            found.extend(attribute.replacements(self, c, rows, need))
        found.extend(self._replace_stay(diagnosis, need))
        return found

    def relaxation(self, kind: str, old: Constraint, new: Constraint, rows: Array, text: str,
                   closeness: float) -> Relaxation | None:
        """`old` replaced by `new`, counted on `rows`; None when no row meets `new`."""
        matches = int(np.count_nonzero(self.evaluator.mask(new, rows)))
        if matches == 0:
            return None
        factor = 0.5 if kind == "widen" else 0.6
        cost = (self.priority(old) + 1) * factor * (1.0 + min(1.0, max(0.0, 1.0 - closeness)))
        return Relaxation(kind, (old,), (replace(new, source="user", reason=""),), matches,
                          f"{text}: {_places(matches)}", cost)

    @staticmethod
    def kth(values: Array, need: int, largest: bool = False) -> float | None:
        """The `need`-th smallest (or largest) value: what lets exactly enough rows in."""
        values = values[~np.isnan(values)]
        if len(values) < need:
            return None
        if largest:
            return float(-np.partition(-values, need - 1)[need - 1])
        return float(np.partition(values, need - 1)[need - 1])

    # --- other dates, other stay lengths -------------------------------------------

    def _replace_stay(self, diagnosis: Diagnosis, need: int) -> list[Relaxation]:
        """Move the stay, or make it shorter or longer, re-costing it each time.

        Longer stays are tried too: a place with a three-night minimum is free
        for a traveller who can stay one more night.
        """
        stay = [c for c in diagnosis.hard if attributes.of(c.attribute).stay]
        anchors = [c for c in stay if _anchor(c) is not None]
        if not anchors:
            return []
        bits = diagnosis.bits_of(stay)
        rows = diagnosis.rows_meeting_all_but(bits)
        if len(rows) < need:
            return []
        anchor = min(anchors, key=lambda c: _anchor(c) or 0)
        part = attributes.stay_part(anchor.attribute)
        options: list[StayOption] = part.stay_options(self, anchor, rows) if part is not None else []
        found: list[Relaxation] = []
        for new_dates, new_nights, text, closeness in options:
            made = self._stay_relaxation(stay, new_dates, new_nights, rows, text, closeness)
            if made is not None and made.matches >= need:
                found.append(made)
        found.sort(key=lambda r: r.cost)
        return found[: int(self.settings["max_substitutes"])]

    def _stay_relaxation(self, stay: list[Constraint], new_dates: StayDates | None, new_nights: int,
                         rows: Array, text: str, closeness: float) -> Relaxation | None:
        if self.evaluator.availability is not None and new_dates is not None:
            try:
                self.evaluator.availability.span(new_dates)
            except InvalidValueError:
                return None
        added: list[Constraint] = []
        for c in stay:
            part = attributes.stay_part(c.attribute)
            moved = part.restayed(c, new_dates, new_nights) if part is not None else None
            if moved is not None:
                added.append(replace(moved, source="user", reason=""))
        modified = replace(self.query, constraints=tuple(added))
        evaluator = QueryEvaluator(self.evaluator.catalog, self.knowledge, modified, self.evaluator.availability)
        ok = np.ones(len(rows), dtype=bool)
        for c in added:
            ok &= evaluator.mask(c, rows)
        matches = int(np.count_nonzero(ok))
        if matches == 0:
            return None
        anchor = next(c for c in stay if _anchor(c) is not None)
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
        location = self.query.find(attributes.LOCATION.name)
        if location is not None and elsewhere(location.value):
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

    def _within_reach(self, rows: Array) -> Array:
        """Rows a traveller set on a place could still go to: that place, or one nearby.

        A flat on another continent is never "close, but not quite", however
        well it fits the rest. Without a place in the query, anywhere is in reach.
        """
        location = self.query.find(attributes.LOCATION.name)
        catalog = self.evaluator.catalog
        if location is None or not location.is_hard:
            return np.ones(len(rows), dtype=bool)
        places = catalog.places
        here = places.code_of[location.value]
        reach = float(self.settings["nearby_km"]) * 2
        near = (places.distance_km[here] <= reach) | np.array(
            [d.name in places.destinations[here].nearby for d in places.destinations])
        return np.asarray(near[catalog.loc[rows]])

    def _miss(self, c: Constraint, row: int) -> str:
        one = np.array([row])
        total = float(self.evaluator.stay_total(one)[0]) if self.evaluator.nights else None
        km = self.evaluator.km(c, one)
        return self.wording.missed(c, row, total, None if km is None else float(km[0]))


def _anchor(c: Constraint) -> int | None:
    """Where `c` comes among the parts of the stay that price it (None: it prices nothing)."""
    part = attributes.stay_part(c.attribute)
    return None if part is None else part.anchor


def _may_give_up(c: Constraint) -> bool:
    """Whether a repair may give `c` up: the chat offers dropping it (not the place, not the party)."""
    attribute = attributes.of(c.attribute)
    return attribute.offered_dropped and not attribute.kept_by_chat


def _is_stay_budget(c: Constraint) -> bool:
    """A part of the stay priced with it (a budget for the stay), not one that prices it."""
    part = attributes.stay_part(c.attribute)
    return part is not None and part.anchor is None


def _places(count: int) -> str:
    return counted(count, "place")


def _popcount(values: Array, bits: int) -> Array:
    """Failed constraints per property: one lookup in a table of every failure pattern."""
    return np.asarray(_popcount_table(bits)[values])


@cache
def _popcount_table(bits: int) -> Array:
    patterns = np.arange(1 << bits)
    table = np.zeros(1 << bits, dtype=np.int8)
    for i in range(bits):
        table += ((patterns >> i) & 1).astype(np.int8)
    return table
