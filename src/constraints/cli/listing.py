"""`stays list places|amenities|types`: what the catalog holds, with counts, for answering customers."""
from __future__ import annotations

import argparse
from typing import Any

import numpy as np

from ..engine import Engine
from ..text import counted
from .common import common_options, emit_json, examples, load_engine

WHAT = ("places", "amenities", "types")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("list", help="list the destinations, amenities or property types, with counts",
                                   **examples("stays list places", "stays list amenities --json",
                                              "stays list types --catalog albany.csv"))
    parser.add_argument("what", choices=WHAT, help="places (destinations), amenities or types (property types)")
    common_options(parser)
    parser.set_defaults(handler=run)


def rows(engine: Engine, what: str) -> list[dict[str, Any]]:
    """One entry per value with the number of properties that have it, most common first."""
    catalog, knowledge = engine.catalog, engine.knowledge
    if what == "places":
        counts = np.bincount(catalog.loc, minlength=len(catalog.places.destinations))
        found = [{"name": d.name, "properties": int(counts[code]), "currency": catalog.dest_currency[code],
                  "neighbourhoods": len(d.neighbourhoods), "aliases": list(d.aliases)}
                 for code, d in enumerate(catalog.places.destinations)]
    elif what == "amenities":
        have = catalog.amen.sum(axis=1)
        found = [{"id": a, "label": knowledge.amenities[a].label if a in knowledge.amenities else a,
                  "properties": int(have[i])} for i, a in enumerate(catalog.amenity_ids)]
    else:
        counts = np.bincount(catalog.ptype, minlength=len(catalog.type_ids))
        found = [{"id": t, "label": knowledge.property_types[t].label, "properties": int(counts[i])}
                 for i, t in enumerate(catalog.type_ids)]
    return sorted(found, key=lambda entry: (-entry["properties"], entry.get("name") or entry["id"]))


def run(args: argparse.Namespace) -> int:
    engine = load_engine(args)
    found = rows(engine, args.what)
    if args.json:
        emit_json({args.what: found})
        return 0
    for entry in found:
        if args.what == "places":
            extra = f", {counted(entry['neighbourhoods'], 'neighbourhood')}" if entry["neighbourhoods"] else ""
            properties = counted(entry["properties"], "place")
            print(f"{entry['name']:<24} {properties:>12}  prices in {entry['currency']}{extra}")
        else:
            print(f"{entry['id']:<28} {entry['label']:<32} {counted(entry['properties'], 'place'):>12}")
    return 0
