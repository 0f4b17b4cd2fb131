"""Synthetic booking calendars for a generated catalog.

Date-aware search only means something if some nights are taken, and taken the
way real calendars are: popular, well-reviewed places fill up first, high
season and weekends are busier, stays are a few nights long and never shorter
than the host's minimum. Hosts also re-price a few nights (New Year's Eve) or
discount a quiet stretch.

Each property is a two-state process simulated day by day over the whole
catalog at once: while free, a stay starts with a daily probability chosen so
that the long-run share of booked nights matches the property's target
occupancy; the stay then blocks its nights. Only the result is written:
merged runs of booked nights and runs of re-priced free nights.
"""
from __future__ import annotations

import argparse
import gzip
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import numpy.typing as npt
import pandas as pd

from .generate_catalog import DEFAULT_KNOWLEDGE, Bools, Floats, read_yaml

Days = npt.NDArray[np.int64]  # day indices into the window, or night counts

LOW_SEASON_OCCUPANCY = 0.44
HIGH_SEASON_OCCUPANCY = 0.70
MAX_OCCUPANCY = 0.92
# check-in likelihood by weekday (Monday first): Thursday-Saturday arrivals fill weekends
CHECK_IN_BY_WEEKDAY = np.array([0.75, 0.7, 0.8, 1.15, 1.9, 1.2, 0.65])
# stay length in nights, 1..14; most stays are 2-5 nights
STAY_LENGTH = np.array([0.07, 0.2, 0.2, 0.15, 0.1, 0.06, 0.08, 0.03, 0.02, 0.02, 0.02, 0.015, 0.01, 0.025])
STAY_LENGTH = STAY_LENGTH / STAY_LENGTH.sum()
MONTHLY = 28                     # hosts asking this many nights take month-long stays
FRIDAY_WEEKEND_BREAK = 0.45      # share of Friday arrivals that stay exactly two nights
NEW_YEAR_PREMIUM = 1.5
NEW_YEAR_SHARE = 0.35            # hosts who charge it
DISCOUNT = 0.85
DISCOUNT_SHARE = 0.04            # hosts who discount a quiet low-season fortnight
DISCOUNT_NIGHTS = 14


def _expected_length(min_nights: Days) -> Floats:
    """Mean stay once the host's minimum is applied, per property."""
    lengths = np.arange(1, len(STAY_LENGTH) + 1)
    unique, inverse = np.unique(min_nights, return_inverse=True)
    means = np.array([(np.maximum(lengths, m) * STAY_LENGTH).sum() for m in unique])
    expected: Floats = np.where(unique >= MONTHLY, unique + 14.5, means)[inverse]
    return expected


def _popularity(catalog: pd.DataFrame, rng: np.random.Generator) -> Floats:
    """Relative demand: more reviews and a better rating mean a busier calendar."""
    reviews = np.log1p(catalog["review_count"].fillna(0).to_numpy(float))
    spread = reviews.std() or 1.0
    rating = catalog["rating"].fillna(4.4).to_numpy(float)
    score = np.exp(0.2 * (reviews - reviews.mean()) / spread + 0.5 * (rating - 4.7)
                   + rng.normal(0, 0.2, len(catalog)))
    popularity: Floats = np.clip(score / score.mean(), 0.3, 1.6)
    return popularity


def _high_season(knowledge_dir: Path, locations: pd.Series, days: pd.DatetimeIndex) -> Bools:
    """Days x properties: is the night in the property's destination's high season?"""
    seasons = {d["name"]: set(d.get("high_season") or [])
               for d in read_yaml(knowledge_dir, "locations.yml")["destinations"]}
    names, inverse = np.unique(locations.to_numpy(str), return_inverse=True)
    by_place = np.array([[m in seasons.get(name, set()) for m in days.month] for name in names])
    return by_place.T[:, inverse]


def _pricing(knowledge_dir: Path) -> tuple[float, float]:
    pricing = (read_yaml(knowledge_dir, "engine.yml") or {}).get("pricing") or {}
    return float(pricing.get("high_season", 1.0)), float(pricing.get("weekend", 1.0))


