"""What a place is and has: amenities, its type, the kind of room, its rating."""
from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np

from ..analyze_labels import amenity_label, type_label
from ..catalog import Catalog
from ..errors import UnknownValueError
from ..knowledge import Knowledge
from ..query import SOFT, Constraint, Query, Request
from .base import Array, Attribute, Checking, Evaluating, Likeness, Relaxing, Rows, Slots, Words, article, is_number
from .repair import Relaxation

# the room type `stays analyze` measures: "entire place" rules out rooms in a shared home
ENTIRE_PLACE = "entire_home"


class Amenities(Attribute):
    """One amenity (a query holds one constraint per amenity); substituted by similar ones."""

    name = "amenities"
    ops = frozenset({"contains"})
    salience = 0
    sentence = 11
    report_order = 2
    table_order = 0
    summary_order = 4
    request_order = 6
    list_slot = "amenities"

    def requested(self, r: Request) -> list[Constraint]:
        """One constraint per must-have, then the nice-to-haves that are not also musts."""
        musts = [Constraint(self.name, "contains", a) for a in r.amenities]
        return musts + [Constraint(self.name, "contains", a, strength=SOFT)
                        for a in r.nice_to_have if a not in r.amenities]

    def offer_key(self, c: Constraint, added: tuple[Constraint, ...], every_place: bool) -> str:
        """Each amenity given up is an offer of its own: "without a pool", "without parking"."""
        return f"{self.name}:{c.value}"

    @staticmethod
    def code(ev: Evaluating, amenity: str) -> int:
        code = ev.catalog.amenity_index.get(amenity)
        if code is None:
            raise UnknownValueError("amenity", amenity, [])
        return code

    def mask(self, ev: Evaluating, c: Constraint, rows: Rows) -> Array:
        return np.asarray(ev.catalog.amen[self.code(ev, c.value), rows])

    def graded(self, ev: Evaluating, c: Constraint, rows: Array, similarity: Likeness) -> Array:
        return 1.0 - similarity.amenity_rows(c.value, rows)

    def check(self, engine: Checking, c: Constraint) -> None:
        if c.value not in engine.catalog.amenity_index:
            raise UnknownValueError("amenity", str(c.value), engine.normaliser.amenities.suggestions(str(c.value)))

    def value(self, w: Words, c: Constraint) -> str:
        return w.amenity(c.value)

    def noun(self, w: Words, c: Constraint) -> str:
        return w.amenity_phrase(c.value)

    def met(self, w: Words, c: Constraint, row: int, stay_total: float | None) -> str:
        return f"Has {w.amenity(c.value)}"

    def missed(self, w: Words, c: Constraint, row: int, stay_total: float | None, km: float | None) -> str:
        substitute = self._substitute(w, c.value, row)
        return f"no {w.amenity(c.value)}" + (f" (has {substitute})" if substitute else "")

    @staticmethod
    def _substitute(w: Words, amenity: str, row: int) -> str | None:
        """The most similar amenity the place does have, to soften a miss."""
        cat = w.catalog
        options = sorted(w.knowledge.amenity_similarity.get(amenity, {}).items(), key=lambda kv: -kv[1])
        for other, _ in options:
            if cat.amen[cat.amenity_index[other], row]:
                return w.amenity(other)
        return None

    def condition(self, w: Words, c: Constraint) -> str:
        return f"with {w.amenity_phrase(c.value, definite=False)}"

    def measured(self, catalog: Catalog) -> list[Constraint]:
        """Every amenity the catalog knows."""
        return [Constraint(self.name, "contains", a) for a in catalog.amenity_ids]

    def report_key(self, c: Constraint) -> str:
        return f"{self.name}={c.value}"

    def described(self, value: Any, knowledge: Knowledge | None, currency: str | None) -> str:
        return amenity_label(str(value), knowledge)

    def summary(self, w: Words, q: Query, currency: str) -> str | None:
        """'with a pool, parking and wifi': the must-haves (the nice-to-haves are no part of the search's name)."""
        phrases = [w.amenity_phrase(c.value, definite=False) for c in q.hard if c.attribute == self.name]
        if not phrases:
            return None
        return "with " + (phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1])

    def replacements(self, rx: Relaxing, c: Constraint, rows: Array, need: int) -> list[Relaxation]:
        threshold = float(rx.settings["amenity_similarity_min"])
        options = sorted(rx.knowledge.amenity_similarity.get(c.value, {}).items(), key=lambda kv: -kv[1])
        found = []
        for other, similarity in options:
            if similarity < threshold or any(x.attribute == self.name and x.value == other for x in rx.query.hard):
                continue
            text = f"{rx.wording.amenity(other).capitalize()} instead of {rx.wording.amenity(c.value)}"
            made = rx.relaxation("substitute", c, replace(c, value=other), rows, text, similarity)
            if made and made.matches >= need:
                found.append(made)
            if len(found) == int(rx.settings["max_substitutes"]):
                break
        return found


