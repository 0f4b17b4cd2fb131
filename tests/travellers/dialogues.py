"""The two sets of dialogues the traveller replays, as turns plus the goal they aim at.

A goal is what the traveller wants at the end of the dialogue (for the crowd
set: the SGD dialogue state after its last turn), in words the traveller can
answer the bot's questions with. A turn knows whether it states a trip (a
constraint, not chit-chat or a booking confirmation) and, for the crowd set,
which place and party size it states, from the dataset's annotations.
"""
from __future__ import annotations

import json
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
SGD_FILE = ROOT.parent / "shared" / "data" / "dialogues" / "sgd_rentals_train.jsonl"
CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
GOAL_KEYS = {"place", "guests", "budget", "amenities", "dates", "min_rating"}
# The day each set's relative dates are read against. The crowd-written dialogues were written in a
# world where today is the 1st of March: every date they name is in March ("checking in today,
# checking out March 13th", "the 12th" restated as "March 12th"), so they are replayed with "today"
# on the first 1 March inside the shipped calendar's window (2026-11-01..2027-12-31). Read against the
# test suite's 28 November instead, "arriving on the 6th ... checking out on March 7th" becomes a
# 91-night stay nobody asked for. Our own corpus is written for the test suite's day.
SGD_TODAY = "2027-03-01"
CORPUS_TODAY = "2026-11-28"
TRIP_SLOTS = {"where_to", "number_of_adults", "check_in_date", "check_out_date", "rating", "has_laundry_service"}


@dataclass(frozen=True)
class Goal:
    place: str                         # the traveller's words for the place ("NYC", "Sydney, Australia")
    guests: int | None = None
    budget: str | None = None          # in words: "under 150 euros a night"
    amenities: tuple[str, ...] = ()    # in words: ("laundry service",)
    dates: str | None = None           # in words: "from the 2nd to March 12th"
    min_rating: float | None = None


@dataclass(frozen=True)
class Turn:
    text: str
    states_trip: bool = True           # a constraint is said (not small talk, not "yes, book it")
    place: str | None = None           # the place this turn names, when annotated (crowd set)
    guests: int | None = None          # the party size this turn states, when annotated (crowd set)
    carried_over: bool = False         # said for the traveller: the place an earlier SGD service set


@dataclass(frozen=True)
class Dialogue:
    id: str
    source: str                        # "sgd" or "corpus"
    goal: Goal
    turns: tuple[Turn, ...]
    notes: str = ""

    @property
    def traveller_turns(self) -> int:
        return sum(1 for t in self.turns if not t.carried_over)


class CorpusError(ValueError):
    """A corpus file that cannot be used as written; the message names the file and dialogue."""


# --- the crowd-written set ------------------------------------------------------------------------


def sgd_available(path: Path = SGD_FILE) -> bool:
    return path.is_file()


def _sgd_turn(row: dict[str, Any]) -> Turn:
    spans = {s["slot"]: s["value"] for s in row["slots"]}
    new = row.get("new_categorical") or {}
    adults = new.get("number_of_adults") or ([spans["number_of_adults"]] if "number_of_adults" in spans else None)
    # a confirmation ("Yes, that sounds right") only restates canonical values, with no span of its own
    states = bool(set(spans) & TRIP_SLOTS) or bool({"number_of_adults", "has_laundry_service", "rating"} & set(new))
    return Turn(text=row["utterance"], states_trip=states, place=spans.get("where_to"),
                guests=int(adults[0]) if adults else None)


def _sgd_goal(rows: list[dict[str, Any]]) -> Goal:
    final = rows[-1]["slot_values"]
    spoken = [s["value"] for r in rows for s in r["slots"]
              if s["slot"] == "where_to" and s["value"] in final["where_to"]]
    place = spoken[-1] if spoken else final["where_to"][0]  # the traveller's own words for the final place
    adults = final.get("number_of_adults")
    laundry = final.get("has_laundry_service", ["False"])[0] == "True"
    check_in, check_out = final.get("check_in_date", [None])[0], final.get("check_out_date", [None])[0]
    dates = f"checking in {check_in}, checking out {check_out}" if check_in and check_out else None
    rating = final.get("rating", [None])[0]
    return Goal(place=place, guests=int(adults[0]) if adults else None,
                amenities=("laundry service",) if laundry else (), dates=dates,
                min_rating=float(rating) if rating and rating != "dontcare" else None)


