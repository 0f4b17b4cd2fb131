"""Several cities in one catalog, and an importer that never overwrites or leaves a stale calendar."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from test_airbnb_import import SYNTHETIC_ROWS, run_cli, write_calendar_file, write_listings

from constraints import load_knowledge
from constraints.availability import calendar_path_for, load_calendar_beside
from constraints.catalog import load_catalog


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge()


def rows_for(prefix: str) -> list[dict[str, str]]:
    return [{**row, "id": f"{prefix}{row['id']}"} for row in SYNTHETIC_ROWS]


def test_existing_output_is_not_overwritten_without_force(tmp_path, capsys):
    listings = write_listings(tmp_path / "a.csv", rows_for("1"))
    out = tmp_path / "out.csv"
    out.write_text("precious\n")
    status, _, stderr = run_cli(capsys, "import-airbnb", str(listings), "--location", "Albany", "-o", str(out))
    assert status == 2 and "--append" in stderr and "--force" in stderr
    assert out.read_text() == "precious\n"
    status, _, stderr = run_cli(capsys, "import-airbnb", str(listings), "--location", "Albany", "-o", str(out),
                                "--force")
    assert status == 0, stderr
    assert "id," in out.read_text()


def test_force_removes_a_calendar_that_belonged_to_the_old_catalog(tmp_path, capsys, knowledge):
    listings = write_listings(tmp_path / "a.csv", SYNTHETIC_ROWS)
    out = tmp_path / "out.csv"
    status, _, stderr = run_cli(capsys, "import-airbnb", str(listings), "--location", "Albany", "-o", str(out),
                                "--calendar", str(write_calendar_file(tmp_path / "cal.csv")))
    assert status == 0, stderr
    assert calendar_path_for(out).exists()
    status, _, stderr = run_cli(capsys, "import-airbnb", str(listings), "--location", "Albany", "-o", str(out),
                                "--force")
    assert status == 0, stderr
    assert not calendar_path_for(out).exists()
    assert "removed" in stderr
    assert load_calendar_beside(out, load_catalog(out, knowledge), knowledge) is None


def test_append_puts_two_cities_in_one_catalog_and_reimport_replaces_a_city(tmp_path, capsys, knowledge):
    out = tmp_path / "two.csv"
    first = write_listings(tmp_path / "a.csv", rows_for("1"))
    second = write_listings(tmp_path / "b.csv", rows_for("2"))
    assert run_cli(capsys, "import-airbnb", str(first), "--location", "Albany", "-o", str(out))[0] == 0
    status, stdout, stderr = run_cli(capsys, "import-airbnb", str(second), "--location", "Jersey City", "-o", str(out),
                                     "--append", "--json")
    assert status == 0, stderr
    frame = pd.read_csv(out, dtype=str)
    assert set(frame["location"]) == {"Albany", "Jersey City"}
    per_city = frame["location"].value_counts()
    assert per_city["Albany"] == per_city["Jersey City"] == json.loads(stdout)["rows_written"]

    status, _, stderr = run_cli(capsys, "import-airbnb", str(first), "--location", "Albany", "-o", str(out),
                                "--append")
    assert status == 0, stderr
    assert "replaced" in stderr
    again = pd.read_csv(out, dtype=str)
    assert again["location"].value_counts().to_dict() == per_city.to_dict()
    catalog = load_catalog(out, knowledge)
    assert not catalog.skipped and catalog.size == len(again)


def test_upper_case_neighbourhoods_are_title_cased(tmp_path, capsys, knowledge):
    rows = [{**row, "neighbourhood_cleansed": "THIRD WARD"} for row in rows_for("3")]
    listings = write_listings(tmp_path / "a.csv", rows)
    out = tmp_path / "out.csv"
    assert run_cli(capsys, "import-airbnb", str(listings), "--location", "ALBANY", "-o", str(out))[0] == 0
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert set(frame["neighbourhood"]) == {"Third Ward"}
    assert set(frame["location"]) == {"Albany"}


def test_the_listing_photo_is_kept_and_reaches_the_results(tmp_path, capsys, knowledge):
    listings = write_listings(tmp_path / "a.csv", rows_for("4"))
    frame = pd.read_csv(listings, dtype=str, keep_default_na=False)
    frame["picture_url"] = ["https://a0.muscache.com/pictures/one.jpg", "javascript:alert(1)"] + [""] * (len(frame) - 2)
    frame.to_csv(listings, index=False)
    out = tmp_path / "out.csv"
    assert run_cli(capsys, "import-airbnb", str(listings), "--location", "Albany", "-o", str(out))[0] == 0
    written = pd.read_csv(out, dtype=str, keep_default_na=False).set_index("id")["picture_url"]
    assert written["41"] == "https://a0.muscache.com/pictures/one.jpg"
    assert (written.drop("41") == "").all(), "only a plain web address is kept as a photo"
    status, stdout, _ = run_cli(capsys, "search", "--catalog", str(out), "--location", "Albany", "--json",
                                "--limit", "20")
    photos = {r["id"]: r.get("picture_url") for r in json.loads(stdout)["results"]}
    assert photos["41"] == "https://a0.muscache.com/pictures/one.jpg"
    assert all(photo is None for pid, photo in photos.items() if pid != "41")


# --- what the listings say about themselves ------------------------------------------------------

ANTWERP = {"latitude": "51.2194", "longitude": "4.4025"}


def test_the_currency_defaults_to_the_listings_country(tmp_path, capsys):
    us = write_listings(tmp_path / "us.csv", rows_for("5"))
    be = write_listings(tmp_path / "be.csv", [{**row, **ANTWERP} for row in rows_for("6")])
    status, out, err = run_cli(capsys, "import-airbnb", str(us), "--location", "Jersey City", "-o",
                               str(tmp_path / "us_out.csv"), "--json")
    assert status == 0 and json.loads(out)["currency"] == "USD"
    status, out, err = run_cli(capsys, "import-airbnb", str(be), "--location", "Antwerp", "-o",
                               str(tmp_path / "be_out.csv"), "--json")
    report = json.loads(out)
    assert status == 0 and report["currency"] == "EUR" and report["origin"].endswith("Belgium")
    assert set(pd.read_csv(tmp_path / "be_out.csv")["currency"]) == {"EUR"}


def test_a_currency_or_place_that_contradicts_the_listings_is_warned_about(tmp_path, capsys, knowledge):
    be = write_listings(tmp_path / "be.csv", [{**row, **ANTWERP} for row in rows_for("7")])
    status, _, err = run_cli(capsys, "import-airbnb", str(be), "--location", "Antwerp", "--currency", "USD",
                             "-o", str(tmp_path / "usd.csv"))
    assert status == 0
    assert "stays: warning: the listings lie in Belgium, whose currency is EUR" in err

    us = write_listings(tmp_path / "us.csv", rows_for("8"))
    out = tmp_path / "lisbon.csv"
    status, _, err = run_cli(capsys, "import-airbnb", str(us), "--location", "Lisbon", "-o", str(out))
    assert status == 0
    assert "km from Lisbon: check --location" in err
    status, stdout, _ = run_cli(capsys, "check", "--catalog", str(out))
    assert status == 1 and "filed under Lisbon lie more than" in stdout
