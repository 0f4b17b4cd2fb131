"""Talking to a running assistant over its REST channel and HTTP API.

The scripted conversations, the browser test and the reliability tests all
drive the real servers started by the `assistant` fixture (tests/conftest.py);
this is the one client they share.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from scripts.services import Ports, Services, free_ports


@dataclass
class Reply:
    """The bot's messages for one user message, and the HTTP status."""

    status: int
    messages: list[dict[str, Any]]

    @property
    def text(self) -> str:
        return "\n".join(m["text"] for m in self.messages if m.get("text"))

    @property
    def buttons(self) -> list[dict[str, str]]:
        return [b for m in self.messages for b in (m.get("buttons") or [])]


class RestClient:
    """A conversation partner for one running assistant."""

    def __init__(self, services: Services, timeout: float = 30.0) -> None:
        self.services = services
        self.timeout = timeout

    @staticmethod
    def new_sender(prefix: str = "test") -> str:
        return f"{prefix}-{uuid.uuid4().hex[:12]}"

    def _request(self, method: str, url: str, body: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None) -> tuple[int, Any, dict[str, str]]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method,
                                         headers={"Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - loopback
                raw = response.read()
                return response.status, json.loads(raw) if raw else None, dict(response.headers)
        except urllib.error.HTTPError as error:
            raw = error.read()
            try:
                payload = json.loads(raw) if raw else None
            except json.JSONDecodeError:
                payload = raw.decode(errors="replace")
            return error.code, payload, dict(error.headers)

    def say(self, sender: str, text: str) -> Reply:
        status, payload, _ = self._request("POST", f"{self.services.rasa_url}/webhooks/rest/webhook",
                                           {"sender": sender, "message": text})
        return Reply(status, payload if isinstance(payload, list) else [])

    def tracker(self, sender: str) -> dict[str, Any]:
        status, payload, _ = self._request(
            "GET", f"{self.services.rasa_url}/conversations/{sender}/tracker?token={self.services.token}")
        if status != 200:
            raise RuntimeError(f"tracker of {sender}: HTTP {status}: {payload}")
        return payload

    def slots(self, sender: str) -> dict[str, Any]:
        return self.tracker(sender).get("slots", {})


# --- a test module's own assistant (the fault and <script>-title tests) -------------------------


def log_tails(*services: Services) -> str:
    """The end of every server log, for a failure message."""
    return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
                     for s in services for p in sorted(s.log_dir.glob("*.log")))


@contextmanager
def own_assistant(workdir: Path, extra_env: dict[str, str]) -> Iterator[Services]:
    """An action server and a Rasa server on free ports, started but not waited for; always stopped."""
    services = Services(Ports(*free_ports(3)), tracker_db=workdir / "tracker.db", log_dir=workdir / "logs",
                        extra_env=extra_env, web=False)
    try:
        services.start_actions()
        services.start_rasa()
        yield services
    finally:
        services.stop()


def wait_or_fail(services: Services, what: str) -> None:
    """Wait until both servers answer; fail the test with their logs if they never do."""
    try:
        services.wait_ready(timeout=480)
    except (RuntimeError, TimeoutError) as error:
        pytest.fail(f"could not start {what}: {error}\n{log_tails(services)}")
