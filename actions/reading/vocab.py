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
_TODAY = table("calendar", "today") + tuple(_TONIGHT)
_MON = rf"(?:{phrase_alt(_MONTH_NUM)})\.?(?![a-z])"
_MON_G = rf"(?P<mon>{phrase_alt(_MONTH_NUM)})\.?(?![a-z])"
#: a cheap first look for calendar words: every month and weekday word starts with one of these
_CALENDAR_STEMS = phrase_alt({w[:3] for w in [*_MONTH_NUM, *_WEEKDAY_NUM]} | set(_TOMORROW) | set(_TODAY))

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
