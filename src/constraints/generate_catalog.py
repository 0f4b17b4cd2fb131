"""A synthetic catalog of vacation rentals, generated from the knowledge base.

The recommender needs a catalog that behaves like real listings: prices follow
the place, the size and the amenities; amenities come in believable bundles
(a villa in Bali has a pool, a studio in Paris almost never does); some
combinations are rare so that searches can fail and relaxation has work to do.
It must also exist at any size, from a few thousand rows for the chat to a
million for load tests, and be reproducible from a seed.

Everything place-, type- or amenity-specific comes from the knowledge files
(`generator` blocks, `prevalence`, `price_effect`, `correlated`), so a domain
expert changes the catalog by editing YAML; the code only holds the shape of
the distributions. All numeric work is vectorised over rows.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import yaml

COLUMNS = [
    "id", "title", "description", "location", "neighbourhood", "latitude", "longitude",
    "property_type", "room_type", "accommodates", "bedrooms", "beds", "bathrooms",
    "price_per_night", "currency", "min_nights", "amenities", "rating", "review_count",
    "max_nights",
]
DEFAULT_KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"

CURRENCY = "EUR"
BASE_PRICE = 70.0            # a two-guest apartment at price level 1.0, before amenities
CAPACITY_EXPONENT = 0.6      # a place for 8 costs about 2.3x a place for 2, not 4x
PRICE_NOISE_SIGMA = 0.25
QUALITY_PRICE_EFFECT = 0.08  # better-rated places charge a little more
EVEN_SPREAD = 0.5            # share of rows spread evenly so small places stay searchable
JITTER_KM = (0.3, 1.2)       # properties lie this far from their neighbourhood's centre
HIGHLIGHT_MIN_EFFECT = 0.05  # amenities that raise the price this much are worth a title
MAX_PROBABILITY = 0.99

# one column per attribute, one row per property (or per destination, type, amenity...)
Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int_]
Bools = npt.NDArray[np.bool_]
Texts = npt.NDArray[np.object_]

ADJECTIVES = np.array([
    "Sunny", "Cosy", "Bright", "Charming", "Stylish", "Spacious", "Modern", "Quiet",
    "Elegant", "Light-filled", "Renovated", "Airy", "Peaceful", "Characterful", "Lovely",
    "Design", "Classic", "Welcoming",
], dtype=object)


@dataclass(frozen=True)
class _Tables:
    """The knowledge files flattened into arrays indexed by position."""

    destinations: list[str]
    dest_share: Floats
    dest_price: Floats
    type_cum: Floats                # destinations x types, cumulative type_mix
    dest_bias: Floats               # destinations x amenities
    nbh_offset: Ints                # first neighbourhood of each destination
    nbh_count: Ints
    nbh_name: Texts
    nbh_lat: Floats
    nbh_lon: Floats
    nbh_price: Floats
    types: list[str]
    type_label: Texts
    room_like: Bools                # bool: the type is itself a room ("Hotel room")
    acc_range: Ints                 # types x 2
    bed_range: Ints                 # types x 2
    type_price: Floats
    room_cum: Floats                # types x room types, cumulative room_mix
    type_bias: Floats               # types x amenities
    rooms: list[str]
    room_price: Floats
    amenities: list[str]
    amenity_label: Texts
    prevalence: Floats
    price_effect: Floats
    describable: Bools              # bool: distinctive enough to name in a description
    view_like: Bools                # bool: reads as an adjective ("Sea view villa")
    correlated: list[tuple[int, int, float]]   # (earlier, later, lift) in file order
    long_stay: int | None           # column of the amenity implied by a 28+ night minimum


def read_yaml(directory: Path, name: str) -> Any:
    """One knowledge file, parsed with libyaml when it is there (ten times faster)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with (directory / name).open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)  # noqa: S506 - a SafeLoader


