"""REST turn latency of one conversation at a time, beside the same server's NLU floor.

    .venv/bin/python benchmarks/turns.py                       # own servers, 5 rounds, writes BENCHMARKS.md
    .venv/bin/python benchmarks/turns.py --rounds 2 --no-write # a quick look
    .venv/bin/python benchmarks/turns.py --rasa-url http://127.0.0.1:5005 --token "$RASA_AUTH_TOKEN"

Issue 10 asks whether a chat turn costs little more than its NLU. In one run,
on one Rasa server (started with scripts/services.py like the load test, or
an already running one), this measures:

- `/model/parse` of the conversations' own messages: the NLU floor, what a
  turn costs before any policy, tracker or action;
- the REST webhook time of single conversations of 10 and of 40 turns, one
  turn after another (no concurrency): p50/p95 over every turn;
- turn 5 against turn 40 of the 40-turn conversations: the same message at
  the same point of a repeating 7-turn cycle, so the difference is the
  history's length, not the kind of turn.

Warm-up first (a short conversation and parses, not counted), then `--rounds`
rounds; each round runs a block of parses, a 10-turn and a 40-turn
conversation (new senders, each with its own destination, party and budget),
so machine noise falls on all of them alike. Every turn's tracker is read
afterwards (not timed) and checked like the load test does: slots present and
the conversation's own. The table goes into BENCHMARKS.md between the
rest-turns markers; exits 1 on any error.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for entry in (ROOT, ROOT / "src", ROOT / "benchmarks"):
    if str(entry) not in sys.path:
        sys.path.insert(0, str(entry))

import aiohttp  # noqa: E402 - installed with Rasa
from load import Conversation, Outcome, Plan, draw_plans, machine, percentile, start_own_servers  # noqa: E402
from report import replace_section  # noqa: E402

from constraints import Engine  # noqa: E402

BENCHMARKS_MD = ROOT / "BENCHMARKS.md"
START_MARK, END_MARK = "<!-- rest-turns:start -->", "<!-- rest-turns:end -->"
LENGTHS = (10, 40)
# turn 1 is the full search, turn 2 answers the must-have question; then this cycle, whose
# length 7 divides 40 - 5, so turn 5 and turn 40 are the same message after the same turns
CYCLE = ["show more", "details", "cheaper", "budget", "guests", "search", "details"]
EARLY, LATE = 5, 40


def script(turns: int) -> list[str]:
    """The kinds of a conversation's turns: a stationary cycle (each search restates the plan)."""
    return (["search", "no"] + [CYCLE[k % len(CYCLE)] for k in range(turns)])[:turns]


async def converse(plan: Plan, session: aiohttp.ClientSession, url: str, token: str, engine: Engine,
                   timeout: float) -> tuple[list[float], Outcome]:
    """One conversation of `len(plan.kinds)` scripted turns; each turn's webhook time in ms."""
    outcome = Outcome()
    talk = Conversation(plan, session, url, token, engine, outcome, timeout)
    times: list[float] = []
    for turn, kind in enumerate(plan.kinds, 1):
        text = "no" if kind == "no" else talk.text_for(kind)
        before = len(outcome.latencies)
        messages = await talk.say(turn, text)
        outcome.turns[kind] += 1
        if messages is None or len(outcome.latencies) == before:
            times.append(float("nan"))
            continue
        times.append(outcome.latencies[-1] * 1000)
        if kind == "details":
            talk.check_details(turn, text, messages)
        await talk.check_fingerprint(turn, text)
    return times, outcome


async def parse_block(session: aiohttp.ClientSession, url: str, token: str, texts: list[str],
                      timeout: float) -> tuple[list[float], list[str]]:
    """`/model/parse` of each text once: times in ms, and errors."""
    times, errors = [], []
    for text in texts:
        started = time.perf_counter()
        async with session.post(f"{url}/model/parse?token={token}", json={"text": text},
                                timeout=aiohttp.ClientTimeout(total=timeout)) as response:
            body = await response.text()
            elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200 or "intent" not in json.loads(body or "{}"):
            errors.append(f"/model/parse {text!r}: HTTP {response.status}: {body[:200]}")
            continue
        times.append(elapsed)
    return times, errors


def plans_for(engine: Engine, turns: int, count: int, seed: int, run: str) -> list[Plan]:
    plans = draw_plans(engine, count, turns, seed, run=run)
    for plan in plans:
        plan.kinds = script(turns)
    return plans


