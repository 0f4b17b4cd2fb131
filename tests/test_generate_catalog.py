"""The generated catalog looks like real listings to someone browsing or searching it."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from constraints.generate_catalog import generate_catalog, main

KNOWLEDGE = Path(__file__).resolve().parents[1] / "knowledge"
DESIGN_COLUMNS = [
    "id", "title", "description", "location", "neighbourhood", "latitude", "longitude",
    "property_type", "room_type", "accommodates", "bedrooms", "beds", "bathrooms",
    "price_per_night", "currency", "min_nights", "amenities", "rating", "review_count",
]


def _yaml(name: str) -> dict:
    return yaml.safe_load((KNOWLEDGE / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    """The size and seed the shipped catalog is generated with."""
    return generate_catalog(KNOWLEDGE, 2400, 7)


@pytest.fixture(scope="module")
def large() -> pd.DataFrame:
    return generate_catalog(KNOWLEDGE, 12000, 11)


@pytest.fixture(scope="module")
def has(large: pd.DataFrame):
    """`has(amenity)`: boolean column of the large catalog."""
    sets = large["amenities"].fillna("").str.split(";").map(set)

    def column(amenity: str) -> np.ndarray:
        return sets.map(lambda s: amenity in s).to_numpy()
    return column


def test_columns_are_the_design_schema_plus_max_nights(shipped: pd.DataFrame) -> None:
    assert list(shipped.columns) == DESIGN_COLUMNS + ["max_nights"]
    assert len(shipped) == 2400
    assert shipped["id"].is_unique
    assert shipped["id"].str.fullmatch(r"p\d{6}").all()
    assert (shipped["currency"] == "EUR").all()


def test_same_seed_same_catalog_other_seed_other_catalog() -> None:
    first = generate_catalog(KNOWLEDGE, 500, 3)
    pd.testing.assert_frame_equal(first, generate_catalog(KNOWLEDGE, 500, 3))
    other = generate_catalog(KNOWLEDGE, 500, 4)
    assert not first.equals(other)
    assert (first["price_per_night"] != other["price_per_night"]).mean() > 0.5


def test_every_destination_and_neighbourhood_is_bookable(shipped: pd.DataFrame) -> None:
    destinations = _yaml("locations.yml")["destinations"]
    counts = shipped["location"].value_counts()
    for place in destinations:
        assert counts.get(place["name"], 0) >= 55, place["name"]
        found = set(shipped.loc[shipped["location"] == place["name"], "neighbourhood"])
        assert found == {n["name"] for n in place["neighbourhoods"]}, place["name"]


def test_properties_lie_near_their_neighbourhood(shipped: pd.DataFrame) -> None:
    centres = {n["name"]: (n["latitude"], n["longitude"])
               for d in _yaml("locations.yml")["destinations"] for n in d["neighbourhoods"]}
    lat0 = shipped["neighbourhood"].map(lambda n: centres[n][0])
    lon0 = shipped["neighbourhood"].map(lambda n: centres[n][1])
    km = np.hypot((shipped["latitude"] - lat0) * 110.6,
                  (shipped["longitude"] - lon0) * 111.3 * np.cos(np.radians(lat0)))
    assert km.between(0.25, 1.3).all()


def test_only_known_types_and_amenities(shipped: pd.DataFrame) -> None:
    types = _yaml("property_types.yml")
    amenities = {a["id"] for a in _yaml("amenities.yml")["amenities"]}
    assert set(shipped["property_type"]) <= {t["id"] for t in types["property_types"]}
    assert set(shipped["room_type"]) <= {r["id"] for r in types["room_types"]}
    used = {a for row in shipped["amenities"].dropna() for a in row.split(";")}
    assert used <= amenities


def test_amenities_that_cannot_exist_somewhere_never_appear_there(large: pd.DataFrame, has) -> None:
    for place in _yaml("locations.yml")["destinations"]:
        absent = [a for a, bias in place["generator"]["amenity_bias"].items() if bias == 0]
        here = (large["location"] == place["name"]).to_numpy()
        for amenity in absent:
            assert not (has(amenity) & here).any(), (place["name"], amenity)
    assert has("ski_in_ski_out").sum() > 0


def test_pricier_destinations_cost_more(large: pd.DataFrame) -> None:
    level = {d["name"]: d["generator"]["price_level"] for d in _yaml("locations.yml")["destinations"]}
    by_level = large["location"].map(level)
    dear = large.loc[by_level >= 1.8, "price_per_night"].median()
    cheap = large.loc[by_level <= 0.7, "price_per_night"].median()
    assert dear > 2 * cheap


def test_bigger_places_cost_more(large: pd.DataFrame) -> None:
    entire = large[large["room_type"] == "entire_home"]
    relative = entire["price_per_night"] / entire.groupby("location")["price_per_night"].transform("median")
    assert relative[entire["accommodates"] >= 6].median() > 1.3 * relative[entire["accommodates"] <= 2].median()
    rooms = large[large["room_type"] == "private_room"]
    assert rooms["price_per_night"].median() < entire["price_per_night"].median()


def test_a_pool_raises_the_price(large: pd.DataFrame, has) -> None:
    frame = large.assign(pool=has("pool"))
    ratios = []
    for _, group in frame[frame["room_type"] == "entire_home"].groupby(["location", "property_type"]):
        with_pool, without = group.loc[group["pool"], "price_per_night"], group.loc[~group["pool"], "price_per_night"]
        if len(with_pool) >= 5 and len(without) >= 5:
            ratios.append(with_pool.median() / without.median())
    assert len(ratios) >= 20
    assert np.median(ratios) > 1.1


def test_prices_are_whole_and_plausible(shipped: pd.DataFrame) -> None:
    prices = shipped["price_per_night"]
    assert (prices == prices.round()).all()
    assert prices.min() >= 10
    assert 60 <= prices.median() <= 250
    assert prices.max() < 5000


def test_correlated_amenities_come_together(large: pd.DataFrame, has) -> None:
    checked = 0
    for first, second, lift in _yaml("amenities.yml")["correlated"]:
        a, b = has(first), has(second)
        if a.sum() < 100 or b.sum() < 100:
            continue
        observed = (a & b).mean() / (a.mean() * b.mean())
        if lift >= 1.5:
            assert observed > 1.2, (first, second, observed)
            checked += 1
        elif lift <= 0.5:
            assert observed < 0.8, (first, second, observed)
    assert checked >= 8


def test_villas_have_pools_studios_in_paris_do_not(large: pd.DataFrame, has) -> None:
    pool = pd.Series(has("pool"), index=large.index)
    assert pool[large["property_type"] == "villa"].mean() > 0.5
    paris_studios = (large["location"] == "Paris") & (large["property_type"] == "studio")
    assert paris_studios.sum() > 50
    assert pool[paris_studios].mean() < 0.03


def test_ratings_are_skewed_high_and_empty_without_reviews(large: pd.DataFrame) -> None:
    rating, reviews = large["rating"], large["review_count"]
    assert (rating.isna() == (reviews == 0)).all()
    assert rating.dropna().between(1, 5).all()
    assert rating.median() >= 4.5
    assert 4.5 <= rating.mean() <= 4.85
    assert (rating.dropna() == rating.dropna().round(2)).all()
    few, many = rating[reviews.between(1, 3)], rating[reviews >= 50]
    assert few.std() > many.std()


def test_review_counts_are_heavy_tailed(large: pd.DataFrame) -> None:
    reviews = large["review_count"]
    assert 0.2 <= (reviews <= 10).mean() <= 0.5
    assert 10 <= reviews.median() <= 40
    assert (reviews >= 500).sum() > 0


def test_sizes_are_consistent(large: pd.DataFrame) -> None:
    assert (large["beds"] >= large["bedrooms"]).all()
    assert (large["beds"] >= 1).all()
    assert (large["accommodates"] <= 2 * large["beds"] + 1).all()
    assert (large["bathrooms"] >= 1).all()
    assert (large.loc[large["property_type"] == "studio", "bedrooms"] == 0).all()
    private = large[large["room_type"] != "entire_home"]
    assert (private["accommodates"] <= 3).all()
    kyoto_big = (large["location"] == "Kyoto") & (large["accommodates"] >= 10)
    assert kyoto_big.sum() < 0.04 * (large["location"] == "Kyoto").sum()


def test_minimum_stays_are_mostly_short(large: pd.DataFrame, has) -> None:
    nights = large["min_nights"]
    assert nights.between(1, 3).mean() > 0.8
    assert 0.05 < nights.between(5, 7).mean() < 0.15
    monthly = nights >= 28
    assert 0.02 < monthly.mean() < 0.08
    assert has("long_term_stays_allowed")[monthly.to_numpy()].all()
    assert (large["max_nights"] >= nights).all()
    assert (large["max_nights"] <= 30).mean() > 0.05


def test_titles_and_descriptions_read_naturally(shipped: pd.DataFrame) -> None:
    assert shipped["title"].nunique() > 0.8 * len(shipped)
    for row in shipped.itertuples():
        assert row.neighbourhood in row.title
        assert row.location in row.description
        assert "  " not in row.title and not row.title.endswith(" ")
    with_pool = shipped[shipped["title"].str.contains(" with pool")]
    assert len(with_pool) > 10
    assert with_pool["amenities"].str.contains(r"(?:^|;)pool(?:;|$)").all()
    assert shipped["title"].str.contains(r"\d-bedroom").any()


@pytest.mark.parametrize("name", ["out.csv", "out.csv.gz"])
def test_cli_writes_a_readable_catalog(tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    assert main(["--size", "300", "--seed", "5", "-o", str(target)]) == 0
    written = pd.read_csv(target)
    assert list(written.columns) == DESIGN_COLUMNS + ["max_nights"]
    assert len(written) == 300
    assert written["rating"].isna().equals(written["review_count"] == 0)
    assert all(re.fullmatch(r"[a-z_]+(;[a-z_]+)*", a) for a in written["amenities"].dropna())
