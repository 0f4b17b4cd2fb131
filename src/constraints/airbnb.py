"""Importing Inside Airbnb data (insideairbnb.com, CC BY 4.0) into the catalog schema.

`convert_listings` turns a detailed `listings.csv[.gz]` into a catalog frame
(the contract columns of DESIGN.md plus `max_nights`); `import_calendar` turns
a `calendar.csv[.gz]` into runs of nights (see docs/knowledge.md);
`import_airbnb` does both and writes the files, so that
`load_catalog(OUT, knowledge)` finds the calendar beside the catalog.

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

import csv
import gzip
import html
import json
import math
import re
import sys
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from pathlib import Path
from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd
from tqdm import tqdm

from .availability import WINDOW_PREFIX, calendar_path_for, read_window
from .catalog_read import CONTRACT_COLUMNS, NO_MAXIMUM_NIGHTS
from .errors import InvalidValueError, UnknownValueError
from .knowledge import Knowledge
from .listing_origin import disagreements, origin_of
from .normalise import Vocabulary
from .text import tidy_case

LISTING_COLUMNS_REQUIRED = ["id", "name", "latitude", "longitude", "property_type", "room_type",
                            "accommodates", "price", "amenities"]
LISTING_COLUMNS_OPTIONAL = ["description", "neighbourhood_cleansed", "bedrooms", "beds", "bathrooms",
                            "bathrooms_text", "minimum_nights", "maximum_nights", "review_scores_rating",
                            "number_of_reviews", "picture_url"]
CALENDAR_COLUMNS_REQUIRED = ["listing_id", "date", "available", "price"]
OUTPUT_COLUMNS = [*CONTRACT_COLUMNS, "max_nights", "picture_url"]
AIRBNB_NO_MAXIMUM = 1125  # Inside Airbnb's default maximum stay, meaning "no limit"
MAX_PRICE = 1_000_000
AMENITIES_UNREADABLE = "amenities unreadable"

_READ_ERRORS = (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError, OSError, EOFError,
                gzip.BadGzipFile, zlib.error, ValueError)


class AirbnbImportError(InvalidValueError):
    """An input that cannot be imported at all; the message is one line."""


# --- reports ---------------------------------------------------------------------------


@dataclass
class CalendarImport:
    """Runs of nights of one calendar file, and what was dropped on the way."""

    runs: pd.DataFrame  # id, start, end (exclusive), available, price
    first: str | None  # first night in the file (YYYY-MM-DD)
    last: str | None  # last night in the file
    rows_read: int = 0
    listings: int = 0  # catalog listings with at least one night
    unknown_listings: int = 0  # listing ids not in the catalog (their rows are dropped)
    unknown_rows: int = 0
    bad_rows: int = 0  # unreadable date or available flag
    duplicate_rows: int = 0  # the same listing and night twice (the last one is kept)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "rows_read": self.rows_read, "runs": len(self.runs), "listings": self.listings,
            "unknown_listings": self.unknown_listings, "unknown_rows": self.unknown_rows,
            "bad_rows": self.bad_rows, "duplicate_rows": self.duplicate_rows,
            "window": [self.first, self.last], "seconds": round(self.seconds, 3),
        }


@dataclass
class ImportReport:
    """What an import read, wrote and left out, and why."""

    listings: str
    location: str
    location_known: bool
    currency: str
    rows_read: int = 0
    rows_written: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    amenities_unreadable: int = 0
    amenity_occurrences: int = 0
    amenity_occurrences_mapped: int = 0
    unmapped_amenities: Counter = field(default_factory=Counter)
    unmapped_property_types: Counter = field(default_factory=Counter)
    unmapped_room_types: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    origin: str | None = None  # the city and country the listings' coordinates point to
    seconds: float = 0.0
    calendar: CalendarImport | None = None
    output: str | None = None
    calendar_output: str | None = None

    @property
    def rows_skipped(self) -> int:
        return sum(self.skipped.values())

    @property
    def amenity_mapped_share(self) -> float:
        """Share of raw amenity occurrences (in the rows written) that map to an amenity."""
        if not self.amenity_occurrences:
            return 1.0
        return self.amenity_occurrences_mapped / self.amenity_occurrences

    def to_json(self, top: int = 15) -> dict[str, Any]:
        return {
            "listings": self.listings,
            "location": self.location,
            "location_known": self.location_known,
            "currency": self.currency,
            "origin": self.origin,
            "rows_read": self.rows_read,
            "rows_written": self.rows_written,
            "rows_skipped": self.rows_skipped,
            "skipped": dict(self.skipped),
            "amenities_unreadable": self.amenities_unreadable,
            "amenity_occurrences": self.amenity_occurrences,
            "amenity_occurrences_mapped": self.amenity_occurrences_mapped,
            "amenity_mapped_share": round(self.amenity_mapped_share, 4),
            "unmapped_amenity_strings": len(self.unmapped_amenities),
            "unmapped_amenities": [{"text": t, "count": n} for t, n in self.unmapped_amenities.most_common(top)],
            "unmapped_property_types": dict(self.unmapped_property_types.most_common()),
            "unmapped_room_types": dict(self.unmapped_room_types.most_common()),
            "notes": list(self.notes),
            "seconds": round(self.seconds, 3),
            "output": self.output,
            "calendar_output": self.calendar_output,
            "calendar": self.calendar.to_json() if self.calendar else None,
        }


# --- listings ----------------------------------------------------------------------------


def read_listings(path: Path | str) -> pd.DataFrame:
    """The columns the importer uses, as text; raises AirbnbImportError for unusable files."""
    path = Path(path)
    header = _read_header(path, "Listings")
    missing = [c for c in LISTING_COLUMNS_REQUIRED if c not in header]
    if missing:
        raise AirbnbImportError(
            f"{path} is not an Inside Airbnb listings file: it lacks the column(s) {', '.join(missing)}"
        )
    wanted = set(LISTING_COLUMNS_REQUIRED) | set(LISTING_COLUMNS_OPTIONAL)
    frame = _read_csv(path, "Listings", usecols=lambda c: c in wanted, dtype=str)
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
    origin = origin_of(_number(raw["latitude"]), _number(raw["longitude"]))
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

    ids = _text(raw["id"])
    skip.reject(ids == "", "no id")
    skip.reject(ids.duplicated(keep="first") & (ids != ""), "duplicate id")

    price = parse_price(raw["price"])
    skip.reject(np.isnan(price) | (price <= 0), "no price")
    skip.reject(price > MAX_PRICE, f"price above {MAX_PRICE:,}")

    lat = _number(raw["latitude"])
    lon = _number(raw["longitude"])
    skip.reject(np.isnan(lat) | np.isnan(lon) | (np.abs(lat) > 90) | (np.abs(lon) > 180), "no coordinates")

    accommodates = _number(raw["accommodates"])
    skip.reject(np.isnan(accommodates) | (accommodates < 1), "accommodates missing or 0")

    raw_types = _text(raw["property_type"])
    type_of = _first_match(raw_types.unique(), [(t.id, t.airbnb) for t in knowledge.property_types.values()])
    types = raw_types.map(type_of)
    report.unmapped_property_types = skip.reject_each(types.isna(), raw_types, "unmapped property type '{}'")

    raw_rooms = _text(raw["room_type"])
    room_of = _first_match(raw_rooms.unique(), [(r.id, r.airbnb) for r in knowledge.room_types.values()])
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

    bedrooms = _number(kept["bedrooms"])
    beds = _number(kept["beds"])
    single_room = ((types_k == "studio") | (rooms_k != "entire_home")).to_numpy()
    estimate = np.where(np.isnan(beds), np.ceil(accommodates_k / 2), np.ceil(beds / 2))
    bedrooms = np.where(np.isnan(bedrooms), np.where(single_room, 0, np.maximum(1, estimate)), bedrooms)
    bedrooms = np.clip(bedrooms, 0, 100)
    beds = np.clip(np.where(np.isnan(beds), np.maximum(1, bedrooms), beds), 0, 200)
    bathrooms = _number(kept["bathrooms"])
    bathrooms = np.where(np.isnan(bathrooms), parse_bathrooms_text(kept["bathrooms_text"]), bathrooms)
    bathrooms = np.clip(np.nan_to_num(bathrooms, nan=0.0), 0, 100)

    min_nights = np.clip(np.nan_to_num(_number(kept["minimum_nights"]), nan=1), 1, 10_000)
    max_nights = _number(kept["maximum_nights"])
    max_nights = np.where(np.isnan(max_nights) | (max_nights >= AIRBNB_NO_MAXIMUM), NO_MAXIMUM_NIGHTS, max_nights)
    max_nights = np.maximum(max_nights, min_nights)

    rating = _number(kept["review_scores_rating"])
    if np.any(rating > 5):
        rating = rating / 20  # the 0-100 scale of older scrapes
    rating = np.clip(rating, 0, 5)
    reviews = np.clip(np.nan_to_num(_number(kept["number_of_reviews"]), nan=0), 0, None)

    titles = _text(kept["name"])
    fallback = _text(kept["property_type"]) + f" in {location}"
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
        self.counts: Counter = Counter()

    def reject(self, mask: np.ndarray | pd.Series, reason: str) -> None:
        hit = np.asarray(mask, dtype=bool) & ~self.bad
        count = int(hit.sum())
        if count:
            self.counts[reason] += count
            self.bad |= hit

    def reject_each(self, mask: np.ndarray | pd.Series, values: pd.Series, reason: str) -> Counter:
        """Reject `mask`, one reason per distinct value (`reason` formatted with it); their counts."""
        hit = np.asarray(mask, dtype=bool) & ~self.bad
        counts = Counter(values[hit].tolist())
        for value, count in counts.most_common():
            self.counts[reason.format(value)] += count
        self.bad |= hit
        return counts


def _text(values: pd.Series) -> pd.Series:
    return values.fillna("").astype(str).str.strip()


def _number(values: pd.Series) -> np.ndarray:
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)


def parse_price(values: pd.Series) -> np.ndarray:
    """"$1,234.00" -> 1234.0; empty or unreadable -> NaN (whatever the currency sign).

    Each distinct text is parsed once (a calendar repeats a few hundred prices
    over millions of nights).
    """
    codes, uniques = pd.factorize(pd.Series(values, copy=False), use_na_sentinel=True)
    cleaned = pd.Series(uniques, dtype="string").str.replace(r"[^0-9.\-]", "", regex=True)
    parsed = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return np.append(parsed, np.nan)[codes]  # code -1 (missing) picks the NaN at the end


def _by_unique(values: pd.Series, transform) -> pd.Series:
    """`transform` (a function of a Series) applied to the distinct values only."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    done = transform(pd.Series(uniques, dtype=object)).to_numpy(dtype=object)
    return pd.Series(done[codes], index=values.index)


