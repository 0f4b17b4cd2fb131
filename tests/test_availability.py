"""Dated stays: booked nights, explicit night prices, seasons and weekends, the calendar window."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from constraints import CatalogError, Engine, InvalidValueError, StayDates, build_query
from constraints.availability import build_availability, calendar_path_for, load_calendar_beside
from constraints.catalog import load_catalog

FIRST, LAST = date(2027, 3, 1), date(2027, 8, 31)
RUNS = [
    # id, start (first night), end (morning it ends), available, price
    ("L1", "2027-03-04", "2027-03-08", "false", None),   # booked Thursday 4 to Sunday 7 March
    ("L1", "2027-03-06", "2027-03-10", "false", None),   # overlapping booking
    ("L2", "2027-03-10", "2027-03-13", "true", 100.0),   # re-priced: 100 a night, weekend or not
    ("N1", "2027-03-01", "2027-03-03", "false", 50.0),   # booked (and priced, which does not make it free)
]


def stay(check_in: str, check_out: str) -> StayDates:
    return StayDates(date.fromisoformat(check_in), date.fromisoformat(check_out))


@pytest.fixture
def dated_engine(knowledge, catalog_path):
    catalog = load_catalog(catalog_path, knowledge)
    runs = pd.DataFrame(RUNS, columns=["id", "start", "end", "available", "price"])
    calendar = build_availability(runs, FIRST, LAST, catalog, knowledge)
    assert calendar.issues == []
    return Engine(knowledge, catalog, calendar)


def ids(engine, **kwargs):
    return sorted(r.id for r in engine.search(build_query(**kwargs), limit=20).results)


def test_booked_nights_hide_the_place(dated_engine):
    assert "L1" not in ids(dated_engine, location="Lisbon", dates=stay("2027-03-05", "2027-03-07"))
    assert "L1" not in ids(dated_engine, location="Lisbon", dates=stay("2027-03-09", "2027-03-11"))  # second run
    assert "L1" in ids(dated_engine, location="Lisbon", dates=stay("2027-03-20", "2027-03-22"))


def test_a_stay_ending_the_morning_a_booking_starts_is_free(dated_engine):
    assert "L1" in ids(dated_engine, location="Lisbon", dates=stay("2027-03-02", "2027-03-04"))


def test_a_stay_starting_the_morning_a_booking_ends_is_free(dated_engine):
    assert "L1" in ids(dated_engine, location="Lisbon", dates=stay("2027-03-10", "2027-03-12"))


def test_a_stay_overlapping_one_booked_night_is_refused(dated_engine):
    assert "L1" not in ids(dated_engine, location="Lisbon", dates=stay("2027-03-03", "2027-03-05"))
    assert "L1" not in ids(dated_engine, location="Lisbon", dates=stay("2027-03-09", "2027-03-10"))


def test_a_priced_booked_run_is_still_booked(dated_engine):
    assert "N1" not in ids(dated_engine, location="New York City", dates=stay("2027-03-02", "2027-03-04"))
    assert "N1" in ids(dated_engine, location="New York City", dates=stay("2027-03-03", "2027-03-05"))


def total_of(engine, pid, dates):
    result = engine.search(build_query(dates=dates), limit=20)
    found = next(r for r in result.results if r.id == pid)
    assert found.nights == dates.nights
    return found.total_price


def test_explicit_night_prices_are_summed(dated_engine):
    # three re-priced nights, the Friday included: 3 x 100
    assert total_of(dated_engine, "L2", stay("2027-03-10", "2027-03-13")) == pytest.approx(300.0)
    # plus a Tuesday at the catalog price (70) and a Saturday at the weekend price (70 x 1.15)
    assert total_of(dated_engine, "L2", stay("2027-03-09", "2027-03-14")) == pytest.approx(70 + 300 + 70 * 1.15)


def test_weekend_nights_cost_more(dated_engine):
    # Friday and Saturday nights in March (not Lisbon's high season)
    assert total_of(dated_engine, "L4", stay("2027-03-12", "2027-03-14")) == pytest.approx(2 * 45 * 1.15)
    # Sunday to Thursday nights: the plain price
    assert total_of(dated_engine, "L4", stay("2027-03-14", "2027-03-18")) == pytest.approx(4 * 45)


def test_high_season_nights_cost_more(dated_engine):
    # Lisbon's high season is July and August; Monday to Thursday
    assert total_of(dated_engine, "L4", stay("2027-07-05", "2027-07-08")) == pytest.approx(3 * 45 * 1.25)
    # a Friday in high season: both factors
    assert total_of(dated_engine, "L4", stay("2027-07-09", "2027-07-10")) == pytest.approx(45 * 1.25 * 1.15)
    # New York has no high season
    assert total_of(dated_engine, "N2", stay("2027-07-05", "2027-07-08")) == pytest.approx(3 * 400)


def test_a_stay_budget_uses_the_dated_prices(dated_engine):
    dates = stay("2027-07-05", "2027-07-08")  # L4: 168.75 for the three nights, L2: 262.5
    assert "L4" in ids(dated_engine, location="Lisbon", dates=dates, max_price=170, budget_scope="stay")
    assert "L4" not in ids(dated_engine, location="Lisbon", dates=dates, max_price=165, budget_scope="stay")
    assert "L2" not in ids(dated_engine, location="Lisbon", dates=dates, max_price=170, budget_scope="stay")


def test_a_stay_budget_in_another_currency_is_converted(dated_engine, knowledge):
    rate = knowledge.settings["currency"]["rates"]["USD"]
    dates = stay("2027-03-15", "2027-03-17")  # Monday, Tuesday: N1 costs 2 x $220
    assert "N1" in ids(dated_engine, dates=dates, max_price=2 * 220 * rate + 1, budget_scope="stay")
    assert "N1" not in ids(dated_engine, dates=dates, max_price=2 * 220 * rate - 1, budget_scope="stay")


@pytest.mark.parametrize("check_in, check_out", [("2027-02-20", "2027-02-23"), ("2027-08-30", "2027-09-02"),
                                                 ("2026-01-01", "2026-01-03")])
def test_dates_outside_the_window_are_refused_clearly(dated_engine, check_in, check_out):
    with pytest.raises(InvalidValueError) as caught:
        dated_engine.search(build_query(location="Lisbon", dates=stay(check_in, check_out)))
    message = str(caught.value)
    assert "01 Mar 2027" in message and "31 Aug 2027" in message


def test_the_last_night_of_the_window_can_be_booked(dated_engine):
    assert "L1" in ids(dated_engine, location="Lisbon", dates=stay("2027-08-30", "2027-09-01"))


def test_check_out_must_follow_check_in(dated_engine):
    with pytest.raises(InvalidValueError):
        dated_engine.search(build_query(dates=stay("2027-03-05", "2027-03-05")))


def write_calendar(path, lines, window="# window: 2027-03-01 2027-08-31"):
    path.write_text("\n".join([window, "id,start,end,available,price", *lines]) + "\n", encoding="utf-8")
    return path


def test_a_calendar_beside_the_catalog_is_loaded_and_bad_rows_reported(tmp_path, knowledge, catalog_path):
    catalog_file = tmp_path / "catalog.csv"
    catalog_file.write_bytes(catalog_path.read_bytes())
    assert calendar_path_for(catalog_file) == tmp_path / "catalog.calendar.csv"
    write_calendar(tmp_path / "catalog.calendar.csv", [
        "L1,2027-03-04,2027-03-08,false,",
        "ZZ9,2027-03-04,2027-03-08,false,",     # line 4: unknown property
        "L2,2027-03-08,2027-03-04,false,",      # line 5: ends before it starts
        "L3,2027-03-04,2027-03-08,maybe,",      # line 6
        "L4,4 March,2027-03-08,false,",         # line 7
    ])
    catalog = load_catalog(catalog_file, knowledge)
    calendar = load_calendar_beside(catalog_file, catalog, knowledge)
    issues = {issue.line: issue.message for issue in calendar.issues}
    assert sorted(issues) == [4, 5, 6, 7]
    assert "unknown property" in issues[4]
    assert "after start" in issues[5]
    assert "true or false" in issues[6]
    assert "YYYY-MM-DD" in issues[7]
    engine = Engine(knowledge, catalog, calendar)
    found = ids(engine, location="Lisbon", dates=stay("2027-03-05", "2027-03-08"))
    assert "L1" not in found  # booked
    assert "L3" in found  # its bad row was skipped, so it is free


def test_a_calendar_without_its_window_is_a_clear_error(tmp_path, knowledge, catalog_path):
    catalog_file = tmp_path / "catalog.csv"
    catalog_file.write_bytes(catalog_path.read_bytes())
    write_calendar(tmp_path / "catalog.calendar.csv", ["L1,2027-03-04,2027-03-08,false,"], window="# no window")
    catalog = load_catalog(catalog_file, knowledge)
    with pytest.raises(CatalogError, match="window"):
        load_calendar_beside(catalog_file, catalog, knowledge)
