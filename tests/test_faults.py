"""Faults: the action server dies, the Rasa server restarts, the catalog on disk is corrupt.

Runs its own assistant (free ports, fresh SQLite tracker store, no web page), so
killing and restarting its servers disturbs no other test:

(a) the action server is stopped (SIGTERM) or killed (SIGKILL) mid-conversation:
    the next message gets the apology configured in config.yml (not silence), the
    tracker's slots are unchanged; once it is back, the same conversation continues
    with results that honour the earlier slots ("cheaper" = cheaper than the first
    pick shown before the fault).
(b) the Rasa server restarts: the conversation comes back from the SQLite tracker
    store with the same events and slots, and "cheaper" works relative to what was
    shown before the restart.
(c) a corrupt catalog (cut mid-row, or garbage bytes in the middle): the action
    server exits non-zero within 60 s with one line naming the file and "Refusing to
    serve", never serving; `stays check` exits non-zero and lists the bad line.
"""
from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scripts.services import free_ports
from tests.live import Reply, RestClient, own_assistant, wait_or_fail

pytestmark = [pytest.mark.server, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "knowledge" / "catalog.csv"
APOLOGY = "my search service isn't answering"
BUG_APOLOGY = "something went wrong"
RESULT_LINE = re.compile(r"^\s*\d+\. .+ — €[\d,.]+ a night", re.MULTILINE)
REFUSAL_SECONDS = 60.0
TEST_TODAY = "2026-11-28"  # as in tests/conftest.py

def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def report(failures: list[str], context: str = "") -> None:
    if failures:
        pytest.fail("\n".join(failures + ([context] if context else [])), pytrace=False)


# --- (c) a corrupt catalog on disk ----------------------------------------------------------

def _row_starts(data: bytes) -> list[int]:
    """Byte offsets of the shipped catalog's lines (its text fields hold no newlines)."""
    starts = [0]
    for k, byte in enumerate(data):
        if byte == 0x0A and k + 1 < len(data):
            starts.append(k + 1)
    return starts


def corrupt_catalog(case: str, target: Path) -> int:
    """Write a corrupted copy of the catalog; return the 1-based line of the damage."""
    data = CATALOG.read_bytes()
    starts = _row_starts(data)
    middle = len(starts) // 2
    line_start, line_end = starts[middle], starts[middle + 1] - 1
    line = data[line_start:line_end]
    if case == "cut-in-last-field":
        # mid-row, inside the amenities list: the row loses its last columns
        cut = line_start + line.rindex(b";") - 3
        target.write_bytes(data[:cut])
    elif case == "cut-in-quoted-field":
        # mid-row, inside the row's first quoted text field: an unterminated quote at the end of the file
        cut = line_start + line.index(b'"') + 6
        target.write_bytes(data[:cut])
    elif case == "garbage-bytes":
        # 64 bytes of noise (not UTF-8) over the middle of a row in the middle of the file
        noise = bytes(random.Random(7).randrange(128, 256) for _ in range(64))
        at = line_start + len(line) // 2
        target.write_bytes(data[:at] + noise + data[at + len(noise):])
    else:
        raise ValueError(case)
    return middle + 1


CASES = ["cut-in-last-field", "cut-in-quoted-field", "garbage-bytes"]


@pytest.mark.parametrize("case", CASES)
def test_corrupt_catalog_refused_at_start(case: str, tmp_path: Path):
    path = tmp_path / "catalog.csv"
    corrupt_catalog(case, path)
    (port,) = free_ports(1)
    env = {**os.environ, "STAYS_CATALOG": str(path), "PYTHONUNBUFFERED": "1", "RASA_TELEMETRY_ENABLED": "false"}
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "actions.server", "--port", str(port)], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    served = False
    try:
        while process.poll() is None and time.monotonic() - started < REFUSAL_SECONDS:
            if http_ok(f"http://127.0.0.1:{port}/health"):
                served = True
                break
            time.sleep(0.5)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate(timeout=30)
    elapsed = time.monotonic() - started
    output = (stdout + stderr).strip()
    failures = []
    if served:
        failures.append(f"the action server SERVED a corrupt catalog ({case}) on port {port}")
    elif process.returncode in (0, None) or process.returncode < 0:
        failures.append(f"no refusal within {REFUSAL_SECONDS:.0f} s (status {process.returncode}, {elapsed:.0f} s)")
    else:
        reasons = [line for line in output.splitlines() if str(path) in line]
        if "Traceback" in output:
            failures.append(f"a traceback instead of a one-line reason:\n{output[-2000:]}")
        if len(reasons) != 1:
            failures.append(f"expected exactly one line naming {path}, got {len(reasons)}:\n{output[-2000:]}")
        elif "Refusing to serve" not in reasons[0]:
            failures.append(f"the reason lacks 'Refusing to serve': {reasons[0]!r}")
    report(failures, f"output ({elapsed:.1f} s, status {process.returncode}):\n{output[-1500:]}")


