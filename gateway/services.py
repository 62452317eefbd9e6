"""What the gateway's lifespan owns and every request shares: tenants, vendor clients, the
read cache, the per-vendor concurrency limits and the idempotency store."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from gateway.auth import ApiKeys, Authenticator
from gateway.cache import ReadThroughCache, TTLStore
from gateway.idempotency import IdempotencyStore, InMemoryIdempotencyStore
from gateway.observability.telemetry import Telemetry
from gateway.settings import GatewaySettings, TenantConfig
from gateway.vendors.clients import VendorClients

__all__ = ["GatewayServices"]


@dataclass
class GatewayServices:
    settings: GatewaySettings
    tenants: dict[str, TenantConfig]
    vendors: VendorClients
    authenticator: Authenticator
    cache: ReadThroughCache
    #: independent upstream calls run concurrently, at most this many per vendor
    limits: dict[str, asyncio.Semaphore] = field(default_factory=dict)
    #: what each idempotency key of a cross-vendor write already did (see gateway.idempotency)
    idempotency: IdempotencyStore = field(default_factory=InMemoryIdempotencyStore)
    #: metrics registry and tracer provider (gateway.observability); the app sets its own
    telemetry: Telemetry = field(default_factory=Telemetry)

    @classmethod
    def build(
        cls,
        settings: GatewaySettings,
        tenants: dict[str, TenantConfig],
        api_keys: ApiKeys,
        vendors: VendorClients,
    ) -> GatewayServices:
        cache = ReadThroughCache(
            store=TTLStore(
                maxsize=settings.cache_max_entries, keep_stale_for=settings.cache_keep_stale_for
            ),
            ttls=dict(settings.cache_ttls),
            stale_if_error=min(settings.cache_stale_if_error, settings.cache_keep_stale_for),
        )
        # the vendor edges keep these limits (see VendorHttp); listed here for metrics
        limits = {
            v: limit
            for v in ("tallymarks", "omnidesk", "talon")
            if (limit := vendors.http(v).limit) is not None
        }
        authenticator = Authenticator.build(api_keys, settings.jwt, tenants)
        return cls(settings, tenants, vendors, authenticator, cache, limits)

    async def aclose(self) -> None:
        await self.vendors.aclose()
        self.telemetry.shutdown()
