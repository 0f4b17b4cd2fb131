"""Replay a scripted conversation against the running assistant and check what it says.

A script (YAML, format in docs/conversation-tests.md) is a list of turns; each
turn is a user message or a click on one of the buttons of the previous bot
reply, plus expectations about the bot's text, its buttons, the tracker's
slots and the properties it recommended. Recommendations are checked against
the same catalog the bot uses, through the engine (`constraints.Engine.load()`).

    script = load_script(path)                 # ScriptError (naming the file) if malformed
    outcome = Replayer(client, engine).run(script)
    outcome.raise_for_failure()                # AssertionError: the whole transcript, failure marked

`client` is anything with `say(sender, text) -> Reply` and `tracker(sender) -> dict`
(`tests.live.RestClient`); `rest_client(url, token)` makes one for a server
that was started elsewhere.
"""
from __future__ import annotations

import json
import math
import re
import time
import types
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import yaml

from tests.engine_oracle import Oracle

SCRIPTS_DIR = Path(__file__).resolve().parent
TEST_TODAY = "2026-11-28"  # the day the scripts' dates are resolved against (a Saturday)

# Every turn forbids these: an action that crashed, or an action server that did not answer.
ALWAYS_FORBIDDEN = ("Sorry — something went wrong", "my search service isn't answering")

SCRIPT_KEYS = {"name", "description", "turns", "xfail"}
MESSAGE_KEYS = {"user", "click"}
CHECK_KEYS = {"bot_says", "bot_says_regex", "bot_not_says", "buttons", "slots", "recommends",
              "not_recommends", "each_recommended", "allow_empty"}
TURN_KEYS = MESSAGE_KEYS | CHECK_KEYS | {"comment"}

# each_recommended: condition -> the type of its value ("flag" means `true`)
EACH_CONDITIONS: dict[str, str] = {
    "location": "text",                          # the property is in this destination
    "neighbourhood": "text",                     # ... in this neighbourhood
    "property_type": "texts",                    # one of these types (catalog ids: apartment, villa...)
    "max_price": "number",                       # price_per_night <= N
    "min_price": "number",                       # price_per_night >= N
    "max_total_price": "number",                 # the stay (the turn's dates or nights) costs <= N
    "within_budget": "flag",                     # within the budget slot after the turn (per night or stay)
    "min_bedrooms": "number",
    "min_accommodates": "number",
    "min_rating": "number",                      # rated, and rating >= N
    "has_amenity": "texts",                      # amenity ids or names ("pets allowed", "pool")
    "free_between": "dates",                     # [check_in, check_out]: free every night (engine calendar)
    "max_price_below_previous_first": "flag",    # cheaper than the first property of the previous results
    "bedrooms_above_previous_first": "flag",     # more bedrooms than that one
    "nearer_than_previous_first": "text",        # nearer this neighbourhood than that one
    "max_km_from_centre": "number",              # at most N km from its destination's point in locations.yml
    "not_previously_shown_first": "flag",        # that one is not shown again
    "not_previously_shown": "flag",              # none of the previous results is shown again
}

# Slots printed first in the transcript; bookkeeping slots that are shown otherwise are left out.
SLOT_ORDER = ("location", "neighbourhood", "guests", "budget", "budget_scope", "budget_flexible", "amenities",
              "nice_to_have", "property_type", "nights", "check_in", "check_out", "min_rating", "pets")
SLOTS_NOT_PRINTED = {"offers", "shown", "session_started_metadata"}
_ID = re.compile(r"^p\d{3,}$")


class ScriptError(ValueError):
    """A script that cannot be run as written; the message names the file (and turn)."""


class Client(Protocol):
    def say(self, sender: str, text: str) -> Any: ...

    def tracker(self, sender: str) -> dict[str, Any]: ...


def rest_client(rasa_url: str, token: str, timeout: float = 60.0) -> Any:
    """A `tests.live.RestClient` for a Rasa server started elsewhere (URL and auth token)."""
    from tests.live import RestClient

    return RestClient(types.SimpleNamespace(rasa_url=rasa_url.rstrip("/"), token=token), timeout=timeout)


# --------------------------------------------------------------------------------------
# Loading and validating a script
# --------------------------------------------------------------------------------------

@dataclass
class Script:
    path: Path
    name: str
    description: str
    turns: list[dict[str, Any]]
    xfail: str | None = None

    @property
    def stem(self) -> str:
        return self.path.stem


