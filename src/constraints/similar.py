"""Content similarity between properties, for "more like this one" and near misses.

No ratings history is needed: two places are alike when they are in the same
or a similar place, cost about the same, are the same kind of property, sleep
about as many, share amenities (Jaccard over the amenity columns) and say
the same things about themselves (the cosine of their TF-IDF rows in the
text index, so "quiet", "hot tub" or "Alfama" in both descriptions count).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from .catalog import Catalog
from .masks import Similarity
from .text_index import TextIndex, words

# what makes two places alike, summing to 1
WEIGHTS = {"place": 0.2, "price": 0.2, "kind": 0.15, "size": 0.1, "amenities": 0.2, "description": 0.15}
SHARED_WORDS = 3  # words named in the explanation of a place found "more like" another
MOST_SAY = 0.5  # a word more than this share of listings say ("bedroom") is no likeness worth naming


def likeness_to(catalog: Catalog, similarity: Similarity, reference: int,
                rows: npt.NDArray[np.integer[Any]], text: TextIndex) -> npt.NDArray[np.float64]:
    """Similarity in [0, 1] of every row to the reference property (a weighted sum of WEIGHTS' parts)."""
    place = similarity.location_row(catalog.places.destinations[catalog.loc[reference]].name, catalog.loc[rows])
    price = np.exp(-np.abs(np.log(catalog.price_base[rows] / catalog.price_base[reference])))
    kind = similarity.type_rows((catalog.type_ids[catalog.ptype[reference]],), catalog.ptype[rows])
    size = np.exp(-np.abs(catalog.accommodates[rows] - catalog.accommodates[reference]) / 2.0)
    mine = catalog.amen[:, reference]
    theirs = catalog.amen[:, rows]
    shared = (theirs & mine[:, None]).sum(axis=0)
    either = (theirs | mine[:, None]).sum(axis=0)
    amenities = np.where(either > 0, shared / np.maximum(either, 1), 1.0)
    description = text.similarity(reference, rows)
    parts = {"place": place, "price": price, "kind": kind, "size": size, "amenities": amenities,
             "description": description}
    likeness = np.zeros(len(rows), dtype=np.float64)
    for name, value in parts.items():
        likeness += WEIGHTS[name] * np.asarray(value, dtype=np.float64)
    return likeness


def said_alike(catalog: Catalog, text: TextIndex, reference: int, row: int,
               kinds: frozenset[str] = frozenset()) -> str | None:
    """'Like “Cosy guesthouse in Baixa”, it says cosy, bathtub, balcony': the words both texts hold.

    The rarest shared words name what makes the two alike in their own
    words, in the order the listing says them. Words most listings say are no likeness; the names of their place
    and the stems in `kinds` (the names of kinds of stay: "apartment",
    "private room") are likenesses counted apart, so they are left out.
    """
    names = catalog.text
    place = {text.stem_of(w) for column in ("location", "neighbourhood") for w in words(str(names[column][row]))}
    shared = [s for s in text.shared(reference, row)
              if s not in place and s not in kinds and text.share(s) <= MOST_SAY][:SHARED_WORDS]
    if not shared:
        return None
    own = f"{names['title'][row]}. {names['description'][row]}"
    wanted = set(shared)
    said = list(dict.fromkeys(w for w in words(own) if text.stem_of(w) in wanted))  # as the listing says them
    if not said:
        return None
    return f"Like “{names['title'][reference]}”, it says {', '.join(said)}"
