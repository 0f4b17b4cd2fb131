"""Which constraints make searches fail: the numbers behind `stays analyze`.

Four views of one catalog, each a pure function over the `Catalog` columns
(vectorised with numpy; the only Python loops run over destinations, property
kinds, amenity words or recorded events, never over catalog rows):

**Restrictiveness** — for every value a traveller commonly asks for (each
amenity, each property type, an entire place, sleeps >= 2..12, <= 50..300 a
night in the base currency, rated >= 4.5 / 4.8, bedrooms >= 2..4), the share of
properties it rules out, per destination and overall. The tests are the
engine's own masks: an unrated place (too few reviews, or no rating) fails
every rating threshold, and a budget compares `price_base`.

**Unreachable properties** — property *p* is *dominated* by *q* when both are
in the same destination, have the same property type and room type, and *q*

* sleeps at least as many (`accommodates`),
* costs no more (`price_base`),
* has every amenity *p* has (superset, tested on amenity bitmasks packed into
  uint64 words),
* ranks above *p* on rating: a strictly higher `rating_score` (the shrunk
  rating), or an equal one and an earlier catalog row (the ranking breaks ties
  by catalog order).

*p* is *unreachable* when at least k properties (default 3) dominate it. Why
that is the right notion: take any search *p* satisfies that is made of a
destination, a party size, a budget, amenities, a property type and a room
type — at the extreme, a traveller asking for exactly *p*'s own features. Every
dominator satisfies that search too (more room, cheaper, more amenities, same
kind), and ranks above *p* on what the ranking does not take from the query:
the shrunk rating is higher, the price component is no worse (cheaper), the
nice-to-have amenities met are no fewer (superset), the room preference is
equal. So *p* is shown after at least k others, i.e. never on the first page of
k results, whatever the traveller asks. (The capacity-fit component can favour
a smaller place slightly, and searches on bedrooms, neighbourhood, dates or
rating are not covered, so this is a strong hint, not a proof of invisibility.)
The dominance test is pairwise within one destination and one
(property type, room type) group, with numpy broadcasting over chunks of rows
so memory stays bounded: fine up to a few thousand rows per destination.

**Coverage gaps** — per destination, the amenities and property types with no
property at all (missing) or with fewer than 2 % of its properties (rare).

**Failed searches** — read back from Rasa's SQL tracker store: the action
server attaches `metadata.search = {"matches", "conflict", "query"}` to the
bot message it sends after each search (`actions/responding.py`). Counted:
searches, the share with no match, the most frequent conflicts (the set of
(attribute, value) in `conflict`, shown as "Lisbon + pool + ≤ €150 a night")
and, per attribute, how many conflicts it is part of.
"""
from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

import numpy as np

from .catalog import Catalog
from .knowledge import Knowledge

GUEST_THRESHOLDS = (2, 4, 6, 8, 10, 12)
BUDGET_THRESHOLDS = (50, 75, 100, 150, 200, 300)
RATING_THRESHOLDS = (4.5, 4.8)
BEDROOM_THRESHOLDS = (2, 3, 4)
ENTIRE_PLACE = "entire_home"
# the per-destination summary line: what travellers ask for most often
COMMON_REQUESTS = ("amenities=pool", "amenities=free_parking", "amenities=pets_allowed",
                   "accommodates>=6", "price_per_night<=100")
RARE_SHARE = 0.02
DEFAULT_K = 3
CHUNK_PAIRS = 4_000_000  # pairs compared at once in the dominance test (bounds memory)
# the order in which a conflict reads naturally
CONDITION_ORDER = ("location", "neighbourhood", "amenities", "property_type", "room_type", "accommodates",
                   "bedrooms", "beds", "bathrooms", "price_per_night", "min_price", "total_price", "rating",
                   "nights", "dates")


# --- constraint values ---------------------------------------------------------------

