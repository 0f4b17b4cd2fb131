"""Loading a catalog: bad rows are reported with their line and skipped, never fatal;
a file that cannot be used at all fails with one clear sentence."""
from __future__ import annotations

import gzip
import shutil

import numpy as np
import pandas as pd
import pytest

from constraints import CatalogError, Engine, build_query
from constraints.catalog import build_catalog, load_catalog
from constraints.geo import haversine_km

HEADER_LINE = 1


def issue_at(catalog, line):
    found = [issue for issue in catalog.issues if issue.line == line]
    assert found, f"nothing reported at line {line}: {[str(i) for i in catalog.issues]}"
    return found[0]


def test_the_fixture_catalog_loads_cleanly(catalog):
    assert catalog.size == 11
    assert catalog.issues == []
    record = catalog.record(catalog.row("L3"))
    assert record["location"] == "Lisbon"
    assert record["neighbourhood"] == "Belém"
    assert record["amenities"] == ["wifi", "pool", "free_parking", "pets_allowed"]
    assert record["price_per_night"] == 210.0
    assert record["max_nights"] is None


def test_prices_in_other_currencies_are_compared_in_the_base_currency(catalog, knowledge):
    row = catalog.row("N1")
    rate = knowledge.settings["currency"]["rates"]["USD"]
    assert catalog.price[row] == 220.0
    assert catalog.price_base[row] == pytest.approx(220.0 * rate)


def test_a_row_with_too_many_fields_is_reported_with_its_line_and_skipped(fixture_rows, catalog_writer, knowledge):
    path = catalog_writer(fixture_rows)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] += ",one field too many"  # L3, on line 4
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    catalog = load_catalog(path, knowledge)
    issue = issue_at(catalog, 4)
    assert issue.skipped and "malformed" in issue.message
    assert "L3" not in catalog.row_of
    assert catalog.size == 10


def test_a_file_cut_inside_a_row_skips_that_row_instead_of_padding_it(fixture_rows, catalog_writer, knowledge):
    path = catalog_writer(fixture_rows)
    text = path.read_text(encoding="utf-8")
    last_row_start = text.rstrip("\n").rindex("\n") + 1
    cut = text.index(";", last_row_start) + 3  # inside the last row's amenities: later columns lost
    path.write_text(text[:cut], encoding="utf-8")
    catalog = load_catalog(path, knowledge)
    issue = issue_at(catalog, 12)
    assert issue.skipped and "cut short" in issue.message
    assert catalog.size == 10
    assert [str(i) for i in catalog.issues] == [str(issue)], "no 'kept' notes about the skipped row"


def test_a_file_ending_inside_a_quoted_field_skips_the_cut_row(fixture_rows, catalog_writer, knowledge):
    rows = [dict(r) for r in fixture_rows]
    rows[-1]["title"] = "Quiet, bright flat"  # a comma: the writer quotes it
    path = catalog_writer(rows)
    text = path.read_text(encoding="utf-8")
    last_row_start = text.rstrip("\n").rindex("\n") + 1
    path.write_text(text[:text.index('"', last_row_start) + 4], encoding="utf-8")
    catalog = load_catalog(path, knowledge)
    issue = issue_at(catalog, 12)
    assert issue.skipped and "ends inside a quoted field" in issue.message
    assert catalog.size == 10


def test_bytes_that_are_not_utf8_skip_their_row_by_line(fixture_rows, catalog_writer, knowledge):
    rows = [dict(r) for r in fixture_rows]
    rows[4]["title"] = "Flat BROKEN here"  # L5, on line 6
    path = catalog_writer(rows)
    path.write_bytes(path.read_bytes().replace(b"BROKEN", b"\xff\xfe\xa0"))
    catalog = load_catalog(path, knowledge)
    issue = issue_at(catalog, 6)
    assert issue.skipped and "not UTF-8" in issue.message
    assert "L5" not in catalog.row_of and catalog.size == 10


def test_a_non_numeric_price_is_reported_with_its_line_and_skipped(fixture_rows, catalog_writer, knowledge):
    rows = [dict(r) for r in fixture_rows]
    rows[4]["price_per_night"] = "cheap"  # L5, on line 6
    catalog = load_catalog(catalog_writer(rows), knowledge)
    issue = issue_at(catalog, 6)
    assert issue.skipped
    assert "price_per_night" in issue.message and "cheap" in issue.message
    assert "L5" not in catalog.row_of
    assert catalog.size == 10
    assert "line 6" in str(issue)


