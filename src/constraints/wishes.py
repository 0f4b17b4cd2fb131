"""Wishes in the traveller's own words: soft, they re-rank and never exclude.

"Somewhere quiet, with a view of the river" is read in two steps. What the
knowledge base holds is used as it is: an amenity's words ("river view")
become that amenity as a nice-to-have, and words that reveal the trip
("working remotely", "romantic") fire the same rules as in the chat, their
constraints made soft, since a wish is never a requirement. The other words
("quiet", and the amenity's own, which hosts often write without ticking the
amenity) go to the text index over titles, descriptions and neighbourhoods,
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
# where a matched word is shown from, in this order: a word the description says is quoted from it
_SAID_IN = {"description": "the description says “{}”", "title": "the title says “{}”",
            "neighbourhood": "it is in {}"}
MAX_REMEMBERED = 4096  # wishes whose stems are kept between searches (a chat server hears many)


@dataclass(frozen=True)
class ReadWish:
    """What the knowledge base holds of a wish: soft constraints, and how they are named."""

    text: str
    constraints: tuple[Constraint, ...]
    labels: tuple[str, ...]  # how the known parts are named, for the note that says so


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
        self._terms_of: dict[str, tuple[str, ...]] = {}  # wish -> its stems the index has

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
        """The wish's known amenities and trip words as soft constraints (its other words: `terms`)."""
        constraints: list[Constraint] = []
        labels: list[str] = []
        for mention in self.amenities.find_in(wish):  # its words stay for the text too: hosts write them
            constraints.append(Constraint("amenities", "contains", mention.value, strength=SOFT))
            labels.append(self.amenities.labels[mention.value])
        base = {c.key for c in derive(self.knowledge.rules, context)}
        for mention in self.contexts.find_in(wish):
            key, _, choice = mention.value.partition("=")
            value: Any = choice or (1 if self.knowledge.context[key].type == "count" else True)
            fired = [c for c in derive(self.knowledge.rules, {**context, key: value}) if c.key not in base]
            constraints.extend(replace(c, strength=SOFT) for c in fired)
            if fired:
                labels.append(self.contexts.labels[mention.value])
        return ReadWish(wish, tuple(dict.fromkeys(constraints)), tuple(dict.fromkeys(labels)))

    def _rest(self, wish: str) -> str:
        """The wish without its trip words ("working remotely" says who travels, not what a place is)."""
        tokens = fold(wish).split()
        for mention in self.contexts.find_in(wish):
            tokens[mention.start:mention.end] = [""] * (mention.end - mention.start)
        return " ".join(t for t in tokens if t)

    def terms(self, wish: str) -> tuple[str, ...]:
        """The stems of a wish's words the index has (remembered: each search asks a few times)."""
        found = self._terms_of.get(wish)
        if found is None:
            if len(self._terms_of) >= MAX_REMEMBERED:
                self._terms_of.clear()
            found = self._terms_of[wish] = self.index.terms(self._rest(wish))
        return found

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
            terms = self.terms(wish)
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
            terms = self.terms(wish)
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
        blended = (1 - WISH_WEIGHT) * np.asarray(ranking.scores, dtype=np.float64) + WISH_WEIGHT * fit
        scores = np.round(blended, 9)
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
            places: list[str] = []
            said: list[str] = []
            remaining = matched
            for column in _SAID_IN:
                value = str(text[column][row])
                quote = self.index.quote(value, remaining) if remaining else None
                if quote is None:
                    continue
                places.append(_SAID_IN[column].format(quote.text if column == "description" else value))
                said.extend(quote.words)
                covered = {self.index.stem_of(w) for w in quote.words}
                remaining = [t for t in remaining if t not in covered]
            order = {t: k for k, t in enumerate(terms)}
            said.sort(key=lambda w: order.get(self.index.stem_of(w) or "", len(order)))
            words = ", ".join(dict.fromkeys(w.lower() for w in said))
            lines.append(f"Your wish “{wish}”: mentions {words}; {' and '.join(places)}")
        return lines


def best(scores: npt.NDArray[np.floating[Any]], rows: npt.NDArray[np.intp], top: int) -> npt.NDArray[np.intp]:
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
