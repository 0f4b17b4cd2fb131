"""`stays analyze`: which constraints make searches fail, for support staff.

Restrictiveness of every constraint value, properties no search can bring to
the top, amenities and types a destination lacks, and (from the Rasa tracker
store) the conflicts real searches ran into. See `constraints.analyze`.
"""
from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path
from typing import Any

from .. import analyze as analysis
from ..analyze_labels import amenity_label, type_label
from ..analyze_searches import redacted
from ..engine import Engine
from ..text import counted
from .common import catalog_argument, common_options, emit_json, examples, load_engine, note, positive_int


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("analyze", help="restrictiveness and reachability report for support staff",
                                   **examples("stays analyze", "stays analyze --location Lisbon",
                                              "stays analyze --catalog albany.csv --tracker-store /path/to/rasa.db"))
    parser.add_argument("--location", help="report on one destination (default: the whole catalog)")
    parser.add_argument("--top", type=positive_int, default=10, help="lines per list (default 10)")
    parser.add_argument("--top-k", type=positive_int, default=analysis.DEFAULT_K,
                        help="a property is unreachable when at least this many places dominate it (default 3)")
    parser.add_argument("--chart", type=Path, metavar="OUT.png", help="bar chart of the most restrictive values")
    parser.add_argument("--tracker-store", metavar="URL_OR_PATH",
                        help="Rasa SQL tracker store: a SQLite file or a SQLAlchemy URL "
                             "(default: the one of the chat serving this catalog: rasa_project/rasa.db for "
                             "the shipped catalog, X.tracker.db beside an imported X.csv)")
    common_options(parser)
    parser.set_defaults(handler=run)


