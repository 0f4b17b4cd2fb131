"""Inside Airbnb listings to catalog rows.

Columns are looked up by name (Inside Airbnb layouts differ in number and
order of columns). Numeric columns and prices are converted with pandas over
whole columns; amenity strings are mapped through the knowledge base's
`airbnb` patterns once per distinct string (a few thousand distinct strings
over millions of occurrences). Rows that cannot become a property are skipped
and counted by reason; nothing is silently dropped.

Choices made for missing values (Inside Airbnb leaves many cells empty):

- `bedrooms` empty: 0 for a studio (by mapped property type) or a private or
  shared room (by room type), since the listing is a single room; otherwise an
  estimate of one bedroom per two beds, `max(1, ceil(beds / 2))`, or one per
  two guests, `max(1, ceil(accommodates / 2))`, when `beds` is empty too.
- `beds` empty: `max(1, bedrooms)`.
- `bathrooms` empty: parsed from `bathrooms_text` ("1.5 shared baths" -> 1.5,
  "Half-bath" -> 0.5); 0 when that says nothing either.
- `maximum_nights` empty, or 1125 and above (Inside Airbnb's "no limit"
  default is 1125 nights, and some hosts type 9999 or 99999): 100000, which the
  engine reads as no maximum. It is raised to `minimum_nights` when below it.
- `minimum_nights` empty: 1; clipped to the engine's range 1..10000.
- `accommodates` above 100 (the engine's limit): 100.
- `review_scores_rating` on the old 0-100 scale (any value above 5) is divided
  by 20; an empty rating stays empty. `number_of_reviews` empty: 0.
- `name` empty: the title becomes "<raw property type> in <location>".

Skip reasons, checked in this order (a row is counted under its first):
no id, duplicate id, no price (empty, unreadable or zero), price above
1,000,000, no coordinates (empty or out of range), accommodates missing or 0,
unmapped property type '<raw>', unmapped room type '<raw>'. A row whose
amenities are not a readable list is kept with no amenities and counted as
"amenities unreadable".
"""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..catalog_read import CONTRACT_COLUMNS, NO_MAXIMUM_NIGHTS
from ..errors import UnknownValueError
from ..knowledge import Knowledge
from ..listing_origin import disagreements, origin_of
from ..normalise import Vocabulary
from ..text import tidy_case
from .amenities import map_amenities
from .cells import (
    as_number,
    as_text,
    clean_description,
    clean_neighbourhood,
    clean_picture_url,
    parse_bathrooms_text,
    parse_price,
)
from .files import AirbnbImportError, read_csv, require_columns
from .report import ImportReport

LISTING_COLUMNS_REQUIRED = ["id", "name", "latitude", "longitude", "property_type", "room_type",
                            "accommodates", "price", "amenities"]
LISTING_COLUMNS_OPTIONAL = ["description", "neighbourhood_cleansed", "bedrooms", "beds", "bathrooms",
                            "bathrooms_text", "minimum_nights", "maximum_nights", "review_scores_rating",
                            "number_of_reviews", "picture_url"]
OUTPUT_COLUMNS = [*CONTRACT_COLUMNS, "max_nights", "picture_url"]
AIRBNB_NO_MAXIMUM = 1125  # Inside Airbnb's default maximum stay, meaning "no limit"
MAX_PRICE = 1_000_000


def read_listings(path: Path | str) -> pd.DataFrame:
    """The columns the importer uses, as text; raises AirbnbImportError for unusable files."""
    path = Path(path)
    require_columns(path, "Listings", LISTING_COLUMNS_REQUIRED)
    wanted = set(LISTING_COLUMNS_REQUIRED) | set(LISTING_COLUMNS_OPTIONAL)
    frame = read_csv(path, "Listings", usecols=lambda c: c in wanted, dtype=str)
    for column in LISTING_COLUMNS_OPTIONAL:
        if column not in frame.columns:
            frame[column] = np.nan
    return frame


