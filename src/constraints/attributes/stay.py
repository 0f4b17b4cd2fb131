"""When: the stay's dates and its length, relaxed together with a budget for the stay."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import numpy as np

from ..knowledge import Knowledge
from ..query import Constraint, Query, Request, StayDates
from ..text import counted
from .base import Array, Evaluating, Likeness, Relaxing, Rows, Slots, StayOption, StayPart, Words, is_number

# a stay clears every slot of the stay: dates and length are one thing to the traveller
_NO_STAY: Slots = {"check_in": None, "check_out": None, "nights": None}


class Nights(StayPart):
    """A length of stay within each host's minimum and maximum."""

    name = "nights"
    ops = frozenset({"fits"})
    salience = 17
    sentence = 13
    numeric = True
    report_order = 13
    summary_order = 2.5
    request_order = 10

    def requested(self, r: Request) -> list[Constraint]:
        """The length of the stay: the dates', else the nights asked."""
        return [Constraint(self.name, "fits", int(r.stay_nights))] if r.stay_nights else []
    anchor = 1

    def mask(self, ev: Evaluating, c: Constraint, rows: Rows) -> Array:
        return np.asarray((ev.catalog.min_nights[rows] <= c.value) & (ev.catalog.max_nights[rows] >= c.value))

    def graded(self, ev: Evaluating, c: Constraint, rows: Array, similarity: Likeness) -> Array:
        cat = ev.catalog
        gap = np.maximum(cat.min_nights[rows] - c.value, c.value - cat.max_nights[rows])
        return np.asarray(gap / max(float(c.value), 1.0))

    def redundant(self, ev: Evaluating) -> bool:
        """With dates, "Free 4–11 Mar" already says the stay works."""
        return ev.dates is not None

    def value(self, w: Words, c: Constraint) -> str:
        return counted(c.value, "night")

    def noun(self, w: Words, c: Constraint) -> str:
        return f"a stay of {self.value(w, c)}"

    def met(self, w: Words, c: Constraint, row: int, stay_total: float | None) -> str:
        return f"Takes stays of {c.value} nights (minimum {w.catalog.min_nights[row]})"

    def missed(self, w: Words, c: Constraint, row: int, stay_total: float | None, km: float | None) -> str:
        low, high = w.catalog.min_nights[row], w.catalog.max_nights[row]
        return f"minimum stay {low} nights" if low > c.value else f"maximum stay {high} nights"

    def condition(self, w: Words, c: Constraint) -> str:
        return f"for {self.value(w, c)}"

    def described(self, value: Any, knowledge: Knowledge | None, currency: str | None) -> str:
        if not is_number(value):
            return super().described(value, knowledge, currency)
        return f"{value:g} nights"

    def summary(self, w: Words, q: Query, currency: str) -> str | None:
        """'7 nights', unless the dates say it."""
        found = q.find(self.name)
        return None if found is None or q.find(Dates.name) is not None else f"{int(found.value)} nights"

    def restayed(self, c: Constraint, dates: StayDates | None, nights: int) -> Constraint:
        return replace(c, value=nights)

    def stay_options(self, rx: Relaxing, c: Constraint, rows: Array) -> list[StayOption]:
        """The stay lengths the hosts of `rows` take, nearest first."""
        n = int(c.value)
        catalog = rx.evaluator.catalog
        lengths = np.unique(np.concatenate([catalog.min_nights[rows], catalog.max_nights[rows]]))
        return [(None, length, f"Stay {length} nights instead of {n}", min(n, length) / max(n, length))
                for length in sorted((int(x) for x in lengths if x != n and 0 < x <= 60), key=lambda x: abs(x - n))[:6]]

    def cleared(self, c: Constraint) -> Slots:
        return dict(_NO_STAY)

    def slots_for(self, c: Constraint) -> Slots:
        return {"nights": float(c.value)}


class Dates(StayPart):
    """Every night of the stay free in the calendar (always, without one)."""

    name = "dates"
    ops = frozenset({"available"})
    salience = 2
    sentence = 14
    report_order = 14
    summary_order = 2
    request_order = 9

    def requested(self, r: Request) -> list[Constraint]:
        return [] if r.dates is None else [Constraint(self.name, "available", r.dates)]
    anchor = 0

    def mask(self, ev: Evaluating, c: Constraint, rows: Rows) -> Array:
        if ev.availability is None:
            return np.ones(ev.catalog.ids[rows].shape, dtype=bool)
        return ev.availability.free(c.value, rows)

    def value(self, w: Words, c: Constraint) -> str:
        return w.dates(c.value)

    def noun(self, w: Words, c: Constraint) -> str:
        return f"the dates {self.value(w, c)}"

    def met(self, w: Words, c: Constraint, row: int, stay_total: float | None) -> str:
        return f"Free {w.dates(c.value)}"

    def missed(self, w: Words, c: Constraint, row: int, stay_total: float | None, km: float | None) -> str:
        return f"booked on some nights of {w.dates(c.value)}"

    def condition(self, w: Words, c: Constraint) -> str:
        return f"free {self.value(w, c)}"

    def described(self, value: Any, knowledge: Knowledge | None, currency: str | None) -> str:
        if not isinstance(value, dict):
            return super().described(value, knowledge, currency)
        return f"{value.get('check_in')} → {value.get('check_out')}"

    def summary(self, w: Words, q: Query, currency: str) -> str | None:
        found = q.find(self.name)
        return None if found is None else w.dates(found.value)

    def restayed(self, c: Constraint, dates: StayDates | None, nights: int) -> Constraint | None:
        return None if dates is None else replace(c, value=dates)

    def stay_options(self, rx: Relaxing, c: Constraint, rows: Array) -> list[StayOption]:
        """The same stay moved by engine.yml's shifts, then shorter (down to its minimum) and longer."""
        current: StayDates = c.value
        options: list[StayOption] = []
        for shift in rx.settings["date_shifts"]:
            moved = current.shifted(int(shift))
            options.append((moved, current.nights, f"Move the stay to {rx.wording.dates(moved)}",
                            1.0 - abs(int(shift)) / 14))
        shortest = int(rx.settings["min_stay_nights"])
        for change in [*range(-1, shortest - current.nights - 1, -1), 1, 2, 3]:
            other = replace(current, check_out=current.check_out + timedelta(days=change))
            options.append((other, other.nights,
                            f"Stay {other.nights} nights instead ({rx.wording.dates(other)})",
                            min(other.nights, current.nights) / max(other.nights, current.nights)))
        return options

    def cleared(self, c: Constraint) -> Slots:
        return dict(_NO_STAY)

    def forgotten(self) -> Slots:
        return dict(_NO_STAY)

    def slots_for(self, c: Constraint) -> Slots:
        v = c.value
        return {"check_in": v.check_in.isoformat(), "check_out": v.check_out.isoformat(), "nights": float(v.nights)}
