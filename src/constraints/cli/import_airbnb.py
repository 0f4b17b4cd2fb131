"""`stays import-airbnb`: an Inside Airbnb listings file (and calendar) into a catalog.

    stays import-airbnb LISTINGS.csv[.gz] --location NAME [--currency USD]
                        [--calendar CALENDAR.csv.gz] -o OUT.csv[.gz] [--append | --force] [--json]

The calendar goes beside OUT (`OUT.calendar.csv`), where `load_catalog` finds
it. An existing OUT is never overwritten silently: `--append` adds the city to
it (several cities in one catalog), `--force` replaces it. `--catalog` is
accepted like everywhere else but not used.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..airbnb import AirbnbImportError, ImportReport, check_currency, import_airbnb
from ..knowledge import load_knowledge
from ..text import counted
from .common import common_options, emit_json, examples, fail, note

TOP_UNMAPPED = 15


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("import-airbnb", help="convert Inside Airbnb listings (and calendar) into a catalog",
                                   **examples(
        "stays import-airbnb albany/listings.csv.gz --location Albany --calendar albany/calendar.csv.gz -o albany.csv",
        "stays import-airbnb albany/listings.csv.gz --location Albany -o cities.csv",
        "stays import-airbnb jersey-city/listings.csv.gz --location 'Jersey City' -o cities.csv --append",
        "make run CATALOG=cities.csv     # then chat about Albany and Jersey City"))
    parser.add_argument("listings", type=Path, help="Inside Airbnb detailed listings.csv or listings.csv.gz")
    parser.add_argument("--location", required=True, help="the destination the listings are in, e.g. Albany")
    parser.add_argument("--currency", default=None,
                        help="ISO code of the prices (default: the currency of the country the listings lie in; "
                             "engine.yml must have a rate for it)")
    parser.add_argument("--calendar", type=Path, default=None, help="Inside Airbnb calendar.csv.gz of the same scrape")
    parser.add_argument("-o", "--output", type=Path, required=True, help="catalog CSV to write (.gz to compress)")
    existing = parser.add_mutually_exclusive_group()
    existing.add_argument("--append", action="store_const", const="append", dest="mode",
                          help="add these listings to OUT (an earlier import of the same place is replaced)")
    existing.add_argument("--force", action="store_const", const="replace", dest="mode",
                          help="replace OUT if it exists")
    parser.set_defaults(mode="new")
    common_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    knowledge = load_knowledge(args.knowledge)
    progress = not args.json and sys.stderr.isatty()
    try:
        if args.currency:
            check_currency(args.currency, knowledge)
        if not args.output.parent.is_dir():
            raise AirbnbImportError(f"cannot write {args.output}: the directory {args.output.parent} does not exist")
        report = import_airbnb(args.listings, args.location, args.output, knowledge, currency=args.currency,
                               calendar=args.calendar, progress=progress, mode=args.mode)
    except AirbnbImportError as exc:
        return fail(str(exc), 2)
    except OSError as exc:
        return fail(f"cannot write the output: {exc}", 2)
    if args.json:
        emit_json(report.to_json(top=TOP_UNMAPPED))
    else:
        for message in report.notes:
            if message.startswith("warning: "):
                print(f"stays: {message}", file=sys.stderr)
            else:
                note(message)
        print(render(report))
    return 0


def render(report: ImportReport) -> str:
    out = [
        f"Imported {report.listings} as {report.location}"
        + ("" if report.location_known else " (a catalog-only destination)")
        + f", prices in {report.currency}, in {report.seconds:.1f} s."
        + (f" The listings lie near {report.origin}." if report.origin else ""),
        f"  rows read      {report.rows_read:,}",
        f"  rows written   {report.rows_written:,}  -> {report.output}",
        f"  rows skipped   {report.rows_skipped:,}",
    ]
    for reason, count in sorted(report.skipped.items(), key=lambda kv: -kv[1]):
        out.append(f"    {count:>7,}  {reason}")
    if report.amenities_unreadable:
        out.append(f"  amenities unreadable in {counted(report.amenities_unreadable, 'row')} (kept, with no amenities)")
    out.append(
        f"  amenities      {report.amenity_occurrences_mapped:,} of {report.amenity_occurrences:,} raw occurrences "
        f"mapped ({report.amenity_mapped_share:.1%}); {len(report.unmapped_amenities):,} distinct strings unmapped"
    )
    if report.unmapped_amenities:
        out.append("  top unmapped amenity strings:")
        for text, count in report.unmapped_amenities.most_common(TOP_UNMAPPED):
            out.append(f"    {count:>7,}  {text}")
    calendar = report.calendar
    if calendar is not None:
        out.append(
            f"  calendar       {calendar.rows_read:,} nights read -> {len(calendar.runs):,} runs for "
            f"{calendar.listings:,} listings, window {calendar.first} to {calendar.last} -> {report.calendar_output}"
        )
        dropped = []
        if calendar.unknown_listings:
            dropped.append(f"{calendar.unknown_listings:,} listings not in the catalog "
                           f"({calendar.unknown_rows:,} nights) dropped")
        if calendar.bad_rows:
            dropped.append(f"{calendar.bad_rows:,} unreadable rows dropped")
        if calendar.duplicate_rows:
            dropped.append(f"{calendar.duplicate_rows:,} repeated nights dropped")
        if dropped:
            out.append("                 " + "; ".join(dropped))
    return "\n".join(out)
