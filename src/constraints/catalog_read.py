"""Reading a catalog CSV into clean, typed columns, reporting every bad row.

A bad row never stops the load: it is reported with its line and reason, and
skipped. A file that cannot be used at all (missing, unreadable, no rows, no
required columns) raises CatalogError with one clear sentence.
"""
from __future__ import annotations

import csv
import gzip
import re
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from .errors import CatalogError, RowIssue, UnknownValueError
from .knowledge import Knowledge
from .normalise import Vocabulary

CONTRACT_COLUMNS = [
    "id", "title", "description", "location", "neighbourhood", "latitude", "longitude",
    "property_type", "room_type", "accommodates", "bedrooms", "beds", "bathrooms",
    "price_per_night", "currency", "min_nights", "amenities", "rating", "review_count",
]
REQUIRED_COLUMNS = ["id", "title", "location", "latitude", "longitude", "property_type",
                    "accommodates", "price_per_night"]
TEXT_COLUMNS = ["id", "title", "description", "location", "neighbourhood", "property_type",
                "room_type", "currency", "amenities", "picture_url"]
NO_MAXIMUM_NIGHTS = 100_000
_BAD_LINE = re.compile(r"Skipping line (\d+): (.*)")


def read_catalog_frame(path: Path | str) -> tuple[pd.DataFrame, list[RowIssue], dict[int, str]]:
    """Parse the CSV: (frame, read issues, damaged rows).

    Rows with too many fields are reported and left out. Rows that are in the
    frame but damaged (cut short, bytes that are not UTF-8) come back as
    {frame row: reason}, for the row checks to skip: a file truncated in the
    middle of a row must never load as a smaller but "valid" catalog.
    """
    path = Path(path)
    if not path.exists():
        raise CatalogError(f"Catalog not found: {path}")
    if path.is_dir():
        raise CatalogError(f"Catalog path is a directory, not a CSV file: {path}")
    issues: list[RowIssue] = []
    damaged: dict[int, str] = {}
    try:
        try:
            frame, caught = _parse(path, encoding_errors="strict")
        except UnicodeDecodeError:
            frame, caught = _parse(path, encoding_errors="replace")
            damaged.update(_undecodable_rows(frame))
        except pd.errors.ParserError as exc:
            _, records = _scan_records(path)
            if "EOF inside string" not in str(exc) or not records:
                raise
            line, _ = records[-1]
            issues.append(RowIssue(line, "the file ends inside a quoted field, so this row is cut short"))
            frame, caught = _parse(path, encoding_errors="replace", nrows=len(records) - 1)
            damaged.update(_undecodable_rows(frame))
        bad_lines = [(int(line), reason) for warning in caught
                     for line, reason in _BAD_LINE.findall(str(warning.message))]
        if bad_lines:
            # pandas numbers records, not lines: a quoted field spanning lines counts once
            starts = _record_starts(path)
            for line, reason in bad_lines:
                issues.append(RowIssue(starts[line] if line < len(starts) else line, f"malformed row: {reason}"))
        short = _short_rows(path, frame) if len(frame.columns) else {}
    except pd.errors.EmptyDataError:
        raise CatalogError(f"Catalog {path} is empty: it needs a header and at least one property") from None
    except (UnicodeDecodeError, pd.errors.ParserError, csv.Error, OSError, EOFError, gzip.BadGzipFile) as exc:
        raise CatalogError(f"Catalog {path} cannot be read as CSV: {str(exc).splitlines()[0]}") from None
    for row, reason in short.items():
        damaged.setdefault(row, reason)  # bad bytes are the cause when both hold
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise CatalogError(
            f"Catalog {path} lacks the column(s) {', '.join(missing)}; expected the columns "
            f"{', '.join(CONTRACT_COLUMNS)}"
        )
    if frame.empty:
        raise CatalogError(f"Catalog {path} has a header but no properties")
    return frame, issues, damaged


