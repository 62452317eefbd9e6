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
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from gateway.slow_clients.header_deadline import DEFAULT_HEADER_READ_TIMEOUT, HeaderDeadlineMixin

__all__ = [
    "DEFAULT_HEADER_READ_TIMEOUT",
    "EdgeConfig",
    "HeaderTimeoutH11Protocol",
    "header_timeout_protocol",
]


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


class HeaderTimeoutH11Protocol(HeaderDeadlineMixin, H11Protocol):
    """uvicorn's h11 protocol with the header read timeout."""

    def handle_events(self) -> None:
        """After h11 has consumed what arrived (also the pipelined rest after an answer):
        headers complete, or part of a request waiting for more."""
        super().handle_events()
        if self.conn.their_state is not h11.IDLE or self.transport.is_closing():
            self.header_deadline.cancel()
        elif self.conn.trailing_data[0]:
            self.header_deadline.request_begun = True
            self.header_deadline.start()
