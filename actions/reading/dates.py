"""Resolving date phrases into a stay, with dateparser as a last resort."""
from __future__ import annotations

import calendar
import re
import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta

from constraints.query import StayDates, stay_fault

from .date_phrases import (
    _RE_AND_BEFORE,
    _RE_BARE_END_DAY,
    _RE_DATE_GATE_DIGITS,
    _RE_DATE_GATE_WORDS,
    _RE_FALLBACK_CUT,
    _RE_FALLBACK_NOT_DATE,
    _RE_FALLBACK_OUT,
    _RE_FALLBACK_PHRASE,
    _RE_IN_MARK,
    _RE_OUT_MARK,
    _RE_SAID_AFTER,
    _RE_STRONG_DATE,
    _add_months,
    _DateAtom,
    _find_date_atoms,
    _fmt,
    _next_day_of_month,
    _next_occurrence,
    _safe_date,
    _Unclear,
    _weekday_date,
    _weekend,
)
from .nights import _RE_NIGHTS_GATE, _nights_in
from .results import DateProblem
from .scan import _RE_BETWEEN_BEFORE, _before, _words
from .text import _normalise
from .vocab import _ARRIVAL_CUES, _ORD, MAX_NIGHTS


def _resolve_start(atom: _DateAtom, today: date, end_hint: _DateAtom | None) -> tuple[date, date | None]:
    """The arrival date of an atom, and the departure it implies (weekends, tonight)."""
    if atom.kind == "ymd":
        if atom.qual in ("thismonth", "nextmonth"):
            first = date(today.year, today.month, 1)
            if atom.qual == "nextmonth":
                first = _add_months(first, 1)
            return _safe_date(first.year, first.month, atom.d), None
        if atom.y is not None and atom.m is not None:
            return _safe_date(atom.y, atom.m, atom.d), None
        if atom.m is not None:
            return _next_occurrence(atom.m, atom.d or 0, today), None
        if end_hint is not None and end_hint.kind == "ymd" and end_hint.m is not None:
            # "from the 28th to 3 March": the arrival takes the departure's month (or the one before)
            end = (_safe_date(end_hint.y, end_hint.m, end_hint.d) if end_hint.y
                   else _next_occurrence(end_hint.m, end_hint.d or 0, today))
            y, mo = end.year, end.month
            if (atom.d or 0) >= end.day:
                y, mo = (y - 1, 12) if mo == 1 else (y, mo - 1)
            return _safe_date(y, mo, atom.d), None
        return _next_day_of_month(atom.d or 0, today), None
    if atom.kind == "range":
        if atom.qual == "dm" and (atom.d or 0) > (atom.d2 or 0) and atom.m is not None:
            # "28-3 March": the 28th is in February
            end = _safe_date(atom.y, atom.m, atom.d2) if atom.y else _next_occurrence(atom.m, atom.d2 or 0, today)
            y, mo = (end.year - 1, 12) if end.month == 1 else (end.year, end.month - 1)
            return _safe_date(y, mo, atom.d), None
        if atom.y is not None:
            return _safe_date(atom.y, atom.m, atom.d), None
        return _next_occurrence(atom.m or 0, atom.d or 0, today), None
    if atom.kind == "weekday":
        return _weekday_date(atom.value, atom.qual, today), None
    if atom.kind == "weekend":
        friday, sunday = _weekend(today, atom.qual)
        return friday, sunday + timedelta(days=1) if atom.long else sunday
    if atom.kind == "offset":
        start = _add_months(today, atom.value) if atom.qual == "months" else today + timedelta(days=atom.value)
        return start, (start + timedelta(days=1) if atom.label == "tonight" else None)
    raise _Unclear("that date")  # pragma: no cover - vague atoms never get here


