"""How long the stay lasts, from nights, days, weeks, fortnights, months, weekends."""
from __future__ import annotations

import re

from .scan import _before, _first, _words
from .text import _normalise, _num
from .vocab import (
    _COUNTED_FROM,
    _CUR_WORD_ALT,
    _DAY_UNITS,
    _FORTNIGHT_UNITS,
    _MONTH_UNITS,
    _NOW_OR_TODAY,
    _SYM,
    _SYM_CHARS,
    _TOMORROW,
    _WEEK_UNITS,
    _WEEKEND_LONG,
    _WEEKEND_UNITS,
    phrase_alt,
)

_RE_NIGHT_UNIT = re.compile(r"(?:nights?|nites?|nigths?|nigts?|nighs?|evenings?)\b")
# the calendar units come from knowledge/phrases/calendar.yml, shared with the date reader ("in 2 weeks")
_RE_DAY_UNIT = re.compile(rf"(?:{phrase_alt(_DAY_UNITS)})\b")
_RE_WEEK_UNIT = re.compile(rf"(?:{phrase_alt(_WEEK_UNITS)})\b")
_RE_MONTH_UNIT = re.compile(rf"(?:{phrase_alt(_MONTH_UNITS)})\b")
_RE_FORTNIGHT_UNIT = re.compile(rf"(?:{phrase_alt(_FORTNIGHT_UNITS)})\b")
_RE_WEEKEND_UNIT = re.compile(rf"(?:{phrase_alt(_WEEKEND_UNITS)})\b")
_RE_LONG_BEFORE = re.compile(rf"\b(?:{_WEEKEND_LONG}) $")
_RE_COUNT_BEFORE = re.compile(
    rf"(?<![\w.,/:{_SYM_CHARS}'-])(?P<n>\d{{1,4}}|one|a|an|the|single)(?: ?-? ?)"
    r"(?:(?:full|whole|entire|more|extra|single|straight|consecutive) )?$")
_RE_WEEKS_PLUS = re.compile(r" and (?:a half|(?P<d>\d{1,2}|one|a) (?:days?|nights?))\b")
_RE_ONE_NIGHT = re.compile(
    r"(?:for|just|only|stay|staying|book|booking|need|want) (?:a|one|1|a single|one single) night\b|overnight\b"
    r"|single night\b|(?:just|only|for) tonight\b")
_RE_PRICE_BEFORE = re.compile(rf"(?:\d|{_SYM}|\b(?:{_CUR_WORD_ALT}|k|max|tops))\s?$")
_RE_OFFSET_BEFORE = re.compile(r"\b(?:in|within|after|every|per|each|than|by|ago)\s?$")
_RE_ARTICLE_BAD_BEFORE = re.compile(r"\b(?:in|within|per|each|every|this|next|last|of|by)\s?$")
_RE_NIGHTS_BAD_BEFORE = re.compile(r"\b(?:in|after|within|per|every|each)\s?$")
_RE_JUST_BEFORE = re.compile(r"\b(?:for|just|only)\s?$")
_RE_THE_OK_BEFORE = re.compile(r"\b(?:for|all|whole|over|during)\s?$")
_RE_LENGTH_NOT_AFTER = re.compile(
    rf" ?(?:(?:{_COUNTED_FROM}) (?:{_NOW_OR_TODAY}|{phrase_alt(_TOMORROW)})"
    r"|ago|before|after|later|notice|in advance|away|out\b|earlier|prior|beforehand"
    r"|a week|per week|of (?:notice|the month|the week)|a month|per month|old\b)")


def _counted(t: str, unit: re.Pattern[str]) -> list[tuple[int, int, str]]:
    """(start, end, count word) for each "<count> <unit>", found from the unit backwards."""
    out = []
    for u in _words(unit, t):
        m = _before(_RE_COUNT_BEFORE, t, u.start(), 30)
        if m:
            out.append((m.start("n"), u.end(), m.group("n")))
    return out


