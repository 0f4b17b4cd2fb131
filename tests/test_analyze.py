"""`stays analyze`: every number checked against a plain-Python count over the rows."""
from __future__ import annotations

import json
import random
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from constraints import analyze as A
from constraints import analyze_searches
from constraints.catalog import build_catalog
from constraints.catalog_read import CONTRACT_COLUMNS
from constraints.cli import main
from tests.engine_oracle import haversine

COORDS = {"Lisbon": (38.7223, -9.1393), "Cascais": (38.6979, -9.4215), "Chamonix": (45.9237, 6.8694)}
GUESTS = (2, 4, 6, 8, 10, 12)
BUDGETS = (50, 75, 100, 150, 200, 300)
RATINGS = (4.5, 4.8)
BEDROOMS = (2, 3, 4)
CENTRE_KM = (0.5, 1, 2, 5)


# --- helpers --------------------------------------------------------------------------

def random_rows(seed: int, n: int = 60) -> list[dict[str, Any]]:
    """A small random world with many near-identical places, so domination is common."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        place = rng.choice(list(COORDS))
        rating = rng.choice([None, 4.2, 4.5, 4.5, 4.8, 4.9, 5.0])
        rows.append({
            "id": f"R{i}", "title": f"Place {i}", "description": "", "location": place, "neighbourhood": "",
            "latitude": COORDS[place][0], "longitude": COORDS[place][1],
            "property_type": rng.choice(["apartment", "house", "studio"]),
            "room_type": rng.choice(["entire_home", "entire_home", "private_room"]),
            "accommodates": rng.randint(1, 12), "bedrooms": rng.randint(0, 4), "beds": 1, "bathrooms": 1,
            "price_per_night": rng.choice([40, 60, 75, 100, 120, 150, 250, 320]),
            "currency": rng.choice(["EUR", "EUR", "USD"]), "min_nights": 1,
            "amenities": ";".join(a for a in ["wifi", "pool", "washer", "free_parking", "pets_allowed"]
                                  if rng.random() < 0.5),
            "rating": rating, "review_count": rng.choice([0, 2, 3, 10, 50]) if rating is not None else 0,
        })
    return rows


def catalog_of(rows: list[dict[str, Any]], knowledge):
    catalog = build_catalog(pd.DataFrame(rows, columns=CONTRACT_COLUMNS), knowledge)
    assert catalog.size == len(rows), [str(i) for i in catalog.issues]
    return catalog


def number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    value = float(value)
    return None if value != value else value


def amenities_of(row: dict[str, Any]) -> set[str]:
    return {a for a in str(row.get("amenities") or "").split(";") if a}


def price_base(row: dict[str, Any], knowledge) -> float:
    rates = knowledge.settings["currency"]["rates"]
    return float(row["price_per_night"]) * rates[(row.get("currency") or "EUR").upper()]


def local_currencies(rows: list[dict[str, Any]]) -> dict[str, str]:
    """Each place's currency: the one most of its rows use (ties: the first in alphabetical order)."""
    counts: dict[str, Counter] = {}
    for row in rows:
        counts.setdefault(row["location"], Counter())[(row.get("currency") or "EUR").upper()] += 1
    return {place: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for place, c in counts.items()}


def price_local(row: dict[str, Any], local: dict[str, str], knowledge) -> float:
    """A budget is in the destination's own currency: rows in another one are converted into it."""
    rates = knowledge.settings["currency"]["rates"]
    own, wanted = (row.get("currency") or "EUR").upper(), local[row["location"]]
    price = float(row["price_per_night"])
    return price if own == wanted else price * rates[own] / rates[wanted]


def keeps(row: dict[str, Any], key: str, knowledge, local: dict[str, str]) -> bool:
    """Does this raw row satisfy the constraint value named `key`? Plain Python, from the CSV values."""
    min_reviews = int(knowledge.settings["rating"]["min_reviews"])
    if key.startswith("amenities="):
        return key.split("=", 1)[1] in amenities_of(row)
    if key.startswith("property_type="):
        return row["property_type"] == key.split("=", 1)[1]
    if key == "room_type=entire_home":
        return row["room_type"] == "entire_home"
    if key.startswith("centre<="):
        return km_from_centre(row, knowledge) <= float(key[len("centre<="):])
    for attribute, op in (("accommodates", ">="), ("bedrooms", ">="), ("price_per_night", "<="), ("rating", ">=")):
        if key.startswith(attribute + op):
            threshold = float(key[len(attribute + op):])
            if attribute == "price_per_night":
                return price_local(row, local, knowledge) <= threshold
            if attribute == "rating":
                rating, reviews = number(row.get("rating")), int(number(row.get("review_count")) or 0)
                return rating is not None and reviews >= min_reviews and rating >= threshold
            return (number(row.get(attribute)) or 0) >= threshold
    raise AssertionError(f"unexpected key {key}")


