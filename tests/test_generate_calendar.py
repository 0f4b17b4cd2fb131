"""The generated calendars are busy the way real ones are, and never contradict themselves."""
from __future__ import annotations

import gzip
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from constraints.generate_calendar import generate_calendar, main, write_calendar
from constraints.generate_catalog import generate_catalog

KNOWLEDGE = Path(__file__).resolve().parents[1] / "knowledge"
START, END = date(2026, 11, 1), date(2027, 12, 31)


@pytest.fixture(scope="module")
def catalog() -> pd.DataFrame:
    return generate_catalog(KNOWLEDGE, 1500, 21)


@pytest.fixture(scope="module")
def calendar(catalog: pd.DataFrame) -> pd.DataFrame:
    return generate_calendar(KNOWLEDGE, catalog, START, END, 5)


@pytest.fixture(scope="module")
def booked(catalog: pd.DataFrame, calendar: pd.DataFrame) -> np.ndarray:
    """Properties x nights: is the night booked?"""
    days = (END - START).days + 1
    row = {pid: i for i, pid in enumerate(catalog["id"])}
    grid = np.zeros((len(catalog), days), dtype=bool)
    for run in calendar[~calendar["available"]].itertuples():
        grid[row[run.id], (run.start - START).days:(run.end - START).days] = True
    return grid


def _nights() -> pd.DatetimeIndex:
    return pd.date_range(START, END, freq="D")


def test_columns_and_types(calendar: pd.DataFrame) -> None:
    assert list(calendar.columns) == ["id", "start", "end", "available", "price"]
    assert calendar["available"].dtype == bool
    assert isinstance(calendar["start"].iloc[0], date)
    assert calendar.loc[~calendar["available"], "price"].isna().all()
    overrides = calendar[calendar["available"]]
    assert len(overrides) > 0
    assert (overrides["price"] > 0).all()


def test_runs_stay_inside_the_window(calendar: pd.DataFrame) -> None:
    assert (calendar["start"] >= START).all()
    assert (calendar["end"] <= END + timedelta(days=1)).all()
    assert (calendar["start"] < calendar["end"]).all()


def test_no_run_overlaps_another_of_the_same_property(calendar: pd.DataFrame) -> None:
    runs = calendar.sort_values(["id", "start"])
    same = runs["id"].to_numpy()[1:] == runs["id"].to_numpy()[:-1]
    starts, ends = runs["start"].to_numpy(), runs["end"].to_numpy()
    assert (starts[1:][same] >= ends[:-1][same]).all()
    booked = runs[~runs["available"]]
    same = booked["id"].to_numpy()[1:] == booked["id"].to_numpy()[:-1]
    # adjacent stays are merged into one run
    assert (booked["start"].to_numpy()[1:][same] > booked["end"].to_numpy()[:-1][same]).all()


def test_stays_respect_the_minimum_nights(catalog: pd.DataFrame, calendar: pd.DataFrame) -> None:
    minimum = calendar["id"].map(catalog.set_index("id")["min_nights"])
    nights = (pd.to_datetime(calendar["end"]) - pd.to_datetime(calendar["start"])).dt.days
    inside = (~calendar["available"]) & (calendar["start"] > START) & (calendar["end"] <= END)
    assert inside.sum() > 1000
    assert (nights[inside] >= minimum[inside]).all()


def test_occupancy_is_believable(booked: np.ndarray) -> None:
    assert 0.45 <= booked.mean() <= 0.65
    per_property = booked.mean(axis=1)
    assert per_property.std() > 0.08
    assert (per_property < 0.98).all()


def test_weekends_are_busier_than_weekdays(booked: np.ndarray) -> None:
    weekend = np.isin(_nights().weekday, [4, 5])
    assert booked[:, weekend].mean() > booked[:, ~weekend].mean() + 0.04


def test_high_season_is_busier(catalog: pd.DataFrame, booked: np.ndarray) -> None:
    seasons = {d["name"]: d["high_season"]
               for d in yaml.safe_load((KNOWLEDGE / "locations.yml").read_text(encoding="utf-8"))["destinations"]}
    months = _nights().month.to_numpy()
    high = np.array([np.isin(months, seasons[place]) for place in catalog["location"]])
    assert booked[high].mean() > 0.68
    assert booked[high].mean() > booked[~high].mean() + 0.15


def test_popular_places_are_busier(catalog: pd.DataFrame, booked: np.ndarray) -> None:
    occupancy = booked.mean(axis=1)
    loved = ((catalog["review_count"] >= 50) & (catalog["rating"] >= 4.8)).to_numpy()
    new = (catalog["review_count"] == 0).to_numpy()
    assert occupancy[loved].mean() > occupancy[new].mean() + 0.1


def test_price_overrides_are_on_free_nights(catalog: pd.DataFrame, calendar: pd.DataFrame, booked: np.ndarray) -> None:
    row = {pid: i for i, pid in enumerate(catalog["id"])}
    for run in calendar[calendar["available"]].itertuples():
        assert not booked[row[run.id], (run.start - START).days:(run.end - START).days].any()
    new_year = calendar[calendar["available"] & (calendar["start"] == date(2026, 12, 31))]
    base = new_year["id"].map(catalog.set_index("id")["price_per_night"])
    assert len(new_year) > 50
    assert (new_year["price"] >= base * 1.45).all()


def test_same_seed_same_calendar(catalog: pd.DataFrame, calendar: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(calendar, generate_calendar(KNOWLEDGE, catalog, START, END, 5))
    assert not calendar.equals(generate_calendar(KNOWLEDGE, catalog, START, END, 6))


@pytest.mark.parametrize("name", ["calendar.csv", "calendar.csv.gz"])
def test_written_file_has_the_window_header(tmp_path: Path, name: str, calendar: pd.DataFrame) -> None:
    path = tmp_path / name
    write_calendar(calendar.head(50), path, START, END)
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        assert handle.readline() == "# window: 2026-11-01 2027-12-31\n"
        assert handle.readline() == "id,start,end,available,price\n"
    back = pd.read_csv(path, skiprows=1)
    assert set(back["available"].astype(str).str.lower()) <= {"true", "false"}
    assert len(back) == 50


def test_cli(tmp_path: Path, catalog: pd.DataFrame) -> None:
    source = tmp_path / "catalog.csv"
    catalog.head(200).to_csv(source, index=False)
    target = tmp_path / "calendar.csv"
    assert main(["--catalog", str(source), "--start", "2027-01-01", "--end", "2027-03-31",
                 "--seed", "1", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith("# window: 2027-01-01 2027-03-31\n")
