"""The cached SQL tracker store reads exactly what Rasa's SQLTrackerStore reads.

Whatever the cache holds, a conversation read back must be the one in the
database: after a restart, when two servers share one database and take turns
answering the same traveller, over a long conversation, and after a new
session starts. Rasa's own SQLTrackerStore on the same file is the oracle.
"""
from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from addons import event_types
from addons.cached_sql_tracker_store import CachedSQLTrackerStore

DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [search, inform]
slots:
  location: {type: text, mappings: [{type: custom}]}
  guests: {type: float, mappings: [{type: custom}]}
actions: [action_search]
""")
PLACES = ["Lisbon", "Porto", "Faro", "Paris", "Nice"]


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def store(kind: type, path: Path, **kwargs: Any) -> SQLTrackerStore:
    return kind(domain=DOMAIN, dialect="sqlite", db=str(path), **kwargs)


def turn(number: int) -> list[Event]:
    """One user message and the assistant's answer, as Rasa logs them."""
    place = PLACES[number % len(PLACES)]
    return [
        UserUttered(f"a place in {place} for {number}", intent={"name": "inform", "confidence": 0.9},
                    entities=[{"entity": "location", "value": place, "start": 11, "end": 11 + len(place)}]),
        ActionExecuted("action_search"),
        SlotSet("location", place),
        SlotSet("guests", float(number)),
        BotUttered(f"{number} places in {place}", metadata={"utter_action": "utter_results"}),
        ActionExecuted("action_listen"),
    ]


def session_start() -> list[Event]:
    return [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]


async def answer(server: SQLTrackerStore, sender: str, number: int) -> DialogueStateTracker:
    """What a Rasa server does for one message: read the tracker, add the turn, save it."""
    tracker = await server.get_or_create_tracker(sender)
    for event in turn(number):
        tracker.update(event)
    await server.save(tracker)
    return tracker


def as_stored(tracker: DialogueStateTracker | None) -> list[dict[str, Any]]:
    assert tracker is not None
    return [event.as_dict() for event in tracker.events]


@pytest.fixture()
def database(tmp_path: Path) -> Path:
    return tmp_path / "trackers.db"


def test_a_long_conversation_reads_back_exactly_as_rasa_reads_it(database: Path) -> None:
    async def scenario() -> None:
        cached, oracle = store(CachedSQLTrackerStore, database), store(SQLTrackerStore, database)
        for number in range(65):
            live = await answer(cached, "traveller", number)
            read = await cached.retrieve("traveller")
            assert as_stored(read) == as_stored(live) == as_stored(await oracle.retrieve("traveller"))
        assert read.get_slot("location") == PLACES[64 % len(PLACES)] and read.get_slot("guests") == 64.0
        assert len(read.events) == 1 + 65 * 6  # nothing written twice, nothing lost
    run(scenario())


def test_two_servers_on_one_database_never_serve_a_stale_conversation(database: Path) -> None:
    async def scenario() -> None:
        first, second = store(CachedSQLTrackerStore, database), store(CachedSQLTrackerStore, database)
        oracle = store(SQLTrackerStore, database)
        for number in range(30):
            server = first if number % 3 else second  # a load balancer sending turns either way
            live = await answer(server, "traveller", number)
            stored = as_stored(await oracle.retrieve("traveller"))
            assert as_stored(live) == stored
            assert as_stored(await first.retrieve("traveller")) == stored
            assert as_stored(await second.retrieve("traveller")) == stored
        assert len(stored) == 1 + 30 * 6
    run(scenario())


def test_a_save_from_a_server_that_missed_the_other_servers_turns_loses_nothing(database: Path) -> None:
    async def scenario() -> None:
        first, second = store(CachedSQLTrackerStore, database), store(CachedSQLTrackerStore, database)
        await answer(first, "traveller", 0)
        await answer(second, "traveller", 1)  # first's cache is now behind the database
        await answer(first, "traveller", 2)
        stored = as_stored(await store(SQLTrackerStore, database).retrieve("traveller"))
        assert [event["text"] for event in stored if event["event"] == "user"] == [
            "a place in Lisbon for 0", "a place in Porto for 1", "a place in Faro for 2"]
    run(scenario())


def test_a_restarted_server_reads_the_conversation_it_had_before(database: Path) -> None:
    async def scenario() -> None:
        before = store(CachedSQLTrackerStore, database)
        for number in range(12):
            live = await answer(before, "traveller", number)
        after = store(CachedSQLTrackerStore, database)  # a new process: nothing kept
        assert as_stored(await after.retrieve("traveller")) == as_stored(live)
        continued = await answer(after, "traveller", 12)
        assert as_stored(await store(SQLTrackerStore, database).retrieve("traveller")) == as_stored(continued)
    run(scenario())


def test_a_new_session_starts_the_tracker_afresh_as_rasa_does(database: Path) -> None:
    async def scenario() -> None:
        first, second = store(CachedSQLTrackerStore, database), store(CachedSQLTrackerStore, database)
        oracle = store(SQLTrackerStore, database)
        for number in range(3):
            await answer(first, "traveller", number)
        await first.retrieve("traveller")
        await second.retrieve("traveller")
        tracker = await first.retrieve("traveller")
        for event in session_start() + turn(3):
            tracker.update(event)
        await first.save(tracker)
        expected = as_stored(await oracle.retrieve("traveller"))
        assert [event["event"] for event in expected].count("session_started") == 1
        assert [event["text"] for event in expected if event["event"] == "user"] == ["a place in Paris for 3"]
        assert as_stored(await first.retrieve("traveller")) == expected
        assert as_stored(await second.retrieve("traveller")) == expected  # learnt from the appended rows
        await answer(second, "traveller", 4)
        assert as_stored(await first.retrieve("traveller")) == as_stored(await oracle.retrieve("traveller"))
    run(scenario())


def test_conversations_are_kept_apart_and_the_cache_is_bounded(database: Path) -> None:
    async def scenario() -> None:
        cached = store(CachedSQLTrackerStore, database, cached_conversations=2)
        for number in range(4):
            for sender in ("ana", "ben", "chloe"):
                await answer(cached, sender, number)
        assert len(cached._kept) == 2
        oracle = store(SQLTrackerStore, database)
        for sender in ("ana", "ben", "chloe"):
            assert as_stored(await cached.retrieve(sender)) == as_stored(await oracle.retrieve(sender))
        assert await cached.retrieve("nobody") is None
    run(scenario())


def test_the_remembered_event_types_are_rasas() -> None:
    event_types.install()
    for name in ("user", "bot", "action", "slot", "session_started", "active_loop", "followup"):
        assert event_types.resolve_by_type(name) is event_types._original(name)
        assert Event.resolve_by_type(name) is event_types._original(name)
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("no_such_event", SlotSet) is SlotSet
