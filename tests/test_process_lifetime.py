"""Servers never outlive the command that started them, and a busy port names its holder.

`make run` and `make shell` start children; a SIGTERM, a closed terminal or a
SIGKILL of the parent must take them along, or the next `make run` fails with
"Address already in use" and nobody knows why.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scripts.services import ROOT, Ports, busy_ports, free_ports, port_holder

PARENT = """
import sys, time
sys.path.insert(0, {scripts!r})
from services import Ports, Services
services = Services(Ports(actions=1, rasa=1, web={port}), log_dir=__import__("pathlib").Path({logs!r}))
services.start_web()
services.wait_ready(60, ("web",))
print("ready", flush=True)
time.sleep(600)
"""


def wait_until(condition, seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_killed_parent_takes_its_servers_with_it(tmp_path: Path) -> None:
    port = free_ports(1)[0]
    code = PARENT.format(scripts=str(ROOT / "scripts"), port=port, logs=str(tmp_path))
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None and parent.stdout.readline().strip() == "ready"
        assert port_holder(port) is not None
        os.kill(parent.pid, signal.SIGKILL)  # no handler runs: only the kernel can stop the child now
        parent.wait(timeout=10)
        assert wait_until(lambda: port_holder(port) is None), f"port {port} still held: {port_holder(port)}"
    finally:
        if parent.poll() is None:
            parent.kill()


def test_a_busy_port_names_the_process_holding_it() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        found = port_holder(port)
        assert found is not None and found.startswith(f"pid {os.getpid()} ")
        assert busy_ports(Ports(actions=port, rasa=free_ports(1)[0], web=free_ports(1)[0])) == [
            f"port {port} (actions server) is in use by {found}"]
    assert port_holder(port) is None


@pytest.mark.server
@pytest.mark.slow
def test_make_shell_ends_at_the_end_of_input() -> None:
    """`rasa shell` of Rasa 3.6 hangs on end of input; ours answers and exits, and frees its ports."""
    if not (ROOT / "rasa_project" / "models" / "stays.tar.gz").exists():
        pytest.fail("no trained model: run `make train` (make test does it for you)")
    if busy_ports(Ports(actions=5056, rasa=5006, web=8081), ("actions", "rasa")):
        pytest.skip("a `make shell` is already running on 5056/5006")
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "shell.py")], input="hello\n", text=True,
                          capture_output=True, timeout=400, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "I find holiday rentals" in done.stdout
    assert port_holder(5056) is None and port_holder(5006) is None