class PropertyType(Attribute):
    """Any of a set of property types; substituted by similar types."""

    name = "property_type"
    ops = frozenset({"in"})
    salience = 3
    sentence = 0
    report_order = 3
    table_order = 1
    summary_order = 7
    request_order = 7

    def requested(self, r: Request) -> list[Constraint]:
        return [Constraint(self.name, "in", r.property_types)] if r.property_types else []

    @staticmethod
    def codes(ev: Evaluating, types: tuple[str, ...]) -> list[int]:
        codes = []
        for name in types:
            if name not in ev.catalog.type_ids:
                raise UnknownValueError("property_type", name, [])
            codes.append(ev.catalog.type_ids.index(name))
        return codes

    def mask(self, ev: Evaluating, c: Constraint, rows: Rows) -> Array:
        return np.isin(ev.catalog.ptype[rows], self.codes(ev, c.value))

    def graded(self, ev: Evaluating, c: Constraint, rows: Array, similarity: Likeness) -> Array:
        return 1.0 - similarity.type_rows(c.value, ev.catalog.ptype[rows])

    def check(self, engine: Checking, c: Constraint) -> None:
        for t in c.value:
            if t not in engine.knowledge.property_types:
                raise UnknownValueError("property_type", t, engine.normaliser.property_types.suggestions(t))

    def value(self, w: Words, c: Constraint) -> str:
        return w.types(c.value)

    def noun(self, w: Words, c: Constraint) -> str:
        v = self.value(w, c)
        return f"{article(v)} {v}"

    def met(self, w: Words, c: Constraint, row: int, stay_total: float | None) -> str:
        kind = w.catalog.type_ids[w.catalog.ptype[row]]
        return f"{article(kind).capitalize()} {kind}"

    def missed(self, w: Words, c: Constraint, row: int, stay_total: float | None, km: float | None) -> str:
        kind, wanted = w.catalog.type_ids[w.catalog.ptype[row]], w.types(c.value)
        return f"{article(kind)} {kind}, not {article(wanted)} {wanted}"

    def condition(self, w: Words, c: Constraint) -> str:
        return f"of type {self.value(w, c)}"

    def measured(self, catalog: Catalog) -> list[Constraint]:
        """Every property type the catalog holds, one at a time."""
        return [Constraint(self.name, "in", (t,)) for t in catalog.type_ids]

    def report_key(self, c: Constraint) -> str:
        return f"{self.name}={c.value[0]}"

    def report_label(self, c: Constraint, knowledge: Knowledge | None, currency: str | None) -> str:
        return f"type = {self.described(c.value, knowledge, currency)}"

    def described(self, value: Any, knowledge: Knowledge | None, currency: str | None) -> str:
        kinds = value if isinstance(value, (list, tuple)) else [value]
        return " or ".join(type_label(str(t), knowledge) for t in kinds)

    def summary(self, w: Words, q: Query, currency: str) -> str | None:
        found = q.find(self.name)
        return None if found is None else f"({w.types(found.value)})"

    def replacements(self, rx: Relaxing, c: Constraint, rows: Array, need: int) -> list[Relaxation]:
        threshold = float(rx.settings["type_similarity_min"])
        scores: dict[str, float] = {}
        for wanted in c.value:
            for other, similarity in rx.knowledge.type_similarity.get(wanted, {}).items():
                if other not in c.value and similarity >= threshold:
                    scores[other] = max(scores.get(other, 0.0), similarity)
        found = []
        for other, similarity in sorted(scores.items(), key=lambda kv: -kv[1]):
            instead, wanted = rx.wording.types((other,)), rx.wording.types(c.value)
            text = f"{article(instead).capitalize()} {instead} instead of {article(wanted)} {wanted}"
            made = rx.relaxation("substitute", c, replace(c, value=(other,)), rows, text, similarity)
            if made and made.matches >= need:
                found.append(made)
            if len(found) == int(rx.settings["max_substitutes"]):
                break
        return found

    def cleared(self, c: Constraint) -> Slots:
        return {"property_type": None}

    def forgotten(self) -> Slots:
        return {"property_type": None}

    def slots_for(self, c: Constraint) -> Slots:
        return {"property_type": c.value[0]}


