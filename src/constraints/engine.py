"""The engine's front door: search, explain a miss, show a property.

Both the `stays` CLI and the chat's action server hold one Engine for the life
of the process; everything expensive (catalog columns, places, similarity
tables, vocabularies) is built in the constructor, so a query only computes
masks over numpy columns.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from . import attributes
from .attributes.base import Array
from .availability import Availability, load_calendar_beside
from .catalog import Catalog, load_catalog
from .errors import InvalidValueError
from .explain import Wording
from .knowledge import Knowledge, load_knowledge
from .masks import QueryEvaluator, Similarity
from .money import currency_name
from .normalise import Normaliser
from .query import MONEY_ATTRIBUTES, Constraint, Query, StayDates, stay_fault
from .rank import Ranking, rank
from .relax import Relaxer, diagnose
from .results import Result, SearchResult
from .rules import expand
from .similar import likeness_to, said_alike
from .wishes import Wishes

DEFAULT_CATALOG = "catalog.csv"
# which reasons an explanation gives first, the specific before the shared: each attribute's
# `salience` in the registry orders its own; these place the reasons that are no constraint's among them
_SALIENCE = {"rule": 1, "reviews": 7, "total": 9}


@dataclass
class WhyNot:
    """Why one property is not (or not yet) among the recommendations."""

    id: str
    title: str
    matches: bool
    failed: list[tuple[Constraint, str]]
    rank: int | None
    total_matches: int
    fixes: list[str]
    shown: int = 3  # how many results the traveller (or `stays search`) was shown

    @property
    def visible(self) -> bool:
        """Whether it is among the results shown: then the answer is 'it is there', not a fix."""
        return self.rank is not None and self.rank <= self.shown

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "matches": self.matches,
            "failed": [{**c.to_json(), "reason": reason} for c, reason in self.failed],
            "rank": self.rank, "total_matches": self.total_matches, "fixes": self.fixes,
            "shown": self.shown, "visible": self.visible,
        }


class Engine:
    """Filters, ranks, explains and repairs queries over one catalog."""

    def __init__(self, knowledge: Knowledge, catalog: Catalog, availability: Availability | None = None) -> None:
        self.knowledge = knowledge.with_destinations(catalog.places.destinations)
        self.catalog = catalog
        self.availability = availability  # the catalog's calendar; None: every night counts as free
        self.normaliser = Normaliser(self.knowledge, catalog.places)
        self.similarity = Similarity(catalog, self.knowledge)
        self.wording = Wording(catalog, self.knowledge)
        self.wishes = Wishes(catalog, self.knowledge, self.normaliser)  # its text index is built on the first wish
        self._kind_stems: frozenset[str] | None = None  # names of kinds of stay, left out of "it says ..."

    @classmethod
    def load(cls, knowledge_dir: Path | str | None = None, catalog_path: Path | str | None = None) -> Engine:
        knowledge = load_knowledge(knowledge_dir)
        path = Path(catalog_path) if catalog_path else knowledge.directory / DEFAULT_CATALOG
        catalog = load_catalog(path, knowledge)
        return cls(knowledge, catalog, load_calendar_beside(path, catalog, knowledge))

    # --- queries ----------------------------------------------------------------------

    def prepare(self, query: Query) -> Query:
        """The query with its rule-derived constraints, every value checked, every amount in one currency."""
        wished = self.wishes.apply(query)
        located = replace(wished, constraints=tuple(attributes.of(c.attribute).read_again(c, self.normaliser)
                                                     for c in wished.constraints))
        expanded = expand(located, self.knowledge.rules)
        for c in expanded.constraints:
            self._check_value(c)
        return self._in_destination_currency(expanded)

    def currency_for(self, query: Query) -> str:
        """The currency a query's bare amounts are in: its destination's (the base currency for anywhere)."""
        location = query.find(attributes.LOCATION.name)
        return self.catalog.currency_of(location.value if location is not None and location.is_hard else None)

    # --- stays, for front ends that read dates ---------------------------------------

    def stay_problem(self, stay: StayDates, today: date) -> str | None:
        """Why a stay cannot be searched, in a sentence for the traveller (None when it can).

        One rule for the chat and the CLI: in the future, in order, within the
        longest stay we book, and inside the calendar when there is one.
        """
        most = int(self.knowledge.setting("limits", "max_nights"))
        fault = stay_fault(stay.check_in, stay.check_out, today, most)
        if fault == "past":
            return f"{stay.check_in:%d %B %Y} is in the past (today is {today:%d %B %Y})."
        if fault == "reversed":
            return "Check-out has to be after check-in."
        if fault == "too_long":
            return f"{stay.nights} nights is longer than I can book ({most} at most)."
        calendar = self.availability
        if calendar is not None:
            try:
                calendar.span(stay)
            except InvalidValueError as error:
                return str(error)
        return None

    # --- money, for front ends that ask and read budgets ----------------------------

    def nightly_prices(self, location: str | None, guests: float | None = None) -> tuple[Array, str]:
        """A destination's nightly prices in its currency (of places that sleep `guests`, if any do)."""
        catalog = self.catalog
        currency = catalog.currency_of(location)
        code = catalog.places.code_of.get(location) if location else None
        rows = catalog.rows_in(code) if code is not None else slice(0, catalog.size)
        prices = catalog.price_in(currency)[rows]
        if guests:
            fits = catalog.accommodates[rows] >= guests
            prices = prices[fits] if fits.any() else prices
        return prices, currency

    def price_tier(self, tier: str, location: str | None) -> tuple[float | None, float | None]:
        """'cheap' in Bali is not 'cheap' in Aspen: a tier is a band of the destination's own prices."""
        tiers = self.knowledge.setting("pricing", "tiers")
        if tier not in tiers:
            raise InvalidValueError(f"Unknown price tier '{tier}'; expected one of {', '.join(tiers)}.")
        low_q, high_q = tiers[tier]
        prices, _ = self.nightly_prices(location)
        step = float(self.knowledge.setting("relaxation", "budget_step"))
        low = None if low_q is None else float(np.floor(np.quantile(prices, low_q) / step) * step)
        high = None if high_q is None else float(np.ceil(np.quantile(prices, high_q) / step) * step)
        return low, high

    def budget_in(self, amount: float, currency: str | None, location: str | None) -> tuple[float, str | None]:
        """A budget read in the destination's currency, and the sentence to say when it was converted.

        Raises InvalidValueError (to be asked back) for a currency without a configured rate.
        """
        query = self._in_destination_currency(Query(
            constraints=(*((Constraint(attributes.LOCATION.name, "eq", location),) if location else ()),
                         Constraint(attributes.PRICE_PER_NIGHT.name, "<=", float(amount), currency=currency))))
        converted = query.find(attributes.PRICE_PER_NIGHT.name)
        assert converted is not None
        return float(converted.value), (query.notes[0] if query.notes else None)

    def _in_destination_currency(self, query: Query) -> Query:
        """A bare budget is in the destination's currency; another currency is converted at a configured rate.

        Albany's listings are in dollars, so "under 91" there means $91, never
        €91 converted. "200 CAD" becomes dollars only if engine.yml has a rate
        for both, and the query's notes say so; with no rate it is refused, so
        the traveller is asked instead of being shown places over budget.
        """
        target = self.currency_for(query)
        currencies = self.catalog.currencies
        converted: list[Constraint] = []
        notes = list(query.notes)
        for c in query.constraints:
            if c.attribute in MONEY_ATTRIBUTES and c.currency != target:
                source = c.currency or target
                if not currencies.can_convert(source, target):
                    raise InvalidValueError(
                        f"I have no exchange rate for {source} ({currency_name(source, plural=True)}); "
                        f"prices here are in {currency_name(target, plural=True)}. "
                        f"What is the budget in {target}?")
                value = float(c.value)
                if source != target:
                    value = float(round(currencies.convert(value, source, target)))
                    notes.append(f"{self.wording.money(c.value, source)} is about {self.wording.money(value, target)}")
                c = replace(c, value=value, currency=target)
            converted.append(c)
        return replace(query, constraints=tuple(converted), notes=tuple(dict.fromkeys(notes)))

    def _check_value(self, c: Constraint) -> None:
        attributes.of(c.attribute).check(self, c)

    def search(self, query: Query, limit: int = 3, offset: int = 0) -> SearchResult:
        """Ranked matches; with fewer than `query.min_results`, the ways to get more."""
        if limit < 0 or offset < 0:
            raise InvalidValueError("limit and offset must not be negative")
        query = self.prepare(query)
        evaluator = QueryEvaluator(self.catalog, self.knowledge, query, self.availability)
        rows = self.matching_rows(evaluator)
        ranking = self._rank(evaluator, rows, offset + limit)
        shown = ranking.top[offset:offset + limit]
        result = SearchResult(
            query=query,
            total_matches=len(rows),
            results=[self._result(evaluator, int(ranking.rows[k]), float(ranking.scores[k])) for k in shown],
            offset=offset,
        )
        if len(rows) < query.min_results and self.catalog.size:
            self._repair(evaluator, result)
        return result

    @staticmethod
    def matching_rows(evaluator: QueryEvaluator) -> Array:
        """Rows meeting every hard constraint and not turned down, in catalog order."""
        scope = evaluator.scope()
        ok = ~evaluator.excluded(scope)
        for c in evaluator.query.hard:
            ok &= evaluator.mask(c, scope)
        return np.asarray(np.flatnonzero(ok) + scope.start)

    def matches_by_destination(self, query: Query) -> dict[str, int]:
        """How many places would match in each destination, if the place were changed.

        One pass over the whole catalog with every constraint but the place,
        counted per destination: the answer to "where else could I go?".
        """
        query = self.prepare(query)
        place = attributes.LOCATION.name
        query = replace(query, constraints=tuple(c for c in query.constraints if c.attribute != place))
        evaluator = QueryEvaluator(self.catalog, self.knowledge, query, self.availability)
        everything = slice(0, self.catalog.size)
        ok = ~evaluator.excluded(everything)
        for c in query.hard:
            if not attributes.of(c.attribute).tied_to_place:  # a neighbourhood belongs to the old place
                ok &= evaluator.mask(c, everything)
        counts = np.bincount(self.catalog.loc[ok], minlength=len(self.catalog.places.destinations))
        return {d.name: int(n) for d, n in zip(self.catalog.places.destinations, counts, strict=True) if n}

    def _rank(self, evaluator: QueryEvaluator, rows: Array, top: int) -> Ranking:
        likeness = None
        if evaluator.query.reference_id is not None:
            reference = self.catalog.row(evaluator.query.reference_id)
            likeness = likeness_to(self.catalog, self.similarity, reference, rows, self.wishes.index)
        return self.wishes.rerank(evaluator.query, rank(evaluator, rows, top, likeness), top)

    def _repair(self, evaluator: QueryEvaluator, result: SearchResult) -> None:
        need = evaluator.query.min_results
        relaxer = Relaxer(evaluator, self.similarity, self.wording)
        diagnosis = diagnose(evaluator)
        relaxations = relaxer.drops(diagnosis, need) + relaxer.replacements(diagnosis, need)
        relaxations.sort(key=lambda r: (r.cost, -r.matches, r.description))
        currency = self.currency_for(evaluator.query)
        for relaxation in relaxations:
            relaxation.currency = currency
        result.relaxations = relaxations
        # with nothing at all, explain why nothing matches; else why too few do
        explain_need = 1 if result.total_matches == 0 else need
        result.conflict = relaxer.conflict(diagnosis, explain_need)
        result.conflict_text = self.conflict_sentence(result.conflict, explain_need)
        limit = int(self.knowledge.setting("relaxation", "alternatives"))
        result.alternatives = relaxer.near_misses(diagnosis, limit)
        result.alternative_results = [
            self._result(evaluator, a.row, a.similarity, explain=False) for a in result.alternatives
        ]

    def conflict_sentence(self, conflict: list[Constraint], need: int = 1) -> str:
        """'Nothing in Lisbon for 4 guests under €60 a night with a pool.'"""
        if not conflict:
            return ""
        ordered = sorted(conflict, key=lambda c: attributes.of(c.attribute).sentence)
        phrases = " ".join(self.wording.condition(c) for c in ordered)
        if need > 1:
            return f"Fewer than {need} places {phrases}."
        return f"Nothing {phrases}."

    # --- one property ---------------------------------------------------------------

    def _result(self, evaluator: QueryEvaluator, row: int, score: float, explain: bool = True) -> Result:
        record = self.catalog.record(row)
        total = None
        nights = evaluator.nights
        if nights:
            total = float(evaluator.stay_total(np.array([row]))[0])
        return Result(
            id=record["id"], title=record["title"], location=record["location"],
            neighbourhood=record["neighbourhood"], property_type=record["property_type"],
            price_per_night=record["price_per_night"], currency=record["currency"],
            rating=record["rating"], review_count=record["review_count"],
            accommodates=record["accommodates"], bedrooms=record["bedrooms"], score=score,
            explanation=[*self._alike(evaluator.query, row), *self.wishes.reasons(evaluator.query, row),
                         *self.explain(evaluator, row, total)] if explain else [],
            total_price=total, nights=nights, picture_url=record["picture_url"],
        )

    def _alike(self, query: Query, row: int) -> list[str]:
        """For "more like this one": what the place says that the one it is like says too."""
        if query.reference_id is None:
            return []
        index = self.wishes.index
        if self._kind_stems is None:
            vocabularies = (self.normaliser.property_types, self.normaliser.room_types)
            stems = (index.stem_of(w) for v in vocabularies for name in v.index for w in name.split())
            self._kind_stems = frozenset(s for s in stems if s is not None)
        line = said_alike(self.catalog, index, self.catalog.row(query.reference_id), row, self._kind_stems)
        return [line] if line else []

    def explain(self, evaluator: QueryEvaluator, row: int, total: float | None) -> list[str]:
        """Why this property, most telling reasons first.

        What the traveller specifically asked for (amenities, rules, dates,
        type) comes before what every result shares (the place, the budget,
        the size), so a short "why" of the first few lines says the most.
        """
        reasons: list[tuple[float, str]] = []
        for c in evaluator.query.hard:
            attribute = attributes.of(c.attribute)
            if attribute.redundant(evaluator):
                continue
            salience = _SALIENCE["rule"] if c.derived else attribute.salience
            reasons.append((salience, self.wording.met(c, row, total) + self.wording.because(c)))
        for c in evaluator.query.soft:
            said = attributes.of(c.attribute).soft_reason(evaluator, self.wording, c, row, total)
            if said is not None:
                reasons.append(said)
        if evaluator.query.find(attributes.RATING.name) is None and self.catalog.rated[row]:
            reasons.append((_SALIENCE["reviews"], attributes.RATING.reviews(self.wording, row)))
        if total is not None and evaluator.query.find(attributes.TOTAL_PRICE.name) is None:
            record_currency = self.catalog.text["currency"][row]
            reasons.append((_SALIENCE["total"],
                            f"{self.wording.money(total, record_currency)} for {evaluator.nights} nights"))
        reasons.sort(key=lambda kv: kv[0])
        return [text for _, text in reasons]

    def show(self, property_id: str) -> dict[str, Any]:
        return self.catalog.record(self.catalog.row(property_id))

    def why_not(self, property_id: str, query: Query, limit: int = 3) -> WhyNot:
        """Which constraints a property fails, or where it ranks if it fails none."""
        row = self.catalog.row(property_id)
        query = self.prepare(query)
        evaluator = QueryEvaluator(self.catalog, self.knowledge, query, self.availability)
        one = np.array([row])
        total = float(evaluator.stay_total(one)[0]) if evaluator.nights else None
        failed = []
        for c in query.hard:
            if not evaluator.mask(c, one)[0]:
                km = evaluator.km(c, one)
                distance = None if km is None else float(km[0])
                failed.append((c, self.wording.missed(c, row, total, distance) + self.wording.because(c)))
        excluded = bool(evaluator.excluded(one)[0])
        search = self.search(query, limit=limit)
        position = None
        fixes = []
        if not failed and not excluded:
            rows = self.matching_rows(evaluator)
            position = self._rank(evaluator, rows, 0).position_of(row)
            if position is not None and position > limit:
                fixes.append(f"Only the first {limit} are shown; ask for {position} results (or page on) to see it.")
        elif failed:
            dropped = [c for c, _ in failed]
            # a budget for the stay is priced for the stay asked: without that stay it goes too
            anchor = query.find(attributes.DATES.name if evaluator.dates is not None else attributes.NIGHTS.name)
            if anchor in dropped:
                dropped += [c for c in query.hard if c.attribute == attributes.TOTAL_PRICE.name and c not in dropped]
            relaxed = replace(query, constraints=tuple(c for c in query.constraints if c not in set(dropped)),
                              waived=query.waived | {c.waiver for c in dropped})
            count = self.search(relaxed, limit=0).total_matches
            names = " and ".join(self.wording.constraint(c) for c in dropped)
            fixes.append(f"Without {names} it would be one of {count} places.")
        if excluded:
            fixes.append("You turned this place down earlier in the conversation.")
        return WhyNot(
            id=property_id, title=str(self.catalog.text["title"][row]), matches=not failed and not excluded,
            failed=failed, rank=position, total_matches=search.total_matches, fixes=fixes, shown=limit,
        )
