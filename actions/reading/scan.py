"""Fast, bounded scanning: patterns are tried only at numbers or word starts."""
from __future__ import annotations

import re
from functools import lru_cache

#: Longer messages are cut here: no chat turn is longer, and a bound keeps every
#: parser's worst case (a pasted page) inside its time budget.
MAX_CHARS = 10_000
#: How many numbers in a message are looked at. Beyond that the text is not a
#: traveller talking, and answering quickly matters more than reading it all.
_MAX_NUMBERS = 64
#: How many matches of one pattern are looked at (same reason).
_MAX_CANDIDATES = 24

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
           endpos: int | None = None) -> list[re.Match[str]]:
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


def _first(rx: re.Pattern[str], t: str) -> re.Match[str] | None:
    found = _words(rx, t, limit=1)
    return found[0] if found else None


def _before(rx: re.Pattern[str], t: str, start: int, width: int = 40) -> re.Match[str] | None:
    """`rx` (anchored with `$`) matched on the `width` characters before `start`."""
    return rx.search(t, max(0, start - width), start)