def _stay_lengths(count: int, friday: bool, min_nights: Days, max_nights: Days,
                  rng: np.random.Generator) -> Days:
    length = rng.choice(np.arange(1, len(STAY_LENGTH) + 1), size=count, p=STAY_LENGTH)
    if friday:
        length = np.where(rng.random(count) < FRIDAY_WEEKEND_BREAK, 2, length)
    monthly = min_nights >= MONTHLY
    length = np.where(monthly, min_nights + rng.integers(0, 30, count), np.maximum(length, min_nights))
    capped: Days = np.minimum(length, np.maximum(max_nights, min_nights))
    return capped


def _simulate(high: Bools, weekday: npt.NDArray[np.integer[Any]], popularity: Floats, min_nights: Days,
              max_nights: Days, rng: np.random.Generator) -> tuple[Days, Days, Days, Bools]:
    """Bookings as (property, first night, end) day indices, and the days x properties busy matrix."""
    n_days, n = high.shape
    expected = _expected_length(min_nights)
    busy_until = np.zeros(n, dtype=np.int64)
    busy = np.zeros((n_days, n), dtype=bool)
    props: list[Days] = []
    starts: list[Days] = []
    ends: list[Days] = []

    def occupancy(day: int) -> Floats:
        base = np.where(high[day], HIGH_SEASON_OCCUPANCY, LOW_SEASON_OCCUPANCY)
        share: Floats = np.clip(base * popularity, 0.02, MAX_OCCUPANCY)
        return share

    # a stay already under way when the window opens
    first = occupancy(0)
    ongoing = np.flatnonzero(rng.random(n) < first * 0.85)
    if len(ongoing):
        length = _stay_lengths(len(ongoing), False, min_nights[ongoing], max_nights[ongoing], rng)
        left = np.minimum(1 + (rng.random(len(ongoing)) * length).astype(np.int64), n_days)
        props.append(ongoing)
        starts.append(np.zeros(len(ongoing), dtype=np.int64))
        ends.append(left)
        busy_until[ongoing] = left

    for day in range(n_days):
        occ = occupancy(day)
        rate = occ / (1 - occ) / expected * CHECK_IN_BY_WEEKDAY[weekday[day]]
        arriving = np.flatnonzero((busy_until <= day) & (rng.random(n) < rate))
        if len(arriving):
            length = _stay_lengths(len(arriving), weekday[day] == 4, min_nights[arriving], max_nights[arriving], rng)
            end = np.minimum(day + length, n_days)
            props.append(arriving)
            starts.append(np.full(len(arriving), day, dtype=np.int64))
            ends.append(end)
            busy_until[arriving] = end
        busy[day] = busy_until > day
    if not props:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, busy
    return np.concatenate(props), np.concatenate(starts), np.concatenate(ends), busy


def _merge(props: Days, starts: Days, ends: Days) -> tuple[Days, Days, Days]:
    """Back-to-back stays of one property become one run."""
    order = np.lexsort((starts, props))
    props, starts, ends = props[order], starts[order], ends[order]
    new_run = np.ones(len(props), dtype=bool)
    new_run[1:] = (props[1:] != props[:-1]) | (starts[1:] != ends[:-1])
    first = np.flatnonzero(new_run)
    last = np.append(first[1:], len(props)) - 1
    return props[first], starts[first], ends[last]


def _overrides(catalog: pd.DataFrame, high: Bools, busy: Bools, days: pd.DatetimeIndex,
               season_factor: float, weekend_factor: float, rng: np.random.Generator
               ) -> tuple[Days, Days, Days, Floats]:
    """Host re-pricing of free nights: New Year's Eve premiums and quiet-fortnight discounts."""
    n_days, n = busy.shape
    price = catalog["price_per_night"].to_numpy(float)
    props: list[Days] = []
    starts: list[Days] = []
    ends: list[Days] = []
    prices: list[Floats] = []

    for day in np.flatnonzero((days.month == 12) & (days.day == 31)):
        factor = np.where(high[day], season_factor, 1.0) * (weekend_factor if days[day].weekday() in (4, 5) else 1.0)
        chosen = np.flatnonzero(~busy[day] & (rng.random(n) < NEW_YEAR_SHARE))
        props.append(chosen)
        starts.append(np.full(len(chosen), day))
        ends.append(np.full(len(chosen), day + 1))
        prices.append(np.round(price[chosen] * factor[chosen] * NEW_YEAR_PREMIUM))

    if n_days > DISCOUNT_NIGHTS:
        candidates = np.flatnonzero(rng.random(n) < DISCOUNT_SHARE)
        first = rng.integers(0, n_days - DISCOUNT_NIGHTS, len(candidates))
        span = first[:, None] + np.arange(DISCOUNT_NIGHTS)[None, :]
        quiet = ~(busy[span, candidates[:, None]] | high[span, candidates[:, None]]).any(axis=1)
        props.append(candidates[quiet])
        starts.append(first[quiet])
        ends.append(first[quiet] + DISCOUNT_NIGHTS)
        prices.append(np.round(price[candidates[quiet]] * DISCOUNT))
    if not props:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, np.zeros(0)
    return np.concatenate(props), np.concatenate(starts), np.concatenate(ends), np.concatenate(prices)


