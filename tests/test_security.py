"""The servers' exposure: the HTTP API needs the token, CORS names only the web page, loopback only.

Runs against the session `assistant` (tests/conftest.py): Rasa started with
`--auth-token`, `--cors <the page's origins>`, `--enable-api`, on 127.0.0.1;
the action server and the web page on 127.0.0.1 too. No request here can
change the shared assistant even if a guard were missing: nothing is sent with
the right token to a writing endpoint, and the unguarded probes only touch
throwaway senders.
"""
from __future__ import annotations

import asyncio
import ipaddress
import json
import socket
import subprocess
import urllib.error
import urllib.request
import uuid

import pytest

pytestmark = [pytest.mark.server]

FOREIGN_ORIGIN = "http://evil.example"
REFUSED = (401, 403)


def request(method: str, url: str, body: bytes | None = None,
            headers: dict[str, str] | None = None, timeout: float = 30.0) -> tuple[int, dict[str, str], bytes]:
    """(status, headers with lower-case names, body); HTTP errors are returned, not raised.

    A header sent twice comes back joined ("a, a"), as HTTP reads it: browsers refuse
    a CORS answer with two Access-Control-Allow-Origin values.
    """
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:  # noqa: S310 - loopback only
            return response.status, _joined(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, _joined(error.headers.items()), error.read()


def _joined(items) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in items:
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return headers


def throwaway() -> str:
    return f"security-{uuid.uuid4().hex[:12]}"


# --- the HTTP API needs the token ---------------------------------------------------------

def test_tracker_needs_the_token(assistant):
    url = f"{assistant.rasa_url}/conversations/{throwaway()}/tracker"
    assert request("GET", url)[0] in REFUSED, "tracker readable without a token"
    assert request("GET", f"{url}?token=not-the-token")[0] in REFUSED, "tracker readable with a wrong token"
    assert request("GET", f"{url}?token=")[0] in REFUSED, "tracker readable with an empty token"
    status, _, body = request("GET", f"{url}?token={assistant.token}")
    assert status == 200, f"tracker with the token: HTTP {status} {body[:200]!r}"
    assert json.loads(body)["sender_id"].startswith("security-")


def test_training_needs_the_token(assistant):
    url = f"{assistant.rasa_url}/model/train"
    body = b"version: '3.1'\nnlu: []\n"
    headers = {"Content-Type": "application/x-yaml"}
    status, _, text = request("POST", url, body, headers)
    assert status in REFUSED, f"POST /model/train without a token: HTTP {status} {text[:200]!r}"
    status, _, text = request("POST", f"{url}?token=not-the-token", body, headers)
    assert status in REFUSED, f"POST /model/train with a wrong token: HTTP {status} {text[:200]!r}"


@pytest.mark.parametrize("method,path,body", [
    ("GET", "/status", None),
    ("GET", "/domain", None),
    ("GET", "/conversations/{sender}/story", None),
    ("POST", "/model/parse", b'{"text": "a place in Lisbon"}'),
    ("POST", "/conversations/{sender}/messages", b'{"text": "hello", "sender": "user"}'),
    ("POST", "/conversations/{sender}/tracker/events", b'{"event": "slot", "name": "location", "value": "Lisbon"}'),
    ("POST", "/conversations/{sender}/trigger_intent", b'{"name": "greet"}'),
])
def test_other_api_endpoints_need_the_token(assistant, method, path, body):
    url = assistant.rasa_url + path.format(sender=throwaway())
    headers = {"Content-Type": "application/json"}
    status, _, text = request(method, url, body, headers)
    assert status in REFUSED, f"{method} {path} without a token: HTTP {status} {text[:200]!r}"
    status, _, text = request(method, f"{url}?token=wrong", body, headers)
    assert status in REFUSED, f"{method} {path} with a wrong token: HTTP {status} {text[:200]!r}"


# --- CORS: only the web page's origins -----------------------------------------------------

def allowed_origins(assistant) -> list[str]:
    return [assistant.web_origin, f"http://127.0.0.1:{assistant.ports.web}"]


def foreign_origins(assistant) -> list[str]:
    return [FOREIGN_ORIGIN, f"http://localhost:{assistant.ports.web + 1}", "null",
            f"https://localhost:{assistant.ports.web}", f"{assistant.web_origin}.evil.example"]


def webhook_post(assistant, origin: str) -> tuple[int, dict[str, str], bytes]:
    body = json.dumps({"sender": throwaway(), "message": "hello"}).encode()
    return request("POST", f"{assistant.rasa_url}/webhooks/rest/webhook", body,
                   {"Content-Type": "application/json", "Origin": origin})


def test_webhook_cors_echoes_the_page_origin(assistant):
    for origin in allowed_origins(assistant):
        status, headers, _ = webhook_post(assistant, origin)
        assert status == 200
        assert headers.get("access-control-allow-origin") == origin, f"{origin}: {headers}"
        status, headers, _ = request("OPTIONS", f"{assistant.rasa_url}/webhooks/rest/webhook", headers={
            "Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"})
        assert headers.get("access-control-allow-origin") == origin, f"preflight from {origin}: {headers}"


def test_webhook_cors_ignores_foreign_origins(assistant):
    for origin in foreign_origins(assistant):
        _, headers, _ = webhook_post(assistant, origin)
        assert "access-control-allow-origin" not in headers, f"{origin} allowed: {headers}"
        _, headers, _ = request("OPTIONS", f"{assistant.rasa_url}/webhooks/rest/webhook", headers={
            "Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"})
        assert "access-control-allow-origin" not in headers, f"preflight from {origin} allowed: {headers}"


def socketio_polling(assistant, origin: str) -> tuple[int, dict[str, str], bytes]:
    return request("GET", f"{assistant.rasa_url}/socket.io/?EIO=4&transport=polling", headers={"Origin": origin})


def test_socketio_cors_echoes_the_page_origin(assistant):
    for origin in allowed_origins(assistant):
        status, headers, body = socketio_polling(assistant, origin)
        assert status == 200 and body.startswith(b"0{"), f"socket.io handshake: HTTP {status} {body[:100]!r}"
        assert headers.get("access-control-allow-origin") == origin, f"{origin}: {headers}"


def test_socketio_cors_ignores_foreign_origins(assistant):
    for origin in foreign_origins(assistant):
        _, headers, _ = socketio_polling(assistant, origin)
        assert "access-control-allow-origin" not in headers, f"{origin} allowed: {headers}"


def test_socketio_websocket_refuses_foreign_origin(assistant):
    """Browsers apply no CORS to websockets: the server itself must refuse other sites' pages."""
    aiohttp = pytest.importorskip("aiohttp")

    async def handshake(origin: str) -> bool:
        url = f"{assistant.rasa_url}/socket.io/?EIO=4&transport=websocket"
        async with aiohttp.ClientSession() as session:
            try:
                async with session.ws_connect(url, headers={"Origin": origin}, timeout=10) as ws:
                    message = await ws.receive(timeout=10)
                    return message.type == aiohttp.WSMsgType.TEXT and str(message.data).startswith("0{")
            except (aiohttp.WSServerHandshakeError, aiohttp.ClientError, asyncio.TimeoutError):
                return False

    assert asyncio.run(handshake(assistant.web_origin)), "the page's own origin cannot open a websocket"
    assert not asyncio.run(handshake(FOREIGN_ORIGIN)), f"a websocket from {FOREIGN_ORIGIN} was accepted"


# --- loopback only ---------------------------------------------------------------------------

def non_loopback_addresses() -> list[str]:
    """This host's addresses other than loopback (IPv4 and IPv6, link-local left out)."""
    found: set[str] = set()
    try:
        output = subprocess.run(["ip", "-o", "addr", "show"], capture_output=True, text=True, timeout=10).stdout
        for line in output.splitlines():
            parts = line.split()
            if len(parts) > 3 and parts[2] in ("inet", "inet6"):
                found.add(parts[3].split("/")[0])
    except (OSError, subprocess.SubprocessError):
        pass
    for family, probe in ((socket.AF_INET, "192.0.2.123"), (socket.AF_INET6, "2001:db8::1")):
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as s:
                s.connect((probe, 9))  # no packet is sent: this only picks the outgoing address
                found.add(s.getsockname()[0])
        except OSError:
            pass
    usable = []
    for text in found:
        address = ipaddress.ip_address(text.split("%")[0])
        if not (address.is_loopback or address.is_link_local or address.is_unspecified):
            usable.append(str(address))
    return sorted(usable)


def reachable(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.settimeout(3)
        try:
            s.connect((host, port))
            return True
        except OSError:
            return False


def test_servers_listen_on_loopback_only(assistant):
    addresses = non_loopback_addresses()
    if not addresses:
        pytest.skip("this host has no non-loopback address to try")
    ports = {"action server": assistant.ports.actions, "Rasa server": assistant.ports.rasa,
             "web page": assistant.ports.web}
    assert reachable("127.0.0.1", assistant.ports.actions), "the action server is not up on 127.0.0.1"
    exposed = [f"{name} on {host}:{port}" for name, port in ports.items() for host in addresses
               if reachable(host, port)]
    assert not exposed, f"reachable beyond loopback: {', '.join(exposed)} (addresses tried: {addresses})"