def parse_bathrooms_text(values: pd.Series) -> np.ndarray:
    """"1.5 shared baths" -> 1.5, "Half-bath" -> 0.5, anything else -> NaN."""
    text = values.astype("string")
    number = pd.to_numeric(text.str.extract(r"(\d+(?:\.\d+)?)", expand=False), errors="coerce")
    half = text.str.contains(r"half", case=False, regex=True).fillna(False)
    number = number.where(number.notna() | ~half, 0.5)
    return number.to_numpy(dtype=float, na_value=np.nan)


def clean_description(values: pd.Series) -> pd.Series:
    """HTML tags removed, entities decoded, whitespace collapsed."""
    text = values.fillna("").astype(str).str.replace(r"<[^>]*>", " ", regex=True)
    has_entity = text.str.contains("&", regex=False)
    if has_entity.any():
        text = text.where(~has_entity, text[has_entity].map(html.unescape))
    return text.str.replace(r"\s+", " ", regex=True).str.strip()


def clean_neighbourhood(values: pd.Series) -> pd.Series:
    """"Ward D (councilmember Michael Yun)" -> "Ward D"; "THIRD WARD" -> "Third Ward"."""
    text = values.fillna("").astype(str).str.replace(r"\s*\([^()]*\)\s*$", "", regex=True)
    text = text.str.replace(r"\s+", " ", regex=True).str.strip()
    return text.map({value: tidy_case(value) for value in text.unique()})


