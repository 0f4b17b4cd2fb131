"""Sizes: how many a place sleeps, and its bedrooms, beds and bathrooms."""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from .base import Attribute, Rows, Slots

if TYPE_CHECKING:
    from ..explain import Wording
    from ..masks import QueryEvaluator, Similarity
    from ..query import Constraint
    from ..relax import Relaxation, Relaxer


class AtLeast(Attribute):
    """At least so many of something a catalog column counts; `slot` is the chat's, if it has one."""

    ops = frozenset({">="})
    numeric = True

    def __init__(self, name: str, salience: float, sentence: float, slot: str | None) -> None:
        self.name = name  # one class, one instance per counted column
        self.salience = salience
        self.sentence = sentence
        self.slot = slot

    def column(self, ev: QueryEvaluator | Wording) -> np.ndarray:
        return np.asarray(getattr(ev.catalog, self.name))

    def mask(self, ev: QueryEvaluator, c: Constraint, rows: Rows) -> np.ndarray:
        return np.asarray(self.column(ev)[rows] >= c.value)

    def graded(self, ev: QueryEvaluator, c: Constraint, rows: np.ndarray, similarity: Similarity) -> np.ndarray:
        return (c.value - self.column(ev)[rows].astype(float)) / max(float(c.value), 1.0)

    def _noun(self, count: float) -> str:
        return self.name if count != 1 else self.name[:-1]

    def value(self, w: Wording, c: Constraint) -> str:
        return f"{c.value:g} {self._noun(c.value)}"

    def noun(self, w: Wording, c: Constraint) -> str:
        return f"at least {self.value(w, c)}"

    def met(self, w: Wording, c: Constraint, row: int, stay_total: float | None) -> str:
        have = self.column(w)[row]
        return f"{have:g} {self._noun(have)}" + (f" (at least {c.value:g} needed)" if have != c.value else "")

    def missed(self, w: Wording, c: Constraint, row: int, stay_total: float | None, km: float | None) -> str:
        return f"{self.column(w)[row]:g} {self.name}, not {c.value:g}"

    def condition(self, w: Wording, c: Constraint) -> str:
        return f"with at least {self.value(w, c)}"

    def replacements(self, rx: Relaxer, c: Constraint, rows: np.ndarray, need: int) -> list[Relaxation]:
        value = rx.kth(self.column(rx.evaluator)[rows].astype(float), need, largest=True)
        if value is None or value <= 0 or value >= c.value:
            return []
        new = replace(c, value=int(value) if float(value).is_integer() else value)
        text = f"{rx.wording.value(new).capitalize()} instead of {rx.wording.value(c)}"
        made = rx.relaxation("widen", c, new, rows, text, value / c.value)
        return [made] if made else []

    def cleared(self, c: Constraint) -> Slots:
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

    def mask(self, ev: QueryEvaluator, c: Constraint, rows: Rows) -> np.ndarray:
        return np.asarray(ev.catalog.accommodates[rows] >= c.value)

    def graded(self, ev: QueryEvaluator, c: Constraint, rows: np.ndarray, similarity: Similarity) -> np.ndarray:
        return (c.value - ev.catalog.accommodates[rows].astype(float)) / max(float(c.value), 1.0)

    def value(self, w: Wording, c: Constraint) -> str:
        return f"{c.value} guests"

    def noun(self, w: Wording, c: Constraint) -> str:
        return f"room for {self.value(w, c)}"

    def met(self, w: Wording, c: Constraint, row: int, stay_total: float | None) -> str:
        return f"Sleeps {w.catalog.accommodates[row]} (you are {c.value})"

    def missed(self, w: Wording, c: Constraint, row: int, stay_total: float | None, km: float | None) -> str:
        return f"sleeps {w.catalog.accommodates[row]}, not {c.value}"

    def condition(self, w: Wording, c: Constraint) -> str:
        return f"for {self.value(w, c)}"

    def cleared(self, c: Constraint) -> Slots:
        return {"guests": None}

    def slots_for(self, c: Constraint) -> Slots:
        return {"guests": float(c.value)}
