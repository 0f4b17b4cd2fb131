"""Rule-based reading of numbers, money, head counts, stay lengths, dates, ratings
and ordinals in traveller messages.

Duckling is not available, and DIET only tags spans; what a span *means* ("for 4"
is people, "under 150" is money, "4 to 11 March" is a stay) is decided here, in
pure Python (plus `dateparser` as a last resort), so the chat, the action server
and the tests all get one reading. Nothing here imports Rasa.

Approach
--------
1. **Normalise once** (`_normalise`, cached per message): lower case, accents,
   unicode dashes and quotes folded, whitespace collapsed to single spaces, and
   number words turned into digits ("twenty-one" -> "21", "a dozen" -> "12",
   "a couple of" -> "2", "second" -> "2nd"). A lone "one" stays a word because it
   is as often a pronoun ("the second one") as a number; the parsers that want
   it accept `one` explicitly.
2. **Per-field patterns anchored on their unit words.** A number is never read
   on its own: "4" is guests only next to a people-word or after "for"/"we are"/
   "family of", money only with a currency, a price cue ("under", "budget", a
   "k") or a price scope ("a night", "in total"), nights only before "nights"/
   "days"/"weeks"... Each parser also checks what a number is *not* (followed
   by "nights" it is not a head count; after a month name it is not a price).
   That is what lets every parser pick its own part of "Lisbon for 4 under 150
   from March 4 to 11 with 2 bedrooms, rated 4.5+".
3. **Dates**: our own patterns find and resolve date phrases (absolute dates,
   ranges, weekdays, weekends, "in two weeks"); `dateparser` is only a fallback
   for an isolated phrase after "from"/"until"/"check in"... that none of them
   understood, and only when the message has a date-ish token at all.

Speed and safety. Messages may be pasted pages (the module reads at most
`MAX_CHARS`). Python's `re` scans quickly only for patterns that begin with a
literal or a character class, so patterns are started at *anchors*: numbers
(`_at`: the pattern is tried at each digit run or "one", at most
`_MAX_NUMBERS` of them) or a leading word written without `\\b` (`_words`: the
word boundary is checked in Python). Context checks look at small windows
around an anchor, never across the whole text, and nothing nests unbounded
quantifiers, so there is no catastrophic backtracking. A message without a
date-ish token skips date parsing entirely after one cheap gate.

Inside one message the *last* mention of a value wins ("3 nights, no, 4
nights"), because travellers correct themselves mid-sentence; the exception is
`parse_ordinal`, where the first option named is the one asked about.

Everything returns a small frozen dataclass (or an int/float) or None; nothing
raises on odd input. Out-of-range values (0 guests, a negative budget, "10
stars") are returned as said, so the caller can question them instead of having
them silently dropped here.
"""
from __future__ import annotations

import calendar
import re
import threading
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Callable, Iterable, Optional, Union

from constraints.query import StayDates  # the engine's own stay type, so dates need no conversion

__all__ = [
    "GuestCount", "Budget", "StayDates", "DateProblem",
    "parse_guests", "parse_budget", "parse_nights", "parse_dates", "parse_rating",
    "parse_ordinal", "parse_bedrooms", "words_to_number", "negated_spans", "is_negated",
    "warm_up", "MAX_CHARS",
]

#: Longer messages are cut here: no chat turn is longer, and a bound keeps every
#: parser's worst case (a pasted page) inside its time budget.
MAX_CHARS = 10_000
#: How many numbers in a message are looked at. Beyond that the text is not a
#: traveller talking, and answering quickly matters more than reading it all.
_MAX_NUMBERS = 64
#: How many matches of one pattern are looked at (same reason).
_MAX_CANDIDATES = 24


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GuestCount:
    """Who is travelling.

    `total` is adults + children: infants are not counted, as on booking sites
    (they sleep in a cot and take no bed). When only a total is known, the split
    defaults to all adults, as a booking form does. `total`, `adults` and
    `children` are None only when nothing but infants was mentioned ("with a
    baby"). `explicit` is True when the traveller stated a number ("4 people",
    "for two", "family of five"), False when it was inferred from who is coming
    ("me and my wife", "a couple", "just me"): the caller may confirm those.
    """

    total: Optional[int]
    adults: Optional[int]
    children: Optional[int]
    infants: int = 0
    explicit: bool = False


@dataclass(frozen=True)
class Budget:
    """What the traveller wants to pay.

    `scope` is "night" or "stay" only when the traveller said so ("a night", "in
    total"); None leaves the default to the caller. `tier` is a price level said
    in words ("cheap" | "mid" | "luxury"). `unlimited` is True for "no budget",
    "money is no object"... when no maximum was given as well.
    """

    maximum: Optional[float] = None
    minimum: Optional[float] = None
    scope: Optional[str] = None
    currency: Optional[str] = None
    tier: Optional[str] = None
    unlimited: bool = False


@dataclass(frozen=True)
class DateProblem:
    """Why the dates in a message cannot be used as they are.

    `kind` is "past" | "reversed" | "too_long" | "unclear"; `message` is written
    for the traveller. `check_in`/`check_out` carry whatever part *was* resolved
    (an arrival with no departure or length is "unclear" but keeps `check_in`),
    so the caller can keep it and ask only for the missing part.
    """

    kind: str
    message: str
    check_in: Optional[date] = None
    check_out: Optional[date] = None


# --------------------------------------------------------------------------------------
# Scanning helpers
# --------------------------------------------------------------------------------------

_RE_DIGIT_RUN = re.compile(r"\d+")
_RE_BETWEEN_BEFORE = re.compile(r"\bbetween (?:the )?$")
_RE_ONE = re.compile(r"one\b")


@lru_cache(maxsize=64)
def _number_starts(t: str) -> tuple[int, ...]:
    """Where numbers start in a normalised text: digit runs and the word "one"."""
    starts: list[int] = []
    for m in _RE_DIGIT_RUN.finditer(t):
        starts.append(m.start())
        if len(starts) >= _MAX_NUMBERS:
            break
    if "one" in t:
        ones = 0
        for m in _RE_ONE.finditer(t):
            if m.start() == 0 or not t[m.start() - 1].isalnum():
                starts.append(m.start())
                ones += 1
                if ones >= _MAX_NUMBERS:
                    break
        starts.sort()
    return tuple(starts)


def _at(rx: re.Pattern[str], t: str, limit: int = _MAX_CANDIDATES) -> list[re.Match[str]]:
    """Non-overlapping matches of `rx` that start where a number starts.

    `rx.match(t, pos)` still sees the text before `pos`, so patterns keep their
    look-behinds; only the positions tried are restricted.
    """
    out: list[re.Match[str]] = []
    end = -1
    for start in _number_starts(t):
        if start < end:
            continue
        m = rx.match(t, start)
        if m:
            out.append(m)
            end = m.end()
            if len(out) >= limit:
                break
    return out


def _words(rx: re.Pattern[str], t: str, limit: int = _MAX_CANDIDATES, pos: int = 0,
           endpos: Optional[int] = None) -> list[re.Match[str]]:
    """Matches of `rx` that start at a word start (`rx` has no leading `\\b`).

    A leading `\\b` stops `re` from skipping ahead to a possible first letter,
    which made whole-text scans ~10x slower; checking the boundary here keeps
    the scan fast. Tries are bounded too ("xmexmexme..." is not read forever).
    """
    out: list[re.Match[str]] = []
    end = len(t) if endpos is None else endpos
    tries = 0
    while len(out) < limit and tries < 4 * _MAX_CANDIDATES:
        m = rx.search(t, pos, end)
        if m is None:
            break
        s = m.start()
        if s > 0 and s < len(t) and (t[s].isalnum() and (t[s - 1].isalnum() or t[s - 1] == "_")):
            pos = s + 1
            tries += 1
            continue
        out.append(m)
        pos = m.end() if m.end() > s else s + 1
    return out


def _first(rx: re.Pattern[str], t: str) -> Optional[re.Match[str]]:
    found = _words(rx, t, limit=1)
    return found[0] if found else None


def _before(rx: re.Pattern[str], t: str, start: int, width: int = 40) -> Optional[re.Match[str]]:
    """`rx` (anchored with `$`) matched on the `width` characters before `start`."""
    return rx.search(t, max(0, start - width), start)


def _alt(words: Iterable[str]) -> str:
    return "|".join(sorted(set(words), key=len, reverse=True))


# --------------------------------------------------------------------------------------
# Normalisation and number words
# --------------------------------------------------------------------------------------

_CARDINALS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "ninty": 90,
    "hundred": 100, "thousand": 1000,
}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "eigth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
    "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17,
    "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}
_ORDINAL_UNITS = {k: v for k, v in _ORDINALS.items() if v < 10}
_TENS_WORDS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
               "seventy": 70, "eighty": 80, "ninety": 90, "ninty": 90}
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"), "-")
_QUOTES = dict.fromkeys(map(ord, "\u2018\u2019\u201b\u2032\u00b4`"), "'")