def expected_keys(knowledge) -> set[str]:
    return ({f"amenities={a}" for a in knowledge.amenities} | {f"property_type={t}" for t in knowledge.property_types}
            | {"room_type=entire_home"} | {f"accommodates>={g}" for g in GUESTS}
            | {f"price_per_night<={b}" for b in BUDGETS} | {f"rating>={r:g}" for r in RATINGS}
            | {f"bedrooms>={b}" for b in BEDROOMS} | {f"centre<={km:g}" for km in CENTRE_KM})


def km_from_centre(row: dict[str, Any], knowledge) -> float:
    """Great-circle km from a raw row to its destination's point in locations.yml."""
    centre = knowledge.destinations[row["location"]]
    return haversine(float(row["latitude"]), float(row["longitude"]), centre.latitude, centre.longitude)


def brute_dominators(rows: list[dict[str, Any]], catalog, knowledge) -> dict[str, int]:
    """O(n²) in plain Python: how many places dominate each one."""
    info = []
    for row in rows:
        r = catalog.row_of[row["id"]]
        info.append((row["id"], row["location"], row["property_type"], row["room_type"], int(row["accommodates"]),
                     price_base(row, knowledge), amenities_of(row), float(catalog.rating_score[r]), r))
    counts = {}
    for pid, loc, kind, room, acc, price, amen, score, order in info:
        counts[pid] = sum(
            1 for qid, qloc, qkind, qroom, qacc, qprice, qamen, qscore, qorder in info
            if qid != pid and qloc == loc and qkind == kind and qroom == room and qacc >= acc and qprice <= price
            and amen <= qamen and (qscore > score or (qscore == score and qorder < order)))
    return counts


# --- restrictiveness --------------------------------------------------------------------

@pytest.mark.parametrize("seed", [None, 1, 2, 3])
def test_every_share_equals_a_plain_count(seed, fixture_rows, knowledge):
    rows = fixture_rows if seed is None else random_rows(seed)
    catalog = catalog_of(rows, knowledge)
    report = A.restrictiveness(catalog, knowledge)
    assert {v.key for v in report.values} == expected_keys(knowledge)
    scopes = [None, *sorted({r["location"] for r in rows})]
    local = local_currencies(rows)
    for scope in scopes:
        mine = [r for r in rows if scope is None or r["location"] == scope]
        entries = report.entries(scope)
        assert len(entries) == len(expected_keys(knowledge))
        shares = [e["ruled_out_share"] for e in entries]
        assert shares == sorted(shares, reverse=True), "most restrictive first"
        for e in entries:
            left = sum(1 for r in mine if keeps(r, e["key"], knowledge, local))
            assert (e["left"], e["total"], e["ruled_out"]) == (left, len(mine), len(mine) - left), (scope, e["key"])
            assert e["ruled_out_share"] == pytest.approx(1 - left / len(mine), abs=1e-6)
    # destinations without properties are not reported
    document = report.to_json()
    assert set(document["by_destination"]) == set(scopes[1:])


def test_unrated_places_fail_every_rating_threshold(knowledge):
    rows = random_rows(5, 12)
    for row in rows:
        row.update(rating=5.0, review_count=1)  # perfect, but too few reviews to count
    report = A.restrictiveness(catalog_of(rows, knowledge), knowledge)
    by_key = {e["key"]: e for e in report.entries()}
    assert by_key["rating>=4.5"]["left"] == 0 and by_key["rating>=4.8"]["ruled_out_share"] == 1.0


