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
    _CALENDAR_STEMS,
    _CUR_WORD_ALT,
    _MON,
    _MON_G,
    _MONTH_NUM,
    _NOT_PEOPLE_UNITS,
    _RE_NOT_PEOPLE_AFTER,
    _SYM,
    _TODAY,
    _TOMORROW,
    _TONIGHT,
    _WEEKDAY_ABBR,
    _WEEKDAY_NUM,
    phrase_alt,
)

_DAY = r"(?:[0-2]?\d|3[01])"
_ORD = r"(?:st|nd|rd|th)"
_YEAR = r"(?:(?:,? |-)(?P<year>20\d{2}|'\d{2}))?"
_CONNECT = r" ?(?:-|to|until|till|til|through|thru|and) ?"
_NOT_DAY_AFTER = (r"(?! ?(?:" + _NOT_PEOPLE_UNITS + r"|one|option|choice|of us|people|guests?|adults?|kids?|children"
                  r"|p\.?m|a\.?m|h\b|:|[.,]\d))")

_RE_ISO = re.compile(r"(?<![\d/.-])(?P<y>20\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?![\d/.-]?\d)")
_RE_NUM_YEAR = re.compile(r"(?<![\d/.-])(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>20\d{2}|\d{2})(?![\d/.-]?\d)")
_RE_NUM = re.compile(r"(?<![\d/.,-])(?P<a>\d{1,2})/(?P<b>\d{1,2})(?![\d/]|[.,]\d)")
_RE_NUM_DOT = re.compile(r"(?<![\d/.,-])(?P<a>\d{1,2})\.(?P<b>\d{1,2})\.(?!\d)")  # German style "4.3."
_RE_ON_BEFORE = re.compile(r"\bon $")
_RE_NUM_DASH = re.compile(r"(?<![\d/.,-])(?P<a>\d{1,2})-(?P<b>\d{1,2})(?![\d/-]|[.,]\d)")
_RE_RANGE_DM = re.compile(
    rf"(?<![\d.,/'-])(?P<d1>{_DAY}){_ORD}?{_CONNECT}(?:the )?(?P<d2>{_DAY}){_ORD}? (?:of )?{_MON_G}{_YEAR}")
_RE_DM = re.compile(rf"(?<![\d.,/'-])(?P<d>\d{{1,2}}){_ORD}?[ -](?:of[ -])?{_MON_G}{_YEAR}")
_RE_ORD_DAY = re.compile(
    rf"(?<![\d.,/])(?<!\d-)(?P<d>\d{{1,2}}){_ORD}\b(?! ?(?:of )?{_MON})(?! ?(?:one|option|floor|bedroom|bathroom|place"
    r"|listing|property|result|choice|apartment|flat|house|villa|home|night|week|time|day|person|guest|adult|child|kid"
    r"|row|stop|bed|room|street|avenue|item|suggestion|offer|of|in|on the list|best|cheapest|last|from the)\b)")
_RE_ORD_OF_MONTH = re.compile(rf"(?<![\d.,/-])(?P<d>{_DAY}){_ORD}? of "
                              rf"(?P<w>next|this|the following|the coming) month\b")
_RE_RANGE_MD = re.compile(
    rf"{_MON_G} (?:the )?(?P<d1>{_DAY}){_ORD}?(?![\d/.,])(?:,)?{_CONNECT}(?:the )?(?P<d2>{_DAY}){_ORD}?(?![\d/.,:])"
    rf"(?! ?(?:of )?{_MON}){_NOT_DAY_AFTER}{_YEAR}")
_RE_MD = re.compile(rf"{_MON_G}[ -]?(?:the )?(?P<d>\d{{1,2}}){_ORD}?(?![\d/:]|[.,]\d){_NOT_DAY_AFTER}{_YEAR}")
_WEEKDAY_FULL = phrase_alt(k for k in _WEEKDAY_NUM if len(k) > 4)
_RE_ORD_CONTEXT = re.compile(
    rf"(?:\b(?:{_WEEKDAY_FULL})|\bfrom|\bon|\bto|\buntil|\btill|\btil|\bthrough|\bthru|-|\band|\barriv\w*"
    r"|\bcheck(?:ing)?[ -]?(?:in|out)"
    r"|\bleav\w*|\bdepart\w*|\bstart\w*|\bbetween|\bsince|\bby|\bback)(?: (?:on|the|date|is|of))* ?$")