def _suffix(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _number_kind(word: str) -> str:
    value = _CARDINALS[word]
    if value == 100:
        return "hundred"
    if value == 1000:
        return "thousand"
    if value >= 20:
        return "tens"
    return "teen" if value >= 10 else "unit"


def _convert_run(words: list[str]) -> list[str]:
    """Split a run of number words into numbers: "two and two" is 2 and 2, not 4.

    A small grammar (tens may take a unit, a unit or teen may take "hundred",
    "and" only after hundred/thousand) rather than summing words, so that "two
    adults and two kids" never merges its counts.
    """
    out: list[str] = []
    group: list[str] = []
    total = current = 0
    last = ""

    def flush() -> None:
        nonlocal group, total, current, last
        if group:
            out.append("one" if group == ["one"] else str(total + current))
        group, total, current, last = [], 0, 0, ""

    for i, word in enumerate(words):
        if word == "and":
            nxt = words[i + 1] if i + 1 < len(words) else None
            if group and last in ("hundred", "thousand") and nxt not in (None, "and") \
                    and _number_kind(nxt) in ("unit", "teen", "tens") and _CARDINALS[nxt] != 0:
                last = "and"
            else:
                flush()
                out.append("and")
            continue
        kind, value = _number_kind(word), _CARDINALS[word]
        ok = False
        if group and value != 0 and _CARDINALS.get(group[-1]) != 0:
            if last == "tens" and kind == "unit":
                ok = True
            elif kind == "hundred" and last in ("unit", "teen") and 0 < current < 20:
                ok = True
            elif kind == "thousand" and total == 0 and current > 0 and last != "and":
                ok = True
            elif last in ("hundred", "thousand", "and") and kind in ("unit", "teen", "tens"):
                ok = True
        if group and not ok:
            flush()
        if kind == "hundred":
            current = (current or 1) * 100
        elif kind == "thousand":
            total += (current or 1) * 1000
            current = 0
        else:
            current += value
        group.append(word)
        last = kind
    flush()
    return out


_RE_TOKEN_TAIL = re.compile(r"([a-z]+(?:-[a-z]+)*)([^a-z]*)$")
_RE_NUMBER_WORD = re.compile(rf"(?:{_alt(list(_CARDINALS) + list(_ORDINALS))})(?![a-z])")


def _convert_tokens(tokens: list[str]) -> tuple[str, int]:
    """Rewrite the number words at the start of `tokens`: (replacement, tokens used)."""
    m = _RE_TOKEN_TAIL.match(tokens[0])
    if m is None:
        return tokens[0], 1
    core, tail = m.group(1), m.group(2)
    parts = core.split("-")
    if core in _ORDINALS:
        n = _ORDINALS[core]
        return f"{n}{_suffix(n)}{tail}", 1
    if len(parts) == 2 and parts[0] in _TENS_WORDS and parts[1] in _ORDINAL_UNITS:  # "twenty-first"
        n = _TENS_WORDS[parts[0]] + _ORDINAL_UNITS[parts[1]]
        return f"{n}{_suffix(n)}{tail}", 1
    lead = 0
    while lead < len(parts) and parts[lead] in _CARDINALS:
        lead += 1
    if lead == 0:
        return tokens[0], 1
    if lead < len(parts):  # "three-bedroom"
        return " ".join(_convert_run(parts[:lead])) + "-" + "-".join(parts[lead:]) + tail, 1
    run, used = parts, 1
    while not tail and used < len(tokens):
        nm = _RE_TOKEN_TAIL.match(tokens[used])
        if nm is None:
            break
        ncore, ntail = nm.group(1), nm.group(2)
        nparts = ncore.split("-")
        if len(run) == 1 and run[0] in _TENS_WORDS and ncore in _ORDINAL_UNITS:  # "twenty first"
            n = _TENS_WORDS[run[0]] + _ORDINAL_UNITS[ncore]
            return f"{n}{_suffix(n)}{ntail}", used + 1
        if ncore == "and" or all(part in _CARDINALS for part in nparts):
            run, tail = run + nparts, ntail
            used += 1
        else:
            break
    if len(run) > 1 and run[-1] == "and":  # "two and a half": the "and" is not part of the number
        run, tail, used = run[:-1], "", used - 1
    return " ".join(_convert_run(run)) + tail, used


def _number_words(t: str) -> str:
    """Number and ordinal words to digits.

    Candidates come from one fast scan (a literal alternation re can skip
    through); the word boundary and the run of words that follows are read in
    Python on a short window, so "someone someone ..." costs almost nothing.
    """
    out: list[str] = []
    last = 0
    for m in _RE_NUMBER_WORD.finditer(t):
        s = m.start()
        if s < last or (s > 0 and (t[s - 1].isalnum() or t[s - 1] in "'-")):
            continue
        tokens = t[s:s + 200].split(" ")[:12]
        replacement, used = _convert_tokens(tokens)
        out.append(t[last:s])
        out.append(replacement)
        last = s + len(" ".join(tokens[:used]))
        if len(out) >= 2 * _MAX_NUMBERS:
            break  # a page of number words: the rest stays as written
    if not out:
        return t
    out.append(t[last:])
    return "".join(out)


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    low = ch.lower()
    if len(low) != 1:
        return ch
    if low.isascii():
        return low
    base = "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))
    return base if len(base) == 1 else low


_PUNCT_FOLD = {**_DASHES, **_QUOTES}


def _fold_keep_length(text: str) -> str:
    """Lower case without accents, unicode dashes and quotes made ASCII; one
    output character per input character.

    Negation spans are reported in the caller's offsets, so this folding must
    not change the length the way `str.lower()` ("İ") or NFKD can. Only the
    distinct characters are looked at, so a page of emoji costs one lookup.
    """
    if text.isascii():
        text = text.lower()
        return text.replace("`", "'") if "`" in text else text
    table = {}
    for c in set(text):
        folded = _PUNCT_FOLD.get(ord(c)) or _fold_char(c)
        if folded != c:
            table[ord(c)] = folded
    return text.translate(table) if table else text


@lru_cache(maxsize=256)
def _normalise(text: str) -> str:
    """The text every parser reads (see the module docstring); cached per message."""
    if not text:
        return ""
    t = _fold_keep_length(text[:MAX_CHARS])
    t = re.sub(r"\s{2,}|[^\S ]", " ", t).strip()
    if not t or not re.search(r"[a-z]", t):
        return t
    if "dozen" in t:
        t = re.sub(r"\bhalf a dozen\b", "6", t)
        t = re.sub(r"\b(?:a )?dozen\b", "12", t)
    if "couple of" in t:
        t = re.sub(r"\b(?:a )?couple of\b", "2", t)
    if "a hundred" in t or "a thousand" in t:
        t = re.sub(r"\ba (hundred|thousand)\b", r"one \1", t)
    return _number_words(t)


def words_to_number(text: str) -> Optional[int]:
    """The whole-number value of a phrase that is only a number, else None.

    Digits ("1,200"), words up to the thousands ("twenty-one", "one hundred and
    five"), "a dozen" (12), "half a dozen" (6), "a couple" (2). Vague amounts
    ("a few", "several") are None on purpose: guessing 3 would put a number in
    a slot the traveller never filled. A bare article ("a") is None too; the
    parsers read "a week"/"a kid" in context.
    """
    if not text or len(text) > 200:
        return None
    t = _normalise(text).strip(" .!?,;:")
    t = re.sub(r"^(?:about|around|roughly|maybe|just|only|exactly) ", "", t)
    if t in ("a couple", "couple", "a pair", "both"):
        return 2
    if t == "one":
        return 1
    m = re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", t)
    return int(m.group(0).replace(",", "")) if m else None


def _num(token: Optional[str]) -> Optional[int]:
    if token is None:
        return None
    if token in ("one", "a", "an", "single", "the"):
        return 1
    try:
        return int(token)
    except ValueError:
        return None


# --------------------------------------------------------------------------------------
# Shared vocabulary
# --------------------------------------------------------------------------------------

_MONTH_NUM = {
    "jan": 1, "january": 1, "janury": 1, "feb": 2, "february": 2, "febuary": 2, "feburary": 2,
    "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7,
    "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "septmber": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_MON = rf"(?:{_alt(_MONTH_NUM)})\.?(?![a-z])"
_MON_G = rf"(?P<mon>{_alt(_MONTH_NUM)})\.?(?![a-z])"
_WEEKDAY_NUM = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "weds": 2, "wed": 2,
    "wednsday": 2, "wensday": 2, "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "thursady": 3,
    "friday": 4, "fri": 4, "firday": 4, "saturday": 5, "sat": 5, "saterday": 5, "sunday": 6, "sun": 6,
}
_WEEKDAY_ABBR = {"mon", "tue", "wed", "thu", "thur", "sat", "sun", "fri"}

_CURRENCY_SYMBOLS = {"€": "EUR", "$": "USD", "us$": "USD", "£": "GBP", "¥": "JPY", "a$": "AUD",
                     "c$": "CAD", "r$": "BRL"}
_CURRENCY_WORDS = {
    "eur": "EUR", "euro": "EUR", "euros": "EUR", "usd": "USD", "dollar": "USD", "dollars": "USD",
    "bucks": "USD", "buck": "USD", "gbp": "GBP", "pound": "GBP", "pounds": "GBP", "quid": "GBP",
    "chf": "CHF", "franc": "CHF", "francs": "CHF", "yen": "JPY", "jpy": "JPY", "aud": "AUD",
    "cad": "CAD", "brl": "BRL", "zar": "ZAR", "rand": "ZAR", "idr": "IDR", "rupiah": "IDR",
}
_CUR_WORD_ALT = _alt(_CURRENCY_WORDS)

# Units after a number that make it something other than a head count.
_NOT_PEOPLE_UNITS = (
    r"nights?|nites?|nigths?|days?|weeks?|week-?ends?|months?|years?|yrs?|hours?|hrs?|minutes?"
    r"|mins?|bed(?:room)?s?|bdrms?|bdr|brs?|bath(?:room)?s?|rooms?|stars?|euros?|eur|dollars?"
    r"|usd|bucks|pounds?|gbp|quid|chf|percent|kms?|kilomet(?:er|re)s?|miles?|meters?|metres?|m|m2"
    r"|sqm|am|pm|o'?clock|times|a night|per night|a week|per week|pn|nightly|each|per person|pp"
    r"|reviews?|ratings?|options?|results?|listings?|places?|properties|apartments?|flats?"
    r"|houses?|villas?|st|nd|rd|th|k|floors?"
)
_RE_NOT_PEOPLE_AFTER = re.compile(
    rf"(?:[.,]\d|/|:\d|-\s?\d|%|\*|[€$£¥]| ?(?:{_NOT_PEOPLE_UNITS})\b| ?{_MON})")


# --------------------------------------------------------------------------------------
# Guests
# --------------------------------------------------------------------------------------

_N = r"(?P<n>\d{1,5}|one)"
_NB = r"(?<![\d.,/:£$€¥])(?<!(?<!\d)-)"  # not inside a decimal, date, price or "-2"; "2-3 people" is fine
_ADULT_NOUNS = (r"adults?|adutls?|adluts?|adlts?|grown[- ]?ups?|grownups?|seniors?|pensioners?|men|women"
                r"|ladies|gentlemen|gents")
_CHILD_NOUNS = (r"kids?|kiddos?|kiddies|children|childs?|childen|chidren|childern|chilren|boys?|girls?"
                r"|sons?|daughters?|teens?|teenagers?|toddlers?|little ones?|minors?|youngsters?")
_INFANT_NOUNS = r"bab(?:y|ies|ys)|infants?|newborns?"
_FRIEND_NOUNS = r"friends?|buddies|mates|pals|colleagues|coworkers|co-workers|others|guys"
_GENERIC_NOUNS = (r"people|peoples|ppl|peeps|persons?|pax|guests?(?! ?house)|gusets?|guets?|quests?"
                  r"|travell?ers?|members|individuals|folks?|heads|souls|of us|" + _FRIEND_NOUNS)
_NOT_A_CHILD_AFTER = (r"(?! ?-? ?(?:friendly|proof|pool|club|menu|bed|cot|crib|chair|seat|gate|area|corner|room"
                      r"|stuff|equipment|sitter|sitting|monitor|bath|stroller|pram|clothes|park))")
_MOD = (r"(?:(?:more|extra|other|young|small|little|grown|adult|lovely|teenage|\d{1,2} ?-?(?:year|yr)s? ?-?old)"
        r" )?")

_RE_ADULTS = re.compile(rf"{_NB}{_N} ?-? ?{_MOD}(?:{_ADULT_NOUNS})\b")
_RE_CHILDREN = re.compile(rf"{_NB}{_N} ?-? ?{_MOD}(?:{_CHILD_NOUNS})\b{_NOT_A_CHILD_AFTER}")
_RE_INFANTS = re.compile(rf"{_NB}{_N} ?-? ?{_MOD}(?:{_INFANT_NOUNS})\b{_NOT_A_CHILD_AFTER}")
_RE_GENERIC = re.compile(rf"{_NB}{_N} ?-? ?{_MOD}(?P<noun>{_GENERIC_NOUNS})\b")
_RE_COUPLES = re.compile(rf"{_NB}{_N} couples\b")
_RE_A_CHILD = re.compile(
    r"(?:a|an|one|my|our|the|their|and) (?:(?:young|small|little|teenage|\d{1,2} ?-?(?:year|yr)s? ?-?old) )?"
    r"(?P<noun>kid|child|toddler|teen|teenager|boy|girl|son|daughter|stepson|stepdaughter|grandson"
    rf"|granddaughter|grandchild|grandkid|little one|baby|infant|newborn|bub|adult)\b{_NOT_A_CHILD_AFTER}")
_RE_AGE_CHILD = re.compile(r"(?:a|an|one|my|our|the|with) (?P<age>\d{1,2}) ?-? ?(?P<u>year|yr|month)s? ?-? ?old\b")
_RE_FAMILY_OF = re.compile(
    r"(?:family|group|party|team|crew|gang|bunch|troop|squad|a total)(?: of)? (?:about |around |roughly "
    r"|approximately |maybe |up to )?(?P<n>\d{1,5}|one)\b")
_RE_WE_ARE = re.compile(
    r"(?:we(?:'re| are| will be|'ll be| r)|there(?:'s| is| are|'re| will be|'ll be))(?: (?:a total of|in total"
    r"|just|only|about|around|going to be|gonna be))? (?P<n>\d{1,5}|one)\b")
_RE_FOR_N = re.compile(
    r"for (?:(?:just|only|about|around|roughly|maybe|up to|max|maximum|a total of|a group of) )?"
    r"(?P<n>\d{1,3}|one)(?: ?(?:or|to|-) ?(?P<n2>\d{1,3}))?(?!\d|[.,]\d)\b")
_RE_SLEEPS = re.compile(r"(?:sleeps?|sleeping|accommodates?|accomodates?|fits?|capacity(?: of| for)?|room for)"
                        r" (?:at least |up to |min(?:imum)? )?(?P<n>\d{1,3}|one)\b")
_RE_THE_N_OF_US = re.compile(r"(?:both of us|us 2|we 2|the 2 of us|the pair of us)\b")
_RE_COUPLE = re.compile(r"(?:a|as a|we'?re a|we are a|for a|just a|romantic) couple\b(?! ?(?:hundred|thousand|more|\d|k\b))"
                        r"|couple'?s (?:trip|getaway|retreat|holiday|vacation|break)\b")
_RE_SOLO = re.compile(
    r"(?:just|only) (?:me|myself|1|one|for me)\b(?! ?(?:and|&|\+|,|with|plus|my)\b)|solo\b|(?:on|by) my ?own\b"
    r"|by myself\b|alone\b|single (?:traveller|traveler|person|guest|adult)\b|for myself\b"
    r"|only for me\b|just for me\b|me only\b|myself only\b")
_SPOUSES = (r"wife|husband|hubby|partner|spouse|boyfriend|girlfriend|bf|gf|fianc[eé]e?|other half|better half"
            r"|significant other|missus|misses|wifey")
_ADULT_RELATIONS = (
    _SPOUSES + r"|friend|best friend|bestie|buddy|mate|pal|mom|mum|mother|mommy|mummy|dad|father|daddy"
    r"|sister|brother|sis|bro|colleague|coworker|co-worker|boss|grandma|grandpa|grandmother|grandfather"
    r"|granny|nan|aunt|auntie|uncle|cousin|nephew|niece|mother[- ]in[- ]law|father[- ]in[- ]law"
    r"|sister[- ]in[- ]law|brother[- ]in[- ]law|roommate|flatmate|housemate|travel buddy|date")
_RE_ADULT_RELATION = re.compile(
    r"(?P<det>my|our|their|the|a|with a|and a|and) (?:(?:lovely|dear|best|old|elderly|wonderful|new|good) )?"
    rf"(?P<noun>{_ADULT_RELATIONS})\b(?!'s| ?(?:house|place|apartment|home|flat|recommended|said|told))")
_RE_PAIR_RELATION = re.compile(r"(?:my|our|their|the|with) (?:parents|grandparents|in-?laws|folks)\b")
_RE_UNKNOWN_GROUP = re.compile(
    r"(?:my|our|the|with) (?:kids|children|friends|family|sons|daughters|sisters|brothers|cousins|colleagues"
    r"|coworkers|mates|buddies|grandkids|grandchildren|little ones|boys|girls|gang|crew|team|group|relatives"
    r"|whole family|extended family)\b(?! of \d)")
_RE_SPEAKER_STRONG = re.compile(r"(?:me|myself)\b|(?:and|&|\+|,) i\b|i (?:and|&) (?:my|our)\b")
_RE_SPEAKER_WEAK = re.compile(
    r"with (?:my|our|the|a|an|\d+|one)\b|(?:i'?m|i am|we'?re|we are) (?:travell?ing|going|coming|bringing)\b"
    r"|i'?ll be with\b|(?:we|us)\b")
_RE_WITH_FRIENDS_BEFORE = re.compile(r"(?:\bwith|\bme|\bmyself|\bi)(?: ?(?:and|&|\+|,|plus))? (?:my |our )?$")
_RE_WITH_FRIENDS_AFTER = re.compile(r" ?(?:and|&|\+|,|plus) (?:me|i|myself)\b")
_RE_ME_PLUS = re.compile(r"(?:me|myself) ?(?:\+|plus) ?(?P<n>\d{1,3})\b(?! ?(?:" + _NOT_PEOPLE_UNITS + r")\b)")
_RE_LONE_NUMBER = re.compile(
    r"(?:about |around |maybe |just |only |roughly |exactly )?(?P<n>\d{1,5}|one)(?: please| pls)? ?[.!]*")
_RE_PEOPLE_NOUN_AFTER = re.compile(
    rf" ?-? ?{_MOD}(?:{_ADULT_NOUNS}|{_CHILD_NOUNS}|{_INFANT_NOUNS}|{_GENERIC_NOUNS}|couples)\b")
_INFANT_WORDS = ("baby", "infant", "newborn", "bub")


def _not_people_after(t: str, end: int) -> bool:
    """A non-people unit follows, or a people noun the noun patterns read themselves ("for 2 adults")."""
    return bool(_RE_NOT_PEOPLE_AFTER.match(t, end) or _RE_PEOPLE_NOUN_AFTER.match(t, end))


# words that make "my dad" part of who is coming, not just someone talked about
_RE_PARTY_CUE = re.compile(r"\b(?:for|with|bringing|taking|coming|travel+ing|going|visiting|joining|book(?:ing)?"
                           r"|plus|and (?:i|me)|we|us|our)\b")


def parse_guests(text: str, *, expected: bool = False) -> Optional[GuestCount]:
    """How many people are travelling, from numbers and from who is coming.

    A bare number is a head count only after "for" ("for 4", not "for 4
    nights") or in "we are 4"/"family of 5"/"party of 3"/"sleeps 6"; elsewhere
    it needs a people-word. Relations count as people ("me, my wife and two
    kids" is 4): a spouse, friend or relative is one adult, "parents" two, "my
    son" one child, and the speaker counts once whenever they are part of the
    group ("me", "and I", "with my ..."). Plurals without a number ("my kids",
    "my family") make the total unknown rather than guessed: None, so the bot
    asks. A stated total beats a sum of parts. "6 friends" is 6, but "me and 3
    friends"/"with 3 friends" is 4. A bare "for N" above 50 is not guests: it
    is nearly always a price ("something for 150").

    `expected=True` (the bot just asked "how many of you?") also reads a lone
    number ("4", "about 6") as the total.
    """
    t = _normalise(text)
    if not t:
        return None
    adults_n: Optional[int] = None
    children_n: Optional[int] = None
    total_n: Optional[int] = None
    infants = rel_adults = rel_children = 0
    numeric = party = False

    def add(current: Optional[int], value: Optional[int]) -> int:
        return (value or 0) if current is None else current + (value or 0)

    if _number_starts(t):
        for m in _at(_RE_ADULTS, t):
            adults_n, numeric = add(adults_n, _num(m.group("n"))), True
        for m in _at(_RE_CHILDREN, t):
            children_n, numeric = add(children_n, _num(m.group("n"))), True
        for m in _at(_RE_INFANTS, t):
            infants += _num(m.group("n")) or 0
        for m in _at(_RE_COUPLES, t):
            adults_n, numeric = add(adults_n, 2 * (_num(m.group("n")) or 0)), True
        for m in _at(_RE_GENERIC, t):
            n = _num(m.group("n"))
            noun = m.group("noun")
            if n is None or (m.group("n") == "one" and noun == "of us"):
                continue
            if re.fullmatch(_FRIEND_NOUNS, noun) and (_before(_RE_WITH_FRIENDS_BEFORE, t, m.start(), 20)
                                                       or _RE_WITH_FRIENDS_AFTER.match(t, m.end())):
                n += 1
            total_n, numeric = n, True
        for rx in (_RE_ME_PLUS,):
            for m in _words(rx, t):
                total_n, numeric = int(m.group("n")) + 1, True
        for rx in (_RE_FAMILY_OF, _RE_WE_ARE, _RE_SLEEPS):
            for m in _words(rx, t):
                if not _not_people_after(t, m.end()):
                    total_n, numeric = _num(m.group("n")), True
        for m in _words(_RE_FOR_N, t):
            if _not_people_after(t, m.end()):
                continue
            n = _num(m.group("n2") or m.group("n"))
            if n is not None and n <= 50:
                total_n, numeric = n, True
    for m in _words(_RE_THE_N_OF_US, t):
        total_n, numeric = 2, True
    child_spans = []
    for m in _words(_RE_A_CHILD, t):
        noun, det = m.group("noun"), m.group(0).split(" ", 1)[0]
        child_spans.append((m.start(), m.end()))
        if det == "and" and noun not in ("son", "daughter", "stepson", "stepdaughter", "grandson", "granddaughter"):
            continue  # "my son and daughter", but not "2 adults and kid"
        if noun in _INFANT_WORDS:
            if det != "one":  # "one baby" was counted as a number
                infants += 1
        elif det == "one":
            continue  # "one child" / "one adult" were counted as numbers
        elif noun == "adult":
            if det in ("a", "an"):
                adults_n = add(adults_n, 1)
        elif not re.match(r" ?(?:\d|one\b)", t[m.end():m.end() + 4]):
            rel_children, party = rel_children + 1, True
    for m in _words(_RE_AGE_CHILD, t):
        if any(s <= m.start() < e for s, e in child_spans):
            continue  # "a 5 year old boy" was counted as a boy
        if m.group("u") == "month" or int(m.group("age")) < 2:
            infants += 1
        elif int(m.group("age")) < 18:
            rel_children, party = rel_children + 1, True

    spouse_present = spouse_for_someone = False
    for m in _words(_RE_ADULT_RELATION, t):
        noun, det = m.group("noun"), m.group("det")
        if det == "the" and noun not in ("wife", "missus", "hubby", "husband", "misses", "boss"):
            continue
        if det == "and" and not re.match(r"(?:mum|mom|mother|dad|father|sister|brother|grandma|grandpa|grandmother"
                                         r"|grandfather|aunt|auntie|uncle|partner|wife|husband|in-law)", noun):
            continue  # "my mum and dad", but not "me and friend"
        if det in ("a", "with a", "and a") and noun not in ("friend", "colleague", "buddy", "mate", "pal",
                                                              "coworker", "co-worker", "date", "partner"):
            continue
        rel_adults, party = rel_adults + 1, True
        if re.fullmatch(_SPOUSES, noun):
            spouse_present = True
            spouse_for_someone |= bool(re.search(r"\bfor $", t[max(0, m.start() - 4):m.start()]))
    for m in _words(_RE_PAIR_RELATION, t):
        rel_adults, party = rel_adults + 2, True
    unknown = _first(_RE_UNKNOWN_GROUP, t) is not None
    couple = _first(_RE_COUPLE, t) is not None or t.startswith("couple")
    solo = _first(_RE_SOLO, t) is not None or t in ("me", "myself", "i", "1 person")

    strong = _first(_RE_SPEAKER_STRONG, t) is not None or t.startswith(("i and ", "i & "))
    non_infant_party = party or children_n is not None or unknown
    speaker = 0
    if strong and (non_infant_party or infants):
        speaker = 1
    elif non_infant_party and _first(_RE_SPEAKER_WEAK, t) is not None:
        speaker = 1
    elif spouse_present and not spouse_for_someone:
        speaker = 1
    if couple and not rel_adults:
        speaker = 0  # "we're a couple (with a baby)": the couple includes the speaker

    describes_someone = (rel_adults or rel_children) and not (speaker or couple or numeric or expected) \
        and _first(_RE_PARTY_CUE, t) is None
    if describes_someone and adults_n is None and children_n is None:
        return GuestCount(None, None, None, infants, False) if infants else None  # "my dad can't do stairs"

    if adults_n is not None:
        adults_known: Optional[int] = adults_n
    elif rel_adults or speaker or couple:
        adults_known = rel_adults + speaker + (2 if couple and not rel_adults else 0)
    else:
        adults_known = None
    children_known = children_n if children_n is not None else (rel_children or None)

    if total_n is None and expected:
        lone = _RE_LONE_NUMBER.fullmatch(t)
        if lone:
            total_n, numeric = _num(lone.group("n")), True

    if total_n is not None:
        if adults_n is None:
            children = children_known or 0
            return GuestCount(total_n, max(total_n - children, 0), children, infants, True)
        children = children_known if children_known is not None else max(total_n - adults_n, 0)
        return GuestCount(total_n, adults_n, children, infants, True)
    if adults_known is not None or children_known is not None:
        if unknown and adults_n is None and children_n is None:
            return GuestCount(None, None, None, infants, False) if infants else None
        adults, children = adults_known or 0, children_known or 0
        return GuestCount(adults + children, adults, children, infants, numeric)
    if solo and not unknown:
        return GuestCount(1, 1, 0, infants, False)
    if infants:
        return GuestCount(None, None, None, infants, False)
    return None


# --------------------------------------------------------------------------------------
# Budget
# --------------------------------------------------------------------------------------

_RE_AMOUNT = re.compile(
    r"(?<![\w.,/])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?(?![\d,])|\d{1,3}(?:\.\d{3})+(?![\d,.])"
    r"|\d{1,9}(?:[.,]\d{1,2})?(?![\d]))"
    rf"(?P<k> ?(?:k|grand|thousand)\b)?(?P<post> ?(?:[€$£¥]|(?:{_CUR_WORD_ALT})\b))?")
_RE_AMOUNT_PREFIX = re.compile(
    r"(?P<neg>(?<![\w.,/-])-|\bminus |\bnegative )?(?P<pre>us\$|a\$|c\$|r\$|[€$£¥]|\b(?:eur|usd|gbp|chf|aud|cad)\b)? ?$")
_RE_RANGE_JOIN = re.compile(r" ?(?:-|to|and|till|until|through) ?")
_RE_RANGE_WORD_BEFORE = re.compile(r"\b(?:range|from)\b[^\d]{0,10}$")
_NOT_MONEY_UNITS = (
    r"people|persons?|ppl|pax|guests?|adults?|kids?|children|child|bab(?:y|ies)|infants?|friends?|of us"
    r"|travell?ers?|couples?|nights?|nites?|nigths?|days?|weeks?(?! ?(?:total|in total))|weekends?|months?"
    r"|years?|yrs?|y/?o|hours?|hrs?|h|minutes?|mins?|bed(?:room)?s?|br|brs|bdrms?|bath(?:room)?s?|rooms?"
    r"|stars?|\*|⭐|%|percent|kms?|kilomet(?:er|re)s?|miles?|mi|meters?|metres?|m|m2|sqm|sq|square|floors?"
    r"|st|nd|rd|th|am|pm|o'?clock|x|times|reviews?|ratings?|options?|results?|listings?|places?|properties"
    r"|more|of them|beds?|sofa|persons|person|guys|boys|girls|men|women"
)
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
_CUE_MAX = (r"under|below|beneath|less than|lower than|cheaper than|no more than|not more than|no higher than"
            r"|not higher than|not over|not above|not exceeding|not to exceed|no greater than|max(?:imum|imal)?"
            r"|at most|up to|upto|within|limit(?: of| is)?|ceiling(?: of| is)?|cap(?: of| is)?|no more"
            r"|maximum of|max of|tops|top|no higher|not more|less then|lower then|cheaper then|nothing over"
            r"|nothing above|nothing more than")
_CUE_MIN = (r"at least|over|above|more than|greater than|higher than|min(?:imum)?|minimum of|starting at"
            r"|no less than|not less than|not under|not below|upwards of|in excess of|more then|atleast")
_CUE_APPROX = (r"around|about|approximately|approx|roughly|circa|ca|something like|in the region of"
               r"|somewhere around|close to|near|give or take|more or less|round about|aprox")
_RE_CUE_BEFORE = re.compile(
    rf"(?:(?P<max>\b(?:{_CUE_MAX})\b|<=?|≤)|(?P<min>\b(?:{_CUE_MIN})\b|>=?|≥)|(?P<apx>\b(?:{_CUE_APPROX})\b\.?|~))"
    r"(?: (?:of|is|be|a|an|maybe|say|like|the|just))*(?: ?:)? ?$")
_BUDGET_WORDS = (r"budget|budgets|spend|spending|pay|paying|afford|price|prices|priced|cost|costs|costing"
                 r"|rate|rates|total|amount|money|per night|a night|nightly|charge|fee")
_RE_BUDGET_WORD_BEFORE = re.compile(rf"\b(?:{_BUDGET_WORDS})\b[^\d]{{0,25}}$")
_RE_SUFFIX_CUE = re.compile(
    r" ?(?:(?P<max>max(?:imum)?|tops|top|at most|or less|or under|or lower|or below|or cheaper|and under"
    r"|and below|limit|at the most|at max)\b|(?P<min>\+|or more|or above|or over|and up|and above|minimum|min"
    r"|at least|plus)(?![a-z])|(?P<apx>-?ish|or so|give or take|more or less)\b)")
_SCOPE_CUR = rf"(?: ?(?:[€$£¥]|(?:{_CUR_WORD_ALT})\b))?"
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

_RE_TIER_GATE = re.compile(
    r"cheap|expens|pric|afford|cost|budget|fancy|posh|frill|econom|bargain|backpack|shoestring|value|wallet|mid"
    r"|middle|moderat|reasonab|average|medium|decent|luxur|high|upscale|market|premium|exclusive|lavish|top"
    r"|swank|splurge|deluxe|opulent|classy|glamor|indulg|plush|dear")
_TIER_PATTERNS = [
    ("cheap", re.compile(
        r"(?:nothing (?:too |very |overly )?(?:fancy|expensive|pricey|pricy|posh|luxurious)|no[- ]frills"
        r"|not (?:too |very |that |so |overly |super )?(?:expensive|pricey|pricy|dear|costly|fancy|posh)"
        r"|cheap(?:er|est|ish|o)?|inexpensive|affordable|low[- ]?cost|low[- ]?budget|budget[- ](?:friendly|conscious)"
        r"|economical|economic|bargain|backpacker|shoestring|on a (?:tight |small |low |limited |strict )?budget"
        r"|(?:tight|small|low|limited|strict|modest) budget|budget (?:option|options|place|places|stay|accommodation"
        r"|apartment|apartments|flat|room|rooms|hotel|hostel|rental|property|properties|one|ones|trip|travel|travell?er)"
        r"|(?:something|anything|somewhere) budget|good value|value for money|wallet[- ]friendly)\b")),
    ("mid", re.compile(
        r"(?:mid[- ]?range|mid[- ]?priced|mid[- ]?price|middle[- ]of[- ]the[- ]road|moderate(?:ly priced)?|moderately"
        r"|reasonabl[ey](?: priced)?|average[- ]priced|medium[- ]priced|mid[- ]?market|mid[- ]?level|not too cheap"
        r"|decent price|middle range|mid[- ]tier)\b")),
    ("luxury", re.compile(
        r"(?:luxur(?:y|ious|e)|high[- ]?end|upscale|up[- ]?market|fancy|posh|premium|exclusive|lavish|top[- ]end"
        r"|swanky|splurge|deluxe|opulent|classy|glamorous|indulgent|plush)\b")),
]
_RE_TIER_NEGATED = re.compile(
    r"\b(?:not|nothing|no|don'?t need|doesn'?t need to be|doesn'?t have to be|needn'?t be|isn'?t|not looking for)"
    r" (?:(?:too|very|that|so|overly|super|necessarily|a|an|to be|anything|something) )*$")
_RE_UNLIMITED_GATE = re.compile(r"limit|budget|price|money|cost|matter|care|any|whatever|sky|expense|max|object|sensitive")
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
_RE_IN_CURRENCY = re.compile(rf"(?:in|using|with) (?:{_CUR_WORD_ALT})\b")
_RE_GROUPED = re.compile(r"\d{1,3}(?:[,.]\d{3})+(?:\.\d{1,2})?")


@dataclass(frozen=True)
class _Amount:
    start: int                  # includes a currency or minus sign before the number
    num_start: int
    end: int
    value: float
    currency: Optional[str]
    k: bool
    negative: bool
    decimal: bool
    grouped: bool


@dataclass(frozen=True)
class _Money:
    value: float
    currency: Optional[str]
    direction: Optional[str]    # "max" | "min" | "apx" | None
    scope: Optional[str]


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
                currency = _CURRENCY_SYMBOLS.get(key) or _CURRENCY_WORDS.get(key)
        if m.group("post"):
            key = m.group("post").strip()
            currency = currency or _CURRENCY_SYMBOLS.get(key) or _CURRENCY_WORDS.get(key)
        if negative:
            value = -value
        out.append(_Amount(start, m.start(), m.end(), value, currency, bool(m.group("k")), negative,
                           bool(re.search(r"[.,]\d{1,2}$", raw)) and not _RE_GROUPED.fullmatch(raw),
                           bool(_RE_GROUPED.fullmatch(raw))))
    return out


def _scope_after(t: str, end: int) -> Optional[str]:
    if _RE_SCOPE_NIGHT_AFTER.match(t, end):
        return "night"
    if _RE_SCOPE_STAY_AFTER.match(t, end):
        return "stay"
    return None


def _scope_before(t: str, start: int) -> Optional[str]:
    window = t[max(0, start - 45):start]
    night = _RE_SCOPE_NIGHT_BEFORE.search(window)
    stay = _RE_SCOPE_STAY_BEFORE.search(window)
    if night and (not stay or night.start() > stay.start()):
        return "night"
    return "stay" if stay else None


def _classify_money(t: str, a: _Amount) -> Optional[_Money]:
    """Decide whether an amount is money and which way it bounds the budget.

    Money needs evidence: a currency, a price cue before it ("under", "budget
    is", "around"), a scope after it ("a night", "in total"), a "k", thousands
    separators, or a minus sign. A unit after it (people, nights, stars, a
    month name) or a month, "rated" or "for" right before it rule it out. With
    only a direction cue ("over 4", "at least 4.5") numbers under 10 are not
    money: no price is that low, while ratings, guests and nights are.
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
    strong = (a.currency is not None or after_scope is not None or a.k or a.negative or a.grouped
              or _before(_RE_BUDGET_WORD_BEFORE, t, a.start, 45) is not None)
    if not strong:
        if direction is None or 0 < a.value < 10 or (a.decimal and a.value <= 5):
            return None
    return _Money(a.value, a.currency, direction, after_scope or _scope_before(t, a.start))


def _approx_max(value: float) -> float:
    """"around X" -> X * 1.15, rounded half up to a whole amount."""
    return float((Decimal(str(value)) * Decimal("1.15")).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _tier(t: str) -> Optional[str]:
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


def parse_budget(text: str, *, expected: bool = False) -> Optional[Budget]:
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
    said: list[tuple[int, Optional[float], Optional[float], Optional[str], Optional[str]]] = []
    for i in range(len(amounts) - 1):
        a, b = amounts[i], amounts[i + 1]
        if i in used or not _RE_RANGE_JOIN.fullmatch(t, a.end, b.start):
            continue
        joiner = t[a.end:b.start]
        cur = a.currency or b.currency
        if cur is None and (_RE_NOT_MONEY_AFTER.match(t, b.end) or _before(_RE_NOT_MONEY_BEFORE, t, a.start, 45)
                            or _before(_RE_DIGIT_DASH_BEFORE, t, a.start, 4)):
            continue
        if re.match(rf" ?{_MON}", t[b.end:b.end + 12]):
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
        said.append((a.start, min(a.value, b.value), max(a.value, b.value), cur, rng_scope or _scope_before(t, a.start)))
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
        lone = re.fullmatch(r"(?:(?:about|around|max|up to|maybe) )?(?:[€$£¥]|eur|usd|gbp)? ?-?[\d.,]+(?: ?k)?"
                            rf"(?: ?(?:[€$£¥]|{_CUR_WORD_ALT}))?(?: please| pls)? ?[.!]*", t)
        if lone:
            maximum, currency = amounts[0].value, amounts[0].currency
    if currency is None and (maximum is not None or minimum is not None):
        m = _first(_RE_IN_CURRENCY, t)
        if m:
            currency = _CURRENCY_WORDS.get(m.group(0).split()[-1])
    tier = _tier(t)
    unlimited = False
    if _RE_UNLIMITED_GATE.search(t):
        unlimited = _first(_RE_UNLIMITED, t) is not None or (expected and bool(_RE_UNLIMITED_EXPECTED.match(t)))
    if maximum is not None:
        unlimited = False
    if maximum is None and minimum is None and tier is None and not unlimited:
        return None
    return Budget(maximum, minimum, scope, currency, tier, unlimited)


# --------------------------------------------------------------------------------------
# Nights
# --------------------------------------------------------------------------------------

_RE_NIGHT_UNIT = re.compile(r"(?:nights?|nites?|nigths?|nigts?|nighs?|evenings?)\b")
_RE_DAY_UNIT = re.compile(r"days?\b")
_RE_WEEK_UNIT = re.compile(r"weeks?\b")
_RE_MONTH_UNIT = re.compile(r"months?\b")
_RE_FORTNIGHT_UNIT = re.compile(r"fortnights?\b")
_RE_WEEKEND_UNIT = re.compile(r"week-?end\b")
_RE_COUNT_BEFORE = re.compile(
    r"(?<![\w.,/:£$€¥'-])(?P<n>\d{1,4}|one|a|an|the|single)(?: ?-? ?)"
    r"(?:(?:full|whole|entire|more|extra|single|straight|consecutive) )?$")
_RE_WEEKS_PLUS = re.compile(r" and (?:a half|(?P<d>\d{1,2}|one|a) (?:days?|nights?))\b")
_RE_ONE_NIGHT = re.compile(
    r"(?:for|just|only|stay|staying|book|booking|need|want) (?:a|one|1|a single|one single) night\b|overnight\b"
    r"|single night\b|(?:just|only|for) tonight\b")
_RE_PRICE_BEFORE = re.compile(rf"(?:\d|[€$£¥]|\b(?:{_CUR_WORD_ALT}|k|max|tops))\s?$")
_RE_OFFSET_BEFORE = re.compile(r"\b(?:in|within|after|every|per|each|than|by|ago)\s?$")
_RE_ARTICLE_BAD_BEFORE = re.compile(r"\b(?:in|within|per|each|every|this|next|last|of|by)\s?$")
_RE_NIGHTS_BAD_BEFORE = re.compile(r"\b(?:in|after|within|per|every|each)\s?$")
_RE_JUST_BEFORE = re.compile(r"\b(?:for|just|only)\s?$")
_RE_THE_OK_BEFORE = re.compile(r"\b(?:for|all|whole|over|during)\s?$")
_RE_LENGTH_NOT_AFTER = re.compile(
    r" ?(?:from (?:now|today|tomorrow)|ago|before|after|later|notice|in advance|away|out\b|earlier|prior|beforehand"
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


def _nights_in(t: str) -> Optional[int]:
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
        return 3 if t[max(0, u.start() - 5):u.start()] == "long " else 2
    return None


_RE_NIGHTS_GATE = re.compile(r"night|nite|nigt|nigh|day|week|fortnight|month|evening")


def parse_nights(text: str) -> Optional[int]:
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


# --------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------

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
_RE_ORD_OF_MONTH = re.compile(rf"(?<![\d.,/-])(?P<d>{_DAY}){_ORD}? of (?P<w>next|this|the following|the coming) month\b")
_RE_RANGE_MD = re.compile(
    rf"{_MON_G} (?:the )?(?P<d1>{_DAY}){_ORD}?(?![\d/.,])(?:,)?{_CONNECT}(?:the )?(?P<d2>{_DAY}){_ORD}?(?![\d/.,:])"
    rf"(?! ?(?:of )?{_MON}){_NOT_DAY_AFTER}{_YEAR}")
_RE_MD = re.compile(rf"{_MON_G}[ -]?(?:the )?(?P<d>\d{{1,2}}){_ORD}?(?![\d/.,:]|[.,]\d){_NOT_DAY_AFTER}{_YEAR}")
_WEEKDAY_FULL = _alt(k for k in _WEEKDAY_NUM if len(k) > 4)
_RE_ORD_CONTEXT = re.compile(
    rf"(?:\b(?:{_WEEKDAY_FULL})|\bfrom|\bon|\bto|\buntil|\btill|\btil|\bthrough|\bthru|-|\band|\barriv\w*"
    r"|\bcheck(?:ing)?[ -]?(?:in|out)"
    r"|\bleav\w*|\bdepart\w*|\bstart\w*|\bbetween|\bsince|\bby|\bback)(?: (?:on|the|date|is|of))* ?$")
_RE_ARTICLE_A_BEFORE = re.compile(r"\ba ?$")
_RE_FROM_BEFORE_NOW = re.compile(r"\b(?:from|starting|arriving|check(?:ing)? in) ?$")
_RE_ORD_PAIR_AFTER = re.compile(rf"{_CONNECT}(?:the )?\d{{1,2}}{_ORD}")
_RE_DAY_AFTER_TOMORROW = re.compile(r"day after (?:tomorrow|tmrw|tmr)\b")
_RE_TOMORROW = re.compile(r"(?:tomorrow|tmrw|tmr|tomorow|tommorow|tommorrow|2morrow|tomorrrow)\b")
_RE_TODAY = re.compile(r"(?:today|tonight|this evening|tonite|2night|now)\b")
_RE_YESTERDAY = re.compile(r"yesterday\b")
_RE_IN_N = re.compile(r"in (?P<n>\d{1,3}|a|an|one) (?P<u>days?|weeks?|months?|fortnights?)(?: time)?\b")
_RE_FROM_NOW = re.compile(r"from (?:now|today)\b")
_RE_N_UNIT_BEFORE = re.compile(r"(?<![\w.,])(?P<n>\d{1,3}|a|an|one) (?P<u>days?|weeks?|months?|fortnights?) $")
_RE_WEEKDAY = re.compile(rf"(?P<wd>{_alt(_WEEKDAY_NUM)})(?P<dot>\.)?(?![a-z])")
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
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|tomorrow|tmr|2morrow|today|tonight"
    r"|tonite|2night|week-?end|yesterday|next|this|now|christmas|xmas|easter|new year|day after|in a |in an |in one ")
_RE_DATE_GATE_DIGITS = re.compile(
    r"\d(?:[/-]\d|\.\d{1,2}\.(?:\d| |$)|st\b|nd\b|rd\b|th\b| (?:days?|weeks?|months?|fortnights?)\b)")
_RE_STRONG_DATE = re.compile(rf"{_MON}|\b(?:{_alt(_WEEKDAY_NUM)})\b|\d[/-]\d|\d{_ORD}\b|\d\.\d{{1,2}}\.(?!\d)")
_RE_IN_MARK = re.compile(
    r"(?:\bcheck(?:ing)?[ -]?in|\barriv(?:e|ing|al)|\bget(?:ting)? (?:there|in)|\bstart(?:ing)?|\bbegin(?:ning)?|\bfrom"
    r"|\bsince|\bcoming)(?: (?:on|date|day|is|will be|would be|at|from|of|around|about|the))*[ :,-]*$")
_RE_OUT_MARK = re.compile(
    r"(?:\bcheck(?:ing)?[ -]?out|\bleav(?:e|ing)|\bdepart(?:ing|ure)?|\bgo(?:ing)? (?:home|back)|\bfly(?:ing)? (?:home|back)"
    r"|\buntil|\btill|\btil|\buntill|\bto|\bthrough|\bthru|\bup to|-|\bend(?:ing)?|\bback)(?: (?:on|date|day|is|will be"
    r"|would be|at|around|about|the))*[ :,-]*$")
_RE_OUT_WORD_BEFORE = re.compile(r"\b(?:to|until|till|til|check(?:ing)?[ -]?out|leaving)(?: on)? ?$")
_RE_AND_BEFORE = re.compile(r"\band (?:the )?$")
_RE_BARE_END_DAY = re.compile(rf" ?(?:-|to|until|till|til|through|thru) ?(?:the )?(?P<d>{_DAY})(?![\d/.,:]){_ORD}?\b"
                              rf"(?! ?(?:of )?{_MON}){_NOT_DAY_AFTER}")
_RE_FALLBACK_PHRASE = re.compile(
    r"(?P<mark>from|on|arriv\w*|check(?:ing)?[ -]?in(?: on)?|starting(?: on)?|until|till|to|leaving(?: on)?"
    r"|depart\w*|check(?:ing)?[ -]?out(?: on)?) (?P<p>[\w'./-]+(?: [\w'./-]+){0,3})")
_RE_FALLBACK_NOT_DATE = re.compile(r"star|rat|review|score|[€$£¥]|eur|dollar|pound|night|people|guest|adult|bed")
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
    y: Optional[int] = None
    m: Optional[int] = None
    d: Optional[int] = None
    y2: Optional[int] = None
    m2: Optional[int] = None
    d2: Optional[int] = None
    qual: str = ""
    value: int = 0              # weekday number, or an offset in days (months if qual == "months")
    long: bool = False
    label: str = ""


class _Unclear(Exception):
    pass


def _year(token: Optional[str]) -> Optional[int]:
    if not token:
        return None
    token = token.strip("'")
    return 2000 + int(token) if len(token) == 2 else int(token)


def _fmt(d: date) -> str:
    return f"{calendar.day_name[d.weekday()]} {d.day} {calendar.month_name[d.month]} {d.year}"


def _month_name(m: int) -> str:
    return calendar.month_name[m] if 1 <= m <= 12 else str(m)


def _safe_date(y: Optional[int], m: Optional[int], d: Optional[int]) -> date:
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
    if "tom" in t or "tmr" in t or "2mor" in t:
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
                               label="tonight" if word in ("tonight", "tonite", "2night", "this evening") else ""))
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


def _resolve_start(atom: _DateAtom, today: date, end_hint: Optional[_DateAtom]) -> tuple[date, Optional[date]]:
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
    Jan 3") - but only when that gives at most 90 nights; otherwise the dates
    are reversed, which the traveller is asked about. A bare day ("to the
    11th") takes the arrival's month, or the next month when it is not after
    the arrival. A weekday is the first one after the arrival.
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
                if (wrapped - start).days <= 90:
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
_dateparser_parse: Optional[Callable[..., Optional[datetime]]] = None
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


def _fallback_date(phrase: str, today: date) -> Optional[date]:
    if len(phrase) > 40 or not warm_up() or _dateparser_parse is None:
        return None
    try:
        result = _dateparser_parse(phrase, languages=["en"], settings=_dateparser_settings(today))
    except Exception:
        return None
    if result is None:
        return None
    wanted = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)\b", phrase)
    if wanted and int(wanted.group(1)) != result.day:
        return None  # dateparser reads "the 4th of next month" as the 28th
    return result.date()


def parse_dates(text: str, today: date) -> Union[StayDates, DateProblem, None]:
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


def _parse_dates(t: str, today: date) -> Union[StayDates, DateProblem, None]:
    atoms = _find_date_atoms(t)
    concrete = [a for a in atoms if a.kind != "vague"]
    start_atom: Optional[_DateAtom] = next((a for a in concrete if a.kind == "range"), None)
    end_atom: Optional[_DateAtom] = start_atom
    extra_end_day: Optional[int] = None
    if start_atom is None and concrete:
        roles = []
        between = _before(_RE_BETWEEN_BEFORE, t, concrete[0].start, 20) is not None
        for i, atom in enumerate(concrete):
            if _before(_RE_OUT_MARK, t, atom.start) or (i > 0 and between and _before(_RE_AND_BEFORE, t, atom.start, 10)):
                roles.append("out")
            elif _before(_RE_IN_MARK, t, atom.start):
                roles.append("in")
            else:
                roles.append("")
        if "in" in roles:
            start_atom = concrete[roles.index("in")]
        else:
            start_atom = next((a for a, r in zip(concrete, roles) if r == ""), None)
        if start_atom is None and len(concrete) >= 2:
            start_atom = concrete[0]  # "to Lisbon ... until": the first "to" was not a departure
        if start_atom is not None:
            for atom, role in zip(concrete, roles):
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
        end = _resolve_start(end_atom, today, None)[0]
        if length is not None:
            if end_atom.kind == "weekday" and not end_atom.qual:
                while end - timedelta(days=length) < today:  # "3 nights until Sunday", said on a Saturday
                    end += timedelta(days=7)
            return _finish(end - timedelta(days=length), end, today)
        return DateProblem("unclear", f"I have check-out on {_fmt(end)}, but when do you arrive?", check_out=end)
    start, implied_end = _resolve_start(start_atom, today, end_atom if end_atom is not start_atom else None)
    if end_atom is not None:
        end: Optional[date] = _resolve_end(end_atom, start, today)
    elif extra_end_day is not None:
        end = _resolve_end(_DateAtom(0, 0, "ymd", None, None, extra_end_day), start, today)
    elif length is not None:
        end = start + timedelta(days=length)
    else:
        end = implied_end
    return _finish(start, end, today)


def _fallback(t: str, today: date, length: Optional[int]) -> Union[StayDates, DateProblem, None]:
    """dateparser on isolated phrases after "from"/"until"/"check in"... that our patterns missed
    ("from 4.3. to 11.3."). A phrase with a date token that dateparser cannot read either is "unclear"."""
    start: Optional[date] = None
    end: Optional[date] = None
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


def _finish(start: date, end: Optional[date], today: date) -> Union[StayDates, DateProblem]:
    if start < today:
        return DateProblem("past", f"{_fmt(start)} is in the past (today is {_fmt(today)}).", start, end)
    if end is None:
        return DateProblem("unclear", f"I have check-in on {_fmt(start)}: how many nights, or when do you leave?",
                           check_in=start)
    if end <= start:
        return DateProblem("reversed", f"Check-out ({_fmt(end)}) must be after check-in ({_fmt(start)}).", start, end)
    if (end - start).days > 365:
        return DateProblem("too_long", f"{(end - start).days} nights is longer than we can book (365 at most).",
                           start, end)
    return StayDates(start, end)


# --------------------------------------------------------------------------------------
# Rating
# --------------------------------------------------------------------------------------

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
    rf" ?(?:[€$£¥]|(?:{_CUR_WORD_ALT})\b|k\b|(?:a|per) night|people|persons?|guests?|adults?|nights?|days?|weeks?"
    r"|bed(?:room)?s?|%)")
_RE_RATING_STARS = re.compile(
    rf"(?<![\d.,/-]){_RV} ?(?:\+ ?)?(?:or (?:higher|more|above|better) ?)?-? ?(?:stars?|⭐+|\*+)(?![a-z])")
_RE_RATING_NUM_WORD = re.compile(
    rf"(?<![\d.,/-]){_RV} ?(?:\+ ?)?(?:or (?:higher|more|above|better) ?)?(?:rating|score|review score|rated|average"
    r"|avg|on (?:airbnb|reviews?|tripadvisor|booking))\b")
_RE_RATING_OR_MORE = re.compile(
    r"(?<![\d.,/-])(?P<v>\d[.,]\d{1,2})(?: ?\+| or (?:higher|more|above|better|up)| and (?:up|above|higher))(?!\d)")
_RE_PRICE_CONTEXT_BEFORE = re.compile(r"\b(?:budget|price|cost|pay|spend|under|below|max)\b[^\d]{0,20}$|[€$£¥]\s?$")
_RE_RATING_TOP = re.compile(
    r"(?:top|best|highest)[- ]?(?:rated|reviewed|ratings?|reviews?)\b|(?:excellent|outstanding|exceptional|superb"
    r"|stellar|amazing|perfect|glowing|rave|fantastic|brilliant|the best) (?:reviews?|ratings?|feedback|scores?)\b")
_RE_RATING_GOOD = re.compile(
    r"(?:highly|well|nicely|positively|very well|really well)[- ]?(?:rated|reviewed|scored)\b|(?:good|great|positive"
    r"|nice|decent|solid|strong|high|favou?rable) (?:reviews?|ratings?|feedback|scores?|reputation)\b")


def parse_rating(text: str, good: float = 4.5) -> Optional[float]:
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
    negated: Optional[list[tuple[int, int]]] = None

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


# --------------------------------------------------------------------------------------
# Ordinal (which shown option)
# --------------------------------------------------------------------------------------

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


def parse_ordinal(text: str, *, expected: bool = False) -> Optional[int]:
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
            if m.group(0) == "last" and not re.fullmatch(r"(?:the )?(?:very )?last(?: one)?(?: please| pls)?[.!?]*", t) \
                    and not re.search(r"\bthe (?:very )?$", before):
                continue
            if not any(v == -2 and s <= m.start() <= s + 12 for s, v in found):
                found.append((m.start(), -1))
    if not found and expected:
        lone = re.fullmatch(r"(?:number |no\.? |#|option )?(\d{1,2}|one)(?: please| pls)?[.!]*", t)
        if lone:
            found.append((0, _num(lone.group(1)) or 0))
    return min(found)[1] if found else None


# --------------------------------------------------------------------------------------
# Bedrooms
# --------------------------------------------------------------------------------------

_RE_BEDROOMS = re.compile(
    rf"{_NB}(?P<n>\d{{1,2}}|one)(?: ?-? ?)(?:(?:bed(?:room)?|bedrooms|bed rooms?|bedrms?|bdrms?|bdr|brs?|b/r|brm"
    r"|bedroon|bedrom|bedroms)\b|br(?=[a-z]))")
_RE_BEDROOMS_COLON = re.compile(r"bed(?:room)?s? ?[:=] ?(?:at least |min(?:imum)? )?(?P<n>\d{1,2})\b")
_RE_RANGE_LOW_BEFORE = re.compile(r"(?<![\d.,])(?P<low>\d{1,2}) ?(?:-|to|or) ?$")
_RE_BREAKFAST_AFTER = re.compile(r" ?(?:and|&|n) ?breakfast")


def parse_bedrooms(text: str) -> Optional[int]:
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


# --------------------------------------------------------------------------------------
# Negation
# --------------------------------------------------------------------------------------

_RE_TOKEN = re.compile(r"w/o|[^\W_]+(?:['-][^\W_]+)*|[^\w\s]")
_RE_NEGATION_GATE = re.compile(
    r"no|not|n't|without|w/o|sans|nor|neither|never|forget|drop|skip|remove|delete|exclu|except|ditch|scrap|scratch"
    r"|cancel|rid |take |leave |lose|avoid|minus|dont|doesnt|optional|unnecessary|can go|can be|rather|hate|dislike"
    r"|allergic|instead|other than|is off|be gone|irrelevant|unimportant|overrated|isnt|arent|matter")
_RE_PRE_CUES = re.compile(  # longer cues first: re takes the first alternative that matches
    r"(?:(?:do|does|did|will|would|wo)(?:n'?t| not) (?:really |actually |even |necessarily )?(?:need|want|require"
    r"|care (?:about|for)|have to have|need to have|like|bother with)"
    r"|dont (?:really |actually |even )?(?:need|want|require|care (?:about|for))|doesnt (?:really |actually )?"
    r"(?:need|have to have)|(?:no|not) (?:need|interested) (?:for|of|in)|no need(?: for| of)?"
    r"|not (?:bothered|fussed|worried) (?:about|by|with)|no longer (?:need|want)|can do without|could do without"
    r"|rather not have|would rather not|allergic to|instead of|rather than|other than|get rid of|take out|take off"
    r"|leave out|never ?mind(?: about)?|forget(?: about)?|without|w/o|sans|nor|neither|drop|skip|remove|delete"
    r"|exclude|excluding|except|ditch|scrap|scratch|cancel|lose|avoid|minus|hate|dislike|no|not)\b")
_PRE_CUE_SKIP_NEXT = {"i", "we", "you", "thanks", "thank", "problem", "worries", "way", "idea", "wait", "actually",
                      "sorry", "it", "that", "this", "matter", "sure", "only", "just", "mind", "bad", "far", "really",
                      "yet", "quite", "ok", "okay", "doubt", "one", "more", "less", "longer", "later", "earlier",
                      "than", "too", "very", "so", "as", "exactly", "necessarily", "needed", "required",
                      "necessary", "important", "essential", "wanted"}
_RE_POST_CUES = re.compile(
    r"(?:(?:is|are) |'s |'re )?(?:not|no longer) (?:really )?(?:needed|required|necessary|important|essential|a must"
    r"|a priority|mandatory|a requirement|a dealbreaker|a deal breaker|a big deal|an issue|wanted|that important)\b"
    r"|(?:isn'?t|aren'?t|ain'?t|isnt|arent) (?:really )?(?:needed|required|necessary|important|essential|a must"
    r"|a priority|mandatory|wanted)\b|(?:don'?t|doesn'?t|dont|doesnt|do not|does not) (?:really )?(?:matter|count"
    r"|need to be there|have to be there)\b|(?:is|are) (?:optional|unnecessary|irrelevant|unimportant|overrated"
    r"|not for me|not for us)\b|(?:optional|unnecessary|can go|can be dropped|can be removed|can be skipped"
    r"|is fine without|not anymore|no thanks|no thank you|is off|be gone)\b")
_BOUNDARY_WORDS = {"and", "but", "with", "though", "however", "although", "while", "plus", "also", "yet", "so",
                   "because", "as", "then", "please", "pls", "need", "want", "must", "required", "ideally",
                   "preferably", "instead", "just", "i", "we", "which", "that", "where", "who", "if", "is", "are"}
_FORWARD_LIMIT = 6
_BACKWARD_LIMIT = 5


def _is_boundary(word: str) -> bool:
    return word in _BOUNDARY_WORDS or not (word[0].isalnum() or word == "w/o")


def _negated_spans_norm(folded: str) -> list[tuple[int, int]]:
    """Scopes of negation cues in an already folded text (offsets into it)."""
    if not _RE_NEGATION_GATE.search(folded):
        return []
    spans: list[tuple[int, int]] = []
    for cue in _words(_RE_PRE_CUES, folded):
        tokens = [(m.start(), m.end(), m.group(0)) for m in _RE_TOKEN.finditer(folded, cue.end(), cue.end() + 120)]
        if not tokens:
            continue
        word = cue.group(0)
        if word in ("no", "not", "nor", "neither", "minus") and tokens[0][2] in _PRE_CUE_SKIP_NEXT:
            continue  # "no, I want...", "not sure", "pool not needed" (a post-cue)
        scope = []
        for tok in tokens[:_FORWARD_LIMIT]:
            if _is_boundary(tok[2]):
                break
            scope.append(tok)
        if scope:
            spans.append((scope[0][0], scope[-1][1]))
    for cue in _words(_RE_POST_CUES, folded):
        tokens = [(m.start(), m.end(), m.group(0))
                  for m in _RE_TOKEN.finditer(folded, max(0, cue.start() - 120), cue.start())]
        scope = []
        for k, tok in enumerate(reversed(tokens[-(_BACKWARD_LIMIT + 2):])):
            if k == 0 and tok[2] in (":", "-", "?"):
                continue  # "pool: not needed", "pool - not required"
            if _is_boundary(tok[2]) or len(scope) >= _BACKWARD_LIMIT:
                break
            scope.append(tok)
        if scope:
            spans.append((scope[-1][0], scope[0][1]))
    spans.sort()
    return spans


def _fold_for_negation(text: str) -> str:
    return _fold_keep_length(text[:MAX_CHARS])


def negated_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of `text` that a negation covers ("no pool needed" covers "pool needed").

    A cue before a phrase ("no", "without", "don't need", "forget/drop/skip/
    remove the") covers up to six words forward, stopping at punctuation or a
    new clause ("and", "but", "with"...): in "with pool and no pets" only
    "pets" is covered, in "a pool, no smoking" only "smoking". "or"/"nor" do
    not stop it ("no pets or smoking"). A cue after a phrase ("pool not
    required", "pool doesn't matter", "pool is optional") covers up to five
    words back to the clause start. "no, I want a pool" negates nothing.
    """
    return _negated_spans_norm(_fold_for_negation(text)) if text else []


def is_negated(text: str, phrase: str) -> bool:
    """Whether `phrase` is negated where the traveller last mentions it.

    The last mention decides, because a traveller who changes their mind says
    so later ("a pool - actually, forget the pool"). Matching ignores case,
    accents, punctuation between words and a plural -s/-es.
    """
    if not text or not phrase:
        return False
    folded = _fold_for_negation(text)
    words = re.findall(r"[^\W_]+", _fold_keep_length(phrase))
    if not words:
        return False
    pattern = re.compile(r"[\W_]+".join(re.escape(w) for w in words) + r"(?:s|es)?(?![^\W_])")
    mentions = _words(pattern, folded, limit=_MAX_NUMBERS)
    if not mentions:
        return False
    last = mentions[-1]
    return any(s <= last.start() and last.end() <= e + 3 for s, e in _negated_spans_norm(folded))


threading.Thread(target=warm_up, name="dateparser-warm-up", daemon=True).start()
