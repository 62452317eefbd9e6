"""One request's handle on the cross-request read cache (:class:`ReadThroughCache`).

It scopes keys and tags to the request's tenant and credentials, applies other replicas'
invalidations before the first read, records what the answer depends on (the response
cache's ledger) and which reads were served stale, and publishes the request's
invalidations. The GraphQL context holds one; loaders and writes go through it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping
from functools import cached_property
from typing import TypeVar

from cache.keys import CacheKey, Tag
from cache.read_ledger import ReadLedger
from cache.read_through import ReadThroughCache, StaleRead
from cache.store import CacheEntry

__all__ = ["RequestCache"]

V = TypeVar("V")


class RequestCache:
    """``scope`` (the tenant's key and, per vendor, a fingerprint of the credentials its
    reads are made with) is asked for on first use: a request without a principal (the
    GraphiQL page) never reads. With ``bypass`` (the ``naive`` resolver mode, benchmarks only) every
    read goes to the vendor."""

    def __init__(
        self,
        shared: ReadThroughCache,
        scope: Callable[[], tuple[str, Mapping[str, str]]],
        *,
        started_at: float,
        bypass: bool = False,
    ) -> None:
        self.shared = shared
        self._scope_of = scope
        self.started_at = started_at
        self.bypass = bypass
        #: reads served past their TTL because the vendor failed (``extensions.stale``)
        self.stale_reads: list[StaleRead] = []
        #: what the answer depends on, for the response cache (gateway.response_cache)
        self.ledger = ReadLedger()
        self._caught_up: asyncio.Future[None] | None = None
        #: this request's invalidations on their way to the other replicas
        self._publishing: list[asyncio.Task[None]] = []

    @cached_property
    def _scope(self) -> tuple[str, Mapping[str, str]]:
        return self._scope_of()

    def key(self, vendor: str, operation: str, args: dict[str, object]) -> CacheKey:
        tenant_key, scopes = self._scope
        return CacheKey.of(tenant_key, scopes[vendor], vendor, operation, **args)

    def tag(self, vendor: str, resource: str, ident: str) -> Tag:
        return Tag(self._scope[0], vendor, resource, ident)

    def caches(self, kind: str) -> bool:
        """Whether reads of ``kind`` go through the cross-request cache. A kind whose TTL is 0
        (or any kind in ``bypass`` mode) is a plain call, noted with :meth:`uncached`: no
        key, no store, no single-flight; the request's dataloader still shares one call per
        key."""
        return not self.bypass and self.shared.ttl_for(kind) > 0

    def uncached(self) -> None:
        """Notes a read made without the cache: a miss (``cg_cache_misses_total``, as it
        was when such reads went through the cache; not in ``bypass`` mode), and the answer
        depending on it is not cacheable either."""
        if not self.bypass:
            self.shared.stats.misses += 1
        self.ledger.spoil()

    async def read(
        self, key: CacheKey, kind: str, load: Callable[[], Awaitable[V]], tags: Iterable[Tag]
    ) -> V:
        """Read through the cache (single-flight, TTL by kind); when the vendor fails, a
        recently expired value is served and recorded in ``stale_reads``. ``tags`` is read
        once the load returned, so a load may add tags it learns from the value."""
        if not self.caches(kind):
            self.uncached()
            return await load()
        await self.caught_up()
        return await self.shared.get_or_load(
            key, kind, load, tags, on_stale=self.stale_reads.append, on_read=self.ledger.record
        )

    async def peek(self, key: CacheKey) -> CacheEntry | None:
        """A fresh entry this process holds, without loading (see :meth:`read`)."""
        if self.bypass:
            return None
        await self.caught_up()
        entry = self.shared.peek(key)
        if entry is not None:
            self.ledger.record(entry)
        return entry

    async def caught_up(self) -> None:
        """Once per request, before its first read: apply what other replicas invalidated
        before this request began (a no-op without the shared tier)."""
        if self.shared.peers is None:
            return
        if self._caught_up is None:
            self._caught_up = asyncio.ensure_future(self.shared.catch_up(self.started_at))
        await asyncio.shield(self._caught_up)

    def invalidate(self, tags: Iterable[Tag]) -> None:
        """Drop ``tags`` here at once and publish them to the other replicas."""
        self.ledger.spoil()
        self.shared.invalidate(tags, self._publishing.append)

    async def invalidations_published(self) -> None:
        """Wait until this request's invalidations reached the shared tier (they never
        fail: while Redis is unreachable they are queued for replay)."""
        while self._publishing:
            await self._publishing.pop()
