"""The header read timeout in uvicorn's httptools protocol (see :mod:`.headers`); its own
module because importing it needs httptools."""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from gateway.slow_clients.headers import HeaderDeadline, expire_connection

__all__ = ["HeaderTimeoutHttpToolsProtocol"]


class HeaderTimeoutHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with the header read timeout: the parser says when a
    request begins and when its headers are complete."""

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.header_deadline = HeaderDeadline(config, self.loop, self._headers_timed_out)

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.header_deadline.start()

    def connection_lost(self, exc: Exception | None) -> None:
        self.header_deadline.cancel()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.header_deadline.request_begun = True
        self.header_deadline.start()

    def on_headers_complete(self) -> None:
        self.header_deadline.cancel()
        super().on_headers_complete()

    def _headers_timed_out(self, request_begun: bool) -> None:
        expire_connection(self.transport, self.cycle, request_begun, self.header_deadline.seconds)
