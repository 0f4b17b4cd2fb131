"""The catalog in memory: one typed numpy column per attribute, sorted by place.

Rows are sorted by destination so that a search in one place works on a
contiguous slice of every column (a view, no copy), and every text value that
queries compare (place, type, room, amenities) is stored as small integer codes
or boolean columns. Everything a query reuses is computed here, once.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from .catalog_read import (
    NO_MAXIMUM_NIGHTS,
    RowChecker,
    read_catalog_frame,
    split_amenities,
)
from .errors import CatalogError, RowIssue, UnknownValueError
from .knowledge import Knowledge
from .money import Currencies, is_currency_code
from .normalise import Vocabulary
from .places import Places, derive_destinations


@dataclass
class Catalog:
    """Typed columns of the valid rows, plus what was wrong with the others."""

    source: str
    frame: pd.DataFrame
    places: Places
    issues: list[RowIssue]
    base_currency: str
    ids: npt.NDArray[np.object_]
    row_of: dict[str, int]
    loc: npt.NDArray[np.int32]
    loc_slices: list[slice]
    lat: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    type_ids: list[str]
    ptype: npt.NDArray[np.int16]
    room_ids: list[str]
    room: npt.NDArray[np.int8]
    accommodates: npt.NDArray[np.int32]
    bedrooms: npt.NDArray[np.int32]
    beds: npt.NDArray[np.int32]
    bathrooms: npt.NDArray[np.float32]
    price: npt.NDArray[np.float64]  # in the row's own currency
    price_base: npt.NDArray[np.float64]  # in engine.yml's base currency: for comparisons across destinations
    rate: npt.NDArray[np.float64]  # value of one unit of the row's currency in the base currency
    currencies: Currencies
    currency_ids: list[str]
    cur: npt.NDArray[np.int16]  # per row: index into currency_ids
    dest_currency: list[str]  # per destination code: the currency its prices (and budgets) are in
    min_nights: npt.NDArray[np.int32]
    max_nights: npt.NDArray[np.int32]
    amenity_ids: list[str]
    amenity_index: dict[str, int]
    amen: npt.NDArray[np.bool_]
    rating: npt.NDArray[np.float64]
    reviews: npt.NDArray[np.int32]
    rated: npt.NDArray[np.bool_]
    rating_score: npt.NDArray[np.float64]
    typical_price: npt.NDArray[np.float64]  # per destination code: median nightly price in base currency
    text: dict[str, npt.NDArray[np.object_]] = field(default_factory=dict)  # display columns as arrays: fast to index
    # currency -> every price in it
    _prices: dict[str, npt.NDArray[np.float64]] = field(default_factory=dict, repr=False)
    _local_prices: npt.NDArray[np.float64] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not self.text:
            self.text = {column: self.frame[column].to_numpy(dtype=object)
                         for column in ("title", "description", "location", "neighbourhood", "currency",
                                        "picture_url")}

    @property
    def size(self) -> int:
        return len(self.ids)

    @property
    def skipped(self) -> list[RowIssue]:
        return [issue for issue in self.issues if issue.skipped]

    def row(self, property_id: str) -> int:
        try:
            return self.row_of[property_id]
        except KeyError:
            lost = next((issue for issue in self.skipped if issue.record_id == property_id), None)
            if lost is not None:
                raise CatalogError(f"Property '{property_id}' is in {self.source} but its row could not be read "
                                   f"({lost}); `stays check` lists every such row") from None
            raise CatalogError(f"No property with id '{property_id}' in {self.source}") from None

    def record(self, row: int) -> dict[str, Any]:
        """Everything known about one property, for display."""
        text = self.text
        rating = self.rating[row]
        return {
            "id": str(self.ids[row]),
            "title": text["title"][row],
            "description": text["description"][row],
            "location": text["location"][row],
            "neighbourhood": text["neighbourhood"][row],
            "latitude": float(self.lat[row]),
            "longitude": float(self.lon[row]),
            "property_type": self.type_ids[self.ptype[row]],
            "room_type": self.room_ids[self.room[row]],
            "accommodates": int(self.accommodates[row]),
            "bedrooms": int(self.bedrooms[row]),
            "beds": int(self.beds[row]),
            "bathrooms": float(self.bathrooms[row]),
            "price_per_night": float(self.price[row]),
            "currency": text["currency"][row],
            "min_nights": int(self.min_nights[row]),
            "max_nights": int(self.max_nights[row]) if self.max_nights[row] < NO_MAXIMUM_NIGHTS else None,
            "amenities": [a for a, has in zip(self.amenity_ids, self.amen[:, row], strict=True) if has],
            "rating": None if np.isnan(rating) else float(rating),
            "review_count": int(self.reviews[row]),
            "picture_url": text["picture_url"][row] or None,
        }

    def rows_in(self, location_code: int) -> slice:
        return self.loc_slices[location_code]

    def currency_of(self, location: str | None) -> str:
        """The currency a budget for `location` is in: its listings' (the base one for no place)."""
        code = self.places.code_of.get(location) if location else None
        return self.base_currency if code is None else self.dest_currency[code]

    def price_in(self, currency: str) -> npt.NDArray[np.float64]:
        """Every nightly price in `currency`, computed once per currency.

        A row already in that currency keeps its own price untouched, so a
        budget in the listings' currency compares exactly, with no rounding
        through the base currency; only other rows are converted.
        """
        prices = self._prices.get(currency)
        if prices is None:
            prices = self.in_currency(self.price, slice(0, self.size), currency)
            self._prices[currency] = prices
        return prices

    def local_price(self) -> npt.NDArray[np.float64]:
        """Every nightly price in its own destination's currency: what 'under 100' means in each place."""
        if self._local_prices is None:
            prices = self.price.copy()
            for code, currency in enumerate(self.dest_currency):
                rows = self.loc_slices[code]
                prices[rows] = self.price_in(currency)[rows]
            self._local_prices = prices
        return self._local_prices

    def in_currency(self, amounts: npt.NDArray[np.float64], rows: slice | npt.NDArray[np.intp],
                    currency: str) -> npt.NDArray[np.float64]:
        """Amounts given in each row's own currency, in `currency`."""
        if currency not in self.currencies.rates:
            raise KeyError(currency)
        if currency not in self.currency_ids:
            return amounts * self.rate[rows] / self.currencies.rates[currency]
        same = self.cur[rows] == self.currency_ids.index(currency)
        if same.all():
            return amounts
        return np.where(same, amounts, amounts * self.rate[rows] / self.currencies.rates[currency])


