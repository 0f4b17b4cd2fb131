"""What support staff noticed over a working day with `stays`: right answers, or one clear refusal.

One test per complaint of the support-staff issue: why-not's rank against what
search shows, past dates, contradictory or ineffective flags, rows that could
not be read, calendars that answer nothing, help and listings, counts in words.
"""
from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import FIXTURE_CATALOG

from constraints.cli import main


@pytest.fixture
def stays(capsys, knowledge_dir, catalog_path, monkeypatch):
    """`stays ARGS` on the fixture with today pinned; returns (status, stdout, stderr)."""
    monkeypatch.setenv("STAYS_TODAY", "2026-12-02")

    def run(*args: str, catalog: Path | None = None) -> tuple[int, str, str]:
        argv = [*args, "--knowledge", str(knowledge_dir), "--catalog", str(catalog or catalog_path)]
        try:
            status = main(argv)
        except SystemExit as exc:
            status = int(exc.code or 0)
        out, err = capsys.readouterr()
        return status, out, err
    return run


# --- why-not --------------------------------------------------------------------------------


def test_why_not_says_a_shown_place_is_shown_and_says_it_once(stays):
    status, out, _ = stays("search", "--location", "Lisbon", "--json")
    ranked = [r["id"] for r in json.loads(out)["results"]]
    last = ranked[-1]
    status, out, _ = stays("why-not", last, "--location", "Lisbon")
    assert status == 0
    assert f"ranks #{len(ranked)} of {len(ranked)}, within the first 10 shown" in out
    assert "ask for" not in out and out.count(f"#{len(ranked)}") == 1

    status, out, _ = stays("why-not", last, "--location", "Lisbon", "--limit", "1", "--json")
    answer = json.loads(out)
    assert answer["rank"] == len(ranked) and answer["visible"] is False and answer["shown"] == 1
    assert answer["fixes"] == [f"Only the first 1 are shown; ask for {len(ranked)} results (or page on) to see it."]


# --- dates ----------------------------------------------------------------------------------


def test_past_dates_are_refused_with_the_reason(stays):
    status, _, err = stays("search", "--location", "Lisbon", "--check-in", "2026-11-10", "--check-out", "2026-11-14")
    assert status == 2
    assert "10 November 2026 is in the past (today is 02 December 2026)" in err


def test_dates_without_a_calendar_say_availability_was_not_checked(stays, tmp_path):
    bare = tmp_path / "no_calendar.csv"
    bare.write_bytes(FIXTURE_CATALOG.read_bytes())  # no calendar beside this copy
    check_in = date(2026, 12, 2) + timedelta(days=30)
    status, _, err = stays("search", "--location", "Lisbon", "--check-in", check_in.isoformat(),
                           "--check-out", (check_in + timedelta(days=3)).isoformat(), catalog=bare)
    assert status == 0
    assert "availability not checked: this catalog has no calendar" in err


# --- contradictions and flags without effect ---------------------------------------------------


@pytest.mark.parametrize("flags, said", [
    (["--min-price", "200", "--max-price", "100"], "--min-price 200 is above --max-price 100"),
    (["--nights", "7", "--check-in", "2027-01-04", "--check-out", "2027-01-08"],
     "--nights 7 disagrees with the dates (4 nights)"),
    (["--max-price", "300", "--budget-scope", "stay"], "--budget-scope stay needs the length of the stay"),
    (["--must", "pool"], "for an amenity write amenities:pool"),
    (["--must", "amenities:pool"], "--must amenities:pool has no effect"),
    (["--flexible", "price_per_night"], "--flexible price_per_night has no effect"),
    (["--context", "pets=maybe"], "--context pets is true or false, not 'maybe'"),
])
def test_contradictory_or_ineffective_flags_are_one_clear_line(stays, flags, said):
    status, out, err = stays("search", "--location", "Lisbon", *flags)
    assert status == 2 and out == ""
    assert said in err and len(err.strip().splitlines()) == 1


def test_a_priority_on_something_asked_for_is_accepted(stays):
    status, _, err = stays("search", "--location", "Lisbon", "--max-price", "80", "--flexible", "price_per_night")
    assert status == 0, err


# --- rows that could not be read -------------------------------------------------------------


