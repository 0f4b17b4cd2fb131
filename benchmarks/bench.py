#!/usr/bin/env python
"""Engine benchmark: search, no-match and dated-search latency at 10k / 100k / 1M properties.

    python benchmarks/bench.py [--sizes 10000,100000,1000000] [--queries 200]

Steps (each heavy step runs in its own fresh Python process, so the peak
memory it reports belongs to that step alone; this orchestrating process only
uses the standard library and stays small, because a child inherits the
parent's peak RSS through fork/exec):

1. generate   the catalog of each size with the committed generator (fixed
              seed) into benchmarks/data/catalog-{size}.csv, and for the
              calendar sizes (100k) a 365-day calendar beside it; reused when
              the size, seed and generator inputs are unchanged.
2. queries    seeded query sets: `search` (5 constraints, drawn from a random
              property so each has at least one match), `nomatch` (random
              tight combinations kept only when nothing matches) and, with a
              calendar, `dated` (the 5 constraints plus check-in/out on which
              the drawn property is free).
3. engine     Engine.load + engine.search on every query; load time, peak RSS.
4. baselines  competent pandas (one-hot amenity columns, per-destination
              frames), indexed SQLite, the naive pandas strawman
              (benchmarks/baselines.py) and this file's vectorised numpy
              counter (`CounterBaseline`), on the same `search` and `nomatch`
              queries after warm-up; their match counts are checked against
              the engine's.

The markdown table goes to stdout and into BENCHMARKS.md between the
engine-benchmark markers. Raw figures: benchmarks/data/results.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import platform
import subprocess
import sys
import time
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
DATA = BENCH / "data"
KNOWLEDGE = ROOT / "knowledge"
REPORT = ROOT / "BENCHMARKS.md"
START_MARK = "<!-- engine-benchmark:start -->"
END_MARK = "<!-- engine-benchmark:end -->"

CATALOG_SEED = 7
CALENDAR_SEED = 7
QUERY_SEED = 2026
CALENDAR_START = dt.date(2026, 11, 1)
CALENDAR_DAYS = 365
WARMUP = 5                      # untimed engine searches per query set
AGREEMENT_QUERIES = 50          # at least this many queries are compared across implementations
CATEGORIES = ("search", "nomatch", "dated")
# the baselines in the table's order, with the label that says which kind each is
BASELINE_TITLES = {
    "pandas": "pandas, competent (fair peer)",
    "sqlite": "SQLite in memory, indexed (fair peer)",
    "numpy": "numpy counter, count only (floor)",
    "pandas-naive": "pandas `DataFrame.query`, naive strawman",
}
SHORT_NAMES = {"pandas": "pandas", "sqlite": "SQLite", "numpy": "numpy", "pandas-naive": "strawman"}
RANKED = ("pandas", "sqlite", "pandas-naive")  # the baselines that return a top 3
TITLES = {
    "search": "Search, 5 constraints",
    "nomatch": "No-match path (conflict + relaxations + near misses)",
    "dated": "Dated search, 5 constraints + dates (365-day calendar)",
}
# (category, size, p95 ceiling in ms)
TARGETS = [("search", 100_000, 5.0), ("search", 1_000_000, 40.0),
           ("nomatch", 100_000, 20.0), ("dated", 100_000, 10.0)]


# --- small helpers (standard library only) ------------------------------------------------

def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_sizes(text: str) -> list[int]:
    sizes = []
    for part in text.split(","):
        part = part.strip().lower().replace("_", "")
        if not part:
            continue
        factor = 1
        if part.endswith("k"):
            factor, part = 1_000, part[:-1]
        elif part.endswith("m"):
            factor, part = 1_000_000, part[:-1]
        sizes.append(int(float(part) * factor))
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive numbers, e.g. 10000,100000,1000000")
    return sizes


def label(size: int) -> str:
    if size >= 1_000_000 and size % 1_000_000 == 0:
        return f"{size // 1_000_000}M"
    if size >= 1_000 and size % 1_000 == 0:
        return f"{size // 1_000}k"
    return f"{size:,}"


def fingerprint(paths: Sequence[Path], *extra: Any) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update(json.dumps(extra, default=str).encode())
    return digest.hexdigest()[:16]


def catalog_path(size: int) -> Path:
    return DATA / f"catalog-{size}.csv"


def peak_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def proc_status(key: str) -> float | None:
    """VmHWM / VmRSS of this process in MiB (per address space, a cross-check of ru_maxrss)."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (numpy's default), without numpy."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(times_ms: Sequence[float]) -> dict[str, float]:
    return {"n": len(times_ms), "p50": percentile(times_ms, 50), "p95": percentile(times_ms, 95),
            "mean": sum(times_ms) / len(times_ms) if times_ms else float("nan"),
            "max": max(times_ms) if times_ms else float("nan")}


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, default=str), encoding="utf-8")
    tmp.replace(path)


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


# --- worker: generate ---------------------------------------------------------------------

def catalog_fingerprint(size: int, seed: int) -> str:
    sources = [ROOT / "src/constraints/generate_catalog.py",
               *(KNOWLEDGE / n for n in ("locations.yml", "amenities.yml", "property_types.yml"))]
    return fingerprint(sources, size, seed)


def engine_settings(*sections: str) -> dict[str, Any]:
    """Sections of knowledge/engine.yml (so an edit elsewhere in the file does not invalidate caches)."""
    import yaml

    settings = yaml.safe_load((KNOWLEDGE / "engine.yml").read_text(encoding="utf-8")) or {}
    return {name: settings.get(name) for name in sections}


def calendar_fingerprint(catalog_fp: str, start: dt.date, end: dt.date, seed: int) -> str:
    sources = [ROOT / "src/constraints/generate_calendar.py", KNOWLEDGE / "locations.yml"]
    return fingerprint(sources, catalog_fp, start, end, seed, engine_settings("pricing"))