def texts_of(plans: list[Plan]) -> list[str]:
    """The user messages the conversations send, in words (what /model/parse gets)."""
    texts: list[str] = []
    for plan in plans[:4]:
        texts += [plan.search_text(), f"actually {plan.more_guests} people", f"under {plan.higher_budget}"]
    return texts + ["no", "cheaper", "show more", "details 2", "tell me about the first one", "bigger"]


async def measure(url: str, token: str, engine: Engine, rounds: int, timeout: float, seed: int) -> dict[str, Any]:
    stamp = f"turns-{datetime.now(timezone.utc):%H%M%S}"
    conversations = {n: plans_for(engine, n, rounds, seed + n, f"{stamp}-t{n}") for n in LENGTHS}
    texts = texts_of(conversations[LENGTHS[0]])
    parse_ms: list[float] = []
    turn_ms: dict[int, list[list[float]]] = {n: [] for n in LENGTHS}
    errors: list[str] = []
    checks = {"trackers": 0, "picks": 0}
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        warm = plans_for(engine, 8, 1, seed, f"{stamp}-warm")[0]
        _, outcome = await converse(warm, session, url, token, engine, timeout)
        _, problems = await parse_block(session, url, token, texts, timeout)
        errors += outcome.errors + problems
        for r in range(rounds):
            times, problems = await parse_block(session, url, token, texts, timeout)
            parse_ms += times
            errors += problems
            for n in LENGTHS:
                times, outcome = await converse(conversations[n][r], session, url, token, engine, timeout)
                turn_ms[n].append(times)
                errors += outcome.errors
                checks["trackers"] += outcome.trackers_checked
                checks["picks"] += outcome.picks_checked
            print(f"round {r + 1}/{rounds}: parse p50 {percentile(parse_ms, 0.5):.0f} ms, "
                  + ", ".join(f"{n} turns p50 {percentile(_flat(turn_ms[n]), 0.5):.0f} ms" for n in LENGTHS),
                  flush=True)
    return {"parse_ms": parse_ms, "turn_ms": turn_ms, "errors": errors, "checks": checks,
            "parse_texts": len(texts), "kinds": {EARLY: script(LATE)[EARLY - 1], LATE: script(LATE)[LATE - 1]}}


def _flat(rows: list[list[float]]) -> list[float]:
    return [t for row in rows for t in row if t == t]


def summary(raw: dict[str, Any]) -> dict[str, Any]:
    parse = raw["parse_ms"]
    out: dict[str, Any] = {"parse": {"n": len(parse), "p50": percentile(parse, 0.5), "p95": percentile(parse, 0.95)}}
    for n, rows in raw["turn_ms"].items():
        flat = _flat(rows)
        out[n] = {"n": len(flat), "p50": percentile(flat, 0.5), "p95": percentile(flat, 0.95),
                  "mean": statistics.fmean(flat) if flat else float("nan")}
    long_rows = raw["turn_ms"][LATE]
    out["turn"] = {k: statistics.median(row[k - 1] for row in long_rows) for k in (EARLY, LATE)}
    out["first_cycle"] = percentile(_flat([row[:10] for row in long_rows]), 0.5)
    out["last_cycle"] = percentile(_flat([row[-10:] for row in long_rows]), 0.5)
    return out


