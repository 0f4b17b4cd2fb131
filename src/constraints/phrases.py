"""Phrase tables: the words the message reader knows, as data (knowledge/phrases/*.yml).

The reader (actions/reading) understands "for 4 adults under 150 quid from 3
March" by the words around each number. Those words live here as tables, one
phrase a line, so a new word ("bucks", "grandkids", "tmrw") is one line in one
file instead of an edit to several regular expressions. This module loads and
checks the tables; the reader compiles them once at start. Like the other
knowledge files, a mistake is reported as `file:line: what is wrong`, and
`stays check` runs the same checks. Plain Python: no Rasa import.

Currency words come from CLDR through Babel (ISO 4217 codes, English names
singular and plural, symbols) for every currency engine.yml has a rate for;
currencies.yml only adds slang and symbols CLDR lacks ("quid", "us$").
"""
from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.numbers import get_currency_name, get_currency_symbol

from .errors import KnowledgeError
from .money import is_currency_code
from .yaml_lines import line_of, load_yaml

PHRASES_DIRECTORY = "phrases"

#: (kind, lowest, highest): "words" is a list of phrases; "int" maps a phrase to a
#: whole number in [lowest, highest]; "currency" maps a phrase to an ISO 4217 code.
Kind = tuple[str, int, int]
_WORDS: Kind = ("words", 0, 0)
_CURRENCY: Kind = ("currency", 0, 0)

#: Every file and table the reader uses. A table not listed here is a typo.
SCHEMA: dict[str, dict[str, Kind]] = {
    "numbers": {"cardinals": ("int", 0, 1000), "ordinals": ("int", 1, 31), "amounts": ("int", 1, 1000),
                "pairs": _WORDS, "hedges": _WORDS},
    "calendar": {"months": ("int", 1, 12), "weekdays": ("int", 0, 6), "weekday_abbreviations": _WORDS,
                 "tomorrow": _WORDS, "today": _WORDS, "now": _WORDS, "tonight": _WORDS,
                 # the words around a date (actions/reading/date_phrases.py)
                 **{name: _WORDS for name in (
                     "until", "range_links", "check_in", "check_out", "arrival_words", "departure_words",
                     "arrival_cues", "departure_cues", "arrival_glue", "departure_glue", "stay_objects",
                     "said_after_links", "said_after_breaks", "day_preposition", "numeric_departure", "ordinal_cues",
                     "ordinal_cue_glue",
                     "not_day_nouns", "day_nouns", "not_day_before", "not_day_after", "weekday_next", "weekday_this",
                     "weekday_last", "weekday_coming", "weekday_cues", "weekday_words", "not_weekday_after",
                     "weekend_units", "weekend_next", "weekend_this", "weekend_long", "before_month",
                     "months_also_verbs", "not_month_after", "this_period", "next_period", "day_units", "week_units",
                     "fortnight_units", "month_units", "offset_before", "offset_after", "single", "counted_from",
                     "before_now", "not_after_now", "day_after", "night_after_day", "yesterday", "christmas",
                     "new_year", "easter", "before_holiday", "fallback_arrival", "fallback_departure", "fallback_ends",
                     "fallback_not_date", "rating_before", "rating_after")},
                 "weekday_after": ("int", 0, 2)},
    "currencies": {"names": _CURRENCY, "symbols": _CURRENCY},
    "people": {"adults": _WORDS, "children": _WORDS, "infants": _WORDS, "friends": _WORDS, "people": _WORDS,
               "spouses": _WORDS, "relations": _WORDS, "family": _WORDS, "joining": _WORDS, "totals": _WORDS},
    "units": {"stay": _WORDS, "time": _WORDS, "rooms": _WORDS, "rating": _WORDS, "distance": _WORDS,
              "listings": _WORDS, "price_scope": _WORDS, "suffixes": _WORDS, "not_money": _WORDS},
    "prices": {"at_most": _WORDS, "at_least": _WORDS, "about": _WORDS, "budget": _WORDS},
    "distance": {"units": ("int", 1, 10_000), "centre": _WORDS, "within": _WORDS, "links": _WORDS, "near": _WORDS,
                 "central": _WORDS, "not_central": _WORDS},
    "negation": {"cues_before": _WORDS, "cues_after": _WORDS, "not_after_no": _WORDS, "clause_breaks": _WORDS},
    "common_words": {"words": _WORDS},
    "mentions": {"before_place": _WORDS, "before_amenity": _WORDS, "wishes": _WORDS,
                 "not_wishes": _WORDS, "closings": _WORDS},
    "offers": {"drop": _WORDS, "widen": _WORDS, "substitute": _WORDS, "affirm": _WORDS, "not_names": _WORDS},
    "tiers": {"cheap": _WORDS, "budget_nouns": _WORDS, "pricey": _WORDS, "mid": _WORDS, "luxury": _WORDS},
    "priorities": {**{attribute: _WORDS for attribute in ("price_per_night", "location", "dates", "accommodates",
                                                          "rating", "property_type", "bedrooms", "neighbourhood",
                                                          "centre", "pets")},
                   "softeners": _WORDS, "not_negotiable": _WORDS, "flexible": _WORDS, "must": _WORDS},
}