def _resolve_end(atom: _DateAtom, start: date, today: date) -> date:
    """A departure date, read relative to the arrival it follows.

    A day/month without a year takes the arrival's year; if that is not after
    the arrival and its month is earlier, the stay crosses New Year ("Dec 28 to
    Jan 3") when that gives at most 90 nights, or when the date in the arrival's
    year is already past ("from Monday next week until 12 March" said in
    November: a date without a year is never in the past); otherwise ("5 May
    to 3 April") the dates are reversed, which the traveller is asked about.
    A bare day ("to the 11th") takes the arrival's month, or the next month
    when it is not after the arrival. A weekday is the first one after the
    arrival.
    """
    if atom.kind == "range":
        atom = _DateAtom(atom.start, atom.end, "ymd", atom.y2, atom.m2, atom.d2)
    if atom.kind == "ymd":
        if atom.qual in ("thismonth", "nextmonth") or (atom.y is not None and atom.m is not None):
            return _resolve_start(atom, today, None)[0]
        if atom.m is not None:
            candidate = _safe_date(start.year, atom.m, atom.d)
            if candidate <= start and atom.m < start.month:
                wrapped = _safe_date(start.year + 1, atom.m, atom.d)
                if (wrapped - start).days <= 90 or candidate < today:
                    return wrapped
            return candidate
        y, mo = start.year, start.month
        if (atom.d or 0) <= start.day:
            y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
        return _safe_date(y, mo, atom.d)
    if atom.kind == "weekday":
        if atom.qual in ("next", "next week", "after next", "this week"):
            named = _weekday_date(atom.value, atom.qual, today)
            if named > start:
                return named
        return start + timedelta(days=(atom.value - start.weekday()) % 7 or 7)
    if atom.kind == "weekend":
        friday, sunday = _weekend(today, atom.qual)
        return sunday if sunday > start else friday
    if atom.kind == "offset":
        return _add_months(today, atom.value) if atom.qual == "months" else today + timedelta(days=atom.value)
    raise _Unclear("that date")  # pragma: no cover


_dateparser_lock = threading.Lock()
_dateparser_parse: Callable[..., datetime | None] | None = None
_dateparser_failed = False


def _dateparser_settings(today: date) -> dict[str, object]:
    """Future dates relative to `today`, day-first like our own patterns, and no date without a day and month."""
    return {"PREFER_DATES_FROM": "future", "RELATIVE_BASE": datetime(today.year, today.month, today.day),
            "DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month"]}


def warm_up() -> bool:
    """Import and warm `dateparser` now (its import and first call take ~1 s).

    Called in a background thread at import, so the first message does not pay
    for it; call it directly to wait for it (tests that time calls do). Returns
    whether dateparser is usable.
    """
    global _dateparser_parse, _dateparser_failed
    if _dateparser_parse is not None or _dateparser_failed:
        return _dateparser_parse is not None
    with _dateparser_lock:
        if _dateparser_parse is None and not _dateparser_failed:
            try:
                import dateparser  # deliberately lazy: ~1 s to import
                today = date.today()
                for phrase in ("4 march", "friday", "4-3", "4.3.", "4-Mar-2027", "the 4th of next month", "3-4-5-6",
                               "mar-apr", "2nd-3rd", "1/2/3/4", "next tuesday"):
                    dateparser.parse(phrase, languages=["en"], settings=_dateparser_settings(today))
                _dateparser_parse = dateparser.parse
            except Exception:  # pragma: no cover - dateparser missing or broken
                _dateparser_failed = True
    return _dateparser_parse is not None


def _fallback_date(phrase: str, today: date) -> date | None:
    if len(phrase) > 40 or not warm_up() or _dateparser_parse is None:
        return None
    try:
        result = _dateparser_parse(phrase, languages=["en"], settings=_dateparser_settings(today))
    except Exception:
        return None
    if result is None:
        return None
    wanted = re.search(rf"\b(\d{{1,2}}){_ORD}\b", phrase)
    if wanted and int(wanted.group(1)) != result.day:
        return None  # dateparser reads "the 4th of next month" as the 28th
    return result.date()


