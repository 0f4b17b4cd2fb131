#!/usr/bin/env python
"""How much shorter do conversations get with compound critiques? And what do they cost?

    python benchmarks/critiquing.py [--targets 200] [--seeds 11,12,13,14,15] [--catalog PATH]
                                    [--latency-catalog PATH] [--no-write]

The classic evaluation of critiquing recommenders (McCarthy et al., 2004):
a simulated traveller has a target place in mind and starts with a vague
query (its destination and party size). Each cycle the assistant shows its top
three; if the target is among them, the conversation ends. Otherwise the
traveller critiques the first place shown, choosing only critiques the target
satisfies (a real traveller would not ask for "cheaper" when the place they
want costs more):

- unit critiques only: "cheaper", "bigger", or "with <amenity>", one at a time,
  as the chat's buttons and free text allow;
- with compound critiques: the offered "Cheaper and with parking — 12 places"
  options first, when one fits the target; otherwise a unit critique.

Each critique excludes the place it was made on, like the chat does.

The comparison is paired: every target has its own random generator, seeded
from the seed and the target's index, and both arms start that target from a
fresh copy of it, so they state the same party and differ only in the
critiques offered. Over several seeds (200 targets each by default) the run
reports, on one denominator (the targets both arms reach within the cap),
the mean cycles of each arm and the mean per-target difference with a 95 %
paired bootstrap interval; how many each arm reaches is reported over all
targets. It also times mining the compound critiques after a search on a
larger catalog: warm-up first, then every search's mining repeated over
rounds (its median), p50/p95 over the searches. Results go to stdout and into
BENCHMARKS.md between the critiquing markers.
"""
from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from report import replace_section  # noqa: E402

from constraints import Engine, build_query  # noqa: E402
from constraints.compound import compound_critiques  # noqa: E402
from constraints.masks import QueryEvaluator  # noqa: E402
from constraints.query import Constraint, Query  # noqa: E402

MAX_CYCLES = 25
SHOWN = 3
START, END = "<!-- critiquing:start -->", "<!-- critiquing:end -->"


def satisfies(engine: Engine, query: Query, constraints: tuple[Constraint, ...], row: int) -> bool:
    evaluator = QueryEvaluator(engine.catalog, engine.knowledge, query, engine.availability)
    one = np.array([row])
    return all(bool(evaluator.mask(c, one)[0]) for c in constraints)


def unit_critiques(engine: Engine, shown_row: int) -> list[tuple[Constraint, ...]]:
    """What a traveller can say about the first place shown, one feature at a time."""
    catalog = engine.catalog
    step = float(engine.knowledge.setting("critique", "cheaper_step"))
    options: list[tuple[Constraint, ...]] = []
    ceiling = math.floor(catalog.price_base[shown_row] * (1 - step))
    if ceiling >= 1:
        options.append((Constraint("price_per_night", "<=", float(ceiling)),))
    options.append((Constraint("bedrooms", ">=", int(catalog.bedrooms[shown_row]) + 1),))
    wanted = set(engine.knowledge.setting("critique", "compound_amenities"))
    groups = set(engine.knowledge.setting("critique", "compound_amenity_groups"))
    for amenity in engine.knowledge.amenities.values():
        if (amenity.id in wanted or groups & set(amenity.groups)) and amenity.id in catalog.amenity_index:
            if not catalog.amen[catalog.amenity_index[amenity.id], shown_row]:
                options.append((Constraint("amenities", "contains", amenity.id),))
    return options


def converse(engine: Engine, target: int, compound: bool, rng: random.Random) -> int | None:
    """Cycles until the target is shown, or None when the traveller gives up."""
    catalog = engine.catalog
    location = catalog.places.destinations[catalog.loc[target]].name
    guests = int(rng.randint(1, max(1, int(catalog.accommodates[target]))))
    query = build_query(location=location, guests=guests)
    for cycle in range(1, MAX_CYCLES + 1):
        result = engine.search(query, limit=SHOWN)
        shown = [catalog.row(r.id) for r in result.results]
        if target in shown:
            return cycle
        if not shown:
            return None
        first = shown[0]
        chosen: tuple[Constraint, ...] | None = None
        if compound:
            fitting = [c.added for c in compound_critiques(engine, query, catalog.ids[first])
                       if satisfies(engine, query, c.added, target)]
            chosen = rng.choice(fitting) if fitting else None
        if chosen is None:
            fitting = [u for u in unit_critiques(engine, first) if satisfies(engine, query, u, target)]
            if not fitting:
                query = replace(query, exclude_ids=query.exclude_ids | {str(catalog.ids[first])})
                continue  # "not this one"
            chosen = rng.choice(fitting)
        query = replace(query.with_constraints(*chosen), exclude_ids=query.exclude_ids | {str(catalog.ids[first])})
    return None


