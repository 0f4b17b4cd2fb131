"""Nightly prices of dated stays: the catalog price times season and weekend factors.

A host's calendar may override single nights; everything else follows the
destination's high season (from locations.yml) and the weekend uplift (from
engine.yml), so a dated search costs the stay the way a booking site would.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import numpy.typing as npt

from .places import Places


def night_factors(places: Places, pricing: Mapping[str, float], first: date, days: int) -> npt.NDArray[np.float64]:
    """Price multiplier of each destination (rows) on each night (columns)."""
    nights = np.arange(np.datetime64(first), np.datetime64(first) + days)
    months = nights.astype("datetime64[M]").astype(int) % 12 + 1
    weekday = (nights.astype("datetime64[D]").astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    weekend = (weekday == 4) | (weekday == 5)  # Friday and Saturday nights
    high = np.zeros((len(places.destinations), 13), dtype=bool)  # destination x month
    for code, destination in enumerate(places.destinations):
        high[code, list(destination.high_season)] = True
    factors: npt.NDArray[np.float64] = np.where(high[:, months], float(pricing["high_season"]), 1.0)
    factors[:, weekend] *= float(pricing["weekend"])
    return factors
