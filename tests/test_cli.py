"""The `stays` command line, driven through `constraints.cli.main` as support staff would use it."""
from __future__ import annotations

import json

import pytest

from constraints.cli import main

DESIGN_KEYS = {"query", "total_matches", "results", "relaxations", "conflict", "alternatives"}


@pytest.fixture
def stays(capsys, knowledge_dir, catalog_path):
    """Run `stays ARGS` on the fixture; returns (exit status, stdout, stderr)."""
    def run(*args, catalog=None):
        argv = [*args, "--knowledge", str(knowledge_dir), "--catalog", str(catalog or catalog_path)]
        try:
            status = main(argv)
        except SystemExit as exc:  # argparse exits on bad arguments
            status = exc.code
        out, err = capsys.readouterr()
        return status, out, err
    return run


def one_json_object(out: str) -> dict:
    document = json.loads(out)  # the whole of stdout, nothing before or after
    assert isinstance(document, dict)
    return document


def test_search_json_is_one_object_with_the_design_keys(stays):
    status, out, err = stays("search", "--location", "Lisbon", "--guests", "4", "--json")
    assert status == 0
    document = one_json_object(out)
    assert DESIGN_KEYS <= set(document)
    assert document["total_matches"] == 3
    assert {r["id"] for r in document["results"]} == {"L1", "L3", "L5"}
    for result in document["results"]:
        assert {"id", "title", "location", "price_per_night", "score", "explanation"} <= set(result)
        assert result["location"] == "Lisbon"
        assert isinstance(result["explanation"], list) and result["explanation"]
    assert document["query"][0] == {"attribute": "location", "op": "eq", "value": "Lisbon",
                                    "strength": "hard", "source": "user"}
    assert document["relaxations"] == [] and document["conflict"] == [] and document["alternatives"] == []


def test_search_json_when_nothing_matches(stays):
    status, out, err = stays("search", "--location", "Lisbon", "--amenity", "pool", "--max-price", "150",
                             "--guests", "4", "--json")
    assert status == 0
    document = one_json_object(out)
    assert document["total_matches"] == 0 and document["results"] == []
    assert document["relaxations"], "nothing offered"
    for relaxation in document["relaxations"]:
        assert relaxation["kind"] in ("drop", "widen", "substitute")
        assert relaxation["matches"] >= 1
        assert set(relaxation) >= {"kind", "changes", "matches", "description"}
        for change in relaxation["changes"]:
            assert set(change) == {"attribute", "from", "to"}
    assert [c["attribute"] for c in document["conflict"]] == ["price_per_night", "amenities"]
    assert all(set(a) >= {"id", "similarity", "misses"} for a in document["alternatives"])


def test_a_corrected_typo_is_a_note_on_stderr_not_stdout(stays):
    status, out, err = stays("search", "--location", "Lisbn", "--amenity", "wi-fi", "--json")
    assert status == 0
    document = one_json_object(out)
    assert document["query"][0]["value"] == "Lisbon"
    assert "Lisbn" in err and "Lisbon" in err


def test_an_unknown_location_exits_2_with_did_you_mean(stays):
    status, out, err = stays("search", "--location", "Casc", "--json")
    assert status == 2
    assert out == ""
    assert "did you mean" in err.lower() and "Cascais" in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_an_unknown_amenity_exits_2(stays):
    status, out, err = stays("search", "--amenity", "sauna")
    assert status == 2 and out == ""
    assert "sauna" in err


@pytest.mark.parametrize("args", [
    ("--max-price", "-5"), ("--max-price", "cheap"), ("--guests", "abc"), ("--guests", "0"),
    ("--check-in", "tomorrow"), ("--min-rating", "7"),
])
def test_a_bad_number_exits_2_with_one_line(stays, args):
    status, out, err = stays("search", *args)
    assert status == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert args[0] in lines[0]


def test_check_out_without_check_in_exits_2(stays):
    status, out, err = stays("search", "--check-out", "2027-03-05")
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1


def test_an_empty_catalog_exits_1_with_a_clear_message(stays, tmp_path):
    empty = tmp_path / "catalog.csv"
    empty.write_text("")
    status, out, err = stays("search", "--location", "Lisbon", "--json", catalog=empty)
    assert status == 1
    assert out == ""
    assert "empty" in err and str(empty) in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_a_missing_catalog_exits_1(stays, tmp_path):
    status, out, err = stays("show", "L1", catalog=tmp_path / "nope.csv")
    assert status == 1 and out == ""
    assert "not found" in err


def test_show(stays):
    status, out, err = stays("show", "L3")
    assert status == 0
    assert "Belém house with pool" in out
    assert "€210" in out
    assert "Pool" in out and "Pets allowed" in out
    status, out, err = stays("show", "L3", "--json")
    record = one_json_object(out)
    assert record["id"] == "L3" and record["price_per_night"] == 210.0
    assert record["amenities"] == ["wifi", "pool", "free_parking", "pets_allowed"]