def test_common_requests_line(fixture_rows, knowledge):
    report = A.restrictiveness(catalog_of(fixture_rows, knowledge), knowledge)
    common = report.common("Lisbon")
    assert {e["key"] for e in common} == set(A.COMMON_REQUESTS)
    assert [e["ruled_out_share"] for e in common] == sorted((e["ruled_out_share"] for e in common), reverse=True)
    by_key = {e["key"]: e for e in common}
    assert by_key["amenities=pool"]["left"] == 1  # only L3 in Lisbon has a pool
    assert by_key["price_per_night<=100"]["left"] == 2  # L2 (70) and L4 (45)
    assert [e["label"] for e in common if e["key"] == "price_per_night<=100"] == ["≤ €100 a night"]


# --- unreachable properties -------------------------------------------------------------

def test_packed_amenities_test_supersets_across_words():
    rng = np.random.default_rng(7)
    amen = rng.random((130, 25)) < 0.7  # three uint64 words
    amen[:, 3] = amen[:, 2] | amen[:, 3]  # make sure some supersets exist
    bits = A.pack_amenities(amen)
    assert bits.dtype == np.uint64 and bits.shape == (25, 3)
    for i in range(25):
        for j in range(25):
            expected = all(amen[a, j] for a in range(130) if amen[a, i])
            assert bool(np.all((bits[j] & bits[i]) == bits[i])) == expected


def test_fixture_dominators(catalog_path, knowledge, fixture_rows):
    catalog = catalog_of(fixture_rows, knowledge)
    counts = A.dominator_counts(catalog)
    expected = brute_dominators(fixture_rows, catalog, knowledge)
    assert {pid: int(counts[catalog.row_of[pid]]) for pid in catalog.ids} == expected


@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_unreachable_set_equals_a_brute_force_check(seed, knowledge):
    rows = random_rows(seed)
    catalog = catalog_of(rows, knowledge)
    expected = brute_dominators(rows, catalog, knowledge)
    assert sum(expected.values()) > 0, "the random world should have some domination"
    for chunk in (A.CHUNK_PAIRS, 7):  # tiny chunks exercise the chunked path
        counts = A.dominator_counts(catalog, chunk_pairs=chunk)
        assert {pid: int(counts[catalog.row_of[pid]]) for pid in catalog.ids} == expected
    for k in (1, 2, 3):
        found = A.unreachable(catalog, k)
        assert {str(catalog.ids[r]) for r in found.rows()} == {p for p, n in expected.items() if n >= k}
        per = found.by_destination(catalog)
        for place, numbers in per.items():
            assert numbers["unreachable"] == sum(1 for r in rows if r["location"] == place and expected[r["id"]] >= k)


def test_identical_places_the_earlier_row_dominates(knowledge, fixture_rows):
    twin = dict(fixture_rows[1], id="L2b", title="Baixa studio, again")
    rows = [*fixture_rows, twin, dict(twin, id="L2c"), dict(twin, id="L2d")]
    catalog = catalog_of(rows, knowledge)
    found = A.unreachable(catalog, k=3)
    assert [str(catalog.ids[r]) for r in found.rows()] == ["L2d"]
    assert int(found.counts[catalog.row_of["L2c"]]) == 2


# --- coverage gaps ----------------------------------------------------------------------

@pytest.mark.parametrize("seed", [None, 21])
def test_gaps_are_exactly_the_zero_and_rare_counts(seed, fixture_rows, knowledge):
    rows = fixture_rows if seed is None else random_rows(seed)
    catalog = catalog_of(rows, knowledge)
    for rare_share in (A.RARE_SHARE, 0.3):
        gaps = A.coverage_gaps(catalog, rare_share)
        assert set(gaps) == {r["location"] for r in rows}
        for place, gap in gaps.items():
            mine = [r for r in rows if r["location"] == place]
            amen = {a: sum(1 for r in mine if a in amenities_of(r)) for a in knowledge.amenities}
            kinds = {t: sum(1 for r in mine if r["property_type"] == t) for t in knowledge.property_types}
            assert gap["properties"] == len(mine)
            assert set(gap["missing_amenities"]) == {a for a, n in amen.items() if n == 0}
            assert set(gap["missing_types"]) == {t for t, n in kinds.items() if n == 0}
            assert {r["id"]: r["count"] for r in gap["rare_amenities"]} == {
                a: n for a, n in amen.items() if 0 < n < rare_share * len(mine)}
            assert {r["id"]: r["count"] for r in gap["rare_types"]} == {
                t: n for t, n in kinds.items() if 0 < n < rare_share * len(mine)}


