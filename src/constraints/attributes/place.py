"""Where: the destination, and a neighbourhood of it to be near."""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from ..errors import UnknownValueError
from ..geo import haversine_km
from ..knowledge import Knowledge
from ..normalise import Normaliser
from ..places import UnknownPlace
from ..query import SOFT, Constraint, Query, Request
from .base import Array, Attribute, Checking, Evaluating, Likeness, Relaxing, Rows, Slots, Words, is_number
from .repair import GivenUp, Relaxation


def elsewhere(value: object) -> bool:
    """A place on earth the catalog holds no stays in (an UnknownPlace), not a destination."""
    return isinstance(value, UnknownPlace)


class Location(Attribute):
    """The destination: an integer comparison on the catalog's place codes."""

    name = "location"
    ops = frozenset({"eq"})
    salience = 18
    sentence = 2
    report_order = 0
    summary_order = 0
    request_order = 0
    offered_dropped = False  # "anywhere in the world" is not a repair

    def offer_key(self, c: Constraint, added: tuple[Constraint, ...], every_place: bool) -> str:
        """With no stays where the traveller is going, each nearby destination is an offer of its own."""
        if every_place and added:
            return f"{self.name}:{added[0].value}"
        return self.name

    def requested(self, r: Request) -> list[Constraint]:
        return [Constraint(self.name, "eq", r.location)] if r.location else []

    @staticmethod
    def code(ev: Evaluating, name: str) -> int:
        """The destination's code; -1 for a place elsewhere on earth, where no property is."""
        code = ev.catalog.places.code_of.get(name)
        if code is None:
            if elsewhere(name):
                return -1
            raise UnknownValueError("location", name, [])
        return code

    def mask(self, ev: Evaluating, c: Constraint, rows: Rows) -> Array:
        return np.asarray(ev.catalog.loc[rows] == self.code(ev, c.value))

    def graded(self, ev: Evaluating, c: Constraint, rows: Array, similarity: Likeness) -> Array:
        return 1.0 - similarity.location_row(c.value, ev.catalog.loc[rows])

    def km(self, ev: Evaluating, c: Constraint, rows: Rows) -> Array:
        places = ev.catalog.places
        return np.asarray(places.distance_km[places.code_of[c.value], ev.catalog.loc[rows]], dtype=float)

    def check(self, engine: Checking, c: Constraint) -> None:
        if c.value not in engine.catalog.places.code_of and not elsewhere(c.value):
            raise UnknownValueError("location", str(c.value), engine.normaliser.locations.suggestions(str(c.value)))

    def met(self, w: Words, c: Constraint, row: int, stay_total: float | None) -> str:
        nb = w.catalog.text["neighbourhood"][row]
        return f"In {c.value}" + (f", {nb}" if nb else "")

    def missed(self, w: Words, c: Constraint, row: int, stay_total: float | None, km: float | None) -> str:
        where = w.catalog.text["location"][row]
        return f"in {where}" + (f", {km:.0f} km from {c.value}" if km is not None else "")

    def condition(self, w: Words, c: Constraint) -> str:
        return f"in {self.value(w, c)}"

    def dropped(self, w: Words, c: Constraint) -> str:
        return f"limiting the search to {c.value}"

    def summary(self, w: Words, q: Query, currency: str) -> str | None:
        """'in Lisbon', or 'in Alfama, Lisbon' with a neighbourhood to be near."""
        found = q.find(self.name)
        if found is None:
            return None
        near = q.find(Neighbourhood.name)
        return f"in {near.value[1]}, {found.value}" if near is not None else f"in {found.value}"

    def described(self, value: Any, knowledge: Knowledge | None, currency: str | None) -> str:
        return str(value)

    def replacements(self, rx: Relaxing, c: Constraint, rows: Array, need: int) -> list[Relaxation]:
        """The town next door; for a place elsewhere the relaxer asks `far`, with what each destination takes."""
        catalog = rx.evaluator.catalog
        counts = np.bincount(catalog.loc[rows], minlength=len(catalog.places.destinations))
        here = catalog.places.code_of[c.value]
        found = []
        for name, similarity in catalog.places.alternatives_to(c.value, float(rx.settings["nearby_km"])):
            code = catalog.places.code_of[name]
            if counts[code] < need:
                continue
            km = catalog.places.distance_km[here, code]
            made = rx.relaxation("substitute", c, replace(c, value=name), rows,
                                 f"Try {name} ({km:,.0f} km away)", similarity)
            if made:
                found.append(made)
            if len(found) == int(rx.settings["max_substitutes"]):
                break
        return found

    @staticmethod
    def far(rx: Relaxing, c: Constraint, there: Sequence[GivenUp | None]) -> list[Relaxation]:
        """A place we hold no stays in: the nearest destinations, each with what it would take, and the best-stocked.

        `there` is, for each destination, what the rest of the search must
        give up there to have enough places (nothing when it fits as asked;
        None when even giving up all it may is not enough). A traveller bound
        for Nairobi can use "Cape Town, 4,100 km away: 80 places", and one
        bound for London wants "Paris, 340 km away, without a house: 23
        places" rather than South Africa with one. None is offered further
        than engine.yml's `far_reach` from the nearest destination that can
        be ([3, 1000]: 3 times its distance plus 1,000 km). Of the rest, the
        `max_substitutes` cheapest are offered, and beside them the one where
        most places fit the rest as asked, when it is not among them.

        Cost rule: a repair is as far as the km it goes beyond that nearest
        destination, measured in `nearest_to` order (so a country's
        own destinations are never further than one after them), plus
        engine.yml's `far_km_per_point` for each point of what it gives up
        there (each constraint's priority + 1, as a drop is costed: with 200,
        a house is 3 points, 600 km; the dates 9 points, 1,800 km). Its
        closeness is exp(-far / `far_scale_km`), the relaxer's usual cost of a
        substitute. So a
        destination that fits costs less than one as near that needs a drop,
        and that one less than one that fits 5,000 km further; ties keep the
        `nearest_to` order.
        """
        places = rx.evaluator.catalog.places
        times, plus_km = (float(x) for x in rx.settings["far_reach"])
        per_point, scale = float(rx.settings["far_km_per_point"]), float(rx.settings["far_scale_km"])
        ahead: list[tuple[str, float, float, GivenUp]] = []  # name, km, km in nearest_to order, what it takes
        in_order = 0.0
        for name, km in places.nearest_to(c.value):
            in_order = max(in_order, km)
            option = there[places.code_of[name]]
            if option is not None:
                ahead.append((name, km, in_order, option))
        if not ahead:
            return []
        _, nearest_km, nearest, _ = ahead[0]
        reach = times * nearest_km + plus_km
        options = sorted(((in_order - nearest + per_point * option.points, name, km, option)
                          for name, km, in_order, option in ahead if km <= reach),
                         key=lambda o: o[0])  # stable: in nearest_to order where as far
        chosen = options[: int(rx.settings["max_substitutes"])]
        fitting = [o for o in options if not o[3].removed]
        if fitting:
            best = max(fitting, key=lambda o: len(o[3].rows))
            if best[1] not in {o[1] for o in chosen}:
                chosen.append(best)
        found = []
        for far, name, km, option in chosen:
            text = f"{name}, {_distance(km)} away" + (f", without {option.phrase}" if option.removed else "")
            made = rx.relaxation("substitute", c, replace(c, value=name), option.rows, text,
                                 math.exp(-far / scale))
            if made:
                found.append(replace(made, removed=(c, *option.removed), distance_km=float(round(km))))
        return found

    def read_again(self, c: Constraint, normaliser: Normaliser) -> Constraint:
        """"Nairobi, Kenya" back into that place, "Sydney, Australia" into Sydney (UnknownValueError: nowhere)."""
        if isinstance(c.value, UnknownPlace) or c.value in normaliser.locations:
            return c
        return replace(c, value=normaliser.location(str(c.value)).value)

    def cleared(self, c: Constraint) -> Slots:
        return {"location": None}

    def slots_for(self, c: Constraint) -> Slots:
        return {"location": c.value, "neighbourhood": None, "near_km": None}