def worker_generate(size: int, seed: int, with_calendar: bool) -> dict[str, Any]:
    import pandas as pd

    from constraints.availability import calendar_path_for
    from constraints.generate_calendar import generate_calendar, write_calendar
    from constraints.generate_catalog import generate_catalog, write_catalog

    DATA.mkdir(parents=True, exist_ok=True)
    path = catalog_path(size)
    meta_path = path.with_suffix(".meta.json")
    meta = read_json(meta_path) if meta_path.exists() else {}
    catalog_fp = catalog_fingerprint(size, seed)
    frame = None
    if path.exists() and meta.get("fingerprint") == catalog_fp and meta.get("size") == size \
            and meta.get("seed") == seed and meta.get("bytes") == path.stat().st_size:
        log(f"  catalog {path.name}: reused (generated in {meta['generate_s']:.1f} s)")
        meta["reused"] = True
    else:
        log(f"  catalog {path.name}: generating {size:,} properties (seed {seed}) ...")
        started = time.perf_counter()
        frame = generate_catalog(KNOWLEDGE, size, seed)
        generated = time.perf_counter() - started
        tmp = path.with_name(path.name + ".tmp.csv")
        write_catalog(frame, tmp)
        tmp.replace(path)
        written = time.perf_counter() - started - generated
        meta = {"size": size, "seed": seed, "fingerprint": catalog_fp, "rows": len(frame),
                "generate_s": generated, "write_s": written, "bytes": path.stat().st_size, "reused": False}
        log(f"  catalog {path.name}: {generated:.1f} s to generate, {written:.1f} s to write")

    calendar_file = calendar_path_for(path)
    start = CALENDAR_START
    end = CALENDAR_START + dt.timedelta(days=CALENDAR_DAYS - 1)
    if with_calendar:
        calendar_fp = calendar_fingerprint(catalog_fp, start, end, CALENDAR_SEED)
        old = meta.get("calendar") or {}
        if calendar_file.exists() and old.get("fingerprint") == calendar_fp and \
                old.get("bytes") == calendar_file.stat().st_size and meta.get("reused"):
            log(f"  calendar {calendar_file.name}: reused (generated in {old['generate_s']:.1f} s)")
            old["reused"] = True
        else:
            if frame is None:
                frame = pd.read_csv(path)
            log(f"  calendar {calendar_file.name}: generating {CALENDAR_DAYS} days for {size:,} properties ...")
            started = time.perf_counter()
            runs = generate_calendar(KNOWLEDGE, frame, start, end, CALENDAR_SEED)
            generated = time.perf_counter() - started
            tmp = calendar_file.with_name(calendar_file.name + ".tmp.csv")
            write_calendar(runs, tmp, start, end)
            tmp.replace(calendar_file)
            written = time.perf_counter() - started - generated
            old = {"fingerprint": calendar_fp, "start": start.isoformat(), "end": end.isoformat(),
                   "days": CALENDAR_DAYS, "seed": CALENDAR_SEED, "runs": len(runs), "generate_s": generated,
                   "write_s": written, "bytes": calendar_file.stat().st_size, "reused": False}
            log(f"  calendar {calendar_file.name}: {generated:.1f} s to generate, {written:.1f} s to write")
        meta["calendar"] = old
    else:
        meta.pop("calendar", None)
        if calendar_file.exists():  # only sizes with a calendar are measured with one
            calendar_file.unlink()
    write_json(meta_path, meta)
    return meta


# --- worker: queries ----------------------------------------------------------------------

class _Columns:
    """The catalog columns the query generator needs, as numpy arrays (independent of the engine)."""

    def __init__(self, path: Path) -> None:
        import numpy as np
        import pandas as pd

        sys.path.insert(0, str(BENCH))
        from baselines import Settings

        settings = Settings.load(KNOWLEDGE)
        frame = pd.read_csv(path, usecols=[
            "id", "location", "property_type", "accommodates", "bedrooms", "price_per_night", "currency",
            "amenities", "rating", "review_count", "min_nights", "max_nights"], dtype={"id": str, "amenities": str})
        self.n = len(frame)
        self.ids = frame["id"].to_numpy(dtype=object)
        self.location = frame["location"].to_numpy(dtype=object)
        self.destinations = sorted(set(self.location))
        self.rows_of = {name: np.flatnonzero(self.location == name) for name in self.destinations}
        self.ptype = frame["property_type"].to_numpy(dtype=object)
        self.types = sorted(set(self.ptype))
        self.acc = frame["accommodates"].to_numpy(dtype=np.int64)
        self.bedrooms = frame["bedrooms"].fillna(0).to_numpy(dtype=np.int64)
        currency = frame["currency"].fillna(settings.base).str.strip().str.upper()
        self.price = frame["price_per_night"].to_numpy(dtype=float) * currency.map(settings.rates).to_numpy(float)
        self.rating = frame["rating"].to_numpy(dtype=float)
        self.rated = (frame["review_count"].fillna(0).to_numpy() >= settings.min_reviews) & ~np.isnan(self.rating)
        self.min_nights = frame["min_nights"].fillna(1).to_numpy(dtype=np.int64)
        self.max_nights = frame["max_nights"].fillna(100_000).to_numpy(dtype=np.int64)
        tokens = frame["amenities"].fillna("").str.split(";").explode().str.strip()
        tokens = tokens[tokens != ""]
        self.amenities = sorted(set(tokens.unique()))
        codes = pd.Categorical(tokens.to_numpy(), categories=self.amenities).codes
        self.amen = np.zeros((self.n, len(self.amenities)), dtype=bool)
        self.amen[tokens.index.to_numpy(), codes] = True
        self.amenity_share = self.amen.mean(axis=0)

    def count(self, spec: dict[str, Any], booked: Any = None) -> int:
        """Matches of a spec with the benchmark's semantics (see baselines.py), inside its location.

        For a dated spec, `booked(first, end)` gives each row's "some night in [first, end) is
        booked" and the stay length must lie within the property's minimum and maximum nights.
        """
        import numpy as np

        rows = self.rows_of.get(spec["location"])
        if rows is None:
            return 0
        ok = (self.price[rows] <= spec["max_price"]) & (self.acc[rows] >= spec["guests"])
        if spec.get("check_in"):
            first, end = booked.span(spec["check_in"], spec["check_out"])
            nights = end - first
            ok &= (self.min_nights[rows] <= nights) & (self.max_nights[rows] >= nights)
            ok &= ~booked(first, end)[rows]
        for amenity in spec["amenities"]:
            ok &= self.amen[rows, self.amenities.index(amenity)]
        if spec["types"]:
            ok &= np.isin(self.ptype[rows], spec["types"])
        if spec["min_rating"] is not None:
            ok &= self.rated[rows] & (self.rating[rows] >= spec["min_rating"])
        if spec["guests"] > 6:
            ok &= self.bedrooms[rows] >= math.ceil(spec["guests"] / 2)
        return int(np.count_nonzero(ok))


