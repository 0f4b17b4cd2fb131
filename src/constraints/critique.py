"""Unit critiques: "cheaper", "bigger", "closer to X", "more like this", "not this".

A critique is relative to a property the traveller has seen, so it becomes a
constraint anchored on that property's own values (cheaper than its price,
more bedrooms than it has), and the shown property is excluded from what
comes next. The result is an ordinary Query: the engine searches it, and
repairs it like any other when nothing is left.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

from .engine import Engine
from .errors import InvalidValueError
from .geo import haversine_km
from .query import HARD, Constraint, Query

CRITIQUES = ("cheaper", "bigger", "closer", "more_like", "not_this")


@dataclass(frozen=True)
class Critiqued:
    """The new query and a sentence saying what changed."""

    query: Query
    description: str


def critique(engine: Engine, query: Query, shown_id: str, kind: str, neighbourhood: tuple[str, str] | None = None) -> Critiqued:
    """Apply one critique of the property `shown_id` to `query`."""
    if kind not in CRITIQUES:
        raise InvalidValueError(f"Unknown critique '{kind}'; expected one of {', '.join(CRITIQUES)}.")
    catalog = engine.catalog
    row = catalog.row(shown_id)
    title = str(catalog.frame.at[row, "title"])
    excluded = replace(query, exclude_ids=query.exclude_ids | {shown_id})
    money = engine.wording.money
    if kind == "cheaper":
        step = float(engine.knowledge.setting("critique", "cheaper_step"))
        ceiling = math.floor(catalog.price_base[row] * (1.0 - step))
        if ceiling < 1:
            raise InvalidValueError(f"{title} is already as cheap as it gets.")
        new = _tighten(excluded, Constraint("price_per_night", "<=", float(ceiling)))
        return Critiqued(new, f"Cheaper than {title} ({money(catalog.price_base[row])}): up to {money(ceiling)} a night")
    if kind == "bigger":
        bedrooms = int(catalog.bedrooms[row]) + 1
        new = _tighten(excluded, Constraint("bedrooms", ">=", bedrooms))
        sleeps = int(catalog.accommodates[row]) + 1
        new = _tighten(new, Constraint("accommodates", ">=", max(sleeps, int(query.context.get("guests") or 0))))
        return Critiqued(new, f"Bigger than {title}: at least {bedrooms} bedrooms, sleeping {sleeps} or more")
    if kind == "closer":
        target = neighbourhood or _wanted_neighbourhood(query)
        if target is None:
            raise InvalidValueError("Closer to where? Name a neighbourhood.")
        point = catalog.places.neighbourhood(target[0], target[1])
        if point is None:
            raise InvalidValueError(f"I don't know the neighbourhood {target[1]} in {target[0]}.")
        distance = float(haversine_km(catalog.lat[row], catalog.lon[row], point.latitude, point.longitude))
        radius = max(0.2, math.floor(distance * 0.8 * 10) / 10)
        within = Constraint("neighbourhood", "within_km", (target[0], target[1], radius), HARD)
        new = replace(excluded, constraints=tuple(c for c in excluded.constraints if c.attribute != "neighbourhood"))
        new = new.with_constraints(within, Constraint("neighbourhood", "near", (target[0], target[1]), "soft"))
        return Critiqued(new, f"Closer to {target[1]} than {title} ({distance:.1f} km): within {radius:g} km")
    if kind == "more_like":
        new = replace(excluded, reference_id=shown_id)
        return Critiqued(new, f"More like {title}")
    return Critiqued(excluded, f"Not {title}")


def _tighten(query: Query, new: Constraint) -> Query:
    """Replace a looser constraint on the same attribute, keep a tighter one."""
    old = next((c for c in query.constraints if c.attribute == new.attribute and c.op == new.op and not c.derived), None)
    if old is None:
        return query.with_constraints(new)
    looser = new.value < old.value if new.op == "<=" else new.value > old.value
    return query.replacing(old, new) if looser else query


def _wanted_neighbourhood(query: Query) -> tuple[str, str] | None:
    for c in query.constraints:
        if c.attribute == "neighbourhood":
            return (c.value[0], c.value[1])
    return None

