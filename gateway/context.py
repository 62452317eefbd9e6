"""The per-request GraphQL context: who is calling, their tenant's vendor clients, fresh
dataloaders, and the shared read cache behind them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

from strawberry.fastapi import BaseContext

from gateway.auth import Principal
from gateway.cache import CacheEntry, CacheKey, StaleRead, Tag
from gateway.cache.keys import credential_scope
from gateway.cache.response_cache import ReadLedger
from gateway.services import GatewayServices
from gateway.settings import TenantConfig
from gateway.vendors.clients import TenantClients

if TYPE_CHECKING:
    from resolvers.loaders.base import Loaders

__all__ = ["GraphQLContext"]

K = TypeVar("K")
V = TypeVar("V")


def _scopes(tenant: TenantConfig) -> dict[str, str]:
    return {
        "tallymarks": credential_scope(
            tenant.tallymarks.customer_base_url,
            tenant.tallymarks.tenant_id,
            tenant.tallymarks.api_key.get_secret_value(),
        ),
        "omnidesk": credential_scope(
            tenant.omnidesk.base_url,
            str(tenant.omnidesk.brand_id),
            tenant.omnidesk.api_key.get_secret_value(),
        ),
        "talon": credential_scope(tenant.talon.base_url, tenant.talon.api_key.get_secret_value()),
    }


class GraphQLContext(BaseContext):
    """``principal`` is ``None`` only for the GraphiQL page, which executes nothing."""

    def __init__(
        self,
        services: GatewayServices,
        principal: Principal | None,
        request_id: str,
        started_at: float | None = None,
    ) -> None:
        super().__init__()
        self.services = services
        self._principal = principal
        self.request_id = request_id
        #: failures of parts of a field that still returned data (see report_partial)
        self.partial_errors: list[tuple[Exception, tuple[str | int, ...]]] = []
        #: reads served past their TTL because the vendor failed (``extensions.stale``)
        self.stale_reads: list[StaleRead] = []
        #: when the request arrived: invalidations published before it are applied first
        self.started_at = started_at if started_at is not None else time.monotonic()
        self._caught_up: asyncio.Future[None] | None = None
        #: this request's invalidations on their way to the other replicas
        self._publishing: list[asyncio.Task[None]] = []
        #: what the answer depends on, for the response cache (gateway.cache.response_cache)
        self.reads = ReadLedger()
        #: "query" or "mutation", once Strawberry knows (schema.response_cache_extension)
        self.operation_type: str | None = None
        self.operation_name: str | None = None
        #: reads started ahead of the fields that need them (held so they aren't collected)
        self.prefetched: list[asyncio.Task[object]] = []

    @property
    def principal(self) -> Principal:
        if self._principal is None:  # the auth middleware lets no operation through without
            raise RuntimeError("no principal on this request")
        return self._principal

    @property
    def tenant_key(self) -> str:
        return self.principal.tenant

    @cached_property
    def tenant(self) -> TenantConfig:
        return self.services.tenants[self.tenant_key]

    @cached_property
    def vendors(self) -> TenantClients:
        return self.services.vendors.for_tenant(self.tenant)

    @cached_property
    def _scopes(self) -> dict[str, str]:
        return _scopes(self.tenant)

    @cached_property
    def loaders(self) -> Loaders:
        from resolvers.loaders.base import Loaders

        return Loaders(self)

    def report_partial(self, error: Exception, path: Sequence[str | int]) -> None:
        """Record an error for a field that still returns the data it has (e.g. the
        activity feed without a failed source); it joins the response's ``errors``."""
        self.reads.spoil()
        self.partial_errors.append((error, tuple(path)))

    @property
    def answer_cacheable(self) -> bool:
        """The whole answer may be kept by the response cache (see ReadLedger)."""
        return self.operation_type == "query" and self.reads.cacheable and not self.stale_reads

    # --- cache -----------------------------------------------------------------------------

    def cache_key(self, vendor: str, operation: str, **args: object) -> CacheKey:
        return CacheKey.of(self.tenant_key, self._scopes[vendor], vendor, operation, **args)

    def tag(self, vendor: str, resource: str, ident: str) -> Tag:
        return Tag(self.tenant_key, vendor, resource, ident)

    async def cached(
        self,
        key: CacheKey,
        kind: str,
        load: Callable[[], Awaitable[V]],
        tags: Iterable[Tag] = (),
    ) -> V:
        """A vendor read through the cross-request cache (single-flight, TTL by kind); when
        the vendor fails, a recently expired value is served and recorded in ``stale_reads``.
        In ``naive`` resolver mode (benchmarks only) every read goes to the vendor."""
        if self.services.settings.resolver_mode == "naive":
            self.reads.spoil()
            return await load()
        await self.caught_up()
        return await self.services.cache.get_or_load(
            key, kind, load, tags, on_stale=self.stale_reads.append, on_read=self.reads.record
        )

    async def caught_up(self) -> None:
        """Once per request, before its first cache read: apply what other replicas
        invalidated before this request began (a no-op without the shared tier)."""
        cache = self.services.cache
        if cache.peers is None:
            return
        if self._caught_up is None:
            self._caught_up = asyncio.ensure_future(cache.catch_up(self.started_at))
        await asyncio.shield(self._caught_up)

    async def cache_peek(self, key: CacheKey) -> CacheEntry | None:
        """A fresh entry this process holds, without loading (see ``cached`` for loads)."""
        if self.services.settings.resolver_mode == "naive":
            return None
        await self.caught_up()
        entry = self.services.cache.peek(key)
        if entry is not None:
            self.reads.record(entry)
        return entry

    async def invalidations_published(self) -> None:
        """Wait until this request's invalidations reached the shared tier (they never
        fail: while Redis is unreachable they are queued for replay)."""
        while self._publishing:
            await self._publishing.pop()

    def invalidate(self, *tags: Tag, keep_loaders: bool = False) -> None:
        """Forget what a write changed (call after the vendor accepted it): the
        cross-request entries under ``tags`` and this request's dataloaders, which may hold
        the old value (an existence check, an earlier mutation of the same document).
        Untouched reads come back from the cross-request cache at no cost."""
        self.reads.spoil()
        self.services.cache.invalidate(tags, self._publishing.append)
        if not keep_loaders:
            self.__dict__.pop("loaders", None)  # the cached_property builds fresh ones on use

    # --- concurrency -----------------------------------------------------------------------

    async def fan_out(
        self, vendor: str, keys: Sequence[K], call: Callable[[K], Awaitable[V]]
    ) -> Mapping[K, V | Exception]:
        """One call per key, concurrently (the vendor's edge, ``VendorHttp``, keeps its
        concurrency limit per attempt); failures per key."""
        del vendor
        results = await asyncio.gather(*(call(k) for k in keys), return_exceptions=True)
        out: dict[K, V | Exception] = {}
        for key, result in zip(keys, results, strict=True):
            if isinstance(result, BaseException) and not isinstance(result, Exception):
                raise result
            out[key] = result
        return out