@dataclass(frozen=True)
class ConstraintValue:
    """One value a traveller can ask for, e.g. `amenities contains pool`."""

    attribute: str
    op: str
    value: Any
    label: str

    @property
    def key(self) -> str:
        if self.attribute in ("amenities", "room_type"):
            return f"{self.attribute}={self.value}"
        if self.attribute == "property_type":
            return f"property_type={self.value[0]}"
        return f"{self.attribute}{self.op}{self.value:g}"

    def to_json(self) -> dict[str, Any]:
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {"key": self.key, "attribute": self.attribute, "op": self.op, "value": value, "label": self.label}


def _money(amount: float, knowledge: Knowledge | None, currency: str | None) -> str:
    """'€150' in the destinations' one currency; '150 (local currency)' when they differ."""
    if currency is None:
        return f"{amount:,.0f} (local currency)"
    if knowledge is None:
        return f"{currency} {amount:,.0f}"
    return knowledge.currencies.format(amount, currency)


def _amenity_label(amenity: str, knowledge: Knowledge | None) -> str:
    found = knowledge.amenities.get(amenity) if knowledge else None
    return found.label.lower() if found else amenity.replace("_", " ")


def _type_label(kind: str, knowledge: Knowledge | None) -> str:
    found = knowledge.property_types.get(kind) if knowledge else None
    return found.label.lower() if found else kind.replace("_", " ")


def constraint_values(catalog: Catalog, knowledge: Knowledge | None = None) -> list[ConstraintValue]:
    """Every value restrictiveness is measured for, in a fixed order (the rows of `keep_counts`)."""
    local = set(catalog.dest_currency)
    currency = next(iter(local)) if len(local) == 1 else None  # budgets are each destination's own currency
    values = [ConstraintValue("amenities", "contains", a, _amenity_label(a, knowledge)) for a in catalog.amenity_ids]
    values += [ConstraintValue("property_type", "in", (t,), f"type = {_type_label(t, knowledge)}")
               for t in catalog.type_ids]
    if ENTIRE_PLACE in catalog.room_ids:
        values.append(ConstraintValue("room_type", "eq", ENTIRE_PLACE, "entire place"))
    values += [ConstraintValue("accommodates", ">=", g, f"sleeps ≥ {g}") for g in GUEST_THRESHOLDS]
    values += [ConstraintValue("price_per_night", "<=", b, f"≤ {_money(b, knowledge, currency)} a night")
               for b in BUDGET_THRESHOLDS]
    values += [ConstraintValue("rating", ">=", r, f"rated ≥ {r:g}") for r in RATING_THRESHOLDS]
    values += [ConstraintValue("bedrooms", ">=", b, f"bedrooms ≥ {b}") for b in BEDROOM_THRESHOLDS]
    return values


