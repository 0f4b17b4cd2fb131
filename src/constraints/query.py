"""What a traveller asks for: constraints with a strength, a source and a priority.

A `Query` is plain data: the chat, the CLI and the tests build one, the engine
expands it with rules and evaluates it. Constraints are frozen and hashable so
the engine can cache the mask of each one and compare relaxations as sets.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

HARD = "hard"
SOFT = "soft"

# attribute -> the operators it supports; everything that filters goes through here. Each entry of
# the attribute registry (`constraints.attributes`, loaded with the package) registers itself here,
# so a constraint is checked against the registry without this plain-data module depending on it.
ATTRIBUTE_OPS: dict[str, frozenset[str]] = {}
# attributes whose value is an amount of money, in the constraint's `currency` (registered the same way)
MONEY_ATTRIBUTES: set[str] = set()


@dataclass(frozen=True)
class StayDates:
    """Check-in and check-out; nights are the difference."""

    check_in: date
    check_out: date

    @property
    def nights(self) -> int:
        return (self.check_out - self.check_in).days

    def shifted(self, days: int) -> StayDates:
        from datetime import timedelta

        delta = timedelta(days=days)
        return StayDates(self.check_in + delta, self.check_out + delta)

    def __str__(self) -> str:
        return f"{self.check_in.isoformat()} to {self.check_out.isoformat()}"


def stay_fault(check_in: date, check_out: date, today: date, max_nights: int) -> str | None:
    """What makes a stay unbookable, as one word: "past", "reversed" or "too_long" (None: nothing).

    The one rule the engine (`Engine.stay_problem`) and the chat's date reader
    share, so a stay the reader accepts is one the engine searches.
    """
    if check_in < today:
        return "past"
    if check_out <= check_in:
        return "reversed"
    if (check_out - check_in).days > max_nights:
        return "too_long"
    return None


@dataclass(frozen=True)
class Constraint:
    """One condition on a property.

    `value` is hashable: a string, a number, a tuple (property types, a
    neighbourhood with a radius) or StayDates. `source` is "user" or
    "rule:<id>"; `reason` is the rule's sentence, so explanations can say why
    a constraint the traveller never typed is there.
    """

    attribute: str
    op: str
    value: Any
    strength: str = HARD
    weight: float = 1.0
    source: str = "user"
    reason: str = ""
    priority: int | None = None
    # not part of equality: a bare amount and the same amount once read in the destination's
    # currency are the same constraint to the traveller (relaxations remove it by equality)
    currency: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        ops = ATTRIBUTE_OPS.get(self.attribute)
        if ops is None:
            raise ValueError(f"unknown attribute '{self.attribute}'")
        if self.op not in ops:
            raise ValueError(f"attribute '{self.attribute}' has no operator '{self.op}'")
        if self.strength not in (HARD, SOFT):
            raise ValueError(f"strength must be hard or soft, not '{self.strength}'")
        if self.currency is not None and self.attribute not in MONEY_ATTRIBUTES:
            raise ValueError(f"attribute '{self.attribute}' is not an amount of money: it takes no currency")

    @property
    def key(self) -> tuple[str, str, Any]:
        """Identity for deduplication and caching: what, not who asked for it."""
        return (self.attribute, self.op, self.value)

    @property
    def waiver(self) -> str:
        """What a query's `waived` set holds to keep rules from re-adding this."""
        return f"{self.attribute}|{self.op}|{json_value(self.value)}"

    @property
    def is_hard(self) -> bool:
        return self.strength == HARD

    @property
    def derived(self) -> bool:
        return self.source.startswith("rule:")

    def to_json(self) -> dict[str, Any]:
        data = {
            "attribute": self.attribute,
            "op": self.op,
            "value": json_value(self.value),
            "strength": self.strength,
            "source": self.source,
        }
        if self.currency is not None:
            data["currency"] = self.currency
        return data