#: Tables whose phrases must also be keys of another table of the same file.
_SUBSETS = {("calendar", "weekday_abbreviations"): "weekdays", ("calendar", "weekday_words"): "weekday_abbreviations",
            ("calendar", "months_also_verbs"): "months"}

Table = tuple[str, ...] | Mapping[str, Any]


@dataclass(frozen=True)
class Phrases:
    """Every phrase table, checked; `currencies` maps each currency phrase to its ISO code."""

    directory: Path
    tables: Mapping[tuple[str, str], Table]
    currencies: Mapping[str, str]

    def words(self, file: str, table: str) -> tuple[str, ...]:
        """The phrases of a table (the keys, for a mapping)."""
        return tuple(self.tables[(file, table)])

    def values(self, file: str, table: str) -> dict[str, Any]:
        """A mapping table as a dict (phrase -> number or code)."""
        found = self.tables[(file, table)]
        if not isinstance(found, Mapping):
            raise TypeError(f"{file}.{table} is a list of words, not a mapping")
        return dict(found)

    @property
    def size(self) -> int:
        return sum(len(t) for t in self.tables.values())


def _phrase_problem(phrase: Any) -> str | None:
    """Why `phrase` cannot be matched against folded traveller text, or None."""
    if isinstance(phrase, bool):
        return f"{phrase!r} is not a phrase (YAML reads yes/no/on/off as true/false: quote them, '- \"no\"')"
    if not isinstance(phrase, str) or not phrase:
        return f"{phrase!r} is not a phrase"
    if phrase != phrase.lower():
        return f"'{phrase}' must be lower case (messages are read lower-cased)"
    if phrase != phrase.strip() or "  " in phrase:
        return f"'{phrase}' has stray spaces"
    if any(unicodedata.combining(c) for c in unicodedata.normalize("NFKD", phrase)):
        return f"'{phrase}' has accents (messages are read without them)"
    return None


def _item_line(lines: list[str], start: int | None, phrase: Any) -> int | None:
    """The line of `- phrase` at or after `start`: list items carry no line of their own."""
    for number in range(max((start or 1) - 1, 0), len(lines)):
        item = lines[number].split("#", 1)[0].strip()
        if item.startswith("- ") and item[2:].strip().strip("'\"") in _spellings(phrase):
            return number + 1
    return start


def _spellings(phrase: Any) -> set[str]:
    """How a loaded list item may be written: YAML reads an unquoted no/off as False."""
    if isinstance(phrase, bool):
        words = ("yes", "on", "true") if phrase else ("no", "off", "false")
        return {form for word in words for form in (word, word.capitalize(), word.upper())}
    return {str(phrase)}


def _key_line(lines: list[str], start: int | None, phrase: str) -> int | None:
    """The line of `phrase: value` at or after `start`."""
    for number in range(max((start or 1) - 1, 0), len(lines)):
        key = lines[number].split("#", 1)[0].rsplit(":", 1)[0].strip().strip("'\"")
        if key == phrase:
            return number + 1
    return start


