"""Load test over the REST channel: concurrent conversations, latency, and no cross-talk.

    .venv/bin/python benchmarks/load.py                       # 50 conversations x 20 turns, own servers
    .venv/bin/python benchmarks/load.py --conversations 5 --turns 8 --no-write      # a quick look
    .venv/bin/python benchmarks/load.py --rasa-url http://127.0.0.1:5005 --token "$RASA_AUTH_TOKEN"

Unless --rasa-url/--token are given, it starts its own action server and Rasa
server (scripts/services.py, free loopback ports, a fresh SQLite tracker store)
and stops them when done. Each conversation has its own destination, party
size and budget, drawn from the knowledge base, and 20 turns mixing full
searches, critiques ("cheaper", "bigger", "show more"), details and changes
("actually 6 people", "under 300"). After every search-like turn the tracker
is read (GET /conversations/{id}/tracker) to check for cross-talk: the slots
are the conversation's own, and every property in `shown` is in its place,
sleeps its party and fits its budget (looked up with constraints.Engine).

Reports HTTP errors, timeouts, apologies, silences and cross-talk, the turn
latency (the webhook call only, not the tracker reads) as p50/p95/p99, and the
throughput; writes them into BENCHMARKS.md between the load-test markers
(--no-write to skip) and exits 1 if there was any error. Loopback only;
bounded by --hard-timeout.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for entry in (ROOT, ROOT / "src"):
    if str(entry) not in sys.path:
        sys.path.insert(0, str(entry))

import aiohttp  # noqa: E402 - installed with Rasa

from constraints import Engine  # noqa: E402

BENCHMARKS_MD = ROOT / "BENCHMARKS.md"
START_MARK, END_MARK = "<!-- load-test:start -->", "<!-- load-test:end -->"
APOLOGIES = ("isn't answering", "something went wrong")
FALLBACK = "Sorry, I didn't get that."
MUST_HAVE_QUESTION = "can't do without"
DETAILS_HEAD = re.compile(r"^\d+\. .+ — (?:.+, )?(?P<place>[^,]+)$")
SEARCH_LIKE = {"search", "no", "cheaper", "bigger", "show more", "guests", "budget"}
# (kind, weight) of the turns after the first search
DETAILS = ["details 1", "details 2", "tell me about the first one", "details 3"]
MIX = [("cheaper", 3), ("bigger", 2), ("show more", 3), ("details", 3), ("guests", 2), ("budget", 2), ("search", 1)]


# --- what each conversation asks for ------------------------------------------------------------

@dataclass
class Plan:
    """One traveller: a place, a party and a budget drawn from the catalog, and a turn mix."""

    sender: str
    location: str
    guests: int
    budget: int
    more_guests: int
    higher_budget: int
    kinds: list[str]

    def search_text(self) -> str:
        return f"a place in {self.location} for {self.guests} under {self.budget} a night"


def draw_plans(engine: Engine, count: int, turns: int, seed: int) -> list[Plan]:
    rng = random.Random(seed)
    catalog = engine.catalog
    locations = sorted(set(catalog.text["location"]))
    run = f"load-{datetime.now(timezone.utc):%H%M%S}-{rng.randrange(16**6):06x}"
    plans = []
    for k in range(count):
        location = locations[k % len(locations)] if k < len(locations) else rng.choice(locations)
        rows = [r for r in range(catalog.size) if catalog.text["location"][r] == location]
        largest = max(int(catalog.accommodates[r]) for r in rows)
        guests = rng.choice([g for g in (1, 2, 2, 2, 3, 4, 4, 5, 6) if g <= largest])
        prices = sorted(float(catalog.price[r]) for r in rows if catalog.accommodates[r] >= guests)
        budget = int(round(prices[int(len(prices) * rng.uniform(0.5, 0.9))], -1)) or 10
        more = min(largest, guests + rng.choice([1, 2, 3]))
        kinds = [kind for kind, weight in MIX for _ in range(weight)]
        plans.append(Plan(sender=f"{run}-{k:03d}", location=location, guests=guests, budget=budget,
                          more_guests=more, higher_budget=int(round(budget * 1.5, -1)),
                          kinds=[rng.choice(kinds) for _ in range(turns)]))
    return plans


# --- one conversation ---------------------------------------------------------------------------

@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)  # seconds, successful webhook calls
    turns: Counter = field(default_factory=Counter)        # kind -> count
    errors: list[str] = field(default_factory=list)
    error_kinds: Counter = field(default_factory=Counter)  # kind -> count
    warnings: list[str] = field(default_factory=list)
    trackers_checked: int = 0
    picks_checked: int = 0


class Conversation:
    def __init__(self, plan: Plan, session: aiohttp.ClientSession, rasa_url: str, token: str,
                 engine: Engine, outcome: Outcome, request_timeout: float) -> None:
        self.plan, self.session, self.rasa_url, self.token = plan, session, rasa_url, token
        self.engine, self.outcome = engine, outcome
        self.timeout = aiohttp.ClientTimeout(total=request_timeout)
        self.stated_guests = {plan.guests}
        self.stated_budgets = {plan.budget}
        self.last_shown: list[str] | None = None
        self.details_asked = 0

    def error(self, turn: int, text: str, kind: str, problem: str) -> None:
        self.outcome.error_kinds[kind] += 1
        self.outcome.errors.append(f"{self.plan.sender} turn {turn} {text[:60]!r}: {kind}: {problem}")

    async def say(self, turn: int, text: str) -> list[dict[str, Any]] | None:
        started = time.perf_counter()
        try:
            async with self.session.post(f"{self.rasa_url}/webhooks/rest/webhook", timeout=self.timeout,
                                         json={"sender": self.plan.sender, "message": text}) as response:
                body = await response.text()
                elapsed = time.perf_counter() - started
                if response.status != 200:
                    self.error(turn, text, "HTTP error", f"HTTP {response.status}: {body[:200]}")
                    return None
        except asyncio.TimeoutError:
            self.error(turn, text, "timeout", f"no answer within {self.timeout.total:.0f} s")
            return None
        except aiohttp.ClientError as exc:
            self.error(turn, text, "connection error", str(exc))
            return None
        self.outcome.latencies.append(elapsed)
        messages = json.loads(body) if body else []
        texts = "\n".join(m.get("text") or "" for m in messages)
        if not messages:
            self.error(turn, text, "silence", "no reply at all")
        for apology in APOLOGIES:
            if apology in texts:
                self.error(turn, text, "apology", repr(texts[:200]))
        if sum(1 for m in messages if (m.get("text") or "").startswith(FALLBACK)) >= 3:
            self.error(turn, text, "fallback loop", "the same fallback 3+ times (Rasa's circuit breaker)")
        return messages

    async def tracker(self, turn: int) -> dict[str, Any] | None:
        url = f"{self.rasa_url}/conversations/{self.plan.sender}/tracker?token={self.token}"
        try:
            async with self.session.get(url, timeout=self.timeout) as response:
                if response.status != 200:
                    self.error(turn, "(tracker)", "tracker read", f"HTTP {response.status}")
                    return None
                return await response.json()
        except (asyncio.TimeoutError, aiohttp.ClientError) as exc:
            self.error(turn, "(tracker)", "tracker read", f"{type(exc).__name__}: {exc}")
            return None

    async def check_slots(self, turn: int, text: str) -> None:
        tracker = await self.tracker(turn)
        if tracker is None:
            return
        self.outcome.trackers_checked += 1
        slots = tracker.get("slots") or {}
        plan = self.plan
        location, guests, budget = slots.get("location"), slots.get("guests"), slots.get("budget")
        if location is None:
            self.outcome.warnings.append(f"{plan.sender} turn {turn} {text!r}: no location in the slots")
            return
        if location != plan.location:
            self.error(turn, text, "cross-talk", f"location slot {location!r}, this conversation asked for "
                                                 f"{plan.location!r}")
        if guests is not None and int(guests) not in self.stated_guests:
            self.error(turn, text, "cross-talk",
                       f"guests slot {guests}, this conversation said {sorted(self.stated_guests)}")
        if budget is not None and budget > max(self.stated_budgets):
            self.error(turn, text, "cross-talk", f"budget slot {budget}, above anything this conversation "
                                                 f"said ({sorted(self.stated_budgets)})")
        shown = list(slots.get("shown") or [])
        if shown == self.last_shown:  # nothing new was shown (e.g. no match): checked when it was shown
            return
        self.last_shown = shown
        catalog = self.engine.catalog
        for pid in shown:
            self.outcome.picks_checked += 1
            try:
                row = catalog.row(pid)
            except Exception:  # noqa: BLE001 - an unknown id is itself the finding
                self.error(turn, text, "cross-talk", f"shown id {pid!r} is not in the catalog")
                continue
            where = catalog.text["location"][row]
            if where != plan.location:
                self.error(turn, text, "cross-talk", f"shown {pid} is in {where}, not {plan.location}")
            if guests is not None and catalog.accommodates[row] < int(guests):
                self.error(turn, text, "cross-talk", f"shown {pid} sleeps {catalog.accommodates[row]}, "
                                                     f"the party is {int(guests)}")
            if budget is not None and catalog.price_base[row] > budget + 1e-6:
                self.error(turn, text, "cross-talk", f"shown {pid} costs {catalog.price_base[row]:g}, "
                                                     f"the budget is {budget:g}")

    def check_details(self, turn: int, text: str, messages: list[dict[str, Any]]) -> None:
        first_line = ((messages[0].get("text") or "").splitlines() or [""])[0] if messages else ""
        match = DETAILS_HEAD.match(first_line)
        if match and match.group("place").strip() != self.plan.location:
            self.error(turn, text, "cross-talk", f"details of a place in {match.group('place')!r}: {first_line!r}")

    def text_for(self, kind: str) -> str:
        plan = self.plan
        if kind == "search":
            self.stated_guests.add(plan.guests)
            self.stated_budgets.add(plan.budget)
            return plan.search_text()
        if kind == "guests":
            self.stated_guests.add(plan.more_guests)
            return f"actually {plan.more_guests} people"
        if kind == "budget":
            self.stated_budgets.add(plan.higher_budget)
            return f"under {plan.higher_budget}"
        if kind == "details":
            self.details_asked += 1
            return DETAILS[self.details_asked % len(DETAILS)]
        return kind

    async def run(self, turns: int) -> None:
        try:
            await self._run(turns)
        except Exception as exc:  # noqa: BLE001 - one broken conversation must not hide the others
            self.error(0, "(conversation)", "client crash", f"{type(exc).__name__}: {exc}")

    async def _run(self, turns: int) -> None:
        pending_no = False
        for turn in range(1, turns + 1):
            if turn == 1:
                kind = "search"
            elif pending_no:
                kind = "no"
            else:
                kind = self.plan.kinds[turn - 1]
            text = "no" if kind == "no" else self.text_for(kind)
            messages = await self.say(turn, text)
            self.outcome.turns[kind] += 1
            if messages is None:
                pending_no = False
                continue
            joined = "\n".join(m.get("text") or "" for m in messages)
            pending_no = MUST_HAVE_QUESTION in joined or any(
                b.get("payload") == "/deny" for m in messages for b in m.get("buttons") or [])
            if kind == "details":
                self.check_details(turn, text, messages)
            if kind in SEARCH_LIKE:
                await self.check_slots(turn, text)


# --- the run ------------------------------------------------------------------------------------

def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = int(position), min(int(position) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


async def run_load(plans: list[Plan], rasa_url: str, token: str, engine: Engine, turns: int,
                   request_timeout: float, hard_timeout: float) -> tuple[Outcome, float, bool, list[float]]:
    outcome = Outcome()
    loads: list[float] = []

    async def sample_load() -> None:
        while True:
            loads.append(os.getloadavg()[0])
            await asyncio.sleep(5)

    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        conversations = [Conversation(p, session, rasa_url, token, engine, outcome, request_timeout) for p in plans]
        sampler = asyncio.create_task(sample_load())
        started = time.perf_counter()
        timed_out = False
        try:
            await asyncio.wait_for(asyncio.gather(*(c.run(turns) for c in conversations)), hard_timeout)
        except asyncio.TimeoutError:
            timed_out = True
            outcome.errors.append(f"hard timeout: the load did not finish within {hard_timeout:.0f} s")
            outcome.error_kinds["hard timeout"] += 1
        elapsed = time.perf_counter() - started
        sampler.cancel()
    return outcome, elapsed, timed_out, loads


def machine() -> dict[str, Any]:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        kib = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        memory = "unknown RAM"
    try:
        from importlib.metadata import version

        rasa = version("rasa")
    except Exception:  # noqa: BLE001
        rasa = "?"
    return {"cores": os.cpu_count(), "cpu": cpu, "memory": memory, "python": platform.python_version(),
            "rasa": rasa, "aiohttp": aiohttp.__version__}


def markdown(result: dict[str, Any]) -> str:
    m, lat = result["machine"], result["latency_ms"]
    errors = result["errors"]
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(result["turn_kinds"].items(), key=lambda kv: -kv[1]))
    loads = result["load_average"]
    error_cell = "**0**" if not errors else f"**{len(errors)}**: " + "; ".join(
        f"{kind} {n}" for kind, n in Counter(result["error_kinds"]).most_common())
    return "\n".join([
        START_MARK,
        "## Load test: concurrent conversations over the REST channel",
        "",
        f"`python benchmarks/load.py` (defaults: {result['conversations']} concurrent conversations × "
        f"{result['turns_per_conversation']} turns), run on {result['date']}. Machine: {m['cores']} cores ({m['cpu']}), "
        f"{m['memory']}, Python {m['python']}, Rasa {m['rasa']}, aiohttp {m['aiohttp']}. {result['setup']} "
        f"The machine is shared: load average (1 min) {loads['start']:.1f} at the start, up to {loads['max']:.1f} "
        f"during the run, {loads['end']:.1f} at the end, so latencies carry other people's work.",
        "",
        "| | |",
        "|---|---:|",
        f"| Turns sent (HTTP 200) | {result['turns_sent']} ({result['turns_ok']}) |",
        f"| Turn latency, webhook only: p50 / p95 / p99 | **{lat['p50']:.0f} / {lat['p95']:.0f} / {lat['p99']:.0f} ms** |",
        f"| Turn latency: mean / max | {lat['mean']:.0f} / {lat['max']:.0f} ms |",
        f"| Throughput | **{result['throughput']:.1f} turns/s** ({result['turns_sent']} turns in "
        f"{result['elapsed_s']:.0f} s, tracker reads included in the wall time) |",
        f"| Errors (HTTP ≠ 200, timeouts, apologies, silence, fallback loops, cross-talk) | {error_cell} |",
        f"| Cross-talk checks: trackers read after search-like turns / picks checked | "
        f"{result['trackers_checked']} / {result['picks_checked']} |",
        "",
        f"Turn mix: {kinds}. Each conversation has its own destination (all {result['destinations']} "
        "destinations used), party size and budget drawn from the catalog; after every search-like turn its "
        "tracker is read and its `location`, `guests` and `budget` slots must be its own, and every property in "
        "`shown` must be in its destination, sleep its party and cost at most its budget (checked with "
        "`constraints.Engine`). Latency percentiles are over the webhook calls only.",
        END_MARK,
    ])


def write_benchmarks(section: str, path: Path = BENCHMARKS_MD) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    start, end = text.find(START_MARK), text.find(END_MARK)
    if start != -1 and end > start:
        text = text[:start] + section + text[end + len(END_MARK):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--turns", type=int, default=20, help="messages per conversation")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rasa-url", help="a running Rasa server (loopback); needs --token")
    parser.add_argument("--token", help="its --auth-token, to read trackers")
    parser.add_argument("--catalog", type=Path, help="catalog the servers use (default: knowledge/catalog.csv)")
    parser.add_argument("--request-timeout", type=float, default=120.0, help="seconds per HTTP request")
    parser.add_argument("--hard-timeout", type=float, default=1200.0, help="seconds for the whole load phase")
    parser.add_argument("--start-timeout", type=float, default=600.0, help="seconds to wait for own servers")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--no-write", action="store_true", help="do not update BENCHMARKS.md")
    args = parser.parse_args(argv)
    if bool(args.rasa_url) != bool(args.token):
        parser.error("--rasa-url and --token go together")
    if args.rasa_url and not re.match(r"^https?://(127\.0\.0\.1|localhost|\[::1\])(:\d+)?/?$", args.rasa_url):
        parser.error("loopback only: --rasa-url must be http://127.0.0.1:<port> or http://localhost:<port>")
    if args.conversations < 1 or args.turns < 1:
        parser.error("--conversations and --turns must be at least 1")

    # a backstop so the script always stops by itself, servers included
    def on_alarm(signum: int, frame: object) -> None:
        raise TimeoutError("load.py: overall time limit reached")

    def on_term(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGALRM, on_alarm)
    signal.signal(signal.SIGTERM, on_term)
    signal.alarm(int(args.start_timeout + args.hard_timeout + 120))

    engine = Engine.load(catalog_path=args.catalog)
    plans = draw_plans(engine, args.conversations, args.turns, args.seed)
    services, workdir, failed = None, None, True
    try:
        if args.rasa_url:
            rasa_url, token = args.rasa_url.rstrip("/"), args.token
            setup = f"Servers already running at {rasa_url}."
        else:
            from scripts.services import RASA_DIR, Ports, Services, free_ports

            workdir = Path(tempfile.mkdtemp(prefix="stays-load-"))
            env = {"STAYS_CATALOG": str(args.catalog.resolve())} if args.catalog else {}
            services = Services(Ports(*free_ports(3)), tracker_db=workdir / "tracker.db",
                                log_dir=workdir / "logs", extra_env=env, web=False)
            model = RASA_DIR / "models" / "stays.tar.gz"
            print(f"Starting an action server and a Rasa server on free loopback ports (logs: {workdir}/logs)...",
                  flush=True)
            began = time.perf_counter()
            services.start(timeout=args.start_timeout)
            rasa_url, token = services.rasa_url, services.token
            setup = (f"Servers started by the script with scripts/services.py on loopback: one action server and "
                     f"one Rasa server (SQLite tracker store, in-memory lock store), model "
                     f"`{model.relative_to(ROOT)}` of {datetime.fromtimestamp(model.stat().st_mtime, timezone.utc):%Y-%m-%d %H:%M} UTC "
                     f"(ready {time.perf_counter() - began:.0f} s after start).")
        load_start = os.getloadavg()[0]
        print(f"Running {len(plans)} conversations x {args.turns} turns against {rasa_url}...", flush=True)
        outcome, elapsed, timed_out, loads = asyncio.run(run_load(
            plans, rasa_url, token, engine, args.turns, args.request_timeout, args.hard_timeout))
        load_end = os.getloadavg()[0]
        failed = bool(outcome.errors)
    except KeyboardInterrupt:
        print("load.py: interrupted", file=sys.stderr)
        return 1
    except (RuntimeError, TimeoutError) as error:
        print(f"load.py: {error}", file=sys.stderr)
        return 1
    finally:
        signal.alarm(0)
        if services is not None:
            services.stop()
        if workdir is not None and not failed:
            shutil.rmtree(workdir, ignore_errors=True)
        elif workdir is not None:
            print(f"Server logs kept in {workdir}/logs", file=sys.stderr)

    lat = [s * 1000 for s in outcome.latencies]
    turns_sent = sum(outcome.turns.values())
    result = {
        "date": f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        "machine": machine(),
        "setup": setup,
        "conversations": len(plans),
        "turns_per_conversation": args.turns,
        "destinations": len({p.location for p in plans}),
        "turns_sent": turns_sent,
        "turns_ok": len(lat),
        "turn_kinds": dict(outcome.turns),
        "latency_ms": {"p50": percentile(lat, 0.5), "p95": percentile(lat, 0.95), "p99": percentile(lat, 0.99),
                       "mean": statistics.fmean(lat) if lat else float("nan"), "max": max(lat, default=float("nan"))},
        "elapsed_s": elapsed,
        "throughput": turns_sent / elapsed if elapsed else 0.0,
        "trackers_checked": outcome.trackers_checked,
        "picks_checked": outcome.picks_checked,
        "errors": outcome.errors,
        "error_kinds": dict(outcome.error_kinds),
        "warnings": outcome.warnings,
        "timed_out": timed_out,
        "load_average": {"start": load_start, "max": max(loads + [load_start, load_end]), "end": load_end},
    }
    print(f"\nTurns: {turns_sent} sent, {len(lat)} answered with HTTP 200, in {elapsed:.1f} s "
          f"({result['throughput']:.1f} turns/s)")
    print(f"Turn latency (webhook only): p50 {result['latency_ms']['p50']:.0f} ms, p95 {result['latency_ms']['p95']:.0f} ms, "
          f"p99 {result['latency_ms']['p99']:.0f} ms, max {result['latency_ms']['max']:.0f} ms")
    print(f"Cross-talk checks: {outcome.trackers_checked} trackers, {outcome.picks_checked} picks")
    print(f"Load average (1 min): {load_start:.2f} at the start, max {result['load_average']['max']:.2f}, "
          f"{load_end:.2f} at the end")
    print(f"Turn mix: {dict(outcome.turns)}")
    if outcome.warnings:
        print(f"{len(outcome.warnings)} warning(s), e.g.:\n  " + "\n  ".join(outcome.warnings[:10]))
    if outcome.errors:
        print(f"{len(outcome.errors)} ERROR(S) ({dict(outcome.error_kinds)}), e.g.:\n  " + "\n  ".join(outcome.errors[:20]))
    else:
        print("Errors: none")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    if not args.no_write:
        write_benchmarks(markdown(result))
        print(f"Wrote the figures into {BENCHMARKS_MD} between {START_MARK} and {END_MARK}")
    return 1 if outcome.errors else 0


if __name__ == "__main__":
    sys.exit(main())
