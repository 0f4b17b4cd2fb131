"""Reading one knowledge YAML file: typed field access that names the file and line of every mistake.

Shared by every loader of `knowledge`, so a wrong type, a missing field or a
name used twice is reported the same way whichever file it is in.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .errors import KnowledgeError
from .text import fold
from .yaml_lines import line_of, load_yaml


class Reader:
    """Field access on one YAML mapping that reports problems with file and line."""

    def __init__(self, path: Path, node: Any, what: str) -> None:
        self.path = path
        self.what = what
        if not isinstance(node, dict):
            raise KnowledgeError(path, line_of(node), f"{what} must be a mapping")
        self.node = node
        self.line = line_of(node)

    def fail(self, message: str) -> KnowledgeError:
        return KnowledgeError(self.path, self.line, f"{self.what}: {message}")

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ..., *, non_empty: bool = False) -> Any:
        if key not in self.node or self.node[key] is None:
            if default is ...:
                raise self.fail(f"missing '{key}'")
            return default
        value = self.node[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        kinds = _as_tuple(kind)
        if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
            raise self.fail(f"'{key}' must be {_kind_name(kind)}, not {value!r}")
        if non_empty and not value:
            raise self.fail(f"'{key}' must not be empty")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        values = self.get(key, list, [])
        if not all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in values):
            raise self.fail(f"'{key}' must be a list of strings")
        return tuple(str(v) for v in values)

    def number(self, key: str, default: Any = ..., low: float | None = None, high: float | None = None) -> float:
        value = self.get(key, (int, float), default)
        if (low is not None and value < low) or (high is not None and value > high):
            raise self.fail(f"'{key}' = {value} is outside [{low}, {high}]")
        return float(value)

    def patterns(self, key: str) -> tuple[re.Pattern[str], ...]:
        compiled = []
        for source in self.strings(key):
            try:
                compiled.append(re.compile(source, re.IGNORECASE))
            except re.error as exc:
                raise self.fail(f"bad regex {source!r} in '{key}': {exc}") from None
        return tuple(compiled)


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "text", int: "a whole number", float: "a number", list: "a list",
             dict: "a mapping", bool: "true or false"}
    return " or ".join(names.get(k, k.__name__) for k in _as_tuple(kind))


def top_level(path: Path, key: str) -> tuple[Any, Any]:
    document = load_yaml(path)
    if not isinstance(document, dict) or key not in document:
        raise KnowledgeError(path, None, f"expected a top-level '{key}:'")
    return document, document[key]


class NameRegistry:
    """Detects two entries claiming the same folded name or alias."""

    def __init__(self, path: Path, what: str) -> None:
        self.path = path
        self.what = what
        self.owner: dict[str, str] = {}

    def claim(self, names: Iterable[str], owner: str, line: int | None) -> None:
        for name in names:
            key = fold(name)
            if not key:
                raise KnowledgeError(self.path, line, f"{self.what} '{owner}': empty name or alias")
            previous = self.owner.setdefault(key, owner)
            if previous != owner:
                raise KnowledgeError(
                    self.path, line,
                    f"{self.what} '{owner}': '{name}' is already used by '{previous}'",
                )


def similarity_pairs(path: Path, raw: Any, known: Mapping[str, Any], what: str) -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = {key: {} for key in known}
    for item in raw or []:
        line = line_of(item)
        if not (isinstance(item, list) and len(item) == 3):
            raise KnowledgeError(path, line, f"similar: each entry is [a, b, similarity], got {item!r}")
        a, b, value = item
        for name in (a, b):
            if name not in known:
                raise KnowledgeError(path, line, f"similar: unknown {what} '{name}'")
        if not isinstance(value, (int, float)) or not 0 < value < 1:
            raise KnowledgeError(path, line, f"similar [{a}, {b}]: similarity must be between 0 and 1")
        table[a][b] = table[b][a] = float(value)
    return table
