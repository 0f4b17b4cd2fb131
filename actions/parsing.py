"""Rule-based reading of numbers, money, head counts, stay lengths, dates, ratings
and ordinals in traveller messages.

Duckling is not available, and DIET only tags spans; what a span *means* ("for 4"
is people, "under 150" is money, "4 to 11 March" is a stay) is decided here, in
pure Python, so the chat, the action server and the tests all get one reading.
Nothing here imports Rasa.

Approach
--------
1. **Normalise once** (`_normalise`, cached): lower case, unicode dashes/quotes
   folded, whitespace collapsed to single spaces, and number words turned into
   digits ("twenty-one" -> "21", "a dozen" -> "12", "a couple of" -> "2",
   "second" -> "2nd"). Collapsing whitespace first matters for speed as much as
   for matching: no pattern can then backtrack over long runs of blanks, so
   every regex below stays linear on a 10 kB paste. A lone "one" is kept as a
   word because it is as often a pronoun ("the second one") as a number; the
   parsers that want it accept `one` explicitly.
2. **Per-field patterns anchored on their unit words.** A number is never
   read on its own: "4" is guests only next to people-words or after "for",
   money only with a currency, a price cue ("under", "budget", "a night") or a
   price scope, nights only before "nights"/"days"/"weeks"... and each parser
   also checks what a number is *not* (a number followed by "nights" is not a
   head count; one after a month name is not a price). That is what lets every
   parser pick its own part of "Lisbon for 4 under 150 from March 4 to 11 with 2
   bedrooms, rated 4.5+".
3. **Dates**: our own regexes find and resolve date phrases (absolute, ranges,
   weekdays, weekends, "in two weeks"); `dateparser` is only a fallback for an
   isolated phrase after "from"/"until"/"check in"... that none of them
   understood, and only when the message has a date-ish token at all. A cheap
   gate regex keeps the usual date-less message well under a millisecond.

Inside one message the *last* mention of a value wins ("3 nights, no, 4
nights"), because travellers correct themselves mid-sentence; the exception is
`parse_ordinal`, where the first option named is the one asked about.

Everything returns a small frozen dataclass (or an int/float) or None; nothing
raises on odd input. Out-of-range values (0 guests, a negative budget, "10
stars") are returned as said so the caller can question them rather than have
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
from typing import Callable, Iterable, Optional

__all__ = [
    "GuestCount", "Budget", "StayDates", "DateProblem",
    "parse_guests", "parse_budget", "parse_nights", "parse_dates", "parse_rating",
    "parse_ordinal", "parse_bedrooms", "words_to_number", "negated_spans", "is_negated",
    "MAX_CHARS",
]

#: Longer messages are cut here: a chat turn is never longer, and a bound keeps
#: every parser's worst case (a pasted page) inside its time budget.
MAX_CHARS = 10_000
#: How many candidate numbers a parser inspects; beyond that the text is not a
#: traveller talking, and we would rather answer quickly than read it all.
_MAX_CANDIDATES = 64


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GuestCount:
    """Who is travelling.

    `total` is adults + children: infants are not counted, as on booking sites
    (they sleep in a cot and do not take a bed). When only a total is known the
    split defaults to all adults, which is what a booking form assumes too.
    `total`, `adults` and `children` are None only when nothing but infants was
    mentioned ("with a baby"). `explicit` is True when the traveller stated a
    number ("4 people", "for two", "family of five"), False when we inferred it
    from who is coming ("me and my wife", "a couple", "just me"): the caller may
    want to confirm an inferred count.
    """

    total: Optional[int]
    adults: Optional[int]
    children: Optional[int]
    infants: int = 0
    explicit: bool = False


@dataclass(frozen=True)
class Budget:
    """What the traveller wants to pay.

    `scope` is "night" or "stay" only when the traveller said so ("a night",
    "in total"); None leaves the default to the caller. `tier` is the price
    level named in words; `unlimited` is True for "no budget"/"money is no
    object" when no maximum was also given.
    """

    maximum: Optional[float] = None
    minimum: Optional[float] = None
    scope: Optional[str] = None
    currency: Optional[str] = None
    tier: Optional[str] = None
    unlimited: bool = False


@dataclass(frozen=True)
class StayDates:
    """A resolved stay. `check_out` is the morning of departure (exclusive)."""

    check_in: date
    check_out: date

    @property
    def nights(self) -> int:
        return (self.check_out - self.check_in).days


@dataclass(frozen=True)
class DateProblem:
    """Why the dates in a message cannot be used as they are.

    kind: "past" | "reversed" | "too_long" | "unclear". `message` is written for
    the traveller. `check_in`/`check_out` carry whatever part *was* resolved
    (e.g. an arrival date without a length is "unclear" but keeps `check_in`),
    so the caller can keep it and ask only for the missing part.
    """

    kind: str
    message: str
    check_in: Optional[date] = None
    check_out: Optional[date] = None


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


def _alt(words: Iterable[str]) -> str:
    return "|".join(sorted(set(words), key=len, reverse=True))


_CARD_ALT = _alt(_CARDINALS)
_RE_NUMBER_RUN = re.compile(rf"\b(?:{_CARD_ALT})(?:(?: |-)(?:and )?(?:{_CARD_ALT}))*\b")
_RE_COMPOUND_ORDINAL = re.compile(rf"\b({_alt(_TENS_WORDS)})[ -]({_alt(_ORDINAL_UNITS)})\b")
_RE_ORDINAL_WORD = re.compile(rf"\b({_alt(_ORDINALS)})\b")
_RE_PRE_WORDS = [
    (re.compile(r"\bhalf a dozen\b"), "6"),
    (re.compile(r"\b(?:a )?dozen\b"), "12"),
    (re.compile(r"\b(?:a )?couple of\b"), "2"),
    (re.compile(r"\ba (hundred|thousand)\b"), r"one \1"),
]
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
    if value >= 10:
        return "teen"
    return "unit"


def _convert_run(words: list[str]) -> list[str]:
    """Split a run of number words into numbers: "two and two" is 2 and 2, not 4.

    A small grammar (tens may take a unit, units/teens may take "hundred",
    "and" only after hundred/thousand) rather than summing words, so that
    "two adults and two kids" never merges its counts.
    """
    out: list[str] = []
    group: list[str] = []
    total = current = 0
    last = ""

    def flush() -> None:
        nonlocal group, total, current, last
        if group:
            if group == ["one"]:
                out.append("one")  # a pronoun as often as a number: parsers decide
            else:
                out.append(str(total + current))
        group, total, current, last = [], 0, 0, ""

    i = 0
    while i < len(words):
        word = words[i]
        if word == "and":
            nxt = words[i + 1] if i + 1 < len(words) else None
            if group and last in ("hundred", "thousand") and nxt is not None and nxt != "and" \
                    and _number_kind(nxt) in ("unit", "teen", "tens") and _CARDINALS[nxt] != 0:
                last = "and"
            else:
                flush()
                out.append("and")
            i += 1
            continue
        kind = _number_kind(word)
        value = _CARDINALS[word]
        ok = False
        if group:
            if value == 0 or (group and _CARDINALS.get(group[-1]) == 0):
                ok = False
            elif last == "tens" and kind == "unit":
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
        i += 1
    flush()
    return out


def _replace_run(match: re.Match[str]) -> str:
    return " ".join(_convert_run(re.findall(r"[a-z]+", match.group(0))))


def _fold_char(ch: str) -> str:
    low = ch.lower()
    if len(low) != 1:
        return ch
    if low.isascii():
        return low
    base = "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))
    return base if len(base) == 1 else low


def _fold_keep_length(text: str) -> str:
    """Lower case without accents, one output character per input character.

    Negation spans are reported in the caller's offsets, so this folding must
    not change the length the way `str.lower()` can ("İ") or NFKD does.
    """
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(c) for c in text)


@lru_cache(maxsize=256)
def _normalise(text: str) -> str:
    """The text every parser reads (see the module docstring); cached per message."""
    if not text:
        return ""
    t = _fold_keep_length(text[:MAX_CHARS]).translate(_DASHES).translate(_QUOTES)
    t = re.sub(r"\s+", " ", t).strip()
    if not t:
        return ""
    if re.search(r"[a-z]", t):
        for pattern, repl in _RE_PRE_WORDS:
            t = pattern.sub(repl, t)
        t = _RE_COMPOUND_ORDINAL.sub(
            lambda m: f"{_TENS_WORDS[m.group(1)] + _ORDINAL_UNITS[m.group(2)]}"
                      f"{_suffix(_TENS_WORDS[m.group(1)] + _ORDINAL_UNITS[m.group(2)])}", t)
        t = _RE_ORDINAL_WORD.sub(lambda m: f"{_ORDINALS[m.group(1)]}{_suffix(_ORDINALS[m.group(1)])}", t)
        t = _RE_NUMBER_RUN.sub(_replace_run, t)
    return t


def words_to_number(text: str) -> Optional[int]:
    """The whole-number value of a phrase that is only a number, else None.

    Digits ("1,200"), words up to the thousands ("twenty-one", "one hundred
    and five"), "a dozen" (12), "half a dozen" (6), "a couple" (2). Vague
    quantities ("a few", "several") are None on purpose: guessing 3 would put
    a wrong number in a slot the traveller never filled. Articles alone ("a")
    are None too; the parsers read "a week"/"a kid" in context.
    """
    if not text or len(text) > 200:
        return None
    t = _normalise(text).strip(" .!?,;:")
    t = re.sub(r"^(?:about|around|roughly|maybe|just|only|exactly) ", "", t)
    if t in ("a couple", "couple", "a pair", "both"):
        return 2
    if t == "one":
        return 1
    m = re.fullmatch(r"(\d{1,3}(?:,\d{3})+|\d+)", t)
    if m:
        return int(m.group(1).replace(",", ""))
    return None


def _num(token: Optional[str]) -> Optional[int]:
    if token is None:
        return None
    if token in ("one", "a", "an"):
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
MON = rf"(?:{_alt(_MONTH_NUM)})\.?(?![a-z])"
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

# What a number is when it is *not* a head count / price: units read after it.
_NOT_PEOPLE_UNITS = (
    r"nights?|nites?|nigths?|days?|weeks?|week-?ends?|months?|years?|yrs?|hours?|hrs?|minutes?"
    r"|mins?|bed(?:room)?s?|bdrms?|bdr|brs?|bath(?:room)?s?|rooms?|stars?|\*|euros?|eur|dollars?"
    r"|usd|bucks|pounds?|gbp|quid|chf|percent|kms?|kilomet(?:er|re)s?|miles?|meters?|metres?|m|m2"
    r"|sqm|am|pm|o'?clock|times|a night|per night|a week|per week|pn|nightly|each|per person|pp"
    r"|reviews?|ratings?|options?|results?|listings?|places?|properties|apartments?|flats?"
    r"|houses?|villas?|st|nd|rd|th|k|floors?"
)
_RE_NOT_PEOPLE_AFTER = re.compile(
    rf"(?:[.,]\d|/|:\d|-\s?\d|%|[€$£¥]| ?(?:{_NOT_PEOPLE_UNITS})\b| ?{MON})")


# --------------------------------------------------------------------------------------
# Guests
# --------------------------------------------------------------------------------------

_N = r"(?P<n>\d{1,5}|one)"
_NB = r"(?<![\d.,/:£$€¥])"
_ADULT_NOUNS = (r"adults?|adutls?|adluts?|adlts?|grown[- ]?ups?|grownups?|seniors?|pensioners?|men|women"
                r"|ladies|guys|gentlemen|gents")
_CHILD_NOUNS = (r"kids?|kiddos?|kiddies|children|childs?|childen|chidren|childern|chilren|boys?|girls?"
                r"|sons?|daughters?|teens?|teenagers?|toddlers?|little ones?|minors?|youngsters?")
_INFANT_NOUNS = r"bab(?:y|ies|ys)|infants?|newborns?"
_FRIEND_NOUNS = r"friends?|buddies|mates|pals|colleagues|coworkers|co-workers|others|guys"
_GENERIC_NOUNS = (r"people|peoples|ppl|peeps|persons?|pax|guests?(?! ?house)|gusets?|guets?|quests?"
                  r"|travell?ers?|members|individuals|folks?|heads|souls|of us|" + _FRIEND_NOUNS)
_NOT_A_CHILD_AFTER = r"(?! ?-? ?(?:friendly|proof|pool|club|menu|bed|cot|crib|chair|seat|gate|area|corner|room|stuff|equipment|sitter|sitting|monitor|bath|stroller|pram|clothes|park))"
_MOD = r"(?:(?:more|extra|other|young|small|little|grown|adult|lovely|teenage|\d{1,2} ?(?:year|yr)s? ?old) )?"

_RE_ADULTS = re.compile(rf"{_NB}{_N} ?-? ?{_MOD}(?:{_ADULT_NOUNS})\b")
_RE_CHILDREN = re.compile(rf"{_NB}{_N} ?-? ?{_MOD}(?:{_CHILD_NOUNS})\b{_NOT_A_CHILD_AFTER}")
_RE_INFANTS = re.compile(rf"{_NB}{_N} ?-? ?{_MOD}(?:{_INFANT_NOUNS})\b{_NOT_A_CHILD_AFTER}")
_RE_A_CHILD = re.compile(
    rf"\b(?:a|an|one|my|our|the) (?:(?:young|small|little|teenage|\d{{1,2}} ?(?:year|yr)s? ?old) )?"
    rf"(?P<noun>kid|child|toddler|teen|teenager|boy|girl|son|daughter|stepson|stepdaughter|grandson"
    rf"|granddaughter|grandchild|grandkid|little one|baby|infant|newborn|bub|adult)\b{_NOT_A_CHILD_AFTER}")
_RE_AGE_CHILD = re.compile(r"\b(?:a|an|one) (?P<age>\d{1,2}) ?-? ?(?:year|yr|month)s? ?-? ?old\b")
_RE_GENERIC = re.compile(rf"{_NB}{_N} ?-? ?{_MOD}(?P<noun>{_GENERIC_NOUNS})\b")
_RE_COUPLES = re.compile(rf"{_NB}{_N} couples\b")
_RE_FAMILY_OF = re.compile(
    r"\b(?:family|group|party|team|crew|gang|bunch|troop|squad|total)(?: of)? (?:about |around |roughly "
    r"|approximately |maybe |up to )?(?P<n>\d{1,5}|one)\b")
_RE_WE_ARE = re.compile(
    r"\b(?:we(?:'re| are| will be|'ll be| r)|there(?:'s| is| are|'re| will be|'ll be))(?: (?:a total of|in total"
    r"|just|only|about|around|going to be|gonna be))? (?P<n>\d{1,5}|one)\b")
_RE_FOR_N = re.compile(
    r"\bfor (?:(?:just|only|about|around|roughly|maybe|up to|max|maximum|a total of|a group of) )?"
    r"(?P<n>\d{1,3}|one)(?: ?(?:or|to|-) ?(?P<n2>\d{1,3}))?(?![\d.,])")
_RE_SLEEPS = re.compile(r"\b(?:sleeps?|sleeping|accommodates?|accomodates?|fits?|capacity(?: of| for)?|room for)"
                        r" (?:at least |up to |min(?:imum)? )?(?P<n>\d{1,3}|one)\b")
_RE_THE_N_OF_US = re.compile(r"\b(?:both of us|us 2|we 2|the 2 of us|just the 2 of us|the pair of us)\b")
_RE_COUPLE = re.compile(r"\b(?:a|as a|we'?re a|we are a|for a|just a|romantic) couple\b(?! ?(?:hundred|thousand|more|\d|k\b))"
                        r"|^couple\b|\bcouple'?s (?:trip|getaway|retreat|holiday|vacation)\b")
_RE_SOLO = re.compile(
    r"\b(?:just|only) (?:me|myself|1|one|for me)\b(?! ?(?:and|&|\+|,|with|plus|my)\b)|\bsolo\b|\b(?:on|by) my ?own\b"
    r"|\bby myself\b|\balone\b|\bsingle (?:traveller|traveler|person|guest|adult)\b|\bfor myself\b"
    r"|\bonly for me\b|\bjust for me\b|\bme only\b|\bmyself only\b|\bmyself$|^me$")
_SPOUSES = (r"wife|husband|hubby|partner|spouse|boyfriend|girlfriend|bf|gf|fianc[eé]e?|other half|better half"
            r"|significant other|missus|misses|wifey")
_ADULT_RELATIONS = (
    _SPOUSES + r"|friend|best friend|bestie|buddy|mate|pal|mom|mum|mother|mommy|mummy|dad|father|daddy"
    r"|sister|brother|sis|bro|colleague|coworker|co-worker|boss|grandma|grandpa|grandmother|grandfather"
    r"|granny|nan|aunt|auntie|uncle|cousin|nephew|niece|mother[- ]in[- ]law|father[- ]in[- ]law"
    r"|sister[- ]in[- ]law|brother[- ]in[- ]law|roommate|flatmate|housemate|travel buddy|date")
_RE_ADULT_RELATION = re.compile(
    rf"\b(?P<det>my|our|the|a|with a|and a) (?:(?:lovely|dear|best|old|elderly|wonderful|new|good) )?"
    rf"(?P<noun>{_ADULT_RELATIONS})\b(?!'s| ?(?:house|place|apartment|home|flat|recommended|said|told))")
_RE_PAIR_RELATION = re.compile(r"\b(?:my|our|the|with) (?:parents|grandparents|in-?laws|folks)\b")
_RE_UNKNOWN_GROUP = re.compile(
    r"\b(?:my|our|the|with) (?:kids|children|friends|family|sons|daughters|sisters|brothers|cousins|colleagues"
    r"|coworkers|mates|buddies|grandkids|grandchildren|little ones|boys|girls|gang|crew|team|group|relatives"
    r"|whole family|extended family)\b(?! of \d)")
_RE_SPEAKER_STRONG = re.compile(r"\b(?:me|myself)\b|(?:\band|&|\+|,) i\b|^i (?:and|&)\b|\bi (?:and|&) (?:my|our)\b")
_RE_SPEAKER_WEAK = re.compile(
    r"\bwith (?:my|our|the|a|an|\d|one)\b|\b(?:i'?m|i am|we'?re|we are) (?:travell?ing|going|coming|bringing)\b"
    r"|\bi'?ll be with\b|\b(?:we|us)\b")
_RE_WITH_FRIENDS_BEFORE = re.compile(r"(?:\bwith|\bme|\bmyself|\bi)(?: ?(?:and|&|\+|,|plus))? (?:my |our )?$")
_RE_WITH_FRIENDS_AFTER = re.compile(r"^ ?(?:and|&|\+|,|plus) (?:me|i|myself)\b")
_RE_ME_PLUS = re.compile(r"\b(?:me|myself) ?(?:\+|plus) ?(?P<n>\d{1,3})\b(?! ?(?:" + _NOT_PEOPLE_UNITS + r")\b)")
_RE_LONE_NUMBER = re.compile(r"^(?:about |around |maybe |just |only |roughly |exactly )?(?P<n>\d{1,5}|one)(?: please| pls)? ?[.!]*$")


_RE_PEOPLE_NOUN_AFTER = re.compile(
    rf" ?-? ?{_MOD}(?:{_ADULT_NOUNS}|{_CHILD_NOUNS}|{_INFANT_NOUNS}|{_GENERIC_NOUNS}|couples)\b")


def _not_people_after(t: str, end: int) -> bool:
    """True when the number is followed by a non-people unit, or by a people
    noun that the noun patterns read on their own ("for 2 adults")."""
    return bool(_RE_NOT_PEOPLE_AFTER.match(t, end) or _RE_PEOPLE_NOUN_AFTER.match(t, end))


def parse_guests(text: str, *, expected: bool = False) -> Optional[GuestCount]:
    """How many people are travelling, from numbers and from who is coming.

    A bare number is a head count only after "for" ("for 4", not "for 4
    nights") or in "we are 4"/"family of 5"/"party of 3"; elsewhere it needs a
    people-word. Relations count as people ("me, my wife and two kids" is 4):
    a spouse, friend or relative is one adult, "parents" two, "my son" one
    child, and the speaker counts once whenever they are part of the group
    ("me", "and I", "with my..."). Plurals without a number ("my kids", "my
    family") make the total unknown rather than guessed: we return None and let
    the bot ask. A stated total beats a sum of parts. "6 friends" is 6, but
    "me and 3 friends"/"with 3 friends" is 4. Bare "for N" above 50 is not read
    as guests: it is nearly always a price ("something for 150").

    `expected=True` (the bot just asked "how many of you?") also reads a lone
    number ("4", "about 6") as the total.
    """
    t = _normalise(text)
    if not t:
        return None

    adults_n: Optional[int] = None
    children_n: Optional[int] = None
    infants = 0
    total_n: Optional[int] = None
    numeric = False
    rel_adults = rel_children = 0
    party_mentioned = False

    def add(current: Optional[int], value: int) -> int:
        return value if current is None else current + value

    for m in _take(_RE_ADULTS.finditer(t)):
        adults_n = add(adults_n, _num(m.group("n")) or 0)
        numeric = True
    for m in _take(_RE_CHILDREN.finditer(t)):
        children_n = add(children_n, _num(m.group("n")) or 0)
        numeric = True
    for m in _take(_RE_INFANTS.finditer(t)):
        infants += _num(m.group("n")) or 0
    for m in _take(_RE_COUPLES.finditer(t)):
        adults_n = add(adults_n, 2 * (_num(m.group("n")) or 0))
        numeric = True
    for m in _take(_RE_A_CHILD.finditer(t)):
        noun = m.group("noun")
        det = m.group(0).split(" ", 1)[0]
        if det == "one" and noun not in ("baby", "infant", "newborn", "bub"):
            continue  # "one child" is already a numeric count
        if noun in ("baby", "infant", "newborn", "bub"):
            if det != "one":
                infants += 1
        elif noun == "adult":
            if det in ("a", "an"):
                adults_n = add(adults_n, 1)
        else:
            rel_children += 1
            party_mentioned = True
    for m in _take(_RE_AGE_CHILD.finditer(t)):
        if "month" in m.group(0) or int(m.group("age")) < 2:
            infants += 1
        elif int(m.group("age")) < 18:
            rel_children += 1
            party_mentioned = True

    for m in _take(_RE_GENERIC.finditer(t)):
        n = _num(m.group("n"))
        if n is None or (m.group("n") == "one" and m.group("noun") == "of us"):
            continue
        noun = m.group("noun")
        if re.fullmatch(_FRIEND_NOUNS, noun) and (
                _RE_WITH_FRIENDS_BEFORE.search(t, max(0, m.start() - 20), m.start())
                or _RE_WITH_FRIENDS_AFTER.match(t[m.end():m.end() + 20])):
            n += 1
        total_n = n
        numeric = True
    for m in _take(_RE_ME_PLUS.finditer(t)):
        total_n = int(m.group("n")) + 1
        numeric = True
    for m in _take(_RE_THE_N_OF_US.finditer(t)):
        total_n = 2
        numeric = True
    for pattern in (_RE_FAMILY_OF, _RE_WE_ARE, _RE_SLEEPS):
        for m in _take(pattern.finditer(t)):
            if not _not_people_after(t, m.end()):
                total_n = _num(m.group("n"))
                numeric = True
    for m in _take(_RE_FOR_N.finditer(t)):
        if _not_people_after(t, m.end()):
            continue
        n = _num(m.group("n2") or m.group("n"))
        if n is None or n > 50:
            continue
        total_n = n
        numeric = True

    # who is coming, in words
    spouse_for_someone = False
    spouse_present = False
    for m in _take(_RE_ADULT_RELATION.finditer(t)):
        noun = m.group("noun")
        det = m.group("det")
        if det == "the" and noun not in ("wife", "missus", "hubby", "husband", "misses", "boss"):
            continue
        if det in ("a", "with a", "and a") and noun not in ("friend", "colleague", "buddy", "mate", "pal",
                                                              "coworker", "co-worker", "date", "partner"):
            continue
        rel_adults += 1
        party_mentioned = True
        if re.fullmatch(_SPOUSES, noun):
            spouse_present = True
            if re.search(r"\bfor $", t[max(0, m.start() - 4):m.start()]):
                spouse_for_someone = True
    for m in _take(_RE_PAIR_RELATION.finditer(t)):
        rel_adults += 2
        party_mentioned = True
    unknown = bool(_RE_UNKNOWN_GROUP.search(t))
    couple = bool(_RE_COUPLE.search(t))
    solo = bool(_RE_SOLO.search(t))

    strong = bool(_RE_SPEAKER_STRONG.search(t))
    weak = bool(_RE_SPEAKER_WEAK.search(t))
    non_infant_party = party_mentioned or children_n is not None or unknown
    speaker = 0
    if strong and (non_infant_party or infants or couple is False and rel_adults):
        speaker = 1
    elif weak and non_infant_party:
        speaker = 1
    elif spouse_present and not spouse_for_someone:
        speaker = 1
    if couple and not rel_adults:
        speaker = 0  # "we're a couple": the couple already includes the speaker

    if adults_n is not None:
        adults_known: Optional[int] = adults_n
    elif rel_adults or speaker or couple:
        adults_known = rel_adults + speaker + (2 if couple and not rel_adults else 0)
    else:
        adults_known = None
    if children_n is not None:
        children_known: Optional[int] = children_n
    elif rel_children:
        children_known = rel_children
    else:
        children_known = None

    if total_n is None and expected:
        lone = _RE_LONE_NUMBER.match(t)
        if lone:
            total_n = _num(lone.group("n"))
            numeric = True

    if total_n is not None:
        total = total_n
        if adults_n is None:
            children = children_known or 0
            adults = max(total - children, 0)
        else:
            adults = adults_n
            children = children_known if children_known is not None else max(total - adults_n, 0)
        return GuestCount(total, adults, children, infants, True)
    if adults_known is not None or children_known is not None:
        if unknown and adults_n is None and children_n is None:
            return GuestCount(None, None, None, infants, False) if infants else None
        adults = adults_known or 0
        children = children_known or 0
        return GuestCount(adults + children, adults, children, infants, numeric)
    if solo and not unknown:
        return GuestCount(1, 1, 0, infants, False)
    if infants:
        return GuestCount(None, None, None, infants, False)
    return None


def _take(iterator: Iterable[re.Match[str]]) -> list[re.Match[str]]:
    """At most `_MAX_CANDIDATES` matches: bounds the work on pathological text."""
    out = []
    for m in iterator:
        out.append(m)
        if len(out) >= _MAX_CANDIDATES:
            break
    return out


# --------------------------------------------------------------------------------------
# Budget
# --------------------------------------------------------------------------------------

def _amount_pattern(tag: str) -> str:
    return (
        rf"(?P<neg{tag}>(?<![\w.,/-])-|\bminus |\bnegative )?"
        rf"(?P<pre{tag}>us\$|a\$|c\$|r\$|[€$£¥]|\b(?:eur|usd|gbp|chf|aud|cad)\b)? ?"
        rf"(?<![\w.,/])(?P<num{tag}>\d{{1,3}}(?:,\d{{3}})+(?:\.\d{{1,2}})?|\d{{1,3}}(?:\.\d{{3}})+(?![\d,.])"
        rf"|\d{{1,9}}(?:[.,]\d{{1,2}})?(?![\d])|\.\d{{1,2}})"
        rf"(?P<k{tag}> ?(?:k|grand|thousand)\b)?"
        rf"(?P<post{tag}> ?(?:[€$£¥]|(?:{_CUR_WORD_ALT})\b))?"
    )


_RE_AMOUNT = re.compile(_amount_pattern(""))
_RE_RANGE = re.compile(_amount_pattern("1") + r" ?(?:-|to|and|till|until|through) ?" + _amount_pattern("2"))

_NOT_MONEY_UNITS = (
    r"people|persons?|ppl|pax|guests?|adults?|kids?|children|child|bab(?:y|ies)|infants?|friends?|of us"
    r"|travell?ers?|couples?|nights?|nites?|nigths?|days?|weeks?(?! ?(?:total|in total))|weekends?|months?"
    r"|years?|yrs?|y/?o|hours?|hrs?|h|minutes?|mins?|bed(?:room)?s?|br|brs|bdrms?|bath(?:room)?s?|rooms?"
    r"|stars?|\*|⭐|%|percent|kms?|kilomet(?:er|re)s?|miles?|mi|meters?|metres?|m|m2|sqm|sq|square|floors?"
    r"|st|nd|rd|th|am|pm|o'?clock|x|times|reviews?|ratings?|options?|results?|listings?|places?|properties"
    r"|more|of them|beds?|sofa|persons|person|guys|boys|girls|men|women"
)
_RE_NOT_MONEY_AFTER = re.compile(
    rf"(?: ?\+)?(?: ?(?:or|and|to) (?:more|less|higher|lower|above|below|over|under|up))?"
    rf"(?: ?(?:{_NOT_MONEY_UNITS})(?![a-z])| ?{MON}|[:/]\d|-\d| ?(?:or|and|to|-) ?\d{{1,3}} ?(?:{_NOT_MONEY_UNITS})(?![a-z]))")
_RE_NOT_MONEY_BEFORE = re.compile(
    rf"(?:{MON} (?:the )?|\b(?:rated|rating|ratings|rate of|score|scored|reviews?|stars?)\b[^\d]{{0,20}}"
    rf"|(?:#|\bnumber |\bno\. ?|\bnr\.? ?|\boption |\bsleeps? |\baccommodates? |\bthe |\bin |\bat |\bof |\bnext |\blast ))$")
_RE_FOR_BEFORE = re.compile(r"\bfor (?:(?:just|only|about|around|maybe) )?$")
_RE_DIGIT_DASH_BEFORE = re.compile(r"\d ?[-/.]$")

_CUE_MAX = (r"under|below|beneath|less than|lower than|cheaper than|no more than|not more than|no higher than"
            r"|not higher than|not over|not above|not exceeding|not to exceed|no greater than|max(?:imum|imal)?"
            r"|at most|up to|upto|within|limit(?: of| is)?|ceiling(?: of| is)?|cap(?: of| is)?|<=?|≤|no more"
            r"|maximum of|max of|tops|top|no higher|not more|less then|lower then|cheaper then|nothing over"
            r"|nothing above|nothing more than")
_CUE_MIN = (r"at least|over|above|more than|greater than|higher than|min(?:imum)?|>=?|≥|minimum of|starting at"
            r"|no less than|not less than|not under|not below|upwards of|in excess of|more then|atleast")
_CUE_APPROX = (r"around|about|approximately|approx\.?|roughly|~|circa|ca\.?|something like|in the region of"
               r"|somewhere around|close to|near|give or take|more or less|round about|aprox|approx")
_RE_CUE_BEFORE = re.compile(
    rf"(?:(?P<max>\b(?:{_CUE_MAX}))|(?P<min>\b(?:{_CUE_MIN}))|(?P<apx>\b(?:{_CUE_APPROX})))"
    rf"(?: (?:of|is|be|a|an|maybe|say|like|the|just))*(?: ?:)? ?$".replace(r"\b(?:<", r"(?:<").replace(r"\b(?:~", r"(?:~"))
_BUDGET_WORDS = (r"budget|budgets|spend|spending|pay|paying|afford|price|prices|priced|cost|costs|costing"
                 r"|rate|rates|total|amount|money|per night|a night|nightly|charge|fee|euros?|dollars?")
_RE_BUDGET_WORD_BEFORE = re.compile(rf"\b(?:{_BUDGET_WORDS})\b[^\d]{{0,25}}$")
_RE_SUFFIX_CUE = re.compile(
    r" ?(?:(?P<max>max(?:imum)?|tops|top|at most|or less|or under|or lower|or below|or cheaper|and under"
    r"|and below|limit|at the most|at max)\b|(?P<min>\+|or more|or above|or over|and up|and above|minimum|min"
    r"|at least|plus)(?![a-z])|(?P<apx>-?ish|or so|give or take|more or less)\b)")
_SCOPE_CUR = rf"(?: ?(?:[€$£¥]|(?:{_CUR_WORD_ALT})\b))?"
_RE_SCOPE_NIGHT_AFTER = re.compile(
    rf"{_SCOPE_CUR}(?: ?(?:max(?:imum)?|tops|or less|or under|at most|ish|or so))?"
    r" ?(?:(?:a|per|each|every|/|an|for one|for a|for 1|1) ?(?:night|nite|nt|n|day|evening)\b|nightly|pn\b|p/n|per diem)")
_RE_SCOPE_STAY_AFTER = re.compile(
    rf"{_SCOPE_CUR}(?: ?(?:max(?:imum)?|tops|or less|or under|at most|ish|or so))?"
    r" ?(?:(?:for|in|per|a|/|over) ?(?:the |our |my |this )?(?:whole |entire |full |complete |total )?"
    r"(?:stay|trip|week|weekend|holiday|vacation|fortnight|month|lot|period|booking|everything|all|visit)\b"
    r"|in total|total\b|all in|all-in|overall|altogether|all together|combined|for (?:the )?\d{1,3} (?:nights|days|weeks)"
    r"|in all)")
_RE_SCOPE_NIGHT_BEFORE = re.compile(r"(?:per night|a night|nightly|/night|each night|per-night|night(?:ly)? rate|price per night)\b")
_RE_SCOPE_STAY_BEFORE = re.compile(r"\b(?:total|overall|whole|entire|for the (?:week|stay|trip|whole stay)|in total|all in|altogether)\b")

_TIER_PATTERNS = [
    ("cheap", re.compile(
        r"\b(?:nothing (?:too |very |overly )?(?:fancy|expensive|pricey|pricy|posh|luxurious)|no[- ]frills"
        r"|not (?:too |very |that |so |overly |super )?(?:expensive|pricey|pricy|dear|costly|fancy|posh)"
        r"|cheap(?:er|est|ish|o)?|inexpensive|affordable|low[- ]?cost|low[- ]?budget|budget[- ](?:friendly|conscious)"
        r"|economical|economic|bargain|backpacker|shoestring|on a (?:tight |small |low |limited |strict )?budget"
        r"|(?:tight|small|low|limited|strict|modest) budget|budget (?:option|options|place|places|stay|accommodation"
        r"|apartment|apartments|flat|room|rooms|hotel|hostel|rental|property|properties|one|ones|trip|travel|travell?er)"
        r"|(?:something|anything|somewhere) budget|^budget$|good value|value for money|wallet[- ]friendly)\b")),
    ("mid", re.compile(
        r"\b(?:mid[- ]?range|mid[- ]?priced|mid[- ]?price|middle[- ]of[- ]the[- ]road|moderate(?:ly priced)?|moderately"
        r"|reasonabl[ey](?: priced)?|average[- ]priced|medium[- ]priced|mid[- ]?market|mid[- ]?level|not too cheap"
        r"|decent price|middle range|mid tier|mid-tier)\b")),
    ("luxury", re.compile(
        r"\b(?:luxur(?:y|ious|e)|high[- ]?end|upscale|up[- ]?market|fancy|posh|premium|exclusive|lavish|top[- ]end"
        r"|swanky|splurge|deluxe|opulent|classy|glamorous|five[- ]star luxury|5[- ]star luxury|indulgent|plush)\b")),
]
_RE_TIER_NEGATED = re.compile(r"\b(?:not|nothing|no|don'?t need|doesn'?t need to be|doesn'?t have to be|needn'?t be|isn'?t)"
                              r" (?:(?:too|very|that|so|overly|super|necessarily|a|an|to be) )*$")
_RE_UNLIMITED = re.compile(
    r"\b(?:(?:price|budget|cost|money|how much(?: it costs)?|the cost|the price)\s+(?:is\s+|really\s+)?"
    r"(?:doesn'?t|does not|don'?t|do not|dont|doesnt)\s+(?:really\s+)?matter"
    r"|(?:price|budget|cost|money|expense)\s+(?:is\s+)?(?:not an? (?:issue|problem|concern|object|factor)"
    r"|no (?:issue|problem|object|concern)|irrelevant|unimportant|unlimited|open|flexible|no limit)"
    r"|(?:don'?t|do not|dont)\s+care (?:about|what|how much)\s+(?:the\s+)?(?:price|cost|money|budget|it costs|we pay"
    r"|i pay|we spend|i spend)"
    r"|no (?:budget|price|spending|money)(?: limit| cap| ceiling| constraint| restriction| max| maximum)?s?"
    r"|no (?:upper )?limits?|unlimited(?: budget)?|limitless budget|any (?:price|budget)|whatever (?:it costs|the (?:price|cost))"
    r"|money(?:'s| is)? no (?:object|issue|problem)|(?:the )?sky'?s the limit|sky is the limit"
    r"|(?:price|cost|expense) is no object|regardless of (?:the )?(?:price|cost)|spare no expense"
    r"|(?:budget|price)\s*:\s*(?:none|n/?a|any|unlimited)|not on a budget|no max(?:imum)?|not price sensitive)\b")
_RE_UNLIMITED_EXPECTED = re.compile(
    r"^(?:it )?(?:doesn'?t|does not) (?:really )?matter|^(?:i |we )?(?:don'?t|do not) (?:really )?care|^any(?:thing)?\b"
    r"|^whatever\b|^none\b|^no\b")
_RE_IN_CURRENCY = re.compile(rf"\b(?:in|using|with) (?:{_CUR_WORD_ALT})\b")


@dataclass(frozen=True)
class _Money:
    start: int
    end: int
    value: float
    currency: Optional[str]
    direction: Optional[str]  # "max" | "min" | "apx" | None
    scope: Optional[str]


def _amount_value(m: re.Match[str], tag: str = "") -> Optional[float]:
    raw = m.group(f"num{tag}")
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?", raw):
        value = float(raw.replace(",", ""))
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):
        value = float(raw.replace(".", ""))  # European thousands: "1.200" euros is 1200
    else:
        value = float(raw.replace(",", "."))
    if m.group(f"k{tag}"):
        value *= 1000
    if m.group(f"neg{tag}"):
        value = -value
    return value


def _amount_currency(m: re.Match[str], tag: str = "") -> Optional[str]:
    for part in (m.group(f"pre{tag}"), m.group(f"post{tag}")):
        if part:
            key = part.strip()
            return _CURRENCY_SYMBOLS.get(key) or _CURRENCY_WORDS.get(key)
    return None


def _scope_after(t: str, end: int) -> Optional[str]:
    window = t[end:end + 45]
    if _RE_SCOPE_NIGHT_AFTER.match(window):
        return "night"
    if _RE_SCOPE_STAY_AFTER.match(window):
        return "stay"
    return None


def _scope_before(before: str) -> Optional[str]:
    night = _RE_SCOPE_NIGHT_BEFORE.search(before)
    stay = _RE_SCOPE_STAY_BEFORE.search(before)
    if night and (not stay or night.start() > stay.start()):
        return "night"
    if stay:
        return "stay"
    return None


def _classify_money(t: str, start: int, end: int, value: float, currency: Optional[str],
                    has_k: bool, negative: bool, decimal: bool) -> Optional[_Money]:
    """Decide whether an amount is money and which way it bounds the budget.

    Money needs evidence: a currency, a price cue before it ("under", "budget
    is", "around"), a scope after it ("a night", "in total"), a "k" suffix, or a
    minus sign. Units after it (people, nights, stars, a month name) or a month,
    "rated" or "for" right before it rule it out. With only a direction cue
    ("over 4", "at least 4.5"), numbers under 10 are not money: no real price
    is that low, and ratings, guests and nights are.
    """
    before = t[max(0, start - 45):start]
    after_scope = _scope_after(t, end)
    if _RE_NOT_MONEY_AFTER.match(t, end) and currency is None:
        return None
    if currency is None and (_RE_NOT_MONEY_BEFORE.search(before) or _RE_DIGIT_DASH_BEFORE.search(before)):
        if not (after_scope and not re.search(rf"{MON} (?:the )?$", before)):
            return None
    if currency is None and after_scope is None and _RE_FOR_BEFORE.search(before):
        return None
    cue = _RE_CUE_BEFORE.search(before)
    suffix = _RE_SUFFIX_CUE.match(t, end)
    direction = None
    if cue:
        direction = "max" if cue.group("max") else "min" if cue.group("min") else "apx"
    elif suffix:
        direction = "max" if suffix.group("max") else "min" if suffix.group("min") else "apx"
    budget_word = bool(_RE_BUDGET_WORD_BEFORE.search(before))
    strong = currency is not None or after_scope is not None or budget_word or has_k or negative
    if not strong:
        if direction is None:
            return None
        if 0 < value < 10 or (decimal and value <= 5):
            return None
    scope = after_scope or _scope_before(before)
    return _Money(start, end, value, currency, direction, scope)


def _approx_max(value: float) -> float:
    """"around X" -> X * 1.15, rounded half up to a whole amount."""
    return float((Decimal(str(value)) * Decimal("1.15")).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _tier(t: str) -> Optional[str]:
    found: list[tuple[int, str]] = []
    for name, pattern in _TIER_PATTERNS:
        for m in _take(pattern.finditer(t)):
            phrase = m.group(0)
            negated = _RE_TIER_NEGATED.search(t[max(0, m.start() - 40):m.start()])
            if name == "cheap" and (phrase.startswith(("not ", "nothing ", "no"))):
                found.append((m.start(), "cheap"))
            elif negated:
                continue  # "doesn't have to be cheap", "not luxury"
            else:
                found.append((m.start(), name))
    if not found:
        return None
    return found[-1][1]


def parse_budget(text: str, *, expected: bool = False) -> Optional[Budget]:
    """The traveller's price limits, scope, currency, tier words, or "no budget".

    Choices: "around/about X" is a maximum of X*1.15 (rounded) with no minimum,
    because people who say "around 100" are happy to pay 90 but often accept a
    little more; "between A and B"/"A-B" give both bounds; "at least"/"over"
    give a minimum. An amount with no direction ("budget is 150", "150 a
    night") is a maximum. "1000 for the week"/"in total"/"total budget" make
    the scope "stay", "a night"/"per night" make it "night", otherwise None.
    "1.2k" is 1200, "1,200" and "1.200" are 1200 (thousands separators), "150,50"
    is 150.5. Negative amounts and 0 are returned as said, for the caller to
    question. "not too expensive" is tier "cheap" (the traveller is price-
    sensitive); "mid" is kept for explicit middle words ("mid-range",
    "reasonably priced").

    `expected=True` (the bot just asked for the budget) also reads a lone
    number as the maximum and "doesn't matter"/"any" as unlimited.
    """
    t = _normalise(text)
    if not t:
        return None
    found: list[_Money] = []
    consumed: list[tuple[int, int]] = []
    low = high = None
    range_currency = None
    range_scope = None

    if re.search(r"\d", t):
        for m in _take(_RE_RANGE.finditer(t)):
            a, b = _amount_value(m, "1"), _amount_value(m, "2")
            if a is None or b is None:
                continue
            cur = _amount_currency(m, "1") or _amount_currency(m, "2")
            before = t[max(0, m.start() - 45):m.start()]
            if cur is None and (_RE_NOT_MONEY_AFTER.match(t, m.end()) or _RE_NOT_MONEY_BEFORE.search(before)
                                or _RE_DIGIT_DASH_BEFORE.search(before)):
                continue
            if _RE_NOT_MONEY_AFTER.match(t, m.end()) and re.match(rf" ?{MON}", t[m.end():]):
                continue
            scope = _scope_after(t, m.end())
            between = bool(re.search(r"\b(?:between|from|range(?: of| is)?|budget|price)\b[^\d]{0,15}$", before))
            connector = t[m.end("num1") if m.group("post1") is None else m.end("post1"):m.start("num2")]
            if "and" in connector and not re.search(r"\bbetween\b[^\d]{0,15}$", before):
                continue
            if cur is None and scope is None and not (between and min(a, b) >= 10) \
                    and not _RE_BUDGET_WORD_BEFORE.search(before) and not m.group("k1") and not m.group("k2"):
                continue
            low, high = min(a, b), max(a, b)
            range_currency, range_scope = cur, scope or _scope_before(before)
            consumed.append((m.start(), m.end()))

        for m in _take(_RE_AMOUNT.finditer(t)):
            if any(s <= m.start("num") < e for s, e in consumed):
                continue
            value = _amount_value(m)
            if value is None:
                continue
            grouped = bool(re.fullmatch(r"\d{1,3}(?:[,.]\d{3})+(?:\.\d{1,2})?", m.group("num")))
            money = _classify_money(t, m.start(), m.end(), value, _amount_currency(m), bool(m.group("k")) or grouped,
                                    bool(m.group("neg")), bool(re.search(r"[.,]\d{1,2}$", m.group("num"))))
            if money is not None:
                found.append(money)

    maximum = minimum = None
    scope = currency = None
    if low is not None:
        minimum, maximum, currency, scope = low, high, range_currency, range_scope
    for money in found:
        if money.direction == "min":
            minimum = money.value
        elif money.direction == "apx":
            maximum = _approx_max(money.value)
        else:
            maximum = money.value
        scope = money.scope or scope
        currency = money.currency or currency
    if expected and maximum is None and minimum is None:
        lone = re.fullmatch(rf"(?:about |around |max |up to |maybe )?{_amount_pattern('')}(?: please| pls)? ?[.!]*", t)
        if lone:
            maximum = _amount_value(lone)
            currency = _amount_currency(lone)
    if currency is None and (maximum is not None or minimum is not None):
        m = _RE_IN_CURRENCY.search(t)
        if m:
            currency = _CURRENCY_WORDS.get(m.group(0).split()[-1])
    tier = _tier(t)
    unlimited = bool(_RE_UNLIMITED.search(t)) or (expected and bool(_RE_UNLIMITED_EXPECTED.search(t)))
    if maximum is not None:
        unlimited = False
    if maximum is None and minimum is None and tier is None and not unlimited:
        return None
    return Budget(maximum, minimum, scope, currency, tier, unlimited)


# --------------------------------------------------------------------------------------
# Nights
# --------------------------------------------------------------------------------------

_RE_NIGHTS = re.compile(rf"{_NB}(?P<n>\d{{1,4}}|one)(?: ?-? ?)(?:more |extra |full |whole )?(?:nights?|nites?|nigths?|nigts?|nighs?|evenings?)\b")
_RE_ONE_NIGHT = re.compile(r"\b(?:for|just|only|stay(?:ing)?|book(?:ing)?|a|need|want) (?:a|one|1|a single|one single) night\b|\bovernight\b|\bsingle night\b|^(?:just |only )?(?:one|a) night\b|\bjust tonight\b|\bonly tonight\b|\bfor tonight\b")
_RE_DAYS = re.compile(rf"{_NB}(?P<n>\d{{1,4}}|one|a|an)(?: ?-? ?)(?:full |whole )?days?\b")
_RE_WEEKS = re.compile(rf"{_NB}(?P<n>\d{{1,3}}|one|a|an|the)(?: ?-? ?)(?:full |whole |entire )?weeks?\b(?P<plus> and (?:a half|(?P<d>\d{{1,2}}|one|a) (?:days?|nights?)))?")
_RE_FORTNIGHT = re.compile(r"\b(?:(?P<n>\d{1,2}|one|a|the) )?fortnights?\b")
_RE_MONTHS = re.compile(rf"{_NB}(?P<n>\d{{1,2}}|one|a|an|the)(?: ?-? ?)(?:full |whole |entire )?months?\b")
_RE_WEEKEND = re.compile(r"\b(?P<long>long )?week-?end\b")
_RE_LENGTH_NOT_BEFORE = re.compile(
    r"(?:\b(?:in|within|after|next|last|past|every|per|each|this|coming|following|previous|ago|by|than|of)"
    r"|[€$£¥\d]|\b(?:" + _CUR_WORD_ALT + r")) ?$")
_RE_LENGTH_NOT_AFTER = re.compile(
    r" ?(?:from (?:now|today|tomorrow)|ago|before|after|later|notice|in advance|away|out\b|earlier|prior|beforehand"
    r"|a week|per week|of (?:notice|the month|the week)|a month|per month|old\b)")
_RE_LENGTH_PRICE_BEFORE = re.compile(r"(?:\d|[€$£¥]|\b(?:" + _CUR_WORD_ALT + r"|k|max|tops))\s?$")


def _length_ok(t: str, m: re.Match[str], article: bool) -> bool:
    """A length word counts unless it is an offset ("in 2 weeks") or a price unit ("150 a week")."""
    before = t[max(0, m.start() - 25):m.start()]
    if article or m.group("n") in ("a", "an", "the"):
        if _RE_LENGTH_PRICE_BEFORE.search(before) or re.search(r"\b(?:in|within|per|each|every|this|next|last|of|by)\s?$", before):
            return False
        if m.group("n") == "the" and not re.search(r"\b(?:for|all|whole|over|during)\s?$", before):
            return False
    elif re.search(r"\b(?:in|within|after|every|per|each|than|by|ago)\s?$", before):
        return False
    if _RE_LENGTH_NOT_AFTER.match(t, m.end()):
        return False
    return True


def _nights_in(t: str) -> Optional[int]:
    """Stay length in a normalised text; explicit nights beat days beat weeks/months beat weekends."""
    explicit = [m for m in _take(_RE_NIGHTS.finditer(t))
                if not re.search(r"(?:\bper|\ba|\beach|\bevery|/)\s?$", t[max(0, m.start() - 8):m.start()])
                and not re.search(r"\b(?:in|after|within)\s?$", t[max(0, m.start() - 8):m.start()])]
    if explicit:
        return _num(explicit[-1].group("n"))
    if _RE_ONE_NIGHT.search(t) and not _RE_LENGTH_PRICE_BEFORE.search(t[:_RE_ONE_NIGHT.search(t).start()]):
        return 1
    best: Optional[int] = None
    for m in _take(_RE_WEEKS.finditer(t)):
        if not _length_ok(t, m, False):
            continue
        n = _num(m.group("n")) if m.group("n") != "the" else 1
        if n is None:
            continue
        value = 7 * n
        plus = m.group("plus")
        if plus:
            value += 3 if "half" in plus else (_num(m.group("d")) or 0)
        best = value
    days = [m for m in _take(_RE_DAYS.finditer(t)) if _length_ok(t, m, False)
            and not re.match(r" ?(?:a|per) week", t[m.end():])
            and (m.group("n") not in ("a", "an") or re.search(r"\b(?:for|just|only)\s?$", t[max(0, m.start() - 8):m.start()]))]
    if days and (best is None or days[-1].start() > 0 and best is None):
        n = _num(days[-1].group("n"))
        if n is not None:
            return n
    if best is not None:
        return best
    for m in reversed(_take(_RE_FORTNIGHT.finditer(t))):
        before = t[max(0, m.start() - 12):m.start()]
        if re.search(r"\b(?:in|within|per|a|each|every)\s?$", before) and not m.group("n"):
            continue
        if m.group("n") == "a" and re.search(r"\bin\s?$", before):
            continue
        if _RE_LENGTH_NOT_AFTER.match(t, m.end()) or _RE_LENGTH_PRICE_BEFORE.search(before):
            continue
        n = _num(m.group("n")) if m.group("n") not in (None, "the") else 1
        return 14 * (n or 1)
    for m in reversed(_take(_RE_MONTHS.finditer(t))):
        if not _length_ok(t, m, False):
            continue
        n = _num(m.group("n")) if m.group("n") != "the" else 1
        if n is not None:
            return 30 * n
    for m in reversed(_take(_RE_WEEKEND.finditer(t))):
        if re.match(r"s\b", t[m.end():m.end() + 1]):
            continue
        return 3 if m.group("long") else 2
    return None


def parse_nights(text: str) -> Optional[int]:
    """How many nights the stay lasts.

    "10 days" is 10 nights, not 9: travellers count the days they are away and
    a booking needs a bed for each of them in practice, and the rental sites
    they compare with say "10 days" for a 10-night stay. A week is 7, a
    fortnight/two weeks 14, a month 30, a weekend 2 (Friday and Saturday), a
    long weekend 3, "overnight"/"one night" 1. Offsets are not lengths: "in 2
    weeks", "10 days from now", "a week ago"; nor are price units ("150 a
    night", "900 a week"). "a couple of nights" is 2; "a few nights" is None.
    """
    t = _normalise(text)
    if not t or not re.search(r"night|nite|nigt|nigh|day|week|fortnight|month|evening", t):
        return None
    return _nights_in(t)


# --------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------

_DAY = r"(?:[0-2]?\d|3[01])"
_ORD = r"(?:st|nd|rd|th)"
_YEAR = r"(?:,? (?P<year>20\d{2}|'\d{2}))?"
_CONNECT = r" ?(?:-|to|until|till|til|through|thru|and) ?"
_NOT_DAY_AFTER = (r"(?! ?(?:" + _NOT_PEOPLE_UNITS + r"|one|option|choice|of us|people|guests?|adults?|kids?|children"
                  r"|p\.?m|a\.?m|h\b|:|[.,]\d))")

_RE_ISO = re.compile(r"(?<![\d/.-])(?P<y>20\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?![\d/.-]?\d)")
_RE_NUM_YEAR = re.compile(r"(?<![\d/.-])(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>20\d{2}|\d{2})(?![\d/.-]?\d)")
_RE_NUM = re.compile(r"(?<![\d/.,-])(?P<a>\d{1,2})/(?P<b>\d{1,2})(?![\d/]|[.,]\d)")
_RE_RANGE_DM = re.compile(
    rf"(?<![\d.,/'-])(?P<d1>{_DAY}){_ORD}?{_CONNECT}(?:the )?(?P<d2>{_DAY}){_ORD}? (?:of )?{_MON_G}{_YEAR}")
_RE_RANGE_MD = re.compile(
    rf"\b{_MON_G} (?:the )?(?P<d1>{_DAY}){_ORD}?(?![\d/.,])(?:,)?{_CONNECT}(?:the )?(?P<d2>{_DAY}){_ORD}?(?![\d/.,:])"
    rf"(?! ?(?:of )?{MON}){_NOT_DAY_AFTER}{_YEAR}")
_RE_DM = re.compile(rf"(?<![\d.,/'-])(?P<d>\d{{1,2}}){_ORD}? (?:of )?{_MON_G}{_YEAR}")
_RE_MD = re.compile(rf"\b{_MON_G} ?(?:the )?(?P<d>\d{{1,2}}){_ORD}?(?![\d/.,:]|[.,]\d){_NOT_DAY_AFTER}{_YEAR}")
_RE_ORD_DAY = re.compile(
    rf"(?<![\d.,/-])(?P<d>\d{{1,2}}){_ORD}\b(?! ?(?:of )?{MON})(?! ?(?:one|option|floor|bedroom|bathroom|place"
    r"|listing|property|result|choice|apartment|flat|house|villa|home|night|week|time|day|person|guest|adult|child|kid"
    r"|row|stop|bed|room|street|avenue|item|suggestion|offer|of|in|on the list|best|cheapest|last|from the)\b)")
_RE_ORD_CONTEXT = re.compile(
    r"(?:\bfrom|\bon|\bto|\buntil|\btill|\btil|\bthrough|\bthru|-|\band|\barriv\w*|\bcheck(?:ing)?[ -]?(?:in|out)"
    r"|\bleav\w*|\bdepart\w*|\bstart\w*|\bbetween|\bsince|\bby|\bback)(?: (?:on|the|date|is|of))* ?$")
_RE_ORD_OF_MONTH = re.compile(rf"(?<![\d.,/-])(?P<d>{_DAY}){_ORD}? of (?P<w>next|this|the following|the coming) month\b")
_RE_NUM_DASH = re.compile(r"(?<![\d/.,-])(?P<a>\d{1,2})-(?P<b>\d{1,2})(?![\d/-]|[.,]\d)")
_RE_TOMORROW = re.compile(r"\b(?:the )?day after (?:tomorrow|tmrw|tmr)\b|\b(?:tomorrow|tmrw|tmr|tomorow|tommorow|tommorrow|2morrow|tomorrrow)\b")
_RE_TODAY = re.compile(r"\b(?:today|tonight|this evening|tonite|2night|now)\b")
_RE_YESTERDAY = re.compile(r"\byesterday\b")
_RE_IN_N = re.compile(
    r"\bin (?P<n>\d{1,3}|a|an|one) (?P<u>days?|weeks?|months?|fortnights?)(?: time)?\b"
    r"|\b(?P<n2>\d{1,3}|a|an|one) (?P<u2>days?|weeks?|months?|fortnights?) from (?:now|today)\b")
_RE_WEEKDAY = re.compile(
    rf"\b(?:(?P<q>next|this|coming|the coming|upcoming|last|on|from|until|till|til|to|by|thru|through) )?"
    rf"(?P<wd>{_alt(_WEEKDAY_NUM)})\.?(?![a-z])(?: (?P<q2>next week|this week|after next))?")
_RE_WEEKEND_DATE = re.compile(
    r"\b(?P<q>this|next|the|coming|upcoming|the coming|the next|over the|at the|on the)(?: (?P<long>long))? week-?end\b")
_RE_VAGUE = re.compile(
    rf"\b(?:in|during|early|mid|late|end of|beginning of|start of|sometime in|around|until|till|from|the end of"
    rf"|the start of|the beginning of|for|of|next|this) -?(?:the )?{_MON_G}(?! ?(?:the )?\d)(?:(?: of)? (?P<year>20\d{{2}}))?"
    rf"|\b{_MON_G.replace('?P<mon>', '?P<mon2>')} (?P<year2>20\d{{2}})\b|\b(?:next|this|the following) (?P<unit>week|month)\b")
_RE_HOLIDAY = re.compile(r"\b(?:for|over|at|during|around|on|until|till|from) (?:the )?(?P<h>christmas|xmas|new year'?s?(?: eve)?|easter)\b")
_RE_DATE_GATE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\b(?:mon|tue|wed|thu|fri|sat|sun)|tomorrow|tmrw?\b|\btoday"
    r"|tonight|tonite|week-?end|yesterday|\bnext\b|\bthis\b|\d[/-]\d|\d\.\d{1,2}\.\d|\d(?:st|nd|rd|th)\b|\bin (?:a|an|one|\d+) (?:day|week|month|fortnight)"
    r"|from now|christmas|xmas|easter|new year|\bnow\b|2morrow|\bday after")
_RE_STRONG_DATE = re.compile(rf"{MON}|\b(?:{_alt(_WEEKDAY_NUM)})\b|\d[/-]\d|\d{_ORD}\b")
_RE_IN_MARK = re.compile(
    r"(?:\bcheck(?:ing)?[ -]?in|\barriv(?:e|ing|al)|\bget(?:ting)? (?:there|in)|\bstart(?:ing)?|\bbegin(?:ning)?|\bfrom"
    r"|\bsince|\bcoming)(?: (?:on|date|day|is|will be|would be|at|from|of|around|about|the))*[ :,-]*$")
_RE_OUT_MARK = re.compile(
    r"(?:\bcheck(?:ing)?[ -]?out|\bleav(?:e|ing)|\bdepart(?:ing|ure)?|\bgo(?:ing)? (?:home|back)|\bfly(?:ing)? (?:home|back)"
    r"|\buntil|\btill|\btil|\buntill|\bto|\bthrough|\bthru|\bup to|-|\bend(?:ing)?|\bback)(?: (?:on|date|day|is|will be"
    r"|would be|at|around|about|the))*[ :,-]*$")
_RE_BETWEEN_BEFORE = re.compile(r"\bbetween (?:the )?$")
_RE_BARE_END_DAY = re.compile(rf" ?(?:-|to|until|till|til|through|thru) ?(?:the )?(?P<d>{_DAY})(?![\d/.,:]){_ORD}?\b"
                              rf"(?! ?(?:of )?{MON}){_NOT_DAY_AFTER}")
_RE_FALLBACK_PHRASE = re.compile(
    r"(?:\bfrom|\bon|\barriv\w*|\bcheck(?:ing)?[ -]?in(?: on)?|\bstarting(?: on)?|\buntil|\btill|\bleaving(?: on)?"
    r"|\bcheck(?:ing)?[ -]?out(?: on)?) (?P<p>[\w'./-]+(?: [\w'./-]+){0,3})")


@dataclass(frozen=True)
class _DateAtom:
    start: int
    end: int
    kind: str                   # ymd | range | weekday | weekend | offset | vague | invalid
    y: Optional[int] = None
    m: Optional[int] = None
    d: Optional[int] = None
    y2: Optional[int] = None
    m2: Optional[int] = None
    d2: Optional[int] = None
    qual: str = ""
    value: int = 0              # weekday number, or offset days
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


def _safe_date(y: int, m: int, d: int) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise _Unclear(f"{d} {calendar.month_name[m] if 1 <= m <= 12 else m} is not a date")


def _next_occurrence(m: int, d: int, today: date) -> date:
    """The next (month, day) on or after today; Feb 29 waits for a leap year."""
    if not 1 <= m <= 12 or not 1 <= d <= 31:
        raise _Unclear(f"{d}/{m} is not a date")
    for year in range(today.year, today.year + 9):
        try:
            candidate = date(year, m, d)
        except ValueError:
            if d > calendar.monthrange(2000, m)[1]:  # never valid (June 31)
                break
            continue
        if candidate >= today:
            return candidate
    raise _Unclear(f"{d} {calendar.month_name[m]} is not a date")


def _next_day_of_month(d: int, today: date) -> date:
    if not 1 <= d <= 31:
        raise _Unclear(f"the {d}{_suffix(d)} is not a day of the month")
    y, m = today.year, today.month
    for _ in range(13):
        if d <= calendar.monthrange(y, m)[1] and date(y, m, d) >= today:
            return date(y, m, d)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    raise _Unclear(f"the {d}{_suffix(d)} is not a day of the month")


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _weekend_friday(today: date, qual: str) -> tuple[date, date]:
    """(first night, departure) of "this"/"next" weekend: Friday and Saturday nights.

    "next weekend" is the weekend after this week's (Monday-based) one. "this
    weekend" is the coming one; on a Saturday only Saturday night is left, and
    on a Sunday it is already over, so the coming Friday is meant.
    """
    wd = today.weekday()
    this_friday = today - timedelta(days=wd) + timedelta(days=4)
    if qual.endswith("next"):
        return this_friday + timedelta(days=7), this_friday + timedelta(days=9)
    if wd <= 4:
        return this_friday, this_friday + timedelta(days=2)
    if wd == 5:
        return today, today + timedelta(days=1)
    return this_friday + timedelta(days=7), this_friday + timedelta(days=9)


def _weekday_date(wd: int, qual: str, today: date) -> date:
    """A weekday named alone, or with this/next/last.

    Bare "Friday" and "this Friday" are the next Friday after today ("today"
    is what people say for today). "next Friday" is the Friday of next week
    (Monday-based), the same rule as "next weekend"; on a Friday-to-Sunday it
    coincides with the coming one. "last Friday" is in the past.
    """
    days_ahead = (wd - today.weekday()) % 7
    if qual == "last":
        back = (today.weekday() - wd) % 7 or 7
        return today - timedelta(days=back)
    if qual in ("next", "after next"):
        monday_next = today - timedelta(days=today.weekday()) + timedelta(days=7)
        result = monday_next + timedelta(days=wd)
        return result + timedelta(days=7) if qual == "after next" else result
    if qual == "this week":
        return today - timedelta(days=today.weekday()) + timedelta(days=wd)
    if qual == "next week":
        return today - timedelta(days=today.weekday()) + timedelta(days=7 + wd)
    if qual == "this" and days_ahead == 0:
        return today
    return today + timedelta(days=days_ahead or 7)


def _find_date_atoms(t: str) -> list[_DateAtom]:
    atoms: list[_DateAtom] = []

    def month(token: str) -> int:
        return _MONTH_NUM[token]

    for m in _take(_RE_ISO.finditer(t)):
        atoms.append(_DateAtom(m.start(), m.end(), "ymd", int(m.group("y")), int(m.group("m")), int(m.group("d"))))
    for m in _take(_RE_NUM_YEAR.finditer(t)):
        a, b = int(m.group("a")), int(m.group("b"))
        day, mon = (b, a) if b > 12 >= a else (a, b)
        if 1 <= mon <= 12 and 1 <= day <= 31:
            atoms.append(_DateAtom(m.start(), m.end(), "ymd", _year(m.group("y")), mon, day))
    for m in _take(_RE_NUM.finditer(t)):
        before = t[max(0, m.start() - 25):m.start()]
        if re.search(r"\b(?:rated|rating|score|scored|reviews?)\b[^\d]{0,15}$", before) \
                or re.match(r" ?(?:stars?|rating|score|out of)\b", t[m.end():]) \
                or _RE_NOT_PEOPLE_AFTER.match(t, m.end()) or m.group(0) in ("24/7", "50/50", "1/2"):
            continue
        a, b = int(m.group("a")), int(m.group("b"))
        day, mon = (b, a) if b > 12 >= a else (a, b)
        if 1 <= mon <= 12 and 1 <= day <= 31:  # "50/50", "0/5" are not dates at all
            atoms.append(_DateAtom(m.start(), m.end(), "ymd", None, mon, day))
    for m in _take(_RE_RANGE_DM.finditer(t)):
        if not _month_ok(t, m):
            continue
        y = _year(m.group("year"))
        atoms.append(_DateAtom(m.start(), m.end(), "range", y, month(m.group("mon")), int(m.group("d1")),
                               y, month(m.group("mon")), int(m.group("d2")), qual="dm"))
    for m in _take(_RE_RANGE_MD.finditer(t)):
        y = _year(m.group("year"))
        atoms.append(_DateAtom(m.start(), m.end(), "range", y, month(m.group("mon")), int(m.group("d1")),
                               y, None, int(m.group("d2")), qual="md"))
    for m in _take(_RE_DM.finditer(t)):
        if not _month_ok(t, m):
            continue
        atoms.append(_DateAtom(m.start(), m.end(), "ymd", _year(m.group("year")), month(m.group("mon")), int(m.group("d"))))
    for m in _take(_RE_MD.finditer(t)):
        if not _month_ok(t, m):
            continue
        atoms.append(_DateAtom(m.start(), m.end(), "ymd", _year(m.group("year")), month(m.group("mon")), int(m.group("d"))))
    for m in _take(_RE_ORD_DAY.finditer(t)):
        before = t[max(0, m.start() - 30):m.start()]
        after = t[m.end():m.end() + 30]
        if re.search(r"\ba ?$", before) or not (
                _RE_ORD_CONTEXT.search(before)
                or re.match(rf"{_CONNECT}(?:the )?\d{{1,2}}{_ORD}", after)):
            continue
        atoms.append(_DateAtom(m.start(), m.end(), "ymd", None, None, int(m.group("d"))))
    for m in _take(_RE_ORD_OF_MONTH.finditer(t)):
        atoms.append(_DateAtom(m.start(), m.end(), "ymd", None, None, int(m.group("d")),
                               qual="thismonth" if m.group("w") == "this" else "nextmonth"))
    for m in _take(_RE_NUM_DASH.finditer(t)):
        before = t[max(0, m.start() - 40):m.start()]
        if not (_RE_IN_MARK.search(before) or re.search(r"\b(?:to|until|till|til|check(?:ing)?[ -]?out|leaving)(?: on)? ?$", before)) \
                or _RE_NOT_PEOPLE_AFTER.match(t, m.end()):
            continue
        a, b = int(m.group("a")), int(m.group("b"))
        day, mon = (b, a) if b > 12 >= a else (a, b)
        if 1 <= mon <= 12 and 1 <= day <= 31:
            atoms.append(_DateAtom(m.start(), m.end(), "ymd", None, mon, day))
    for m in _take(_RE_TOMORROW.finditer(t)):
        atoms.append(_DateAtom(m.start(), m.end(), "offset", value=2 if "after" in m.group(0) else 1))
    for m in _take(_RE_TODAY.finditer(t)):
        word = m.group(0)
        if word == "now" and not re.search(r"\b(?:from|starting|arriving|check(?:ing)? in)\s?$", t[max(0, m.start() - 20):m.start()]):
            continue
        if word == "now" and re.match(r" ?on\b", t[m.end():]):
            continue
        atoms.append(_DateAtom(m.start(), m.end(), "offset", value=0, label="tonight" if "night" in word or "nite" in word or "evening" in word else ""))
    for m in _take(_RE_YESTERDAY.finditer(t)):
        atoms.append(_DateAtom(m.start(), m.end(), "offset", value=-1))
    for m in _take(_RE_IN_N.finditer(t)):
        n = _num(m.group("n") or m.group("n2"))
        unit = m.group("u") or m.group("u2")
        if n is None:
            continue
        if unit.startswith("day"):
            atoms.append(_DateAtom(m.start(), m.end(), "offset", value=n))
        elif unit.startswith("week"):
            atoms.append(_DateAtom(m.start(), m.end(), "offset", value=7 * n))
        elif unit.startswith("fortnight"):
            atoms.append(_DateAtom(m.start(), m.end(), "offset", value=14 * n))
        else:
            atoms.append(_DateAtom(m.start(), m.end(), "offset", value=n, qual="months"))
    for m in _take(_RE_WEEKDAY.finditer(t)):
        word, q = m.group("wd"), m.group("q") or ""
        if word in _WEEKDAY_ABBR and not q and not m.group(0).endswith("."):
            continue
        if word in ("sat", "sun", "wed", "mon") and q in ("on", "from", "to", "by") and re.match(r" ?(?:on|in|the|at)\b", t[m.end():]):
            continue  # "sat on the terrace", "sun in the garden"
        qual = {"the coming": "coming", "upcoming": "coming"}.get(q, q)
        if qual in ("on", "from", "until", "till", "til", "to", "by", "thru", "through"):
            qual = ""
        if m.group("q2"):
            qual = m.group("q2")
        start = m.start() if q in ("next", "this", "coming", "the coming", "upcoming", "last") else m.start("wd")
        atoms.append(_DateAtom(start, m.end(), "weekday", value=_WEEKDAY_NUM[word], qual=qual))
    for m in _take(_RE_WEEKEND_DATE.finditer(t)):
        q = m.group("q")
        qual = "next" if q in ("next", "the next") else "this"
        atoms.append(_DateAtom(m.start(), m.end(), "weekend", qual=qual, long=bool(m.group("long"))))
    for m in _take(_RE_VAGUE.finditer(t)):
        if m.group("unit"):
            label = f"{m.group(0).split()[0]} {m.group('unit')}"
        else:
            mon = m.group("mon") or m.group("mon2") or ""
            if mon == "may" and re.match(r" (?:be|i|we|you|have|need|want|not|also|stay|book|get|come|go|arrive|leave|bring|ask|like|prefer)\b", t[m.end():]):
                continue
            if mon in ("mar", "sat", "sun", "jan", "dec") and not re.match(r".*\b(?:in|during|early|mid|late|end of)", m.group(0)):
                pass
            label = calendar.month_name[_MONTH_NUM[mon]] if mon in _MONTH_NUM else m.group(0)
        atoms.append(_DateAtom(m.start(), m.end(), "vague", label=label))
    for m in _take(_RE_HOLIDAY.finditer(t)):
        holiday = m.group("h")
        label = "Christmas" if holiday in ("christmas", "xmas") else "Easter" if holiday == "easter" else "New Year"
        atoms.append(_DateAtom(m.start("h"), m.end(), "vague", label=f"around {label}"))
    # longest first, then earliest: drop atoms overlapping a better one
    atoms.sort(key=lambda a: (-(a.end - a.start), a.start))
    kept: list[_DateAtom] = []
    for atom in atoms:
        if all(atom.end <= k.start or atom.start >= k.end for k in kept):
            kept.append(atom)
    kept.sort(key=lambda a: a.start)
    return kept


def _month_ok(t: str, m: re.Match[str]) -> bool:
    """'may' is a month only next to a day or a year, never in "may I" / "may be"."""
    mon = m.group("mon")
    if mon == "may":
        rest = t[m.end():m.end() + 12]
        if re.match(r" (?:be|i|we|you|have|need|want|not|also|stay|book|get|come|go|arrive|leave|like)\b", rest) \
                and not m.group("year") and m.group(0).startswith("may"):
            return False
    if mon in ("mar", "jan", "sat", "sun", "dec", "aug", "oct", "jun", "jul") and m.group(0).startswith(mon):
        return True
    return True


def _resolve_start(atom: _DateAtom, today: date, end_hint: Optional[_DateAtom]) -> tuple[date, Optional[date]]:
    """The check-in date of an atom, and the departure it implies (weekends, tonight)."""
    if atom.kind == "ymd":
        if atom.qual in ("thismonth", "nextmonth"):
            first = date(today.year, today.month, 1)
            if atom.qual == "nextmonth":
                first = _add_months(first, 1)
            return _safe_date(first.year, first.month, atom.d or 0), None
        if atom.y is not None and atom.m is not None:
            return _safe_date(atom.y, atom.m, atom.d or 0), None
        if atom.m is not None:
            return _next_occurrence(atom.m, atom.d or 0, today), None
        if end_hint is not None and end_hint.kind == "ymd" and end_hint.m is not None:
            end = (_safe_date(end_hint.y, end_hint.m, end_hint.d or 0) if end_hint.y
                   else _next_occurrence(end_hint.m, end_hint.d or 0, today))
            y, mo = end.year, end.month
            if (atom.d or 0) >= end.day:
                y, mo = (y - 1, 12) if mo == 1 else (y, mo - 1)
            return _safe_date(y, mo, atom.d or 0), None
        return _next_day_of_month(atom.d or 0, today), None
    if atom.kind == "range":
        if atom.qual == "dm" and (atom.d or 0) > (atom.d2 or 0) and atom.m is not None:
            # "28-3 March": the 28th is in February
            end = _safe_date(atom.y, atom.m, atom.d2 or 0) if atom.y else _next_occurrence(atom.m, atom.d2 or 0, today)
            y, mo = (end.year - 1, 12) if end.month == 1 else (end.year, end.month - 1)
            return _safe_date(y, mo, atom.d or 0), None
        if atom.y is not None:
            return _safe_date(atom.y, atom.m or 0, atom.d or 0), None
        return _next_occurrence(atom.m or 0, atom.d or 0, today), None
    if atom.kind == "weekday":
        return _weekday_date(atom.value, atom.qual, today), None
    if atom.kind == "weekend":
        friday, sunday = _weekend_friday(today, atom.qual)
        return friday, sunday + timedelta(days=1) if atom.long else sunday
    if atom.kind == "offset":
        start = _add_months(today, atom.value) if atom.qual == "months" else today + timedelta(days=atom.value)
        return start, (start + timedelta(days=1) if atom.label == "tonight" else None)
    raise _Unclear("that date")


def _resolve_end(atom: _DateAtom, start: date, today: date) -> date:
    """A departure date, read relative to the arrival it follows.

    A day/month without a year takes the arrival's year; if that falls before
    the arrival and the month is earlier, the stay crosses New Year ("Dec 28 to
    Jan 3") - but only when that gives at most 90 nights; otherwise the dates
    are taken as reversed, which the traveller is asked about. A bare day
    ("to the 11th") takes the arrival's month, or the next month when it is not
    after the arrival. A weekday is the first one after the arrival.
    """
    if atom.kind == "range":
        atom = _DateAtom(atom.start, atom.end, "ymd", atom.y2, atom.m2, atom.d2)
    if atom.kind == "ymd":
        if atom.qual in ("thismonth", "nextmonth"):
            return _resolve_start(atom, today, None)[0]
        if atom.y is not None and atom.m is not None:
            return _safe_date(atom.y, atom.m, atom.d or 0)
        if atom.m is not None:
            candidate = _safe_date(start.year, atom.m, atom.d or 0) if (atom.d or 0) <= calendar.monthrange(start.year, atom.m)[1] \
                else _safe_date(start.year, atom.m, atom.d or 0)
            if candidate <= start and atom.m < start.month:
                wrapped = _safe_date(start.year + 1, atom.m, atom.d or 0)
                if (wrapped - start).days <= 90:
                    return wrapped
            return candidate
        y, mo = start.year, start.month
        if (atom.d or 0) <= start.day:
            y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
        return _safe_date(y, mo, atom.d or 0)
    if atom.kind == "weekday":
        ahead = (atom.value - start.weekday()) % 7 or 7
        if atom.qual in ("next", "next week") and start <= today + timedelta(days=1):
            return _weekday_date(atom.value, atom.qual, today) if _weekday_date(atom.value, atom.qual, today) > start \
                else start + timedelta(days=ahead)
        return start + timedelta(days=ahead)
    if atom.kind == "weekend":
        friday, sunday = _weekend_friday(today, atom.qual)
        return sunday if sunday > start else friday
    if atom.kind == "offset":
        return _add_months(today, atom.value) if atom.qual == "months" else today + timedelta(days=atom.value)
    raise _Unclear("that date")


_dateparser_lock = threading.Lock()
_dateparser_parse: Optional[Callable[..., Optional[datetime]]] = None
_dateparser_failed = False


def _dateparser() -> Optional[Callable[..., Optional[datetime]]]:
    """dateparser, imported and warmed once (its first call takes ~1 s)."""
    global _dateparser_parse, _dateparser_failed
    if _dateparser_parse is not None or _dateparser_failed:
        return _dateparser_parse
    with _dateparser_lock:
        if _dateparser_parse is None and not _dateparser_failed:
            try:
                import dateparser  # noqa: PLC0415 - deliberately lazy: ~1 s import
                settings = {"PREFER_DATES_FROM": "future", "RELATIVE_BASE": datetime(2026, 1, 1),
                            "DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month"]}
                dateparser.parse("4 march", languages=["en"], settings=settings)
                dateparser.parse("friday", languages=["en"], settings=settings)
                _dateparser_parse = dateparser.parse
            except Exception:  # pragma: no cover - dateparser missing or broken
                _dateparser_failed = True
    return _dateparser_parse


def _warm_in_background() -> None:
    threading.Thread(target=_dateparser, name="dateparser-warmup", daemon=True).start()


def _fallback_date(phrase: str, today: date) -> Optional[date]:
    parse = _dateparser()
    if parse is None or len(phrase) > 40:
        return None
    settings = {"PREFER_DATES_FROM": "future", "RELATIVE_BASE": datetime(today.year, today.month, today.day),
                "DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month"]}
    try:
        result = parse(phrase, languages=["en"], settings=settings)
    except Exception:
        return None
    if result is None:
        return None
    wanted = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)\b", phrase)
    if wanted and int(wanted.group(1)) != result.day:
        return None  # dateparser reads "4th of next month" as the 28th
    return result.date()


def parse_dates(text: str, today: date) -> "StayDates | DateProblem | None":
    """Check-in and check-out from the message, resolved against `today`.

    Dates without a year are the next occurrence on or after today. Numeric
    dates are day-first ("4/3" is 4 March, as in most of our markets); only
    when the second number cannot be a month ("3/14") are they read
    month-first. (The brief said "unless the first number > 12": a first
    number > 12 already forces day-first, so the impossible case is a second
    number > 12.) Weekdays: see `_weekday_date`; weekends are Friday to Sunday
    (2 nights), long weekends Friday to Monday. An arrival plus a length
    ("from Friday for 3 nights") gives a stay; a departure plus a length gives
    one too. A length alone is None (parse_nights reads it). Problems are
    returned, never raised: "past" (arrival before today), "reversed"
    (departure not after arrival), "too_long" (> 365 nights), "unclear" (a
    date phrase we could not resolve, a month without days, or an arrival
    with no departure or length - the latter keeps `check_in` on the problem).
    """
    t = _normalise(text)
    if not t or not _RE_DATE_GATE.search(t):
        return None
    try:
        return _parse_dates(t, today)
    except _Unclear as exc:
        return DateProblem("unclear", f"I couldn't work out the dates: {exc}.")


def _parse_dates(t: str, today: date) -> "StayDates | DateProblem | None":
    atoms = _find_date_atoms(t)
    concrete = [a for a in atoms if a.kind != "vague"]
    vague = [a for a in atoms if a.kind == "vague"]

    start_atom: Optional[_DateAtom] = None
    end_atom: Optional[_DateAtom] = None
    extra_end_day: Optional[int] = None
    for atom in concrete:
        if atom.kind == "range":
            start_atom = end_atom = atom
            break
    if start_atom is None and concrete:
        roles = []
        between = False
        for i, atom in enumerate(concrete):
            before = t[max(0, atom.start - 40):atom.start]
            if i == 0 and _RE_BETWEEN_BEFORE.search(before):
                between = True
            if _RE_OUT_MARK.search(before) and not (i == 0 and re.search(r"-\s?$", before) is not None and False):
                role = "out"
            elif i > 0 and between and re.search(r"\band (?:the )?$", before):
                role = "out"
            elif _RE_IN_MARK.search(before):
                role = "in"
            else:
                role = ""
            roles.append(role)
        if "in" in roles:
            start_atom = concrete[roles.index("in")]
        else:
            unmarked = [a for a, r in zip(concrete, roles) if r == ""]
            start_atom = unmarked[0] if unmarked else None
        if start_atom is None and roles and roles[0] == "out" and len(concrete) >= 2:
            # "to Lisbon ... until": the first "to" was not a departure after all
            start_atom = concrete[0]
        for atom, role in zip(concrete, roles):
            if atom is start_atom or (start_atom is not None and atom.start < start_atom.start and role != "out"):
                continue
            if role == "out" or (start_atom is not None and role == "" and atom.start > start_atom.start):
                end_atom = atom
                break
        if start_atom is not None and end_atom is None and start_atom.kind in ("ymd",) and start_atom.m is not None:
            bare = _RE_BARE_END_DAY.match(t, start_atom.end)
            if bare:
                extra_end_day = int(bare.group("d"))
        if start_atom is None and end_atom is None:
            end_atom = concrete[0]

    # the stay length, read outside the date phrases ("in 2 weeks" is not a length)
    blanked = t
    for atom in atoms:
        blanked = blanked[:atom.start] + " " * (atom.end - atom.start) + blanked[atom.end:]
    length = _nights_in(re.sub(r" {2,}", " , ", blanked)) if re.search(
        r"night|nite|nigt|nigh|day|week|fortnight|month|evening", blanked) else None

    if start_atom is None and end_atom is None:
        if vague:
            label = vague[0].label
            where = f"in {label}" if label in calendar.month_name[1:] else label
            return DateProblem("unclear", f"Which days {where}? I need a check-in date and how many nights.")
        phrase = None
        for m in _take(_RE_FALLBACK_PHRASE.finditer(t)):
            candidate = re.split(r" (?:to|until|till|for|and|with|under|in|at|,)\b|[,;!?]", m.group("p"))[0].strip(" .")
            if _RE_STRONG_DATE.search(candidate):
                phrase = candidate
                break
        if phrase is None:
            return None
        resolved = _fallback_date(phrase, today)
        if resolved is None:
            return DateProblem("unclear", f"I couldn't work out a date from \"{phrase}\".")
        return _finish(resolved, None if length is None else resolved + timedelta(days=length), today, length)

    if start_atom is None and end_atom is not None:
        end = _resolve_start(end_atom, today, None)[0]
        if length is not None:
            return _finish(end - timedelta(days=length), end, today, length)
        return DateProblem("unclear", f"I have check-out on {_fmt(end)}, but when do you arrive?", check_out=end)

    assert start_atom is not None
    start, implied_end = _resolve_start(start_atom, today, end_atom if end_atom is not start_atom else None)
    end: Optional[date] = None
    if end_atom is not None:
        end = _resolve_end(end_atom, start, today)
    elif extra_end_day is not None:
        end = _resolve_end(_DateAtom(0, 0, "ymd", None, None, extra_end_day), start, today)
    elif length is not None:
        end = start + timedelta(days=length)
    elif implied_end is not None:
        end = implied_end
    return _finish(start, end, today, length)


def _finish(start: date, end: Optional[date], today: date, length: Optional[int]) -> "StayDates | DateProblem":
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
_RE_RATING_SCALE = re.compile(
    rf"(?<![\d.,/]){_RV} ?(?:/ ?(?P<s>5|10)|out of (?P<s2>5|10))(?![\d])(?: ?(?:stars?|rating|score|reviews?|or (?:higher|more|above|better)|\+))?")
_RE_RATING_WORD = re.compile(
    r"\b(?:rated|rating|ratings|score|scored|scores|reviews?|reviewed|review score|stars?)"
    r"(?: (?:of|is|are|be|should be|must be|needs to be|has to be|at|with|from|min(?:imum)?|averaging|average))*"
    r"(?: ?[:=])?(?: ?(?P<cmp>at least|atleast|above|over|min(?:imum)?(?: of)?|>=?|≥|higher than|more than|better than|from"
    r"|of at least|no less than|not below|not under|minimum of|greater than))? ?"
    rf"(?<![\d.,]){_RV}(?![\d/]|[.,]\d)(?! ?(?:{_NOT_PEOPLE_UNITS.replace('|stars?', '').replace('|reviews?|ratings?', '')})\b)")
_RE_RATING_STARS = re.compile(
    rf"(?<![\d.,/-]){_RV} ?(?:\+ ?)?(?:or (?:higher|more|above|better) ?)?-? ?(?:stars?|⭐+|\*+)(?![a-z])")
_RE_RATING_OR_MORE = re.compile(
    r"(?<![\d.,/-])(?P<v>\d(?:[.,]\d{1,2}))(?: ?\+| or (?:higher|more|above|better|up)| and (?:up|above|higher))(?![\d])")
_RE_RATING_TOP = re.compile(
    r"\b(?:top|best|highest)[- ]?(?:rated|reviewed|ratings?|reviews?)\b|\b(?:excellent|outstanding|exceptional|superb"
    r"|stellar|amazing|perfect|glowing|rave|fantastic|brilliant|the best) (?:reviews?|ratings?|feedback|scores?)\b")
_RE_RATING_GOOD = re.compile(
    r"\b(?:highly|well|nicely|positively|very well|really well)[- ]?(?:rated|reviewed|scored)\b|\b(?:good|great|positive"
    r"|nice|decent|solid|strong|high|favou?rable) (?:reviews?|ratings?|feedback|scores?|reputation)\b")


def parse_rating(text: str, good: float = 4.5) -> Optional[float]:
    """The minimum guest rating asked for, on the 0-5 scale.

    Numbers need a rating context: "stars", "rated"/"rating"/"reviews", a "/5"
    scale, or a decimal with "or more"/"+" ("4.8 or more" - integers there are
    too often people or money). "x/10" and "out of 10" are halved. Words:
    "good reviews"/"highly rated" mean `good` (the engine's threshold); "top
    rated"/"excellent reviews" mean max(good, 4.8). Values outside 0..5 ("10
    stars") are returned as said for the caller to question. A negated rating
    ("reviews don't matter") is None.
    """
    t = _normalise(text)
    if not t or not re.search(r"rat|review|star|score|\d ?(?:\+|or |and |/)|⭐|\*|feedback|reputation", t):
        return None
    negated = _negated_spans_norm(t)

    def ok(m: re.Match[str]) -> bool:
        return not any(s <= m.start() < e for s, e in negated)

    def value(m: re.Match[str]) -> float:
        return float(m.group("v").replace(",", "."))

    for m in _take(_RE_RATING_SCALE.finditer(t)):
        scale = m.group("s") or m.group("s2")
        before = t[max(0, m.start() - 25):m.start()]
        if scale == "10" or m.group("s2") or re.search(r"rat|review|score|star", before + m.group(0)) \
                or "." in m.group("v") or "," in m.group("v"):
            if ok(m):
                v = value(m)
                return v / 2 if scale == "10" else v
    candidates: list[tuple[int, float]] = []
    for pattern in (_RE_RATING_WORD, _RE_RATING_STARS):
        for m in _take(pattern.finditer(t)):
            if not ok(m):
                continue
            after = t[m.end():m.end() + 12]
            if pattern is _RE_RATING_WORD and re.match(rf" ?(?:[€$£¥]|(?:{_CUR_WORD_ALT})\b|k\b| ?(?:a|per) night)", after):
                continue
            if pattern is _RE_RATING_WORD and re.search(r"\brate\b", m.group(0)):
                continue
            candidates.append((m.start("v"), value(m)))
    for m in _take(_RE_RATING_OR_MORE.finditer(t)):
        before = t[max(0, m.start() - 30):m.start()]
        if not ok(m) or re.search(r"[€$£¥]\s?$", before) or re.match(rf" ?(?:{_NOT_PEOPLE_UNITS})\b", t[m.end():]):
            continue
        if _RE_CUE_BEFORE.search(before) and re.search(r"\b(?:budget|price|cost|pay|spend)\b", before):
            continue
        candidates.append((m.start("v"), value(m)))
    if candidates:
        return sorted(candidates)[-1][1]
    for m in _take(_RE_RATING_TOP.finditer(t)):
        if ok(m):
            return max(good, 4.8)
    for m in _take(_RE_RATING_GOOD.finditer(t)):
        if ok(m):
            return good
    return None


# --------------------------------------------------------------------------------------
# Ordinal (which shown option)
# --------------------------------------------------------------------------------------

_OPTION_NOUNS = (r"one|option|listing|place|property|result|choice|apartment|flat|house|villa|home|suggestion|offer"
                 r"|stay|studio|loft|cabin|cottage|chalet|room|guesthouse|condo|pick|entry|item|link|card|rental|hotel")
_RE_ORDINAL_NTH = re.compile(
    rf"(?<![\d.,/-])(?P<n>\d{{1,2}}){_ORD}\b(?! ?(?:of )?{MON})(?! ?(?:floor|bedroom|bathroom|night|week|time|day|person"
    r"|guest|adult|child|kid|row|stop|bed|street|avenue|of|in line|grade|class|birthday|anniversary|visit|trip|year"
    r"|month|weekend|century|place finish|gen|generation|edition|attempt|try|go|round|half|quarter|hour|minute|page)\b)")
_RE_ORDINAL_REF = re.compile(
    r"(?:(?<![a-z])#|\bn[°º]|\bnumber|\bno\.|\bnr\.?|\bnum\.?|\boption|\bopt\.?|\blisting|\bchoice|\bresult|\bproperty"
    r"|\bitem|\bentry|\bsuggestion|\boffer|\bpick|\bdetails?(?: (?:on|of|for|about))?(?: (?:the|number|option))?"
    r"|\btell me (?:more )?about(?: (?:the|number|option))?|\bmore (?:info |information |details )?(?:on|about)(?: (?:the|number|option))?"
    r"|\binfo (?:on|about)(?: (?:number|option))?|\bwhat about(?: (?:number|option))?|\bhow about(?: (?:number|option))?"
    r"|\bshow me(?: (?:number|option))?|\bopen(?: (?:number|option))?|\bbook(?: (?:number|option))?|\bi'?ll take(?: (?:number|option))?"
    r"|\bi like(?: (?:number|option))?|\bgo with(?: (?:number|option))?|\bselect(?: (?:number|option))?|\bchoose(?: (?:number|option))?"
    r"|\bpick(?: (?:number|option))?|\bsee(?: (?:number|option))?|\bview(?: (?:number|option))?|\bwant(?: (?:number|option))?"
    r"|\bapartment|\bflat|\bhouse|\bvilla|\bplace)"
    rf" ?(?P<n>\d{{1,2}}|one)\b(?![.,]\d|/|:| ?(?:{_NOT_PEOPLE_UNITS}|more|cheaper|others|other|best|{_OPTION_NOUNS}s|of us|%)\b)")
_RE_LAST = re.compile(
    rf"\b(?:the )?(?:very )?last(?: (?:{_OPTION_NOUNS}))?\b(?! (?:week|night|year|month|time|minute|weekend|summer|winter"
    r"|spring|autumn|fall|stay|visit|trip|holiday|vacation|search|message|page|question|thing|bit|day|of)\b)")
_RE_SECOND_LAST = re.compile(r"\b(?:2nd|second)[ -](?:to[ -])?last\b|\bpenultimate\b|\bone before (?:the )?last\b")


def parse_ordinal(text: str, *, expected: bool = False) -> Optional[int]:
    """Which shown option the traveller points at, 1-based; -1 is the last, -2 the one before.

    Reads "the second one", "2nd", "the first", "number 3", "option 1", "#2",
    "details 2", "tell me about 3", "the last one". A number is only an
    ordinal next to such a reference word or with an ordinal suffix, so "2
    adults" and "March 2nd" are not; "first time", "last week" are not either.
    The first option named wins ("the second, not the first").
    `expected=True` (the bot just asked "which one?") also reads a lone "2".
    """
    t = _normalise(text)
    if not t:
        return None
    found: list[tuple[int, int]] = []
    for m in _take(_RE_SECOND_LAST.finditer(t)):
        found.append((m.start(), -2))
    for m in _take(_RE_ORDINAL_NTH.finditer(t)):
        before = t[max(0, m.start() - 25):m.start()]
        if re.search(rf"(?:{MON} (?:the )?|\ba |\b(?:on|from|until|till|to|by|since|arriving|leaving|between) (?:the )?)$", before):
            continue
        if re.match(r"[ -](?:to[ -])?last\b", t[m.end():]):
            continue
        if re.search(r"\b(?:in|at|on|for) the $", before) and not re.match(rf" ?(?:{_OPTION_NOUNS})\b|$| ?(?:please|pls|one)\b", t[m.end():]):
            continue
        found.append((m.start(), int(m.group("n"))))
    for m in _take(_RE_ORDINAL_REF.finditer(t)):
        n = _num(m.group("n"))
        if n is not None and n > 0:
            found.append((m.start("n"), n))
    for m in _take(_RE_LAST.finditer(t)):
        before = t[max(0, m.start() - 10):m.start()]
        if re.search(r"\b(?:at|at the|the)\s?$", before) and m.group(0) == "last":
            continue
        if re.search(r"\bat $", before):
            continue
        if m.group(0) in ("last", "very last") and not re.fullmatch(r"(?:the )?(?:very )?last(?: one)?(?: please| pls)?[.!?]*", t):
            continue
        if any(s <= m.start() < s + 12 and v == -2 for s, v in found):
            continue
        found.append((m.start(), -1))
    if not found and expected:
        lone = re.fullmatch(r"(?:number |no\.? |#|option )?(\d{1,2}|one)(?: please| pls)?[.!]*", t)
        if lone:
            found.append((0, _num(lone.group(1)) or 0))
    if not found:
        return None
    return sorted(found)[0][1]


# --------------------------------------------------------------------------------------
# Bedrooms
# --------------------------------------------------------------------------------------

_RE_BEDROOMS = re.compile(
    rf"{_NB}(?P<n>\d{{1,2}}|one)(?: ?-? ?)(?:(?:bed(?:room)?|bedrooms|bed rooms?|bedrms?|bdrms?|bdr|brs?|b/r|brm|bedroon|bedrom|bedroms)\b|br(?=[a-z]))")
_RE_BEDROOMS_COLON = re.compile(r"\bbed(?:room)?s? ?[:=] ?(?:at least |min(?:imum)? )?(?P<n>\d{1,2})\b")


def parse_bedrooms(text: str) -> Optional[int]:
    """Minimum bedrooms: "3 bedrooms", "three-bedroom", "3br", "a 2 bed".

    "N bed" (singular, UK estate-agent style) is bedrooms, but "N beds" is
    not: it counts beds, which a two-bedroom flat can have four of. "N rooms"
    is not read either: in much of Europe a "2-room" flat has one bedroom.
    A studio is a property type, not 0 bedrooms.
    """
    t = _normalise(text)
    if not t or not re.search(r"b(?:ed|r|dr)", t):
        return None
    found = [m for m in _take(_RE_BEDROOMS.finditer(t))
             if not re.match(r"(?:s|room)?s?\b ?(?:and|&)? ?(?:breakfast)", t[m.end():])]
    found = [m for m in found if not (re.search(r"\bbed$", m.group(0)) and re.match(r" ?(?:and|&|n) ?breakfast", t[m.end():]))]
    if found:
        return _num(found[-1].group("n"))
    m = _RE_BEDROOMS_COLON.search(t)
    return int(m.group("n")) if m else None


# --------------------------------------------------------------------------------------
# Negation
# --------------------------------------------------------------------------------------

_RE_TOKEN = re.compile(r"w/o|[^\W_]+(?:['’-][^\W_]+)*|[^\w\s]")
_PRE_CUES = re.compile(
    r"\b(?:no|not|without|w/o|sans|nor|neither|never ?mind(?: about)?|forget(?: about)?|drop|skip|remove|delete|exclude"
    r"|excluding|except|ditch|scrap|scratch|cancel|get rid of|take out|take off|leave out|lose|avoid|minus"
    r"|(?:do|does|did|will|would|wo)(?:n'?t| not) (?:really |actually |even |necessarily )?(?:need|want|require|care (?:about|for)"
    r"|have to have|need to have|like|bother with)|dont (?:really |actually |even )?(?:need|want|require|care (?:about|for))"
    r"|doesnt (?:really |actually )?(?:need|have to have)|(?:no|not) (?:need|interested) (?:for|of|in)|no need(?: for| of)?"
    r"|not (?:bothered|fussed|worried) (?:about|by|with)|no longer (?:need|want)|can do without|could do without"
    r"|rather not have|would rather not|hate|dislike|allergic to|instead of|rather than|other than)\b")
_PRE_CUE_SKIP_NEXT = {"i", "we", "you", "thanks", "thank", "problem", "worries", "way", "idea", "wait", "actually",
                      "sorry", "it", "that", "this", "matter", "sure", "only", "just", "mind", "bad", "far", "really",
                      "yet", "quite", "ok", "okay", "doubt", "one", "more", "less", "longer", "later", "earlier",
                      "than", "too", "very", "so", "as", "exactly", "necessarily"}
_POST_CUES = re.compile(
    r"(?:\b(?:is|are|'s|'re)\s)?(?:\bnot|n'?t|\bno longer)\s(?:really\s)?(?:needed|required|necessary|important|essential|a must"
    r"|a priority|mandatory|a requirement|a dealbreaker|a deal breaker|a big deal|an issue|wanted|that important)\b"
    r"|\b(?:isn'?t|aren'?t|ain'?t|isnt|arent)\s(?:really\s)?(?:needed|required|necessary|important|essential|a must|a priority"
    r"|mandatory|wanted)\b|\b(?:do|does)(?:n'?t|nt| not)\s(?:really\s)?(?:matter|count|need to be there|have to be there)\b"
    r"|\b(?:is|are|'s|'re)\s(?:optional|unnecessary|irrelevant|unimportant|not a must|not important|not needed"
    r"|no longer needed|overrated|not for me|not for us)\b|\b(?:optional|unnecessary|not needed|not required|not necessary"
    r"|not important|not essential|no longer needed|can go|can be dropped|can be removed|can be skipped|is fine without"
    r"|not a must|not anymore|no thanks|no thank you|is off|be gone|not wanted)\b")
_BOUNDARY_WORDS = {"and", "but", "with", "though", "however", "although", "while", "plus", "also", "yet", "so",
                   "because", "as", "then", "please", "pls", "need", "want", "must", "required", "ideally",
                   "preferably", "instead", "just", "i", "we", "which", "that", "where", "who", "if", "is", "are"}
_FORWARD_LIMIT = 6
_BACKWARD_LIMIT = 5


def _tokens(folded: str) -> list[tuple[int, int, str]]:
    out = []
    for m in _RE_TOKEN.finditer(folded):
        out.append((m.start(), m.end(), m.group(0)))
        if len(out) >= 4000:
            break
    return out


def _negated_spans_norm(folded: str) -> list[tuple[int, int]]:
    """Scopes of negation cues over an already folded text (offsets into it)."""
    if not re.search(r"\b(?:no|not|without|w/o|sans|nor|neither|never|forget|drop|skip|remove|delete|exclude|excluding"
                     r"|except|ditch|scrap|scratch|cancel|rid|take|leave|lose|avoid|minus|n'?t|dont|doesnt|optional"
                     r"|unnecessary|can go|can be|rather|hate|dislike|allergic|instead|other than|is off|be gone"
                     r"|irrelevant|unimportant|overrated|isnt|arent)\b|n't", folded):
        return []
    tokens = _tokens(folded)
    if not tokens:
        return []
    starts = [tok[0] for tok in tokens]
    spans: list[tuple[int, int]] = []

    def index_at_or_after(pos: int) -> int:
        lo, hi = 0, len(starts)
        while lo < hi:
            mid = (lo + hi) // 2
            if starts[mid] < pos:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def is_boundary(word: str) -> bool:
        return word in _BOUNDARY_WORDS or not (word[0].isalnum() or word == "w/o")

    for cue in _take(_PRE_CUES.finditer(folded)):
        i = index_at_or_after(cue.end())
        if i >= len(tokens):
            continue
        first = tokens[i][2]
        word = cue.group(0)
        if word in ("no", "not", "nor", "neither", "minus") and first in _PRE_CUE_SKIP_NEXT:
            continue
        if word == "not" and first in ("needed", "required", "necessary", "important", "essential", "wanted"):
            continue  # a post-cue: "pool not needed" negates what comes before
        j = i
        while j < len(tokens) and j - i < _FORWARD_LIMIT and not is_boundary(tokens[j][2]):
            j += 1
        if j > i:
            spans.append((tokens[i][0], tokens[j - 1][1]))
    for cue in _take(_POST_CUES.finditer(folded)):
        i = index_at_or_after(cue.start()) - 1
        j = i
        while j >= 0 and i - j < _BACKWARD_LIMIT and not is_boundary(tokens[j][2]) \
                and tokens[j][2] not in ("is", "are", "the", "a", "an"):
            j -= 1
        # articles are inside the scope, but stop at them only after the noun they introduce
        k = j
        while k >= 0 and i - k < _BACKWARD_LIMIT and tokens[k][2] in ("the", "a", "an"):
            k -= 1
        if j < i:
            spans.append((tokens[j + 1][0], tokens[i][1]))
    spans.sort()
    return spans


def negated_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of `text` that a negation covers ("no pool needed" covers "pool needed").

    A cue before a phrase ("no", "without", "don't need", "forget/drop/skip/
    remove the") covers up to six words forward, stopping at punctuation or a
    new clause ("and", "but", "with"...): so in "with pool and no pets" only
    "pets" is covered, and in "a pool, no smoking" only "smoking". "or"/"nor"
    do not stop it ("no pets or smoking"). A cue after a phrase ("pool not
    required", "pool doesn't matter", "pool is optional") covers up to five
    words back to the clause start. "no, I want a pool" negates nothing.
    """
    if not text:
        return []
    folded = _fold_keep_length(text[:MAX_CHARS]).translate(_QUOTES)
    return _negated_spans_norm(folded)


def is_negated(text: str, phrase: str) -> bool:
    """Whether `phrase` is negated where the traveller last mentions it.

    The last mention decides, since a traveller who changes their mind says so
    later ("a pool - actually, forget the pool"). Matching ignores case,
    accents, punctuation between words and a plural -s/-es.
    """
    if not text or not phrase:
        return False
    folded = _fold_keep_length(text[:MAX_CHARS]).translate(_QUOTES)
    words = re.findall(r"[^\W_]+", _fold_keep_length(phrase))
    if not words:
        return False
    pattern = re.compile(r"(?<![^\W_])" + r"[\W_]+".join(re.escape(w) for w in words) + r"(?:s|es)?(?![^\W_])")
    mentions = list(_take(pattern.finditer(folded)))
    if not mentions:
        return False
    last = mentions[-1]
    return any(s <= last.start() and last.end() <= e + 3 for s, e in _negated_spans_norm(folded))


_warm_in_background()
