"""`make shell`: `rasa shell` against the same bot, for support staff.

Starts the action server in the background (on a port of its own, so it does
not clash with a running `make run`), runs `rasa shell` in the foreground,
and stops the action server when the shell exits, however it exits.
"""
from __future__ import annotations

import subprocess
import sys

from services import RASA_DIR, VENV_BIN, Ports, Services


def main() -> int:
    services = Services(Ports(actions=5056, rasa=5006, web=8081), tracker_db=RASA_DIR / "shell.db", web=False)
    services.start_actions()
    try:
        services.wait_ready(60, ("actions",))
        command = [str(VENV_BIN / "rasa"), "shell", "--model", str(services.model),
                   "--endpoints", str(services.endpoints), "--port", str(services.ports.rasa)]
        return subprocess.call(command, cwd=RASA_DIR, env=services.env())
    except (RuntimeError, TimeoutError) as error:
        print(f"Could not start the action server: {error}", file=sys.stderr)
        return 1
    finally:
        services.stop()


if __name__ == "__main__":
    sys.exit(main())
