"""Sentences about constraints and properties, shared by every explanation.

The same wording is used when a result says why it was picked, when a
near miss says what it lacks, when a relaxation says what it changes and when
`why-not` answers support staff, so the traveller meets one vocabulary.
"""
from __future__ import annotations

from .catalog import Catalog
from .knowledge import Knowledge
from .query import Constraint, StayDates
from .text import counted


def article(word: str) -> str:
    """'a' or 'an' before a word: 'an apartment', 'a villa'."""
    return "an" if word[:1].lower() in "aeiou" else "a"


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
        v = c.value
        if c.attribute in ("price_per_night", "min_price"):
            return f"{self.money(v, c.currency)} a night"
        if c.attribute == "total_price":
            return f"{self.money(v, c.currency)} for the stay"
        if c.attribute == "accommodates":
            return f"{v} guests"
        if c.attribute in ("bedrooms", "beds", "bathrooms"):
            return f"{v:g} {c.attribute if v != 1 else c.attribute[:-1]}"
        if c.attribute == "amenities":
            return self.amenity(v)
        if c.attribute == "property_type":
            return self.types(v)
        if c.attribute == "room_type":
            return self.knowledge.room_types[v].label.lower() if v in self.knowledge.room_types else str(v)
        if c.attribute == "nights":
            return counted(v, "night")
        if c.attribute == "dates":
            return self.dates(v)
        if c.attribute == "rating":
            return f"{v:g}+"
        if c.attribute == "neighbourhood":
            return f"{v[1]}" + (f" (within {v[2]:g} km)" if c.op == "within_km" else "")
        return str(v)

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
        if c.attribute == "amenities":
            return self.amenity_phrase(c.value)
        v = self.value(c)
        phrases = {
            "location": v,
            "neighbourhood": f"being near {v}",
            "price_per_night": f"a budget of {v}",
            "min_price": f"a minimum of {v}",
            "total_price": f"a budget of {v}",
            "accommodates": f"room for {v}",
            "bedrooms": f"at least {v}",
            "beds": f"at least {v}",
            "bathrooms": f"at least {v}",
            "property_type": f"{article(v)} {v}",
            "room_type": f"an {v}" if v[:1] in "aeiou" else f"a {v}",
            "nights": f"a stay of {v}",
            "dates": f"the dates {v}",
            "rating": f"a rating of {v}",
        }
        return phrases.get(c.attribute, v)

    # --- a constraint against one property ------------------------------------------

    def met(self, c: Constraint, row: int, stay_total: float | None) -> str:
        """Why a property satisfies `c`, in its own numbers."""
        cat = self.catalog
        record_currency = cat.text["currency"][row]
        if c.attribute == "location":
            nb = cat.text["neighbourhood"][row]
            return f"In {c.value}" + (f", {nb}" if nb else "")
        if c.attribute == "price_per_night":
            price = cat.price[row]
            under = c.value - cat.price_in(c.currency or self.base)[row]
            return (f"{self.money(price, record_currency)} a night, {self.money(under, c.currency)} under your "
                    f"{self.money(c.value, c.currency)} budget")
        if c.attribute == "min_price":
            return (f"{self.money(cat.price[row], record_currency)} a night, above your "
                    f"{self.money(c.value, c.currency)} minimum")
        if c.attribute == "total_price":
            return (f"{self.money(stay_total or 0, record_currency)} for the whole stay, within your "
                    f"{self.money(c.value, c.currency)} budget for the stay")
        if c.attribute == "accommodates":
            return f"Sleeps {cat.accommodates[row]} (you are {c.value})"
        if c.attribute in ("bedrooms", "beds", "bathrooms"):
            have = getattr(cat, c.attribute)[row]
            noun = c.attribute if have != 1 else c.attribute[:-1]
            return f"{have:g} {noun}" + (f" (at least {c.value:g} needed)" if have != c.value else "")
        if c.attribute == "amenities":
            return f"Has {self.amenity(c.value)}"
        if c.attribute == "property_type":
            kind = cat.type_ids[cat.ptype[row]]
            return f"{article(kind).capitalize()} {kind}"
        if c.attribute == "room_type":
            return f"{self.knowledge.room_types[c.value].label}"
        if c.attribute == "nights":
            return f"Takes stays of {c.value} nights (minimum {cat.min_nights[row]})"
        if c.attribute == "dates":
            return f"Free {self.dates(c.value)}"
        if c.attribute == "rating":
            return f"Rated {cat.rating[row]:.2f} from {cat.reviews[row]} reviews"
        if c.attribute == "neighbourhood":
            return f"Near {c.value[1]}"
        return self.constraint(c)

    def missed(self, c: Constraint, row: int, stay_total: float | None, distance_km: float | None) -> str:
        """What a property lacks against `c`, in its own numbers."""
        cat = self.catalog
        record_currency = cat.text["currency"][row]
        if c.attribute == "location":
            where = cat.text["location"][row]
            return f"in {where}" + (f", {distance_km:.0f} km from {c.value}" if distance_km is not None else "")
        if c.attribute == "price_per_night":
            return f"{self.money(cat.price[row], record_currency)} a night, over your {self.money(c.value, c.currency)}"
        if c.attribute == "min_price":
            return (f"{self.money(cat.price[row], record_currency)} a night, under your "
                    f"{self.money(c.value, c.currency)} minimum")
        if c.attribute == "total_price":
            return f"{self.money(stay_total or 0, record_currency)} for the stay, over your {self.money(c.value, c.currency)}"
        if c.attribute == "accommodates":
            return f"sleeps {cat.accommodates[row]}, not {c.value}"
        if c.attribute in ("bedrooms", "beds", "bathrooms"):
            return f"{getattr(cat, c.attribute)[row]:g} {c.attribute}, not {c.value:g}"
        if c.attribute == "amenities":
            substitute = self._substitute(c.value, row)
            return f"no {self.amenity(c.value)}" + (f" (has {substitute})" if substitute else "")
        if c.attribute == "property_type":
            kind, wanted = cat.type_ids[cat.ptype[row]], self.types(c.value)
            return f"{article(kind)} {kind}, not {article(wanted)} {wanted}"
        if c.attribute == "room_type":
            return f"{cat.room_ids[cat.room[row]].replace('_', ' ')}, not {self.value(c)}"
        if c.attribute == "nights":
            low, high = cat.min_nights[row], cat.max_nights[row]
            return f"minimum stay {low} nights" if low > c.value else f"maximum stay {high} nights"
        if c.attribute == "dates":
            return f"booked on some nights of {self.dates(c.value)}"
        if c.attribute == "rating":
            if not cat.rated[row]:
                return f"not rated yet ({cat.reviews[row]} reviews)"
            return f"rated {cat.rating[row]:.2f}, under {c.value:g}"
        if c.attribute == "neighbourhood":
            return f"{distance_km:.1f} km from {c.value[1]}" if distance_km is not None else f"not near {c.value[1]}"
        return f"does not meet {self.constraint(c)}"

    def _substitute(self, amenity: str, row: int) -> str | None:
        cat = self.catalog
        options = sorted(self.knowledge.amenity_similarity.get(amenity, {}).items(), key=lambda kv: -kv[1])
        for other, _ in options:
            if cat.amen[cat.amenity_index[other], row]:
                return self.amenity(other)
        return None

    def condition(self, c: Constraint) -> str:
        """A phrase that can follow 'Nothing': 'in Lisbon', 'for 4 guests', 'with a pool'."""
        v = self.value(c)
        if c.attribute == "location":
            return f"in {v}"
        if c.attribute == "accommodates":
            return f"for {v}"
        if c.attribute in ("price_per_night", "total_price"):
            return f"under {v}"
        if c.attribute == "min_price":
            return f"from {v}"
        if c.attribute == "amenities":
            return f"with {self.amenity_phrase(c.value, definite=False)}"
        if c.attribute in ("bedrooms", "beds", "bathrooms"):
            return f"with at least {v}"
        if c.attribute == "property_type":
            return f"of type {v}"
        if c.attribute == "room_type":
            return f"as {self.constraint(c)}"
        if c.attribute == "nights":
            return f"for {v}"
        if c.attribute == "dates":
            return f"free {v}"
        if c.attribute == "rating":
            return f"rated {v}"
        if c.attribute == "neighbourhood":
            return f"near {v}"
        return self.constraint(c)

    def dropped(self, c: Constraint) -> str:
        """What 'Without ...' names when a relaxation removes `c`."""
        if c.attribute == "location":
            return f"limiting the search to {c.value}"
        return self.constraint(c)

    def because(self, c: Constraint) -> str:
        """The rule's reason for a derived constraint, ready to append."""
        return f" — {c.reason}" if c.derived and c.reason else ""

