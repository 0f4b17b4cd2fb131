"""A budget is in the destination's own currency: never euros converted on a dollar catalog.

The bug this guards: on Albany's listings (US dollars) a bare "--max-price 91"
was read as €91, converted, and $92 and $95 places were recommended with the
explanation "$65 a night, €31 under your €91 budget". Every check here is a
plain filter in the listing's currency, written without the engine's pricing.
"""
from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pandas as pd
import pytest
import real_data
from conftest import FIXTURE_CATALOG
from test_airbnb_import import REAL, SHARED_DATA

from constraints import Engine, build_query
from constraints.catalog import load_catalog
from constraints.cli import main as stays_main
from constraints.errors import InvalidValueError


@pytest.fixture
def dollar_engine(tmp_path: Path, knowledge) -> Engine:
    """The fixture catalog with New York's listings priced in dollars (as real US listings are)."""
    with open(FIXTURE_CATALOG, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["location"] == "New York City":
            row["currency"] = "USD"
    path = tmp_path / "catalog.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return Engine(knowledge, load_catalog(path, knowledge))


def new_york_prices(engine: Engine) -> list[float]:
    frame = engine.catalog.frame
    return sorted(engine.catalog.price[(frame["location"] == "New York City").to_numpy()])


def test_a_bare_budget_is_in_the_listings_currency(dollar_engine: Engine) -> None:
    prices = new_york_prices(dollar_engine)
    budget = prices[0]  # exactly the cheapest dollar price: in euros-converted reading it would differ
    result = dollar_engine.search(build_query(location="New York City", max_price=budget), limit=10)
    assert result.total_matches == sum(p <= budget for p in prices)
    for r in result.results:
        assert r.currency == "USD" and r.price_per_night <= budget
        line = next(text for text in r.explanation if "budget" in text)
        assert "€" not in line and f"your ${budget:,.0f} budget" in line


def test_a_budget_in_another_currency_is_converted_and_said(dollar_engine: Engine) -> None:
    rates = dollar_engine.knowledge.settings["currency"]["rates"]
    result = dollar_engine.search(build_query(location="New York City", max_price=200, currency="GBP"), limit=10)
    in_dollars = round(200 * rates["GBP"] / rates["USD"])
    assert result.query.notes == (f"£200 is about ${in_dollars}",)
    assert result.query.find("price_per_night").value == in_dollars
    assert result.total_matches == sum(p <= in_dollars for p in new_york_prices(dollar_engine))


def test_a_currency_without_a_rate_is_asked_about_not_reread(dollar_engine: Engine) -> None:
    with pytest.raises(InvalidValueError, match="no exchange rate for NZD"):
        dollar_engine.search(build_query(location="New York City", max_price=200, currency="NZD"))


def test_relaxations_speak_the_listings_currency(dollar_engine: Engine) -> None:
    cheapest = new_york_prices(dollar_engine)[0]
    result = dollar_engine.search(build_query(location="New York City", max_price=cheapest - 1))
    assert result.total_matches == 0
    raise_budget = [r for r in result.relaxations if r.kind == "widen"]
    assert raise_budget and raise_budget[0].description.startswith("Raise the budget to $")


def test_cli_reads_a_bare_budget_in_dollars(dollar_engine: Engine, capsys, tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.csv"
    budget = new_york_prices(dollar_engine)[0]
    status = stays_main(["search", "--catalog", str(catalog), "--knowledge", str(dollar_engine.knowledge.directory),
                         "--location", "New York City", "--max-price", f"{budget:g}", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert status == 0
    assert out["currency"] == "USD"
    assert out["results"] and all(r["price_per_night"] <= budget for r in out["results"])


# --- the real US and Belgian listings ------------------------------------------------------


@pytest.fixture(scope="module")
def real_engines(tmp_path_factory, project_knowledge):
    from constraints.airbnb import convert_listings, write_catalog

    if not (SHARED_DATA / "listings").is_dir():
        real_data.skip("currency", f"real Inside Airbnb data not found at {SHARED_DATA} (set STAYS_SHARED_DATA)")
    folder = tmp_path_factory.mktemp("currency")
    engines = {}
    for name, (location, currency) in REAL.items():
        frame, _ = convert_listings(SHARED_DATA / "listings" / f"{name}.csv.gz", location, project_knowledge,
                                    currency=currency)
        out = folder / f"{name}.csv"
        write_catalog(frame, out)
        engines[location] = (Engine(project_knowledge, load_catalog(out, project_knowledge)),
                             pd.read_csv(out, dtype={"id": str}), currency)
    real_data.ran("currency", engines)
    return engines


@pytest.fixture(scope="module")
def project_knowledge():
    from constraints import load_knowledge

    return load_knowledge()


@pytest.mark.parametrize("location", [location for location, _ in REAL.values()])
def test_real_city_results_fit_the_budget_in_the_listings_currency(real_engines, location: str) -> None:
    engine, frame, currency = real_engines[location]
    rng = random.Random(11)
    prices = frame["price_per_night"].to_numpy()
    for _ in range(35):
        budget = float(rng.choice(prices)) + rng.choice([-1, 0, 0.5, 3])
        guests = rng.choice([1, 2, 4, 6])
        result = engine.search(build_query(location=location, max_price=budget, guests=guests), limit=10)
        plain = frame[(frame["price_per_night"] <= budget) & (frame["accommodates"] >= guests)]
        assert result.total_matches == len(plain), (location, budget, guests)
        for r in result.results:
            assert r.currency == currency and r.price_per_night <= budget
            assert any(currency_symbol_of(currency) in line for line in r.explanation if "budget" in line)


def currency_symbol_of(code: str) -> str:
    return {"USD": "$", "EUR": "€"}[code]
