"""Money: a budget a night, a minimum a night, a budget for the whole stay.

Every amount is in the constraint's currency; the evaluator converts the
catalog's prices to it, so a mask is one comparison over a price column.
"""
from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from .base import Attribute, Rows, Slots, StayPart

if TYPE_CHECKING:
    from ..explain import Wording
    from ..masks import QueryEvaluator, Similarity
    from ..query import Constraint, StayDates
    from ..relax import Relaxation, Relaxer


def _own_currency(w: Wording, row: int) -> str:
    return str(w.catalog.text["currency"][row])


class PricePerNight(Attribute):
    """A budget a night: widened to the price that lets enough places in."""

    name = "price_per_night"
    ops = frozenset({"<="})
    salience = 10
    sentence = 8
    money = True
    numeric = True

    def mask(self, ev: QueryEvaluator, c: Constraint, rows: Rows) -> np.ndarray:
        return np.asarray(ev.prices(c)[rows] <= c.value)

    def graded(self, ev: QueryEvaluator, c: Constraint, rows: np.ndarray, similarity: Similarity) -> np.ndarray:
        return np.asarray((ev.prices(c)[rows] - c.value) / max(c.value, 1.0))

    def value(self, w: Wording, c: Constraint) -> str:
        return f"{w.money(c.value, c.currency)} a night"

    def noun(self, w: Wording, c: Constraint) -> str:
        return f"a budget of {self.value(w, c)}"

    def met(self, w: Wording, c: Constraint, row: int, stay_total: float | None) -> str:
        price = w.catalog.price[row]
        under = c.value - w.catalog.price_in(c.currency or w.base)[row]
        return (f"{w.money(price, _own_currency(w, row))} a night, {w.money(under, c.currency)} under your "
                f"{w.money(c.value, c.currency)} budget")

    def missed(self, w: Wording, c: Constraint, row: int, stay_total: float | None, km: float | None) -> str:
        return f"{w.money(w.catalog.price[row], _own_currency(w, row))} a night, over your {w.money(c.value, c.currency)}"

    def condition(self, w: Wording, c: Constraint) -> str:
        return f"under {self.value(w, c)}"

    def replacements(self, rx: Relaxer, c: Constraint, rows: np.ndarray, need: int) -> list[Relaxation]:
        value = rx.kth(rx.evaluator.prices(c)[rows], need)
        if value is None:
            return []
        step = float(rx.settings["budget_step"])
        budget = math.ceil(value / step) * step
        new = replace(c, value=float(budget))
        text = f"Raise the budget to {rx.wording.money(budget, c.currency)} a night"
        made = rx.relaxation("widen", c, new, rows, text, c.value / budget)
        return [made] if made else []

    def cleared(self, c: Constraint) -> Slots:
        return {"budget": None, "budget_flexible": True}

    def slots_for(self, c: Constraint) -> Slots:
        return {"budget": float(c.value), "budget_scope": "night", "budget_flexible": False}


class MinPrice(Attribute):
    """A lowest nightly price: lowered to the price that lets enough places in."""

    name = "min_price"
    ops = frozenset({">="})
    salience = 11
    sentence = 9
    money = True
    numeric = True

    def mask(self, ev: QueryEvaluator, c: Constraint, rows: Rows) -> np.ndarray:
        return np.asarray(ev.prices(c)[rows] >= c.value)

    def graded(self, ev: QueryEvaluator, c: Constraint, rows: np.ndarray, similarity: Similarity) -> np.ndarray:
        return np.asarray((c.value - ev.prices(c)[rows]) / max(c.value, 1.0))

    def value(self, w: Wording, c: Constraint) -> str:
        return f"{w.money(c.value, c.currency)} a night"

    def noun(self, w: Wording, c: Constraint) -> str:
        return f"a minimum of {self.value(w, c)}"

    def met(self, w: Wording, c: Constraint, row: int, stay_total: float | None) -> str:
        return (f"{w.money(w.catalog.price[row], _own_currency(w, row))} a night, above your "
                f"{w.money(c.value, c.currency)} minimum")

    def missed(self, w: Wording, c: Constraint, row: int, stay_total: float | None, km: float | None) -> str:
        return (f"{w.money(w.catalog.price[row], _own_currency(w, row))} a night, under your "
                f"{w.money(c.value, c.currency)} minimum")

    def condition(self, w: Wording, c: Constraint) -> str:
        return f"from {self.value(w, c)}"

    def replacements(self, rx: Relaxer, c: Constraint, rows: np.ndarray, need: int) -> list[Relaxation]:
        value = rx.kth(rx.evaluator.prices(c)[rows], need, largest=True)
        if value is None:
            return []
        step = float(rx.settings["budget_step"])
        floor = math.floor(value / step) * step
        if floor <= 0:
            return []
        new = replace(c, value=float(floor))
        made = rx.relaxation("widen", c, new, rows,
                             f"Lower the minimum to {rx.wording.money(floor, c.currency)} a night",
                             floor / c.value)
        return [made] if made else []

    def cleared(self, c: Constraint) -> Slots:
        return {"budget_min": None}

    def slots_for(self, c: Constraint) -> Slots:
        return {"budget_min": float(c.value)}


class TotalPrice(StayPart):
    """A budget for the whole stay: priced for the stay asked, so it moves with the stay."""

    name = "total_price"
    ops = frozenset({"<="})
    salience = 8
    sentence = 10
    money = True
    numeric = True

    def mask(self, ev: QueryEvaluator, c: Constraint, rows: Rows) -> np.ndarray:
        return np.asarray(ev.stay_total_for(c, rows) <= c.value)

    def graded(self, ev: QueryEvaluator, c: Constraint, rows: np.ndarray, similarity: Similarity) -> np.ndarray:
        return np.asarray((ev.stay_total_for(c, rows) - c.value) / max(c.value, 1.0))

    def value(self, w: Wording, c: Constraint) -> str:
        return f"{w.money(c.value, c.currency)} for the stay"

    def noun(self, w: Wording, c: Constraint) -> str:
        return f"a budget of {self.value(w, c)}"

    def met(self, w: Wording, c: Constraint, row: int, stay_total: float | None) -> str:
        return (f"{w.money(stay_total or 0, _own_currency(w, row))} for the whole stay, within your "
                f"{w.money(c.value, c.currency)} budget for the stay")

    def missed(self, w: Wording, c: Constraint, row: int, stay_total: float | None, km: float | None) -> str:
        return (f"{w.money(stay_total or 0, _own_currency(w, row))} for the stay, over your "
                f"{w.money(c.value, c.currency)}")

    def condition(self, w: Wording, c: Constraint) -> str:
        return f"under {self.value(w, c)}"

    def restayed(self, c: Constraint, dates: StayDates | None, nights: int) -> Constraint:
        return c  # the same budget, for the other stay

    def cleared(self, c: Constraint) -> Slots:
        return {"budget": None, "budget_flexible": True}

    def slots_for(self, c: Constraint) -> Slots:
        return {"budget": float(c.value), "budget_scope": "stay", "budget_flexible": False}