_RE_ARTICLE_A_BEFORE = re.compile(r"\ba ?$")
_RE_FROM_BEFORE_NOW = re.compile(r"\b(?:from|starting|arriving|check(?:ing)? in) ?$")
_RE_ORD_PAIR_AFTER = re.compile(rf"{_CONNECT}(?:the )?\d{{1,2}}{_ORD}")
_RE_DAY_AFTER_TOMORROW = re.compile(rf"day after (?:{phrase_alt(_TOMORROW)})\b")
_RE_TOMORROW = re.compile(rf"(?:{phrase_alt(_TOMORROW)})\b")
_RE_TODAY = re.compile(rf"(?:{phrase_alt(_TODAY)})\b")
_RE_YESTERDAY = re.compile(r"yesterday\b")
_RE_IN_N = re.compile(r"in (?P<n>\d{1,3}|a|an|one) (?P<u>days?|weeks?|months?|fortnights?)(?: time)?\b")
_RE_FROM_NOW = re.compile(r"from (?:now|today)\b")
_RE_N_UNIT_BEFORE = re.compile(r"(?<![\w.,])(?P<n>\d{1,3}|a|an|one) (?P<u>days?|weeks?|months?|fortnights?) $")
_RE_WEEKDAY = re.compile(rf"(?P<wd>{phrase_alt(_WEEKDAY_NUM)})(?P<dot>\.)?(?![a-z])")
_RE_WEEKDAY_QUAL = re.compile(
    r"\b(?P<q>next|this|coming|the coming|upcoming|last|on|from|until|till|til|to|by|thru|through) $")
_RE_WEEKDAY_AFTER = re.compile(r" (?P<q2>next week|this week|after next)\b")
_RE_WEEKEND_QUAL = re.compile(
    r"\b(?P<q>this|next|the|coming|upcoming|the coming|the next|over the|at the|on the) (?P<long>long )?$")
_RE_MONTH_WORD = re.compile(_MON_G)
_RE_VAGUE_BEFORE = re.compile(
    r"\b(?:in|during|early|mid|late|end of|beginning of|start of|sometime in|around|until|till|from|the end of"
    r"|the start of|the beginning of|for|of|next|this) -?(?:the )?$")
_RE_VAGUE_AFTER = re.compile(r"(?: of)? (?P<year>20\d{2})\b")
_RE_NEXT_PERIOD = re.compile(r"(?:next|this|the following) (?P<unit>week|month)\b")
_RE_HOLIDAY = re.compile(r"(?P<h>christmas|xmas|new year'?s?(?: eve)?|easter)\b")
_RE_HOLIDAY_BEFORE = re.compile(r"\b(?:for|over|at|during|around|on|until|till|from) (?:the )?$")
_RE_DATE_GATE_WORDS = re.compile(
    rf"{_CALENDAR_STEMS}|week-?end|yesterday|next|this|now|christmas|xmas|easter|new year|day after"
    r"|in a |in an |in one ")
_RE_DATE_GATE_DIGITS = re.compile(
    r"\d(?:[/-]\d|\.\d{1,2}\.(?:\d| |$)|st\b|nd\b|rd\b|th\b| (?:days?|weeks?|months?|fortnights?)\b)")
_RE_STRONG_DATE = re.compile(rf"{_MON}|\b(?:{phrase_alt(_WEEKDAY_NUM)})\b|\d[/-]\d|\d{_ORD}\b|\d\.\d{{1,2}}\.(?!\d)")
_RE_IN_MARK = re.compile(
    r"(?:\bcheck(?:ing)?[ -]?in|\barriv(?:e|ing|al)|\bget(?:ting)? (?:there|in)|\bstart(?:ing)?|\bbegin(?:ning)?|\bfrom"
    r"|\bsince|\bcoming)(?: (?:on|date|day|is|will be|would be|at|from|of|around|about|the))*[ :,-]*$")
