"""Currencies: ISO 4217 codes, names and symbols from Babel; exchange rates from engine.yml.

Prices are compared in the currency the traveller's budget is in, which is the
destination's own unless they name another. Babel (CLDR data, maintained) knows
every code, its English name and its symbol, so neither the parser nor the
wording keeps a hand list; engine.yml holds only what CLDR cannot: the rates
we are willing to convert with, and symbols we prefer to CLDR's ("R" for rand).
"""
from __future__ import annotations

from collections.abc import Mapping
from functools import cache, lru_cache

from babel.numbers import get_currency_name, get_currency_symbol, list_currencies


@lru_cache(maxsize=1)
def iso_codes() -> frozenset[str]:
    """Every ISO 4217 code CLDR knows (including historical ones a listing may still carry)."""
    return frozenset(list_currencies())


def is_currency_code(text: str) -> bool:
    return text.upper() in iso_codes()


@cache
def currency_name(code: str, plural: bool = False) -> str:
    """'US dollars', 'euros': how a reply names a currency."""
    return str(get_currency_name(code, count=2 if plural else 1, locale="en"))


@cache
def _cldr_symbol(code: str) -> str:
    return str(get_currency_symbol(code, locale="en"))


class Currencies:
    """The base currency, the configured rates and how amounts are written.

    `rates[X]` is the value of one X in the base currency. A conversion needs a
    rate for both sides; without one the caller must ask, never guess.
    """

    def __init__(self, settings: Mapping[str, object]) -> None:
        self.base = str(settings["base"])
        rates = settings["rates"]
        symbols = settings.get("symbols") or {}
        assert isinstance(rates, Mapping) and isinstance(symbols, Mapping)
        self.rates: dict[str, float] = {str(k): float(v) for k, v in rates.items()}
        self._symbols: dict[str, str] = {str(k): str(v) for k, v in symbols.items()}

    def symbol(self, code: str) -> str:
        """The prefix of an amount: '€', '$', 'CA$', or the code and a space when CLDR has no symbol."""
        if code in self._symbols:
            return self._symbols[code]
        symbol = _cldr_symbol(code)
        return f"{code} " if symbol == code else symbol

    def format(self, amount: float, code: str | None = None) -> str:
        sign = "-" if amount < 0 else ""
        return f"{sign}{self.symbol(code or self.base)}{abs(amount):,.0f}"

    def can_convert(self, source: str, target: str) -> bool:
        return source == target or (source in self.rates and target in self.rates)

    def convert(self, amount: float, source: str, target: str) -> float:
        """`amount` of `source` in `target`; exact (untouched) when both are the same."""
        if source == target:
            return amount
        if not self.can_convert(source, target):
            missing = source if source not in self.rates else target
            raise KeyError(missing)
        return amount * self.rates[source] / self.rates[target]
