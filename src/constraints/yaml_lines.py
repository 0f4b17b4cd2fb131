"""YAML loading that remembers where each mapping started.

Knowledge files are edited by hand; an error that says "line 212" saves the
editor a hunt. Mappings come back as `LineDict`, a dict with a `line` attribute.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import KnowledgeError


class LineDict(dict[Any, Any]):
    """A dict that knows the 1-based line its YAML mapping started on."""

    line: int = 0


# libyaml's parser when available: the pure-Python one takes seconds on our files.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_Base):  # type: ignore[valid-type,misc]
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
        mapping = LineDict(super().construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1
        return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping
)


def load_yaml(path: Path) -> Any:
    """Parse a YAML file, turning syntax errors into a KnowledgeError with the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KnowledgeError(path, None, f"cannot read: {exc.strerror or exc}") from None
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise KnowledgeError(path, line, f"invalid YAML: {exc.problem or exc}") from None


def line_of(node: Any, default: int | None = None) -> int | None:
    """The line a loaded mapping started on, or `default` for scalars and lists."""
    return getattr(node, "line", default)
