"""An independent, brute-force oracle for the engine's filtering and relaxation.

Plain Python over rows as dicts: no numpy masks, no engine internals. It reads
the knowledge files itself (engine.yml for currency rates, pricing factors and
the rating threshold; locations.yml for high seasons and neighbourhood
coordinates), so a mistake shared by the engine and its own loader does not
hide here. Only the engine's *data* types (Constraint, StayDates) are used, to
read the constraints a query holds.

The oracle expands a query itself (`Oracle.expand`, `Oracle.expand_request`):
it reads rules.yml and applies the rules with its own evaluator, so a property
test compares the engine's expanded query with the oracle's instead of trusting it.

A comparison that lands within a hair of its boundary (a stay total computed in
a different floating-point order, a distance at exactly the radius) raises
`Ambiguous`: the engine and the oracle may both be right, so property tests
discard such examples instead of reporting noise.
"""
from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

EARTH_RADIUS_KM = 6371.0088
NO_MAXIMUM_NIGHTS = 100_000
STAY_ANCHORS = ("dates", "nights")


class Ambiguous(Exception):
    """A value sits on a constraint's boundary within floating-point noise."""


class InvalidQuery(Exception):
    """The constraints cannot be evaluated at all (a stay budget without a stay)."""


@dataclass(frozen=True)
class Run:
    """One calendar run: nights [start, end) of a property, booked or re-priced."""

    id: str
    start: date
    end: date
    available: bool
    price: float | None = None


def _number(value: Any, default: float | None = None) -> float | None:
    if value is None:
        return default
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return default
    number = float(value)
    if math.isnan(number):
        return default
    return number