def target_rng(seed: int, index: int) -> random.Random:
    """The generator of one target: both arms get a fresh one, so they start from the same state."""
    return random.Random(f"{seed}:{index}")


def simulate(engine: Engine, targets: list[int], seed: int) -> list[tuple[int | None, int | None]]:
    """(unit only, unit + compound) cycles of every target, each arm from the target's own generator."""
    return [(converse(engine, t, False, target_rng(seed, i)), converse(engine, t, True, target_rng(seed, i)))
            for i, t in enumerate(targets)]


def bootstrap_interval(differences: np.ndarray, seed: int, resamples: int = 10_000) -> tuple[float, float]:
    """95 % percentile bootstrap interval of the mean of paired differences."""
    rng = np.random.default_rng(seed)
    means = differences[rng.integers(0, len(differences), size=(resamples, len(differences)))].mean(axis=1)
    low, high = np.quantile(means, [0.025, 0.975])
    return float(low), float(high)


def summarise(pairs: list[tuple[int | None, int | None]], seed: int) -> dict[str, float | int]:
    """One seed's (or the pooled) figures; every mean is over the targets both arms reach."""
    both = np.array([(a, b) for a, b in pairs if a is not None and b is not None], dtype=float).reshape(-1, 2)
    gain = both[:, 0] - both[:, 1]  # cycles saved by compound critiques, per target
    low, high = bootstrap_interval(gain, seed) if len(gain) else (math.nan, math.nan)
    return {"targets": len(pairs), "both": len(both),
            "unit_reached": sum(a is not None for a, _ in pairs),
            "compound_reached": sum(b is not None for _, b in pairs),
            "unit_mean": float(both[:, 0].mean()), "compound_mean": float(both[:, 1].mean()),
            "unit_median": float(np.median(both[:, 0])), "compound_median": float(np.median(both[:, 1])),
            "gain": float(gain.mean()), "low": low, "high": high,
            "shorter": int((gain > 0).sum()), "longer": int((gain < 0).sum()), "same": int((gain == 0).sum())}


def latency(engine: Engine, queries: int, rounds: int, warmup: int, rng: random.Random) -> dict[str, float]:
    """Mining compound critiques after a search's first page: warm-up, then `rounds` timings per search.

    Each search's figure is its median over the rounds (wall-clock and CPU);
    p50/p95 are over the searches.
    """
    catalog = engine.catalog
    cases: list[tuple[Query, str, int]] = []
    while len(cases) < queries + warmup:
        row = rng.randrange(catalog.size)
        location = catalog.places.destinations[catalog.loc[row]].name
        query = build_query(location=location, guests=rng.randint(1, 4),
                            max_price=float(catalog.price_base[row]) * rng.uniform(1.0, 2.0))
        result = engine.search(query, limit=SHOWN)
        if result.results:
            cases.append((query, result.results[0].id, result.total_matches))
    for query, shown, _ in cases[:warmup]:
        compound_critiques(engine, query, shown)
    timed = cases[warmup:]
    walls = np.zeros((rounds, len(timed)))
    cpus = np.zeros((rounds, len(timed)))
    for r in range(rounds):
        for k, (query, shown, _) in enumerate(timed):
            cpu0, wall0 = time.process_time(), time.perf_counter()
            compound_critiques(engine, query, shown)
            walls[r, k] = (time.perf_counter() - wall0) * 1000
            cpus[r, k] = (time.process_time() - cpu0) * 1000
    wall, cpu = np.median(walls, axis=0), np.median(cpus, axis=0)
    return {"p50": float(np.percentile(wall, 50)), "p95": float(np.percentile(wall, 95)),
            "cpu_p95": float(np.percentile(cpu, 95)), "max": float(wall.max()),
            "candidates": int(statistics.median(c for _, _, c in timed)), "searches": len(timed),
            "rounds": rounds, "warmup": warmup, "size": catalog.size}