def test_one_pool_in_sixty_is_rare(knowledge):
    rows = random_rows(31, 60)
    for k, row in enumerate(rows):
        row.update(location="Lisbon", latitude=COORDS["Lisbon"][0], longitude=COORDS["Lisbon"][1],
                   amenities="wifi;pool" if k == 0 else "wifi")
    gap = A.coverage_gaps(catalog_of(rows, knowledge))["Lisbon"]
    assert gap["rare_amenities"] == [{"id": "pool", "count": 1, "share": round(1 / 60, 6)}]
    assert "pool" not in gap["missing_amenities"] and "hot_tub" in gap["missing_amenities"]


# --- failed searches from the tracker store ---------------------------------------------

def search_event(matches: int, conflict: list[tuple[str, Any]], query: list[tuple[str, Any]] = ()) -> dict:
    ops = {"location": "eq", "amenities": "contains", "price_per_night": "<=", "accommodates": ">="}
    return {"event": "bot", "timestamp": 0, "text": "…", "data": {},
            "metadata": {"utter_action": "action_search", "search": {
                "matches": matches,
                "conflict": [{"attribute": a, "op": ops[a], "value": v} for a, v in conflict],
                "query": [{"attribute": a, "op": ops[a], "value": v, "strength": "hard", "source": "user"}
                          for a, v in query or conflict]}}}


def tracker_store(path: Path) -> Path:
    """A Rasa-shaped SQL tracker store with a few searches among other events."""
    lisbon_pool = [("location", "Lisbon"), ("amenities", "pool"), ("price_per_night", 150)]
    events = [
        ("a", "user", {"event": "user", "text": "a place in Lisbon with a pool",
                       "metadata": {"search": {"matches": 9}}}),
        ("a", "action", {"event": "action", "name": "action_search"}),
        ("a", "bot", search_event(0, lisbon_pool)),
        ("a", "bot", {"event": "bot", "text": "Anything else?", "metadata": {}}),
        ("b", "bot", search_event(0, list(reversed(lisbon_pool)))),
        ("b", "slot", {"event": "slot", "name": "location", "value": "Lisbon"}),
        ("b", "bot", search_event(0, [("location", "Lisbon"), ("accommodates", 8)])),
        ("c", "bot", search_event(5, [], [("location", "Cascais")])),
        ("c", "bot", search_event(0, [("amenities", "pool"), ("location", "Cascais")])),
        ("c", "bot", {"event": "bot", "text": "hello"}),
    ]
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, "
                       "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), "
                       "action_name VARCHAR(255), data TEXT)")
    connection.executemany("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, ?, ?, ?)",
                           [(s, t, 1000.0 + k, json.dumps(d)) for k, (s, t, d) in enumerate(events)])
    connection.execute("INSERT INTO events (sender_id, type_name, timestamp, data) "
                       "VALUES ('d', 'bot', 2000, 'not json')")
    connection.commit()
    connection.close()
    return path


def test_failed_search_aggregation(tmp_path, knowledge):
    store = tracker_store(tmp_path / "rasa.db")
    records = A.search_records(A.bot_events(store))
    assert len(records) == 5
    summary = A.failed_searches(records, knowledge)
    assert (summary["searches"], summary["zero_matches"], summary["conversations"]) == (5, 4, 3)
    assert summary["zero_match_share"] == pytest.approx(0.8)
    top = summary["conflicts"][0]
    assert top["combination"] == "Lisbon + pool + ≤ €150 a night" and top["count"] == 2
    assert [c["count"] for c in summary["conflicts"]] == [2, 1, 1]
    assert {a["attribute"]: a["count"] for a in summary["attributes"]} == {
        "location": 4, "amenities": 3, "price_per_night": 2, "accommodates": 1}
    # the same store through a sqlite URL, and only the searches for one place
    records = A.search_records(A.bot_events(f"sqlite:///{store}"))
    cascais = A.failed_searches(records, knowledge, location="Cascais")
    assert (cascais["searches"], cascais["zero_matches"]) == (2, 1)
    assert cascais["conflicts"][0]["combination"] == "Cascais + pool"


