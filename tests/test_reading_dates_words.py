"""Dates said the way travellers write them, and the date words kept as data.

The words around a bare "the 8th" (range connectors, "untill", "is when I want
to check out", "the 13th day ... check out") live in knowledge/phrases/calendar.yml,
so a misspelling travellers type is one line there. Rows pin today to Monday
1 March 2027; a reading is what parse_dates returns: a whole stay, or the half
it could tell (check-in or check-out) for the form to complete.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from actions.forms import ValidateSearchForm
from actions.reading import parse_dates
from actions.reading.results import DateProblem
from constraints.errors import KnowledgeError
from constraints.knowledge import DEFAULT_DIRECTORY
from constraints.phrases import SCHEMA, load_phrases
from constraints.query import StayDates
from tests.rasa_trackers import Conversation

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2027, 3, 1)  # a Monday


def reading(text: str) -> tuple[str | None, str | None] | None:
    """(check-in, check-out) as ISO dates, either None when only one half was said; None when no date was read."""
    found = parse_dates(text, TODAY)
    if found is None:
        return None
    if isinstance(found, StayDates):
        return found.check_in.isoformat(), found.check_out.isoformat()
    assert isinstance(found, DateProblem) and found.kind == "unclear", found
    return (found.check_in.isoformat() if found.check_in else None,
            found.check_out.isoformat() if found.check_out else None)


DEPARTURES: list[tuple[str, str]] = [
    ("nope, we stay untill the 8th.", "2027-03-08"),
    ("The 5th is when we'd like to check out.", "2027-03-05"),
    ("the 13th day is when we do the check out", "2027-03-13"),
    ("till the 10th pls", "2027-03-10"),
    ("we leave the 12th", "2027-03-12"),
    ("im there unitl the 9th", "2027-03-09"),
    ("staying til the 6th then home", "2027-03-06"),
    ("THE 15TH IS WHEN WE LEAVE", "2027-03-15"),
    ("the 7th would be our check-out day", "2027-03-07"),
    ("the 11th is when we head home", "2027-03-11"),
    ("on the 14th day we check out", "2027-03-14"),
]


@pytest.mark.parametrize("text, check_out", DEPARTURES)
def test_a_departure_alone_is_read_as_the_check_out(text: str, check_out: str) -> None:
    assert reading(text) == (None, check_out)


ARRIVALS: list[tuple[str, str]] = [
    ("the 3rd is our arrival", "2027-03-03"),
    ("The 4th is my check-in.", "2027-03-04"),
    ("the 20th is when we arrive", "2027-03-20"),
    ("the 2nd day we check in", "2027-03-02"),
]


@pytest.mark.parametrize("text, check_in", ARRIVALS)
def test_an_arrival_said_after_the_day_is_the_check_in(text: str, check_in: str) -> None:
    assert reading(text) == (check_in, None)


STAYS: list[tuple[str, str, str]] = [
    ("I'd like to check in on the 4th and leave on the 9th", "2027-03-04", "2027-03-09"),
    ("i'd like to check in on the 4th and leave on the 9th", "2027-03-04", "2027-03-09"),
    ("from the 4th untill the 9th", "2027-03-04", "2027-03-09"),
    ("4 untill 9 march", "2027-03-04", "2027-03-09"),
    ("the 2nd is when we arrive and the 6th is when we leave", "2027-03-02", "2027-03-06"),
    ("the 3rd is our arrival, we leave the 8th", "2027-03-03", "2027-03-08"),
    ("The 10th is check-in, the 14th is check-out", "2027-03-10", "2027-03-14"),
]


@pytest.mark.parametrize("text, check_in, check_out", STAYS)
def test_both_halves_in_one_message(text: str, check_in: str, check_out: str) -> None:
    assert reading(text) == (check_in, check_out)


@pytest.mark.parametrize("text", [
    "the 2nd day we want to visit the castle",    # a day of the trip, no arrival or departure
    "on the 3rd day of the trip",
    "the 2nd is the one i want to check out",     # "check out" a listing
    "the 2nd option is cheaper",
    "the 3rd floor is fine",
    "the 2nd is nice but we check out early",
])
def test_an_ordinal_that_is_not_a_day_is_not_a_date(text: str) -> None:
    assert reading(text) in (None, (None, None))  # nothing read, or a question: neither half of a stay


def test_the_half_said_later_completes_the_stay(monkeypatch: pytest.MonkeyPatch, shipped_engine: object) -> None:
    """The form puts "I check in on the 4th" and "untill the 8th" together into slots."""
    monkeypatch.setenv("STAYS_TODAY", TODAY.isoformat())
    chat = Conversation(slots={"location": "Lisbon"})
    chat.run(ValidateSearchForm(), "I check in on the 4th", "inform")
    chat.run(ValidateSearchForm(), "nope, we stay untill the 8th.", "inform")
    assert (chat.slots["check_in"], chat.slots["check_out"], chat.slots["nights"]) == ("2027-03-04", "2027-03-08", 4)


NEW_TABLES = ("until", "ordinal_cues", "not_day_nouns", "day_nouns", "said_after_links", "arrival_words",
              "departure_words", "before_month", "weekday_next", "counted_from", "yesterday", "day_after",
              "day_units", "week_units", "fortnight_units", "month_units")


def test_the_date_words_are_checked_tables() -> None:
    assert set(NEW_TABLES) <= set(SCHEMA["calendar"])
    phrases = load_phrases(DEFAULT_DIRECTORY)
    assert {"untill", "unitl", "til"} <= set(phrases.words("calendar", "until"))


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    shutil.copy(DEFAULT_DIRECTORY / "engine.yml", tmp_path / "engine.yml")
    shutil.copytree(DEFAULT_DIRECTORY / "phrases", tmp_path / "phrases")
    return tmp_path


def test_a_bad_date_word_is_reported_with_its_line(knowledge_copy: Path) -> None:
    path = knowledge_copy / "phrases" / "calendar.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - untill\n", "  - Untill\n", 1), encoding="utf-8")
    with pytest.raises(KnowledgeError, match="until: 'Untill' must be lower case") as error:
        load_phrases(knowledge_copy)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[(error.value.line or 0) - 1].strip() == "- Untill"


def test_a_new_connector_is_one_line_in_calendar_yml(knowledge_copy: Path) -> None:
    """"tll" is not known; one line in the `until` table and the date reader reads it."""
    code = ("from datetime import date; from actions.reading import parse_dates; "
            "r = parse_dates('we stay tll the 8th', date(2027, 3, 1)); print(getattr(r, 'check_out', None))")
    env = {**os.environ, "STAYS_KNOWLEDGE": str(knowledge_copy)}
    before = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert before.stdout.strip() == "None", before.stderr
    path = knowledge_copy / "phrases" / "calendar.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("  - untill\n", "  - untill\n  - tll\n", 1),
                    encoding="utf-8")
    after = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=120)
    assert after.stdout.strip() == "2027-03-08", after.stderr
