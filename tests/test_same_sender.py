"""Two messages of one traveller at the same instant, on one Rasa server with its default lock store.

A double click or two open tabs send two messages for one sender at once.
The server (endpoints.yml: Rasa's in-memory lock store) must answer both,
handle them one after the other (the second message starts only after the
first was answered, so its turn sees the first one's slots), record both,
and end with a state that holds both changes. Uses the session's servers
(the `rest` fixture of tests/conftest.py).
"""
from __future__ import annotations

import threading
from typing import Any

import pytest

from tests.live import Reply, RestClient
from tests.test_scale_out import pair_problem

pytestmark = pytest.mark.server

SEARCH = "a place in Lisbon for 2 under 200 a night with wifi"
# two changes of different slots: whichever runs first, both hold afterwards
PAIRS = [
    ({"a": "actually we are 4 people", "b": "our budget is 300 a night"}, {"guests": 4, "budget": 300}),
    ({"a": "make it 3 guests", "b": "up to 250 per night"}, {"guests": 3, "budget": 250}),
    ({"a": "we'll be 5", "b": "max 280 a night"}, {"guests": 5, "budget": 280}),
]


def at_once(rest: RestClient, sender: str, texts: dict[str, str]) -> dict[str, Reply]:
    """Both texts for `sender`, released together by a barrier; the replies by key."""
    barrier = threading.Barrier(len(texts))
    replies: dict[str, Reply] = {}
    errors: list[BaseException] = []

    def send(key: str) -> None:
        try:
            barrier.wait(timeout=30)
            replies[key] = rest.say(sender, texts[key])
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=send, args=(key,)) for key in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not errors, errors
    return replies


def answered(reply: Reply | None, text: str) -> None:
    assert reply is not None and reply.status == 200, f"{text!r}: {reply}"
    assert reply.messages, f"{text!r}: no answer"
    for bad in ("isn't answering", "something went wrong"):
        assert bad not in reply.text, f"{text!r}: {reply.text[:300]}"


@pytest.mark.parametrize("texts, after", PAIRS, ids=["guests-budget", "guests-budget-2", "guests-budget-3"])
def test_two_messages_at_once_are_both_answered_in_order(rest, texts: dict[str, str], after: dict[str, Any]):
    sender = rest.new_sender("same-sender")
    answered(rest.say(sender, SEARCH), SEARCH)
    start = len(rest.tracker(sender)["events"])

    replies = at_once(rest, sender, texts)
    for key, text in texts.items():
        answered(replies.get(key), text)

    events = rest.tracker(sender)["events"][start:]
    problem = pair_problem(events, texts)
    assert problem is None, f"{problem}: {[(e['event'], e.get('text')) for e in events]}"
    slots = rest.slots(sender)
    assert (slots["location"], slots["amenities"]) == ("Lisbon", ["wifi"]), slots
    assert {key: slots[key] for key in after} == after, slots