def _carried_over(rows: list[dict[str, Any]]) -> bool:
    """The place was set before any turn of this service named it ("find me a house there")."""
    for row in rows:
        if any(s["slot"] == "where_to" for s in row["slots"]):
            return False
        if row["slot_values"].get("where_to"):
            return True
    return True


def load_sgd(path: Path = SGD_FILE) -> list[Dialogue]:
    """The crowd-written dialogues in file order; a carried-over place becomes a first turn."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            grouped.setdefault(row["dialogue_id"], []).append(row)
    dialogues = []
    for dialogue_id, rows in grouped.items():
        goal = _sgd_goal(rows)
        turns = [_sgd_turn(r) for r in rows]
        if _carried_over(rows):
            turns.insert(0, Turn(text=f"I'll be in {goal.place}.", place=goal.place, carried_over=True))
        dialogues.append(Dialogue(id=dialogue_id, source="sgd", goal=goal, turns=tuple(turns)))
    return dialogues


def sample(dialogues: list[Dialogue], size: int | None, seed: int) -> list[Dialogue]:
    """A seeded sample (all of them when size is None or not smaller), in the set's order."""
    if size is None or size >= len(dialogues):
        return list(dialogues)
    chosen = set(random.Random(seed).sample(range(len(dialogues)), size))
    return [d for k, d in enumerate(dialogues) if k in chosen]


# --- the corpus in our own voices -----------------------------------------------------------------


def corpus_paths(directory: Path = CORPUS_DIR) -> list[Path]:
    return sorted(directory.glob("*.yml"))


def _corpus_turn(raw: Any, where: str) -> Turn:
    if isinstance(raw, str):
        return Turn(text=raw)
    if isinstance(raw, dict) and set(raw) == {"chat"} and isinstance(raw["chat"], str):
        return Turn(text=raw["chat"], states_trip=False)
    raise CorpusError(f"{where}: a turn is a string (it states the trip) or {{chat: <text>}} (small talk)")


def _corpus_goal(raw: Any, where: str) -> Goal:
    if not isinstance(raw, dict) or not isinstance(raw.get("place"), str):
        raise CorpusError(f"{where}: goal needs at least place (the traveller's words for it)")
    unknown = set(raw) - GOAL_KEYS
    if unknown:
        raise CorpusError(f"{where}: unknown goal key(s) {sorted(unknown)} (known: {sorted(GOAL_KEYS)})")
    return Goal(place=raw["place"], guests=raw.get("guests"), budget=raw.get("budget"),
                amenities=tuple(raw.get("amenities") or ()), dates=raw.get("dates"), min_rating=raw.get("min_rating"))


def load_corpus(paths: Iterable[Path] | None = None) -> list[Dialogue]:
    """Every dialogue of the corpus files; a CorpusError names the file and dialogue that is malformed."""
    dialogues: list[Dialogue] = []
    seen: set[str] = set()
    for path in (corpus_paths() if paths is None else paths):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("dialogues"), list):
            raise CorpusError(f"{path.name}: a corpus file is a mapping with a list under 'dialogues'")
        for number, raw in enumerate(data["dialogues"], start=1):
            where = f"{path.name} dialogue {number}"
            if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not raw.get("turns"):
                raise CorpusError(f"{where}: needs id, goal and turns")
            if raw["id"] in seen:
                raise CorpusError(f"{where}: id {raw['id']!r} is used twice")
            seen.add(raw["id"])
            dialogues.append(Dialogue(id=raw["id"], source="corpus", goal=_corpus_goal(raw.get("goal"), where),
                                      turns=tuple(_corpus_turn(t, where) for t in raw["turns"]),
                                      notes=str(raw.get("notes", ""))))
    return dialogues


__all__ = ["CORPUS_DIR", "SGD_FILE", "CorpusError", "Dialogue", "Goal", "Turn", "corpus_paths", "load_corpus",
           "load_sgd", "sample", "sgd_available"]
