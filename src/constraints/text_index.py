"""A TF-IDF index over what each listing says about itself, for wishes in words.

Travellers want things no column holds ("somewhere quiet", "walking distance
to the old town"); hosts write them in titles and descriptions. This index
turns each listing's text into a sparse TF-IDF row (scikit-learn's
TfidfVectorizer with our analyzer: folded words, the stop list, a light
suffix stemmer), and keeps it by column, so scoring a wish reads only the
postings of the wish's few words: one sparse matrix-vector product per wish,
read at the rows that passed the hard constraints. `quote` finds the shortest
stretch of a description holding the matched words, for the explanation.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp  # type: ignore[import-untyped]

# a run of letters in any script; digits and punctuation separate words
_RAW_WORD = re.compile(r"[^\W\d_]+")
_ASCII_WORD = re.compile(r"[a-z]+")
# between two words, any of these ends a sentence: a quote does not run across it
_SENTENCE_END = re.compile(r"[.!?;·•\n]")
MIN_WORD = 2  # single letters are the rests of contractions and initials
CONTEXT_WORDS = 2  # words quoted on each side of the matched stretch, within its sentence
MAX_QUOTE_WORDS = 24  # a longer stretch is quoted as its clusters of matched words
CLUSTER_GAP = 6  # matched words closer than this stay in one cluster
MAX_CLUSTERS = 3


@lru_cache(maxsize=1 << 16)  # explanations stem the words of a few descriptions per search
def stem(word: str) -> str:
    """A light suffix stemmer: plurals, -ing, -ed, -ly, -ness and a final e come off.

    Porter's stemmer would do (nltk is not installed with Rasa); this keeps
    "views"/"view", "walking"/"walk", "quietly"/"quiet", "renovated"/"renovate"
    together, and needs no data. Both the listings and the wishes go through
    it, so a stem only has to be the same for the forms of one word.
    """
    if len(word) <= 3:
        return word
    if word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("ing") and _has_vowel(word[:-3]) and len(word) >= 6:
        word = _undouble(word[:-3])
    elif word.endswith("ed") and _has_vowel(word[:-2]) and len(word) >= 5:
        word = _undouble(word[:-2])
    elif word.endswith("ness") and len(word) >= 8:
        word = word[:-4]
    elif word.endswith("ly") and len(word) >= 7:
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("e") and len(word) >= 5:
        word = word[:-1]
    return word


def _has_vowel(text: str) -> bool:
    return any(ch in "aeiouy" for ch in text)


def _undouble(text: str) -> str:
    """'shopp' -> 'shop', 'runn' -> 'run'; 'fall', 'pass' and 'buzz' keep their pair."""
    if len(text) >= 3 and text[-1] == text[-2] and text[-1] not in "aeiouylsz":
        return text[:-1]
    return text


def plain(word: str) -> str:
    """A word lower-cased with its accents dropped: 'Café' -> 'cafe', 'naïve' -> 'naive'."""
    lowered = word.lower()
    if lowered.isascii():
        return lowered
    return unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode("ascii")


def words(text: str) -> list[str]:
    """The plain words of a text, in order (the same split `quote` makes with positions)."""
    if text.isascii():
        return _ASCII_WORD.findall(text.lower())
    return [plain(raw) for raw in _RAW_WORD.findall(text)]


@dataclass(frozen=True)
class Quote:
    """A fragment of a text holding matched words, and the words as the text writes them."""

    text: str
    words: tuple[str, ...]


class TextIndex:
    """TF-IDF rows of many texts, kept by column: a wish reads only its words' postings."""

    def __init__(self, documents: Sequence[str] | npt.NDArray[np.object_], stop_words: Iterable[str]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

        self.stop_words = frozenset(plain(w) for w in stop_words)
        self._stems: dict[str, str] = {}  # word -> stem, "" for a word that does not count
        vectorizer = TfidfVectorizer(analyzer=self.analyse, sublinear_tf=True, dtype=np.float32)
        try:
            matrix = vectorizer.fit_transform(documents)
        except ValueError:  # no listing says a word that counts: every wish scores nothing
            matrix = sp.csr_matrix((len(documents), 0), dtype=np.float32)
        self.size = int(matrix.shape[0])
        self.columns: sp.csc_matrix = matrix.tocsc()
        self.columns.indices = self.columns.indices.astype(np.int32, copy=False)
        self.vocabulary: dict[str, int] = dict(getattr(vectorizer, "vocabulary_", {}))
        self.idf = np.asarray(getattr(vectorizer, "idf_", np.zeros(0)), dtype=np.float32)
        self._stems.clear()  # it served the build; wishes are read through `stem_of`, uncached
        self._column_names: list[str] | None = None
        self._last_row: tuple[int, npt.NDArray[np.int32], npt.NDArray[np.float32]] | None = None

    def analyse(self, text: str) -> list[str]:
        """The stems of a text that count: stop words and single letters left out.

        Each distinct word is stemmed once per build; the lookups run in one
        `map`, since at a million listings this loop is most of the build.
        """
        found = words(text)
        cache = self._stems
        try:
            return [s for s in map(cache.__getitem__, found) if s]
        except KeyError:
            for word in found:
                if word not in cache:
                    cache[word] = self.stem_of(word) or ""
            return [s for s in map(cache.__getitem__, found) if s]

    def terms(self, text: str) -> tuple[str, ...]:
        """The stems of a wish that some listing has, each once, in the wish's order."""
        stems = (self.stem_of(word) for word in words(text))
        return tuple(t for t in dict.fromkeys(stems) if t is not None and t in self.vocabulary)

    def scores(self, terms: Sequence[str], rows: npt.NDArray[np.intp]
               ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
        """(relevance, coverage) of `rows` for a wish's stems.

        Relevance is the TF-IDF dot product of each row with the wish (rows are
        unit length, so long descriptions do not win by length alone);
        coverage is the share of the wish's IDF weight a row holds at all, so
        a place that has every wished word ranks above one repeating one.
        """
        columns = [self.vocabulary[t] for t in terms if t in self.vocabulary]
        if not columns or not len(rows):
            zero = np.zeros(len(rows), dtype=np.float32)
            return zero, zero
        weight = self.idf[columns]
        weight = weight / float(np.linalg.norm(weight))
        postings = self.columns[:, columns]
        relevance = np.asarray(postings @ weight).ravel()[rows]
        present = postings.copy()
        present.data = np.ones_like(present.data)
        share = self.idf[columns] / float(self.idf[columns].sum())
        coverage = np.asarray(present @ share).ravel()[rows]
        return relevance, coverage

    def similarity(self, reference: int, rows: npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.float64]:
        """Cosine similarity of each of `rows` to the reference row's text (0 to 1).

        Rows are unit length, so the cosine is one sparse product: the
        postings of the reference's own words, summed over every row.
        """
        if not len(rows):
            return np.zeros(0, dtype=np.float64)
        columns, weights = self._row(reference)
        if not len(columns):
            return np.zeros(len(rows), dtype=np.float64)
        cosine = np.asarray(self.columns[:, columns] @ weights, dtype=np.float64).ravel()
        similar: npt.NDArray[np.float64] = np.clip(cosine[rows], 0.0, 1.0)
        return similar

    def share(self, term: str) -> float:
        """The share of texts that hold a stem (0 for one no text holds)."""
        column = self.vocabulary.get(term)
        if column is None or not self.size:
            return 0.0
        return float(self.columns.indptr[column + 1] - self.columns.indptr[column]) / self.size

    def shared(self, reference: int, row: int) -> tuple[str, ...]:
        """The stems both rows' texts hold, the rarest (most telling) first."""
        both = np.array([c for c in self._row(reference)[0] if self._holds(int(c), row)], dtype=np.intp)
        if not len(both):
            return ()
        names = self._names()
        order = both[np.argsort(-self.idf[both], kind="stable")]
        return tuple(names[int(k)] for k in order)

    def _row(self, row: int) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]:
        """(columns, weights) of one row's text; the last one asked is kept (a "more like" asks it per result).

        Reading a row out of a by-column matrix scans every posting, so it is
        done once per reference, not once per result explained.
        """
        if self._last_row is None or self._last_row[0] != row:
            found = self.columns.getrow(row)
            self._last_row = (row, found.indices.astype(np.int32), found.data.astype(np.float32))
        return self._last_row[1], self._last_row[2]

    def _holds(self, column: int, row: int) -> bool:
        start, end = self.columns.indptr[column], self.columns.indptr[column + 1]
        postings = self.columns.indices[start:end]
        at = int(np.searchsorted(postings, row))
        return at < len(postings) and int(postings[at]) == row

    def _names(self) -> list[str]:
        """Stem of each column (built on first use: only explanations of "more like this" ask)."""
        if self._column_names is None:
            names = [""] * len(self.vocabulary)
            for term, column in self.vocabulary.items():
                names[column] = term
            self._column_names = names
        return self._column_names

    def has(self, row: int, term: str) -> bool:
        """Whether a row's text holds a stem."""
        column = self.vocabulary.get(term)
        return column is not None and self._holds(column, row)

    @property
    def nbytes(self) -> int:
        """Memory held by the sparse matrix and the IDF weights (the vocabulary dict aside)."""
        m = self.columns
        return int(m.data.nbytes + m.indices.nbytes + m.indptr.nbytes + self.idf.nbytes)

    def quote(self, text: str, terms: Iterable[str]) -> Quote | None:
        """The shortest stretch of `text` holding every one of `terms` it holds, with a little context.

        A stretch longer than MAX_QUOTE_WORDS words is quoted as its clusters
        of matched words joined by "…", so the explanation stays a line.
        """
        wanted = set(terms)
        tokens = [(m.start(), m.end(), self.stem_of(m.group(0))) for m in _RAW_WORD.finditer(text)]
        hits = [k for k, (_, _, s) in enumerate(tokens) if s in wanted]
        if not hits:
            return None
        present = {tokens[k][2] for k in hits}
        first, last = _shortest_window(hits, [tokens[k][2] for k in hits], len(present))
        inside = [k for k in hits if first <= k <= last]
        if last - first + 1 <= MAX_QUOTE_WORDS:
            clusters = [(first, last)]
        else:
            clusters = _clusters(inside)
        pieces = [self._fragment(text, tokens, a, b) for a, b in clusters]
        fragment = " … ".join(pieces)
        start = tokens[_context_start(text, tokens, clusters[0][0])][0]
        end = tokens[_context_end(text, tokens, clusters[-1][1])][1]
        lead = "… " if text[:start].strip() else ""
        tail = " …" if text[end:].strip(" .!?\n") else ""
        seen = dict.fromkeys(text[tokens[k][0]:tokens[k][1]] for k in inside)
        return Quote(f"{lead}{fragment}{tail}", tuple(seen))

    def stem_of(self, raw: str) -> str | None:
        """The stem a word of a text is indexed under (None for a stop word or a single letter)."""
        word = plain(raw)
        if len(word) < MIN_WORD or word in self.stop_words:
            return None
        return stem(word)

    @staticmethod
    def _fragment(text: str, tokens: list[tuple[int, int, str | None]], first: int, last: int) -> str:
        start = tokens[_context_start(text, tokens, first)][0]
        end = tokens[_context_end(text, tokens, last)][1]
        return " ".join(text[start:end].split())


def _shortest_window(positions: list[int], stems: list[str | None], need: int) -> tuple[int, int]:
    """The shortest (first, last) token span whose hits hold `need` distinct stems (a sliding window)."""
    best = (positions[0], positions[-1])
    counts: dict[str | None, int] = {}
    left = 0
    for right, term in enumerate(stems):
        counts[term] = counts.get(term, 0) + 1
        while len(counts) == need:
            if positions[right] - positions[left] < best[1] - best[0]:
                best = (positions[left], positions[right])
            counts[stems[left]] -= 1
            if not counts[stems[left]]:
                del counts[stems[left]]
            left += 1
    return best


def _clusters(hits: list[int]) -> list[tuple[int, int]]:
    """Matched positions grouped where they lie close together, the first MAX_CLUSTERS of them."""
    groups = [[hits[0], hits[0]]]
    for k in hits[1:]:
        if k - groups[-1][1] <= CLUSTER_GAP:
            groups[-1][1] = k
        else:
            groups.append([k, k])
    return [(a, b) for a, b in groups[:MAX_CLUSTERS]]


def _context_start(text: str, tokens: list[tuple[int, int, str | None]], k: int) -> int:
    for _ in range(CONTEXT_WORDS):
        if k == 0 or _SENTENCE_END.search(text, tokens[k - 1][1], tokens[k][0]):
            break
        k -= 1
    return k


def _context_end(text: str, tokens: list[tuple[int, int, str | None]], k: int) -> int:
    for _ in range(CONTEXT_WORDS):
        if k == len(tokens) - 1 or _SENTENCE_END.search(text, tokens[k][1], tokens[k + 1][0]):
            break
        k += 1
    return k
