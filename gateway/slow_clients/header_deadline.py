"""The timer behind the header read timeout (:mod:`.headers`), and the mixin that arms it
in uvicorn's h11 and httptools protocols: its own module so the httptools one needs nothing
from the h11 one."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from uvicorn.config import Config
from uvicorn.server import ServerState

from gateway.slow_clients.timeout_response import timeout_refusal

__all__ = [
    "DEFAULT_HEADER_READ_TIMEOUT",
    "HeaderDeadline",
    "HeaderDeadlineMixin",
    "expire_connection",
]

DEFAULT_HEADER_READ_TIMEOUT = 10.0


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
        answer = timeout_refusal("headers", seconds, None)
        head = b"".join(name + b": " + value + b"\r\n" for name, value in answer.headers)
        transport.write(b"HTTP/1.1 408 Request Timeout\r\n" + head + b"\r\n" + answer.body)
    transport.close()


class HeaderDeadlineMixin(asyncio.Protocol):
    """Arms the header timer when a connection opens and disarms it when it closes; put it
    before one of uvicorn's protocol classes, whose ``loop``, ``transport`` and ``cycle`` it
    uses. The subclass arms it again, and disarms it, as its parser sees a request."""

    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport
    cycle: Any

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)  # type: ignore[call-arg]
        self.header_deadline = HeaderDeadline(config, self.loop, self._headers_timed_out)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        self.header_deadline.start()

    def connection_lost(self, exc: Exception | None) -> None:
        self.header_deadline.cancel()
        super().connection_lost(exc)

    def _headers_timed_out(self, request_begun: bool) -> None:
        expire_connection(self.transport, self.cycle, request_begun, self.header_deadline.seconds)
