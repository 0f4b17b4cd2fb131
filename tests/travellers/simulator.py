"""The traveller: plays one dialogue against the running bot and records every exchange.

Policy (the same for both sets): the dialogue's own turns are said in order,
whatever the bot asked (a traveller has their own plan); after each turn, an
offer of nearest destinations is accepted by clicking the first one; when the
turns are used up and no results fit yet, the bot's questions are answered
from the goal in plain words, and when it asks nothing but shows no places and
offers ways out ("A townhouse instead of a house: 8 places"), the first is
clicked, as a traveller who wants places would; at most MAX_ANSWERS times.
Whatever the way out changed, the final places are judged against the goal.

"Extra questions" are the bot's questions (where, how many, budget, must-haves,
dates) asked before the first results, once a place has been given (the
tracker holds one, or the traveller has named one): questions the bot did not
need to search at all.
"""
from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from tests.travellers import judge
from tests.travellers.dialogues import Dialogue, Goal, Turn
from tests.travellers.places import Place, gazetteer

MAX_ANSWERS = 4


class Client(Protocol):
    def say(self, sender: str, text: str) -> Any: ...

    def tracker(self, sender: str) -> dict[str, Any]: ...


@dataclass
class Exchange:
    """One message of the traveller and what the bot did with it."""

    said: str
    kind: str                        # "turn" (the dialogue's), "answer" (from the goal), "click" (a button)
    turn: Turn | None
    reply: str
    seconds: float
    slots: dict[str, Any]
    results: list[str]               # ids shown as results by this reply (empty when none)
    question: str | None             # the field the bot asked for, if it asked
    failure: str | None              # judge.failure_kind of the reply
    buttons: list[dict[str, str]] = field(default_factory=list)
    place_read: bool | None = None   # for a turn naming a place: was it read
    guests_read: bool | None = None  # for a turn stating a party size: was it read right


@dataclass
class Played:
    """A whole dialogue: its exchanges, the extra questions and whether the final results fit."""

    dialogue: Dialogue
    exchanges: list[Exchange] = field(default_factory=list)
    extra_questions: int = 0
    fit: judge.Fit | None = None
    accepted: str | None = None       # the destination taken instead of a place we hold no stays in
    offered: list[str] = field(default_factory=list)  # the destinations last offered instead of it

    @property
    def failures(self) -> list[Exchange]:
        """Replies to trip-stating traveller messages that show a Done-when failure."""
        return [e for e in self.exchanges
                if e.failure in judge.DONE_WHEN_KINDS and (e.turn is None or e.turn.states_trip)]

    def transcript(self) -> str:
        lines = [f"dialogue {self.dialogue.id} ({self.dialogue.source}), goal {self.dialogue.goal}"]
        for e in self.exchanges:
            lines.append(f"  {e.kind:>6} > {e.said}")
            lines.extend(f"         < {line}" for line in e.reply.splitlines()[:6])
        lines.append(f"  result: {self.fit.detail if self.fit else '-'}; extra questions {self.extra_questions}")
        return "\n".join(lines)


def answer(goal: Goal, question: str) -> str | None:
    """The traveller's plain-words answer to a question, from the goal (None: nothing to say)."""
    if question == "where":
        return goal.place
    if question == "guests":
        if goal.guests is None:
            return "Not sure yet, just show me what you have."
        return "Just me." if goal.guests == 1 else f"We are {goal.guests} people."
    if question == "budget":
        return goal.budget or "No limit."
    if question == "amenities":
        return f"{' and '.join(goal.amenities)}, please." if goal.amenities else "No, just search."
    if question == "dates":
        return goal.dates or "The dates are flexible."
    return None


def _set_since_last_user(tracker: Mapping[str, Any], slot: str) -> bool:
    for event in reversed(tracker.get("events") or []):
        if event.get("event") == "user":
            return False
        if event.get("event") == "slot" and event.get("name") == slot:
            return True
    return False


