"""Errors the engine raises, each carrying what a person needs to fix the input.

Callers (the CLI, the chat actions) turn these into one-line messages; they are
never meant to surface as tracebacks.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path


class StaysError(Exception):
    """Base class: anything the user or the data did wrong, as opposed to a bug."""


class KnowledgeError(StaysError):
    """A knowledge file is wrong; the message names the file and line."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.detail = message
        where = f"{self.path}:{line}" if line else str(self.path)
        super().__init__(f"{where}: {message}")


class CatalogError(StaysError):
    """The catalog cannot be used at all (missing, unreadable, empty, wrong columns)."""


class UnknownValueError(StaysError):
    """A place, amenity or type the knowledge base does not know."""

    def __init__(self, kind: str, text: str, suggestions: Sequence[str]) -> None:
        self.kind = kind
        self.text = text
        self.suggestions = list(suggestions)
        hint = f" Did you mean {_or_list(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"Unknown {kind.replace('_', ' ')} '{text}'.{hint}")


class InvalidValueError(StaysError):
    """A value of the right kind that cannot be right (negative price, 500 guests)."""


@dataclass
class RowIssue:
    """One problem found in one row of a data file, reported with its line."""

    line: int
    message: str
    skipped: bool = True
    column: str | None = field(default=None)
    record_id: str | None = field(default=None)  # the row's id, when it has one: "why is p000034 missing?"

    def __str__(self) -> str:
        action = "skipped" if self.skipped else "kept"
        return f"line {self.line}: {self.message} ({action})"


def _or_list(items: Sequence[str]) -> str:
    quoted = [f"'{item}'" for item in items]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]
