"""`stays show ID`: everything the catalog knows about one property."""
from __future__ import annotations

import argparse

from .common import common_options, emit_json, load_engine


def register(subparsers: argparse._SubParsersAction) -> None:
    show = subparsers.add_parser("show", help="show one property")
    show.add_argument("id")
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
    rating = f"{record['rating']:.2f} from {record['review_count']} reviews" if record["rating"] is not None else "not rated yet"
    lines = [
        f"{record['id']}: {record['title']}",
        f"  where      {record['location']}, {record['neighbourhood']} ({record['latitude']:.4f}, {record['longitude']:.4f})",
        f"  type       {record['property_type']}, {record['room_type'].replace('_', ' ')}",
        f"  sleeps     {record['accommodates']} · {record['bedrooms']} bedrooms · {record['beds']} beds · {record['bathrooms']:g} bathrooms",
        f"  price      {money(record['price_per_night'], record['currency'])} a night, "
        f"min {record['min_nights']} nights" + (f", max {record['max_nights']}" if record["max_nights"] else ""),
        f"  rating     {rating}",
        f"  amenities  {', '.join(labels[a].label if a in labels else a for a in record['amenities']) or 'none listed'}",
    ]
    if record["description"]:
        lines.append(f"  about      {record['description']}")
    print("\n".join(lines))
    return 0
