"""What the traveller wants to pay: amounts, bounds, scope, currency, tier words."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .results import Budget
from .scan import _RE_BETWEEN_BEFORE, _at, _before, _first, _number_starts, _words
from .text import _normalise
from .vocab import (
    _BUDGET_WORDS,
    _CUE_APPROX,
    _CUE_MAX,
    _CUE_MIN,
    _CUR_CODE_ALT,
    _CUR_SYMBOL_ALT,
    _CUR_WORD_ALT,
    _CURRENCIES,
    _MON,
    _NOT_MONEY_UNITS,
    phrase_alt,
    table,
)

_RE_AMOUNT = re.compile(
    r"(?<![\w.,/])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?(?![\d,])|\d{1,3}(?:\.\d{3})+(?![\d,.])"
    r"|\d{1,9}(?:[.,]\d{1,2})?(?![\d]))"
    rf"(?P<k> ?(?:k|grand|thousand)\b)?(?P<post> ?(?:{_CUR_SYMBOL_ALT}|(?:{_CUR_WORD_ALT})\b))?")
_RE_AMOUNT_PREFIX = re.compile(
    rf"(?P<neg>(?<![\w.,/-])-|\bminus |\bnegative )?(?P<pre>{_CUR_SYMBOL_ALT}|\b(?:{_CUR_CODE_ALT})\b)? ?$")
_RE_RANGE_JOIN = re.compile(r" ?(?:-|to|and|till|until|through) ?")
_RE_RANGE_WORD_BEFORE = re.compile(r"\b(?:range|from)\b[^\d]{0,10}$")
_RE_NOT_MONEY_AFTER = re.compile(
    r"(?: ?\+)?(?: ?(?:or|and|to) (?:more|less|higher|lower|above|below|over|under|up))?"
    rf"(?: ?(?:{_NOT_MONEY_UNITS})(?![a-z])| ?{_MON}|[:/]\d|-\d"
    rf"| ?(?:or|and|to|-) ?\d{{1,3}} ?(?:{_NOT_MONEY_UNITS})(?![a-z]))")
_RE_NOT_MONEY_BEFORE = re.compile(
    rf"(?:{_MON} (?:the )?|\b(?:rated|rating|ratings|rate of|score|scored|reviews?|stars?)\b[^\d]{{0,20}}"
    r"|(?:#|\bnumber |\bno\. ?|\bnr\.? ?|\boption |\bsleeps? |\baccommodates? |\bthe |\bin |\bat "
    r"|\b(?:group|party|family|team|one|all) of |\bnext |\blast ))$")
_RE_FOR_BEFORE = re.compile(r"\bfor (?:(?:just|only|about|around|maybe) )?$")
_RE_DIGIT_DASH_BEFORE = re.compile(r"\d ?[-/.]$")
_RE_MONTH_BEFORE = re.compile(rf"{_MON} (?:the )?$")
_RE_CUE_BEFORE = re.compile(
    rf"(?:(?P<max>\b(?:{_CUE_MAX})\b|<=?|≤)|(?P<min>\b(?:{_CUE_MIN})\b|>=?|≥)|(?P<apx>\b(?:{_CUE_APPROX})\b\.?|~))"
    r"(?: (?:of|is|be|a|an|maybe|say|like|the|just))*(?: ?:)? ?$")
_RE_BUDGET_WORD_BEFORE = re.compile(rf"\b(?:{_BUDGET_WORDS})\b[^\d]{{0,25}}$")
_RE_SUFFIX_CUE = re.compile(
    r" ?(?:(?P<max>max(?:imum)?|tops|top|at most|or less|or under|or lower|or below|or cheaper|and under"
    r"|and below|limit|at the most|at max)\b|(?P<min>\+|or more|or above|or over|and up|and above|minimum|min"
    r"|at least|plus)(?![a-z])|(?P<apx>-?ish|or so|give or take|more or less)\b)")
_SCOPE_CUR = rf"(?: ?(?:{_CUR_SYMBOL_ALT}|(?:{_CUR_WORD_ALT})\b))?"
_SCOPE_MOD = r"(?: ?(?:max(?:imum)?|tops|or less|or under|at most|ish|or so))?"
_RE_SCOPE_NIGHT_AFTER = re.compile(
    rf"{_SCOPE_CUR}{_SCOPE_MOD} ?(?:(?:a|per|each|every|/|an|for one|for a|for 1|1) ?(?:night|nite|nt|n|day|evening)\b"
    r"|nightly|pn\b|p/n|per diem)")
_RE_SCOPE_STAY_AFTER = re.compile(
    rf"{_SCOPE_CUR}{_SCOPE_MOD} ?(?:(?:for|in|per|a|/|over) ?(?:the |our |my |this )?"
    r"(?:whole |entire |full |complete |total )?"
    r"(?:stay|trip|week|weekend|holiday|vacation|fortnight|month|lot|period|booking|everything|all|visit)\b"
    r"|in total|total\b|all in|all-in|overall|altogether|all together|combined|in all"
    r"|for (?:the )?\d{1,3} (?:nights|days|weeks))")
_RE_SCOPE_NIGHT_BEFORE = re.compile(
    r"(?:per night|a night|nightly|/night|each night|per-night|night(?:ly)? rate|price per night)\b")
_RE_SCOPE_STAY_BEFORE = re.compile(
    r"\b(?:total|overall|whole|entire|for the (?:week|stay|trip|whole stay)|in total|all in|altogether)\b")

_TIER_WORDS = {name: table("tiers", name) for name in ("cheap", "budget_nouns", "pricey", "mid", "luxury")}
#: a cheap first look: the longest word of every tier phrase starts with one of these
_RE_TIER_GATE = re.compile(phrase_alt(
    {max(re.split(r"[ -]", p), key=len)[:5]
     for name in ("cheap", "pricey", "mid", "luxury") for p in _TIER_WORDS[name]}))
_TIER_PATTERNS = [
    ("cheap", re.compile(
        rf"(?:nothing (?:too |very |overly )?(?:{phrase_alt(_TIER_WORDS['pricey'])})"
        rf"|not (?:too |very |that |so |overly |super )?(?:{phrase_alt(_TIER_WORDS['pricey'])})"
        rf"|{phrase_alt(_TIER_WORDS['cheap'])}|budget (?:{phrase_alt(_TIER_WORDS['budget_nouns'])}))\b")),
    ("mid", re.compile(rf"(?:{phrase_alt(_TIER_WORDS['mid'])})\b")),
    ("luxury", re.compile(rf"(?:{phrase_alt(_TIER_WORDS['luxury'])})\b")),
]
_RE_TIER_NEGATED = re.compile(
    r"\b(?:not|nothing|no|don'?t need|doesn'?t need to be|doesn'?t have to be|needn'?t be|isn'?t|not looking for)"
    r" (?:(?:too|very|that|so|overly|super|necessarily|a|an|to be|anything|something) )*$")
_RE_UNLIMITED_GATE = re.compile(r"limit|budget|price|money|cost|matter|care|any|whatever|sky|expense|max|object"
                                r"|sensitive")
_RE_UNLIMITED = re.compile(
    r"(?:(?:price|budget|cost|money|how much(?: it costs)?|the cost|the price)\s+(?:is\s+|really\s+)?"
    r"(?:doesn'?t|does not|don'?t|do not|dont|doesnt)\s+(?:really\s+)?matter"
    r"|(?:price|budget|cost|money|expense)\s+(?:is\s+)?(?:not an? (?:issue|problem|concern|object|factor)"
    r"|no (?:issue|problem|object|concern)|irrelevant|unimportant|unlimited|open|flexible|no limit"
    r"|(?:not|isn'?t|is not)\s+(?:really\s+)?(?:important|an? (?:issue|problem|concern|factor)|a priority))"
    r"|(?:don'?t|do not|dont)\s+care (?:about|what|how much)\s+(?:the\s+)?(?:price|cost|money|budget|it costs|we pay"
    r"|i pay|we spend|i spend)"
    r"|no (?:budget|price|spending|money)(?: limit| cap| ceiling| constraint| restriction| max| maximum)?s?"
    r"|no (?:upper )?limits?|unlimited(?: budget)?|limitless budget|any (?:price|budget)"
    r"|whatever (?:it costs|the (?:price|cost))"
    r"|money(?:'s| is)? no (?:object|issue|problem)|(?:the )?sky'?s the limit|sky is the limit"
    r"|(?:price|cost|expense) is no object|regardless of (?:the )?(?:price|cost)|spare no expense"
    r"|(?:budget|price)\s*:\s*(?:none|n/?a|any|unlimited)|not on a budget|no max(?:imum)?|not price sensitive)\b")
_RE_UNLIMITED_EXPECTED = re.compile(
    r"(?:it )?(?:doesn'?t|does not) (?:really )?matter|(?:i |we )?(?:don'?t|do not) (?:really )?care|any(?:thing)?\b"
    r"|whatever\b|none\b|no\b")
_RE_IN_CURRENCY = re.compile(rf"(?:in|using|with) (?P<cur>{_CUR_WORD_ALT})\b")
_RE_GROUPED = re.compile(r"\d{1,3}(?:[,.]\d{3})+(?:\.\d{1,2})?")


@dataclass(frozen=True)
class _Amount:
    start: int                  # includes a currency or minus sign before the number
    num_start: int
    end: int
    value: float
    currency: str | None
    k: bool
    negative: bool
    decimal: bool
    grouped: bool


@dataclass(frozen=True)
class _Money:
    value: float
    currency: str | None
    direction: str | None    # "max" | "min" | "apx" | None
    scope: str | None


def _amounts(t: str) -> list[_Amount]:
    out = []
    for m in _at(_RE_AMOUNT, t, limit=32):
        raw = m.group("num")
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?", raw):
            value = float(raw.replace(",", ""))
        elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):
            value = float(raw.replace(".", ""))  # European thousands: "1.200" euros is 1200
        else:
            value = float(raw.replace(",", "."))
        if m.group("k"):
            value *= 1000
        prefix = _before(_RE_AMOUNT_PREFIX, t, m.start(), 12)
        start = m.start()
        currency = None
        negative = False
        if prefix and (prefix.group("neg") or prefix.group("pre")):
            start = prefix.start()
            negative = bool(prefix.group("neg"))
            if prefix.group("pre"):
                key = prefix.group("pre").strip()
                currency = _CURRENCIES.get(key)
        if m.group("post"):
            key = m.group("post").strip()
            currency = currency or _CURRENCIES.get(key)
        if negative:
            value = -value
        out.append(_Amount(start, m.start(), m.end(), value, currency, bool(m.group("k")), negative,
                           bool(re.search(r"[.,]\d{1,2}$", raw)) and not _RE_GROUPED.fullmatch(raw),
                           bool(_RE_GROUPED.fullmatch(raw))))
    return out


def _scope_after(t: str, end: int) -> str | None:
    if _RE_SCOPE_NIGHT_AFTER.match(t, end):
        return "night"
    if _RE_SCOPE_STAY_AFTER.match(t, end):
        return "stay"
    return None


def _scope_before(t: str, start: int) -> str | None:
    window = t[max(0, start - 45):start]
    night = _RE_SCOPE_NIGHT_BEFORE.search(window)
    stay = _RE_SCOPE_STAY_BEFORE.search(window)
    if night and (not stay or night.start() > stay.start()):
        return "night"
    return "stay" if stay else None


def _classify_money(t: str, a: _Amount) -> _Money | None:
    """Decide whether an amount is money and which way it bounds the budget.

    Money needs evidence: a currency, a price cue before it ("under", "budget
    is", "around"), a scope after it ("a night", "in total"), a "k", thousands
    separators, or a minus sign. A unit after it (people, nights, stars, a
    month name) or a month, "rated" or "for" right before it rule it out. With
    only a direction cue ("over 4", "at least 4.5") or only a whole-stay scope ("3 in
    total") numbers under 10 are not money: no price is that low, while
    ratings, guests and nights are.
    """
    if a.currency is None and _RE_NOT_MONEY_AFTER.match(t, a.end):
        return None
    after_scope = _scope_after(t, a.end)
    if a.currency is None:
        if (_before(_RE_DIGIT_DASH_BEFORE, t, a.start, 4) or _before(_RE_NOT_MONEY_BEFORE, t, a.start, 32)) \
                and not (after_scope and not _before(_RE_MONTH_BEFORE, t, a.start, 15)):
            return None
        if after_scope is None and _before(_RE_FOR_BEFORE, t, a.start, 20):
            return None
    cue = _before(_RE_CUE_BEFORE, t, a.start, 32)
    suffix = _RE_SUFFIX_CUE.match(t, a.end)
    direction = None
    for found in (cue, suffix):
        if found:
            direction = "max" if found.group("max") else "min" if found.group("min") else "apx"
            break
    priced = (a.currency is not None or a.k or a.negative or a.grouped
              or _before(_RE_BUDGET_WORD_BEFORE, t, a.start, 45) is not None)
    if not priced and after_scope == "stay" and 0 < a.value < 10:
        return None  # "so 3 in total" counts people: no stay costs that little
    strong = priced or after_scope is not None
    if not strong:
        if direction is None or 0 < a.value < 10 or (a.decimal and a.value <= 5):
            return None
    return _Money(a.value, a.currency, direction, after_scope or _scope_before(t, a.start))


def _approx_max(value: float) -> float:
    """"around X" -> X * 1.15, rounded half up to a whole amount."""
    return float((Decimal(str(value)) * Decimal("1.15")).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _tier(t: str) -> str | None:
    if not _RE_TIER_GATE.search(t):
        return None
    found: list[tuple[int, str]] = []
    for name, pattern in _TIER_PATTERNS:
        for m in _words(pattern, t):
            if name == "cheap" and m.group(0).startswith(("not ", "nothing ", "no")):
                found.append((m.start(), "cheap"))
            elif not _before(_RE_TIER_NEGATED, t, m.start(), 40):  # "doesn't have to be cheap"
                found.append((m.start(), name))
    return max(found)[1] if found else None


def parse_budget(text: str, *, expected: bool = False) -> Budget | None:
    """The traveller's price limits, scope, currency, tier words, or "no budget".

    Choices: "around/about X" is a maximum of X*1.15 (rounded) with no minimum,
    because people who say "around 100" are glad to pay 90 and often accept a
    little more; "between A and B"/"A-B" give both bounds; "at least"/"over"
    give a minimum; an amount with no direction ("budget is 150", "150 a
    night") is a maximum. "1000 for the week"/"in total"/"total budget" make
    the scope "stay", "a night"/"per night" make it "night", else None. "1.2k"
    is 1200; "1,200" and "1.200" are 1200 (thousands separators); "150,50" is
    150.5. Negative amounts and 0 are returned as said, for the caller to
    question. "not too expensive" is tier "cheap" (a price-sensitive
    traveller); "mid" is kept for explicit middle words ("mid-range",
    "reasonably priced").

    `expected=True` (the bot just asked for the budget) also reads a lone number
    as the maximum and "doesn't matter"/"any" as unlimited.
    """
    t = _normalise(text)
    if not t:
        return None
    maximum = minimum = None
    scope = currency = None
    amounts = _amounts(t) if _number_starts(t) else []
    used: set[int] = set()
    said: list[tuple[int, float | None, float | None, str | None, str | None]] = []
    for i in range(len(amounts) - 1):
        a, b = amounts[i], amounts[i + 1]
        if i in used or not _RE_RANGE_JOIN.fullmatch(t, a.end, b.start):
            continue
        if not (a.currency or b.currency) and re.match(rf" ?{_MON}", t[b.end:b.end + 12]):  # "10 to 14 June": days
            used.update((i, i + 1))
            continue
        joiner = t[a.end:b.start]
        cur = a.currency or b.currency
        if cur is None and (_RE_NOT_MONEY_AFTER.match(t, b.end) or _before(_RE_NOT_MONEY_BEFORE, t, a.start, 45)
                            or _before(_RE_DIGIT_DASH_BEFORE, t, a.start, 4)):
            continue
        between = _before(_RE_BETWEEN_BEFORE, t, a.start, 20) is not None
        if "and" in joiner and not between:
            continue
        rng_scope = _scope_after(t, b.end)
        plausible = min(a.value, b.value) >= 10  # "between 3 and 10" alone is not a price range
        priced = (cur is not None or rng_scope is not None or a.k or b.k
                  or _before(_RE_BUDGET_WORD_BEFORE, t, a.start, 45) is not None
                  or (plausible and (between or _before(_RE_RANGE_WORD_BEFORE, t, a.start, 20) is not None)))
        if not priced:
            continue
        said.append((a.start, min(a.value, b.value), max(a.value, b.value), cur,
                     rng_scope or _scope_before(t, a.start)))
        used.update((i, i + 1))
    for i, a in enumerate(amounts):
        money = None if i in used else _classify_money(t, a)
        if money is None:
            continue
        if money.direction == "min":
            said.append((a.start, money.value, None, money.currency, money.scope))
        elif money.direction == "apx":
            said.append((a.start, None, _approx_max(money.value), money.currency, money.scope))
        else:
            said.append((a.start, None, money.value, money.currency, money.scope))
    for _, low, high, cur, where in sorted(said, key=lambda item: item[0]):  # the last said wins
        if low is not None:
            minimum = low
        if high is not None:
            maximum = high
        currency, scope = cur or currency, where or scope
    if expected and maximum is None and minimum is None and len(amounts) == 1:
        lone = re.fullmatch(rf"(?:(?:about|around|max|up to|maybe) )?(?:{_CUR_SYMBOL_ALT}|{_CUR_CODE_ALT})? ?-?[\d.,]+"
                            rf"(?: ?k)?(?: ?(?:{_CUR_SYMBOL_ALT}|{_CUR_WORD_ALT}))?(?: please| pls)? ?[.!]*", t)
        if lone:
            maximum, currency = amounts[0].value, amounts[0].currency
    if currency is None and (maximum is not None or minimum is not None):
        m = _first(_RE_IN_CURRENCY, t)
        if m:
            currency = _CURRENCIES.get(m.group("cur"))
    tier = _tier(t)
    unlimited = False
    if _RE_UNLIMITED_GATE.search(t):
        unlimited = _first(_RE_UNLIMITED, t) is not None or (expected and bool(_RE_UNLIMITED_EXPECTED.match(t)))
    if maximum is not None:
        unlimited = False
    if maximum is None and minimum is None and tier is None and not unlimited:
        return None
    return Budget(maximum, minimum, scope, currency, tier, unlimited)
