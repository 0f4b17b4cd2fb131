"""What a search returns, and its JSON form (the `stays --json` contract)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .query import Constraint, Query, json_value
from .relax import Alternative, Relaxation


@dataclass
class Result:
    """One recommended property with the reasons it was picked."""

    id: str
    title: str
    location: str
    neighbourhood: str
    property_type: str
    price_per_night: float
    currency: str
    rating: float | None
    review_count: int
    accommodates: int
    bedrooms: int
    score: float
    explanation: list[str]
    total_price: float | None = None
    nights: int | None = None
    picture_url: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = {
            "id": self.id, "title": self.title, "location": self.location,
            "neighbourhood": self.neighbourhood, "property_type": self.property_type,
            "price_per_night": round(self.price_per_night, 2), "currency": self.currency,
            "rating": self.rating, "review_count": self.review_count,
            "accommodates": self.accommodates, "bedrooms": self.bedrooms,
            "score": round(self.score, 4), "explanation": self.explanation,
        }
        if self.total_price is not None:
            data["total_price"] = round(self.total_price, 2)
            data["nights"] = self.nights
        if self.picture_url:
            data["picture_url"] = self.picture_url
        return data


@dataclass
class SearchResult:
    """Ranked results, or the ways to get some when there are too few."""

    query: Query
    total_matches: int
    results: list[Result]
    offset: int = 0
    relaxations: list[Relaxation] = field(default_factory=list)
    conflict: list[Constraint] = field(default_factory=list)
    conflict_text: str = ""
    alternatives: list[Alternative] = field(default_factory=list)
    alternative_results: list[Result] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        alternatives = []
        for alternative, shown in zip(self.alternatives, self.alternative_results, strict=True):
            alternatives.append({**alternative.to_json(), "title": shown.title, "location": shown.location,
                                 "price_per_night": round(shown.price_per_night, 2)})
        return {
            "query": self.query.to_json(),
            "total_matches": self.total_matches,
            "results": [r.to_json() for r in self.results],
            "relaxations": [r.to_json() for r in self.relaxations],
            "conflict": [{"attribute": c.attribute, "op": c.op, "value": json_value(c.value)} for c in self.conflict],
            "conflict_text": self.conflict_text,
            "alternatives": alternatives,
            "currency": self.currency,
            "notes": list(self.query.notes),
        }

    @property
    def currency(self) -> str | None:
        """The currency the query's amounts were read in (None when it has none)."""
        return next((c.currency for c in self.query.constraints if c.currency), None)
