"""The reader's words, compiled once from the phrase tables (knowledge/phrases/*.yml).

Every field reads the same tables: guests learn from units.yml what a number
is *not* ("4 nights"), money from people.yml ("4 adults"), so a new word is
one line in one file and every field knows it. Tables are loaded and checked
by `constraints.phrases` (the same checks `stays check` runs) and turned into
regular-expression alternations here, longest phrase first, each escaped.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from constraints.knowledge import DEFAULT_DIRECTORY, load_settings
from constraints.phrases import PHRASES_DIRECTORY, Phrases, load_phrases


def _phrase_directory() -> Path:
    """The knowledge directory whose phrase tables the reader uses: STAYS_KNOWLEDGE's when it has them."""
    chosen = Path(os.environ.get("STAYS_KNOWLEDGE") or DEFAULT_DIRECTORY)
    return chosen if (chosen / PHRASES_DIRECTORY).is_dir() else DEFAULT_DIRECTORY


PHRASES: Phrases = load_phrases(_phrase_directory())
#: the longest stay the engine books (engine.yml `limits: max_nights`), so the reader questions the same stays
MAX_NIGHTS = int(load_settings(_phrase_directory())["limits"]["max_nights"])


def phrase_alt(phrases: Iterable[str]) -> str:
    """A regex alternation of literal phrases, longest first (re takes the first alternative that fits)."""
    return "|".join(re.escape(p) for p in sorted(set(phrases), key=lambda p: (-len(p), p)))


def table(file: str, *names: str) -> tuple[str, ...]:
    """The phrases of one or more tables of a file, in one tuple."""
    return tuple(p for name in names for p in PHRASES.words(file, name))


def stem_alt(phrases: Iterable[str]) -> str:
    """`phrase_alt` where a phrase ending in "*" is a word start ("arriv*": arrive, arrival, arriving, arrivng).

    Cue lists name word families more than words, and a traveller's typo
    usually keeps the start; the star keeps that in the table, not the regex.
    """
    ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
    return "|".join(re.escape(p[:-1]) + r"\w*" if p.endswith("*") else re.escape(p) for p in ordered)


# --- numbers and calendar --------------------------------------------------------------

_CARDINALS: dict[str, int] = PHRASES.values("numbers", "cardinals")
_ORDINALS: dict[str, int] = PHRASES.values("numbers", "ordinals")
_AMOUNTS: dict[str, int] = PHRASES.values("numbers", "amounts")
_PAIRS = frozenset(table("numbers", "pairs"))
_HEDGES = phrase_alt(table("numbers", "hedges"))
_MONTH_NUM: dict[str, int] = PHRASES.values("calendar", "months")
_WEEKDAY_NUM: dict[str, int] = PHRASES.values("calendar", "weekdays")
_WEEKDAY_ABBR = frozenset(table("calendar", "weekday_abbreviations"))
_TOMORROW = table("calendar", "tomorrow")
_TONIGHT = frozenset(table("calendar", "tonight"))
_NOW = frozenset(table("calendar", "now"))
_TODAY = table("calendar", "today", "now") + tuple(_TONIGHT)
_MON = rf"(?:{phrase_alt(_MONTH_NUM)})\.?(?![a-z])"
_MON_G = rf"(?P<mon>{phrase_alt(_MONTH_NUM)})\.?(?![a-z])"
#: a cheap first look for calendar words: every month and weekday word starts with one of these
_CALENDAR_STEMS = phrase_alt({w[:3] for w in [*_MONTH_NUM, *_WEEKDAY_NUM]} | set(_TOMORROW) | set(_TODAY))


def _calendar(*names: str) -> str:
    """An alternation of the named calendar.yml tables ("arriv*" stems allowed)."""
    return stem_alt(table("calendar", *names))


