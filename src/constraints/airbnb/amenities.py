"""Inside Airbnb amenity lists to the knowledge base's amenity ids (`airbnb` patterns of amenities.yml)."""
from __future__ import annotations

import csv
import json
import math
import re
import sys
from collections import Counter
from functools import reduce
from operator import or_
from typing import Any

import pandas as pd
from tqdm import tqdm

from ..knowledge import Knowledge
from .report import ImportReport

AMENITIES_UNREADABLE = "amenities unreadable"


class AmenityMatcher(dict[Any, int]):
    """Raw Inside Airbnb amenity string -> bit mask of canonical ids, matched once per distinct string.

    A dict whose missing keys are computed on first sight, so the per-row work
    is C-level lookups; bit k stands for `ids[k]` (sorted), so a row's mask
    turns into its sorted `;`-joined ids directly (and is cached too).
    """

    def __init__(self, knowledge: Knowledge) -> None:
        super().__init__()
        by_id = {a.id: a for a in knowledge.amenities.values() if a.airbnb}
        self.ids = sorted(by_id)
        # one alternation per amenity and side: a single search instead of one per pattern
        self.rules = [(1 << bit, _alternation(by_id[a].airbnb), _alternation(by_id[a].airbnb_exclude))
                      for bit, a in enumerate(self.ids)]
        self.joined: dict[int, str] = {0: ""}

    def __missing__(self, raw: Any) -> int:
        text = str(raw).strip()
        mask = 0
        for bit, include, exclude in self.rules:
            # include is never None: only amenities with airbnb patterns have a rule
            if include is not None and include.search(text) and not (exclude is not None and exclude.search(text)):
                mask |= bit
        self[raw] = mask
        return mask

    def __call__(self, text: str) -> tuple[str, ...]:
        """The ids one raw string maps to."""
        return self.ids_of(self[text])

    def ids_of(self, mask: int) -> tuple[str, ...]:
        return tuple(amenity for bit, amenity in enumerate(self.ids) if mask >> bit & 1)

    def join(self, mask: int) -> str:
        joined = self.joined.get(mask)
        if joined is None:
            joined = self.joined[mask] = ";".join(self.ids_of(mask))
        return joined


def _alternation(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), re.IGNORECASE)


def parse_amenity_list(text: Any) -> list[str] | None:
    """The raw strings of one row: a JSON list, or the older "{a,"b c"}" form; None if unreadable."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return []
    text = str(text).strip()
    if not text:
        return []
    try:
        items = json.loads(text)
    except (ValueError, RecursionError):
        if text.startswith("{") and text.endswith("}"):  # the layout of scrapes before 2021
            try:
                row = next(csv.reader([text[1:-1]], skipinitialspace=True), [])
            except csv.Error:
                return None
            return [item.strip() for item in row if item.strip()]
        return None
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        return None
    return [item.strip() for item in items if item.strip()]


def map_amenities(values: pd.Series, knowledge: Knowledge, report: ImportReport, progress: bool = False) -> list[str]:
    """`;`-joined sorted canonical ids per row; fills the report's amenity counters.

    The per-row work stays in C where it can: json.loads, dict lookups of the
    (cached) masks through `map`, OR-ing them with `reduce`, Counter.update.
    """
    matcher = AmenityMatcher(knowledge)
    lookup = matcher.__getitem__
    joined = matcher.joined
    loads = json.loads
    occurrences: Counter[Any] = Counter()
    out: list[str] = []
    unreadable = 0
    rows = tqdm(values.to_numpy(), total=len(values), desc="amenities", unit=" rows", file=sys.stderr,
                disable=not progress, leave=False, mininterval=0.5)
    for text in rows:
        try:
            items = loads(text)
            if type(items) is not list:
                raise ValueError("not a list")
            mask = reduce(or_, map(lookup, items), 0)
        except (TypeError, ValueError, RecursionError):  # empty, NaN, the older {a,b} layout, or broken
            items = parse_amenity_list(text)
            if items is None:
                unreadable += 1
                out.append("")
                continue
            mask = reduce(or_, map(lookup, items), 0)
        occurrences.update(items)
        row = joined.get(mask)
        out.append(row if row is not None else matcher.join(mask))
    report.amenities_unreadable = unreadable
    if unreadable:
        report.notes.append(f"{AMENITIES_UNREADABLE}: {unreadable} row(s) kept with no amenities")
    report.amenity_occurrences = sum(occurrences.values())
    unmapped: Counter[str] = Counter()
    for text, count in occurrences.items():
        if not matcher[text]:
            unmapped[str(text).strip()] += count
    report.unmapped_amenities = unmapped
    report.amenity_occurrences_mapped = report.amenity_occurrences - sum(report.unmapped_amenities.values())
    return out

