"""The body read timeout: an ASGI guard around the app. The body of a request must arrive
within ``seconds`` of the app first asking for it; past that the app sees the client as gone
and the client gets a 408 (a GraphQL-shaped ``REQUEST_TIMEOUT`` error) and a closed
connection. An answer sent before the body was read (401, 413 …) closes the connection too,
so a client cannot keep trickling a body nobody reads past its answer."""

from __future__ import annotations

import asyncio

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.http_compliance.refusal import send_answer
from gateway.scoped_middleware import ScopedMiddleware
from gateway.slow_clients.timeout_response import timeout_refusal

__all__ = ["DEFAULT_BODY_READ_TIMEOUT", "BodyReadTimeout"]

DEFAULT_BODY_READ_TIMEOUT = 30.0


class BodyReadTimeout(ScopedMiddleware):
    """Wraps ``receive`` with one deadline for the whole body of each HTTP request."""

    def __init__(self, app: ASGIApp, seconds: float = DEFAULT_BODY_READ_TIMEOUT) -> None:
        self.app = app
        self.seconds = seconds

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        read = _BodyRead(scope, receive, send, self.seconds)
        try:
            await self.app(scope, read.receive, read.send)
        except Exception:
            if not read.owes_timeout:
                raise  # the app's own failure; after a timeout it only saw the client go
        if read.owes_timeout:
            accept = Headers(scope=scope).get("accept")
            await send_answer(send, timeout_refusal("body", self.seconds, accept))


class _BodyRead:
    """One request's body as the app reads it, and whether its answer may go out."""

    def __init__(self, scope: Scope, receive: Receive, send: Send, seconds: float) -> None:
        self._receive = receive
        self._send = send
        self._seconds = seconds
        self._deadline: float | None = None
        headers = Headers(scope=scope)
        declared = headers.get("content-length", "0") not in ("", "0")
        self.complete = not (declared or "transfer-encoding" in headers)
        self.timed_out = False
        self.response_started = False

    @property
    def owes_timeout(self) -> bool:
        return self.timed_out and not self.response_started

    async def receive(self) -> Message:
        if self.timed_out:
            return {"type": "http.disconnect"}
        if self.complete:  # e.g. waiting for a disconnect while streaming an answer
            return await self._receive()
        loop = asyncio.get_running_loop()
        if self._deadline is None:
            self._deadline = loop.time() + self._seconds
        try:
            async with asyncio.timeout_at(self._deadline):
                message = await self._receive()
        except TimeoutError:
            self.timed_out = True
            return {"type": "http.disconnect"}
        if message["type"] != "http.request" or not message.get("more_body", False):
            self.complete = True
        return message

    async def send(self, message: Message) -> None:
        if self.owes_timeout:
            return  # the app's answer to a client it believes gone: the 408 goes instead
        if message["type"] == "http.response.start":
            self.response_started = True
            headers = list(message.get("headers", []))
            if not self.complete and all(name.lower() != b"connection" for name, _ in headers):
                message = {**message, "headers": [*headers, _CLOSE]}
        await self._send(message)


_CLOSE = (b"connection", b"close")