class CounterBaseline:
    """The query generator's vectorised counter (`_Columns.count`), timed as a baseline.

    It is the cheapest correct answer to "how many match": numpy boolean
    arrays per destination, no ranking and no top three, so it bounds from
    below what any search over these columns can cost.
    """

    name = "numpy"

    def __init__(self, cols: _Columns) -> None:
        self.cols = cols

    @classmethod
    def build(cls, path: Path) -> CounterBaseline:
        return cls(_Columns(path))

    def search(self, spec: Any) -> Any:
        from baselines import Answer

        return Answer(self.cols.count(spec.to_json()))


def _spec(location: str, max_price: float, guests: int, amenities: Sequence[str], types: Sequence[str] = (),
          min_rating: float | None = None, check_in: str | None = None, check_out: str | None = None) -> dict[str, Any]:
    return {"location": location, "max_price": float(max_price), "guests": int(guests),
            "amenities": list(amenities), "types": list(types), "min_rating": min_rating,
            "check_in": check_in, "check_out": check_out}


def _from_property(cols: _Columns, i: int, rng: Any) -> dict[str, Any] | None:
    """Five constraints that property i meets, loosened the way a traveller would state them."""
    has = [cols.amenities[j] for j in range(len(cols.amenities)) if cols.amen[i, j]]
    if not has:
        return None
    guests = int(rng.integers(1, cols.acc[i] + 1))
    while guests > 6 and cols.bedrooms[i] < math.ceil(guests / 2):
        guests -= 1  # the big-group rule would also ask for bedrooms this property lacks
    budget = math.ceil(cols.price[i] * rng.uniform(1.0, 1.5) / 10) * 10
    wanted = [str(a) for a in rng.choice(has, size=min(len(has), int(rng.integers(1, 3))), replace=False)]
    bars = [r for r in (3.5, 4.0, 4.5, 4.7, 4.8, 4.9) if cols.rated[i] and r <= cols.rating[i]]
    if bars and rng.random() < 0.4:
        return _spec(cols.location[i], budget, guests, wanted, min_rating=float(rng.choice(bars)))
    types = [cols.ptype[i]]
    if rng.random() < 0.3:
        types.append(str(rng.choice([t for t in cols.types if t != cols.ptype[i]] or types)))
    return _spec(cols.location[i], budget, guests, wanted, types=types)


class _Booked:
    """Booked runs of a calendar file, for the reference count of dated queries."""

    def __init__(self, cols: _Columns, calendar: Path) -> None:
        import numpy as np
        import pandas as pd

        with open(calendar, encoding="utf-8") as handle:
            first_line = handle.readline().split()
        self.window_start = dt.date.fromisoformat(first_line[2])
        self.days = (dt.date.fromisoformat(first_line[3]) - self.window_start).days + 1
        runs = pd.read_csv(calendar, comment="#", dtype={"id": str, "available": str})
        runs = runs[runs["available"].str.strip().str.lower().isin(["false", "f"])]
        origin = pd.Timestamp(self.window_start)
        start = (pd.to_datetime(runs["start"]) - origin).dt.days.to_numpy()
        end = (pd.to_datetime(runs["end"]) - origin).dt.days.to_numpy()
        row_of = {pid: i for i, pid in enumerate(cols.ids)}
        row = runs["id"].map(row_of).to_numpy()
        order = np.argsort(row, kind="stable")
        self.row, self.start, self.end = row[order].astype(np.int64), start[order], end[order]
        self.n = cols.n

    def span(self, check_in: str, check_out: str) -> tuple[int, int]:
        return ((dt.date.fromisoformat(check_in) - self.window_start).days,
                (dt.date.fromisoformat(check_out) - self.window_start).days)

    def __call__(self, first: int, end: int) -> Any:
        import numpy as np

        busy = np.zeros(self.n, dtype=bool)
        busy[self.row[(self.start < end) & (self.end > first)]] = True
        return busy

    def of_row(self, i: int) -> tuple[Any, Any]:
        import numpy as np

        a, b = np.searchsorted(self.row, i, "left"), np.searchsorted(self.row, i, "right")
        return self.start[a:b], self.end[a:b]


def _search_queries(cols: _Columns, n: int, rng: Any) -> list[dict[str, Any]]:
    queries = []
    while len(queries) < n:
        i = int(rng.integers(cols.n))
        spec = _from_property(cols, i, rng)
        if spec is not None:
            spec["seed_property"] = str(cols.ids[i])
            spec["expected_min"] = 1
            queries.append(spec)
    return queries


def _nomatch_queries(cols: _Columns, n: int, rng: Any) -> tuple[list[dict[str, Any]], int]:
    """Random tight combinations (many guests, a low budget, rarer amenities), kept when nothing matches."""
    import numpy as np

    rare = [a for a, share in zip(cols.amenities, cols.amenity_share, strict=True) if share < 0.08] or cols.amenities
    queries: list[dict[str, Any]] = []
    attempts = 0
    while len(queries) < n and attempts < 500 * n:
        attempts += 1
        location = str(rng.choice(cols.destinations))
        prices = cols.price[cols.rows_of[location]]
        quantile = float(np.quantile(prices, rng.uniform(0.02, 0.4)))
        budget = max(10.0, math.floor(quantile * rng.uniform(0.7, 1.1) / 5) * 5)
        guests = int(rng.integers(3, 13))
        pool = rare if rng.random() < 0.6 else cols.amenities
        wanted = [str(a) for a in rng.choice(pool, size=int(rng.integers(1, 3)), replace=False)]
        if rng.random() < 0.5:
            spec = _spec(location, budget, guests, wanted,
                         types=[str(t) for t in rng.choice(cols.types, size=int(rng.integers(1, 3)), replace=False)])
        else:
            spec = _spec(location, budget, guests, wanted, min_rating=float(rng.choice([4.5, 4.7, 4.8, 4.9])))
        if cols.count(spec) == 0:
            spec["expected_max"] = 0
            queries.append(spec)
    return queries, attempts