def _distance(km: float) -> str:
    """'4,100 km', '350 km', '12 km': as precise as a traveller needs it."""
    step = 100 if km >= 1000 else 10 if km >= 100 else 1
    return f"{round(km / step) * step:,.0f} km"


def near_km(knowledge: Knowledge) -> float:
    """How close 'near a neighbourhood' is when the traveller gives no radius (engine.yml)."""
    return float(knowledge.setting("distances", "near_neighbourhood_km"))


def widened_km(knowledge: Knowledge, km: float) -> float:
    """A radius that takes in `km`, rounded up to engine.yml's step so it reads well."""
    step = float(knowledge.setting("distances", "widen_step_km"))
    return math.ceil(km / step) * step


class Neighbourhood(Attribute):
    """Being near a neighbourhood of the destination: within a radius of its point."""

    name = "neighbourhood"
    ops = frozenset({"near", "within_km"})
    salience = 5
    sentence = 3
    report_order = 1
    request_order = 1
    tied_to_place = True  # a neighbourhood belongs to its destination
    ranks_by_distance = True

    def requested(self, r: Request) -> list[Constraint]:
        """A neighbourhood, given as (destination, name), is a preference to be near."""
        return [Constraint(self.name, "near", tuple(r.neighbourhood), strength=SOFT)] if r.neighbourhood else []

    @staticmethod
    def radius(knowledge: Knowledge, c: Constraint) -> float:
        return float(c.value[2]) if c.op == "within_km" else near_km(knowledge)

    def km(self, ev: Evaluating, c: Constraint, rows: Rows) -> Array:
        destination, name = c.value[0], c.value[1]
        found = ev.catalog.places.neighbourhood(destination, name)
        if found is None:
            raise UnknownValueError("neighbourhood", name, [])
        return haversine_km(ev.catalog.lat[rows], ev.catalog.lon[rows], found.latitude, found.longitude)

    def mask(self, ev: Evaluating, c: Constraint, rows: Rows) -> Array:
        return np.asarray(self.km(ev, c, rows) <= self.radius(ev.knowledge, c))

    def graded(self, ev: Evaluating, c: Constraint, rows: Array, similarity: Likeness) -> Array:
        radius = self.radius(ev.knowledge, c)
        return (self.km(ev, c, rows) - radius) / max(radius, 1.0)

    def check(self, engine: Checking, c: Constraint) -> None:
        if engine.catalog.places.neighbourhood(c.value[0], c.value[1]) is None:
            raise UnknownValueError("neighbourhood", str(c.value[1]),
                                    engine.normaliser.neighbourhoods.suggestions(str(c.value[1])))

    def value(self, w: Words, c: Constraint) -> str:
        return f"{c.value[1]}" + (f" (within {c.value[2]:g} km)" if c.op == "within_km" else "")

    def noun(self, w: Words, c: Constraint) -> str:
        return f"being near {self.value(w, c)}"

    def met(self, w: Words, c: Constraint, row: int, stay_total: float | None) -> str:
        return f"Near {c.value[1]}"

    def missed(self, w: Words, c: Constraint, row: int, stay_total: float | None, km: float | None) -> str:
        return f"{km:.1f} km from {c.value[1]}" if km is not None else f"not near {c.value[1]}"

    def condition(self, w: Words, c: Constraint) -> str:
        return f"near {self.value(w, c)}"

    def described(self, value: Any, knowledge: Knowledge | None, currency: str | None) -> str:
        """'near Alfama (1.5 km)' from a recorded [destination, name, radius]."""
        if isinstance(value, (list, tuple)) and len(value) >= 2:
            radius = value[2] if len(value) > 2 and is_number(value[2]) else None
            return f"near {value[1]}" + (f" ({radius:g} km)" if radius is not None else "")
        return f"near {value}"

    def soft_reason(self, ev: Evaluating, w: Words, c: Constraint, row: int,
                    stay_total: float | None) -> tuple[float, str]:
        km = float(self.km(ev, c, np.array([row]))[0])
        return self.salience, f"{km:.1f} km from {c.value[1]}"

    def replacements(self, rx: Relaxing, c: Constraint, rows: Array, need: int) -> list[Relaxation]:
        value = rx.kth(self.km(rx.evaluator, c, rows), need)
        if value is None:
            return []
        radius = widened_km(rx.knowledge, value)
        old_radius = self.radius(rx.knowledge, c)
        new = replace(c, op="within_km", value=(c.value[0], c.value[1], radius), source="user", reason="",
                      priority=None)
        text = f"Within {radius:g} km of {c.value[1]} instead of {old_radius:g} km"
        made = rx.relaxation("widen", c, new, rows, text, old_radius / radius)
        return [made] if made else []

    def cleared(self, c: Constraint) -> Slots:
        return {"near_km": None} if c.op == "within_km" else {"neighbourhood": None, "near_km": None}

    def forgotten(self) -> Slots:
        return {"neighbourhood": None, "near_km": None}

    def slots_for(self, c: Constraint) -> Slots:
        if c.op == "within_km":
            return {"neighbourhood": c.value[1], "near_km": float(c.value[2])}
        return {"neighbourhood": c.value[1]}
