"""Load test over the REST channel: concurrent conversations, latency, and no cross-talk.

    .venv/bin/python benchmarks/load.py                       # 20 and 50 conversations x 8 turns, own servers
    .venv/bin/python benchmarks/load.py --conversations 50 --turns 20
    .venv/bin/python benchmarks/load.py --conversations 5 --turns 8 --no-write      # a quick look
    .venv/bin/python benchmarks/load.py --rasa-url http://127.0.0.1:5005 --token "$RASA_AUTH_TOKEN"

Unless --rasa-url/--token are given, it starts its own action server and Rasa
server (scripts/services.py, free loopback ports, a fresh SQLite tracker store)
and stops them when done; each level of --conversations (e.g. 20,50) runs in
turn on the same servers, --rounds times (new senders each round) after
--warmup uncounted conversations; throughput is the median of the rounds. Each conversation has its own
fingerprint: a (destination, party, budget) triple no other conversation has,
drawn from the catalog, and turns mixing full searches, critiques ("cheaper",
"bigger", "show more"), details and changes ("actually 6 people", "under
300"). Two conversations in the same destination get parties and budgets
that cannot be mistaken for each other: every party size the later one ever
states is larger than any the earlier one states, and its budget is above
the earlier one's raised budget. After every turn the tracker is read
(GET /conversations/{id}/tracker) and checked: the `location`, `guests` and
`budget` slots must be present and the conversation's own (a missing one is an
error), and every property in `shown` must be in its destination, sleep its
smallest stated party and cost at most its largest stated budget (looked up
with constraints.Engine), so a swap between two conversations of one
destination shows as a wrong party or budget.

Reports HTTP errors, timeouts, apologies, silences, missing slots and cross-talk, the turn
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
for entry in (ROOT, ROOT / "src", ROOT / "benchmarks"):
    if str(entry) not in sys.path:
        sys.path.insert(0, str(entry))

import aiohttp  # noqa: E402 - installed with Rasa
import numpy as np  # noqa: E402
from report import replace_section  # noqa: E402 - benchmarks/report.py, beside this script

from constraints import Engine  # noqa: E402

BENCHMARKS_MD = ROOT / "BENCHMARKS.md"
START_MARK, END_MARK = "<!-- load-test:start -->", "<!-- load-test:end -->"
APOLOGIES = ("isn't answering", "something went wrong")
FALLBACK = "Sorry, I didn't get that."
MUST_HAVE_QUESTION = "can't do without"
DETAILS_HEAD = re.compile(r"^\d+\. .+ — (?:.+, )?(?P<place>[^,]+)$")
# (kind, weight) of the turns after the first search
DETAILS = ["details 1", "details 2", "tell me about the first one", "details 3"]
MIX = [("cheaper", 3), ("bigger", 2), ("show more", 3), ("details", 3), ("guests", 2), ("budget", 2), ("search", 1)]


# --- what each conversation asks for ------------------------------------------------------------

@dataclass
class Plan:
    """One traveller: a destination, a party and a budget drawn from the catalog, and a turn mix.

    (location, guests, budget) is the conversation's fingerprint; `parties` and
    `budgets` are every value it will ever state, which the checks compare with.
    """

    sender: str
    location: str
    guests: int
    budget: int
    more_guests: int
    higher_budget: int
    kinds: list[str]

    def search_text(self) -> str:
        return f"a place in {self.location} for {self.guests} under {self.budget} a night"

    @property
    def fingerprint(self) -> tuple[str, int, int]:
        return self.location, self.guests, self.budget

    @property
    def parties(self) -> set[int]:
        return {self.guests, self.more_guests}

    @property
    def budgets(self) -> set[int]:
        return {self.budget, self.higher_budget}


def draw_plans(engine: Engine, count: int, turns: int, seed: int, run: str | None = None) -> list[Plan]:
    """`count` plans with distinct fingerprints; destinations are shared only when count exceeds them.

    The k-th conversation of a destination states only parties larger than
    every party of the conversation before it there, and a budget above that
    one's raised budget, so their slots and their picks cannot pass for each other.
    """
    rng = random.Random(seed)
    catalog = engine.catalog
    where = catalog.text["location"]
    locations = sorted(set(where))
    run = run or f"load-{datetime.now(timezone.utc):%H%M%S}-{rng.randrange(16**6):06x}"
    kinds = [kind for kind, weight in MIX for _ in range(weight)]
    last: dict[str, Plan] = {}
    plans: list[Plan] = []
    for k in range(count):
        for shift in range(len(locations)):
            location = locations[(k + shift) % len(locations)]
            rows = np.flatnonzero(where == location)
            largest = int(catalog.accommodates[rows].max())
            before = last.get(location)
            low = before.more_guests + 1 if before else 1
            # the first conversation of a destination keeps to small parties, so a later one fits above it
            choices = [g for g in ((1, 2, 2, 2, 3) if before is None else (low, low, low + 1)) if low <= g <= largest]
            if choices:
                break
        else:
            raise SystemExit(f"load.py: {count} conversations need more distinct parties than the catalog offers")
        guests = rng.choice(choices)
        more = min(largest, guests + rng.choice([1, 2]))
        prices = np.sort(catalog.price[rows[catalog.accommodates[rows] >= guests]].astype(float))
        budget = int(round(float(prices[int(len(prices) * rng.uniform(0.5, 0.9))]), -1)) or 10
        if before is not None:
            budget = max(budget, before.higher_budget + 10)
        plan = Plan(sender=f"{run}-{k:03d}", location=location, guests=guests, budget=budget, more_guests=more,
                    higher_budget=int(round(budget * 1.5, -1)), kinds=[rng.choice(kinds) for _ in range(turns)])
        last[location] = plan
        plans.append(plan)
    assert len({p.fingerprint for p in plans}) == len(plans), "two conversations share a fingerprint"
    return plans


# --- one conversation ---------------------------------------------------------------------------

@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)  # seconds, successful webhook calls
    turns: Counter = field(default_factory=Counter)        # kind -> count
    errors: list[str] = field(default_factory=list)
    error_kinds: Counter = field(default_factory=Counter)  # kind -> count
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

    async def check_fingerprint(self, turn: int, text: str) -> None:
        """The tracker's slots and shown picks must be this conversation's own, after every turn."""
        tracker = await self.tracker(turn)
        if tracker is None:
            return
        self.outcome.trackers_checked += 1
        slots = tracker.get("slots") or {}
        plan = self.plan
        location, guests, budget = slots.get("location"), slots.get("guests"), slots.get("budget")
        missing = [name for name, value in (("location", location), ("guests", guests), ("budget", budget))
                   if value is None]
        if missing:
            self.error(turn, text, "missing slot", f"no {', '.join(missing)} in the tracker's slots")
        if location is not None and location != plan.location:
            self.error(turn, text, "cross-talk", f"location slot {location!r}, this conversation asked for "
                                                 f"{plan.location!r}")
        if guests is not None and int(guests) not in self.stated_guests:
            self.error(turn, text, "cross-talk",
                       f"guests slot {guests}, this conversation said {sorted(self.stated_guests)}")
        if budget is not None and float(budget) > max(self.stated_budgets):
            self.error(turn, text, "cross-talk", f"budget slot {budget}, above anything this conversation "
                                                 f"said ({sorted(self.stated_budgets)})")
        shown = list(slots.get("shown") or [])
        if shown == self.last_shown:  # nothing new was shown (e.g. no match): checked when it was shown
            return
        self.last_shown = shown
        catalog = self.engine.catalog
        party, cap = min(self.stated_guests), max(self.stated_budgets)
        for pid in shown:
            self.outcome.picks_checked += 1
            try:
                row = catalog.row(pid)
            except Exception:  # noqa: BLE001 - an unknown id is itself the finding
                self.error(turn, text, "cross-talk", f"shown id {pid!r} is not in the catalog")
                continue
            place = catalog.text["location"][row]
            if place != plan.location:
                self.error(turn, text, "cross-talk", f"shown {pid} is in {place}, not {plan.location}")
            if catalog.accommodates[row] < party:
                self.error(turn, text, "cross-talk", f"shown {pid} sleeps {catalog.accommodates[row]}, "
                                                     f"this conversation's smallest party is {party}")
            # a bare budget is in the destination's currency, like the catalog's own price
            if catalog.price[row] > cap + 1e-6:
                self.error(turn, text, "cross-talk", f"shown {pid} costs {catalog.price[row]:g}, "
                                                     f"this conversation's largest budget is {cap:g}")

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
            await self.check_fingerprint(turn, text)


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
        kib = int(next(line for line in Path("/proc/meminfo").read_text().splitlines()
                       if line.startswith("MemTotal")).split()[1])
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


def merged(outcomes: list[Outcome]) -> Outcome:
    """The rounds of one level as one outcome (latencies pooled, counts added)."""
    total = Outcome()
    for outcome in outcomes:
        total.latencies += outcome.latencies
        total.turns.update(outcome.turns)
        total.errors += outcome.errors
        total.error_kinds.update(outcome.error_kinds)
        total.trackers_checked += outcome.trackers_checked
        total.picks_checked += outcome.picks_checked
    return total


def level_result(plans: list[Plan], turns: int, rounds: list[tuple[Outcome, float, bool, list[float]]],
                 load_start: float, load_end: float) -> dict[str, Any]:
    """The figures of one level (one number of concurrent conversations) over its rounds.

    Latency percentiles pool every round's turns; throughput is the median of the rounds'.
    """
    outcome = merged([r[0] for r in rounds])
    lat = [s * 1000 for s in outcome.latencies]
    turns_sent = sum(outcome.turns.values())
    per_round = [sum(o.turns.values()) / elapsed if elapsed else 0.0 for o, elapsed, _, _ in rounds]
    loads = [x for r in rounds for x in r[3]]
    elapsed = sum(r[1] for r in rounds)
    return {
        "conversations": len(plans),
        "turns_per_conversation": turns,
        "destinations": len({p.location for p in plans}),
        "shared_destinations": sum(1 for n in Counter(p.location for p in plans).values() if n > 1),
        "fingerprints": len({p.fingerprint for p in plans}),
        "turns_sent": turns_sent,
        "turns_ok": len(lat),
        "turn_kinds": dict(outcome.turns),
        "latency_ms": {"p50": percentile(lat, 0.5), "p95": percentile(lat, 0.95), "p99": percentile(lat, 0.99),
                       "mean": statistics.fmean(lat) if lat else float("nan"), "max": max(lat, default=float("nan"))},
        "elapsed_s": elapsed,
        "rounds": len(rounds),
        "throughput": statistics.median(per_round),
        "throughput_rounds": per_round,
        "trackers_checked": outcome.trackers_checked,
        "picks_checked": outcome.picks_checked,
        "errors": outcome.errors,
        "error_kinds": dict(outcome.error_kinds),
        "timed_out": any(r[2] for r in rounds),
        "load_average": {"start": load_start, "max": max(loads + [load_start, load_end]), "end": load_end},
    }


def markdown(run: dict[str, Any]) -> str:
    m, levels = run["machine"], run["levels"]

    def cells(render: Any) -> str:
        return " | ".join(render(level) for level in levels)

    def errors(level: dict[str, Any]) -> str:
        if not level["errors"]:
            return "**0**"
        return f"**{len(level['errors'])}**: " + "; ".join(
            f"{kind} {n}" for kind, n in Counter(level["error_kinds"]).most_common())

    def lat(level: dict[str, Any]) -> str:
        x = level["latency_ms"]
        return f"**{x['p50']:.0f} / {x['p95']:.0f} / {x['p99']:.0f}**"

    mix = Counter()
    for level in levels:
        mix.update(level["turn_kinds"])
    kinds = ", ".join(f"{k} {n}" for k, n in mix.most_common())
    sizes = ",".join(str(level["conversations"]) for level in levels)
    return "\n".join([
        "## Load test: concurrent conversations over the REST channel",
        "",
        f"`python benchmarks/load.py --conversations {sizes} --turns {run['turns']} --rounds {run['rounds']}`, "
        f"run on {run['date']}. "
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory']}, Python {m['python']}, Rasa {m['rasa']}, "
        f"aiohttp {m['aiohttp']}. {run['setup']} Each level runs {run['rounds']} rounds after {run['warmup']} "
        "warm-up conversations (not counted), on the same servers with new senders each round. "
        "The machine is shared, so latencies carry other "
        "people's work (load average per level below).",
        "",
        "| concurrent conversations | " + cells(lambda lv: str(lv["conversations"])) + " |",
        "|---|" + "---:|" * len(levels),
        "| Turns sent (HTTP 200) | " + cells(lambda lv: f"{lv['turns_sent']} ({lv['turns_ok']})") + " |",
        "| Turn latency, webhook only: p50 / p95 / p99 (ms) | " + cells(lat) + " |",
        "| Turn latency: mean / max (ms) | " + cells(
            lambda lv: f"{lv['latency_ms']['mean']:.0f} / {lv['latency_ms']['max']:.0f}") + " |",
        "| Throughput (turns/s, median of the rounds [lowest–highest]; tracker reads in the wall time) | "
        + cells(lambda lv: f"**{lv['throughput']:.1f}** [{min(lv['throughput_rounds']):.1f}–"
                           f"{max(lv['throughput_rounds']):.1f}]") + " |",
        "| Rounds × turns per round; wall time of all rounds | " + cells(
            lambda lv: f"{lv['rounds']} × {lv['turns_sent'] // lv['rounds']}; {lv['elapsed_s']:.0f} s") + " |",
        "| Errors (HTTP ≠ 200, timeouts, apologies, silence, fallback loops, missing slots, cross-talk) | "
        + cells(errors) + " |",
        "| Fingerprints checked: trackers read / shown picks checked | " + cells(
            lambda lv: f"{lv['trackers_checked']} / {lv['picks_checked']}") + " |",
        "| Destinations (shared by two conversations) | " + cells(
            lambda lv: f"{lv['destinations']} ({lv['shared_destinations']})") + " |",
        "| Load average (1 min): start / max / end | " + cells(
            lambda lv: "{start:.1f} / {max:.1f} / {end:.1f}".format(**lv["load_average"])) + " |",
        "",
        f"Turn mix: {kinds}. Each conversation has its own fingerprint, a (destination, party, budget) triple "
        "no other has; where two share a destination, every party the later one states is larger than any "
        "the earlier one states and its budget is above the earlier one's raised budget. After every turn its "
        "tracker is read: the `location`, `guests` and `budget` slots must be there (a missing one is an "
        "error) and be its own, and every property in `shown` must be in its destination, sleep its smallest "
        "stated party and cost at most its largest stated budget (checked with `constraints.Engine`). "
        "Latency percentiles are over the webhook calls only.",
    ])


def counts(text: str) -> list[int]:
    values = [int(part) for part in text.split(",") if part.strip()]
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("conversation counts must be positive, e.g. 20,50")
    return values


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=counts, default=[20, 50],
                        help="concurrent conversations, one level per comma-separated count (default 20,50)")
    parser.add_argument("--turns", type=int, default=8, help="messages per conversation")
    parser.add_argument("--warmup", type=int, default=2, help="conversations run (not counted) before each level")
    parser.add_argument("--rounds", type=int, default=3, help="times each level runs (new senders each time)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rasa-url", help="a running Rasa server (loopback); needs --token")
    parser.add_argument("--token", help="its --auth-token, to read trackers")
    parser.add_argument("--catalog", type=Path, help="catalog the servers use (default: knowledge/catalog.csv)")
    parser.add_argument("--request-timeout", type=float, default=120.0, help="seconds per HTTP request")
    parser.add_argument("--hard-timeout", type=float, default=1200.0, help="seconds for each level's load phase")
    parser.add_argument("--start-timeout", type=float, default=600.0, help="seconds to wait for own servers")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--no-write", action="store_true", help="do not update BENCHMARKS.md")
    args = parser.parse_args(argv)
    if bool(args.rasa_url) != bool(args.token):
        parser.error("--rasa-url and --token go together")
    if args.rasa_url and not re.match(r"^https?://(127\.0\.0\.1|localhost|\[::1\])(:\d+)?/?$", args.rasa_url):
        parser.error("loopback only: --rasa-url must be http://127.0.0.1:<port> or http://localhost:<port>")
    if args.turns < 1 or args.warmup < 0 or args.rounds < 1:
        parser.error("--turns and --rounds must be at least 1, --warmup at least 0")

    # a backstop so the script always stops by itself, servers included
    def on_alarm(signum: int, frame: object) -> None:
        raise TimeoutError("load.py: overall time limit reached")

    def on_term(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGALRM, on_alarm)
    signal.signal(signal.SIGTERM, on_term)
    signal.alarm(int(args.start_timeout + (args.hard_timeout + 60) * len(args.conversations) * (args.rounds + 1)
                     + 120))

    engine = Engine.load(catalog_path=args.catalog)
    stamp = f"load-{datetime.now(timezone.utc):%H%M%S}-{random.Random(args.seed).randrange(16**6):06x}"
    levels: list[dict[str, Any]] = []
    services, workdir, failed = None, None, True
    try:
        if args.rasa_url:
            rasa_url, token = args.rasa_url.rstrip("/"), args.token
            setup = f"Servers already running at {rasa_url}."
        else:
            services, workdir, setup = start_own_servers(args.catalog, args.start_timeout)
            rasa_url, token = services.rasa_url, services.token
        for size in args.conversations:
            if args.warmup:
                warm = draw_plans(engine, args.warmup, args.turns, args.seed + 1, run=f"{stamp}-warm{size}")
                asyncio.run(run_load(warm, rasa_url, token, engine, args.turns, args.request_timeout,
                                     args.hard_timeout))
            load_start = os.getloadavg()[0]
            rounds = []
            for r in range(args.rounds):  # the same plans each round, under new senders
                plans = draw_plans(engine, size, args.turns, args.seed, run=f"{stamp}-c{size}-r{r}")
                print(f"Running {len(plans)} conversations x {args.turns} turns against {rasa_url} "
                      f"(round {r + 1}/{args.rounds})...", flush=True)
                rounds.append(asyncio.run(run_load(
                    plans, rasa_url, token, engine, args.turns, args.request_timeout, args.hard_timeout)))
            level = level_result(plans, args.turns, rounds, load_start, os.getloadavg()[0])
            levels.append(level)
            report_level(level)
        failed = any(level["errors"] for level in levels)
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

    run = {"date": f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC", "machine": machine(), "setup": setup,
           "turns": args.turns, "warmup": args.warmup, "rounds": args.rounds, "levels": levels}
    if args.json:
        args.json.write_text(json.dumps(run, indent=2, default=str), encoding="utf-8")
    if not args.no_write:
        replace_section(BENCHMARKS_MD, START_MARK, END_MARK, markdown(run))
        print(f"Wrote the figures into {BENCHMARKS_MD} between {START_MARK} and {END_MARK}")
    return 1 if failed else 0


def start_own_servers(catalog: Path | None, timeout: float) -> tuple[Any, Path, str]:
    """An action server and a Rasa server on free loopback ports, with a fresh SQLite tracker store."""
    from scripts.services import RASA_DIR, Ports, Services, free_ports

    workdir = Path(tempfile.mkdtemp(prefix="stays-load-"))
    env = {"STAYS_CATALOG": str(catalog.resolve())} if catalog else {}
    services = Services(Ports(*free_ports(3)), tracker_db=workdir / "tracker.db", log_dir=workdir / "logs",
                        extra_env=env, web=False)
    model = RASA_DIR / "models" / "stays.tar.gz"
    print(f"Starting an action server and a Rasa server on free loopback ports (logs: {workdir}/logs)...",
          flush=True)
    began = time.perf_counter()
    try:
        services.start(timeout=timeout)
    except BaseException:
        services.stop()
        raise
    setup = (f"Servers started by the script with scripts/services.py on loopback: one action server and one "
             f"Rasa server (SQLite tracker store, in-memory lock store), model `{model.relative_to(ROOT)}` of "
             f"{datetime.fromtimestamp(model.stat().st_mtime, timezone.utc):%Y-%m-%d %H:%M} UTC "
             f"(ready {time.perf_counter() - began:.0f} s after start).")
    return services, workdir, setup


def report_level(level: dict[str, Any]) -> None:
    lat = level["latency_ms"]
    print(f"\n{level['conversations']} conversations: {level['turns_sent']} turns sent, {level['turns_ok']} "
          f"answered with HTTP 200, in {level['elapsed_s']:.1f} s over {level['rounds']} rounds "
          f"(median {level['throughput']:.1f} turns/s; rounds {[round(x, 1) for x in level['throughput_rounds']]})")
    print(f"Turn latency (webhook only): p50 {lat['p50']:.0f} ms, p95 {lat['p95']:.0f} ms, "
          f"p99 {lat['p99']:.0f} ms, max {lat['max']:.0f} ms")
    print(f"Fingerprint checks: {level['trackers_checked']} trackers, {level['picks_checked']} picks; "
          f"load average {level['load_average']}")
    print(f"Turn mix: {level['turn_kinds']}")
    if level["errors"]:
        print(f"{len(level['errors'])} ERROR(S) ({level['error_kinds']}), e.g.:\n  "
              + "\n  ".join(level["errors"][:20]))
    else:
        print("Errors: none")


if __name__ == "__main__":
    sys.exit(main())