def script_paths(directory: Path = SCRIPTS_DIR) -> list[Path]:
    return sorted(p for p in directory.glob("*.y*ml") if p.is_file())


def load_script(path: Path | str) -> Script:
    """Read and validate one script; a ScriptError names the file, the turn and the problem."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ScriptError(f"{path}: cannot read: {error}") from None
    except yaml.YAMLError as error:
        raise ScriptError(f"{path}: not valid YAML: {error}") from None

    def fail(message: str) -> None:
        raise ScriptError(f"{path}: {message}")

    if not isinstance(data, dict):
        fail("a script is a mapping with name, description and turns")
    unknown = sorted(set(data) - SCRIPT_KEYS)
    if unknown:
        fail(f"unknown key(s) {', '.join(map(repr, unknown))} (a script has {', '.join(sorted(SCRIPT_KEYS))})")
    for key in ("name", "description"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            fail(f"'{key}' is required and must be a non-empty string")
    if "xfail" in data and (not isinstance(data["xfail"], str) or not data["xfail"].strip()):
        fail("'xfail' must be a non-empty string: the reason (the bot bug) the script is expected to fail")
    turns = data.get("turns")
    if not isinstance(turns, list) or not turns:
        fail("'turns' is required and must be a non-empty list")
    for number, turn in enumerate(turns, start=1):
        problem = _turn_problem(turn, number)
        if problem:
            fail(f"turn {number}: {problem}")
    return Script(path=path, name=data["name"].strip(), description=data["description"].strip(),
                  turns=turns, xfail=data.get("xfail"))


def _strings(value: Any) -> list[str] | None:
    """A string or a list of strings as a list; None when it is neither."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _turn_problem(turn: Any, number: int) -> str | None:
    if not isinstance(turn, dict):
        return "a turn is a mapping with 'user' or 'click' and expectations"
    unknown = sorted(set(turn) - TURN_KEYS)
    if unknown:
        return f"unknown key(s) {', '.join(map(repr, unknown))} (a turn has {', '.join(sorted(TURN_KEYS))})"
    said = MESSAGE_KEYS & set(turn)
    if len(said) != 1:
        return "a turn needs exactly one of 'user' or 'click'"
    if "user" in turn and not (isinstance(turn["user"], str) and turn["user"].strip()):
        return "'user' must be a non-empty string"
    if "click" in turn:
        click = turn["click"]
        if number == 1:
            return "the first turn cannot click: there is no bot reply yet"
        is_title = isinstance(click, str) and bool(click.strip())
        is_number = isinstance(click, int) and not isinstance(click, bool) and click >= 1
        if not (is_title or is_number):
            return "'click' must be a button title (or part of one) or a 1-based button number"
    for key in ("bot_says", "bot_says_regex", "bot_not_says", "buttons", "recommends", "not_recommends"):
        if key in turn and _strings(turn[key]) is None:
            return f"'{key}' must be a string or a list of strings"
    for key in ("bot_says_regex",):
        for pattern in _strings(turn.get(key)) or []:
            try:
                re.compile(pattern)
            except re.error as error:
                return f"'{key}': bad regex {pattern!r}: {error}"
    for entry in _strings(turn.get("bot_not_says")) or []:
        if _is_regex_entry(entry):
            try:
                re.compile(entry[1:-1])
            except re.error as error:
                return f"'bot_not_says': bad regex {entry!r}: {error}"
    if "allow_empty" in turn and not isinstance(turn["allow_empty"], bool):
        return "'allow_empty' must be true or false"
    if "comment" in turn and not isinstance(turn["comment"], str):
        return "'comment' must be a string"
    if "slots" in turn and (not isinstance(turn["slots"], dict) or not turn["slots"]):
        return "'slots' must be a mapping of slot name to expected value"
    if "each_recommended" in turn:
        return _each_problem(turn["each_recommended"])
    return None