def _records(args: argparse.Namespace) -> tuple[list[analysis.SearchRecord] | None, dict[str, Any]]:
    """The recorded searches, or None with the reason they are missing."""
    source = args.tracker_store
    if source is None:
        found = analysis.tracker_store_for(catalog_argument(args))
        if not found.is_file():
            note(f"no conversations yet for this catalog ({found} not found); failed searches skipped")
            return None, {"available": False, "source": str(found), "reason": "no tracker store found"}
        source = str(found)
    try:
        records = analysis.search_records(analysis.bot_events(source))
    except analysis.TrackerStoreError as exc:
        print(f"stays: warning: {exc}; failed searches skipped", file=sys.stderr)
        return None, {"available": False, "source": redacted(str(source)), "reason": str(exc)}
    return records, {"available": True, "source": redacted(str(source))}


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    engine = load_engine(args)
    location = None
    if args.location:
        found = engine.normaliser.location(args.location)  # unknown: UnknownValueError, exit 2 in main()
        if found.corrected:
            note(f"'{found.text}' read as '{found.label}'")
        location = found.value
    records, source = _records(args)
    report = analysis.analyse(engine.catalog, engine.knowledge, k=args.top_k, location=location,
                              records=records, top=args.top)
    if args.chart:
        _chart(report, args.top, args.chart)
    if args.json:
        document = report.to_json(args.top)
        document["failed_searches"] = {**source, **(report.failed_searches or {})}
        emit_json(document)
    else:
        _print(report, engine, args.top, source)
        print(f"\n(analysed in {time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return 0


# --- human output --------------------------------------------------------------------------

def _pct(share: float) -> str:
    """Whole percents, but 99.7% is not shown as 100% nor 0.4% as 0%."""
    if share in (0.0, 1.0) or 0.1 <= share < 0.99:
        return f"{100 * share:.0f}%"
    return f"{100 * share:.1f}%"


def _print(report: analysis.Report, engine: Engine, top: int, source: dict[str, Any]) -> None:
    catalog = report.catalog
    restrict = report.restrictiveness
    scope = report.location or "all destinations"
    entries = restrict.entries(report.location)
    total = entries[0]["total"] if entries else 0
    print(f"Catalog {catalog.source}: {catalog.size} properties in {len(restrict.populated())} destinations")

    print(f"\nMost restrictive constraint values ({scope}, {total} places):")
    width = max((len(e["label"]) for e in entries[:top]), default=0)
    for e in entries[:top]:
        print(f"  {e['label']:<{width}}  rules out {_pct(e['ruled_out_share']):>5}  ({e['left']} left)")

    destinations = report.destinations()
    print("\nCommon requests per destination (share ruled out, most restrictive first):")
    name_width = max((len(d) for d in destinations), default=0) + 6
    for d in destinations:
        size = int(restrict.sizes[restrict.destinations.index(d)])
        parts = "  ".join(f"{e['label']} {_pct(e['ruled_out_share'])}" for e in restrict.common(d)[:5])
        print(f"  {f'{d} ({size})':<{name_width}} {parts}")

    per = report.unreachable.by_destination(catalog)
    count = sum(per[d]["unreachable"] for d in destinations if d in per)
    places = sum(per[d]["properties"] for d in destinations if d in per)
    k = report.unreachable.k
    print(f"\nUnreachable properties (at least {k} places in the same destination sleep as many, cost no more, "
          f"have every amenity, same type, better rated): {count} of {places}")
    if count and not report.location:
        listed = [f"{d} {per[d]['unreachable']}" for d in destinations if per.get(d, {}).get("unreachable")]
        print("  by destination: " + ", ".join(listed))
    for item in report.unreachable_list(top):
        where = "" if report.location else f" ({item['location']})"
        print(f"  {item['id']}  {item['title']}{where}: {item['dominated_by']} places dominate it")
    if count > top:
        print(f"  ... and {count - top} more (use --top or --json)")

    print(f"\nCoverage gaps (missing: no property; rare: under {analysis.RARE_SHARE:.0%} of the destination):")
    for d in destinations:
        gap = report.gaps.get(d)
        if gap is None:
            continue
        pieces = []
        if gap["missing_amenities"]:
            pieces.append("no " + ", ".join(_amenity(engine, a) for a in gap["missing_amenities"]))
        if gap["missing_types"]:
            pieces.append("no type " + ", ".join(_type(engine, t) for t in gap["missing_types"]))
        rare = [f"{_amenity(engine, r['id'])} ({r['count']})" for r in gap["rare_amenities"]]
        rare += [f"type {_type(engine, r['id'])} ({r['count']})" for r in gap["rare_types"]]
        if rare:
            pieces.append("rare: " + ", ".join(rare))
        print(f"  {d} ({gap['properties']}): " + ("; ".join(pieces) if pieces else "nothing missing"))

    print("\nFailed searches" + (f" ({source['source']})" if source.get("source") else "") + ":")
    found = report.failed_searches
    if found is None:
        print(f"  not available: {source.get('reason', 'no tracker store')}")
        return
    if not found["searches"]:
        print("  no recorded searches" + (f" for {report.location}" if report.location else ""))
        return
    short = found["with_conflict"] - found["zero_matches_with_conflict"]
    print(f"  {counted(found['searches'], 'search', 'searches')} in "
          f"{counted(found['conversations'], 'conversation')}: {found['zero_matches']:,} with no match "
          f"({_pct(found['zero_match_share'])}), {short:,} with too few to choose from")
    if found["conflicts"]:
        print("  most frequent conflicts (why a search came back empty or short):")
        for c in found["conflicts"][:top]:
            print(f"    {c['count']:>4} × {c['combination']}")
        print("  part of a conflict: " + ", ".join(f"{a['attribute']} {a['count']}" for a in found["attributes"]))


def _amenity(engine: Engine, amenity: str) -> str:
    return amenity_label(amenity, engine.knowledge)


def _type(engine: Engine, kind: str) -> str:
    return type_label(kind, engine.knowledge)


# --- chart ---------------------------------------------------------------------------------

def _chart(report: analysis.Report, top: int, path: Path) -> None:
    with warnings.catch_warnings():  # matplotlib's own pyparsing deprecations are no news to support staff
        warnings.simplefilter("ignore", DeprecationWarning)
        _draw(report, top, path)
    print(f"stays: chart written to {path}", file=sys.stderr)


def _draw(report: analysis.Report, top: int, path: Path) -> None:
    """Counts a person can act on: places left for the common requests, and what empties searches.

    Share-ruled-out bars of rare amenities all sit at 98-100 % and say nothing;
    "how many places are left if a traveller asks for a pool" and "which
    constraints most often leave a search empty" do.
    """
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scope = report.location or "all destinations"
    common = report.restrictiveness.common(report.location)[:top]
    found = report.failed_searches or {}
    conflicts = found.get("attributes", [])[:top]
    panels = 2 if conflicts else 1
    rows = max(len(common), len(conflicts), 1)
    figure, axes = plt.subplots(panels, 1, figsize=(8, 1.6 + 0.42 * rows * panels), squeeze=False)
    left = axes[0][0]
    total = common[0]["total"] if common else 0
    bars = left.barh([e["label"] for e in common][::-1], [e["left"] for e in common][::-1], color="#4f81bd")
    for bar, e in zip(bars, common[::-1], strict=True):
        left.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {e['left']:,}", va="center", fontsize=8)
    left.set_xlim(0, max(total, 1) * 1.12)
    left.set_xlabel(f"places left of {total:,}")
    left.set_title(f"Places left for common requests — {scope}")
    left.grid(axis="x", alpha=0.3)
    if conflicts:
        right = axes[1][0]
        bars = right.barh([c["attribute"].replace("_", " ") for c in conflicts][::-1],
                          [c["count"] for c in conflicts][::-1], color="#c0504d")
        for bar, c in zip(bars, conflicts[::-1], strict=True):
            right.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {c['count']:,}", va="center",
                       fontsize=8)
        right.set_xlim(0, max(c["count"] for c in conflicts) * 1.15)
        right.set_xlabel(f"searches (of {found['searches']:,}) where it was part of the conflict")
        right.set_title("Constraints that most often leave a search empty or short")
        right.grid(axis="x", alpha=0.3)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120)
    plt.close(figure)
