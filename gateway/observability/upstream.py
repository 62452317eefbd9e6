"""Every attempt to a vendor, observed at the transport: the request id passed on as
``X-Request-Id``, a span whose W3C ``traceparent`` is passed on (:mod:`.trace_context`), and
the upstream metrics by route template and status.

A transport (not an event hook) because it also sees attempts that never get an answer
(refused connection, timeout, cancellation). It wraps the vendor's transport, the aiohttp
pool or a test's, and observes the light requests the vendor edge sends
(:meth:`ObservedTransport.exchange`, no httpx object made); an ``httpx.Request`` sent
through the vendor's ``httpx.AsyncClient`` takes the same path. The route template comes
from the request (set by :meth:`vendors.http.VendorHttp.send`), so no URL — with ids
or query strings — becomes a label. Latency is to the whole answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
from opentelemetry import context as otel_context
from opentelemetry.trace import Span
from prometheus_client import Counter, Histogram

from gateway.observability.metrics import GatewayMetrics
from gateway.observability.request_id import REQUEST_ID_HEADER, current_request_id
from gateway.observability.trace_context import pass_on
from gateway.observability.tracing import Tracing, mark_failed
from vendors.transport import (
    LeanTransport,
    TransportError,
    TransportTimeoutError,
    VendorRequest,
    VendorResponse,
    exchange_via_httpx,
)

__all__ = ["PROBE_EXTENSION", "ObservedTransport"]

UNNAMED = "unnamed"
#: (endpoint, status) pairs whose metric children are kept; route templates and statuses
#: are few, this only bounds a surprise
_MAX_OBSERVERS = 1024
#: marks a readiness probe (:mod:`.readiness`): not a vendor call, so not observed
PROBE_EXTENSION = "cg.readiness_probe"


class ObservedTransport(LeanTransport):
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
        #: the labelled counter and histogram per (endpoint, status), looked up once:
        #: ``labels()`` checks and locks on every call
        self._observers: dict[tuple[str, str], tuple[Counter, Histogram]] = {}

    async def exchange(self, request: VendorRequest) -> VendorResponse:
        endpoint = request.endpoint or UNNAMED
        started = self.clock()
        status = "cancelled"  # unless the attempt ends otherwise (a deadline cancelled it)
        with self.tracing.upstream(self.vendor, endpoint, request.method, request.url) as span:
            passed: dict[str, str] = {}
            request_id = current_request_id()
            if request_id is not None:
                passed[REQUEST_ID_HEADER] = request_id
            if otel_context.get_current():  # empty: no span, nothing to pass on
                pass_on(passed)  # this attempt's span (or a trusted caller's, untraced)
            try:
                response = await self._forward(request.with_headers(tuple(passed.items())))
                status = str(response.status_code)
            except TransportTimeoutError:
                status = "timeout"
                raise
            except TransportError:
                status = "unreachable"
                raise
            finally:
                self._observe(endpoint, status, self.clock() - started)
                if span is not None:
                    _describe(span, status)
        return response

    def _observe(self, endpoint: str, status: str, seconds: float) -> None:
        observers = self._observers.get((endpoint, status))
        if observers is None:
            if len(self._observers) >= _MAX_OBSERVERS:
                self.metrics.observe_upstream(self.vendor, endpoint, status, seconds)
                return
            observers = (
                self.metrics.upstream_requests.labels(self.vendor, endpoint, status),
                self.metrics.upstream_duration.labels(self.vendor, endpoint),
            )
            self._observers[endpoint, status] = observers
        observers[0].inc()
        observers[1].observe(seconds)

    async def _forward(self, request: VendorRequest) -> VendorResponse:
        if isinstance(self.inner, LeanTransport):
            return await self.inner.exchange(request)
        return await exchange_via_httpx(self.inner, request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.extensions.get(PROBE_EXTENSION):
            return await self.inner.handle_async_request(request)
        return await super().handle_async_request(request)

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