def convert_listings(path: Path | str, location: str, knowledge: Knowledge, currency: str | None = None,
                     progress: bool = False) -> tuple[pd.DataFrame, ImportReport]:
    """A catalog frame (OUTPUT_COLUMNS) from an Inside Airbnb listings file, and its report.

    Without `currency` the prices are read in the currency of the country the
    listings lie in; with one that disagrees, or a `location` far from them,
    the report warns.
    """
    started = time.perf_counter()
    given = check_currency(currency, knowledge) if currency else None
    name, known, note = resolve_location(location, knowledge)
    raw = read_listings(path)
    origin = origin_of(as_number(raw["latitude"]), as_number(raw["longitude"]))
    if given is None:
        if origin is None or origin.currency is None:
            raise AirbnbImportError("the listings' coordinates do not tell their country: give --currency")
        if origin.currency not in knowledge.settings["currency"]["rates"]:
            raise AirbnbImportError(f"the listings lie in {origin.country_name}, whose currency {origin.currency} "
                                    f"has no rate in engine.yml (currency: rates): add one, or give --currency")
    currency = given or (origin.currency if origin is not None else None)
    assert currency is not None  # refused above otherwise
    report = ImportReport(listings=str(path), location=name, location_known=known, currency=currency)
    if note:
        report.notes.append(note)
    if origin is not None:
        report.origin = f"{origin.city}, {origin.country_name}"
        report.notes.extend(f"warning: {w}" for w in disagreements(origin, name, given, knowledge))
        if given is None:
            report.notes.append(f"prices read as {report.currency}, the currency of {origin.country_name} "
                                f"(where the listings are); --currency to say otherwise")
    frame, report = convert_frame(raw, name, knowledge, report.currency, report, progress=progress)
    report.seconds = time.perf_counter() - started
    return frame, report


def convert_frame(raw: pd.DataFrame, location: str, knowledge: Knowledge, currency: str,
                  report: ImportReport, progress: bool = False) -> tuple[pd.DataFrame, ImportReport]:
    """The conversion proper, over a frame of the raw columns read as text."""
    raw = raw.reset_index(drop=True)
    n = len(raw)
    report.rows_read = n
    skip = _Skipper(n)

    ids = as_text(raw["id"])
    skip.reject(ids == "", "no id")
    skip.reject(ids.duplicated(keep="first") & (ids != ""), "duplicate id")

    price = parse_price(raw["price"])
    skip.reject(np.isnan(price) | (price <= 0), "no price")
    skip.reject(price > MAX_PRICE, f"price above {MAX_PRICE:,}")

    lat = as_number(raw["latitude"])
    lon = as_number(raw["longitude"])
    skip.reject(np.isnan(lat) | np.isnan(lon) | (np.abs(lat) > 90) | (np.abs(lon) > 180), "no coordinates")

    accommodates = as_number(raw["accommodates"])
    skip.reject(np.isnan(accommodates) | (accommodates < 1), "accommodates missing or 0")

    raw_types = as_text(raw["property_type"])
    type_of = first_match(raw_types.unique(), [(t.id, t.airbnb) for t in knowledge.property_types.values()])
    types = raw_types.map(type_of)
    report.unmapped_property_types = skip.reject_each(types.isna(), raw_types, "unmapped property type '{}'")

    raw_rooms = as_text(raw["room_type"])
    room_of = first_match(raw_rooms.unique(), [(r.id, r.airbnb) for r in knowledge.room_types.values()])
    rooms = raw_rooms.map(room_of)
    report.unmapped_room_types = skip.reject_each(rooms.isna(), raw_rooms, "unmapped room type '{}'")

    report.skipped = dict(skip.counts)
    keep = ~skip.bad
    report.rows_written = int(keep.sum())
    if not keep.any():
        reasons = "; ".join(f"{reason}: {count}" for reason, count in skip.counts.items()) or "no rows"
        raise AirbnbImportError(f"{report.listings}: no listing could be imported ({reasons})")

    kept = raw.loc[keep].reset_index(drop=True)
    types_k = types[keep].reset_index(drop=True)
    rooms_k = rooms[keep].reset_index(drop=True)
    accommodates_k = accommodates[keep]

    bedrooms = as_number(kept["bedrooms"])
    beds = as_number(kept["beds"])
    single_room = ((types_k == "studio") | (rooms_k != "entire_home")).to_numpy()
    estimate = np.where(np.isnan(beds), np.ceil(accommodates_k / 2), np.ceil(beds / 2))
    bedrooms = np.where(np.isnan(bedrooms), np.where(single_room, 0, np.maximum(1, estimate)), bedrooms)
    bedrooms = np.clip(bedrooms, 0, 100)
    beds = np.clip(np.where(np.isnan(beds), np.maximum(1, bedrooms), beds), 0, 200)
    bathrooms = as_number(kept["bathrooms"])
    bathrooms = np.where(np.isnan(bathrooms), parse_bathrooms_text(kept["bathrooms_text"]), bathrooms)
    bathrooms = np.clip(np.nan_to_num(bathrooms, nan=0.0), 0, 100)

    min_nights = np.clip(np.nan_to_num(as_number(kept["minimum_nights"]), nan=1), 1, 10_000)
    max_nights = as_number(kept["maximum_nights"])
    max_nights = np.where(np.isnan(max_nights) | (max_nights >= AIRBNB_NO_MAXIMUM), NO_MAXIMUM_NIGHTS, max_nights)
    max_nights = np.maximum(max_nights, min_nights)

    rating = as_number(kept["review_scores_rating"])
    if np.any(rating > 5):
        rating = rating / 20  # the 0-100 scale of older scrapes
    rating = np.clip(rating, 0, 5)
    reviews = np.clip(np.nan_to_num(as_number(kept["number_of_reviews"]), nan=0), 0, None)

    titles = as_text(kept["name"])
    fallback = as_text(kept["property_type"]) + f" in {location}"
    titles = titles.where(titles != "", fallback)

    amenities = map_amenities(kept["amenities"], knowledge, report, progress=progress)

    out = pd.DataFrame({
        "id": ids[keep].to_numpy(),
        "title": titles.to_numpy(),
        "description": clean_description(kept["description"]).to_numpy(),
        "location": location,
        "neighbourhood": clean_neighbourhood(kept["neighbourhood_cleansed"]).to_numpy(),
        "latitude": lat[keep],
        "longitude": lon[keep],
        "property_type": types_k.to_numpy(),
        "room_type": rooms_k.to_numpy(),
        "accommodates": np.minimum(accommodates_k, 100).astype(np.int64),
        "bedrooms": np.floor(bedrooms).astype(np.int64),
        "beds": np.floor(beds).astype(np.int64),
        "bathrooms": bathrooms,
        "price_per_night": price[keep],
        "currency": currency,
        "min_nights": np.floor(min_nights).astype(np.int64),
        "amenities": amenities,
        "rating": rating,
        "review_count": reviews.astype(np.int64),
        "max_nights": np.floor(max_nights).astype(np.int64),
        "picture_url": clean_picture_url(kept["picture_url"]).to_numpy(),
    })
    return out[OUTPUT_COLUMNS], report


