"""Start, watch and stop the assistant's three servers on loopback.

Used by `make run` (foreground, for people), by the pytest session fixture of
the conversation and browser tests, and by the load and fault scripts, so all
of them start the servers the same way: the action server (engine loaded
first), the Rasa server (REST + socket.io, auth token, CORS limited to the web
page's origin, SQLite tracker store) and the static web page.
"""
from __future__ import annotations

import argparse
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

ROOT = Path(__file__).resolve().parents[1]
RASA_DIR = ROOT / "rasa_project"
VENV_BIN = Path(sys.executable).parent


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
                                   start_new_session=True)
        self.processes[name] = process
        return process

    def start_actions(self) -> None:
        self._spawn("actions", [sys.executable, "-m", "actions.server", "--port", str(self.ports.actions)], ROOT)

    def start_rasa(self) -> None:
        command = [
            str(VENV_BIN / "rasa"), "run", "--enable-api", "--interface", "127.0.0.1",
            "--port", str(self.ports.rasa), "--auth-token", self.token,
            "--cors", *self.web_origins,
            "--model", str(self.model), "--endpoints", str(self.endpoints),
            "--credentials", str(RASA_DIR / "credentials.yml"),
        ]
        self._spawn("rasa", command, RASA_DIR)

    def start_web(self) -> None:
        command = [sys.executable, "-m", "http.server", str(self.ports.web), "--bind", "127.0.0.1",
                   "--directory", str(ROOT / "web")]
        self._spawn("web", command, ROOT)

    def start(self, timeout: float = 180.0) -> "Services":
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

    def __enter__(self) -> "Services":
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
    services = Services(Ports(args.actions_port, args.rasa_port, args.web_port))
    stop = False

    def on_signal(signum: int, frame: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
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