def _each_problem(conditions: Any) -> str | None:
    if not isinstance(conditions, dict) or not conditions:
        return "'each_recommended' must be a mapping of conditions"
    for name, value in conditions.items():
        kind = EACH_CONDITIONS.get(name)
        if kind is None:
            return (f"each_recommended: unknown condition {name!r} "
                    f"(known: {', '.join(sorted(EACH_CONDITIONS))})")
        if kind == "text" and not (isinstance(value, str) and value.strip()):
            return f"each_recommended.{name} must be a string"
        if kind == "texts" and _strings(value) is None:
            return f"each_recommended.{name} must be a string or a list of strings"
        if kind == "number" and not _is_number(value):
            return f"each_recommended.{name} must be a number"
        if kind == "flag" and value is not True:
            return f"each_recommended.{name} must be true"
        if kind == "dates":
            if not (isinstance(value, list) and len(value) == 2):
                return f"each_recommended.{name} must be [check_in, check_out]"
            try:
                first, last = (v if isinstance(v, date) else date.fromisoformat(str(v)) for v in value)
            except ValueError:
                return f"each_recommended.{name} dates must be YYYY-MM-DD"
            if last <= first:
                return f"each_recommended.{name}: check-out must be after check-in"
    return None


def _is_regex_entry(entry: str) -> bool:
    return len(entry) >= 2 and entry.startswith("/") and entry.endswith("/")


# --------------------------------------------------------------------------------------
# Comparing values
# --------------------------------------------------------------------------------------

def values_match(expected: Any, actual: Any) -> bool:
    """Slot comparison: numbers numerically, lists in any order, mappings on the keys expected."""
    if expected is None:
        return actual is None
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    if _is_number(expected):
        return _is_number(actual) and math.isclose(float(expected), float(actual), rel_tol=1e-9, abs_tol=1e-6)
    if isinstance(expected, date):
        return str(actual) == expected.isoformat()
    if isinstance(expected, str):
        return isinstance(actual, str) and actual == expected
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return False
        remaining = list(actual)
        for item in expected:
            match = next((k for k, a in enumerate(remaining) if values_match(item, a)), None)
            if match is None:
                return False
            remaining.pop(match)
        return True
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and values_match(v, actual[k]) for k, v in expected.items())
    return expected == actual


def show(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (str, int, float, bool)) or value is None:
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


# --------------------------------------------------------------------------------------
# Replaying
# --------------------------------------------------------------------------------------

@dataclass
class Check:
    what: str
    ok: bool
    detail: str = ""


@dataclass
class Outcome:
    script: Script
    sender: str
    transcript: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    turns_run: int = 0
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.failures

    def text(self) -> str:
        return "\n".join(self.transcript)

    def message(self) -> str:
        head = f"conversation '{self.script.name}' ({self.script.path.name}) failed: {self.failures[0]}"
        if len(self.failures) > 1:
            head += f" (and {len(self.failures) - 1} more)"
        return head + "\n\n" + self.text()

    def raise_for_failure(self) -> None:
        if self.failures:
            raise AssertionError(self.message())


@dataclass(frozen=True)
class _Stay:
    """Check-in and check-out, the way the oracle reads a stay."""

    check_in: date
    check_out: date


@dataclass
class Shown:
    """A property recommended in one turn."""

    position: int
    id: str
    record: dict[str, Any]