def _parse(path: Path, *, encoding_errors: str,
           nrows: int | None = None) -> tuple[pd.DataFrame, list[warnings.WarningMessage]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = pd.read_csv(
            path,
            dtype={c: str for c in TEXT_COLUMNS},
            keep_default_na=False,
            na_values={c: [""] for c in CONTRACT_COLUMNS if c not in TEXT_COLUMNS},
            on_bad_lines="warn",
            comment=None,
            low_memory=False,
            encoding_errors=encoding_errors,
            nrows=nrows,
        )
    return frame, list(caught)


def _undecodable_rows(frame: pd.DataFrame) -> dict[int, str]:
    """Rows where a byte that is not UTF-8 was replaced while decoding."""
    hit = np.zeros(len(frame), dtype=bool)
    for column in frame.columns:
        if frame[column].dtype == object:
            hit |= frame[column].astype(str).str.contains("\ufffd", regex=False).to_numpy()
    return {int(row): "holds bytes that are not UTF-8 text" for row in np.flatnonzero(hit)}


def _short_rows(path: Path, frame: pd.DataFrame) -> dict[int, str]:
    """Rows with fewer fields than the header (pandas pads them silently).

    Only a row whose last column is empty can be short, so the costly pass
    over the file runs only when such a row exists.
    """
    last = frame[frame.columns[-1]]
    if not (last.isna() | (last.astype(str) == "")).any():
        return {}
    header, records = _scan_records(path)
    kept = [count for _, count in records if count <= len(header)]
    return {row: f"has {count} of {len(header)} fields, so it is cut short"
            for row, count in enumerate(kept) if count < len(header) and row < len(frame)}


def _scan_records(path: Path) -> tuple[list[str], list[tuple[int, int]]]:
    """(header, [(line the record starts on, its field count)]) for every non-blank record."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", errors="replace", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        records: list[tuple[int, int]] = []
        start = reader.line_num + 1
        for row in reader:
            if row:
                records.append((start, len(row)))
            start = reader.line_num + 1
    return header, records


def _record_starts(path: Path) -> list[int]:
    """starts[k]: the line the k-th record (1-based, header and blank lines included) starts on."""
    opener = gzip.open if path.suffix == ".gz" else open
    starts = [0]
    with opener(path, "rt", encoding="utf-8", errors="replace", newline="") as handle:
        reader = csv.reader(handle)
        start = 1
        for _ in reader:
            starts.append(start)
            start = reader.line_num + 1
    return starts


def record_lines(path: Path | str) -> list[int]:
    """The line each record pandas kept starts on (multi-line fields count right).

    Only called when there is something to report, so the cost of a second
    pass over the file is paid on the error path alone.
    """
    header, records = _scan_records(Path(path))
    return [line for line, count in records if count <= len(header)]


class RowChecker:
    """Collects per-row problems found by vectorised checks over whole columns."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.bad = np.zeros(len(frame), dtype=bool)
        self.problems: list[tuple[int, str, bool]] = []  # (record index, message, skipped)

    def reject(self, mask: npt.NDArray[np.bool_] | pd.Series, message: Callable[[int], str]) -> None:
        rows = np.flatnonzero(np.asarray(mask) & ~self.bad)
        for row in rows:
            self.problems.append((int(row), message(int(row)), True))
        self.bad[rows] = True

    def warn(self, row: int, message: str) -> None:
        self.problems.append((row, message, False))

    def numeric(self, column: str, *, required: bool, default: float | None = None,
                low: float | None = None, high: float | None = None,
                integer: bool = False) -> npt.NDArray[np.float64]:
        if column not in self.frame.columns:
            if required:
                raise CatalogError(f"missing column {column}")
            return np.full(len(self.frame), np.nan if default is None else default, dtype=float)
        raw = self.frame[column]
        values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
        present = raw.notna().to_numpy()
        if raw.dtype == object:  # only a column pandas could not read as numbers has odd cells
            present &= (raw.astype(str).str.strip() != "").to_numpy()
        self.reject(present & np.isnan(values), lambda r: f"{column} {raw.iloc[r]!r} is not a number")
        if required:
            self.reject(~present, lambda r: f"{column} is empty")
        elif default is not None:
            values = np.where(np.isnan(values), default, values)
        finite = ~np.isnan(values)
        if low is not None:
            self.reject(finite & (values < low), lambda r: f"{column} {values[r]:g} is below {low:g}")
        if high is not None:
            self.reject(finite & (values > high), lambda r: f"{column} {values[r]:g} is above {high:g}")
        if integer:
            self.reject(finite & (np.floor(values) != values),
                        lambda r: f"{column} {values[r]:g} is not a whole number")
        return values

    def text(self, column: str, *, required: bool = False, strip: bool = True) -> pd.Series:
        """A text column with empty cells as ""; `strip=False` for long free text."""
        if column not in self.frame.columns:
            return pd.Series([""] * len(self.frame), index=self.frame.index, dtype=object)
        values = self.frame[column].fillna("").astype(str)
        if strip:
            values = values.str.strip()
        if required:
            self.reject((values == "").to_numpy(), lambda r: f"{column} is empty")
        return values

    def vocabulary(self, values: pd.Series, vocabulary: Vocabulary, column: str,
                   default: str | None = None) -> pd.Series:
        """Map each distinct value once through the normaliser, reporting the unknown."""
        mapping: dict[str, str | None] = {}
        notes: dict[str, str] = {}
        for raw in values.unique():
            if raw == "" and default is not None:
                mapping[raw] = default
                continue
            try:
                found = vocabulary.resolve(raw)
                mapping[raw] = found.value
                if found.corrected:
                    notes[raw] = f"{column} '{raw}' read as '{found.value}'"
            except UnknownValueError as exc:
                mapping[raw] = None
                notes[raw] = str(exc)
        mapped = values.map(mapping)
        self.reject(mapped.isna().to_numpy(), lambda r: notes[values.iloc[r]])
        for raw, note in notes.items():
            if mapping[raw] is not None:
                first = int(np.flatnonzero((values == raw).to_numpy())[0])
                self.warn(first, note)
        return mapped.fillna("")

    def issues(self, path: Path | None, offset_issues: Iterable[RowIssue]) -> list[RowIssue]:
        reported = list(offset_issues)
        if not self.problems:
            return sorted(reported, key=lambda i: i.line)
        lines = record_lines(path) if path is not None else []
        ids = self.frame["id"].fillna("").astype(str).str.strip() if "id" in self.frame.columns else None
        for row, message, skipped in self.problems:
            if not skipped and self.bad[row]:
                continue  # a note on a row that is skipped anyway is noise
            line = lines[row] if row < len(lines) else row + 2
            record_id = (ids.iloc[row] or None) if ids is not None else None
            reported.append(RowIssue(line, message, skipped, record_id=record_id))
        return sorted(reported, key=lambda i: i.line)


def split_amenities(values: pd.Series, known: Knowledge,
                    checker: RowChecker) -> tuple[list[str], npt.NDArray[np.bool_]]:
    """Amenity ids as a boolean matrix (amenity x row); unknown ids are reported, rows kept.

    One split and one dictionary lookup over all the tokens at once: at a
    million rows a Python loop per row costs more than reading the file.
    """
    ids = list(known.amenities)
    index = {a: i for i, a in enumerate(ids)}
    matrix = np.zeros((len(ids), len(values)), dtype=bool)
    compact = values.reset_index(drop=True).str.replace(r"\s+", "", regex=True)  # ids are snake_case
    tokens = compact.str.split(";").explode()
    tokens = tokens[tokens.notna() & (tokens != "")]
    codes = tokens.map(index)
    known_tokens = codes.notna().to_numpy()
    matrix[codes.to_numpy()[known_tokens].astype(np.int64), tokens.index.to_numpy()[known_tokens]] = True
    unknown: dict[int, list[str]] = {}
    for row, name in zip(tokens.index.to_numpy()[~known_tokens], tokens.to_numpy()[~known_tokens], strict=True):
        unknown.setdefault(int(row), []).append(str(name))
    for row, names in sorted(unknown.items()):
        checker.warn(row, f"unknown amenity id(s) {', '.join(names)} ignored")
    return ids, matrix