def clean_picture_url(values: pd.Series) -> pd.Series:
    """The listing's photo when it is a plain https (or http) address; anything else is left out."""
    text = values.fillna("").astype(str).str.strip()
    return text.where(text.str.match(r"^https?://[^\s\"'<>]+$"), "")


def _first_match(values: Iterable[str], patterns: list[tuple[str, tuple[Any, ...]]]) -> dict[str, str | None]:
    """Each distinct raw value to the first id (in knowledge order) with a matching pattern."""
    mapping: dict[str, str | None] = {}
    for value in values:
        mapping[value] = next((key for key, regexes in patterns if value and any(p.search(value) for p in regexes)),
                              None)
    return mapping


class AmenityMatcher(dict):
    """Raw Inside Airbnb amenity string -> bit mask of canonical ids, matched once per distinct string.

    A dict whose missing keys are computed on first sight, so the per-row work
    is C-level lookups; bit k stands for `ids[k]` (sorted), so a row's mask
    turns into its sorted `;`-joined ids directly (and is cached too).
    """

    def __init__(self, knowledge: Knowledge) -> None:
        super().__init__()
        by_id = {a.id: a for a in knowledge.amenities.values() if a.airbnb}
        self.ids = sorted(by_id)
        # one alternation per amenity and side: a single search instead of one per pattern
        self.rules = [(1 << bit, _alternation(by_id[a].airbnb), _alternation(by_id[a].airbnb_exclude))
                      for bit, a in enumerate(self.ids)]
        self.joined: dict[int, str] = {0: ""}

    def __missing__(self, raw: Any) -> int:
        text = str(raw).strip()
        mask = 0
        for bit, include, exclude in self.rules:
            if include.search(text) and not (exclude is not None and exclude.search(text)):
                mask |= bit
        self[raw] = mask
        return mask

    def __call__(self, text: str) -> tuple[str, ...]:
        """The ids one raw string maps to."""
        return self.ids_of(self[text])

    def ids_of(self, mask: int) -> tuple[str, ...]:
        return tuple(amenity for bit, amenity in enumerate(self.ids) if mask >> bit & 1)

    def join(self, mask: int) -> str:
        joined = self.joined.get(mask)
        if joined is None:
            joined = self.joined[mask] = ";".join(self.ids_of(mask))
        return joined


