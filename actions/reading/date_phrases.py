"""Finding date phrases (atoms) in a message: absolute dates, ranges, weekdays, offsets."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from .nights import _RE_WEEKEND_UNIT
from .scan import _MAX_CANDIDATES, _at, _before, _number_starts, _words
from .text import _num, _suffix
from .vocab import (
    _ARRIVAL_CUES,
    _ARRIVAL_GLUE,
    _ARRIVAL_WORDS,
    _BEFORE_HOLIDAY,
    _BEFORE_MONTH,
    _BEFORE_NOW,
    _CALENDAR_STEMS,
    _COUNTED_FROM,
    _CUR_WORD_ALT,
    _DAY_AFTER,
    _DAY_NOUNS,
    _DAY_PREPOSITION,
    _DAY_UNITS,
    _DEPARTURE_CUES,
    _DEPARTURE_GLUE,
    _DEPARTURE_WORDS,
    _FALLBACK_ARRIVAL,
    _FALLBACK_DEPARTURE,
    _FALLBACK_ENDS,
    _FALLBACK_NOT_DATE,
    _HOLIDAYS,
    _MON,
    _MON_G,
    _MONTH_NUM,
    _MONTH_UNITS,
    _MONTHS_ALSO_VERBS,
    _NIGHT_AFTER_DAY,
    _NOT_AFTER_NOW,
    _NOT_DAY_AFTER_WORDS,
    _NOT_DAY_BEFORE,
    _NOT_DAY_NOUNS,
    _NOT_MONTH_AFTER,
    _NOT_PEOPLE_UNITS,
    _NOT_WEEKDAY_AFTER,
    _NOW,
    _NOW_OR_TODAY,
    _NUMERIC_DEPARTURE,
    _OFFSET_AFTER,
    _OFFSET_BEFORE,
    _OFFSET_UNITS,
    _ORD,
    _ORDINAL_CUE_GLUE,
    _ORDINAL_CUES,
    _PERIOD_QUALIFIERS,
    _PERIOD_UNITS,
    _RANGE_LINKS,
    _RATING_AFTER,
    _RATING_BEFORE,
    _RE_NOT_PEOPLE_AFTER,
    _SAID_AFTER_BREAKS,
    _SAID_AFTER_LINKS,
    _SINGLE,
    _SYM,
    _THIS_PERIOD,
    _TODAY,
    _TOMORROW,
    _TONIGHT,
    _UNTIL,
    _WEEK_UNITS,
    _WEEKDAY_ABBR,
    _WEEKDAY_AFTER,
    _WEEKDAY_COMING,
    _WEEKDAY_CUES,
    _WEEKDAY_LAST,
    _WEEKDAY_NEXT,
    _WEEKDAY_NUM,
    _WEEKDAY_THIS,
    _WEEKDAY_WORD_CUES,
    _WEEKDAY_WORDS,
    _WEEKEND_LONG,
    _WEEKEND_NEXT,
    _WEEKEND_QUALIFIERS,
    _WEEKEND_UNITS,
    _YESTERDAY,
    phrase_alt,
    table,
)

# The patterns keep digits, punctuation and word order; their words come from
# knowledge/phrases/calendar.yml through vocab (one phrase a line there).
_DAY = r"(?:[0-2]?\d|3[01])"
_YEAR = r"(?:(?:,? |-)(?P<year>20\d{2}|'\d{2}))?"
_CONNECT = rf" ?(?:-|{_UNTIL}|{_RANGE_LINKS}) ?"
_NOT_DAY_AFTER = rf"(?! ?(?:{_NOT_PEOPLE_UNITS}|{_NOT_DAY_AFTER_WORDS}|:|[.,]\d))"
_COUNT = rf"\d{{1,3}}|{_SINGLE}"

_RE_ISO = re.compile(r"(?<![\d/.-])(?P<y>20\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?![\d/.-]?\d)")
_RE_NUM_YEAR = re.compile(r"(?<![\d/.-])(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>20\d{2}|\d{2})(?![\d/.-]?\d)")
_RE_NUM = re.compile(r"(?<![\d/.,-])(?P<a>\d{1,2})/(?P<b>\d{1,2})(?![\d/]|[.,]\d)")
_RE_NUM_DOT = re.compile(r"(?<![\d/.,-])(?P<a>\d{1,2})\.(?P<b>\d{1,2})\.(?!\d)")  # German style "4.3."
_RE_ON_BEFORE = re.compile(rf"\b(?:{_DAY_PREPOSITION}) $")
_RE_NUM_DASH = re.compile(r"(?<![\d/.,-])(?P<a>\d{1,2})-(?P<b>\d{1,2})(?![\d/-]|[.,]\d)")
_RE_RANGE_DM = re.compile(
    rf"(?<![\d.,/'-])(?P<d1>{_DAY}){_ORD}?{_CONNECT}(?:the )?(?P<d2>{_DAY}){_ORD}? (?:of )?{_MON_G}{_YEAR}")
_RE_DM = re.compile(rf"(?<![\d.,/'-])(?P<d>\d{{1,2}}){_ORD}?[ -](?:of[ -])?{_MON_G}{_YEAR}")
_RE_ORD_DAY = re.compile(
    rf"(?<![\d.,/])(?<!\d-)(?P<d>\d{{1,2}}){_ORD}\b(?! ?(?:of )?{_MON})(?! ?(?:{_NOT_DAY_NOUNS})\b)")
_RE_DAY_NOUN_AFTER = re.compile(rf" ?(?:{_DAY_NOUNS})\b")
_RE_ORD_OF_MONTH = re.compile(rf"(?<![\d.,/-])(?P<d>{_DAY}){_ORD}? of "
                              rf"(?P<w>{_PERIOD_QUALIFIERS}) (?:{phrase_alt(_MONTH_UNITS)})\b")
_RE_RANGE_MD = re.compile(
    rf"{_MON_G} (?:the )?(?P<d1>{_DAY}){_ORD}?(?![\d/.,])(?:,)?{_CONNECT}(?:the )?(?P<d2>{_DAY}){_ORD}?(?![\d/.,:])"
    rf"(?! ?(?:of )?{_MON}){_NOT_DAY_AFTER}{_YEAR}")
_RE_MD = re.compile(rf"{_MON_G}[ -]?(?:the )?(?P<d>\d{{1,2}}){_ORD}?(?![\d/:]|[.,]\d){_NOT_DAY_AFTER}{_YEAR}")
_WEEKDAY_FULL = phrase_alt(k for k in _WEEKDAY_NUM if len(k) > 4)
_RE_ORD_CONTEXT = re.compile(rf"(?:\b(?:{_WEEKDAY_FULL}|{_ORDINAL_CUES})|-)(?: (?:{_ORDINAL_CUE_GLUE}))* ?$")
#: "the 5th is when we'd like to check out", "the 13th day we check out": the role said after the day
_RE_SAID_AFTER = re.compile(
    rf" (?:{_SAID_AFTER_LINKS})\b(?: (?!(?:{_SAID_AFTER_BREAKS})\b)[a-z']+){{0,6}}?"
    rf" (?:(?P<in>{_ARRIVAL_WORDS})|(?P<out>{_DEPARTURE_WORDS}))\b")
_RE_ARTICLE_A_BEFORE = re.compile(rf"\b(?:{_NOT_DAY_BEFORE}) ?$")
_RE_FROM_BEFORE_NOW = re.compile(rf"\b(?:{_BEFORE_NOW}) ?$")
_RE_NOT_AFTER_NOW = re.compile(rf" ?(?:{_NOT_AFTER_NOW})\b")
_RE_ORD_PAIR_AFTER = re.compile(rf"{_CONNECT}(?:the )?\d{{1,2}}{_ORD}")
_RE_DAY_AFTER_TOMORROW = re.compile(rf"(?:{_DAY_AFTER}) (?:{phrase_alt(_TOMORROW)})\b")
_RE_TOMORROW = re.compile(rf"(?:{phrase_alt(_TOMORROW)})\b")
_RE_NIGHT_AFTER_DAY = re.compile(rf" ?(?:{_NIGHT_AFTER_DAY})\b")
_RE_TODAY = re.compile(rf"(?:{phrase_alt(_TODAY)})\b")
_RE_YESTERDAY = re.compile(rf"(?:{phrase_alt(_YESTERDAY)})\b")
_RE_IN_N = re.compile(
    rf"(?:{_OFFSET_BEFORE}) (?P<n>{_COUNT}) (?P<u>{_OFFSET_UNITS})(?: (?:{_OFFSET_AFTER}))?\b")
_RE_FROM_NOW = re.compile(rf"(?:{_COUNTED_FROM}) (?:{_NOW_OR_TODAY})\b")
_RE_N_UNIT_BEFORE = re.compile(rf"(?<![\w.,])(?P<n>{_COUNT}) (?P<u>{_OFFSET_UNITS}) $")
_RE_WEEKDAY = re.compile(rf"(?P<wd>{phrase_alt(_WEEKDAY_NUM)})(?P<dot>\.)?(?![a-z])")
#: qualifiers that are part of the weekday phrase ("next Friday" starts at "next")
_WEEKDAY_QUALIFIERS = _WEEKDAY_NEXT | _WEEKDAY_THIS | _WEEKDAY_LAST | _WEEKDAY_COMING
_RE_WEEKDAY_QUAL = re.compile(rf"\b(?P<q>{phrase_alt(_WEEKDAY_QUALIFIERS | _WEEKDAY_CUES)}) $")
_RE_WEEKDAY_AFTER = re.compile(rf" (?P<q2>{phrase_alt(_WEEKDAY_AFTER)})\b")
#: `_weekday_date`'s name for "Friday this week / next week / after next", by weeks ahead
_WEEKS_AHEAD_QUAL = {0: "this week", 1: "next week", 2: "after next"}
_RE_NOT_WEEKDAY_AFTER = re.compile(rf" ?(?:{_NOT_WEEKDAY_AFTER})\b")
_RE_WEEKEND_QUAL = re.compile(rf"\b(?P<q>{_WEEKEND_QUALIFIERS}) (?P<long>(?:{_WEEKEND_LONG}) )?$")
_RE_MONTH_WORD = re.compile(_MON_G)
_RE_VAGUE_BEFORE = re.compile(rf"\b(?:{_BEFORE_MONTH}) -?(?:the )?$")
_RE_VAGUE_AFTER = re.compile(r"(?: of)? (?P<year>20\d{2})\b")
_RE_NEXT_PERIOD = re.compile(rf"(?:{_PERIOD_QUALIFIERS}) (?P<unit>{phrase_alt(_PERIOD_UNITS)})\b")
_RE_HOLIDAY = re.compile(rf"(?P<h>{phrase_alt(_HOLIDAYS)})\b")
_RE_HOLIDAY_BEFORE = re.compile(rf"\b(?:{_BEFORE_HOLIDAY}) (?:the )?$")
#: a cheap first look: a message with none of these words (nor a date-like number) has no date
_GATE_WORDS = phrase_alt([*_WEEKEND_UNITS, *_YESTERDAY, *_NOW, *_HOLIDAYS, *_WEEKDAY_NEXT, *_WEEKDAY_THIS,
                          *_WEEKEND_NEXT, *table("calendar", "day_after", "this_period", "next_period")])
_RE_DATE_GATE_WORDS = re.compile(rf"{_CALENDAR_STEMS}|{_GATE_WORDS}|(?:{_OFFSET_BEFORE}) (?:{_SINGLE}) ")
_RE_DATE_GATE_DIGITS = re.compile(rf"\d(?:[/-]\d|\.\d{{1,2}}\.(?:\d| |$)|{_ORD}\b| (?:{_OFFSET_UNITS})\b)")
_RE_STRONG_DATE = re.compile(rf"{_MON}|\b(?:{phrase_alt(_WEEKDAY_NUM)})\b|\d[/-]\d|\d{_ORD}\b|\d\.\d{{1,2}}\.(?!\d)")
_RE_IN_MARK = re.compile(rf"\b(?:{_ARRIVAL_CUES})(?: (?:{_ARRIVAL_GLUE}))*[ :,-]*$")
_RE_OUT_MARK = re.compile(rf"(?:\b(?:{_DEPARTURE_CUES})|-)(?: (?:{_DEPARTURE_GLUE}))*[ :,-]*$")
_RE_OUT_WORD_BEFORE = re.compile(rf"\b(?:{_NUMERIC_DEPARTURE})(?: (?:{_DAY_PREPOSITION}))? ?$")
_RE_AND_BEFORE = re.compile(rf"\b(?:{_RANGE_LINKS}) (?:the )?$")
_RE_BARE_END_DAY = re.compile(rf" ?(?:-|{_UNTIL}) ?(?:the )?(?P<d>{_DAY})(?![\d/.,:]){_ORD}?\b"
                              rf"(?! ?(?:of )?{_MON}){_NOT_DAY_AFTER}")
_RE_FALLBACK_PHRASE = re.compile(
    rf"(?P<mark>(?:{_FALLBACK_ARRIVAL}|{_FALLBACK_DEPARTURE})(?: (?:{_DAY_PREPOSITION}))?)"
    r" (?P<p>[\w'./-]+(?: [\w'./-]+){0,3})")
_RE_FALLBACK_NOT_DATE = re.compile(rf"{_FALLBACK_NOT_DATE}|{_SYM}|{_CUR_WORD_ALT}")
_RE_FALLBACK_OUT = re.compile(_FALLBACK_DEPARTURE)
_RE_FALLBACK_CUT = re.compile(rf" (?:{_FALLBACK_ENDS})\b|[,;!?]")
_RE_RATING_CONTEXT_BEFORE = re.compile(rf"\b(?:{_RATING_BEFORE})\b[^\d]{{0,15}}$")
_RE_RATING_CONTEXT_AFTER = re.compile(rf" ?(?:{_RATING_AFTER})\b")
_MAY_VERB_AFTER = re.compile(rf" (?:{_NOT_MONTH_AFTER})\b")


@dataclass(frozen=True)
class _DateAtom:
    start: int
    end: int
    kind: str                   # ymd | range | weekday | weekend | offset | vague
    y: int | None = None
    m: int | None = None
    d: int | None = None
    y2: int | None = None
    m2: int | None = None
    d2: int | None = None
    qual: str = ""
    value: int = 0              # weekday number, or an offset in days (months if qual == "months")
    long: bool = False
    label: str = ""


class _Unclear(Exception):
    pass


def _year(token: str | None) -> int | None:
    if not token:
        return None
    token = token.strip("'")
    return 2000 + int(token) if len(token) == 2 else int(token)


def _fmt(d: date) -> str:
    return f"{calendar.day_name[d.weekday()]} {d.day} {calendar.month_name[d.month]} {d.year}"


def _month_name(m: int) -> str:
    return calendar.month_name[m] if 1 <= m <= 12 else str(m)


def _safe_date(y: int | None, m: int | None, d: int | None) -> date:
    try:
        return date(y or 0, m or 0, d or 0)
    except (ValueError, TypeError):
        raise _Unclear(f"{d} {_month_name(m or 0)} is not a date") from None


def _next_occurrence(m: int, d: int, today: date) -> date:
    """The next (month, day) on or after today; 29 February waits for a leap year."""
    if not 1 <= m <= 12 or not 1 <= d <= calendar.monthrange(2000, m)[1]:
        raise _Unclear(f"{d} {_month_name(m)} is not a date")
    for year in range(today.year, today.year + 9):
        try:
            candidate = date(year, m, d)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise _Unclear(f"{d} {_month_name(m)} is not a date")  # pragma: no cover - unreachable


def _next_day_of_month(d: int, today: date) -> date:
    if not 1 <= d <= 31:
        raise _Unclear(f"the {d}{_suffix(d)} is not a day of the month")
    y, m = today.year, today.month
    for _ in range(13):
        if d <= calendar.monthrange(y, m)[1] and date(y, m, d) >= today:
            return date(y, m, d)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    raise _Unclear(f"the {d}{_suffix(d)} is not a day of the month")  # pragma: no cover


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _weekend(today: date, qual: str) -> tuple[date, date]:
    """(arrival, departure) of "this"/"next" weekend: Friday and Saturday nights.

    "next weekend" is the weekend after this (Monday-based) week's one. "this
    weekend" is the coming one; on a Saturday only Saturday night is left, and
    on a Sunday it is over, so the coming Friday is meant.
    """
    wd = today.weekday()
    this_friday = today - timedelta(days=wd) + timedelta(days=4)
    if qual == "next" or wd == 6:
        return this_friday + timedelta(days=7), this_friday + timedelta(days=9)
    if wd == 5:
        return today, today + timedelta(days=1)
    return this_friday, this_friday + timedelta(days=2)


def _weekday_date(wd: int, qual: str, today: date) -> date:
    """A weekday named alone or with this/next/last.

    Bare "Friday" and "this Friday" are the first Friday after today (people
    say "today" for today; "this Friday" said on a Friday is today). "next
    Friday" is the Friday of next (Monday-based) week - the same rule as "next
    weekend"; from Friday to Sunday it is also the coming one. "last Friday"
    is in the past.
    """
    days_ahead = (wd - today.weekday()) % 7
    monday = today - timedelta(days=today.weekday())
    if qual == "last":
        return today - timedelta(days=(today.weekday() - wd) % 7 or 7)
    if qual in ("next", "next week"):
        return monday + timedelta(days=7 + wd)
    if qual == "after next":
        return monday + timedelta(days=14 + wd)
    if qual == "this week":
        return monday + timedelta(days=wd)
    if qual == "this" and days_ahead == 0:
        return today
    return today + timedelta(days=days_ahead or 7)


def _find_date_atoms(t: str) -> list[_DateAtom]:
    """Every date phrase in the text, longest first where they overlap."""
    atoms: list[_DateAtom] = []
    has_numbers = bool(_number_starts(t))
    if has_numbers:
        for m in _at(_RE_ISO, t):
            atoms.append(_DateAtom(m.start(), m.end(), "ymd", int(m.group("y")), int(m.group("m")), int(m.group("d"))))
        for m in _at(_RE_NUM_YEAR, t):
            a, b = int(m.group("a")), int(m.group("b"))
            day, mon = (b, a) if b > 12 >= a else (a, b)
            if 1 <= mon <= 12 and 1 <= day <= 31:
                atoms.append(_DateAtom(m.start(), m.end(), "ymd", _year(m.group("y")), mon, day))
        dotted = [m for m in _at(_RE_NUM_DOT, t)  # "4.5." ends many a sentence: only with a date word before
                  if _before(_RE_IN_MARK, t, m.start()) or _before(_RE_OUT_WORD_BEFORE, t, m.start(), 25)
                  or _before(_RE_ON_BEFORE, t, m.start(), 5)]
        for m in _at(_RE_NUM, t) + dotted:
            if _before(_RE_RATING_CONTEXT_BEFORE, t, m.start(), 25) or _RE_RATING_CONTEXT_AFTER.match(t, m.end()) \
                    or _RE_NOT_PEOPLE_AFTER.match(t, m.end()) or m.group(0) in ("24/7", "50/50", "1/2"):
                continue
            a, b = int(m.group("a")), int(m.group("b"))
            day, mon = (b, a) if b > 12 >= a else (a, b)
            if 1 <= mon <= 12 and 1 <= day <= 31:  # "50/50", "0/5" are not dates at all
                atoms.append(_DateAtom(m.start(), m.end(), "ymd", None, mon, day))
        for m in _at(_RE_NUM_DASH, t):
            if not (_before(_RE_IN_MARK, t, m.start()) or _before(_RE_OUT_WORD_BEFORE, t, m.start(), 25)) \
                    or _RE_NOT_PEOPLE_AFTER.match(t, m.end()):
                continue
            a, b = int(m.group("a")), int(m.group("b"))
            day, mon = (b, a) if b > 12 >= a else (a, b)
            if 1 <= mon <= 12 and 1 <= day <= 31:
                atoms.append(_DateAtom(m.start(), m.end(), "ymd", None, mon, day))
        for m in _at(_RE_RANGE_DM, t):
            if _month_ok(t, m):
                y, mon = _year(m.group("year")), _MONTH_NUM[m.group("mon")]
                atoms.append(_DateAtom(m.start(), m.end(), "range", y, mon, int(m.group("d1")), y, mon,
                                       int(m.group("d2")), qual="dm"))
        for m in _at(_RE_DM, t):
            if _month_ok(t, m):
                atoms.append(_DateAtom(m.start(), m.end(), "ymd", _year(m.group("year")), _MONTH_NUM[m.group("mon")],
                                       int(m.group("d"))))
        for m in _at(_RE_ORD_DAY, t):
            said_after = _RE_SAID_AFTER.match(t, m.end())
            if _before(_RE_ARTICLE_A_BEFORE, t, m.start(), 3) or (
                    _RE_DAY_NOUN_AFTER.match(t, m.end()) and not said_after) or not (
                    _before(_RE_ORD_CONTEXT, t, m.start(), 30) or _RE_ORD_PAIR_AFTER.match(t, m.end()) or said_after):
                continue
            atoms.append(_DateAtom(m.start(), m.end(), "ymd", None, None, int(m.group("d"))))
        for m in _at(_RE_ORD_OF_MONTH, t):
            atoms.append(_DateAtom(m.start(), m.end(), "ymd", None, None, int(m.group("d")),
                                   qual="thismonth" if m.group("w") in _THIS_PERIOD else "nextmonth"))
    if _RE_MONTH_WORD.search(t):
        for m in _words(_RE_RANGE_MD, t):
            atoms.append(_DateAtom(m.start(), m.end(), "range", _year(m.group("year")), _MONTH_NUM[m.group("mon")],
                                   int(m.group("d1")), _year(m.group("year")), None, int(m.group("d2")), qual="md"))
        for m in _words(_RE_MD, t):
            if _month_ok(t, m):
                atoms.append(_DateAtom(m.start(), m.end(), "ymd", _year(m.group("year")), _MONTH_NUM[m.group("mon")],
                                       int(m.group("d"))))
        for m in _words(_RE_MONTH_WORD, t):  # a month with no day: vague
            year = _RE_VAGUE_AFTER.match(t, m.end())
            if not (_before(_RE_VAGUE_BEFORE, t, m.start(), 25) or year):
                continue
            if m.group("mon") in _MONTHS_ALSO_VERBS and _MAY_VERB_AFTER.match(t, m.end()):
                continue
            atoms.append(_DateAtom(m.start(), year.end() if year else m.end(), "vague",
                                   label=calendar.month_name[_MONTH_NUM[m.group("mon")]]))
    if any(word in t for word in _TOMORROW):
        for m in _words(_RE_DAY_AFTER_TOMORROW, t):
            atoms.append(_DateAtom(m.start(), m.end(), "offset", value=2))
        for m in _words(_RE_TOMORROW, t):
            night = _RE_NIGHT_AFTER_DAY.match(t, m.end())  # "tomorrow night": one night
            atoms.append(_DateAtom(m.start(), night.end() if night else m.end(), "offset", value=1,
                                   label="tonight" if night else ""))
    for m in _words(_RE_TODAY, t):
        word = m.group(0)
        if word in _NOW and (not _before(_RE_FROM_BEFORE_NOW, t, m.start(), 20)
                             or _RE_NOT_AFTER_NOW.match(t, m.end())):
            continue
        atoms.append(_DateAtom(m.start(), m.end(), "offset", value=0,
                               label="tonight" if word in _TONIGHT else ""))
    if any(word in t for word in _YESTERDAY):
        for m in _words(_RE_YESTERDAY, t):
            atoms.append(_DateAtom(m.start(), m.end(), "offset", value=-1))
    offsets = [(m.start(), m.end(), m.group("n"), m.group("u")) for m in _words(_RE_IN_N, t)]
    for m in _words(_RE_FROM_NOW, t):
        count = _before(_RE_N_UNIT_BEFORE, t, m.start(), 25)
        if count:
            offsets.append((count.start(), m.end(), count.group("n"), count.group("u")))
    for start, end, n_token, unit in offsets:
        n = _num(n_token) or 1
        if unit in _MONTH_UNITS:
            atoms.append(_DateAtom(start, end, "offset", value=n, qual="months"))
        else:
            atoms.append(_DateAtom(start, end, "offset",
                                   value=n * (1 if unit in _DAY_UNITS else 7 if unit in _WEEK_UNITS else 14)))
    for m in _words(_RE_WEEKDAY, t):
        word = m.group("wd")
        qm = _before(_RE_WEEKDAY_QUAL, t, m.start(), 15)
        q = qm.group("q") if qm else ""
        if word in _WEEKDAY_ABBR and not q and not m.group("dot"):
            continue
        if word in _WEEKDAY_WORDS and q in _WEEKDAY_WORD_CUES and _RE_NOT_WEEKDAY_AFTER.match(t, m.end()):
            continue  # "sat on the terrace", "sun in the garden"
        qual = "next" if q in _WEEKDAY_NEXT else "this" if q in _WEEKDAY_THIS else "last" if q in _WEEKDAY_LAST else ""
        after = _RE_WEEKDAY_AFTER.match(t, m.end())
        end = m.end()
        if after:
            qual, end = _WEEKS_AHEAD_QUAL[_WEEKDAY_AFTER[after.group("q2")]], after.end()
        start = qm.start("q") if qm and q in _WEEKDAY_QUALIFIERS else m.start()
        atoms.append(_DateAtom(start, end, "weekday", value=_WEEKDAY_NUM[word], qual=qual))
    if any(unit in t for unit in _WEEKEND_UNITS):
        for m in _words(_RE_WEEKEND_UNIT, t):
            qm = _before(_RE_WEEKEND_QUAL, t, m.start(), 20)
            if qm:
                qual = "next" if qm.group("q") in _WEEKEND_NEXT else "this"
                atoms.append(_DateAtom(qm.start(), m.end(), "weekend", qual=qual, long=bool(qm.group("long"))))
    if any(unit in t for unit in _PERIOD_UNITS):
        for m in _words(_RE_NEXT_PERIOD, t):
            atoms.append(_DateAtom(m.start(), m.end(), "vague", label=m.group(0)))
    for m in _words(_RE_HOLIDAY, t):
        if _before(_RE_HOLIDAY_BEFORE, t, m.start(), 15):
            atoms.append(_DateAtom(m.start(), m.end(), "vague", label=f"around {_HOLIDAYS[m.group('h')]}"))
    atoms.sort(key=lambda a: (-(a.end - a.start), a.start))
    kept: list[_DateAtom] = []
    for atom in atoms:
        if all(atom.end <= k.start or atom.start >= k.end for k in kept):
            kept.append(atom)
            if len(kept) >= _MAX_CANDIDATES:
                break
    kept.sort(key=lambda a: a.start)
    # "Friday 4 December", "Friday the 13th": the date says it all, the weekday is decoration
    return [a for i, a in enumerate(kept)
            if not (a.kind == "weekday" and not a.qual and i + 1 < len(kept) and kept[i + 1].kind in ("ymd", "range")
                    and re.fullmatch(r",? ?(?:the )?", t[a.end:kept[i + 1].start]))]


def _month_ok(t: str, m: re.Match[str]) -> bool:
    """"may" (calendar.yml `months_also_verbs`) is a month only when no verb follows ("4 may be fine")."""
    return not (m.group("mon") in _MONTHS_ALSO_VERBS and not m.group("year") and _MAY_VERB_AFTER.match(t, m.end()))