class _Skipper:
    """Marks rows to skip, counting each under the first reason that hits it."""

    def __init__(self, n: int) -> None:
        self.bad = np.zeros(n, dtype=bool)
        self.counts: Counter[str] = Counter()

    def reject(self, mask: npt.NDArray[np.bool_] | pd.Series, reason: str) -> None:
        hit = np.asarray(mask, dtype=bool) & ~self.bad
        count = int(hit.sum())
        if count:
            self.counts[reason] += count
            self.bad |= hit

    def reject_each(self, mask: npt.NDArray[np.bool_] | pd.Series, values: pd.Series, reason: str) -> Counter[str]:
        """Reject `mask`, one reason per distinct value (`reason` formatted with it); their counts."""
        hit = np.asarray(mask, dtype=bool) & ~self.bad
        counts = Counter(values[hit].tolist())
        for value, count in counts.most_common():
            self.counts[reason.format(value)] += count
        self.bad |= hit
        return counts


def first_match(values: Iterable[str], patterns: list[tuple[str, tuple[Any, ...]]]) -> dict[str, str | None]:
    """Each distinct raw value to the first id (in knowledge order) with a matching pattern."""
    mapping: dict[str, str | None] = {}
    for value in values:
        mapping[value] = next((key for key, regexes in patterns if value and any(p.search(value) for p in regexes)),
                              None)
    return mapping



def check_currency(currency: str, knowledge: Knowledge) -> str:
    code = (currency or "").strip().upper()
    rates: Mapping[str, Any] = knowledge.settings["currency"]["rates"]
    if code not in rates:
        raise AirbnbImportError(f"Unknown currency '{currency}': engine.yml has rates for {', '.join(rates)}")
    return code


def resolve_location(text: str, knowledge: Knowledge) -> tuple[str, bool, str | None]:
    """(name to write, known destination?, note) for a --location value."""
    name = tidy_case((text or "").strip())
    if not name:
        raise AirbnbImportError("--location must name the place the listings are in")
    vocabulary = Vocabulary("location", {d.name: d.aliases for d in knowledge.destinations.values()},
                            {d.name: d.name for d in knowledge.destinations.values()})
    try:
        found = vocabulary.resolve(name)
    except UnknownValueError:
        return name, False, f"'{name}' is not in locations.yml: it becomes a catalog-only destination"
    note = f"location '{name}' read as '{found.value}'" if found.corrected else None
    return found.value, True, note

