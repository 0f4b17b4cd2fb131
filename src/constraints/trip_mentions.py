"""Whether a message the intent classifier could not place still states a trip.

"Kuala Lumpur", "FIREPLACE PLEASE IT'S COLD", "I'll be in SD." come back from
DIET below the fallback threshold or as out of scope, and the traveller hears
"Sorry, I didn't catch that" although the message names a place or an
amenity the engine knows. This module finds those names with the engine's own
vocabularies and gazetteer, so the NLU pipeline (rasa_project/addons/
trip_rescue.py) can treat such a message as a search instead of a fallback.

It is deliberately strict: a name must be exact (no typo correction), must not
be made of common English words ("nice", "reading"), and a place outside the
catalog must be capitalised unless the whole message is in one case, as many
travellers type, or it is a name of several words after a place word ("off to
long beach, ca"),
and must follow a place word ("in", "to": phrases/mentions.yml)
or be all the message says besides common words ("Chicago", "Kuala Lumpur
please"), so "Reading is fun" names no trip.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import UnknownValueError
from .normalise import Normaliser
from .phrases import Phrases
from .text import fold

#: a word of a place name; dots and apostrophes stay inside ("S.D", "Martha's")
PLACE_WORD = re.compile(r"[^\W_](?:[\w'’.-]*[^\W_])?")
#: the longest place name looked up as one phrase, in words ("Rio de Janeiro")
_MAX_WORDS = 4


@dataclass(frozen=True)
class PlaceSpan:
    """A place named in a message, where it was said, and what it resolves to."""

    text: str
    start: int
    end: int
    value: str
    in_catalog: bool


@dataclass(frozen=True)
class TripMentions:
    """The places, amenities and kinds of stay a message names."""

    places: tuple[PlaceSpan, ...]
    amenities: tuple[str, ...]
    property_types: tuple[str, ...]
    #: nothing but the places and common words ("Kuala Lumpur please", "I'm going to Porto.")
    only_places: bool

    def __bool__(self) -> bool:
        return bool(self.places or self.amenities or self.property_types)


def place_words(phrases: Phrases) -> frozenset[str]:
    """The folded words after which a name is meant as a place (phrases/mentions.yml `before_place`)."""
    return frozenset(fold(w) for w in phrases.words("mentions", "before_place"))


def trip_mentions(text: str, normaliser: Normaliser, place_words: frozenset[str],
                  unclear: bool = False) -> TripMentions:
    """Every exact place, amenity and property-type name in `text`.

    `place_words` are the folded words that show a name is meant as a place
    ("in", "to", "visiting"). A single lower-case word after one is taken for
    a place only in a message the classifier could not place (`unclear`: "I'll
    be in sacramento."): in any message it would too often be a common noun
    that is also a town somewhere.
    """
    places = _places(text, normaliser, place_words, unclear)
    rest = text
    for span in reversed(places):
        rest = rest[:span.start] + " " + rest[span.end:]
    return TripMentions(
        places=tuple(places),
        amenities=tuple(m.value for m in normaliser.amenities.find_in(text)),
        property_types=tuple(m.value for m in normaliser.property_types.find_in(text)),
        only_places=bool(places) and all(w in normaliser.common_words for w in fold(rest).split()),
    )


def _places(text: str, normaliser: Normaliser, place_words: frozenset[str], unclear: bool) -> list[PlaceSpan]:
    words = [(m.start(), m.end()) for m in PLACE_WORD.finditer(text)]
    folded = [fold(text[start:end]) for start, end in words]
    one_case = text == text.lower() or text == text.upper()
    taken = [False] * len(words)
    found: list[PlaceSpan] = []
    for size in range(min(_MAX_WORDS, len(words)), 0, -1):
        for first in range(len(words) - size + 1):
            if any(taken[first:first + size]):
                continue
            start, end = words[first][0], words[first + size - 1][1]
            before = folded[max(0, first - 2):first]
            meant = any(" ".join(before[i:]) in place_words for i in range(len(before)))
            # lower case after a place word only for a name of several words ("in long beach, ca") or in an
            # unclear message: one lower-case word after "to" is often a common noun that is also a town
            span = _place(text[start:end], start, end, normaliser, one_case or (meant and (size > 1 or unclear)))
            if span is not None and not span.in_catalog:
                rest = folded[:first] + folded[first + size:]
                if not (meant or all(w in normaliser.common_words for w in rest)):
                    continue
            if span is not None:
                taken[first:first + size] = [True] * size
                found.append(span)
    return sorted(found, key=lambda s: s.start)


def _place(phrase: str, start: int, end: int, normaliser: Normaliser, any_case: bool) -> PlaceSpan | None:
    key = fold(phrase)
    if not key or all(word in normaliser.common_words or word.isdigit() for word in key.split()):
        return None
    in_catalog = key in normaliser.locations.index
    if not (in_catalog or any_case or phrase[:1].isupper()):
        return None
    try:
        resolved = normaliser.location(phrase)
    except UnknownValueError:
        return None
    if resolved.corrected:
        return None
    return PlaceSpan(phrase, start, end, str(resolved.value), resolved.elsewhere is None)
