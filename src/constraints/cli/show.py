"""`stays show ID`: everything the catalog knows about one property."""
from __future__ import annotations

import argparse

from ..text import counted
from .common import common_options, emit_json, examples, load_engine


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    show = subparsers.add_parser("show", help="show one property", **examples(
        "stays show p000123", "stays show p000123 --json"))
    show.add_argument("id", help="the property's id, e.g. p000123")
    common_options(show)
    show.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    engine = load_engine(args)
    record = engine.show(args.id)
    if args.json:
        emit_json(record)
        return 0
    money = engine.wording.money
    labels = engine.knowledge.amenities
    rating = (f"{record['rating']:.2f} from {counted(record['review_count'], 'review')}"
              if record["rating"] is not None and record["review_count"] else "no reviews yet")
    amenities = ", ".join(labels[a].label if a in labels else a for a in record["amenities"])
    lines = [
        f"{record['id']}: {record['title']}",
        f"  where      {record['location']}, {record['neighbourhood']} "
        f"({record['latitude']:.4f}, {record['longitude']:.4f})",
        f"  type       {record['property_type']}, {record['room_type'].replace('_', ' ')}",
        f"  sleeps     {record['accommodates']} · {counted(record['bedrooms'], 'bedroom')} · "
        f"{counted(record['beds'], 'bed')} · {counted(record['bathrooms'], 'bathroom')}",
        f"  price      {money(record['price_per_night'], record['currency'])} a night, "
        f"at least {counted(record['min_nights'], 'night')}"
        + (f", at most {counted(record['max_nights'], 'night')}" if record["max_nights"] else ""),
        f"  rating     {rating}",
        f"  amenities  {amenities or 'none listed'}",
    ]
    if record["picture_url"]:
        lines.append(f"  photo      {record['picture_url']}")
    if record["description"]:
        lines.append(f"  about      {record['description']}")
    print("\n".join(lines))
    return 0