#: the day suffixes ("2nd"), shared with the units table that says "the 2nd" is not a head count
_ORD = rf"(?:{phrase_alt(table('units', 'suffixes'))})"
# around a day: arrival or departure
_UNTIL = _calendar("until")
_RANGE_LINKS = _calendar("range_links")
_ARRIVAL_WORDS = _calendar("check_in", "arrival_words")
_DEPARTURE_WORDS = _calendar("check_out", "departure_words")
_ARRIVAL_CUES = _calendar("check_in", "arrival_words", "arrival_cues")
_DEPARTURE_CUES = _calendar("check_out", "departure_words", "departure_cues", "until")
_ARRIVAL_GLUE = _calendar("arrival_glue", "stay_objects")
_DEPARTURE_GLUE = _calendar("departure_glue", "stay_objects")
_SAID_AFTER_LINKS = _calendar("said_after_links", "day_nouns")
#: the words between a day and a later arrival/departure word stop at a break or a listing ("the 2nd one")
_SAID_AFTER_BREAKS = phrase_alt([*table("calendar", "said_after_breaks"), *table("units", "listings")])
_DAY_PREPOSITION = _calendar("day_preposition")
_NUMERIC_DEPARTURE = _calendar("numeric_departure", "check_out")
# a bare ordinal
_ORDINAL_CUES = _calendar("ordinal_cues", "until", "range_links", "check_in", "check_out")
_ORDINAL_CUE_GLUE = _calendar("ordinal_cue_glue")
_NOT_DAY_NOUNS = _calendar("not_day_nouns")
_DAY_NOUNS = _calendar("day_nouns")
_NOT_DAY_BEFORE = _calendar("not_day_before")
_NOT_DAY_AFTER_WORDS = _calendar("not_day_after")
# weekdays and weekends
_WEEKDAY_NEXT = frozenset(table("calendar", "weekday_next"))
_WEEKDAY_THIS = frozenset(table("calendar", "weekday_this"))
_WEEKDAY_LAST = frozenset(table("calendar", "weekday_last"))
_WEEKDAY_COMING = frozenset(table("calendar", "weekday_coming"))
#: before a weekday and not part of it: "from Friday", "until Sunday"
_WEEKDAY_CUES = frozenset(table("calendar", "weekday_cues", "until"))
#: after these an abbreviation that is also a word may be that word: "we sat on the terrace"
_WEEKDAY_WORD_CUES = frozenset(table("calendar", "weekday_cues"))
_WEEKDAY_AFTER: dict[str, int] = PHRASES.values("calendar", "weekday_after")
_WEEKDAY_WORDS = frozenset(table("calendar", "weekday_words"))
_NOT_WEEKDAY_AFTER = _calendar("not_weekday_after")
_WEEKEND_UNITS = table("calendar", "weekend_units")
_WEEKEND_NEXT = frozenset(table("calendar", "weekend_next"))
_WEEKEND_QUALIFIERS = _calendar("weekend_next", "weekend_this")
_WEEKEND_LONG = _calendar("weekend_long")
# months and periods
_BEFORE_MONTH = _calendar("before_month")
_MONTHS_ALSO_VERBS = frozenset(table("calendar", "months_also_verbs"))
_NOT_MONTH_AFTER = _calendar("not_month_after")
_THIS_PERIOD = frozenset(table("calendar", "this_period"))
_PERIOD_QUALIFIERS = _calendar("this_period", "next_period")
# counted from today
_DAY_UNITS = frozenset(table("calendar", "day_units"))
_WEEK_UNITS = frozenset(table("calendar", "week_units"))
_FORTNIGHT_UNITS = frozenset(table("calendar", "fortnight_units"))
_MONTH_UNITS = frozenset(table("calendar", "month_units"))
_OFFSET_UNITS = _calendar("day_units", "week_units", "fortnight_units", "month_units")
_PERIOD_UNITS = table("calendar", "week_units", "month_units")
_OFFSET_BEFORE = _calendar("offset_before")
_OFFSET_AFTER = _calendar("offset_after")
_SINGLE = _calendar("single")
_COUNTED_FROM = _calendar("counted_from")
_NOW_OR_TODAY = _calendar("now", "today")
_BEFORE_NOW = _calendar("before_now", "check_in")
_NOT_AFTER_NOW = _calendar("not_after_now")
_DAY_AFTER = _calendar("day_after")
_NIGHT_AFTER_DAY = _calendar("night_after_day")
_YESTERDAY = table("calendar", "yesterday")
#: holiday phrase -> how the traveller is asked about it ("Which days around Christmas?")
_HOLIDAYS: dict[str, str] = {**dict.fromkeys(table("calendar", "christmas"), "Christmas"),
                             **dict.fromkeys(table("calendar", "new_year"), "New Year"),
                             **dict.fromkeys(table("calendar", "easter"), "Easter")}
