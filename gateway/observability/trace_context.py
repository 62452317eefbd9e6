"""W3C trace context (``traceparent``/``tracestate``) at the two edges: taken from a trusted
caller, so the gateway's spans continue the caller's trace, and passed on to every vendor
call for the span making it, so a vendor's own traces join the same one.

Whether a caller is trusted is a setting (``tracing_trust_incoming``): a public caller could
otherwise choose trace ids (and, through the sampled flag, whether we trace at all). Without
trust, or with a malformed header, the request starts a trace of its own. With tracing off,
a trusted caller's context is still passed on unchanged, as W3C asks of a hop that does not
trace itself.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, MutableMapping

from opentelemetry import context as otel_context
from opentelemetry.context import Context
from opentelemetry.trace import format_trace_id, get_current_span
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

__all__ = ["TRACEPARENT", "TraceIdFilter", "incoming_trace", "pass_on", "trace_id_of"]

TRACEPARENT = "traceparent"

_PROPAGATOR = TraceContextTextMapPropagator()


def incoming_trace(headers: Mapping[str, str]) -> Context | None:
    """The caller's trace as an OpenTelemetry context; None without a valid ``traceparent``."""
    extracted = _PROPAGATOR.extract(headers)
    return extracted if trace_id_of(extracted) is not None else None


def trace_id_of(ctx: Context | None = None) -> str | None:
    """The trace id (32 hex digits) of the span current in ``ctx`` (default: now)."""
    span_context = get_current_span(ctx).get_span_context()
    return format_trace_id(span_context.trace_id) if span_context.is_valid else None


def pass_on(headers: MutableMapping[str, str]) -> None:
    """Sets ``traceparent`` (and ``tracestate``) for the current span, when there is one."""
    _PROPAGATOR.inject(headers, otel_context.get_current())


class TraceIdFilter(logging.Filter):
    """Stamps a record logged inside a trace with its ``trace_id`` (the access log sets its
    own, as it logs after the request's trace has ended)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "trace_id"):
            trace_id = trace_id_of()
            if trace_id is not None:
                record.trace_id = trace_id
        return True
