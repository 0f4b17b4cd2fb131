"""What every attribute of a constraint knows about itself.

One subclass per attribute, in the spirit of python-constraint's one class per
constraint: the evaluator asks it for a mask, the near-miss grading for a
severity, the wording for its phrases, the relaxer for its repairs and the
chat for its slots. Code elsewhere iterates over the registry instead of
branching on attribute names, so a new attribute is one module here, its
knowledge data and its tests.

Nothing here imports the evaluator, the wording or the relaxer at run time:
they import the registry (through `query`), and the registry only needs their
types.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from ..errors import InvalidValueError

if TYPE_CHECKING:
    from ..engine import Engine
    from ..explain import Wording
    from ..masks import QueryEvaluator, Similarity
    from ..query import Constraint, StayDates
    from ..relax import Relaxation, Relaxer

Rows = slice | np.ndarray
Slots = dict[str, Any]
# one way to change a stay: new dates (or None to keep none), new nights, the sentence, how close to the old one
StayOption = tuple["StayDates | None", int, str, float]


def article(word: str) -> str:
    """'a' or 'an' before a word: 'an apartment', 'a villa'."""
    return "an" if word[:1].lower() in "aeiou" else "a"


class Attribute(ABC):
    """One attribute: its operators, test, grading, words, repairs and chat slots.

    The class attributes are the facts other code sorts and filters by:
    `salience` orders the reasons of an explanation (the specific before the
    shared), `sentence` orders a conflict sentence (place, party, money,
    features, time), `stay` marks the parts of a stay that are relaxed
    together, `list_slot` names the chat slot holding several values of it.
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

    # --- testing ----------------------------------------------------------------------

    @abstractmethod
    def mask(self, ev: QueryEvaluator, c: Constraint, rows: Rows) -> np.ndarray:
        """Which rows meet `c`, vectorised over the catalog's columns."""

    def graded(self, ev: QueryEvaluator, c: Constraint, rows: np.ndarray, similarity: Similarity) -> np.ndarray:
        """How far each row is from meeting `c` (clipped to 0.05..1 by the caller); entirely off by default."""
        return np.ones(len(rows))

    def km(self, ev: QueryEvaluator, c: Constraint, rows: Rows) -> np.ndarray | None:
        """Distance of each row from what `c` is about, for attributes that are about a point."""
        return None

    def redundant(self, ev: QueryEvaluator) -> bool:
        """Whether another reason of the same result already says this one."""
        return False

    def check(self, engine: Engine, c: Constraint) -> None:
        """Refuse a value the engine cannot search for, with suggestions where there are some."""
        if self.numeric and (not isinstance(c.value, (int, float)) or c.value < 0 or c.value != c.value):
            raise InvalidValueError(f"{self.name.replace('_', ' ')} must be a non-negative number, not {c.value!r}")

    # --- words ------------------------------------------------------------------------

    def value(self, w: Wording, c: Constraint) -> str:
        """The value as a traveller would say it."""
        return str(c.value)

    def noun(self, w: Wording, c: Constraint) -> str:
        """A noun phrase: 'a budget of €150 a night', 'Lisbon'."""
        return self.value(w, c)

    @abstractmethod
    def met(self, w: Wording, c: Constraint, row: int, stay_total: float | None) -> str:
        """Why a row meets `c`, in its own numbers."""

    @abstractmethod
    def missed(self, w: Wording, c: Constraint, row: int, stay_total: float | None, km: float | None) -> str:
        """What a row lacks against `c`, in its own numbers."""

    @abstractmethod
    def condition(self, w: Wording, c: Constraint) -> str:
        """A phrase that can follow 'Nothing': 'in Lisbon', 'with a pool'."""

    def dropped(self, w: Wording, c: Constraint) -> str:
        """What 'Without ...' names when a relaxation removes `c`."""
        return self.noun(w, c)

    def soft_reason(self, ev: QueryEvaluator, w: Wording, c: Constraint, row: int,
                    stay_total: float | None) -> tuple[str, str] | None:
        """A reason for a soft constraint in a result's explanation: a nice-to-have it has."""
        if not ev.mask(c, np.array([row]))[0]:
            return None
        return "nice_to_have", f"{self.met(w, c, row, stay_total)} (nice to have){w.because(c)}"

    # --- repairs ----------------------------------------------------------------------

    def replacements(self, rx: Relaxer, c: Constraint, rows: np.ndarray, need: int) -> list[Relaxation]:
        """Widenings or substitutes of `c` alone, counted on `rows` (which meet everything else)."""
        return []

    # --- chat slots -------------------------------------------------------------------

    def cleared(self, c: Constraint) -> Slots:
        """Slot updates that remove a traveller's constraint."""
        return {}

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

    def stay_options(self, rx: Relaxer, c: Constraint, rows: np.ndarray) -> list[StayOption]:
        """Other stays to try when this part anchors the stay."""
        return []
