"""The whole import: listings and calendar read, checked and written beside each other (or appended)."""
from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from ..availability import calendar_path_for, read_window
from ..catalog_read import CONTRACT_COLUMNS
from ..knowledge import Knowledge
from .calendar_import import import_calendar, write_calendar
from .files import READ_ERRORS, AirbnbImportError, require_file
from .listings import OUTPUT_COLUMNS, convert_listings
from .report import CalendarImport, ImportReport


def write_catalog(frame: pd.DataFrame, path: Path | str) -> Path:
    """The catalog CSV, gzip-compressed when the name ends in .gz."""
    path = Path(path)
    frame.to_csv(path, index=False, compression="gzip" if path.name.endswith(".gz") else None)
    return path



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
        require_file(Path(calendar), "Calendar")
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
    except READ_ERRORS as exc:
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

