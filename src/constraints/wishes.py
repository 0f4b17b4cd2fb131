"""Wishes in the traveller's own words: soft, they re-rank and never exclude.

"Somewhere quiet, with a view of the river" is read in two steps. What the
knowledge base holds is used as it is: an amenity's words ("river view")
become that amenity as a nice-to-have, and words that reveal the trip
("working remotely", "romantic") fire the same rules as in the chat, their
constraints made soft, since a wish is never a requirement. The words left
("quiet") go to the text index over titles, descriptions and neighbourhoods,
and the places that say them move up among those that meet every hard
constraint. Each result says which words it matched and quotes the shortest
fragment of its description that holds them.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from .catalog import Catalog
from .knowledge import Knowledge
from .normalise import Normaliser, Vocabulary
from .query import SOFT, Constraint, Query
from .rank import Ranking
from .rules import derive
from .text import fold
from .text_index import TextIndex

# share of the score the wishes decide: above one half, a place that says every wished
# word ranks above one that says none, whatever their price and rating
WISH_WEIGHT = 0.7
# a wish's fit: this share from holding the words at all, the rest from how much it says them
COVERAGE_SHARE = 0.5


@dataclass(frozen=True)
class ReadWish:
    """A wish split into what the knowledge base holds and the words left for the text index."""

    text: str
    constraints: tuple[Constraint, ...]
    labels: tuple[str, ...]  # how the known parts are named, for the note that says so
    rest: str


class Wishes:
    """Reads, scores and explains the wishes of queries over one catalog."""

    def __init__(self, catalog: Catalog, knowledge: Knowledge, normaliser: Normaliser) -> None:
        self.catalog = catalog
        self.knowledge = knowledge
        self.amenities = normaliser.amenities
        self.stop_words = normaliser.common_words
        names: dict[str, tuple[str, ...]] = {}
        labels: dict[str, str] = {}
        for key in knowledge.context.values():
            if key.type == "choice":
                for choice, phrases in key.choices.items():
                    names[f"{key.key}={choice}"] = phrases
                    labels[f"{key.key}={choice}"] = f"{key.label}: {choice}"
            else:
                names[key.key] = key.phrases
                labels[key.key] = key.label
        self.contexts = Vocabulary("context", names, labels)
        self._index: TextIndex | None = None

    @property
    def index(self) -> TextIndex:
        """The text index, built on the first wish: a search without one never pays for it."""
        if self._index is None:
            frame = self.catalog.frame
            documents = (frame["title"] + ". " + frame["description"] + ". " + frame["neighbourhood"]).to_numpy()
            self._index = TextIndex(documents, self.stop_words)
        return self._index

    # --- reading --------------------------------------------------------------------

    def read(self, wish: str, context: Mapping[str, Any]) -> ReadWish:
        """The wish's known amenities and trip words as soft constraints, and the words left."""
        tokens = fold(wish).split()
        taken = [False] * len(tokens)
        constraints: list[Constraint] = []
        labels: list[str] = []
        for mention in self.amenities.find_in(wish):
            taken[mention.start:mention.end] = [True] * (mention.end - mention.start)
            constraints.append(Constraint("amenities", "contains", mention.value, strength=SOFT))
            labels.append(self.amenities.labels[mention.value])
        base = {c.key for c in derive(self.knowledge.rules, context)}
        for mention in self.contexts.find_in(wish):
            taken[mention.start:mention.end] = [True] * (mention.end - mention.start)
            key, _, choice = mention.value.partition("=")
            value: Any = choice or (1 if self.knowledge.context[key].type == "count" else True)
            fired = [c for c in derive(self.knowledge.rules, {**context, key: value}) if c.key not in base]
            constraints.extend(replace(c, strength=SOFT) for c in fired)
            if fired:
                labels.append(self.contexts.labels[mention.value])
        rest = " ".join(t for t, used in zip(tokens, taken, strict=True) if not used)
        return ReadWish(wish, tuple(dict.fromkeys(constraints)), tuple(dict.fromkeys(labels)), rest)

    def apply(self, query: Query) -> Query:
        """The query with its wishes tidied and their known parts added as soft constraints.

        Run again on its own result it changes nothing, so the engine may
        prepare a query twice (why-not does).
        """
        wishes = tuple(dict.fromkeys(" ".join(w.split()) for w in query.wishes if w.strip()))
        if not wishes:
            return replace(query, wishes=())
        notes = list(query.notes)
        added: list[Constraint] = []
        for wish in wishes:
            read = self.read(wish, query.context)
            added.extend(read.constraints)
            terms = self.index.terms(read.rest)
            if read.labels:
                notes.append(f"“{wish}” read as {', '.join(read.labels)} (nice to have)")
            elif not terms:
                notes.append(f"No listing here says the words of “{wish}”: it does not change the order")
        query = query.with_constraints(*added)
        return replace(query, wishes=wishes, notes=tuple(dict.fromkeys(notes)))

    def _terms(self, query: Query) -> list[tuple[str, tuple[str, ...]]]:
        """(wish, its stems the index has) for each wish with any."""
        found = []
        for wish in query.wishes:
            terms = self.index.terms(self.read(wish, query.context).rest)
            if terms:
                found.append((wish, terms))
        return found

    # --- ranking --------------------------------------------------------------------

    def fit(self, query: Query, rows: npt.NDArray[np.intp]) -> npt.NDArray[np.float64] | None:
        """How well each row fits the wishes, 0 to 1 (None when no wish has words to score)."""
        wished = self._terms(query)
        if not wished or not len(rows):
            return None
        fit = np.zeros(len(rows), dtype=float)
        for _, terms in wished:
            relevance, coverage = self.index.scores(terms, rows)
            peak = float(relevance.max())
            fit += COVERAGE_SHARE * coverage + (1 - COVERAGE_SHARE) * (relevance / peak if peak > 0 else 0.0)
        fit /= len(wished)
        return fit if fit.any() else None

    def rerank(self, query: Query, ranking: Ranking, top: int) -> Ranking:
        """The ranking with the wishes' fit blended in; the same rows, so nothing is excluded."""
        fit = self.fit(query, ranking.rows)
        if fit is None:
            return ranking
        scores: npt.NDArray[np.float64] = np.round((1 - WISH_WEIGHT) * ranking.scores + WISH_WEIGHT * fit, 9)
        return Ranking(rows=ranking.rows, scores=scores, parts={**ranking.parts, "wish": fit},
                       top=best(scores, ranking.rows, top))

    # --- explaining -----------------------------------------------------------------

    def reasons(self, query: Query, row: int) -> list[str]:
        """For each wish this place answers: the words it matched, quoted from where it says them."""
        lines = []
        text = self.catalog.text
        for wish, terms in self._terms(query):
            matched = [t for t in terms if self.index.has(row, t)]
            if not matched:
                continue
            places = []
            said: list[str] = []
            quote = self.index.quote(str(text["description"][row]), matched)
            if quote is not None:
                places.append(f"the description says “{quote.text}”")
                said.extend(quote.words)
            rest = [t for t in matched if quote is None or t not in {self.index.stem_of(w) for w in quote.words}]
            title = self.index.quote(str(text["title"][row]), rest) if rest else None
            if title is not None:
                places.append(f"the title says “{text['title'][row]}”")
                said.extend(title.words)
            if rest and title is None:
                places.append(f"it is in {text['neighbourhood'][row]}")
                said.extend(rest)
            words = ", ".join(dict.fromkeys(w.lower() for w in said))
            lines.append(f"Your wish “{wish}”: mentions {words}; {' and '.join(places)}")
        return lines


def best(scores: npt.NDArray[np.float64], rows: npt.NDArray[np.intp], top: int) -> npt.NDArray[np.intp]:
    """Positions of the `top` best scores, ties settled by catalog order (as `rank` settles them)."""
    if top <= 0:
        return np.array([], dtype=np.intp)
    if top < len(rows):
        candidates = np.argpartition(-scores, top - 1)[:top]
        candidates = np.union1d(candidates, np.flatnonzero(scores == scores[candidates].min()))
    else:
        candidates = np.arange(len(rows))
    order: npt.NDArray[np.intp] = candidates[np.lexsort((rows[candidates], -scores[candidates]))][:top]
    return order
