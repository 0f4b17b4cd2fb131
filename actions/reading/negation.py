"""What a negation covers: "no pool", "pool not needed"."""
from __future__ import annotations

import re

from .scan import _MAX_NUMBERS, MAX_CHARS, _words
from .text import _fold_keep_length
from .vocab import _CLAUSE_BREAKS, _NEGATION_AFTER, _NEGATION_BEFORE, _NOT_AFTER_NO, phrase_alt, table

_RE_TOKEN = re.compile(r"w/o|[^\W_]+(?:['-][^\W_]+)*|[^\w\s]")
#: a cheap first look: a text with none of these substrings has no negation
_GATE_STEMS = (
    "no", "not", "n't", "without", "w/o", "sans", "nor", "neither", "never", "forget", "drop", "skip", "remove",
    "delete", "exclu", "except", "ditch", "scrap", "scratch", "cancel", "rid ", "take ", "leave ", "lose", "avoid",
    "minus", "dont", "doesnt", "optional", "unnecessary", "can go", "can be", "rather", "hate", "dislike", "allergic",
    "instead", "other than", "is off", "be gone", "irrelevant", "unimportant", "overrated", "isnt", "arent", "matter")
_CUES = (*table("negation", "cues_before"), *table("negation", "cues_after"))
_RE_NEGATION_GATE = re.compile(phrase_alt([*_GATE_STEMS, *(c for c in _CUES if not any(s in c for s in _GATE_STEMS))]))
# Cues with a grammar of their own come first (re takes the first alternative that
# matches), then the phrase table's, longest first.
_RE_PRE_CUES = re.compile(
    r"(?:(?:do|does|did|will|would|wo)(?:n'?t| not) (?:really |actually |even |necessarily )?(?:need|want|require"
    r"|care (?:about|for)|have to have|need to have|like|bother with)"
    r"|dont (?:really |actually |even )?(?:need|want|require|care (?:about|for))|doesnt (?:really |actually )?"
    r"(?:need|have to have)|(?:no|not) (?:need|interested) (?:for|of|in)"
    r"|not (?:bothered|fussed|worried) (?:about|by|with)"
    rf"|{_NEGATION_BEFORE})\b")
_RE_POST_CUES = re.compile(
    r"(?:(?:is|are) |'s |'re )?(?:not|no longer) (?:really )?(?:needed|required|necessary|important|essential|a must"
    r"|a priority|mandatory|a requirement|a dealbreaker|a deal breaker|a big deal|an issue|wanted|that important)\b"
    r"|(?:isn'?t|aren'?t|ain'?t|isnt|arent) (?:really )?(?:needed|required|necessary|important|essential|a must"
    r"|a priority|mandatory|wanted)\b|(?:don'?t|doesn'?t|dont|doesnt|do not|does not) (?:really )?(?:matter|count"
    r"|need to be there|have to be there)\b|(?:is|are) (?:optional|unnecessary|irrelevant|unimportant|overrated"
    rf"|not for me|not for us)\b|(?:{_NEGATION_AFTER})\b")
_FORWARD_LIMIT = 6
_BACKWARD_LIMIT = 5


def _is_boundary(word: str) -> bool:
    return word in _CLAUSE_BREAKS or not (word[0].isalnum() or word == "w/o")


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
        if word in ("no", "not", "nor", "neither", "minus") and tokens[0][2] in _NOT_AFTER_NO:
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

