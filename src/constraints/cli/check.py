"""`stays check`: validate the knowledge base, the catalog and its calendar."""
from __future__ import annotations

import argparse
from typing import Any

from .common import common_options, emit_json, load_engine


def register(subparsers: argparse._SubParsersAction) -> None:
    check = subparsers.add_parser("check", help="validate the knowledge base and catalog")
    check.add_argument("--max-issues", type=int, default=50, help="issues listed in the human report")
    common_options(check)
    check.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    engine = load_engine(args)
    knowledge, catalog = engine.knowledge, engine.catalog
    calendar = catalog.availability
    report: dict[str, Any] = {
        "knowledge": {
            "directory": str(knowledge.directory),
            "destinations": sum(1 for d in knowledge.destinations.values() if not d.from_catalog),
            "catalog_only_destinations": sorted(d.name for d in knowledge.destinations.values() if d.from_catalog),
            "neighbourhoods": sum(len(d.neighbourhoods) for d in knowledge.destinations.values()),
            "amenities": len(knowledge.amenities),
            "property_types": len(knowledge.property_types),
            "rules": len(knowledge.rules),
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
    ok = not catalog.skipped and (calendar is None or not calendar.issues)
    report["ok"] = ok
    if args.json:
        emit_json(report)
        return 0 if ok else 1
    k = report["knowledge"]
    print(f"knowledge  {k['directory']}: {k['destinations']} destinations, {k['neighbourhoods']} neighbourhoods, "
          f"{k['amenities']} amenities, {k['property_types']} property types, {k['rules']} rules")
    if k["catalog_only_destinations"]:
        print(f"           places known only from the catalog: {', '.join(k['catalog_only_destinations'])}")
    print(f"catalog    {catalog.source}: {catalog.size} properties loaded, {len(catalog.skipped)} row(s) skipped")
    for issue in catalog.issues[: args.max_issues]:
        print(f"           {issue}")
    if len(catalog.issues) > args.max_issues:
        print(f"           ... and {len(catalog.issues) - args.max_issues} more (use --json for all)")
    if calendar is not None:
        print(f"calendar   nights {calendar.first_night} to {calendar.last_night}, {len(calendar.issues)} row(s) skipped")
        for issue in calendar.issues[: args.max_issues]:
            print(f"           {issue}")
    print("ok" if ok else "problems found")
    return 0 if ok else 1
