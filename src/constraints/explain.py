"""Sentences about constraints and properties, shared by every explanation.

The same wording is used when a result says why it was picked, when a
near miss says what it lacks, when a relaxation says what it changes and when
`why-not` answers support staff, so the traveller meets one vocabulary.
"""
from __future__ import annotations

from . import attributes
from .catalog import Catalog
from .knowledge import Knowledge
from .query import Constraint, StayDates


class Wording:
    """Turns constraints and catalog rows into short English phrases."""

    def __init__(self, catalog: Catalog, knowledge: Knowledge) -> None:
        self.catalog = catalog
        self.knowledge = knowledge
        self.currencies = catalog.currencies
        self.base = self.currencies.base

    # --- values -----------------------------------------------------------------------

    def money(self, amount: float, currency: str | None = None) -> str:
        """'€150', '$92', 'CA$200': the currency's symbol (the base currency's when none is given)."""
        return self.currencies.format(amount, currency)

    def amenity(self, amenity_id: str) -> str:
        found = self.knowledge.amenities.get(amenity_id)
        return found.label.lower() if found else amenity_id.replace("_", " ")

    def types(self, types: tuple[str, ...]) -> str:
        labels = [self.knowledge.property_types[t].label.lower() if t in self.knowledge.property_types else t
                  for t in types]
        return " or ".join(labels)

    @staticmethod
    def dates(dates: StayDates) -> str:
        a, b = dates.check_in, dates.check_out
        if a.year == b.year and a.month == b.month:
            return f"{a.day}–{b.day} {b:%b %Y}"
        return f"{a.day} {a:%b} – {b.day} {b:%b %Y}"

    def value(self, c: Constraint) -> str:
        """The constraint's value as a traveller would say it."""
        return attributes.of(c.attribute).value(self, c)

    def amenity_phrase(self, amenity_id: str, definite: bool = True) -> str:
        """'the pool' (or 'a pool'), but 'free parking' and 'pets allowed' take no article."""
        found = self.knowledge.amenities.get(amenity_id)
        phrase = found.phrase if found is not None else amenity_id.replace("_", " ")
        article, _, rest = phrase.partition(" ")
        if definite and article in ("a", "an") and rest:
            return f"the {rest}"
        return phrase

    def constraint(self, c: Constraint) -> str:
        """A noun phrase: 'the pool', 'a budget of €150 a night', 'Lisbon'."""
        return attributes.of(c.attribute).noun(self, c)

    # --- a constraint against one property ------------------------------------------

    def met(self, c: Constraint, row: int, stay_total: float | None) -> str:
        """Why a property satisfies `c`, in its own numbers."""
        return attributes.of(c.attribute).met(self, c, row, stay_total)

    def missed(self, c: Constraint, row: int, stay_total: float | None, distance_km: float | None) -> str:
        """What a property lacks against `c`, in its own numbers (`distance_km` from what it is about)."""
        return attributes.of(c.attribute).missed(self, c, row, stay_total, distance_km)

    def condition(self, c: Constraint) -> str:
        """A phrase that can follow 'Nothing': 'in Lisbon', 'for 4 guests', 'with a pool'."""
        return attributes.of(c.attribute).condition(self, c)

    def dropped(self, c: Constraint) -> str:
        """What 'Without ...' names when a relaxation removes `c`."""
        return attributes.of(c.attribute).dropped(self, c)

    def because(self, c: Constraint) -> str:
        """The rule's reason for a derived constraint, ready to append."""
        return f" — {c.reason}" if c.derived and c.reason else ""