def _dated_queries(cols: _Columns, n: int, rng: Any, booked: _Booked) -> list[dict[str, Any]]:
    """The search queries' shape plus a 2-7 night stay on which the drawn property is free."""
    import numpy as np

    queries = []
    while len(queries) < n:
        i = int(rng.integers(cols.n))
        low, high = max(2, int(cols.min_nights[i])), min(7, int(cols.max_nights[i]))
        if low > high:
            continue
        spec = _from_property(cols, i, rng)
        if spec is None:
            continue
        booked_from, booked_to = booked.of_row(i)
        for _ in range(40):
            nights = int(rng.integers(low, high + 1))
            check_in = int(rng.integers(0, booked.days - nights + 1))
            if not np.any((booked_from < check_in + nights) & (booked_to > check_in)):
                spec["check_in"] = (booked.window_start + dt.timedelta(days=check_in)).isoformat()
                spec["check_out"] = (booked.window_start + dt.timedelta(days=check_in + nights)).isoformat()
                spec["seed_property"] = str(cols.ids[i])
                spec["expected_min"] = 1
                queries.append(spec)
                break
    return queries


def worker_queries(size: int, n: int, seed: int, out: Path) -> dict[str, Any]:
    import numpy as np

    from constraints.availability import calendar_path_for

    started = time.perf_counter()
    cols = _Columns(catalog_path(size))
    rng = np.random.default_rng([seed, size])
    queries: dict[str, Any] = {"search": _search_queries(cols, n, rng)}
    queries["nomatch"], attempts = _nomatch_queries(cols, n, rng)
    calendar = calendar_path_for(catalog_path(size))
    booked = None
    if calendar.exists():
        booked = _Booked(cols, calendar)
        queries["dated"] = _dated_queries(cols, n, rng, booked)
    for specs in queries.values():
        for spec in specs:  # the generator's own count, an independent check of every engine answer
            spec["reference_count"] = cols.count(spec, booked)
    info = {"seed": seed, "nomatch_attempts": attempts, "build_s": time.perf_counter() - started,
            "counts": {k: len(v) for k, v in queries.items()}}
    write_json(out, {"info": info, **queries})
    return info


# --- worker: engine -----------------------------------------------------------------------

def _timed(search: Any, query: Any) -> tuple[Any, float, float]:
    """One call, with its wall-clock and CPU time in ms (CPU time leaves out waits for a busy core)."""
    cpu0, wall0 = time.process_time_ns(), time.perf_counter_ns()
    result = search(query)
    wall, cpu = time.perf_counter_ns() - wall0, time.process_time_ns() - cpu0
    return result, wall / 1e6, cpu / 1e6


def _per_query(rounds: list[list[float]]) -> list[float]:
    """Each query's median over the rounds it ran in."""
    return [percentile([r[k] for r in rounds], 50) for k in range(len(rounds[0]))]


def worker_engine(size: int, queries_file: Path, rounds: int, round_budget_s: float) -> dict[str, Any]:
    import gc

    sys.path.insert(0, str(BENCH))
    from baselines import Spec, engine_query

    from constraints import Engine

    queries = read_json(queries_file)
    gc.collect()
    started = time.perf_counter()
    engine = Engine.load(KNOWLEDGE, catalog_path(size))
    load_s = time.perf_counter() - started
    out: dict[str, Any] = {
        "load_s": load_s, "rss_after_load_mib": peak_rss_mib(), "hwm_after_load_mib": proc_status("VmHWM"),
        "resident_after_load_mib": proc_status("VmRSS"),
        "rows": engine.catalog.size, "skipped_rows": len(engine.catalog.skipped),
        "calendar_days": engine.availability.days if engine.availability else None,
        "categories": {},
    }
    log(f"  engine: loaded {engine.catalog.size:,} properties in {load_s:.1f} s, "
        f"peak RSS {out['rss_after_load_mib']:.0f} MiB")

    def search(query: Any) -> Any:
        return engine.search(query, limit=3)

    for category in CATEGORIES:
        if category not in queries:
            continue
        specs = [Spec.from_json(q) for q in queries[category]]
        prepared = [engine_query(s) for s in specs]
        for query in prepared[:WARMUP]:
            search(query)
        walls: list[list[float]] = []
        cpus: list[list[float]] = []
        counts, relaxations, problems = [], [], []
        spent = 0.0
        while len(walls) < rounds and (not walls or spent < round_budget_s):
            wall_round, cpu_round = [], []
            for k, query in enumerate(prepared):
                result, wall, cpu = _timed(search, query)
                wall_round.append(wall)
                cpu_round.append(cpu)
                if walls:
                    continue  # answers are checked in the first round
                counts.append(result.total_matches)
                relaxations.append(len(result.relaxations))
                expected = queries[category][k]
                if result.total_matches < expected.get("expected_min", 0):
                    problems.append(f"query #{k}: {result.total_matches} matches, but property "
                                    f"{expected.get('seed_property')} meets every constraint: {specs[k].to_json()}")
                if result.total_matches > expected.get("expected_max", float("inf")):
                    problems.append(f"query #{k}: {result.total_matches} matches where the generator found none: "
                                    f"{specs[k].to_json()}")
                if result.total_matches != expected.get("reference_count", result.total_matches):
                    problems.append(f"query #{k}: {result.total_matches} matches, the benchmark's own numpy count "
                                    f"is {expected['reference_count']}: {specs[k].to_json()}")
                if result.total_matches == 0 and (not result.relaxations
                                                  or any(r.matches < 1 for r in result.relaxations)):
                    problems.append(f"query #{k}: no match and no usable relaxation: {specs[k].to_json()}")
            walls.append(wall_round)
            cpus.append(cpu_round)
            spent += sum(wall_round) / 1e3
        times, cpu_times = _per_query(walls), _per_query(cpus)
        cpu = summary(cpu_times)
        out["categories"][category] = {
            **summary(times), "cpu_p50": cpu["p50"], "cpu_p95": cpu["p95"], "rounds": len(walls),
            "first_round": summary(walls[0]), "times_ms": times, "cpu_ms": cpu_times, "counts": counts,
            "relaxations": relaxations, "with_matches": sum(1 for c in counts if c > 0), "problems": problems,
            "reference_mismatches": sum(1 for k, c in enumerate(counts)
                                        if c != queries[category][k].get("reference_count", c)),
        }
        log(f"  engine {category}: p50 {percentile(times, 50):.2f} ms, p95 {percentile(times, 95):.2f} ms, "
            f"CPU p95 {cpu['p95']:.2f} ms ({len(times)} queries x {len(walls)} rounds)")
    out["rss_after_queries_mib"] = peak_rss_mib()
    out["hwm_after_queries_mib"] = proc_status("VmHWM")
    return out


