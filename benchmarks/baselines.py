"""Comparison implementations for the engine benchmark.

- `PandasBaseline`: what a competent pandas user writes: the query-independent
  work done once at build time (base-currency prices, a "rated" flag, one
  boolean column per amenity id, the frame split by destination), then a
  search is a few boolean Series operations on its destination's frame.
- `SqliteBaseline`: an in-memory SQLite database with the indexes a developer
  would add.
- `NaivePandasBaseline`: a labelled strawman, kept to show what the
  precomputation buys: `DataFrame.query` over the whole raw catalog with a
  regex `str.contains` per amenity and `engine="python"`.

(The benchmark also times its own vectorised numpy counter, `_Columns.count`
in bench.py, which only counts.)

All answer the benchmark's search with the engine's matching semantics, and
nothing more (no ranking model, no relaxation):

- location equals the requested destination;
- price per night, converted to the base currency with the rates of
  `engine.yml`, is at most the budget;
- accommodates is at least the number of guests;
- every requested amenity is in the property's `;`-separated amenity ids;
- the property type is one of the requested types (when types are asked);
- the rating is at least r (when asked) and only counts when
  review_count >= `rating.min_reviews` of `engine.yml`;
- the knowledge rule `big_group_bedrooms` of `rules.yml` ("more than 6 guests
  -> at least ceil(guests / 2) bedrooms", a hard constraint the engine derives
  by itself) is mirrored here, since the benchmark's guest counts trigger it.

Each returns the number of matches and the ids of the top three by a simple
score: rating descending (unrated last), then id ascending.

They read the knowledge files and the catalog CSV themselves and never import
the engine, so a mistake in the engine's loading or masks shows up as a
disagreement instead of being shared.
"""
from __future__ import annotations

import math
import re
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

BIG_GROUP_GUESTS = 6  # rules.yml, big_group_bedrooms: guests > 6 -> bedrooms >= ceil(guests / 2)
TOP = 3


@dataclass(frozen=True)
class Spec:
    """One benchmark search, in plain values (no engine types)."""

    location: str
    max_price: float
    guests: int
    amenities: tuple[str, ...]
    types: tuple[str, ...] = ()
    min_rating: float | None = None
    check_in: str | None = None   # ISO dates; only the engine knows calendars
    check_out: str | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Spec:
        return cls(
            location=str(data["location"]),
            max_price=float(data["max_price"]),
            guests=int(data["guests"]),
            amenities=tuple(data.get("amenities") or ()),
            types=tuple(data.get("types") or ()),
            min_rating=None if data.get("min_rating") is None else float(data["min_rating"]),
            check_in=data.get("check_in"),
            check_out=data.get("check_out"),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "location": self.location, "max_price": self.max_price, "guests": self.guests,
            "amenities": list(self.amenities), "types": list(self.types), "min_rating": self.min_rating,
            "check_in": self.check_in, "check_out": self.check_out,
        }

    @property
    def min_bedrooms(self) -> int | None:
        """The bedrooms the engine's big-group rule derives from the guests."""
        return math.ceil(self.guests / 2) if self.guests > BIG_GROUP_GUESTS else None


@dataclass(frozen=True)
class Settings:
    """What the semantics need from engine.yml, read independently of the engine."""

    rates: Mapping[str, float]
    base: str
    min_reviews: int

    @classmethod
    def load(cls, knowledge_dir: Path | str) -> Settings:
        with open(Path(knowledge_dir) / "engine.yml", encoding="utf-8") as handle:
            settings = yaml.safe_load(handle)
        currency = settings["currency"]
        return cls(rates={k.upper(): float(v) for k, v in currency["rates"].items()},
                   base=str(currency["base"]).upper(),
                   min_reviews=int(settings["rating"]["min_reviews"]))


@dataclass
class Answer:
    count: int
    top: list[str] = field(default_factory=list)


