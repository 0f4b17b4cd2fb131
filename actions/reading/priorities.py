"""Which attributes a message names and how much they matter ("forget the budget", "location matters most").

The words are knowledge/phrases/priorities.yml; here is only the grammar
that joins them (optional adverbs in "not really important", "can't move").
"Not negotiable" is read before "flexible" and "flexible" before "must",
because the stronger phrases share words with the weaker ones.
"""
from __future__ import annotations

import re

from .vocab import PHRASES, phrase_alt, table

#: the attributes priorities.yml names, in the order the engine lists them
ATTRIBUTES = ("price_per_night", "location", "dates", "accommodates", "rating", "property_type", "bedrooms",
              "neighbourhood", "centre")

_RE_ATTRIBUTE = {a: re.compile(rf"\b(?:{phrase_alt(PHRASES.words('priorities', a))})\b") for a in ATTRIBUTES}
_RE_PETS = re.compile(rf"\b(?:{phrase_alt(table('priorities', 'pets'))})\b")
_RE_SOFT = re.compile(rf"\b(?:{phrase_alt(table('priorities', 'softeners'))})\b")
_RE_NOT_NEGOTIABLE = re.compile(rf"\b(?:{phrase_alt(table('priorities', 'not_negotiable'))})\b")
_RE_FLEXIBLE = re.compile(
    r"\b(?:not (?:that |so |very |really )?(?:important|essential|necessary|required|a must)"
    r"|isn'? ?t (?:that |so |really )?(?:important|essential|necessary|required)|don'? ?t (?:really )?care"
    rf"|(?:doesn|don)'? ?t (?:really )?matter|{phrase_alt(table('priorities', 'flexible'))})\b")
_RE_MUST = re.compile(rf"\b(?:can'? ?t (?:go|move|change|be)|{phrase_alt(table('priorities', 'must'))})\b")


def attributes_named(folded: str) -> list[str]:
    """The attributes a folded message names ("the budget and the dates" -> price_per_night, dates)."""
    return [a for a in ATTRIBUTES if _RE_ATTRIBUTE[a].search(folded)]


def names_pets(folded: str) -> bool:
    return _RE_PETS.search(folded) is not None


def is_soft(folded: str) -> bool:
    """A wish rather than a requirement ("ideally a pool", "a pool would be a bonus")."""
    return _RE_SOFT.search(folded) is not None


def priority_word(folded: str) -> str | None:
    """"must" | "flexible" | None: how much the named attributes matter."""
    if _RE_NOT_NEGOTIABLE.search(folded):
        return "must"
    if _RE_FLEXIBLE.search(folded):
        return "flexible"
    return "must" if _RE_MUST.search(folded) else None
