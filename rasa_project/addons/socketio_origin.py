"""Rasa's socket.io channel, refusing websocket handshakes from other sites' pages.

Rasa 3.6 creates its socket.io server with `cors_allowed_origins=[]`, which
turns python-engineio's origin check off and leaves CORS to Sanic-CORS; that
covers HTTP long-polling but not the websocket upgrade, and browsers do not
apply CORS to websockets. So any page on any site could open a chat through a
visitor's browser. This channel is Rasa's own, with engineio's origin check
switched on for the origins in `STAYS_WEB_ORIGINS` (space separated; set by
scripts/services.py to the chat page's origins, the same ones given to
`--cors`). Unset, it behaves exactly like Rasa's channel. Sanic-CORS still
writes the CORS headers: engineio only checks, or the long-polling answers
would carry two Access-Control-Allow-Origin headers, which browsers refuse.
"""
from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

ORIGINS_VARIABLE = "STAYS_WEB_ORIGINS"


class OriginCheckedSocketIOInput(SocketIOInput):
    """socket.io for the web chat; only the configured origins may connect."""

    allowed_origins: list[str] = []

    @classmethod
    def name(cls) -> str:
        return "socketio"  # the actions render property cards for this channel name

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        channel = super().from_credentials(credentials)
        channel.allowed_origins = os.environ.get(ORIGINS_VARIABLE, "").split()
        return channel

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        if self.allowed_origins and self.sio is not None:
            self.sio.eio.cors_allowed_origins = list(self.allowed_origins)
            self.sio.eio._cors_headers = lambda environ: []  # Sanic-CORS writes them
        return blueprint