def amenity_pattern(amenity: str) -> str:
    """A regex for one id inside a `;`-joined list.

    A bare `str.contains("washer")` would also match "dishwasher" (and "dryer"
    "hair_dryer", "pool" "pool_table"): the delimiters are required. The
    pattern starts with the id itself and checks the delimiters with
    lookarounds, so the regex engine can scan for the literal first: about 8x
    faster than `(?:^|;)washer(?:;|$)`, which is tried at every position.
    """
    word = re.escape(amenity)
    return rf"{word}(?<![^;]{word})(?![^;])"


class NaivePandasBaseline:
    """The strawman: `DataFrame.query` over the raw catalog, as written without precomputation.

    The only column added at build time is each row's currency rate, so the
    budget can be compared in the base currency inside the query string.
    Every search scans every row of every destination and parses the amenity
    strings with a regex; the table labels it "naive strawman".
    """

    name = "pandas-naive"

    def __init__(self, frame: pd.DataFrame, settings: Settings) -> None:
        self.frame = frame
        self.settings = settings

    @classmethod
    def build(cls, catalog_path: Path | str, knowledge_dir: Path | str) -> NaivePandasBaseline:
        settings = Settings.load(knowledge_dir)
        frame = pd.read_csv(catalog_path)
        currency = frame["currency"].fillna(settings.base).astype(str).str.strip().str.upper()
        frame["rate"] = currency.map(settings.rates)
        return cls(frame, settings)

    def search(self, spec: Spec) -> Answer:
        names: dict[str, Any] = {
            "loc": spec.location, "budget": spec.max_price, "guests": spec.guests,
            "types": list(spec.types), "rating": spec.min_rating,
            "min_reviews": self.settings.min_reviews, "bedrooms": spec.min_bedrooms,
        }
        parts = ["location == @loc", "price_per_night * rate <= @budget", "accommodates >= @guests"]
        for i, amenity in enumerate(spec.amenities):
            names[f"a{i}"] = amenity_pattern(amenity)
            parts.append(f"amenities.str.contains(@a{i}, regex=True, na=False)")
        if spec.types:
            parts.append("property_type in @types")
        if spec.min_rating is not None:
            parts.append("review_count >= @min_reviews and rating >= @rating")
        if spec.min_bedrooms is not None:
            parts.append("bedrooms >= @bedrooms")
        found = self.frame.query(" and ".join(parts), engine="python", local_dict=names)
        top = found.sort_values(["rating", "id"], ascending=[False, True], na_position="last")["id"].head(TOP)
        return Answer(len(found), [str(x) for x in top])


class PandasBaseline:
    """What a competent pandas user writes: everything that does not depend on the query, once.

    At build time: the price in the base currency, a `rated` flag (enough
    reviews and a rating), one boolean column per amenity id (`amenity:<id>`,
    from the `;`-joined lists split once), and the frame split by destination.
    A search then only touches its destination's rows and combines boolean
    Series; no string is parsed per query.
    """

    name = "pandas"
    COLUMNS = ["id", "location", "property_type", "accommodates", "bedrooms", "price_per_night", "currency",
               "amenities", "rating", "review_count"]

    def __init__(self, frames: Mapping[str, pd.DataFrame], settings: Settings) -> None:
        self.frames = frames
        self.settings = settings

    @classmethod
    def build(cls, catalog_path: Path | str, knowledge_dir: Path | str) -> PandasBaseline:
        frame = pd.read_csv(catalog_path, usecols=cls.COLUMNS, dtype={"id": str, "amenities": str})
        return cls.from_frame(frame, Settings.load(knowledge_dir))

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, settings: Settings) -> PandasBaseline:
        currency = frame["currency"].fillna(settings.base).astype(str).str.strip().str.upper()
        rating = frame["rating"].astype(float)
        table = pd.DataFrame({
            "id": frame["id"].astype(str),
            "location": frame["location"].astype(str),
            "property_type": frame["property_type"].astype(str),
            "accommodates": frame["accommodates"],
            "bedrooms": frame["bedrooms"],
            "price_base": frame["price_per_night"].astype(float) * currency.map(settings.rates),
            "rating": rating,
            "rated": (frame["review_count"].fillna(0) >= settings.min_reviews) & rating.notna(),
        })
        tokens = frame["amenities"].fillna("").astype(str).str.split(";").explode().str.strip()
        tokens = tokens[tokens != ""]
        names = sorted(tokens.unique())
        onehot = np.zeros((len(frame), len(names)), dtype=bool)
        onehot[tokens.index.to_numpy(), pd.Categorical(tokens, categories=names).codes] = True
        table = pd.concat([table, pd.DataFrame(onehot, columns=[f"amenity:{a}" for a in names],
                                               index=table.index)], axis=1)
        frames = {str(place): part.drop(columns="location").reset_index(drop=True)
                  for place, part in table.groupby("location", sort=True)}
        return cls(frames, settings)

    def search(self, spec: Spec) -> Answer:
        rows = self.frames.get(spec.location)
        if rows is None:
            return Answer(0)
        mask = (rows["price_base"] <= spec.max_price) & (rows["accommodates"] >= spec.guests)
        for amenity in spec.amenities:
            column = f"amenity:{amenity}"
            if column not in rows.columns:  # no property of the catalog lists it
                return Answer(0)
            mask &= rows[column]
        if spec.types:
            mask &= rows["property_type"].isin(spec.types)
        if spec.min_rating is not None:
            mask &= rows["rated"] & (rows["rating"] >= spec.min_rating)
        if spec.min_bedrooms is not None:
            mask &= rows["bedrooms"] >= spec.min_bedrooms
        found = rows.loc[mask, ["id", "rating"]]
        top = found.sort_values(["rating", "id"], ascending=[False, True], na_position="last")["id"].head(TOP)
        return Answer(len(found), [str(x) for x in top])


