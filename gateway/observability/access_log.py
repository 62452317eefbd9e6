"""The outermost middleware: a request id for every request (the caller's ``X-Request-Id``
when it is a safe token, else a new one), answered in ``X-Request-Id``, current for the
whole request (:mod:`.request_id`); then one access-log line and the HTTP metrics.

The access line holds the method, the path (never the query string: a GET carries the
operation's variables there), the status, the duration, the operation names, the tenant and
the W3C trace id — never a header, a credential or a variable's value. A trusted caller's
``traceparent`` (``trust_trace_context``) is made current here, so every span and vendor
call below continues its trace (:mod:`.trace_context`). Refusals made by the layers
below (authentication, the HTTP layer's limits, which leave their code on the request's
:class:`~gateway.request_state.RequestState`) are counted here by reason. A request the
server stops before its answer (the graceful shutdown timeout ran out) is answered here: a
503 ``SHUTTING_DOWN`` rather than uvicorn's plain-text 500 (:mod:`.shutdown`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Collection

from opentelemetry import context as otel_context
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.observability.metrics import GatewayMetrics
from gateway.observability.request_id import REQUEST_ID_HEADER, accept_request_id, request_scope
from gateway.observability.shutdown import SHUTTING_DOWN, send_shutting_down, uncancel
from gateway.observability.trace_context import incoming_trace, trace_id_of
from gateway.request_state import RequestState
from gateway.scoped_middleware import ScopedMiddleware

__all__ = ["ObservabilityMiddleware"]

log = logging.getLogger("gateway.access")

UNAUTHENTICATED = "UNAUTHENTICATED"
#: refusals on the GraphQL route that no layer named, by the code the client was answered
#: with: authentication's 401, and Strawberry's own 400s (a request with no query), which
#: the HTTP layer answers as BAD_REQUEST
_UNNAMED_REFUSALS = {400: "BAD_REQUEST", 401: UNAUTHENTICATED}


class ObservabilityMiddleware(ScopedMiddleware):
    """``routes``: the paths counted under their own name (others are ``other``);
    ``quiet``: those logged at DEBUG (probes and scrapes, every few seconds);
    ``guarded``: the path where a 401 is a refused operation."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        metrics: GatewayMetrics,
        routes: Collection[str],
        quiet: Collection[str],
        guarded: str,
        access_log: bool = True,
        trust_trace_context: bool = False,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.routes = frozenset(routes)
        self.quiet = frozenset(quiet)
        self.guarded = guarded
        self.access_log = access_log
        self.trust_trace_context = trust_trace_context

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope)
        state = RequestState.begin(scope, accept_request_id(headers.get(REQUEST_ID_HEADER)))
        caller_trace = incoming_trace(headers) if self.trust_trace_context else None
        if caller_trace is not None:
            state.trace_id = trace_id_of(caller_trace)
        status = 500  # unless the app answers: an exception below ends as a 500
        started = complete = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, started, complete
            if message["type"] == "http.response.start":
                status, started = message["status"], True
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = state.request_id
            elif message["type"] == "http.response.body":
                complete = not message.get("more_body", False)
            await send(message)

        attached = otel_context.attach(caller_trace) if caller_trace is not None else None
        with request_scope(state):
            try:
                await self.app(scope, receive, send_with_id)
            except asyncio.CancelledError:
                # the server is stopping (see .shutdown): answered here when nothing was
                # sent yet, done when the layers below closed their answer themselves
                if complete:
                    uncancel()
                elif not started:
                    uncancel()
                    state.rejected = SHUTTING_DOWN
                    await send_shutting_down(send_with_id, headers.get("accept"))
                else:  # cut in the middle of a body: uvicorn closes the connection
                    raise
            finally:
                if attached is not None:
                    otel_context.detach(attached)
                self._finish(scope, state, status)

    def _finish(self, scope: Scope, state: RequestState, status: int) -> None:
        seconds = time.perf_counter() - state.started_at
        path: str = scope["path"]
        route = path.rstrip("/") or "/"
        route = route if route in self.routes else "other"
        method: str = scope["method"]
        self.metrics.observe_http(route, method, status)
        self.metrics.after_request()
        rejected = _rejection(state, status, route == self.guarded)
        if rejected is not None:
            self.metrics.reject(rejected)
        if not self.access_log:
            return
        level = logging.DEBUG if route in self.quiet else logging.INFO
        log.log(
            level,
            "%s %s %d",
            method,
            path,
            status,
            extra={
                "method": method,
                "path": path,
                "status": status,
                "duration_ms": round(seconds * 1000, 2),
                "operation": ",".join(state.operations) or None,
                "tenant": state.tenant,
                "rejected": rejected,
                "trace_id": state.trace_id,
            },
        )


def _rejection(state: RequestState, status: int, guarded: bool) -> str | None:
    if state.rejected is not None:
        return state.rejected
    if guarded:  # refused on the GraphQL route by a layer that did not name the reason
        return _UNNAMED_REFUSALS.get(status)
    return None