class Replayer:
    """Talks a script through with the bot, recording and checking each turn."""

    def __init__(self, client: Client, engine: Any, echo: Callable[[str], None] | None = None,
                 keep_going: bool = False) -> None:
        self.client = client
        self.engine = engine
        self.echo = echo
        self.keep_going = keep_going
        self._stays: Oracle | None = None

    # --- the conversation ---------------------------------------------------------------

    def run(self, script: Script, sender: str | None = None) -> Outcome:
        sender = sender or f"conv-{script.stem[:40]}-{uuid.uuid4().hex[:8]}"
        outcome = Outcome(script=script, sender=sender)
        started = time.monotonic()
        self._out = outcome
        self._line(f"=== {script.name}  [{script.path.name}]  sender={sender}")
        for line in script.description.splitlines():
            self._line(f"    {line}")
        previous_buttons: list[dict[str, str]] = []
        previous_slots: dict[str, Any] = {}
        results_turns: list[list[Shown]] = []
        for number, turn in enumerate(script.turns, start=1):
            self._line("")
            self._line(f"--- turn {number}" + (f"  ({turn['comment']})" if turn.get("comment") else ""))
            message, said = self._message(turn, previous_buttons)
            if message is None:
                self._fail(number, said)
                break
            self._line(said)
            t0 = time.monotonic()
            try:
                reply = self.client.say(sender, message)
                tracker = self.client.tracker(sender)
            except Exception as error:  # noqa: BLE001 - a dead server is a failed turn, shown in the transcript
                self._fail(number, f"could not talk to the bot: {type(error).__name__}: {error}")
                break
            elapsed = time.monotonic() - t0
            slots = tracker.get("slots") or {}
            self._record_reply(reply, elapsed)
            self._record_slots(slots, previous_slots)
            shown = self._shown_this_turn(reply, tracker, slots)
            if shown:
                self._line("    shown: " + "; ".join(
                    f"{s.position}. {s.id} {s.record['title']} (€{s.record['price_per_night']:g}, "
                    f"{s.record['bedrooms']} bd, sleeps {s.record['accommodates']})" for s in shown))
            previous = results_turns[-1] if results_turns else None
            checks = self._checks(turn, reply, slots, shown, previous)
            failed = [c for c in checks if not c.ok]
            for check in checks:
                if check.ok:
                    self._line(f"    ok    {check.what}")
                else:
                    self._line(f">>> FAIL  {check.what}: {check.detail}   <<<<<<<<<<")
                    outcome.failures.append(f"turn {number}: {check.what}: {check.detail}")
            outcome.turns_run = number
            previous_buttons = reply.buttons
            previous_slots = slots
            if shown:
                results_turns.append(shown)
            if failed and not self.keep_going:
                remaining = len(script.turns) - number
                if remaining:
                    self._line("")
                    self._line(f"(stopped after the failing turn; {remaining} turn(s) not played)")
                break
        outcome.seconds = time.monotonic() - started
        self._line("")
        verdict = "PASSED" if outcome.passed else f"FAILED ({len(outcome.failures)} failing expectation(s))"
        self._line(f"=== {verdict} in {outcome.seconds:.1f} s")
        return outcome

    def _line(self, text: str) -> None:
        self._out.transcript.append(text)
        if self.echo:
            self.echo(text)

    def _fail(self, number: int, detail: str) -> None:
        self._line(f">>> FAIL  {detail}   <<<<<<<<<<")
        self._out.failures.append(f"turn {number}: {detail}")

    def _message(self, turn: Mapping[str, Any], buttons: list[dict[str, str]]) -> tuple[str | None, str]:
        """(text to send, how the transcript shows it) or (None, why the click is impossible)."""
        if "user" in turn:
            return turn["user"], f"USER:  {turn['user']}"
        click = turn["click"]
        titles = [b.get("title", "") for b in buttons]
        if not buttons:
            return None, f"click {show(click)}: the previous reply had no buttons"
        if isinstance(click, int):
            if click > len(buttons):
                return None, f"click {click}: the previous reply had only {len(buttons)} button(s): {titles}"
            chosen = buttons[click - 1]
        else:
            wanted = click.strip().casefold()
            exact = [b for b in buttons if b.get("title", "").casefold() == wanted]
            partial = [b for b in buttons if wanted in b.get("title", "").casefold()]
            if not (exact or partial):
                return None, f"click {click!r}: no button with that title; the buttons were {titles}"
            chosen = (exact or partial)[0]
        return chosen["payload"], f"CLICK: [{chosen.get('title')}]  -> {chosen['payload']}"

    def _record_reply(self, reply: Any, elapsed: float) -> None:
        if getattr(reply, "status", 200) != 200:
            self._line(f"BOT:   (HTTP {reply.status})")
        if not reply.messages:
            self._line(f"BOT:   (no reply)   [{elapsed:.1f} s]")
        for k, message in enumerate(reply.messages):
            lead = "BOT:   " if k == 0 else "       "
            if message.get("text"):
                lines = message["text"].splitlines() or [""]
                self._line(lead + lines[0] + (f"   [{elapsed:.1f} s]" if k == 0 else ""))
                for extra in lines[1:]:
                    self._line("       " + extra)
            elif message.get("custom") is not None or message.get("json_message") is not None:
                self._line(lead + "(custom payload)")
            if message.get("buttons"):
                self._line("       buttons: " + " | ".join(f"[{b.get('title')}]" for b in message["buttons"]))

    def _record_slots(self, slots: Mapping[str, Any], before: Mapping[str, Any]) -> None:
        names = [n for n in SLOT_ORDER if n in slots] + sorted(n for n in slots if n not in SLOT_ORDER)
        shown = []
        for name in names:
            value = slots.get(name)
            if name in SLOTS_NOT_PRINTED or value in (None, [], {}, ""):
                continue
            shown.append(f"{name}={show(value)}")
        cleared = [n for n in names if n not in SLOTS_NOT_PRINTED and before.get(n) not in (None, [], {}, "")
                   and slots.get(n) in (None, [], {}, "")]
        self._line("    slots: " + (" ".join(shown) if shown else "(none set)")
                   + (f"   cleared: {' '.join(cleared)}" if cleared else ""))

    # --- which properties this turn recommended -----------------------------------------

    def _shown_this_turn(self, reply: Any, tracker: Mapping[str, Any], slots: Mapping[str, Any]) -> list[Shown]:
        """The properties listed as results in this turn's text.

        The `shown` slot holds the ids of the last results; they count for this
        turn when this turn set the slot and lists them ("2. <title> — ...").
        """
        if not _set_since_last_user(tracker, "shown"):
            return []
        text = _text(reply)
        found = []
        for property_id in slots.get("shown") or []:
            try:
                record = self.engine.show(property_id)
            except Exception:  # noqa: BLE001 - an id the catalog lacks is reported by the checks
                record = {"id": property_id, "title": f"<unknown id {property_id}>", "price_per_night": float("nan"),
                          "bedrooms": -1, "accommodates": -1}
            match = re.search(rf"^\s*(\d+)\. {re.escape(record['title'])} — ", text, re.M)
            if match:
                found.append(Shown(int(match.group(1)), property_id, record))
        return found

    # --- expectations -------------------------------------------------------------------

    def _checks(self, turn: Mapping[str, Any], reply: Any, slots: Mapping[str, Any], shown: list[Shown],
                previous: list[Shown] | None) -> list[Check]:
        text = _text(reply)
        folded = text.casefold()
        titles = [b.get("title", "") for b in reply.buttons]
        checks: list[Check] = []
        status = getattr(reply, "status", 200)
        if status != 200:
            checks.append(Check("HTTP 200 from the webhook", False, f"got HTTP {status}"))
        if not turn.get("allow_empty") and not reply.messages:
            checks.append(Check("the bot answers", False, "the bot said nothing"))
        for bad in ALWAYS_FORBIDDEN:
            if bad.casefold() in folded:
                checks.append(Check(f"never {bad!r}", False, "the bot apologised for a failure"))
        for expected in _strings(turn.get("bot_says")) or []:
            checks.append(Check(f"bot says {expected!r}", expected.casefold() in folded, "not in the bot's text"))
        for pattern in _strings(turn.get("bot_says_regex")) or []:
            ok = re.search(pattern, text, re.I | re.M) is not None
            checks.append(Check(f"bot says /{pattern}/", ok, "no match in the bot's text"))
        for entry in _strings(turn.get("bot_not_says")) or []:
            if _is_regex_entry(entry):
                match = re.search(entry[1:-1], text, re.I | re.M)
                checks.append(Check(f"bot does not say {entry}", match is None,
                                    f"it does: {_clip(match.group(0))!r}" if match else ""))
            else:
                checks.append(Check(f"bot does not say {entry!r}", entry.casefold() not in folded, "it does"))
        for expected in _strings(turn.get("buttons")) or []:
            ok = any(expected.casefold() in t.casefold() for t in titles)
            checks.append(Check(f"button {expected!r} offered", ok, f"buttons were {titles}"))
        for name, expected in (turn.get("slots") or {}).items():
            if name not in slots:
                checks.append(Check(f"slot {name}", False, "the tracker has no slot of that name"))
                continue
            actual = slots.get(name)
            checks.append(Check(f"slot {name} == {show(expected)}", values_match(expected, actual),
                                f"it is {show(actual)}"))
        if "recommends" in turn or "not_recommends" in turn or "each_recommended" in turn:
            checks.extend(self._recommendation_checks(turn, shown, previous, slots))
        return checks

    def _recommendation_checks(self, turn: Mapping[str, Any], shown: list[Shown], previous: list[Shown] | None,
                               slots: Mapping[str, Any]) -> list[Check]:
        checks: list[Check] = []
        listing = [f"{s.id} {s.record['title']!r}" for s in shown]
        for wanted in _strings(turn.get("recommends")) or []:
            ok = any(_names(s, wanted) for s in shown)
            checks.append(Check(f"recommends {wanted!r}", ok,
                                f"shown: {listing}" if shown else "no properties were shown in this turn"))
        for unwanted in _strings(turn.get("not_recommends")) or []:
            hits = [f"{s.id} {s.record['title']!r}" for s in shown if _names(s, unwanted)]
            checks.append(Check(f"does not recommend {unwanted!r}", not hits, f"it did: {hits}"))
        conditions = turn.get("each_recommended")
        if conditions:
            if not shown:
                checks.append(Check("each_recommended: properties were shown", False,
                                    "no properties were shown in this turn"))
                return checks
            for name, value in conditions.items():
                checks.append(self._condition(name, value, shown, previous, slots))
        return checks

    def _condition(self, name: str, value: Any, shown: list[Shown], previous: list[Shown] | None,
                   slots: Mapping[str, Any]) -> Check:
        what = f"each recommended: {name} {show(value)}"
        needs_previous = name.endswith("previous_first") or name == "not_previously_shown"
        if needs_previous and not previous:
            return Check(what, False, "there were no earlier results to compare with")
        first = previous[0] if previous else None
        if name == "not_previously_shown_first":
            again = [s for s in shown if s.id == first.id]
            return Check(what, not again, f"{first.id} {first.record['title']!r} is shown again")
        if name == "not_previously_shown":
            before = {s.id for s in previous}
            again = [f"{s.id} {s.record['title']!r}" for s in shown if s.id in before]
            return Check(what, not again, f"shown again: {again}")
        try:
            test = self._property_test(name, value, first, slots)
        except Exception as error:  # noqa: BLE001 - a bad value in the script, reported on the check
            return Check(what, False, f"cannot evaluate: {type(error).__name__}: {error}")
        misses = []
        for s in shown:
            ok, detail = test(s)
            if not ok:
                misses.append(f"#{s.position} {s.id} {s.record['title']!r}: {detail}")
        return Check(what, not misses, "; ".join(misses))

    def _property_test(self, name: str, value: Any, first: Shown | None,
                       slots: Mapping[str, Any]) -> Callable[[Shown], tuple[bool, str]]:
        """A predicate over one shown property, with what it found when it fails."""
        engine = self.engine
        if name == "location":
            return lambda s: (s.record["location"].casefold() == value.casefold(), f"in {s.record['location']}")
        if name == "neighbourhood":
            return lambda s: (str(s.record["neighbourhood"]).casefold() == value.casefold(),
                              f"in {s.record['neighbourhood']}")
        if name == "property_type":
            types_ = {t.casefold() for t in _strings(value)}
            return lambda s: (s.record["property_type"] in types_, f"a {s.record['property_type']}")
        if name == "max_price":
            return lambda s: (s.record["price_per_night"] <= value, f"€{s.record['price_per_night']:g} a night")
        if name == "min_price":
            return lambda s: (s.record["price_per_night"] >= value, f"€{s.record['price_per_night']:g} a night")
        if name == "min_bedrooms":
            return lambda s: (s.record["bedrooms"] >= value, f"{s.record['bedrooms']} bedroom(s)")
        if name == "min_accommodates":
            return lambda s: (s.record["accommodates"] >= value, f"sleeps {s.record['accommodates']}")
        if name == "min_rating":
            return lambda s: (s.record["rating"] is not None and s.record["rating"] >= value,
                              f"rated {s.record['rating']}")
        if name == "has_amenity":
            wanted = [engine.normaliser.amenity(a).value for a in _strings(value)]
            return lambda s: (all(a in s.record["amenities"] for a in wanted),
                              "lacks " + ", ".join(a for a in wanted if a not in s.record["amenities"]))
        if name == "free_between":
            check_in, check_out = (v if isinstance(v, date) else date.fromisoformat(str(v)) for v in value)
            stays = self.stays()
            return lambda s: (not stays.booked(stays.row(s.id), check_in, check_out),
                              f"booked on some night from {check_in} to {check_out}")
        if name == "max_total_price":
            return self._total_price_test(value, slots)
        if name == "within_budget":
            budget = slots.get("budget")
            if budget is None:
                raise ValueError("the budget slot is empty after this turn")
            if slots.get("budget_scope") == "stay" and (slots.get("nights") or slots.get("check_in")):
                return self._total_price_test(float(budget), slots)
            return lambda s: (s.record["price_per_night"] <= budget,
                              f"€{s.record['price_per_night']:g} a night, over the budget of €{budget:g}")
        if name == "max_price_below_previous_first":
            limit = first.record["price_per_night"]
            return lambda s: (s.record["price_per_night"] < limit,
                              f"€{s.record['price_per_night']:g} is not below €{limit:g} ({first.record['title']})")
        if name == "bedrooms_above_previous_first":
            least = first.record["bedrooms"]
            return lambda s: (s.record["bedrooms"] > least,
                              f"{s.record['bedrooms']} bedroom(s), not more than {least} ({first.record['title']})")
        if name == "nearer_than_previous_first":
            from constraints.geo import haversine_km

            point = engine.catalog.places.neighbourhood(first.record["location"], engine.normaliser.neighbourhood(
                value, first.record["location"]).value)
            if point is None:
                raise ValueError(f"no neighbourhood {value!r} in {first.record['location']}")

            def km(record: Mapping[str, Any]) -> float:
                return float(haversine_km(record["latitude"], record["longitude"], point.latitude, point.longitude))

            reference = km(first.record)
            return lambda s: (km(s.record) < reference,
                              f"{km(s.record):.2f} km from {point.name}, not nearer than {reference:.2f} km")
        if name == "max_km_from_centre":
            from constraints.geo import haversine_km

            def from_centre(record: Mapping[str, Any]) -> float:
                centre = engine.catalog.places.destination(record["location"])
                return float(haversine_km(record["latitude"], record["longitude"], centre.latitude, centre.longitude))

            return lambda s: (from_centre(s.record) <= value,
                              f"{from_centre(s.record):.2f} km from the centre of {s.record['location']}")
        raise ValueError(f"unknown condition {name}")

    def stays(self) -> Oracle:
        """Booked nights and night prices read from the catalog's own files (catalog and calendar CSV,
        engine.yml's pricing factors, locations.yml's high seasons), not through the engine's code."""
        if self._stays is None:
            directory = self.engine.knowledge.directory
            self._stays = Oracle.for_catalog(directory, directory / "catalog.csv")
        return self._stays

    def _total_price_test(self, limit: float, slots: Mapping[str, Any]) -> Callable[[Shown], tuple[bool, str]]:
        """The stay's price for the dates (or nights) in the slots, priced from the files by the oracle."""
        stay: tuple[str, Any] | None = None
        if slots.get("check_in") and slots.get("check_out"):
            stay = ("dates", _Stay(date.fromisoformat(slots["check_in"]), date.fromisoformat(slots["check_out"])))
        elif slots.get("nights"):
            stay = ("nights", int(slots["nights"]))
        if stay is None:
            raise ValueError("max_total_price needs dates or nights in the slots")
        stays = self.stays()

        def test(s: Shown) -> tuple[bool, str]:
            row = stays.row(s.id)
            total = stays.stay_total(row, stay) * stays.rates[row["currency"]]
            return total <= limit + 1e-6, f"€{total:,.0f} for the stay"

        return test