# --- worker: baselines --------------------------------------------------------------------

def worker_baseline(size: int, impl: str, queries_file: Path, budget_s: float, minimum: dict[str, int],
                    rounds: int) -> dict[str, Any]:
    sys.path.insert(0, str(BENCH))
    from baselines import Spec, build

    queries = read_json(queries_file)
    out: dict[str, Any] = {"reused": False, "categories": {}}
    if impl == "sqlite":
        baseline, out["build_s"], out["reused"], out["load_s"] = _sqlite_cached(size)
    else:
        started = time.perf_counter()
        baseline = CounterBaseline.build(catalog_path(size)) if impl == CounterBaseline.name \
            else build(impl, catalog_path(size), KNOWLEDGE)
        out["build_s"] = time.perf_counter() - started
    out["rss_after_build_mib"] = peak_rss_mib()
    log(f"  {impl}: built in {out['build_s']:.1f} s" + (f" (cached; loaded in {out['load_s']:.1f} s)"
                                                          if out["reused"] else ""))
    for category in ("search", "nomatch"):
        specs = [Spec.from_json(q) for q in queries.get(category, [])]
        counts, tops = [], []
        walls: list[list[float]] = []
        cpus: list[list[float]] = []
        for spec in specs[:WARMUP]:
            baseline.search(spec)
        spent = 0.0
        # first round: every query until the budget is spent (never fewer than the minimum)
        wall_round, cpu_round = [], []
        for k, spec in enumerate(specs):
            if k >= minimum[category] and spent > budget_s:
                break
            answer, wall, cpu = _timed(baseline.search, spec)
            spent += wall / 1e3
            wall_round.append(wall)
            cpu_round.append(cpu)
            counts.append(answer.count)
            tops.append(answer.top)
        walls.append(wall_round)
        cpus.append(cpu_round)
        # more rounds over the same queries while they stay cheap (SQLite; pandas rarely)
        while len(walls) < rounds and spent * (len(walls) + 1) / len(walls) <= budget_s:
            again = [_timed(baseline.search, spec) for spec in specs[:len(counts)]]
            walls.append([w for _, w, _ in again])
            cpus.append([c for _, _, c in again])
            spent += sum(walls[-1]) / 1e3
        times, cpu_times = _per_query(walls), _per_query(cpus)
        cpu = summary(cpu_times)
        out["categories"][category] = {**summary(times), "cpu_p50": cpu["p50"], "cpu_p95": cpu["p95"],
                                       "rounds": len(walls), "times_ms": times, "counts": counts, "tops": tops,
                                       "of": len(specs)}
        log(f"  {impl} {category}: p50 {percentile(times, 50):.2f} ms, p95 {percentile(times, 95):.2f} ms, "
            f"CPU p95 {cpu['p95']:.2f} ms ({len(times)} of {len(specs)} queries x {len(walls)} rounds)")
    out["rss_after_queries_mib"] = peak_rss_mib()
    return out


def _sqlite_cached(size: int) -> tuple[Any, float, bool, float | None]:
    """The SQLite baseline, built once per catalog and saved beside it; later runs copy it into memory.

    Returns the baseline, its build time (of the run that built it), whether it was reused, and the
    time to copy the saved database into memory.
    """
    from baselines import SqliteBaseline

    path = catalog_path(size).with_suffix(".sqlite")
    meta_path = path.with_suffix(".sqlite.json")
    catalog_meta = read_json(catalog_path(size).with_suffix(".meta.json"))
    key = fingerprint([BENCH / "baselines.py"], catalog_meta.get("fingerprint"), catalog_path(size).stat().st_size,
                      engine_settings("currency", "rating"))
    meta = read_json(meta_path) if meta_path.exists() else {}
    if path.exists() and meta.get("key") == key:
        started = time.perf_counter()
        baseline = SqliteBaseline.from_file(path, KNOWLEDGE)
        return baseline, float(meta["build_s"]), True, time.perf_counter() - started
    started = time.perf_counter()
    baseline = SqliteBaseline.build(catalog_path(size), KNOWLEDGE)
    build_s = time.perf_counter() - started
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    baseline.save(tmp)
    tmp.replace(path)
    write_json(meta_path, {"key": key, "build_s": build_s})
    return baseline, build_s, False, None


# --- worker: profile ----------------------------------------------------------------------

