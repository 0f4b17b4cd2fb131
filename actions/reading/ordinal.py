"""Which shown option the traveller points at."""
from __future__ import annotations

import re

from .date_phrases import _ORD, _WEEKDAY_FULL
from .scan import _at, _before, _number_starts, _words
from .text import _normalise, _num
from .vocab import _ADULT_NOUNS, _CHILD_NOUNS, _GENERIC_NOUNS, _INFANT_NOUNS, _MON, _NOT_PEOPLE_UNITS

_OPTION_NOUNS = (r"one|option|listing|place|property|result|choice|apartment|flat|house|villa|home|suggestion|offer"
                 r"|stay|studio|loft|cabin|cottage|chalet|room|guesthouse|condo|pick|entry|item|link|card|rental|hotel")
_RE_ORDINAL_NTH = re.compile(
    rf"(?<![\d.,/-])(?P<n>\d{{1,2}}){_ORD}\b(?! ?(?:of )?{_MON})(?! ?(?:floor|bedroom|bathroom|night|week|time|day"
    r"|person|guest|adult|child|kid|row|stop|bed|street|avenue|of|in line|grade|class|birthday|anniversary|visit|trip"
    r"|year|month|weekend|century|place finish|gen|generation|edition|attempt|try|go|round|half|quarter|hour|minute"
    r"|page)\b)")
_RE_ORDINAL_NTH_BAD_BEFORE = re.compile(
    rf"(?:{_MON} (?:the )?|\ba |\b(?:on|from|until|till|to|by|since|arriving|leaving|between|{_WEEKDAY_FULL}) (?:the )?"
    rf"|\bbetween (?:the )?\d{{1,2}}{_ORD}? and (?:the )?)$")
_RE_ORDINAL_REF_NUMBER = re.compile(
    rf"(?P<n>\d{{1,2}}|one)\b(?![.,]\d|/|:| ?(?:{_NOT_PEOPLE_UNITS}|{_GENERIC_NOUNS}|{_ADULT_NOUNS}|{_CHILD_NOUNS}"
    rf"|{_INFANT_NOUNS}|couples?|more|cheaper|others|other|best|%"
    rf"|(?:{_OPTION_NOUNS})s)\b)")
_RE_ORDINAL_REF_BEFORE = re.compile(
    r"(?:#|\bn[°º]|\bnumber|\bno\.|\bnr\.?|\bnum\.?|\boption|\bopt\.?|\blisting|\bchoice|\bresult|\bproperty"
    r"|\bitem|\bentry|\bsuggestion|\boffer|\bdetails?(?: (?:on|of|for|about))?"
    r"|\btell me (?:more )?about|\bmore (?:info |information |details )?(?:on|about)|\binfo (?:on|about)"
    r"|\bwhat about|\bhow about|\bshow me|\bopen|\bbook|\bi'?ll take|\bi like|\bgo with|\bselect|\bchoose|\bpick"
    r"|\bsee|\bview|\bwant|\bapartment|\bflat|\bhouse|\bvilla|\bplace)(?: (?:the|number|option|no\.?|#))? ?$")
_RE_LAST = re.compile(
    rf"last(?: (?:{_OPTION_NOUNS}))?\b(?! (?:week|night|year|month|time|minute|weekend|summer|winter"
    r"|spring|autumn|fall|stay|visit|trip|holiday|vacation|search|message|page|question|thing|bit|day|of)\b)")
_RE_SECOND_LAST = re.compile(r"(?:2nd|second)[ -](?:to[ -])?last\b|penultimate\b|one before (?:the )?last\b")


def parse_ordinal(text: str, *, expected: bool = False) -> int | None:
    """Which shown option the traveller points at: 1-based; -1 is the last, -2 the one before.

    Reads "the second one", "2nd", "the first", "number 3", "option 1", "#2",
    "details 2", "tell me about 3", "the last one". A number is an ordinal only
    next to such a reference word or with an ordinal suffix, so "2 adults" and
    "March 2nd" are not, and "first time"/"last week" are not either. The
    first option named wins ("the second, not the first").
    `expected=True` (the bot just asked "which one?") also reads a lone "2".
    """
    t = _normalise(text)
    if not t:
        return None
    found: list[tuple[int, int]] = []
    if "last" in t or "penultimate" in t:
        for m in _words(_RE_SECOND_LAST, t):
            found.append((m.start(), -2))
    if _number_starts(t):
        for m in _at(_RE_ORDINAL_NTH, t):
            before = t[max(0, m.start() - 25):m.start()]
            after = t[m.end():m.end() + 20]
            if _RE_ORDINAL_NTH_BAD_BEFORE.search(before) or re.match(r"[ -](?:to[ -])?last\b", after):
                continue
            if re.search(r"\b(?:in|at|on|for) the $", before) \
                    and not re.match(rf"(?: ?(?:{_OPTION_NOUNS})\b|$| ?(?:please|pls)\b|[.!?,])", after):
                continue
            found.append((m.start(), int(m.group("n"))))
        for m in _at(_RE_ORDINAL_REF_NUMBER, t):
            n = _num(m.group("n"))
            if n and _before(_RE_ORDINAL_REF_BEFORE, t, m.start(), 40):
                found.append((m.start(), n))
    if "last" in t:
        for m in _words(_RE_LAST, t):
            before = t[max(0, m.start() - 12):m.start()]
            if re.search(r"\bat (?:the )?$", before):
                continue  # "at last"
            if (m.group(0) == "last"
                    and not re.fullmatch(r"(?:the )?(?:very )?last(?: one)?(?: please| pls)?[.!?]*", t)
                    and not re.search(r"\bthe (?:very )?$", before)):
                continue
            if not any(v == -2 and s <= m.start() <= s + 12 for s, v in found):
                found.append((m.start(), -1))
    if not found and expected:
        lone = re.fullmatch(r"(?:number |no\.? |#|option )?(\d{1,2}|one)(?: please| pls)?[.!]*", t)
        if lone:
            found.append((0, _num(lone.group(1)) or 0))
    return min(found)[1] if found else None