class Traveller:
    """Plays dialogues through a client (`tests.live.RestClient` or anything with say/tracker)."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def play(self, dialogue: Dialogue, sender: str) -> Played:
        played = Played(dialogue)
        place = gazetteer().resolve(dialogue.goal.place)
        place_given = False
        for turn in dialogue.turns:
            place_given = place_given or turn.place is not None
            self._record(played, self._exchange(sender, turn.text, "turn", turn), place_given)
            self._accept_nearest(played, sender, place_given)
        for _ in range(MAX_ANSWERS):
            last = played.exchanges[-1]
            if self._final_fit(played, place).fits:
                break
            reply = answer(dialogue.goal, last.question) if last.question else self._take_offer(played, last)
            if reply is None and not last.results and last.buttons:
                reply = next((b["payload"] for b in last.buttons if b.get("payload", "").startswith("/choose_offer")),
                             None)
            if reply is None:
                break
            place_given = place_given or last.question == "where"
            kind = "click" if reply.startswith("/") else "answer"
            self._record(played, self._exchange(sender, reply, kind, None), place_given)
            self._accept_nearest(played, sender, place_given)
        played.fit = self._final_fit(played, place)
        return played

    # --- one message ------------------------------------------------------------------------------

    def _exchange(self, sender: str, text: str, kind: str, turn: Turn | None) -> Exchange:
        started = time.monotonic()
        reply = self.client.say(sender, text)
        seconds = time.monotonic() - started
        tracker = self.client.tracker(sender)
        slots = tracker.get("slots") or {}
        # the bot re-sets `shown` to the list still on screen when nothing new matched: shown only when listed
        listed = _set_since_last_user(tracker, "shown") and judge.lists_places(reply.text)
        shown = list(slots.get("shown") or []) if listed else []
        exchange = Exchange(said=text, kind=kind, turn=turn, reply=reply.text, seconds=seconds, slots=slots,
                            results=shown, question=None if shown else judge.question_kind(reply.text),
                            failure=judge.failure_kind(reply.text), buttons=reply.buttons)
        if turn is not None and turn.place is not None and not turn.carried_over:
            exchange.place_read = judge.place_read(gazetteer().resolve(turn.place), slots.get("location"), reply.text)
        if turn is not None and turn.guests is not None:
            guests = slots.get("guests")
            exchange.guests_read = guests is not None and int(float(guests)) == turn.guests
        return exchange

    @staticmethod
    def _record(played: Played, exchange: Exchange, place_given: bool) -> None:
        """Keep the exchange; its question is extra when a place was known and nothing was shown yet."""
        seen_results = any(e.results for e in played.exchanges)
        known = place_given or bool(exchange.slots.get("location"))
        if not seen_results and exchange.question and known:
            played.extra_questions += 1
        played.exchanges.append(exchange)

    def _accept_nearest(self, played: Played, sender: str, place_given: bool) -> None:
        """No stays in the place asked: click the first destination offered instead."""
        exchange = played.exchanges[-1]
        offered = judge.offered_places(exchange.reply)
        if offered:  # a new offer, for the place just asked: what was accepted for an earlier one is past
            played.offered, played.accepted = offered, None
        buttons = [b for b in exchange.buttons if offered and offered[0] in b.get("title", "")]
        if exchange.results or not buttons:
            return
        played.accepted = offered[0]
        self._record(played, self._exchange(sender, buttons[0]["payload"], "click", None), place_given)

    @staticmethod
    def _take_offer(played: Played, last: Exchange) -> str | None:
        """Offered destinations without buttons to click: name the first one in plain words."""
        if last.results or not judge.offered_places(last.reply):
            return None
        played.accepted = played.offered[0]
        return played.accepted

    @staticmethod
    def _final_fit(played: Played, place: Place) -> judge.Fit:
        """The last results shown in the dialogue, judged against the goal.

        When the traveller answered an offer of other destinations in its own words ("yes, that'd be
        brilliant") and the bot took one of them, that one is the destination accepted.
        """
        shown = next((e.results for e in reversed(played.exchanges) if e.results), [])
        accepted = played.accepted
        if accepted is None and shown and played.offered:
            where = set(judge.catalog().reindex(shown)["location"].dropna())
            accepted = next((name for name in played.offered if name in where), None)
        return judge.results_fit(shown, place, accepted, played.dialogue.goal.guests)


__all__ = ["MAX_ANSWERS", "Exchange", "Played", "Traveller", "answer"]