def _names(shown: Shown, wanted: str) -> bool:
    """Whether `wanted` (an id, or part of a title) names the shown property."""
    if _ID.match(wanted.strip()):
        return shown.id == wanted.strip()
    return wanted.casefold() in str(shown.record["title"]).casefold()


def _clip(text: str, most: int = 80) -> str:
    return text if len(text) <= most else text[:most - 1] + "…"


def _text(reply: Any) -> str:
    return "\n".join(m["text"] for m in reply.messages if m.get("text"))


def _set_since_last_user(tracker: Mapping[str, Any], slot: str) -> bool:
    events = tracker.get("events") or []
    for event in reversed(events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "slot" and event.get("name") == slot:
            return True
    return False


def run_script(path: Path | str, client: Client, engine: Any, echo: Callable[[str], None] | None = None,
               keep_going: bool = False) -> Outcome:
    return Replayer(client, engine, echo=echo, keep_going=keep_going).run(load_script(path))


def load_engine() -> Any:
    """The engine over the same knowledge and catalog as the bot."""
    from constraints import Engine

    return Engine.load()


def all_scripts(paths: Iterable[Path] | None = None) -> list[Script]:
    return [load_script(p) for p in (paths if paths is not None else script_paths())]


__all__: Sequence[str] = ("Outcome", "Replayer", "Script", "ScriptError", "TEST_TODAY", "all_scripts", "load_engine",
                          "load_script", "rest_client", "run_script", "script_paths", "values_match")
