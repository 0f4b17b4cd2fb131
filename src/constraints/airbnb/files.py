"""Opening Inside Airbnb CSV files: one clear error for anything that cannot be read."""
from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InvalidValueError

READ_ERRORS = (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError, OSError, EOFError,
                gzip.BadGzipFile, zlib.error, ValueError)


class AirbnbImportError(InvalidValueError):
    """An input that cannot be imported at all; the message is one line."""


def require_file(path: Path, what: str) -> None:
    if not path.exists():
        raise AirbnbImportError(f"{what} file not found: {path}")
    if path.is_dir():
        raise AirbnbImportError(f"{what} path is a directory, not a CSV file: {path}")


def read_header(path: Path, what: str) -> list[str]:
    require_file(path, what)
    header = read_csv(path, what, nrows=0)
    return [str(c).strip() for c in header.columns]


def require_columns(path: Path, what: str, required: Iterable[str]) -> None:
    """A file of the wrong kind is refused in one line naming what it lacks ("Listings", "Calendar")."""
    header = read_header(path, what)
    missing = [c for c in required if c not in header]
    if missing:
        raise AirbnbImportError(
            f"{path} is not an Inside Airbnb {what.lower()} file: it lacks the column(s) {', '.join(missing)}"
        )


def read_csv(path: Path, what: str, **options: Any) -> pd.DataFrame:
    try:
        frame: pd.DataFrame = pd.read_csv(path, low_memory=False, **options)  # **options hides the overload
        return frame
    except pd.errors.EmptyDataError:
        raise AirbnbImportError(f"{what} file {path} is empty") from None
    except READ_ERRORS as exc:
        message = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise AirbnbImportError(f"{what} file {path} cannot be read as CSV: {message}") from None