def _cumulative(rows: Sequence[dict[str, float] | None], columns: list[str], default: str | None) -> Floats:
    matrix = np.zeros((len(rows), len(columns)))
    position = {c: i for i, c in enumerate(columns)}
    for r, mix in enumerate(rows):
        mix = mix or ({default: 1.0} if default else {})
        for key, weight in mix.items():
            matrix[r, position[key]] = float(weight)
    totals = matrix.sum(axis=1, keepdims=True)
    if np.any(totals == 0):
        raise ValueError("every type_mix and room_mix needs a positive weight")
    return np.cumsum(matrix / totals, axis=1)


def _bias(rows: Sequence[dict[str, float] | None], amenities: list[str]) -> Floats:
    position = {a: i for i, a in enumerate(amenities)}
    matrix = np.ones((len(rows), len(amenities)))
    for r, bias in enumerate(rows):
        for key, factor in (bias or {}).items():
            matrix[r, position[key]] = float(factor)
    return matrix


def load_tables(knowledge_dir: Path) -> _Tables:
    """Read the three knowledge files the generator needs into flat arrays."""
    locations = read_yaml(knowledge_dir, "locations.yml")["destinations"]
    amenity_file = read_yaml(knowledge_dir, "amenities.yml")
    type_file = read_yaml(knowledge_dir, "property_types.yml")

    amenity_rows = amenity_file["amenities"]
    amenities = [a["id"] for a in amenity_rows]
    amenity_index = {a: i for i, a in enumerate(amenities)}
    types = [t["id"] for t in type_file["property_types"]]
    rooms = [r["id"] for r in type_file["room_types"]]
    type_gen = [t.get("generator") or {} for t in type_file["property_types"]]
    dest_gen = [d.get("generator") or {} for d in locations]

    neighbourhoods = [n for d in locations for n in d["neighbourhoods"]]
    counts = np.array([len(d["neighbourhoods"]) for d in locations])

    correlated = []
    for a, b, lift in amenity_file.get("correlated") or []:
        first, second = sorted((amenity_index[a], amenity_index[b]))
        correlated.append((first, second, float(lift)))
    correlated.sort(key=lambda pair: pair[1])

    groups = [set(a.get("groups") or []) for a in amenity_rows]
    return _Tables(
        destinations=[d["name"] for d in locations],
        dest_share=np.array([float(g.get("share", 1.0)) for g in dest_gen]),
        dest_price=np.array([float(g.get("price_level", 1.0)) for g in dest_gen]),
        type_cum=_cumulative([g.get("type_mix") or {t: 1.0 for t in types} for g in dest_gen], types, None),
        dest_bias=_bias([g.get("amenity_bias") for g in dest_gen], amenities),
        nbh_offset=np.concatenate([[0], np.cumsum(counts)[:-1]]),
        nbh_count=counts,
        nbh_name=np.array([n["name"] for n in neighbourhoods], dtype=object),
        nbh_lat=np.array([float(n["latitude"]) for n in neighbourhoods]),
        nbh_lon=np.array([float(n["longitude"]) for n in neighbourhoods]),
        nbh_price=np.array([float(n.get("price_level", 1.0)) for n in neighbourhoods]),
        types=types,
        type_label=np.array([t["label"] for t in type_file["property_types"]], dtype=object),
        room_like=np.array([t["label"].lower().endswith("room") for t in type_file["property_types"]]),
        acc_range=np.array([g.get("accommodates", [2, 4]) for g in type_gen], dtype=int),
        bed_range=np.array([g.get("bedrooms", [1, 2]) for g in type_gen], dtype=int),
        type_price=np.array([float(g.get("price_factor", 1.0)) for g in type_gen]),
        room_cum=_cumulative([g.get("room_mix") for g in type_gen], rooms, rooms[0]),
        type_bias=_bias([g.get("amenity_bias") for g in type_gen], amenities),
        rooms=rooms,
        room_price=np.array([float((r.get("generator") or {}).get("price_factor", 1.0))
                             for r in type_file["room_types"]]),
        amenities=amenities,
        amenity_label=np.array([a["label"] for a in amenity_rows], dtype=object),
        prevalence=np.array([float(a.get("prevalence", 0.1)) for a in amenity_rows]),
        price_effect=np.array([float(a.get("price_effect", 0.0)) for a in amenity_rows]),
        describable=np.array([not g & {"essentials", "safety", "policies"} and float(a.get("prevalence", 0.1)) < 0.5
                              for g, a in zip(groups, amenity_rows, strict=True)]),
        view_like=np.array(["views" in g for g in groups]),
        correlated=correlated,
        long_stay=amenity_index.get("long_term_stays_allowed"),
    )