def load_catalog(path: Path | str, knowledge: Knowledge) -> Catalog:
    """Read, validate and index a catalog CSV (its calendar: `availability.load_calendar_beside`)."""
    path = Path(path)
    frame, read_issues, damaged = read_catalog_frame(path)
    return build_catalog(frame, knowledge, source=str(path), path=path, read_issues=read_issues, damaged=damaged)


def build_catalog(frame: pd.DataFrame, knowledge: Knowledge, *, source: str = "<frame>",
                  path: Path | None = None, read_issues: Iterable[RowIssue] = (),
                  damaged: Mapping[int, str] | None = None) -> Catalog:
    """Validate a parsed catalog frame and index its valid rows; `damaged` rows are skipped first."""
    frame = frame.reset_index(drop=True)
    check = RowChecker(frame)
    if damaged:
        broken = np.zeros(len(frame), dtype=bool)
        broken[np.fromiter(damaged, dtype=np.int64)] = True
        check.reject(broken, lambda r: damaged[r])
    ids = check.text("id", required=True)
    check.reject((ids.duplicated() & (ids != "")).to_numpy(), lambda r: f"duplicate id '{ids.iloc[r]}'")
    titles = check.text("title", required=True)
    locations = _canonical_locations(check.text("location", required=True), knowledge)
    lat = check.numeric("latitude", required=True, low=-90, high=90)
    lon = check.numeric("longitude", required=True, low=-180, high=180)
    type_vocabulary = Vocabulary("property_type", {t.id: t.synonyms for t in knowledge.property_types.values()},
                                 {t.id: t.label for t in knowledge.property_types.values()})
    room_vocabulary = Vocabulary("room_type", {r.id: r.synonyms for r in knowledge.room_types.values()},
                                 {r.id: r.label for r in knowledge.room_types.values()})
    types = check.vocabulary(check.text("property_type", required=True), type_vocabulary, "property_type")
    rooms = check.vocabulary(check.text("room_type"), room_vocabulary, "room_type",
                             default=next(iter(knowledge.room_types)))
    accommodates = check.numeric("accommodates", required=True, low=1, high=100, integer=True)
    bedrooms = check.numeric("bedrooms", required=False, default=0, low=0, high=100, integer=True)
    beds = check.numeric("beds", required=False, default=0, low=0, high=200, integer=True)
    bathrooms = check.numeric("bathrooms", required=False, default=0, low=0, high=100)
    price = check.numeric("price_per_night", required=True, low=0.01, high=1_000_000)
    rates = knowledge.settings["currency"]["rates"]
    base = knowledge.settings["currency"]["base"]
    currency = check.text("currency").str.upper().replace("", base)
    check.reject(~currency.isin(rates.keys()).to_numpy(), lambda r: _unknown_currency(currency.iloc[r]))
    min_nights = check.numeric("min_nights", required=False, default=1, low=1, high=10_000, integer=True)
    max_nights = check.numeric("max_nights", required=False, default=NO_MAXIMUM_NIGHTS, low=1, integer=True)
    check.reject(max_nights < min_nights,
                 lambda r: f"max_nights {max_nights[r]:g} is below min_nights {min_nights[r]:g}")
    rating = check.numeric("rating", required=False, low=0, high=5)
    reviews = check.numeric("review_count", required=False, default=0, low=0, integer=True)
    amenity_ids, amen = split_amenities(check.text("amenities"), knowledge, check)

    keep = ~check.bad
    issues = check.issues(path, read_issues)
    if not keep.any():
        raise CatalogError(f"Catalog {source} has no valid properties: " + "; ".join(str(i) for i in issues[:3]))

    clean = pd.DataFrame({
        "id": ids[keep].to_numpy(),
        "title": titles[keep].to_numpy(),
        "description": check.text("description", strip=False)[keep].to_numpy(),
        "location": locations[keep].to_numpy(),
        "neighbourhood": check.text("neighbourhood")[keep].to_numpy(),
        "latitude": lat[keep],
        "longitude": lon[keep],
        "currency": currency[keep].to_numpy(),
        "picture_url": check.text("picture_url")[keep].to_numpy(),
    })
    nearby_km = float(knowledge.setting("relaxation", "nearby_km"))
    places = Places.build([*knowledge.destinations.values(), *derive_destinations(clean, knowledge, nearby_km)])
    loc = clean["location"].map(places.code_of).to_numpy(dtype=np.int32)
    order = np.argsort(loc, kind="stable")
    kept = np.flatnonzero(keep)[order]
    clean = clean.iloc[order].reset_index(drop=True)
    loc = loc[order]

    type_ids = list(knowledge.property_types)
    room_ids = list(knowledge.room_types)
    rate = currency.map(rates).to_numpy(dtype=float)[kept]
    rating_k, reviews_k = rating[kept], reviews[kept].astype(np.int32)
    min_reviews = int(knowledge.setting("rating", "min_reviews"))
    rated = (reviews_k >= min_reviews) & ~np.isnan(rating_k)
    price_base = price[kept] * rate
    boundaries = np.searchsorted(loc, np.arange(len(places.destinations) + 1))
    ptype = _codes(types.to_numpy()[kept], type_ids)
    room = _codes(rooms.to_numpy()[kept], room_ids)
    clean["property_type"] = [type_ids[i] for i in ptype]
    clean["room_type"] = [room_ids[i] for i in room]
    ids_kept = clean["id"].to_numpy(dtype=object)
    currency_ids = sorted(set(clean["currency"]))
    cur = _codes(clean["currency"].to_numpy(), currency_ids).astype(np.int16)
    dest_currency = _destination_currencies(places, cur, currency_ids, boundaries, base)
    return Catalog(
        source=source,
        frame=clean,
        places=places,
        issues=issues,
        base_currency=base,
        ids=ids_kept,
        row_of={pid: i for i, pid in enumerate(ids_kept)},
        loc=loc,
        loc_slices=[slice(int(boundaries[i]), int(boundaries[i + 1])) for i in range(len(places.destinations))],
        lat=lat[kept],
        lon=lon[kept],
        type_ids=type_ids,
        ptype=ptype.astype(np.int16),
        room_ids=room_ids,
        room=room.astype(np.int8),
        accommodates=accommodates[kept].astype(np.int32),
        bedrooms=bedrooms[kept].astype(np.int32),
        beds=beds[kept].astype(np.int32),
        bathrooms=bathrooms[kept].astype(np.float32),
        price=price[kept],
        price_base=price_base,
        rate=rate,
        currencies=knowledge.currencies,
        currency_ids=currency_ids,
        cur=cur,
        dest_currency=dest_currency,
        min_nights=min_nights[kept].astype(np.int32),
        max_nights=max_nights[kept].astype(np.int32),
        amenity_ids=amenity_ids,
        amenity_index={a: i for i, a in enumerate(amenity_ids)},
        amen=np.ascontiguousarray(amen[:, kept]),
        rating=rating_k,
        reviews=reviews_k,
        rated=rated,
        rating_score=_shrunk_rating(rating_k, reviews_k, rated, float(knowledge.setting("rating", "prior_reviews"))),
        typical_price=_typical_price(price_base, boundaries),
    )


