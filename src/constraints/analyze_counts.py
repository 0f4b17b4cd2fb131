"""Counts of catalog rows per destination, for every table of `stays analyze`.

The catalog keeps each destination's rows contiguous (`Catalog.loc_slices`),
so a sum over a destination is one `np.add.reduceat` over all of them at once:
no Python loop ever runs over rows.
"""
from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .catalog import Catalog


def destination_names(catalog: Catalog) -> list[str]:
    """The destinations in code order (the columns of every per-destination table)."""
    return [d.name for d in catalog.places.destinations]


def destination_sizes(catalog: Catalog) -> npt.NDArray[np.int64]:
    """Properties per destination, in code order."""
    return np.array([s.stop - s.start for s in catalog.loc_slices], dtype=np.int64)


def _starts(catalog: Catalog) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Codes of the destinations that have rows, and where their rows start."""
    codes = np.array([c for c, s in enumerate(catalog.loc_slices) if s.stop > s.start], dtype=np.int64)
    starts = np.array([catalog.loc_slices[c].start for c in codes], dtype=np.int64)
    return codes, starts


def per_destination(catalog: Catalog, matrix: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    """Row sums of a (things x rows) boolean matrix within each destination: (things x destinations)."""
    out = np.zeros((matrix.shape[0], len(catalog.loc_slices)), dtype=np.int64)
    codes, starts = _starts(catalog)
    if len(codes) and matrix.shape[0]:
        out[:, codes] = np.add.reduceat(matrix, starts, axis=1, dtype=np.int64)
    return out


def amenity_counts(catalog: Catalog) -> npt.NDArray[np.int64]:
    """Properties with each amenity, per destination: (amenities x destinations)."""
    return per_destination(catalog, catalog.amen)


def type_counts(catalog: Catalog) -> npt.NDArray[np.int64]:
    """Properties of each property type, per destination: (types x destinations)."""
    n_types, n_places = len(catalog.type_ids), len(catalog.loc_slices)
    flat = np.bincount(catalog.loc.astype(np.int64) * n_types + catalog.ptype, minlength=n_places * n_types)
    return flat.reshape(n_places, n_types).T.astype(np.int64)