def _quotas(shares: Floats, size: int) -> Ints:
    """Rows per destination: half spread evenly, half by share (largest remainder)."""
    weights = EVEN_SPREAD / len(shares) + (1 - EVEN_SPREAD) * shares / shares.sum()
    exact = weights * size
    counts: Ints = np.floor(exact).astype(int)
    remainder = size - counts.sum()
    counts[np.argsort(-(exact - counts), kind="stable")[:remainder]] += 1
    return counts


def _pick(cumulative: Floats, u: Floats) -> Ints:
    """Categorical draw per row, each row with its own cumulative distribution."""
    scaled = u * cumulative[:, -1]
    picked: Ints = np.minimum((cumulative < scaled[:, None]).sum(axis=1), cumulative.shape[1] - 1)
    return picked


def _draw_amenities(t: _Tables, dest: Ints, ptype: Ints, rng: np.random.Generator) -> Bools:
    """Amenities in file order; each correlated pair conditions the later one on the earlier.

    For a pair with lift L and the earlier amenity drawn with probability p, the
    later one's probability is multiplied by L where the earlier is present and
    by (1 - pL) / (1 - p) where it is absent, which keeps its overall share.
    """
    n, k = len(dest), len(t.amenities)
    present = np.zeros((n, k), dtype=bool)
    partners: dict[int, list[tuple[int, float]]] = {}
    for first, second, lift in t.correlated:
        partners.setdefault(second, []).append((first, lift))
    needed = {first for first, _, _ in t.correlated}
    drawn_with: dict[int, Floats] = {}
    for j in range(k):
        base = np.minimum(t.prevalence[j] * t.dest_bias[dest, j] * t.type_bias[ptype, j], MAX_PROBABILITY)
        p = base.copy()
        for first, lift in partners.get(j, []):
            p_first = drawn_with[first]
            lift_row = np.minimum(lift, MAX_PROBABILITY / np.maximum(p_first, 1e-9))
            absent = np.clip((1 - p_first * lift_row) / np.maximum(1 - p_first, 1e-9), 0.05, None)
            p *= np.where(present[:, first], lift_row, absent)
        present[:, j] = rng.random(n) < np.minimum(p, MAX_PROBABILITY)
        if j in needed:
            drawn_with[j] = base
    return present


def _join_ids(present: Bools, ids: list[str]) -> Texts:
    """`;`-joined ids per row, via 8-column lookup tables instead of a per-row join."""
    n, k = present.shape
    out = np.full(n, "", dtype=object)
    for start in range(0, k, 8):
        chunk = ids[start:start + 8]
        table = np.array(["".join(f"{chunk[b]};" for b in range(len(chunk)) if code >> b & 1)
                          for code in range(1 << len(chunk))], dtype=object)
        weights = (1 << np.arange(len(chunk))).astype(np.int64)
        out = out + table[present[:, start:start + len(chunk)].astype(np.int64) @ weights]
    return np.array([s[:-1] for s in out], dtype=object)


def _in_sentence(labels: Iterable[str]) -> Texts:
    """Labels as they read mid-sentence: "Hot tub" -> "hot tub", but "BBQ grill" and "TV" stay."""
    return np.array([" ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in label.split(" "))
                     for label in labels], dtype=object)


def _with_article(words: Iterable[str]) -> Texts:
    return np.array([("an " if w[:1].lower() in "aeiou" else "a ") + w for w in words], dtype=object)


def _numbers(values: npt.NDArray[np.integer[Any]]) -> Texts:
    """Integers as strings through a lookup table (cheaper than str() per row)."""
    values = np.asarray(values, dtype=int)
    table = np.array([str(i) for i in range(int(values.max(initial=0)) + 1)], dtype=object)
    texts: Texts = table[values]
    return texts