def generate_calendar(knowledge_dir: Path, catalog: pd.DataFrame, start: date, end: date, seed: int) -> pd.DataFrame:
    """Runs of booked and re-priced nights from `start` to `end` (the last night, included)."""
    if end < start:
        raise ValueError("the calendar window ends before it starts")
    knowledge_dir = Path(knowledge_dir)
    rng = np.random.default_rng(seed)
    days = pd.date_range(start, end, freq="D")
    high = _high_season(knowledge_dir, catalog["location"], days)
    min_nights = catalog["min_nights"].fillna(1).to_numpy(np.int64).clip(1)
    if "max_nights" in catalog:
        max_nights = catalog["max_nights"].fillna(1125).to_numpy(np.int64)
    else:
        max_nights = np.full(len(catalog), 1125, dtype=np.int64)

    props, starts, ends, busy = _simulate(high, days.weekday.to_numpy(), _popularity(catalog, rng),
                                          min_nights, max_nights, rng)
    props, starts, ends = _merge(props, starts, ends)
    season_factor, weekend_factor = _pricing(knowledge_dir)
    o_props, o_starts, o_ends, o_prices = _overrides(catalog, high, busy, days, season_factor, weekend_factor, rng)

    ids = catalog["id"].to_numpy(object)
    one_day = np.timedelta64(1, "D")
    origin = np.datetime64(start, "D")
    frame = pd.DataFrame({
        "id": np.concatenate([ids[props], ids[o_props]]),
        "start": np.concatenate([origin + starts * one_day, origin + o_starts * one_day]),
        "end": np.concatenate([origin + ends * one_day, origin + o_ends * one_day]),
        "available": np.concatenate([np.zeros(len(props), bool), np.ones(len(o_props), bool)]),
        "price": np.concatenate([np.full(len(props), np.nan), o_prices]),
    })
    frame = frame.sort_values(["id", "start"], kind="stable").reset_index(drop=True)
    frame["start"] = frame["start"].dt.date
    frame["end"] = frame["end"].dt.date
    return frame


def _write(frame: pd.DataFrame, handle: TextIO, start: date, end: date) -> None:
    handle.write(f"# window: {start.isoformat()} {end.isoformat()}\n")
    out = frame.assign(available=np.where(frame["available"], "true", "false"))
    out.to_csv(handle, index=False, lineterminator="\n")


def write_calendar(frame: pd.DataFrame, path: Path, start: date, end: date) -> None:
    """CSV with the `# window: START END` header (END is the last night); gzip by suffix."""
    path = Path(path)
    if path.suffix == ".gz":
        with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
            _write(frame, handle, start, end)
    else:
        with path.open("w", encoding="utf-8", newline="") as handle:
            _write(frame, handle, start, end)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate booking calendars for a catalog.")
    parser.add_argument("--catalog", type=Path, required=True, help="catalog CSV")
    parser.add_argument("--start", type=date.fromisoformat, required=True, help="first night, YYYY-MM-DD")
    parser.add_argument("--end", type=date.fromisoformat, required=True, help="last night, YYYY-MM-DD")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--knowledge", type=Path, default=DEFAULT_KNOWLEDGE, help="knowledge directory")
    parser.add_argument("-o", "--output", type=Path, required=True, help="CSV file (.csv or .csv.gz)")
    args = parser.parse_args(argv)
    catalog = pd.read_csv(args.catalog)
    frame = generate_calendar(args.knowledge, catalog, args.start, args.end, args.seed)
    write_calendar(frame, args.output, args.start, args.end)
    booked = frame[~frame["available"]]
    nights = (pd.to_datetime(booked["end"]) - pd.to_datetime(booked["start"])).dt.days.sum()
    window = (args.end - args.start).days + 1
    print(f"wrote {len(frame)} runs to {args.output}; {nights / (window * len(catalog)):.0%} of nights booked",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
