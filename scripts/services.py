"""Start, watch and stop the assistant's three servers on loopback.

Used by `make run` (foreground, for people), by the pytest session fixture of
the conversation and browser tests, and by the load and fault scripts, so all
of them start the servers the same way: the action server (engine loaded
first), the Rasa server (REST + socket.io, auth token, CORS limited to the web
page's origin, SQLite tracker store) and the static web page.
"""
from __future__ import annotations

import argparse
import ctypes
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from constraints.analyze_searches import tracker_store_for

ROOT = Path(__file__).resolve().parents[1]
RASA_DIR = ROOT / "rasa_project"
VENV_BIN = Path(sys.executable).parent


PR_SET_PDEATHSIG = 1  # prctl(2): the signal a child gets when its parent dies, even by SIGKILL


def die_with_parent() -> None:
    """Run in each child before exec: a killed `make run` or `make shell` takes its servers with it."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass  # not Linux: the SIGTERM handler of the parent still stops the children


def port_holder(port: int) -> str | None:
    """Who listens on a loopback TCP port: 'pid 123 (python -m http.server 8080)', or None when it is free.

    Read from /proc (no lsof on a fresh machine): the socket's inode in
    /proc/net/tcp*, then the process whose file descriptors include it.
    """
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers bind: TIME_WAIT is no holder
        try:
            probe.bind(("127.0.0.1", port))
            return None
        except OSError:
            pass
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 9 and fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        if any(f"socket:[{inode}]" in _links(proc) for inode in inodes):
            try:
                command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
            except OSError:
                command = "?"
            return f"pid {proc.name} ({command[:120]})"
    return "another process (not visible to this user)"


def _links(proc: Path) -> set[str]:
    """What a process's file descriptors point at; descriptors that close meanwhile are skipped."""
    found: set[str] = set()
    try:
        descriptors = list((proc / "fd").iterdir())
    except OSError:
        return found
    for fd in descriptors:
        try:
            found.add(os.readlink(fd))
        except OSError:
            continue
    return found


def busy_ports(ports: Ports, names: tuple[str, ...] = ("actions", "rasa", "web")) -> list[str]:
    """One sentence per port that is taken, naming what holds it."""
    found = []
    for name in names:
        port = getattr(ports, name)
        holder = port_holder(port)
        if holder is not None:
            found.append(f"port {port} ({name} server) is in use by {holder}")
    return found


def free_ports(count: int) -> list[int]:
    """`count` distinct loopback ports free right now (held together, so none repeats)."""
    sockets = []
    try:
        for _ in range(count):
            probe = socket.socket()
            probe.bind(("127.0.0.1", 0))
            sockets.append(probe)
        return [probe.getsockname()[1] for probe in sockets]
    finally:
        for probe in sockets:
            probe.close()


@dataclass
class Ports:
    actions: int = 5055
    rasa: int = 5005
    web: int = 8080