_BEFORE_HOLIDAY = _calendar("before_holiday")
# phrases handed to dateparser
_FALLBACK_ARRIVAL = _calendar("fallback_arrival", "check_in")
_FALLBACK_DEPARTURE = _calendar("fallback_departure", "check_out")
_FALLBACK_ENDS = _calendar("fallback_ends")
_FALLBACK_NOT_DATE = _calendar("fallback_not_date")
_RATING_BEFORE = _calendar("rating_before")
_RATING_AFTER = _calendar("rating_after")

# --- money -----------------------------------------------------------------------------

#: every phrase that names a currency -> its ISO 4217 code ("quid" -> GBP, "a$" -> AUD)
_CURRENCIES: dict[str, str] = dict(PHRASES.currencies)
_CUR_WORD_ALT = phrase_alt(p for p in _CURRENCIES if p[0].isalpha() and p[-1].isalnum())
_CUR_CODE_ALT = phrase_alt(p for p, code in _CURRENCIES.items() if p == code.lower())
_CUR_SYMBOL_ALT = phrase_alt(p for p in _CURRENCIES if not (p[0].isalpha() and p[-1].isalnum()))
#: the characters of currency symbols, for character classes ("not after a price": `(?<![...])`)
_SYM_CHARS = re.escape("".join(sorted({c for p in _CURRENCIES for c in p if not (c.isalnum() or c.isspace())})))
_SYM = f"[{_SYM_CHARS}]"
_CUE_MAX = phrase_alt(table("prices", "at_most"))
_CUE_MIN = phrase_alt(table("prices", "at_least"))
_CUE_APPROX = phrase_alt(table("prices", "about"))
_BUDGET_WORDS = phrase_alt(table("prices", "budget"))

# --- people ----------------------------------------------------------------------------

_ADULT_NOUNS = phrase_alt(table("people", "adults"))
_CHILD_NOUNS = phrase_alt(table("people", "children"))
_INFANT_NOUNS = phrase_alt(table("people", "infants"))
_FRIEND_NOUNS = phrase_alt(table("people", "friends"))
_FRIENDS = frozenset(table("people", "friends"))
#: "a guest house" is a kind of place, not a head count
_GENERIC_NOUNS = phrase_alt(p for p in table("people", "people", "friends") if p not in ("guest", "guests")) \
    + r"|guests?(?! ?house)"
_SPOUSE_WORDS = frozenset(table("people", "spouses"))
_ADULT_RELATIONS = phrase_alt(table("people", "spouses", "relations"))
_FAMILY_WORDS = frozenset(table("people", "family"))
_JOINING = phrase_alt(table("people", "joining"))
_JOINING_WORDS = frozenset(table("people", "joining"))
_PARTY_TOTALS = phrase_alt(table("people", "totals"))

# --- units: what a number is not ------------------------------------------------------

_UNIT_TABLES = ("stay", "time", "rooms", "rating", "distance", "listings")
# Units after a number that make it something other than a head count.
_NOT_PEOPLE_UNITS = phrase_alt([*table("units", *_UNIT_TABLES, "price_scope", "suffixes"), "k",
                                *(p for p in _CURRENCIES if p[0].isalpha() and p[-1].isalnum())])
# Units after a number that make it something other than money.
_NOT_MONEY_UNITS = phrase_alt([*table("units", *_UNIT_TABLES, "suffixes", "not_money"),
                               *table("people", "adults", "children", "infants", "friends", "people")])
_RE_NOT_PEOPLE_AFTER = re.compile(
    rf"(?:[.,]\d|/|:\d|-\s?\d|%|\*|{_SYM}| ?(?:{_NOT_PEOPLE_UNITS})\b| ?{_MON})")

# --- negation, common words, mentions of places and amenities ---------------------------------------------------------

_NEGATION_BEFORE = phrase_alt(table("negation", "cues_before"))
_NEGATION_AFTER = phrase_alt(table("negation", "cues_after"))
_NOT_AFTER_NO = frozenset(table("negation", "not_after_no"))
_CLAUSE_BREAKS = frozenset(table("negation", "clause_breaks"))
COMMON_WORDS = frozenset(table("common_words", "words"))
_BEFORE_PLACE = phrase_alt(table("mentions", "before_place"))
_BEFORE_AMENITY = phrase_alt(table("mentions", "before_amenity"))
_CALENDAR_WORDS = frozenset([*_MONTH_NUM, *_WEEKDAY_NUM])