class RoomType(Attribute):
    """The whole place, a private room or a shared one."""

    name = "room_type"
    ops = frozenset({"eq"})
    salience = 4
    sentence = 1
    report_order = 4
    table_order = 2
    request_order = 8

    def requested(self, r: Request) -> list[Constraint]:
        return [Constraint(self.name, "eq", r.room_type)] if r.room_type else []

    @staticmethod
    def code(ev: Evaluating, room: str) -> int:
        if room not in ev.catalog.room_ids:
            raise UnknownValueError("room_type", room, [])
        return ev.catalog.room_ids.index(room)

    def mask(self, ev: Evaluating, c: Constraint, rows: Rows) -> Array:
        return np.asarray(ev.catalog.room[rows] == self.code(ev, c.value))

    def value(self, w: Words, c: Constraint) -> str:
        rooms = w.knowledge.room_types
        return rooms[c.value].label.lower() if c.value in rooms else str(c.value)

    def noun(self, w: Words, c: Constraint) -> str:
        v = self.value(w, c)
        return f"an {v}" if v[:1] in "aeiou" else f"a {v}"

    def met(self, w: Words, c: Constraint, row: int, stay_total: float | None) -> str:
        return f"{w.knowledge.room_types[c.value].label}"

    def missed(self, w: Words, c: Constraint, row: int, stay_total: float | None, km: float | None) -> str:
        return f"{w.catalog.room_ids[w.catalog.room[row]].replace('_', ' ')}, not {self.value(w, c)}"

    def condition(self, w: Words, c: Constraint) -> str:
        return f"as {self.noun(w, c)}"

    def measured(self, catalog: Catalog) -> list[Constraint]:
        """An entire place, where the catalog has one."""
        return [Constraint(self.name, "eq", ENTIRE_PLACE)] if ENTIRE_PLACE in catalog.room_ids else []

    def report_key(self, c: Constraint) -> str:
        return f"{self.name}={c.value}"

    def report_label(self, c: Constraint, knowledge: Knowledge | None, currency: str | None) -> str:
        return "entire place" if c.value == ENTIRE_PLACE else self.described(c.value, knowledge, currency)

    def described(self, value: Any, knowledge: Knowledge | None, currency: str | None) -> str:
        found = knowledge.room_types.get(value) if knowledge else None
        return found.label.lower() if found else str(value).replace("_", " ")

    def cleared(self, c: Constraint) -> Slots:
        return {"room_type": None}

    def slots_for(self, c: Constraint) -> Slots:
        return {"room_type": c.value}


class Rating(Attribute):
    """A lowest guest rating; a place with too few reviews has none and never meets it."""

    name = "rating"
    ops = frozenset({">="})
    salience = 6
    sentence = 12
    numeric = True
    report_order = 12
    measured_at = (4.5, 4.8)
    table_order = 5
    summary_order = 5
    request_order = 11

    def requested(self, r: Request) -> list[Constraint]:
        return [] if r.min_rating is None else [Constraint(self.name, ">=", float(r.min_rating))]

    def mask(self, ev: Evaluating, c: Constraint, rows: Rows) -> Array:
        return np.asarray(ev.catalog.rated[rows] & (ev.catalog.rating[rows] >= c.value))

    def graded(self, ev: Evaluating, c: Constraint, rows: Array, similarity: Likeness) -> Array:
        cat = ev.catalog
        return np.where(cat.rated[rows], (c.value - cat.rating[rows]) / 1.0, 1.0)

    def value(self, w: Words, c: Constraint) -> str:
        return f"{c.value:g}+"

    def noun(self, w: Words, c: Constraint) -> str:
        return f"a rating of {self.value(w, c)}"

    def met(self, w: Words, c: Constraint, row: int, stay_total: float | None) -> str:
        return self.reviews(w, row)

    @staticmethod
    def reviews(w: Words, row: int) -> str:
        """'Rated 4.81 from 52 reviews': what a result says of its rating, asked for or not."""
        return f"Rated {w.catalog.rating[row]:.2f} from {w.catalog.reviews[row]} reviews"

    def missed(self, w: Words, c: Constraint, row: int, stay_total: float | None, km: float | None) -> str:
        cat = w.catalog
        if not cat.rated[row]:
            return f"not rated yet ({cat.reviews[row]} reviews)"
        return f"rated {cat.rating[row]:.2f}, under {c.value:g}"

    def condition(self, w: Words, c: Constraint) -> str:
        return f"rated {self.value(w, c)}"

    def described(self, value: Any, knowledge: Knowledge | None, currency: str | None) -> str:
        if not is_number(value):
            return super().described(value, knowledge, currency)
        return f"rated ≥ {value:g}"

    def summary(self, w: Words, q: Query, currency: str) -> str | None:
        found = q.find(self.name)
        return None if found is None else f"rated {float(found.value):g}+"

    def replacements(self, rx: Relaxing, c: Constraint, rows: Array, need: int) -> list[Relaxation]:
        catalog = rx.evaluator.catalog
        rated = rows[catalog.rated[rows]]
        value = rx.kth(catalog.rating[rated].astype(float), need, largest=True)
        if value is None:
            return []
        bar = math.floor(value * 10) / 10
        if bar <= 0 or bar >= c.value:
            return []
        new = replace(c, value=bar)
        made = rx.relaxation("widen", c, new, rows, f"Rated {bar:g}+ instead of {c.value:g}+", bar / c.value)
        return [made] if made else []

    def cleared(self, c: Constraint) -> Slots:
        return {"min_rating": None}

    def forgotten(self) -> Slots:
        return {"min_rating": None}

    def slots_for(self, c: Constraint) -> Slots:
        return {"min_rating": float(c.value)}
