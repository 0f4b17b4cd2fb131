"""The chat's date reader and the engine judge a stay by one rule (constraints.query.stay_fault).

What a traveller notices: a stay the bot reads without a question is one it
searches, and one it questions is one the engine would refuse, with the same
longest stay (engine.yml `limits: max_nights`) in both.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from actions.reading import parse_dates
from actions.reading.results import DateProblem
from constraints import Engine
from constraints.query import StayDates

TODAY = date(2026, 11, 28)


@pytest.fixture(scope="module")
def shipped() -> Engine:
    return Engine.load()


@pytest.mark.parametrize("nights_over_the_limit", [0, 1])
def test_reader_and_engine_agree_on_the_longest_stay(shipped: Engine, nights_over_the_limit: int) -> None:
    most = int(shipped.knowledge.setting("limits", "max_nights"))
    start = date(2027, 1, 10)
    end = start + timedelta(days=most + nights_over_the_limit)
    read = parse_dates(f"from {start.isoformat()} to {end.isoformat()}", TODAY)
    refused = shipped.stay_problem(StayDates(start, end), TODAY)
    if nights_over_the_limit:
        assert isinstance(read, DateProblem) and read.kind == "too_long"
        assert refused is not None and str(most) in refused
    else:
        assert read == StayDates(start, end)
        assert refused is None or "longer than" not in refused  # only the calendar's reach may refuse it
