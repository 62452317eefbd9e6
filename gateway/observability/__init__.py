"""Observability: Prometheus metrics, OpenTelemetry traces, JSON logs with a request id,
and readiness.

- :class:`Telemetry` (metrics registry + tracer provider) is built per app from the settings
  and owned by the services; vendor calls are observed at their transport
  (:mod:`.upstream`), operations by a schema extension (:mod:`.extension`), dataloader
  batches by ``BatchLoader``.
- :func:`install_observability` adds ``/metrics``, ``/readyz`` and the request-id / access-log
  middleware (:mod:`.access_log`), which also takes a trusted caller's W3C trace context
  (:mod:`.trace_context`); every vendor call carries a ``traceparent``.
- With several workers, ``/metrics`` renders all of them (:mod:`.multiprocess`).

Nothing observed carries a credential: labels and span attributes are names, route
templates, statuses and codes; the access log picks its fields.
"""

from gateway.observability.request_id import REQUEST_ID_HEADER, current_request_id
from gateway.observability.telemetry import Telemetry

__all__ = ["REQUEST_ID_HEADER", "Telemetry", "current_request_id"]