def parse_dates(text: str, today: date) -> StayDates | DateProblem | None:
    """Check-in and check-out from the message, resolved against `today`.

    Dates without a year are the next occurrence on or after today. Numeric
    dates are day-first ("4/3" is 4 March, as in most of our markets); only
    when the second number cannot be a month ("3/14") are they month-first.
    (The brief said "unless the first number > 12"; a first number > 12
    already forces day-first, so the impossible case is a second number > 12.)
    Weekdays: see `_weekday_date`; weekends are Friday to Sunday (2 nights),
    long weekends Friday to Monday. An arrival plus a length ("from Friday for
    3 nights") makes a stay, and so does a departure plus a length. A length
    alone is None (parse_nights reads it). Problems are returned, never raised:
    "past" (arrival before today), "reversed" (departure not after arrival),
    "too_long" (more than 365 nights), "unclear" (a date we could not resolve,
    a month without days, an arrival without a departure or length - the last
    keeps `check_in` on the problem).
    """
    t = _normalise(text)
    if not t or not (_RE_DATE_GATE_WORDS.search(t) or _RE_DATE_GATE_DIGITS.search(t)):
        return None
    try:
        return _parse_dates(t, today)
    except _Unclear as exc:
        return DateProblem("unclear", f"I couldn't work out the dates: {exc}.")
    except (ValueError, OverflowError):  # a date beyond year 9999: "in 999 months" said in 9990
        return DateProblem("unclear", "I couldn't work out the dates: that is too far away.")


_RE_ARRIVAL_NAMED = re.compile(rf"\b(?:{_ARRIVAL_CUES})\b")


def names_arrival(text: str) -> bool:
    """Whether the message says a day is the arrival ("check in on the 13th", "from the 13th").

    A bare day is read as the arrival; said once the arrival is known and the
    bot asked when the traveller leaves, "On the 13th" is the departure.
    """
    return _RE_ARRIVAL_NAMED.search(_normalise(text)) is not None


def _parse_dates(t: str, today: date) -> StayDates | DateProblem | None:
    atoms = _find_date_atoms(t)
    concrete = [a for a in atoms if a.kind != "vague"]
    start_atom: _DateAtom | None = next((a for a in concrete if a.kind == "range"), None)
    end_atom: _DateAtom | None = start_atom
    extra_end_day: int | None = None
    if start_atom is None and concrete:
        roles = []
        between = _before(_RE_BETWEEN_BEFORE, t, concrete[0].start, 20) is not None
        for i, atom in enumerate(concrete):
            after_and = i > 0 and between and _before(_RE_AND_BEFORE, t, atom.start, 10)
            said_after = _RE_SAID_AFTER.match(t, atom.end)  # "the 5th is when we leave"
            if _before(_RE_OUT_MARK, t, atom.start) or after_and:
                roles.append("out")
            elif _before(_RE_IN_MARK, t, atom.start):
                roles.append("in")
            elif said_after:
                roles.append("in" if said_after.group("in") else "out")
            else:
                roles.append("")
        if "in" in roles:
            start_atom = concrete[roles.index("in")]
        else:
            start_atom = next((a for a, r in zip(concrete, roles, strict=True) if r == ""), None)
        if start_atom is None and len(concrete) >= 2:
            start_atom = concrete[0]  # "to Lisbon ... until": the first "to" was not a departure
        if start_atom is not None:
            for atom, role in zip(concrete, roles, strict=True):  # one role per concrete atom
                if atom is start_atom:
                    continue
                if role == "out" or (role == "" and atom.start > start_atom.start):
                    end_atom = atom
                    break
            if end_atom is None and start_atom.kind == "ymd" and start_atom.m is not None:
                bare = _RE_BARE_END_DAY.match(t, start_atom.end)  # "from 4 March to 11"
                if bare:
                    extra_end_day = int(bare.group("d"))
        else:
            end_atom = concrete[0]

    # the stay length, read outside the date phrases ("in 2 weeks" is an arrival, not a length)
    pieces, last = [], 0
    for atom in atoms:
        pieces.append(t[last:atom.start])
        pieces.append(" , ")
        last = atom.end
    pieces.append(t[last:])
    rest = "".join(pieces)
    length = _nights_in(rest) if _RE_NIGHTS_GATE.search(rest) else None

    if start_atom is None and end_atom is None:
        vague = [a for a in atoms if a.kind == "vague"]
        if vague:
            label = vague[0].label
            where = f"in {label}" if label in calendar.month_name[1:] else label
            return DateProblem("unclear", f"Which days {where}? I need a check-in date and how many nights.")
        return _fallback(t, today, length)
    if start_atom is None:
        assert end_atom is not None
        check_out = _resolve_start(end_atom, today, None)[0]
        if length is not None:
            if end_atom.kind == "weekday" and not end_atom.qual:
                while check_out - timedelta(days=length) < today:  # "3 nights until Sunday", said on a Saturday
                    check_out += timedelta(days=7)
            return _finish(check_out - timedelta(days=length), check_out, today)
        return DateProblem("unclear", f"I have check-out on {_fmt(check_out)}, but when do you arrive?",
                           check_out=check_out)
    start, implied_end = _resolve_start(start_atom, today, end_atom if end_atom is not start_atom else None)
    if end_atom is not None:
        end: date | None = _resolve_end(end_atom, start, today)
    elif extra_end_day is not None:
        end = _resolve_end(_DateAtom(0, 0, "ymd", None, None, extra_end_day), start, today)
    elif length is not None:
        end = start + timedelta(days=length)
    else:
        end = implied_end
    return _finish(start, end, today)


