"""Options and helpers shared by the subcommands."""
from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from ..attributes import AMENITIES, REGISTRY
from ..engine import Engine
from ..errors import InvalidValueError
from ..money import is_currency_code
from ..normalise import Normaliser, Resolved
from ..query import Query, StayDates, build_query
from ..text import counted, fold


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports a bad argument in one line instead of usage + error."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def fail(message: str, status: int) -> int:
    print(f"stays: {message}", file=sys.stderr)
    return status


def note(message: str) -> None:
    print(f"stays: note: {message}", file=sys.stderr)


def emit_json(document: Any) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--catalog", type=Path, default=None,
                        help="catalog CSV (default: $STAYS_CATALOG, the one `make run CATALOG=...` serves, "
                             "else the shipped one)")
    parser.add_argument("--knowledge", type=Path, default=None, help="knowledge directory (default: knowledge/)")
    parser.add_argument("--json", action="store_true", help="machine-readable output on stdout")


def catalog_argument(args: argparse.Namespace) -> Path | None:
    """--catalog, else the catalog the chat serves ($STAYS_CATALOG): support staff see what travellers see."""
    chosen = args.catalog or os.environ.get("STAYS_CATALOG") or None
    return Path(chosen) if chosen else None


def load_engine(args: argparse.Namespace) -> Engine:
    """The engine over the chosen catalog; rows that could not be read are said on stderr, never hidden."""
    engine = Engine.load(args.knowledge or os.environ.get("STAYS_KNOWLEDGE") or None, catalog_argument(args))
    if engine.catalog.skipped:
        note(skipped_rows(engine))
    return engine


def skipped_rows(engine: Engine) -> str:
    return f"{counted(len(engine.catalog.skipped), 'catalog row')} could not be read: `stays check`"


class Examples(argparse.RawDescriptionHelpFormatter):
    """Help that keeps the examples' lines as written."""


def examples(*lines: str) -> dict[str, Any]:
    """Keyword arguments for add_parser: a help epilog of examples."""
    return {"epilog": "examples:\n" + "\n".join(f"  {line}" for line in lines), "formatter_class": Examples}


def positive_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, not {text!r}") from None
    if value != value or value <= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number, not {text!r}")
    return value


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {text!r}")
    return value


def non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, not {text!r}")
    return value


def rating(text: str) -> float:
    value = positive_number(text)
    if value > 5:
        raise argparse.ArgumentTypeError(f"ratings go from 0 to 5, not {text!r}")
    return value


def currency_code(text: str) -> str:
    code = text.strip().upper()
    if not is_currency_code(code):
        raise argparse.ArgumentTypeError(f"expected an ISO 4217 currency code such as USD or EUR, not {text!r}")
    return code


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, not {text!r}") from None


def query_options(parser: argparse.ArgumentParser) -> None:
    """The query flags shared by `search` and `why-not`."""
    parser.add_argument("--location", help="destination, e.g. Lisbon or NYC")
    parser.add_argument("--neighbourhood", help="neighbourhood to be near, e.g. Alfama")
    parser.add_argument("--max-price", type=positive_number,
                        help="budget per night (or per stay, see --budget-scope), in the destination's currency "
                             "unless --currency says otherwise")
    parser.add_argument("--min-price", type=positive_number, help="lowest nightly price, same currency as --max-price")
    parser.add_argument("--currency", type=currency_code, metavar="CODE",
                        help="ISO 4217 code of --max-price/--min-price, e.g. CAD; converted at engine.yml's rates")
    parser.add_argument("--budget-scope", choices=["night", "stay"], default="night",
                        help="whether --max-price is per night (default) or for the whole stay")
    parser.add_argument("--guests", type=positive_int, help="people in the party; places must sleep at least this many")
    parser.add_argument("--bedrooms", type=positive_int, help="at least this many bedrooms")
    parser.add_argument("--amenity", action="append", default=[], help="must-have amenity (repeatable)")
    parser.add_argument("--nice-to-have", action="append", default=[], help="preferred amenity (repeatable)")
    parser.add_argument("--type", action="append", default=[], dest="types", help="property type (repeatable)")
    parser.add_argument("--room-type", help="entire_home, private_room or shared_room")
    parser.add_argument("--nights", type=positive_int, help="length of the stay (without dates: the host's limits)")
    parser.add_argument("--check-in", type=iso_date, metavar="YYYY-MM-DD", help="arrival date, e.g. 2027-03-04")
    parser.add_argument("--check-out", type=iso_date, metavar="YYYY-MM-DD", help="departure date, after --check-in")
    parser.add_argument("--min-rating", type=rating, help="lowest rating, 0 to 5 (places need a few reviews)")
    parser.add_argument("--centre-km", type=positive_number, metavar="KM",
                        help="at most this far from the centre of the destination, e.g. 1")
    parser.add_argument("--context", action="append", default=[], metavar="KEY=VALUE",
                        help="traveller context for the rules, e.g. pets=true purpose=work")
    parser.add_argument("--must", action="append", default=[], metavar="ATTRIBUTE",
                        help="what matters most: never relax it first (e.g. amenities:pool, location)")
    parser.add_argument("--flexible", action="append", default=[], metavar="ATTRIBUTE",
                        help="what may be relaxed first (e.g. price_per_night)")
    parser.add_argument("--min-results", type=positive_int, default=1,
                        help="offer repairs until at least this many places match")


_YES = frozenset({"1", "true", "yes", "y"})
_NO = frozenset({"0", "false", "no", "n"})


