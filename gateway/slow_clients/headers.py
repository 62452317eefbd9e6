"""The header read timeout, in uvicorn's HTTP protocols (uvicorn has none: a connection
sending its headers one byte at a time is held for as long as the client likes).

A timer starts when the connection opens and again when a request begins on a keep-alive
connection; it is cancelled once the request's headers are complete. When it fires, a
connection that sent part of a request gets a 408 and is closed; one that sent nothing is
just closed (a browser's pre-opened connection must not see a stray response). A timer that
fires while a pipelined answer is still being written lets that answer finish and closes
the connection after it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import h11
import uvicorn
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from gateway.slow_clients.timeout_response import timeout_body, timeout_head

__all__ = [
    "DEFAULT_HEADER_READ_TIMEOUT",
    "EdgeConfig",
    "HeaderTimeoutH11Protocol",
    "header_timeout_protocol",
]

DEFAULT_HEADER_READ_TIMEOUT = 10.0


class EdgeConfig(uvicorn.Config):
    """uvicorn's config with the header read timeout the protocols below read (a plain
    attribute: the config is pickled to each worker process); ``http`` defaults to the
    protocol uvicorn would pick, with the timeout."""

    def __init__(self, app: Any, *, header_read_timeout: float, **kwargs: Any) -> None:
        kwargs.setdefault("http", header_timeout_protocol())
        super().__init__(app, **kwargs)
        self.header_read_timeout = header_read_timeout


def header_timeout_protocol() -> type[asyncio.Protocol]:
    """The protocol uvicorn's ``http="auto"`` would pick (httptools when installed)."""
    try:
        from gateway.slow_clients.headers_httptools import HeaderTimeoutHttpToolsProtocol
    except ImportError:  # pragma: no cover - httptools is a dependency; h11 also works
        return HeaderTimeoutH11Protocol
    return HeaderTimeoutHttpToolsProtocol


class HeaderDeadline:
    """One timer per connection, armed while a request's headers are awaited."""

    def __init__(
        self,
        config: Config,
        loop: asyncio.AbstractEventLoop,
        expire: Callable[[bool], None],
    ) -> None:
        self.seconds: float = getattr(config, "header_read_timeout", DEFAULT_HEADER_READ_TIMEOUT)
        self._loop = loop
        self._expire = expire
        self._handle: asyncio.TimerHandle | None = None
        #: some bytes of the awaited request arrived (a 408 is then owed, not a silent close)
        self.request_begun = False

    def start(self) -> None:
        if self._handle is None:
            self._handle = self._loop.call_later(self.seconds, self._fire)

    def cancel(self) -> None:
        self.request_begun = False
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _fire(self) -> None:
        self._handle = None
        self._expire(self.request_begun)


def expire_connection(
    transport: asyncio.Transport, answering: Any, request_begun: bool, seconds: float
) -> None:
    """What a fired header timer does to the connection (``answering``: the request/response
    cycle in progress, if any)."""
    if transport.is_closing():
        return
    if answering is not None and not answering.response_complete:
        answering.keep_alive = False  # finish the answer in flight, then close
        return
    if request_begun:
        body = timeout_body("headers", seconds)
        head = b"".join(name + b": " + value + b"\r\n" for name, value in timeout_head(body))
        transport.write(b"HTTP/1.1 408 Request Timeout\r\n" + head + b"\r\n" + body)
    transport.close()


class HeaderTimeoutH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with the header read timeout."""

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

    def handle_events(self) -> None:
        """After h11 has consumed what arrived (also the pipelined rest after an answer):
        headers complete, or part of a request waiting for more."""
        super().handle_events()
        if self.conn.their_state is not h11.IDLE or self.transport.is_closing():
            self.header_deadline.cancel()
        elif self.conn.trailing_data[0]:
            self.header_deadline.request_begun = True
            self.header_deadline.start()

    def _headers_timed_out(self, request_begun: bool) -> None:
        expire_connection(self.transport, self.cycle, request_begun, self.header_deadline.seconds)
