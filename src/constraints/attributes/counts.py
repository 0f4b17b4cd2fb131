"""Sizes: how many a place sleeps, and its bedrooms, beds and bathrooms."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from ..knowledge import Knowledge
from ..query import Constraint, Query, Request
from ..text import counted
from .base import Array, Attribute, Evaluating, Likeness, Relaxing, Rows, Slots, Words, is_number
from .repair import Relaxation


class AtLeast(Attribute):
    """At least so many of something a catalog column counts; `slot` is the chat's, if it has one."""

    ops = frozenset({">="})
    numeric = True

    def __init__(self, name: str, salience: float, sentence: float, slot: str | None, report_order: float,
                 measured_at: tuple[float, ...] = (), table_order: float = 0.0, request_order: float = 0.0) -> None:
        self.name = name  # one class, one instance per counted column
        self.salience = salience
        self.sentence = sentence
        self.slot = slot
        self.report_order = report_order
        self.measured_at = measured_at
        self.table_order = table_order
        self.request_order = request_order

    def requested(self, r: Request) -> list[Constraint]:
        """The request's keyword of the same name, where it has one (bedrooms)."""
        wanted = getattr(r, self.name, None)
        return [] if wanted is None else [Constraint(self.name, ">=", int(wanted))]

    def column(self, ev: Evaluating | Words) -> Array:
        return np.asarray(getattr(ev.catalog, self.name))

    def mask(self, ev: Evaluating, c: Constraint, rows: Rows) -> Array:
        return np.asarray(self.column(ev)[rows] >= c.value)

    def graded(self, ev: Evaluating, c: Constraint, rows: Array, similarity: Likeness) -> Array:
        return np.asarray((c.value - self.column(ev)[rows].astype(float)) / max(float(c.value), 1.0))

    def _noun(self, count: float) -> str:
        return self.name if count != 1 else self.name[:-1]

    def value(self, w: Words, c: Constraint) -> str:
        return f"{c.value:g} {self._noun(c.value)}"

    def noun(self, w: Words, c: Constraint) -> str:
        return f"at least {self.value(w, c)}"

    def met(self, w: Words, c: Constraint, row: int, stay_total: float | None) -> str:
        have = self.column(w)[row]
        return f"{have:g} {self._noun(have)}" + (f" (at least {c.value:g} needed)" if have != c.value else "")

    def missed(self, w: Words, c: Constraint, row: int, stay_total: float | None, km: float | None) -> str:
        return f"{self.column(w)[row]:g} {self.name}, not {c.value:g}"

    def condition(self, w: Words, c: Constraint) -> str:
        return f"with at least {self.value(w, c)}"

    def described(self, value: Any, knowledge: Knowledge | None, currency: str | None) -> str:
        if not is_number(value):
            return super().described(value, knowledge, currency)
        return f"{self.name} ≥ {value:g}"

    def replacements(self, rx: Relaxing, c: Constraint, rows: Array, need: int) -> list[Relaxation]:
        value = rx.kth(self.column(rx.evaluator)[rows].astype(float), need, largest=True)
        if value is None or value <= 0 or value >= c.value:
            return []
        new = replace(c, value=int(value) if float(value).is_integer() else value)
        text = f"{rx.wording.value(new).capitalize()} instead of {rx.wording.value(c)}"
        made = rx.relaxation("widen", c, new, rows, text, value / c.value)
        return [made] if made else []

    def cleared(self, c: Constraint) -> Slots:
        return {self.slot: None} if self.slot else {}

    def forgotten(self) -> Slots:
        return {self.slot: None} if self.slot else {}

    def slots_for(self, c: Constraint) -> Slots:
        return {self.slot: float(c.value)} if self.slot else {}


class Accommodates(Attribute):
    """Room for the party: never widened (a place for four does not sleep five)."""

    name = "accommodates"
    ops = frozenset({">="})
    salience = 16
    sentence = 4
    numeric = True
    report_order = 5
    summary_order = 1
    request_order = 4
    measured_at = (2, 4, 6, 8, 10, 12)
    table_order = 3
    offered_dropped = False  # "fewer of you" is not a repair
    kept_by_chat = True

    def requested(self, r: Request) -> list[Constraint]:
        return [] if r.guests is None else [Constraint(self.name, ">=", int(r.guests))]

    def mask(self, ev: Evaluating, c: Constraint, rows: Rows) -> Array:
        return np.asarray(ev.catalog.accommodates[rows] >= c.value)

    def graded(self, ev: Evaluating, c: Constraint, rows: Array, similarity: Likeness) -> Array:
        return np.asarray((c.value - ev.catalog.accommodates[rows].astype(float)) / max(float(c.value), 1.0))

    def value(self, w: Words, c: Constraint) -> str:
        return f"{c.value} guests"

    def noun(self, w: Words, c: Constraint) -> str:
        return f"room for {self.value(w, c)}"

    def met(self, w: Words, c: Constraint, row: int, stay_total: float | None) -> str:
        return f"Sleeps {w.catalog.accommodates[row]} (you are {c.value})"

    def missed(self, w: Words, c: Constraint, row: int, stay_total: float | None, km: float | None) -> str:
        return f"sleeps {w.catalog.accommodates[row]}, not {c.value}"

    def condition(self, w: Words, c: Constraint) -> str:
        return f"for {self.value(w, c)}"

    def described(self, value: Any, knowledge: Knowledge | None, currency: str | None) -> str:
        if not is_number(value):
            return super().described(value, knowledge, currency)
        return f"sleeps ≥ {value:g}"

    def summary(self, w: Words, q: Query, currency: str) -> str | None:
        found = q.find(self.name)
        return None if found is None else f"for {counted(int(found.value), 'guest')}"

    def cleared(self, c: Constraint) -> Slots:
        return {"guests": None}

    def slots_for(self, c: Constraint) -> Slots:
        return {"guests": float(c.value)}
