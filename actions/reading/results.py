"""What the reader returns: small frozen dataclasses the slots are filled from."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class GuestCount:
    """Who is travelling.

    `total` is adults + children: infants are not counted, as on booking sites
    (they sleep in a cot and take no bed). When only a total is known, the split
    defaults to all adults, as a booking form does. `total`, `adults` and
    `children` are None only when nothing but infants was mentioned ("with a
    baby"). `explicit` is True when the traveller stated a number ("4 people",
    "for two", "family of five"), False when it was inferred from who is coming
    ("me and my wife", "a couple", "just me"): the caller may confirm those.
    """

    total: int | None
    adults: int | None
    children: int | None
    infants: int = 0
    explicit: bool = False


@dataclass(frozen=True)
class Budget:
    """What the traveller wants to pay.

    `scope` is "night" or "stay" only when the traveller said so ("a night", "in
    total"); None leaves the default to the caller. `tier` is a price level said
    in words ("cheap" | "mid" | "luxury"). `unlimited` is True for "no budget",
    "money is no object"... when no maximum was given as well.
    """

    maximum: float | None = None
    minimum: float | None = None
    scope: str | None = None
    currency: str | None = None
    tier: str | None = None
    unlimited: bool = False


@dataclass(frozen=True)
class DateProblem:
    """Why the dates in a message cannot be used as they are.

    `kind` is "past" | "reversed" | "too_long" | "unclear"; `message` is written
    for the traveller. `check_in`/`check_out` carry whatever part *was* resolved
    (an arrival with no departure or length is "unclear" but keeps `check_in`),
    so the caller can keep it and ask only for the missing part.
    """

    kind: str
    message: str
    check_in: date | None = None
    check_out: date | None = None
