"""Importing Inside Airbnb data (insideairbnb.com, CC BY 4.0) into the catalog schema.

`convert_listings` turns a detailed `listings.csv[.gz]` into a catalog frame
(the contract columns of DESIGN.md plus `max_nights`); `import_calendar` turns
a `calendar.csv[.gz]` into runs of nights (see docs/knowledge.md);
`import_airbnb` does both and writes the calendar beside the catalog, where
`availability.load_calendar_beside(OUT, ...)` (and `Engine.load`) finds it.

The work is split by input: `listings` (with `cells` and `amenities`) makes
catalog rows, `calendar_import` makes runs of nights, `importer` writes both
(or appends to an existing catalog); `report` holds what each of them says
about what it read and left out, `files` the reading of CSV files.
"""
from __future__ import annotations

from .amenities import AmenityMatcher, map_amenities, parse_amenity_list
from .calendar_import import calendar_runs, import_calendar, write_calendar
from .cells import clean_description, clean_neighbourhood, clean_picture_url, parse_bathrooms_text, parse_price
from .files import AirbnbImportError
from .importer import import_airbnb, write_catalog
from .listings import OUTPUT_COLUMNS, check_currency, convert_frame, convert_listings, read_listings, resolve_location
from .report import CalendarImport, ImportReport

__all__ = [
    "AirbnbImportError", "AmenityMatcher", "CalendarImport", "ImportReport", "OUTPUT_COLUMNS", "calendar_runs",
    "check_currency", "clean_description", "clean_neighbourhood", "clean_picture_url", "convert_frame",
    "convert_listings", "import_airbnb", "import_calendar", "map_amenities", "parse_amenity_list",
    "parse_bathrooms_text", "parse_price", "read_listings", "resolve_location", "write_calendar", "write_catalog",
]
