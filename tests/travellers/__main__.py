"""Replay the traveller sets against the bot and print the metrics table.

    python -m tests.travellers                          # both sets, all dialogues, own servers
    python -m tests.travellers --set sgd --sample 60 --seed 16
    python -m tests.travellers --rasa-url http://127.0.0.1:5005 --token TOKEN --json figures.json

Without --rasa-url it starts an action server and a Rasa server on free ports
for each set (a throw-away tracker store, "today" pinned to the set's own day:
dialogues.SGD_TODAY, CORPUS_TODAY) and stops them at the end; run it under
`flock /tmp/stays-heavy.lock` on a shared machine.
Exit status 0 when the Done-when checks hold on every set run, 1 when not, 2 on
a usage or start-up problem (the crowd set missing when asked for by name, no model).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from tests.travellers.dialogues import CORPUS_TODAY, SGD_TODAY, Dialogue, load_corpus, load_sgd, sample, sgd_available
from tests.travellers.metrics import Metrics, measure, table
from tests.travellers.simulator import Traveller


def done_when_holds(m: Metrics) -> bool:
    return (m.done_when_failures == 0 and m.dialogues_fitting.hits == m.dialogues_fitting.total
            and m.mean_extra_questions <= 1.0)


def _start(timeout: float, today: str):
    from scripts.services import RASA_DIR, Ports, Services, free_ports

    if not (RASA_DIR / "models" / "stays.tar.gz").exists():
        raise RuntimeError("no trained model: run `make train` first")
    root = Path(tempfile.mkdtemp(prefix="travellers-"))
    services = Services(Ports(*free_ports(3)), tracker_db=root / "tracker.db", log_dir=root / "logs",
                        extra_env={"STAYS_TODAY": today}, web=False)
    try:
        services.start(timeout=timeout)
    except (RuntimeError, TimeoutError) as error:
        services.stop()
        raise RuntimeError(f"could not start the assistant: {error} (logs in {root / 'logs'})") from None
    return services


def _replay(name: str, dialogues: list[Dialogue], traveller: Traveller, transcripts: int) -> Metrics:
    """Play every dialogue of one set, printing progress, then up to `transcripts` failing transcripts."""
    started = time.monotonic()
    played = []
    for number, dialogue in enumerate(dialogues, start=1):
        played.append(traveller.play(dialogue, sender=f"traveller-{name}-{dialogue.id}-{os.getpid()}"))
        if number % 25 == 0:
            print(f"  {name}: {number}/{len(dialogues)} dialogues, {time.monotonic() - started:.0f} s",
                  file=sys.stderr, flush=True)
    for p in [p for p in played if p.failures or not (p.fit and p.fit.fits)][:transcripts]:
        print(p.transcript(), end="\n\n")
    return measure(name, played)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.travellers", description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=("both", "sgd", "corpus"), default="both", dest="which")
    parser.add_argument("--sample", type=int, help="replay this many crowd-set dialogues (seeded), not all 540")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--rasa-url", help="a running Rasa server (default: start one here)")
    parser.add_argument("--token", default=os.environ.get("RASA_AUTH_TOKEN"), help="its auth token (tracker)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--transcripts", type=int, default=0, metavar="N",
                        help="print the transcripts of up to N failing dialogues per set")
    args = parser.parse_args(argv)

    sets = []
    if args.which in ("both", "sgd"):
        if sgd_available():
            sets.append(("sgd", SGD_TODAY, sample(load_sgd(), args.sample, args.seed)))
        elif args.which == "sgd":
            print("error: the crowd set is not there (../shared/data/dialogues/)", file=sys.stderr)
            return 2
        else:
            print("note: ../shared/data/dialogues/ is absent: the crowd set is skipped", file=sys.stderr)
    if args.which in ("both", "corpus"):
        sets.append(("corpus", CORPUS_TODAY, load_corpus()))

    from tests.conversations.runner import rest_client

    if args.rasa_url and not args.token:
        print("error: --rasa-url needs --token (the tracker is behind the auth token)", file=sys.stderr)
        return 2
    results = []
    for name, today, dialogues in sets:
        services = None
        try:
            if args.rasa_url:
                print(f"note: {name} is read against the running server's today, not {today}", file=sys.stderr)
                client = rest_client(args.rasa_url, args.token)
            else:
                print(f"starting the action server and the Rasa server (today {today})...", file=sys.stderr,
                      flush=True)
                services = _start(timeout=480, today=today)
                client = rest_client(services.rasa_url, services.token)
            results.append(_replay(name, dialogues, Traveller(client), args.transcripts))
        except KeyboardInterrupt:
            return 1
        except RuntimeError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        finally:
            if services is not None:
                services.stop()
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps([m.as_dict() for m in results], indent=2, default=str), encoding="utf-8")
    return 0 if all(done_when_holds(m) for m in results) else 1


if __name__ == "__main__":
    sys.exit(main())
