"""What the gateway's lifespan owns and every request shares: tenants, vendor clients, the
read cache, the per-vendor concurrency limits and the idempotency store."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from cache import ReadThroughCache, TTLStore
from cache.shared.invalidation_log import InvalidationLog
from cache.shared.l2_cache import L2Cache
from cache.shared.redis_link import RedisLink
from gateway.auth.api_keys import ApiKeys
from gateway.auth.authenticator import Authenticator
from gateway.idempotency import IdempotencyStore, InMemoryIdempotencyStore
from gateway.observability.telemetry import Telemetry
from gateway.rate_limit.limiter import RateLimiter
from gateway.settings import GatewaySettings, TenantConfig
from gateway.shared_tier.idempotency_store import SharedIdempotencyStore
from gateway.vendor_clients import VendorClients

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
    #: the shared tier (``CG_REDIS__URL``), or None: this process alone
    redis: RedisLink | None = None
    #: operations per principal (``CG_RATE_LIMIT__RATE``), or None: unlimited
    rate_limiter: RateLimiter | None = None

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
                maxsize=settings.cache_max_entries,
                max_bytes=settings.cache_max_bytes,
                keep_stale_for=settings.cache_keep_stale_for,
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
        redis = RedisLink(settings.redis) if settings.redis.enabled else None
        if redis is not None:
            peers = InvalidationLog(redis, apply=cache.drop_tags, drop_all=cache.drop_all)
            l2 = L2Cache(redis, peers, settings.cache_keep_stale_for)
            cache.attach_shared_tier(l2 if settings.redis.l2_cache else None, peers)
        idempotency: IdempotencyStore = (
            SharedIdempotencyStore(redis, max_local_bytes=settings.idempotency_max_bytes)
            if redis is not None
            else InMemoryIdempotencyStore(max_bytes=settings.idempotency_max_bytes)
        )
        rate_limiter = (
            RateLimiter(settings.rate_limit, redis) if settings.rate_limit.enabled else None
        )
        return cls(
            settings,
            tenants,
            vendors,
            authenticator,
            cache,
            limits,
            idempotency=idempotency,
            redis=redis,
            rate_limiter=rate_limiter,
        )

    async def aclose(self) -> None:
        if self.cache.peers is not None:
            await self.cache.flush_publishing()
        await self.vendors.aclose()
        if self.redis is not None:
            await self.redis.aclose()
        self.telemetry.shutdown()