def worker_profile(size: int, category: str, queries_file: Path, out_text: Path) -> dict[str, Any]:
    import cProfile
    import io
    import pstats

    sys.path.insert(0, str(BENCH))
    from baselines import Spec, engine_query

    from constraints import Engine

    engine = Engine.load(KNOWLEDGE, catalog_path(size))
    prepared = [engine_query(Spec.from_json(q)) for q in read_json(queries_file)[category]]
    for query in prepared[:WARMUP]:
        engine.search(query, limit=3)
    profiler = cProfile.Profile()
    profiler.enable()
    for query in prepared:
        engine.search(query, limit=3)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    rows = []
    for (filename, line, function), (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        where = f"{Path(filename).name}:{line}({function})" if line else function
        if "constraints" in filename:
            where = f"constraints/{Path(filename).name}:{line}({function})"
        rows.append({"function": where, "calls": calls, "tottime_s": tottime, "cumtime_s": cumtime,
                     "cum_share": cumtime / total if total else 0.0, "self_share": tottime / total if total else 0.0})
    buffer = io.StringIO()
    for key in ("cumulative", "tottime"):
        buffer.write(f"==== sorted by {key} ====\n")
        pstats.Stats(profiler, stream=buffer).sort_stats(key).print_stats(35)
    out_text.write_text(buffer.getvalue(), encoding="utf-8")
    rows.sort(key=lambda r: -r["cumtime_s"])
    return {"total_s": total, "queries": len(prepared), "by_cumulative": rows[:40],
            "by_self": sorted(rows, key=lambda r: -r["tottime_s"])[:25], "text": str(out_text)}


# --- orchestration ------------------------------------------------------------------------

def run_worker(kind: str, *args: str) -> Any:
    """Run one step in a fresh interpreter and return the JSON it wrote."""
    out = DATA / f".worker-{kind}-{os.getpid()}.json"
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", kind, "--worker-out", str(out), *args]
    completed = subprocess.run(command, cwd=ROOT)
    if completed.returncode != 0:
        raise SystemExit(f"benchmark step '{kind} {' '.join(args)}' failed with status {completed.returncode}")
    try:
        return read_json(out)
    finally:
        out.unlink(missing_ok=True)


def machine_info() -> dict[str, Any]:
    model = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = None
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            memory = int(handle.readline().split()[1]) / 1024 / 1024
    except OSError:
        pass

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "?"

    return {"cores": os.cpu_count(), "cpu": model, "memory_gib": memory,
            "python": platform.python_version(), "numpy": version("numpy"), "pandas": version("pandas"),
            "sqlite": _sqlite_version(), "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "load_average": os.getloadavg()}


def _sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version


def agreement(size: int, queries: dict[str, Any], engine: dict[str, Any], baselines: dict[str, Any]
              ) -> dict[str, Any]:
    """Compare each baseline's match counts with the engine's on every query that baseline timed,
    and the ranked baselines' top 3 with each other on the queries they all timed."""
    checked: dict[str, Any] = {}
    for category in ("search", "nomatch"):
        if category not in engine["categories"] or not baselines:
            continue
        expected = engine["categories"][category]["counts"]
        compared: dict[str, int] = {}
        first = None
        mismatches = 0
        for name, result in baselines.items():
            counts = result["categories"][category]["counts"]
            compared[name] = min(len(counts), len(expected))
            for k in range(compared[name]):
                if counts[k] != expected[k]:
                    mismatches += 1
                    if first is None:
                        spec = {key: v for key, v in queries[category][k].items() if v not in (None, [])}
                        first = (f"{label(size)} {category} query #{k} {json.dumps(spec)}: engine={expected[k]}, "
                                 f"{name}={counts[k]}")
        ranked = [name for name in RANKED if name in baselines]  # the numpy counter only counts
        tops = [baselines[name]["categories"][category]["tops"] for name in ranked]
        tops_differ = sum(1 for same_query in zip(*tops, strict=True) if len({tuple(t) for t in same_query}) > 1) \
            if len(tops) > 1 else 0
        checked[category] = {"compared": compared, "mismatches": mismatches, "first": first,
                             "tops_differ": tops_differ, "tops_compared": ranked if len(ranked) > 1 else []}
        if first:
            log(f"WARNING: match counts disagree ({mismatches} baseline answers); first: {first}")
    return checked


def _ms(value: float) -> str:
    return f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 100 else f"{value:,.0f}"


def fmt_ms(stats: dict[str, Any] | None, with_n: bool = False, rounds: int = 1) -> str:
    """'p50 / p95 (CPU p95)' in ms, with the number of queries when not all were run."""
    if not stats or not stats.get("n"):
        return "—"
    text = f"{_ms(stats['p50'])} / {_ms(stats['p95'])}"
    if "cpu_p95" in stats:
        text += f" (CPU {_ms(stats['cpu_p95'])})"
    if with_n and stats.get("of") and stats["n"] < stats["of"]:
        text += f", n={stats['n']}"
    if stats.get("rounds", rounds) < rounds:
        text += f", {stats['rounds']} round{'s' if stats['rounds'] > 1 else ''}"
    return text


def verdict(stats: dict[str, Any], ceiling: float) -> str:
    if stats["p95"] < ceiling:
        return "✅"
    if stats.get("cpu_p95", float("inf")) < ceiling:
        return "❌ (CPU ✅)"
    return "❌"


def target_verdicts(results: dict[int, dict[str, Any]]) -> list[tuple[str, int, dict[str, Any] | None, float]]:
    out = []
    for category, size, ceiling in TARGETS:
        engine = (results.get(size) or {}).get("engine")
        out.append((category, size, engine["categories"].get(category) if engine else None, ceiling))
    return out


def render(results: dict[int, dict[str, Any]], machine: dict[str, Any], args: argparse.Namespace,
           elapsed_s: float) -> str:
    sizes = sorted(results)

    def row(name: str, cells: list[str], target: str = "") -> str:
        return f"| {name} | " + " | ".join(cells) + f" | {target} |"

    def engine_cell(size: int, category: str) -> str:
        stats = results[size]["engine"]["categories"].get(category)
        text = fmt_ms(stats, rounds=args.rounds)
        for cat, target_size, ceiling in TARGETS:
            if cat == category and target_size == size and stats:
                text = f"**{text}** {verdict(stats, ceiling)}"
        return text

    def target_text(category: str) -> str:
        return ", ".join(f"p95 < {c:g} ms at {label(s)}" for cat, s, c in TARGETS if cat == category)

    def generation(size: int) -> str:
        data = results[size]["data"]
        text = f"{data['generate_s']:.1f}"
        if data.get("calendar"):
            text += f" + {data['calendar']['generate_s']:.1f} calendar"
        return text

    def baseline_build(size: int, name: str) -> str:
        b = results[size]["baselines"].get(name)
        if not b:
            return "—"
        if b.get("reused"):
            return f"{b['build_s']:.1f} (saved; copied into memory in {b['load_s']:.1f})"
        return f"{b['build_s']:.1f}"

    lines = [
        "## Engine benchmark",
        "",
        f"`make bench` = `python benchmarks/bench.py --sizes {','.join(str(s) for s in args.sizes)} "
        f"--queries {args.queries}`, run on {machine['date']}. "
        f"Machine: {machine['cores']} cores ({machine['cpu']}), {machine['memory_gib']:.0f} GiB RAM, "
        f"Python {machine['python']}, numpy {machine['numpy']}, pandas {machine['pandas']}, "
        f"SQLite {machine['sqlite']}. The machine is shared (load average {machine['load_average'][0]:.1f} at "
        "the start, per size below), so wall-clock figures carry other people's load; CPU time does not.",
        "",
        f"Latency cells: **p50 / p95 wall-clock ms (CPU p95)** of `engine.search(query, limit=3)` or of one "
        f"baseline search, over {args.queries} seeded queries per set after {WARMUP} warm-up searches. Each "
        f"query's figure is its median over {args.rounds} rounds of the whole set, or fewer (shown) when "
        "the rounds would exceed the set's time budget. ✅/❌: the p95 target is met/missed on wall-clock time; "
        "“CPU ✅” means the "
        "process's CPU time meets it. Memory: peak RSS (`ru_maxrss`) of a fresh process per size.",
        "",
        "| | " + " | ".join(label(s) for s in sizes) + " | Target |",
        "|---|" + "---:|" * len(sizes) + "---|",
        row("Catalog generation (s), done once and reused", [generation(s) for s in sizes]),
        row("Load average (1 min) when the engine step began", [f"{results[s]['load_average']:.1f}" for s in sizes]),
        row("Engine load (s): `Engine.load`, CSV (+ calendar at "
            + ", ".join(label(s) for s in args.calendar_sizes) + ")",
            [f"{results[s]['engine']['load_s']:.1f}" for s in sizes], "reported at 1M"),
        row("Engine peak RSS after load (MiB)", [f"{results[s]['engine']['rss_after_load_mib']:,.0f}" for s in sizes],
            "reported at 1M"),
        row("Engine peak RSS after the queries (MiB)",
            [f"{results[s]['engine']['rss_after_queries_mib']:,.0f}" for s in sizes], "reported at 1M"),
        row("Engine resident memory once loaded (VmRSS, MiB)",
            [f"{results[s]['engine'].get('resident_after_load_mib') or 0:,.0f}" for s in sizes]),
        row(f"Engine: {TITLES['search']}", [engine_cell(s, "search") for s in sizes], target_text("search")),
        row(f"Engine: {TITLES['nomatch']}", [engine_cell(s, "nomatch") for s in sizes], target_text("nomatch")),
        row(f"Engine: {TITLES['dated']}", [engine_cell(s, "dated") for s in sizes], target_text("dated")),
    ]
    for name, title in BASELINE_TITLES.items():
        if not any(name in results[s]["baselines"] for s in sizes):
            continue

        def cell(s: int, category: str, name: str = name) -> str:
            b = results[s]["baselines"].get(name)
            return fmt_ms(b["categories"][category], True, args.rounds) if b else "—"

        lines += [
            row(f"{title}: build (s)", [baseline_build(s, name) for s in sizes]),
            row(f"{title}: search", [cell(s, "search") for s in sizes]),
            row(f"{title}: no-match query (search only, no relaxation)", [cell(s, "nomatch") for s in sizes]),
        ]
    lines += [row("Match counts: engine = each baseline, on every query it ran; top 3 of the ranked baselines",
                  [_agreement_cell(results[s].get("agreement") or {}) for s in sizes]),
              row("Match counts: engine = the query generator's numpy count (every query, dated too)",
                  [_reference_cell(results[s]["engine"]) for s in sizes]), ""]
    measured = [(c, s, st, ceil) for c, s, st, ceil in target_verdicts(results) if st]
    if measured:
        lines += ["Targets: " + "; ".join(
            f"{c} at {label(s)}: p95 {_ms(st['p95'])} ms (CPU {_ms(st['cpu_p95'])}) vs < {ceil:g} ms "
            f"{'met' if st['p95'] < ceil else '**missed**'}" for c, s, st, ceil in measured) + ".", ""]
    notes = [
        "*Search*: location, max price per night, guests, one or two must-have amenities and either a "
        "property type (sometimes two) or a minimum rating, drawn from a random property, so every query has "
        "at least one match. *No-match*: random tight combinations (3–12 guests, a budget in the cheapest "
        "2–40 % of the destination, one or two mostly rare amenities, a type or a 4.5+ rating) kept only when "
        "nothing matches; the engine also computes the conflict, the relaxations and 5 near-miss alternatives, "
        "the baselines only run the search (they have no relaxation). *Dated*: the search set's shape plus a "
        "2–7 night stay inside the 365-day calendar on which the drawn property is free (100k only).",
        "Baselines, all with the engine's matching semantics (base-currency price, rating only with enough "
        "reviews, the big-group bedrooms rule): *fair peers* are competent pandas (`benchmarks/baselines.py` "
        "`PandasBaseline`: one-hot boolean amenity columns and one frame per destination, built once; a search "
        "combines boolean Series on its destination's frame) and indexed in-memory SQLite (`SqliteBaseline`: "
        "indexes on (location, price), accommodates and (amenity, property); the planner uses them), both "
        "returning the count and the top 3 by rating; the *numpy counter* (`CounterBaseline` in `bench.py`, "
        "the query generator's own count) is a floor: numpy arrays per destination, count only, no top 3. "
        "The *naive strawman* (`NaivePandasBaseline`: `DataFrame.query` over every row, regex `str.contains` "
        "per amenity, `engine=\"python\"`) shows what the precomputation buys and is not a fair peer. "
        f"Each ran the same queries in the same order after {WARMUP} warm-up searches: at least the first "
        f"{args.baseline_min} search and {args.baseline_min_nomatch} no-match queries, then more until "
        f"{args.baseline_budget:g} s per set were spent (n shown when fewer than all), repeated up to "
        f"{args.rounds} rounds while within that budget; every match count is compared with the engine's and "
        "the top 3 of the ranked baselines with each other.",
    ]
    lines += [f"- {n}" for n in notes]
    lines += ["", f"Whole run: {elapsed_s / 60:.1f} min. Raw figures: `benchmarks/data/results.json`."]
    return "\n".join(lines)


def _reference_cell(engine: dict[str, Any]) -> str:
    total = sum(c["n"] for c in engine["categories"].values())
    bad = sum(c.get("reference_mismatches", 0) for c in engine["categories"].values())
    return f"{'all agree' if not bad else f'**{bad} disagree**'} ({total} queries)"


def _agreement_cell(checked: dict[str, Any]) -> str:
    if not checked:
        return "—"
    per_baseline: dict[str, int] = {}
    for c in checked.values():
        for name, n in c["compared"].items():
            per_baseline[name] = per_baseline.get(name, 0) + n
    bad = sum(c["mismatches"] for c in checked.values())
    text = f"{'all agree' if not bad else f'**{bad} disagree**'} (" + \
        ", ".join(f"{SHORT_NAMES.get(name, name)} {n}" for name, n in per_baseline.items()) + " queries)"
    if any(c.get("tops_compared") for c in checked.values()):
        tops_bad = sum(c["tops_differ"] for c in checked.values())
        text += "; top 3 " + ("agree" if not tops_bad else f"**differ on {tops_bad}**")
    return text


def write_section(path: Path, section: str) -> None:
    """Replace the text between our markers; create the file or append the block if needed."""
    sys.path.insert(0, str(BENCH))
    from report import replace_section

    replace_section(path, START_MARK, END_MARK, section)


def orchestrate(args: argparse.Namespace) -> int:
    began = time.perf_counter()
    machine = machine_info()
    DATA.mkdir(parents=True, exist_ok=True)
    results: dict[int, dict[str, Any]] = {}
    warnings: list[str] = []
    for size in args.sizes:
        log(f"== {label(size)} properties ==")
        data = run_worker("generate", "--size", str(size), "--seed", str(args.seed),
                          *(["--calendar"] if size in args.calendar_sizes else []))
        queries_file = DATA / f"queries-{size}.json"
        info = run_worker("queries", "--size", str(size), "--queries", str(args.queries),
                          "--query-seed", str(args.query_seed), "--queries-file", str(queries_file))
        log(f"  queries: {info['counts']} ({info['nomatch_attempts']} draws for the no-match set)")
        load_average = os.getloadavg()[0]
        engine = run_worker("engine", "--size", str(size), "--queries-file", str(queries_file),
                            "--rounds", str(args.rounds), "--round-budget", str(args.round_budget))
        for category, stats in engine["categories"].items():
            for problem in stats["problems"]:
                warnings.append(f"engine {label(size)} {category}: {problem}")
                log(f"WARNING: engine {label(size)} {category}: {problem}")
        baselines = {}
        for impl in args.baselines:
            baselines[impl] = run_worker("baseline", "--size", str(size), "--impl", impl,
                                         "--queries-file", str(queries_file),
                                         "--baseline-budget", str(args.baseline_budget),
                                         "--baseline-min", str(args.baseline_min),
                                         "--baseline-min-nomatch", str(args.baseline_min_nomatch),
                                         "--rounds", str(args.rounds))
        queries = read_json(queries_file)
        checked = agreement(size, queries, engine, baselines)
        warnings += [f"disagreement: {c['first']}" for c in checked.values() if c["first"]]
        results[size] = {"data": data, "queries": info, "engine": engine, "baselines": baselines,
                         "agreement": checked,
                         "load_average": load_average}
    profiles = {}
    if args.profile:
        for category, size, ceiling in TARGETS:
            stats = (results.get(size) or {}).get("engine", {}).get("categories", {}).get(category)
            if stats and (args.profile == "all" or stats["p95"] >= ceiling):
                log(f"== profiling {category} at {label(size)} ==")
                profiles[f"{category}-{size}"] = run_worker(
                    "profile", "--size", str(size), "--category", category,
                    "--queries-file", str(DATA / f"queries-{size}.json"),
                    "--profile-text", str(DATA / f"profile-{category}-{size}.txt"))
    elapsed = time.perf_counter() - began
    section = render(results, machine, args, elapsed)
    write_json(DATA / "results.json", {"machine": machine, "results": {str(k): v for k, v in results.items()},
                                       "profiles": profiles, "warnings": warnings})
    print(section)
    for key, profile in profiles.items():
        print(f"\nProfile {key}: {profile['queries']} searches, {profile['total_s']:.2f} s in total "
              f"(full listing: {profile['text']})")
        for entry in profile["by_cumulative"][:18]:
            print(f"  {entry['cum_share']:6.1%} cum  {entry['self_share']:6.1%} self  {entry['calls']:>7}  "
                  f"{entry['function']}")
    if warnings:
        print("\nWarnings:")
        for warning in warnings:
            print(f"- {warning}")
    if not args.no_write:
        write_section(args.report, section)
        log(f"wrote the engine-benchmark section of {args.report}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=parse_sizes("10000,100000,1000000"),
                        help="catalog sizes, comma-separated (10k, 1M accepted)")
    parser.add_argument("--queries", type=int, default=200, help="queries per set (at least 200 recommended)")
    parser.add_argument("--seed", type=int, default=CATALOG_SEED, help="catalog generator seed")
    parser.add_argument("--query-seed", type=int, default=QUERY_SEED)
    parser.add_argument("--calendar-sizes", type=parse_sizes, default=parse_sizes("100000"),
                        help="sizes that get a 365-day calendar (dated search is measured there)")
    parser.add_argument("--baselines", default=",".join(BASELINE_TITLES),
                        type=lambda s: [x for x in s.split(",") if x and x != "none"],
                        help="comma-separated: " + ",".join(BASELINE_TITLES) + " (or none)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="times each query set is run; a query's latency is its median over the rounds")
    parser.add_argument("--round-budget", type=float, default=40.0,
                        help="seconds after which the engine starts no further round of a query set")
    parser.add_argument("--baseline-budget", type=float, default=30.0,
                        help="seconds of baseline searching per query set before it stops early")
    parser.add_argument("--baseline-min", type=int, default=AGREEMENT_QUERIES,
                        help="search queries always run by each baseline, whatever the budget")
    parser.add_argument("--baseline-min-nomatch", type=int, default=10,
                        help="no-match queries always run by each baseline, whatever the budget")
    parser.add_argument("--profile", nargs="?", const="missed", choices=["missed", "all"],
                        help="cProfile the engine on query sets that miss their target (or all targeted ones)")
    parser.add_argument("--report", type=Path, default=REPORT)
    parser.add_argument("--no-write", action="store_true", help="print the table without touching BENCHMARKS.md")
    # internal: one step in a fresh process
    parser.add_argument("--worker", choices=["generate", "queries", "engine", "baseline", "profile"],
                        help=argparse.SUPPRESS)
    parser.add_argument("--worker-out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--calendar", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--queries-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--impl", help=argparse.SUPPRESS)
    parser.add_argument("--category", help=argparse.SUPPRESS)
    parser.add_argument("--profile-text", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.queries < 1:
        parser.error("--queries must be at least 1")

    if args.worker is None:
        return orchestrate(args)
    if args.worker == "generate":
        result = worker_generate(args.size, args.seed, args.calendar)
    elif args.worker == "queries":
        result = worker_queries(args.size, args.queries, args.query_seed, args.queries_file)
    elif args.worker == "engine":
        result = worker_engine(args.size, args.queries_file, args.rounds, args.round_budget)
    elif args.worker == "baseline":
        result = worker_baseline(args.size, args.impl, args.queries_file, args.baseline_budget,
                                 {"search": args.baseline_min, "nomatch": args.baseline_min_nomatch}, args.rounds)
    else:
        result = worker_profile(args.size, args.category, args.queries_file, args.profile_text)
    write_json(args.worker_out, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
