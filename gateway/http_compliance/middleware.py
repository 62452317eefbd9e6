"""The GraphQL endpoint's HTTP layer, a pure ASGI middleware between authentication and
Strawberry: it checks the request (:mod:`.checks`, the body size and batch limits),
negotiates the media type, runs the operation within the execution timeout (its vendor
calls within that, less a margin: :mod:`vendors.resilience.deadline`) and answers in
that media type with the spec's statuses (:mod:`.responses`).

Every refusal is a GraphQL-shaped JSON error with ``extensions.code``; its code is also
left on the request's :class:`~gateway.request_state.RequestState` for whoever counts
refusals. An answer in parts that the server's shutdown cuts ends with a last part saying
so (``SHUTTING_DOWN``), as one the execution timeout cuts does; an answer not yet started
is answered by the outermost middleware (:mod:`gateway.observability.shutdown`).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from fastapi import FastAPI
from starlette.datastructures import Headers, QueryParams
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.http_compliance.checks import (
    check_content_type,
    check_get_parameters,
    check_method,
    check_post_body,
)
from gateway.http_compliance.errors import HttpRejectionError
from gateway.http_compliance.negotiation import (
    GRAPHQL_RESPONSE_JSON,
    JSON,
    MULTIPART,
    accepts_multipart,
    negotiate,
)
from gateway.http_compliance.refusal import send_answer
from gateway.http_compliance.responses import (
    HttpResponse,
    error_response,
    incremental_last_part,
    reshape,
    timeout_response,
)
from gateway.limits import QueryLimits

if TYPE_CHECKING:
    from gateway.response_gate import ResponseCacheGate
from gateway.limits.body_size import check_declared_length, read_body
from gateway.limits.errors import EXECUTION_TIMEOUT, HttpLimitError
from gateway.limits.timeout import run_within, timeout_error
from gateway.observability.shutdown import SHUTTING_DOWN, shutting_down_error
from gateway.persisted.http import names_persisted_operation
from gateway.request_state import RequestState
from gateway.scoped_middleware import ScopedMiddleware
from vendors.resilience.deadline import operation_deadline

__all__ = ["GraphQLHttpMiddleware", "install_graphql_http"]

NOT_ACCEPTABLE = "NOT_ACCEPTABLE"


class GraphQLHttpMiddleware(ScopedMiddleware):
    def __init__(
        self,
        app: ASGIApp,
        *,
        path: str,
        limits: QueryLimits,
        responses: ResponseCacheGate | None = None,
    ) -> None:
        self.app = app
        self.path = path
        self.limits = limits
        self.responses = responses

    def concerns(self, scope: Scope) -> bool:
        return bool(scope["type"] == "http" and scope["path"].rstrip("/") == self.path)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope)
        params = QueryParams(scope.get("query_string", b""))
        if _is_playground_visit(scope["method"], headers, params):
            await self.app(scope, receive, send)
            return
        accept = headers.get("accept")
        incremental = accepts_multipart(accept)
        RequestState.of(scope).accepts_incremental = incremental
        # a client reading parts gets JSON for an answer in one part
        media_type = negotiate(accept) or (JSON if incremental else None)
        try:
            if media_type is None:
                raise HttpRejectionError(
                    406,
                    NOT_ACCEPTABLE,
                    f"Accept {GRAPHQL_RESPONSE_JSON} or {JSON}.",
                )
            body = await self._checked(scope, receive, headers, params)
        except (HttpRejectionError, HttpLimitError) as refused:
            rejection = _as_rejection(refused)
            RequestState.of(scope).rejected = rejection.code
            response = error_response(
                rejection.status, media_type or JSON, [rejection.error()], rejection.headers
            )
            await send_answer(send, response)
            return
        if body is None and scope["method"] == "POST":
            return  # the client went away
        await self._run(scope, body, receive, send, media_type)

    async def _checked(
        self, scope: Scope, receive: Receive, headers: Headers, params: QueryParams
    ) -> bytes | None:
        """The request body (None for a GET), once the request passed every check."""
        check_method(scope["method"])
        if scope["method"] == "GET":
            check_get_parameters(
                params, max_tokens=self.limits.max_tokens, max_depth=self.limits.max_variables_depth
            )
            return None
        check_content_type(headers.get("content-type"))
        check_declared_length(headers.get("content-length"), self.limits.max_body_bytes)
        body = await read_body(receive, self.limits.max_body_bytes)
        if body is not None:
            check_post_body(body, max_depth=self.limits.max_variables_depth)
        return body

    async def _run(
        self, scope: Scope, body: bytes | None, receive: Receive, send: Send, media_type: str
    ) -> None:
        key, generation = None, 0
        if self.responses is not None:
            key, cached, generation = await self.responses.lookup(scope, body, media_type)
            if cached is not None:
                await send_answer(send, cached)
                return
        try:
            captured = _Captured(send)
            replayed = _replay(body, receive)

            async def call() -> None:
                await self.app(scope, replayed, captured.send)

            seconds = self.limits.execution_timeout
            with operation_deadline(seconds, margin=self.limits.vendor_deadline_margin):
                try:
                    finished = await run_within(seconds, call)
                except asyncio.CancelledError:  # the server is stopping
                    if captured.streaming and await captured.end_with(
                        incremental_last_part(shutting_down_error())
                    ):
                        RequestState.of(scope).rejected = SHUTTING_DOWN
                    raise
            if captured.streaming:  # answered in parts as they came; never cached
                if not finished:
                    RequestState.of(scope).rejected = EXECUTION_TIMEOUT
                    await captured.end_with_timeout(seconds)
                return
            if not finished:
                RequestState.of(scope).rejected = EXECUTION_TIMEOUT
                await send_answer(send, timeout_response(seconds, media_type))
                return
            answer = reshape(captured.response(), media_type)
            if self.responses is not None and key is not None:
                answer = self.responses.offer(scope, key, generation, answer)
            await send_answer(send, answer)
        finally:
            _release(scope)


class _Captured:
    """Strawberry's response, held until it is complete so it can be reshaped; except an
    answer in parts (``multipart/mixed``, incremental delivery), passed on as it comes so
    the first part is not held back by the deferred ones."""

    def __init__(self, send: Send) -> None:
        self.start: Message | None = None
        self.chunks: list[bytes] = []
        self.streaming = False
        self._send = send
        self._ended = False

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.start = message
            self.streaming = _content_type(message).startswith(MULTIPART.encode())
            if self.streaming:
                await self._send(message)
        elif self.streaming:
            self._ended = not message.get("more_body", False)
            await self._send(message)
        elif message["type"] == "http.response.body":
            self.chunks.append(message.get("body", b""))

    async def end_with_timeout(self, seconds: float) -> None:
        """Closes a stream the execution timeout cut: a last part saying so, then the
        closing boundary, so the client's parser ends cleanly instead of hanging."""
        await self.end_with(incremental_last_part(timeout_error(seconds)))

    async def end_with(self, last_part: bytes) -> bool:
        """Sends ``last_part`` (with the closing boundary) unless the stream has ended;
        whether it did."""
        if self._ended:
            return False
        self._ended = True
        await self._send({"type": "http.response.body", "body": last_part})
        return True

    def response(self) -> HttpResponse:
        if self.start is None:  # pragma: no cover - Starlette always starts a response
            raise RuntimeError("the GraphQL endpoint sent no response")
        return HttpResponse(
            self.start["status"], list(self.start.get("headers", [])), b"".join(self.chunks)
        )


