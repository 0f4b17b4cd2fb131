"""The minimum guest rating asked for."""
from __future__ import annotations

import re

from .negation import _negated_spans_norm
from .scan import _at, _before, _number_starts, _words
from .text import _normalise
from .vocab import _BUDGET_WORDS, _CUE_MAX, _CUR_WORD_ALT, _NOT_PEOPLE_UNITS, _SYM

_RV = r"(?P<v>\d{1,2}(?:[.,]\d{1,2})?)"
_RE_RATING_GATE = re.compile(
    r"rat|review|star|score|⭐|\*|feedback|reputation|/|\+|or higher|or more|or above|or better|or up|and up"
    r"|and above|and higher|out of")
_RE_RATING_SCALE = re.compile(
    rf"(?<![\d.,/]){_RV} ?(?:/ ?(?P<s>5|10)|out of (?P<s2>5|10))(?!\d)")
_RE_RATING_WORD = re.compile(
    r"(?:rated|rating|ratings|score|scored|scores|reviews?|reviewed|review score|stars?)"
    r"(?: (?:of|is|are|be|should be|must be|needs to be|has to be|at|with|from|min(?:imum)?|averaging|average))*"
    r"(?: ?[:=])?(?: ?(?P<cmp>at least|atleast|above|over|min(?:imum)?(?: of)?|>=?|≥|higher than|more than|better than"
    r"|from|of at least|no less than|not below|not under|minimum of|greater than))? ?"
    rf"(?<![\d.,]){_RV}(?![\d/]|[.,]\d)")
_RE_RATING_WORD_NOT_AFTER = re.compile(
    rf" ?(?:{_SYM}|(?:{_CUR_WORD_ALT})\b|k\b|(?:a|per) night|people|persons?|guests?|adults?|nights?|days?|weeks?"
    r"|bed(?:room)?s?|%)")
_RE_RATING_STARS = re.compile(
    rf"(?<![\d.,/-]){_RV} ?(?:\+ ?)?(?:or (?:higher|more|above|better) ?)?-? ?(?:stars?|⭐+|\*+)(?![a-z])")
_RE_RATING_NUM_WORD = re.compile(
    rf"(?<![\d.,/-]){_RV} ?(?:\+ ?)?(?:or (?:higher|more|above|better) ?)?(?:rating|score|review score|rated|average"
    r"|avg|on (?:airbnb|reviews?|tripadvisor|booking))\b")
_RE_RATING_OR_MORE = re.compile(
    r"(?<![\d.,/-])(?P<v>\d[.,]\d{1,2})(?: ?\+| or (?:higher|more|above|better|up)| and (?:up|above|higher))(?!\d)")
_RE_PRICE_CONTEXT_BEFORE = re.compile(rf"\b(?:{_BUDGET_WORDS}|{_CUE_MAX})\b[^\d]{{0,20}}$|{_SYM}\s?$")
_RE_RATING_TOP = re.compile(
    r"(?:top|best|highest)[- ]?(?:rated|reviewed|ratings?|reviews?)\b|(?:excellent|outstanding|exceptional|superb"
    r"|stellar|amazing|perfect|glowing|rave|fantastic|brilliant|the best) (?:reviews?|ratings?|feedback|scores?)\b")
_RE_RATING_GOOD = re.compile(
    r"(?:highly|well|nicely|positively|very well|really well)[- ]?(?:rated|reviewed|scored)\b|(?:good|great|positive"
    r"|nice|decent|solid|strong|high|favou?rable) (?:reviews?|ratings?|feedback|scores?|reputation)\b")


def parse_rating(text: str, good: float = 4.5) -> float | None:
    """The minimum guest rating asked for, on the 0-5 scale.

    A number needs a rating context: "stars", "rated"/"rating"/"reviews", a
    "/5" or "out of 5" scale, or a decimal with "or more"/"+" ("4.8 or more";
    integers there are too often people or money). "x/10" and "out of 10" are
    halved. Words: "good reviews"/"highly rated" mean `good` (the engine's
    threshold); "top rated"/"excellent reviews" mean max(good, 4.8). Values
    outside 0..5 ("10 stars") are returned as said for the caller to question.
    A negated mention ("reviews don't matter", "no need for top rated") is
    None.
    """
    t = _normalise(text)
    if not t or not _RE_RATING_GATE.search(t):
        return None
    negated: list[tuple[int, int]] | None = None

    def ok(m: re.Match[str]) -> bool:
        nonlocal negated
        if negated is None:
            negated = _negated_spans_norm(t)
        return not any(s <= m.start() < e for s, e in negated)

    def value(m: re.Match[str]) -> float:
        return float(m.group("v").replace(",", "."))

    has_numbers = bool(_number_starts(t))
    if has_numbers:
        for m in _at(_RE_RATING_SCALE, t):
            scale = m.group("s") or m.group("s2")
            context = t[max(0, m.start() - 25):m.end() + 12]
            if (scale == "10" or m.group("s2") or re.search(r"rat|review|score|star", context)
                    or re.search(r"[.,]", m.group("v"))) and ok(m):
                return value(m) / 2 if scale == "10" else value(m)
    candidates: list[tuple[int, float]] = []
    for m in _words(_RE_RATING_WORD, t) if has_numbers else []:
        if _RE_RATING_WORD_NOT_AFTER.match(t, m.end()) or not ok(m):
            continue
        candidates.append((m.start("v"), value(m)))
    if has_numbers:
        for rx in (_RE_RATING_STARS, _RE_RATING_NUM_WORD):
            for m in _at(rx, t):
                if ok(m):
                    candidates.append((m.start("v"), value(m)))
        for m in _at(_RE_RATING_OR_MORE, t):
            if _before(_RE_PRICE_CONTEXT_BEFORE, t, m.start(), 30) \
                    or re.match(rf" ?(?:{_NOT_PEOPLE_UNITS})\b", t[m.end():m.end() + 15]) or not ok(m):
                continue
            candidates.append((m.start("v"), value(m)))
    if candidates:
        return max(candidates)[1]
    for m in _words(_RE_RATING_TOP, t):
        if ok(m):
            return max(good, 4.8)
    for m in _words(_RE_RATING_GOOD, t):
        if ok(m):
            return good
    return None