def test_show_an_unknown_id(stays):
    status, out, err = stays("show", "ZZ9")
    assert status != 0 and out == ""
    assert "ZZ9" in err and "Traceback" not in err


def test_why_not_names_the_budget(stays):
    status, out, err = stays("why-not", "L3", "--location", "Lisbon", "--max-price", "150")
    assert status == 0
    assert "€210 a night, over your €150" in out
    assert "Without a budget of €150 a night" in out
    status, out, err = stays("why-not", "L3", "--location", "Lisbon", "--max-price", "150", "--json")
    answer = one_json_object(out)
    assert answer["matches"] is False
    assert [f["attribute"] for f in answer["failed"]] == ["price_per_night"]


def test_why_not_gives_the_rank_of_a_match_shown_too_low(stays):
    status, out, err = stays("why-not", "L4", "--location", "Lisbon", "--limit", "1", "--json")
    assert status == 0
    answer = one_json_object(out)
    assert answer["matches"] is True and answer["failed"] == []
    assert answer["rank"] > 1 and answer["total_matches"] == 5
    status, out, err = stays("why-not", "L4", "--location", "Lisbon", "--limit", "1")
    assert f"ranks #{answer['rank']} of 5" in out


def test_why_not_with_a_stay_budget_and_a_minimum_stay(stays):
    # M1 needs 4 nights; without the 2-night stay the budget for it has no meaning either
    status, out, err = stays("why-not", "M1", "--location", "Chamonix", "--nights", "2", "--max-price", "1100",
                             "--budget-scope", "stay")
    assert status == 0, err
    assert "minimum stay 4 nights" in out
    assert "Traceback" not in err


def test_check_passes_on_the_fixture(stays):
    status, out, err = stays("check")
    assert status == 0
    assert "11 properties loaded" in out
    assert out.strip().endswith("ok")
    status, out, err = stays("check", "--json")
    report = one_json_object(out)
    assert report["ok"] is True and report["catalog"]["properties"] == 11


def test_check_fails_on_a_bad_row_and_lists_its_line(stays, catalog_writer, fixture_rows):
    rows = [dict(r) for r in fixture_rows]
    rows[3]["price_per_night"] = "cheap"  # L4, line 5
    path = catalog_writer(rows)
    status, out, err = stays("check", catalog=path)
    assert status == 1
    assert "line 5" in out and "cheap" in out
    assert "problems found" in out
    status, out, err = stays("check", "--json", catalog=path)
    report = one_json_object(out)
    assert status == 1 and report["ok"] is False
    assert [(i["line"], i["skipped"]) for i in report["catalog"]["issues"]] == [(5, True)]


def test_search_text_output(stays):
    status, out, err = stays("search", "--location", "Lisbon", "--amenity", "pool", "--max-price", "150",
                             "--guests", "4")
    assert status == 0
    assert "Nothing matches." in out
    assert "Raise the budget to €210 a night: 1 place" in out
    assert "Closest places:" in out


@pytest.fixture
def dated_catalog(tmp_path, catalog_path):
    """The fixture catalog with a calendar beside it: L1 booked 4-8 March 2027."""
    path = tmp_path / "catalog.csv"
    path.write_bytes(catalog_path.read_bytes())
    (tmp_path / "catalog.calendar.csv").write_text(
        "# window: 2027-03-01 2027-08-31\nid,start,end,available,price\nL1,2027-03-04,2027-03-08,false,\n",
        encoding="utf-8")
    return path


def test_a_dated_search_prices_the_stay(stays, dated_catalog):
    status, out, err = stays("search", "--location", "Lisbon", "--check-in", "2027-03-05", "--check-out",
                             "2027-03-07", "--json", catalog=dated_catalog)
    assert status == 0, err
    document = one_json_object(out)
    ids = {r["id"] for r in document["results"]}
    assert "L1" not in ids and "L4" in ids
    l4 = next(r for r in document["results"] if r["id"] == "L4")
    assert l4["nights"] == 2
    assert l4["total_price"] == pytest.approx(2 * 45 * 1.15)  # Friday and Saturday nights
    dates = next(c for c in document["query"] if c["attribute"] == "dates")
    assert dates["value"] == {"check_in": "2027-03-05", "check_out": "2027-03-07"}


def test_dates_outside_the_calendar_exit_2(stays, dated_catalog):
    status, out, err = stays("search", "--location", "Lisbon", "--check-in", "2030-01-01", "--check-out",
                             "2030-01-03", "--json", catalog=dated_catalog)
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "2027" in err


def test_context_flags_bring_in_the_rules(stays):
    status, out, err = stays("search", "--location", "Lisbon", "--context", "pets=true", "--json")
    assert status == 0
    document = one_json_object(out)
    assert [r["id"] for r in document["results"]] == ["L3"]
    assert {"attribute": "amenities", "op": "contains", "value": "pets_allowed", "strength": "hard",
            "source": "rule:pets_allowed"} in document["query"]
    status, out, err = stays("search", "--context", "dragons=3")
    assert status == 2 and out == "" and "dragons" in err