def _starts(catalog: Catalog) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the destinations that have rows, and where their rows start."""
    codes = np.array([c for c, s in enumerate(catalog.loc_slices) if s.stop > s.start], dtype=np.int64)
    starts = np.array([catalog.loc_slices[c].start for c in codes], dtype=np.int64)
    return codes, starts


def _per_destination(catalog: Catalog, matrix: np.ndarray) -> np.ndarray:
    """Row sums of a (things x rows) boolean matrix within each destination: (things x destinations)."""
    out = np.zeros((matrix.shape[0], len(catalog.loc_slices)), dtype=np.int64)
    codes, starts = _starts(catalog)
    if len(codes) and matrix.shape[0]:
        out[:, codes] = np.add.reduceat(matrix, starts, axis=1, dtype=np.int64)
    return out


def amenity_counts(catalog: Catalog) -> np.ndarray:
    """Properties with each amenity, per destination: (amenities x destinations)."""
    return _per_destination(catalog, catalog.amen)


def type_counts(catalog: Catalog) -> np.ndarray:
    """Properties of each property type, per destination: (types x destinations)."""
    n_types, n_places = len(catalog.type_ids), len(catalog.loc_slices)
    flat = np.bincount(catalog.loc.astype(np.int64) * n_types + catalog.ptype, minlength=n_places * n_types)
    return flat.reshape(n_places, n_types).T.astype(np.int64)


def keep_counts(catalog: Catalog, values: Sequence[ConstraintValue]) -> np.ndarray:
    """Properties each value leaves, per destination: (values x destinations).

    Amenities and types are counted without materialising a (values x rows)
    matrix; the threshold values (a handful) are stacked into one.
    """
    out = np.zeros((len(values), len(catalog.loc_slices)), dtype=np.int64)
    amen = amenity_counts(catalog)
    types = type_counts(catalog)
    thresholds: list[tuple[int, np.ndarray]] = []
    for k, v in enumerate(values):
        if v.attribute == "amenities":
            out[k] = amen[catalog.amenity_index[v.value]]
        elif v.attribute == "property_type":
            out[k] = types[catalog.type_ids.index(v.value[0])]
        else:
            thresholds.append((k, value_mask(catalog, v)))
    if thresholds:
        rows = [k for k, _ in thresholds]
        out[rows] = _per_destination(catalog, np.vstack([mask for _, mask in thresholds]))
    return out


def value_mask(catalog: Catalog, v: ConstraintValue) -> np.ndarray:
    """The rows a value leaves (the engine's own test for that attribute)."""
    if v.attribute == "amenities":
        return catalog.amen[catalog.amenity_index[v.value]]
    if v.attribute == "property_type":
        return catalog.ptype == catalog.type_ids.index(v.value[0])
    if v.attribute == "room_type":
        return catalog.room == catalog.room_ids.index(v.value)
    if v.attribute == "accommodates":
        return catalog.accommodates >= v.value
    if v.attribute == "price_per_night":
        return catalog.local_price() <= v.value
    if v.attribute == "rating":
        return catalog.rated & (catalog.rating >= v.value)
    if v.attribute == "bedrooms":
        return catalog.bedrooms >= v.value
    raise ValueError(f"no restrictiveness test for {v.attribute}")


@dataclass
class Restrictiveness:
    """How many places each constraint value leaves, per destination."""

    values: list[ConstraintValue]
    destinations: list[str]
    sizes: np.ndarray  # properties per destination
    kept: np.ndarray  # values x destinations
    currencies: list[str] = field(default_factory=list)  # per destination: what its budgets are in
    knowledge: Knowledge | None = None

    def entries(self, destination: str | None = None) -> list[dict[str, Any]]:
        """Every value with its share ruled out, most restrictive first (overall when destination is None)."""
        if destination is None:
            kept, total = self.kept.sum(axis=1), int(self.sizes.sum())
        else:
            code = self.destinations.index(destination)
            kept, total = self.kept[:, code], int(self.sizes[code])
        if total == 0:
            return []
        shares = 1.0 - kept / total
        order = np.lexsort((np.arange(len(self.values)), -shares))
        return [{**self.values[k].to_json(), "label": self._label(self.values[k], destination),
                 "ruled_out_share": round(float(shares[k]), 6),
                 "ruled_out": int(total - kept[k]), "left": int(kept[k]), "total": total}
                for k in order]

    def _label(self, value: ConstraintValue, destination: str | None) -> str:
        """A budget in one destination reads in its own currency ('≤ $100 a night' in Albany)."""
        if value.attribute != "price_per_night" or destination is None or not self.currencies:
            return value.label
        currency = self.currencies[self.destinations.index(destination)]
        return f"≤ {_money(float(value.value), self.knowledge, currency)} a night"

    def common(self, destination: str | None) -> list[dict[str, Any]]:
        """The common requests (COMMON_REQUESTS) in this destination, most restrictive first."""
        return [e for e in self.entries(destination) if e["key"] in COMMON_REQUESTS]

    def populated(self) -> list[str]:
        return [d for d, size in zip(self.destinations, self.sizes) if size]

    def to_json(self, destinations: Iterable[str] | None = None) -> dict[str, Any]:
        chosen = self.populated() if destinations is None else list(destinations)
        return {
            "overall": self.entries(),
            "by_destination": {d: {"properties": int(self.sizes[self.destinations.index(d)]),
                                   "values": self.entries(d), "common": self.common(d)} for d in chosen},
        }


def destination_names(catalog: Catalog) -> list[str]:
    return [d.name for d in catalog.places.destinations]


def destination_sizes(catalog: Catalog) -> np.ndarray:
    return np.array([s.stop - s.start for s in catalog.loc_slices], dtype=np.int64)


def restrictiveness(catalog: Catalog, knowledge: Knowledge | None = None) -> Restrictiveness:
    values = constraint_values(catalog, knowledge)
    names = destination_names(catalog)
    return Restrictiveness(values, names, destination_sizes(catalog), keep_counts(catalog, values),
                           currencies=[catalog.currency_of(name) for name in names], knowledge=knowledge)


# --- unreachable properties -------------------------------------------------------------

def pack_amenities(amen: np.ndarray) -> np.ndarray:
    """(amenities x rows) booleans -> (rows x words) uint64; bit a%64 of word a//64 is amenity a."""
    n_amenities, n_rows = amen.shape
    words = max(1, -(-n_amenities // 64))
    bits = np.zeros((n_rows, words * 64), dtype=bool)
    bits[:, :n_amenities] = amen.T
    return np.ascontiguousarray(np.packbits(bits, axis=1, bitorder="little")).view(np.uint64)


def _dominators_within(acc: np.ndarray, price: np.ndarray, score: np.ndarray, order: np.ndarray,
                       bits: np.ndarray, chunk_pairs: int) -> np.ndarray:
    """Dominator counts among rows of one (destination, type, room) group; `order` is catalog row order."""
    m = len(acc)
    counts = np.zeros(m, dtype=np.int64)
    step = max(1, chunk_pairs // max(m, 1))
    for a in range(0, m, step):
        i = slice(a, min(a + step, m))
        dom = acc[None, :] >= acc[i, None]
        dom &= price[None, :] <= price[i, None]
        ahead = (score[None, :] == score[i, None]) & (order[None, :] < order[i, None])  # ties: catalog order
        dom &= (score[None, :] > score[i, None]) | ahead
        for w in range(bits.shape[1]):
            mine = bits[i, w][:, None]
            dom &= (bits[None, :, w] & mine) == mine
        counts[i] = dom.sum(axis=1)
    return counts


def dominator_counts(catalog: Catalog, chunk_pairs: int = CHUNK_PAIRS) -> np.ndarray:
    """For every row, how many properties dominate it (see the module docstring)."""
    counts = np.zeros(catalog.size, dtype=np.int64)
    n_rooms = max(len(catalog.room_ids), 1)
    for s in catalog.loc_slices:
        if s.stop <= s.start:
            continue
        rows = np.arange(s.start, s.stop)
        kind = catalog.ptype[s].astype(np.int64) * n_rooms + catalog.room[s]
        grouped = rows[np.argsort(kind, kind="stable")]
        edges = np.flatnonzero(np.diff(np.sort(kind, kind="stable"))) + 1
        bits = pack_amenities(catalog.amen[:, grouped])
        for block in np.split(np.arange(len(grouped)), edges):
            members = grouped[block]
            counts[members] = _dominators_within(
                catalog.accommodates[members], catalog.price_base[members], catalog.rating_score[members],
                members, bits[block], chunk_pairs)
    return counts


@dataclass
class Unreachable:
    """Dominator counts and the properties with at least k of them."""

    k: int
    counts: np.ndarray  # per row

    @property
    def mask(self) -> np.ndarray:
        return self.counts >= self.k

    def rows(self, scope: slice | None = None) -> np.ndarray:
        """Unreachable rows, most dominated first (catalog order among equals)."""
        rows = np.flatnonzero(self.mask)
        if scope is not None:
            rows = rows[(rows >= scope.start) & (rows < scope.stop)]
        return rows[np.lexsort((rows, -self.counts[rows]))]

    def by_destination(self, catalog: Catalog) -> dict[str, dict[str, int]]:
        per = _per_destination(catalog, self.mask[None, :])[0]
        sizes = destination_sizes(catalog)
        return {name: {"unreachable": int(per[c]), "properties": int(sizes[c])}
                for c, name in enumerate(destination_names(catalog)) if sizes[c]}


def unreachable(catalog: Catalog, k: int = DEFAULT_K, chunk_pairs: int = CHUNK_PAIRS) -> Unreachable:
    return Unreachable(k, dominator_counts(catalog, chunk_pairs))


# --- coverage gaps ---------------------------------------------------------------------

def coverage_gaps(catalog: Catalog, rare_share: float = RARE_SHARE) -> dict[str, dict[str, Any]]:
    """Per populated destination: amenities and property types missing (0) or rare (< rare_share)."""
    sizes = destination_sizes(catalog)
    amen, types = amenity_counts(catalog), type_counts(catalog)
    gaps: dict[str, dict[str, Any]] = {}
    for code, name in enumerate(destination_names(catalog)):
        size = int(sizes[code])
        if not size:
            continue

        def split(ids: Sequence[str], counts: np.ndarray) -> tuple[list[str], list[dict[str, Any]]]:
            column = counts[:, code]
            missing = [ids[i] for i in np.flatnonzero(column == 0)]
            rare = [{"id": ids[i], "count": int(column[i]), "share": round(float(column[i]) / size, 6)}
                    for i in np.flatnonzero((column > 0) & (column < rare_share * size))]
            return missing, rare

        missing_amenities, rare_amenities = split(catalog.amenity_ids, amen)
        missing_types, rare_types = split(catalog.type_ids, types)
        gaps[name] = {"properties": size, "missing_amenities": missing_amenities, "rare_amenities": rare_amenities,
                      "missing_types": missing_types, "rare_types": rare_types}
    return gaps


# --- failed searches from the tracker store --------------------------------------------

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
            raise TrackerStoreError(f"cannot read {_redacted(text)}: {str(exc).splitlines()[0]}") from None
    for sender, timestamp, data in rows:
        yield str(sender), float(timestamp or 0.0), data


def _redacted(url: str) -> str:
    """A URL without its password, for messages."""
    scheme, sep, rest = url.partition("://")
    if sep and "@" in rest:
        credentials, _, host = rest.rpartition("@")
        user = credentials.split(":")[0]
        return f"{scheme}://{user}:***@{host}"
    return url


@dataclass
class SearchRecord:
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


def describe_condition(attribute: str, value: Any, knowledge: Knowledge | None = None, op: str | None = None) -> str:
    """A constraint value as support staff read it: 'Lisbon', 'pool', '≤ €150 a night', 'sleeps ≥ 6'."""
    base = knowledge.settings.get("currency", {}).get("base", "EUR") if knowledge else "EUR"
    if attribute == "location":
        return str(value)
    if attribute == "neighbourhood":
        if isinstance(value, (list, tuple)) and len(value) >= 2:
            radius = value[2] if len(value) > 2 and isinstance(value[2], (int, float)) else None
            return f"near {value[1]}" + (f" ({radius:g} km)" if radius is not None else "")
        return f"near {value}"
    if attribute == "amenities":
        return _amenity_label(str(value), knowledge)
    if attribute == "property_type":
        kinds = value if isinstance(value, (list, tuple)) else [value]
        return " or ".join(_type_label(str(t), knowledge) for t in kinds)
    if attribute == "room_type":
        found = knowledge.room_types.get(value) if knowledge else None
        return found.label.lower() if found else str(value).replace("_", " ")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if attribute == "price_per_night":
            return f"≤ {_money(value, knowledge, base)} a night"
        if attribute == "min_price":
            return f"≥ {_money(value, knowledge, base)} a night"
        if attribute == "total_price":
            return f"≤ {_money(value, knowledge, base)} for the stay"
        if attribute == "accommodates":
            return f"sleeps ≥ {value:g}"
        if attribute in ("bedrooms", "beds", "bathrooms"):
            return f"{attribute} ≥ {value:g}"
        if attribute == "rating":
            return f"rated ≥ {value:g}"
        if attribute == "nights":
            return f"{value:g} nights"
    if attribute == "dates" and isinstance(value, dict):
        return f"{value.get('check_in')} → {value.get('check_out')}"
    return f"{attribute.replace('_', ' ')} {value}"


def _condition_key(c: Mapping[str, Any]) -> tuple[str, str]:
    return str(c["attribute"]), json.dumps(c.get("value"), sort_keys=True, ensure_ascii=False)


def _ordered(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    rank = {a: i for i, a in enumerate(CONDITION_ORDER)}
    return sorted(set(pairs), key=lambda p: (rank.get(p[0], len(rank)), p[0], p[1]))


def failed_searches(records: Sequence[SearchRecord], knowledge: Knowledge | None = None,
                    location: str | None = None, top: int | None = None) -> dict[str, Any]:
    """Searches, the share without a match, the most frequent conflicts and the attributes in them.

    `location` keeps the searches whose query asked for that destination.
    """
    if location is not None:
        records = [r for r in records
                   if any(c["attribute"] == "location" and c.get("value") == location for c in r.query)]
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
    from .knowledge import DEFAULT_DIRECTORY
    shipped = DEFAULT_DIRECTORY / "catalog.csv"
    if catalog is None or Path(catalog).resolve() == shipped.resolve():
        return DEFAULT_DIRECTORY.parent / "rasa_project" / "rasa.db"
    catalog = Path(catalog)
    stem = catalog.name.split(".csv")[0]
    return catalog.with_name(f"{stem}.tracker.db")


# --- the whole report --------------------------------------------------------------------

@dataclass
class Report:
    catalog: Catalog
    knowledge: Knowledge | None
    restrictiveness: Restrictiveness
    unreachable: Unreachable
    gaps: dict[str, dict[str, Any]]
    failed_searches: dict[str, Any] | None
    location: str | None = None

    @property
    def scope(self) -> slice | None:
        return None if self.location is None else self.catalog.loc_slices[self.catalog.places.code_of[self.location]]

    def destinations(self) -> list[str]:
        return [self.location] if self.location else self.restrictiveness.populated()

    def unreachable_list(self, limit: int | None = None) -> list[dict[str, Any]]:
        rows = self.unreachable.rows(self.scope)[:limit]
        return [{"id": str(self.catalog.ids[r]), "title": str(self.catalog.text["title"][int(r)]),
                 "location": str(self.catalog.text["location"][int(r)]), "dominated_by": int(self.unreachable.counts[r])}
                for r in rows]

    def to_json(self, top: int | None = None) -> dict[str, Any]:
        per = self.unreachable.by_destination(self.catalog)
        chosen = self.destinations()
        restrict = self.restrictiveness.to_json(chosen)
        restrict["scope"] = self.location or "overall"
        return {
            "catalog": {"path": self.catalog.source, "properties": self.catalog.size},
            "restrictiveness": restrict,
            "unreachable": {
                "k": self.unreachable.k,
                "count": int(sum(per[d]["unreachable"] for d in chosen if d in per)),
                "properties": int(sum(per[d]["properties"] for d in chosen if d in per)),
                "by_destination": {d: per[d] for d in chosen if d in per},
                "properties_list": self.unreachable_list(top),
            },
            "gaps": {d: self.gaps[d] for d in chosen if d in self.gaps},
            "failed_searches": self.failed_searches,
        }


def analyse(catalog: Catalog, knowledge: Knowledge | None = None, *, k: int = DEFAULT_K,
            location: str | None = None, records: Sequence[SearchRecord] | None = None,
            top: int | None = None) -> Report:
    """Everything `stays analyze` reports; `records` None means no tracker store was read."""
    searches = None if records is None else failed_searches(records, knowledge, location, top)
    return Report(catalog, knowledge, restrictiveness(catalog, knowledge), unreachable(catalog, k),
                  coverage_gaps(catalog), searches, location)
