"""Great-circle distances, scalar and vectorised over the catalog."""
from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_KM = 6371.0088


Degrees = float | npt.NDArray[np.floating[Any]]


def haversine_km(lat1: Degrees, lon1: Degrees, lat2: Degrees, lon2: Degrees) -> npt.NDArray[np.float64]:
    """Distance in km; broadcasts, so one point against a column is one call."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    km: npt.NDArray[np.float64] = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return km