def markdown(raw: dict[str, Any], s: dict[str, Any], meta: dict[str, Any]) -> str:
    m = meta["machine"]
    floor = s["parse"]["p50"]
    rounds = meta["rounds"]

    def ratio(value: float) -> str:
        return f"{value / floor:.1f}×" if floor else "—"

    lines = [
        "## REST turn latency, one conversation at a time (issue 10)",
        "",
        f"`python benchmarks/turns.py --rounds {rounds}`, run on {meta['date']}. Machine: {m['cores']} cores "
        f"({m['cpu']}), {m['memory']}, Python {m['python']}, Rasa {m['rasa']}. {meta['setup']} Load average "
        f"(1 min) {meta['load_start']:.1f} at the start, {meta['load_end']:.1f} at the end (the machine is shared).",
        "",
        "| one Rasa server, one run | p50 (ms) | p95 (ms) | × parse p50 | calls |",
        "|---|---:|---:|---:|---:|",
        f"| `/model/parse` of the conversations' messages (the NLU floor) | {floor:.0f} | "
        f"{s['parse']['p95']:.0f} | 1.0× | {s['parse']['n']} |",
    ]
    for n in LENGTHS:
        lines.append(f"| REST turn, conversations of {n} turns ({rounds} conversations) | {s[n]['p50']:.0f} | "
                     f"{s[n]['p95']:.0f} | {ratio(s[n]['p50'])} | {s[n]['n']} |")
    early, late = s["turn"][EARLY], s["turn"][LATE]
    lines += [
        "",
        f"Turn {EARLY} vs turn {LATE} of the {LATE}-turn conversations (median over {rounds}; both are "
        f"\"{raw['kinds'][EARLY]}\" after the same turns of the cycle): **{early:.0f} ms → {late:.0f} ms "
        f"({late / early:.2f}×)**; median of turns 1–10 vs 31–40: {s['first_cycle']:.0f} → {s['last_cycle']:.0f} ms.",
        "",
        f"Each round: the {raw['parse_texts']} messages through `/model/parse`, then a {LENGTHS[0]}-turn and a "
        f"{LENGTHS[1]}-turn conversation over the REST webhook, one turn at a time, after a warm-up "
        "conversation and parse block (not counted). Turns: the full search (\"a place in <destination> for "
        "<n> under <budget> a night\"), \"no\" to the must-have question, then the cycle "
        + ", ".join(f"\"{k}\"" for k in CYCLE) + " (\"budget\" raises it, \"guests\" adds people, \"search\" "
        "restates the first search). Every turn's tracker is read afterwards (not timed) and checked "
        f"like the load test ({raw['checks']['trackers']} trackers, {raw['checks']['picks']} picks): errors "
        f"**{len(raw['errors'])}**. Targets (issue 10): turn p50 ≤ 2× parse p50; turn {LATE} within 1.5× of "
        f"turn {EARLY}.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="rounds of parses + a 10- and a 40-turn conversation")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--rasa-url", help="a running Rasa server (loopback); needs --token")
    parser.add_argument("--token", help="its --auth-token, to parse and read trackers")
    parser.add_argument("--catalog", type=Path, help="catalog the servers use (default: knowledge/catalog.csv)")
    parser.add_argument("--request-timeout", type=float, default=60.0)
    parser.add_argument("--start-timeout", type=float, default=600.0)
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--no-write", action="store_true", help="do not update BENCHMARKS.md")
    args = parser.parse_args(argv)
    if bool(args.rasa_url) != bool(args.token):
        parser.error("--rasa-url and --token go together")
    if args.rasa_url and not re.match(r"^https?://(127\.0\.0\.1|localhost|\[::1\])(:\d+)?/?$", args.rasa_url):
        parser.error("loopback only: --rasa-url must be http://127.0.0.1:<port> or http://localhost:<port>")
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")

    engine = Engine.load(catalog_path=args.catalog)
    services = workdir = None
    failed = True
    try:
        if args.rasa_url:
            url, token, setup = args.rasa_url.rstrip("/"), args.token, f"Server already running at {args.rasa_url}."
        else:
            services, workdir, setup = start_own_servers(args.catalog, args.start_timeout)
            url, token = services.rasa_url, services.token
        load_start = os.getloadavg()[0]
        raw = asyncio.run(measure(url, token, engine, args.rounds, args.request_timeout, args.seed))
        load_end = os.getloadavg()[0]
        failed = bool(raw["errors"])
    except (RuntimeError, TimeoutError) as error:
        print(f"turns.py: {error}", file=sys.stderr)
        return 1
    finally:
        if services is not None:
            services.stop()
        if workdir is not None and not failed:
            shutil.rmtree(workdir, ignore_errors=True)
        elif workdir is not None:
            print(f"Server logs kept in {workdir}/logs", file=sys.stderr)
    figures = summary(raw)
    meta = {"date": f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC", "machine": machine(), "setup": setup,
            "rounds": args.rounds, "load_start": load_start, "load_end": load_end}
    section = markdown(raw, figures, meta)
    print(section)
    for error in raw["errors"][:20]:
        print(f"ERROR: {error}", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps({"raw": raw, "summary": figures, "meta": meta}, indent=1, default=str),
                             encoding="utf-8")
    if not args.no_write:
        replace_section(BENCHMARKS_MD, START_MARK, END_MARK, section)
        print(f"Wrote the figures into {BENCHMARKS_MD} between {START_MARK} and {END_MARK}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
