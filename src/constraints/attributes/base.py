"""What every attribute of a constraint knows about itself.

One subclass per attribute, in the spirit of python-constraint's one class per
constraint: the evaluator asks it for a mask, the near-miss grading for a
severity, the wording for its phrases, the relaxer for its repairs and the
chat for its slots. Code elsewhere iterates over the registry instead of
branching on attribute names, so a new attribute is one module here, its
knowledge data and its tests.

The evaluator, the wording and the relaxer use the registry, so it knows
them only as the protocols below (what an attribute reads of each); the
entries register their operators with `query` as they are loaded.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar, Protocol

import numpy as np
import numpy.typing as npt

from ..availability import Availability
from ..catalog import Catalog
from ..errors import InvalidValueError
from ..knowledge import Knowledge
from ..normalise import Normaliser
from ..query import Constraint, Query, Request, StayDates
from .repair import Relaxation

Array = npt.NDArray[Any]  # a catalog column, or a mask or a measure over rows of it
Rows = slice | Array
Slots = dict[str, Any]
# one way to change a stay: new dates (or None to keep none), new nights, the sentence, how close to the old one
StayOption = tuple[StayDates | None, int, str, float]


class Evaluating(Protocol):
    """What an attribute reads of the evaluator of one query (`masks.QueryEvaluator`)."""

    @property
    def catalog(self) -> Catalog: ...
    @property
    def knowledge(self) -> Knowledge: ...
    @property
    def availability(self) -> Availability | None: ...
    @property
    def dates(self) -> StayDates | None: ...
    def prices(self, c: Constraint) -> Array: ...
    def stay_total_for(self, c: Constraint, rows: Rows) -> Array: ...
    def mask(self, constraint: Constraint, rows: Rows) -> Array: ...


class Likeness(Protocol):
    """Content similarity for grading near misses (`masks.Similarity`)."""

    def location_row(self, wanted: str, codes: Array) -> Array: ...
    def amenity_rows(self, amenity: str, rows: Array) -> Array: ...
    def type_rows(self, wanted: tuple[str, ...], codes: Array) -> Array: ...


class Words(Protocol):
    """The shared vocabulary an attribute words itself with (`explain.Wording`)."""

    @property
    def catalog(self) -> Catalog: ...
    @property
    def knowledge(self) -> Knowledge: ...
    @property
    def base(self) -> str: ...
    def money(self, amount: float, currency: str | None = None) -> str: ...
    def amenity(self, amenity_id: str) -> str: ...
    def amenity_phrase(self, amenity_id: str, definite: bool = True) -> str: ...
    def types(self, types: tuple[str, ...]) -> str: ...
    def dates(self, dates: StayDates) -> str: ...
    def value(self, c: Constraint) -> str: ...
    def because(self, c: Constraint) -> str: ...


class Relaxing(Protocol):
    """What an attribute's repairs need of the relaxer (`relax.Relaxer`)."""

    @property
    def evaluator(self) -> Evaluating: ...
    @property
    def knowledge(self) -> Knowledge: ...
    @property
    def settings(self) -> Mapping[str, Any]: ...
    @property
    def query(self) -> Query: ...
    @property
    def wording(self) -> Words: ...
    def relaxation(self, kind: str, old: Constraint, new: Constraint, rows: Array, text: str,
                   closeness: float) -> Relaxation | None: ...
    def kth(self, values: Array, need: int, largest: bool = False) -> float | None: ...


class Checking(Protocol):
    """What an attribute's value check needs of the engine: the catalog and the normaliser's suggestions."""

    @property
    def catalog(self) -> Catalog: ...
    @property
    def knowledge(self) -> Knowledge: ...
    @property
    def normaliser(self) -> Normaliser: ...


# where a nice-to-have the place has comes among a result's reasons (see each attribute's `salience`)
NICE_TO_HAVE_SALIENCE = 12.0