def _load_table(path: Path, lines: list[str], name: str, node: Any, kind: Kind) -> Table:
    what, low, high = kind
    start = line_of(node)
    if what == "words":
        if not isinstance(node, list):
            raise KnowledgeError(path, start, f"{name}: expected a list of phrases")
        seen: set[str] = set()
        for phrase in node:
            line = _item_line(lines, start, phrase)
            problem = _phrase_problem(phrase)
            if problem:
                raise KnowledgeError(path, line, f"{name}: {problem}")
            if phrase in seen:
                raise KnowledgeError(path, line, f"{name}: '{phrase}' is listed twice")
            seen.add(phrase)
        return tuple(node)
    if not isinstance(node, dict):
        raise KnowledgeError(path, start, f"{name}: expected a mapping of phrase: value")
    for phrase, value in node.items():
        line = _key_line(lines, start, str(phrase))
        problem = _phrase_problem(phrase)
        if problem:
            raise KnowledgeError(path, line, f"{name}: {problem}")
        if what == "int" and (isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high):
            raise KnowledgeError(path, line, f"{name}: '{phrase}' must be a whole number from {low} to {high}")
        if what == "currency" and not (isinstance(value, str) and value.isupper() and is_currency_code(value)):
            raise KnowledgeError(path, line, f"{name}: '{phrase}': {value!r} is not an ISO 4217 code")
    return dict(node)


def _load_file(path: Path, tables: Mapping[str, Kind]) -> dict[str, Table]:
    document = load_yaml(path)
    if not isinstance(document, dict):
        raise KnowledgeError(path, None, "expected a mapping of tables")
    lines = path.read_text(encoding="utf-8").splitlines()
    for name in document:
        if name not in tables:
            raise KnowledgeError(path, line_of(document), f"unknown table '{name}' (known: {', '.join(tables)})")
    loaded: dict[str, Table] = {}
    for name, kind in tables.items():
        if name not in document:
            raise KnowledgeError(path, None, f"missing table '{name}:'")
        loaded[name] = _load_table(path, lines, name, document[name], kind)
    return loaded


def _engine_currencies(directory: Path) -> list[str]:
    """The currencies engine.yml converts: the reader knows their names and codes."""
    path = directory / "engine.yml"
    settings = load_yaml(path)
    try:
        return [str(code) for code in settings["currency"]["rates"]]
    except (KeyError, TypeError):
        raise KnowledgeError(path, None, "missing section 'currency: rates:'") from None


def currency_phrases(codes: list[str], names: Mapping[str, str], symbols: Mapping[str, str]) -> dict[str, str]:
    """Phrase -> ISO code: CLDR's code, English names (one and many) and symbol, then the tables' own words.

    A CLDR symbol made only of letters ("CHF", "R") is left out: the code
    covers the first, and "r" is too often a word ("we r 4").
    """
    out: dict[str, str] = {}
    for code in codes:
        out[code.lower()] = code
        for count in (1, 2):
            out[str(get_currency_name(code, count=count, locale="en")).lower()] = code
        symbol = str(get_currency_symbol(code, locale="en")).lower()
        if not symbol.isalpha():
            out.setdefault(symbol, code)
    out.update(names)
    out.update(symbols)
    return out


@lru_cache(maxsize=4)
def load_phrases(directory: Path | str) -> Phrases:
    """Load and check knowledge/phrases/*.yml of a knowledge directory (cached: compiled once)."""
    root = Path(directory) / PHRASES_DIRECTORY
    if not root.is_dir():
        raise KnowledgeError(root, None, "phrase table directory not found")
    tables: dict[tuple[str, str], Table] = {}
    for file, kinds in SCHEMA.items():
        for name, table in _load_file(root / f"{file}.yml", kinds).items():
            tables[(file, name)] = table
    for (file, name), parent in _SUBSETS.items():
        stray = sorted(set(tables[(file, name)]) - set(tables[(file, parent)]))
        if stray:
            raise KnowledgeError(root / f"{file}.yml", None, f"{name}: {', '.join(stray)} not in '{parent}'")
    extra = sorted(p.name for p in root.glob("*.yml") if p.stem not in SCHEMA)
    if extra:
        raise KnowledgeError(root / extra[0], None, f"unknown phrase file (known: {', '.join(SCHEMA)})")
    currencies = currency_phrases(_engine_currencies(Path(directory)), tables[("currencies", "names")],  # type: ignore[arg-type]
                                  tables[("currencies", "symbols")])  # type: ignore[arg-type]
    return Phrases(Path(directory), tables, currencies)
