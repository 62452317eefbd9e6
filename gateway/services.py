"""What the gateway's lifespan owns and every request shares: tenants, vendor clients, the
read cache, the per-vendor concurrency limits and the idempotency store."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from gateway.cache import ReadThroughCache, TTLStore
from gateway.idempotency import IdempotencyStore, InMemoryIdempotencyStore
from gateway.settings import GatewaySettings, TenantConfig
from gateway.tenancy import ApiKeyAuthenticator
from gateway.vendors.clients import VendorClients

__all__ = ["GatewayServices"]


@dataclass
class GatewayServices:
    settings: GatewaySettings
    tenants: dict[str, TenantConfig]
    vendors: VendorClients
    authenticator: ApiKeyAuthenticator
    cache: ReadThroughCache
    #: independent upstream calls run concurrently, at most this many per vendor
    limits: dict[str, asyncio.Semaphore] = field(default_factory=dict)
    #: what each idempotency key of a cross-vendor write already did (see gateway.idempotency)
    idempotency: IdempotencyStore = field(default_factory=InMemoryIdempotencyStore)

    @classmethod
    def build(
        cls,
        settings: GatewaySettings,
        tenants: dict[str, TenantConfig],
        api_keys: dict[str, str],
        vendors: VendorClients,
    ) -> GatewayServices:
        cache = ReadThroughCache(
            store=TTLStore(
                maxsize=settings.cache_max_entries, keep_stale_for=settings.cache_keep_stale_for
            ),
            ttls=dict(settings.cache_ttls),
        )
        limits = {
            v: asyncio.Semaphore(settings.http_for(v).max_concurrency)
            for v in ("tallymarks", "omnidesk", "talon")
        }
        return cls(settings, tenants, vendors, ApiKeyAuthenticator(api_keys), cache, limits)

    async def aclose(self) -> None:
        await self.vendors.aclose()
