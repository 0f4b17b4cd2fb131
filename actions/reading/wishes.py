"""Wishes in the traveller's own words: "somewhere quiet", "a cosy place", "bright and modern".

What a message says that no slot holds is often what the traveller cares
about most, and hosts write it in their titles and descriptions. The engine
re-ranks by such words (constraints.wishes) and never excludes a place for
them, so reading one wrongly costs little; still, a wish is read strictly:

- only words the catalog's text index knows (some listing says them), and
  not so common that they tell no place apart (MAX_SHARE of listings);
- never a common word (knowledge/phrases/common_words.yml) nor a word of any
  phrase table the reader knows numbers, dates, people, money, distances and
  priorities by (knowledge/phrases/*.yml);
- never a part of the message already read as something else: a place, a
  neighbourhood, an amenity, a kind of stay, a trip word (knowledge/rules.yml),
  a tagged entity or any value this message sets;
- never a negated word ("not noisy" is no wish for noise), nor a phrase of
  knowledge/phrases/mentions.yml `not_wishes` ("a family of 4", "over new year").

Adjacent wish words of one clause make one wish ("bright modern"), as the
traveller said them; a comma parts two ("quiet, sunny"). A message dropping
constraints drops the wishes it names ("forget the quiet part"), or all of
them when it names the wishes themselves (knowledge/phrases/mentions.yml
`wishes`: "no more wishes").
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from constraints import Engine
from constraints.text import fold
from constraints.text_index import TextIndex

from .negation import is_negated
from .vocab import PHRASES, phrase_alt

# a word more than this share of listings say tells no place apart ("bedroom", "bathroom")
MAX_SHARE = 0.5
# the most recent wishes kept, and the first read of one message: a long message must not bury the search
MAX_WISHES = 6
MAX_WISH_WORDS = 4  # a longer run of wish words is read as more wishes
WISH_INTENTS = ("search", "inform")
REMOVAL_INTENT = "remove_constraint"
# entities that are read as numbers or choices, whatever words they span
_NUMERIC_ENTITIES = ("guests", "budget", "nights", "pets", "ordinal", "refinement")

_NOT_WISHES = tuple(tuple(fold(p).split()) for p in PHRASES.words("mentions", "not_wishes"))
_CLAUSE_BREAK = re.compile(r"[,.;:!?()\n]")
# every word of the reader's phrase tables (not_wishes are phrases: "new" of "new year" can be a wish)
_TABLES = [*(phrases for name, phrases in PHRASES.tables.items() if name != ("mentions", "not_wishes")),
           PHRASES.currencies]
_TABLE_WORDS = frozenset(word for phrases in _TABLES for phrase in phrases for word in fold(phrase).split())
_WISH_NAMES = re.compile(rf"\b(?:{phrase_alt(fold(p) for p in PHRASES.words('mentions', 'wishes'))})\b")


@dataclass(frozen=True)
class WishReading:
    """The wishes after a message, and the sentence that says what changed."""

    wishes: list[str]
    note: str


def read_wishes(engine: Engine, text: str, intent: str | None, entities: Sequence[Mapping[str, Any]],
                current: Sequence[str], candidates: Mapping[str, Any]) -> WishReading | None:
    """What a message adds to (or drops from) the wishes; None when it changes none."""
    current = list(current)
    if intent == REMOVAL_INTENT:
        return _forgotten(engine, text, current)
    if intent not in WISH_INTENTS:
        return None
    new = [w for w in wishes_in(engine, text, entities, candidates) if w not in current]
    if not new:
        return None
    return WishReading([*current, *new][-MAX_WISHES:], f"Noted: {', '.join(new)}.")


def wishes_in(engine: Engine, text: str, entities: Sequence[Mapping[str, Any]] = (),
              candidates: Mapping[str, Any] | None = None) -> list[str]:
    """The descriptive phrases of a message that nothing else reads, in the order said."""
    tokens = fold(text).split()
    if not tokens:
        return []
    index = engine.wishes.index
    taken = _known_spans(engine, text, tokens)
    read = _read_words(text, entities, candidates or {})
    clauses = _clause_starts(text)
    wished: dict[str, bool] = {}  # word -> whether it is a wish here (a word's last mention decides negation)
    runs: list[list[str]] = []
    previous = -2
    for k, token in enumerate(tokens):
        if taken[k] or token in read:
            continue
        if token not in wished:
            wished[token] = _descriptive(index, token) and not is_negated(text, token)
        if not wished[token]:
            continue
        joined = k == previous + 1 and k not in clauses  # "quiet, sunny" are two wishes
        if joined and token in runs[-1]:  # "very very quiet" is one wish, said once
            pass
        elif joined and len(runs[-1]) < MAX_WISH_WORDS:
            runs[-1].append(token)
        elif len(runs) == MAX_WISHES:
            break
        else:
            runs.append([token])
        previous = k
    return list(dict.fromkeys(" ".join(run) for run in runs))


def _clause_starts(text: str) -> set[int]:
    """Positions (in fold(text).split()) of the words that follow a comma, a full stop or the like."""
    starts: set[int] = set()
    count = 0
    for clause in _CLAUSE_BREAK.split(text):
        starts.add(count)
        count += len(fold(clause).split())
    return starts


def _descriptive(index: TextIndex, token: str) -> bool:
    """A word some listing says, not too common, and no word of a phrase table."""
    if not token.isalpha() or token in _TABLE_WORDS:
        return False
    stem = index.stem_of(token)
    if stem is None or stem in _table_stems(index):
        return False
    return stem in index.vocabulary and index.share(stem) <= MAX_SHARE


@lru_cache(maxsize=4)
def _table_stems(index: TextIndex) -> frozenset[str]:
    """The phrase tables' words as the index stems them: "bathrooms" is out when "bathroom" is listed."""
    stems = (index.stem_of(word) for word in _TABLE_WORDS)
    return frozenset(s for s in stems if s is not None)


