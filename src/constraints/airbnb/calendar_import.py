"""Inside Airbnb calendars (one row per listing and night) to the engine's runs of nights."""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd

from ..availability import WINDOW_PREFIX
from .cells import as_text, by_unique, parse_price
from .files import AirbnbImportError, read_csv, require_columns
from .report import CalendarImport

CALENDAR_COLUMNS_REQUIRED = ["listing_id", "date", "available", "price"]


def import_calendar(path: Path | str, catalog_frame: pd.DataFrame) -> CalendarImport:
    """Runs of nights (id, start, end exclusive, available, price) of the catalog's listings.

    Consecutive nights of one listing with the same availability and price are
    merged into one run; listings absent from `catalog_frame` are counted and
    dropped. The window is the first and last night of the whole file.
    Everything is vectorised: sort, compare neighbours, cumulate.
    """
    started = time.perf_counter()
    path = Path(path)
    require_columns(path, "Calendar", CALENDAR_COLUMNS_REQUIRED)
    raw = read_csv(path, "Calendar", usecols=CALENDAR_COLUMNS_REQUIRED, dtype=str)
    result = calendar_runs(raw, catalog_frame["id"].astype(str))
    result.seconds = time.perf_counter() - started
    return result


def calendar_runs(raw: pd.DataFrame, catalog_ids: pd.Series) -> CalendarImport:
    """The run merging of `import_calendar` over an already read frame (all columns text)."""
    rows_read = len(raw)
    ids = by_unique(raw["listing_id"], as_text)
    day = pd.to_datetime(raw["date"], format="%Y-%m-%d", errors="coerce", cache=True)
    flags = {"t": True, "true": True, "f": False, "false": False}
    available = by_unique(raw["available"], lambda v: as_text(v).str.lower().map(flags))
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

