"""Event type names resolved once per process, not once per stored event.

Rasa 3.6 turns every stored event back into an object with
`Event.resolve_by_type(type_name)`, which walks every Event subclass (and
calls `inspect.isabstract` on each) for every event it decodes. Reading a
60-turn conversation from the tracker store meant hundreds of those walks per
message: measured, 55-75 % of `SQLTrackerStore.retrieve`. The subclasses do
not change once Rasa is imported, so a name found once is kept. Names that are
not found are never kept: they go through Rasa's own lookup each time, so an
Event class defined later is still found and an unknown name still raises
Rasa's error.
"""
from __future__ import annotations

from collections.abc import Callable

from rasa.shared.core.events import Event

_original: Callable[..., type[Event] | None] = Event.resolve_by_type
_found: dict[str, type[Event]] = {}


def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """Rasa's `Event.resolve_by_type`, remembering every name it finds."""
    known = _found.get(type_name)
    if known is not None:
        return known
    resolved = _original(type_name, default)
    if resolved is not None and resolved is not default:
        _found[type_name] = resolved
    return resolved


def install() -> None:
    """Replace `Event.resolve_by_type` with the remembering one (idempotent)."""
    Event.resolve_by_type = staticmethod(resolve_by_type)
