"""Rasa's calls to the action server reuse one connection instead of opening one per call."""
from __future__ import annotations

import asyncio
import socket

from aiohttp import web
from rasa.utils.endpoints import EndpointConfig

from addons import pooled_connections


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def action_server(port: int, ports: list[int]) -> web.AppRunner:
    """A stand-in action server that records the client port of every call."""
    async def webhook(request: web.Request) -> web.Response:
        ports.append(request.transport.get_extra_info("peername")[1])
        return web.json_response({"events": [], "responses": [], "echo": await request.json()})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner


async def call(endpoint: EndpointConfig, number: int) -> None:
    answer = await endpoint.request(json={"next_action": f"action_{number}"}, method="post")
    assert answer["echo"] == {"next_action": f"action_{number}"}  # Rasa's request and answer, unchanged


async def close_pool() -> None:
    await pooled_connections._connectors[asyncio.get_running_loop()].close()


def test_calls_to_the_action_server_share_one_connection() -> None:
    pooled_connections.install()

    async def scenario() -> list[int]:
        port, ports = free_port(), []
        server = await action_server(port, ports)
        endpoint = EndpointConfig(url=f"http://127.0.0.1:{port}/webhook")
        for number in range(5):
            await call(endpoint, number)
        await server.cleanup()
        await close_pool()
        return ports

    ports = asyncio.run(scenario())
    assert len(ports) == 5 and len(set(ports)) == 1


def test_a_restarted_action_server_is_reached_on_a_new_connection() -> None:
    pooled_connections.install()

    async def scenario() -> list[int]:
        port, ports = free_port(), []
        endpoint = EndpointConfig(url=f"http://127.0.0.1:{port}/webhook")
        server = await action_server(port, ports)
        await call(endpoint, 1)
        await server.cleanup()  # the action server stops, closing the kept connection
        server = await action_server(port, ports)
        await call(endpoint, 2)  # answered, not "Cannot write to closing transport"
        await server.cleanup()
        await close_pool()
        return ports

    ports = asyncio.run(scenario())
    assert len(ports) == 2 and ports[0] != ports[1]