def _canonical_locations(raw: pd.Series, knowledge: Knowledge) -> pd.Series:
    """Known places by their canonical name; unknown ones kept as catalog-only places."""
    vocabulary = Vocabulary("location", {d.name: d.aliases for d in knowledge.destinations.values()},
                            {d.name: d.name for d in knowledge.destinations.values()})
    mapping = {}
    for value in raw.unique():
        try:
            mapping[value] = vocabulary.resolve(value).value if value else value
        except UnknownValueError:
            mapping[value] = value
    return raw.map(mapping)


def _unknown_currency(code: str) -> str:
    if is_currency_code(code):
        return f"currency '{code}' has no exchange rate in engine.yml (currency: rates)"
    return f"unknown currency '{code}' (not an ISO 4217 code)"


def _destination_currencies(places: Places, cur: npt.NDArray[np.int16], currency_ids: list[str],
                            boundaries: npt.NDArray[np.intp], base: str) -> list[str]:
    """Each destination's currency: as locations.yml says, else the one most of its listings use."""
    found = []
    for code, destination in enumerate(places.destinations):
        part = cur[boundaries[code]:boundaries[code + 1]]
        if destination.currency:
            found.append(destination.currency)
        elif len(part):
            found.append(currency_ids[int(np.bincount(part).argmax())])
        else:
            found.append(base)
    return found