def normalise_row(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A catalog row (from a CSV or a generator) with plain Python types."""
    amenities = raw.get("amenities") or ""
    if isinstance(amenities, str):
        amenities = [a.strip() for a in amenities.split(";") if a.strip()]
    max_nights = _number(raw.get("max_nights"))
    return {
        "id": str(raw["id"]),
        "location": str(raw["location"]),
        "neighbourhood": str(raw.get("neighbourhood") or ""),
        "latitude": float(raw["latitude"]),
        "longitude": float(raw["longitude"]),
        "property_type": str(raw["property_type"]),
        "room_type": str(raw.get("room_type") or "entire_home"),
        "accommodates": int(float(raw["accommodates"])),
        "bedrooms": _number(raw.get("bedrooms"), 0.0),
        "beds": _number(raw.get("beds"), 0.0),
        "bathrooms": _number(raw.get("bathrooms"), 0.0),
        "price_per_night": float(raw["price_per_night"]),
        "currency": str(raw.get("currency") or "EUR").upper(),
        "min_nights": int(_number(raw.get("min_nights"), 1.0)),
        "max_nights": int(max_nights) if max_nights is not None else NO_MAXIMUM_NIGHTS,
        "amenities": frozenset(amenities),
        "rating": _number(raw.get("rating")),
        "review_count": int(_number(raw.get("review_count"), 0.0)),
    }


def read_catalog_rows(path: Path | str) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return [normalise_row(row) for row in csv.DictReader(handle)]


def read_calendar_runs(path: Path | str) -> list[Run]:
    """A calendar CSV ("# window: FIRST LAST", then id,start,end,available,price) as runs."""
    with open(path, encoding="utf-8", newline="") as handle:
        handle.readline()  # the window line
        return [Run(row["id"], date.fromisoformat(row["start"]), date.fromisoformat(row["end"]),
                    row["available"].strip().lower() == "true", _number(row.get("price")))
                for row in csv.DictReader(handle)]


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, max(0.0, a))))


@lru_cache(maxsize=8)
def _knowledge_files(root: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """engine.yml and locations.yml of a knowledge directory, parsed once."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    files = [Path(root) / "engine.yml", Path(root) / "locations.yml"]
    settings, locations = (yaml.load(f.read_text(encoding="utf-8"), Loader=loader) for f in files)  # noqa: S506
    return settings, locations


@lru_cache(maxsize=8)
def _rules_file(root: str) -> tuple[frozenset[str], tuple[dict[str, Any], ...]]:
    """rules.yml of a knowledge directory: its context keys and its rules, parsed once."""
    data = yaml.safe_load((Path(root) / "rules.yml").read_text(encoding="utf-8"))
    keys = frozenset(entry["key"] for entry in data.get("context") or []) | {"guests", "nights"}
    return keys, tuple(data.get("rules") or [])


@dataclass(frozen=True)
class Want:
    """A constraint as the oracle derives it: what, how strongly, and who asked."""

    attribute: str
    op: str
    value: Any
    strength: str = "hard"
    source: str = "user"
    currency: str | None = None  # money only: the currency of `value`

    @property
    def key(self) -> tuple[str, str, Any]:
        return (self.attribute, self.op, self.value)


@dataclass(frozen=True)
class Expanded:
    """A query as the oracle expands it."""

    wants: tuple[Want, ...]

    @property
    def hard(self) -> list[Want]:
        return [w for w in self.wants if w.strength == "hard"]

    @property
    def soft(self) -> list[Want]:
        return [w for w in self.wants if w.strength != "hard"]


class _Absent:
    """A context key nobody filled: falsy, and every comparison or sum with it is false or absent."""

    def __bool__(self) -> bool:
        return False

    def _false(self, other: Any) -> bool:
        return False

    def _absent(self, *other: Any) -> _Absent:
        return self

    __lt__ = __le__ = __gt__ = __ge__ = __eq__ = _false
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _absent
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __neg__ = __ceil__ = __floor__ = _absent

    def __ne__(self, other: Any) -> bool:
        return True

    __hash__ = object.__hash__


ABSENT = _Absent()
_RULE_FUNCTIONS = {"ceil": math.ceil, "floor": math.floor, "min": min, "max": max}


class _Context(dict):
    def __missing__(self, key: str) -> Any:
        return ABSENT


def _evaluate(source: Any, context: Mapping[str, Any]) -> Any:
    """A rule expression over the context; a missing or None key reads as absent."""
    names = _Context({k: ABSENT if v is None else v for k, v in context.items()}, **_RULE_FUNCTIONS)
    return eval(str(source), {"__builtins__": {}}, names)  # noqa: S307 - our own test data


def _rule_value(source: Any, keys: frozenset[str], context: Mapping[str, Any]) -> Any:
    """A derived value as rules.yml means it: ids are literal, a list is a tuple of ids, else an expression."""
    if isinstance(source, list):
        return tuple(str(item) for item in source)
    if isinstance(source, str) and source.isidentifier() and source not in keys:
        return source
    value = _evaluate(source, context)
    if value is ABSENT or value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _waiver(attribute: str, op: str, value: Any) -> str:
    """How a query's `waived` names a constraint the traveller relaxed (see ../shared/DESIGN.md)."""
    shown = [str(v) for v in value] if isinstance(value, tuple) else value
    return f"{attribute}|{op}|{shown}"


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-7 * max(1.0, abs(a), abs(b))


class Oracle:
    """Decides, row by row, what the engine should answer."""

    def __init__(self, knowledge_dir: Path | str, rows: Iterable[Mapping[str, Any]],
                 runs: Iterable[Run] = ()) -> None:
        self.knowledge_dir = Path(knowledge_dir).resolve()
        settings, locations = _knowledge_files(str(self.knowledge_dir))
        self.rates: dict[str, float] = {k: float(v) for k, v in settings["currency"]["rates"].items()}
        self.base_currency = str(settings["currency"]["base"])
        self.stated_currency = {d["name"]: d["currency"] for d in locations["destinations"] if d.get("currency")}
        self.high_season_factor = float(settings["pricing"]["high_season"])
        self.weekend_factor = float(settings["pricing"]["weekend"])
        self.min_reviews = int(settings["rating"]["min_reviews"])
        self.near_km = float(settings["distances"]["near_neighbourhood_km"])  # "near" without a radius
        self.priority_defaults: dict[str, int] = dict(settings["priorities"])
        self.high_season: dict[str, set[int]] = {}
        self.neighbourhoods: dict[tuple[str, str], tuple[float, float]] = {}
        self.centres: dict[str, tuple[float, float]] = {}
        for destination in locations["destinations"]:
            self.high_season[destination["name"]] = set(destination.get("high_season") or [])
            self.centres[destination["name"]] = (float(destination["latitude"]), float(destination["longitude"]))
            for nb in destination.get("neighbourhoods") or []:
                self.neighbourhoods[(destination["name"], nb["name"])] = (float(nb["latitude"]), float(nb["longitude"]))
        self.rows = [normalise_row(row) for row in rows]
        self.runs = list(runs)
        self._runs_of: dict[str, list[Run]] = {}
        for run in self.runs:
            self._runs_of.setdefault(run.id, []).append(run)

    @classmethod
    def for_catalog(cls, knowledge_dir: Path | str, catalog: Path | str) -> Oracle:
        """The oracle over a catalog CSV and, when there is one, the calendar CSV beside it."""
        catalog = Path(catalog)
        calendar = catalog.with_name(catalog.name.split(".")[0] + ".calendar.csv")
        runs = read_calendar_runs(calendar) if calendar.exists() else []
        return cls(knowledge_dir, read_catalog_rows(catalog), runs)

    def row(self, property_id: str) -> dict[str, Any]:
        if not hasattr(self, "_by_id"):
            self._by_id = {row["id"]: row for row in self.rows}
        return self._by_id[property_id]

    # --- what a query asks for --------------------------------------------------------

    def expand(self, query: Any) -> Expanded:
        """The traveller's constraints of an (unexpanded) engine Query, plus what rules.yml derives."""
        own = [Want(c.attribute, c.op, c.value, c.strength, currency=c.currency) for c in query.constraints]
        return self._with_rules(own, dict(query.context), set(query.waived))

    def expand_request(self, request: Mapping[str, Any]) -> Expanded:
        """What a traveller's request (the words of the front ends, as keywords) asks for.

        A budget "for the stay" caps the stay's total when its length is known
        (dates, else nights) and is per night otherwise; the rules see the
        context plus `guests` and `nights`.
        """
        r = dict(request)
        own: list[Want] = []
        if r.get("location"):
            own.append(Want("location", "eq", r["location"]))
        if r.get("neighbourhood"):
            own.append(Want("neighbourhood", "near", tuple(r["neighbourhood"]), "soft"))
        dates = r.get("dates")
        nights = (dates.check_out - dates.check_in).days if dates else r.get("nights")
        if r.get("max_price") is not None:
            capped = "total_price" if r.get("budget_scope") == "stay" and nights else "price_per_night"
            own.append(Want(capped, "<=", float(r["max_price"]), currency=r.get("currency")))
        if r.get("min_price") is not None:
            own.append(Want("min_price", ">=", float(r["min_price"]), currency=r.get("currency")))
        if r.get("guests") is not None:
            own.append(Want("accommodates", ">=", int(r["guests"])))
        if r.get("bedrooms") is not None:
            own.append(Want("bedrooms", ">=", int(r["bedrooms"])))
        musts = list(dict.fromkeys(r.get("amenities") or ()))
        own += [Want("amenities", "contains", a) for a in musts]
        own += [Want("amenities", "contains", a, "soft") for a in dict.fromkeys(r.get("nice_to_have") or ())
                if a not in musts]
        if r.get("property_types"):
            own.append(Want("property_type", "in", tuple(dict.fromkeys(r["property_types"]))))
        if r.get("room_type"):
            own.append(Want("room_type", "eq", r["room_type"]))
        if dates is not None:
            own.append(Want("dates", "available", dates))
        if nights:
            own.append(Want("nights", "fits", int(nights)))
        if r.get("min_rating") is not None:
            own.append(Want("rating", ">=", float(r["min_rating"])))
        for extra in r.get("extra") or ():
            if extra.key not in {w.key for w in own}:
                own.append(Want(extra.attribute, extra.op, extra.value, extra.strength))
        context = dict(r.get("context") or {})
        if r.get("guests") is not None:
            context.setdefault("guests", int(r["guests"]))
        if nights:
            context.setdefault("nights", int(nights))
        return self._with_rules(own, context, set(r.get("waived") or ()))

    def _with_rules(self, own: list[Want], context: Mapping[str, Any], waived: set[str]) -> Expanded:
        """Every rule whose `when` holds adds its constraints, unless waived or already asked for.

        The traveller's own constraint wins over the same derived one, except
        that a hard rule makes the traveller's soft wish a requirement.
        """
        keys, rules = _rules_file(str(self.knowledge_dir))
        wants = list(own)
        for rule in rules:
            if not _evaluate(rule["when"], context):
                continue
            for then in rule["then"]:
                value = _rule_value(then["value"], keys, context)
                if value is None or _waiver(then["attribute"], then["op"], value) in waived:
                    continue
                derived = Want(then["attribute"], then["op"], value, then.get("strength", "hard"),
                               f"rule:{rule['id']}")
                same = [k for k, w in enumerate(wants) if w.key == derived.key]
                if not same:
                    wants.append(derived)
                elif derived.strength == "hard" and wants[same[0]].strength != "hard":
                    wants[same[0]] = derived
        return Expanded(tuple(self._in_destination_currency(wants)))

    def destination_currency(self, location: str | None) -> str:
        """What a bare budget there is in: locations.yml's currency, else most of its listings', else the base."""
        if location in self.stated_currency:
            return self.stated_currency[location]
        used = sorted(row["currency"] for row in self.rows if row["location"] == location)
        if not used:
            return self.base_currency
        return max(sorted(set(used)), key=used.count)  # a tie goes to the first in alphabetical order

    def _in_destination_currency(self, wants: list[Want]) -> list[Want]:
        """Amounts in another currency than the destination's, converted at engine.yml's rates and rounded."""
        place = next((w.value for w in wants if w.attribute == "location" and w.strength == "hard"), None)
        target = self.destination_currency(place)
        converted = []
        for w in wants:
            if w.attribute in ("price_per_night", "min_price", "total_price"):
                source = w.currency or target
                value = w.value if source == target else float(round(w.value * self.rates[source] / self.rates[target]))
                w = Want(w.attribute, w.op, value, w.strength, w.source, target)
            converted.append(w)
        return converted

    def _money(self, amount: float, row: Mapping[str, Any], currency: str | None) -> float:
        """An amount in the row's currency, in `currency` (the base one when None); untouched when the same."""
        currency = currency or self.base_currency
        if row["currency"] == currency:
            return amount
        return amount * self.rates[row["currency"]] / self.rates[currency]

    # --- one night, one stay --------------------------------------------------------

    def night_price(self, row: Mapping[str, Any], night: date) -> float:
        """The price of one night in the row's own currency."""
        for run in self._runs_of.get(row["id"], []):
            if run.price is not None and run.start <= night < run.end:
                return float(run.price)
        price = row["price_per_night"]
        if night.month in self.high_season.get(row["location"], set()):
            price *= self.high_season_factor
        if night.weekday() in (4, 5):  # Friday and Saturday nights
            price *= self.weekend_factor
        return price

    def stay_total(self, row: Mapping[str, Any], stay: tuple[str, Any] | None) -> float:
        """The whole stay in the row's own currency."""
        if stay is None:
            raise InvalidQuery("a budget for the stay needs dates or nights")
        kind, value = stay
        if kind == "nights":
            return row["price_per_night"] * int(value)
        nights = (value.check_out - value.check_in).days
        return sum(self.night_price(row, value.check_in + timedelta(days=k)) for k in range(nights))

    def booked(self, row: Mapping[str, Any], check_in: date, check_out: date) -> bool:
        return any(not run.available and run.start < check_out and check_in < run.end
                   for run in self._runs_of.get(row["id"], []))

    @staticmethod
    def stay_of(constraints: Iterable[Any]) -> tuple[str, Any] | None:
        """The stay a set of constraints describes: its dates, else its nights."""
        constraints = list(constraints)
        for c in constraints:
            if c.attribute == "dates":
                return ("dates", c.value)
        for c in constraints:
            if c.attribute == "nights":
                return ("nights", int(c.value))
        return None

    # --- one constraint ---------------------------------------------------------------

    def satisfies(self, row: Mapping[str, Any], c: Any, stay: tuple[str, Any] | None = None) -> bool:
        """Whether `row` meets constraint `c`; `stay` prices a `total_price` cap."""
        a, v = c.attribute, c.value
        if a == "location":
            return row["location"] == v
        if a == "price_per_night":
            return self._money(row["price_per_night"], row, getattr(c, "currency", None)) <= v
        if a == "min_price":
            return self._money(row["price_per_night"], row, getattr(c, "currency", None)) >= v
        if a == "total_price":
            total = self._money(self.stay_total(row, stay), row, getattr(c, "currency", None))
            if _close(total, v):
                raise Ambiguous(f"{row['id']}: stay total {total} vs {v}")
            return total <= v
        if a in ("accommodates", "bedrooms", "beds", "bathrooms"):
            return row[a] >= v
        if a == "amenities":
            return v in row["amenities"]
        if a == "property_type":
            return row["property_type"] in tuple(v)
        if a == "room_type":
            return row["room_type"] == v
        if a == "nights":
            return row["min_nights"] <= int(v) <= row["max_nights"]
        if a == "dates":
            return not self.booked(row, v.check_in, v.check_out)
        if a == "rating":
            rated = row["rating"] is not None and row["review_count"] >= self.min_reviews
            return rated and row["rating"] >= v
        if a == "neighbourhood":
            lat, lon = self.neighbourhoods[(v[0], v[1])]
            radius = float(v[2]) if c.op == "within_km" else self.near_km
            km = haversine(row["latitude"], row["longitude"], lat, lon)
            if _close(km, radius):
                raise Ambiguous(f"{row['id']}: {km} km vs radius {radius}")
            return km <= radius
        if a == "centre":
            lat, lon = self.centres[row["location"]]
            km = haversine(row["latitude"], row["longitude"], lat, lon)
            if _close(km, float(v)):
                raise Ambiguous(f"{row['id']}: {km} km from the centre vs {v}")
            return km <= float(v)
        raise ValueError(f"the oracle does not know attribute {a!r}")

    # --- whole queries ----------------------------------------------------------------

    def matching(self, constraints: Sequence[Any], exclude_ids: Iterable[str] = (),
                 stay: tuple[str, Any] | None | str = "own") -> list[str]:
        """Ids of the rows meeting every constraint given.

        `stay="own"` prices a stay budget with the stay these constraints
        themselves describe; pass a stay to price it otherwise.
        """
        constraints = list(constraints)
        if stay == "own":
            stay = self.stay_of(constraints)
        if stay is None and any(c.attribute == "total_price" for c in constraints):
            raise InvalidQuery("a budget for the stay needs dates or nights")
        excluded = set(exclude_ids)
        return [row["id"] for row in self.rows
                if row["id"] not in excluded and all(self.satisfies(row, c, stay) for c in constraints)]

    def count(self, constraints: Sequence[Any], exclude_ids: Iterable[str] = (),
              stay: tuple[str, Any] | None | str = "own") -> int:
        return len(self.matching(constraints, exclude_ids, stay))

    @staticmethod
    def stay_anchor(hard: Sequence[Any]) -> int | None:
        """Position of the constraint that fixes the stay a stay budget is priced for.

        The dates when the query has them, else the number of nights.
        """
        for attribute in STAY_ANCHORS:
            for i, c in enumerate(hard):
                if c.attribute == attribute:
                    return i
        return None

    def valid_drop(self, hard: Sequence[Any], removed: Iterable[int]) -> bool:
        """Whether dropping `removed` leaves a query that still means what the traveller asked.

        A budget for the stay is priced for the stay asked: a drop that takes
        that stay away (its dates, or its length when there are no dates) must
        take the budget with it.
        """
        gone = set(removed)
        anchor = self.stay_anchor(hard)
        if anchor is None or anchor not in gone:
            return True
        return all(i in gone for i, c in enumerate(hard) if c.attribute == "total_price")

    def count_without(self, hard: Sequence[Any], removed: Iterable[int], exclude_ids: Iterable[str] = ()) -> int | None:
        """Matches of `hard` minus the constraints at positions `removed` (None: not a valid drop).

        Counted as the query that is left, pricing its stay with the stay it
        still describes.
        """
        gone = set(removed)
        if not self.valid_drop(hard, gone):
            return None
        return self.count([c for i, c in enumerate(hard) if i not in gone], exclude_ids)

    def fail_masks(self, hard: Sequence[Any], exclude_ids: Iterable[str] = ()) -> list[int]:
        """Per row, the bits of the constraints in `hard` it fails (stay priced as `hard` describes it)."""
        excluded = set(exclude_ids)
        stay = self.stay_of(hard)
        masks = []
        for row in self.rows:
            if row["id"] in excluded:
                continue
            bits = 0
            for i, c in enumerate(hard):
                if not self.satisfies(row, c, stay):
                    bits |= 1 << i
            masks.append(bits)
        return masks

    def minimal_drop_sets(self, hard: Sequence[Any], k: int, exclude_ids: Iterable[str] = ()) -> set[frozenset[int]]:
        """Every valid set of positions in `hard` whose removal leaves >= k places, no proper subset doing so.

        Brute force over every subset of the constraints. A valid drop keeps
        the stay a stay budget is priced with (or drops that budget too), so
        each is counted with the stay of the full query.
        """
        n = len(hard)
        masks = self.fail_masks(hard, exclude_ids)
        feasible = [False] * (1 << n)
        for removed in range(1 << n):
            positions = [i for i in range(n) if removed >> i & 1]
            if self.valid_drop(hard, positions):
                feasible[removed] = sum(1 for m in masks if m & ~removed == 0) >= k
        # some_subset[R]: R or some subset of it is feasible (every subset visited, no monotonicity assumed)
        some_subset = list(feasible)
        for removed in range(1 << n):
            if not some_subset[removed]:
                some_subset[removed] = any(some_subset[removed ^ (1 << i)] for i in range(n) if removed >> i & 1)
        found = set()
        for removed in range(1, 1 << n):
            if feasible[removed] and not any(some_subset[removed ^ (1 << i)] for i in range(n) if removed >> i & 1):
                found.add(frozenset(i for i in range(n) if removed >> i & 1))
        return found

    def conflict_problems(self, hard: Sequence[Any], conflict: Sequence[Any], k: int,
                          exclude_ids: Iterable[str] = ()) -> list[str]:
        """What is wrong with `conflict` as a minimal conflict of `hard` (empty: nothing).

        Counts are taken with the full query's stay, the way the constraints
        hold together in the query the traveller asked.
        """
        stay = self.stay_of(hard)
        problems = []
        together = self.count(conflict, exclude_ids, stay)
        if together >= k:
            problems.append(f"the conflict still leaves {together} places (>= {k})")
        for i, c in enumerate(conflict):
            rest = [x for j, x in enumerate(conflict) if j != i]
            left = self.count(rest, exclude_ids, stay)
            if left < k:
                problems.append(f"without {c.attribute} {c.op} {c.value!r} it still leaves only {left} places")
        return problems

    # --- priorities -------------------------------------------------------------------

    def priority(self, c: Any, priorities: Mapping[str, int]) -> int:
        """How much a constraint matters: its own, the traveller's, else engine.yml's."""
        if getattr(c, "priority", None) is not None:
            return int(c.priority)
        if isinstance(c.value, str) and f"{c.attribute}:{c.value}" in priorities:
            return int(priorities[f"{c.attribute}:{c.value}"])
        if c.attribute in priorities:
            return int(priorities[c.attribute])
        return int(self.priority_defaults.get(c.attribute, self.priority_defaults["default"]))