_RE_OUT_MARK = re.compile(
    r"(?:\bcheck(?:ing)?[ -]?out|\bleav(?:e|ing)|\bdepart(?:ing|ure)?|\bgo(?:ing)? (?:home|back)"
    r"|\bfly(?:ing)? (?:home|back)"
    r"|\buntil|\btill|\btil|\buntill|\bto|\bthrough|\bthru|\bup to|-|\bend(?:ing)?|\bback)(?: (?:on|date|day|is|will be"
    r"|would be|at|around|about|the))*[ :,-]*$")
_RE_OUT_WORD_BEFORE = re.compile(r"\b(?:to|until|till|til|check(?:ing)?[ -]?out|leaving)(?: on)? ?$")
_RE_AND_BEFORE = re.compile(r"\band (?:the )?$")
_RE_BARE_END_DAY = re.compile(rf" ?(?:-|to|until|till|til|through|thru) ?(?:the )?(?P<d>{_DAY})(?![\d/.,:]){_ORD}?\b"
                              rf"(?! ?(?:of )?{_MON}){_NOT_DAY_AFTER}")
_RE_FALLBACK_PHRASE = re.compile(
    r"(?P<mark>from|on|arriv\w*|check(?:ing)?[ -]?in(?: on)?|starting(?: on)?|until|till|to|leaving(?: on)?"
    r"|depart\w*|check(?:ing)?[ -]?out(?: on)?) (?P<p>[\w'./-]+(?: [\w'./-]+){0,3})")