def seeds_list(text: str) -> list[int]:
    seeds = [int(part) for part in text.split(",") if part.strip()]
    if len(seeds) < 1:
        raise argparse.ArgumentTypeError("give at least one seed, e.g. 11,12,13,14,15")
    return seeds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=200, help="targets per seed")
    parser.add_argument("--seeds", type=seeds_list, default=[11, 12, 13, 14, 15])
    parser.add_argument("--catalog", type=Path, default=None, help="catalog for the simulation (default: shipped)")
    parser.add_argument("--latency-catalog", type=Path, default=ROOT / "benchmarks" / "data" / "catalog-100000.csv")
    parser.add_argument("--latency-queries", type=int, default=200)
    parser.add_argument("--latency-rounds", type=int, default=5)
    parser.add_argument("--latency-warmup", type=int, default=20)
    parser.add_argument("--no-write", action="store_true", help="print without touching BENCHMARKS.md")
    args = parser.parse_args(argv)

    began = time.perf_counter()
    engine = Engine.load(None, args.catalog)
    rows: list[tuple[str, dict[str, float | int]]] = []
    pooled: list[tuple[int | None, int | None]] = []
    for seed in args.seeds:
        targets = random.Random(seed).sample(range(engine.catalog.size), args.targets)
        pairs = simulate(engine, targets, seed)
        pooled += pairs
        rows.append((str(seed), summarise(pairs, seed)))
        print(f"seed {seed}: {rows[-1][1]}", file=sys.stderr, flush=True)
    if len(args.seeds) > 1:
        rows.append((f"all {len(args.seeds)} seeds", summarise(pooled, sum(args.seeds))))
    lines = [f"`python benchmarks/critiquing.py --targets {args.targets} --seeds "
             f"{','.join(map(str, args.seeds))}`, run on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} "
             f"on the shipped catalog ({engine.catalog.size:,} places); traveller simulation capped at "
             f"{MAX_CYCLES} cycles.",
             "",
             f"| seed | reached within {MAX_CYCLES}: unit only / unit + compound | both reach (the denominator) | "
             "mean cycles: unit only → unit + compound | median | cycles saved per target: mean [95 % CI] | "
             "shorter / longer / same |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, r in rows:
        lines.append(f"| {name} | {r['unit_reached']} / {r['compound_reached']} of {r['targets']} | {r['both']} | "
                     f"{r['unit_mean']:.2f} → {r['compound_mean']:.2f} | {r['unit_median']:.0f} → "
                     f"{r['compound_median']:.0f} | {r['gain']:.2f} [{r['low']:.2f}, {r['high']:.2f}] | "
                     f"{r['shorter']} / {r['longer']} / {r['same']} |")
    lines += ["", "Paired: each target has its own generator seeded from (seed, target index), and both arms "
              "start it from a fresh copy, so they state the same party; means, medians and differences are "
              "over the targets both arms reach; the interval is a 95 % percentile bootstrap of the mean "
              "per-target difference (10,000 resamples)."]
    if args.latency_catalog.exists():
        big = Engine.load(None, args.latency_catalog)
        m = latency(big, args.latency_queries, args.latency_rounds, args.latency_warmup, random.Random(args.seeds[0]))
        catalog = args.latency_catalog
        shown_catalog = catalog.relative_to(ROOT) if catalog.is_relative_to(ROOT) else catalog
        lines += ["", f"Mining the compound critiques after a search at {m['size']:,} properties "
                  f"(`{shown_catalog}`, "
                  f"median {m['candidates']} candidates left): p50 {m['p50']:.2f} ms, p95 {m['p95']:.2f} ms "
                  f"(CPU p95 {m['cpu_p95']:.2f} ms) per turn (target < 10 ms); {m['searches']} searches after "
                  f"{m['warmup']} warm-up ones, each search's figure the median of {m['rounds']} rounds; "
                  f"load average (1 min) {os.getloadavg()[0]:.1f} (the machine is shared)."]
    else:
        lines += ["", f"(Mining latency not measured: {args.latency_catalog} is missing; `make bench` makes it.)"]
    lines += ["", f"Whole run: {(time.perf_counter() - began) / 60:.1f} min."]
    report = "\n".join(lines)
    print(report)
    if not args.no_write:
        write_section(report)
    return 0


def write_section(report: str) -> None:
    replace_section(ROOT / "BENCHMARKS.md", START, END, f"## Compound critiques (issue 7)\n\n{report}")


if __name__ == "__main__":
    sys.exit(main())