def _alternation(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), re.IGNORECASE)


def parse_amenity_list(text: Any) -> list[str] | None:
    """The raw strings of one row: a JSON list, or the older "{a,"b c"}" form; None if unreadable."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return []
    text = str(text).strip()
    if not text:
        return []
    try:
        items = json.loads(text)
    except (ValueError, RecursionError):
        if text.startswith("{") and text.endswith("}"):  # the layout of scrapes before 2021
            try:
                row = next(csv.reader([text[1:-1]], skipinitialspace=True), [])
            except csv.Error:
                return None
            return [item.strip() for item in row if item.strip()]
        return None
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        return None
    return [item.strip() for item in items if item.strip()]


def map_amenities(values: pd.Series, knowledge: Knowledge, report: ImportReport, progress: bool = False) -> list[str]:
    """`;`-joined sorted canonical ids per row; fills the report's amenity counters.

    The per-row work stays in C where it can: json.loads, dict lookups of the
    (cached) masks through `map`, OR-ing them with `reduce`, Counter.update.
    """
    matcher = AmenityMatcher(knowledge)
    lookup = matcher.__getitem__
    joined = matcher.joined
    loads = json.loads
    occurrences: Counter = Counter()
    out: list[str] = []
    unreadable = 0
    rows = tqdm(values.to_numpy(), total=len(values), desc="amenities", unit=" rows", file=sys.stderr,
                disable=not progress, leave=False, mininterval=0.5)
    for text in rows:
        try:
            items = loads(text)
            if type(items) is not list:
                raise ValueError("not a list")
            mask = reduce(or_, map(lookup, items), 0)
        except (TypeError, ValueError, RecursionError):  # empty, NaN, the older {a,b} layout, or broken
            items = parse_amenity_list(text)
            if items is None:
                unreadable += 1
                out.append("")
                continue
            mask = reduce(or_, map(lookup, items), 0)
        occurrences.update(items)
        row = joined.get(mask)
        out.append(row if row is not None else matcher.join(mask))
    report.amenities_unreadable = unreadable
    if unreadable:
        report.notes.append(f"{AMENITIES_UNREADABLE}: {unreadable} row(s) kept with no amenities")
    report.amenity_occurrences = sum(occurrences.values())
    unmapped: Counter = Counter()
    for text, count in occurrences.items():
        if not matcher[text]:
            unmapped[str(text).strip()] += count
    report.unmapped_amenities = unmapped
    report.amenity_occurrences_mapped = report.amenity_occurrences - sum(report.unmapped_amenities.values())
    return out


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


# --- calendar ----------------------------------------------------------------------------------


def import_calendar(path: Path | str, catalog_frame: pd.DataFrame) -> CalendarImport:
    """Runs of nights (id, start, end exclusive, available, price) of the catalog's listings.

    Consecutive nights of one listing with the same availability and price are
    merged into one run; listings absent from `catalog_frame` are counted and
    dropped. The window is the first and last night of the whole file.
    Everything is vectorised: sort, compare neighbours, cumulate.
    """
    started = time.perf_counter()
    path = Path(path)
    header = _read_header(path, "Calendar")
    missing = [c for c in CALENDAR_COLUMNS_REQUIRED if c not in header]
    if missing:
        raise AirbnbImportError(
            f"{path} is not an Inside Airbnb calendar file: it lacks the column(s) {', '.join(missing)}"
        )
    raw = _read_csv(path, "Calendar", usecols=CALENDAR_COLUMNS_REQUIRED, dtype=str)
    result = calendar_runs(raw, catalog_frame["id"].astype(str))
    result.seconds = time.perf_counter() - started
    return result


def calendar_runs(raw: pd.DataFrame, catalog_ids: pd.Series) -> CalendarImport:
    """The run merging of `import_calendar` over an already read frame (all columns text)."""
    rows_read = len(raw)
    ids = _by_unique(raw["listing_id"], _text)
    day = pd.to_datetime(raw["date"], format="%Y-%m-%d", errors="coerce", cache=True)
    flags = {"t": True, "true": True, "f": False, "false": False}
    available = _by_unique(raw["available"], lambda v: _text(v).str.lower().map(flags))
    price = parse_price(raw["price"])
    readable = (day.notna() & available.notna() & (ids != "")).to_numpy()
    days = day.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)
    first = last = None
    if readable.any():
        first = str(np.datetime64(int(days[readable].min()), "D"))
        last = str(np.datetime64(int(days[readable].max()), "D"))
    known = ids.isin(set(catalog_ids)).to_numpy()
    unknown = readable & ~known
    use = readable & known

    codes, uniques = pd.factorize(ids[use], sort=False)
    d = days[use]
    free = available[use].to_numpy(dtype=bool)
    p = price[use]
    order = np.lexsort((d, codes))
    codes, d, free, p = codes[order], d[order], free[order], p[order]
    duplicate = np.zeros(len(d), dtype=bool)
    if len(d) > 1:
        duplicate[:-1] = (codes[1:] == codes[:-1]) & (d[1:] == d[:-1])  # keep the last of a repeated night
    if duplicate.any():
        codes, d, free, p = codes[~duplicate], d[~duplicate], free[~duplicate], p[~duplicate]

    price_key = np.where(np.isnan(p), -1.0, p)
    new = np.ones(len(d), dtype=bool)
    if len(d) > 1:
        new[1:] = ((codes[1:] != codes[:-1]) | (d[1:] != d[:-1] + 1)
                   | (free[1:] != free[:-1]) | (price_key[1:] != price_key[:-1]))
    starts = np.flatnonzero(new)
    ends = np.append(starts[1:], len(d)) - 1 if len(starts) else starts  # last night of each run
    runs = pd.DataFrame({
        "id": np.asarray(uniques, dtype=object)[codes[starts]],
        "start": np.datetime_as_string(d[starts].astype("datetime64[D]")),
        "end": np.datetime_as_string((d[ends] + 1).astype("datetime64[D]")),
        "available": np.where(free[starts], "true", "false"),
        "price": p[starts],
    })
    return CalendarImport(
        runs=runs,
        first=first,
        last=last,
        rows_read=rows_read,
        listings=len(uniques),
        unknown_listings=int(ids[unknown].nunique()),
        unknown_rows=int(unknown.sum()),
        bad_rows=int((~readable).sum()),
        duplicate_rows=int(duplicate.sum()),
    )


def write_calendar(calendar: CalendarImport, path: Path | str) -> Path:
    """`# window: FIRST LAST` then the runs as CSV (plain text, as the engine reads it)."""
    path = Path(path)
    if calendar.first is None or calendar.last is None:
        raise AirbnbImportError("the calendar has no readable night, so it has no window")
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(f"{WINDOW_PREFIX} {calendar.first} {calendar.last}\n")
        calendar.runs.to_csv(handle, index=False, lineterminator="\n")
    return path


def write_catalog(frame: pd.DataFrame, path: Path | str) -> Path:
    """The catalog CSV, gzip-compressed when the name ends in .gz."""
    path = Path(path)
    frame.to_csv(path, index=False, compression="gzip" if path.name.endswith(".gz") else None)
    return path


# --- the whole import -----------------------------------------------------------------------------


def import_airbnb(listings: Path | str, location: str, output: Path | str, knowledge: Knowledge,
                  currency: str | None = None, calendar: Path | str | None = None,
                  progress: bool = False, mode: str = "new") -> ImportReport:
    """Convert the listings (and calendar), write OUT and OUT's calendar file, report.

    `mode` says what happens to an existing OUT: "new" refuses to touch it,
    "replace" overwrites it (and removes a calendar that no longer belongs to
    it), "append" adds this city to it, replacing the city's earlier import.
    Nothing is written until everything has been read, so a failed import
    leaves OUT as it was.
    """
    started = time.perf_counter()
    output = Path(output)
    calendar_out = calendar_path_for(output)
    if mode not in ("new", "replace", "append"):
        raise ValueError(f"unknown import mode {mode!r}")
    if mode == "new" and output.exists():
        raise AirbnbImportError(f"{output} exists: add --append to add these listings to it, "
                                f"or --force to replace it")
    if calendar is not None:
        _require_file(Path(calendar), "Calendar")
    frame, report = convert_listings(listings, location, knowledge, currency, progress=progress)
    calendar_result = import_calendar(calendar, frame) if calendar is not None else None
    if mode == "append" and output.exists():
        frame, calendar_result = _appended(output, calendar_out, frame, calendar_result, report)
    write_catalog(frame, output)
    report.output = str(output)
    if calendar_result is not None:
        report.calendar = calendar_result
        report.calendar_output = str(write_calendar(calendar_result, calendar_out))
    elif calendar_out.exists():
        calendar_out.unlink()
        report.notes.append(f"removed {calendar_out}: it belonged to the catalog that was replaced")
    report.seconds = time.perf_counter() - started
    return report


def _appended(output: Path, calendar_out: Path, frame: pd.DataFrame, calendar: CalendarImport | None,
              report: ImportReport) -> tuple[pd.DataFrame, CalendarImport | None]:
    """The existing catalog with this city's new rows (an earlier import of the city is replaced)."""
    try:
        existing = pd.read_csv(output, dtype=str, keep_default_na=False)
    except _READ_ERRORS as exc:
        raise AirbnbImportError(f"cannot append to {output}: {(str(exc).splitlines() or [''])[0]}") from None
    missing = [c for c in CONTRACT_COLUMNS if c not in existing.columns]
    if missing:
        raise AirbnbImportError(f"cannot append to {output}: it is not a catalog (no column {', '.join(missing)})")
    replaced = existing["location"] == report.location
    if replaced.any():
        report.notes.append(f"replaced the {int(replaced.sum()):,} listings of {report.location} already in {output}")
    kept = existing.loc[~replaced]
    clash = frame["id"].isin(set(kept["id"]))
    if clash.any():
        raise AirbnbImportError(f"cannot append to {output}: {int(clash.sum()):,} listing ids are already there "
                                f"for another place (e.g. {frame['id'][clash].iloc[0]})")
    merged = pd.concat([kept, frame.astype(str).replace("nan", "")], ignore_index=True)[
        [c for c in OUTPUT_COLUMNS if c in kept.columns or c in frame.columns]]
    old_calendar = _read_runs(calendar_out) if calendar_out.exists() else None
    if old_calendar is None or calendar is None:
        if len(kept) and (old_calendar is not None or calendar is not None):
            raise AirbnbImportError(
                f"cannot append to {output}: one part has an availability calendar and the other has none; "
                f"import both cities with their calendars, or neither")
        return merged, calendar
    runs, first, last = old_calendar
    if (first, last) != (calendar.first, calendar.last):
        raise AirbnbImportError(
            f"cannot append to {output}: its calendar covers {first} to {last}, this one {calendar.first} to "
            f"{calendar.last}; both must cover the same nights")
    runs = runs[~runs["id"].isin(set(existing.loc[replaced, "id"]))]
    combined = CalendarImport(runs=pd.concat([runs, calendar.runs], ignore_index=True), first=first, last=last,
                              rows_read=calendar.rows_read, listings=calendar.listings,
                              unknown_listings=calendar.unknown_listings, unknown_rows=calendar.unknown_rows,
                              bad_rows=calendar.bad_rows, duplicate_rows=calendar.duplicate_rows)
    return merged, combined