_RE_FALLBACK_NOT_DATE = re.compile(rf"star|rat|review|score|{_SYM}|{_CUR_WORD_ALT}|night|people|guest|adult|bed")
_RE_FALLBACK_OUT = re.compile(r"until|till|to|leaving|depart|check(?:ing)?[ -]?out")
_RE_FALLBACK_CUT = re.compile(r" (?:to|until|till|for|and|with|under|in|at|from)\b|[,;!?]")
_RE_RATING_CONTEXT_BEFORE = re.compile(r"\b(?:rated|rating|score|scored|reviews?)\b[^\d]{0,15}$")
_RE_RATING_CONTEXT_AFTER = re.compile(r" ?(?:stars?|rating|score|out of)\b")
_MAY_VERB_AFTER = re.compile(
    r" (?:be|i|we|you|have|need|want|not|also|stay|book|get|come|go|arrive|leave|bring|ask|like|prefer)\b")


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
            if _before(_RE_ARTICLE_A_BEFORE, t, m.start(), 3) or not (
                    _before(_RE_ORD_CONTEXT, t, m.start(), 30) or _RE_ORD_PAIR_AFTER.match(t, m.end())):
                continue
            atoms.append(_DateAtom(m.start(), m.end(), "ymd", None, None, int(m.group("d"))))
        for m in _at(_RE_ORD_OF_MONTH, t):
            atoms.append(_DateAtom(m.start(), m.end(), "ymd", None, None, int(m.group("d")),
                                   qual="thismonth" if m.group("w") == "this" else "nextmonth"))
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
            if m.group("mon") == "may" and _MAY_VERB_AFTER.match(t, m.end()):
                continue
            atoms.append(_DateAtom(m.start(), year.end() if year else m.end(), "vague",
                                   label=calendar.month_name[_MONTH_NUM[m.group("mon")]]))
    if any(word in t for word in _TOMORROW):
        for m in _words(_RE_DAY_AFTER_TOMORROW, t):
            atoms.append(_DateAtom(m.start(), m.end(), "offset", value=2))
        for m in _words(_RE_TOMORROW, t):
            night = re.match(r" ?night\b", t[m.end():m.end() + 7])  # "tomorrow night": one night
            atoms.append(_DateAtom(m.start(), m.end() + (night.end() if night else 0), "offset", value=1,
                                   label="tonight" if night else ""))
    for m in _words(_RE_TODAY, t):
        word = m.group(0)
        if word == "now" and (not _before(_RE_FROM_BEFORE_NOW, t, m.start(), 20)
                              or re.match(r" ?on\b", t[m.end():m.end() + 4])):
            continue
        atoms.append(_DateAtom(m.start(), m.end(), "offset", value=0,
                               label="tonight" if word in _TONIGHT else ""))
    if "yesterday" in t:
        for m in _words(_RE_YESTERDAY, t):
            atoms.append(_DateAtom(m.start(), m.end(), "offset", value=-1))
    offsets = [(m.start(), m.end(), m.group("n"), m.group("u")) for m in _words(_RE_IN_N, t)]
    for m in _words(_RE_FROM_NOW, t):
        count = _before(_RE_N_UNIT_BEFORE, t, m.start(), 25)
        if count:
            offsets.append((count.start(), m.end(), count.group("n"), count.group("u")))
    for start, end, n_token, unit in offsets:
        n = _num(n_token) or 1
        if unit.startswith("month"):
            atoms.append(_DateAtom(start, end, "offset", value=n, qual="months"))
        else:
            atoms.append(_DateAtom(start, end, "offset",
                                   value=n * (1 if unit.startswith("day") else 7 if unit.startswith("week") else 14)))
    for m in _words(_RE_WEEKDAY, t):
        word = m.group("wd")
        qm = _before(_RE_WEEKDAY_QUAL, t, m.start(), 15)
        q = qm.group("q") if qm else ""
        if word in _WEEKDAY_ABBR and not q and not m.group("dot"):
            continue
        if word in ("sat", "sun", "wed", "mon") and q in ("on", "from", "to", "by") \
                and re.match(r" ?(?:on|in|the|at)\b", t[m.end():m.end() + 5]):
            continue  # "sat on the terrace", "sun in the garden"
        qual = {"the coming": "coming", "upcoming": "coming"}.get(q, q)
        if qual in ("on", "from", "until", "till", "til", "to", "by", "thru", "through", "coming"):
            qual = ""
        after = _RE_WEEKDAY_AFTER.match(t, m.end())
        end = m.end()
        if after:
            qual, end = after.group("q2"), after.end()
        start = qm.start("q") if qm and q in ("next", "this", "coming", "the coming", "upcoming", "last") else m.start()
        atoms.append(_DateAtom(start, end, "weekday", value=_WEEKDAY_NUM[word], qual=qual))
    if "week" in t:
        for m in _words(_RE_WEEKEND_UNIT, t):
            qm = _before(_RE_WEEKEND_QUAL, t, m.start(), 20)
            if qm:
                qual = "next" if qm.group("q") in ("next", "the next") else "this"
                atoms.append(_DateAtom(qm.start(), m.end(), "weekend", qual=qual, long=bool(qm.group("long"))))
        for m in _words(_RE_NEXT_PERIOD, t):
            atoms.append(_DateAtom(m.start(), m.end(), "vague", label=m.group(0)))
    elif "month" in t:
        for m in _words(_RE_NEXT_PERIOD, t):
            atoms.append(_DateAtom(m.start(), m.end(), "vague", label=m.group(0)))
    for m in _words(_RE_HOLIDAY, t):
        if _before(_RE_HOLIDAY_BEFORE, t, m.start(), 15):
            h = m.group("h")
            label = "Christmas" if h in ("christmas", "xmas") else "Easter" if h == "easter" else "New Year"
            atoms.append(_DateAtom(m.start(), m.end(), "vague", label=f"around {label}"))
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
    """"may" is a month only when no verb follows ("4 may be fine" is not a date)."""
    return not (m.group("mon") == "may" and not m.group("year") and _MAY_VERB_AFTER.match(t, m.end()))
