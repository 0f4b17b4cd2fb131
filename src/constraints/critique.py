"""Unit critiques: "cheaper", "bigger", "closer to X", "more like this", "not this".

A critique is relative to a property the traveller has seen, so it becomes a
constraint anchored on that property's own values (cheaper than its price,
more bedrooms than it has), and the shown property is excluded from what
comes next. Like a relaxation, a critique is a change to the query (removed
and added constraints), so the chat can mirror it in its slots and the engine
can search it, and repair it when nothing is left.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

from .attributes import BEDROOMS, NEIGHBOURHOOD, PRICE_PER_NIGHT
from .engine import Engine
from .errors import InvalidValueError
from .geo import haversine_km
from .query import HARD, SOFT, Constraint, Query

CRITIQUES = ("cheaper", "bigger", "closer", "more_like", "not_this")


@dataclass(frozen=True)
class Critiqued:
    """What a critique changes, and a sentence saying so."""

    description: str
    removed: tuple[Constraint, ...] = ()
    added: tuple[Constraint, ...] = ()
    exclude_id: str | None = None
    reference_id: str | None = None

    def apply(self, query: Query) -> Query:
        kept = tuple(c for c in query.constraints if c not in set(self.removed))
        excluded = query.exclude_ids | ({self.exclude_id} if self.exclude_id else set())
        return replace(query, constraints=kept + self.added, exclude_ids=frozenset(excluded),
                       reference_id=self.reference_id or query.reference_id)


def critique(engine: Engine, query: Query, shown_id: str, kind: str,
             neighbourhood: tuple[str, str] | None = None) -> Critiqued:
    """One critique of the property `shown_id` under `query`."""
    if kind not in CRITIQUES:
        raise InvalidValueError(f"Unknown critique '{kind}'; expected one of {', '.join(CRITIQUES)}.")
    catalog = engine.catalog
    row = catalog.row(shown_id)
    title = str(catalog.text["title"][row])
    money = engine.wording.money
    if kind == "cheaper":
        step = float(engine.knowledge.setting("critique", "cheaper_step"))
        currency = engine.currency_for(query)
        price = float(catalog.price_in(currency)[row])
        ceiling = math.floor(price * (1.0 - step))
        if ceiling < 1:
            raise InvalidValueError(f"{title} is already as cheap as it gets.")
        removed, added = _tightened(query, Constraint(PRICE_PER_NIGHT.name, "<=", float(ceiling), currency=currency))
        return Critiqued(f"Cheaper than {title} ({money(price, currency)}): up to {money(ceiling, currency)} a night",
                         removed, added, exclude_id=shown_id)
    if kind == "bigger":
        bedrooms = int(catalog.bedrooms[row]) + 1
        removed, added = _tightened(query, Constraint(BEDROOMS.name, ">=", bedrooms))
        return Critiqued(f"Bigger than {title}: at least {bedrooms} bedrooms", removed, added, exclude_id=shown_id)
    if kind == "closer":
        target = neighbourhood or _wanted_neighbourhood(query)
        if target is None:
            raise InvalidValueError("Closer to where? Name a neighbourhood.")
        point = catalog.places.neighbourhood(target[0], target[1])
        if point is None:
            raise InvalidValueError(f"I don't know the neighbourhood {target[1]} in {target[0]}.")
        distance = float(haversine_km(catalog.lat[row], catalog.lon[row], point.latitude, point.longitude))
        radius = max(0.2, math.floor(distance * 0.8 * 10) / 10)
        removed = tuple(c for c in query.constraints if c.attribute == NEIGHBOURHOOD.name)
        added = (Constraint(NEIGHBOURHOOD.name, "within_km", (target[0], target[1], radius), HARD),
                 Constraint(NEIGHBOURHOOD.name, "near", (target[0], target[1]), SOFT))
        return Critiqued(f"Closer to {target[1]} than {title} ({distance:.1f} km): within {radius:g} km",
                         removed, added, exclude_id=shown_id)
    if kind == "more_like":
        return Critiqued(f"More like {title}", exclude_id=shown_id, reference_id=shown_id)
    return Critiqued(f"Not {title}", exclude_id=shown_id)


def _tightened(query: Query, new: Constraint) -> tuple[tuple[Constraint, ...], tuple[Constraint, ...]]:
    """Replace a looser user constraint on the same attribute; keep a tighter one."""
    old = next((c for c in query.constraints
                if c.attribute == new.attribute and c.op == new.op and not c.derived), None)
    if old is None:
        return (), (new,)
    looser = new.value < old.value if new.op == "<=" else new.value > old.value
    return ((old,), (new,)) if looser else ((), ())


def _wanted_neighbourhood(query: Query) -> tuple[str, str] | None:
    found = query.find(NEIGHBOURHOOD.name)
    return None if found is None else (found.value[0], found.value[1])