def _length_ok(t: str, start: int, end: int, n: str) -> bool:
    """A length counts unless it is an offset ("in 2 weeks") or a price unit ("150 a week")."""
    before = t[max(0, start - 25):start]
    if n in ("a", "an", "the", "single"):
        if _RE_PRICE_BEFORE.search(before) or _RE_ARTICLE_BAD_BEFORE.search(before):
            return False
        if n == "the" and not _RE_THE_OK_BEFORE.search(before):
            return False
    elif _RE_OFFSET_BEFORE.search(before):
        return False
    return not _RE_LENGTH_NOT_AFTER.match(t, end)


def _nights_in(t: str) -> int | None:
    """Stay length in a normalised text: nights said as nights win (the booking unit), then the last of
    days/weeks/fortnights/months, then a weekend."""
    explicit = [(s, e, n) for s, e, n in _counted(t, _RE_NIGHT_UNIT)
                if n not in ("a", "an", "the") and not _before(_RE_NIGHTS_BAD_BEFORE, t, s, 8)]
    if explicit:
        return _num(explicit[-1][2])
    one = _first(_RE_ONE_NIGHT, t)
    if (one and not _RE_PRICE_BEFORE.search(t[max(0, one.start() - 12):one.start()])) \
            or re.match(r"(?:just |only )?(?:one|a) night\b", t):
        return 1
    lengths: list[tuple[int, int]] = []  # (position, nights): of days, weeks, fortnights, months the last said wins
    weeks = [(s, e, n) for s, e, n in _counted(t, _RE_WEEK_UNIT) if _length_ok(t, s, e, n)]
    plus_spans = []
    for s, e, n in weeks:
        value = 7 * (_num(n) or 1)
        plus = _RE_WEEKS_PLUS.match(t, e)  # "2 weeks and 3 days", "a week and a half"
        if plus:
            value += 3 if "half" in plus.group(0) else (_num(plus.group("d")) or 0)
            plus_spans.append((e, plus.end()))
        lengths.append((s, value))
    for s, e, n in _counted(t, _RE_DAY_UNIT):
        if _length_ok(t, s, e, n) and not re.match(r" ?(?:a|per) week", t[e:e + 10]) \
                and not any(ps <= s < pe for ps, pe in plus_spans) \
                and (n not in ("a", "an", "the") or (n != "the" and _before(_RE_JUST_BEFORE, t, s, 8))):
            lengths.append((s, _num(n) or 0))
    for u in _words(_RE_FORTNIGHT_UNIT, t):
        count = _before(_RE_COUNT_BEFORE, t, u.start(), 20)
        start = count.start("n") if count else u.start()
        before = t[max(0, start - 12):start]
        if not (re.search(r"\b(?:in|within|per|each|every)\s?$", before) or _RE_PRICE_BEFORE.search(before)
                or _RE_LENGTH_NOT_AFTER.match(t, u.end())):
            lengths.append((start, 14 * ((_num(count.group("n")) or 1) if count else 1)))
    for s, e, n in _counted(t, _RE_MONTH_UNIT):
        if _length_ok(t, s, e, n):
            lengths.append((s, 30 * (_num(n) or 1)))
    if lengths:
        return max(lengths)[1]
    for u in reversed(_words(_RE_WEEKEND_UNIT, t)):
        return 3 if _before(_RE_LONG_BEFORE, t, u.start(), 12) else 2
    return None


_RE_NIGHTS_GATE = re.compile(r"night|nite|nigt|nigh|day|week|fortnight|month|evening")


def parse_nights(text: str) -> int | None:
    """How many nights the stay lasts.

    "10 days" is 10 nights, not 9: travellers count the days they are away, and
    the rental sites they compare with list "10 days" for a 10-night stay. A
    week is 7, a fortnight/two weeks 14, a month 30, a weekend 2 (Friday and
    Saturday nights), a long weekend 3, "overnight"/"one night" 1. Offsets are
    not lengths ("in 2 weeks", "10 days from now", "a week ago"), nor are price
    units ("150 a night", "900 a week"). "a couple of nights" is 2; "a few
    nights" is None.
    """
    t = _normalise(text)
    if not t or not _RE_NIGHTS_GATE.search(t):
        return None
    return _nights_in(t)