def _fallback(t: str, today: date, length: int | None) -> StayDates | DateProblem | None:
    """dateparser on isolated phrases after "from"/"until"/"check in"... that our patterns missed
    ("from 4.3. to 11.3."). A phrase with a date token that dateparser cannot read either is "unclear"."""
    start: date | None = None
    end: date | None = None
    pos = 0
    for _ in range(8):
        found = _words(_RE_FALLBACK_PHRASE, t, limit=1, pos=pos)
        if not found:
            break
        m = found[0]
        phrase = _RE_FALLBACK_CUT.split(m.group("p"))[0].strip(" ")
        pos = m.start("p") + max(len(phrase), 1)  # the next marker may sit inside this match ("... to 11.3.")
        if not re.search(r"\d\.\d{1,2}\.$", phrase):
            phrase = phrase.rstrip(".")
        if not _RE_STRONG_DATE.search(phrase) or _RE_FALLBACK_NOT_DATE.search(phrase):
            continue
        out = bool(_RE_FALLBACK_OUT.match(m.group("mark")))
        if (end if out else start) is not None:
            continue
        resolved = _fallback_date(phrase, start if out and start else today)
        if resolved is None:
            return DateProblem("unclear", f"I couldn't work out a date from \"{phrase}\".")
        if out:
            end = resolved
        else:
            start = resolved
        if start is not None and end is not None:
            break
    if start is None and end is None:
        return None
    if start is None:
        assert end is not None
        if length is None:
            return DateProblem("unclear", f"I have check-out on {_fmt(end)}, but when do you arrive?", check_out=end)
        start = end - timedelta(days=length)
    if end is None and length is not None:
        end = start + timedelta(days=length)
    return _finish(start, end, today)


def _finish(start: date, end: date | None, today: date) -> StayDates | DateProblem:
    """The stay said, or why it cannot be booked: the engine's rule (`stay_fault`), in the reader's words."""
    if start < today:
        return DateProblem("past", f"{_fmt(start)} is in the past (today is {_fmt(today)}).", start, end)
    if end is None:
        return DateProblem("unclear", f"I have check-in on {_fmt(start)}: how many nights, or when do you leave?",
                           check_in=start)
    fault = stay_fault(start, end, today, MAX_NIGHTS)
    if fault == "reversed":
        return DateProblem("reversed", f"Check-out ({_fmt(end)}) must be after check-in ({_fmt(start)}).", start, end)
    if fault == "too_long":
        return DateProblem("too_long", f"{(end - start).days} nights is longer than we can book "
                                       f"({MAX_NIGHTS} at most).", start, end)
    return StayDates(start, end)
