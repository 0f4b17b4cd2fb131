"""Nightly prices of dated stays: the catalog price times season and weekend factors.

A host's calendar may override single nights; everything else follows the
destination's high season (from locations.yml) and the weekend uplift (from
engine.yml), so a dated search costs the stay the way a booking site would.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Mapping

import numpy as np

from .places import Places


def night_factors(places: Places, pricing: Mapping[str, float], first: date, days: int) -> np.ndarray:
    """Price multiplier of each destination (rows) on each night (columns)."""
    nights = [first + timedelta(days=k) for k in range(days)]
    months = np.array([d.month for d in nights])
    weekend = np.array([d.weekday() in (4, 5) for d in nights])  # Friday and Saturday nights
    factors = np.ones((len(places.destinations), days))
    for code, destination in enumerate(places.destinations):
        if destination.high_season:
            high = np.isin(months, list(destination.high_season))
            factors[code, high] *= float(pricing["high_season"])
    factors[:, weekend] *= float(pricing["weekend"])
    return factors
