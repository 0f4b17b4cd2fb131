"""Unreachable properties: the places no search can bring to the first page.

Property *p* is *dominated* by *q* when both are in the same destination,
have the same property type and room type, and *q*

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
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .analyze_counts import destination_names, destination_sizes, per_destination
from .catalog import Catalog

DEFAULT_K = 3
CHUNK_PAIRS = 4_000_000  # pairs compared at once in the dominance test (bounds memory)


def pack_amenities(amen: npt.NDArray[np.bool_]) -> npt.NDArray[np.uint64]:
    """(amenities x rows) booleans -> (rows x words) uint64; bit a%64 of word a//64 is amenity a."""
    n_amenities, n_rows = amen.shape
    words = max(1, -(-n_amenities // 64))
    bits = np.zeros((n_rows, words * 64), dtype=bool)
    bits[:, :n_amenities] = amen.T
    return np.ascontiguousarray(np.packbits(bits, axis=1, bitorder="little")).view(np.uint64)


def _dominators_within(acc: npt.NDArray[np.integer[Any]], price: npt.NDArray[np.floating[Any]],
                       score: npt.NDArray[np.floating[Any]], order: npt.NDArray[np.integer[Any]],
                       bits: npt.NDArray[np.uint64], chunk_pairs: int) -> npt.NDArray[np.int64]:
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


def dominator_counts(catalog: Catalog, chunk_pairs: int = CHUNK_PAIRS) -> npt.NDArray[np.int64]:
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
    counts: npt.NDArray[np.int64]  # per row

    @property
    def mask(self) -> npt.NDArray[np.bool_]:
        return self.counts >= self.k

    def rows(self, scope: slice | None = None) -> npt.NDArray[np.intp]:
        """Unreachable rows, most dominated first (catalog order among equals)."""
        rows = np.flatnonzero(self.mask)
        if scope is not None:
            rows = rows[(rows >= scope.start) & (rows < scope.stop)]
        ordered: npt.NDArray[np.intp] = rows[np.lexsort((rows, -self.counts[rows]))]
        return ordered

    def by_destination(self, catalog: Catalog) -> dict[str, dict[str, int]]:
        per = per_destination(catalog, self.mask[None, :])[0]
        sizes = destination_sizes(catalog)
        return {name: {"unreachable": int(per[c]), "properties": int(sizes[c])}
                for c, name in enumerate(destination_names(catalog)) if sizes[c]}


def unreachable(catalog: Catalog, k: int = DEFAULT_K, chunk_pairs: int = CHUNK_PAIRS) -> Unreachable:
    """The dominator count of every row, and k (see the module docstring)."""
    return Unreachable(k, dominator_counts(catalog, chunk_pairs))