def test_line_numbers_stay_right_after_a_multi_line_description(fixture_rows, catalog_writer, knowledge):
    rows = [dict(r) for r in fixture_rows]
    rows[0]["description"] = "Bright flat.\nThree lines of text,\nwith commas, and \"quotes\"."
    rows[4]["price_per_night"] = "cheap"  # L5: record 6, but line 8 of the file
    path = catalog_writer(rows)
    lines = path.read_text(encoding="utf-8").splitlines()
    malformed = next(k for k, line in enumerate(lines) if line.startswith("L3,"))
    lines[malformed] += ",extra"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert lines[7].startswith("L5,") and lines[5].startswith("L3,")

    catalog = load_catalog(path, knowledge)
    reported = {issue.line: issue.message for issue in catalog.issues}
    assert set(reported) == {6, 8}, reported
    assert "malformed" in reported[6]
    assert "cheap" in reported[8]
    assert catalog.record(catalog.row("L1"))["description"].startswith("Bright flat.\nThree lines")


def test_a_gzipped_catalog_loads_and_reports_lines(fixture_rows, catalog_writer, knowledge, tmp_path):
    rows = [dict(r) for r in fixture_rows]
    rows[1]["description"] = "Two\nlines"
    rows[2]["accommodates"] = "many"  # L3: line 5 (L2 spans lines 3-4)
    plain = catalog_writer(rows)
    packed = tmp_path / "catalog.csv.gz"
    with open(plain, "rb") as source, gzip.open(packed, "wb") as target:
        shutil.copyfileobj(source, target)
    catalog = load_catalog(packed, knowledge)
    assert catalog.size == 10
    assert "accommodates" in issue_at(catalog, 5).message


def test_a_duplicate_id_is_reported_and_the_first_kept(fixture_rows, catalog_writer, knowledge):
    rows = [dict(r) for r in fixture_rows]
    twin = dict(rows[0], title="Impostor")
    rows.append(twin)  # line 13
    catalog = load_catalog(catalog_writer(rows), knowledge)
    issue = issue_at(catalog, 13)
    assert "duplicate" in issue.message and "L1" in issue.message
    assert catalog.size == 11
    assert catalog.record(catalog.row("L1"))["title"] == "Alfama flat with view"


def test_an_unknown_amenity_id_is_kept_with_a_warning(fixture_rows, catalog_writer, knowledge):
    rows = [dict(r) for r in fixture_rows]
    rows[1]["amenities"] = "wifi;sauna"  # L2, line 3
    catalog = load_catalog(catalog_writer(rows), knowledge)
    issue = issue_at(catalog, 3)
    assert not issue.skipped
    assert "sauna" in issue.message
    assert catalog.record(catalog.row("L2"))["amenities"] == ["wifi"]
    assert catalog.size == 11
    assert catalog.skipped == []


def test_an_empty_file_is_a_clear_error(tmp_path, knowledge):
    path = tmp_path / "catalog.csv"
    path.write_text("")
    with pytest.raises(CatalogError, match="is empty"):
        load_catalog(path, knowledge)


def test_a_header_only_file_is_a_clear_error(tmp_path, knowledge, catalog_path):
    path = tmp_path / "catalog.csv"
    path.write_text(catalog_path.read_text(encoding="utf-8").splitlines()[0] + "\n")
    with pytest.raises(CatalogError, match="header but no properties"):
        load_catalog(path, knowledge)


def test_a_missing_required_column_is_named(fixture_rows, catalog_writer, knowledge):
    columns = [c for c in fixture_rows[0] if c != "price_per_night"]
    path = catalog_writer(fixture_rows, columns=columns)
    with pytest.raises(CatalogError) as caught:
        load_catalog(path, knowledge)
    assert "price_per_night" in str(caught.value)
    assert "lacks" in str(caught.value)


