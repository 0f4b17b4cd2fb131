"""The scripted support session (tests/support_session.sh): a working day of `stays` commands, checked."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "support_session.sh"


def test_the_support_session_gets_right_answers() -> None:
    stays = Path(sys.executable).with_name("stays")
    done = subprocess.run(["bash", str(SCRIPT), str(stays)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1].endswith(" 0 failed")
