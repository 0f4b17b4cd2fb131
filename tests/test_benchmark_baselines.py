"""The benchmark's comparison implementations answer the engine's search exactly.

`make bench` times the engine against naive pandas and indexed SQLite; the
comparison only means something if all three count the same matches. Here on a
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

from baselines import PandasBaseline, Spec, SqliteBaseline, amenity_pattern, engine_query  # noqa: E402

SIZE = 2000
QUERIES = 30


@pytest.fixture(scope="module")
def small_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "catalog.csv"
    write_catalog(generate_catalog(KNOWLEDGE, SIZE, 11), path)
    return path


@pytest.fixture(scope="module")
def implementations(small_catalog: Path):
    return (Engine.load(KNOWLEDGE, small_catalog),
            PandasBaseline.build(small_catalog, KNOWLEDGE),
            SqliteBaseline.build(small_catalog, KNOWLEDGE))


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


def test_pandas_and_sqlite_count_what_the_engine_counts(small_catalog: Path, implementations) -> None:
    engine, pandas_baseline, sqlite_baseline = implementations
    specs = _random_specs(small_catalog, QUERIES, seed=3)
    engine_counts, pandas_counts, sqlite_counts = [], [], []
    for spec in specs:
        engine_counts.append(engine.search(engine_query(spec), limit=3).total_matches)
        from_pandas, from_sqlite = pandas_baseline.search(spec), sqlite_baseline.search(spec)
        pandas_counts.append(from_pandas.count)
        sqlite_counts.append(from_sqlite.count)
        assert from_pandas.top == from_sqlite.top, spec
        assert len(from_pandas.top) == min(3, from_pandas.count)
    assert pandas_counts == engine_counts
    assert sqlite_counts == engine_counts
    assert sum(c > 0 for c in engine_counts) >= QUERIES // 3, "the queries should not all come back empty"
    assert any(c == 0 for c in engine_counts), "some queries should come back empty"
    assert any(s.guests > 6 for s in specs), "the big-group rule should be exercised"


def test_a_bigger_group_derives_bedrooms_like_the_engine(small_catalog: Path, implementations) -> None:
    engine, pandas_baseline, sqlite_baseline = implementations
    frame = pd.read_csv(small_catalog)
    big = frame[(frame["accommodates"] >= 8)].iloc[0]
    spec = Spec(location=big["location"], max_price=5000.0, guests=8, amenities=("wifi",))
    expected = engine.search(engine_query(spec), limit=3).total_matches
    assert any(c.attribute == "bedrooms" for c in engine.prepare(engine_query(spec)).hard)
    assert pandas_baseline.search(spec).count == expected
    assert sqlite_baseline.search(spec).count == expected


def test_amenity_pattern_does_not_match_a_longer_id() -> None:
    values = pd.Series(["wifi;dishwasher", "washer", "tv;washer;pool_table", "hair_dryer", ""])
    assert values.str.contains(amenity_pattern("washer"), regex=True).tolist() == [False, True, True, False, False]
    assert values.str.contains(amenity_pattern("pool"), regex=True).tolist() == [False] * 5
    assert values.str.contains(amenity_pattern("dryer"), regex=True).tolist() == [False] * 5


def test_the_report_only_rewrites_its_own_section(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench", BENCHMARKS / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(bench)
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
