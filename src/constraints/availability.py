"""Which nights each property is free, and what its dated stays cost.

The calendar file lists runs of nights that differ from the default (free, at
the seasonal price). In memory it becomes a cumulative count of booked nights
per property, laid out night-major: "is every night of [a, b) free?" is then
`booked[b] - booked[a] == 0`, two contiguous row reads for the whole catalog,
whatever the length of the stay.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd

from .errors import CatalogError, InvalidValueError, RowIssue
from .knowledge import Knowledge
from .places import Places
from .pricing import night_factors
from .query import StayDates

WINDOW_PREFIX = "# window:"


class CalendarRows(Protocol):
    """What a calendar reads of the catalog it belongs to (a `Catalog` is one).

    A protocol, so this module needs no import of the catalog: the catalog is
    built first, the calendar is indexed against its rows, and the engine is
    handed both.
    """

    ids: npt.NDArray[np.object_]  # property id per row: the calendar's runs name them
    loc: npt.NDArray[np.int32]  # destination code per row: its seasons price the nights
    price: npt.NDArray[np.float64]  # nightly price per row: the default an explicit night price replaces
    places: Places


@dataclass
class Availability:
    """Booked-night counts and explicit night prices inside a window of dates."""

    first_night: date
    days: int
    booked_cum: npt.NDArray[np.uint16]  # (days + 1, properties), booked nights before each night
    override_rows: npt.NDArray[np.int64]  # sorted rows that have explicit prices
    override_cum: npt.NDArray[np.float64]  # (days + 1, len(override_rows)), extra cost vs the default price
    issues: list[RowIssue]
    properties_covered: int = 0  # catalog properties with at least one readable run

    @property
    def last_night(self) -> date:
        return self.first_night + timedelta(days=self.days - 1)

    def span(self, dates: StayDates) -> tuple[int, int]:
        """Night indices [a, b) of a stay; refuses stays outside the known window."""
        a = (dates.check_in - self.first_night).days
        b = (dates.check_out - self.first_night).days
        if a < 0 or b > self.days:
            raise InvalidValueError(
                f"Availability is only known for nights from {self.first_night:%d %b %Y} "
                f"to {self.last_night:%d %b %Y}."
            )
        return a, b

    def free(self, dates: StayDates, rows: slice | npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.bool_]:
        a, b = self.span(dates)
        free: npt.NDArray[np.bool_] = self.booked_cum[b, rows] == self.booked_cum[a, rows]
        return free

    def extra_cost(self, dates: StayDates, rows: slice | npt.NDArray[np.integer[Any]],
                   size: int) -> npt.NDArray[np.float64] | None:
        """Explicit-price corrections for `rows` (None when no row has any)."""
        if not self.override_rows.size:
            return None
        a, b = self.span(dates)
        delta = self.override_cum[b] - self.override_cum[a]
        positions = np.arange(*rows.indices(size)) if isinstance(rows, slice) else np.asarray(rows)
        where = np.searchsorted(self.override_rows, positions)
        where = np.minimum(where, len(self.override_rows) - 1)
        hit = self.override_rows[where] == positions
        extra = np.zeros(len(positions))
        extra[hit] = delta[where[hit]]
        return extra


def calendar_path_for(catalog: Path) -> Path:
    """`X.csv` (or `X.csv.gz`) keeps its calendar in `X.calendar.csv` beside it."""
    name = catalog.name
    for suffix in (".csv.gz", ".csv"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return catalog.with_name(f"{name}.calendar.csv")


def read_window(path: Path) -> tuple[date, date]:
    with open(path, encoding="utf-8") as handle:
        first = handle.readline().strip()
    if not first.startswith(WINDOW_PREFIX):
        raise CatalogError(f"Calendar {path}: the first line must be '{WINDOW_PREFIX} FIRST LAST'")
    try:
        start, end = (date.fromisoformat(part) for part in first[len(WINDOW_PREFIX):].split())
    except ValueError:
        raise CatalogError(f"Calendar {path}: cannot read the window from '{first}'") from None
    if end < start:
        raise CatalogError(f"Calendar {path}: the window ends before it starts")
    return start, end


def load_calendar_beside(catalog_path: Path | str, catalog: CalendarRows, knowledge: Knowledge) -> Availability | None:
    """The calendar kept beside a catalog file (`calendar_path_for`), or None when it has none."""
    path = calendar_path_for(Path(catalog_path))
    return load_availability(path, catalog, knowledge) if path.exists() else None


def load_availability(path: Path, catalog: CalendarRows, knowledge: Knowledge) -> Availability:
    """Read a calendar file of runs for `catalog`; bad rows are reported and skipped."""
    first, last = read_window(path)
    try:
        runs = pd.read_csv(path, comment="#", dtype={"id": str, "available": str}, keep_default_na=False,
                           na_values={"price": [""]})
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise CatalogError(f"Calendar {path} cannot be read as CSV: {str(exc).splitlines()[0]}") from None
    missing = {"id", "start", "end", "available"} - set(runs.columns)
    if missing:
        raise CatalogError(f"Calendar {path} lacks the column(s) {', '.join(sorted(missing))}")
    return build_availability(runs, first, last, catalog, knowledge, first_line=3)


def build_availability(runs: pd.DataFrame, first: date, last: date, catalog: CalendarRows, knowledge: Knowledge,
                       first_line: int = 2) -> Availability:
    """Index calendar runs (columns id, start, end, available[, price]) for fast stay checks.

    `first_line` is the file line of the first run, so issues can name it.
    """
    days = (last - first).days + 1
    issues: list[RowIssue] = []
    line = np.arange(len(runs)) + first_line
    positions = pd.Index(catalog.ids).get_indexer(pd.Index(runs["id"].astype(str)))
    rows = pd.Series(np.where(positions >= 0, positions, np.nan), index=runs.index)
    start = pd.to_datetime(runs["start"], format="%Y-%m-%d", errors="coerce")
    end = pd.to_datetime(runs["end"], format="%Y-%m-%d", errors="coerce")
    words = {"true": True, "false": False, "t": True, "f": False, "True": True, "False": False}
    available = runs["available"].astype(str).map(words)
    odd = available.isna()
    if odd.any():  # padding or capitals: only the odd cells pay for cleaning
        available[odd] = runs.loc[odd, "available"].astype(str).str.strip().str.lower().map(words)
    price = (pd.to_numeric(runs["price"], errors="coerce") if "price" in runs
             else pd.Series(np.nan, index=runs.index))
    problems = [
        (rows.isna(), "unknown property id"),
        (start.isna() | end.isna(), "dates must be YYYY-MM-DD"),
        (end <= start, "end must be after start"),
        (available.isna(), "available must be true or false"),
        (price < 0, "price must not be negative"),
    ]
    bad = np.zeros(len(runs), dtype=bool)
    for mask, message in problems:
        flagged = mask.fillna(False).to_numpy(dtype=bool)
        for k in np.flatnonzero(flagged & ~bad):
            run = runs.iloc[k]
            issues.append(RowIssue(int(line[k]), f"{message} (id {run['id']}, {run['start']} to {run['end']})",
                                   record_id=str(run["id"])))
        bad |= flagged
    good = ~bad
    origin = pd.Timestamp(first)
    a = np.clip(((start[good] - origin).dt.days).to_numpy(), 0, days)
    b = np.clip(((end[good] - origin).dt.days).to_numpy(), 0, days)
    row = rows[good].to_numpy(dtype=np.int64)
    is_free = available[good].to_numpy(dtype=bool)
    night_price = price[good].to_numpy(dtype=float)
    inside = b > a
    a, b, row, is_free, night_price = a[inside], b[inside], row[inside], is_free[inside], night_price[inside]

    booked_cum = _booked_cumulative(a[~is_free], b[~is_free], row[~is_free], days, len(catalog.ids))
    priced = ~np.isnan(night_price)
    override_rows, override_cum = _price_overrides(
        a[priced], b[priced], row[priced], night_price[priced], catalog, knowledge, first, days
    )
    return Availability(first, days, booked_cum, override_rows, override_cum, issues,
                        properties_covered=int(len(np.unique(row))))


def _booked_cumulative(a: npt.NDArray[np.int64], b: npt.NDArray[np.int64], row: npt.NDArray[np.int64], days: int,
                       size: int) -> npt.NDArray[np.uint16]:
    """Cumulative booked nights per property, overlapping runs counted once.

    Every booked night is expanded to a (night, property) index and set in
    one assignment; a fancy-indexed write, unlike `np.add.at`, runs at memory
    speed on the tens of millions of nights of a large calendar.
    """
    booked = np.zeros((days, size), dtype=bool)
    lengths = (b - a).astype(np.int64)
    if lengths.sum():
        nights = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths) + np.repeat(a, lengths)
        booked[nights, np.repeat(row, lengths)] = True
    cumulative = np.zeros((days + 1, size), dtype=np.uint16)
    np.cumsum(booked, axis=0, dtype=np.uint16, out=cumulative[1:])
    return cumulative


def _price_overrides(a: npt.NDArray[np.int64], b: npt.NDArray[np.int64], row: npt.NDArray[np.int64],
                     price: npt.NDArray[np.float64], catalog: CalendarRows, knowledge: Knowledge, first: date,
                     days: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Cumulative (explicit - default) night prices for the rows that set any."""
    override_rows = np.unique(row)
    if not override_rows.size:
        return override_rows, np.zeros((days + 1, 0))
    column = np.searchsorted(override_rows, row)
    lengths = b - a
    nights = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths) + np.repeat(a, lengths)
    columns = np.repeat(column, lengths)
    explicit = np.full((days, len(override_rows)), np.nan)
    explicit[nights, columns] = np.repeat(price, lengths)
    factors = night_factors(catalog.places, knowledge.settings["pricing"], first, days)
    default = (factors[catalog.loc[override_rows]] * catalog.price[override_rows][:, None]).T
    delta = np.where(np.isnan(explicit), 0.0, explicit - default)
    cumulative = np.zeros((days + 1, len(override_rows)))
    np.cumsum(delta, axis=0, out=cumulative[1:])
    return override_rows, cumulative