def is_number(value: Any) -> bool:
    """A JSON number (a recorded search's value), not a boolean."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def article(word: str) -> str:
    """'a' or 'an' before a word: 'an apartment', 'a villa'."""
    return "an" if word[:1].lower() in "aeiou" else "a"


class Attribute(ABC):
    """One attribute: its operators, test, grading, words, repairs and chat slots.

    The class attributes are the facts other code sorts and filters by:
    `salience` orders the reasons of an explanation (the specific before the
    shared), `sentence` orders a conflict sentence (place, party, money,
    features, time), `stay` marks the parts of a stay that are relaxed
    together, `list_slot` names the chat slot holding several values of it,
    `offered_dropped` and `kept_by_chat` say which repairs the chat offers,
    `report_order`, `measured_at` and `table_order` lay out `stays analyze`,
    `summary_order` the chat's one-line summary of a search, `request_order`
    the constraints of a query built from a front end's request.
    """

    name: str
    ops: frozenset[str]
    salience: float
    sentence: float
    money: ClassVar[bool] = False
    numeric: ClassVar[bool] = False  # the value must be a non-negative number
    stay: ClassVar[bool] = False
    tied_to_place: ClassVar[bool] = False  # meaningless in another destination: "where else?" ignores it
    ranks_by_distance: ClassVar[bool] = False  # a soft one ranks by closeness, not as a nice-to-have
    list_slot: ClassVar[str | None] = None
    report_order: float  # where it reads in a failed search's conflict: "Lisbon + pool + ≤ €150 a night"
    measured_at: tuple[float, ...] = ()  # the thresholds `stays analyze` measures how restrictive it is at
    table_order: float = 0.0  # where those measures come in the restrictiveness table
    request_order: float = 0.0  # where its constraints come in a query `build_query` makes
    summary_order: float | None = None  # where it comes in the chat's "in Lisbon for 4 guests" (None: not said)
    offered_dropped: ClassVar[bool] = True  # the chat offers giving it up ("without a pool")
    kept_by_chat: ClassVar[bool] = False  # the chat offers no change of it at all (the party size)

    # --- asking -----------------------------------------------------------------------

    def requested(self, r: Request) -> list[Constraint]:
        """Its constraints in what a front end asks for (`build_query`); none when nothing asks for it."""
        return []

    # --- testing ----------------------------------------------------------------------

    @abstractmethod
    def mask(self, ev: Evaluating, c: Constraint, rows: Rows) -> Array:
        """Which rows meet `c`, vectorised over the catalog's columns."""

    def graded(self, ev: Evaluating, c: Constraint, rows: Array, similarity: Likeness) -> Array:
        """How far each row is from meeting `c` (clipped to 0.05..1 by the caller); entirely off by default."""
        return np.ones(len(rows))

    def km(self, ev: Evaluating, c: Constraint, rows: Rows) -> Array | None:
        """Distance of each row from what `c` is about, for attributes that are about a point."""
        return None

    def redundant(self, ev: Evaluating) -> bool:
        """Whether another reason of the same result already says this one."""
        return False

    def check(self, engine: Checking, c: Constraint) -> None:
        """Refuse a value the engine cannot search for, with suggestions where there are some."""
        if self.numeric and (not isinstance(c.value, (int, float)) or c.value < 0 or c.value != c.value):
            raise InvalidValueError(f"{self.name.replace('_', ' ')} must be a non-negative number, not {c.value!r}")

    # --- words ------------------------------------------------------------------------

    def value(self, w: Words, c: Constraint) -> str:
        """The value as a traveller would say it."""
        return str(c.value)

    def noun(self, w: Words, c: Constraint) -> str:
        """A noun phrase: 'a budget of €150 a night', 'Lisbon'."""
        return self.value(w, c)

    @abstractmethod
    def met(self, w: Words, c: Constraint, row: int, stay_total: float | None) -> str:
        """Why a row meets `c`, in its own numbers."""

    @abstractmethod
    def missed(self, w: Words, c: Constraint, row: int, stay_total: float | None, km: float | None) -> str:
        """What a row lacks against `c`, in its own numbers."""

    @abstractmethod
    def condition(self, w: Words, c: Constraint) -> str:
        """A phrase that can follow 'Nothing': 'in Lisbon', 'with a pool'."""

    def dropped(self, w: Words, c: Constraint) -> str:
        """What 'Without ...' names when a relaxation removes `c`."""
        return self.noun(w, c)

    def summary(self, w: Words, q: Query, currency: str) -> str | None:
        """Its part of the one-line summary of a search ('for 4 guests'); amounts are in `currency`."""
        found = q.find(self.name)
        return None if found is None else self.condition(w, found)

    def soft_reason(self, ev: Evaluating, w: Words, c: Constraint, row: int,
                    stay_total: float | None) -> tuple[float, str] | None:
        """A reason for a soft constraint in a result's explanation, with its salience: a nice-to-have it has."""
        if not ev.mask(c, np.array([row]))[0]:
            return None
        return NICE_TO_HAVE_SALIENCE, f"{self.met(w, c, row, stay_total)} (nice to have){w.because(c)}"

    # --- repairs ----------------------------------------------------------------------

    def replacements(self, rx: Relaxing, c: Constraint, rows: Array, need: int) -> list[Relaxation]:
        """Widenings or substitutes of `c` alone, counted on `rows` (which meet everything else)."""
        return []

    # --- stays analyze ----------------------------------------------------------------

    def measured(self, catalog: Catalog) -> list[Constraint]:
        """The values whose restrictiveness `stays analyze` measures: its thresholds, by default."""
        if not self.measured_at:
            return []
        (op,) = self.ops  # an attribute measured at thresholds compares one way
        return [Constraint(self.name, op, value) for value in self.measured_at]

    def report_key(self, c: Constraint) -> str:
        """The key of a measured value in the report: 'accommodates>=6'."""
        return f"{self.name}{c.op}{c.value:g}"

    def report_label(self, c: Constraint, knowledge: Knowledge | None, currency: str | None) -> str:
        """A measured value in the restrictiveness table: as `described` says it, unless it says otherwise."""
        return self.described(c.value, knowledge, currency)

    def described(self, value: Any, knowledge: Knowledge | None, currency: str | None) -> str:
        """A value a recorded search held (its JSON form) as support staff read it: 'sleeps ≥ 6'.

        Amounts are in `currency` (None: the destinations' own, which differ).
        """
        return f"{self.name.replace('_', ' ')} {value}"

    # --- chat offers and slots --------------------------------------------------------

    def offer_key(self, c: Constraint, added: tuple[Constraint, ...], every_place: bool) -> str:
        """What a repair whose first removal is `c` is about, so the chat offers one repair per key."""
        return "stay" if self.stay else self.name


    def cleared(self, c: Constraint) -> Slots:
        """Slot updates that remove a traveller's constraint."""
        return {}

    def read_again(self, c: Constraint, normaliser: Normaliser) -> Constraint:
        """The constraint with its value read again from the name a chat slot or a CLI flag kept."""
        return c

    def forgotten(self) -> Slots:
        """Slot updates for "forget the <attribute>": whatever constraint on it the traveller set."""
        return {}

    def priority_names(self) -> tuple[str, ...]:
        """The attributes "the <attribute> is a must" sets a priority on (the budget covers both prices)."""
        return (self.name,)

    def slots_for(self, c: Constraint) -> Slots:
        """Slot updates that put a (new) constraint in place."""
        return {}


class StayPart(Attribute):
    """A part of the stay (its dates, its length, its budget): relaxed together, re-costed each time."""

    stay = True
    anchor: ClassVar[int | None] = None  # the stay budget is priced with the lowest anchor present

    @abstractmethod
    def restayed(self, c: Constraint, dates: StayDates | None, nights: int) -> Constraint | None:
        """`c` for another stay (None: it has no place in it)."""

    def stay_options(self, rx: Relaxing, c: Constraint, rows: Array) -> list[StayOption]:
        """Other stays to try when this part anchors the stay."""
        return []
