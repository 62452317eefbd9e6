"""OpenTelemetry traces: one span per GraphQL operation, per dataloader batch and per
upstream call, nested in that order. Never one per field: Strawberry's per-field tracing
extension makes large lists about 9 times slower, and the batches already show where time goes.

Off unless ``tracing_enabled``; then spans go to an OTLP/HTTP collector at
``otlp_endpoint`` (none: only to processors added to :attr:`Tracing.provider`, as the
tests do), or with ``tracing_exporter=console`` to stdout, one JSON line per span, for
local debugging. The app owns its :class:`TracerProvider`; the process-wide global is left
alone. A trusted caller's trace is continued (:mod:`.trace_context`).
"""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, TextIO
from urllib.parse import urlsplit

from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
    SpanExporter,
)
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, Tracer

if TYPE_CHECKING:
    from gateway.settings import GatewaySettings

__all__ = ["SpanScope", "Tracing", "mark_failed", "name_operation"]

SpanScope = AbstractContextManager[Span | None]

INSTRUMENTATION = "customer-graph"
#: tracing off: one reusable no-op scope for every vendor attempt
_NO_SPAN: SpanScope = nullcontext(None)


class Tracing:
    """Span factories for the three things worth a span; each is a no-op when disabled."""

    def __init__(self, provider: TracerProvider | None = None) -> None:
        self.provider = provider
        self._tracer: Tracer | None = provider.get_tracer(INSTRUMENTATION) if provider else None

    @classmethod
    def from_settings(cls, settings: GatewaySettings) -> Tracing:
        if not settings.tracing_enabled:
            return cls(None)
        provider = TracerProvider(
            resource=Resource.create({"service.name": settings.service_name}),
            sampler=ParentBased(TraceIdRatioBased(settings.trace_sample_ratio)),
        )
        if settings.tracing_exporter == "console":
            # printed as each span ends: a debugging aid, where batching would only delay
            provider.add_span_processor(SimpleSpanProcessor(_console_exporter()))
        elif settings.otlp_endpoint:
            provider.add_span_processor(BatchSpanProcessor(_otlp_exporter(settings)))
        return cls(provider)

    @property
    def enabled(self) -> bool:
        return self._tracer is not None

    def operation(self) -> SpanScope:
        """The operation's span; named once the document is parsed (:func:`name_operation`)."""
        if self._tracer is None:
            return nullcontext(None)
        return self._tracer.start_as_current_span(
            "graphql.operation", kind=SpanKind.SERVER, record_exception=False
        )

    def loader_batch(self, loader: str, vendor: str, size: int) -> SpanScope:
        if self._tracer is None:
            return nullcontext(None)
        return self._tracer.start_as_current_span(
            f"dataloader {loader}",
            attributes={"cg.loader": loader, "cg.vendor": vendor, "cg.batch_size": size},
        )

    def upstream(self, vendor: str, endpoint: str, method: str, url: str) -> SpanScope:
        """One attempt of a vendor call. Only the route template and host are recorded:
        never the URL (ids, query strings) nor a header."""
        if self._tracer is None:
            return _NO_SPAN
        _, _, template = endpoint.partition(" ")
        return self._tracer.start_as_current_span(
            f"{vendor} {endpoint}",
            kind=SpanKind.CLIENT,
            attributes={
                "cg.vendor": vendor,
                "cg.endpoint": endpoint,
                "peer.service": vendor,
                "http.request.method": method,
                "url.template": template or endpoint,
                "server.address": urlsplit(url).hostname or "",
            },
            # failures are recorded as a status and ``error.type``, not as a traceback
            record_exception=False,
            set_status_on_exception=False,
        )

    def shutdown(self) -> None:
        """Export what is buffered (called when the app stops)."""
        if self.provider is not None:
            self.provider.shutdown()


def name_operation(span: Span, name: str, operation_type: str) -> None:
    span.update_name(f"{operation_type} {name}")
    span.set_attribute("graphql.operation.name", name)
    span.set_attribute("graphql.operation.type", operation_type)


def mark_failed(span: Span, error_type: str) -> None:
    span.set_attribute("error.type", error_type)
    span.set_status(Status(StatusCode.ERROR))


def _otlp_exporter(settings: GatewaySettings) -> SpanExporter:
    # imported here: the exporter pulls in protobuf, which a gateway without tracing skips
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter(
        endpoint=settings.otlp_endpoint,
        headers={k: v.get_secret_value() for k, v in settings.otlp_headers.items()},
        timeout=settings.otlp_timeout,
    )


class _Stdout:
    """Whatever ``sys.stdout`` is when a span is printed (not when the app was built), so a
    redirected stdout (pytest's capture, a host's) is followed."""

    def write(self, text: str) -> int:
        return sys.stdout.write(text)

    def flush(self) -> None:
        sys.stdout.flush()


def _console_exporter() -> SpanExporter:
    out: TextIO = _Stdout()  # type: ignore[assignment]
    return ConsoleSpanExporter(out=out, formatter=lambda span: span.to_json(indent=None) + "\n")
