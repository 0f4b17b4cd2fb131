"""The one engine an action-server process holds, loaded before it serves anything.

Loading is strict: a catalog with rows that had to be skipped is a corrupted
or half-written file, and serving half a catalog would recommend from a
different world than the one support staff see. The server refuses to start
instead, with the reason (see actions/server.py).
"""
from __future__ import annotations

import os
import threading
from datetime import date
from pathlib import Path

from constraints import Engine
from constraints.availability import load_calendar_beside
from constraints.catalog import load_catalog
from constraints.errors import CatalogError
from constraints.gazetteer import gazetteer
from constraints.knowledge import load_knowledge

_lock = threading.Lock()
_engine: Engine | None = None


def catalog_path() -> Path | None:
    value = os.environ.get("STAYS_CATALOG")
    return Path(value) if value else None


def load_engine_strict(knowledge_dir: Path | None = None, catalog: Path | None = None) -> Engine:
    """Load knowledge and catalog; any skipped catalog or calendar row is fatal."""
    knowledge = load_knowledge(knowledge_dir or os.environ.get("STAYS_KNOWLEDGE") or None)
    path = catalog or catalog_path() or knowledge.directory / "catalog.csv"
    loaded = load_catalog(path, knowledge)
    calendar = load_calendar_beside(path, loaded, knowledge)
    problems = list(loaded.skipped)
    if calendar is not None:
        problems += calendar.issues
    if problems:
        listed = "; ".join(str(issue) for issue in problems[:3])
        raise CatalogError(
            f"Refusing to serve {path}: {len(problems)} row(s) could not be read ({listed}). "
            "Fix the file or restore the last good copy; `stays check` lists every problem."
        )
    engine = Engine(knowledge, loaded, calendar)
    gazetteer()  # loaded now (about 1 s), not while the first traveller who names a far place waits
    return engine


def engine() -> Engine:
    """The process-wide engine, loaded on first use."""
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                _engine = load_engine_strict()
    return _engine


def use_engine(instance: Engine | None) -> None:
    """Install a ready engine (the server at start-up, tests with a fixture)."""
    global _engine
    _engine = instance


def today() -> date:
    """Today's date; STAYS_TODAY pins it so scripted conversations are reproducible."""
    pinned = os.environ.get("STAYS_TODAY")
    return date.fromisoformat(pinned) if pinned else date.today()
