"""`stays search` and `stays why-not`."""
from __future__ import annotations

import argparse
import textwrap
from dataclasses import replace

from ..engine import Engine, WhyNot
from ..query import Query
from ..results import Result, SearchResult
from ..text import counted
from .common import (
    common_options,
    emit_json,
    examples,
    load_engine,
    non_negative_int,
    note,
    positive_int,
    query_from_args,
    query_options,
    skipped_rows,
)

SEARCH_LIMIT = 10


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    search = subparsers.add_parser("search", help="find places for a set of constraints", **examples(
        "stays search --location Lisbon --guests 4 --max-price 150 --amenity pool",
        "stays search --location Porto --check-in 2027-03-04 --check-out 2027-03-08 --max-price 600 "
        "--budget-scope stay",
        "stays search --location 'New York City' --max-price 200 --currency USD --json",
        "stays search --location Paris --guests 2 --must location --flexible price_per_night --min-results 5",
        "stays search --location Lisbon --guests 2 --wish 'quiet, river view' --wish 'near the old town'"))
    query_options(search)
    wish_option(search)
    search.add_argument("--limit", type=positive_int, default=SEARCH_LIMIT, help="results to show (default 10)")
    search.add_argument("--offset", type=non_negative_int, default=0, help="skip this many results (the next page)")
    common_options(search)
    search.set_defaults(handler=run_search)

    why = subparsers.add_parser("why-not", help="why a property is not recommended for a query", **examples(
        "stays why-not p000698 --location Lisbon --guests 2",
        "stays why-not p000123 --location Lisbon --guests 4 --max-price 150 --amenity pool --limit 3"))
    why.add_argument("id", help="the property's id, e.g. p000698")
    query_options(why)
    wish_option(why)
    why.add_argument("--limit", type=positive_int, default=SEARCH_LIMIT,
                     help=f"how many results the traveller saw (default {SEARCH_LIMIT}, what `stays search` shows)")
    common_options(why)
    why.set_defaults(handler=run_why_not)


def wish_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--wish", action="append", default=[], type=wish_text, metavar="TEXT",
                        help="a want in your own words, e.g. 'quiet, river view' (repeatable): it re-ranks the "
                             "places that match, never excludes one")


def wish_text(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("a wish needs words, e.g. --wish 'somewhere quiet'")
    return text


def wished_query(args: argparse.Namespace, engine: Engine) -> Query:
    """The query of the flags, with the --wish texts."""
    return replace(query_from_args(args, engine), wishes=tuple(args.wish))


def run_search(args: argparse.Namespace) -> int:
    engine = load_engine(args)
    result = engine.search(wished_query(args, engine), limit=args.limit, offset=args.offset)
    for line in result.query.notes:
        note(line)
    if args.json:
        emit_json({**result.to_json(), "wishes": list(result.query.wishes),
                   "catalog_rows_skipped": len(engine.catalog.skipped)})
    else:
        print(render_search(result, engine))
    return 0


def run_why_not(args: argparse.Namespace) -> int:
    engine = load_engine(args)
    answer = engine.why_not(args.id, wished_query(args, engine), limit=args.limit)
    if args.json:
        emit_json(answer.to_json())
    else:
        print(render_why_not(answer))
    return 0


def _row(rank: int, r: Result, engine: Engine) -> list[str]:
    price = engine.wording.money(r.price_per_night, r.currency)
    if r.total_price is not None:
        price += f" ({engine.wording.money(r.total_price, r.currency)} total)"
    rating = f"{r.rating:.2f} ({r.review_count})" if r.rating is not None and r.review_count else "no reviews yet"
    where = r.location + (f", {r.neighbourhood}" if r.neighbourhood else "")
    return [str(rank), r.id, r.title, where, price, rating, f"{r.score:.2f}"]


def table(header: list[str], rows: list[list[str]], widths: dict[int, int] | None = None) -> str:
    widths = widths or {}
    cells = [[c if len(c) <= widths.get(i, 999) else c[: widths[i] - 1] + "…" for i, c in enumerate(row)]
             for row in [header, *rows]]
    sizes = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(sizes[i]) for i, c in enumerate(row)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * s for s in sizes))
    return "\n".join(lines)


def render_search(result: SearchResult, engine: Engine) -> str:
    out = []
    skipped = f" ({skipped_rows(engine)})" if engine.catalog.skipped else ""
    if result.results:
        verb = "matches" if result.total_matches == 1 else "match"
        out.append(f"{counted(result.total_matches, 'place')} {verb}.{skipped}")
        out.append("")
        header = ["#", "id", "title", "where", "per night", "rating", "score"]
        ranked = list(enumerate(result.results, start=result.offset + 1))
        out.append(table(header, [_row(k, r, engine) for k, r in ranked], {2: 44, 3: 30}))
        out.append("")
        out.append("Why:")
        for k, r in ranked:
            out.append(f"  {k}. {r.title}")
            out.extend(textwrap.indent("\n".join(f"- {line}" for line in r.explanation), "     ").splitlines())
        out.append("")
    else:
        out.append(("Nothing matches." if not result.total_matches else
                    f"Only {counted(result.total_matches, 'place')} "
                    f"{'matches' if result.total_matches == 1 else 'match'}.")
                   + skipped)
    if result.conflict_text:
        out.append(result.conflict_text)
    if result.relaxations:
        out.append("")
        out.append("Ways to get results:")
        for k, relaxation in enumerate(result.relaxations, start=1):
            out.append(f"  {k}. {relaxation.description}")
    if result.alternatives:
        out.append("")
        out.append("Closest places:")
        for a, shown in zip(result.alternatives, result.alternative_results, strict=True):
            price = engine.wording.money(shown.price_per_night, shown.currency)
            out.append(f"  {a.id}  {shown.title} ({shown.location}, {price}) — similarity {a.similarity:.2f}; "
                       f"misses: {'; '.join(a.misses)}")
    return "\n".join(out).rstrip()


def render_why_not(answer: WhyNot) -> str:
    out = [f"{answer.id}: {answer.title}"]
    if answer.failed:
        out.append("Not recommended because it is:")
        out.extend(f"  - {reason}" for _, reason in answer.failed)
    elif answer.rank is not None:
        where = (f"within the first {answer.shown} shown" if answer.visible
                 else f"after the first {answer.shown} shown")
        out.append(f"It matches every requirement and ranks #{answer.rank} of {answer.total_matches}, {where}.")
    out.extend(answer.fixes)
    return "\n".join(out)