def _read_runs(path: Path) -> tuple[pd.DataFrame, str, str]:
    first, last = read_window(path)
    runs = pd.read_csv(path, skiprows=1, dtype={"id": str, "start": str, "end": str, "available": str})
    return runs, first.isoformat(), last.isoformat()


# --- reading helpers --------------------------------------------------------------------------------


def _require_file(path: Path, what: str) -> None:
    if not path.exists():
        raise AirbnbImportError(f"{what} file not found: {path}")
    if path.is_dir():
        raise AirbnbImportError(f"{what} path is a directory, not a CSV file: {path}")


def _read_header(path: Path, what: str) -> list[str]:
    _require_file(path, what)
    header = _read_csv(path, what, nrows=0)
    return [str(c).strip() for c in header.columns]


def _read_csv(path: Path, what: str, **options: Any) -> pd.DataFrame:
    try:
        return pd.read_csv(path, low_memory=False, **options)
    except pd.errors.EmptyDataError:
        raise AirbnbImportError(f"{what} file {path} is empty") from None
    except _READ_ERRORS as exc:
        message = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise AirbnbImportError(f"{what} file {path} cannot be read as CSV: {message}") from None


__all__ = [
    "AirbnbImportError", "CalendarImport", "ImportReport", "OUTPUT_COLUMNS", "calendar_runs", "check_currency",
    "clean_description", "clean_neighbourhood", "clean_picture_url", "convert_frame", "convert_listings", "import_airbnb",
    "import_calendar", "map_amenities", "parse_amenity_list", "parse_bathrooms_text", "parse_price",
    "read_listings", "resolve_location", "write_calendar", "write_catalog",
]
