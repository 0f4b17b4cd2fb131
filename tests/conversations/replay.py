"""Replay scripted conversations against the assistant, printing the transcript live.

    python -m tests.conversations.replay tests/conversations/one_message_lisbon.yml
    python -m tests.conversations.replay FILE... --rasa-url http://127.0.0.1:5005 --token TOKEN

Without --rasa-url it starts its own action server, Rasa server and web page
(ports 5355, 5305 and 8380, a throw-away tracker store, "today" pinned to
2026-11-28 like the test suite) and stops them at the end. With --rasa-url it
talks to a running server; the tracker (slots) needs the server's auth token
(--token, or RASA_AUTH_TOKEN), and the scripts' dates assume that server was
started with STAYS_TODAY=2026-11-28.

Exit status: 0 when every expectation held, 1 when one failed, 2 when a
script is malformed or the servers could not be started.
`make converse FILE=...` calls this.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from tests.conversations.runner import TEST_TODAY, Replayer, ScriptError, load_engine, load_script, rest_client

PORTS = {"actions": 5355, "rasa": 5305, "web": 8380}


def _print(text: str) -> None:
    print(text, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.conversations.replay",
                                     description="Replay scripted conversations and check the bot's answers.")
    parser.add_argument("files", nargs="+", metavar="FILE", help="conversation script(s) (YAML)")
    parser.add_argument("--rasa-url", help="a running Rasa server, e.g. http://127.0.0.1:5005 "
                                           "(default: start the servers here)")
    parser.add_argument("--token", default=os.environ.get("RASA_AUTH_TOKEN"),
                        help="the Rasa server's auth token, to read the tracker (default: $RASA_AUTH_TOKEN)")
    parser.add_argument("--keep-going", action="store_true",
                        help="play every turn even after a failing one (later turns may fail as a consequence)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for each reply (default 60)")
    args = parser.parse_args(argv)

    try:
        scripts = [load_script(Path(f)) for f in args.files]
    except ScriptError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.rasa_url and not args.token:
        print("error: --rasa-url needs --token (or RASA_AUTH_TOKEN): the tracker's slots are behind the auth token",
              file=sys.stderr)
        return 2

    services = None
    workdir = None
    if args.rasa_url:
        client = rest_client(args.rasa_url, args.token, timeout=args.timeout)
        _print(f"Talking to {args.rasa_url} (its dates must be pinned with STAYS_TODAY={TEST_TODAY} "
               "for the scripts' date checks).")
    else:
        from scripts.services import RASA_DIR, Ports, Services

        model = RASA_DIR / "models" / "stays.tar.gz"
        if not model.exists():
            print(f"error: no trained model at {model}: run `make train` first", file=sys.stderr)
            return 2
        workdir = tempfile.TemporaryDirectory(prefix="converse-")
        root = Path(workdir.name)
        services = Services(Ports(**PORTS), tracker_db=root / "tracker.db", log_dir=root / "logs",
                            extra_env={"STAYS_TODAY": TEST_TODAY})
        _print(f"Starting the action server, the Rasa server and the web page on ports "
               f"{PORTS['actions']}/{PORTS['rasa']}/{PORTS['web']} (about a minute)...")
        try:
            services.start(timeout=300)
        except (RuntimeError, TimeoutError) as error:
            services.stop()
            print(f"error: could not start the assistant: {error}", file=sys.stderr)
            for log in sorted((root / "logs").glob("*.log")):
                print(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}", file=sys.stderr)
            workdir.cleanup()
            return 2
        client = rest_client(services.rasa_url, services.token, timeout=args.timeout)

    failed = []
    try:
        engine = load_engine()
        replayer = Replayer(client, engine, echo=_print, keep_going=args.keep_going)
        for script in scripts:
            outcome = replayer.run(script)
            if not outcome.passed:
                failed.append(script)
                if script.xfail:
                    _print(f"(a known bot bug, marked xfail in the script: {script.xfail})")
            _print("")
    except KeyboardInterrupt:
        _print("interrupted")
        return 1
    finally:
        if services is not None:
            _print("Stopping the servers...")
            services.stop()
        if workdir is not None:
            workdir.cleanup()
    total = len(scripts)
    _print(f"{total - len(failed)} of {total} conversation(s) passed"
           + (": failed " + ", ".join(s.path.name for s in failed) if failed else "."))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