def test_a_conflict_on_the_centre_reads_as_a_distance_after_the_place(knowledge):
    conflict = [{"attribute": "amenities", "value": "pool"}, {"attribute": "centre", "value": 1.0},
                {"attribute": "location", "value": "Lisbon"}]
    summary = A.failed_searches([A.SearchRecord("a", 0.0, 0, conflict, conflict)], knowledge)
    assert summary["conflicts"][0]["combination"] == "Lisbon + ≤ 1 km from the centre + pool"
    assert {a["attribute"] for a in summary["attributes"]} == {"amenities", "centre", "location"}


def test_unreadable_tracker_store(tmp_path):
    with pytest.raises(A.TrackerStoreError):
        list(A.bot_events(tmp_path / "missing.db"))
    assert not (tmp_path / "missing.db").exists(), "reading must not create the file"
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    with pytest.raises(A.TrackerStoreError, match="events"):
        list(A.bot_events(empty))


def test_sqlalchemy_urls_are_read_through_sqlalchemy(tmp_path, monkeypatch):
    store = tracker_store(tmp_path / "rasa.db")
    monkeypatch.setattr(analyze_searches, "_sqlite_path", lambda source: None)  # as if it were a PostgreSQL URL
    assert len(A.search_records(A.bot_events(f"sqlite:///{store}"))) == 5
    monkeypatch.undo()
    with pytest.raises(A.TrackerStoreError) as caught:  # nothing listens on port 1
        list(A.bot_events("postgresql://rasa:secret@127.0.0.1:1/rasa"))
    assert "secret" not in str(caught.value) and "rasa:***@127.0.0.1" in str(caught.value)


# --- the command line ------------------------------------------------------------------

@pytest.fixture
def stays(capsys, knowledge_dir, catalog_path):
    def run(*args):
        argv = ["analyze", *args, "--knowledge", str(knowledge_dir), "--catalog", str(catalog_path)]
        try:
            status = main(argv)
        except SystemExit as exc:
            status = exc.code
        out, err = capsys.readouterr()
        return status, out, err
    return run


def test_cli_json_is_one_object_with_the_four_sections(stays, tmp_path):
    store = tracker_store(tmp_path / "rasa.db")
    status, out, err = stays("--json", "--tracker-store", str(store))
    assert status == 0, err
    document = json.loads(out)
    assert {"restrictiveness", "unreachable", "gaps", "failed_searches"} <= set(document)
    assert set(document["restrictiveness"]) >= {"overall", "by_destination"}
    assert set(document["restrictiveness"]["by_destination"]) == {"Lisbon", "Cascais", "New York City", "Chamonix"}
    assert document["restrictiveness"]["overall"][0]["total"] == 11
    assert document["gaps"]["Chamonix"]["properties"] == 1
    assert document["failed_searches"]["available"] and document["failed_searches"]["searches"] == 5
    assert document["unreachable"]["k"] == 3 and isinstance(document["unreachable"]["count"], int)


def test_cli_unreadable_tracker_store_is_a_warning(stays, tmp_path):
    status, out, err = stays("--json", "--tracker-store", str(tmp_path / "nowhere.db"))
    assert status == 0
    document = json.loads(out)  # a bad tracker store is a warning, not a failure
    assert document["failed_searches"]["available"] is False
    assert "warning" in err and err.count("\n") == 1


def test_cli_human_report_and_location(stays, tmp_path):
    store = tracker_store(tmp_path / "rasa.db")
    status, out, err = stays("--location", "lisbn", "--top", "3", "--tracker-store", str(store))
    assert status == 0, err
    assert "Most restrictive constraint values (Lisbon, 5 places)" in out
    assert "Lisbon (5)" in out and "Cascais (" not in out
    assert "3 searches" in out and "Lisbon + pool + ≤ €150 a night" in out


def test_cli_chart_writes_a_png(stays, tmp_path):
    chart = tmp_path / "out" / "restrictiveness.png"
    status, out, err = stays("--json", "--chart", str(chart), "--tracker-store", str(tmp_path / "none.db"))
    assert status == 0, err
    json.loads(out)
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert str(chart) in err


def test_cli_unknown_location(stays):
    status, out, err = stays("--location", "Lisbonn Town", "--json")
    assert status == 2
    assert out == ""
    assert "Did you mean" in err
