"""The benchmark's comparison implementations answer the engine's search exactly.

`make bench` times the engine against competent pandas, indexed SQLite, its
own numpy counter and the naive pandas strawman; the comparison only means
something if all of them count the same matches. Here on a
small generated catalog, with random queries that cover empty and non-empty
answers and the big-group rule (more than 6 guests -> bedrooms).
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from constraints import Engine
from constraints.generate_catalog import generate_catalog, write_catalog

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE = ROOT / "knowledge"
BENCHMARKS = ROOT / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))

from baselines import NaivePandasBaseline, PandasBaseline, Spec, SqliteBaseline, amenity_pattern, engine_query  # noqa: E402

SIZE = 2000
QUERIES = 30


@pytest.fixture(scope="module")
def small_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "catalog.csv"
    write_catalog(generate_catalog(KNOWLEDGE, SIZE, 11), path)
    return path


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench", BENCHMARKS / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(bench)
    return bench


@pytest.fixture(scope="module")
def implementations(small_catalog: Path):
    return (Engine.load(KNOWLEDGE, small_catalog),
            PandasBaseline.build(small_catalog, KNOWLEDGE),
            SqliteBaseline.build(small_catalog, KNOWLEDGE),
            NaivePandasBaseline.build(small_catalog, KNOWLEDGE),
            _bench_module().CounterBaseline.build(small_catalog))


def _random_specs(catalog: Path, count: int, seed: int) -> list[Spec]:
    frame = pd.read_csv(catalog)
    rng = np.random.default_rng(seed)
    tokens = frame["amenities"].fillna("").str.split(";").explode()
    share = tokens[tokens != ""].value_counts() / len(frame)
    common = sorted(share[share > 0.3].index)
    everything = sorted(share.index)
    locations = sorted(frame["location"].unique())
    types = sorted(frame["property_type"].unique())
    specs = []
    for k in range(count):
        pool = common if rng.random() < 0.7 else everything
        amenities = tuple(str(a) for a in rng.choice(pool, size=int(rng.integers(1, 3)), replace=False))
        chosen = tuple(str(t) for t in rng.choice(types, size=int(rng.integers(1, 4)), replace=False))
        specs.append(Spec(
            location=str(rng.choice(locations)),
            max_price=float(rng.integers(4, 60) * 10),
            guests=int(rng.integers(1, 11)),
            amenities=amenities,
            types=chosen if k % 2 == 0 else (),
            min_rating=float(rng.choice([3.5, 4.0, 4.5, 4.8])) if k % 2 == 1 else None,
        ))
    return specs


def test_every_baseline_counts_what_the_engine_counts(small_catalog: Path, implementations) -> None:
    engine, *baselines = implementations
    specs = _random_specs(small_catalog, QUERIES, seed=3)
    engine_counts = [engine.search(engine_query(spec), limit=3).total_matches for spec in specs]
    for baseline in baselines:
        assert [baseline.search(spec).count for spec in specs] == engine_counts, baseline.name
    assert sum(c > 0 for c in engine_counts) >= QUERIES // 3, "the queries should not all come back empty"
    assert any(c == 0 for c in engine_counts), "some queries should come back empty"
    assert any(s.guests > 6 for s in specs), "the big-group rule should be exercised"


def test_the_ranked_baselines_return_the_same_top_three(small_catalog: Path, implementations) -> None:
    _, competent, sqlite, naive, _ = implementations
    for spec in _random_specs(small_catalog, QUERIES, seed=5):
        tops = competent.search(spec).top, sqlite.search(spec).top, naive.search(spec).top
        assert tops[0] == tops[1] == tops[2], spec
        assert len(tops[0]) == min(3, sqlite.search(spec).count)


def test_competent_pandas_drops_a_row_that_misses_one_amenity(small_catalog: Path, implementations) -> None:
    """A one-hot column that ignored an amenity (or a wrong split) would count this row."""
    frame = pd.read_csv(small_catalog, dtype={"id": str})
    row = frame.iloc[0]
    has = [a for a in str(row["amenities"]).split(";") if a]
    listed = frame["amenities"].fillna("").str.split(";").explode()
    lacks = next(a for a in sorted(set(listed) - {""}) if a not in has)
    engine, competent, sqlite, naive, counter = implementations
    loose = Spec(location=row["location"], max_price=float(row["price_per_night"]), guests=1,
                 amenities=(has[0],))
    tight = Spec(location=row["location"], max_price=float(row["price_per_night"]), guests=1,
                 amenities=(has[0], lacks))
    for baseline in (competent, sqlite, naive, counter):
        assert baseline.search(loose).count >= 1, baseline.name
        assert baseline.search(tight).count == engine.search(engine_query(tight), limit=3).total_matches
        assert baseline.search(tight).count < baseline.search(loose).count, baseline.name
    assert competent.search(Spec(location="Atlantis", max_price=500.0, guests=2, amenities=())).count == 0


def test_sqlite_searches_through_its_indexes(small_catalog: Path, implementations) -> None:
    """The SQLite peer is only fair if the planner uses the indexes it was given."""
    sqlite = implementations[2]
    spec = _random_specs(small_catalog, 1, seed=3)[0]
    plan = " | ".join(sqlite.plan(spec))
    assert "properties_location_price" in plan, plan
    assert "amenities_amenity_property" in plan, plan


def test_a_bigger_group_derives_bedrooms_like_the_engine(small_catalog: Path, implementations) -> None:
    engine, *baselines = implementations
    frame = pd.read_csv(small_catalog)
    big = frame[(frame["accommodates"] >= 8)].iloc[0]
    spec = Spec(location=big["location"], max_price=5000.0, guests=8, amenities=("wifi",))
    expected = engine.search(engine_query(spec), limit=3).total_matches
    assert any(c.attribute == "bedrooms" for c in engine.prepare(engine_query(spec)).hard)
    for baseline in baselines:
        assert baseline.search(spec).count == expected, baseline.name


def test_amenity_pattern_does_not_match_a_longer_id() -> None:
    values = pd.Series(["wifi;dishwasher", "washer", "tv;washer;pool_table", "hair_dryer", ""])
    assert values.str.contains(amenity_pattern("washer"), regex=True).tolist() == [False, True, True, False, False]
    assert values.str.contains(amenity_pattern("pool"), regex=True).tolist() == [False] * 5
    assert values.str.contains(amenity_pattern("dryer"), regex=True).tolist() == [False] * 5


def test_the_report_only_rewrites_its_own_section(tmp_path: Path) -> None:
    bench = _bench_module()
    report = tmp_path / "BENCHMARKS.md"
    bench.write_section(report, "first")
    assert report.read_text().startswith("# Benchmarks\n")
    text = report.read_text().replace(bench.END_MARK, bench.END_MARK + "\n\n## Somebody else's section\nkeep me\n")
    report.write_text("# Benchmarks\nintro by others\n" + text.split("\n", 1)[1])
    bench.write_section(report, "second")
    after = report.read_text()
    assert "second" in after and "first" not in after
    assert "intro by others" in after and "keep me" in after
    assert after.count(bench.START_MARK) == 1 and after.count(bench.END_MARK) == 1


def test_load_plans_have_distinct_fingerprints_that_a_swap_cannot_pass() -> None:
    """50 travellers in 31 destinations: no two share (destination, party, budget), and two in one
    destination state parties and budgets the other never states, so a swap fails the checks."""
    import load

    engine = Engine.load(KNOWLEDGE)
    plans = load.draw_plans(engine, 50, 8, seed=7, run="t")
    assert len({p.fingerprint for p in plans}) == 50
    by_place: dict[str, list] = {}
    for plan in plans:
        by_place.setdefault(plan.location, []).append(plan)
    shared = [group for group in by_place.values() if len(group) > 1]
    assert len(shared) == 50 - len(by_place) > 0
    for earlier, later in (group[:2] for group in shared):
        assert min(later.parties) > max(earlier.parties)
        assert min(later.budgets) > max(earlier.budgets)


def test_the_critiquing_arms_start_each_target_from_the_same_state() -> None:
    import critiquing

    first = [critiquing.target_rng(11, i).randint(1, 8) for i in range(20)]
    again = [critiquing.target_rng(11, i).randint(1, 8) for i in range(20)]
    assert first == again
    assert first != [critiquing.target_rng(12, i).randint(1, 8) for i in range(20)]
    figures = critiquing.summarise([(3, 2), (4, 4), (None, 2), (5, None), (2, 3)], seed=1)
    assert figures["both"] == 3  # one denominator: the targets both arms reach
    assert figures["unit_mean"] == 3.0 and figures["compound_mean"] == 3.0 and figures["gain"] == 0.0
    assert figures["low"] <= 0.0 <= figures["high"]
    assert (figures["shorter"], figures["longer"], figures["same"]) == (1, 1, 1)


def test_the_turn_script_sends_the_same_message_at_turn_5_and_turn_40() -> None:
    import turns

    kinds = turns.script(40)
    assert len(kinds) == 40 and kinds[:2] == ["search", "no"]
    assert kinds[turns.EARLY - 1] == kinds[turns.LATE - 1]
    assert kinds[turns.EARLY - 3:turns.EARLY] == kinds[turns.LATE - 3:turns.LATE]


def test_the_load_check_catches_a_swap_between_two_conversations_of_one_destination() -> None:
    """A's tracker holding B's slots, or only B's picks, or no budget, is an error, not a pass."""
    import asyncio

    import load

    engine = Engine.load(KNOWLEDGE)
    catalog = engine.catalog
    plans = load.draw_plans(engine, 50, 8, seed=7, run="t")
    first_of: dict[str, load.Plan] = {}
    pairs = []
    for plan in plans:
        if plan.location in first_of:
            pairs.append((first_of[plan.location], plan))
        first_of.setdefault(plan.location, plan)
    assert len(pairs) == 19

    def picks(plan: load.Plan, keep) -> list[str]:
        rows = np.flatnonzero(catalog.text["location"] == plan.location)
        return [str(catalog.ids[r]) for r in rows if keep(r)][:3]

    def in_b_not_a(a: load.Plan, b: load.Plan) -> list[str]:  # B could be shown them, A never
        return picks(b, lambda r: catalog.accommodates[r] >= b.guests and max(a.budgets) < catalog.price[r] <= b.budget)

    a, b = next((a, b) for a, b in pairs if in_b_not_a(a, b))
    hers = in_b_not_a(a, b)
    his = picks(a, lambda r: a.guests <= catalog.accommodates[r] < b.guests and catalog.price[r] <= a.budget)
    assert his

    def errors_for(slots: dict, plan: load.Plan | None = None) -> list[str]:
        outcome = load.Outcome()
        talk = load.Conversation(plan or a, None, "http://127.0.0.1:1", "t", engine, outcome, 5.0)

        async def tracker(turn: int) -> dict:
            return {"slots": slots}

        talk.tracker = tracker
        asyncio.run(talk.check_fingerprint(3, "cheaper"))
        return outcome.errors

    own = {"location": a.location, "guests": a.guests, "budget": a.budget}
    assert errors_for({**own, "shown": []}) == []
    assert any("cross-talk" in e for e in errors_for({"location": b.location, "guests": b.guests,
                                                       "budget": b.budget, "shown": hers}))
    assert any("largest budget" in e for e in errors_for({**own, "shown": hers}))
    assert any("smallest party" in e for e in errors_for(
        {"location": b.location, "guests": b.guests, "budget": b.budget, "shown": his}, plan=b))
    assert any("missing slot" in e for e in errors_for({"location": a.location, "guests": a.guests}))
