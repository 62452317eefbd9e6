"""Wires observability into an app: logging, ``/metrics``, ``/readyz``, the metrics read
from the cache and the circuit breakers, and the outermost middleware."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST

from gateway.observability.access_log import ObservabilityMiddleware
from gateway.observability.json_logs import configure_logging
from gateway.observability.readiness import ReadinessProbe, vendor_origins
from gateway.observability.trace_context import TraceIdFilter

if TYPE_CHECKING:
    from gateway.services import GatewayServices

__all__ = ["HEALTH_PATH", "METRICS_PATH", "READY_PATH", "install_observability"]

METRICS_PATH = "/metrics"
READY_PATH = "/readyz"
HEALTH_PATH = "/healthz"

_TRACE_IDS = TraceIdFilter()


def install_observability(app: FastAPI, services: GatewayServices, graphql_path: str) -> None:
    """Call last in ``create_app``: Starlette runs the last added middleware first, and the
    request id must be current before anything else runs (authentication's 401 included)."""
    settings = services.settings
    telemetry = services.telemetry
    # one filter for every app of the process: adding it again is then a no-op
    configure_logging(settings.log_format, settings.log_level).addFilter(_TRACE_IDS)
    metrics = telemetry.metrics
    metrics.watch_cache(services.cache)
    if services.redis is not None:
        metrics.watch_shared_tier(services.redis, services.cache)
    metrics.watch_breakers(services.vendors.breakers)
    services.vendors.on_breaker_change(metrics.breaker_changed)
    app.state.telemetry = telemetry
    readiness = ReadinessProbe(
        services.vendors,
        vendor_origins(services.tenants),
        timeout=settings.readiness_timeout,
        cache_for=settings.readiness_cache_seconds,
    )
    app.state.readiness = readiness

    if settings.metrics_enabled:

        @app.get(METRICS_PATH, include_in_schema=False)
        async def prometheus_metrics() -> Response:
            return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)

    @app.get(READY_PATH, include_in_schema=False)
    async def readyz() -> JSONResponse:
        report = await readiness.check()
        body = report.body()
        if services.redis is not None:
            # shared by every replica: its loss degrades them all alike, so it is reported
            # but never makes a replica unready (each keeps serving from L1 and the vendors)
            up = services.redis.up and await services.redis.ping()
            body["sharedTier"] = "ok" if up else "degraded"
        return JSONResponse(
            body,
            status_code=200 if report.ready else 503,
            headers={"cache-control": "no-store"},
        )

    probes = {METRICS_PATH, READY_PATH, HEALTH_PATH}
    app.add_middleware(
        ObservabilityMiddleware,
        metrics=metrics,
        routes={graphql_path, *probes},
        quiet=probes,
        guarded=graphql_path,
        access_log=settings.access_log,
        trust_trace_context=settings.tracing_trust_incoming,
    )