@dataclass
class Services:
    """The servers of one assistant instance; a context manager that always cleans up."""

    ports: Ports = field(default_factory=Ports)
    token: str = field(default_factory=lambda: os.environ.get("RASA_AUTH_TOKEN") or secrets.token_urlsafe(16))
    tracker_db: Path = RASA_DIR / "rasa.db"
    model: Path = RASA_DIR / "models"
    endpoints: Path = RASA_DIR / "endpoints.yml"
    log_dir: Path = ROOT / ".run"
    extra_env: dict[str, str] = field(default_factory=dict)
    web: bool = True
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    # --- addresses ---------------------------------------------------------------------

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.rasa}"

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.actions}"

    @property
    def web_origin(self) -> str:
        return f"http://localhost:{self.ports.web}"

    @property
    def web_origins(self) -> list[str]:
        """The chat page's origins: the only ones CORS and the socket.io handshake accept."""
        return [self.web_origin, f"http://127.0.0.1:{self.ports.web}"]

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update({
            "RASA_TELEMETRY_ENABLED": "false",
            "ACTION_SERVER_URL": f"{self.actions_url}/webhook",
            "RASA_TRACKER_DB": str(self.tracker_db),
            "PYTHONUNBUFFERED": "1",
            "SANIC_HOST": "127.0.0.1",
            "STAYS_WEB_ORIGINS": " ".join(self.web_origins),
        })
        env.update(self.extra_env)
        return env

    # --- processes ---------------------------------------------------------------------

    def _spawn(self, name: str, command: list[str], cwd: Path) -> subprocess.Popen:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_dir / f"{name}-{self.ports.rasa}.log", "ab")
        process = subprocess.Popen(command, cwd=cwd, env=self.env(), stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True, preexec_fn=die_with_parent)
        self.processes[name] = process
        return process

    def start_actions(self) -> None:
        self._spawn("actions", [sys.executable, "-m", "actions.server", "--port", str(self.ports.actions)], ROOT)

    def start_rasa(self) -> None:
        command = [
            str(VENV_BIN / "rasa"), "run", "--enable-api", "--interface", "127.0.0.1",
            # "--auth-token=…" in one word: a random token may begin with "-", which argparse would take
            # for an option ("--auth-token: expected one argument")
            "--port", str(self.ports.rasa), f"--auth-token={self.token}",
            "--cors", *self.web_origins,
            "--model", str(self.model), "--endpoints", str(self.endpoints),
            "--credentials", str(RASA_DIR / "credentials.yml"),
        ]
        self._spawn("rasa", command, RASA_DIR)

    def start_web(self) -> None:
        command = [sys.executable, "-m", "http.server", str(self.ports.web), "--bind", "127.0.0.1",
                   "--directory", str(ROOT / "web")]
        self._spawn("web", command, ROOT)

    def start(self, timeout: float = 180.0) -> Services:
        self.start_actions()
        self.start_rasa()
        if self.web:
            self.start_web()
        self.wait_ready(timeout)
        return self

    def stop_one(self, name: str, timeout: float = 15.0) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=timeout)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(timeout=5)

    def stop(self) -> None:
        for name in list(self.processes):
            self.stop_one(name)

    def __enter__(self) -> Services:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- readiness ---------------------------------------------------------------------

    def _get(self, url: str, timeout: float = 2.0) -> int:
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback only
                return response.status
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return 0

    def actions_ready(self) -> bool:
        return self._get(f"{self.actions_url}/health") == 200

    def rasa_ready(self) -> bool:
        return self._get(f"{self.rasa_url}/status?token={self.token}") == 200

    def web_ready(self) -> bool:
        return self._get(f"http://127.0.0.1:{self.ports.web}/index.html") == 200

    def wait_ready(self, timeout: float, names: tuple[str, ...] | None = None) -> None:
        checks = {"actions": self.actions_ready, "rasa": self.rasa_ready, "web": self.web_ready}
        wanted = [n for n in (names or tuple(self.processes)) if n in checks]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name in wanted:
                process = self.processes.get(name)
                if process is not None and process.poll() is not None:
                    raise RuntimeError(f"{name} server exited with status {process.returncode}; see "
                                       f"{self.log_dir / (name + '-' + str(self.ports.rasa) + '.log')}")
            if all(checks[n]() for n in wanted):
                return
            time.sleep(0.5)
        raise TimeoutError(f"servers not ready after {timeout:.0f} s: "
                           + ", ".join(n for n in wanted if not checks[n]()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the action server, the Rasa server and the web page.")
    parser.add_argument("--actions-port", type=int, default=5055)
    parser.add_argument("--rasa-port", type=int, default=5005)
    parser.add_argument("--web-port", type=int, default=8080)
    args = parser.parse_args(argv)
    catalog = os.environ.get("STAYS_CATALOG") or None
    services = Services(Ports(args.actions_port, args.rasa_port, args.web_port),
                        tracker_db=tracker_store_for(Path(catalog) if catalog else None))
    stop = False

    def on_signal(signum: int, frame: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)  # the terminal closed
    busy = busy_ports(services.ports)
    if busy:
        print("Cannot start: " + "; ".join(busy) + ". Stop it (kill PID) or choose other ports "
              "(--actions-port, --rasa-port, --web-port).", file=sys.stderr)
        return 1
    print("Starting the action server, the Rasa server and the web page (about 30 s)...", flush=True)
    try:
        services.start()
    except (RuntimeError, TimeoutError) as error:
        print(f"Could not start: {error}", file=sys.stderr)
        services.stop()
        return 1
    print(f"\n  Chat page:      http://localhost:{args.web_port}/\n"
          f"  Rasa REST:      {services.rasa_url}/webhooks/rest/webhook\n"
          f"  Rasa HTTP API:  {services.rasa_url}/status?token={services.token}\n"
          f"  Action server:  {services.actions_url}/health\n"
          f"  Logs:           {services.log_dir}/\n\nPress Ctrl-C to stop.", flush=True)
    try:
        while not stop:
            for name, process in services.processes.items():
                if process.poll() is not None:
                    print(f"{name} server stopped (status {process.returncode}); shutting down.", file=sys.stderr)
                    stop = True
            time.sleep(1)
    finally:
        services.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