def _release(scope: Scope) -> None:
    """Every part of the answer has left: the operation's loaders let go of what they
    read, so reference counting frees it now rather than the garbage collector later."""
    context = RequestState.of(scope).context
    if context is not None:
        context.release()


def _content_type(start: Message) -> bytes:
    for name, value in start.get("headers", ()):
        if name.lower() == b"content-type":
            return bytes(value).lower()
    return b""


def _is_playground_visit(method: str, headers: Headers, params: QueryParams) -> bool:
    """A browser opening the playground page: no operation to check."""
    return (
        method == "GET"
        and "query" not in params
        and not names_persisted_operation(params)
        and "text/html" in headers.get("accept", "")
    )


def _replay(body: bytes | None, receive: Receive) -> Receive:
    """``receive`` giving Strawberry the body already read (then the client's messages)."""
    if body is None:
        return receive
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return replay


def _as_rejection(refused: HttpRejectionError | HttpLimitError) -> HttpRejectionError:
    if isinstance(refused, HttpRejectionError):
        return refused
    return HttpRejectionError(refused.status, refused.code, refused.message, **refused.extensions)


def install_graphql_http(
    app: FastAPI,
    limits: QueryLimits,
    path: str,
    responses: ResponseCacheGate | None = None,
) -> None:
    """``responses``: answer repeated queries from the response cache (after every check)."""
    app.add_middleware(GraphQLHttpMiddleware, path=path, limits=limits, responses=responses)
