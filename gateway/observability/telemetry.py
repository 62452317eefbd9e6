"""What one app observes with: its metrics registry and its tracer provider, built from the
settings and owned by :class:`~gateway.services.GatewayServices` for the app's life."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx

from gateway.observability.metrics import GatewayMetrics
from gateway.observability.tracing import Tracing
from gateway.observability.upstream import ObservedTransport

if TYPE_CHECKING:
    from gateway.settings import GatewaySettings

__all__ = ["Telemetry"]


@dataclass
class Telemetry:
    metrics: GatewayMetrics = field(default_factory=GatewayMetrics)
    tracing: Tracing = field(default_factory=Tracing)

    @classmethod
    def from_settings(cls, settings: GatewaySettings) -> Telemetry:
        return cls(
            GatewayMetrics(max_operation_names=settings.metrics_max_operation_names),
            Tracing.from_settings(settings),
        )

    def wrap_transport(self, vendor: str, transport: httpx.AsyncBaseTransport) -> ObservedTransport:
        """A :data:`gateway.vendor_clients.TransportWrapper`: each vendor call observed."""
        return ObservedTransport(vendor, transport, self.metrics, self.tracing)

    def shutdown(self) -> None:
        self.tracing.shutdown()