def _resolve(found: Resolved) -> str:
    """The canonical value; a typo correction or a synonym that names something else is said."""
    if found.corrected or fold(found.text) != fold(found.label):
        note(f"'{found.text}' read as '{found.label}'")
    return found.value


def query_from_args(args: argparse.Namespace, engine: Engine) -> Query:
    """Normalise the text flags exactly as the chat does, then build the query."""
    normaliser: Normaliser = engine.normaliser
    location = _resolve(normaliser.location(args.location)) if args.location else None
    neighbourhood = None
    if args.neighbourhood:
        found = normaliser.neighbourhood(args.neighbourhood, location)
        _resolve(found)
        assert found.parent is not None  # a neighbourhood always resolves with its destination
        location = location or found.parent
        neighbourhood = (found.parent, found.value)
    dates = _stay(args, engine)
    if args.min_price is not None and args.max_price is not None and args.min_price > args.max_price:
        raise InvalidValueError(f"--min-price {args.min_price:g} is above --max-price {args.max_price:g}: "
                                f"no price can be both")
    if args.budget_scope == "stay" and args.max_price is not None and not (dates or args.nights):
        raise InvalidValueError("--budget-scope stay needs the length of the stay: give --nights or "
                                "--check-in/--check-out")
    if args.budget_scope == "stay" and args.max_price is None:
        raise InvalidValueError("--budget-scope stay says how to read --max-price, which is not given")
    query = build_query(
        location=location,
        neighbourhood=neighbourhood,
        max_price=args.max_price,
        min_price=args.min_price,
        currency=args.currency,
        budget_scope=args.budget_scope,
        guests=args.guests,
        bedrooms=args.bedrooms,
        amenities=[_resolve(normaliser.amenity(a)) for a in args.amenity],
        nice_to_have=[_resolve(normaliser.amenity(a)) for a in args.nice_to_have],
        property_types=[_resolve(normaliser.property_type(t)) for t in args.types],
        room_type=_resolve(normaliser.room_type(args.room_type)) if args.room_type else None,
        nights=args.nights,
        dates=dates,
        min_rating=args.min_rating,
        centre_km=args.centre_km,
        context=_context(args.context, engine),
        min_results=args.min_results,
    )
    defaults = engine.knowledge.settings["priorities"]
    priorities = {**{a: int(defaults["must"]) for a in _priorities(args.must, "--must", query, engine)},
                  **{a: int(defaults["flexible"]) for a in _priorities(args.flexible, "--flexible", query, engine)}}
    return replace(query, priorities=priorities)


def today() -> date:
    """Today, or STAYS_TODAY (the date the chat and the scripted tests pin)."""
    pinned = os.environ.get("STAYS_TODAY")
    return date.fromisoformat(pinned) if pinned else date.today()


def _stay(args: argparse.Namespace, engine: Engine) -> StayDates | None:
    """The dates, checked by the engine's own rule (the chat's), and agreeing with --nights."""
    if not (args.check_in or args.check_out):
        return None
    if not (args.check_in and args.check_out):
        raise InvalidValueError("--check-in and --check-out go together")
    dates = StayDates(args.check_in, args.check_out)
    problem = engine.stay_problem(dates, today())
    if problem is not None:
        raise InvalidValueError(problem)
    if args.nights is not None and args.nights != dates.nights:
        raise InvalidValueError(f"--nights {args.nights} disagrees with the dates ({counted(dates.nights, 'night')}): "
                                f"give one or the other")
    if engine.availability is None:
        note("availability not checked: this catalog has no calendar")
    return dates


def _priorities(names: list[str], flag: str, query: Query, engine: Engine) -> list[str]:
    """--must/--flexible name an attribute the query constrains, or an amenity it requires (amenities:ID).

    Anything else has no effect: a priority decides what a repair gives up,
    and a nice-to-have amenity is never given up.
    """
    known = [a.name for a in REGISTRY.values() if not a.list_slot]
    asked = {c.attribute for c in query.constraints}
    required = {c.value for c in query.hard if c.attribute == AMENITIES.name}
    for name in names:
        attribute, _, amenity = name.partition(":")
        if attribute == AMENITIES.name and amenity:
            if engine.normaliser.amenity(amenity).value not in required:
                raise InvalidValueError(f"{flag} {name} has no effect: --amenity {amenity} is not asked for")
            continue
        if attribute not in known:
            hint = (f"; for an amenity write {AMENITIES.name}:{name}" if name in engine.knowledge.amenities else "")
            raise InvalidValueError(f"{flag} takes an attribute ({', '.join(known)}) or {AMENITIES.name}:ID, "
                                    f"not {name!r}{hint}")
        if attribute not in asked:
            raise InvalidValueError(f"{flag} {name} has no effect: the search has no {attribute.replace('_', ' ')}")
    return names


def _context(pairs: list[str], engine: Engine) -> dict[str, Any]:
    known = engine.knowledge.context
    context: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or key not in known:
            raise InvalidValueError(f"--context takes KEY=VALUE with KEY one of {', '.join(sorted(known))}; "
                                    f"got {pair!r}")
        kind = known[key].type
        if kind == "bool":
            word = raw.strip().lower()
            if word not in _YES | _NO:
                raise InvalidValueError(f"--context {key} is true or false, not {raw!r}")
            context[key] = word in _YES
        elif kind == "count":
            try:
                context[key] = int(raw)
            except ValueError:
                raise InvalidValueError(f"--context {key} needs a whole number, not {raw!r}") from None
        else:
            if raw not in known[key].choices:
                raise InvalidValueError(f"--context {key} is one of {', '.join(known[key].choices)}, not {raw!r}")
            context[key] = raw
    return context