def _known_spans(engine: Engine, text: str, tokens: list[str]) -> list[bool]:
    """Which of the message's words (`tokens`: fold(text).split()) name something known, or are no wish."""
    normaliser = engine.normaliser
    size = len(tokens)
    taken = [False] * size
    found = [*normaliser.locations.find_in(text, fuzzy=True)]
    for vocabulary in (normaliser.neighbourhoods, normaliser.amenities, normaliser.property_types,
                       normaliser.room_types, engine.wishes.contexts):
        found.extend(vocabulary.find_in(text))
    spans = [(m.start, m.end) for m in found]
    for phrase in _NOT_WISHES:
        width = len(phrase)
        spans.extend((k, k + width) for k in range(size - width + 1) if tuple(tokens[k:k + width]) == phrase)
    for start, end in spans:
        taken[start:end] = [True] * (end - start)
    return taken


def _read_words(text: str, entities: Sequence[Mapping[str, Any]], candidates: Mapping[str, Any]) -> set[str]:
    """Words the message's other readings used: tagged entities and the values it sets."""
    words: set[str] = set()
    for entity in entities:
        start, end = entity.get("start"), entity.get("end")
        if entity.get("entity") in _NUMERIC_ENTITIES and start is not None and end is not None:
            words.update(fold(text[int(start):int(end)]).split())
        elif entity.get("value") not in (None, ""):
            words.update(fold(str(entity["value"])).split())
    for value in _strings(candidates.values()):
        words.update(fold(value).split())
    return words


def _strings(values: Iterable[Any]) -> Iterable[str]:
    for value in values:
        if isinstance(value, str):
            yield value
        elif isinstance(value, Mapping):
            yield from _strings([*value.keys(), *value.values()])
        elif isinstance(value, list | tuple):
            yield from _strings(value)


def _forgotten(engine: Engine, text: str, current: list[str]) -> WishReading | None:
    """'no more wishes' drops them all; 'forget the quiet part' drops the wishes it names."""
    if not current:
        return None
    folded = fold(text)
    if _WISH_NAMES.search(folded):
        return WishReading([], f"I've forgotten your wishes ({', '.join(current)}).")
    index = engine.wishes.index
    named = {index.stem_of(word) for word in folded.split()} - {None}
    dropped = [w for w in current if named & {index.stem_of(word) for word in w.split()}]
    if not dropped:
        return None
    return WishReading([w for w in current if w not in dropped], f"I've forgotten: {', '.join(dropped)}.")