def broken_copy(tmp_path: Path) -> tuple[Path, str]:
    with open(FIXTURE_CATALOG, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    victim = next(r for r in rows if r["location"] == "Lisbon")
    victim["accommodates"] = "lots"
    path = tmp_path / "broken.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path, victim["id"]


def test_skipped_rows_are_counted_in_every_command(stays, tmp_path):
    broken, victim = broken_copy(tmp_path)
    status, out, err = stays("search", "--location", "Lisbon", catalog=broken)
    assert status == 0
    assert "(1 catalog row could not be read: `stays check`)" in out.splitlines()[0]
    status, out, _ = stays("search", "--location", "Lisbon", "--json", catalog=broken)
    assert json.loads(out)["catalog_rows_skipped"] == 1
    status, _, err = stays("show", victim, catalog=broken)
    assert status == 1
    assert f"Property '{victim}' is in {broken} but its row could not be read" in err
    assert "accommodates" in err


# --- calendars that cannot answer ---------------------------------------------------------------


def test_check_flags_a_calendar_wholly_in_the_past(stays, tmp_path):
    catalog = tmp_path / "old.csv"
    catalog.write_bytes(FIXTURE_CATALOG.read_bytes())
    ids = [row["id"] for row in csv.DictReader(open(FIXTURE_CATALOG, encoding="utf-8"))]
    (tmp_path / "old.calendar.csv").write_text(
        "# window: 2024-11-05 2025-11-08\nid,start,end,available,price\n"
        + "".join(f"{pid},2024-11-05,2025-11-09,true,\n" for pid in ids), encoding="utf-8")
    status, out, _ = stays("check", catalog=catalog)
    assert status == 1
    assert "the calendar ends on 2025-11-08, before today (2026-12-02)" in out
    status, out, _ = stays("check", "--json", catalog=catalog)
    report = json.loads(out)
    assert report["ok"] is False and report["warnings"]


def test_check_summarises_a_calendar_of_another_catalog(stays, tmp_path):
    catalog = tmp_path / "other.csv"
    catalog.write_bytes(FIXTURE_CATALOG.read_bytes())
    (tmp_path / "other.calendar.csv").write_text(
        "# window: 2026-11-01 2027-12-31\nid,start,end,available,price\n"
        + "".join(f"x{k},2026-12-01,2026-12-05,false,\n" for k in range(80)), encoding="utf-8")
    status, out, _ = stays("check", catalog=catalog)
    assert status == 1
    assert "80 rows: unknown property id, e.g." in out
    assert "it belongs to another catalog" in out
    assert "{" not in out, "no Python dicts in a report for people"
    assert len(out.splitlines()) < 15


# --- help, listings, words --------------------------------------------------------------------


def test_bare_stays_prints_help_and_every_subcommand_has_examples(capsys):
    assert main([]) == 0
    assert "search" in capsys.readouterr().out
    for command in ("search", "why-not", "show", "list", "check", "import-airbnb", "analyze"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        out = capsys.readouterr().out
        assert "examples:" in out and f"stays {command}" in out, command


def test_every_flag_of_every_subcommand_has_help(capsys):
    import argparse

    from constraints.cli import build_parser

    subcommands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    for name, parser in subcommands.choices.items():
        for action in parser._actions:
            assert action.help, f"stays {name} {'/'.join(action.option_strings) or action.dest} has no help"
    with pytest.raises(SystemExit):
        main(["search", "--help"])
    assert "YYYY-MM-DD" in capsys.readouterr().out


def test_list_shows_places_amenities_and_types_with_counts(stays):
    status, out, _ = stays("list", "places", "--json")
    places = {p["name"]: p for p in json.loads(out)["places"]}
    assert places["Lisbon"]["properties"] == 5 and places["Lisbon"]["currency"] == "EUR"
    status, out, _ = stays("list", "amenities")
    assert status == 0 and "wifi" in out
    status, out, _ = stays("list", "types")
    assert status == 0 and "apartment" in out


def test_counts_read_as_english(stays):
    status, out, _ = stays("search", "--location", "Chamonix")
    assert out.splitlines()[0] == "1 place matches."
    status, out, _ = stays("show", "L2")
    assert "1 bed ·" in out and "at least 2 nights" in out and "0 bedrooms" in out


def test_analyze_counts_agree_with_search(stays):
    """What analyze says a request leaves is what search finds for it, budgets in the place's own currency."""
    status, out, _ = stays("analyze", "--json")
    by_destination = json.loads(out)["restrictiveness"]["by_destination"]
    checked = 0
    for place, report in by_destination.items():
        for entry in report["values"]:
            if entry["attribute"] == "accommodates" and entry["value"] > 6:
                continue  # search adds the big-group bedrooms rule; analyze counts the bare request
            flags = {"amenities": ["--amenity", str(entry["value"])],
                     "accommodates": ["--guests", str(entry["value"])],
                     "price_per_night": ["--max-price", str(entry["value"])]}.get(entry["attribute"])
            if flags is None:
                continue
            _, found, _ = stays("search", "--location", place, *flags, "--json", "--min-results", "1")
            assert json.loads(found)["total_matches"] == entry["left"], (place, entry["key"])
            checked += 1
    assert checked >= 20
