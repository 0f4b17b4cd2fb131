"""Where a file of listings really is, and what money it is in, read from the listings themselves.

Inside Airbnb writes every price with a "$", whatever the city (Antwerp's are
euros), and nothing stops `--location Lisbon` on Albany's file. The
coordinates do not lie: the listings' median point names the nearest city and
its country (GeoNames, through the gazetteer), and the country its currency
(CLDR, through Babel). The importer uses this as the default currency and to
warn when what it was told disagrees.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from babel.numbers import get_territory_currencies

from .gazetteer import gazetteer
from .geo import haversine_km
from .knowledge import Knowledge


@dataclass(frozen=True)
class Origin:
    """The listings' median point, the nearest known city to it, its country and that country's currency."""

    latitude: float
    longitude: float
    city: str
    city_km: float
    country: str  # ISO 3166 alpha-2
    country_name: str
    currency: str | None  # ISO 4217; None when CLDR knows no current currency for the country


def origin_of(latitudes: npt.NDArray[np.float64], longitudes: npt.NDArray[np.float64]) -> Origin | None:
    """None when no listing has usable coordinates."""
    ok = ~(np.isnan(latitudes) | np.isnan(longitudes))
    if not ok.any():
        return None
    lat, lon = float(np.median(latitudes[ok])), float(np.median(longitudes[ok]))
    places = gazetteer()
    km = haversine_km(lat, lon, places.latitude, places.longitude)
    nearest = int(np.argmin(km))
    country = str(places.country[nearest])
    currencies = get_territory_currencies(country)
    return Origin(lat, lon, places.names[nearest], float(km[nearest]), country,
                  places.country_names.get(country, country), currencies[0] if currencies else None)


def disagreements(origin: Origin, location: str, currency: str | None, knowledge: Knowledge) -> list[str]:
    """Warnings, one sentence each, when --location or --currency contradict where the listings are."""
    found = []
    destination = knowledge.destinations.get(location)
    reach = float(knowledge.setting("relaxation", "nearby_km"))
    if destination is not None:
        away = float(haversine_km(origin.latitude, origin.longitude, destination.latitude, destination.longitude))
        if away > reach:
            found.append(f"the listings lie near {origin.city}, {origin.country_name}, {away:,.0f} km from "
                         f"{location}: check --location")
    if currency is not None and origin.currency is not None and currency != origin.currency:
        found.append(f"the listings lie in {origin.country_name}, whose currency is {origin.currency}; "
                     f"prices are read as {currency} because --currency says so")
    return found
