"""`stays check`: validate the knowledge base, the catalog and its calendar."""
from __future__ import annotations

import argparse
from datetime import date
from typing import Any

import numpy as np

from ..engine import Engine
from ..errors import RowIssue
from ..geo import haversine_km
from ..phrases import PHRASES_DIRECTORY, load_phrases
from ..text import counted
from .common import common_options, emit_json, examples, load_engine, today


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = subparsers.add_parser("check", help="validate the knowledge base and catalog", **examples(
        "stays check", "stays check --catalog albany.csv --json"))
    check.add_argument("--max-issues", type=int, default=50, help="catalog issues listed in the human report")
    common_options(check)
    check.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    engine = load_engine(args)
    knowledge, catalog = engine.knowledge, engine.catalog
    calendar = engine.availability
    # the chat reader's words (optional: without them the reader uses the shipped tables); a bad line fails here
    phrases = load_phrases(knowledge.directory) if (knowledge.directory / PHRASES_DIRECTORY).is_dir() else None
    report: dict[str, Any] = {
        "knowledge": {
            "directory": str(knowledge.directory),
            "destinations": sum(1 for d in knowledge.destinations.values() if not d.from_catalog),
            "catalog_only_destinations": sorted(d.name for d in knowledge.destinations.values() if d.from_catalog),
            "neighbourhoods": sum(len(d.neighbourhoods) for d in knowledge.destinations.values()),
            "amenities": len(knowledge.amenities),
            "property_types": len(knowledge.property_types),
            "rules": len(knowledge.rules),
            "place_aliases": len(knowledge.place_aliases),
            "phrases": phrases.size if phrases else 0,
            "problems": engine.normaliser.alias_problems(knowledge),
        },
        "catalog": {
            "path": catalog.source,
            "properties": catalog.size,
            "skipped": len(catalog.skipped),
            "issues": [{"line": i.line, "message": i.message, "skipped": i.skipped} for i in catalog.issues],
        },
        "calendar": None if calendar is None else {
            "first_night": calendar.first_night.isoformat(),
            "last_night": calendar.last_night.isoformat(),
            "skipped": len(calendar.issues),
            "issues": [{"line": i.line, "message": i.message} for i in calendar.issues],
        },
    }
    warnings = misplaced_destinations(engine) + calendar_warnings(engine, today())
    report["warnings"] = warnings
    ok = (not catalog.skipped and (calendar is None or not calendar.issues) and not warnings
          and not report["knowledge"]["problems"])
    report["ok"] = ok
    if args.json:
        emit_json(report)
        return 0 if ok else 1
    k = report["knowledge"]
    print(f"knowledge  {k['directory']}: {k['destinations']} destinations, {k['neighbourhoods']} neighbourhoods, "
          f"{k['amenities']} amenities, {k['property_types']} property types, {k['rules']} rules, "
          f"{k['place_aliases']} place aliases, {k['phrases']} phrases")
    for problem in k["problems"]:
        print(f"           {problem}")
    if k["catalog_only_destinations"]:
        print(f"           places known only from the catalog: {', '.join(k['catalog_only_destinations'])}")
    print(f"catalog    {catalog.source}: {counted(catalog.size, 'property', 'properties')} loaded, "
          f"{counted(len(catalog.skipped), 'row')} skipped")
    for issue in catalog.issues[: args.max_issues]:
        print(f"           {issue}")
    if len(catalog.issues) > args.max_issues:
        print(f"           ... and {len(catalog.issues) - args.max_issues} more (use --json for all)")
    if calendar is not None:
        print(f"calendar   nights {calendar.first_night} to {calendar.last_night}, "
              f"{counted(len(calendar.issues), 'row')} skipped")
        for line in summarised(calendar.issues, examples=3):
            print(f"           {line}")
    for warning in warnings:
        print(f"warning    {warning}")
    print("ok" if ok else "problems found")
    return 0 if ok else 1


def misplaced_destinations(engine: Engine) -> list[str]:
    """Listings filed under a known destination but lying far from it (Albany's, imported as 'Lisbon')."""
    catalog, knowledge = engine.catalog, engine.knowledge
    reach = float(knowledge.setting("relaxation", "nearby_km"))
    found = []
    for code, destination in enumerate(catalog.places.destinations):
        rows = catalog.rows_in(code)
        if destination.from_catalog or rows.stop == rows.start:
            continue
        km = haversine_km(catalog.lat[rows], catalog.lon[rows], destination.latitude, destination.longitude)
        far = int(np.count_nonzero(km > reach))
        if far * 2 > rows.stop - rows.start:
            found.append(f"{counted(far, 'property', 'properties')} filed under {destination.name} lie more than "
                         f"{reach:,.0f} km from it (median {float(np.median(km)):,.0f} km): imported with the wrong "
                         f"--location?")
    return found


def calendar_warnings(engine: Engine, today: date) -> list[str]:
    """What makes availability answers wrong although every row reads: a calendar in the past, or another catalog's."""
    calendar = engine.availability
    if calendar is None:
        return []
    found = []
    if calendar.last_night < today:
        found.append(f"the calendar ends on {calendar.last_night}, before today ({today}): no future stay can be "
                     f"checked; import a fresh calendar")
    elif calendar.first_night > today:
        found.append(f"the calendar starts on {calendar.first_night}, after today ({today})")
    unknown = sum(1 for issue in calendar.issues if issue.message.startswith("unknown property id"))
    if unknown and not calendar.properties_covered:
        found.append("no row of the calendar names a property of this catalog: it belongs to another catalog "
                     "(re-import with --calendar, or remove it)")
    return found


def summarised(issues: list[RowIssue], examples: int) -> list[str]:
    """Issues grouped by kind, each with a count and its first lines: readable at 2,000 issues."""
    groups: dict[str, list[RowIssue]] = {}
    for issue in issues:
        groups.setdefault(issue.message.split(" (")[0], []).append(issue)
    lines = []
    for kind, members in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        lines.append(f"{counted(len(members), 'row')}: {kind}, e.g.")
        lines.extend(f"  {issue}" for issue in members[:examples])
    return lines
