"""Who is travelling: head counts from numbers and from who is coming."""
from __future__ import annotations

import re

from .results import GuestCount
from .scan import _at, _before, _first, _number_starts, _words
from .text import _normalise, _num
from .vocab import (
    _ADULT_NOUNS,
    _ADULT_RELATIONS,
    _CHILD_NOUNS,
    _FAMILY_WORDS,
    _FRIENDS,
    _GENERIC_NOUNS,
    _INFANT_NOUNS,
    _JOINING,
    _JOINING_WORDS,
    _NOT_PEOPLE_UNITS,
    _PARTY_TOTALS,
    _RE_NOT_PEOPLE_AFTER,
    _SPOUSE_WORDS,
    _SYM_CHARS,
)

_N = r"(?P<n>\d{1,5}|one)"
_NB = rf"(?<![\d.,/:{_SYM_CHARS}])(?<!(?<!\d)-)"  # not inside a decimal, date, price or "-2"; "2-3 people" is fine
_NOT_A_CHILD_AFTER = (r"(?! ?-? ?(?:friendly|proof|pool|club|menu|bed|cot|crib|chair|seat|gate|area|corner|room"
                      r"|stuff|equipment|sitter|sitting|monitor|bath|stroller|pram|clothes|park))")
_MOD = (r"(?:(?P<mod>more|extra|other|young|small|little|grown|adult|lovely|teenage|\d{1,2} ?-?(?:year|yr)s? ?-?old)"
        r" )?")

_RE_ADULTS = re.compile(rf"{_NB}{_N} ?-? ?{_MOD}(?:{_ADULT_NOUNS})\b")
_RE_CHILDREN = re.compile(rf"{_NB}{_N} ?-? ?{_MOD}(?:{_CHILD_NOUNS})\b{_NOT_A_CHILD_AFTER}")
_RE_INFANTS = re.compile(rf"{_NB}{_N} ?-? ?{_MOD}(?:{_INFANT_NOUNS})\b{_NOT_A_CHILD_AFTER}")
_RE_GENERIC = re.compile(rf"{_NB}{_N} ?-? ?{_MOD}(?P<noun>{_GENERIC_NOUNS})\b")
_RE_COUPLES = re.compile(rf"{_NB}{_N} couples\b")
_RE_JOINING = re.compile(rf"{_NB}{_N} (?:{_JOINING})\b(?: (?:{_GENERIC_NOUNS}|{_ADULT_NOUNS}|{_CHILD_NOUNS})\b)?")
_RE_A_CHILD = re.compile(
    r"(?:a|an|one|my|our|the|their|and) (?:(?:young|small|little|teenage|\d{1,2} ?-?(?:year|yr)s? ?-?old) )?"
    r"(?P<noun>kid|child|toddler|teen|teenager|boy|girl|son|daughter|stepson|stepdaughter|grandson"
    rf"|granddaughter|grandchild|grandkid|little one|baby|infant|newborn|bub|adult)\b{_NOT_A_CHILD_AFTER}")
_RE_AGE_CHILD = re.compile(r"(?:a|an|one|my|our|the|with) (?P<age>\d{1,2}) ?-? ?(?P<u>year|yr|month)s? ?-? ?old\b")
_RE_FAMILY_OF = re.compile(
    r"(?:family|group|party|team|crew|gang|bunch|troop|squad|a total)(?: of)? (?:about |around |roughly "
    r"|approximately |maybe |up to )?(?P<n>\d{1,5}|one)\b")
# "close to the beach if there is one" asks about a beach: a condition counts nobody
_RE_WE_ARE = re.compile(
    r"(?:we(?:'re| are| will be|'ll be| r)|(?<!if )(?<!whether )there(?:'s| is| are|'re| will be|'ll be))"
    r"(?: (?:a total of|in total"
    r"|just|only|about|around|going to be|gonna be))? (?P<n>\d{1,5}|one)\b")
# "so 3 in total": a small number with a whole-party word after it (a price that low is no price)
_RE_N_IN_ALL = re.compile(rf"{_NB}(?P<n>[1-9]|[12]\d|30|one) (?:{_PARTY_TOTALS})\b")
# "we're traveling in 2": the party travels as so many ("in 2 weeks" is a time: a unit follows)
_RE_TRAVEL_IN_N = re.compile(
    r"(?:we(?:'re| are| will be|'ll be)) (?:travell?ing|going|coming) (?:in|as) (?P<n>\d{1,2}|one)\b")
_RE_FOR_N = re.compile(
    r"for (?:(?:just|only|about|around|roughly|maybe|up to|max|maximum|a total of|a group of) )?"
    r"(?P<n>\d{1,3}|one)(?: ?(?:or|to|-) ?(?P<n2>\d{1,3}))?(?!\d|[.,]\d)\b")
