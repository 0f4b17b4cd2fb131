"""The text every field reads: folded, whitespace-collapsed, number words as digits."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .scan import _MAX_NUMBERS, MAX_CHARS
from .vocab import _AMOUNTS, _CARDINALS, _HEDGES, _ORDINALS, _PAIRS, phrase_alt

_ORDINAL_UNITS = {k: v for k, v in _ORDINALS.items() if v < 10}
_TENS_WORDS = {k: v for k, v in _CARDINALS.items() if 20 <= v < 100}
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
_RE_NUMBER_WORD = re.compile(rf"(?:{phrase_alt([*_CARDINALS, *_ORDINALS])})(?![a-z])")
_RE_AMOUNT_WORDS = re.compile(rf"\b(?:{phrase_alt(_AMOUNTS)})\b")
_RE_HEDGE = re.compile(rf"^(?:{_HEDGES}) ")


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
    t = _RE_AMOUNT_WORDS.sub(lambda m: str(_AMOUNTS[m.group(0)]), t)  # "a dozen" -> 12
    if "a hundred" in t or "a thousand" in t:
        t = re.sub(r"\ba (hundred|thousand)\b", r"one \1", t)
    return _number_words(t)


def words_to_number(text: str) -> int | None:
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
    t = _RE_HEDGE.sub("", t)
    if t in _PAIRS:
        return 2
    if t == "one":
        return 1
    m = re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", t)
    return int(m.group(0).replace(",", "")) if m else None


def _num(token: str | None) -> int | None:
    if token is None:
        return None
    if token in ("one", "a", "an", "single", "the"):
        return 1
    try:
        return int(token)
    except ValueError:
        return None