def _plural(count: npt.NDArray[np.integer[Any]], word: str) -> Texts:
    texts: Texts = _numbers(count) + np.where(count == 1, f" {word}", f" {word}s").astype(object)
    return texts


def _sizes(t: _Tables, ptype: Ints, room: Ints, rng: np.random.Generator) -> tuple[Ints, Ints, Ints, Floats]:
    """Bedrooms, guests, beds and bathrooms that agree with each other and the type."""
    n = len(ptype)
    lo, hi = t.bed_range[ptype, 0], t.bed_range[ptype, 1]
    bedrooms = lo + np.floor((hi - lo + 1) * rng.random(n) ** 1.8).astype(int)
    bedrooms = np.minimum(bedrooms, hi)
    spread = rng.choice([-1, 0, 0, 0, 1, 2], size=n)
    guests = np.clip(2 * np.maximum(bedrooms, 1) + spread, t.acc_range[ptype, 0], t.acc_range[ptype, 1])
    beds = np.maximum.reduce([bedrooms, np.ones(n, dtype=int), (guests + 1) // 2 - (rng.random(n) < 0.5)])
    beds = np.maximum(beds, np.ceil((guests - 1) / 2).astype(int))
    top = np.maximum(1, np.ceil(bedrooms / 1.5).astype(int))
    bathrooms = (1 + np.floor(rng.random(n) * top)).astype(float)
    bathrooms += np.where((bedrooms >= 2) & (rng.random(n) < 0.12), 0.5, 0.0)

    whole = room == 0
    room_guests = np.minimum(rng.choice([1, 2, 2, 2, 2, 3], size=n), t.acc_range[ptype, 1])
    shared = room == 2
    room_guests[shared] = 1
    bedrooms = np.where(whole, bedrooms, 1)
    guests = np.where(whole, guests, room_guests)
    beds = np.where(whole, beds, np.maximum(1, (room_guests + 1) // 2))
    bathrooms = np.where(whole, bathrooms, 1.0)
    return bedrooms, guests, beds, bathrooms


def _stay_limits(n: int, rng: np.random.Generator) -> tuple[Ints, Ints]:
    """Minimum nights (mostly 1-3, some a week, a few monthly) and maximum nights."""
    band = rng.random(n)
    short = rng.choice([1, 2, 3], size=n, p=[0.3, 0.4, 0.3])
    week = rng.choice([5, 6, 7], size=n, p=[0.3, 0.2, 0.5])
    month = rng.choice([28, 30, 60, 90], size=n, p=[0.4, 0.4, 0.1, 0.1])
    min_nights = np.where(band < 0.85, short, np.where(band < 0.95, week, month))
    max_nights = rng.choice([1125, 365, 180, 90, 30, 28, 21, 14], size=n,
                            p=[0.55, 0.28, 0.03, 0.02, 0.04, 0.03, 0.03, 0.02])
    max_nights = np.where(min_nights >= 28, np.where(max_nights < 365, 365, max_nights), max_nights)
    return min_nights, np.maximum(max_nights, min_nights)


def _reviews(quality: Floats, rng: np.random.Generator) -> tuple[Floats, Ints]:
    """Heavy-tailed review counts; ratings skewed high, noisier when reviews are few.

    A rating is an average of whole stars, so with few reviews it takes few
    values (one review: 1, 2, 3, 4 or 5).
    """
    n = len(quality)
    counts = np.rint(np.exp(rng.normal(np.log(28) + 0.25 * quality, 1.25))).astype(int)
    counts = np.clip(counts, 1, 2500)
    counts[rng.random(n) < 0.15] = 0
    deficit = np.exp(rng.normal(np.log(0.22) - 0.35 * quality, 0.6))
    raw = 5 - deficit + rng.normal(0, 0.6, n) / np.sqrt(np.maximum(counts, 1))
    raw = np.clip(raw, 1, 5)
    few = counts <= 10
    stars = np.where(few, np.rint(raw * np.maximum(counts, 1)) / np.maximum(counts, 1), raw)
    rating = np.where(counts > 0, np.round(np.clip(stars, 1, 5), 2), np.nan)
    return rating, counts


def _titles(t: _Tables, ptype: Ints, room: Ints, bedrooms: Ints, guests: Ints,
            nbh: Ints, dest: Ints, present: Bools, rng: np.random.Generator) -> Texts:
    n = len(ptype)
    lower = _in_sentence(t.type_label)[ptype]
    adjective = ADJECTIVES[rng.integers(0, len(ADJECTIVES), n)]
    adjective = np.where((guests >= 6) & (rng.random(n) < 0.3), "Family", adjective)
    size = np.where((bedrooms >= 1) & (room == 0) & (rng.random(n) < 0.5),
                    _numbers(bedrooms) + "-bedroom ", "").astype(object)

    pricey = np.flatnonzero(t.price_effect >= HIGHLIGHT_MIN_EFFECT)
    effect = np.where(present[:, pricey], t.price_effect[pricey][None, :], 0.0)
    best = pricey[effect.argmax(axis=1)] if len(pricey) else np.zeros(n, dtype=int)
    has_highlight = (effect.max(axis=1, initial=0.0) > 0) & (rng.random(n) < 0.75)
    view_first = has_highlight & t.view_like[best]
    with_clause = has_highlight & ~t.view_like[best]
    feature = _in_sentence(t.amenity_label)[best]

    where = t.nbh_name[nbh]
    style = rng.random(n)
    place = np.where(style < 0.6, " in " + where, np.where(style < 0.8, " near " + where, ", " + where))
    place = np.where(rng.random(n) < 0.1, place + ", " + np.array(t.destinations, dtype=object)[dest], place)

    head = np.where(view_first, t.amenity_label[best] + " " + size + lower, adjective + " " + size + lower)
    entire = head + np.where(with_clause, " with " + feature, "") + place
    in_a = np.where(view_first, feature, _in_sentence(ADJECTIVES)[rng.integers(0, len(ADJECTIVES), n)]) + " " + lower
    private = np.where(t.room_like[ptype], entire, "Private room in " + in_a + place)
    shared = "Shared room in " + lower + place
    return np.where(room == 0, entire, np.where(room == 1, private, shared))


def _descriptions(t: _Tables, ptype: Ints, room: Ints, bedrooms: Ints, guests: Ints,
                  beds: Ints, bathrooms: Floats, nbh: Ints, dest: Ints,
                  present: Bools, rng: np.random.Generator) -> Texts:
    n = len(ptype)
    room_label = np.array(["", "Private room in ", "Shared room in "], dtype=object)[np.minimum(room, 2)]
    kind = np.where((room == 0) | t.room_like[ptype], t.type_label[ptype],
                    room_label + _with_article(_in_sentence(t.type_label))[ptype])
    where = t.nbh_name[nbh] + ", " + np.array(t.destinations, dtype=object)[dest]
    rooms = np.where(bedrooms == 0, "Studio", _plural(bedrooms, "bedroom"))
    distinct_baths = np.unique(bathrooms)
    baths = np.array([f"{b:g}" for b in distinct_baths], dtype=object)[np.searchsorted(distinct_baths, bathrooms)]
    baths = baths + np.where(bathrooms == 1, " bathroom", " bathrooms")
    text = (kind + " for " + _plural(guests, "guest") + " in " + where + ". "
            + rooms + " · " + _plural(beds, "bed") + " · " + baths + ".")

    columns = np.flatnonzero(t.describable)
    jitter = rng.random((n, len(columns)), dtype=np.float32)
    score = np.where(present[:, columns], jitter + np.float32(4) * t.price_effect[columns].astype(np.float32), -1)
    top = np.argpartition(-score, 2, axis=1)[:, :3]
    top = np.take_along_axis(top, np.argsort(-np.take_along_axis(score, top, axis=1), axis=1), axis=1)
    shown = np.take_along_axis(score, top, axis=1) >= 0
    labels = _in_sentence(t.amenity_label[columns])[top]
    one, two, three = labels[:, 0], labels[:, 1], labels[:, 2]
    listed = np.where(shown[:, 2], one + ", " + two + " and " + three,
                      np.where(shown[:, 1], one + " and " + two, one))
    opener = np.array([" Guests love the ", " Highlights: "], dtype=object)[rng.integers(0, 2, n)]
    return np.where(shown[:, 0], text + opener + listed + ".", text)


def generate_catalog(knowledge_dir: Path, size: int, seed: int) -> pd.DataFrame:
    """A catalog of `size` properties, identical for the same knowledge and seed."""
    if size < 1:
        raise ValueError("size must be at least 1")
    t = load_tables(Path(knowledge_dir))
    rng = np.random.default_rng(seed)

    dest = rng.permutation(np.repeat(np.arange(len(t.destinations)), _quotas(t.dest_share, size)))
    nbh = t.nbh_offset[dest] + np.minimum((rng.random(size) * t.nbh_count[dest]).astype(int), t.nbh_count[dest] - 1)
    distance = np.sqrt(rng.uniform(JITTER_KM[0] ** 2, JITTER_KM[1] ** 2, size))
    angle = rng.uniform(0, 2 * np.pi, size)
    latitude = t.nbh_lat[nbh] + distance * np.cos(angle) / 110.574
    longitude = t.nbh_lon[nbh] + distance * np.sin(angle) / (111.320 * np.cos(np.radians(t.nbh_lat[nbh])))

    ptype = _pick(t.type_cum[dest], rng.random(size))
    room = _pick(t.room_cum[ptype], rng.random(size))
    bedrooms, guests, beds, bathrooms = _sizes(t, ptype, room, rng)
    present = _draw_amenities(t, dest, ptype, rng)
    min_nights, max_nights = _stay_limits(size, rng)
    if t.long_stay is not None:
        present[min_nights >= 28, t.long_stay] = True
    quality = rng.normal(0, 1, size)
    rating, review_count = _reviews(quality, rng)

    amenity_factor = np.exp(present @ np.log1p(t.price_effect))
    price = (BASE_PRICE * t.dest_price[dest] * t.nbh_price[nbh] * t.type_price[ptype] * t.room_price[room]
             * (np.maximum(guests, 1) / 2) ** CAPACITY_EXPONENT * amenity_factor
             * np.exp(QUALITY_PRICE_EFFECT * quality + rng.normal(0, PRICE_NOISE_SIGMA, size)))
    price = np.maximum(np.rint(price), 10).astype(int)

    width = max(6, len(str(size)))
    frame = pd.DataFrame({
        "id": [f"p{i:0{width}d}" for i in range(1, size + 1)],
        "title": _titles(t, ptype, room, bedrooms, guests, nbh, dest, present, rng),
        "description": _descriptions(t, ptype, room, bedrooms, guests, beds, bathrooms, nbh, dest, present, rng),
        "location": np.array(t.destinations, dtype=object)[dest],
        "neighbourhood": t.nbh_name[nbh],
        "latitude": np.round(latitude, 5),
        "longitude": np.round(longitude, 5),
        "property_type": np.array(t.types, dtype=object)[ptype],
        "room_type": np.array(t.rooms, dtype=object)[room],
        "accommodates": guests,
        "bedrooms": bedrooms,
        "beds": beds,
        "bathrooms": bathrooms,
        "price_per_night": price,
        "currency": CURRENCY,
        "min_nights": min_nights,
        "amenities": _join_ids(present, t.amenities),
        "rating": rating,
        "review_count": review_count,
        "max_nights": max_nights,
    })
    return frame[COLUMNS]


def write_catalog(frame: pd.DataFrame, path: Path) -> None:
    """CSV, gzip-compressed when the name ends in .gz; an empty rating stays empty."""
    frame.to_csv(path, index=False, compression="infer")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a synthetic property catalog from the knowledge base.")
    parser.add_argument("--size", type=int, default=2400, help="number of properties")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--knowledge", type=Path, default=DEFAULT_KNOWLEDGE, help="knowledge directory")
    parser.add_argument("-o", "--output", type=Path, required=True, help="CSV file (.csv or .csv.gz)")
    args = parser.parse_args(argv)
    frame = generate_catalog(args.knowledge, args.size, args.seed)
    write_catalog(frame, args.output)
    print(f"wrote {len(frame)} properties to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