def json_value(value: Any) -> Any:
    """Constraint values as JSON: dates as ISO strings, tuples as lists."""
    if isinstance(value, StayDates):
        return {"check_in": value.check_in.isoformat(), "check_out": value.check_out.isoformat()}
    if isinstance(value, tuple):
        return [json_value(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class Query:
    """Constraints plus the traveller's context (guests, pets, purpose...).

    `context` feeds the rules; `priorities` maps an attribute (or
    "amenities:<id>") to how much the traveller said it matters; `reference_id`
    makes ranking prefer places like a shown one; `exclude_ids` hides places
    already rejected; `waived` holds the `waiver` of constraints the traveller
    chose to relax, so rules do not add them back; `wishes` re-rank the
    matches by what their descriptions say (constraints.wishes).
    """

    constraints: tuple[Constraint, ...] = ()
    context: Mapping[str, Any] = field(default_factory=dict)
    priorities: Mapping[str, int] = field(default_factory=dict)
    exclude_ids: frozenset[str] = frozenset()
    reference_id: str | None = None
    waived: frozenset[str] = frozenset()
    min_results: int = 1
    budget_scope: str = "night"
    notes: tuple[str, ...] = ()  # what the engine changed while reading the query ("200 CAD ≈ $146")
    wishes: tuple[str, ...] = ()  # wants in the traveller's words ("somewhere quiet"): soft, re-rank only

    @property
    def hard(self) -> list[Constraint]:
        return [c for c in self.constraints if c.is_hard]

    @property
    def soft(self) -> list[Constraint]:
        return [c for c in self.constraints if not c.is_hard]

    def find(self, attribute: str, op: str | None = None) -> Constraint | None:
        for constraint in self.constraints:
            if constraint.attribute == attribute and (op is None or constraint.op == op):
                return constraint
        return None

    def without(self, *removed: Constraint) -> Query:
        keys = {c for c in removed}
        return replace(self, constraints=tuple(c for c in self.constraints if c not in keys))

    def with_constraints(self, *added: Constraint) -> Query:
        existing = {c.key for c in self.constraints}
        fresh = tuple(c for c in added if c.key not in existing)
        return replace(self, constraints=self.constraints + fresh)

    def replacing(self, old: Constraint, new: Constraint) -> Query:
        return replace(
            self, constraints=tuple(new if c == old else c for c in self.constraints)
        )

    def to_json(self) -> list[dict[str, Any]]:
        return [c.to_json() for c in self.constraints]


@dataclass(frozen=True)
class Request:
    """What a front end asks for, already normalised: `build_query`'s keywords, as each attribute reads them."""

    location: str | None = None
    neighbourhood: tuple[str, str] | None = None
    max_price: float | None = None
    min_price: float | None = None
    currency: str | None = None
    budget_scope: str = "night"
    guests: int | None = None
    bedrooms: int | None = None
    amenities: tuple[str, ...] = ()
    nice_to_have: tuple[str, ...] = ()
    property_types: tuple[str, ...] = ()
    room_type: str | None = None
    nights: int | None = None
    dates: StayDates | None = None
    min_rating: float | None = None
    centre_km: float | None = None

    @property
    def stay_nights(self) -> int | None:
        """The length of the stay: the dates', else the nights asked."""
        return self.dates.nights if self.dates else self.nights


# each registry entry's reading of a request, in the order a query lists its constraints
# (registered by `constraints.attributes` like ATTRIBUTE_OPS)
REQUEST_READERS: list[Callable[[Request], list[Constraint]]] = []


def build_query(
    *,
    location: str | None = None,
    neighbourhood: tuple[str, str] | None = None,
    max_price: float | None = None,
    min_price: float | None = None,
    currency: str | None = None,
    budget_scope: str = "night",
    guests: int | None = None,
    bedrooms: int | None = None,
    amenities: Iterable[str] = (),
    nice_to_have: Iterable[str] = (),
    property_types: Iterable[str] = (),
    room_type: str | None = None,
    nights: int | None = None,
    dates: StayDates | None = None,
    min_rating: float | None = None,
    centre_km: float | None = None,
    context: Mapping[str, Any] | None = None,
    priorities: Mapping[str, int] | None = None,
    exclude_ids: Iterable[str] = (),
    reference_id: str | None = None,
    waived: Iterable[str] = (),
    min_results: int = 1,
) -> Query:
    """Build a query from already-normalised values, the way both front ends do.

    A budget with scope "stay" becomes a cap on the total price when the
    length of the stay is known, and stays per night otherwise. A
    neighbourhood, given as (destination, name), is a preference to be near.
    Prices are in `currency` when given, else in the destination's currency.
    """
    request = Request(location=location, neighbourhood=neighbourhood, max_price=max_price, min_price=min_price,
                      currency=currency, budget_scope=budget_scope, guests=guests, bedrooms=bedrooms,
                      amenities=tuple(dict.fromkeys(amenities)), nice_to_have=tuple(dict.fromkeys(nice_to_have)),
                      property_types=tuple(dict.fromkeys(property_types)), room_type=room_type, nights=nights,
                      dates=dates, min_rating=min_rating, centre_km=centre_km)
    cs = [c for read in REQUEST_READERS for c in read(request)]
    full_context = dict(context or {})
    if guests is not None:
        full_context.setdefault("guests", int(guests))
    if request.stay_nights:
        full_context.setdefault("nights", int(request.stay_nights))
    return Query(
        constraints=tuple(cs),
        context=full_context,
        priorities=dict(priorities or {}),
        exclude_ids=frozenset(exclude_ids),
        reference_id=reference_id,
        waived=frozenset(waived),
        min_results=max(1, int(min_results)),
        budget_scope=budget_scope,
    )
