"""`make shell`: `rasa shell` against the same bot, for support staff.

Starts the action server in the background (on a port of its own, so it does
not clash with a running `make run`), runs `rasa shell` in the foreground
(scripts/rasa_shell.py: it also ends on end of input), and stops the action
server when the shell exits, however it exits: on SIGTERM or a closed
terminal too, and the children die with it even when it is killed outright.
"""
from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from services import RASA_DIR, Ports, Services, busy_ports, die_with_parent

RASA_SHELL = Path(__file__).resolve().with_name("rasa_shell.py")


def main() -> int:
    services = Services(Ports(actions=5056, rasa=5006, web=8081), tracker_db=RASA_DIR / "shell.db", web=False)
    busy = busy_ports(services.ports, ("actions", "rasa"))
    if busy:
        print("Cannot start the shell: " + "; ".join(busy) + ".", file=sys.stderr)
        return 1

    def on_signal(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)  # unwinds to `finally`, which stops the action server

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    services.start_actions()
    try:
        services.wait_ready(60, ("actions",))
        command = [sys.executable, str(RASA_SHELL), "--model", str(services.model),
                   "--endpoints", str(services.endpoints), "--port", str(services.ports.rasa)]
        return subprocess.call(command, cwd=RASA_DIR, env=services.env(), preexec_fn=die_with_parent)
    except (RuntimeError, TimeoutError) as error:
        print(f"Could not start the action server: {error}", file=sys.stderr)
        return 1
    finally:
        services.stop()


if __name__ == "__main__":
    sys.exit(main())
