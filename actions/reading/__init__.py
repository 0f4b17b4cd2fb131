"""The reader: rule-based reading of numbers, money, head counts, stay lengths, dates, ratings
and ordinals in traveller messages.

Duckling is not available, and DIET only tags spans; what a span *means* ("for 4"
is people, "under 150" is money, "4 to 11 March" is a stay) is decided here, in
pure Python (plus `dateparser` as a last resort), so the chat, the action server
and the tests all get one reading. Nothing here imports Rasa.

Layout
------
One module per field (`guests`, `budget`, `nights`, `dates` with
`date_phrases`, `rating`, `ordinal`, `bedrooms`, `negation`), over shared
`text` (normalising, number words), `scan` (bounded scanning) and `vocab`:
the words, loaded from the phrase tables in knowledge/phrases/*.yml (checked
by `constraints.phrases` and `stays check`) and compiled once at import.
`mentions` decides whether an unknown name was clearly meant as a place or
an amenity. A new word is one line in one phrase file; the patterns here hold
only the grammar that combines the words.

Approach
--------
1. **Normalise once** (`_normalise`, cached per message): lower case, accents,
   unicode dashes and quotes folded, whitespace collapsed to single spaces, and
   number words turned into digits ("twenty-one" -> "21", "a dozen" -> "12",
   "a couple of" -> "2", "second" -> "2nd"). A lone "one" stays a word because it
   is as often a pronoun ("the second one") as a number; the parsers that want
   it accept `one` explicitly.
2. **Per-field patterns anchored on their unit words.** A number is never read
   on its own: "4" is guests only next to a people-word or after "for"/"we are"/
   "family of", money only with a currency, a price cue ("under", "budget", a
   "k") or a price scope ("a night", "in total"), nights only before "nights"/
   "days"/"weeks"... Each parser also checks what a number is *not* (followed
   by "nights" it is not a head count; after a month name it is not a price).
   That is what lets every parser pick its own part of "Lisbon for 4 under 150
   from March 4 to 11 with 2 bedrooms, rated 4.5+".
3. **Dates**: our own patterns find and resolve date phrases (absolute dates,
   ranges, weekdays, weekends, "in two weeks"); `dateparser` is only a fallback
   for an isolated phrase after "from"/"until"/"check in"... that none of them
   understood, and only when the message has a date-ish token at all.

Speed and safety. Messages may be pasted pages (the module reads at most
`MAX_CHARS`). Python's `re` scans quickly only for patterns that begin with a
literal or a character class, so patterns are started at *anchors*: numbers
(`_at`: the pattern is tried at each digit run or "one", at most
`_MAX_NUMBERS` of them) or a leading word written without `\\b` (`_words`: the
word boundary is checked in Python). Context checks look at small windows
around an anchor, never across the whole text, and nothing nests unbounded
quantifiers, so there is no catastrophic backtracking. A message without a
date-ish token skips date parsing entirely after one cheap gate.

Inside one message the *last* mention of a value wins ("3 nights, no, 4
nights"), because travellers correct themselves mid-sentence; the exception is
`parse_ordinal`, where the first option named is the one asked about.

Everything returns a small frozen dataclass (or an int/float) or None; nothing
raises on odd input. Out-of-range values (0 guests, a negative budget, "10
stars") are returned as said, so the caller can question them instead of having
them silently dropped here.
"""
from __future__ import annotations

import threading

from constraints.query import StayDates  # the engine's own stay type, so dates need no conversion

from .bedrooms import parse_bedrooms
from .budget import parse_budget
from .dates import names_arrival, parse_dates, warm_up
from .guests import joining, parse_guests
from .negation import is_negated, negated_spans
from .nights import parse_nights
from .ordinal import parse_ordinal
from .rating import parse_rating
from .results import Budget, DateProblem, GuestCount
from .scan import MAX_CHARS
from .text import words_to_number

__all__ = [
    "GuestCount", "Budget", "StayDates", "DateProblem",
    "joining", "parse_guests", "parse_budget", "parse_nights", "parse_dates", "parse_rating",
    "parse_ordinal", "parse_bedrooms", "words_to_number", "negated_spans", "is_negated",
    "names_arrival", "warm_up", "MAX_CHARS",
]

threading.Thread(target=warm_up, name="dateparser-warm-up", daemon=True).start()
