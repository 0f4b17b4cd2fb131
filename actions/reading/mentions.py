"""Whether a name was clearly meant as a place or an amenity, before "I don't know X" is said.

DIET tags spans, and a fuzzy match finds near names; both sometimes land on
ordinary words ("So please find me...", "a 4.4 rating or higher", "a semi
high rating"). Saying "I don't know 'So'. Did you mean Sopot?" tells the
traveller we did not listen. So an unknown name is only questioned when the
message clearly meant it: it is not made of common English words
(knowledge/phrases/common_words.yml) and it either follows a place or amenity
word ("in Atlantis", "with a helipad"), answers the question just asked, or is
close enough to a known name for a "did you mean" to help
(`did_you_mean_min` in engine.yml).
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from constraints.text import fold
from constraints.trip_mentions import place_words

from .vocab import _BEFORE_AMENITY, _BEFORE_PLACE, _CALENDAR_WORDS, COMMON_WORDS, PHRASES

#: used when a knowledge base's engine.yml has no `reading:` section
DID_YOU_MEAN_MIN = 80.0
#: the folded words after which a name is meant as a place ("in", "to", "visiting")
PLACE_WORDS = place_words(PHRASES)

# a capitalised name (up to three words) after a place word: "a place in Atlantis"
_RE_PLACE_AFTER = re.compile(rf"\b(?i:{_BEFORE_PLACE})\s+((?:[A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+){{0,2}})")
_RE_PLACE_WORD_BEFORE = re.compile(rf"\b(?:{_BEFORE_PLACE})\s+(?:the\s+)?$", re.IGNORECASE)
_RE_UNKNOWN_WISH = re.compile(
    rf"^(?:and |also |plus )?(?:{_BEFORE_AMENITY}) (?:a |an |some |the )?([a-z][a-z ]{{2,29}}?)(?: please)?$")


def all_common_words(text: str) -> bool:
    """True when every word of `text` is a common English word or a number ("so please", "2 of us")."""
    return all(word in COMMON_WORDS or word.isdigit() for word in fold(text).split())


def is_calendar_word(text: str) -> bool:
    """A month or weekday ("June", "fri"): DIET sometimes tags one as a place."""
    return fold(text) in _CALENDAR_WORDS


def after_place_word(text: str, start: int | None) -> bool:
    """Whether the span starting at `start` follows "in"/"to"/"visiting"...: then it was meant as a place."""
    return start is not None and _RE_PLACE_WORD_BEFORE.search(text, max(0, start - 20), start) is not None


def similarity(name: str, known: Iterable[str]) -> float:
    """How close `name` is to the nearest known name (0-100, rapidfuzz's ratio on folded text)."""
    keys = list(known)
    best = process.extractOne(fold(name), keys, scorer=fuzz.ratio) if keys else None
    return float(best[1]) if best else 0.0


def capitalised_place_names(text: str) -> list[str]:
    """Capitalised names after a place word, in order ("a flat in Atlantis" -> ["Atlantis"])."""
    return [m.group(1) for m in _RE_PLACE_AFTER.finditer(text)]


def unknown_wish(folded: str) -> str | None:
    """'with a helipad' -> 'helipad': a short wish for a thing, unless it is only common words."""
    match = _RE_UNKNOWN_WISH.match(folded)
    if match is None or all_common_words(match.group(1)):
        return None
    return match.group(1)