def _codes(values: npt.NDArray[Any], vocabulary: list[str]) -> npt.NDArray[np.int32]:
    index = {v: i for i, v in enumerate(vocabulary)}
    return np.fromiter((index.get(v, 0) for v in values), dtype=np.int32, count=len(values))


def _shrunk_rating(rating: npt.NDArray[np.float64], reviews: npt.NDArray[np.int32], rated: npt.NDArray[np.bool_],
                   prior: float) -> npt.NDArray[np.float64]:
    """Bayesian average: a 5.0 from two reviews should not beat a 4.9 from 300."""
    mean = float(np.nanmean(rating[rated])) if rated.any() else 4.5
    known = np.where(rated, rating, mean)
    weight = np.where(rated, reviews, 0).astype(np.float64)
    shrunk: npt.NDArray[np.float64] = (weight * known + prior * mean) / (weight + prior)
    return shrunk


def _typical_price(price_base: npt.NDArray[np.float64], boundaries: npt.NDArray[np.intp]) -> npt.NDArray[np.float64]:
    typical = np.full(len(boundaries) - 1, np.nan)
    for code in range(len(boundaries) - 1):
        part = price_base[boundaries[code]:boundaries[code + 1]]
        if len(part):
            typical[code] = float(np.median(part))
    overall = float(np.median(price_base))
    return np.where(np.isnan(typical), overall, typical)