_RE_SLEEPS = re.compile(r"(?:sleeps?|sleeping|accommodates?|accomodates?|fits?|capacity(?: of| for)?|room for)"
                        r" (?:at least |up to |min(?:imum)? )?(?P<n>\d{1,3}|one)\b")
_RE_THE_N_OF_US = re.compile(r"(?:both of us|us 2|we 2|the 2 of us|the pair of us)\b")
_RE_COUPLE = re.compile(r"(?:a|as a|we'?re a|we are a|for a|just a|romantic) couple\b"
                        r"(?! ?(?:hundred|thousand|more|\d|k\b))"
                        r"|couple'?s (?:trip|getaway|retreat|holiday|vacation|break)\b")
_RE_SOLO = re.compile(
    r"(?:just|only) (?:me|myself|1|one|for me)\b(?! ?(?:and|&|\+|,|with|plus|my)\b)|solo\b|(?:on|by) my ?own\b"
    r"|by myself\b|alone\b|single (?:traveller|traveler|person|guest|adult)\b|for myself\b"
    r"|only for me\b|just for me\b|me only\b|myself only\b")
_RE_ADULT_RELATION = re.compile(
    r"(?P<det>my|our|their|the|a|with a|and a|and) (?:(?:lovely|dear|best|old|elderly|wonderful|new|good) )?"
    rf"(?P<noun>{_ADULT_RELATIONS})\b(?!'s| ?(?:house|place|apartment|home|flat|recommended|said|told))")
_RE_PAIR_RELATION = re.compile(r"(?:my|our|their|the|with) (?:parents|grandparents|in-?laws|folks)\b")
# "mum, dad and 2 teens": a relation listed without "my", at the start or after a comma, before the next item
_RE_LISTED_RELATION = re.compile(
    rf"(?:(?<=^)|(?<=, )|(?<=,))(?P<noun>{_ADULT_RELATIONS})\b(?= ?(?:,|and\b|&|\+|$))")
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


def joining(text: str) -> int | None:
    """How many people join the party so far ("two more friends are coming": 2), or None.

    Said once and nothing else about the party: "4 of us and 2 more" states a total,
    which `parse_guests` reads.
    """
    t = _normalise(text)
    found = list(_RE_JOINING.finditer(t)) if t and _number_starts(t) else []
    return _num(found[0].group("n")) if len(found) == 1 else None


def parse_guests(text: str, *, expected: bool = False) -> GuestCount | None:
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
    adults_n: int | None = None
    children_n: int | None = None
    total_n: int | None = None
    infants = rel_adults = rel_children = 0
    numeric = party = False

    def add(current: int | None, value: int | None) -> int:
        return (value or 0) if current is None else current + (value or 0)

    if _number_starts(t):
        for m in _at(_RE_ADULTS, t):
            beside_me = m.group("mod") in _JOINING_WORDS and _before(_RE_WITH_FRIENDS_BEFORE, t, m.start(), 20)
            adults_n, numeric = add(adults_n, (_num(m.group("n")) or 0) + bool(beside_me)), True
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
            beside_someone = noun in _FRIENDS or m.group("mod") in _JOINING_WORDS  # "with 2 other people"
            if beside_someone and (_before(_RE_WITH_FRIENDS_BEFORE, t, m.start(), 20)
                                                       or _RE_WITH_FRIENDS_AFTER.match(t, m.end())):
                n += 1
            total_n, numeric = n, True
        for rx in (_RE_ME_PLUS,):
            for m in _words(rx, t):
                total_n, numeric = int(m.group("n")) + 1, True
        for rx in (_RE_FAMILY_OF, _RE_WE_ARE, _RE_SLEEPS, _RE_N_IN_ALL, _RE_TRAVEL_IN_N):
            for m in _words(rx, t):
                if not _not_people_after(t, m.end()):
                    total_n, numeric = _num(m.group("n")), True
        for m in _words(_RE_FOR_N, t):
            if _not_people_after(t, m.end()):
                continue
            n = _num(m.group("n2") or m.group("n"))
            if n is not None and n <= 50:
                total_n, numeric = n, True
    for _ in _words(_RE_THE_N_OF_US, t):
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
        if det == "and" and noun not in _FAMILY_WORDS:
            continue  # "my mum and dad", but not "me and friend"
        if det in ("a", "with a", "and a") and noun not in ("friend", "colleague", "buddy", "mate", "pal",
                                                              "coworker", "co-worker", "date", "partner"):
            continue
        rel_adults, party = rel_adults + 1, True
        if noun in _SPOUSE_WORDS:
            spouse_present = True
            spouse_for_someone |= bool(re.search(r"\bfor $", t[max(0, m.start() - 4):m.start()]))
    for _ in _words(_RE_PAIR_RELATION, t):
        rel_adults, party = rel_adults + 2, True
    for m in _words(_RE_LISTED_RELATION, t):
        if m.group("noun") in _FAMILY_WORDS:
            rel_adults, party = rel_adults + 1, True
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
        adults_known: int | None = adults_n
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
