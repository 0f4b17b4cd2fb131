"""A repair: a change to the query and exactly how many places it yields.

Each attribute builds its own widenings and substitutes (`Attribute.replacements`)
and the relaxer its drops and stay changes; all are this one record, which the
search result serialises and the chat applies. `GivenUp` is what a search
must give up in one destination, for a repair that moves it there.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from ..query import MONEY_ATTRIBUTES, Constraint, Query, json_value


@dataclass
class Relaxation:
    """A change to the query and exactly how many places it yields."""

    kind: str  # drop | widen | substitute
    removed: tuple[Constraint, ...]
    added: tuple[Constraint, ...]
    matches: int
    description: str
    cost: float
    distance_km: float | None = None  # how far a substitute destination is from the place asked for
    currency: str | None = None  # what the query's amounts were read in: dropping the place must not change it

    @property
    def changes(self) -> list[dict[str, Any]]:
        changes = []
        for old in self.removed:
            new = next((a for a in self.added if a.attribute == old.attribute), None)
            changes.append({"attribute": old.attribute, "from": json_value(old.value),
                            "to": None if new is None else json_value(new.value)})
        return changes

    def apply(self, query: Query) -> Query:
        """The query with this change made, as the traveller's own choice.

        Removed constraints are waived so that a rule cannot add them back;
        what replaces them is the traveller's, not the rule's.
        """
        removed = set(self.removed)
        kept = [replace(c, currency=self.currency) if c.attribute in MONEY_ATTRIBUTES and c.currency is None else c
                for c in query.constraints if c not in removed and not c.derived]
        waived = set(query.waived) | {c.waiver for c in self.removed}
        waived -= {c.waiver for c in self.added}
        return replace(query, constraints=tuple(kept) + self.added, waived=frozenset(waived))

    def to_json(self) -> dict[str, Any]:
        data = {"kind": self.kind, "changes": self.changes, "matches": self.matches,
                "description": self.description}
        if self.distance_km is not None:
            data["distance_km"] = self.distance_km
        return data


@dataclass(frozen=True, eq=False)  # its rows are an array: one is equal only to itself
class GivenUp:
    """What a search must give up in one destination to have enough places there.

    The relaxer finds it (`Relaxer.given_up_by_destination`) for each
    destination at once; the place attribute offers the nearest of them to a
    traveller bound for a place we hold no stays in.
    """

    removed: tuple[Constraint, ...]  # none: the rest of the search fits there as asked
    phrase: str  # how a drop words them: "a house and the dates 6-7 Mar"
    points: float  # what a drop of them costs: the sum of their priorities + 1
    rows: npt.NDArray[np.int64]  # the places there meeting the rest of the search without them
