"""Turning what people type into the knowledge base's canonical values.

"Lisbn", "lisboa", "LISBON" and "Lisbon, Portugal" must all become Lisbon;
"wi-fi" must become wifi. Exact matches on folded names and aliases come
first; a close typo is corrected and flagged so the chat can say "Lisbon, I
assume"; anything else raises UnknownValueError carrying "did you mean"
suggestions. Free text can also be scanned for every known name it mentions.

A place the catalog does not hold ("Nairobi", "Toronto, Ontario") is read
through the gazetteer into an UnknownPlace, so the engine can offer the
destinations nearest to it instead of a list of names.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from .errors import UnknownValueError
from .gazetteer import Area, GeoPlace, gazetteer, splits
from .knowledge import DEFAULT_DIRECTORY, Knowledge
from .phrases import PHRASES_DIRECTORY, load_phrases
from .places import Places, UnknownPlace
from .text import fold

# Below this similarity (0-100, rapidfuzz ratio) a typo is not corrected silently but asked about
# ("Paros" is not quietly Paris): engine.yml `reading: autocorrect_min` overrides it.
AUTOCORRECT_MIN = 82.0
# A town the gazetteer names exactly loses to a close typo of a destination when it is
# smaller than this: "Sidney" (Ohio, 20,000 people) is Sydney misspelt; "Prato" is Prato.
TRUSTED_POPULATION = 100_000


@dataclass(frozen=True)
class Resolved:
    """A canonical value and how it was reached from the text."""

    kind: str
    text: str
    value: str
    label: str
    corrected: bool = False
    parent: str | None = None  # a neighbourhood's destination

    @property
    def elsewhere(self) -> UnknownPlace | None:
        """The place on earth, when the catalog holds no stays there (then `value` is it too)."""
        return self.value if isinstance(self.value, UnknownPlace) else None


@dataclass(frozen=True)
class Mention:
    """A known name found inside a longer message."""

    value: str
    start: int  # token positions in the folded message
    end: int
    matched: str
    corrected: bool


def common_words_of(knowledge: Knowledge) -> frozenset[str]:
    """The stop-list of phrases/common_words.yml (the shipped one for a knowledge base without phrases)."""
    directory = knowledge.directory if (knowledge.directory / PHRASES_DIRECTORY).is_dir() else DEFAULT_DIRECTORY
    return frozenset(load_phrases(directory).words("common_words", "words"))


class Vocabulary:
    """The names and aliases of one kind of thing, folded, mapped to canonical ids."""

    def __init__(self, kind: str, names: Mapping[str, Iterable[str]], labels: Mapping[str, str],
                 common_words: frozenset[str] = frozenset(), correct_min: float = AUTOCORRECT_MIN) -> None:
        self.kind = kind
        self.common_words = common_words  # ordinary English: never a typo of a name
        self.correct_min = correct_min
        self.labels = dict(labels)
        self.index: dict[str, str] = {}
        for canonical, aliases in names.items():
            for alias in (canonical, *aliases):
                key = fold(alias)
                if key:
                    self.index.setdefault(key, canonical)
        self._keys = list(self.index)
        self.max_words = max((len(k.split()) for k in self._keys), default=1)

    def __contains__(self, canonical: str) -> bool:
        return canonical in self.labels

    def resolve(self, text: str) -> Resolved:
        """Exact, else a confident typo correction, else UnknownValueError."""
        key = fold(text)
        if key in self.index:
            value = self.index[key]
            return Resolved(self.kind, text, value, self.labels[value])
        corrected = self.correct(text)
        if corrected is not None:
            return corrected
        raise UnknownValueError(self.kind, text, self.suggestions(text))

    def correct(self, text: str) -> Resolved | None:
        """A confident typo correction of `text`, or None."""
        corrected = self._correct(fold(text))
        if corrected is None:
            return None
        return Resolved(self.kind, text, corrected, self.labels[corrected], corrected=True)

    def _correct(self, key: str) -> str | None:
        if len(key) < 4:
            return None
        if key in self.common_words:
            return None
        top = process.extract(key, self._keys, scorer=fuzz.ratio, limit=5, score_cutoff=self.correct_min)
        if not top:
            return None
        best_value = self.index[top[0][0]]
        rivals = [score for name, score, _ in top[1:] if self.index[name] != best_value]
        if rivals and top[0][1] - rivals[0] < 4:
            return None  # two different things are equally close: ask instead
        return best_value

    def suggestions(self, text: str, limit: int = 3) -> list[str]:
        key = fold(text)
        if not key:
            return []
        found: list[str] = []
        # plain edit similarity: WRatio's partial matching makes "Madrid" look like "Rio de Janeiro"
        for name, _, _ in process.extract(key, self._keys, scorer=fuzz.ratio, limit=20, score_cutoff=65):
            label = self.labels[self.index[name]]
            if label not in found:
                found.append(label)
            if len(found) == limit:
                break
        return found

    def find_in(self, text: str, fuzzy: bool = False) -> list[Mention]:
        """Every known name in a message, longest first, without overlaps."""
        tokens = fold(text).split()
        taken = [False] * len(tokens)
        mentions: list[Mention] = []
        for size in range(min(self.max_words, len(tokens)), 0, -1):
            for start in range(len(tokens) - size + 1):
                if any(taken[start:start + size]):
                    continue
                phrase = " ".join(tokens[start:start + size])
                value = self.index.get(phrase)
                corrected = False
                if value is None and fuzzy and size == 1 and len(phrase) >= 5 and phrase not in self.common_words:
                    hit = process.extractOne(phrase, self._keys, scorer=fuzz.ratio,
                                             score_cutoff=max(self.correct_min, 86.0))
                    if hit is not None:
                        value, corrected = self.index[hit[0]], True
                if value is None:
                    continue
                taken[start:start + size] = [True] * size
                mentions.append(Mention(value, start, start + size, phrase, corrected))
        mentions.sort(key=lambda m: m.start)
        return mentions


class Normaliser:
    """Vocabularies for every kind of value a traveller can name."""

    def __init__(self, knowledge: Knowledge, places: Places) -> None:
        self.common_words = common_words_of(knowledge)
        reading = knowledge.settings.get("reading") or {}
        options: dict[str, Any] = {"common_words": self.common_words,
                   "correct_min": float(reading.get("autocorrect_min", AUTOCORRECT_MIN))}
        self.locations = Vocabulary(
            "location",
            {d.name: d.aliases for d in places.destinations},
            {d.name: d.name for d in places.destinations},
            **options,
        )
        self.amenities = Vocabulary(
            "amenity",
            {a.id: (a.label, *a.synonyms, a.id.replace("_", " ")) for a in knowledge.amenities.values()},
            {a.id: a.label for a in knowledge.amenities.values()},
            **options,
        )
        self.property_types = Vocabulary(
            "property_type",
            {t.id: (t.label, *t.synonyms, t.id.replace("_", " ")) for t in knowledge.property_types.values()},
            {t.id: t.label for t in knowledge.property_types.values()},
            **options,
        )
        self.room_types = Vocabulary(
            "room_type",
            {r.id: (r.label, *r.synonyms, r.id.replace("_", " ")) for r in knowledge.room_types.values()},
            {r.id: r.label for r in knowledge.room_types.values()},
            **options,
        )
        self._neighbourhoods_of = {
            d.name: Vocabulary(
                "neighbourhood",
                {nb.name: nb.aliases for nb in d.neighbourhoods},
                {nb.name: nb.name for nb in d.neighbourhoods},
                **options,
            )
            for d in places.destinations
        }
        owners: dict[str, str] = {}
        for d in places.destinations:
            for nb in d.neighbourhoods:
                owners.setdefault(nb.name, d.name)
        self._neighbourhood_owner = owners
        self.neighbourhoods = Vocabulary(
            "neighbourhood",
            {nb.name: nb.aliases for d in places.destinations for nb in d.neighbourhoods},
            {name: name for name in owners},
            **options,
        )
        self.places = places
        self.place_aliases = {key: alias.place for key, alias in knowledge.place_aliases.items()}
        self.not_places = knowledge.not_places
        self.same_place_km = float(knowledge.setting("relaxation", "same_place_km"))
        self._areas: dict[str, list[Area]] | None = None

    def location(self, text: str) -> Resolved:
        """A destination, else a place elsewhere on earth, else UnknownValueError with "did you mean".

        A destination always wins: by name or alias, qualified ("Sydney,
        Australia", "Paris France"), by a nickname of place_aliases.yml
        ("NY"), or as a gazetteer city within `same_place_km` of it ("Vila
        Nova de Gaia" is Porto, said as a correction). Otherwise the
        gazetteer's reading ("Nairobi", "Toronto, Ontario", "Kenya") comes back
        with an UnknownPlace as its value (see `Resolved.elsewhere`). A close
        typo of a destination beats only a small town's exact name.
        """
        key = fold(text)
        if key in self.locations.index or not key or key in self.common_words or key in self.not_places:
            return self.locations.resolve(text)
        alias = fold(self.place_aliases.get(key, ""))
        if alias in self.locations.index:
            value = self.locations.index[alias]
            return Resolved("location", text, value, self.locations.labels[value])
        qualified = self._qualified_destination(text)
        if qualified is not None:
            return qualified
        correction = self.locations.correct(text)
        place = gazetteer().resolve(text, self.place_aliases)
        if place is not None and (correction is None or place.kind != "city" or place.population >= TRUSTED_POPULATION):
            return self._placed(text, place)
        if correction is not None:
            return correction
        raise UnknownValueError("location", text, self.locations.suggestions(text))

    def alias_problems(self, knowledge: Knowledge) -> list[str]:
        """'file:line: ...' for each alias of place_aliases.yml whose place is neither a destination nor on the map."""
        problems = []
        seen: set[tuple[str, int | None]] = set()
        for alias in knowledge.place_aliases.values():
            if (alias.place, alias.line) in seen:
                continue
            seen.add((alias.place, alias.line))
            if fold(alias.place) not in self.locations.index and gazetteer().resolve(alias.place) is None:
                where = f"{alias.path}:{alias.line}" if alias.line else str(alias.path)
                problems.append(f"{where}: place '{alias.place}' is neither a destination of locations.yml nor a "
                                f"city, country or US state the gazetteer knows (write it as \"City, Country\")")
        return problems

    def _qualified_destination(self, text: str) -> Resolved | None:
        """A destination named with its country or state, when the qualifier fits it ("Paris, Texas" does not)."""
        for head, tail in splits(text):
            value = self.locations.index.get(fold(head))
            if value is None:
                continue
            areas = gazetteer().areas(tail, self.place_aliases)
            if any(country == c and (region is None or here is None or region == here)
                   for country, region in areas for c, here in self._area_of(value)):
                return Resolved("location", text, value, self.locations.labels[value])
        return None

    def destinations_in(self, text: str) -> tuple[str | None, list[str]]:
        """The country or state a name is in, and our destinations there ("New South Wales": Australia,
        [Sydney, Blue Mountains, Byron Bay, ...]); (None, []) when the name is no area.

        The gazetteer places US states; other subdivisions are known by their country only, so
        "Queensland" answers with every Australian destination, and the caller says "in Australia".
        """
        atlas = gazetteer()
        areas = atlas.areas(text, self.place_aliases)
        if not areas:
            return None, []
        inside = [d.name for d in self.places.destinations
                  if any(country == c and (region is None or here is None or region == here)
                         for country, region in areas for c, here in self._area_of(d.name))]
        country, region = sorted(areas, key=lambda area: area[1] is None)[0]
        name = atlas.state_names.get(region or "", "") if country == "US" and region else ""
        return name or atlas.country_names.get(country, country), inside

    def _area_of(self, destination: str) -> list[tuple[str, str | None]]:
        """Where a destination is: its nearest city's country and region, and its own country's code."""
        if self._areas is None:
            atlas = gazetteer()
            self._areas = {}
            for d in self.places.destinations:
                found: list[tuple[str, str | None]] = []
                near = atlas.area_of(d.latitude, d.longitude)
                if near is not None:
                    found.append(near)
                code = atlas.country_code(d.country) if d.country else None
                if code is not None and (near is None or near[0] != code):
                    found.append((code, None))
                self._areas[d.name] = found
        return self._areas.get(destination, [])

    def _placed(self, text: str, place: GeoPlace) -> Resolved:
        """A gazetteer place: the destination it is in or beside, else the place itself."""
        if place.kind == "city" and self.places.destinations:
            km = self.places.km_from(place.latitude, place.longitude)
            nearest = int(km.argmin())
            if km[nearest] <= self.same_place_km:
                name = self.places.destinations[nearest].name
                return Resolved("location", text, name, self.locations.labels[name], corrected=True)
        far = UnknownPlace(place.name, place.latitude, place.longitude, place.country_name, place.kind)
        return Resolved("location", text, far, place.name)

    def amenity(self, text: str) -> Resolved:
        return self.amenities.resolve(text)

    def property_type(self, text: str) -> Resolved:
        return self.property_types.resolve(text)

    def room_type(self, text: str) -> Resolved:
        return self.room_types.resolve(text)

    def neighbourhoods_in(self, destination: str | None) -> Vocabulary:
        """The neighbourhoods of one destination, or of every destination."""
        return self._neighbourhoods_of.get(destination or "", self.neighbourhoods)

    def neighbourhood(self, text: str, destination: str | None = None) -> Resolved:
        """A neighbourhood, looked up within `destination` when it is known."""
        found = self.neighbourhoods_in(destination).resolve(text)
        parent = destination or self._neighbourhood_owner.get(found.value)
        return Resolved(found.kind, found.text, found.value, found.label, found.corrected, parent)
