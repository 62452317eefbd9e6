"""``/readyz``: can the gateway reach its vendors?

One cheap probe per distinct vendor host (tenants usually share them): an unauthenticated
``GET /`` through the vendor's own pooled client, where **any** HTTP answer (401 and 404
included) proves the host is reachable and only a failed connection or the short timeout
does not. Real vendors have no health route, so none is assumed. The result is kept for a
few seconds, and concurrent checks share one round of probes, so a busy orchestrator
cannot turn readiness into load on the vendors. Probes bypass retries and the circuit
breakers, and the report names vendors only, never a URL.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import httpx

from gateway.observability.upstream import PROBE_EXTENSION
from gateway.settings import VENDORS, TenantConfig
from gateway.vendor_clients import VendorClients

__all__ = ["ReadinessProbe", "ReadinessReport", "vendor_origins"]


@dataclass(frozen=True)
class ReadinessReport:
    """``{vendor: "reachable" | "unreachable"}``."""

    vendors: Mapping[str, str]

    @property
    def ready(self) -> bool:
        return all(status == "reachable" for status in self.vendors.values())

    @property
    def failing(self) -> list[str]:
        return sorted(v for v, status in self.vendors.items() if status != "reachable")

    def body(self) -> dict[str, object]:
        body: dict[str, object] = {
            "status": "ready" if self.ready else "unready",
            "vendors": dict(self.vendors),
        }
        if not self.ready:
            body["failing"] = self.failing
        return body


def vendor_origins(tenants: Mapping[str, TenantConfig]) -> dict[str, list[str]]:
    """Each vendor's distinct ``scheme://host[:port]/`` over all tenants (no path, no
    credentials in the URL)."""
    urls: dict[str, set[str]] = {v: set() for v in VENDORS}
    for tenant in tenants.values():
        urls["tallymarks"] |= {
            _origin(tenant.tallymarks.customer_base_url),
            _origin(tenant.tallymarks.event_base_url),
        }
        urls["omnidesk"].add(_origin(tenant.omnidesk.base_url))
        urls["talon"].add(_origin(tenant.talon.base_url))
    return {vendor: sorted(found) for vendor, found in urls.items() if found}


def _origin(base_url: str) -> str:
    url = httpx.URL(base_url)
    return str(httpx.URL(scheme=url.scheme, host=url.host, port=url.port, path="/"))


class ReadinessProbe:
    def __init__(
        self,
        vendors: VendorClients,
        origins: Mapping[str, list[str]],
        *,
        timeout: float,
        cache_for: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._vendors = vendors
        self._origins = origins
        self._timeout = timeout
        self._cache_for = cache_for
        self._clock = clock
        self._last: tuple[float, ReadinessReport] | None = None
        self._lock = asyncio.Lock()

    async def check(self) -> ReadinessReport:
        async with self._lock:  # callers arriving during a round wait for its result
            if self._last is not None and self._clock() - self._last[0] < self._cache_for:
                return self._last[1]
            report = await self._probe_all()
            self._last = (self._clock(), report)
            return report

    async def _probe_all(self) -> ReadinessReport:
        vendors = list(self._origins)
        results = await asyncio.gather(*(self._vendor_reachable(v) for v in vendors))
        return ReadinessReport(
            {
                v: "reachable" if ok else "unreachable"
                for v, ok in zip(vendors, results, strict=True)
            }
        )

    async def _vendor_reachable(self, vendor: str) -> bool:
        found = await asyncio.gather(*(self._reachable(vendor, o) for o in self._origins[vendor]))
        return all(found)

    async def _reachable(self, vendor: str, origin: str) -> bool:
        client = self._vendors.http(vendor).client
        request = client.build_request("GET", origin, extensions={PROBE_EXTENSION: True})
        try:
            async with asyncio.timeout(self._timeout):
                response = await client.send(request)
                await response.aclose()
        except (httpx.HTTPError, TimeoutError):
            return False
        return True
