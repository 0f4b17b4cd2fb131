"""The reader's public functions under their old import path.

The reader lives in `actions.reading` (one module per field, words in
knowledge/phrases); callers and tests written against `actions.parsing` keep
working through these re-exports.
"""
from __future__ import annotations

from .reading import (
                      MAX_CHARS,
                      Budget,
                      DateProblem,
                      GuestCount,
                      StayDates,
                      is_negated,
                      negated_spans,
                      parse_bedrooms,
                      parse_budget,
                      parse_dates,
                      parse_guests,
                      parse_nights,
                      parse_ordinal,
                      parse_rating,
                      warm_up,
                      words_to_number,
)
from .reading.dates import _fallback_date
from .reading.scan import _number_starts
from .reading.text import _normalise

__all__ = [
    "GuestCount", "Budget", "StayDates", "DateProblem",
    "parse_guests", "parse_budget", "parse_nights", "parse_dates", "parse_rating",
    "parse_ordinal", "parse_bedrooms", "words_to_number", "negated_spans", "is_negated",
    "warm_up", "MAX_CHARS", "_fallback_date", "_normalise", "_number_starts",
]
