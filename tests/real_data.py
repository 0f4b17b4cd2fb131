"""Which real Inside Airbnb cities the tests ran on, said at the end of every run.

The real-data tests are the only ones on non-euro catalogs, and they skip when
../shared/data is absent; a skip in the middle of hundreds of passes is easy to
miss, so the run's summary says how many real cities each suite used, or why
it used none.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import NoReturn

import pytest

_RUNS: dict[str, list[str] | str] = {}  # suite -> the cities it ran on, or why it ran on none


def ran(suite: str, cities: Iterable[str]) -> None:
    _RUNS[suite] = sorted(set(cities))


def skip(suite: str, reason: str) -> NoReturn:
    _RUNS[suite] = reason
    pytest.skip(reason)


def summary() -> list[str]:
    """One line per suite that asked for the real data in this run."""
    lines = []
    for suite, outcome in sorted(_RUNS.items()):
        if isinstance(outcome, str):
            lines.append(f"real Inside Airbnb data: {suite}: 0 real cities, SKIPPED: {outcome}")
        else:
            lines.append(f"real Inside Airbnb data: {suite}: {len(outcome)} real cities ({', '.join(outcome)})")
    return lines
