#!/usr/bin/env python
"""How much shorter do conversations get with compound critiques? And what do they cost?

    python benchmarks/critiquing.py [--targets 200] [--catalog PATH] [--latency-catalog PATH]

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

Each critique excludes the place it was made on, like the chat does. The run
reports cycles to reach the target (mean, median, success within the cap),
and the latency that mining the compound critiques adds to a turn, on a
larger catalog. Results go to stdout and into BENCHMARKS.md between the
critiquing markers.
"""
from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from constraints import Engine, build_query  # noqa: E402
from constraints.compound import compound_critiques  # noqa: E402
from constraints.masks import QueryEvaluator  # noqa: E402
from constraints.query import Constraint, Query  # noqa: E402

MAX_CYCLES = 25
SHOWN = 3
START, END = "<!-- critiquing:start -->", "<!-- critiquing:end -->"


def satisfies(engine: Engine, query: Query, constraints: tuple[Constraint, ...], row: int) -> bool:
    evaluator = QueryEvaluator(engine.catalog, engine.knowledge, query)
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


def latency(engine: Engine, queries: int, rng: random.Random) -> tuple[float, float, int]:
    """p50 and p95 (ms) of mining compound critiques after a search's first page."""
    catalog = engine.catalog
    timings = []
    candidates = []
    while len(timings) < queries:
        row = rng.randrange(catalog.size)
        location = catalog.places.destinations[catalog.loc[row]].name
        query = build_query(location=location, guests=rng.randint(1, 4),
                            max_price=float(catalog.price_base[row]) * rng.uniform(1.0, 2.0))
        result = engine.search(query, limit=SHOWN)
        if not result.results:
            continue
        started = time.perf_counter()
        compound_critiques(engine, query, result.results[0].id)
        timings.append((time.perf_counter() - started) * 1000)
        candidates.append(result.total_matches)
    timings.sort()
    return timings[len(timings) // 2], timings[int(len(timings) * 0.95) - 1], int(statistics.median(candidates))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=200)
    parser.add_argument("--catalog", type=Path, default=None, help="catalog for the simulation (default: shipped)")
    parser.add_argument("--latency-catalog", type=Path, default=ROOT / "benchmarks" / "data" / "catalog-100000.csv")
    parser.add_argument("--latency-queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)

    engine = Engine.load(None, args.catalog)
    rng = random.Random(args.seed)
    targets = rng.sample(range(engine.catalog.size), args.targets)
    outcomes = {}
    for compound in (False, True):
        local = random.Random(args.seed)
        outcomes[compound] = [converse(engine, t, compound, local) for t in targets]
    lines = ["| critiques offered | mean cycles | median | reached within %d | targets |" % MAX_CYCLES,
             "|---|---:|---:|---:|---:|"]
    for compound, label in ((False, "unit only"), (True, "unit + compound")):
        done = [c for c in outcomes[compound] if c is not None]
        lines.append(f"| {label} | {statistics.mean(done):.2f} | {statistics.median(done):.0f} | "
                     f"{len(done)}/{len(targets)} ({100 * len(done) / len(targets):.0f} %) | {engine.catalog.size:,} places |")
    both = [(a, b) for a, b in zip(outcomes[False], outcomes[True]) if a is not None and b is not None]
    if both:
        shorter = sum(1 for a, b in both if b < a)
        longer = sum(1 for a, b in both if b > a)
        lines.append("")
        lines.append(f"On the {len(both)} targets both reach: compound critiques shorten {shorter}, "
                     f"lengthen {longer}, leave {len(both) - shorter - longer} the same; mean "
                     f"{statistics.mean(a for a, _ in both):.2f} → {statistics.mean(b for _, b in both):.2f} cycles.")
    if args.latency_catalog.exists():
        big = Engine.load(None, args.latency_catalog)
        p50, p95, median_candidates = latency(big, args.latency_queries, random.Random(args.seed))
        lines.append("")
        lines.append(f"Mining the compound critiques after a search at {big.catalog.size:,} properties "
                     f"(median {median_candidates} candidates left): p50 {p50:.2f} ms, p95 {p95:.2f} ms "
                     f"per turn (target < 10 ms), {args.latency_queries} searches.")
    report = "\n".join(lines)
    print(report)
    write_section(report)
    return 0


def write_section(report: str) -> None:
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    section = f"{START}\n## Compound critiques (issue 7)\n\n{report}\n{END}"
    if START in text and END in text:
        text = text[: text.index(START)] + section + text[text.index(END) + len(END):]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    path.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
