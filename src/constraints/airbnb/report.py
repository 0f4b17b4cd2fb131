"""What an import read, wrote and left out: the reports `stays import-airbnb` prints."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass
class CalendarImport:
    """Runs of nights of one calendar file, and what was dropped on the way."""

    runs: pd.DataFrame  # id, start, end (exclusive), available, price
    first: str | None  # first night in the file (YYYY-MM-DD)
    last: str | None  # last night in the file
    rows_read: int = 0
    listings: int = 0  # catalog listings with at least one night
    unknown_listings: int = 0  # listing ids not in the catalog (their rows are dropped)
    unknown_rows: int = 0
    bad_rows: int = 0  # unreadable date or available flag
    duplicate_rows: int = 0  # the same listing and night twice (the last one is kept)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "rows_read": self.rows_read, "runs": len(self.runs), "listings": self.listings,
            "unknown_listings": self.unknown_listings, "unknown_rows": self.unknown_rows,
            "bad_rows": self.bad_rows, "duplicate_rows": self.duplicate_rows,
            "window": [self.first, self.last], "seconds": round(self.seconds, 3),
        }


@dataclass
class ImportReport:
    """What an import read, wrote and left out, and why."""

    listings: str
    location: str
    location_known: bool
    currency: str
    rows_read: int = 0
    rows_written: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    amenities_unreadable: int = 0
    amenity_occurrences: int = 0
    amenity_occurrences_mapped: int = 0
    unmapped_amenities: Counter[str] = field(default_factory=Counter)
    unmapped_property_types: Counter[str] = field(default_factory=Counter)
    unmapped_room_types: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    origin: str | None = None  # the city and country the listings' coordinates point to
    seconds: float = 0.0
    calendar: CalendarImport | None = None
    output: str | None = None
    calendar_output: str | None = None

    @property
    def rows_skipped(self) -> int:
        return sum(self.skipped.values())

    @property
    def amenity_mapped_share(self) -> float:
        """Share of raw amenity occurrences (in the rows written) that map to an amenity."""
        if not self.amenity_occurrences:
            return 1.0
        return self.amenity_occurrences_mapped / self.amenity_occurrences

    def to_json(self, top: int = 15) -> dict[str, Any]:
        return {
            "listings": self.listings,
            "location": self.location,
            "location_known": self.location_known,
            "currency": self.currency,
            "origin": self.origin,
            "rows_read": self.rows_read,
            "rows_written": self.rows_written,
            "rows_skipped": self.rows_skipped,
            "skipped": dict(self.skipped),
            "amenities_unreadable": self.amenities_unreadable,
            "amenity_occurrences": self.amenity_occurrences,
            "amenity_occurrences_mapped": self.amenity_occurrences_mapped,
            "amenity_mapped_share": round(self.amenity_mapped_share, 4),
            "unmapped_amenity_strings": len(self.unmapped_amenities),
            "unmapped_amenities": [{"text": t, "count": n} for t, n in self.unmapped_amenities.most_common(top)],
            "unmapped_property_types": dict(self.unmapped_property_types.most_common()),
            "unmapped_room_types": dict(self.unmapped_room_types.most_common()),
            "notes": list(self.notes),
            "seconds": round(self.seconds, 3),
            "output": self.output,
            "calendar_output": self.calendar_output,
            "calendar": self.calendar.to_json() if self.calendar else None,
        }