@pytest.mark.parametrize("case", CASES)
def test_stays_check_lists_the_bad_lines(case: str, tmp_path: Path):
    path = tmp_path / "catalog.csv"
    bad_line = corrupt_catalog(case, path)
    stays = Path(sys.executable).parent / "stays"
    command = [str(stays)] if stays.exists() else [sys.executable, "-m", "constraints.cli"]
    result = subprocess.run(command + ["check", "--catalog", str(path)], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"})
    output = result.stdout + result.stderr
    failures = []
    listed = {int(n) for n in re.findall(r"\b(?:line|row) (\d+)", output)}
    if result.returncode == 0 or bad_line not in listed:
        text = (f"`stays check` exit {result.returncode}, lines listed {sorted(listed)}, expected line {bad_line}:"
                f"\n{output[-1500:]}")
        failures.append(text)
    if "Traceback" in output:
        failures.append(f"`stays check` crashed:\n{output[-2000:]}")
    report(failures)


# --- the assistant the faults are done to ------------------------------------------------------

@pytest.fixture(scope="module")
def faulty_services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """This module's own assistant: action server + Rasa, started but not yet waited for."""
    with own_assistant(tmp_path_factory.mktemp("faults"), {"STAYS_TODAY": TEST_TODAY}) as services:
        yield services


@pytest.fixture(scope="module", autouse=True)
def _start_early(request: pytest.FixtureRequest) -> None:
    """Start the assistant as the module begins: its minutes of model loading overlap the catalog cases."""
    if any("faulty" in getattr(item, "fixturenames", ()) and item.module is request.module
           for item in request.session.items):
        request.getfixturevalue("faulty_services")


@pytest.fixture(scope="module")
def faulty(faulty_services):
    wait_or_fail(faulty_services, "the assistant")
    return faulty_services


@pytest.fixture(scope="module")
def client(faulty) -> RestClient:
    return RestClient(faulty, timeout=60)


@pytest.fixture(scope="module")
def catalog_engine():
    from constraints import Engine

    return Engine.load()


def search(client: RestClient, sender: str, text: str) -> Reply:
    """A full search, answering "no" to the must-have question if it comes."""
    reply = client.say(sender, text)
    if "can't do without" in reply.text or any(b.get("payload") == "/deny" for b in reply.buttons):
        reply = client.say(sender, "no")
    return reply


def assert_results(reply: Reply, what: str) -> None:
    assert reply.status == 200, f"{what}: HTTP {reply.status}"
    assert APOLOGY not in reply.text and BUG_APOLOGY not in reply.text, f"{what}: apology: {reply.text[:300]}"
    assert RESULT_LINE.search(reply.text), f"{what}: no results listed: {reply.text[:500]!r}"


def check_picks(engine, ids: list[str], location: str, guests: int, max_price: float) -> list[str]:
    problems = []
    for pid in ids:
        record = engine.show(pid)
        if record["location"] != location:
            problems.append(f"{pid} is in {record['location']}, not {location}")
        if record["accommodates"] < guests:
            problems.append(f"{pid} sleeps {record['accommodates']}, fewer than {guests}")
        if record["price_per_night"] >= max_price:
            problems.append(f"{pid} costs €{record['price_per_night']:g}, not under €{max_price:g}")
    return problems


def kill_action_server(services, how: str) -> None:
    if how == "stop":
        services.stop_one("actions")
    else:
        process = services.processes["actions"]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        services.stop_one("actions")  # forgets the dead process
    deadline = time.monotonic() + 30
    while services.actions_ready():
        assert time.monotonic() < deadline, "the action server still answers after being killed"
        time.sleep(0.2)


# --- (a) the action server goes away and comes back ------------------------------------------

@pytest.mark.parametrize("how", ["stop", "sigkill"])
def test_action_server_down_then_back(how: str, faulty, client: RestClient, catalog_engine):
    sender = client.new_sender(f"fault-actions-{how}")
    assert_results(search(client, sender, "a place in Porto for 4 under 150 a night"), "search before the fault")
    before = client.slots(sender)
    assert before.get("location") == "Porto" and before.get("guests") == 4 and before.get("shown"), before
    first = catalog_engine.show(before["shown"][0])
    first_price = first["price_per_night"]

    kill_action_server(faulty, how)
    try:
        for text in ("cheaper", "show more"):
            reply = client.say(sender, text)
            assert reply.status == 200, f"{text!r} with the action server down: HTTP {reply.status}"
            assert reply.messages, f"{text!r} with the action server down: silence instead of the apology"
            assert APOLOGY in reply.text, f"{text!r} with the action server down: {reply.text[:300]!r}"
            assert client.slots(sender) == before, "slots changed while the action server was down"
    finally:
        faulty.start_actions()
        faulty.wait_ready(180, ("actions",))

    reply = client.say(sender, "cheaper")
    assert_results(reply, "'cheaper' after the action server came back")
    assert f"Cheaper than {first['title']}" in reply.text, f"not relative to the first pick: {reply.text[:300]!r}"
    after = client.slots(sender)
    assert after.get("location") == "Porto" and after.get("guests") == 4, after
    problems = check_picks(catalog_engine, after.get("shown") or [], "Porto", 4, first_price)
    assert after.get("shown") and not problems, f"picks after the restart: {problems or 'none'}\n{reply.text}"


# --- (b) the Rasa server restarts -----------------------------------------------------------------

def test_rasa_restart_keeps_the_conversation(faulty, client: RestClient, catalog_engine):
    sender = client.new_sender("fault-rasa")
    assert_results(search(client, sender, "a place in Lisbon for 2 under 200 a night"), "search before restart")
    tracker = client.tracker(sender)
    before, events_before = tracker["slots"], len(tracker["events"])
    assert before.get("location") == "Lisbon" and before.get("shown"), before
    first = catalog_engine.show(before["shown"][0])
    first_price = first["price_per_night"]

    faulty.stop_one("rasa")
    assert not faulty.rasa_ready(), "Rasa still answers after being stopped"
    faulty.start_rasa()
    faulty.wait_ready(480, ("rasa",))

    tracker = client.tracker(sender)
    assert tracker["slots"] == before, "slots differ after the Rasa restart"
    assert len(tracker["events"]) == events_before, (
        f"{events_before} events before the restart, {len(tracker['events'])} after")

    reply = client.say(sender, "cheaper")
    assert_results(reply, "'cheaper' after the Rasa restart")
    assert f"Cheaper than {first['title']}" in reply.text, f"not relative to the first pick: {reply.text[:300]!r}"
    after = client.slots(sender)
    assert after.get("location") == "Lisbon" and after.get("guests") == 2, after
    assert (after.get("budget") or 0) < first_price, f"budget {after.get('budget')} not below €{first_price:g}"
    problems = check_picks(catalog_engine, after.get("shown") or [], "Lisbon", 2, first_price)
    assert after.get("shown") and not problems, f"picks after the restart: {problems or 'none'}\n{reply.text}"
