"""Every attempt to a vendor, observed at the transport: the request id passed on as
``X-Request-Id``, a span whose W3C ``traceparent`` is passed on (:mod:`.trace_context`), and
the upstream metrics by route template and status.

A transport (not an event hook) because it also sees attempts that never get an answer
(refused connection, timeout, cancellation). The route template comes from the request's
``extensions`` (set by :meth:`gateway.vendors.http.VendorHttp.send`), so no URL — with ids
or query strings — becomes a label. Latency is to the response headers.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
from opentelemetry.trace import Span

from gateway.observability.metrics import GatewayMetrics
from gateway.observability.request_id import REQUEST_ID_HEADER, current_request_id
from gateway.observability.trace_context import pass_on
from gateway.observability.tracing import Tracing, mark_failed
from gateway.vendors.http import ENDPOINT_EXTENSION

__all__ = ["PROBE_EXTENSION", "ObservedTransport"]

UNNAMED = "unnamed"
#: marks a readiness probe (:mod:`.readiness`): not a vendor call, so not observed
PROBE_EXTENSION = "cg.readiness_probe"


class ObservedTransport(httpx.AsyncBaseTransport):
    """Wraps one vendor's transport (the real pool, or a test's ``ASGITransport``)."""

    def __init__(
        self,
        vendor: str,
        inner: httpx.AsyncBaseTransport,
        metrics: GatewayMetrics,
        tracing: Tracing,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.vendor = vendor
        self.inner = inner
        self.metrics = metrics
        self.tracing = tracing
        self.clock = clock

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.extensions.get(PROBE_EXTENSION):
            return await self.inner.handle_async_request(request)
        endpoint = request.extensions.get(ENDPOINT_EXTENSION)
        endpoint = endpoint if isinstance(endpoint, str) else UNNAMED
        request_id = current_request_id()
        if request_id is not None:
            request.headers[REQUEST_ID_HEADER] = request_id
        started = self.clock()
        status = "cancelled"  # unless the attempt ends otherwise (a deadline cancelled it)
        with self.tracing.upstream(self.vendor, endpoint, request) as span:
            pass_on(request.headers)  # this attempt's span (or a trusted caller's, untraced)
            try:
                response = await self.inner.handle_async_request(request)
                status = str(response.status_code)
            except httpx.TimeoutException:
                status = "timeout"
                raise
            except httpx.TransportError:
                status = "unreachable"
                raise
            finally:
                seconds = self.clock() - started
                self.metrics.observe_upstream(self.vendor, endpoint, status, seconds)
                if span is not None:
                    _describe(span, status)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def _describe(span: Span, status: str) -> None:
    if status.isdigit():
        code = int(status)
        span.set_attribute("http.response.status_code", code)
        if code >= 500 or code == 429:
            mark_failed(span, status)
    else:
        mark_failed(span, status)
