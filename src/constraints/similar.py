"""Content similarity between properties, for "more like this one" and near misses.

No ratings history is needed: two places are alike when they are in the same
or a similar place, cost about the same, are the same kind of property, sleep
about as many and share amenities (Jaccard over the amenity columns).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from .catalog import Catalog
from .masks import Similarity


def likeness_to(catalog: Catalog, similarity: Similarity, reference: int,
                rows: npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.float64]:
    """Similarity in [0, 1] of every row to the reference property."""
    place = similarity.location_row(catalog.places.destinations[catalog.loc[reference]].name, catalog.loc[rows])
    price = np.exp(-np.abs(np.log(catalog.price_base[rows] / catalog.price_base[reference])))
    kind = similarity.type_rows((catalog.type_ids[catalog.ptype[reference]],), catalog.ptype[rows])
    size = np.exp(-np.abs(catalog.accommodates[rows] - catalog.accommodates[reference]) / 2.0)
    mine = catalog.amen[:, reference]
    theirs = catalog.amen[:, rows]
    shared = (theirs & mine[:, None]).sum(axis=0)
    either = (theirs | mine[:, None]).sum(axis=0)
    amenities = np.where(either > 0, shared / np.maximum(either, 1), 1.0)
    likeness: npt.NDArray[np.float64] = 0.25 * place + 0.2 * price + 0.2 * kind + 0.1 * size + 0.25 * amenities
    return likeness
