"""Inside Airbnb cells to catalog values, a whole column at a time (each distinct text parsed once)."""
from __future__ import annotations

import html
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..text import tidy_case


def as_text(values: pd.Series) -> pd.Series:
    return values.fillna("").astype(str).str.strip()


def as_number(values: pd.Series) -> npt.NDArray[np.float64]:
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)


def parse_price(values: pd.Series) -> npt.NDArray[np.float64]:
    """"$1,234.00" -> 1234.0; empty or unreadable -> NaN (whatever the currency sign).

    Each distinct text is parsed once (a calendar repeats a few hundred prices
    over millions of nights).
    """
    codes, uniques = pd.factorize(pd.Series(values, copy=False), use_na_sentinel=True)
    cleaned = pd.Series(uniques, dtype="string").str.replace(r"[^0-9.\-]", "", regex=True)
    parsed = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    prices: npt.NDArray[np.float64] = np.append(parsed, np.nan)[codes]  # code -1 (missing) picks the NaN at the end
    return prices


def by_unique(values: pd.Series, transform: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """`transform` (a function of a Series) applied to the distinct values only."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    done = transform(pd.Series(uniques, dtype=object)).to_numpy(dtype=object)
    return pd.Series(done[codes], index=values.index)


def parse_bathrooms_text(values: pd.Series) -> npt.NDArray[np.float64]:
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

