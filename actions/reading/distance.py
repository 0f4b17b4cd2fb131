"""How far from the centre of the destination the traveller wants to be.

"within 1 km of the centre", "less than 500 m from downtown", "2 miles from
the old town" give a distance; "close to the city centre", "in the centre",
"somewhere central" give none, and mean the engine's own idea of close
(engine.yml `distances: central_km`, passed in by the caller). Every word is
in knowledge/phrases/distance.yml; the patterns only say how they combine.
A negated mention ("doesn't need to be central") is not read.
"""
from __future__ import annotations

import re

from .negation import _negated_spans_norm
from .scan import _words
from .text import _normalise
from .vocab import PHRASES, phrase_alt, table

_METRES: dict[str, int] = PHRASES.values("distance", "units")
#: a message naming none of these says nothing of the centre: the patterns are not tried
_GATE = table("distance", "centre", "central")


def _alt(*names: str) -> str:
    """The phrases of the distance tables, a space also matching a hyphen ("city-centre")."""
    return phrase_alt(table("distance", *names)).replace(r"\ ", "[ -]")


_CENTRE = rf"(?:{_alt('centre')})(?![a-z])"
_RE_DISTANCE = re.compile(
    rf"(?P<n>\d{{1,5}}(?:[.,]\d{{1,3}})?|one|an?) ?(?P<unit>{phrase_alt(_METRES)})(?![a-z]) "
    rf"(?:{_alt('links')}) {_CENTRE}")
_RE_NEAR = re.compile(rf"(?:{_alt('near')}) {_CENTRE}")
_RE_CENTRAL = re.compile(rf"(?:{_alt('central')})(?![a-z])")
# "central park", "central heating": the word names something else there
_RE_NOT_CENTRAL_AFTER = re.compile(rf" (?:{_alt('not_central')})(?![a-z])")


def _amount(word: str) -> float:
    """'1.5', '1,5' and 'one' as numbers; '1,500' (three digits after the comma) is fifteen hundred."""
    if word in ("one", "a", "an"):
        return 1.0
    whole, _, part = word.replace(",", ".").partition(".")
    if "," in word and len(part) == 3:
        return float(whole + part)
    return float(word.replace(",", "."))


def parse_centre_km(text: str, central_km: float) -> float | None:
    """The greatest distance from the centre asked for, in km (`central_km` when no number is given).

    The last mention wins, as everywhere in the reader ("within 2 km of the
    centre, no, 1 km from the centre"). Zero or absurd distances are returned
    as said, for the caller to question.
    """
    t = _normalise(text)
    if not t or not any(word in t for word in _GATE):
        return None
    negated = _negated_spans_norm(t)

    def said(m: re.Match[str]) -> bool:
        return not any(s <= m.start() < e for s, e in negated)

    found: list[tuple[int, float]] = []
    for m in _words(_RE_DISTANCE, t):
        if said(m):
            found.append((m.start(), _amount(m.group("n")) * _METRES[m.group("unit")] / 1000))
    for m in _words(_RE_NEAR, t):
        if said(m):
            found.append((m.start(), central_km))
    for m in _words(_RE_CENTRAL, t):
        if said(m) and not _RE_NOT_CENTRAL_AFTER.match(t, m.end()):
            found.append((m.start(), central_km))
    return max(found)[1] if found else None
