"""Minimum bedrooms."""
from __future__ import annotations

import re

from .guests import _NB
from .scan import _at, _before, _first, _number_starts
from .text import _normalise, _num

_RE_BEDROOMS = re.compile(
    rf"{_NB}(?P<n>\d{{1,2}}|one)(?: ?-? ?)(?:(?:bed(?:room)?|bedrooms|bed rooms?|bedrms?|bdrms?|bdr|brs?|b/r|brm"
    r"|bedroon|bedrom|bedroms)\b|br(?=[a-z]))")
_RE_BEDROOMS_COLON = re.compile(r"bed(?:room)?s? ?[:=] ?(?:at least |min(?:imum)? )?(?P<n>\d{1,2})\b")
_RE_RANGE_LOW_BEFORE = re.compile(r"(?<![\d.,])(?P<low>\d{1,2}) ?(?:-|to|or) ?$")
_RE_BREAKFAST_AFTER = re.compile(r" ?(?:and|&|n) ?breakfast")


def parse_bedrooms(text: str) -> int | None:
    """Minimum bedrooms: "3 bedrooms", "three-bedroom", "3br", "a 2 bed".

    "N bed" (singular, estate-agent style) means bedrooms, but "N beds" does
    not: it counts beds, and a two-bedroom flat may have four. "N rooms" is not
    read either: in much of Europe a "2-room" flat has one bedroom. A studio is
    a property type, not 0 bedrooms.
    """
    t = _normalise(text)
    if not t or not ("b" in t and _number_starts(t)):
        return None
    found = [m for m in _at(_RE_BEDROOMS, t) if not _RE_BREAKFAST_AFTER.match(t, m.end())]
    if found:
        low = _before(_RE_RANGE_LOW_BEFORE, t, found[-1].start(), 8)  # "3-4 bedrooms": at least 3
        return int(low.group("low")) if low else _num(found[-1].group("n"))
    m = _first(_RE_BEDROOMS_COLON, t) if "bed" in t else None
    return int(m.group("n")) if m else None
