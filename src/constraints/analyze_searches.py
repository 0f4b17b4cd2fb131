"""Failed searches, read back from Rasa's SQL tracker store, for `stays analyze`.

The action server attaches `metadata.search = {"matches", "conflict", "query"}`
to the bot message it sends after each search (`actions/responding.py`).
Counted: searches, the share with no match, the most frequent conflicts (the
set of (attribute, value) in `conflict`, shown as "Lisbon + pool + ≤ €150 a
night") and, per attribute, how many conflicts it is part of.
"""
from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .attributes import LOCATION, REGISTRY
from .knowledge import DEFAULT_DIRECTORY, Knowledge


class TrackerStoreError(Exception):
    """The tracker store cannot be read (missing file, no `events` table, bad URL...)."""


def _sqlite_path(source: str) -> str | None:
    """The file behind a plain path or a sqlite:/// URL; None for other SQLAlchemy URLs."""
    if "://" not in source:
        return source
    scheme, _, rest = source.partition("://")
    if scheme.split("+")[0] != "sqlite":
        return None
    path = rest[1:] if rest.startswith("/") else rest  # sqlite:///rel, sqlite:////abs
    if not path:
        raise TrackerStoreError("in-memory sqlite URLs hold no recorded conversations")
    return path.split("?")[0]


def bot_events(source: str | Path) -> Iterator[tuple[str, float, str]]:
    """(sender_id, timestamp, data) of every bot event in a Rasa SQL tracker store."""
    text = str(source)
    query = "SELECT sender_id, timestamp, data FROM events WHERE type_name = 'bot' ORDER BY timestamp, id"
    path = _sqlite_path(text)
    rows: list[tuple[Any, ...]]
    if path is not None:
        if not Path(path).is_file():
            raise TrackerStoreError(f"no tracker store file at {path}")
        try:
            connection = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
            try:
                rows = connection.execute(query).fetchall()
            finally:
                connection.close()
        except sqlite3.Error as exc:
            raise TrackerStoreError(f"cannot read {path}: {exc}") from None
    else:
        try:
            import sqlalchemy
            engine = sqlalchemy.create_engine(text)
            try:
                with engine.connect() as connection:
                    rows = [tuple(r) for r in connection.execute(sqlalchemy.text(query))]
            finally:
                engine.dispose()
        except Exception as exc:  # driver missing, server down, no table: all mean "unreadable"
            raise TrackerStoreError(f"cannot read {redacted(text)}: {str(exc).splitlines()[0]}") from None
    for sender, timestamp, data in rows:
        yield str(sender), float(timestamp or 0.0), data


def redacted(url: str) -> str:
    """A URL without its password, for messages."""
    scheme, sep, rest = url.partition("://")
    if sep and "@" in rest:
        credentials, _, host = rest.rpartition("@")
        user = credentials.split(":")[0]
        return f"{scheme}://{user}:***@{host}"
    return url


@dataclass
class SearchRecord:
    """One search the action server ran, as its bot message recorded it."""

    sender_id: str
    timestamp: float
    matches: int
    conflict: list[dict[str, Any]]
    query: list[dict[str, Any]]


def search_records(events: Iterable[tuple[str, float, Any]]) -> list[SearchRecord]:
    """The searches recorded in bot events (`metadata.search`); other events are ignored."""
    records = []
    for sender, timestamp, data in events:
        try:
            event = json.loads(data) if isinstance(data, (str, bytes)) else data
        except ValueError:
            continue
        metadata = event.get("metadata") if isinstance(event, dict) else None
        search = metadata.get("search") if isinstance(metadata, dict) else None
        if not isinstance(search, dict) or not isinstance(search.get("matches"), (int, float)):
            continue
        conflict = [c for c in search.get("conflict") or [] if isinstance(c, dict) and "attribute" in c]
        query = [c for c in search.get("query") or [] if isinstance(c, dict) and "attribute" in c]
        records.append(SearchRecord(sender, timestamp, int(search["matches"]), conflict, query))
    return records


def _condition_key(c: Mapping[str, Any]) -> tuple[str, str]:
    return str(c["attribute"]), json.dumps(c.get("value"), sort_keys=True, ensure_ascii=False)


def _ordered(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """In the order a conflict reads naturally (each entry's `report_order`); unknown attributes last."""
    last = max(a.report_order for a in REGISTRY.values()) + 1
    return sorted(set(pairs), key=lambda p: (REGISTRY[p[0]].report_order if p[0] in REGISTRY else last, p[0], p[1]))


def describe_condition(attribute: str, value: Any, knowledge: Knowledge | None = None) -> str:
    """A recorded constraint as support staff read it: 'Lisbon', 'pool', '≤ €150 a night', 'sleeps ≥ 6'."""
    base = knowledge.settings.get("currency", {}).get("base", "EUR") if knowledge else "EUR"
    entry = REGISTRY.get(attribute)
    if entry is None:
        return f"{attribute.replace('_', ' ')} {value}"
    return entry.described(value, knowledge, base)


def failed_searches(records: Sequence[SearchRecord], knowledge: Knowledge | None = None,
                    location: str | None = None, top: int | None = None) -> dict[str, Any]:
    """Searches, the share without a match, the most frequent conflicts and the attributes in them.

    `location` keeps the searches whose query asked for that destination.
    """
    if location is not None:
        records = [r for r in records
                   if any(c["attribute"] == LOCATION.name and c.get("value") == location for c in r.query)]
    searches = len(records)
    zero = sum(1 for r in records if r.matches == 0)
    with_conflict = [r for r in records if r.conflict]
    combos: Counter[tuple[tuple[str, str], ...]] = Counter(
        tuple(_ordered(_condition_key(c) for c in r.conflict)) for r in with_conflict)
    attributes: Counter[str] = Counter(a for r in with_conflict for a in {str(c["attribute"]) for c in r.conflict})
    ranked_combos = sorted(combos.items(), key=lambda kv: (-kv[1], kv[0]))
    if top is not None:
        ranked_combos = ranked_combos[:top]
    return {
        "searches": searches,
        "conversations": len({r.sender_id for r in records}),
        "zero_matches": zero,
        "zero_match_share": round(zero / searches, 6) if searches else 0.0,
        "with_conflict": len(with_conflict),
        "zero_matches_with_conflict": sum(1 for r in with_conflict if r.matches == 0),
        "conflicts": [{
            "combination": " + ".join(describe_condition(a, json.loads(v), knowledge) for a, v in combo),
            "constraints": [{"attribute": a, "value": json.loads(v)} for a, v in combo],
            "count": count,
            "share": round(count / len(with_conflict), 6),
        } for combo, count in ranked_combos],
        "attributes": [{"attribute": a, "count": n, "share": round(n / len(with_conflict), 6)}
                       for a, n in sorted(attributes.items(), key=lambda kv: (-kv[1], kv[0]))],
    }


def tracker_store_for(catalog: Path | None) -> Path:
    """The SQLite tracker store of the chat that serves `catalog` (scripts/services.py uses the same).

    The shipped catalog's conversations are in rasa_project/rasa.db; an
    imported catalog served with `make run CATALOG=X.csv` keeps its own beside
    it (X.tracker.db), so its failed searches are never mixed with Paris's.
    """
    shipped = DEFAULT_DIRECTORY / "catalog.csv"
    if catalog is None or Path(catalog).resolve() == shipped.resolve():
        return DEFAULT_DIRECTORY.parent / "rasa_project" / "rasa.db"
    catalog = Path(catalog)
    stem = catalog.name.split(".csv")[0]
    return catalog.with_name(f"{stem}.tracker.db")