class SqliteBaseline:
    """An in-memory SQLite database with the indexes a developer would add.

    `properties` is indexed on (location, price_base) and on accommodates;
    `amenities(property_id, amenity)` on (amenity, property_id), a covering
    index for "does property p have amenity a". Each requested amenity
    becomes an EXISTS subquery; ANALYZE runs once after loading so the planner
    knows how selective each index is.
    """

    name = "sqlite"

    def __init__(self, connection: sqlite3.Connection, settings: Settings) -> None:
        self.db = connection
        self.settings = settings

    @classmethod
    def build(cls, catalog_path: Path | str, knowledge_dir: Path | str) -> SqliteBaseline:
        settings = Settings.load(knowledge_dir)
        frame = pd.read_csv(catalog_path, usecols=[
            "id", "location", "property_type", "accommodates", "bedrooms", "price_per_night",
            "currency", "amenities", "rating", "review_count"], dtype={"id": str, "amenities": str})
        return cls.from_frame(frame, settings)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, settings: Settings) -> SqliteBaseline:
        db = sqlite3.connect(":memory:")
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("""CREATE TABLE properties (
            pid INTEGER PRIMARY KEY, id TEXT NOT NULL, location TEXT NOT NULL, property_type TEXT,
            accommodates INTEGER, bedrooms INTEGER, price_base REAL, rating REAL, review_count INTEGER)""")
        db.execute("CREATE TABLE amenities (property_id INTEGER NOT NULL, amenity TEXT NOT NULL)")
        currency = frame["currency"].fillna(settings.base).astype(str).str.strip().str.upper()
        price_base = frame["price_per_night"].astype(float) * currency.map(settings.rates)
        rating = frame["rating"].astype(float)
        rows = zip(range(len(frame)), frame["id"].astype(str), frame["location"].astype(str),
                   frame["property_type"].astype(str), _ints(frame["accommodates"]), _ints(frame["bedrooms"]),
                   _floats(price_base), _floats(rating), _ints(frame["review_count"]), strict=True)
        db.executemany("INSERT INTO properties VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        # one (property, amenity) row per id of the ;-joined lists, split inside SQLite (json_each):
        # a Python loop over 24M pairs would dominate the build at 1M properties. An id listed
        # twice gives two rows, which EXISTS does not mind.
        db.execute("CREATE TEMP TABLE raw_amenities (pid INTEGER PRIMARY KEY, list TEXT)")
        db.executemany("INSERT INTO raw_amenities VALUES (?, ?)",
                       zip(range(len(frame)), frame["amenities"].fillna("").astype(str), strict=True))
        db.execute("""INSERT INTO amenities
            SELECT r.pid, trim(j.value) AS amenity FROM raw_amenities r,
                 json_each('["' || replace(replace(replace(r.list, '\\', '\\\\'), '"', '\\"'), ';', '","') || '"]') j
            WHERE amenity != ''""")
        db.execute("DROP TABLE raw_amenities")
        db.execute("CREATE INDEX amenities_amenity_property ON amenities (amenity, property_id)")
        db.execute("CREATE INDEX properties_location_price ON properties (location, price_base)")
        db.execute("CREATE INDEX properties_accommodates ON properties (accommodates)")
        db.execute("PRAGMA analysis_limit = 1000")  # approximate statistics, enough for the planner
        db.execute("ANALYZE")
        db.commit()
        return cls(db, settings)

    @classmethod
    def from_file(cls, path: Path | str, knowledge_dir: Path | str) -> SqliteBaseline:
        """An in-memory copy of a database saved by `save` (the same tables and indexes)."""
        disk = sqlite3.connect(str(path))
        db = sqlite3.connect(":memory:")
        disk.backup(db)
        disk.close()
        return cls(db, Settings.load(knowledge_dir))

    def save(self, path: Path | str) -> None:
        disk = sqlite3.connect(str(path))
        self.db.backup(disk)
        disk.close()

    def sql(self, spec: Spec) -> tuple[str, list[Any]]:
        where = ["p.location = ?", "p.price_base <= ?", "p.accommodates >= ?"]
        params: list[Any] = [spec.location, spec.max_price, spec.guests]
        for amenity in spec.amenities:
            where.append("EXISTS (SELECT 1 FROM amenities a WHERE a.amenity = ? AND a.property_id = p.pid)")
            params.append(amenity)
        if spec.types:
            where.append(f"p.property_type IN ({', '.join('?' for _ in spec.types)})")
            params.extend(spec.types)
        if spec.min_rating is not None:
            where.append("p.review_count >= ? AND p.rating >= ?")
            params.extend([self.settings.min_reviews, spec.min_rating])
        if spec.min_bedrooms is not None:
            where.append("p.bedrooms >= ?")
            params.append(spec.min_bedrooms)
        sql = ("SELECT p.id, COUNT(*) OVER () FROM properties p WHERE " + " AND ".join(where)
               + f" ORDER BY p.rating DESC NULLS LAST, p.id LIMIT {TOP}")
        return sql, params

    def search(self, spec: Spec) -> Answer:
        sql, params = self.sql(spec)
        rows = self.db.execute(sql, params).fetchall()
        return Answer(int(rows[0][1]) if rows else 0, [str(r[0]) for r in rows])

    def plan(self, spec: Spec) -> list[str]:
        sql, params = self.sql(spec)
        return [str(r[-1]) for r in self.db.execute("EXPLAIN QUERY PLAN " + sql, params)]


def _ints(values: Iterable[Any]) -> Iterable[int | None]:
    return (None if v != v else int(v) for v in values)


def _floats(values: Iterable[Any]) -> Iterable[float | None]:
    return (None if v != v else float(v) for v in values)


BASELINES = {"pandas": PandasBaseline, "sqlite": SqliteBaseline, "pandas-naive": NaivePandasBaseline}
Baseline = PandasBaseline | SqliteBaseline | NaivePandasBaseline


def build(name: str, catalog_path: Path | str, knowledge_dir: Path | str) -> Baseline:
    return BASELINES[name].build(catalog_path, knowledge_dir)


def engine_query(spec: Spec) -> Any:
    """The same search as an engine Query (imported lazily: the baselines never need it)."""
    from datetime import date

    from constraints.query import StayDates, build_query

    dates = None
    if spec.check_in and spec.check_out:
        dates = StayDates(date.fromisoformat(spec.check_in), date.fromisoformat(spec.check_out))
    return build_query(location=spec.location, max_price=spec.max_price, guests=spec.guests,
                       amenities=spec.amenities, property_types=spec.types, min_rating=spec.min_rating,
                       dates=dates)
