"""Money: a budget a night, a minimum a night, a budget for the whole stay.

Every amount is in the constraint's currency; the evaluator converts the
catalog's prices to it, so a mask is one comparison over a price column.
"""
from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np

from ..analyze_labels import money_label
from ..knowledge import Knowledge
from ..query import Constraint, Query, Request, StayDates
from .base import Array, Attribute, Evaluating, Likeness, Relaxing, Rows, Slots, StayPart, Words, is_number
from .repair import Relaxation


def _own_currency(w: Words, row: int) -> str:
    return str(w.catalog.text["currency"][row])


class PricePerNight(Attribute):
    """A budget a night: widened to the price that lets enough places in."""

    name = "price_per_night"
    ops = frozenset({"<="})
    salience = 10
    sentence = 8
    money = True
    numeric = True
    report_order = 9
    summary_order = 3
    request_order = 2
    measured_at = (50, 75, 100, 150, 200, 300)  # in each destination's own currency
    table_order = 4

    def requested(self, r: Request) -> list[Constraint]:
        """A budget; one for the stay stays a nightly one while the stay has no length."""
        if r.max_price is None or (r.budget_scope == "stay" and r.stay_nights):
            return []
        return [Constraint(self.name, "<=", float(r.max_price), currency=r.currency)]

    def mask(self, ev: Evaluating, c: Constraint, rows: Rows) -> Array:
        return np.asarray(ev.prices(c)[rows] <= c.value)

    def graded(self, ev: Evaluating, c: Constraint, rows: Array, similarity: Likeness) -> Array:
        return np.asarray((ev.prices(c)[rows] - c.value) / max(c.value, 1.0))

    def value(self, w: Words, c: Constraint) -> str:
        return f"{w.money(c.value, c.currency)} a night"

    def noun(self, w: Words, c: Constraint) -> str:
        return f"a budget of {self.value(w, c)}"

    def met(self, w: Words, c: Constraint, row: int, stay_total: float | None) -> str:
        price = w.catalog.price[row]
        under = c.value - w.catalog.price_in(c.currency or w.base)[row]
        return (f"{w.money(price, _own_currency(w, row))} a night, {w.money(under, c.currency)} under your "
                f"{w.money(c.value, c.currency)} budget")

    def missed(self, w: Words, c: Constraint, row: int, stay_total: float | None, km: float | None) -> str:
        own = w.money(w.catalog.price[row], _own_currency(w, row))
        return f"{own} a night, over your {w.money(c.value, c.currency)}"

    def condition(self, w: Words, c: Constraint) -> str:
        return f"under {self.value(w, c)}"

    def described(self, value: Any, knowledge: Knowledge | None, currency: str | None) -> str:
        if not is_number(value):
            return super().described(value, knowledge, currency)
        return f"≤ {money_label(value, knowledge, currency)} a night"

    def summary(self, w: Words, q: Query, currency: str) -> str | None:
        """'up to €150 a night'; 'for the stay' when the traveller meant the stay but gave no length of it."""
        found = q.find(self.name)
        if found is None:
            return None
        scope = "for the stay" if q.budget_scope == "stay" else "a night"
        return f"up to {w.money(found.value, currency)} {scope}"

    def replacements(self, rx: Relaxing, c: Constraint, rows: Array, need: int) -> list[Relaxation]:
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

    def forgotten(self) -> Slots:
        return {"budget": None, "budget_min": None, "budget_flexible": True}

    def priority_names(self) -> tuple[str, ...]:
        return (self.name, "total_price")

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
    report_order = 10
    request_order = 3

    def requested(self, r: Request) -> list[Constraint]:
        return [] if r.min_price is None else [Constraint(self.name, ">=", float(r.min_price), currency=r.currency)]

    def mask(self, ev: Evaluating, c: Constraint, rows: Rows) -> Array:
        return np.asarray(ev.prices(c)[rows] >= c.value)

    def graded(self, ev: Evaluating, c: Constraint, rows: Array, similarity: Likeness) -> Array:
        return np.asarray((c.value - ev.prices(c)[rows]) / max(c.value, 1.0))

    def value(self, w: Words, c: Constraint) -> str:
        return f"{w.money(c.value, c.currency)} a night"

    def noun(self, w: Words, c: Constraint) -> str:
        return f"a minimum of {self.value(w, c)}"

    def met(self, w: Words, c: Constraint, row: int, stay_total: float | None) -> str:
        return (f"{w.money(w.catalog.price[row], _own_currency(w, row))} a night, above your "
                f"{w.money(c.value, c.currency)} minimum")

    def missed(self, w: Words, c: Constraint, row: int, stay_total: float | None, km: float | None) -> str:
        return (f"{w.money(w.catalog.price[row], _own_currency(w, row))} a night, under your "
                f"{w.money(c.value, c.currency)} minimum")

    def condition(self, w: Words, c: Constraint) -> str:
        return f"from {self.value(w, c)}"

    def described(self, value: Any, knowledge: Knowledge | None, currency: str | None) -> str:
        if not is_number(value):
            return super().described(value, knowledge, currency)
        return f"≥ {money_label(value, knowledge, currency)} a night"

    def replacements(self, rx: Relaxing, c: Constraint, rows: Array, need: int) -> list[Relaxation]:
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
    report_order = 11
    summary_order = 3
    request_order = 2

    def requested(self, r: Request) -> list[Constraint]:
        """A budget for the stay, once the stay has a length."""
        if r.max_price is None or not (r.budget_scope == "stay" and r.stay_nights):
            return []
        return [Constraint(self.name, "<=", float(r.max_price), currency=r.currency)]

    def mask(self, ev: Evaluating, c: Constraint, rows: Rows) -> Array:
        return np.asarray(ev.stay_total_for(c, rows) <= c.value)

    def graded(self, ev: Evaluating, c: Constraint, rows: Array, similarity: Likeness) -> Array:
        return np.asarray((ev.stay_total_for(c, rows) - c.value) / max(c.value, 1.0))

    def value(self, w: Words, c: Constraint) -> str:
        return f"{w.money(c.value, c.currency)} for the stay"

    def noun(self, w: Words, c: Constraint) -> str:
        return f"a budget of {self.value(w, c)}"

    def met(self, w: Words, c: Constraint, row: int, stay_total: float | None) -> str:
        return (f"{w.money(stay_total or 0, _own_currency(w, row))} for the whole stay, within your "
                f"{w.money(c.value, c.currency)} budget for the stay")

    def missed(self, w: Words, c: Constraint, row: int, stay_total: float | None, km: float | None) -> str:
        return (f"{w.money(stay_total or 0, _own_currency(w, row))} for the stay, over your "
                f"{w.money(c.value, c.currency)}")

    def condition(self, w: Words, c: Constraint) -> str:
        return f"under {self.value(w, c)}"

    def described(self, value: Any, knowledge: Knowledge | None, currency: str | None) -> str:
        if not is_number(value):
            return super().described(value, knowledge, currency)
        return f"≤ {money_label(value, knowledge, currency)} for the stay"

    def summary(self, w: Words, q: Query, currency: str) -> str | None:
        found = q.find(self.name)
        return None if found is None else f"up to {w.money(found.value, currency)} for the stay"

    def restayed(self, c: Constraint, dates: StayDates | None, nights: int) -> Constraint:
        return c  # the same budget, for the other stay

    def cleared(self, c: Constraint) -> Slots:
        return {"budget": None, "budget_flexible": True}

    def slots_for(self, c: Constraint) -> Slots:
        return {"budget": float(c.value), "budget_scope": "stay", "budget_flexible": False}