@pytest.mark.parametrize("content", [
    bytes(range(256)) * 8,
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
    b'id,title\n"never closed,\n',
], ids=["binary", "png", "unclosed-quote"])
def test_garbage_is_a_clear_error(tmp_path, knowledge, content):
    path = tmp_path / "catalog.csv"
    path.write_bytes(content)
    with pytest.raises(CatalogError) as caught:
        load_catalog(path, knowledge)
    assert str(path) in str(caught.value)


def test_a_file_named_gz_that_is_not_gzip_is_a_clear_error(tmp_path, knowledge, catalog_path):
    path = tmp_path / "catalog.csv.gz"
    shutil.copy(catalog_path, path)
    with pytest.raises(CatalogError, match="cannot be read"):
        load_catalog(path, knowledge)


def test_a_missing_file_is_a_clear_error(tmp_path, knowledge):
    with pytest.raises(CatalogError, match="not found"):
        load_catalog(tmp_path / "nope.csv", knowledge)


def test_a_catalog_with_no_valid_row_is_a_clear_error(fixture_rows, catalog_writer, knowledge):
    rows = [dict(r, price_per_night="free") for r in fixture_rows]
    with pytest.raises(CatalogError, match="no valid properties"):
        load_catalog(catalog_writer(rows), knowledge)


def sintra_rows():
    base = dict(description="", property_type="house", room_type="entire_home", accommodates=4, bedrooms=2,
                beds=2, bathrooms=1, price_per_night=100, currency="EUR", min_nights=1, amenities="wifi",
                rating=4.5, review_count=10)
    return [
        dict(base, id="S1", title="Sintra one", location="Sintra", neighbourhood="Vila",
             latitude=38.80, longitude=-9.39),
        dict(base, id="S2", title="Sintra two", location="Sintra", neighbourhood="Vila",
             latitude=38.79, longitude=-9.38),
        dict(base, id="S3", title="Sintra three", location="Sintra", neighbourhood="Colares",
             latitude=38.81, longitude=-9.45),
    ]


def test_catalog_only_destinations_are_derived(fixture_rows, catalog_writer, knowledge):
    catalog = load_catalog(catalog_writer([*fixture_rows, *sintra_rows()]), knowledge)
    sintra = catalog.places.destination("Sintra")
    assert sintra.from_catalog
    assert sintra.latitude == pytest.approx((38.80 + 38.79 + 38.81) / 3)
    assert sintra.longitude == pytest.approx((-9.39 - 9.38 - 9.45) / 3)
    assert {nb.name for nb in sintra.neighbourhoods} == {"Vila", "Colares"}
    vila = catalog.places.neighbourhood("Sintra", "Vila")
    assert (vila.latitude, vila.longitude) == pytest.approx((38.795, -9.385))
    # nearby: what lies within the relaxation radius, closest first
    assert sintra.nearby == ("Cascais", "Lisbon")
    distances = [float(haversine_km(sintra.latitude, sintra.longitude, catalog.places.destination(n).latitude,
                                    catalog.places.destination(n).longitude)) for n in sintra.nearby]
    assert distances == sorted(distances) and distances[-1] < 250

    engine = Engine(knowledge, catalog)
    assert engine.normaliser.location("sintra").value == "Sintra"
    result = engine.search(build_query(location="Sintra"), limit=10)
    assert sorted(r.id for r in result.results) == ["S1", "S2", "S3"]
    # and it is offered as the town next door when nothing in Lisbon fits
    result = engine.search(build_query(location="Lisbon", property_types=["house"], max_price=100))
    assert any("Sintra" in r.description for r in result.relaxations if r.kind == "substitute")


def test_build_catalog_from_a_frame(fixture_rows, knowledge):
    frame = pd.DataFrame(fixture_rows)
    catalog = build_catalog(frame, knowledge)
    assert catalog.size == 11
    # rows are grouped by destination, each a contiguous slice
    for code, _destination in enumerate(catalog.places.destinations):
        part = catalog.loc[catalog.rows_in(code)]
        assert np.all(part == code)
    assert sorted(catalog.ids) == sorted(r["id"] for r in fixture_rows)


def test_a_row_from_a_frame_is_reported_by_its_position(fixture_rows, knowledge):
    rows = [dict(r) for r in fixture_rows]
    rows[2]["latitude"] = "north"
    catalog = build_catalog(pd.DataFrame(rows), knowledge)
    assert [(i.line, i.skipped) for i in catalog.issues] == [(4, True)]
